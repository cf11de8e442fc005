//! Signing in (password and authenticator code, every time) and signing out.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, render};
use super::session::{Device, NoFields, OriginForm, SignedIn, StaffForm, signed_in, signed_out};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::LOGIN, get(form).post(sign_in))
        .route(links::LOGOUT, post(sign_out))
}

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage<'a> {
    chrome: Option<Chrome>,
    username: &'a str,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
    code: String,
}

async fn form(signed_in: Option<SignedIn>) -> Response {
    if signed_in.is_some() {
        return Redirect::to(links::HOME).into_response();
    }
    render(
        StatusCode::OK,
        &LoginPage {
            chrome: None,
            username: "",
            problem: None,
        },
    )
}

async fn sign_in(
    State(app): State<app::App>,
    Device(device): Device,
    OriginForm(form): OriginForm<LoginForm>,
) -> Response {
    let proof = app::signin::Proof {
        password: &form.password,
        code: form.code.trim(),
        device: device.as_deref(),
    };
    let (status, problem) = match app.sign_in(form.username.trim(), proof).await {
        Ok(Ok(new)) => return signed_in(&new, links::HOME),
        Ok(Err(refused)) => (refused_status(&refused), refused.to_string()),
        Err(err) => return page::failure(err),
    };
    render(
        status,
        &LoginPage {
            chrome: None,
            username: form.username.trim(),
            problem: Some(problem),
        },
    )
}

/// The status a refused sign-in (or re-authentication) is answered with.
pub(crate) fn refused_status(refused: &app::signin::SignInError) -> StatusCode {
    match refused {
        app::signin::SignInError::Refused | app::signin::SignInError::CodeUsed => {
            StatusCode::UNAUTHORIZED
        }
        app::signin::SignInError::SlowDown(_) => StatusCode::TOO_MANY_REQUESTS,
    }
}

/// Ends the session and asks the browser to forget everything of ours (P13).
async fn sign_out(
    State(app): State<app::App>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    if let Err(err) = app.sign_out(signed_in.token()).await {
        return page::failure(err);
    }
    signed_out()
}
