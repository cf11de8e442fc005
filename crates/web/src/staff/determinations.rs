//! The determination worksheet on a client's page: the facts laid out as Action / Means / Purpose,
//! each known fact with how we know it, and "not known" a proper answer that is never read as
//! "no". Recording it shows, for each jurisdiction, which elements of which legal definition the
//! facts meet, miss or leave open, why, and what we still need to know; the page prints as a
//! summary. A determination is not a finding and not an official status.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::audit::Actor;
use domain::legal::{
    Column, EarliestAct, Explanation, FactSource, FactValue, Facts, Jurisdiction, Outcome,
    QUESTIONS, Question, Worksheet, parse_iso_date, question,
};
use domain::time::ProgramZone;
use domain::{ClientId, DeterminationId};

use super::links;
use super::on_client::{Change, OnClient, OnRecord, client_to};
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::session::{self, SignedIn, StaffForm, navigating};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::DETERMINATIONS, post(record))
        .route(links::WORKSHEET, get(worksheet))
        .route(links::DETERMINATION, get(result))
}

/// A fact's answer is posted as `fact.<path>`, how we know it as `source.<path>`.
const FACT_FIELD: &str = "fact.";
const SOURCE_FIELD: &str = "source.";

/// An outcome in the words staff read it.
fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Met => "met on the recorded facts",
        Outcome::NotMet => "not established on the recorded facts",
        Outcome::Unknown => "not decided yet",
    }
}

// --- the worksheet form ----------------------------------------------------------------------

struct SourceChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

struct FactInput {
    path: &'static str,
    text: &'static str,
    finding: bool,
    /// `yes`/`no`/`unknown` radios for a yes/no fact; a typed value for a date or an age.
    kind: &'static str,
    answer: String,
    sources: Vec<SourceChoice>,
    /// How the last determination had it: answer, source, who and when.
    before: Option<String>,
    problem: Option<String>,
}

struct ColumnInputs {
    title: &'static str,
    class: &'static str,
    facts: Vec<FactInput>,
}

#[derive(Template)]
#[template(path = "staff/worksheet.html")]
struct WorksheetPage {
    chrome: Option<Chrome>,
    name: String,
    action: String,
    back: String,
    columns: Vec<ColumnInputs>,
    problem: Option<String>,
    saved: Option<String>,
}

fn kind_of(path: &str) -> &'static str {
    match path {
        "person.date_of_birth" | "period.from" | "period.to" => "date",
        "person.age_at_first_act" => "age",
        _ => "flag",
    }
}

/// A fact's value as the form writes it.
fn answer_code(value: FactValue) -> String {
    match value {
        FactValue::Flag(Some(true)) => "yes".to_owned(),
        FactValue::Flag(Some(false)) => "no".to_owned(),
        FactValue::Date(Some(date)) => iso(date),
        FactValue::Years(Some(years)) => years.to_string(),
        FactValue::Flag(None) | FactValue::Date(None) | FactValue::Years(None) => String::new(),
    }
}

/// A fact's value in words.
fn answer_words(value: FactValue) -> String {
    match value {
        FactValue::Flag(Some(true)) => "yes".to_owned(),
        FactValue::Flag(Some(false)) => "no".to_owned(),
        FactValue::Flag(None) | FactValue::Date(None) | FactValue::Years(None) => {
            "not known".to_owned()
        }
        known => answer_code(known),
    }
}

fn iso(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// The form's fields for a recorded worksheet, so that it can be revised.
fn fields_of(worksheet: &Worksheet) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    for q in &QUESTIONS {
        let Some(value) = worksheet.facts().value(q.path) else {
            continue;
        };
        let code = answer_code(value);
        if !code.is_empty() {
            fields.insert(format!("{FACT_FIELD}{}", q.path), code);
        }
        if let Some(p) = worksheet.provenance(q.path) {
            fields.insert(
                format!("{SOURCE_FIELD}{}", q.path),
                p.source.as_str().to_owned(),
            );
        }
    }
    fields
}

/// Who recorded a fact, by name.
fn staff_name(staff: &HashMap<String, Option<String>>, user: domain::UserId) -> String {
    actor_name(staff, &Actor::User(user).encode())
}

/// A member of staff by name, as the audit names them ("someone no longer on staff" when the
/// account is gone).
fn actor_name(staff: &HashMap<String, Option<String>>, actor: &str) -> String {
    staff
        .get(actor)
        .cloned()
        .flatten()
        .unwrap_or_else(|| "someone no longer on staff".to_owned())
}

/// The worksheet recorded last, who is who among its authors, and the zone its times are read
/// in: what the worksheet says a fact stood at before.
type Before<'a> = (
    &'a Worksheet,
    &'a HashMap<String, Option<String>>,
    &'a ProgramZone,
);

/// How a fact stands in a recorded worksheet, in one line.
fn recorded_line((worksheet, staff, zone): Before<'_>, path: &str) -> Option<String> {
    let value = worksheet.facts().value(path)?;
    let p = worksheet.provenance(path)?;
    Some(format!(
        "{}: {} ({}), recorded by {} on {}",
        answer_words(value),
        p.source.label().to_lowercase(),
        p.source.as_str(),
        staff_name(staff, p.by),
        zone.minute(p.at)
    ))
}

fn columns(
    fields: &BTreeMap<String, String>,
    before: Option<Before<'_>>,
    problem_at: Option<(&str, &str)>,
) -> Vec<ColumnInputs> {
    Column::ALL
        .into_iter()
        .map(|column| ColumnInputs {
            title: column.title(),
            class: match column {
                Column::Action | Column::Means | Column::Purpose => "column",
                Column::PersonAndPeriod | Column::Other => "column wide",
            },
            facts: QUESTIONS
                .iter()
                .filter(|q| q.column == column)
                .map(|q| fact_input(q, fields, before, problem_at))
                .collect(),
        })
        .collect()
}

fn fact_input(
    q: &Question,
    fields: &BTreeMap<String, String>,
    before: Option<Before<'_>>,
    problem_at: Option<(&str, &str)>,
) -> FactInput {
    let kind = kind_of(q.path);
    let answer = fields
        .get(&format!("{FACT_FIELD}{}", q.path))
        .cloned()
        .unwrap_or_else(|| if kind == "flag" { "unknown" } else { "" }.to_owned());
    let source = fields
        .get(&format!("{SOURCE_FIELD}{}", q.path))
        .map_or("", String::as_str);
    FactInput {
        path: q.path,
        text: q.text,
        finding: q.finding,
        kind,
        answer,
        sources: FactSource::ALL
            .into_iter()
            .map(|s| SourceChoice {
                value: s.as_str(),
                label: s.label(),
                selected: s.as_str() == source,
            })
            .collect(),
        before: before.and_then(|before| recorded_line(before, q.path)),
        problem: problem_at
            .filter(|(path, _)| *path == q.path)
            .map(|(_, text)| text.to_owned()),
    }
}

async fn worksheet_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    posted: Option<&BTreeMap<String, String>>,
    problem: Option<Problem>,
) -> Response {
    let caller = &signed_in.caller;
    let client = match client_to(
        app,
        caller,
        id,
        Change::Determination,
        app::Purpose::CaseWork,
    )
    .await
    {
        Ok(client) => client,
        Err(err) => return page::failure(err),
    };
    let recorded = match app.determinations(caller, id, app::Purpose::CaseWork).await {
        Ok(recorded) => recorded,
        Err(err) => return page::failure(err),
    };
    let latest = recorded.list.first().map(|d| &d.worksheet);
    // What was just posted, else the draft saved as it was filled in, else the last determination.
    let (fields, saved) = match posted {
        Some(posted) => (posted.clone(), None),
        None => match app.worksheet_draft(caller, id).await {
            Ok(Some(draft)) => (draft.fields, Some(when(app, draft.saved_at))),
            Ok(None) => (latest.map(fields_of).unwrap_or_default(), None),
            Err(err) => return page::failure(err),
        },
    };
    let status = page::status_for(problem.as_ref());
    let at = problem
        .as_ref()
        .and_then(|p| p.path.map(|path| (path, p.text.as_str())));
    let before = latest.map(|w| (w, &recorded.staff, app.time_zone()));
    let columns = columns(&fields, before, at);
    render(
        status,
        &WorksheetPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            action: links::of_client(links::DETERMINATIONS, id),
            back: links::client_section(id, "determinations"),
            columns,
            problem: problem.map(|p| p.text),
            saved,
        },
    )
}

async fn worksheet(at: OnClient) -> Response {
    worksheet_page(&at.app, &at.signed_in, at.id, None, None).await
}

/// What is wrong with a posted worksheet, and at which fact.
struct Problem {
    path: Option<&'static str>,
    text: String,
}

impl Problem {
    fn at(q: &Question, problem: &str) -> Self {
        Problem {
            path: Some(q.path),
            text: format!("\u{201c}{}\u{201d} {problem}", q.text),
        }
    }
}

/// A posted worksheet, read: the facts and how each known one is known.
struct Posted {
    facts: Facts,
    sources: BTreeMap<&'static str, FactSource>,
}

/// The posted worksheet as facts and their sources. `None` when a field is not one of the form's.
fn read_posted(form: &BTreeMap<String, String>) -> Option<Result<Posted, Problem>> {
    let known = |field: &String| {
        field
            .strip_prefix(FACT_FIELD)
            .or_else(|| field.strip_prefix(SOURCE_FIELD))
            .is_some_and(|path| question(path).is_some())
    };
    if !form.keys().all(known) {
        return None;
    }
    Some(parse_facts(form))
}

fn parse_facts(form: &BTreeMap<String, String>) -> Result<Posted, Problem> {
    let mut values = Vec::with_capacity(QUESTIONS.len());
    let mut sources = BTreeMap::new();
    for q in &QUESTIONS {
        let given = form
            .get(&format!("{FACT_FIELD}{}", q.path))
            .map_or("", |v| v.trim());
        let value =
            match (kind_of(q.path), given) {
                ("flag", "yes") => FactValue::Flag(Some(true)),
                ("flag", "no") => FactValue::Flag(Some(false)),
                ("flag", "unknown" | "") => FactValue::Flag(None),
                ("flag", _) => return Err(Problem::at(q, "must be yes, no or not known.")),
                ("date", "") => FactValue::Date(None),
                ("date", text) => FactValue::Date(Some(parse_iso_date(text).ok_or_else(|| {
                    Problem::at(q, "must be a real date (year-month-day), or left blank.")
                })?)),
                (_, "") => FactValue::Years(None),
                (_, text) => FactValue::Years(Some(text.parse().map_err(|_| {
                    Problem::at(q, "must be a whole number of years, or left blank.")
                })?)),
            };
        values.push((q.path, value));
        match form
            .get(&format!("{SOURCE_FIELD}{}", q.path))
            .map_or("", String::as_str)
        {
            "" => {}
            code => {
                let source = code
                    .parse()
                    .map_err(|_| Problem::at(q, "has a source this form does not know."))?;
                sources.insert(q.path, source);
            }
        }
    }
    let facts = Facts::from_values(values).map_err(|err| match err.path().and_then(question) {
        Some(q) => Problem::at(q, &format!("does not fit: {err}.")),
        None => Problem {
            path: None,
            text: err.to_string(),
        },
    })?;
    Ok(Posted { facts, sources })
}

/// Records the worksheet as a determination, or (with `save=draft`) keeps it to finish later.
async fn record(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    headers: HeaderMap,
    StaffForm {
        signed_in,
        mut form,
    }: StaffForm<BTreeMap<String, String>>,
) -> Response {
    let draft = form.remove("save").is_some_and(|s| s == "draft");
    let Some(parsed) = read_posted(&form) else {
        return session::bad_form();
    };
    let caller = &signed_in.caller;
    if draft {
        // A draft keeps what was typed, checked or not: it is checked when it is recorded.
        return match app.save_worksheet_draft(caller, id, &form).await {
            Ok(_) if navigating(&headers) => {
                Redirect::to(&links::of_client(links::WORKSHEET, id)).into_response()
            }
            Ok(_) => StatusCode::NO_CONTENT.into_response(),
            Err(err) => page::failure(err),
        };
    }
    let Posted { facts, sources } = match parsed {
        Ok(parsed) => parsed,
        Err(problem) => {
            return worksheet_page(&app, &signed_in, id, Some(&form), Some(problem)).await;
        }
    };
    match app
        .record_determination(caller, id, facts, &sources, app::Purpose::CaseWork)
        .await
    {
        Ok(determination) => Redirect::to(&links::determination(id, determination)).into_response(),
        Err(app::AppError::Invalid(invalid)) => {
            let problem = match question(invalid.field) {
                Some(q) => Problem::at(
                    q,
                    "is answered, so it needs a source: say how we know it, or mark it not known.",
                ),
                None => Problem {
                    path: None,
                    text: invalid.to_string(),
                },
            };
            worksheet_page(&app, &signed_in, id, Some(&form), Some(problem)).await
        }
        Err(err) => page::failure(err),
    }
}

// --- the result ------------------------------------------------------------------------------

struct ElementLine {
    depth: usize,
    outcome: &'static str,
    outcome_class: &'static str,
    label: String,
    citation: String,
    facts: Vec<String>,
}

struct RuleView {
    title: String,
    citation: String,
    outcome: &'static str,
    outcome_class: &'static str,
    note: Option<String>,
    in_force: Option<&'static str>,
    missing: Vec<&'static str>,
    elements: Vec<ElementLine>,
}

struct JurisdictionView {
    title: &'static str,
    rules: Vec<RuleView>,
}

struct RecordedFact {
    text: &'static str,
    answer: String,
    source: &'static str,
    by: String,
    at: String,
}

struct RecordedColumn {
    title: &'static str,
    known: Vec<RecordedFact>,
    unknown: Vec<&'static str>,
}

#[derive(Template)]
#[template(path = "staff/determination.html")]
struct ResultPage {
    chrome: Option<Chrome>,
    name: String,
    at: String,
    by: String,
    jurisdictions: Vec<JurisdictionView>,
    information: Vec<RuleView>,
    recorded: Vec<RecordedColumn>,
    back: String,
    worksheet: String,
}

fn outcome_class(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Met => "met",
        Outcome::NotMet => "not-met",
        Outcome::Unknown => "unknown",
    }
}

/// The explanation tree, flattened in reading order with each element's depth.
fn elements(node: Explanation<'_>, depth: usize, out: &mut Vec<ElementLine>) {
    out.push(ElementLine {
        depth: depth.min(6),
        outcome: outcome_words(node.outcome()),
        outcome_class: outcome_class(node.outcome()),
        label: node.label().to_owned(),
        citation: node.citation().to_owned(),
        facts: node
            .facts()
            .into_iter()
            .map(|(path, value)| {
                let text = question(path).map_or(path, |q| q.text);
                format!("{text}: {}", answer_words(value))
            })
            .collect(),
    });
    for child in node.children() {
        elements(child, depth + 1, out);
    }
}

fn rule_view(result: &domain::legal::Determination<'_>) -> RuleView {
    let rule = result.rule();
    let mut lines = Vec::new();
    elements(result.explanation(), 0, &mut lines);
    RuleView {
        title: rule.title().to_owned(),
        citation: rule.citation().to_owned(),
        outcome: outcome_words(result.outcome()),
        outcome_class: outcome_class(result.outcome()),
        note: rule.note().map(str::to_owned),
        in_force: match result.earliest_act() {
            EarliestAct::Before => Some(
                "This text of the law took effect after the earliest act: check the law in force then.",
            ),
            EarliestAct::After => Some(
                "This text of the law was replaced before the earliest act: check the law in force then.",
            ),
            EarliestAct::Within | EarliestAct::Unknown => None,
        },
        missing: result
            .missing_facts()
            .into_iter()
            .map(|path| question(path).map_or(path, |q| q.text))
            .collect(),
        elements: lines,
    }
}

fn jurisdiction_title(jurisdiction: Jurisdiction) -> &'static str {
    match jurisdiction {
        Jurisdiction::UsFederal => "United States federal law",
        Jurisdiction::UsCa => "California law",
        Jurisdiction::IntlPalermo => "International law (the Palermo Protocol)",
        Jurisdiction::All => "All",
    }
}

fn recorded_columns((worksheet, staff, zone): Before<'_>) -> Vec<RecordedColumn> {
    Column::ALL
        .into_iter()
        .map(|column| {
            let mut known = Vec::new();
            let mut unknown = Vec::new();
            for q in QUESTIONS.iter().filter(|q| q.column == column) {
                match (
                    worksheet.facts().value(q.path),
                    worksheet.provenance(q.path),
                ) {
                    (Some(value), Some(p)) => known.push(RecordedFact {
                        text: q.text,
                        answer: answer_words(value),
                        source: p.source.label(),
                        by: staff_name(staff, p.by),
                        at: zone.minute(p.at),
                    }),
                    _ => unknown.push(q.text),
                }
            }
            RecordedColumn {
                title: column.title(),
                known,
                unknown,
            }
        })
        .collect()
}

async fn result(at: OnRecord<DeterminationId>) -> Response {
    let read = at
        .app
        .determinations(&at.signed_in.caller, at.id, app::Purpose::CaseWork);
    let (client, recorded) = match at.client_and(read).await {
        Ok(both) => both,
        Err(failed) => return failed,
    };
    let Some(found) = recorded.list.iter().find(|d| d.id == at.record) else {
        return page::not_found();
    };
    let packs = match app::determinations::rule_packs() {
        Ok(packs) => packs,
        Err(err) => return page::failure(err),
    };
    let facts = found.worksheet.facts();
    let jurisdictions = [
        Jurisdiction::UsFederal,
        Jurisdiction::UsCa,
        Jurisdiction::IntlPalermo,
    ]
    .into_iter()
    .map(|j| JurisdictionView {
        title: jurisdiction_title(j),
        rules: packs.evaluate(facts, j).iter().map(rule_view).collect(),
    })
    .collect();
    let information = packs
        .information(facts, Jurisdiction::All)
        .iter()
        .map(rule_view)
        .collect();
    let by = actor_name(&recorded.staff, &found.recorded_by);
    render(
        StatusCode::OK,
        &ResultPage {
            chrome: Some(at.signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            at: when(&at.app, found.created_at),
            by,
            jurisdictions,
            information,
            recorded: recorded_columns((&found.worksheet, &recorded.staff, at.app.time_zone())),
            back: links::client_section(at.id, "determinations"),
            worksheet: links::of_client(links::WORKSHEET, at.id),
        },
    )
}
