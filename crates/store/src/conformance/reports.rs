//! What the reports read of the case work: first services, the sums of each fiscal quarter and
//! year, and each person's profile of report dimensions.

use crate::Within;
use crate::rows::ClientDetailsRow;

use super::*;

/// A client's first service is the earliest day given, whatever the order they were recorded
/// in: the reports count a person new in its period, and new in a fiscal year from their first
/// service of that year.
pub async fn a_first_service_is_the_earliest_day_given(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let given = |id, on: &str| crate::rows::ServiceRow {
        delivered_on: on.into(),
        ..service(c.id, a.id, id, T0)
    };
    // `seed` gave one on 2026-01-01; then one later, and one before fiscal year 2026 began.
    tx.insert_service(&given([6; 16], "2026-02-10"))
        .await
        .unwrap();
    tx.insert_service(&given([7; 16], "2025-08-01"))
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut reads = store.read().await.unwrap();
    assert_eq!(
        served_firsts(&mut reads, ("2026-02-01", "2026-02-28"), "2025-10-01").await,
        [(false, false, 4)],
        "a client since August, served since January"
    );
    // A period that starts the year: its first service is the first of the year.
    assert_eq!(
        served_firsts(&mut reads, ("2025-10-01", "2026-09-30"), "2025-10-01").await,
        [(false, true, 4)],
        "one row a person"
    );
    // The first day of a period is in it, read from the services and from the sums.
    for (from, to) in [("2026-01-01", "2026-01-31"), ("2026-01-01", "2026-03-31")] {
        assert_eq!(
            served_firsts(&mut reads, (from, to), "2025-10-01").await,
            [(false, true, 4)],
            "{from} to {to}"
        );
    }
    // Once the year has begun with a first service, that is the first of the year too.
    assert_eq!(
        served_firsts(&mut reads, ("2025-08-01", "2025-08-31"), "2024-10-01").await,
        [(true, true, 4)]
    );
    let firsts = reads
        .first_services("2025-08-01", "2025-08-31", Within::Everyone)
        .await
        .unwrap();
    // Recorded at T0, first served on 2025-08-01, a day counted whole from 1970-01-01 (UTC).
    let day = |raw| {
        domain::case::parse_date("day", raw)
            .unwrap()
            .to_julian_day()
    };
    let served = day("2025-08-01") - day("1970-01-01");
    let waited = i64::from(served) - T0.unix_millis().div_euclid(86_400_000);
    assert_eq!(
        firsts
            .iter()
            .map(|r| (r.days, r.people))
            .collect::<Vec<_>>(),
        [(waited, 1)]
    );
    assert!(
        reads
            .first_services("2026-01-01", "2026-12-31", Within::Everyone)
            .await
            .unwrap()
            .is_empty(),
        "first served before the period"
    );
    reads.commit().await.unwrap();

    // A service recorded late in the year's first quarter: the second is no longer where the
    // year began for them, read from the sums and from the services alike.
    let mut tx = store.write().await.unwrap();
    tx.insert_service(&given([8; 16], "2025-11-01"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut reads = store.read().await.unwrap();
    for (from, to) in [("2026-01-01", "2026-03-31"), ("2026-01-01", "2026-01-31")] {
        assert_eq!(
            served_firsts(&mut reads, (from, to), "2025-10-01").await,
            [(false, false, 4)],
            "{from} to {to}"
        );
    }
    assert_eq!(
        served_firsts(&mut reads, ("2025-10-01", "2025-12-31"), "2025-10-01").await,
        [(false, true, 4)]
    );
    reads.commit().await.unwrap();
}

/// A whole fiscal quarter or year reads the same from what was summed of it as each service was
/// recorded as from the services themselves: each person's types, first service and first of
/// the year, whatever order the services came in, for everyone and for a team.
pub async fn a_fiscal_period_reads_the_same_from_its_sums_as_from_its_services(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, _) = seed(&store).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let mut tx = store.write().await.unwrap();
    let team = domain::TeamId::from_random(rng.r#gen());
    assert!(tx.create_team(team, "North", T0).await.unwrap());
    tx.put_team_member(team, b.id, false).await.unwrap();
    // Six more people, the last three on ben's caseload, each given services in an order that
    // is not their days' (some recorded after later ones, one twice of a type in a quarter).
    let days = [
        "2026-08-30",
        "2025-10-01",
        "2026-07-01",
        "2026-09-30",
        "2026-01-15",
        "2026-07-02",
        "2026-10-01",
        "2025-09-30",
        "2026-04-01",
    ];
    let codes = ["A1", "C4", "B2", "X8", "C4", "E11", "D1", "A2", "B2"];
    for person in 0..6_usize {
        let c = client(&mut rng, &a);
        tx.insert_client(&c).await.unwrap();
        let worker = if person < 3 { a.id } else { b.id };
        tx.assign(c.id, worker, T0).await.unwrap();
        for k in 0..(2 + person % 4) {
            let at = (person * 5 + k * 3) % days.len();
            let row = crate::rows::ServiceRow {
                delivered_on: days[at].into(),
                code: codes[(at + person) % codes.len()].into(),
                ..service(c.id, a.id, rng.r#gen(), T0)
            };
            tx.insert_service(&row).await.unwrap();
        }
    }
    tx.commit().await.unwrap();

    // Bits of the caller's own choosing; a code it gives none (D1, E11) counts in no mask.
    let bits = [("A1", 1), ("A2", 2), ("B2", 64), ("C4", 4), ("X8", 1 << 40)];
    let team_id = team.to_string();
    let mut reads = store.read().await.unwrap();
    for (from, to) in [
        ("2025-10-01", "2025-12-31"),
        ("2026-01-01", "2026-03-31"),
        ("2026-04-01", "2026-06-30"),
        ("2026-07-01", "2026-09-30"),
        ("2025-10-01", "2026-09-30"),
        ("2026-10-01", "2026-12-31"),
        ("2026-10-01", "2027-09-30"),
    ] {
        let year_from = if from < "2026-10-01" {
            "2025-10-01"
        } else {
            "2026-10-01"
        };
        for within in [Within::Everyone, Within::Team(&team_id)] {
            let mut summed = reads
                .served(from, to, year_from, &bits, within)
                .await
                .unwrap();
            let mut counted = reads
                .served_by_day(from, to, year_from, &bits, within)
                .await
                .unwrap();
            let key =
                |r: &crate::rows::ServedRow| (r.profile, r.new_client, r.new_this_year, r.mask);
            summed.sort_by_key(key);
            counted.sort_by_key(key);
            if within == Within::Everyone {
                assert!(!counted.is_empty(), "someone served {from} to {to}");
            }
            assert_eq!(summed, counted, "{from} to {to}, {within:?}");
        }
    }
    reads.commit().await.unwrap();
}

/// Services recorded many at once (the bulk load) leave the same sums and first days as the same
/// services recorded one by one, whatever their order, and a second batch for the same people adds
/// to the first.
pub async fn services_recorded_at_once_count_as_one_by_one(h: &impl Harness) {
    let days = [
        "2026-08-30",
        "2025-10-01",
        "2026-07-01",
        "2026-09-30",
        "2025-11-15",
        "2026-07-02",
        "2026-10-01",
        "2025-09-30",
        "2026-04-01",
        "2025-12-31",
    ];
    let codes = ["A1", "C4", "B2", "X8", "C4", "E11", "D1", "A2", "B2"];
    let mut read = Vec::new();
    for at_once in [false, true] {
        let (store, _) = h.fresh().await;
        let (a, b, _) = seed(&store).await;
        // The same people and services in both stores, from the same seed.
        let mut rng = rand::rngs::StdRng::seed_from_u64(40);
        let mut tx = store.write().await.unwrap();
        let mut services = Vec::new();
        for person in 0..5_usize {
            let c = ClientRow {
                age_band: Some(["18-24", "25-34"][person % 2].into()),
                ..client(&mut rng, &a)
            };
            tx.insert_client(&c).await.unwrap();
            tx.assign(c.id, if person < 2 { a.id } else { b.id }, T0)
                .await
                .unwrap();
            for k in 0..(2 + person % 3) {
                let at = (person * 3 + k * 7) % days.len();
                services.push(crate::rows::ServiceRow {
                    delivered_on: days[at].into(),
                    code: codes[(at + person) % codes.len()].into(),
                    ..service(c.id, a.id, rng.r#gen(), T0)
                });
            }
        }
        if at_once {
            let (first, rest) = services.split_at(services.len() / 2);
            tx.insert_services_then_recount(first).await.unwrap();
            tx.insert_services_then_recount(rest).await.unwrap();
        } else {
            for row in &services {
                tx.insert_service(row).await.unwrap();
            }
        }
        tx.commit().await.unwrap();

        let bits = [("A1", 1), ("A2", 2), ("B2", 64), ("C4", 4), ("X8", 1 << 40)];
        let mut reads = store.read().await.unwrap();
        let mut seen = Vec::new();
        for (from, to, year_from) in [
            ("2025-07-01", "2025-09-30", "2024-10-01"),
            ("2025-10-01", "2025-12-31", "2025-10-01"),
            ("2026-07-01", "2026-09-30", "2025-10-01"),
            ("2025-10-01", "2026-09-30", "2025-10-01"),
            ("2026-10-01", "2026-12-31", "2026-10-01"),
        ] {
            let mut served = reads
                .served(from, to, year_from, &bits, Within::Everyone)
                .await
                .unwrap();
            served.sort_by_key(|r| (r.profile, r.new_client, r.new_this_year, r.mask));
            assert!(!served.is_empty(), "someone served {from} to {to}");
            let firsts = reads
                .first_services(from, to, Within::Everyone)
                .await
                .unwrap();
            seen.push((served, firsts));
        }
        reads.commit().await.unwrap();
        read.push(seen);
    }
    assert_eq!(read[0], read[1]);
}

/// Each person `served` gives from `from` to `to` in the fiscal year from `year_from` (code C4
/// as bit 4): whether their first service ever was in the period, whether their first of the
/// year was, and their mask.
async fn served_firsts(
    reads: &mut crate::Reads,
    (from, to): (&str, &str),
    year_from: &str,
) -> Vec<(bool, bool, i64)> {
    let served = reads
        .served(from, to, year_from, &[("C4", 4)], Within::Everyone)
        .await
        .unwrap();
    served
        .into_iter()
        .map(|r| (r.new_client, r.new_this_year, r.mask))
        .collect()
}

/// A report reads each person by the number of their report dimensions' profile: alike people
/// share one, an edit moves a person to the profile of their new dimensions (made if new), and
/// each number reads back as its dimensions.
pub async fn a_report_reads_each_person_by_the_profile_of_their_dimensions(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(39);
    let alike = client(&mut rng, &a);
    let other = ClientRow {
        gender: None,
        age_band: Some("18-24".into()),
        ..client(&mut rng, &a)
    };
    let mut tx = store.write().await.unwrap();
    for (k, person) in [&alike, &other].into_iter().enumerate() {
        tx.insert_client(person).await.unwrap();
        let id = [10 + u8::try_from(k).unwrap(); 16];
        tx.insert_service(&service(person.id, a.id, id, T0))
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let profiles = |served: &[crate::rows::ServedRow]| {
        let mut profiles: Vec<i64> = served.iter().map(|r| r.profile).collect();
        profiles.sort_unstable();
        profiles
    };
    let period = ("2026-01-01", "2026-03-31");
    let mut reads = store.read().await.unwrap();
    let served = served_in(&mut reads, period).await;
    let known = reads.report_profiles().await.unwrap();
    let case_work = case_work_profiles(&mut reads).await;
    reads.commit().await.unwrap();
    let firsts = profiles(&served);
    assert_eq!(firsts.len(), 3, "{served:?}");
    assert_eq!(
        firsts[0], firsts[1],
        "`seed`'s client and `alike` share one"
    );
    assert_ne!(firsts[1], firsts[2]);
    let of = |id: i64| known.iter().find(|p| p.id == id).map(|p| p.who.clone());
    let lone = of(firsts[2]).unwrap();
    assert_eq!(lone.gender, None);
    assert_eq!(lone.age_band.as_deref(), Some("18-24"));
    assert_eq!(lone.referral_source.as_deref(), Some("hotline"));
    assert_eq!(of(firsts[0]).unwrap().gender.as_deref(), Some("woman"));
    // `seed`'s client's case opened, closed and re-opened in the year, under their profile.
    assert_eq!(case_work, [firsts[0]; 3]);

    // An edit to the dimensions `alike` has already: one profile for all three. Then `seed`'s
    // client into a combination no one has had: a new profile.
    let mut tx = store.write().await.unwrap();
    let like_alike = ClientDetailsRow::of(&ClientRow {
        id: other.id,
        ..alike.clone()
    });
    assert!(tx.set_client_details(&like_alike).await.unwrap());
    let changed = ClientDetailsRow {
        citizenship: Some("foreign-national".into()),
        ..ClientDetailsRow::of(&c)
    };
    assert!(tx.set_client_details(&changed).await.unwrap());
    tx.commit().await.unwrap();
    let mut reads = store.read().await.unwrap();
    let served = served_in(&mut reads, period).await;
    let known = reads.report_profiles().await.unwrap();
    let case_work = case_work_profiles(&mut reads).await;
    reads.commit().await.unwrap();
    let after = profiles(&served);
    assert_eq!(after.len(), 3);
    assert_eq!(after[0], after[1]);
    assert_ne!(after[1], after[2]);
    assert!(after.contains(&firsts[0]), "the profile alike people had");
    let new = known.iter().find(|p| p.id == after[2]).unwrap();
    assert_eq!(new.who.citizenship.as_deref(), Some("foreign-national"));
    assert!(
        !firsts.contains(&after[2]),
        "a new combination, a new number"
    );
    assert_eq!(case_work, [after[2]; 3], "the case work follows its client");
}

/// The profiles of the entries (opened, then re-opened) and closures in fiscal year 2026, each
/// once for each time it is counted.
async fn case_work_profiles(reads: &mut crate::Reads) -> Vec<i64> {
    let (from, to) = ("2025-10-01", "2026-09-30");
    let mut entered = reads.entered(from, to, Within::Everyone).await.unwrap();
    entered.sort_by_key(|r| r.reopened);
    let exited = reads.exited(from, to, Within::Everyone).await.unwrap();
    let each = |profile: i64, count: i64| vec![profile; usize::try_from(count).unwrap()];
    entered
        .iter()
        .map(|r| each(r.profile, r.count))
        .chain(exited.iter().map(|r| each(r.profile, r.count)))
        .flatten()
        .collect()
}

/// Everyone `served` gives from `from` to `to` in fiscal year 2026 (code C4 as bit 4).
async fn served_in(
    reads: &mut crate::Reads,
    (from, to): (&str, &str),
) -> Vec<crate::rows::ServedRow> {
    reads
        .served(from, to, "2025-10-01", &[("C4", 4)], Within::Everyone)
        .await
        .unwrap()
}
