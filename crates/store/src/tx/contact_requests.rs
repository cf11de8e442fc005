//! Safe-contact requests from the public pages.

use domain::{ContactRequestId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, opt_parsed, opt_ts, parsed, ts};
use crate::Result;
use crate::rows::ContactRequestRow;

pub(super) fn contact_request(row: &AnyRow) -> Result<ContactRequestRow> {
    Ok(ContactRequestRow {
        id: parsed(row, "id")?,
        received_at: ts(row, "received_at")?,
        expires_at: ts(row, "expires_at")?,
        language: row.try_get("language")?,
        details: row.try_get("details")?,
        claimed_by: opt_parsed(row, "claimed_by")?,
        claimed_at: opt_ts(row, "claimed_at")?,
        closed_at: opt_ts(row, "closed_at")?,
        outcome: row.try_get("outcome")?,
    })
}

pub(super) const CONTACT_REQUEST_COLUMNS: &str = "id, received_at, expires_at, language, details, claimed_by, \
     claimed_at, closed_at, outcome";

impl Tx {
    pub async fn insert_contact_request(&mut self, row: &ContactRequestRow) -> Result<()> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO contact_requests ({CONTACT_REQUEST_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )))
        .bind(row.id.to_string())
        .bind(row.received_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .bind(&row.language)
        .bind(row.details.clone())
        .bind(row.claimed_by.map(|u| u.to_string()))
        .bind(row.claimed_at.map(Timestamp::unix_millis))
        .bind(row.closed_at.map(Timestamp::unix_millis))
        .bind(row.outcome.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Claims a waiting, unclaimed request for `user`; false if someone else was first.
    pub async fn claim_contact_request(
        &mut self,
        id: ContactRequestId,
        user: UserId,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE contact_requests SET claimed_by = $1, claimed_at = $2 \
             WHERE id = $3 AND claimed_by IS NULL AND closed_at IS NULL",
        )
        .bind(user.to_string())
        .bind(now.unix_millis())
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Hands back every open request `user` claimed (they are leaving, or were switched off), so
    /// that someone else can claim them; each gets at least until `until` before it expires.
    pub async fn release_contact_claims(
        &mut self,
        user: UserId,
        until: Timestamp,
    ) -> Result<Vec<ContactRequestId>> {
        sqlx::query(
            "UPDATE contact_requests SET claimed_by = NULL, claimed_at = NULL, \
             expires_at = CASE WHEN expires_at < $2 THEN $2 ELSE expires_at END \
             WHERE claimed_by = $1 AND closed_at IS NULL RETURNING id",
        )
        .bind(user.to_string())
        .bind(until.unix_millis())
        .fetch_all(&mut *self.reads.inner)
        .await?
        .iter()
        .map(|r| parsed(r, "id"))
        .collect()
    }

    /// Closes a waiting request with its outcome and wipes its details.
    pub async fn close_contact_request(
        &mut self,
        id: ContactRequestId,
        outcome: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE contact_requests SET details = NULL, closed_at = $1, outcome = $2 \
             WHERE id = $3 AND closed_at IS NULL",
        )
        .bind(now.unix_millis())
        .bind(outcome)
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Reads {
    pub async fn contact_request(
        &mut self,
        id: ContactRequestId,
    ) -> Result<Option<ContactRequestRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CONTACT_REQUEST_COLUMNS} FROM contact_requests WHERE id = $1"
        )))
        .bind(id.to_string())
        .fetch_optional(&mut *self.inner)
        .await?
        .as_ref()
        .map(contact_request)
        .transpose()
    }

    /// Requests not yet closed, oldest first.
    pub async fn waiting_contact_requests(&mut self, limit: i64) -> Result<Vec<ContactRequestRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CONTACT_REQUEST_COLUMNS} FROM contact_requests WHERE closed_at IS NULL \
             ORDER BY received_at, id LIMIT $1"
        )))
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(contact_request)
        .collect()
    }

    /// Open requests whose time ran out by `now`: unclaimed past their expiry, or claimed on or
    /// before `claimed_before` and neither closed nor made a client since.
    pub async fn expired_contact_requests(
        &mut self,
        now: Timestamp,
        claimed_before: Timestamp,
    ) -> Result<Vec<ContactRequestId>> {
        sqlx::query(
            "SELECT id FROM contact_requests WHERE closed_at IS NULL AND \
             ((claimed_by IS NULL AND expires_at <= $1) OR (claimed_by IS NOT NULL AND claimed_at <= $2)) \
             ORDER BY id",
        )
        .bind(now.unix_millis())
        .bind(claimed_before.unix_millis())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|r| parsed(r, "id"))
        .collect()
    }

    /// How many requests arrived since `since`, and how many are waiting now.
    pub async fn contact_request_load(&mut self, since: Timestamp) -> Result<(i64, i64)> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN received_at >= $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS recent, \
                    CAST(COALESCE(SUM(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS waiting \
             FROM contact_requests WHERE received_at >= $1 OR closed_at IS NULL",
        )
        .bind(since.unix_millis())
        .fetch_one(&mut *self.inner)
        .await?;
        Ok((row.try_get("recent")?, row.try_get("waiting")?))
    }
}
