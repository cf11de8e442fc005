//! Screenings on a client, and the instruments they use.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::ApiError;
use crate::extract::{Authenticated, Purpose, StrictJson, record_id};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreeningBody {
    /// The instrument's id, e.g. `sscst-6`.
    instrument: String,
    /// Item id to answer: `yes`, `no`, `declined` or `unknown` (or a choice code, a date, a short text).
    answers: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ScreeningResult {
    id: String,
    instrument: String,
    version: String,
    score: Option<u32>,
    /// positive (look further), negative or incomplete. Never a finding about the person.
    result: &'static str,
    recommended_action: String,
    indicators: Vec<String>,
    unanswered: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ScreeningRecord {
    id: String,
    instrument: String,
    instrument_version: String,
    score: Option<i64>,
    result: Option<String>,
    answers: BTreeMap<String, String>,
    screened_by: String,
    created_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ScreeningsResponse {
    screenings: Vec<ScreeningRecord>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct InstrumentSummary {
    id: String,
    version: String,
    title: String,
    population: String,
    setting: String,
    validated: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct InstrumentsResponse {
    instruments: Vec<InstrumentSummary>,
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/screenings", tag = "screenings", request_body = ScreeningBody,
    params(("id" = String, Path, description = "Client id")),
    responses((status = 201, description = "Scored and recorded", body = ScreeningResult),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
    StrictJson(body): StrictJson<ScreeningBody>,
) -> Result<(StatusCode, Json<ScreeningResult>), ApiError> {
    let client = record_id(&id)?;
    let (id, s) = app
        .record_screening(&caller, client, &body.instrument, &body.answers, purpose)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ScreeningResult {
            id: id.to_string(),
            instrument: s.instrument,
            version: s.version,
            score: s.score,
            result: s.result.as_str(),
            recommended_action: s.recommended_action,
            indicators: s.indicators,
            unanswered: s.unanswered,
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/screenings", tag = "screenings",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Newest first", body = ScreeningsResponse),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
) -> Result<Json<ScreeningsResponse>, ApiError> {
    let screenings = app.screenings(&caller, record_id(&id)?, purpose).await?;
    Ok(Json(ScreeningsResponse {
        screenings: screenings
            .into_iter()
            .map(|s| ScreeningRecord {
                id: s.id.to_string(),
                instrument: s.instrument,
                instrument_version: s.instrument_version,
                score: s.score,
                result: s.result,
                answers: s.answers,
                screened_by: s.screened_by,
                created_at: s.created_at.rfc3339(),
            })
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/instruments", tag = "screenings",
    responses((status = 200, body = InstrumentsResponse), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn instruments(
    _caller: Authenticated,
) -> Result<Json<InstrumentsResponse>, ApiError> {
    let all = app::screenings::instruments()?;
    Ok(Json(InstrumentsResponse {
        instruments: all
            .iter()
            .map(|i| InstrumentSummary {
                id: i.id.clone(),
                version: i.version.clone(),
                title: i.title.clone(),
                population: i.population.clone(),
                setting: i.setting.clone(),
                validated: i.validated,
            })
            .collect(),
    }))
}
