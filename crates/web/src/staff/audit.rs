//! The audit log as supervisors see it: who opened one client's record, everyone refused a
//! record lately (someone looking outside their work), and what one member of staff has done.
//! "Not found" for other roles.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::links;
use super::on_client::OnClient;
use super::page::{self, Chrome, Place, render, when};
use super::session::SignedIn;

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::AUDIT, get(audit))
        .route(links::ACCESS_LOG, get(access_log))
}

struct Line {
    at: String,
    who: String,
    what: &'static str,
    record: String,
    why: String,
}

fn lines(lines: Vec<app::access_log::AccessLine>) -> Vec<Line> {
    lines
        .into_iter()
        .map(|l| Line {
            at: when(l.at),
            who: l.who,
            what: l.what,
            record: l.record.unwrap_or_default(),
            why: l.why,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    chrome: Option<Chrome>,
    staff: String,
    activity: Option<Vec<Line>>,
    refused: Vec<Line>,
}

/// Whom to look up (`/app/audit?staff=USERNAME`): a staff username, never client data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuditQuery {
    #[serde(default)]
    staff: String,
}

async fn audit(
    State(app): State<app::App>,
    signed_in: SignedIn,
    query: Result<Query<AuditQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(AuditQuery { staff })) = query else {
        return page::not_found();
    };
    let caller = &signed_in.caller;
    let refused = match app.refused_looks(caller).await {
        Ok(refused) => refused,
        Err(err) => return page::failure(err),
    };
    let staff = staff.trim().to_owned();
    let activity = if staff.is_empty() {
        None
    } else {
        match app.activity_of(caller, &staff).await {
            Ok(found) => found.map(lines),
            Err(err) => return page::failure(err),
        }
    };
    render(
        StatusCode::OK,
        &AuditPage {
            chrome: Some(signed_in.chrome(Place::Audit)),
            staff,
            activity,
            refused: lines(refused),
        },
    )
}

#[derive(Template)]
#[template(path = "staff/access_log.html")]
struct AccessLogPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    lines: Vec<Line>,
}

/// Who opened a client's record, for a supervisor who works with them.
async fn access_log(at: OnClient) -> Response {
    let purpose = app::Purpose::Supervision;
    // The log first: for anyone it is not meant for, it is "not found" before anything is read.
    let log = match at
        .app
        .access_log(&at.signed_in.caller, at.id, purpose)
        .await
    {
        Ok(log) => log,
        Err(err) => return page::failure(err),
    };
    let client = match at.client(purpose).await {
        Ok(client) => client,
        Err(failed) => return failed,
    };
    render(
        StatusCode::OK,
        &AccessLogPage {
            chrome: Some(at.signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client(at.id),
            lines: lines(log),
        },
    )
}
