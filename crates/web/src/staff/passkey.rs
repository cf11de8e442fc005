//! The administrator's passkey step (P10): after password and code, an administrator's session
//! opens nothing but this page until it has proved a passkey, registering the first one if they
//! have none. The browser does the WebAuthn part (passkey.js); the server checks it
//! (crypto::webauthn) against a one-time challenge kept on the session.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine as _;
use crypto::webauthn::{Assertion, RelyingParty, WebAuthnError};
use serde::Deserialize;

use super::links;
use super::page::{self, Address, Chrome, Place, render};
use super::session::{self, SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::PASSKEY, get(passkey).post(prove))
}

#[derive(Template)]
#[template(path = "staff/passkey.html")]
struct PasskeyPage {
    chrome: Option<Chrome>,
    register: bool,
    challenge: String,
    rp_id: String,
    user_id: String,
    user_name: String,
    /// The caller's passkeys' ids, base64url, separated by spaces.
    credentials: String,
    problem: Option<String>,
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn passkey_page(
    app: &app::App,
    signed_in: &SignedIn,
    headers: &HeaderMap,
    problem: Option<String>,
) -> Response {
    let caller = &signed_in.caller;
    let step = match app.begin_passkey(signed_in.token(), caller).await {
        Ok(step) => step,
        Err(err) => return page::failure(err),
    };
    let status = page::status_for(problem.as_ref());
    render(
        status,
        &PasskeyPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            register: step.credentials.is_empty(),
            challenge: b64url(&step.challenge),
            rp_id: Address::of(headers).host,
            user_id: b64url(caller.id.to_string().as_bytes()),
            user_name: caller.username.clone(),
            credentials: step
                .credentials
                .iter()
                .map(|id| b64url(id))
                .collect::<Vec<_>>()
                .join(" "),
            problem,
        },
    )
}

async fn passkey(State(app): State<app::App>, headers: HeaderMap, signed_in: SignedIn) -> Response {
    if !app::passkeys::needs_passkey(signed_in.caller.role) {
        return page::not_found();
    }
    passkey_page(&app, &signed_in, &headers, None).await
}

/// What passkey.js sends: every value base64url, those of the other step left empty.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PasskeyForm {
    mode: String,
    credential_id: String,
    client_data: String,
    attestation: String,
    authenticator_data: String,
    signature: String,
}

fn decoded(text: &str) -> Result<Vec<u8>, WebAuthnError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| WebAuthnError::Malformed)
}

async fn prove(
    State(app): State<app::App>,
    headers: HeaderMap,
    StaffForm { signed_in, form }: StaffForm<PasskeyForm>,
) -> Response {
    if !app::passkeys::needs_passkey(signed_in.caller.role) {
        return page::not_found();
    }
    let address = Address::of(&headers);
    let rp = RelyingParty {
        id: &address.host,
        origin: &address.origin,
    };
    let (token, caller) = (signed_in.token(), &signed_in.caller);
    let outcome = match form.mode.as_str() {
        "register" => match (decoded(&form.client_data), decoded(&form.attestation)) {
            (Ok(client_data), Ok(attestation)) => {
                app.register_passkey(token, caller, rp, &client_data, &attestation)
                    .await
            }
            _ => Ok(Err(WebAuthnError::Malformed)),
        },
        "verify" => match (
            decoded(&form.credential_id),
            decoded(&form.client_data),
            decoded(&form.authenticator_data),
            decoded(&form.signature),
        ) {
            (Ok(credential_id), Ok(client_data), Ok(authenticator_data), Ok(signature)) => {
                let assertion = Assertion {
                    credential_id: &credential_id,
                    client_data_json: &client_data,
                    authenticator_data: &authenticator_data,
                    signature: &signature,
                };
                app.prove_passkey(token, caller, rp, &assertion).await
            }
            _ => Ok(Err(WebAuthnError::Malformed)),
        },
        _ => return session::bad_form(),
    };
    match outcome {
        Ok(Ok(())) => Redirect::to(links::HOME).into_response(),
        Ok(Err(refused)) => {
            let problem = format!("That did not work ({refused}). Try again.");
            passkey_page(&app, &signed_in, &headers, Some(problem)).await
        }
        Err(err) => page::failure(err),
    }
}
