//! Determinations on a client: the facts with how each is known, and what the legal rule packs
//! make of them (the `determine` contract's results).

use std::collections::BTreeMap;

use axum::Json;
use axum::http::StatusCode;
use domain::legal::{FACT_PATHS, FactSource, Facts, Jurisdiction, Results};
use serde::{Deserialize, Serialize};

use super::shape::{ClientPath, OnClient, ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::{StrictJson, UniqueKeys};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeterminationBody {
    /// A facts file (docs/facts.schema.json): every fact true, false or null (unknown).
    #[schema(value_type = Object)]
    facts: serde_json::Value,
    /// How each known fact is known, by its path: `own-account`, `document`, `observation`,
    /// `third-party` or `client-record`. Every fact that is not null needs one.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, String>)]
    sources: UniqueKeys<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DeterminationResult {
    id: String,
    /// As `safeharbor determine` prints them, for every jurisdiction: one object a rule.
    #[schema(value_type = Vec<Object>)]
    results: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DeterminationRecord {
    id: String,
    recorded_by: String,
    created_at: String,
    /// `{"facts": <facts file>, "provenance": {"<path>": {"source", "by", "at"}}}`.
    #[schema(value_type = Object)]
    worksheet: serde_json::Value,
    /// Each rule's outcome on these facts (`met`, `not_met`, `unknown`), by rule id.
    outcomes: BTreeMap<String, &'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DeterminationsResponse {
    determinations: Vec<DeterminationRecord>,
}

fn invalid(message: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
}

/// The sources by fact path; an unknown path or source is named in the error, a value never.
fn parse_sources(
    sources: &BTreeMap<String, String>,
) -> Result<BTreeMap<&'static str, FactSource>, ApiError> {
    let mut parsed = BTreeMap::new();
    for (path, source) in sources {
        let Some(path) = FACT_PATHS.into_iter().find(|p| p == path) else {
            return Err(invalid(
                "sources: names a fact that the facts file does not have".to_owned(),
            ));
        };
        let source = source
            .parse()
            .map_err(|err| invalid(format!("sources.{path}: {err}")))?;
        parsed.insert(path, source);
    }
    Ok(parsed)
}

#[utoipa::path(post, operation_id = "recordDetermination", path = "/api/v1/clients/{id}/determinations", tag = "determinations",
    request_body = DeterminationBody, params(ClientPath),
    responses((status = 201, description = "Recorded, with the outcome of every rule", body = DeterminationResult),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<DeterminationBody>,
) -> Result<(StatusCode, Json<DeterminationResult>), ApiError> {
    let client = on.client()?;
    let facts = Facts::parse_json(&body.facts.to_string())
        .map_err(|err| invalid(format!("facts: {err}")))?;
    let sources = parse_sources(&body.sources.0)?;
    let id = on
        .app
        .record_determination(&on.caller, client, facts, &sources, on.purpose)
        .await?;
    let packs = app::determinations::rule_packs()?;
    let results = packs.evaluate(&facts, Jurisdiction::All);
    let results = serde_json::to_value(Results(&results))
        .ok()
        .and_then(|mut v| v.get_mut("results").map(serde_json::Value::take))
        .unwrap_or_default();
    let id = id.to_string();
    Ok((
        StatusCode::CREATED,
        Json(DeterminationResult { id, results }),
    ))
}

#[utoipa::path(get, operation_id = "listDeterminations", path = "/api/v1/clients/{id}/determinations", tag = "determinations",
    params(ClientPath),
    responses((status = 200, description = "Newest first", body = DeterminationsResponse),
        ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(on: OnClient) -> Result<Json<DeterminationsResponse>, ApiError> {
    let client = on.client()?;
    let recorded = on
        .app
        .determinations(&on.caller, client, on.purpose)
        .await?;
    let packs = app::determinations::rule_packs()?;
    let determinations = recorded
        .list
        .into_iter()
        .map(|d| DeterminationRecord {
            id: d.id.to_string(),
            recorded_by: d.recorded_by,
            created_at: d.created_at.rfc3339(),
            worksheet: serde_json::to_value(&d.worksheet).unwrap_or_default(),
            outcomes: packs
                .evaluate(d.worksheet.facts(), Jurisdiction::All)
                .iter()
                .map(|r| (r.rule_id().to_owned(), r.outcome().as_str()))
                .collect(),
        })
        .collect();
    Ok(Json(DeterminationsResponse { determinations }))
}
