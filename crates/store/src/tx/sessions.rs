//! Signing in: credentials, sessions and passkeys.

use domain::{Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, opt_ts, parsed, ts};
use crate::rows::{CredentialsRow, PasskeyRow, SessionRow, ThrottleRow};
use crate::{Result, StoreError};

pub(crate) fn session(row: &AnyRow) -> Result<SessionRow> {
    Ok(SessionRow {
        user_id: parsed(row, "user_id")?,
        created_at: ts(row, "created_at")?,
        last_seen_at: ts(row, "last_seen_at")?,
        authenticated_at: ts(row, "authenticated_at")?,
        ended_at: opt_ts(row, "ended_at")?,
        passkey_at: opt_ts(row, "passkey_at")?,
    })
}

impl Tx {
    /// Writes a staff member's credentials whole (creating the row the first time).
    pub async fn put_credentials(
        &mut self,
        user: UserId,
        c: &CredentialsRow,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO credentials (user_id, password_hash, totp_secret, totp_confirmed_at, totp_last_step, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash, \
             totp_secret = excluded.totp_secret, totp_confirmed_at = excluded.totp_confirmed_at, \
             totp_last_step = excluded.totp_last_step, updated_at = excluded.updated_at",
        )
        .bind(user.to_string())
        .bind(c.password_hash.clone())
        .bind(c.totp_secret.clone())
        .bind(c.totp_confirmed_at.map(Timestamp::unix_millis))
        .bind(c.totp_last_step)
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Counts one more failed sign-in against `subject` at `now`; failures before `forget_before`
    /// no longer count, and every subject whose last failure came before it is forgotten.
    pub async fn record_signin_failure(
        &mut self,
        subject: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM signin_throttle WHERE last_failure_at < $1")
            .bind(forget_before.unix_millis())
            .execute(&mut *self.reads.inner)
            .await?;
        sqlx::query(
            "INSERT INTO signin_throttle (subject, failures, last_failure_at) VALUES ($1, 1, $2) \
             ON CONFLICT (subject) DO UPDATE SET failures = signin_throttle.failures + 1, \
             last_failure_at = excluded.last_failure_at",
        )
        .bind(subject)
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Forgets the failed sign-ins counted against `subject` (after a success).
    pub async fn clear_signin_failures(&mut self, subject: &str) -> Result<()> {
        sqlx::query("DELETE FROM signin_throttle WHERE subject = $1")
            .bind(subject)
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    pub async fn insert_session(&mut self, id_hash: &[u8; 32], s: &SessionRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, authenticated_at, ended_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash.to_vec())
        .bind(s.user_id.to_string())
        .bind(s.created_at.unix_millis())
        .bind(s.last_seen_at.unix_millis())
        .bind(s.authenticated_at.unix_millis())
        .bind(s.ended_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn touch_session(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    /// Runs an `UPDATE` of a live session that sets `now` ($1) on the session hashed `id_hash` ($2).
    async fn stamp_session(
        &mut self,
        sql: &'static str,
        id_hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(sql)
            .bind(now.unix_millis())
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    /// Keeps a one-time passkey challenge on the session, replacing any earlier one.
    pub async fn set_session_challenge(
        &mut self,
        id_hash: &[u8; 32],
        challenge: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE sessions SET challenge = $1, challenge_at = $2 WHERE id_hash = $3 AND ended_at IS NULL",
        )
        .bind(challenge.to_vec())
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Takes the session's passkey challenge and when it was issued: it can be answered once.
    pub async fn take_session_challenge(
        &mut self,
        id_hash: &[u8; 32],
    ) -> Result<Option<(Vec<u8>, Timestamp)>> {
        let row = sqlx::query(
            "SELECT challenge, challenge_at FROM sessions \
             WHERE id_hash = $1 AND ended_at IS NULL AND challenge IS NOT NULL",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.reads.inner)
        .await?;
        sqlx::query("UPDATE sessions SET challenge = NULL, challenge_at = NULL WHERE id_hash = $1")
            .bind(id_hash.to_vec())
            .execute(&mut *self.reads.inner)
            .await?;
        row.map(|r| Ok((r.try_get("challenge")?, ts(&r, "challenge_at")?)))
            .transpose()
    }

    /// Records that the session just proved a passkey.
    pub async fn set_session_passkey(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET passkey_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    /// Stores a new passkey; `false` if that credential is already registered.
    pub async fn insert_passkey(&mut self, row: &PasskeyRow) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO passkeys (credential_id, user_id, public_key, sign_count, created_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (credential_id) DO NOTHING",
        )
        .bind(row.credential_id.clone())
        .bind(row.user_id.to_string())
        .bind(row.public_key.clone())
        .bind(i64::from(row.sign_count))
        .bind(row.created_at.unix_millis())
        .bind(row.last_used_at.map(Timestamp::unix_millis))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Forgets every passkey of a member of staff; how many there were.
    pub async fn delete_passkeys_of(&mut self, user: UserId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM passkeys WHERE user_id = $1")
            .bind(user.to_string())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected())
    }

    /// Records a passkey's use: its new counter and when.
    pub async fn passkey_used(
        &mut self,
        credential_id: &[u8],
        sign_count: u32,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE passkeys SET sign_count = $1, last_used_at = $2 WHERE credential_id = $3",
        )
        .bind(i64::from(sign_count))
        .bind(now.unix_millis())
        .bind(credential_id.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records that the session's owner proved who they are again just now.
    pub async fn reauthenticate_session(
        &mut self,
        id_hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<()> {
        self.stamp_session(
            "UPDATE sessions SET authenticated_at = $1, last_seen_at = $1 \
             WHERE id_hash = $2 AND ended_at IS NULL",
            id_hash,
            now,
        )
        .await
    }

    pub async fn end_session(&mut self, id_hash: &[u8; 32], now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE id_hash = $2 AND ended_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(id_hash.to_vec())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Ends every open session of a member of staff; returns how many.
    pub async fn end_sessions_of(&mut self, user: UserId, now: Timestamp) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET ended_at = $1 WHERE user_id = $2 AND ended_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(user.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected())
    }
}

impl Reads {
    pub async fn credentials(&mut self, user: UserId) -> Result<CredentialsRow> {
        let row = sqlx::query(
            "SELECT password_hash, totp_secret, totp_confirmed_at, totp_last_step \
             FROM credentials WHERE user_id = $1",
        )
        .bind(user.to_string())
        .fetch_optional(&mut *self.inner)
        .await?;
        let Some(row) = row else {
            return Ok(CredentialsRow::default());
        };
        Ok(CredentialsRow {
            password_hash: row.try_get("password_hash")?,
            totp_secret: row.try_get("totp_secret")?,
            totp_confirmed_at: opt_ts(&row, "totp_confirmed_at")?,
            totp_last_step: row.try_get("totp_last_step")?,
        })
    }

    /// The failed sign-ins counted against `subject`, if any are remembered.
    pub async fn signin_failures(&mut self, subject: &str) -> Result<Option<ThrottleRow>> {
        let row =
            sqlx::query("SELECT failures, last_failure_at FROM signin_throttle WHERE subject = $1")
                .bind(subject)
                .fetch_optional(&mut *self.inner)
                .await?;
        row.map(|row| {
            Ok(ThrottleRow {
                failures: row.try_get("failures")?,
                last_failure_at: ts(&row, "last_failure_at")?,
            })
        })
        .transpose()
    }

    pub async fn session(&mut self, id_hash: &[u8; 32]) -> Result<Option<SessionRow>> {
        let row = sqlx::query(
            "SELECT user_id, created_at, last_seen_at, authenticated_at, ended_at, passkey_at FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash.to_vec())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.as_ref().map(session).transpose()
    }

    /// A member of staff's sessions that have not been ended, newest first, with their hashes.
    pub async fn open_sessions_of(&mut self, user: UserId) -> Result<Vec<(Vec<u8>, SessionRow)>> {
        sqlx::query(
            "SELECT id_hash, user_id, created_at, last_seen_at, authenticated_at, ended_at, passkey_at \
             FROM sessions WHERE user_id = $1 AND ended_at IS NULL ORDER BY created_at DESC LIMIT 100",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok((row.try_get("id_hash")?, session(row)?))
        })
        .collect()
    }

    /// A member of staff's passkeys, oldest first.
    pub async fn passkeys_of(&mut self, user: UserId) -> Result<Vec<PasskeyRow>> {
        sqlx::query(
            "SELECT credential_id, user_id, public_key, sign_count, created_at, last_used_at \
             FROM passkeys WHERE user_id = $1 ORDER BY created_at, credential_id",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(PasskeyRow {
                credential_id: row.try_get("credential_id")?,
                user_id: parsed(row, "user_id")?,
                public_key: row.try_get("public_key")?,
                sign_count: u32::try_from(row.try_get::<i64, _>("sign_count")?)
                    .map_err(|_| StoreError::Corrupt("a passkey counter"))?,
                created_at: ts(row, "created_at")?,
                last_used_at: opt_ts(row, "last_used_at")?,
            })
        })
        .collect()
    }
}
