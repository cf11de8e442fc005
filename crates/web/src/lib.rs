//! Safe Harbor over HTTP: a thin layer that turns requests into calls on `app::App` and their
//! results into responses. Every response carries the security headers; nothing here logs a URL,
//! a body or a header value, only the route template, status and time taken (P5).

mod api;
mod assets;
mod error;
mod extract;
mod middleware;
mod openapi;
pub mod public;
mod staff;

use std::future::Future;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

pub use error::ApiError;

/// The largest request body we read. Bigger bodies are refused with 413 before they are read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The whole HTTP application for `app`.
pub fn router(app: app::App) -> Router {
    let site = public::Site::shipped().unwrap_or_else(|problem| {
        tracing::error!(problem, "the public pages could not be loaded");
        public::Site::default()
    });
    Router::new()
        .route("/healthz", get(healthz))
        .nest("/api/v1", api::routes())
        .merge(staff::routes())
        .merge(public::routes(site))
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
        .with_state(app)
}

async fn healthz() -> &'static str {
    "ok\n"
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: app::App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(app))
        .with_graceful_shutdown(shutdown)
        .await
}
