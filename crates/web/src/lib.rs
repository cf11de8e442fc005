//! Safe Harbor over HTTP: a thin layer that turns requests into calls on `app::App` and their
//! results into responses. Every response carries the security headers; nothing here logs a URL,
//! a body or a header value, only the route template, status and time taken (P5).

mod api;
mod assets;
mod error;
mod extract;
mod middleware;
pub mod public;
mod staff;
pub mod tls;

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub use axum::http::HeaderName;
pub use error::ApiError;

/// The largest request body we read. Bigger bodies are refused with 413 before they are read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How long a request may take before it is answered "try again in a moment" (503). Longer than
/// any wait the store bounds itself (a connection, the writer's turn), it is for what the store
/// cannot bound: a database that stopped answering mid-statement (paused, or cut off without a
/// word) would otherwise hold the request, and the person waiting, for ever.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(45);

/// How the server is deployed, as far as the HTTP layer needs to know.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The header a trusted reverse proxy puts the visitor's address in (its last address is
    /// used), for the contact form's per-source limit; `None` when clients connect directly.
    pub client_address_header: Option<axum::http::HeaderName>,
}

/// The whole HTTP application for `app`, served directly.
pub fn router(app: app::App) -> Router {
    router_with(app, &Options::default())
}

/// The whole HTTP application for `app`, deployed as `options` say.
pub fn router_with(app: app::App, options: &Options) -> Router {
    let site = public::Site::shipped().unwrap_or_else(|problem| {
        tracing::error!(problem, "the public pages could not be loaded");
        public::Site::default()
    });
    let routes = Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::routes())
        .merge(staff::routes())
        .merge(public::routes(site, options.client_address_header.clone()))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed);
    around(routes, REQUEST_DEADLINE).with_state(app)
}

/// What wraps every route: the body limit, the deadline, the answer to a panic, the request log
/// and, outermost, the security headers, so that every response passes through them (a panic's
/// and a late one's too).
fn around<S: Clone + Send + Sync + 'static>(routes: Router<S>, deadline: Duration) -> Router<S> {
    routes
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(move |request, next| {
            middleware::deadline(deadline, request, next)
        }))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(axum::middleware::from_fn(middleware::security_headers))
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Serves `app` on `listener`, deployed as `options` say, until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: app::App,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service =
        router_with(app, &options).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Serves `app` over TLS on `listener` (see [`tls`]), deployed as `options` say, until
/// `shutdown` completes: the same routes, middleware and graceful shutdown as [`serve`].
pub async fn serve_tls(
    listener: tls::TlsListener,
    app: app::App,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt as _;
    let service =
        router_with(app, &options).into_make_service_with_connect_info::<std::net::SocketAddr>();
    // `tap_io` with nothing to do: axum gives a tapped listener's peer address to `ConnectInfo`.
    axum::serve(listener.tap_io(|_| ()), service)
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt as _;

    use super::*;

    async fn boom() -> &'static str {
        panic!("a handler that fails")
    }

    #[tokio::test]
    async fn a_panic_is_answered_with_the_security_headers() {
        let routes = around(Router::new().route("/boom", get(boom)), REQUEST_DEADLINE);
        let request = Request::get("/boom").body(Body::empty()).unwrap();
        let response = routes.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["cache-control"], "no-store");
        assert_eq!(
            response.headers()["content-security-policy"],
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        );
    }

    /// A handler stuck as on a database that stopped answering mid-statement.
    async fn stuck() -> &'static str {
        std::future::pending().await
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_is_told_to_try_again() {
        let deadline = Duration::from_millis(50);
        let routes = around(
            Router::new()
                .route("/api/v1/stuck", get(stuck))
                .route("/app/stuck", get(stuck)),
            deadline,
        );
        for (path, kind) in [
            ("/api/v1/stuck", "application/json"),
            ("/app/stuck", "text/html"),
        ] {
            let request = Request::get(path).body(Body::empty()).unwrap();
            let response = routes.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert_eq!(response.headers()["retry-after"], "5", "{path}");
            assert!(
                response.headers()["content-type"]
                    .to_str()
                    .unwrap()
                    .starts_with(kind),
                "{path}"
            );
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        }
    }
}
