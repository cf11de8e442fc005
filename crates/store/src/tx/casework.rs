//! Case work on a client: cases, notes, and a client's page's rows read for many clients at once.

use std::collections::HashMap;

use domain::ClientId;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, newest_of, one, opt_parsed, parsed, ts};
use crate::Result;
use crate::rows::{CaseRow, NoteRow, RecordRows};

pub(super) fn note(row: &AnyRow) -> Result<NoteRow> {
    Ok(NoteRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
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
    })
}

impl Tx {
    pub async fn insert_note(&mut self, row: &NoteRow) -> Result<()> {
        sqlx::query("INSERT INTO notes (id, client_id, author, created_at, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(row.id.to_string())
            .bind(row.client_id.to_string())
            .bind(&row.author)
            .bind(row.created_at.unix_millis())
            .bind(row.body.clone())
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }

    pub async fn insert_case(&mut self, row: &CaseRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO cases (id, client_id, program, opened_on, closed_on, assigned_to, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.program)
        .bind(&row.opened_on)
        .bind(row.closed_on.clone())
        .bind(row.assigned_to.map(|u| u.to_string()))
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
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
        sqlx::query(
            "SELECT id, client_id, author, created_at, body FROM notes WHERE client_id = $1 \
             ORDER BY created_at DESC, id LIMIT $2 OFFSET $3",
        )
        .bind(client_id.to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(note)
        .collect()
    }

    /// The newest notes of each of `clients`, at most `limit` each.
    pub async fn notes_of(
        &mut self,
        clients: &[ClientId],
        limit: i64,
    ) -> Result<HashMap<ClientId, Vec<NoteRow>>> {
        let sql = newest_of(
            "id, client_id, author, created_at, body",
            "notes",
            "created_at DESC, id",
            self.dialect,
        );
        self.per_client(sql, clients, Some(limit), note).await
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
            "SELECT id, client_id, program, opened_on, closed_on, assigned_to, created_at FROM cases \
             WHERE client_id IN ({}) ORDER BY opened_on DESC, id",
            self.dialect.each_of("$1")
        );
        self.per_client(sql, clients, None, case).await
    }

    /// What the pages of `clients` show besides their own rows, in six queries for them all:
    /// every case and screening, and the newest `limit` of each other kind of record.
    pub async fn records_of(
        &mut self,
        clients: &[ClientId],
        limit: i64,
    ) -> Result<HashMap<ClientId, RecordRows>> {
        let mut cases = self.cases_of(clients).await?;
        let mut notes = self.notes_of(clients, limit).await?;
        let mut contacts = self.contacts_of(clients, limit).await?;
        let mut services = self.services_of(clients, limit).await?;
        let mut screenings = self.screenings_of(clients).await?;
        let mut determinations = self.determinations_of(clients, limit).await?;
        Ok(clients
            .iter()
            .map(|id| {
                let record = RecordRows {
                    cases: cases.remove(id).unwrap_or_default(),
                    notes: notes.remove(id).unwrap_or_default(),
                    contacts: contacts.remove(id).unwrap_or_default(),
                    services: services.remove(id).unwrap_or_default(),
                    screenings: screenings.remove(id).unwrap_or_default(),
                    determinations: determinations.remove(id).unwrap_or_default(),
                };
                (*id, record)
            })
            .collect())
    }
}
