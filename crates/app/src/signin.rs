//! Staff sign-in: a password and a TOTP code, every time (P10-P13). Sessions live in the database
//! (any server can check them); the browser holds only a random token, of which we keep a hash.
//! Every refusal looks the same to the person signing in, whatever the reason, with one exception
//! for someone whose password was right: a code already used is named as such.
//!
//! Failures slow guessing down (P12), counted per username as typed when the browser is not one
//! that signed in to the account before, whether or not the account exists, and per browser when
//! it is (OWASP's device cookies, `crypto::device`): an attacker elsewhere is throttled while the
//! account's owner, at their usual browser, gets straight through.

use crypto::FieldAad;
use crypto::password::{self, Cost};
use crypto::totp::TotpSecret;
use domain::audit::{Actor, AuditAction};
use domain::policy::Action;
use domain::signin::{
    NewPassword, SessionState, failures_forgotten_before, held_back_until, session_state,
};
use domain::time::ProgramZone;
use domain::{Timestamp, UserId};
use store::rows::{CredentialsRow, OpenedSession, SessionRow, UserRow};

use crate::{App, AppError, Caller, Result};

/// Why a sign-in did not succeed. `Refused` covers every wrong or unknown input alike.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInError {
    #[error("The username, password or code is not right.")]
    Refused,
    #[error("Too many attempts. You can try again after {0}.")]
    SlowDown(String),
    /// Only for someone whose password was right: the code was right too, but already used.
    #[error(
        "That code was already used. Wait for your authenticator app to show a new code, then try again."
    )]
    CodeUsed,
}

/// What a person offers to prove who they are: their password, the code their authenticator
/// shows, and the device cookie of their browser, if it has one.
#[derive(Clone, Copy)]
pub struct Proof<'a> {
    pub password: &'a str,
    pub code: &'a str,
    pub device: Option<&'a str>,
}

impl std::fmt::Debug for Proof<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Proof(<redacted>)")
    }
}

/// A live session: whose it is, when they last proved who they are, and when it last proved a
/// passkey (administrators need one).
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub caller: Caller,
    pub authenticated_at: Timestamp,
    pub passkey_at: Option<Timestamp>,
    /// The member of staff's own time zone, if they chose one (else the program's is theirs).
    pub time_zone: Option<ProgramZone>,
    /// How many contact requests wait for someone to claim them, for the menu of those who may
    /// see the queue; `None` for everyone else. A number says nothing about anyone, so unlike the
    /// queue it is not audited (it is read with every signed-in page's session).
    pub unclaimed_requests: Option<i64>,
}

impl App {
    /// An open session as the pages see it.
    fn live_session(&self, opened: OpenedSession) -> LiveSession {
        let OpenedSession {
            session,
            user,
            time_zone,
            unclaimed_requests,
        } = opened;
        let caller = Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        };
        let sees_requests = self
            .grant_role(&caller, Action::ListContactRequests)
            .is_ok();
        LiveSession {
            caller,
            authenticated_at: session.authenticated_at,
            passkey_at: session.passkey_at,
            // A zone the time-zone database no longer knows falls back to the program's.
            time_zone: time_zone.and_then(|name| ProgramZone::parse(&name).ok()),
            unclaimed_requests: sees_requests.then_some(unclaimed_requests),
        }
    }
}

/// A new session: the secret for the cookie (shown once), its owner, and a fresh device cookie
/// for the browser that signed in.
#[derive(Debug)]
pub struct NewSession {
    pub token: String,
    pub caller: Caller,
    pub device: String,
}

/// A live session, as its owner sees it in their list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionView {
    pub started_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The session this list was asked from.
    pub this_one: bool,
}

/// Session tokens are only touched this often, to spare a write on every request.
const TOUCH_EVERY_MS: i64 = 60_000;

fn totp_place(user: UserId) -> String {
    user.to_string()
}

impl App {
    fn seal_totp(&self, user: UserId, secret: &TotpSecret) -> Vec<u8> {
        let row = totp_place(user);
        let place = FieldAad {
            table: "credentials",
            column: "totp_secret",
            row_id: &row,
        };
        crypto::seal_field(
            &self.keyring().staff_key(),
            place,
            secret.as_bytes(),
            &mut self.entropy().rng(),
        )
    }

    fn open_totp(&self, user: UserId, sealed: &[u8]) -> Result<TotpSecret> {
        let row = totp_place(user);
        let place = FieldAad {
            table: "credentials",
            column: "totp_secret",
            row_id: &row,
        };
        let bytes = crypto::open_field(&self.keyring().staff_key(), place, sealed)?;
        let bytes: [u8; 20] = bytes
            .try_into()
            .map_err(|_| AppError::Crypto(crypto::CryptoError::Malformed))?;
        Ok(TotpSecret::from_bytes(bytes))
    }

    /// Hashes off the async executor: Argon2id is deliberately slow.
    async fn hash_password(&self, password: &NewPassword) -> Result<String> {
        let password = password.expose().to_owned();
        let cost = self.password_cost();
        let mut salt_source = [0u8; 32];
        rand::RngCore::fill_bytes(&mut self.entropy().rng(), &mut salt_source);
        tokio::task::spawn_blocking(move || {
            let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::from_seed(salt_source);
            password::hash(&password, cost, &mut rng)
        })
        .await
        .ok()
        .flatten()
        .ok_or(AppError::Conflict(
            "the password could not be stored; nothing was changed",
        ))
    }

    /// Sets a staff member's password; every session they have ends (P13).
    pub async fn set_password(&self, user: UserId, new: &NewPassword) -> Result<()> {
        let phc = self.hash_password(new).await?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let account = tx.user(user).await?.ok_or(AppError::NotFound)?;
        let mut credentials = tx.credentials(user).await?;
        credentials.password_hash = Some(phc);
        tx.put_credentials(user, &credentials, now).await?;
        tx.clear_signin_failures(&self.indexer().username(&account.username))
            .await?;
        tx.end_sessions_of(user, now).await?;
        self.audit(
            &mut tx,
            Actor::User(user),
            AuditAction::PasswordSet,
            Some(format!("user:{user}")),
            "sign-in",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Starts enrolling an authenticator: a new secret, stored sealed but not yet trusted.
    pub async fn begin_totp(&self, user: UserId) -> Result<TotpSecret> {
        let secret = TotpSecret::generate(&mut self.entropy().rng());
        let mut tx = self.store().write().await?;
        tx.user(user).await?.ok_or(AppError::NotFound)?;
        let mut credentials = tx.credentials(user).await?;
        credentials.totp_secret = Some(self.seal_totp(user, &secret));
        credentials.totp_confirmed_at = None;
        credentials.totp_last_step = None;
        tx.put_credentials(user, &credentials, self.now()).await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Finishes enrolment: only a correct code from the new authenticator confirms it (P10).
    pub async fn confirm_totp(&self, user: UserId, code: &str) -> Result<bool> {
        let mut tx = self.store().write().await?;
        let confirmed = self.confirm_totp_in(&mut tx, user, code).await?;
        tx.commit().await?;
        Ok(confirmed)
    }

    /// `confirm_totp` inside the caller's transaction (which the caller commits).
    pub(crate) async fn confirm_totp_in(
        &self,
        tx: &mut store::Tx,
        user: UserId,
        code: &str,
    ) -> Result<bool> {
        let now = self.now();
        let mut credentials = tx.credentials(user).await?;
        let Some(sealed) = credentials.totp_secret.as_deref() else {
            return Ok(false);
        };
        let secret = self.open_totp(user, sealed)?;
        let Some(step) = secret.verify(
            code,
            now.unix_millis().div_euclid(1000),
            credentials.totp_last_step,
        ) else {
            return Ok(false);
        };
        credentials.totp_confirmed_at = Some(now);
        credentials.totp_last_step = Some(step);
        tx.put_credentials(user, &credentials, now).await?;
        self.audit(
            tx,
            Actor::User(user),
            AuditAction::TotpEnrolled,
            Some(format!("user:{user}")),
            "sign-in",
        )
        .await?;
        Ok(true)
    }

    /// The authenticator secret being enrolled (not yet confirmed), to show again.
    pub(crate) async fn pending_totp(&self, user: UserId) -> Result<Option<TotpSecret>> {
        let mut tx = self.store().read().await?;
        let credentials = tx.credentials(user).await?;
        tx.commit().await?;
        match (&credentials.totp_secret, credentials.totp_confirmed_at) {
            (Some(sealed), None) => Ok(Some(self.open_totp(user, sealed)?)),
            _ => Ok(None),
        }
    }

    /// Signs a member of staff in with password and code, or says no (always the same no).
    pub async fn sign_in(
        &self,
        username: &str,
        proof: Proof<'_>,
    ) -> Result<std::result::Result<NewSession, SignInError>> {
        let user = {
            let mut tx = self.store().read().await?;
            let user = tx
                .user_by_username(username)
                .await?
                .filter(|u| u.disabled_at.is_none());
            tx.commit().await?;
            user
        };
        let (mut tx, user) = match self.check_credentials(username, user, proof).await? {
            Ok(checked) => checked,
            Err(refused) => return Ok(Err(refused)),
        };
        let session = self.start_session(&mut tx, &user).await?;
        tx.commit().await?;
        Ok(Ok(session))
    }

    /// Proves again who is behind a session, with password and a fresh code, for the actions that
    /// need it (P10): the session counts as freshly signed in from now.
    pub async fn reauthenticate(
        &self,
        token: &str,
        caller: &Caller,
        proof: Proof<'_>,
    ) -> Result<std::result::Result<(), SignInError>> {
        let (mut tx, _) = match self.proven(caller, proof).await? {
            Ok(checked) => checked,
            Err(refused) => return Ok(Err(refused)),
        };
        self.mark_reauthenticated(&mut tx, token, caller).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The caller's password and code checked (see `check_credentials`).
    pub(crate) async fn proven(
        &self,
        caller: &Caller,
        proof: Proof<'_>,
    ) -> Result<std::result::Result<(store::Tx, UserRow), SignInError>> {
        let user = {
            let mut tx = self.store().read().await?;
            let user = tx
                .user(caller.id)
                .await?
                .filter(|u| u.disabled_at.is_none());
            tx.commit().await?;
            user
        };
        self.check_credentials(&caller.username, user, proof).await
    }

    /// Records, in `tx`, that the session behind `token` was just proven again, and audits it.
    pub(crate) async fn mark_reauthenticated(
        &self,
        tx: &mut store::Tx,
        token: &str,
        caller: &Caller,
    ) -> Result<()> {
        tx.reauthenticate_session(&crypto::token::hash(token), self.now())
            .await?;
        self.audit(
            tx,
            Actor::User(caller.id),
            AuditAction::Reauthenticate,
            None,
            "sign-in",
        )
        .await
    }

    /// Who an attempt's failures count against: the browser, when its device cookie is one we
    /// issued for this very account; otherwise the username as typed, known or not.
    fn throttle_subject(
        &self,
        typed: &str,
        user: Option<&UserRow>,
        device: Option<&str>,
    ) -> String {
        let claim =
            device.and_then(|token| crypto::device::read(&self.keyring().device_key(), token));
        match (user, claim) {
            (Some(user), Some(claim)) if claim.account == user.id.to_string() => {
                self.indexer().device(&claim.nonce)
            }
            _ => self.indexer().username(typed),
        }
    }

    /// Checks a password and a fresh authenticator code for `user` (`None`: no such account,
    /// which takes as long and is counted alike), slowing down after repeated failures and never
    /// locking anyone out for good (P12). A failure is recorded and audited. On success the
    /// code's step is used up and the open write transaction is handed back, to act in before it
    /// commits.
    async fn check_credentials(
        &self,
        typed: &str,
        user: Option<UserRow>,
        proof: Proof<'_>,
    ) -> Result<std::result::Result<(store::Tx, UserRow), SignInError>> {
        let now = self.now();
        let subject = self.throttle_subject(typed, user.as_ref(), proof.device);
        let (credentials, failures) = {
            let mut tx = self.store().read().await?;
            let credentials = match &user {
                Some(user) => tx.credentials(user.id).await?,
                None => CredentialsRow::default(),
            };
            let failures = tx.signin_failures(&subject).await?;
            tx.commit().await?;
            (credentials, failures)
        };
        if let Some(until) = failures.and_then(|f| {
            let count = u32::try_from(f.failures).unwrap_or(u32::MAX);
            held_back_until(count, f.last_failure_at, now)
        }) {
            return Ok(Err(SignInError::SlowDown(until.rfc3339())));
        }
        let cost = self.password_cost();
        let stored = credentials.password_hash.clone();
        let attempt = proof.password.to_owned();
        let password_ok = tokio::task::spawn_blocking(move || match stored {
            Some(phc) => password::verify(&attempt, &phc),
            None => password::verify_nobody(&attempt, cost),
        })
        .await
        .unwrap_or(false);
        let secret = match (
            &user,
            &credentials.totp_secret,
            credentials.totp_confirmed_at,
        ) {
            (Some(user), Some(sealed), Some(_)) if password_ok => {
                Some(self.open_totp(user.id, sealed)?)
            }
            _ => None,
        };
        let unix_seconds = now.unix_millis().div_euclid(1000);
        let mut tx = self.store().write().await?;
        // Read again under the write lock: two sign-ins racing with one code get one session.
        let mut credentials = match &user {
            Some(user) => tx.credentials(user.id).await?,
            None => CredentialsRow::default(),
        };
        let step = secret
            .as_ref()
            .and_then(|s| s.verify(proof.code, unix_seconds, credentials.totp_last_step));
        if let (Some(user), Some(step)) = (user.clone(), step) {
            credentials.totp_last_step = Some(step);
            tx.put_credentials(user.id, &credentials, now).await?;
            tx.clear_signin_failures(&subject).await?;
            return Ok(Ok((tx, user)));
        }
        // A right code from a step already used is no guess: it is not counted, only named.
        let used = secret
            .as_ref()
            .is_some_and(|s| s.was_used(proof.code, unix_seconds, credentials.totp_last_step));
        if !used {
            tx.record_signin_failure(&subject, now, failures_forgotten_before(now))
                .await?;
        }
        let actor = user.map_or(Actor::Public, |user| Actor::User(user.id));
        self.audit(&mut tx, actor, AuditAction::SignInRefused, None, "sign-in")
            .await?;
        tx.commit().await?;
        Ok(Err(if used {
            SignInError::CodeUsed
        } else {
            SignInError::Refused
        }))
    }

    /// Opens a session for `user` in `tx` and audits it; the caller commits.
    pub(crate) async fn start_session(
        &self,
        tx: &mut store::Tx,
        user: &UserRow,
    ) -> Result<NewSession> {
        let now = self.now();
        let (token, hash) = crypto::token::generate(&mut self.entropy().rng());
        let session = SessionRow {
            user_id: user.id,
            created_at: now,
            last_seen_at: now,
            authenticated_at: now,
            ended_at: None,
            passkey_at: None,
        };
        tx.insert_session(&hash, &session).await?;
        self.audit(
            tx,
            Actor::User(user.id),
            AuditAction::SignIn,
            None,
            "sign-in",
        )
        .await?;
        let device = crypto::device::issue(
            &self.keyring().device_key(),
            &user.id.to_string(),
            &mut self.entropy().rng(),
        );
        Ok(NewSession {
            token,
            device,
            caller: Caller {
                id: user.id,
                username: user.username.clone(),
                role: user.role,
            },
        })
    }

    /// The member of staff a session token belongs to, if the session is still live: not ended,
    /// not idle for 15 minutes, not older than 12 hours (P13). A dead session is ended for good.
    pub async fn session(&self, token: &str) -> Result<Option<LiveSession>> {
        if !crypto::token::looks_like_token(token) {
            return Ok(None);
        }
        let hash = crypto::token::hash(token);
        let now = self.now();
        // Most requests only read, in one statement; the writer's turn is taken when there is
        // something to write.
        let Some(opened) = self.store().open_session(&hash, now).await? else {
            return Ok(None);
        };
        let session = &opened.session;
        let enabled = opened.user.disabled_at.is_none();
        let live =
            session_state(session.created_at, session.last_seen_at, now) == SessionState::Active;
        let stale = now.unix_millis() - session.last_seen_at.unix_millis() >= TOUCH_EVERY_MS;
        if live && !stale {
            return Ok(enabled.then(|| self.live_session(opened)));
        }
        let mut tx = self.store().write().await?;
        if !live {
            tx.end_session(&hash, now).await?;
            self.audit(
                &mut tx,
                Actor::User(session.user_id),
                AuditAction::SignOut,
                None,
                "expired",
            )
            .await?;
            tx.commit().await?;
            return Ok(None);
        }
        tx.touch_session(&hash, now).await?;
        tx.commit().await?;
        Ok(enabled.then(|| self.live_session(opened)))
    }

    /// Sets the caller's own time zone for the times the staff pages show them, or with `None`
    /// goes back to the program's. Audited.
    pub async fn set_time_zone(&self, caller: &Caller, zone: Option<&ProgramZone>) -> Result<()> {
        let mut tx = self.store().write().await?;
        tx.set_time_zone(caller.id, zone.map(ProgramZone::name))
            .await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::TimeZoneSet,
            None,
            "administration",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live sessions of the member of staff who holds `token`, newest first.
    pub async fn my_sessions(&self, token: &str, user: UserId) -> Result<Vec<SessionView>> {
        let mine = crypto::token::hash(token);
        let now = self.now();
        let mut tx = self.store().read().await?;
        let rows = tx.open_sessions_of(user).await?;
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .filter(|(_, s)| {
                session_state(s.created_at, s.last_seen_at, now) == SessionState::Active
            })
            .map(|(hash, s)| SessionView {
                started_at: s.created_at,
                last_seen_at: s.last_seen_at,
                this_one: hash == mine,
            })
            .collect())
    }

    /// Ends one session (sign out).
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let hash = crypto::token::hash(token);
        let now = self.now();
        let mut tx = self.store().write().await?;
        if let Some(session) = tx.session(&hash).await?
            && tx.end_session(&hash, now).await?
        {
            self.audit(
                &mut tx,
                Actor::User(session.user_id),
                AuditAction::SignOut,
                None,
                "sign-out",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of a member of staff ("sign out everywhere").
    pub async fn sign_out_everywhere(&self, user: UserId) -> Result<u64> {
        let now = self.now();
        let mut tx = self.store().write().await?;
        let ended = tx.end_sessions_of(user, now).await?;
        self.audit(
            &mut tx,
            Actor::User(user),
            AuditAction::SignOut,
            Some(format!("user:{user}")),
            "everywhere",
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}

/// The Argon2id cost in use; tests make it cheap.
impl App {
    pub fn password_cost(&self) -> Cost {
        self.inner.password_cost
    }
}
