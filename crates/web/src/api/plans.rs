//! A client's service plan: goals in their words, the steps towards each, and its reviews.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use domain::case::{format_date, parse_case_date};
use domain::plan::{RawGoal, RawGoalStatus, RawReview, RawStep, StepStatus};
use domain::{GoalId, PlanStepId};
use serde::{Deserialize, Serialize};

use super::shape::{ChangeErrors, ClientPath, Created, OnClient, ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::{StrictJson, record_id};

/// Which of the client's goals, from the path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct GoalPath {
    /// Goal id
    goal: String,
}

/// Which of the client's steps, from the path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct PlanStepPath {
    /// Step id
    step: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanStepBody {
    /// What is to be done, in a sentence.
    words: String,
    /// Who takes it: client, worker or partner.
    owner: String,
    /// The partner who takes it (`GET /api/v1/partners`), only when the owner is a partner.
    partner: Option<String>,
    /// By when, YYYY-MM-DD: not before the goal was set.
    target_on: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GoalBody {
    /// The goal as the client says it.
    words: String,
    /// The need it answers, by the needs assessment's domain (housing, legal...), if one.
    need: Option<String>,
    /// The day it was set with the client, YYYY-MM-DD: not after today, nor before the client
    /// was recorded.
    set_on: String,
    /// Its first steps (up to 12; more are added one by one).
    steps: Option<Vec<PlanStepBody>>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanStepStatusBody {
    /// open, done or dropped: an open step is done or dropped, and may be opened again.
    status: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewedGoalBody {
    /// One of the client's goals.
    goal: String,
    /// Where it stands now: active, achieved or set-aside.
    status: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlanReviewBody {
    /// The day of the review, YYYY-MM-DD: not after today, nor before the client was recorded.
    reviewed_on: String,
    note: Option<String>,
    /// Where each goal named stands now; a goal left out stays as it was.
    goals: Option<Vec<ReviewedGoalBody>>,
    /// The day of the next review, after this one; left out, the program's days after it (90
    /// unless `serve --review-days` says otherwise).
    next_review_on: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PlanStepResponse {
    id: String,
    words: String,
    owner: &'static str,
    partner: Option<String>,
    target_on: String,
    status: &'static str,
    /// When it came to stand where it does.
    status_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct GoalResponse {
    id: String,
    words: String,
    need: Option<&'static str>,
    set_on: String,
    status: &'static str,
    /// The day it came to stand where it does.
    status_on: String,
    /// By target day.
    steps: Vec<PlanStepResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PlanReviewResponse {
    id: String,
    author: String,
    created_at: String,
    reviewed_on: String,
    next_review_on: String,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PlanResponse {
    /// The day the first goal was set; null before there is one.
    started_on: Option<String>,
    /// The day the next review is due; null before there is a goal.
    review_due_on: Option<String>,
    /// In the order they were set.
    goals: Vec<GoalResponse>,
    /// Newest first.
    reviews: Vec<PlanReviewResponse>,
}

impl From<app::PlanStepView> for PlanStepResponse {
    fn from(s: app::PlanStepView) -> Self {
        Self {
            id: s.id.to_string(),
            words: s.words,
            owner: s.owner.as_str(),
            partner: s.partner.map(|p| p.to_string()),
            target_on: format_date(s.target_on),
            status: s.status.as_str(),
            status_at: s.status_at.rfc3339(),
        }
    }
}

impl From<app::PlanView> for PlanResponse {
    fn from(plan: app::PlanView) -> Self {
        let goals = plan
            .goals
            .into_iter()
            .map(|g| GoalResponse {
                id: g.id.to_string(),
                words: g.words,
                need: g.need.map(|n| n.as_str()),
                set_on: format_date(g.set_on),
                status: g.status.as_str(),
                status_on: format_date(g.status_on),
                steps: g.steps.into_iter().map(Into::into).collect(),
            })
            .collect();
        let reviews = plan
            .reviews
            .into_iter()
            .map(|r| PlanReviewResponse {
                id: r.id.to_string(),
                author: r.author,
                created_at: r.created_at.rfc3339(),
                reviewed_on: format_date(r.reviewed_on),
                next_review_on: format_date(r.next_review_on),
                note: r.note,
            })
            .collect();
        Self {
            started_on: plan.started_on.map(format_date),
            review_due_on: plan.review_due_on.map(format_date),
            goals,
            reviews,
        }
    }
}

fn raw_step(body: &PlanStepBody) -> Result<RawStep<'_>, ApiError> {
    let target_on =
        parse_case_date("steps.target_on", &body.target_on).map_err(app::AppError::from)?;
    Ok(RawStep {
        words: &body.words,
        owner: &body.owner,
        partner: body.partner.as_deref(),
        target_on,
    })
}

#[utoipa::path(get, operation_id = "getPlan", path = "/api/v1/clients/{id}/plan", tag = "plans",
    params(ClientPath),
    responses((status = 200, description = "The client's service plan", body = PlanResponse), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn read(on: OnClient) -> Result<Json<PlanResponse>, ApiError> {
    let plan = on.app.plan(&on.caller, on.client()?, on.purpose).await?;
    Ok(Json(plan.into()))
}

#[utoipa::path(post, operation_id = "setGoal", path = "/api/v1/clients/{id}/plan/goals", tag = "plans",
    request_body = GoalBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn set_goal(
    on: OnClient,
    StrictJson(body): StrictJson<GoalBody>,
) -> Result<Created, ApiError> {
    let invalid = app::AppError::from;
    let steps = body
        .steps
        .iter()
        .flatten()
        .map(raw_step)
        .collect::<Result<_, _>>()?;
    let goal = RawGoal {
        words: &body.words,
        need: body.need.as_deref(),
        set_on: parse_case_date("set_on", &body.set_on).map_err(invalid)?,
        steps,
    }
    .parse(on.app.now())
    .map_err(invalid)?;
    let id = on
        .app
        .set_goal(&on.caller, on.client()?, goal, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(post, operation_id = "addPlanStep", path = "/api/v1/clients/{id}/plan/goals/{goal}/steps", tag = "plans",
    request_body = PlanStepBody, params(ClientPath, GoalPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn add_step(
    on: OnClient,
    Path(path): Path<GoalPath>,
    StrictJson(body): StrictJson<PlanStepBody>,
) -> Result<Created, ApiError> {
    let step = raw_step(&body)?.parse().map_err(app::AppError::from)?;
    let goal: GoalId = record_id(&path.goal)?;
    let id = on
        .app
        .add_step(&on.caller, on.client()?, goal, step, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(post, operation_id = "updatePlanStep", path = "/api/v1/clients/{id}/plan/steps/{step}/status", tag = "plans",
    request_body = PlanStepStatusBody, params(ClientPath, PlanStepPath),
    responses((status = 204, description = "Recorded"), ChangeErrors),
    security(("bearer" = [])))]
pub(crate) async fn update_step(
    on: OnClient,
    Path(path): Path<PlanStepPath>,
    StrictJson(body): StrictJson<PlanStepStatusBody>,
) -> Result<StatusCode, ApiError> {
    let to = StepStatus::parse(&body.status).map_err(app::AppError::from)?;
    let step: PlanStepId = record_id(&path.step)?;
    on.app
        .update_step(&on.caller, on.client()?, step, to, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "reviewPlan", path = "/api/v1/clients/{id}/plan/reviews", tag = "plans",
    request_body = PlanReviewBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn review(
    on: OnClient,
    StrictJson(body): StrictJson<PlanReviewBody>,
) -> Result<Created, ApiError> {
    let invalid = app::AppError::from;
    let next_review_on = body
        .next_review_on
        .as_deref()
        .map(|d| parse_case_date("next_review_on", d))
        .transpose()
        .map_err(invalid)?;
    let goals = body
        .goals
        .iter()
        .flatten()
        .map(|g| RawGoalStatus {
            goal: &g.goal,
            status: &g.status,
        })
        .collect();
    let review = RawReview {
        reviewed_on: parse_case_date("reviewed_on", &body.reviewed_on).map_err(invalid)?,
        note: body.note.as_deref(),
        goals,
        next_review_on,
    }
    .parse(on.app.rules().review_days, on.app.now())
    .map_err(invalid)?;
    let id = on
        .app
        .review_plan(&on.caller, on.client()?, review, on.purpose)
        .await?;
    Ok(Created::of(id))
}
