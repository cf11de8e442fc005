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
    assert_eq!((head.seq, &head.mac), (3, &events[2].mac));
    assert!(
        crypto::audit_mac::verify_head(&AUDIT_KEY, 3, &head.mac, &head.tag.unwrap()),
        "the head is tagged under the audit key"
    );
    let mut previous = crypto::audit_mac::GENESIS.to_vec();
    for e in &events {
        assert!(crypto::audit_mac::verify(
            &AUDIT_KEY,
            &previous,
            &e.canonical_bytes(),
            &e.mac
        ));
        previous = e.mac.clone();
    }
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
