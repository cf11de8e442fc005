//! The audit log as supervisors see it: who opened one client's record (a visit to a line), and
//! the whole log found by person, action, record and period; both a page at a time, in plain
//! words. "Not found" for other roles.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::audit::DESCRIBED;
use domain::time::ProgramZone;
use serde::{Deserialize, Serialize};

use super::links;
use super::on_client::OnClient;
use super::page::{self, Chrome, Place, render, status_for, when};
use super::session::SignedIn;

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::AUDIT, get(audit))
        .route(links::ACCESS_LOG, get(access_log))
}

/// The action the audit log shows before anyone asks for anything: looks that were refused.
const REFUSED: &str = "access.refused";
/// The filter's choice for every action.
const ANY_ACTION: &str = "any";

/// The filter form of both pages (`?staff=&action=&record=&from=&to=`), and `before` for the
/// next page. Names of staff, codes, a record's id and dates: never client data.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LogForm {
    #[serde(default)]
    staff: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<String>,
    #[serde(default)]
    record: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<i64>,
}

impl LogForm {
    /// Whether nothing at all was asked for (the page as the menu opens it).
    fn is_empty(&self) -> bool {
        [&self.staff, &self.record, &self.from, &self.to]
            .iter()
            .all(|t| t.trim().is_empty())
            && self.action.is_none()
            && self.before.is_none()
    }

    /// What the form asks for, or the problem with it in words; dates are days in `zone`.
    fn query(&self, zone: &ProgramZone) -> Result<app::access_log::LogQuery, String> {
        let given = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        let action = match self.action.as_deref() {
            None | Some(ANY_ACTION) => None,
            Some(code) if DESCRIBED.iter().any(|(c, _)| *c == code) => Some(code.to_owned()),
            Some(_) => return Err("Please choose what was done from the list.".to_owned()),
        };
        let record = match given(&self.record) {
            None => None,
            Some(typed) => Some(links::client_reference(&typed).ok_or(
                "That is not a record's reference: paste the id or the address of a record.",
            )?),
        };
        let day = |text: &str| -> Result<Option<time::Date>, String> {
            given(text)
                .map(|d| domain::case::parse_date("date", &d))
                .transpose()
                .map_err(|_| "Please give dates as year-month-day, like 2026-03-31.".to_owned())
        };
        // "To" a day includes that whole day: up to the start of the next.
        let until = day(&self.to)?.map(|d| d.next_day().unwrap_or(d));
        Ok(app::access_log::LogQuery {
            username: given(&self.staff),
            action,
            record,
            from: day(&self.from)?.map(|d| zone.start_of_day(d)),
            until: until.map(|d| zone.start_of_day(d)),
            before: self.before,
        })
    }

    /// The address of a page of the same search: the one `before` an event, or the first.
    fn page(&self, base: &str, before: Option<i64>) -> String {
        let next = LogForm {
            staff: self.staff.clone(),
            action: self.action.clone(),
            record: self.record.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            before,
        };
        format!(
            "{base}?{}",
            serde_urlencoded::to_string(&next).unwrap_or_default()
        )
    }
}

struct Line {
    at: String,
    who: String,
    what: String,
    emergency: bool,
    record: String,
    why: String,
}

fn lines(zone: &ProgramZone, page: app::access_log::LogPage) -> Vec<Line> {
    page.lines
        .into_iter()
        .map(|l| Line {
            at: when(zone, l.at),
            who: l.who,
            what: l.what.join(", "),
            emergency: l.emergency,
            record: l.record.unwrap_or_default(),
            why: l.why,
        })
        .collect()
}

struct Choice {
    value: &'static str,
    label: &'static str,
    chosen: bool,
}

/// What both log pages show under their heading: the filter form and what it found.
struct LogFound {
    /// The page's own address, where the form sends its search.
    here: String,
    form: LogForm,
    /// The actions to filter by (the audit log's form only).
    actions: Vec<Choice>,
    problem: Option<String>,
    no_such_person: bool,
    lines: Vec<Line>,
    /// The same search's first page, from a later one.
    newest: Option<String>,
    older: Option<String>,
    /// Lines name their record (a record's own log does not need to).
    show_record: bool,
}

impl LogFound {
    fn new(
        zone: &ProgramZone,
        here: String,
        form: LogForm,
        found: Result<app::access_log::LogPage, String>,
    ) -> Self {
        let (problem, page) = match found {
            Ok(page) => (None, Some(page)),
            Err(problem) => (Some(problem), None),
        };
        let older = page
            .as_ref()
            .and_then(|p| p.older)
            .map(|before| form.page(&here, Some(before)));
        let newest = form.before.is_some().then(|| form.page(&here, None));
        Self {
            no_such_person: page.as_ref().is_some_and(|p| p.no_such_person),
            lines: page.map(|p| lines(zone, p)).unwrap_or_default(),
            here,
            form,
            actions: Vec::new(),
            problem,
            newest,
            older,
            show_record: false,
        }
    }
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    chrome: Option<Chrome>,
    log: LogFound,
}

async fn audit(
    State(app): State<app::App>,
    signed_in: SignedIn,
    form: Result<Query<LogForm>, QueryRejection>,
) -> Response {
    let Ok(Query(mut form)) = form else {
        return page::not_found();
    };
    if form.is_empty() {
        form.action = Some(REFUSED.to_owned());
    }
    // Refused for other roles before anything else is looked at.
    if !signed_in.may(domain::policy::Action::ReadAuditLog) {
        return page::not_found();
    }
    let chosen = form.action.clone().unwrap_or_else(|| ANY_ACTION.to_owned());
    let actions = std::iter::once((ANY_ACTION, "anything"))
        .chain(DESCRIBED.iter().copied())
        .map(|(value, label)| Choice {
            value,
            label,
            chosen: value == chosen,
        })
        .collect();
    let found = match form.query(signed_in.zone()) {
        Err(problem) => Err(problem),
        Ok(query) => match app.audit_log(&signed_in.caller, &query).await {
            Ok(found) => Ok(found),
            Err(err) => return page::failure(err),
        },
    };
    let log = LogFound {
        actions,
        show_record: true,
        ..LogFound::new(signed_in.zone(), links::AUDIT.to_owned(), form, found)
    };
    render(
        status_for(log.problem.as_ref()),
        &AuditPage {
            chrome: Some(signed_in.chrome(Place::Audit)),
            log,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/access_log.html")]
struct AccessLogPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    log: LogFound,
}

/// Who opened a client's record, for a supervisor who works with them: by person and period.
async fn access_log(at: OnClient, form: Result<Query<LogForm>, QueryRejection>) -> Response {
    let purpose = app::Purpose::Supervision;
    let Ok(Query(form)) = form else {
        return page::not_found();
    };
    let query = form.query(at.signed_in.zone());
    // The log first: for anyone it is not meant for, it is "not found" before anything is read.
    let asked = query.clone().unwrap_or_default();
    let log = match at
        .app
        .access_log(&at.signed_in.caller, at.id, purpose, &asked)
        .await
    {
        Ok(log) => log,
        Err(err) => return page::failure(err),
    };
    let client = match at.client(purpose).await {
        Ok(client) => client,
        Err(failed) => return failed,
    };
    let here = links::of_client(links::ACCESS_LOG, at.id);
    let log = LogFound::new(at.signed_in.zone(), here, form, query.map(|_| log));
    render(
        status_for(log.problem.as_ref()),
        &AccessLogPage {
            chrome: Some(at.signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client(at.id),
            log,
        },
    )
}
