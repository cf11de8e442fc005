//! Staff accounts and personal API tokens. A token is shown once and stored only as a hash; it
//! expires, can be listed and can be revoked.

use domain::audit::{Actor, AuditAction};
use domain::{InvalidInput, Role, TokenId, UserId};
use store::rows::{TokenRow, UserRow};

use crate::{App, AppError, Caller, Result};

/// How long a new API token lives unless told otherwise.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;

/// A username: 3 to 64 of lower-case letters, digits, dot, dash and underscore.
pub fn parse_username(raw: &str) -> Result<String, InvalidInput> {
    let ok = (3..=64).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(raw.to_owned())
    } else {
        Err(InvalidInput::new(
            "username",
            "must be 3 to 64 lower-case letters, digits, dots, dashes or underscores",
        ))
    }
}

/// A new token: its secret (shown once) and its stored record.
#[derive(Debug)]
pub struct IssuedToken {
    pub secret: String,
    pub token: TokenRow,
}

impl App {
    /// Creates a staff account and its first API token (operator action).
    pub async fn add_user(&self, username: &str, role: Role) -> Result<(UserRow, IssuedToken)> {
        let username = parse_username(username)?;
        let user = UserRow {
            id: UserId::from_random(self.entropy().bytes()),
            username,
            role,
            created_at: self.now(),
            disabled_at: None,
        };
        let mut tx = self.store().write().await?;
        if tx.user_by_username(&user.username).await?.is_some() {
            return Err(AppError::Conflict(
                "a user with that username already exists",
            ));
        }
        tx.insert_user(&user).await?;
        self.audit(
            &mut tx,
            Actor::Operator,
            AuditAction::UserCreate,
            Some(format!("user:{}", user.id)),
            "administration",
        )
        .await?;
        let issued = self
            .issue_token(&mut tx, &user, "first token", DEFAULT_TOKEN_DAYS)
            .await?;
        tx.commit().await?;
        Ok((user, issued))
    }

    /// Issues another token for an existing account (operator action).
    pub async fn create_token(
        &self,
        username: &str,
        label: &str,
        days: i64,
    ) -> Result<IssuedToken> {
        let mut tx = self.store().write().await?;
        let user = tx
            .user_by_username(username)
            .await?
            .ok_or(AppError::NotFound)?;
        let issued = self.issue_token(&mut tx, &user, label, days).await?;
        tx.commit().await?;
        Ok(issued)
    }

    async fn issue_token(
        &self,
        tx: &mut store::Tx,
        user: &UserRow,
        label: &str,
        days: i64,
    ) -> Result<IssuedToken> {
        if !(1..=366).contains(&days) {
            return Err(InvalidInput::new("days", "must be between 1 and 366").into());
        }
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 80 || label.chars().any(char::is_control) {
            return Err(InvalidInput::new("label", "must be 1 to 80 characters").into());
        }
        let (secret, hash) = crypto::token::generate(&mut self.entropy().rng());
        let now = self.now();
        let token = TokenRow {
            id: TokenId::from_random(self.entropy().bytes()),
            user_id: user.id,
            label: label.to_owned(),
            created_at: now,
            expires_at: now.plus_days(days),
            revoked_at: None,
        };
        tx.insert_token(&token, &hash).await?;
        self.audit(
            tx,
            Actor::Operator,
            AuditAction::TokenCreate,
            Some(format!("token:{}", token.id)),
            "administration",
        )
        .await?;
        Ok(IssuedToken { secret, token })
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let mut tx = self.store().read().await?;
        Ok(tx.users().await?)
    }

    pub async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let mut tx = self.store().read().await?;
        Ok(tx.tokens().await?)
    }

    pub async fn revoke_token(&self, id: TokenId) -> Result<()> {
        let mut tx = self.store().write().await?;
        if !tx.revoke_token(id, self.now()).await? {
            return Err(AppError::NotFound);
        }
        self.audit(
            &mut tx,
            Actor::Operator,
            AuditAction::TokenRevoke,
            Some(format!("token:{id}")),
            "administration",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The caller a presented token belongs to, if it is live.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<Caller>> {
        if !crypto::token::looks_like_token(secret) {
            return Ok(None);
        }
        let hash = crypto::token::hash(secret);
        let found = self.store().live_token(&hash, self.now()).await?;
        Ok(found.map(|(_, user)| Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_simple_and_bounded() {
        assert!(parse_username("maria.g").is_ok());
        assert!(parse_username("Maria").is_err());
        assert!(parse_username("ab").is_err());
        assert!(parse_username("a b c").is_err());
    }
}
