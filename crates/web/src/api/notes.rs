//! Notes on a client, each of a kind.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use domain::note::{NewNote, NoteKind, NoteText};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::StrictJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    /// What happened, in your words (up to 20,000 characters; line breaks and tabs are kept, other
    /// control characters are refused).
    text: String,
    /// What the note is about: general (the default), safety, legal, health, housing or
    /// supervision.
    kind: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NoteResponse {
    id: String,
    author: String,
    created_at: String,
    /// general, safety, legal, health, housing or supervision
    kind: &'static str,
    text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NotesResponse {
    notes: Vec<NoteResponse>,
}

impl From<app::NoteView> for NoteResponse {
    fn from(n: app::NoteView) -> Self {
        Self {
            id: n.id.to_string(),
            author: n.author,
            created_at: n.created_at.rfc3339(),
            kind: n.kind.as_str(),
            text: n.text,
        }
    }
}

#[utoipa::path(post, operation_id = "addNote", path = "/api/v1/clients/{id}/notes", tag = "notes", request_body = NoteBody,
    params(ClientPath), responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<NoteBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let note = NewNote {
        kind: NoteKind::parse_or_default(body.kind.as_deref()).map_err(app::AppError::from)?,
        text: NoteText::parse(&body.text).map_err(app::AppError::from)?,
    };
    let id = on
        .app
        .add_note(&on.caller, client, note, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listNotes", path = "/api/v1/clients/{id}/notes", tag = "notes",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first", body = NotesResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<NotesResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_NOTES)?;
    let notes = on
        .app
        .notes(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(NotesResponse { notes: each(notes) }))
}
