//! A client's cases (`/app/clients/{id}/cases`): each program's work with them, open or closed;
//! opening a case, closing one, and moving one to another program (the case closes that day and
//! a case in the other program continues it). A refused form comes back with what was typed and
//! the problem above it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::case::{CaseDates, ProgramCode, parse_case_date};
use domain::policy::Action;
use domain::{CaseId, ClientId, InvalidInput};
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, Place, render};
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::CASES, get(cases).post(open))
        .route(links::CASE_CLOSE, post(close))
        .route(links::CASE_TRANSFER, post(transfer))
}

/// The ids a case's form posts to. A malformed one is "not found", as everywhere (P7).
#[derive(Debug, Deserialize)]
struct CaseIds {
    id: String,
    case: String,
}

impl CaseIds {
    fn parse(&self) -> Option<(ClientId, CaseId)> {
        Some((self.id.parse().ok()?, self.case.parse().ok()?))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct OpenForm {
    program: String,
    opened_on: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CloseForm {
    closed_on: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferForm {
    program: String,
    transferred_on: String,
}

/// The form that came back, with what was typed in it and why it was refused.
enum Returned {
    Nothing,
    Open(OpenForm, InvalidInput),
    Close(CaseId, CloseForm, InvalidInput),
    Transfer(CaseId, TransferForm, InvalidInput),
}

/// A program offered in a form: its code and its name.
pub(crate) struct ProgramChoice {
    code: String,
    name: String,
}

/// One case, as listed, with its forms for someone who may change it.
struct CaseLine {
    program: String,
    status: &'static str,
    opened_on: String,
    closed_on: Option<String>,
    /// The program of the case this one continues.
    continues: Option<String>,
    /// The close and move forms of an open case (for someone who may change cases).
    forms: Option<CaseForms>,
}

struct CaseForms {
    /// A prefix for the ids of the case's boxes, unique on the page.
    key: String,
    close_action: String,
    closed_on: String,
    transfer_action: String,
    transfer_program: String,
    transferred_on: String,
    /// The problem with one of the two forms, shown above it.
    close_problem: Option<String>,
    transfer_problem: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/cases.html")]
struct CasesPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    cases: Vec<CaseLine>,
    programs: Vec<ProgramChoice>,
    /// The form to open a case, for someone who may.
    open: Option<OpenFields>,
}

struct OpenFields {
    action: String,
    program: String,
    opened_on: String,
    problem: Option<String>,
}

/// The page, with the form that came back (if one did).
async fn cases_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    returned: Returned,
) -> Response {
    let caller = &signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let (client, standing) = match app
        .client_standing(caller, id, purpose, &[Action::ReadClient])
        .await
    {
        Ok(read) => read,
        Err(err) => return page::failure(err),
    };
    let (cases, programs) = match (app.cases(caller, id, purpose).await, programs(app).await) {
        (Ok(cases), Ok(programs)) => (cases, programs),
        (Err(err), _) | (_, Err(err)) => return page::failure(err),
    };
    let name_of = |code: &str| program_name(&programs, code);
    let may_change = domain::policy::permits(caller.role, standing, Action::WriteCase);
    let today = signed_in.zone().day(app.now());
    let failed = !matches!(returned, Returned::Nothing);
    let mut returned = returned;
    let lines = cases
        .iter()
        .map(|case| {
            let open = case.closed_on.is_none();
            let forms = (may_change && open).then(|| {
                let mut forms = CaseForms {
                    key: case.id.to_string(),
                    close_action: case_link(links::CASE_CLOSE, id, case.id),
                    closed_on: today.clone(),
                    transfer_action: case_link(links::CASE_TRANSFER, id, case.id),
                    transfer_program: String::new(),
                    transferred_on: today.clone(),
                    close_problem: None,
                    transfer_problem: None,
                };
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::Close(at, typed, problem) if at == case.id => {
                        forms.closed_on = typed.closed_on;
                        forms.close_problem = Some(problem.to_string());
                    }
                    Returned::Transfer(at, typed, problem) if at == case.id => {
                        forms.transfer_program = typed.program;
                        forms.transferred_on = typed.transferred_on;
                        forms.transfer_problem = Some(problem.to_string());
                    }
                    other => returned = other,
                }
                forms
            });
            CaseLine {
                program: name_of(&case.program),
                status: case.status.as_str(),
                opened_on: case.opened_on.clone(),
                closed_on: case.closed_on.clone(),
                continues: case.transferred_from.and_then(|from| {
                    cases
                        .iter()
                        .find(|c| c.id == from)
                        .map(|c| name_of(&c.program))
                }),
                forms,
            }
        })
        .collect();
    let open = may_change.then(|| {
        let (typed, problem) = match returned {
            Returned::Open(typed, problem) => (typed, Some(problem.to_string())),
            _ => (OpenForm::default(), None),
        };
        OpenFields {
            action: links::of_client(links::CASES, id),
            program: typed.program,
            opened_on: if typed.opened_on.is_empty() {
                today.clone()
            } else {
                typed.opened_on
            },
            problem,
        }
    });
    let status = if failed {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    render(
        status,
        &CasesPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client_section(id, "cases"),
            cases: lines,
            programs,
            open,
        },
    )
}

/// A program's name, from its code (the code itself for one no longer listed).
pub(crate) fn program_name(programs: &[ProgramChoice], code: &str) -> String {
    programs
        .iter()
        .find(|p| p.code == code)
        .map_or_else(|| code.to_owned(), |p| p.name.clone())
}

/// The organisation's programs, as forms offer them and pages name them.
pub(crate) async fn programs(app: &app::App) -> Result<Vec<ProgramChoice>, app::AppError> {
    let listed = app.programs().await?;
    Ok(listed
        .into_iter()
        .map(|p| ProgramChoice {
            code: p.code,
            name: p.name,
        })
        .collect())
}

fn case_link(pattern: &str, client: ClientId, case: CaseId) -> String {
    links::of_client(pattern, client).replacen("{case}", &case.to_string(), 1)
}

async fn cases(at: super::on_client::OnClient) -> Response {
    cases_page(&at.app, &at.signed_in, at.id, Returned::Nothing).await
}

/// After a change: the page again, or the refusal's page.
async fn after(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    done: Result<(), app::AppError>,
    returned: impl FnOnce(InvalidInput) -> Returned,
) -> Response {
    match done {
        Ok(()) => Redirect::to(&links::of_client(links::CASES, id)).into_response(),
        Err(app::AppError::Invalid(problem)) => {
            cases_page(app, signed_in, id, returned(problem)).await
        }
        Err(err) => page::failure(err),
    }
}

async fn open(
    State(app): State<app::App>,
    page::RecordId(id): page::RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<OpenForm>,
) -> Response {
    let parsed = ProgramCode::parse(&form.program).and_then(|program| {
        let opened = parse_case_date("opened_on", &form.opened_on)?;
        let dates = CaseDates::new(opened, None)?;
        Ok(app::NewCase { program, dates })
    });
    let done = match parsed {
        Ok(case) => app
            .open_case(&signed_in.caller, id, case, app::Purpose::CaseWork)
            .await
            .map(drop),
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| Returned::Open(form, p)).await
}

async fn close(
    State(app): State<app::App>,
    Path(ids): Path<CaseIds>,
    StaffForm { signed_in, form }: StaffForm<CloseForm>,
) -> Response {
    let Some((id, case)) = ids.parse() else {
        return page::not_found();
    };
    let done = match parse_case_date("closed_on", &form.closed_on) {
        Ok(on) => {
            app.close_case(&signed_in.caller, id, case, on, app::Purpose::CaseWork)
                .await
        }
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| {
        Returned::Close(case, form, p)
    })
    .await
}

async fn transfer(
    State(app): State<app::App>,
    Path(ids): Path<CaseIds>,
    StaffForm { signed_in, form }: StaffForm<TransferForm>,
) -> Response {
    let Some((id, case)) = ids.parse() else {
        return page::not_found();
    };
    let parsed = ProgramCode::parse(&form.program).and_then(|program| {
        let on = parse_case_date("transferred_on", &form.transferred_on)?;
        Ok(app::CaseTransfer { program, on })
    });
    let done = match parsed {
        Ok(to) => app
            .transfer_case(&signed_in.caller, id, case, to, app::Purpose::CaseWork)
            .await
            .map(drop),
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| {
        Returned::Transfer(case, form, p)
    })
    .await
}
