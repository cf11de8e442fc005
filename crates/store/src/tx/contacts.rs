//! A client's contact log: each contact, or attempt at one, newest first by when it was.

use domain::ClientId;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Reads, Tx, parsed, ts};
use crate::Result;
use crate::rows::ContactRow;

/// Newest first by when each contact was.
const ORDER: &str = "occurred_at DESC, id";

pub(super) const COLUMNS: &str =
    "id, client_id, author, created_at, occurred_at, method, reached, minutes, present, note";

pub(super) fn contact(row: &AnyRow) -> Result<ContactRow> {
    Ok(ContactRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        occurred_at: ts(row, "occurred_at")?,
        method: row.try_get("method")?,
        reached: row.try_get::<i64, _>("reached")? == 1,
        minutes: row.try_get("minutes")?,
        present: row.try_get("present")?,
        note: row.try_get("note")?,
    })
}

impl Tx {
    pub async fn insert_contact(&mut self, row: &ContactRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO contacts (id, client_id, author, created_at, occurred_at, method, \
             reached, minutes, present, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(row.occurred_at.unix_millis())
        .bind(&row.method)
        .bind(i64::from(row.reached))
        .bind(row.minutes)
        .bind(row.present.clone())
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }
}

impl Reads {
    /// A page of a client's contacts, newest first by when each was: at most `limit`, after
    /// skipping `offset`.
    pub async fn contacts_page(
        &mut self,
        client_id: ClientId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ContactRow>> {
        let table = ("contacts", COLUMNS);
        self.page_of(table, ORDER, client_id, (limit, offset), contact)
            .await
    }
}
