//! Staff accounts, their API tokens and sign-up links.

use std::collections::HashMap;

use domain::{Timestamp, TokenId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, opt_ts, parsed, ts};
use crate::rows::{InvitationRow, TokenRow, UserRow};
use crate::{Result, StoreError};

pub(super) fn user(row: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: parsed(row, "id")?,
        username: row.try_get("username")?,
        role: parsed(row, "role")?,
        created_at: ts(row, "created_at")?,
        disabled_at: opt_ts(row, "disabled_at")?,
    })
}

/// The account joined to a token or session row (its columns named as `live_token` names them).
pub(crate) fn joined_user(row: &AnyRow) -> Result<UserRow> {
    Ok(UserRow {
        id: parsed(row, "user_id")?,
        username: row.try_get("username")?,
        role: parsed(row, "role")?,
        created_at: ts(row, "user_created_at")?,
        disabled_at: opt_ts(row, "disabled_at")?,
    })
}

pub(crate) fn token(row: &AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: parsed(row, "id")?,
        user_id: parsed(row, "user_id")?,
        label: row.try_get("label")?,
        created_at: ts(row, "created_at")?,
        expires_at: ts(row, "expires_at")?,
        revoked_at: opt_ts(row, "revoked_at")?,
    })
}

impl Tx {
    pub async fn insert_user(&mut self, user: &UserRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO users (id, username, role, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(user.role.as_str())
        .bind(user.created_at.unix_millis())
        .bind(user.disabled_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Switches an account off (`Some(when)`) or back on (`None`); false if there is no such
    /// account.
    pub async fn set_user_disabled(
        &mut self,
        user: UserId,
        disabled_at: Option<Timestamp>,
    ) -> Result<bool> {
        let done = sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
            .bind(disabled_at.map(Timestamp::unix_millis))
            .bind(user.to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_token(&mut self, row: &TokenRow, hash: &[u8; 32]) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (id, user_id, token_hash, label, created_at, expires_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.user_id.to_string())
        .bind(hash.to_vec())
        .bind(&row.label)
        .bind(row.created_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(row.revoked_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Revokes a token; false if it does not exist or was already revoked.
    pub async fn revoke_token(&mut self, id: TokenId, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_invitation(
        &mut self,
        id_hash: &[u8; 32],
        row: &InvitationRow,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO invitations (id_hash, user_id, role, created_at, expires_at, used_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash.to_vec())
        .bind(row.user_id.map(|u| u.to_string()))
        .bind(row.role.as_str())
        .bind(row.created_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(row.used_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Ties a sign-up link to the account it made (the first administrator's).
    pub async fn bind_invitation(&mut self, id_hash: &[u8; 32], user: UserId) -> Result<()> {
        sqlx::query("UPDATE invitations SET user_id = $1 WHERE id_hash = $2 AND user_id IS NULL")
            .bind(user.to_string())
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    /// Marks a link used; false if it already was.
    pub async fn use_invitation(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE invitations SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sets (or, with `None`, clears) a member of staff's own time zone.
    pub async fn set_time_zone(&mut self, user: UserId, zone: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
            .bind(zone.map(str::to_owned))
            .bind(user.to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }
}

impl Reads {
    pub async fn user_by_username(&mut self, username: &str) -> Result<Option<UserRow>> {
        sqlx::query(
            "SELECT id, username, role, created_at, disabled_at FROM users WHERE username = $1",
        )
        .bind(username)
        .fetch_optional(&mut *self.inner)
        .await?
        .as_ref()
        .map(user)
        .transpose()
    }

    pub async fn users(&mut self) -> Result<Vec<UserRow>> {
        sqlx::query(
            "SELECT id, username, role, created_at, disabled_at FROM users ORDER BY username",
        )
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(user)
        .collect()
    }

    pub async fn tokens(&mut self) -> Result<Vec<TokenRow>> {
        sqlx::query(
            "SELECT id, user_id, label, created_at, expires_at, revoked_at FROM api_tokens ORDER BY created_at, id",
        )
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(token)
        .collect()
    }

    pub async fn user(&mut self, id: UserId) -> Result<Option<UserRow>> {
        sqlx::query("SELECT id, username, role, created_at, disabled_at FROM users WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *self.inner)
            .await?
            .as_ref()
            .map(user)
            .transpose()
    }

    /// The usernames of `users`: those not read before (`crate::usernames`) in one query; an id
    /// that names no account has no entry.
    pub async fn usernames_of(&mut self, users: &[UserId]) -> Result<HashMap<UserId, String>> {
        let (mut known, missing) = self.usernames.known(users);
        if missing.is_empty() {
            return Ok(known);
        }
        let sql = format!(
            "SELECT id, username FROM users WHERE id IN ({})",
            self.dialect.each_of("$1")
        );
        let read = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(missing))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(|row| Ok((parsed(row, "id")?, row.try_get("username")?)))
            .collect::<Result<HashMap<UserId, String>>>()?;
        self.usernames.remember(&read);
        known.extend(read);
        Ok(known)
    }

    pub async fn invitation(&mut self, id_hash: &[u8; 32]) -> Result<Option<InvitationRow>> {
        let row = sqlx::query(
            "SELECT user_id, role, created_at, expires_at, used_at FROM invitations WHERE id_hash = $1",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|row| {
            let user_id: Option<String> = row.try_get("user_id")?;
            Ok(InvitationRow {
                user_id: user_id
                    .map(|u| {
                        u.parse()
                            .map_err(|_| StoreError::Corrupt("invitations.user_id"))
                    })
                    .transpose()?,
                role: parsed(&row, "role")?,
                created_at: ts(&row, "created_at")?,
                expires_at: ts(&row, "expires_at")?,
                used_at: opt_ts(&row, "used_at")?,
            })
        })
        .transpose()
    }

    pub async fn count_users(&mut self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&mut *self.inner)
            .await?;
        Ok(row.try_get("n")?)
    }
}
