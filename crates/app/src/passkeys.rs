//! Passkeys for administrators (P10). An administrator signs in with password and code like
//! everyone, and then proves a passkey too: the first time by registering one, after that by
//! using one. Until then their session opens nothing but the passkey step. A passkey is bound to
//! this site by the browser, so a look-alike site cannot use it.

use crypto::webauthn::{self, Assertion, RelyingParty, WebAuthnError};
use domain::audit::{Actor, AuditAction};
use domain::{Role, Timestamp};
use store::rows::PasskeyRow;

use crate::{App, Caller, Result};

/// How long a passkey challenge may be answered.
const CHALLENGE_MINUTES: i64 = 5;

/// Whether a role proves a passkey on every session.
pub fn needs_passkey(role: Role) -> bool {
    role == Role::Administrator
}

/// A passkey step, as the page starts it: a one-time challenge, and the caller's passkeys (none:
/// they register their first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyStep {
    pub challenge: Vec<u8>,
    pub credentials: Vec<Vec<u8>>,
}

impl App {
    /// Starts a passkey step on the session behind `token`.
    pub async fn begin_passkey(&self, token: &str, caller: &Caller) -> Result<PasskeyStep> {
        let challenge: [u8; 32] = self.entropy().bytes();
        let mut tx = self.store().write().await?;
        tx.set_session_challenge(&crypto::token::hash(token), &challenge, self.now())
            .await?;
        let credentials = tx
            .passkeys_of(caller.id)
            .await?
            .into_iter()
            .map(|p| p.credential_id)
            .collect();
        tx.commit().await?;
        Ok(PasskeyStep {
            challenge: challenge.to_vec(),
            credentials,
        })
    }

    /// Registers a passkey answering the session's challenge; the session has then proved it.
    pub async fn register_passkey(
        &self,
        token: &str,
        caller: &Caller,
        rp: RelyingParty<'_>,
        client_data_json: &[u8],
        attestation_object: &[u8],
    ) -> Result<std::result::Result<(), WebAuthnError>> {
        let hash = crypto::token::hash(token);
        let now = self.now();
        let mut tx = self.store().write().await?;
        let checked = match self.take_challenge(&mut tx, &hash, now).await? {
            Some(challenge) => {
                webauthn::register(rp, &challenge, client_data_json, attestation_object)
            }
            None => Err(WebAuthnError::Challenge),
        };
        let passkey = match checked {
            Ok(passkey) => passkey,
            Err(refused) => return self.refuse_passkey(tx, caller, refused).await,
        };
        let fresh = tx
            .insert_passkey(&PasskeyRow {
                credential_id: passkey.credential_id,
                user_id: caller.id,
                public_key: passkey.public_key,
                sign_count: passkey.sign_count,
                created_at: now,
                last_used_at: Some(now),
            })
            .await?;
        if !fresh {
            return self
                .refuse_passkey(tx, caller, WebAuthnError::Malformed)
                .await;
        }
        self.passkey_proven(tx, &hash, caller, AuditAction::PasskeyRegister)
            .await
    }

    /// Checks a passkey sign-in answering the session's challenge.
    pub async fn prove_passkey(
        &self,
        token: &str,
        caller: &Caller,
        rp: RelyingParty<'_>,
        assertion: &Assertion<'_>,
    ) -> Result<std::result::Result<(), WebAuthnError>> {
        let hash = crypto::token::hash(token);
        let now = self.now();
        let mut tx = self.store().write().await?;
        let challenge = self.take_challenge(&mut tx, &hash, now).await?;
        let stored = tx
            .passkeys_of(caller.id)
            .await?
            .into_iter()
            .find(|p| p.credential_id == assertion.credential_id);
        let checked = match (challenge, &stored) {
            (Some(challenge), Some(passkey)) => webauthn::authenticate(
                rp,
                &challenge,
                &passkey.public_key,
                passkey.sign_count,
                assertion.client_data_json,
                assertion.authenticator_data,
                assertion.signature,
            ),
            (None, _) => Err(WebAuthnError::Challenge),
            // Not one of the caller's passkeys.
            (Some(_), None) => Err(WebAuthnError::Signature),
        };
        let count = match checked {
            Ok(count) => count,
            Err(refused) => return self.refuse_passkey(tx, caller, refused).await,
        };
        tx.passkey_used(assertion.credential_id, count, now).await?;
        self.passkey_proven(tx, &hash, caller, AuditAction::PasskeySignIn)
            .await
    }

    /// The session's challenge, if it was issued less than five minutes ago; used up either way.
    async fn take_challenge(
        &self,
        tx: &mut store::Tx,
        hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<Vec<u8>>> {
        let issued = tx.take_session_challenge(hash).await?;
        Ok(issued
            .filter(|(_, at)| now.unix_millis() - at.unix_millis() < CHALLENGE_MINUTES * 60_000)
            .map(|(challenge, _)| challenge))
    }

    async fn passkey_proven(
        &self,
        mut tx: store::Tx,
        hash: &[u8; 32],
        caller: &Caller,
        action: AuditAction,
    ) -> Result<std::result::Result<(), WebAuthnError>> {
        tx.set_session_passkey(hash, self.now()).await?;
        self.audit(&mut tx, Actor::User(caller.id), action, None, "sign-in")
            .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Audits a refused passkey step (its challenge is used up) and says why.
    async fn refuse_passkey(
        &self,
        mut tx: store::Tx,
        caller: &Caller,
        refused: WebAuthnError,
    ) -> Result<std::result::Result<(), WebAuthnError>> {
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::PasskeyRefused,
            None,
            "sign-in",
        )
        .await?;
        tx.commit().await?;
        Ok(Err(refused))
    }
}
