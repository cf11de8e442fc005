//! A client's outcome assessments: a score in each domain at intake, every six months and at
//! exit, newest first.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use domain::case::{format_date, parse_case_date};
use domain::outcome::{OutcomeAssessment, OutcomeDomain, RawOutcomes};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{StrictJson, UniqueKeys};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutcomesBody {
    /// When in the work it is taken: intake, six-month or exit.
    point: String,
    /// The day, YYYY-MM-DD: not after today (anywhere on Earth), nor before the day the client
    /// was recorded.
    assessed_on: String,
    /// The score in each domain, by the domain's code (safety, housing-stability, legal-status,
    /// physical-well-being, mental-well-being, income-and-education, social-support). A domain
    /// left out was not asked: every question may be left unanswered.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, OutcomeScoreBody>)]
    outcomes: UniqueKeys<OutcomeScoreBody>,
    /// A note on the assessment (up to 2,000 characters).
    note: Option<String>,
}

/// One domain's score.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutcomeScoreBody {
    /// "1" (in crisis), "2" (struggling), "3" (getting by), "4" (steady), "5" (thriving),
    /// prefers-not-to-say or not-asked; blank or left out is not-asked.
    score: Option<String>,
}

impl OutcomesBody {
    fn parse(&self, now: domain::Timestamp) -> Result<OutcomeAssessment, app::AppError> {
        let assessed_on = parse_case_date("assessed_on", &self.assessed_on)?;
        let scores = self
            .outcomes
            .0
            .iter()
            .map(|(code, answer)| Ok((OutcomeDomain::parse(code)?, answer.score.as_deref())))
            .collect::<Result<_, domain::InvalidInput>>()?;
        let raw = RawOutcomes {
            point: Some(&self.point),
            assessed_on,
            scores,
            note: self.note.as_deref(),
        };
        Ok(raw.parse(now)?)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct OutcomeAssessmentResponse {
    id: String,
    /// Who recorded it.
    author: String,
    /// When it was recorded.
    created_at: String,
    /// intake, six-month or exit
    point: &'static str,
    assessed_on: String,
    note: Option<String>,
    /// Every domain's score, by the domain's code: "1" to "5", prefers-not-to-say or not-asked.
    outcomes: BTreeMap<String, &'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct OutcomesResponse {
    assessments: Vec<OutcomeAssessmentResponse>,
}

impl From<app::OutcomeAssessmentView> for OutcomeAssessmentResponse {
    fn from(a: app::OutcomeAssessmentView) -> Self {
        Self {
            id: a.id.to_string(),
            author: a.author,
            created_at: a.created_at.rfc3339(),
            point: a.point.as_str(),
            assessed_on: format_date(a.assessed_on),
            note: a.note,
            outcomes: a
                .scores
                .into_iter()
                .map(|(domain, score)| (domain.as_str().to_owned(), score.as_str()))
                .collect(),
        }
    }
}

#[utoipa::path(post, operation_id = "assessOutcomes", path = "/api/v1/clients/{id}/outcomes", tag = "outcomes",
    request_body = OutcomesBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<OutcomesBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let assessment = body.parse(on.app.now())?;
    let id = on
        .app
        .assess_outcomes(&on.caller, client, assessment, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listOutcomes", path = "/api/v1/clients/{id}/outcomes", tag = "outcomes",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first by the day assessed; none is ever replaced", body = OutcomesResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<OutcomesResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_OUTCOMES)?;
    let assessments = on
        .app
        .outcomes(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(OutcomesResponse {
        assessments: each(assessments),
    }))
}
