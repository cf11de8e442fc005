//! Administering staff accounts from the web: who has an account and whether they have signed
//! up, sign-up links for new people and for people who lost their phone or password, and
//! switching an account off or on. Administrators do this; nobody else (P6). Every step is
//! audited with the administrator as the actor.

use domain::audit::{Actor, AuditAction};
use domain::policy::Action;
use domain::{Role, Timestamp, UserId};

use crate::{App, AppError, Caller, Result};

/// A staff account as the administration page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub created_at: Timestamp,
    /// Whether they have chosen a password and confirmed an authenticator.
    pub signed_up: bool,
    pub disabled_at: Option<Timestamp>,
}

fn user_target(user: UserId) -> String {
    format!("user:{user}")
}

impl App {
    /// Every staff account, in username order.
    pub async fn staff(&self, caller: &Caller) -> Result<Vec<StaffMember>> {
        self.grant_role(caller, Action::ManageUsers)?;
        let mut tx = self.store().read().await?;
        let mut members = Vec::new();
        for user in tx.users().await? {
            let credentials = tx.credentials(user.id).await?;
            members.push(StaffMember {
                id: user.id,
                username: user.username,
                role: user.role,
                created_at: user.created_at,
                signed_up: credentials.password_hash.is_some()
                    && credentials.totp_confirmed_at.is_some(),
                disabled_at: user.disabled_at,
            });
        }
        tx.commit().await?;
        members.sort_by(|a, b| a.username.cmp(&b.username));
        Ok(members)
    }

    /// A sign-up link: for a new person of `role` who chooses their own username (`user` None),
    /// or for an existing account, whose old sessions end when the link is used. The link's
    /// secret is returned once, to be handed over privately.
    pub async fn invite_by(
        &self,
        caller: &Caller,
        user: Option<UserId>,
        role: Role,
    ) -> Result<String> {
        self.grant_role(caller, Action::ManageUsers)?;
        self.invite_as(Actor::User(caller.id), user, role).await
    }

    /// Switches an account off (its sessions and tokens stop working at once) or back on.
    /// Administrators cannot switch themselves off, so an instance is never left with nobody
    /// able to administer it by accident.
    pub async fn set_disabled(&self, caller: &Caller, user: UserId, disabled: bool) -> Result<()> {
        self.grant_role(caller, Action::ManageUsers)?;
        if user == caller.id {
            return Err(AppError::Conflict(
                "you cannot switch off your own account; ask another administrator",
            ));
        }
        let now = self.now();
        let mut tx = self.store().write().await?;
        // The audit event goes first: appending it takes the audit head's lock, so what follows
        // is decided after any other administrator's change has committed (on PostgreSQL too),
        // and two administrators cannot switch each other off. Refused, it is rolled back.
        let action = if disabled {
            AuditAction::UserDisable
        } else {
            AuditAction::UserEnable
        };
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            action,
            Some(user_target(user)),
            "administration",
        )
        .await?;
        let Some(target) = tx.user(user).await? else {
            return Err(AppError::NotFound);
        };
        let other_admins = tx
            .users()
            .await?
            .iter()
            .filter(|u| u.id != user && u.role == Role::Administrator && u.disabled_at.is_none())
            .count();
        if disabled && target.role == Role::Administrator && other_admins == 0 {
            return Err(AppError::Conflict(
                "this is the last administrator who can sign in; make another one first",
            ));
        }
        tx.set_user_disabled(user, disabled.then_some(now)).await?;
        if disabled {
            tx.end_sessions_of(user, now).await?;
            self.release_claims_of(&mut tx, Actor::User(caller.id), user)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
