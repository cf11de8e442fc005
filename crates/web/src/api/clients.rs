//! Clients: intake, reading, the caseload, possible duplicates and erasure.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::client::{AgeBand, DateOfBirth, Gender, NewClient, RawClient, RawEdit};
use domain::profile::{Citizenship, RawProfile, ReferralSource, TraffickingType};
use serde::{Deserialize, Serialize};

use super::shape::{self, ClientPath, Created, OnClient, ReadErrors, WriteErrors, each};
use crate::error::ApiError;
use crate::extract::{Authenticated, Purpose, StrictJson, record_id};

/// A new client. Only `preferred_name` is required; leave out anything the program does not need.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientBody {
    /// The name the person asks to be called (an alias is fine): one line, not only spaces.
    preferred_name: String,
    legal_name: Option<String>,
    /// YYYY-MM-DD.
    date_of_birth: Option<String>,
    /// Safe ways and times to reach the person, in their words.
    contact: Option<String>,
    languages: Option<Vec<String>>,
    /// Other names the person is known by (a street name, a former name); duplicate search
    /// finds the person under each.
    aliases: Option<Vec<String>>,
    /// woman, man, transgender, non-binary, questioning, different-identity, prefers-not-to-answer
    gender: Option<String>,
    /// under-12, 12-14, 15-17, 18-24, 25-34, 35-44, 45-54, 55-plus, prefers-not-to-answer
    age_band: Option<String>,
    /// sex, labor, sex-and-labor: the kind of trafficking, as the program understands it today
    trafficking_type: Option<String>,
    /// us-citizen, lawful-permanent-resident, foreign-national, prefers-not-to-answer
    citizenship: Option<String>,
    /// Who referred the person: self, family-or-friend, hotline, community-provider, outreach,
    /// federal-law-enforcement, local-law-enforcement, health-care, school, child-welfare,
    /// legal-services, faith-community, other
    referral_source: Option<String>,
    /// What anyone must know before reaching out; shown at the top of the record.
    safety: Option<SafetyBody>,
}

/// A client's safety flags. Each is optional; leave one out (or blank) for "none recorded".
#[derive(Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SafetyBody {
    /// When and how the client can safely be reached, in their words.
    safe_contact: Option<String>,
    /// A word that shows a call or message is really from us.
    code_word: Option<String>,
    /// Ways never to use (a shared phone, a home address, a social account).
    do_not_contact: Option<String>,
}

impl ClientBody {
    fn parse(self, today: time::Date) -> Result<NewClient, domain::InvalidInput> {
        let safety = self.safety.unwrap_or_default();
        RawClient {
            preferred_name: self.preferred_name,
            legal_name: self.legal_name,
            date_of_birth: self.date_of_birth,
            contact: self.contact,
            languages: self.languages.unwrap_or_default(),
            aliases: self.aliases.unwrap_or_default(),
            gender: self.gender,
            age_band: self.age_band,
            profile: RawProfile {
                trafficking_type: self.trafficking_type,
                citizenship: self.citizenship,
                referral_source: self.referral_source,
            },
            safe_contact: safety.safe_contact,
            code_word: safety.code_word,
            do_not_contact: safety.do_not_contact,
        }
        .parse(today)
    }
}

/// A field sent (`Some`), perhaps as `null` (`Some(None)`), as opposed to one left out (`None`).
fn sent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// A change to a client's details: send only what changes. A field sent as `null` or blank is
/// cleared (the client prefers not to say, or it was wrong); a list sent replaces the list.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct EditBody {
    /// The name the person asks to be called: it can be changed, not cleared.
    #[schema(pattern = r"\S")]
    preferred_name: Option<String>,
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    legal_name: Option<Option<String>>,
    /// The whole list of other names; `[]` clears it.
    aliases: Option<Vec<String>>,
    /// YYYY-MM-DD, not in the future; when it changes and `age_band` is not sent, the age range
    /// follows it.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    date_of_birth: Option<Option<String>>,
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    contact: Option<Option<String>>,
    /// The whole list of languages; `[]` clears it.
    languages: Option<Vec<String>>,
    /// As for a new client, or `null` to clear.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    gender: Option<Option<String>>,
    /// As for a new client, or `null` to clear.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    age_band: Option<Option<String>>,
    /// As for a new client, or `null` to clear.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    trafficking_type: Option<Option<String>>,
    /// As for a new client, or `null` to clear.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    citizenship: Option<Option<String>>,
    /// As for a new client, or `null` to clear.
    #[serde(default, deserialize_with = "sent")]
    #[schema(value_type = Option<String>)]
    referral_source: Option<Option<String>>,
}

impl From<EditBody> for RawEdit {
    fn from(body: EditBody) -> Self {
        RawEdit {
            preferred_name: body.preferred_name,
            legal_name: body.legal_name,
            aliases: body.aliases,
            date_of_birth: body.date_of_birth,
            contact: body.contact,
            languages: body.languages,
            gender: body.gender,
            age_band: body.age_band,
            trafficking_type: body.trafficking_type,
            citizenship: body.citizenship,
            referral_source: body.referral_source,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct EditedResponse {
    /// The fields the change really changed (a field sent as it was is no change); empty when
    /// nothing changed, and then nothing was recorded.
    changed: Vec<&'static str>,
}

/// One change in a client's history.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ChangeResponse {
    id: String,
    changed_at: String,
    /// The username of who made it.
    changed_by: Option<String>,
    /// Each field changed, with the value it held before: text, a list, or `null` for nothing.
    #[schema(value_type = Object)]
    before: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ChangesResponse {
    /// Newest first; at most 200.
    changes: Vec<ChangeResponse>,
}

impl From<app::ClientChangeView> for ChangeResponse {
    fn from(c: app::ClientChangeView) -> Self {
        Self {
            id: c.id.to_string(),
            changed_at: c.changed_at.rfc3339(),
            changed_by: c.author_name,
            before: c
                .before
                .into_iter()
                .map(|(field, value)| (field.as_str().to_owned(), value))
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ClientResponse {
    id: String,
    preferred_name: String,
    legal_name: Option<String>,
    date_of_birth: Option<String>,
    contact: Option<String>,
    languages: Vec<String>,
    aliases: Vec<String>,
    gender: Option<&'static str>,
    age_band: Option<&'static str>,
    trafficking_type: Option<&'static str>,
    citizenship: Option<&'static str>,
    referral_source: Option<&'static str>,
    safety: SafetyBody,
    created_at: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ClientSummaryResponse {
    id: String,
    preferred_name: String,
    age_band: Option<&'static str>,
    created_at: String,
}

impl From<app::ClientSummary> for ClientSummaryResponse {
    fn from(c: app::ClientSummary) -> Self {
        Self {
            id: c.id.to_string(),
            preferred_name: c.preferred_name,
            age_band: c.age_band.map(AgeBand::as_str),
            created_at: c.created_at.rfc3339(),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct CaseloadResponse {
    clients: Vec<ClientSummaryResponse>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct Page {
    /// At most this many clients (1 to 200, default 50).
    #[param(minimum = 1, maximum = 200)]
    limit: Option<i64>,
    /// Skip this many clients (default 0).
    #[param(minimum = 0)]
    offset: Option<i64>,
}

/// Names and dates are sent in the body, never in a URL (P5). Give a name, a date of birth, or
/// both.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DuplicatesBody {
    name: Option<String>,
    date_of_birth: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct DuplicatesResponse {
    /// Ids of clients in your caseload with the same name or date of birth.
    clients: Vec<String>,
}

#[utoipa::path(post, operation_id = "createClient", path = "/api/v1/clients", tag = "clients", request_body = ClientBody,
    params(("X-Purpose" = Option<String>, Header, description = "case-work (default), safety, supervision, legal, data-quality")),
    responses(
        (status = 201, description = "Recorded; you are assigned to the client", body = Created),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn create(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    StrictJson(body): StrictJson<ClientBody>,
) -> Result<Created, ApiError> {
    let client = body.parse(app.now().date()).map_err(app::AppError::from)?;
    let id = app.create_client(&caller, client, purpose).await?;
    Ok(Created::of(id))
}

#[utoipa::path(get, operation_id = "readClient", path = "/api/v1/clients/{id}", tag = "clients", params(ClientPath),
    responses(
        (status = 200, body = ClientResponse),
        (status = 401, body = crate::error::ErrorBody),
        (status = 404, description = "No such client, or not one you may see (the two look the same)", body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn read(on: OnClient) -> Result<Json<ClientResponse>, ApiError> {
    let view = on.app.client(&on.caller, on.client()?, on.purpose).await?;
    Ok(Json(ClientResponse {
        id: view.id.to_string(),
        preferred_name: view.preferred_name,
        legal_name: view.legal_name,
        date_of_birth: view.date_of_birth,
        contact: view.contact,
        languages: view.languages,
        aliases: view.aliases,
        gender: view.gender.map(Gender::as_str),
        age_band: view.age_band.map(AgeBand::as_str),
        trafficking_type: view.profile.trafficking_type.map(TraffickingType::as_str),
        citizenship: view.profile.citizenship.map(Citizenship::as_str),
        referral_source: view.profile.referral_source.map(ReferralSource::as_str),
        safety: SafetyBody {
            safe_contact: view.safety.safe_contact,
            code_word: view.safety.code_word,
            do_not_contact: view.safety.do_not_contact,
        },
        created_at: view.created_at.rfc3339(),
    }))
}

#[utoipa::path(patch, operation_id = "editClient", path = "/api/v1/clients/{id}", tag = "clients", request_body = EditBody,
    params(ClientPath),
    responses((status = 200, description = "Changed; the change is kept in the client's history", body = EditedResponse),
        WriteErrors),
    security(("bearer" = [])))]
pub(crate) async fn edit(
    on: OnClient,
    StrictJson(body): StrictJson<EditBody>,
) -> Result<Json<EditedResponse>, ApiError> {
    let edit = RawEdit::from(body)
        .parse(on.app.now().date())
        .map_err(app::AppError::from)?;
    let client = on.client()?;
    let changed = on
        .app
        .edit_client(&on.caller, client, &edit, on.purpose)
        .await?;
    Ok(Json(EditedResponse {
        changed: changed.iter().map(|field| field.as_str()).collect(),
    }))
}

#[utoipa::path(get, operation_id = "listClientChanges", path = "/api/v1/clients/{id}/changes", tag = "clients",
    params(ClientPath),
    responses((status = 200, description = "Who changed the client's details, when, and what the fields held before", body = ChangesResponse),
        ReadErrors),
    security(("bearer" = [])))]
pub(crate) async fn changes(on: OnClient) -> Result<Json<ChangesResponse>, ApiError> {
    let changes = on
        .app
        .client_changes(&on.caller, on.client()?, on.purpose)
        .await?;
    Ok(Json(ChangesResponse {
        changes: each(changes),
    }))
}

#[utoipa::path(get, operation_id = "listCaseload", path = "/api/v1/clients", tag = "clients", params(Page),
    responses((status = 200, description = "Your caseload, most recently assigned first", body = CaseloadResponse),
        (status = 400, description = "A parameter out of bounds, or one this operation does not take", body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn caseload(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Purpose(purpose): Purpose,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CaseloadResponse>, ApiError> {
    let asked = page.ok().map(|Query(page)| (page.limit, page.offset));
    let (limit, offset) = shape::page(asked, 50, app::MAX_PAGE)?;
    let clients = app.caseload(&caller, limit, offset, purpose).await?;
    Ok(Json(CaseloadResponse {
        clients: each(clients),
    }))
}

#[utoipa::path(post, operation_id = "findDuplicates", path = "/api/v1/clients/duplicates", tag = "clients", request_body = DuplicatesBody,
    responses((status = 200, body = DuplicatesResponse), (status = 400, body = crate::error::ErrorBody),
        (status = 401, body = crate::error::ErrorBody),
        (status = 403, description = "Your role does not look for duplicates", body = crate::error::ErrorBody),
        (status = 413, body = crate::error::ErrorBody),
        (status = 415, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn duplicates(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    StrictJson(body): StrictJson<DuplicatesBody>,
) -> Result<Json<DuplicatesResponse>, ApiError> {
    let dob = body
        .date_of_birth
        .as_deref()
        .map(|d| DateOfBirth::parse(d, app.now().date()))
        .transpose()
        .map_err(app::AppError::from)?;
    if body.name.is_none() && dob.is_none() {
        return Err(ApiError::bad_request(
            "Give a name, a date of birth, or both.",
        ));
    }
    let found = app
        .possible_duplicates(&caller, body.name.as_deref(), dob)
        .await?;
    Ok(Json(DuplicatesResponse {
        clients: found.iter().map(|d| d.client.id.to_string()).collect(),
    }))
}

#[utoipa::path(delete, operation_id = "eraseClient", path = "/api/v1/clients/{id}", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 204, description = "Erased: the client's key is destroyed, so their data can never be read again"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn erase(
    State(app): State<app::App>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    app.erase_client(&caller, record_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
