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

async fn history(
    tx: &mut crate::Tx,
    client: ClientId,
    before: Option<&Before<'_>>,
    limit: i64,
) -> TimelineRows {
    tx.timeline_of(client, &Kinds::default(), before, limit)
        .await
        .unwrap()
}

/// Each kind's rows come newest first (by day, then moment, then id), at most the limit of each;
/// from a place, only what stands before it comes: an earlier day, an earlier moment on its day,
/// and within one millisecond an earlier kind or a smaller id. Other clients' rows never come.
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
    // A referral drafted at T0 and sent a day later, to a partner.
    let partner = partner([8; 16], "Harbor House");
    assert!(tx.insert_partner(&partner).await.unwrap());
    let (referral, drafted) = referral(c.id, partner.id, None, a.id, [9; 16]);
    tx.insert_referral(&referral, &drafted).await.unwrap();
    let sent = referral_step(&referral, "sent", day_later, [10; 16]);
    assert!(tx.step_referral("drafted", &sent).await.unwrap());

    let all = history(&mut tx, c.id, None, 10).await;
    let (high, low) = if n1.id.to_string() > n2.id.to_string() {
        (&n1, &n2)
    } else {
        (&n2, &n1)
    };
    let ids = |notes: &[NoteRow]| notes.iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(ids(&all.notes), [high.id, low.id, n0.id]);
    assert_eq!(all.contacts, [same_moment.clone(), earlier.clone()]);
    assert_eq!(all.services, [s_second.clone(), s_first.clone()]);
    let steps: Vec<_> = all
        .referral_steps
        .iter()
        .map(|s| s.step.status.as_str())
        .collect();
    assert_eq!(steps, ["sent", "drafted"]);
    assert_eq!(
        (
            all.referral_steps[0].partner.as_str(),
            all.referral_steps[0].service.as_str()
        ),
        ("Harbor House", "C4"),
        "a step comes with its partner's name and the service asked for"
    );
    assert!(all.plan_reviews.is_empty() && all.determinations.is_empty());

    let first = history(&mut tx, c.id, None, 1).await;
    assert_eq!(
        ids(&first.notes),
        [high.id],
        "at most the limit of each kind"
    );

    // Just before the higher note: the lower one in its millisecond, an earlier kind... and no
    // contact of that millisecond (a contact ranks after a note).
    let at_high = place("2026-05-29", day_later, Kind::Note, high.id);
    let rest = history(&mut tx, c.id, Some(&before(&at_high)), 10).await;
    assert_eq!(ids(&rest.notes), [low.id, n0.id]);
    assert_eq!(rest.contacts, std::slice::from_ref(&earlier));
    assert_eq!(rest.services.len(), 2, "an earlier day comes whole");
    let steps: Vec<_> = rest
        .referral_steps
        .iter()
        .map(|s| s.step.status.as_str())
        .collect();
    assert_eq!(steps, ["drafted"]);

    // Just before the contact of that millisecond: both notes of it (a note ranks first).
    let at_contact = place("2026-05-29", day_later, Kind::Contact, same_moment.id);
    let rest = history(&mut tx, c.id, Some(&before(&at_contact)), 10).await;
    assert_eq!(rest.notes.len(), 3);
    assert_eq!(rest.contacts, std::slice::from_ref(&earlier));

    // Just before the later-recorded service: the other one, and nothing of a later day.
    let at_service = place(
        "2026-05-01",
        s_second.created_at,
        Kind::Service,
        s_second.id,
    );
    let rest = history(&mut tx, c.id, Some(&before(&at_service)), 10).await;
    assert_eq!(rest.services, std::slice::from_ref(&s_first));
    assert!(rest.notes.is_empty() && rest.contacts.is_empty() && rest.referral_steps.is_empty());

    // Only the kinds asked for; never another client's.
    let notes_only = Kinds::parse(["note"]).unwrap();
    let only = tx.timeline_of(c.id, &notes_only, None, 10).await.unwrap();
    assert_eq!(
        (only.notes.len(), only.contacts.len(), only.services.len()),
        (3, 0, 0)
    );
    let theirs = history(&mut tx, other.id, None, 10).await;
    assert!(theirs.notes.iter().all(|n| n.client_id == other.id));
    assert!(theirs.services.iter().all(|s| s.client_id == other.id));
    tx.commit().await.unwrap();
}
