//! A client's outcome assessments, each with its scores (one row per domain), the newest first by
//! the day it was taken (and, on one day, the one recorded last).

use std::collections::HashMap;

use domain::{ClientId, OutcomeAssessmentId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, parsed, ts};
use crate::Result;
use crate::rows::OutcomeAssessmentRow;

pub(super) const COLUMNS: &str = "id, client_id, author, created_at, point, assessed_on, note";

/// Newest first by the day assessed; on one day, the one recorded last first.
const ORDER: &str = "assessed_on DESC, created_at DESC, id";

pub(super) fn assessment(row: &AnyRow) -> Result<OutcomeAssessmentRow> {
    Ok(OutcomeAssessmentRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        point: row.try_get("point")?,
        assessed_on: row.try_get("assessed_on")?,
        note: row.try_get("note")?,
        scores: Vec::new(),
    })
}

impl Tx {
    /// Records an outcome assessment and each of its scores.
    pub async fn insert_outcome_assessment(&mut self, row: &OutcomeAssessmentRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO outcome_assessments (id, client_id, author, created_at, point, \
             assessed_on, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.point)
        .bind(&row.assessed_on)
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        for (domain, score) in &row.scores {
            sqlx::query(
                "INSERT INTO outcome_scores (assessment_id, client_id, domain, score) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(row.id.to_string())
            .bind(row.client_id.to_string())
            .bind(domain)
            .bind(score)
            .execute(&mut *self.reads.inner)
            .await?;
        }
        Ok(())
    }
}

impl Reads {
    /// A page of a client's outcome assessments with their scores, newest first: at most
    /// `limit`, after skipping `offset`.
    pub async fn outcomes_page(
        &mut self,
        client_id: ClientId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<OutcomeAssessmentRow>> {
        let table = ("outcome_assessments", COLUMNS);
        let mut rows = self
            .page_of(table, ORDER, client_id, (limit, offset), assessment)
            .await?;
        if rows.is_empty() {
            return Ok(rows);
        }
        let sql = format!(
            "SELECT assessment_id, domain, score FROM outcome_scores \
             WHERE assessment_id IN ({})",
            self.dialect.each_of("$1")
        );
        let ids = crate::json_list(rows.iter().map(|row| row.id));
        let mut scores: HashMap<OutcomeAssessmentId, Vec<(String, String)>> = HashMap::new();
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ids)
            .fetch_all(&mut *self.inner)
            .await?
        {
            scores
                .entry(parsed(&row, "assessment_id")?)
                .or_default()
                .push((row.try_get("domain")?, row.try_get("score")?));
        }
        for row in &mut rows {
            row.scores = scores.remove(&row.id).unwrap_or_default();
            row.scores.sort();
        }
        Ok(rows)
    }

    /// The day of a client's latest six-month review, if they had one.
    pub async fn latest_review(&mut self, client_id: ClientId) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT MAX(assessed_on) AS latest FROM outcome_assessments \
             WHERE client_id = $1 AND point = 'six-month'",
        )
        .bind(client_id.to_string())
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(row.try_get("latest")?)
    }
}
