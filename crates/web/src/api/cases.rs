//! Cases on a client.

use axum::Json;
use domain::case::{CaseDates, ProgramCode, parse_case_date};
use serde::{Deserialize, Serialize};

use super::shape::{ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::StrictJson;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CaseBody {
    /// The code of one of the organisation's programs (`safeharbor programs list`), e.g.
    /// `youth-drop-in`.
    program: String,
    /// YYYY-MM-DD.
    opened_on: String,
    /// YYYY-MM-DD, on or after `opened_on`; leave out for an open case.
    closed_on: Option<String>,
}

impl CaseBody {
    fn parse(self) -> Result<app::NewCase, domain::InvalidInput> {
        let opened = parse_case_date("opened_on", &self.opened_on)?;
        let closed = self
            .closed_on
            .as_deref()
            .map(|d| parse_case_date("closed_on", d))
            .transpose()?;
        Ok(app::NewCase {
            program: ProgramCode::parse(&self.program)?,
            dates: CaseDates::new(opened, closed)?,
        })
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CaseResponse {
    id: String,
    /// The program's code.
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

impl From<app::CaseView> for CaseResponse {
    fn from(c: app::CaseView) -> Self {
        Self {
            id: c.id.to_string(),
            program: c.program,
            status: c.status.as_str(),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            assigned_to: c.assigned_to.map(|u| u.to_string()),
        }
    }
}

#[utoipa::path(post, operation_id = "openCase", path = "/api/v1/clients/{id}/cases", tag = "cases", request_body = CaseBody,
    params(ClientPath),
    responses((status = 201, description = "Opened; you are the assigned worker", body = Created),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn create(
    on: OnClient,
    StrictJson(body): StrictJson<CaseBody>,
) -> Result<Created, ApiError> {
    let client = on.client()?;
    let case = body.parse().map_err(app::AppError::from)?;
    let id = on
        .app
        .open_case(&on.caller, client, case, on.purpose)
        .await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "listCases", path = "/api/v1/clients/{id}/cases", tag = "cases", params(ClientPath),
    responses((status = 200, body = CasesResponse), ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn list(on: OnClient) -> Result<Json<CasesResponse>, ApiError> {
    let cases = on.app.cases(&on.caller, on.client()?, on.purpose).await?;
    Ok(Json(CasesResponse { cases: each(cases) }))
}
