//! Case work: the programs a case is chosen from, and a client's notes, a page at a time.

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
