//! Screenings on a client, and the instruments they use.

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use domain::ScreeningId;
use domain::instrument::{Instrument, Screening};
use serde::{Deserialize, Serialize};

use super::shape::{ClientPath, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{Authenticated, StrictJson, UniqueKeys};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScreeningBody {
    /// The instrument's id, e.g. `sscst-6`.
    instrument: String,
    /// Item id to answer: `yes`, `no`, `declined` or `unknown` (or a choice code, a date, a short text).
    #[schema(value_type = BTreeMap<String, String>)]
    answers: UniqueKeys<String>,
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

impl From<(ScreeningId, Screening)> for ScreeningResult {
    fn from((id, s): (ScreeningId, Screening)) -> Self {
        Self {
            id: id.to_string(),
            instrument: s.instrument,
            version: s.version,
            score: s.score,
            result: s.result.as_str(),
            recommended_action: s.recommended_action,
            indicators: s.indicators,
            unanswered: s.unanswered,
        }
    }
}

impl From<app::ScreeningView> for ScreeningRecord {
    fn from(s: app::ScreeningView) -> Self {
        Self {
            id: s.id.to_string(),
            instrument: s.instrument,
            instrument_version: s.instrument_version,
            score: s.score,
            result: s.result,
            answers: s.answers,
            screened_by: s.screened_by,
            created_at: s.created_at.rfc3339(),
        }
    }
}

impl From<&Instrument> for InstrumentSummary {
    fn from(i: &Instrument) -> Self {
        Self {
            id: i.id.clone(),
            version: i.version.clone(),
            title: i.title.clone(),
            population: i.population.clone(),
            setting: i.setting.clone(),
            validated: i.validated,
        }
    }
}

#[utoipa::path(post, operation_id = "recordScreening", path = "/api/v1/clients/{id}/screenings", tag = "screenings",
    request_body = ScreeningBody, params(ClientPath),
    responses((status = 201, description = "Scored and recorded", body = ScreeningResult),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<ScreeningBody>,
) -> Result<(StatusCode, Json<ScreeningResult>), ApiError> {
    let client = on.client()?;
    let (app, caller) = (&on.app, &on.caller);
    let scored = app
        .record_screening(
            caller,
            client,
            &body.instrument,
            &body.answers.0,
            on.purpose,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(scored.into())))
}

#[utoipa::path(get, operation_id = "listScreenings", path = "/api/v1/clients/{id}/screenings", tag = "screenings",
    params(ClientPath),
    responses((status = 200, description = "Newest first", body = ScreeningsResponse), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(on: OnClient) -> Result<Json<ScreeningsResponse>, ApiError> {
    let screenings = on
        .app
        .screenings(&on.caller, on.client()?, on.purpose)
        .await?;
    Ok(Json(ScreeningsResponse {
        screenings: each(screenings),
    }))
}

#[utoipa::path(get, operation_id = "listInstruments", path = "/api/v1/instruments", tag = "screenings",
    responses((status = 200, body = InstrumentsResponse), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn instruments(
    _caller: Authenticated,
) -> Result<Json<InstrumentsResponse>, ApiError> {
    let all = app::screenings::instruments()?;
    Ok(Json(InstrumentsResponse {
        instruments: all.iter().map(InstrumentSummary::from).collect(),
    }))
}
