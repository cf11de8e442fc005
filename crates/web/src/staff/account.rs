//! The signed-in person's own account: where they are signed in, "sign out everywhere", and the
//! time zone they read times in.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::time::ProgramZone;
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, Place, render, when};
use super::session::{NoFields, SignedIn, StaffForm, signed_out};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::ACCOUNT, get(account))
        .route(links::SIGN_OUT_EVERYWHERE, post(sign_out_everywhere))
        .route(links::TIME_ZONE, post(set_time_zone))
}

struct SessionLine {
    started: String,
    last_seen: String,
    this_one: bool,
}

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    chrome: Option<Chrome>,
    sessions: Vec<SessionLine>,
    /// The zone times are shown in, and whether it is the person's own choice.
    zone: String,
    own_zone: bool,
    program_zone: String,
    /// What the time-zone box holds: the person's zone, or what they typed that was not one.
    typed_zone: String,
    zones: Vec<String>,
    problem: Option<String>,
}

async fn account(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let typed = if signed_in.own_zone() {
        signed_in.zone().name().to_owned()
    } else {
        String::new()
    };
    account_page(&app, &signed_in, StatusCode::OK, typed, None).await
}

async fn account_page(
    app: &app::App,
    signed_in: &SignedIn,
    status: StatusCode,
    typed_zone: String,
    problem: Option<String>,
) -> Response {
    let sessions = match app
        .my_sessions(signed_in.token(), signed_in.caller.id)
        .await
    {
        Ok(sessions) => sessions,
        Err(err) => return page::failure(err),
    };
    let zone = signed_in.zone();
    render(
        status,
        &AccountPage {
            chrome: Some(signed_in.chrome(Place::Account)),
            sessions: sessions
                .into_iter()
                .map(|s| SessionLine {
                    started: when(zone, s.started_at),
                    last_seen: when(zone, s.last_seen_at),
                    this_one: s.this_one,
                })
                .collect(),
            zone: zone.name().to_owned(),
            own_zone: signed_in.own_zone(),
            program_zone: app.time_zone().name().to_owned(),
            typed_zone,
            zones: ProgramZone::names(),
            problem,
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TimeZoneForm {
    time_zone: String,
}

/// Sets the person's own time zone; left empty, the program's is theirs again.
async fn set_time_zone(
    State(app): State<app::App>,
    StaffForm { signed_in, form }: StaffForm<TimeZoneForm>,
) -> Response {
    let typed = form.time_zone.trim();
    let zone = if typed.is_empty() {
        None
    } else {
        match ProgramZone::parse(typed) {
            Ok(zone) => Some(zone),
            Err(invalid) => {
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                let problem = Some(format!("That {}.", invalid.problem));
                return account_page(&app, &signed_in, status, typed.to_owned(), problem).await;
            }
        }
    };
    match app.set_time_zone(&signed_in.caller, zone.as_ref()).await {
        Ok(()) => Redirect::to(links::ACCOUNT).into_response(),
        Err(err) => page::failure(err),
    }
}

/// Ends every session of this person, this one included (a lost phone, a shared computer).
async fn sign_out_everywhere(
    State(app): State<app::App>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    match app.sign_out_everywhere(signed_in.caller.id).await {
        Ok(_) => signed_out(),
        Err(err) => page::failure(err),
    }
}
