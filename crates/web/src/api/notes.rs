//! Contact notes on a client.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::note::NoteText;
use serde::{Deserialize, Serialize};

use super::Created;
use crate::ApiError;
use crate::extract::{Authenticated, Purpose, StrictJson, record_id};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteBody {
    /// What happened, in your words (up to 20,000 characters).
    text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NoteResponse {
    id: String,
    author: String,
    created_at: String,
    text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NotesResponse {
    notes: Vec<NoteResponse>,
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/notes", tag = "notes", request_body = NoteBody,
    params(("id" = String, Path, description = "Client id")),
    responses((status = 201, body = Created), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
    StrictJson(body): StrictJson<NoteBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let client = record_id(&id)?;
    let text = NoteText::parse(&body.text).map_err(app::AppError::from)?;
    let note = app.add_note(&caller, client, text, purpose).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: note.to_string(),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/notes", tag = "notes",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Newest first", body = NotesResponse),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
) -> Result<Json<NotesResponse>, ApiError> {
    let notes = app.notes(&caller, record_id(&id)?, purpose).await?;
    Ok(Json(NotesResponse {
        notes: notes
            .into_iter()
            .map(|n| NoteResponse {
                id: n.id.to_string(),
                author: n.author,
                created_at: n.created_at.rfc3339(),
                text: n.text,
            })
            .collect(),
    }))
}
