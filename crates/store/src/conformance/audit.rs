//! The audit chain: append-only, chained, rolled back with its transaction.

use super::*;
use crate::AuditFilter;

pub async fn audit_events_are_append_only(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    for sql in [
        "UPDATE audit_events SET purpose = 'edited' WHERE seq = 1",
        "DELETE FROM audit_events WHERE seq = 1",
    ] {
        let result = sqlx::query(sql).execute(store.pool()).await;
        assert!(result.is_err(), "{sql} was allowed");
    }
    let mut tx = store.read().await.unwrap();
    let events = tx.audit_events(0, 10).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].purpose, "test");
}

pub async fn audit_appends_chain_and_roll_back_together(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.append_audit(&event(AuditAction::ClientRead), &AUDIT_KEY)
            .await
            .unwrap(),
        3
    );
    tx.rollback().await.unwrap();
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.append_audit(&event(AuditAction::ClientRead), &AUDIT_KEY)
            .await
            .unwrap(),
        3
    );
    let events = tx.audit_events(0, 10).await.unwrap();
    let head = tx.audit_head().await.unwrap().unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        events.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_whole(&events, &head);
}

/// Every event follows the one before under the audit key, and the head is the last, tagged.
fn assert_whole(events: &[crate::rows::AuditRow], head: &crate::rows::AuditHead) {
    let mut previous = crypto::audit_mac::GENESIS.to_vec();
    for e in events {
        assert!(
            crypto::audit_mac::verify(&AUDIT_KEY, &previous, &e.canonical_bytes(), &e.mac),
            "event {} follows the one before",
            e.seq
        );
        previous = e.mac.clone();
    }
    let last = events.last().unwrap();
    assert_eq!((head.seq, &head.mac), (last.seq, &last.mac));
    assert!(
        crypto::audit_mac::verify_head(&AUDIT_KEY, head.seq, &head.mac, head.tag.as_ref().unwrap()),
        "the head is tagged under the audit key"
    );
}

/// A batch's plans and its audit events (`commit_plans_and_audit`, after `Store::write_for`):
/// written and committed together when every plan is; when one fails, it alone is undone and no
/// event is appended until the batch appends those it keeps. The chain stays whole either way.
pub async fn plans_and_their_audit_events_are_written_together_or_apart(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let given = |id| crate::Plan::service(&service(c.id, a.id, id, T0)).unwrap();
    let unknown = crate::Plan::service(&crate::rows::ServiceRow {
        code: "Z9".into(),
        ..service(c.id, a.id, [32; 16], T0)
    })
    .unwrap();
    let events = [event(AuditAction::ClientRead), event(AuditAction::NoteList)];

    let (tx, found, end) = store.write_for(&[(c.id, a.id)], T0).await.unwrap();
    assert!(found.contains_key(&(c.id, a.id)));
    let written = tx
        .commit_plans_and_audit(&[given([31; 16])], end.as_ref(), &events, &AUDIT_KEY)
        .await
        .unwrap();
    assert!(matches!(written, crate::Written::Committed), "{written:?}");

    let (tx, _, end) = store.write_for(&[], T0).await.unwrap();
    let written = tx
        .commit_plans_and_audit(
            &[given([33; 16]), unknown],
            end.as_ref(),
            &events,
            &AUDIT_KEY,
        )
        .await
        .unwrap();
    let crate::Written::Apart(mut tx, outcomes) = written else {
        panic!("a failed plan was written with the others");
    };
    assert_eq!(
        outcomes.iter().map(Result::is_ok).collect::<Vec<_>>(),
        [true, false]
    );
    assert_eq!(
        tx.audit_head().await.unwrap().unwrap().seq,
        4,
        "no event yet"
    );
    assert_eq!(
        tx.append_audit_events(&events[..1], &AUDIT_KEY)
            .await
            .unwrap(),
        5
    );
    tx.commit().await.unwrap();

    let mut reads = store.read().await.unwrap();
    let ids = service_ids(&mut reads, c.id).await;
    for (id, kept) in [([31; 16], true), ([33; 16], true), ([32; 16], false)] {
        let id = domain::ServiceId::from_random(id).to_string();
        assert_eq!(ids.contains(&id), kept, "{id} in {ids:?}");
    }
    let chain = reads.audit_events(0, 10).await.unwrap();
    assert_eq!(chain.len(), 5, "two seeded, two with the plans, one after");
    assert_whole(&chain, &reads.audit_head().await.unwrap().unwrap());
}

pub async fn audit_events_are_found_by_record_actor_action_period_and_page(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let mut tx = store.write().await.unwrap();
    // Six events a minute apart: two actors, two records, two actions.
    for (minute, actor, target, action) in [
        (0, Actor::System, "client:a", AuditAction::ClientRead),
        (1, Actor::Operator, "client:a", AuditAction::NoteList),
        (2, Actor::System, "client:b", AuditAction::ClientRead),
        (3, Actor::Operator, "client:a", AuditAction::ClientRead),
        (4, Actor::System, "client:a", AuditAction::ClientRead),
        (5, Actor::Operator, "client:b", AuditAction::NoteList),
    ] {
        let at = Timestamp::from_unix_millis(T0.unix_millis() + minute * 60_000);
        let event = NewAuditEvent {
            at,
            actor,
            action,
            target: Some(target.into()),
            purpose: "test".into(),
        };
        tx.append_audit(&event, &AUDIT_KEY).await.unwrap();
    }
    tx.commit().await.unwrap();
    let minute = |m: i64| Timestamp::from_unix_millis(T0.unix_millis() + m * 60_000);
    let seqs = |filter: AuditFilter, limit: i64| {
        let store = store.clone();
        async move {
            let mut reads = store.read().await.unwrap();
            let found = reads.audit_events_matching(&filter, limit).await.unwrap();
            found.iter().map(|e| e.seq).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        seqs(AuditFilter::default(), 10).await,
        vec![6, 5, 4, 3, 2, 1]
    );
    let about_a = AuditFilter {
        target: Some("client:a".into()),
        ..AuditFilter::default()
    };
    assert_eq!(seqs(about_a.clone(), 10).await, vec![5, 4, 2, 1]);
    let reads_of_a_by_system = AuditFilter {
        actor: Some(Actor::System.encode()),
        action: Some(AuditAction::ClientRead.as_str().into()),
        ..about_a.clone()
    };
    assert_eq!(seqs(reads_of_a_by_system, 10).await, vec![5, 1]);
    let in_minutes_1_to_3 = AuditFilter {
        from: Some(minute(1)),
        until: Some(minute(4)),
        ..about_a.clone()
    };
    assert_eq!(seqs(in_minutes_1_to_3, 10).await, vec![4, 2]);
    // A page of two, then the next from where it stopped.
    assert_eq!(seqs(about_a.clone(), 2).await, vec![5, 4]);
    let older = AuditFilter {
        before_seq: Some(4),
        ..about_a
    };
    assert_eq!(seqs(older, 2).await, vec![2, 1]);
}
