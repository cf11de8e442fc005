//! Case work on a client: cases and notes, and the cases and needs of many clients' pages at once.

use std::collections::HashMap;

use domain::{CaseId, ClientId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, one, opt_parsed, parsed, ts};
use crate::Result;
use crate::rows::{CaseRow, NoteRow, RecordRows};

pub(super) const NOTE_COLUMNS: &str = "id, client_id, author, created_at, kind, body";
/// Newest first by when each note was written.
const NOTE_ORDER: &str = "created_at DESC, id";

pub(super) fn note(row: &AnyRow) -> Result<NoteRow> {
    Ok(NoteRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        kind: row.try_get("kind")?,
        body: row.try_get("body")?,
    })
}

pub(super) fn case(row: &AnyRow) -> Result<CaseRow> {
    Ok(CaseRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        program: row.try_get("program")?,
        opened_on: row.try_get("opened_on")?,
        closed_on: row.try_get("closed_on")?,
        assigned_to: opt_parsed(row, "assigned_to")?,
        created_at: ts(row, "created_at")?,
        transferred_from: opt_parsed(row, "transferred_from")?,
    })
}

impl Tx {
    pub async fn insert_note(&mut self, row: &NoteRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO notes (id, client_id, author, created_at, kind, body) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.kind)
        .bind(row.body.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_case(&mut self, row: &CaseRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO cases (id, client_id, program, opened_on, closed_on, assigned_to, created_at, \
             transferred_from, profile_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             (SELECT profile_id FROM clients WHERE id = $2))",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.program)
        .bind(&row.opened_on)
        .bind(row.closed_on.clone())
        .bind(row.assigned_to.map(|u| u.to_string()))
        .bind(row.created_at.unix_millis())
        .bind(row.transferred_from.map(|c| c.to_string()))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Closes an open case of a client on `closed_on` (YYYY-MM-DD); whether there was such an
    /// open case to close.
    pub async fn close_case(
        &mut self,
        client: ClientId,
        case: CaseId,
        closed_on: &str,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE cases SET closed_on = $3 WHERE id = $2 AND client_id = $1 AND closed_on IS NULL",
        )
        .bind(client.to_string())
        .bind(case.to_string())
        .bind(closed_on)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Reads {
    /// A page of a client's notes, newest first: at most `limit`, after skipping `offset`.
    pub async fn notes_page(
        &mut self,
        client_id: ClientId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<NoteRow>> {
        let table = ("notes", NOTE_COLUMNS);
        self.page_of(table, NOTE_ORDER, client_id, (limit, offset), note)
            .await
    }

    /// A client's cases, the most recently opened first.
    pub async fn cases(&mut self, client_id: ClientId) -> Result<Vec<CaseRow>> {
        Ok(one(self.cases_of(&[client_id]).await?, client_id))
    }

    /// The cases of each of `clients`, the most recently opened first.
    pub async fn cases_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, Vec<CaseRow>>> {
        let sql = format!(
            "SELECT id, client_id, program, opened_on, closed_on, assigned_to, created_at, \
             transferred_from FROM cases \
             WHERE client_id IN ({}) ORDER BY opened_on DESC, id",
            self.dialect.each_of("$1")
        );
        self.per_client(sql, clients, None, case).await
    }

    /// What the pages of `clients` show besides their own rows and their history, in three
    /// queries for them all: every case, and the latest needs assessment (it and its answers).
    pub async fn records_of(
        &mut self,
        clients: &[ClientId],
    ) -> Result<HashMap<ClientId, RecordRows>> {
        let mut cases = self.cases_of(clients).await?;
        let mut needs = self.latest_needs_of(clients).await?;
        Ok(clients
            .iter()
            .map(|id| {
                let record = RecordRows {
                    cases: cases.remove(id).unwrap_or_default(),
                    needs: needs.remove(id),
                };
                (*id, record)
            })
            .collect())
    }
}
