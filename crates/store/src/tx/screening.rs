//! Identification: screenings, determinations and the drafts of both.

use std::collections::HashMap;

use domain::{ClientId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, newest_of, one, parsed, ts};
use crate::Result;
use crate::rows::{DeterminationRow, ScreeningRow};

pub(super) const SCREENING_COLUMNS: &str = "id, client_id, instrument, instrument_version, answers, score, \
     result, screened_by, created_at";

pub(super) const DETERMINATION_COLUMNS: &str = "id, client_id, worksheet, recorded_by, created_at";

pub(super) fn screening(row: &AnyRow) -> Result<ScreeningRow> {
    Ok(ScreeningRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        instrument: row.try_get("instrument")?,
        instrument_version: row.try_get("instrument_version")?,
        answers: row.try_get("answers")?,
        score: row.try_get("score")?,
        result: row.try_get("result")?,
        screened_by: row.try_get("screened_by")?,
        created_at: ts(row, "created_at")?,
    })
}

pub(super) fn determination(row: &AnyRow) -> Result<DeterminationRow> {
    Ok(DeterminationRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        worksheet: row.try_get("worksheet")?,
        recorded_by: row.try_get("recorded_by")?,
        created_at: ts(row, "created_at")?,
    })
}

impl Tx {
    pub async fn insert_screening(&mut self, row: &ScreeningRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO screenings (id, client_id, instrument, instrument_version, answers, score, result, \
             screened_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.instrument)
        .bind(&row.instrument_version)
        .bind(row.answers.clone())
        .bind(row.score)
        .bind(row.result.clone())
        .bind(&row.screened_by)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_determination(&mut self, row: &DeterminationRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO determinations (id, client_id, worksheet, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.worksheet.clone())
        .bind(&row.recorded_by)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// What a determination's facts made of each legal definition on the day it was recorded:
    /// `(rule id, outcome code)` pairs, counted by the dashboard.
    pub async fn insert_determination_outcomes(
        &mut self,
        row: &DeterminationRow,
        outcomes: &[(&str, &str)],
    ) -> Result<()> {
        for (rule, outcome) in outcomes {
            sqlx::query(
                "INSERT INTO determination_outcomes (determination_id, client_id, rule_id, \
                 outcome) VALUES ($1, $2, $3, $4)",
            )
            .bind(row.id.to_string())
            .bind(row.client_id.to_string())
            .bind(*rule)
            .bind(*outcome)
            .execute(&mut *self.reads.inner)
            .await?;
        }
        Ok(())
    }

    /// Saves a form in progress, replacing any earlier draft of the same one. `form` is what is
    /// being filled in: an instrument's id, or `determination` for the worksheet (the table's
    /// `instrument` column holds it).
    pub async fn put_draft(
        &mut self,
        client: ClientId,
        user: UserId,
        form: &str,
        sealed: &[u8],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO screening_drafts (client_id, user_id, instrument, answers, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (client_id, user_id, instrument) \
             DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .bind(sealed.to_vec())
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn delete_draft(&mut self, client: ClientId, user: UserId, form: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM screening_drafts WHERE client_id = $1 AND user_id = $2 AND instrument = $3",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }
}

impl Reads {
    /// A client's screenings, newest first.
    pub async fn screenings(&mut self, client_id: ClientId) -> Result<Vec<ScreeningRow>> {
        Ok(one(self.screenings_of(&[client_id]).await?, client_id))
    }

    /// The screenings of each of `clients`, newest first.
    pub async fn screenings_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, Vec<ScreeningRow>>> {
        let sql = format!(
            "SELECT {SCREENING_COLUMNS} FROM screenings WHERE client_id IN ({}) \
             ORDER BY created_at DESC, id",
            self.dialect.each_of("$1")
        );
        self.per_client(sql, clients, None, screening).await
    }

    /// A client's newest determinations, newest first, at most `limit`.
    pub async fn determinations(
        &mut self,
        client_id: ClientId,
        limit: i64,
    ) -> Result<Vec<DeterminationRow>> {
        Ok(one(
            self.determinations_of(&[client_id], limit).await?,
            client_id,
        ))
    }

    /// The newest determinations of each of `clients`, at most `limit` each.
    pub async fn determinations_of(
        &mut self,
        clients: &[ClientId],
        limit: i64,
    ) -> Result<HashMap<ClientId, Vec<DeterminationRow>>> {
        let sql = newest_of(
            DETERMINATION_COLUMNS,
            "determinations",
            "created_at DESC, id",
            self.dialect,
        );
        self.per_client(sql, clients, Some(limit), determination)
            .await
    }

    /// A form in progress (see `Tx::put_draft`): its sealed fields and when they were last saved.
    pub async fn draft(
        &mut self,
        client: ClientId,
        user: UserId,
        form: &str,
    ) -> Result<Option<(Vec<u8>, Timestamp)>> {
        let row = sqlx::query(
            "SELECT answers, updated_at FROM screening_drafts \
             WHERE client_id = $1 AND user_id = $2 AND instrument = $3",
        )
        .bind(client.to_string())
        .bind(user.to_string())
        .bind(form)
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|r| Ok((r.try_get("answers")?, ts(&r, "updated_at")?)))
            .transpose()
    }
}
