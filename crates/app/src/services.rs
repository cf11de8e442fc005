//! Services delivered to a client: what was given, on which day, how, for how long.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::policy::Action;
use domain::service::{NewService, ServiceCode, ServiceMode};
use domain::{ClientId, ServiceId, Timestamp};
use store::rows::ServiceRow;

use crate::notes::actor_names;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "services";

/// The most services one request returns.
pub const MAX_SERVICES: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceView {
    pub id: ServiceId,
    /// Who recorded it, as recorded ("user:ID"): the member of staff who gave the service.
    pub author: String,
    /// The author's username, when a member of staff recorded it.
    pub author_name: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
    pub delivered_on: time::Date,
    pub code: ServiceCode,
    pub mode: ServiceMode,
    pub minutes: Option<i64>,
    pub units: Option<i64>,
    pub note: Option<String>,
}

impl App {
    /// Records a service given to a client. A service dated before the client was recorded is
    /// refused, naming `delivered_on` (asked only once access is granted, so that the refusal
    /// says nothing about a client the caller may not see).
    pub async fn record_service(
        &self,
        caller: &Caller,
        client: ClientId,
        service: NewService,
        purpose: Purpose,
    ) -> Result<ServiceId> {
        let by = Actor::User(caller.id);
        let part = (&[Action::WriteService][..], AuditAction::ServiceCreate);
        self.write_client(caller, client, part, purpose, move |app, grant, dek| {
            service.check_after(grant.row.created_at)?;
            let row = app.service_row((grant.client, &dek), &service, (by, app.now()));
            Ok((store::Plan::service(&row)?, row.id))
        })
        .await
    }

    /// A new service's row for `client` (its note sealed under the client's key), recorded by
    /// `actor` at `now`.
    pub(crate) fn service_row(
        &self,
        (client, dek): (ClientId, &crypto::DataKey),
        service: &NewService,
        (actor, now): (Actor, Timestamp),
    ) -> ServiceRow {
        let id = ServiceId::from_random(self.entropy().bytes());
        let note = service
            .note
            .as_ref()
            .map(|note| seal(self, dek, TABLE, "note", &id.to_string(), note.as_str()));
        ServiceRow {
            id,
            client_id: client,
            author: actor.encode(),
            created_at: now,
            delivered_on: format_date(service.delivered_on),
            code: service.code.as_str().to_owned(),
            mode: service.mode.as_str().to_owned(),
            minutes: service.minutes.map(|m| m.get()),
            units: service.units.map(|u| u.get()),
            note,
        }
    }

    /// A page of a client's services, newest first by the day each was given: at most `limit`
    /// (1 to `MAX_SERVICES`), after skipping `offset`. A page shorter than `limit` is the last.
    pub async fn services(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<ServiceView>> {
        let (limit, offset) = (limit.clamp(1, MAX_SERVICES), offset.max(0));
        let part = (Action::ReadServices, AuditAction::ServiceList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.services_page(client, limit, offset).await?;
            let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            open_service_rows(&dek, rows, &authors)
        })
        .await
    }
}

/// Opens services already read, with their authors' names (`actor_names`).
pub(crate) fn open_service_rows(
    dek: &crypto::DataKey,
    rows: Vec<ServiceRow>,
    authors: &HashMap<String, Option<String>>,
) -> Result<Vec<ServiceView>> {
    rows.into_iter()
        .map(|row| {
            let corrupt = |what| AppError::Store(store::StoreError::Corrupt(what));
            let id = row.id.to_string();
            Ok(ServiceView {
                note: open_opt(dek, TABLE, "note", &id, row.note.as_deref())?,
                delivered_on: parse_date("delivered_on", &row.delivered_on)
                    .map_err(|_| corrupt("a service's date"))?,
                code: ServiceCode::parse(&row.code).map_err(|_| corrupt("a service's code"))?,
                mode: ServiceMode::parse(&row.mode).map_err(|_| corrupt("a service's mode"))?,
                author_name: authors.get(&row.author).cloned().flatten(),
                id: row.id,
                author: row.author,
                created_at: row.created_at,
                minutes: row.minutes,
                units: row.units,
            })
        })
        .collect()
}
