//! Cases on a client.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::case::{CaseDates, Program, parse_date};
use serde::{Deserialize, Serialize};

use super::Created;
use crate::ApiError;
use crate::extract::{Authenticated, Purpose, StrictJson, record_id};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseBody {
    /// The program the case belongs to.
    program: String,
    /// YYYY-MM-DD.
    #[schema(format = Date)]
    opened_on: String,
    /// YYYY-MM-DD, on or after `opened_on`; leave out for an open case.
    #[schema(format = Date)]
    closed_on: Option<String>,
}

impl CaseBody {
    fn parse(self) -> Result<app::NewCase, domain::InvalidInput> {
        let opened = parse_date("opened_on", &self.opened_on)?;
        let closed = self
            .closed_on
            .as_deref()
            .map(|d| parse_date("closed_on", d))
            .transpose()?;
        Ok(app::NewCase {
            program: Program::parse(&self.program)?,
            dates: CaseDates::new(opened, closed)?,
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CaseResponse {
    id: String,
    program: String,
    /// open or closed
    status: &'static str,
    opened_on: String,
    closed_on: Option<String>,
    assigned_to: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CasesResponse {
    cases: Vec<CaseResponse>,
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/cases", tag = "cases", request_body = CaseBody,
    params(("id" = String, Path, description = "Client id")),
    responses((status = 201, description = "Opened; you are the assigned worker", body = Created),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
    StrictJson(body): StrictJson<CaseBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let client = record_id(&id)?;
    let case = body.parse().map_err(app::AppError::from)?;
    let case = app.open_case(&caller, client, case, purpose).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            id: case.to_string(),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/cases", tag = "cases",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, body = CasesResponse), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn list(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    Path(id): Path<String>,
) -> Result<Json<CasesResponse>, ApiError> {
    let cases = app.cases(&caller, record_id(&id)?, purpose).await?;
    Ok(Json(CasesResponse {
        cases: cases
            .into_iter()
            .map(|c| CaseResponse {
                id: c.id.to_string(),
                program: c.program,
                status: c.status.as_str(),
                opened_on: c.opened_on,
                closed_on: c.closed_on,
                assigned_to: c.assigned_to.map(|u| u.to_string()),
            })
            .collect(),
    }))
}
