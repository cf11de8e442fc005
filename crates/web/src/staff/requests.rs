//! The safe-contact queue: the requests people sent from the public site, claimed by one member of
//! staff, who then reads it and turns it into a client record or closes it. Every step is audited
//! in the application.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::ContactRequestId;
use domain::contact_request::Outcome;
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::session::{NoFields, SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::REQUESTS, get(queue))
        .route(links::REQUEST, get(request))
        .route(links::REQUEST_CLAIM, post(claim))
        .route(links::REQUEST_TO_CLIENT, post(to_client))
        .route(links::REQUEST_CLOSE, post(close))
}

struct Line {
    href: String,
    received: String,
    expires: String,
    language: String,
    mine: bool,
    claimed_by: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/requests.html")]
struct QueuePage {
    chrome: Option<Chrome>,
    requests: Vec<Line>,
}

struct Choice {
    value: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "staff/request.html")]
struct RequestPage {
    chrome: Option<Chrome>,
    href: String,
    received: String,
    language: String,
    request: app::contact_requests::ContactRequestView,
    outcomes: Vec<Choice>,
}

/// The language a request was written in, as staff read it.
fn language_name(code: &str) -> String {
    match code {
        "en" => "English".to_owned(),
        "es" => "Spanish".to_owned(),
        other => other.to_owned(),
    }
}

async fn queue(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let caller = &signed_in.caller;
    let requests = match app.contact_requests(caller).await {
        Ok(requests) => requests,
        Err(err) => return page::failure(err),
    };
    let lines = requests
        .into_iter()
        .map(|r| Line {
            href: links::request(r.id),
            received: when(signed_in.zone(), r.received_at),
            expires: when(signed_in.zone(), r.expires_at),
            language: language_name(&r.language),
            mine: r.claimed_by == Some(caller.id),
            claimed_by: r
                .claimed_by
                .map(|_| r.claimed_by_name.unwrap_or_else(|| "someone".to_owned())),
        })
        .collect();
    render(
        StatusCode::OK,
        &QueuePage {
            chrome: Some(signed_in.chrome(Place::Requests)),
            requests: lines,
        },
    )
}

async fn request(
    State(app): State<app::App>,
    signed_in: SignedIn,
    RecordId(id): RecordId<ContactRequestId>,
) -> Response {
    match app.contact_request(&signed_in.caller, id).await {
        Ok(request) => render(
            StatusCode::OK,
            &RequestPage {
                chrome: Some(signed_in.chrome(Place::Requests)),
                href: links::request(id),
                received: when(signed_in.zone(), request.summary.received_at),
                language: language_name(&request.summary.language),
                request,
                outcomes: Outcome::CLOSING
                    .into_iter()
                    .map(|o| Choice {
                        value: o.as_str(),
                        label: o.label(),
                    })
                    .collect(),
            },
        ),
        Err(err) => page::failure(err),
    }
}

async fn claim(
    State(app): State<app::App>,
    RecordId(id): RecordId<ContactRequestId>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    match app.claim_contact_request(&signed_in.caller, id).await {
        Ok(()) => Redirect::to(&links::request(id)).into_response(),
        Err(err) => page::failure(err),
    }
}

async fn to_client(
    State(app): State<app::App>,
    RecordId(id): RecordId<ContactRequestId>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    match app.contact_request_to_client(&signed_in.caller, id).await {
        Ok(client) => Redirect::to(&links::client(client)).into_response(),
        Err(err) => page::failure(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CloseForm {
    #[serde(default)]
    outcome: String,
}

async fn close(
    State(app): State<app::App>,
    RecordId(id): RecordId<ContactRequestId>,
    StaffForm { signed_in, form }: StaffForm<CloseForm>,
) -> Response {
    let outcome = match Outcome::parse_closing(&form.outcome) {
        Ok(outcome) => outcome,
        Err(invalid) => return page::failure(invalid.into()),
    };
    match app
        .close_contact_request(&signed_in.caller, id, outcome)
        .await
    {
        Ok(()) => Redirect::to(links::REQUESTS).into_response(),
        Err(err) => page::failure(err),
    }
}
