//! The audit chain: append-only, chained, rolled back with its transaction.

use super::*;

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
