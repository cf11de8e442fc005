//! A client's needs assessments, each with its answers (one row per domain), the newest first by
//! the day it was made (and, on one day, the one recorded last).

use std::collections::HashMap;

use domain::{ClientId, NeedsAssessmentId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, newest_of, parsed, ts};
use crate::Result;
use crate::rows::{NeedAnswerRow, NeedsAssessmentRow};

pub(super) const COLUMNS: &str = "id, client_id, author, created_at, assessed_on, note";

/// Newest first by the day assessed; on one day, the one recorded last first.
const ORDER: &str = "assessed_on DESC, created_at DESC, id";

/// An assessment's own row, its answers still to be read.
pub(super) fn assessment(row: &AnyRow) -> Result<NeedsAssessmentRow> {
    Ok(NeedsAssessmentRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        assessed_on: row.try_get("assessed_on")?,
        note: row.try_get("note")?,
        answers: Vec::new(),
    })
}

impl Tx {
    /// Records an assessment and each of its answers.
    pub async fn insert_needs_assessment(&mut self, row: &NeedsAssessmentRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO need_assessments (id, client_id, author, created_at, assessed_on, note) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.assessed_on)
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        for answer in &row.answers {
            sqlx::query(
                "INSERT INTO need_answers (assessment_id, client_id, domain, level, note) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(row.id.to_string())
            .bind(row.client_id.to_string())
            .bind(&answer.domain)
            .bind(&answer.level)
            .bind(answer.note.clone())
            .execute(&mut *self.reads.inner)
            .await?;
        }
        Ok(())
    }
}

impl Reads {
    /// A page of a client's assessments with their answers, newest first: at most `limit`, after
    /// skipping `offset`.
    pub async fn needs_page(
        &mut self,
        client_id: ClientId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<NeedsAssessmentRow>> {
        let table = ("need_assessments", COLUMNS);
        let rows = self
            .page_of(table, ORDER, client_id, (limit, offset), assessment)
            .await?;
        self.with_answers(rows).await
    }

    /// The latest assessment of each of `clients` that has one, with its answers.
    pub async fn latest_needs_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, NeedsAssessmentRow>> {
        let sql = newest_of(COLUMNS, "need_assessments", ORDER, self.dialect);
        let latest = self.per_client(sql, clients, Some(1), assessment).await?;
        let rows = latest.into_values().flatten().collect();
        Ok(self
            .with_answers(rows)
            .await?
            .into_iter()
            .map(|row| (row.client_id, row))
            .collect())
    }

    /// `rows` with their answers, read in one query for them all, each in the order of the
    /// domains' codes (byte by byte, whatever the database's collation).
    pub(super) async fn with_answers(
        &mut self,
        mut rows: Vec<NeedsAssessmentRow>,
    ) -> Result<Vec<NeedsAssessmentRow>> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let sql = format!(
            "SELECT assessment_id, domain, level, note FROM need_answers \
             WHERE assessment_id IN ({})",
            self.dialect.each_of("$1")
        );
        let ids = crate::json_list(rows.iter().map(|row| row.id));
        let mut answers: HashMap<NeedsAssessmentId, Vec<NeedAnswerRow>> = HashMap::new();
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(ids)
            .fetch_all(&mut *self.inner)
            .await?
        {
            answers
                .entry(parsed(&row, "assessment_id")?)
                .or_default()
                .push(NeedAnswerRow {
                    domain: row.try_get("domain")?,
                    level: row.try_get("level")?,
                    note: row.try_get("note")?,
                });
        }
        for row in &mut rows {
            row.answers = answers.remove(&row.id).unwrap_or_default();
            row.answers.sort_by(|a, b| a.domain.cmp(&b.domain));
        }
        Ok(rows)
    }
}
