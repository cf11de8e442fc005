//! The signed-in person's own account: where they are signed in, and "sign out everywhere".

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::links;
use super::page::{self, Chrome, Place, render, when};
use super::session::{NoFields, SignedIn, StaffForm, signed_out};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::ACCOUNT, get(account))
        .route(links::SIGN_OUT_EVERYWHERE, post(sign_out_everywhere))
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
}

async fn account(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let sessions = match app
        .my_sessions(signed_in.token(), signed_in.caller.id)
        .await
    {
        Ok(sessions) => sessions,
        Err(err) => return page::failure(err),
    };
    render(
        StatusCode::OK,
        &AccountPage {
            chrome: Some(signed_in.chrome(Place::Account)),
            sessions: sessions
                .into_iter()
                .map(|s| SessionLine {
                    started: when(&app, s.started_at),
                    last_seen: when(&app, s.last_seen_at),
                    this_one: s.this_one,
                })
                .collect(),
        },
    )
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
