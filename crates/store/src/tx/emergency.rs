//! Emergency access ("break the glass") and its review.

use domain::{EmergencyAccessId, Timestamp, UserId};
use sqlx::Row;

use super::{Reads, Tx, parsed, ts};
use crate::Result;
use crate::rows::EmergencyAccessRow;

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

impl Reads {
    /// Emergency accesses no supervisor has reviewed yet, oldest first.
    pub async fn unreviewed_emergency_access(&mut self) -> Result<Vec<EmergencyAccessRow>> {
        sqlx::query(
            "SELECT id, client_id, user_id, reason, granted_at, expires_at FROM emergency_access \
             WHERE reviewed_at IS NULL ORDER BY granted_at, id",
        )
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| {
            Ok(EmergencyAccessRow {
                id: parsed(row, "id")?,
                client_id: parsed(row, "client_id")?,
                user_id: parsed(row, "user_id")?,
                reason: row.try_get("reason")?,
                granted_at: ts(row, "granted_at")?,
                expires_at: ts(row, "expires_at")?,
            })
        })
        .collect()
    }
}
