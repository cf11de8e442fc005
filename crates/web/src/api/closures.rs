//! A case's closures as the case listing shows them, and the follow-up contacts after a closure:
//! recording one (a contact in the log), and the person's withdrawal of their consent to them.

use axum::extract::Path;
use axum::http::StatusCode;
use domain::case::format_date;
use domain::closure::FollowUpAt;
use serde::{Deserialize, Serialize};

use super::cases::CasePath;
use super::contacts::ContactBody;
use super::shape::{ChangeErrors, ClientPath, Created, OnClient, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::StrictJson;

/// One closure of a case.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ClosureResponse {
    id: String,
    closed_on: String,
    /// goals-met, moved, declined-services, lost-contact, transferred, died or other
    reason: &'static str,
    note: Option<String>,
    /// yes, no or not-asked: whether the person agreed to follow-up contacts.
    follow_up: &'static str,
    /// phone, text, email, in-person or partner, when they agreed.
    reach_method: Option<&'static str>,
    /// The safe way to reach them, in their words.
    reach_how: Option<String>,
    /// Who closed the case.
    closed_by: String,
    created_at: String,
    /// The day the case re-opened, when it did: this closure ended then.
    reopened_on: Option<String>,
    /// Who re-opened it.
    reopened_by: Option<String>,
    /// When the person withdrew their consent to follow-ups, if they did.
    follow_ups_withdrawn_at: Option<String>,
    /// The three follow-ups, when the person agreed to them.
    follow_ups: Vec<FollowUpResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct FollowUpResponse {
    /// 3-months, 6-months or 12-months
    at: &'static str,
    /// The day it is due; it may be made for 30 days from then, after which it lapses.
    due_on: String,
    /// done-reached, done-not-reached, later, due, lapsed or stopped (withdrawn, or the case
    /// re-opened)
    state: &'static str,
    /// The contact in the log it was, once made.
    contact: Option<String>,
}

impl From<app::ClosureView> for ClosureResponse {
    fn from(k: app::ClosureView) -> Self {
        let (reopened_on, reopened_by) = match k.reopened {
            Some((on, by, _)) => (Some(format_date(on)), Some(by)),
            None => (None, None),
        };
        Self {
            id: k.id.to_string(),
            closed_on: format_date(k.closed_on),
            reason: k.reason.as_str(),
            note: k.note,
            follow_up: k.follow_up.as_str(),
            reach_method: k.reach_method.map(|m| m.as_str()),
            reach_how: k.reach_how,
            closed_by: k.closed_by,
            created_at: k.created_at.rfc3339(),
            reopened_on,
            reopened_by,
            follow_ups_withdrawn_at: k.withdrawn_at.map(|at| at.rfc3339()),
            follow_ups: each(k.follow_ups),
        }
    }
}

impl From<app::FollowUpView> for FollowUpResponse {
    fn from(f: app::FollowUpView) -> Self {
        use domain::closure::FollowUpState;
        Self {
            at: f.at.as_str(),
            due_on: format_date(f.due_on),
            state: match f.state {
                FollowUpState::Done { reached: true } => "done-reached",
                FollowUpState::Done { reached: false } => "done-not-reached",
                FollowUpState::Later => "later",
                FollowUpState::Due => "due",
                FollowUpState::Lapsed => "lapsed",
                FollowUpState::Stopped => "stopped",
            },
            contact: f.contact.map(|c| c.to_string()),
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FollowUpBody {
    /// Which follow-up: 3-months, 6-months or 12-months. It may be made early, and up to 30 days
    /// after its day; once, while the person's consent stands and the case stays closed.
    at: String,
    /// The contact it was, written into the contact log: reached, or an attempt that did not
    /// reach the person (which counts as made).
    contact: ContactBody,
}

#[utoipa::path(post, operation_id = "recordFollowUp", path = "/api/v1/clients/{id}/cases/{case}/follow-ups", tag = "cases",
    request_body = FollowUpBody, params(ClientPath, CasePath),
    responses((status = 201, description = "Recorded, with its contact in the log", body = Created),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    Path(path): Path<CasePath>,
    StrictJson(body): StrictJson<FollowUpBody>,
) -> Result<Created, ApiError> {
    let at = FollowUpAt::parse(&body.at).map_err(app::AppError::from)?;
    let contact = body.contact.parse(on.app.now())?;
    let (client, case) = (on.client()?, path.case()?);
    let id = on
        .app
        .record_follow_up(&on.caller, client, case, (at, contact), on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(post, operation_id = "withdrawFollowUps", path = "/api/v1/clients/{id}/cases/{case}/follow-ups/withdraw", tag = "cases",
    params(ClientPath, CasePath),
    responses((status = 204, description = "Withdrawn, at once: no more follow-ups are due"),
        ChangeErrors),
    security(("bearer" = [])))]
pub(crate) async fn withdraw(
    on: OnClient,
    Path(path): Path<CasePath>,
) -> Result<StatusCode, ApiError> {
    let (client, case) = (on.client()?, path.case()?);
    on.app
        .withdraw_follow_ups(&on.caller, client, case, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
