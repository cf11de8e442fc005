//! A client's contact log: each time staff reached, or tried to reach, them.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::contact::{ContactMethod, NewContact};
use domain::policy::Action;
use domain::{ClientId, ContactId, Timestamp};
use store::rows::ContactRow;

use crate::notes::actor_names;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "contacts";

/// The most contacts one request returns.
pub const MAX_CONTACTS: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactView {
    pub id: ContactId,
    /// Who logged it, as recorded ("user:ID", or "operator" for imports).
    pub author: String,
    /// The author's username, when a member of staff logged it.
    pub author_name: Option<String>,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When the contact was, or was tried.
    pub occurred_at: Timestamp,
    pub method: ContactMethod,
    /// Whether the person was reached; `false` is an attempt.
    pub reached: bool,
    pub minutes: Option<i64>,
    pub present: Option<String>,
    pub note: Option<String>,
}

impl App {
    /// Logs a contact with a client, or an attempt at one. A contact dated before the client was
    /// recorded is refused, naming `occurred_at` (asked only once access is granted, so that the
    /// refusal says nothing about a client the caller may not see).
    pub async fn log_contact(
        &self,
        caller: &Caller,
        client: ClientId,
        contact: NewContact,
        purpose: Purpose,
    ) -> Result<ContactId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteContact])
            .await?;
        contact.check_after(work.grant.row.created_at)?;
        let dek = work.key().await?;
        let id = self
            .insert_contact(&mut work.tx, &dek, (work.grant.client, caller), &contact)
            .await?;
        work.done(AuditAction::ContactCreate, purpose).await?;
        Ok(id)
    }

    /// A page of a client's contacts, newest first by when each was: at most `limit` (1 to
    /// `MAX_CONTACTS`), after skipping `offset`. A page shorter than `limit` is the last.
    pub async fn contacts(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<ContactView>> {
        let (limit, offset) = (limit.clamp(1, MAX_CONTACTS), offset.max(0));
        let part = (Action::ReadContacts, AuditAction::ContactList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.contacts_page(client, limit, offset).await?;
            let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            open_contact_rows(&dek, rows, &authors)
        })
        .await
    }
}

impl App {
    /// Writes `contact` into `client`'s log, its words sealed, as logged by `caller`.
    pub(crate) async fn insert_contact(
        &self,
        tx: &mut store::Tx,
        dek: &crypto::DataKey,
        (client, caller): (ClientId, &Caller),
        contact: &NewContact,
    ) -> Result<ContactId> {
        let id = ContactId::from_random(self.entropy().bytes());
        let row = id.to_string();
        let sealed = |column, text: Option<&str>| {
            text.map(|text| seal(self, dek, TABLE, column, &row, text))
        };
        let present = sealed("present", contact.present.as_ref().map(|p| p.as_str()));
        let note = sealed("note", contact.note.as_ref().map(|n| n.as_str()));
        tx.insert_contact(&ContactRow {
            id,
            client_id: client,
            author: Actor::User(caller.id).encode(),
            created_at: self.now(),
            occurred_at: contact.occurred_at,
            method: contact.method.as_str().to_owned(),
            reached: contact.reached,
            minutes: contact.minutes.map(|m| m.get()),
            present,
            note,
        })
        .await?;
        Ok(id)
    }
}

/// Opens contacts already read, with their authors' names (`actor_names`).
pub(crate) fn open_contact_rows(
    dek: &crypto::DataKey,
    rows: Vec<ContactRow>,
    authors: &HashMap<String, Option<String>>,
) -> Result<Vec<ContactView>> {
    rows.into_iter()
        .map(|row| {
            let id = row.id.to_string();
            let opened =
                |column, blob: &Option<Vec<u8>>| open_opt(dek, TABLE, column, &id, blob.as_deref());
            let corrupt = || AppError::Store(store::StoreError::Corrupt("a contact's method"));
            Ok(ContactView {
                present: opened("present", &row.present)?,
                note: opened("note", &row.note)?,
                method: ContactMethod::parse(&row.method).map_err(|_| corrupt())?,
                id: row.id,
                author_name: authors.get(&row.author).cloned().flatten(),
                author: row.author,
                created_at: row.created_at,
                occurred_at: row.occurred_at,
                reached: row.reached,
                minutes: row.minutes,
            })
        })
        .collect()
}
