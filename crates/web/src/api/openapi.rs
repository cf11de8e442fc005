//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{cases, clients, determinations, notes, screenings, shape};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Safe Harbor API",
        description = "Case records for programs that serve survivors of sex trafficking and commercial sexual exploitation. \
                       Every read and write is audited. A client you may not see answers exactly like one that does not exist."
    ),
    paths(
        clients::create, clients::read, clients::caseload, clients::duplicates, clients::erase,
        notes::create, notes::list,
        cases::create, cases::list,
        screenings::create, screenings::list, screenings::instruments,
        determinations::create, determinations::list,
    ),
    components(schemas(
        shape::Created,
        clients::ClientBody, clients::ClientResponse, clients::ClientSummaryResponse,
        clients::CaseloadResponse, clients::DuplicatesBody, clients::DuplicatesResponse,
        notes::NoteBody, notes::NoteResponse, notes::NotesResponse,
        cases::CaseBody, cases::CaseResponse, cases::CasesResponse,
        screenings::ScreeningBody, screenings::ScreeningResult, screenings::ScreeningRecord,
        screenings::ScreeningsResponse, screenings::InstrumentSummary, screenings::InstrumentsResponse,
        determinations::DeterminationBody, determinations::DeterminationResult,
        determinations::DeterminationRecord, determinations::DeterminationsResponse,
        crate::error::ErrorBody, crate::error::ErrorDetail,
    )),
    modifiers(&BearerAuth, &AskAboutSomething),
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

/// A duplicates check asks about a name, a date of birth or both: `{}` is outside the schema, as
/// the server refuses it. (Set here: utoipa 5.5 writes `min_properties` as `maxProperties`.)
struct AskAboutSomething;

impl Modify for AskAboutSomething {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, Schema};
        let schema = openapi
            .components
            .as_mut()
            .and_then(|c| c.schemas.get_mut("DuplicatesBody"));
        if let Some(RefOr::T(Schema::Object(body))) = schema {
            body.min_properties = Some(1);
        }
    }
}

pub(super) async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
