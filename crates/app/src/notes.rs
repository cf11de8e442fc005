//! Contact notes on a client.

use domain::audit::{Actor, AuditAction};
use domain::note::NoteText;
use domain::policy::Action;
use domain::{ClientId, NoteId, Timestamp};
use store::rows::NoteRow;

use crate::access::target;
use crate::seal::{open, seal};
use crate::{App, Caller, Purpose, Result};

const TABLE: &str = "notes";

/// The most notes one request returns.
pub const MAX_NOTES: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    pub id: NoteId,
    pub author: String,
    pub created_at: Timestamp,
    pub text: String,
}

impl App {
    pub async fn add_note(
        &self,
        caller: &Caller,
        client: ClientId,
        text: NoteText,
        purpose: Purpose,
    ) -> Result<NoteId> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::WriteNote,
            )
            .await?;
        let dek = self.client_key(grant.client).await?;
        let id = NoteId::from_random(self.entropy().bytes());
        let row = NoteRow {
            id,
            client_id: grant.client,
            author: Actor::User(caller.id).encode(),
            created_at: self.now(),
            body: Some(seal(
                self,
                &dek,
                TABLE,
                "body",
                &id.to_string(),
                text.as_str(),
            )),
        };
        tx.insert_note(&row).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::NoteCreate,
            Some(target(client)),
            purpose.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A client's notes, newest first.
    pub async fn notes(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<NoteView>> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::ReadNotes,
            )
            .await?;
        let dek = self.client_key(grant.client).await?;
        let rows = tx.notes(grant.client, MAX_NOTES).await?;
        let mut notes = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(body) = row.body.as_deref() else {
                continue;
            };
            notes.push(NoteView {
                id: row.id,
                author: row.author.clone(),
                created_at: row.created_at,
                text: open(&dek, TABLE, "body", &row.id.to_string(), body)?,
            });
        }
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::NoteList,
            Some(target(client)),
            purpose.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(notes)
    }
}
