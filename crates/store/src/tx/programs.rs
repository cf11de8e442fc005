//! The organisation's programs: the list a case's program is chosen from.

use domain::Timestamp;
use sqlx::Row;

use super::{Reads, Tx, ts};
use crate::Result;
use crate::rows::ProgramRow;

impl Tx {
    /// Adds a program; `false` (and nothing changed) when its code is taken.
    pub async fn insert_program(&mut self, code: &str, name: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO programs (code, name, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (code) DO NOTHING",
        )
        .bind(code)
        .bind(name)
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Reads {
    /// Every program, by code.
    pub async fn programs(&mut self) -> Result<Vec<ProgramRow>> {
        sqlx::query("SELECT code, name, created_at FROM programs ORDER BY code")
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(|row| {
                Ok(ProgramRow {
                    code: row.try_get("code")?,
                    name: row.try_get("name")?,
                    created_at: ts(row, "created_at")?,
                })
            })
            .collect()
    }

    /// Whether a program has this code.
    pub async fn program_exists(&mut self, code: &str) -> Result<bool> {
        Ok(sqlx::query("SELECT 1 AS one FROM programs WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *self.inner)
            .await?
            .is_some())
    }
}
