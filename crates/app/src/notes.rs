//! Notes on a client, each of a kind.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::note::{NewNote, NoteKind};
use domain::policy::Action;
use domain::{ClientId, NoteId, Timestamp, UserId};
use store::rows::NoteRow;

use crate::seal::{open, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "notes";

/// The most notes one request returns.
pub const MAX_NOTES: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteView {
    pub id: NoteId,
    /// Who wrote it, as recorded ("user:ID", or "operator" for imports).
    pub author: String,
    /// The author's username, when a member of staff wrote it.
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    pub kind: NoteKind,
    pub text: String,
}

impl App {
    /// Adds a note (words alone make a case note: `NoteText` turns into a `NewNote`).
    pub async fn add_note(
        &self,
        caller: &Caller,
        client: ClientId,
        note: impl Into<NewNote>,
        purpose: Purpose,
    ) -> Result<NoteId> {
        let NewNote { kind, text } = note.into();
        let part = (Action::WriteNote, AuditAction::NoteCreate);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let id = NoteId::from_random(self.entropy().bytes());
            let body = seal(self, &dek, TABLE, "body", &id.to_string(), text.as_str());
            tx.insert_note(&NoteRow {
                id,
                client_id: client,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                kind: kind.as_str().to_owned(),
                body: Some(body),
            })
            .await?;
            Ok(id)
        })
        .await
    }

    /// A page of a client's notes, newest first: at most `limit` (1 to `MAX_NOTES`), after
    /// skipping `offset`. A page shorter than `limit` is the last.
    pub async fn notes(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<NoteView>> {
        let (limit, offset) = (limit.clamp(1, MAX_NOTES), offset.max(0));
        let part = (Action::ReadNotes, AuditAction::NoteList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.notes_page(client, limit, offset).await?;
            let authors = author_names(tx, &rows).await?;
            open_note_rows(&dek, rows, &authors)
        })
        .await
    }
}

/// The username of each note's author, by the author as stored; `None` for an author who is not
/// a member of staff (the operator) or whose account is gone.
async fn author_names(
    tx: &mut store::Reads,
    rows: &[store::rows::NoteRow],
) -> Result<HashMap<String, Option<String>>> {
    let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
    actor_names(tx, &authors).await
}

/// The usernames of the staff among `actors` (as the audit names them, `user:<id>`), by actor;
/// `None` for anyone else (an operator, the system) or an account that is gone.
pub(crate) async fn actor_names(
    tx: &mut store::Reads,
    actors: &[String],
) -> Result<HashMap<String, Option<String>>> {
    let users: Vec<UserId> = actors
        .iter()
        .filter_map(|actor| match Actor::decode(actor) {
            Some(Actor::User(user)) => Some(user),
            _ => None,
        })
        .collect();
    let usernames = tx.usernames_of(&users).await?;
    Ok(actors
        .iter()
        .map(|actor| {
            let name = match Actor::decode(actor) {
                Some(Actor::User(user)) => usernames.get(&user).cloned(),
                _ => None,
            };
            (actor.clone(), name)
        })
        .collect())
}

/// Opens notes already read; erased notes (no body) are left out.
pub(crate) fn open_note_rows(
    dek: &crypto::DataKey,
    rows: Vec<store::rows::NoteRow>,
    authors: &HashMap<String, Option<String>>,
) -> Result<Vec<NoteView>> {
    rows.into_iter()
        .filter_map(|row| {
            let body = row.body.as_deref()?;
            let opened = open(dek, TABLE, "body", &row.id.to_string(), body).and_then(|text| {
                let kind = NoteKind::parse(&row.kind)
                    .map_err(|_| AppError::Store(store::StoreError::Corrupt("a note's kind")))?;
                Ok((kind, text))
            });
            Some(opened.map(|(kind, text)| NoteView {
                id: row.id,
                author_name: authors.get(&row.author).cloned().flatten(),
                author: row.author,
                created_at: row.created_at,
                kind,
                text,
            }))
        })
        .collect()
}
