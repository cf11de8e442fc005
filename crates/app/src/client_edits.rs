//! Changing a client's details (names, other names, date of birth, contact details, languages,
//! gender, age range), each change kept: who made it, when, which fields, and what they held
//! before, sealed under the client's key.

use domain::audit::{Actor, AuditAction};
use domain::client::{
    ClientDetails, ContactDetails, DateOfBirth, DetailField, DetailsEdit, LegalName,
    PersonalDetails, PreferredName, parse_aliases, parse_languages,
};
use domain::policy::Action;
use domain::{ClientChangeId, ClientId, Timestamp};
use store::rows::ClientChangeRow;

use crate::clients::ClientView;
use crate::notes::actor_names;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "client_changes";

/// The most changes one request reads.
pub const MAX_CHANGES: i64 = 200;

/// One change to a client's details, as the history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientChangeView {
    pub id: ClientChangeId,
    pub changed_at: Timestamp,
    /// Who made it, as recorded ("user:ID").
    pub author: String,
    /// Their username.
    pub author_name: Option<String>,
    /// Each field changed, with what it held before (text, a list, or null for nothing).
    pub before: Vec<(DetailField, serde_json::Value)>,
}

/// The details a stored record holds, typed again (they were checked when written, so a value
/// that no longer parses is corruption, not input).
fn details_of(view: &ClientView, today: time::Date) -> Result<ClientDetails> {
    let corrupt = |_| AppError::Store(store::StoreError::Corrupt("a client's details"));
    Ok(ClientDetails {
        preferred_name: PreferredName::parse(&view.preferred_name).map_err(corrupt)?,
        personal: PersonalDetails {
            legal_name: LegalName::parse_optional(view.legal_name.as_deref()).map_err(corrupt)?,
            date_of_birth: view
                .date_of_birth
                .as_deref()
                .map(|d| DateOfBirth::parse(d, today))
                .transpose()
                .map_err(corrupt)?,
            contact: ContactDetails::parse_optional(view.contact.as_deref()).map_err(corrupt)?,
            languages: parse_languages(&view.languages).map_err(corrupt)?,
            aliases: parse_aliases(&view.aliases).map_err(corrupt)?,
        },
        gender: view.gender,
        age_band: view.age_band,
        profile: view.profile,
    })
}

impl App {
    /// Changes a client's details and keeps the change; the fields it really changed (none when
    /// everything sent was as it was, and then nothing is recorded).
    pub async fn edit_client(
        &self,
        caller: &Caller,
        client: ClientId,
        edit: &DetailsEdit,
        purpose: Purpose,
    ) -> Result<Vec<DetailField>> {
        let work = self
            .client_work(caller, client, &[Action::EditClient])
            .await?;
        let dek = work.key().await?;
        let today = self.now().date();
        let before = details_of(&Self::open_client(&work.grant.row, &dek)?, today)?;
        let (after, changed) = before.apply(edit, today);
        if changed.is_empty() {
            return Ok(changed);
        }
        let mut work = work;
        let id = ClientChangeId::from_random(self.entropy().bytes());
        let previous: serde_json::Map<String, serde_json::Value> = changed
            .iter()
            .map(|field| (field.as_str().to_owned(), before.value_of(*field)))
            .collect();
        let previous = serde_json::Value::Object(previous).to_string();
        let fields: Vec<&str> = changed.iter().map(|field| field.as_str()).collect();
        let row_id = id.to_string();
        work.tx
            .insert_client_change(&ClientChangeRow {
                id,
                client_id: work.grant.client,
                author: Actor::User(caller.id).encode(),
                changed_at: self.now(),
                fields: fields.join(","),
                previous: Some(seal(self, &dek, TABLE, "previous", &row_id, &previous)),
            })
            .await?;
        // The age at intake is of the day the client was recorded, whenever the date is corrected.
        let intake = work.grant.row.created_at.date();
        let details = self.sealed_details(work.grant.client, &dek, &after, intake);
        work.tx.set_client_details(&details).await?;
        work.done(AuditAction::ClientEdit, purpose).await?;
        Ok(changed)
    }

    /// A client's history of changes, newest first: at most `MAX_CHANGES`.
    pub async fn client_changes(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<ClientChangeView>> {
        let part = (Action::ReadClient, AuditAction::ClientHistory);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.client_changes(client, MAX_CHANGES).await?;
            let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            rows.into_iter()
                .map(|row| {
                    let author_name = authors.get(&row.author).cloned().flatten();
                    open_change(&dek, row, author_name)
                })
                .collect()
        })
        .await
    }
}

/// Opens one change: each field named, with its value before (nothing, once erased).
fn open_change(
    dek: &crypto::DataKey,
    row: ClientChangeRow,
    author_name: Option<String>,
) -> Result<ClientChangeView> {
    let corrupt = || AppError::Store(store::StoreError::Corrupt("a client's history of changes"));
    let previous = open_opt(
        dek,
        TABLE,
        "previous",
        &row.id.to_string(),
        row.previous.as_deref(),
    )?;
    let mut previous: serde_json::Map<String, serde_json::Value> = match previous {
        Some(json) => serde_json::from_str(&json).map_err(|_| corrupt())?,
        None => serde_json::Map::new(),
    };
    let before = row
        .fields
        .split(',')
        .map(|name| {
            let field = DetailField::parse(name).map_err(|_| corrupt())?;
            let value = previous.remove(name).unwrap_or(serde_json::Value::Null);
            Ok((field, value))
        })
        .collect::<Result<_>>()?;
    Ok(ClientChangeView {
        id: row.id,
        changed_at: row.changed_at,
        author: row.author,
        author_name,
        before,
    })
}
