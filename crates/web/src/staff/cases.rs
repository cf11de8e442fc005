//! A client's cases (`/app/clients/{id}/cases`): each program's work with them, open or closed,
//! with every closure and re-opening; opening a case, closing one (a coded reason, a note, and
//! what the person agreed to about follow-ups; the exit outcomes are invited, never required),
//! re-opening one, moving one to another program (the case closes that day and a case in the
//! other program continues it), and recording the follow-ups after a closure or the person's
//! withdrawal of their consent to them. A refused form comes back with what was typed and the
//! problem above it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use domain::case::{CaseDates, ProgramCode, format_date, parse_case_date};
use domain::policy::Action;
use domain::{CaseId, ClientId, InvalidInput};
use serde::Deserialize;

use super::closures::{
    self, Choice, CloseForm, ClosureLine, FollowUpForm, ReopenForm, WithdrawForm,
};
use super::links;
use super::on_client::{CameBack, after};
use super::page::{self, Chrome, Place, render};
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::CASES, get(cases).post(open))
        .route(links::CASE_CLOSE, post(close))
        .route(links::CASE_TRANSFER, post(transfer))
        .route(links::CASE_REOPEN, post(reopen))
        .route(links::CASE_FOLLOW_UPS, post(follow_up))
        .route(links::CASE_WITHDRAW, post(withdraw))
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
    Reopen(CaseId, ReopenForm, InvalidInput),
    FollowUp(CaseId, FollowUpForm, InvalidInput),
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
    /// When the next six-month outcome review is due, while the case is open.
    review_due_on: Option<String>,
    /// Closed before reasons were recorded: no closure says why.
    reason_not_recorded: bool,
    closures: Vec<ClosureLine>,
    /// A prefix for the ids of the case's boxes, unique on the page.
    key: String,
    /// The close and move forms of an open case (for someone who may change cases).
    forms: Option<CaseForms>,
    /// The re-opening form of a closed case.
    reopen: Option<ReopenFields>,
    /// The forms for the follow-ups still to make after the latest closure.
    follow_up: Option<FollowUpFields>,
}

struct CaseForms {
    close_action: String,
    close: CloseForm,
    transfer_action: String,
    transfer_program: String,
    transferred_on: String,
    /// The problem with one of the two forms, shown above it, and the field it is about.
    close_problem: Option<InvalidInput>,
    transfer_problem: Option<String>,
}

impl CaseForms {
    /// The problem with the closing form, if it is about `field`.
    fn close_problem_for(&self, field: &str) -> Option<String> {
        self.close_problem
            .as_ref()
            .filter(|p| p.field == field)
            .map(|p| p.to_string())
    }
}

struct ReopenFields {
    action: String,
    reopened_on: String,
    problem: Option<String>,
}

struct FollowUpFields {
    action: String,
    withdraw_action: String,
    choices: Vec<Choice>,
    form: FollowUpForm,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/cases.html")]
struct CasesPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    outcomes_href: String,
    cases: Vec<CaseLine>,
    programs: Vec<ProgramChoice>,
    reasons: Vec<Choice>,
    consents: Vec<Choice>,
    reach_methods: Vec<Choice>,
    contact_methods: Vec<Choice>,
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
    let may_follow_up = domain::policy::permits(caller.role, standing, Action::WriteFollowUp);
    let zone = signed_in.zone();
    let today = zone.day(app.now());
    let failed = !matches!(returned, Returned::Nothing);
    let mut returned = returned;
    let lines = cases
        .iter()
        .map(|case| {
            let open = case.closed_on.is_none();
            let key = case.id.to_string();
            let forms = (may_change && open).then(|| {
                let mut forms = CaseForms {
                    close_action: case_link(links::CASE_CLOSE, id, case.id),
                    close: CloseForm {
                        closed_on: today.clone(),
                        ..CloseForm::default()
                    },
                    transfer_action: case_link(links::CASE_TRANSFER, id, case.id),
                    transfer_program: String::new(),
                    transferred_on: today.clone(),
                    close_problem: None,
                    transfer_problem: None,
                };
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::Close(at, typed, problem) if at == case.id => {
                        forms.close = typed;
                        forms.close_problem = Some(problem);
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
            let reopen = (may_change && !open).then(|| {
                let mut fields = ReopenFields {
                    action: case_link(links::CASE_REOPEN, id, case.id),
                    reopened_on: today.clone(),
                    problem: None,
                };
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::Reopen(at, typed, problem) if at == case.id => {
                        fields.reopened_on = typed.reopened_on;
                        fields.problem = Some(problem.to_string());
                    }
                    other => returned = other,
                }
                fields
            });
            let choices = closures::open_follow_ups(&case.closures);
            let follow_up = (may_follow_up && !open && !choices.is_empty()).then(|| {
                let mut fields = FollowUpFields {
                    action: case_link(links::CASE_FOLLOW_UPS, id, case.id),
                    withdraw_action: case_link(links::CASE_WITHDRAW, id, case.id),
                    form: FollowUpForm {
                        at: choices
                            .first()
                            .map(|c| c.code.to_owned())
                            .unwrap_or_default(),
                        occurred_at: zone.minute_input(app.now()),
                        ..FollowUpForm::default()
                    },
                    choices,
                    problem: None,
                };
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::FollowUp(at, typed, problem) if at == case.id => {
                        fields.form = typed;
                        fields.problem = Some(problem.to_string());
                    }
                    other => returned = other,
                }
                fields
            });
            let current = case.closures.last().filter(|k| k.reopened.is_none());
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
                review_due_on: case.review_due_on.map(format_date),
                reason_not_recorded: !open && current.is_none(),
                closures: closures::lines(zone, &case.closures),
                key,
                forms,
                reopen,
                follow_up,
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
            outcomes_href: links::of_client(links::OUTCOMES, id),
            cases: lines,
            programs,
            reasons: closures::reasons(),
            consents: closures::consents(),
            reach_methods: closures::reach_methods(),
            contact_methods: closures::contact_methods(),
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
    Ok(choices(app.programs().await?))
}

/// The programs as listed, as forms offer them and pages name them.
pub(crate) fn choices(listed: Vec<app::ProgramRow>) -> Vec<ProgramChoice> {
    listed
        .into_iter()
        .map(|p| ProgramChoice {
            code: p.code,
            name: p.name,
        })
        .collect()
}

fn case_link(pattern: &str, client: ClientId, case: CaseId) -> String {
    links::of_client(pattern, client).replacen("{case}", &case.to_string(), 1)
}

async fn cases(at: super::on_client::OnClient) -> Response {
    cases_page(&at.app, &at.signed_in, at.id, Returned::Nothing).await
}

impl CameBack for Returned {
    const PAGE: &'static str = links::CASES;

    async fn again(self, app: &app::App, signed_in: &SignedIn, id: ClientId) -> Response {
        cases_page(app, signed_in, id, self).await
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
    let done = match form.parse() {
        Ok(closure) => {
            app.close_case(&signed_in.caller, id, case, closure, app::Purpose::CaseWork)
                .await
        }
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| {
        Returned::Close(case, form, p)
    })
    .await
}

async fn reopen(
    State(app): State<app::App>,
    Path(ids): Path<CaseIds>,
    StaffForm { signed_in, form }: StaffForm<ReopenForm>,
) -> Response {
    let Some((id, case)) = ids.parse() else {
        return page::not_found();
    };
    let done = match parse_case_date("reopened_on", &form.reopened_on) {
        Ok(on) => {
            app.reopen_case(&signed_in.caller, id, case, on, app::Purpose::CaseWork)
                .await
        }
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| {
        Returned::Reopen(case, form, p)
    })
    .await
}

async fn follow_up(
    State(app): State<app::App>,
    Path(ids): Path<CaseIds>,
    StaffForm { signed_in, form }: StaffForm<FollowUpForm>,
) -> Response {
    let Some((id, case)) = ids.parse() else {
        return page::not_found();
    };
    let done = match form.parse(signed_in.zone(), app.now()) {
        Ok(made) => app
            .record_follow_up(&signed_in.caller, id, case, made, app::Purpose::CaseWork)
            .await
            .map(drop),
        Err(problem) => Err(problem.into()),
    };
    after(&app, &signed_in, id, done, |p| {
        Returned::FollowUp(case, form, p)
    })
    .await
}

async fn withdraw(
    State(app): State<app::App>,
    Path(ids): Path<CaseIds>,
    StaffForm { signed_in, .. }: StaffForm<WithdrawForm>,
) -> Response {
    let Some((id, case)) = ids.parse() else {
        return page::not_found();
    };
    let done = app
        .withdraw_follow_ups(&signed_in.caller, id, case, app::Purpose::CaseWork)
        .await;
    after(&app, &signed_in, id, done, |_| Returned::Nothing).await
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
