//! Releases of information on a client (P22): recorded, listed, withdrawn.

use axum::Json;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use domain::ReleaseId;
use domain::case::{format_date, parse_case_date};
use domain::release::{RawRelease, Withdrawal};
use serde::{Deserialize, Serialize};

use super::shape::{
    self, ChangeErrors, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each,
};
use crate::error::ApiError;
use crate::extract::{StrictJson, record_id};

/// Which of the client's releases, from the path.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct ReleasePath {
    /// Release id
    release: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReleaseBody {
    /// The partner in the directory it names (`GET /api/v1/partners`), if the recipient is one.
    partner: Option<String>,
    /// Who may receive the information, as the client named them.
    recipient: String,
    /// What it is for, in the client's words.
    purpose: String,
    /// The parts of the record it lets us share (at least one): name, legal-name,
    /// date-of-birth, contact-details, languages, needs, services, cases, legal-status.
    shares: Vec<String>,
    /// signed-on-screen, paper-scanned or verbal-with-witness.
    method: String,
    /// Who witnessed a release given by word of mouth.
    witness: Option<String>,
    /// Who gave it with the client: none (default), parent-or-guardian, or minor-alone (a minor
    /// who may lawfully consent alone).
    cosigner: Option<String>,
    /// Whether the parent or guardian who signed is someone who harmed or may harm the client:
    /// such a person can never consent for them.
    cosigner_of_concern: Option<bool>,
    /// The first day it is in force, YYYY-MM-DD.
    starts_on: String,
    /// The last day, YYYY-MM-DD; left out, it lasts the program's number of days (90 unless the
    /// program set another).
    ends_on: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct WithdrawBody {
    /// How the client withdrew it: by-phone, in-person or in-writing. It takes effect at once.
    how: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReleaseResponse {
    id: String,
    partner: Option<String>,
    /// Who recorded it.
    author: String,
    created_at: String,
    recipient: String,
    purpose: String,
    shares: Vec<&'static str>,
    method: &'static str,
    witness: Option<String>,
    cosigner: &'static str,
    starts_on: String,
    ends_on: String,
    withdrawn_at: Option<String>,
    withdrawn_how: Option<&'static str>,
    /// Where it stands now: not-yet, in-force, expired or withdrawn.
    standing: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ReleasesResponse {
    releases: Vec<ReleaseResponse>,
}

impl From<app::ReleaseView> for ReleaseResponse {
    fn from(r: app::ReleaseView) -> Self {
        Self {
            id: r.id.to_string(),
            partner: r.partner.map(|p| p.to_string()),
            author: r.author,
            created_at: r.created_at.rfc3339(),
            recipient: r.recipient,
            purpose: r.purpose,
            shares: r.terms.shares.iter().map(|p| p.as_str()).collect(),
            method: r.method.as_str(),
            witness: r.witness,
            cosigner: r.cosigner.as_str(),
            starts_on: format_date(r.terms.starts_on),
            ends_on: format_date(r.terms.ends_on),
            withdrawn_at: r.withdrawn.map(|(at, _)| at.rfc3339()),
            withdrawn_how: r.withdrawn.map(|(_, how)| how.as_str()),
            standing: r.standing.as_str(),
        }
    }
}

#[utoipa::path(post, operation_id = "recordRelease", path = "/api/v1/clients/{id}/releases", tag = "referrals",
    request_body = ReleaseBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<ReleaseBody>,
) -> Result<Created, ApiError> {
    let invalid = app::AppError::from;
    let partner = match body.partner.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse().map_err(|_| {
            invalid(domain::InvalidInput::new(
                "partner",
                "is not a valid identifier",
            ))
        })?),
    };
    let starts_on = parse_case_date("starts_on", &body.starts_on).map_err(invalid)?;
    let ends_on = body
        .ends_on
        .as_deref()
        .map(|d| parse_case_date("ends_on", d))
        .transpose()
        .map_err(invalid)?;
    let release = RawRelease {
        recipient: &body.recipient,
        purpose: &body.purpose,
        shares: &body.shares,
        method: &body.method,
        witness: body.witness.as_deref(),
        cosigner: body.cosigner.as_deref().unwrap_or("none"),
        cosigner_of_concern: body.cosigner_of_concern.unwrap_or(false),
        starts_on,
        ends_on,
    }
    .parse(on.app.rules().release_days)
    .map_err(invalid)?;
    let client = on.client()?;
    let id = on
        .app
        .record_release(&on.caller, client, partner, release, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listReleases", path = "/api/v1/clients/{id}/releases", tag = "referrals",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first", body = ReleasesResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<ReleasesResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_RELEASES)?;
    let releases = on
        .app
        .releases(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(ReleasesResponse {
        releases: each(releases),
    }))
}

#[utoipa::path(post, operation_id = "withdrawRelease", path = "/api/v1/clients/{id}/releases/{release}/withdraw", tag = "referrals",
    request_body = WithdrawBody, params(ClientPath, ReleasePath),
    responses((status = 204, description = "Withdrawn: nothing more is shared under it"), ChangeErrors),
    security(("bearer" = [])))]
pub(crate) async fn withdraw(
    on: OnClient,
    Path(path): Path<ReleasePath>,
    StrictJson(body): StrictJson<WithdrawBody>,
) -> Result<StatusCode, ApiError> {
    let how = Withdrawal::parse(&body.how).map_err(app::AppError::from)?;
    let release: ReleaseId = record_id(&path.release)?;
    on.app
        .withdraw_release(&on.caller, on.client()?, release, how, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
