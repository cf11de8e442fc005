//! A client's contact log: each time staff reached, or tried to reach, them.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use domain::contact::{Minutes, RawContact, parse_instant};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::StrictJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactBody {
    /// When the contact was, or was tried: RFC 3339 (`2026-03-31T14:05:00Z`, or with an offset
    /// such as `-05:00`); not more than five minutes ahead of the server's clock, nor before the
    /// client was recorded.
    occurred_at: String,
    /// How: in-person, phone, text, video or outreach.
    method: String,
    /// Whether the person was reached; `false` records an attempt ("tried to call, no answer").
    reached: bool,
    /// How long it lasted, in whole minutes (0 to 1440); leave out if not counted.
    minutes: Option<i64>,
    /// Who was there besides you and the client (up to 500 characters).
    present: Option<String>,
    /// A short note (up to 2,000 characters); a longer account belongs in a note.
    note: Option<String>,
}

impl ContactBody {
    pub(crate) fn parse(
        &self,
        now: domain::Timestamp,
    ) -> Result<domain::contact::NewContact, ApiError> {
        let raw = RawContact {
            occurred_at: parse_instant(&self.occurred_at).map_err(app::AppError::from)?,
            method: &self.method,
            reached: self.reached,
            minutes: self
                .minutes
                .map(Minutes::new)
                .transpose()
                .map_err(app::AppError::from)?,
            present: self.present.as_deref(),
            note: self.note.as_deref(),
        };
        Ok(raw.parse(now).map_err(app::AppError::from)?)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ContactResponse {
    id: String,
    /// Who logged it.
    author: String,
    /// When it was logged.
    created_at: String,
    /// When the contact was, or was tried.
    occurred_at: String,
    /// in-person, phone, text, video or outreach
    method: &'static str,
    /// `false`: an attempt that did not reach the person.
    reached: bool,
    minutes: Option<i64>,
    present: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ContactsResponse {
    contacts: Vec<ContactResponse>,
}

impl From<app::ContactView> for ContactResponse {
    fn from(c: app::ContactView) -> Self {
        Self {
            id: c.id.to_string(),
            author: c.author,
            created_at: c.created_at.rfc3339(),
            occurred_at: c.occurred_at.rfc3339(),
            method: c.method.as_str(),
            reached: c.reached,
            minutes: c.minutes,
            present: c.present,
            note: c.note,
        }
    }
}

#[utoipa::path(post, operation_id = "logContact", path = "/api/v1/clients/{id}/contacts", tag = "contacts",
    request_body = ContactBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<ContactBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let contact = body.parse(on.app.now())?;
    let id = on
        .app
        .log_contact(&on.caller, client, contact, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listContacts", path = "/api/v1/clients/{id}/contacts", tag = "contacts",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first, attempts included", body = ContactsResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<ContactsResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_CONTACTS)?;
    let contacts = on
        .app
        .contacts(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(ContactsResponse {
        contacts: each(contacts),
    }))
}
