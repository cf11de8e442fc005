//! A client's needs assessments: the level of need in each domain on one day, newest first.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use domain::case::{format_date, parse_case_date};
use domain::needs::{NeedDomain, NeedsAssessment, RawAnswer, RawAssessment};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{StrictJson, UniqueKeys};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NeedsBody {
    /// The day of the assessment, YYYY-MM-DD: not after today (anywhere on Earth), nor before the
    /// day the client was recorded.
    assessed_on: String,
    /// The answer in each domain, by the domain's code (safety, housing, physical-health,
    /// mental-health, substance-use, legal, immigration, income-and-benefits,
    /// education-and-work, family-and-children, identity-documents). A domain left out has not
    /// been asked yet: every question may be left unanswered.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, NeedAnswerBody>)]
    needs: UniqueKeys<NeedAnswerBody>,
    /// A note on the whole assessment (up to 2,000 characters).
    note: Option<String>,
}

/// One domain's answer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NeedAnswerBody {
    /// none, some, urgent, prefers-not-to-say or not-yet-asked; blank or left out is
    /// not-yet-asked.
    level: Option<String>,
    /// A note on this domain (up to 1,000 characters).
    note: Option<String>,
}

impl NeedsBody {
    fn parse(&self, now: domain::Timestamp) -> Result<NeedsAssessment, app::AppError> {
        let assessed_on = parse_case_date("assessed_on", &self.assessed_on)?;
        let answers = self
            .needs
            .0
            .iter()
            .map(|(code, answer)| {
                let raw = RawAnswer {
                    level: answer.level.as_deref(),
                    note: answer.note.as_deref(),
                };
                Ok((NeedDomain::parse(code)?, raw))
            })
            .collect::<Result<_, domain::InvalidInput>>()?;
        let raw = RawAssessment {
            assessed_on,
            answers,
            note: self.note.as_deref(),
        };
        Ok(raw.parse(now)?)
    }
}

/// One domain's answer, as recorded.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NeedAnswerResponse {
    /// none, some, urgent, prefers-not-to-say or not-yet-asked
    level: &'static str,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NeedsAssessmentResponse {
    id: String,
    /// Who recorded it.
    author: String,
    /// When it was recorded.
    created_at: String,
    /// The day of the assessment.
    assessed_on: String,
    note: Option<String>,
    /// Every domain's answer, by the domain's code.
    needs: BTreeMap<String, NeedAnswerResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct NeedsResponse {
    assessments: Vec<NeedsAssessmentResponse>,
}

impl From<app::NeedsAssessmentView> for NeedsAssessmentResponse {
    fn from(a: app::NeedsAssessmentView) -> Self {
        Self {
            id: a.id.to_string(),
            author: a.author,
            created_at: a.created_at.rfc3339(),
            assessed_on: format_date(a.assessed_on),
            note: a.note,
            needs: a
                .answers
                .into_iter()
                .map(|answer| {
                    let level = answer.level.as_str();
                    let note = answer.note;
                    let domain = answer.domain.as_str().to_owned();
                    (domain, NeedAnswerResponse { level, note })
                })
                .collect(),
        }
    }
}

#[utoipa::path(post, operation_id = "assessNeeds", path = "/api/v1/clients/{id}/needs", tag = "needs",
    request_body = NeedsBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<NeedsBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let assessment = body.parse(on.app.now())?;
    let id = on
        .app
        .assess_needs(&on.caller, client, assessment, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listNeeds", path = "/api/v1/clients/{id}/needs", tag = "needs",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first by the day assessed; the first is the client's current needs", body = NeedsResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<NeedsResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_ASSESSMENTS)?;
    let assessments = on
        .app
        .needs(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(NeedsResponse {
        assessments: each(assessments),
    }))
}
