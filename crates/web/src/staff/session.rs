//! The staff session in the browser: a `__Host-` cookie holding a random token (the database keeps
//! only its hash), what the signed-in person may do and how recently they proved who they are,
//! and the defences every state-changing form has against cross-site requests: SameSite=Strict, a
//! check of the Origin header, and a form token tied to the session (P13, P15).

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use domain::policy::{Action, Relationship, permits};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::links;
use super::page::{self, Chrome, Place};
use crate::middleware::Policy;

/// The cookie's name. `__Host-` makes the browser insist on Secure, Path=/ and no Domain.
pub(crate) const COOKIE: &str = "__Host-safeharbor";

/// The `Set-Cookie` value that starts a session.
pub(crate) fn session_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict"
    ))
    .unwrap_or_else(|_| expired_cookie())
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn expired_cookie() -> HeaderValue {
    HeaderValue::from_static(
        "__Host-safeharbor=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0",
    )
}

/// The device cookie's name: it marks a browser that has signed in before (P12).
const DEVICE_COOKIE: &str = "__Host-safeharbor-device";
/// A browser stays known for a year after it last signed in.
const DEVICE_MAX_AGE_SECONDS: u32 = 365 * 24 * 60 * 60;

/// The `Set-Cookie` value that marks this browser as one that signed in (`crypto::device`). It
/// outlives sign-out on purpose: it opens nothing, and only lets its owner past the throttle that
/// guessing elsewhere sets off.
fn device_cookie(token: &str) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{DEVICE_COOKIE}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={DEVICE_MAX_AGE_SECONDS}"
    ))
    .ok()
}

/// The value of the cookie `wanted` the browser sent, if any.
fn cookie<'h>(headers: &'h HeaderMap, wanted: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(name, value)| (name == wanted).then_some(value))
}

/// The session token the browser sent, if any.
pub(crate) fn presented_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, COOKIE)
}

/// The device cookie the browser sent, if any (checked by `app::signin`, not here).
#[derive(Debug)]
pub(crate) struct Device(pub(crate) Option<String>);

impl<S: Sync> FromRequestParts<S> for Device {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            cookie(&parts.headers, DEVICE_COOKIE).map(str::to_owned),
        ))
    }
}

/// The answer to a successful sign-in: on to `to`, with the new session's cookie and the
/// browser's fresh device cookie.
pub(crate) fn signed_in(new: &app::signin::NewSession, to: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, session_cookie(&new.token));
    if let Some(device) = device_cookie(&new.device) {
        headers.append(header::SET_COOKIE, device);
    }
    response
}

/// The form token for a session: derived from the session's secret, so it needs no storage and a
/// page from another site cannot know it.
fn form_token(session_token: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"safeharbor form token\0")
        .chain_update(session_token.as_bytes())
        .finalize();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}

/// A signed-in member of staff, from a live session cookie.
#[derive(Debug)]
pub(crate) struct SignedIn {
    pub caller: app::Caller,
    token: String,
    /// When the person last proved who they are (signing in, or again for a sensitive action).
    authenticated_at: domain::Timestamp,
    /// Contact requests nobody has claimed, for the menu of those who may see the queue; read
    /// for pages (GET) only, as a form that comes back with a problem can do without it.
    unclaimed_requests: Option<i64>,
    /// The time zone times are shown in: the person's own, or else the program's.
    zone: domain::time::ProgramZone,
    /// Whether `zone` is the person's own choice.
    own_zone: bool,
}

impl SignedIn {
    /// The time zone this person reads times in: their own, or else the program's.
    pub fn zone(&self) -> &domain::time::ProgramZone {
        &self.zone
    }

    /// Whether the person chose their time zone themselves.
    pub fn own_zone(&self) -> bool {
        self.own_zone
    }

    /// The token every form of this session carries in its `csrf` field.
    pub fn form_token(&self) -> String {
        form_token(&self.token)
    }

    /// Whether they proved who they are recently enough for a sensitive action (P10).
    fn is_fresh(&self, now: domain::Timestamp) -> bool {
        domain::signin::freshly_authenticated(self.authenticated_at, now)
    }

    /// The session secret (to end this session).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether their role may do `action` apart from any one client (the policy's `NoClient`).
    pub fn may(&self, action: Action) -> bool {
        permits(self.caller.role, Relationship::NoClient, action)
    }

    /// The frame of a page at `place`, for this person.
    pub fn chrome(&self, place: Place) -> Chrome {
        Chrome::new(
            &self.caller,
            self.form_token(),
            place,
            self.unclaimed_requests,
        )
    }

    /// For a role that may do `action` (an administrator's accounts and teams, a supervisor's
    /// assignments), when their last proof of who they are is too old for it: the way to the page
    /// that asks again, and back to `here` after. Other roles go on, to be refused as usual.
    pub fn unless_fresh(&self, app: &app::App, action: Action, here: &str) -> Option<Response> {
        (self.may(action) && !self.is_fresh(app.now()))
            .then(|| Redirect::to(&links::reauth_then(here)).into_response())
    }

    fn accepts(&self, presented: &str) -> bool {
        self.form_token()
            .as_bytes()
            .ct_eq(presented.as_bytes())
            .into()
    }
}

/// Not signed in (or the session has ended): go to the sign-in page.
#[derive(Debug)]
pub(crate) struct SignInFirst;

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let mut response = Redirect::to(links::LOGIN).into_response();
        // A cookie the server no longer honours is removed from the browser too.
        response
            .headers_mut()
            .insert(header::SET_COOKIE, expired_cookie());
        response
    }
}

impl FromRequestParts<app::App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &app::App) -> Result<Self, Response> {
        let Some(token) = presented_token(&parts.headers) else {
            return Err(Redirect::to(links::LOGIN).into_response());
        };
        match app.session(token).await {
            // An administrator's session opens nothing but the passkey step (and signing out)
            // until it has proved a passkey (P10).
            Ok(Some(live))
                if app::passkeys::needs_passkey(live.caller.role)
                    && live.passkey_at.is_none()
                    && !passkey_step_allowed(parts.uri.path()) =>
            {
                Err(Redirect::to(links::PASSKEY).into_response())
            }
            Ok(Some(live)) => {
                // The menu's number of waiting requests is for pages, not for forms' answers.
                let unclaimed_requests = live
                    .unclaimed_requests
                    .filter(|_| parts.method == Method::GET);
                Ok(Self {
                    caller: live.caller,
                    token: token.to_owned(),
                    authenticated_at: live.authenticated_at,
                    unclaimed_requests,
                    own_zone: live.time_zone.is_some(),
                    zone: live.time_zone.unwrap_or_else(|| app.time_zone().clone()),
                })
            }
            Ok(None) => Err(SignInFirst.into_response()),
            Err(err) => Err(page::failure(err)),
        }
    }
}

/// What a session that still owes its passkey may reach.
fn passkey_step_allowed(path: &str) -> bool {
    path == links::PASSKEY || path == links::LOGOUT
}

/// For pages anyone may see (the sign-in page): the session if there is a live one.
impl OptionalFromRequestParts<app::App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &app::App,
    ) -> Result<Option<Self>, Response> {
        if presented_token(&parts.headers).is_none() {
            return Ok(None);
        }
        match <Self as FromRequestParts<app::App>>::from_request_parts(parts, app).await {
            Ok(signed_in) => Ok(Some(signed_in)),
            Err(response) if response.status().is_redirection() => Ok(None),
            Err(response) => Err(response),
        }
    }
}

/// Whether a state-changing request comes from one of our own pages. The browser's Origin must
/// name this site; under our `no-referrer` policy browsers send `Origin: null` even for our own
/// forms, and then Sec-Fetch-Site must say `same-origin`. Requests with neither header come from
/// programs, not browsers, and still need the form token.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let fetch_site = headers.get("sec-fetch-site").map(HeaderValue::as_bytes);
    match headers.get(header::ORIGIN).map(HeaderValue::as_bytes) {
        Some(b"null") => fetch_site == Some(b"same-origin"),
        Some(origin) => {
            let origin = std::str::from_utf8(origin).unwrap_or_default();
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            origin_host.is_some() && origin_host == host
        }
        None => fetch_site.is_none_or(|site| site == b"same-origin" || site == b"none"),
    }
}

/// The response after any sign-out: back to the sign-in page, cookie gone, browser data cleared.
pub(crate) fn signed_out() -> Response {
    (
        Policy::SignedOut,
        [(header::SET_COOKIE, expired_cookie())],
        Redirect::to(links::LOGIN),
    )
        .into_response()
}

/// What a refused cross-site or stale form gets: nothing changed, and a way back.
pub(crate) fn refused_form() -> Response {
    page::message(
        StatusCode::FORBIDDEN,
        "This form has expired",
        "Nothing was changed. Please go back, reload the page and try again.",
    )
}

/// A posted form from a signed-in member of staff, checked for origin and form token before it is
/// read. Fields are parsed strictly into `T` (unknown fields refused).
#[derive(Debug)]
pub(crate) struct StaffForm<T> {
    pub signed_in: SignedIn,
    pub form: T,
}

/// The form token's field name in every form.
const TOKEN_FIELD: &str = "csrf";

impl<T: DeserializeOwned> FromRequest<app::App> for StaffForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, app: &app::App) -> Result<Self, Response> {
        let (mut parts, body) = request.into_parts();
        let signed_in =
            <SignedIn as FromRequestParts<app::App>>::from_request_parts(&mut parts, app).await?;
        if !same_origin(&parts.headers) {
            return Err(refused_form());
        }
        let bytes = Bytes::from_request(Request::from_parts(parts, body), app)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| bad_form())?;
        let presented = fields
            .iter()
            .position(|(name, _)| name == TOKEN_FIELD)
            .map(|at| fields.remove(at).1);
        if !presented.is_some_and(|p| signed_in.accepts(&p)) {
            return Err(refused_form());
        }
        let rest = serde_urlencoded::to_string(&fields).map_err(|_| bad_form())?;
        let form = serde_urlencoded::from_str(&rest).map_err(|_| bad_form())?;
        Ok(Self { signed_in, form })
    }
}

/// A posted form from someone not signed in yet (sign-in, sign-up), checked for origin before it
/// is read and parsed strictly into `T`. Its protection is the origin check plus what the form
/// itself carries (credentials, or a sign-up link's secret).
#[derive(Debug)]
pub(crate) struct OriginForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for OriginForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Response> {
        if !same_origin(request.headers()) {
            return Err(refused_form());
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        serde_urlencoded::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| bad_form())
    }
}

/// A form with no fields but its token (sign out, claim a request, switch an account off).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoFields {}

/// Whether a posted form is a page load (sent by the browser) rather than the autosave script
/// saving a form as it is filled in, which says so in a header of its own.
pub(crate) fn navigating(headers: &HeaderMap) -> bool {
    headers.get("x-autosave").is_none()
}

/// A form this server did not write. Says nothing about what was sent.
pub(crate) fn bad_form() -> Response {
    page::message(
        StatusCode::BAD_REQUEST,
        "This form could not be read",
        "Nothing was changed. Please go back, reload the page and try again.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let h = headers(&[("cookie", "a=1; __Host-safeharbor=sht_abc; b=2")]);
        assert_eq!(presented_token(&h), Some("sht_abc"));
        assert_eq!(
            presented_token(&headers(&[("cookie", "safeharbor=x")])),
            None
        );
    }

    #[test]
    fn only_our_own_origin_may_post() {
        let ours = [
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ];
        assert!(same_origin(&headers(&ours)));
        let theirs = [
            ("host", "127.0.0.1:8080"),
            ("origin", "https://evil.example"),
        ];
        assert!(!same_origin(&headers(&theirs)));
        assert!(!same_origin(&headers(&[("host", "a"), ("origin", "null")])));
        let ours_without_referrer = [("origin", "null"), ("sec-fetch-site", "same-origin")];
        assert!(same_origin(&headers(&ours_without_referrer)));
        let sandboxed = [("origin", "null"), ("sec-fetch-site", "cross-site")];
        assert!(!same_origin(&headers(&sandboxed)));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
    }

    #[test]
    fn form_tokens_differ_per_session_and_do_not_show_the_session() {
        let (a, b) = (form_token("sht_a"), form_token("sht_b"));
        assert_ne!(a, b);
        // A SHA-256 digest in base64url: nothing of the session token in it.
        assert_eq!(a.len(), 43);
        assert!(!a.contains("sht_"));
    }
}
