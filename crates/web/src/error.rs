//! One error type for the HTTP layer, mapped to responses in one place (STYLE.md 4). Clients get a
//! stable code and a plain message; causes are logged once, without personal data.

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// How long to wait before trying again when the database cannot serve: long enough for a
/// restart, short enough that a person waiting does not give up.
pub(crate) const RETRY_AFTER_SECS: u64 = 5;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorDetail {
    /// A stable, machine-readable code.
    code: &'static str,
    /// A plain-language explanation. Never contains what was sent.
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// The one answer for "no such record" and "not yours": identical in status and body (P7).
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Nothing was found here.",
        )
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Sign in: send a valid API token as `Authorization: Bearer TOKEN`.",
        )
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// The database cannot serve now (stopped, restarting, out of room, too slow): 503 with
    /// `Retry-After`.
    pub(crate) fn unavailable(why: app::Unavailable) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!(
                "{why}. Try again in a moment: if what you sent was a change, look first whether it was saved."
            ),
        )
    }

    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Nothing was changed.",
        )
    }
}

impl From<app::AppError> for ApiError {
    fn from(err: app::AppError) -> Self {
        use app::AppError::*;
        if let Some(why) = err.unavailable() {
            return Self::unavailable(why);
        }
        match err {
            NotFound => Self::not_found(),
            Forbidden => Self::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "Your role does not allow this.",
            ),
            Invalid(invalid) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                invalid.to_string(),
            ),
            Conflict(message) => Self::new(StatusCode::CONFLICT, "conflict", message),
            Store(_) | Crypto(_) | KeyFile(_) => {
                // Store and crypto errors carry no personal data (values are never in them).
                tracing::error!(error = %err, "request failed");
                Self::internal()
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            Json(ErrorBody {
                error: ErrorDetail {
                    code: self.code,
                    message: self.message,
                },
            }),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(RETRY_AFTER_SECS),
            );
        }
        response
    }
}

pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found()
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This address does not take that method.",
    )
}

pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::internal().into_response()
}
