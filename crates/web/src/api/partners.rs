//! The directory of partners a client may be referred to.

use axum::Json;
use axum::extract::State;
use domain::partner::RawPartner;
use serde::{Deserialize, Serialize};

use super::shape::{Created, each};
use crate::error::ApiError;
use crate::extract::{Authenticated, StrictJson};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartnerBody {
    /// The organisation's name, as staff know it; one partner per name.
    name: String,
    /// The types of service it offers: codes from `GET /api/v1/service-types`, at least one.
    services: Vec<String>,
    /// The languages it works in.
    languages: Option<Vec<String>>,
    /// Where it works: a city, a county, "statewide".
    area: Option<String>,
    /// How to reach it safely with a referral: an intake line, a named advocate.
    safe_contact: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PartnerResponse {
    id: String,
    name: String,
    services: Vec<&'static str>,
    languages: Vec<String>,
    area: Option<String>,
    safe_contact: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct PartnersResponse {
    partners: Vec<PartnerResponse>,
}

impl From<app::PartnerView> for PartnerResponse {
    fn from(p: app::PartnerView) -> Self {
        Self {
            id: p.id.to_string(),
            name: p.name,
            services: p.services.iter().map(|c| c.as_str()).collect(),
            languages: p.languages,
            area: p.area,
            safe_contact: p.safe_contact,
        }
    }
}

#[utoipa::path(post, operation_id = "addPartner", path = "/api/v1/partners", tag = "referrals",
    request_body = PartnerBody,
    responses((status = 201, body = Created), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, description = "Your role does not keep the directory", body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    StrictJson(body): StrictJson<PartnerBody>,
) -> Result<Created, ApiError> {
    let partner = RawPartner {
        name: &body.name,
        services: &body.services,
        languages: body.languages.as_deref().unwrap_or_default(),
        area: body.area.as_deref(),
        safe_contact: body.safe_contact.as_deref(),
    }
    .parse()
    .map_err(app::AppError::from)?;
    Ok(Created::of(app.add_partner(&caller, partner).await?))
}

#[utoipa::path(get, operation_id = "listPartners", path = "/api/v1/partners", tag = "referrals",
    responses((status = 200, description = "By name", body = PartnersResponse),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, description = "Your role does not refer clients", body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
) -> Result<Json<PartnersResponse>, ApiError> {
    Ok(Json(PartnersResponse {
        partners: each(app.partners(&caller).await?),
    }))
}
