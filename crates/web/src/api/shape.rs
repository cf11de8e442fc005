//! What every API handler about one client shares, so that a new kind of record's routes are a
//! few lines each: the request (who asks, why, and about which client), the `201 {"id": ...}`
//! answer to a record created, and the error answers its OpenAPI entry lists.

use std::collections::BTreeMap;
use std::fmt::Display;

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use domain::ClientId;
use serde::{Deserialize, Serialize};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{IntoParams, IntoResponses, ToSchema};

use crate::error::{ApiError, ErrorBody};
use crate::extract::{Authenticated, Purpose, record_id};

/// The client a route is about, from its path.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub(crate) struct ClientPath {
    /// Client id
    id: String,
}

/// A request about one client (`/clients/{id}...`): the application, who asks and why, read in
/// that order (so a caller without a token hears 401 before anything else).
#[derive(Debug)]
pub(crate) struct OnClient {
    pub app: app::App,
    pub caller: app::Caller,
    pub purpose: app::Purpose,
    path: ClientPath,
}

impl FromRequestParts<app::App> for OnClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &app::App) -> Result<Self, ApiError> {
        let Authenticated(caller) = Authenticated::from_request_parts(parts, app).await?;
        let Purpose(purpose) = Purpose::from_request_parts(parts, app).await?;
        let Path(path) = Path::<ClientPath>::from_request_parts(parts, app)
            .await
            .map_err(|_| ApiError::not_found())?;
        Ok(Self {
            app: app.clone(),
            caller,
            purpose,
            path,
        })
    }
}

impl OnClient {
    /// The client's id. A malformed one is answered exactly like an unknown one (P7); handlers
    /// ask after the body is read, so a bad body is reported first.
    pub fn client(&self) -> Result<ClientId, ApiError> {
        record_id(&self.path.id)
    }
}

// The doc comment below is the schema's description in the OpenAPI document.
/// `{"id": ...}`: the id of a record just created.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    pub id: String,
}

impl Created {
    pub fn of(id: impl Display) -> Self {
        Self { id: id.to_string() }
    }
}

/// Answered with `201 Created`.
impl IntoResponse for Created {
    fn into_response(self) -> Response {
        (StatusCode::CREATED, Json(self)).into_response()
    }
}

/// The page of a list asked for (`limit` and `offset` from the query, `None` if the query could
/// not be read), checked against what the documentation promises: `limit` from 1 to `max`
/// (`default` when left out), `offset` 0 or more. Anything else is a 400 that says so.
pub(crate) fn page(
    asked: Option<(Option<i64>, Option<i64>)>,
    default: i64,
    max: i64,
) -> Result<(i64, i64), ApiError> {
    let bounds = |(limit, offset): (Option<i64>, Option<i64>)| {
        let (limit, offset) = (limit.unwrap_or(default), offset.unwrap_or(0));
        ((1..=max).contains(&limit) && offset >= 0).then_some((limit, offset))
    };
    asked.and_then(bounds).ok_or_else(|| {
        ApiError::bad_request(format!(
            "limit must be a whole number from 1 to {max}, offset 0 or more."
        ))
    })
}

/// Which records of a client's list (notes, contacts): a page of them, newest first. The bounds
/// are those of `app::MAX_NOTES` and `app::MAX_CONTACTS`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListPage {
    /// At most this many (1 to 500, default 500); a shorter page is the last.
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// Skip this many of the newest (default 0).
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// The page of a client's list asked for in the query (`ListPage`), at most `max` records (its
/// default too); a query that cannot be read, or is out of bounds, is a 400.
pub(crate) fn list_page(
    asked: Result<Query<ListPage>, QueryRejection>,
    max: i64,
) -> Result<(i64, i64), ApiError> {
    let asked = asked.ok().map(|Query(page)| (page.limit, page.offset));
    page(asked, max, max)
}

/// A list of records as the API shows them, each turned into its JSON shape.
pub(crate) fn each<R, T: From<R>>(records: Vec<R>) -> Vec<T> {
    records.into_iter().map(T::from).collect()
}

/// The error answers (an `ErrorBody` each) of reading a client's records: no valid token, or no
/// such client (or not one the caller may see).
#[derive(Debug)]
pub(crate) struct ReadErrors;

/// The error answers of writing a record under a client: a body that is not the request's JSON,
/// no valid token, no such client, a body too large or not sent as JSON, or a value that is not
/// allowed.
#[derive(Debug)]
pub(crate) struct WriteErrors;

/// The error answers of changing a record under a client: those of writing one, and a conflict
/// when it was changed meanwhile or no longer can be.
#[derive(Debug)]
pub(crate) struct ChangeErrors;

impl IntoResponses for ChangeErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        errors(&[400, 401, 404, 409, 413, 415, 422])
    }
}

impl IntoResponses for ReadErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        errors(&[401, 404])
    }
}

impl IntoResponses for WriteErrors {
    fn responses() -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
        errors(&[400, 401, 404, 413, 415, 422])
    }
}

fn errors(statuses: &[u16]) -> BTreeMap<String, RefOr<utoipa::openapi::Response>> {
    statuses
        .iter()
        .map(|status| {
            let body = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                .build();
            let response = ResponseBuilder::new()
                .description("")
                .content("application/json", body)
                .build();
            (status.to_string(), RefOr::T(response))
        })
        .collect()
}
