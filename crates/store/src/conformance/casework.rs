//! Case work: the programs a case is chosen from, and a client's notes and contacts, a page at a
//! time.

use domain::{ClientId, NoteId};

use crate::rows::NoteRow;

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
            body: Some(vec![day; 10]),
        })
        .await
        .unwrap();
    }
    let at = |notes: Vec<NoteRow>| notes.iter().map(|n| n.created_at).collect::<Vec<_>>();
    let first = tx.notes_page(c.id, 2, 0).await.unwrap();
    assert_eq!(at(first), [T0.plus_days(2), T0.plus_days(1)]);
    let last = tx.notes_page(c.id, 2, 2).await.unwrap();
    assert_eq!(at(last), [T0]);
    assert!(tx.notes_page(c.id, 2, 3).await.unwrap().is_empty());
    let nobody = ClientId::from_random([9; 16]);
    assert!(tx.notes_page(nobody, 2, 0).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

/// Contacts list newest first by when they were (not when they were logged), attempts as they
/// were recorded, a page at a time and for many clients at once; erasure wipes what is sealed.
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
    let nobody = ClientId::from_random([9; 16]);
    let newest = tx.contacts_of(&[c.id, nobody], 2).await.unwrap();
    assert_eq!(newest[&c.id].len(), 2);
    assert_eq!(newest[&c.id][0].occurred_at, T0.plus_days(2));
    assert!(!newest.contains_key(&nobody));

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
/// page at a time and for many clients at once; every field reads back; erasure wipes the note
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
    let nobody = ClientId::from_random([9; 16]);
    let newest = tx.services_of(&[c.id, nobody], 2).await.unwrap();
    assert_eq!(
        newest[&c.id], first,
        "the same order for a page of many clients"
    );
    assert!(!newest.contains_key(&nobody));

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.services_page(c.id, 10, 0).await.unwrap();
    assert_eq!(erased.len(), 4, "the coded facts of the work stay");
    assert!(erased.iter().all(|row| row.note.is_none()));
    assert_eq!(erased[2].code, "D1");
    tx.commit().await.unwrap();
}
