//! Sign-up links: how a member of staff sets their own password and authenticator, so that nobody
//! ever chooses or hands over a password for someone else, and no instance has a default one
//! (P10, P11). A link works once, for `LINK_HOURS`; only its hash is stored. On a new instance,
//! `serve` makes a link for the first administrator, who chooses their own username.

use crypto::totp::TotpSecret;
use domain::audit::{Actor, AuditAction};
use domain::signin::{NewPassword, PasswordProblem};
use domain::{Role, Timestamp, UserId};
use store::rows::{InvitationRow, UserRow};

use crate::signin::NewSession;
use crate::users::parse_username;
use crate::{App, AppError, Result};

/// How long a sign-up link works.
pub const LINK_HOURS: i64 = 72;

/// A live sign-up link, as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Set when the account exists; `None` when the person chooses their username.
    pub username: Option<String>,
    pub role: Role,
    pub expires_at: Timestamp,
}

/// Why the first step of a sign-up did not go through. Nothing is changed in any case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrolProblem {
    #[error(
        "This sign-up link has expired or was already used. Ask your administrator for a new one."
    )]
    LinkNotValid,
    #[error("{0}")]
    Username(String),
    #[error("{0}")]
    Password(#[from] PasswordProblem),
}

fn hours(h: i64) -> i64 {
    h * 3_600_000
}

impl App {
    /// Makes a sign-up link for an existing account, or (with `user` None) for a new account of
    /// `role` whose username its holder chooses. Returns the link's secret (shown once).
    pub async fn invite(&self, user: Option<UserId>, role: Role) -> Result<String> {
        self.invite_as(Actor::Operator, user, role).await
    }

    /// `invite`, recorded as done by `actor`.
    pub(crate) async fn invite_as(
        &self,
        actor: Actor,
        user: Option<UserId>,
        role: Role,
    ) -> Result<String> {
        let now = self.now();
        let mut tx = self.store().write().await?;
        if let Some(user) = user {
            tx.user(user).await?.ok_or(AppError::NotFound)?;
        }
        let (token, hash) = crypto::token::generate(&mut self.entropy().rng());
        let row = InvitationRow {
            user_id: user,
            role,
            created_at: now,
            expires_at: Timestamp::from_unix_millis(now.unix_millis() + hours(LINK_HOURS)),
            used_at: None,
        };
        tx.insert_invitation(&hash, &row).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::UserInvite,
            user.map(|u| format!("user:{u}")),
            "administration",
        )
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// On an instance with no accounts at all: a sign-up link for the first administrator.
    pub async fn first_run_link(&self) -> Result<Option<String>> {
        let mut tx = self.store().read().await?;
        let users = tx.count_users().await?;
        tx.commit().await?;
        if users > 0 {
            return Ok(None);
        }
        self.invite(None, Role::Administrator).await.map(Some)
    }

    async fn live_invitation(&self, token: &str) -> Result<Option<([u8; 32], InvitationRow)>> {
        if !crypto::token::looks_like_token(token) {
            return Ok(None);
        }
        let hash = crypto::token::hash(token);
        let mut tx = self.store().read().await?;
        let row = tx.invitation(&hash).await?;
        tx.commit().await?;
        let now = self.now();
        Ok(row
            .filter(|r| r.used_at.is_none() && r.expires_at > now)
            .map(|r| (hash, r)))
    }

    /// What a live link is for; `None` for a link that is unknown, used or expired.
    pub async fn invitation(&self, token: &str) -> Result<Option<Invitation>> {
        let Some((_, row)) = self.live_invitation(token).await? else {
            return Ok(None);
        };
        let username = match row.user_id {
            Some(user) => {
                let mut tx = self.store().read().await?;
                let user = tx.user(user).await?;
                tx.commit().await?;
                Some(user.ok_or(AppError::NotFound)?.username)
            }
            None => None,
        };
        Ok(Some(Invitation {
            username,
            role: row.role,
            expires_at: row.expires_at,
        }))
    }

    /// First step: the holder sets their password (and username, for a new account); a new
    /// authenticator secret is made for them to add to their app. Every earlier session of the
    /// account ends.
    pub async fn enrol(
        &self,
        token: &str,
        username: Option<&str>,
        password: &str,
    ) -> Result<std::result::Result<TotpSecret, EnrolProblem>> {
        let Some((hash, row)) = self.live_invitation(token).await? else {
            return Ok(Err(EnrolProblem::LinkNotValid));
        };
        let user = match row.user_id {
            Some(user) => {
                let mut tx = self.store().read().await?;
                let found = tx.user(user).await?;
                tx.commit().await?;
                found.ok_or(AppError::NotFound)?
            }
            None => {
                let chosen = match parse_username(username.unwrap_or_default()) {
                    Ok(chosen) => chosen,
                    Err(invalid) => return Ok(Err(EnrolProblem::Username(invalid.to_string()))),
                };
                UserRow {
                    id: UserId::from_random(self.entropy().bytes()),
                    username: chosen,
                    role: row.role,
                    created_at: self.now(),
                    disabled_at: None,
                }
            }
        };
        let password = match NewPassword::parse(password, &[&user.username, "safeharbor"]) {
            Ok(password) => password,
            Err(problem) => return Ok(Err(problem.into())),
        };
        if row.user_id.is_none() {
            let mut tx = self.store().write().await?;
            if tx.user_by_username(&user.username).await?.is_some() {
                return Ok(Err(EnrolProblem::Username(
                    "That username is taken. Please choose another.".to_owned(),
                )));
            }
            tx.insert_user(&user).await?;
            tx.bind_invitation(&hash, user.id).await?;
            self.audit(
                &mut tx,
                Actor::User(user.id),
                AuditAction::UserCreate,
                Some(format!("user:{}", user.id)),
                "administration",
            )
            .await?;
            tx.commit().await?;
        }
        self.set_password(user.id, &password).await?;
        Ok(Ok(self.begin_totp(user.id).await?))
    }

    /// The secret being enrolled through a live link, to show again after a mistyped code.
    pub async fn enrolment_secret(&self, token: &str) -> Result<Option<(String, TotpSecret)>> {
        let Some((_, row)) = self.live_invitation(token).await? else {
            return Ok(None);
        };
        let Some(user) = row.user_id else {
            return Ok(None);
        };
        let mut tx = self.store().read().await?;
        let username = tx.user(user).await?.map(|u| u.username);
        tx.commit().await?;
        match (username, self.pending_totp(user).await?) {
            (Some(username), Some(secret)) => Ok(Some((username, secret))),
            _ => Ok(None),
        }
    }

    /// Last step: a correct code from the new authenticator confirms it, uses up the link, forgets
    /// any passkeys of an earlier sign-up and signs the person in. `None` when the code (or the link) is not right; nothing changes.
    pub async fn finish_enrolment(&self, token: &str, code: &str) -> Result<Option<NewSession>> {
        let Some((hash, row)) = self.live_invitation(token).await? else {
            return Ok(None);
        };
        let Some(user_id) = row.user_id else {
            return Ok(None);
        };
        let mut tx = self.store().write().await?;
        let Some(user) = tx.user(user_id).await?.filter(|u| u.disabled_at.is_none()) else {
            return Ok(None);
        };
        if !self.confirm_totp_in(&mut tx, user_id, code).await? {
            return Ok(None);
        }
        if !tx.use_invitation(&hash, self.now()).await? {
            return Ok(None);
        }
        // A new sign-up link is how someone who lost their phone or passkey starts again: the old
        // passkeys go with the old authenticator, and an administrator adds a new one next.
        tx.delete_passkeys_of(user_id).await?;
        let session = self.start_session(&mut tx, &user).await?;
        tx.commit().await?;
        Ok(Some(session))
    }
}
