//! Middleware on every response: the security headers (P14), every one of them decided here, and
//! a request log without personal data.
//!
//! A handler never writes a security header. It says what its response is by putting a [`Policy`]
//! in it (`(status, Policy::Page, Html(html))`), and this middleware turns that into header
//! values; a response that says nothing gets the strictest policy.

use std::convert::Infallible;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};

/// What a response is, as far as its headers go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    /// JSON, scripts, styles, redirects: nothing in it may load or run anything. The default.
    Strict,
    /// One of our HTML pages, public or staff: it may run our own scripts (by hash), load our own
    /// styles and images, and post forms here.
    Page,
    /// The answer to signing out: the browser is also told to forget everything of ours (P13).
    SignedOut,
}

impl IntoResponseParts for Policy {
    type Error = Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Infallible> {
        parts.extensions_mut().insert(self);
        Ok(parts)
    }
}

/// The policy of everything that is not a page.
const STRICT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The policy of our pages: nothing from anyone else, nothing inline, only our own scripts by hash
/// and our own styles; forms post only here, and nothing may frame us. `connect-src 'self'` lets
/// the public forms and the autosave send a form without a page load.
static PAGE_CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
    let policy = format!(
        "default-src 'none'; {}; style-src 'self'; img-src 'self'; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        *crate::assets::SCRIPT_SRC
    );
    // The hashes are base64, so this cannot fail; if it ever did, the page would get the strict
    // policy (unstyled, but nothing runs).
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(STRICT_CSP))
});

/// What every response carries, whatever its policy.
const HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("cache-control", "no-store"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    ),
];

pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let policy = response
        .extensions_mut()
        .remove::<Policy>()
        .unwrap_or(Policy::Strict);
    let headers = response.headers_mut();
    if policy == Policy::SignedOut {
        headers.insert(
            HeaderName::from_static("clear-site-data"),
            // Not "cookies": the session cookie is expired by name, and the device cookie stays
            // (see `staff::session`).
            HeaderValue::from_static("\"cache\", \"storage\""),
        );
    }
    let csp = match policy {
        Policy::Page => PAGE_CSP.clone(),
        Policy::Strict | Policy::SignedOut => HeaderValue::from_static(STRICT_CSP),
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    for (name, value) in HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

/// Answers 503 "try again in a moment" to a request not answered within `limit` (see
/// `REQUEST_DEADLINE`); the request's work is dropped, so a transaction it held is rolled back.
pub(crate) async fn deadline(limit: Duration, request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!("a request was not answered within its deadline");
            let why = app::Unavailable::TimedOut;
            if api {
                crate::ApiError::unavailable(why).into_response()
            } else {
                crate::staff::page::unavailable(why)
            }
        }
    }
}

/// Logs the route template (never the URL: it may carry ids), the status and the time taken.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(unmatched)".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets;

    #[test]
    fn the_page_policy_names_every_script_by_its_hash_and_nothing_else() {
        let csp = PAGE_CSP.to_str().unwrap_or_default();
        for script in [assets::QUICK_EXIT, assets::AUTOSAVE, assets::PASSKEY] {
            let integrity = assets::integrity(script.path);
            assert!(integrity.starts_with("sha256-") && integrity.len() == 7 + 44);
            assert!(csp.contains(&format!("'{integrity}'")), "{}", script.path);
        }
        assert!(!csp.contains("'self' 'sha") && !csp.contains("script-src 'self'"));
        assert!(!csp.contains("unsafe"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
