//! What every staff page shares: the frame around it (who is signed in, the main links, sign
//! out), rendering with our page policy, and the plain pages for "not found" and "went wrong".

use std::str::FromStr;

use askama::Template;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use domain::policy::{Action, Relationship, permits};

use super::links;
use crate::middleware::Policy;

/// Where a page sits among the main links (that link is marked as the current page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    Caseload,
    NewClient,
    Requests,
    Team,
    Reviews,
    Audit,
    Reports,
    Admin,
    Teams,
    Account,
    /// Not one of the main links: a client's record, or a step such as proving who one is.
    Elsewhere,
}

/// The main links after the first, each with the action it leads to: a role is shown the links
/// to what the policy lets it do, and no others.
const MENU: [(Place, &str, &str, Action); 8] = [
    (
        Place::NewClient,
        links::NEW_CLIENT,
        "New client",
        Action::CreateClient,
    ),
    (
        Place::Requests,
        links::REQUESTS,
        "Contact requests",
        Action::ListContactRequests,
    ),
    (Place::Team, links::TEAM, "Team", Action::ListTeamCaseload),
    (
        Place::Reviews,
        links::REVIEWS,
        "Emergency reviews",
        Action::ReviewEmergencyAccess,
    ),
    (
        Place::Audit,
        links::AUDIT,
        "Audit log",
        Action::ReadAuditLog,
    ),
    (
        Place::Reports,
        links::REPORTS,
        "Reports",
        Action::ReadReports,
    ),
    (
        Place::Admin,
        links::ADMIN,
        "Staff accounts",
        Action::ManageUsers,
    ),
    (Place::Teams, links::TEAMS, "Teams", Action::ManageTeams),
];

/// One of the main links.
#[derive(Debug)]
pub(crate) struct MenuItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
    /// How many wait there (contact requests nobody has claimed), when any do.
    pub waiting: Option<i64>,
}

/// The frame of a signed-in page.
#[derive(Debug)]
pub(crate) struct Chrome {
    pub role: &'static str,
    pub csrf: String,
    /// The main links this role may follow, in order.
    pub menu: Vec<MenuItem>,
    /// The person's own account, by their username (last in the bar, with their role).
    pub account: MenuItem,
}

impl Chrome {
    /// The frame for `caller`, whose forms carry `csrf`, on a page at `place`, with the number
    /// of contact requests nobody has claimed if they may see the queue.
    pub fn new(
        caller: &app::Caller,
        csrf: String,
        place: Place,
        unclaimed_requests: Option<i64>,
    ) -> Self {
        let may = |action| permits(caller.role, Relationship::NoClient, action);
        let item = |at, href, label| MenuItem {
            href,
            label,
            current: at == place,
            waiting: unclaimed_requests.filter(|n| at == Place::Requests && *n > 0),
        };
        // Roles that keep no caseload (administrators, data analysts) start on a welcome page.
        let start = if may(Action::ListCaseload) {
            "My caseload"
        } else {
            "Start"
        };
        let menu = std::iter::once(item(Place::Caseload, links::HOME, start.to_owned()))
            .chain(
                MENU.into_iter()
                    .filter(|(.., action)| may(*action))
                    .map(|(at, href, label, _)| item(at, href, label.to_owned())),
            )
            .collect();
        Self {
            role: caller.role.as_str(),
            csrf,
            menu,
            account: item(Place::Account, links::ACCOUNT, caller.username.clone()),
        }
    }
}

/// Renders a page with the staff policy; a template that fails to render is our fault, logged
/// without its contents.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Policy::Page, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "a staff page could not be rendered");
            (StatusCode::INTERNAL_SERVER_ERROR, "Something went wrong.").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "staff/message.html")]
struct Message<'a> {
    chrome: Option<Chrome>,
    heading: &'a str,
    text: &'a str,
}

/// A page that only says something (and offers the way back).
pub(crate) fn message(status: StatusCode, heading: &str, text: &str) -> Response {
    render(
        status,
        &Message {
            chrome: None,
            heading,
            text,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/start.html")]
struct Start {
    chrome: Option<Chrome>,
}

/// The start page for roles that keep no caseload (administrators, data analysts): what their
/// menu holds, and nothing it does not.
pub(crate) fn no_caseload(chrome: Chrome) -> Response {
    render(
        StatusCode::OK,
        &Start {
            chrome: Some(chrome),
        },
    )
}

/// The one answer for "no such client" and "not yours to see" (P7).
pub(crate) fn not_found() -> Response {
    message(
        StatusCode::NOT_FOUND,
        "Nothing here",
        "There is nothing at this address, or nothing you can open. Your caseload lists everyone \
         you work with.",
    )
}

/// A record's id from the page's address (`/app/clients/{id}`, `/app/requests/{id}`): one that
/// does not parse is "not found", like any record the caller may not see (P7).
pub(crate) struct RecordId<T>(pub T);

impl<S: Send + Sync, T: FromStr> FromRequestParts<S> for RecordId<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        raw.parse().map(RecordId).map_err(|_| not_found())
    }
}

/// Two ids from the page's address, a client's and one of their records'
/// (`/app/clients/{id}/screenings/{screening}`), each read like a [`RecordId`].
pub(crate) struct RecordIds<A, B>(pub A, pub B);

impl<S: Send + Sync, A: FromStr, B: FromStr> FromRequestParts<S> for RecordIds<A, B> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_found())?;
        match (a.parse(), b.parse()) {
            (Ok(a), Ok(b)) => Ok(RecordIds(a, b)),
            _ => Err(not_found()),
        }
    }
}

/// What a form's change came to: `act` on the input that parsed, or the input's refusal.
pub(crate) async fn acted<T, R>(
    parsed: Result<T, domain::InvalidInput>,
    act: impl AsyncFnOnce(T) -> Result<R, app::AppError>,
) -> Result<(), app::AppError> {
    act(parsed?).await.map(drop)
}

/// Maps an application error to a page. Refusals look exactly like "not found".
pub(crate) fn failure(err: app::AppError) -> Response {
    use app::AppError::*;
    if let Some(why) = err.unavailable() {
        return unavailable(why);
    }
    match err {
        NotFound | Forbidden => not_found(),
        Invalid(invalid) => message(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Please check what you entered",
            &invalid.to_string(),
        ),
        Conflict(text) => message(StatusCode::CONFLICT, "That could not be done", text),
        Store(_) | Crypto(_) | KeyFile(_) => {
            tracing::error!(error = %err, "a staff page failed");
            message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "Something went wrong on our side. Nothing was changed. Please try again; if it \
                 keeps happening, tell your administrator.",
            )
        }
    }
}

/// "Safe Harbor cannot reach its records this moment": 503, with when to try again.
pub(crate) fn unavailable(why: app::Unavailable) -> Response {
    let mut page = message(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again in a moment",
        &format!(
            "Safe Harbor cannot open or save records right now ({why}). If you were saving \
             something, look whether it was saved before you send it again. If this lasts, tell \
             your administrator."
        ),
    );
    page.headers_mut().insert(
        header::RETRY_AFTER,
        axum::http::HeaderValue::from(crate::error::RETRY_AFTER_SECS),
    );
    page
}

/// A page's status: 422 when it comes back with a problem to fix, else 200.
pub(crate) fn status_for<T>(problem: Option<&T>) -> StatusCode {
    if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// An instant as staff read it: date and minute in their time zone (`SignedIn::zone`), which it names
/// (`2026-03-31 14:05 CDT`).
pub(crate) fn when(zone: &domain::time::ProgramZone, at: domain::Timestamp) -> String {
    zone.minute(at)
}

/// The stylesheet of the staff pages (at `links::STYLESHEET`).
pub(crate) async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../assets/staff.css"),
    )
        .into_response()
}

/// The address people use to reach this server: the host they asked for, over HTTPS unless it is
/// this machine. Sign-up links are made at it, and passkeys are bound to its host name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Address {
    /// The host name alone (a passkey's relying party id).
    pub host: String,
    /// Scheme, host and port (where pages come from).
    pub origin: String,
}

impl Address {
    pub(crate) fn of(headers: &axum::http::HeaderMap) -> Self {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        // The host without its port, compared whole ("localhost.example.org" is not this machine).
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => host.rsplit_once(':').map_or(host, |(name, _)| name),
        };
        let local = matches!(name, "127.0.0.1" | "localhost" | "::1");
        let scheme = if local { "http" } else { "https" };
        Self {
            host: name.to_owned(),
            origin: format!("{scheme}://{host}"),
        }
    }
}
