//! Emergency access ("break the glass") and its review.

use domain::{EmergencyAccessId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, parsed, ts};
use crate::Result;
use crate::rows::{EmergencyAccessRow, ReviewedAccessRow};

impl Tx {
    pub async fn insert_emergency_access(&mut self, row: &EmergencyAccessRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO emergency_access (id, client_id, user_id, reason, granted_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.user_id.to_string())
        .bind(row.reason.clone())
        .bind(row.granted_at.unix_millis())
        .bind(row.expires_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records a supervisor's review of an emergency access, with their comment (sealed);
    /// `false` if it was reviewed already (or does not exist).
    pub async fn review_emergency_access(
        &mut self,
        id: EmergencyAccessId,
        reviewer: UserId,
        outcome: &str,
        comment: Option<Vec<u8>>,
        now: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE emergency_access SET reviewed_by = $1, reviewed_at = $2, review_outcome = $3, \
             review_comment = $4 WHERE id = $5 AND reviewed_at IS NULL",
        )
        .bind(reviewer.to_string())
        .bind(now.unix_millis())
        .bind(outcome)
        .bind(comment)
        .bind(id.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// The columns of an emergency access, as `access` reads them.
const ACCESS_COLUMNS: &str = "id, client_id, user_id, reason, granted_at, expires_at";

fn access(row: &AnyRow) -> Result<EmergencyAccessRow> {
    Ok(EmergencyAccessRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        user_id: parsed(row, "user_id")?,
        reason: row.try_get("reason")?,
        granted_at: ts(row, "granted_at")?,
        expires_at: ts(row, "expires_at")?,
    })
}

impl Reads {
    /// Emergency accesses no supervisor has reviewed yet, oldest first.
    pub async fn unreviewed_emergency_access(&mut self) -> Result<Vec<EmergencyAccessRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACCESS_COLUMNS} FROM emergency_access \
             WHERE reviewed_at IS NULL ORDER BY granted_at, id"
        )))
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(access)
        .collect()
    }

    /// Emergency accesses reviewed at `since` or later, the latest review first, at most
    /// `limit`.
    pub async fn reviewed_emergency_access(
        &mut self,
        since: Timestamp,
        limit: i64,
    ) -> Result<Vec<ReviewedAccessRow>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {ACCESS_COLUMNS}, reviewed_by, reviewed_at, review_outcome, review_comment \
             FROM emergency_access WHERE reviewed_at >= $1 \
             ORDER BY reviewed_at DESC, id LIMIT $2"
        )))
        .bind(since.unix_millis())
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(ReviewedAccessRow {
                access: access(row)?,
                reviewed_by: parsed(row, "reviewed_by")?,
                reviewed_at: ts(row, "reviewed_at")?,
                outcome: row.try_get("review_outcome")?,
                comment: row.try_get("review_comment")?,
            })
        })
        .collect()
    }
}
