//! Case work: the programs a case is chosen from, and a client's notes, contacts, services and
//! needs assessments, a page at a time; the partner directory, releases and referrals.

use domain::{ClientId, NoteId};

use crate::Within;
use crate::rows::{ClientDetailsRow, NoteRow};

use super::*;

/// Programs are a list: a code is added once, listed by code, and known to exist.
pub async fn programs_are_a_list_of_unique_codes(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let mut tx = store.write().await.unwrap();
    assert!(
        tx.insert_program("youth", "Youth drop-in", T0)
            .await
            .unwrap()
    );
    assert!(
        tx.insert_program("adult", "Adult advocacy", T0)
            .await
            .unwrap()
    );
    assert!(
        !tx.insert_program("youth", "Another name", T0)
            .await
            .unwrap(),
        "a code is taken once"
    );
    let programs = tx.programs().await.unwrap();
    assert_eq!(
        programs
            .iter()
            .map(|p| (p.code.as_str(), p.name.as_str()))
            .collect::<Vec<_>>(),
        vec![("adult", "Adult advocacy"), ("youth", "Youth drop-in")]
    );
    assert!(tx.program_exists("youth").await.unwrap());
    assert!(!tx.program_exists("Youth drop-in").await.unwrap());
    tx.commit().await.unwrap();
}

/// Notes come newest first, a page at a time, each with its kind.
pub async fn notes_come_a_page_at_a_time_newest_first(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    // Two more notes, a day and two days after the one `seed` wrote.
    for day in [1u8, 2] {
        tx.insert_note(&NoteRow {
            id: NoteId::from_random([day; 16]),
            client_id: c.id,
            author: Actor::User(a.id).encode(),
            created_at: T0.plus_days(i64::from(day)),
            kind: if day == 1 { "safety" } else { "legal" }.into(),
            body: Some(vec![day; 10]),
        })
        .await
        .unwrap();
    }
    let at = |notes: Vec<NoteRow>| notes.iter().map(|n| n.created_at).collect::<Vec<_>>();
    let first = tx.notes_page(c.id, 2, 0).await.unwrap();
    let kinds: Vec<&str> = first.iter().map(|n| n.kind.as_str()).collect();
    assert_eq!(kinds, ["legal", "safety"]);
    assert_eq!(at(first), [T0.plus_days(2), T0.plus_days(1)]);
    let last = tx.notes_page(c.id, 2, 2).await.unwrap();
    assert_eq!(at(last), [T0]);
    assert!(tx.notes_page(c.id, 2, 3).await.unwrap().is_empty());
    let nobody = ClientId::from_random([9; 16]);
    assert!(tx.notes_page(nobody, 2, 0).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

/// Contacts list newest first by when they were (not when they were logged), attempts as they
/// were recorded, a page at a time; erasure wipes what is sealed.
pub async fn contacts_come_newest_first_by_when_they_were_attempts_included(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    // Logged a day later, but about a contact an hour after the one `seed` logged (an attempt).
    let late = crate::rows::ContactRow {
        created_at: T0.plus_days(1),
        occurred_at: Timestamp::from_unix_millis(T0.unix_millis() + 3_600_000),
        method: "in-person".into(),
        minutes: None,
        ..contact(c.id, a.id, [3; 16], T0, true)
    };
    tx.insert_contact(&late).await.unwrap();
    tx.insert_contact(&contact(c.id, a.id, [4; 16], T0.plus_days(2), false))
        .await
        .unwrap();
    let first = tx.contacts_page(c.id, 2, 0).await.unwrap();
    assert_eq!(first[0].occurred_at, T0.plus_days(2));
    assert!(!first[0].reached, "an attempt stays an attempt");
    assert_eq!(first[1], late, "every field reads back");
    let last = tx.contacts_page(c.id, 2, 2).await.unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!((last[0].occurred_at, last[0].reached), (T0, false));

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.contacts_page(c.id, 10, 0).await.unwrap();
    assert_eq!(erased.len(), 3, "the coded facts of the work stay");
    assert!(
        erased
            .iter()
            .all(|row| row.present.is_none() && row.note.is_none())
    );
    tx.commit().await.unwrap();
}

/// Services list newest first by the day given (the latest recorded first within a day), a
/// page at a time; every field reads back; erasure wipes the note
/// and keeps the coded facts a report counts.
pub async fn services_come_newest_first_by_the_day_given(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let given = |id, on: &str, at| crate::rows::ServiceRow {
        delivered_on: on.into(),
        ..service(c.id, a.id, id, at)
    };
    // Recorded last, but given first.
    let early = crate::rows::ServiceRow {
        code: "D1".into(),
        mode: "in-person".into(),
        minutes: None,
        units: Some(3),
        ..given([3; 16], "2026-01-02", T0.plus_days(9))
    };
    for row in [
        given([4; 16], "2026-01-05", T0),
        given([5; 16], "2026-01-05", T0.plus_days(1)),
        early.clone(),
    ] {
        tx.insert_service(&row).await.unwrap();
    }
    let first = tx.services_page(c.id, 2, 0).await.unwrap();
    assert_eq!(
        first.iter().map(|r| r.created_at).collect::<Vec<_>>(),
        [T0.plus_days(1), T0],
        "the same day: the latest recorded first"
    );
    // After them, the one `seed` gave on 2026-01-01.
    let last = tx.services_page(c.id, 2, 2).await.unwrap();
    assert_eq!(last.len(), 2);
    assert_eq!(last[0], early, "every field reads back");

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.services_page(c.id, 10, 0).await.unwrap();
    assert_eq!(erased.len(), 4, "the coded facts of the work stay");
    assert!(erased.iter().all(|row| row.note.is_none()));
    assert_eq!(erased[2].code, "D1");
    tx.commit().await.unwrap();
}

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

/// Needs assessments list newest first by their day (on one day, the one recorded last), each
/// with its answers in the order of the domains' codes; a client's latest is read with their
/// page; nothing is ever replaced; erasure wipes the notes and keeps the coded levels.
pub async fn needs_assessments_are_kept_each_with_its_answers_newest_first(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    // `seed` assessed on 2026-05-28. Recorded later, but about an earlier day:
    let earlier = needs(c.id, a.id, [3; 16], "2026-05-01", T0.plus_days(1));
    tx.insert_needs_assessment(&earlier).await.unwrap();
    // Two on a later day: the one recorded last comes first.
    let morning = needs(c.id, a.id, [4; 16], "2026-06-10", T0.plus_days(2));
    let afternoon = crate::rows::NeedsAssessmentRow {
        note: None,
        answers: vec![
            crate::rows::NeedAnswerRow {
                domain: "safety".into(),
                level: "none".into(),
                note: None,
            },
            crate::rows::NeedAnswerRow {
                domain: "housing".into(),
                level: "some".into(),
                note: Some(vec![5; 10]),
            },
        ],
        ..needs(c.id, a.id, [5; 16], "2026-06-10", T0.plus_days(3))
    };
    tx.insert_needs_assessment(&afternoon).await.unwrap();
    tx.insert_needs_assessment(&morning).await.unwrap();
    let all = tx.needs_page(c.id, 10, 0).await.unwrap();
    let days: Vec<(&str, Timestamp)> = all
        .iter()
        .map(|row| (row.assessed_on.as_str(), row.created_at))
        .collect();
    assert_eq!(
        days,
        [
            ("2026-06-10", T0.plus_days(3)),
            ("2026-06-10", T0.plus_days(2)),
            ("2026-05-28", T0),
            ("2026-05-01", T0.plus_days(1)),
        ]
    );
    assert_eq!(all[3], earlier, "every field and answer reads back");
    let domains: Vec<&str> = all[0].answers.iter().map(|a| a.domain.as_str()).collect();
    assert_eq!(domains, ["housing", "safety"], "in the order of the codes");
    let page = tx.needs_page(c.id, 2, 1).await.unwrap();
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].id, morning.id);
    assert_eq!(page[0].answers.len(), 2);

    let nobody = ClientId::from_random([9; 16]);
    let latest = tx.latest_needs_of(&[c.id, nobody]).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(latest[&c.id].id, afternoon.id);
    assert_eq!(latest[&c.id].answers[0].level, "some");
    let record = tx.records_of(&[c.id]).await.unwrap();
    assert_eq!(
        record[&c.id].needs.as_ref().map(|n| n.id),
        Some(afternoon.id)
    );

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.needs_page(c.id, 10, 0).await.unwrap();
    assert_eq!(
        erased.len(),
        4,
        "the assessments stay, as coded facts of the work"
    );
    assert!(erased.iter().all(|row| row.note.is_none()));
    assert!(
        erased
            .iter()
            .flat_map(|row| &row.answers)
            .all(|answer| answer.note.is_none())
    );
    assert_eq!(erased[0].answers[1].level, "none", "the levels stay");
    tx.commit().await.unwrap();
}

/// An edit replaces a client's details and blind indexes at once (duplicate search then finds
/// them under the new name and each alias, and no longer under the old one); its history reads
/// back newest first, every field; erasure wipes the values kept and the aliases, and keeps who
/// changed what and when.
pub async fn edits_replace_details_and_keep_their_history(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let edited = crate::rows::ClientDetailsRow {
        preferred_name: Some(vec![21; 5]),
        aliases: Some(vec![22; 9]),
        name_index: Some("aa01".into()),
        alias_index: Some("bb02 cc03".into()),
        age_band: Some("18-24".into()),
        ..crate::rows::ClientDetailsRow::of(&c)
    };
    assert!(tx.set_client_details(&edited).await.unwrap());
    let nobody = crate::rows::ClientDetailsRow {
        id: ClientId::from_random([9; 16]),
        ..edited.clone()
    };
    assert!(!tx.set_client_details(&nobody).await.unwrap());
    let row = tx.client(c.id).await.unwrap().unwrap();
    assert_eq!(crate::rows::ClientDetailsRow::of(&row), edited);
    assert_eq!(
        row.safety, c.safety,
        "the safety flags are not part of an edit"
    );
    let found = |name: &'static str| {
        let user = a.id;
        async move |tx: &mut crate::Tx| {
            tx.matching_clients(user, Some(name), None)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(found("aa01")(&mut tx).await, 1, "the new name");
    assert_eq!(found("bb02")(&mut tx).await, 1, "the first other name");
    assert_eq!(found("cc03")(&mut tx).await, 1, "the last other name");
    assert_eq!(found("name-idx")(&mut tx).await, 0, "not the old name");
    assert_eq!(found("b02")(&mut tx).await, 0, "not part of an index");
    assert_eq!(
        tx.clients_by_identity("cc03", "dob-idx").await.unwrap(),
        [c.id],
        "emergency access finds the person under another name too"
    );

    let me = Actor::User(a.id).encode();
    let later = client_change(c.id, &me, [7; 16], T0.plus_days(3));
    tx.insert_client_change(&later).await.unwrap();
    let history = tx.client_changes(c.id, 10).await.unwrap();
    assert_eq!(history.len(), 2, "the seed's edit and this one");
    assert_eq!(history[0], later, "newest first, every field read back");
    assert_eq!(tx.client_changes(c.id, 1).await.unwrap(), [later]);

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.client_changes(c.id, 10).await.unwrap();
    assert_eq!(erased.len(), 2, "who changed what, and when, stays");
    assert!(erased.iter().all(|row| row.previous.is_none()));
    assert_eq!(erased[0].fields, "legal_name,aliases");
    let row = tx.client(c.id).await.unwrap().unwrap();
    assert!(row.aliases.is_none() && row.alias_index.is_none());
    assert_eq!(found("bb02")(&mut tx).await, 0);
    tx.commit().await.unwrap();
}

/// A case closes once, on its client only; a case that continues another reads back naming it.
pub async fn cases_close_once_and_a_transfer_names_the_case_it_continues(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let first = tx.cases(c.id).await.unwrap().remove(0);
    assert!(first.closed_on.is_none());
    let other = ClientId::from_random([9; 16]);
    assert!(!tx.close_case(other, first.id, "2026-02-01").await.unwrap());
    assert!(tx.close_case(c.id, first.id, "2026-02-01").await.unwrap());
    assert!(
        !tx.close_case(c.id, first.id, "2026-03-01").await.unwrap(),
        "closed once"
    );
    let next = crate::rows::CaseRow {
        id: domain::CaseId::from_random([8; 16]),
        program: "Housing".into(),
        opened_on: "2026-02-01".into(),
        closed_on: None,
        assigned_to: Some(a.id),
        transferred_from: Some(first.id),
        ..first.clone()
    };
    tx.insert_case(&next).await.unwrap();
    let cases = tx.cases(c.id).await.unwrap();
    assert_eq!(cases.len(), 2);
    assert_eq!(cases[0], next, "the newest opened first");
    assert_eq!(cases[1].id, first.id);
    assert_eq!(cases[1].closed_on.as_deref(), Some("2026-02-01"));
    tx.commit().await.unwrap();
}

/// Partners are listed by name and each name is taken once; a release is withdrawn once, and
/// only by way of its own client; a referral moves only from where it stands, each step kept.
pub async fn releases_are_withdrawn_once_and_referrals_move_one_step_at_a_time(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let shelter = partner([1; 16], "Shelter");
    assert!(
        tx.insert_partner(&partner([2; 16], "Clinic"))
            .await
            .unwrap()
    );
    assert!(tx.insert_partner(&shelter).await.unwrap());
    assert!(
        !tx.insert_partner(&partner([3; 16], "Shelter"))
            .await
            .unwrap(),
        "a name is taken once"
    );
    let names: Vec<String> = tx
        .partners()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    // By name: the seed's own partner ("Partner ...") sits between the two.
    assert_eq!(names.len(), 3);
    assert_eq!(
        (names[0].as_str(), names[2].as_str()),
        ("Clinic", "Shelter")
    );
    assert_eq!(tx.partner(shelter.id).await.unwrap(), Some(shelter.clone()));

    let given = release(c.id, shelter.id, a.id, [4; 16]);
    tx.insert_release(&given).await.unwrap();
    assert_eq!(
        tx.release_of(c.id, given.id).await.unwrap(),
        Some(given.clone())
    );
    let other = ClientId::from_random([9; 16]);
    assert_eq!(tx.release_of(other, given.id).await.unwrap(), None);
    let by_phone = crate::rows::WithdrawalRow {
        at: T0.plus_days(2),
        by: Actor::User(a.id).encode(),
        how: "by-phone".into(),
    };
    assert!(
        !tx.withdraw_release(other, given.id, &by_phone)
            .await
            .unwrap()
    );
    assert!(
        tx.withdraw_release(c.id, given.id, &by_phone)
            .await
            .unwrap()
    );
    let later = crate::rows::WithdrawalRow {
        at: T0.plus_days(3),
        ..by_phone.clone()
    };
    assert!(
        !tx.withdraw_release(c.id, given.id, &later).await.unwrap(),
        "the first withdrawal stands"
    );
    // The seed's own release, and this one, newest first (ties by id).
    let page = tx.releases_page(c.id, (10, 0)).await.unwrap();
    assert_eq!(page.len(), 2);
    let found = page.iter().find(|r| r.id == given.id).unwrap();
    assert_eq!(found.withdrawn, Some(by_phone));
    assert_eq!(tx.releases_page(c.id, (1, 1)).await.unwrap().len(), 1);

    let (row, drafted) = referral(c.id, shelter.id, Some(given.id), a.id, [5; 16]);
    tx.insert_referral(&row, &drafted).await.unwrap();
    let sent = referral_step(&row, "sent", T0.plus_days(1), [6; 16]);
    assert!(tx.step_referral("drafted", &sent).await.unwrap());
    let again = referral_step(&row, "accepted", T0.plus_days(2), [7; 16]);
    assert!(
        !tx.step_referral("drafted", &again).await.unwrap(),
        "it no longer stands at drafted"
    );
    assert!(tx.step_referral("sent", &again).await.unwrap());
    let found = tx.referral_of(c.id, row.id).await.unwrap().unwrap();
    assert_eq!(found.status, "accepted");
    assert_eq!(found.status_at, T0.plus_days(2));
    assert_eq!(tx.referral_of(other, row.id).await.unwrap(), None);
    let steps = tx.referral_steps(c.id, &[row.id]).await.unwrap();
    let statuses: Vec<&str> = steps.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["drafted", "sent", "accepted"], "oldest first");
    let page = tx.referrals_page(c.id, (10, 0)).await.unwrap();
    assert_eq!(page.len(), 2, "the seed's and this one");
    assert!(page.contains(&found));
    tx.commit().await.unwrap();
}
