//! The OpenAPI document of the JSON API, served at `/api/v1/openapi.json`.

use axum::Json;
use axum::extract::State;
use domain::client::{
    AgeBand, Alias, CodeWord, ContactDetails, DoNotContact, Gender, Language, LegalName,
    MAX_ALIASES, MAX_LANGUAGES, PreferredName, SafeContact,
};
use domain::closure::{
    ClosureNote, ClosureReason, FollowUpAt, FollowUpConsent, ReachMethod, SafeReach,
};
use domain::contact::{ContactMethod, ContactNote, INSTANT_PATTERN, MAX_MINUTES, Present};
use domain::legal::{FACT_PATHS, FactSource};
use domain::needs::{AssessmentNote, NeedDomain, NeedLevel, NeedNote};
use domain::note::{NoteKind, NoteText};
use domain::outcome::{OutcomeDomain, OutcomeNote, OutcomePoint, OutcomeScore};
use domain::partner::{Area, MAX_OFFERS, PartnerName, SafeContact as PartnerContact};
use domain::plan::{
    GoalStatus, GoalWords, MAX_FIRST_STEPS, ReviewNote, StepOwner, StepStatus, StepWords,
};
use domain::profile::{Citizenship, ReferralSource, TraffickingType};
use domain::referral::{ReferralNote, ReferralStatus};
use domain::release::{
    Cosigner, Recipient, ReleaseMethod, SharePurpose, SharedPart, Withdrawal, Witness,
};
use domain::service::{SERVICE_TYPES, ServiceMode, ServiceNote, Units};
use domain::text::{TextRule, WHITESPACE, dates_pattern};
use serde_json::{Value, json};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    cases, clients, closures, contacts, determinations, needs, notes, outcomes, partners, plans,
    referrals, releases, screenings, services, shape,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Safe Harbor API",
        description = "Case records for programs that serve survivors of sex trafficking and commercial sexual exploitation. \
                       Every read and write is audited. A client you may not see answers exactly like one that does not exist."
    ),
    paths(
        clients::create, clients::read, clients::edit, clients::changes, clients::caseload,
        clients::duplicates, clients::erase,
        notes::create, notes::list,
        contacts::create, contacts::list,
        services::create, services::list, services::types,
        needs::create, needs::list,
        plans::read, plans::set_goal, plans::add_step, plans::update_step, plans::review,
        cases::create, cases::list, cases::close, cases::transfer, cases::reopen,
        closures::create, closures::withdraw,
        outcomes::create, outcomes::list,
        releases::create, releases::list, releases::withdraw,
        referrals::create, referrals::list, referrals::step, referrals::sheet,
        partners::create, partners::list,
        screenings::create, screenings::list, screenings::instruments,
        determinations::create, determinations::list,
    ),
    components(schemas(
        shape::Created,
        clients::ClientBody, clients::ClientResponse, clients::ClientSummaryResponse,
        clients::CaseloadResponse, clients::DuplicatesBody, clients::DuplicatesResponse,
        clients::EditBody, clients::EditedResponse, clients::ChangeResponse, clients::ChangesResponse,
        notes::NoteBody, notes::NoteResponse, notes::NotesResponse,
        contacts::ContactBody, contacts::ContactResponse, contacts::ContactsResponse,
        services::ServiceBody, services::ServiceResponse, services::ServicesResponse,
        services::ServiceTypeResponse, services::ServiceTypesResponse,
        needs::NeedsBody, needs::NeedAnswerBody, needs::NeedAnswerResponse,
        needs::NeedsAssessmentResponse, needs::NeedsResponse,
        plans::GoalBody, plans::PlanStepBody, plans::PlanStepStatusBody, plans::ReviewedGoalBody,
        plans::PlanReviewBody, plans::PlanResponse, plans::GoalResponse, plans::PlanStepResponse,
        plans::PlanReviewResponse,
        cases::CaseBody, cases::CaseResponse, cases::CasesResponse, cases::CloseBody,
        cases::TransferBody, cases::ReopenBody,
        closures::ClosureResponse, closures::FollowUpResponse, closures::FollowUpBody,
        outcomes::OutcomesBody, outcomes::OutcomeScoreBody, outcomes::OutcomeAssessmentResponse,
        outcomes::OutcomesResponse,
        releases::ReleaseBody, releases::WithdrawBody, releases::ReleaseResponse,
        releases::ReleasesResponse,
        referrals::ReferralBody, referrals::StepBody, referrals::StepResponse,
        referrals::ReferralResponse, referrals::ReferralsResponse, referrals::SheetPart,
        referrals::SheetResponse,
        partners::PartnerBody, partners::PartnerResponse, partners::PartnersResponse,
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

/// Free text that keeps `rule` (`domain::text`), blank allowed (as "not given") when `optional`.
fn text(rule: TextRule, optional: bool) -> Value {
    let kind = if optional {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    json!({ "type": kind, "maxLength": rule.max_chars, "pattern": rule.pattern(optional) })
}

/// One of `values` exactly, or blank ("not asked"), or null.
fn coded(values: impl IntoIterator<Item = &'static str>) -> Value {
    json!({ "anyOf": [
        { "type": "null" },
        { "enum": codes(values) },
        { "type": "string", "pattern": format!("^[{WHITESPACE}]*$") },
    ] })
}

/// Writes into `doc` the rules utoipa's attributes cannot state.
fn accepted(doc: &mut Value, today: time::Date) {
    let born = |optional| {
        json!({
            "type": if optional { json!(["string", "null"]) } else { json!("string") },
            "pattern": dates_pattern(today, optional),
            "description": "YYYY-MM-DD, from 1900-01-01 to today.",
        })
    };
    let schemas = &mut doc["components"]["schemas"];
    let client = &mut schemas["ClientBody"]["properties"];
    client["preferred_name"] = text(PreferredName::RULE, false);
    client["legal_name"] = text(LegalName::RULE, true);
    client["contact"] = text(ContactDetails::RULE, true);
    let languages = json!({
        "type": ["array", "null"],
        "maxItems": MAX_LANGUAGES,
        "items": text(Language::RULE, false),
    });
    // A blank other name is left out, so an item may be blank (but not null).
    let mut alias = text(Alias::RULE, true);
    alias["type"] = json!("string");
    let aliases = json!({
        "type": ["array", "null"],
        "maxItems": MAX_ALIASES,
        "items": alias,
    });
    client["languages"] = languages.clone();
    client["date_of_birth"] = born(true);
    client["gender"] = coded(Gender::ALL.iter().map(|g| g.as_str()));
    client["age_band"] = coded(AgeBand::ALL.iter().map(|a| a.as_str()));
    // The report dimensions (`domain::profile`) take the same codes at intake and in an edit.
    let profile: [(&str, Vec<&'static str>); 3] = [
        (
            "trafficking_type",
            TraffickingType::ALL.iter().map(|t| t.as_str()).collect(),
        ),
        (
            "citizenship",
            Citizenship::ALL.iter().map(|c| c.as_str()).collect(),
        ),
        (
            "referral_source",
            ReferralSource::ALL.iter().map(|r| r.as_str()).collect(),
        ),
    ];
    client["aliases"] = aliases.clone();
    // An edit takes the same values; a field left out (or null) stays as it is, and a blank
    // clears it, except the name used, which can be changed, not cleared.
    let edit = &mut schemas["EditBody"]["properties"];
    // The name used can be changed, not cleared: a string that is not blank, or null (left as
    // it is, as if not sent).
    edit["preferred_name"] = text(PreferredName::RULE, false);
    edit["preferred_name"]["type"] = json!(["string", "null"]);
    edit["legal_name"] = text(LegalName::RULE, true);
    edit["contact"] = text(ContactDetails::RULE, true);
    edit["languages"] = languages;
    edit["aliases"] = aliases;
    edit["date_of_birth"] = born(true);
    edit["gender"] = coded(Gender::ALL.iter().map(|g| g.as_str()));
    edit["age_band"] = coded(AgeBand::ALL.iter().map(|a| a.as_str()));
    for (field, values) in profile {
        schemas["ClientBody"]["properties"][field] = coded(values.iter().copied());
        schemas["EditBody"]["properties"][field] = coded(values);
    }
    let safety = &mut schemas["SafetyBody"]["properties"];
    safety["safe_contact"] = text(SafeContact::RULE, true);
    safety["code_word"] = text(CodeWord::RULE, true);
    safety["do_not_contact"] = text(DoNotContact::RULE, true);
    schemas["NoteBody"]["properties"]["text"] = text(NoteText::RULE, false);
    schemas["NoteBody"]["properties"]["kind"] = coded(NoteKind::ALL.iter().map(|k| k.as_str()));
    // A contact's time is RFC 3339 as `domain::contact::parse_instant` reads it; its method one
    // of the codes exactly (it is required: no blank); its minutes a whole number of a day.
    let contact = &mut schemas["ContactBody"]["properties"];
    contact["occurred_at"] = json!({ "type": "string", "pattern": INSTANT_PATTERN });
    contact["method"] = json!({ "enum": codes(ContactMethod::ALL.iter().map(|m| m.as_str())) });
    contact["minutes"] =
        json!({ "type": ["integer", "null"], "minimum": 0, "maximum": MAX_MINUTES });
    contact["present"] = text(Present::RULE, true);
    contact["note"] = text(ContactNote::RULE, true);
    // A service's day runs to tomorrow (already today east of UTC; the server refuses a day
    // after today anywhere); its code one of the taxonomy's exactly.
    let service = &mut schemas["ServiceBody"]["properties"];
    let tomorrow = today.next_day().unwrap_or(today);
    service["delivered_on"] =
        json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    service["code"] = json!({ "enum": codes(SERVICE_TYPES.iter().map(|kind| kind.code)) });
    let modes = ServiceMode::ALL.iter().map(|m| Value::from(m.as_str()));
    service["mode"] = json!({ "enum": modes.chain([Value::Null]).collect::<Vec<_>>() });
    service["minutes"] =
        json!({ "type": ["integer", "null"], "minimum": 0, "maximum": MAX_MINUTES });
    service["units"] = json!({ "type": ["integer", "null"], "minimum": 1, "maximum": Units::MAX });
    service["note"] = text(ServiceNote::RULE, true);
    // A needs assessment names only the domains there are, each answer a level (blank or left
    // out: not yet asked) and a note.
    let answer = &mut schemas["NeedAnswerBody"]["properties"];
    answer["level"] = coded(NeedLevel::ALL.iter().map(|l| l.as_str()));
    answer["note"] = text(NeedNote::RULE, true);
    let domains: serde_json::Map<String, Value> = NeedDomain::ALL
        .iter()
        .map(|d| {
            let answer = json!({ "$ref": "#/components/schemas/NeedAnswerBody" });
            (d.as_str().to_owned(), answer)
        })
        .collect();
    let needs = &mut schemas["NeedsBody"]["properties"];
    // Its day runs to tomorrow, as a service's does (and not before the client was recorded).
    needs["assessed_on"] = json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    needs["needs"] = json!({
        "type": "object",
        "properties": domains,
        "additionalProperties": false,
    });
    needs["note"] = text(AssessmentNote::RULE, true);
    // A case's dates run from 1900 to 2100; its program is a code, trimmed.
    let case_date = dates_pattern(time::macros::date!(2100 - 12 - 31), false);
    let case = &mut schemas["CaseBody"]["properties"];
    case["opened_on"] = json!({ "type": "string", "pattern": case_date });
    case["closed_on"] = json!({ "type": ["string", "null"], "pattern": case_date });
    let program = json!({
        "type": "string",
        "pattern": format!("^[{WHITESPACE}]*[a-z][a-z0-9-]{{1,39}}[{WHITESPACE}]*$"),
    });
    case["program"] = program.clone();
    // A case closes, or moves to another program, on a day up to tomorrow (today east of UTC;
    // not before it opened, which the server checks).
    schemas["CloseBody"]["properties"]["closed_on"] =
        json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    // A closure's reason is one of the codes exactly (required); what the person agreed to about
    // follow-ups a code or blank (not asked), the method too (the server asks for it with yes,
    // and refuses it and the words without).
    let close = &mut schemas["CloseBody"]["properties"];
    close["reason"] = json!({ "enum": codes(ClosureReason::ALL.iter().map(|r| r.as_str())) });
    close["note"] = text(ClosureNote::RULE, true);
    close["follow_up"] = coded(FollowUpConsent::ALL.iter().map(|c| c.as_str()));
    close["reach_method"] = coded(ReachMethod::ALL.iter().map(|m| m.as_str()));
    close["reach_how"] = text(SafeReach::RULE, true);
    schemas["ReopenBody"]["properties"]["reopened_on"] =
        json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    schemas["FollowUpBody"]["properties"]["at"] =
        json!({ "enum": codes(FollowUpAt::ALL.iter().map(|a| a.as_str())) });
    // An outcome assessment names only the domains there are, each a score (blank or left out:
    // not asked); its point one of three, its day up to tomorrow as a needs assessment's.
    schemas["OutcomeScoreBody"]["properties"]["score"] =
        coded(OutcomeScore::ALL.iter().map(|s| s.as_str()));
    let domains: serde_json::Map<String, Value> = OutcomeDomain::ALL
        .iter()
        .map(|d| {
            let score = json!({ "$ref": "#/components/schemas/OutcomeScoreBody" });
            (d.as_str().to_owned(), score)
        })
        .collect();
    let outcome = &mut schemas["OutcomesBody"]["properties"];
    outcome["point"] = json!({ "enum": codes(OutcomePoint::ALL.iter().map(|p| p.as_str())) });
    outcome["assessed_on"] = json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    outcome["outcomes"] = json!({
        "type": "object",
        "properties": domains,
        "additionalProperties": false,
    });
    outcome["note"] = text(OutcomeNote::RULE, true);
    let transfer = &mut schemas["TransferBody"]["properties"];
    transfer["transferred_on"] =
        json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    transfer["program"] = program;
    let optional_id = id_pattern(true);
    // A release: its words as free text, what it shares and how it was given as codes, its days
    // from 1900 to 2100 (the end not before the start, which the server checks).
    let release = &mut schemas["ReleaseBody"]["properties"];
    release["recipient"] = text(Recipient::RULE, false);
    release["purpose"] = text(SharePurpose::RULE, false);
    release["witness"] = text(Witness::RULE, true);
    // A list's blank entries are left out, so an item may be blank.
    let blank = json!({ "type": "string", "pattern": format!("^[{WHITESPACE}]*$") });
    let part = json!({ "anyOf": [
        { "enum": codes(SharedPart::ALL.iter().map(|p| p.as_str())) },
        blank.clone(),
    ] });
    release["shares"] = json!({ "type": "array", "minItems": 1, "items": part.clone() });
    release["method"] = json!({ "enum": codes(ReleaseMethod::ALL.iter().map(|m| m.as_str())) });
    let cosigners = Cosigner::ALL.iter().map(|c| Value::from(c.as_str()));
    release["cosigner"] = json!({ "enum": cosigners.chain([Value::Null]).collect::<Vec<_>>() });
    release["starts_on"] = json!({ "type": "string", "pattern": case_date });
    release["ends_on"] = json!({ "type": ["string", "null"], "pattern": case_date });
    // Blank or left out: a recipient outside the directory.
    release["partner"] = json!({ "type": ["string", "null"], "pattern": optional_id.clone() });
    let withdrawals = codes(Withdrawal::ALL.iter().map(|w| w.as_str()));
    schemas["WithdrawBody"]["properties"]["how"] = json!({ "enum": withdrawals });
    let referral = &mut schemas["ReferralBody"]["properties"];
    referral["partner"] = json!({ "type": "string", "pattern": id_pattern(false) });
    referral["release"] = json!({ "type": ["string", "null"], "pattern": optional_id });
    referral["service"] = json!({ "enum": codes(SERVICE_TYPES.iter().map(|kind| kind.code)) });
    referral["shares"] = json!({ "type": ["array", "null"], "items": part });
    referral["note"] = text(ReferralNote::RULE, true);
    let steps = ReferralStatus::ALL
        .iter()
        .filter(|s| **s != ReferralStatus::Drafted)
        .map(|s| s.as_str());
    schemas["StepBody"]["properties"]["status"] = json!({ "enum": codes(steps) });
    schemas["StepBody"]["properties"]["note"] = text(ReferralNote::RULE, true);
    let partner = &mut schemas["PartnerBody"]["properties"];
    partner["name"] = text(PartnerName::RULE, false);
    partner["services"] = json!({
        "type": "array",
        "minItems": 1,
        "maxItems": MAX_OFFERS,
        "items": { "anyOf": [
            { "enum": codes(SERVICE_TYPES.iter().map(|kind| kind.code)) },
            blank,
        ] },
    });
    let mut language = text(Language::RULE, true);
    language["type"] = json!("string");
    partner["languages"] = json!({
        "type": ["array", "null"],
        "maxItems": MAX_OFFERS,
        "items": language,
    });
    partner["area"] = text(Area::RULE, true);
    partner["safe_contact"] = text(PartnerContact::RULE, true);
    // A service plan: the words as free text, the codes exactly, a goal's day up to tomorrow (as
    // a service's), a step's target and the next review from 1900 to 2100 (their order the
    // server checks).
    let goal = &mut schemas["GoalBody"]["properties"];
    goal["words"] = text(GoalWords::RULE, false);
    goal["need"] = coded(NeedDomain::ALL.iter().map(|d| d.as_str()));
    goal["set_on"] = json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    goal["steps"] = json!({
        "type": ["array", "null"],
        "maxItems": MAX_FIRST_STEPS,
        "items": { "$ref": "#/components/schemas/PlanStepBody" },
    });
    let step = &mut schemas["PlanStepBody"]["properties"];
    step["words"] = text(StepWords::RULE, false);
    step["owner"] = json!({ "enum": codes(StepOwner::ALL.iter().map(|o| o.as_str())) });
    step["partner"] = json!({ "type": ["string", "null"], "pattern": id_pattern(true) });
    step["target_on"] = json!({ "type": "string", "pattern": case_date });
    schemas["PlanStepStatusBody"]["properties"]["status"] =
        json!({ "enum": codes(StepStatus::ALL.iter().map(|s| s.as_str())) });
    let reviewed = &mut schemas["ReviewedGoalBody"]["properties"];
    reviewed["goal"] = json!({ "type": "string", "pattern": id_pattern(false) });
    reviewed["status"] = json!({ "enum": codes(GoalStatus::ALL.iter().map(|s| s.as_str())) });
    let review = &mut schemas["PlanReviewBody"]["properties"];
    review["reviewed_on"] = json!({ "type": "string", "pattern": dates_pattern(tomorrow, false) });
    review["next_review_on"] = json!({ "type": ["string", "null"], "pattern": case_date });
    review["note"] = text(ReviewNote::RULE, true);
    // A duplicates check asks about a name, a date of birth or both: never about nothing.
    let duplicates = &mut schemas["DuplicatesBody"];
    duplicates["properties"]["date_of_birth"] = born(false);
    duplicates["properties"]["date_of_birth"]["type"] = json!(["string", "null"]);
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
    // What a new client's id opens: links, so that a client of the API (and schemathesis) can
    // follow from a client just recorded to everything about them.
    let about_a_client = [
        "readClient",
        "editClient",
        "listClientChanges",
        "eraseClient",
        "addNote",
        "listNotes",
        "logContact",
        "listContacts",
        "recordService",
        "listServices",
        "assessNeeds",
        "listNeeds",
        "assessOutcomes",
        "listOutcomes",
        "openCase",
        "listCases",
        "recordScreening",
        "listScreenings",
        "recordDetermination",
        "listDeterminations",
        "recordRelease",
        "listReleases",
        "draftReferral",
        "listReferrals",
        "getPlan",
        "setGoal",
        "reviewPlan",
    ];
    let links: serde_json::Map<String, Value> = about_a_client
        .into_iter()
        .map(|id| {
            let link = json!({ "operationId": id, "parameters": { "id": "$response.body#/id" } });
            (id.to_owned(), link)
        })
        .collect();
    if let Some(created) = doc
        .pointer_mut("/paths/~1api~1v1~1clients/post/responses/201")
        .and_then(Value::as_object_mut)
    {
        created.insert("links".to_owned(), Value::Object(links));
    }
    let purposes = codes(app::Purpose::ALL.iter().map(|p| p.as_str()));
    let parameters = doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|operations| operations.values_mut())
        .filter_map(|operation| operation.get_mut("parameters"))
        .filter_map(Value::as_array_mut)
        .flatten();
    for parameter in parameters {
        if parameter["name"] == "X-Purpose" {
            parameter["schema"] = json!({ "type": "string", "enum": purposes.clone() });
        }
    }
}

/// An id as the server writes them (lower-case, hyphenated), blanks around it taken away;
/// blank alone too when `optional` (not given).
fn id_pattern(optional: bool) -> String {
    let id = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    let maybe = if optional { "?" } else { "" };
    format!("^[{WHITESPACE}]*({id}){maybe}[{WHITESPACE}]*$")
}

/// The facts file's schema (docs/facts.schema.json), the body of a determination.
const FACTS_SCHEMA: &str = include_str!("../../../../docs/facts.schema.json");
