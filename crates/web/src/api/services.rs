//! Services delivered to a client, and the types of service (the VOCA taxonomy, with its
//! crosswalk to the categories other funders count).

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use domain::case::{format_date, parse_case_date};
use domain::service::{Minutes, RawService, SERVICE_TYPES, ServiceType, Units};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{Authenticated, StrictJson};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceBody {
    /// The day it was given, YYYY-MM-DD: not after today, nor before the client was recorded.
    delivered_on: String,
    /// The type of service: a code from `GET /api/v1/service-types` (A1-E11, X1-X8).
    code: String,
    /// in-person, phone or video (default in-person).
    mode: Option<String>,
    /// How long it took, in whole minutes (0 to 1440); leave out if not counted.
    minutes: Option<i64>,
    /// How many of what it counts in (nights, trips, sessions, items): 1 to 1000.
    units: Option<i64>,
    /// A short note (up to 2,000 characters).
    note: Option<String>,
}

impl ServiceBody {
    fn parse(&self, now: domain::Timestamp) -> Result<domain::service::NewService, ApiError> {
        let invalid = app::AppError::from;
        let raw = RawService {
            delivered_on: parse_case_date("delivered_on", &self.delivered_on).map_err(invalid)?,
            code: &self.code,
            mode: self.mode.as_deref().unwrap_or("in-person"),
            minutes: self
                .minutes
                .map(Minutes::new)
                .transpose()
                .map_err(invalid)?,
            units: self.units.map(Units::new).transpose().map_err(invalid)?,
            note: self.note.as_deref(),
        };
        Ok(raw.parse(now).map_err(invalid)?)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ServiceResponse {
    id: String,
    /// Who gave and recorded it.
    author: String,
    /// When it was recorded.
    created_at: String,
    delivered_on: String,
    code: &'static str,
    /// The type's words, e.g. "Individual counseling".
    label: &'static str,
    mode: &'static str,
    minutes: Option<i64>,
    units: Option<i64>,
    note: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ServicesResponse {
    services: Vec<ServiceResponse>,
}

impl From<app::ServiceView> for ServiceResponse {
    fn from(s: app::ServiceView) -> Self {
        Self {
            id: s.id.to_string(),
            author: s.author,
            created_at: s.created_at.rfc3339(),
            delivered_on: format_date(s.delivered_on),
            code: s.code.as_str(),
            label: s.code.kind().label,
            mode: s.mode.as_str(),
            minutes: s.minutes,
            units: s.units,
            note: s.note,
        }
    }
}

/// A type of service and where each funder counts it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ServiceTypeResponse {
    /// A1-E11 (VOCA's subcategories) or X1-X8 (ours, not counted by VOCA).
    code: &'static str,
    label: &'static str,
    /// The VOCA category's letter (A-E), or X.
    category: char,
    category_label: &'static str,
    /// Whether VOCA's measures count it.
    voca: bool,
    /// The OVC human-trafficking service category it counts under.
    ovc_category: &'static str,
    /// The HHS/OTIP category of assistance it counts under.
    otip_category: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ServiceTypesResponse {
    service_types: Vec<ServiceTypeResponse>,
}

impl From<&'static ServiceType> for ServiceTypeResponse {
    fn from(kind: &'static ServiceType) -> Self {
        Self {
            code: kind.code,
            label: kind.label,
            category: kind.category.letter(),
            category_label: kind.category.label(),
            voca: kind.category != domain::service::ServiceCategory::Other,
            ovc_category: kind.ovc.as_str(),
            otip_category: kind.otip.as_str(),
        }
    }
}

#[utoipa::path(post, operation_id = "recordService", path = "/api/v1/clients/{id}/services", tag = "services",
    request_body = ServiceBody, params(ClientPath),
    responses((status = 201, body = Created), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<ServiceBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let service = body.parse(on.app.now())?;
    let id = on
        .app
        .record_service(&on.caller, client, service, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listServices", path = "/api/v1/clients/{id}/services", tag = "services",
    params(ClientPath, shape::ListPage),
    responses((status = 200, description = "Newest first by the day given", body = ServicesResponse),
        (status = 400, body = crate::error::ErrorBody), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(
    on: OnClient,
    page: Result<Query<shape::ListPage>, QueryRejection>,
) -> Result<Json<ServicesResponse>, ApiError> {
    let page = shape::list_page(page, app::MAX_SERVICES)?;
    let services = on
        .app
        .services(&on.caller, on.client()?, page, on.purpose)
        .await?;
    Ok(Json(ServicesResponse {
        services: each(services),
    }))
}

#[utoipa::path(get, operation_id = "listServiceTypes", path = "/api/v1/service-types", tag = "services",
    responses((status = 200, body = ServiceTypesResponse), (status = 401, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn types(_caller: Authenticated) -> Json<ServiceTypesResponse> {
    Json(ServiceTypesResponse {
        service_types: SERVICE_TYPES
            .iter()
            .map(ServiceTypeResponse::from)
            .collect(),
    })
}
