//! Case work: the programs a case is chosen from, and a client's notes, contacts, services and
//! needs assessments, a page at a time; the partner directory, releases and referrals.

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

/// Plans written together (a group commit's) are all written; should one fail, it alone is left
/// undone, the others written, and each says which it was.
pub async fn plans_written_together_fail_alone(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let before = service_ids(&mut store.read().await.unwrap(), c.id)
        .await
        .len();
    let mut tx = store.write().await.unwrap();
    let given = |id| service(c.id, a.id, id, T0);
    // A type without a bit is refused by the reports' sums, after the service's own row.
    let unknown = crate::rows::ServiceRow {
        code: "Z9".into(),
        ..given([12; 16])
    };
    let plans = |rows: &[crate::rows::ServiceRow]| -> Vec<crate::Plan> {
        rows.iter()
            .map(|row| crate::Plan::service(row).unwrap())
            .collect()
    };
    let written = tx
        .run_plans(&plans(&[given([11; 16]), unknown, given([13; 16])]))
        .await
        .unwrap();
    let done: Vec<bool> = written.iter().map(Result::is_ok).collect();
    assert_eq!(done, [true, false, true]);
    let written = tx
        .run_plans(&plans(&[given([14; 16]), given([15; 16])]))
        .await
        .unwrap();
    assert!(written.iter().all(Result::is_ok));
    tx.commit().await.unwrap();

    let mut reads = store.read().await.unwrap();
    let ids = service_ids(&mut reads, c.id).await;
    assert_eq!(ids.len(), before + 4, "{ids:?}");
    let unknown = domain::ServiceId::from_random([12; 16]).to_string();
    assert!(!ids.contains(&unknown), "the failed plan left nothing");
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
