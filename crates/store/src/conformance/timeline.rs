//! A client's history: each kind of record newest first in the history's order, read from just
//! before any place in it, on every engine.

use domain::case::parse_date;
use domain::timeline::{Kind, Kinds, Place};
use domain::{ClientId, NoteId};

use crate::Before;
use crate::rows::{NoteRow, TimelineRows};

use super::*;

/// A note of `client` by `by` at `at`.
fn note(client: ClientId, by: UserId, id: [u8; 16], at: Timestamp) -> NoteRow {
    NoteRow {
        id: NoteId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: at,
        kind: "general".into(),
        body: Some(vec![id[0]; 10]),
    }
}

/// The ids of the notes, contacts, services and referral steps among `rows`.
fn ids(rows: &TimelineRows) -> Vec<String> {
    let notes = rows.notes.iter().map(|r| r.id.to_string());
    let contacts = rows.contacts.iter().map(|r| r.id.to_string());
    let services = rows.services.iter().map(|r| r.id.to_string());
    let steps = rows.referral_steps.iter().map(|r| r.step.id.to_string());
    notes.chain(contacts).chain(services).chain(steps).collect()
}

/// Just before `place`, its day's bounds in UTC.
fn before(place: &Place) -> Before<'_> {
    Before {
        place,
        day_starts: Timestamp::start_of_day(place.day),
        next_day_starts: Timestamp::start_of_day(place.day.next_day().unwrap()),
    }
}

fn place(day: &str, at: Timestamp, kind: Kind, id: impl ToString) -> Place {
    Place {
        day: parse_date("day", day).unwrap(),
        at,
        kind,
        id: id.to_string(),
    }
}

/// Where `client`'s records stand before `before`, at most `limit` of each kind, newest first
/// (the days of moments in UTC), as (kind, id).
async fn history(
    tx: &mut crate::Tx,
    client: ClientId,
    kinds: &Kinds,
    (before, limit): (Option<&Before<'_>>, i64),
) -> Vec<(Kind, String)> {
    let stored = tx
        .timeline_places(client, kinds, before, limit)
        .await
        .unwrap();
    let mut places: Vec<Place> = stored
        .into_iter()
        .map(|p| Place {
            day: match &p.day {
                Some(day) => parse_date("day", day).unwrap(),
                None => p.at.date(),
            },
            at: p.at,
            kind: p.kind,
            id: p.id,
        })
        .collect();
    places.sort_by(|a, b| b.cmp(a));
    places.into_iter().map(|p| (p.kind, p.id)).collect()
}

/// Where each kind's records stand, newest first (by day, then moment, then kind and id), at
/// most the limit of each; from a place, only what stands before it: an earlier day, an earlier
/// moment on its day, and within one millisecond an earlier kind or a smaller id. The rows of the
/// places read back whole, a referral's step with its partner and service. Other clients' records
/// never come.
pub async fn a_history_comes_newest_first_from_any_place_in_it(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, other) = seed(&store).await;
    let mut rng = rng();
    let c = client(&mut rng, &a);
    let mut tx = store.write().await.unwrap();
    tx.insert_client(&c).await.unwrap();
    // T0 is 2026-05-28, 20:26:40 UTC. Three notes: two in the same millisecond a day later.
    let day_later = T0.plus_days(1);
    let (n0, n1, n2) = (
        note(c.id, a.id, [1; 16], T0),
        note(c.id, a.id, [2; 16], day_later),
        note(c.id, a.id, [3; 16], day_later),
    );
    for n in [&n0, &n1, &n2] {
        tx.insert_note(n).await.unwrap();
    }
    // A contact in that same millisecond, and one on the day before.
    let same_moment = contact(c.id, a.id, [4; 16], day_later, true);
    let earlier = contact(c.id, a.id, [5; 16], T0.plus_days(-1), false);
    tx.insert_contact(&same_moment).await.unwrap();
    tx.insert_contact(&earlier).await.unwrap();
    // Two services given on one day, recorded a minute apart, long after the day.
    let given = |id, at| crate::rows::ServiceRow {
        delivered_on: "2026-05-01".into(),
        ..service(c.id, a.id, id, at)
    };
    let s_first = given([6; 16], T0);
    let s_second = given(
        [7; 16],
        Timestamp::from_unix_millis(T0.unix_millis() + 60_000),
    );
    tx.insert_service(&s_first).await.unwrap();
    tx.insert_service(&s_second).await.unwrap();
    // A referral drafted at T0 and sent a day later (in the notes' millisecond), to a partner.
    let partner = partner([8; 16], "Harbor House");
    assert!(tx.insert_partner(&partner).await.unwrap());
    let (referral, drafted) = referral(c.id, partner.id, None, a.id, [9; 16]);
    tx.insert_referral(&referral, &drafted).await.unwrap();
    let sent = referral_step(&referral, "sent", day_later, [10; 16]);
    assert!(tx.step_referral("drafted", &sent).await.unwrap());

    let (high, low) = if n1.id.to_string() > n2.id.to_string() {
        (&n1, &n2)
    } else {
        (&n2, &n1)
    };
    let of = |kind, id: &dyn ToString| (kind, id.to_string());
    let everything = [
        of(Kind::Referral, &sent.id),
        of(Kind::Contact, &same_moment.id),
        of(Kind::Note, &high.id),
        of(Kind::Note, &low.id),
        of(Kind::Referral, &drafted.id),
        of(Kind::Note, &n0.id),
        of(Kind::Contact, &earlier.id),
        of(Kind::Service, &s_second.id),
        of(Kind::Service, &s_first.id),
    ];
    let all = Kinds::default();
    assert_eq!(history(&mut tx, c.id, &all, (None, 10)).await, everything);
    let newest = history(&mut tx, c.id, &all, (None, 1)).await;
    assert_eq!(
        newest,
        [
            everything[0].clone(),
            everything[1].clone(),
            everything[2].clone(),
            everything[7].clone()
        ],
        "at most the limit of each kind"
    );

    // Just before the higher note: the lower one in its millisecond, and what came before.
    let at_high = place("2026-05-29", day_later, Kind::Note, high.id);
    let rest = history(&mut tx, c.id, &all, (Some(&before(&at_high)), 10)).await;
    assert_eq!(rest, everything[3..]);
    // Just before the contact of that millisecond: both notes of it (a note ranks first).
    let at_contact = place("2026-05-29", day_later, Kind::Contact, same_moment.id);
    let rest = history(&mut tx, c.id, &all, (Some(&before(&at_contact)), 10)).await;
    assert_eq!(rest, everything[2..]);
    // Just before the later-recorded service: the other one alone.
    let at_service = place(
        "2026-05-01",
        s_second.created_at,
        Kind::Service,
        s_second.id,
    );
    let rest = history(&mut tx, c.id, &all, (Some(&before(&at_service)), 10)).await;
    assert_eq!(rest, everything[8..]);

    // Only the kinds asked for.
    let notes_only = Kinds::parse(["note"]).unwrap();
    let notes = history(&mut tx, c.id, &notes_only, (None, 10)).await;
    assert_eq!(
        notes,
        [
            everything[2].clone(),
            everything[3].clone(),
            everything[5].clone()
        ]
    );

    // The rows of the places, whole.
    let stored = tx.timeline_places(c.id, &all, None, 10).await.unwrap();
    let rows: TimelineRows = tx.timeline_rows(c.id, &stored).await.unwrap();
    assert_eq!(rows.notes.len(), 3);
    let mut contacts = rows.contacts.clone();
    contacts.sort_by_key(|r| r.occurred_at);
    assert_eq!(contacts, [earlier.clone(), same_moment.clone()]);
    let mut services = rows.services.clone();
    services.sort_by_key(|r| r.created_at);
    assert_eq!(services, [s_first.clone(), s_second.clone()]);
    assert_eq!(rows.referral_steps.len(), 2);
    assert!(
        rows.referral_steps
            .iter()
            .all(|s| s.partner == "Harbor House" && s.service == "C4")
    );
    // Another client's places, and the rows of this client's places asked for as theirs: none of
    // this client's, though the other client's own records in the same span come.
    let theirs = history(&mut tx, other.id, &all, (None, 10)).await;
    assert!(theirs.iter().all(|mine| !everything.contains(mine)));
    let not_theirs = tx.timeline_rows(other.id, &stored).await.unwrap();
    assert!(ids(&not_theirs).iter().all(|id| !ids(&rows).contains(id)));
    assert!(not_theirs.notes.iter().all(|n| n.client_id == other.id));
    tx.commit().await.unwrap();
}
