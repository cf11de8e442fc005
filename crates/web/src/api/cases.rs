//! Cases on a client.

use axum::Json;
use axum::extract::Path;
use axum::http::StatusCode;
use domain::CaseId;
use domain::case::{CaseDates, ProgramCode, format_date, parse_case_date};
use domain::closure::{Closure, RawClosure};
use serde::{Deserialize, Serialize};

use super::closures::ClosureResponse;
use super::shape::{ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{StrictJson, record_id};

/// Which of the client's cases, from the path (the client is `ClientPath`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct CasePath {
    /// Case id
    case: String,
}

impl CasePath {
    /// The case's id: malformed, it is answered as an unknown case is.
    pub(crate) fn case(&self) -> Result<CaseId, ApiError> {
        record_id(&self.case)
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseBody {
    /// YYYY-MM-DD: not before the case opened (nor before it was last re-opened), not in the
    /// future.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    closed_on: String,
    /// Why the case closes: goals-met, moved, declined-services, lost-contact, transferred, died
    /// or other.
    reason: String,
    /// A note on the closure (up to 2,000 characters).
    note: Option<String>,
    /// Whether the person agreed to follow-up contacts at 3, 6 and 12 months: yes, no or
    /// not-asked (blank or left out: not-asked).
    follow_up: Option<String>,
    /// When they agreed: how they may be reached (phone, text, email, in-person, partner).
    /// Required with `follow_up` yes, refused without it.
    reach_method: Option<String>,
    /// When they agreed: the safe way to reach them, in their words (up to 500 characters), e.g.
    /// "texts only, say it's Anna from the clinic".
    reach_how: Option<String>,
}

impl CloseBody {
    fn parse(&self) -> Result<Closure, domain::InvalidInput> {
        RawClosure {
            closed_on: parse_case_date("closed_on", &self.closed_on)?,
            reason: Some(&self.reason),
            note: self.note.as_deref(),
            follow_up: self.follow_up.as_deref(),
            reach_method: self.reach_method.as_deref(),
            reach_how: self.reach_how.as_deref(),
        }
        .parse()
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReopenBody {
    /// YYYY-MM-DD: not before the case closed, not in the future.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    reopened_on: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TransferBody {
    /// The code of the program the work moves to: another of the organisation's programs.
    program: String,
    /// YYYY-MM-DD: the case closes that day and the new one opens then. Not before the case
    /// opened, not in the future.
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    transferred_on: String,
}

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
    /// The case this one continues, when the work moved here from another program.
    transferred_from: Option<String>,
    /// Why a closed case closed; null while open, and for a case closed before reasons were
    /// recorded (not recorded).
    closed_reason: Option<&'static str>,
    /// Every closure of the case and its re-opening, the earliest first.
    closures: Vec<ClosureResponse>,
    /// YYYY-MM-DD: when the next six-month outcome review of an open case is due (every six
    /// months from its opening); null once closed.
    review_due_on: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CasesResponse {
    cases: Vec<CaseResponse>,
}

impl From<app::CaseView> for CaseResponse {
    fn from(c: app::CaseView) -> Self {
        let closed_reason = c
            .closures
            .last()
            .filter(|k| c.closed_on.is_some() && k.reopened.is_none())
            .map(|k| k.reason.as_str());
        Self {
            closed_reason,
            id: c.id.to_string(),
            program: c.program,
            status: c.status.as_str(),
            opened_on: c.opened_on,
            closed_on: c.closed_on,
            assigned_to: c.assigned_to.map(|u| u.to_string()),
            transferred_from: c.transferred_from.map(|k| k.to_string()),
            closures: each(c.closures),
            review_due_on: c.review_due_on.map(format_date),
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

#[utoipa::path(post, operation_id = "closeCase", path = "/api/v1/clients/{id}/cases/{case}/close", tag = "cases",
    request_body = CloseBody, params(ClientPath, CasePath),
    responses((status = 204, description = "Closed"), WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn close(
    on: OnClient,
    Path(path): Path<CasePath>,
    StrictJson(body): StrictJson<CloseBody>,
) -> Result<StatusCode, ApiError> {
    let closure = body.parse().map_err(app::AppError::from)?;
    let (client, case) = (on.client()?, path.case()?);
    on.app
        .close_case(&on.caller, client, case, closure, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "reopenCase", path = "/api/v1/clients/{id}/cases/{case}/reopen", tag = "cases",
    request_body = ReopenBody, params(ClientPath, CasePath),
    responses((status = 204, description = "Re-opened: the closure is kept, ended by the re-opening; follow-ups after it stop"),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn reopen(
    on: OnClient,
    Path(path): Path<CasePath>,
    StrictJson(body): StrictJson<ReopenBody>,
) -> Result<StatusCode, ApiError> {
    let day = parse_case_date("reopened_on", &body.reopened_on).map_err(app::AppError::from)?;
    let (client, case) = (on.client()?, path.case()?);
    on.app
        .reopen_case(&on.caller, client, case, day, on.purpose)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, operation_id = "transferCase", path = "/api/v1/clients/{id}/cases/{case}/transfer", tag = "cases",
    request_body = TransferBody, params(ClientPath, CasePath),
    responses((status = 201, description = "Moved: the case is closed and a case in the other program continues it", body = Created),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn transfer(
    on: OnClient,
    Path(path): Path<CasePath>,
    StrictJson(body): StrictJson<TransferBody>,
) -> Result<Created, ApiError> {
    let to = app::CaseTransfer {
        program: ProgramCode::parse(&body.program).map_err(app::AppError::from)?,
        on: parse_case_date("transferred_on", &body.transferred_on).map_err(app::AppError::from)?,
    };
    let (client, case) = (on.client()?, path.case()?);
    let id = on
        .app
        .transfer_case(&on.caller, client, case, to, on.purpose)
        .await?;
    Ok(Created::of(id))
}
