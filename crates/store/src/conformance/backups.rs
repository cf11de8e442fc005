//! The key store, and backups of the records.

use domain::ClientId;

use crate::{StoreError, WrappedKey};

use super::*;

pub async fn key_store_puts_replaces_and_destroys(h: &impl Harness) {
    let (_, keys) = h.fresh().await;
    let id = ClientId::from_random([1; 16]);
    let v1 = WrappedKey {
        dek_version: 1,
        kek_version: 1,
        wrapped: vec![1; 72],
    };
    keys.put(id, &v1, T0).await.unwrap();
    assert!(keys.put(id, &v1, T0).await.is_err(), "a client has one key");
    assert_eq!(keys.get(id).await.unwrap(), Some(v1.clone()));
    assert_eq!(keys.not_under(2, 10).await.unwrap(), vec![(id, v1.clone())]);
    let v2 = WrappedKey {
        kek_version: 2,
        wrapped: vec![2; 72],
        ..v1.clone()
    };
    assert!(keys.replace(id, &v1, &v2).await.unwrap());
    assert!(
        !keys.replace(id, &v1, &v2).await.unwrap(),
        "a stale rotation loses"
    );
    assert!(keys.not_under(2, 10).await.unwrap().is_empty());
    assert_eq!(keys.count_by_kek().await.unwrap(), vec![(2, 1)]);
    let other = ClientId::from_random([2; 16]);
    keys.put(other, &v1, T0).await.unwrap();
    let missing = ClientId::from_random([3; 16]);
    let many = keys.get_many(&[id, other, missing]).await.unwrap();
    assert_eq!(many.len(), 2, "a client without a key is absent");
    assert_eq!(
        (many[&id].clone(), many[&other].clone()),
        (v2.clone(), v1.clone())
    );
    assert!(keys.get_many(&[]).await.unwrap().is_empty());
    assert!(keys.destroy(id).await.unwrap());
    assert!(keys.get(id).await.unwrap().is_none());
    assert!(!keys.destroy(id).await.unwrap());
}

pub async fn key_store_exports_and_imports_all_or_nothing(h: &impl Harness) {
    let (_, keys) = h.fresh().await;
    for n in 1..=3u8 {
        let key = WrappedKey {
            dek_version: 1,
            kek_version: 1,
            wrapped: vec![n; 72],
        };
        keys.put(ClientId::from_random([n; 16]), &key, T0)
            .await
            .unwrap();
    }
    let mut export = Vec::new();
    assert_eq!(keys.export(&mut export).await.unwrap(), 3);
    let (_, target) = h.fresh().await;
    let cut = &export[..export.len() - 12];
    assert!(
        target.import(cut, |_| true).await.is_err(),
        "a cut export is refused"
    );
    assert!(
        target.count_by_kek().await.unwrap().is_empty(),
        "and leaves nothing behind"
    );
    let missing = target
        .import(export.as_slice(), |version| version != 1)
        .await;
    assert!(
        matches!(missing, Err(StoreError::MissingKek(1))),
        "keys no KEK unwraps are refused: {missing:?}"
    );
    assert!(target.count_by_kek().await.unwrap().is_empty());
    assert_eq!(target.import(export.as_slice(), |_| true).await.unwrap(), 3);
    let id = ClientId::from_random([2; 16]);
    assert_eq!(target.get(id).await.unwrap(), keys.get(id).await.unwrap());
    assert!(
        target.import(export.as_slice(), |_| true).await.is_err(),
        "only into an empty key store"
    );
}

pub async fn backups_restore_into_a_fresh_instance_with_the_same_digest(h: &impl Harness) {
    let (source, _) = h.fresh().await;
    seed(&source).await;
    let mut bytes = Vec::new();
    let written = crate::backup::write(&source, &mut bytes, T0.unix_millis(), |_| ())
        .await
        .unwrap();
    assert_eq!(
        written.rows, 34,
        "the seed's rows (and its client's profile of report dimensions), its contact, its service (and what its fiscal quarter and year sum of \
         it), its needs assessment with two answers, an \
         edit of its client, a partner, a release, a referral with two steps, a plan with a goal, \
         two steps and a review, a closure with a follow-up and an outcome assessment with two \
         scores among them"
    );
    assert_eq!(crate::backup::digest(&source).await.unwrap(), written);
    let (target, _) = h.fresh().await;
    let restored = crate::backup::restore(&target, bytes.as_slice(), &AUDIT_KEY, |_| ())
        .await
        .unwrap();
    assert_eq!(restored, written);
    let mut tx = target.read().await.unwrap();
    let head = tx.audit_head().await.unwrap().unwrap();
    assert_eq!(head.seq, 2);
    assert!(
        crypto::audit_mac::verify_head(&AUDIT_KEY, 2, &head.mac, &head.tag.unwrap()),
        "the restored head is tagged again"
    );
    // A second restore into the same, no longer empty, instance is refused and changes nothing.
    drop(tx);
    assert!(matches!(
        crate::backup::restore(&target, bytes.as_slice(), &AUDIT_KEY, |_| ()).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(crate::backup::digest(&target).await.unwrap(), written);
}

pub async fn damaged_backups_are_refused_without_a_trace(h: &impl Harness) {
    let (source, _) = h.fresh().await;
    seed(&source).await;
    let mut bytes = Vec::new();
    crate::backup::write(&source, &mut bytes, T0.unix_millis(), |_| ())
        .await
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let without_trailer: String = text
        .lines()
        .take(text.lines().count() - 1)
        .map(|l| format!("{l}\n"))
        .collect();
    let (target, _) = h.fresh().await;
    assert!(
        crate::backup::restore(&target, without_trailer.as_bytes(), &AUDIT_KEY, |_| ())
            .await
            .is_err()
    );
    assert_eq!(
        crate::backup::digest(&target).await.unwrap().rows,
        0,
        "nothing was half-restored"
    );
}
