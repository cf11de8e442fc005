//! Referrals of a client to partners, each step recorded; sent only under a release that allows
//! what it shares (P22).

use axum::Json;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use domain::ReferralId;
use domain::referral::{RawReferral, ReferralNote, ReferralStatus};
use serde::{Deserialize, Serialize};

use super::shape::{
    self, ChangeErrors, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each,
};
use crate::error::ApiError;
use crate::extract::{StrictJson, record_id};

/// Which of the client's referrals, from the path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct ReferralPath {
    /// Referral id
    referral: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferralBody {
    /// The partner (`GET /api/v1/partners`).
    partner: String,
    /// The type of service asked for: a code from `GET /api/v1/service-types`.
    service: String,
    /// The parts of the record it shares with the partner; none when the client contacts them.
    shares: Option<Vec<String>>,
    /// The client's release for this partner, needed when it shares anything.
    release: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepBody {
    /// The next status: sent, accepted, declined, completed or closed-without-service, as the
    /// loop allows from where it stands.
    status: String,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct StepResponse {
    status: &'static str,
    at: String,
    author: String,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReferralResponse {
    id: String,
    partner: String,
    partner_name: String,
    release: Option<String>,
    author: String,
    created_at: String,
    service: &'static str,
    service_label: &'static str,
    shares: Vec<&'static str>,
    status: &'static str,
    status_at: String,
    /// Waiting longer than the program allows for the partner's answer or for the service.
    overdue: bool,
    note: Option<String>,
    /// Every step, the draft first.
    steps: Vec<StepResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReferralsResponse {
    referrals: Vec<ReferralResponse>,
}

impl From<app::StepView> for StepResponse {
    fn from(s: app::StepView) -> Self {
        Self {
            status: s.status.as_str(),
            at: s.at.rfc3339(),
            author: s.author,
            note: s.note,
        }
    }
}

impl From<app::ReferralView> for ReferralResponse {
    fn from(r: app::ReferralView) -> Self {
        Self {
            id: r.id.to_string(),
            partner: r.partner.to_string(),
            partner_name: r.partner_name,
            release: r.release.map(|id| id.to_string()),
            author: r.author,
            created_at: r.created_at.rfc3339(),
            service: r.service.as_str(),
            service_label: r.service.kind().label,
            shares: r.shares.iter().map(|p| p.as_str()).collect(),
            status: r.status.as_str(),
            status_at: r.status_at.rfc3339(),
            overdue: r.overdue,
            note: r.note,
            steps: each(r.steps),
        }
    }
}

#[utoipa::path(post, operation_id = "draftReferral", path = "/api/v1/clients/{id}/referrals", tag = "referrals",
    request_body = ReferralBody, params(ClientPath),
    responses((status = 201, description = "Drafted, not yet sent", body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<ReferralBody>,
) -> Result<Created, ApiError> {
    let referral = RawReferral {
        partner: &body.partner,
        service: &body.service,
        shares: body.shares.as_deref().unwrap_or_default(),
        release: body.release.as_deref(),
        note: body.note.as_deref(),
    }
    .parse()
    .map_err(app::AppError::from)?;
    let client = on.client()?;
    let id = on
        .app
        .draft_referral(&on.caller, client, referral, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listReferrals", path = "/api/v1/clients/{id}/referrals", tag = "referrals",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first, each with its steps", body = ReferralsResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<ReferralsResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_REFERRALS)?;
    let referrals = on
        .app
        .referrals(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(ReferralsResponse {
        referrals: each(referrals),
    }))
}

#[utoipa::path(post, operation_id = "stepReferral", path = "/api/v1/clients/{id}/referrals/{referral}/steps", tag = "referrals",
    request_body = StepBody, params(ClientPath, ReferralPath),
    responses((status = 204, description = "Recorded; sending it shared what it names under its release"), ChangeErrors),
    security(("bearer" = [])))]
pub(crate) async fn step(
    on: OnClient,
    Path(path): Path<ReferralPath>,
    StrictJson(body): StrictJson<StepBody>,
) -> Result<StatusCode, ApiError> {
    let invalid = app::AppError::from;
    let to = ReferralStatus::parse(&body.status).map_err(invalid)?;
    let note = ReferralNote::parse_optional(body.note.as_deref()).map_err(invalid)?;
    let referral: ReferralId = record_id(&path.referral)?;
    on.app
        .step_referral(&on.caller, on.client()?, referral, to, note, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One part of the record on a referral's sheet.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SheetPart {
    /// name, legal-name, date-of-birth, contact-details, languages, needs, services, cases or
    /// legal-status.
    part: &'static str,
    /// What the record holds of it (none: nothing recorded).
    lines: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct SheetResponse {
    partner_name: String,
    service: &'static str,
    service_label: &'static str,
    /// The release it is shared under (none when it shares nothing).
    release: Option<String>,
    /// The parts the referral shares, and nothing else.
    parts: Vec<SheetPart>,
}

#[utoipa::path(get, operation_id = "referralSheet", path = "/api/v1/clients/{id}/referrals/{referral}/sheet", tag = "referrals",
    params(ClientPath, ReferralPath),
    responses((status = 200, description = "What the referral shares, as the partner is given it", body = SheetResponse),
        (status = 422, description = "No release in force allows it now (it ended or was withdrawn)", body = crate::error::ErrorBody),
        ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn sheet(
    on: OnClient,
    Path(path): Path<ReferralPath>,
) -> Result<Json<SheetResponse>, ApiError> {
    let referral: ReferralId = record_id(&path.referral)?;
    let sheet = on
        .app
        .referral_sheet(&on.caller, on.client()?, referral, on.purpose)
        .await?;
    Ok(Json(SheetResponse {
        partner_name: sheet.partner_name,
        service: sheet.service.as_str(),
        service_label: sheet.service.kind().label,
        release: sheet.release.map(|id| id.to_string()),
        parts: sheet
            .parts
            .into_iter()
            .map(|(part, lines)| SheetPart {
                part: part.as_str(),
                lines,
            })
            .collect(),
    }))
}
