//! The sign-up pages a link leads to: choose a password (and a username, for the first
//! administrator), add the authenticator to an app, prove it with a code, and be signed in.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use crypto::totp::TotpSecret;
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, render};
use super::session::{OriginForm, signed_in};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::SETUP, get(password_form).post(set_password))
        .route(links::SETUP_CONFIRM, post(confirm))
}

/// The name authenticator apps show beside the code.
const ISSUER: &str = "Safe Harbor";

#[derive(Template)]
#[template(path = "staff/setup_password.html")]
struct PasswordStep<'a> {
    chrome: Option<Chrome>,
    action: String,
    /// The account's username, or `None` when the person chooses one.
    username: Option<&'a str>,
    typed_username: &'a str,
    role: &'a str,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/setup_code.html")]
struct CodeStep {
    chrome: Option<Chrome>,
    action: String,
    key: String,
    uri: String,
    problem: Option<String>,
}

fn link_not_valid() -> Response {
    page::message(
        StatusCode::NOT_FOUND,
        "This sign-up link does not work",
        "It has expired or was already used. Ask your administrator for a new one.",
    )
}

/// The key in groups of four, as people type it into an app.
fn grouped(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn code_step(
    token: &str,
    username: &str,
    secret: &TotpSecret,
    problem: Option<String>,
) -> Response {
    let status = page::status_for(problem.as_ref());
    render(
        status,
        &CodeStep {
            chrome: None,
            action: links::setup_confirm(token),
            key: grouped(&secret.base32()),
            uri: secret.uri(ISSUER, username),
            problem,
        },
    )
}

async fn password_form(State(app): State<app::App>, Path(token): Path<String>) -> Response {
    match app.invitation(&token).await {
        Ok(Some(invitation)) => render(
            StatusCode::OK,
            &PasswordStep {
                chrome: None,
                action: links::setup(&token),
                username: invitation.username.as_deref(),
                typed_username: "",
                role: invitation.role.as_str(),
                problem: None,
            },
        ),
        Ok(None) => link_not_valid(),
        Err(err) => page::failure(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    username: Option<String>,
    password: String,
    password_again: String,
}

async fn set_password(
    State(app): State<app::App>,
    Path(token): Path<String>,
    OriginForm(form): OriginForm<PasswordForm>,
) -> Response {
    let invitation = match app.invitation(&token).await {
        Ok(Some(invitation)) => invitation,
        Ok(None) => return link_not_valid(),
        Err(err) => return page::failure(err),
    };
    let typed_username = form.username.as_deref().unwrap_or_default().trim();
    let again = |problem: String| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordStep {
                chrome: None,
                action: links::setup(&token),
                username: invitation.username.as_deref(),
                typed_username,
                role: invitation.role.as_str(),
                problem: Some(problem),
            },
        )
    };
    if form.password != form.password_again {
        return again("The two passwords are not the same. Please type them again.".to_owned());
    }
    match app
        .enrol(&token, Some(typed_username), &form.password)
        .await
    {
        Ok(Ok(secret)) => {
            let username = invitation.username.as_deref().unwrap_or(typed_username);
            code_step(&token, username, &secret, None)
        }
        Ok(Err(app::enrolment::EnrolProblem::LinkNotValid)) => link_not_valid(),
        Ok(Err(problem)) => again(problem.to_string()),
        Err(err) => page::failure(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CodeForm {
    code: String,
}

async fn confirm(
    State(app): State<app::App>,
    Path(token): Path<String>,
    OriginForm(form): OriginForm<CodeForm>,
) -> Response {
    match app.finish_enrolment(&token, form.code.trim()).await {
        Ok(Some(new)) => signed_in(&new, links::HOME),
        Ok(None) => match app.enrolment_secret(&token).await {
            Ok(Some((username, secret))) => code_step(
                &token,
                &username,
                &secret,
                Some(
                    "That code did not match. Check the app shows Safe Harbor and type the \
                     newest code."
                        .to_owned(),
                ),
            ),
            Ok(None) => link_not_valid(),
            Err(err) => page::failure(err),
        },
        Err(err) => page::failure(err),
    }
}
