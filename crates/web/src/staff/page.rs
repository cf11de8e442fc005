//! What every staff page shares: the frame around it (who is signed in, the main links, sign
//! out), rendering with our page policy, and the plain pages for "not found" and "went wrong".

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use domain::policy::{Action, Relationship, permits};

use super::session::SignedIn;
use crate::middleware::Policy;

/// The frame of a signed-in page.
#[derive(Debug)]
pub(crate) struct Chrome {
    pub username: String,
    pub role: &'static str,
    pub csrf: String,
    /// Whether the role records clients and keeps a caseload (the main links are for that).
    pub case_work: bool,
    /// Whether the role administers staff accounts.
    pub admin: bool,
    /// Whether the role reads the audit log (supervisors).
    pub audit: bool,
    /// Whether the role leads teams and so has a team caseload (supervisors).
    pub team: bool,
    /// Whether the role makes teams (administrators).
    pub teams: bool,
    /// Whether the role reviews emergency accesses (supervisors).
    pub reviews: bool,
    /// Which main link is the current page: "caseload", "new", "requests", "team", "reviews",
    /// "audit", "admin", "teams", "account" or "".
    pub current: &'static str,
}

impl Chrome {
    pub fn new(signed_in: &SignedIn, current: &'static str) -> Self {
        Self {
            username: signed_in.caller.username.clone(),
            role: signed_in.caller.role.as_str(),
            csrf: signed_in.form_token(),
            case_work: does_case_work(signed_in),
            admin: super::admin::administers(signed_in),
            audit: permits(
                signed_in.caller.role,
                Relationship::NoClient,
                Action::ReadAuditLog,
            ),
            team: super::teams::leads_teams(signed_in),
            teams: super::teams::manages_teams(signed_in),
            reviews: permits(
                signed_in.caller.role,
                Relationship::NoClient,
                Action::ReviewEmergencyAccess,
            ),
            current,
        }
    }
}

/// Whether the signed-in role keeps a caseload and records clients (administrators and data
/// analysts do not, P6).
pub(crate) fn does_case_work(signed_in: &SignedIn) -> bool {
    permits(
        signed_in.caller.role,
        Relationship::NoClient,
        Action::CreateClient,
    )
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

/// The start page for roles that keep no caseload (administrators, data analysts).
pub(crate) fn no_caseload(signed_in: &SignedIn) -> Response {
    render(
        StatusCode::OK,
        &Message {
            chrome: Some(Chrome::new(signed_in, "caseload")),
            heading: "Welcome",
            text: "Your role looks after the system and its reports, so client records do not \
                   open for you. Staff accounts (for administrators) lists everyone's account; \
                   your account page shows where you are signed in.",
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

impl<S: Send + Sync, T: std::str::FromStr> axum::extract::FromRequestParts<S> for RecordId<T> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Response> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| not_found())?;
        raw.parse().map(RecordId).map_err(|_| not_found())
    }
}

/// Maps an application error to a page. Refusals look exactly like "not found".
pub(crate) fn failure(err: app::AppError) -> Response {
    use app::AppError::*;
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

/// A page's status: 422 when it comes back with a problem to fix, else 200.
pub(crate) fn status_for<T>(problem: Option<&T>) -> StatusCode {
    if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

/// An instant as staff read it: date and minute, in UTC (said so on the page).
pub(crate) fn when(at: domain::Timestamp) -> String {
    let text = at.rfc3339();
    match (text.get(..10), text.get(11..16)) {
        (Some(day), Some(minute)) => format!("{day} {minute}"),
        _ => text,
    }
}

/// The stylesheet of the staff pages.
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
