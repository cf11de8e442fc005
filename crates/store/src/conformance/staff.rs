//! Staff accounts, tokens, credentials and sessions.

use domain::Role;
use rand::SeedableRng;

use crate::StoreError;

use super::*;

pub async fn tokens_live_only_until_revoked_or_expired(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, _) = seed(&store).await;
    let (token, owner) = store.live_token(&[9; 32], T0).await.unwrap().expect("live");
    assert_eq!(owner, a);
    assert!(store.live_token(&[8; 32], T0).await.unwrap().is_none());
    assert!(
        store
            .live_token(&[9; 32], T0.plus_days(31))
            .await
            .unwrap()
            .is_none()
    );
    let mut tx = store.write().await.unwrap();
    assert!(tx.revoke_token(token.id, T0).await.unwrap());
    assert!(!tx.revoke_token(token.id, T0).await.unwrap());
    assert_eq!(tx.tokens().await.unwrap()[0].revoked_at, Some(T0));
    tx.commit().await.unwrap();
    assert!(store.live_token(&[9; 32], T0).await.unwrap().is_none());
}

/// Failed sign-ins are counted per subject, cleared per subject, and forgotten after a while.
pub async fn signin_failures_are_counted_and_forgotten(h: &impl Harness) {
    use crate::rows::ThrottleRow;
    let (store, _) = h.fresh().await;
    let later = T0.plus_days(1);
    let mut tx = store.write().await.unwrap();
    assert_eq!(tx.signin_failures("a").await.unwrap(), None);
    for _ in 0..3 {
        tx.record_signin_failure("a", T0, T0).await.unwrap();
    }
    tx.record_signin_failure("b", later, T0).await.unwrap();
    assert_eq!(
        tx.signin_failures("a").await.unwrap(),
        Some(ThrottleRow {
            failures: 3,
            last_failure_at: T0
        })
    );
    // A failure for "c" a day later forgets "a", whose last failure is older than that.
    tx.record_signin_failure("c", later, later).await.unwrap();
    assert_eq!(tx.signin_failures("a").await.unwrap(), None);
    tx.clear_signin_failures("b").await.unwrap();
    assert_eq!(tx.signin_failures("b").await.unwrap(), None);
    assert_eq!(
        tx.signin_failures("c").await.unwrap().map(|r| r.failures),
        Some(1)
    );
    tx.commit().await.unwrap();
}

pub async fn credentials_and_sessions_round_trip(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, _) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    assert_eq!(
        tx.credentials(a.id).await.unwrap(),
        crate::rows::CredentialsRow::default()
    );
    let mut creds = crate::rows::CredentialsRow {
        password_hash: Some("$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA".into()),
        totp_secret: Some(vec![1; 60]),
        ..Default::default()
    };
    tx.put_credentials(a.id, &creds, T0).await.unwrap();
    creds.totp_confirmed_at = Some(T0);
    creds.totp_last_step = Some(42);
    tx.put_credentials(a.id, &creds, T0).await.unwrap();
    assert_eq!(tx.credentials(a.id).await.unwrap(), creds);
    let session = crate::rows::SessionRow {
        user_id: a.id,
        created_at: T0,
        last_seen_at: T0,
        authenticated_at: T0,
        ended_at: None,
        passkey_at: None,
    };
    tx.insert_session(&[1; 32], &session).await.unwrap();
    tx.insert_session(&[2; 32], &session).await.unwrap();
    tx.insert_session(
        &[3; 32],
        &crate::rows::SessionRow {
            user_id: b.id,
            ..session.clone()
        },
    )
    .await
    .unwrap();
    tx.touch_session(&[1; 32], T0.plus_days(1)).await.unwrap();
    assert_eq!(
        tx.session(&[1; 32]).await.unwrap().unwrap().last_seen_at,
        T0.plus_days(1)
    );
    assert!(tx.end_session(&[1; 32], T0).await.unwrap());
    assert!(!tx.end_session(&[1; 32], T0).await.unwrap());
    assert_eq!(
        tx.end_sessions_of(a.id, T0).await.unwrap(),
        1,
        "the other open one"
    );
    assert!(
        tx.session(&[3; 32])
            .await
            .unwrap()
            .unwrap()
            .ended_at
            .is_none(),
        "not someone else's"
    );
    assert!(tx.session(&[9; 32]).await.unwrap().is_none());

    // A passkey step: its challenge is answered once; the session then records the passkey.
    tx.set_session_challenge(&[3; 32], &[5; 32], T0)
        .await
        .unwrap();
    assert_eq!(
        tx.take_session_challenge(&[3; 32]).await.unwrap(),
        Some((vec![5; 32], T0))
    );
    assert_eq!(tx.take_session_challenge(&[3; 32]).await.unwrap(), None);
    tx.set_session_passkey(&[3; 32], T0.plus_days(1))
        .await
        .unwrap();
    assert_eq!(
        tx.session(&[3; 32]).await.unwrap().unwrap().passkey_at,
        Some(T0.plus_days(1))
    );
    let passkey = crate::rows::PasskeyRow {
        credential_id: vec![1, 2, 3],
        user_id: b.id,
        public_key: vec![4; 65],
        sign_count: 0,
        created_at: T0,
        last_used_at: None,
    };
    assert!(tx.insert_passkey(&passkey).await.unwrap());
    assert!(
        !tx.insert_passkey(&passkey).await.unwrap(),
        "registered once"
    );
    tx.passkey_used(&[1, 2, 3], 9, T0.plus_days(2))
        .await
        .unwrap();
    let stored = tx.passkeys_of(b.id).await.unwrap();
    assert_eq!(
        (stored.len(), stored[0].sign_count, stored[0].last_used_at),
        (1, 9, Some(T0.plus_days(2)))
    );
    assert!(tx.passkeys_of(a.id).await.unwrap().is_empty());
    assert_eq!(tx.delete_passkeys_of(b.id).await.unwrap(), 1);
    assert!(tx.passkeys_of(b.id).await.unwrap().is_empty());
    tx.commit().await.unwrap();
}

pub async fn usernames_are_unique(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let again = user(
        &mut rand::rngs::StdRng::seed_from_u64(99),
        "ana",
        Role::Outreach,
    );
    assert!(matches!(
        tx.insert_user(&again).await,
        Err(StoreError::Database(_))
    ));
}
