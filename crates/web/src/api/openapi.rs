//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use axum::Json;
use axum::extract::State;
use domain::client::{AgeBand, Gender, date_of_birth_pattern};
use domain::legal::{FACT_PATHS, FactSource};
use serde_json::{Value, json};
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

/// The document as served: utoipa's, with what the server accepts written in from the domain's
/// own lists (so that the two cannot drift apart) and from today's date, which a date of birth
/// may not pass.
pub(super) async fn document(State(app): State<app::App>) -> Json<Value> {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    accepted(&mut doc, app.now().date());
    Json(doc)
}

fn codes(values: impl IntoIterator<Item = &'static str>) -> Value {
    Value::from(values.into_iter().collect::<Vec<_>>())
}

/// A nullable text that is one of `values`.
fn one_of(values: impl IntoIterator<Item = &'static str>) -> Value {
    let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
    values.push(Value::Null);
    json!({ "type": ["string", "null"], "enum": values })
}

/// Writes into `doc` the rules utoipa's attributes cannot state.
fn accepted(doc: &mut Value, today: time::Date) {
    let born = json!({
        "type": ["string", "null"],
        "format": "date",
        "pattern": date_of_birth_pattern(today),
        "description": "YYYY-MM-DD, from 1900-01-01 to today.",
    });
    let schemas = &mut doc["components"]["schemas"];
    let client = &mut schemas["ClientBody"]["properties"];
    client["date_of_birth"] = born.clone();
    client["gender"] = one_of(Gender::ALL.iter().map(|g| g.as_str()));
    client["age_band"] = one_of(AgeBand::ALL.iter().map(|a| a.as_str()));
    // A duplicates check asks about a name, a date of birth or both: never about nothing.
    let duplicates = &mut schemas["DuplicatesBody"];
    duplicates["properties"]["date_of_birth"] = born;
    duplicates["anyOf"] = json!([
        { "required": ["name"], "properties": { "name": { "type": "string" } } },
        { "required": ["date_of_birth"], "properties": { "date_of_birth": { "type": "string" } } },
    ]);
    let screening = &mut schemas["ScreeningBody"]["properties"];
    if let Ok(instruments) = app::screenings::instruments() {
        screening["instrument"]["enum"] = codes(instruments.iter().map(|i| i.id.as_str()));
    }
    let determination = &mut schemas["DeterminationBody"]["properties"];
    if let Ok(mut facts) = serde_json::from_str::<Value>(FACTS_SCHEMA) {
        if let Some(facts) = facts.as_object_mut() {
            facts.remove("$schema");
            facts.remove("$id");
        }
        determination["facts"] = facts;
    }
    determination["sources"] = json!({
        "type": "object",
        "propertyNames": { "enum": codes(FACT_PATHS) },
        "additionalProperties": { "enum": codes(FactSource::ALL.iter().map(|s| s.as_str())) },
    });
    let purposes = codes(app::Purpose::ALL.iter().map(|p| p.as_str()));
    let parameters = doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|operations| operations.values_mut())
        .filter_map(|operation| operation["parameters"].as_array_mut())
        .flatten();
    for parameter in parameters {
        if parameter["name"] == "X-Purpose" {
            parameter["schema"] = json!({ "type": "string", "enum": purposes.clone() });
        }
    }
}

/// The facts file's schema (docs/facts.schema.json), the body of a determination.
const FACTS_SCHEMA: &str = include_str!("../../../../docs/facts.schema.json");
