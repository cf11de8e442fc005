//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Safe Harbor API",
        description = "Case records for programs that serve survivors of sex trafficking and commercial sexual exploitation. \
                       Every read and write is audited. A client you may not see answers exactly like one that does not exist."
    ),
    paths(
        api::clients::create, api::clients::read, api::clients::caseload,
        api::clients::duplicates, api::clients::erase,
        api::notes::create, api::notes::list,
        api::cases::create, api::cases::list,
        api::screenings::create, api::screenings::list, api::screenings::instruments,
        api::determinations::create, api::determinations::list,
    ),
    components(schemas(
        api::Created, api::ClientBody, api::ClientResponse, api::ClientSummaryResponse, api::CaseloadResponse,
        api::DuplicatesBody, api::DuplicatesResponse, api::NoteBody, api::NoteResponse, api::NotesResponse,
        api::CaseBody, api::CaseResponse, api::CasesResponse,
        api::ScreeningBody, api::ScreeningResult, api::ScreeningRecord, api::ScreeningsResponse,
        api::InstrumentSummary, api::InstrumentsResponse,
        api::DeterminationBody, api::DeterminationResult, api::DeterminationRecord, api::DeterminationsResponse, crate::error::ErrorBody, crate::error::ErrorDetail,
    )),
    modifiers(&BearerAuth),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

pub(crate) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
