//! The determination worksheet on a client's page: the facts laid out as Action / Means / Purpose,
//! each known fact with how we know it, and "not known" a proper answer that is never read as
//! "no". The worksheet asks first the facts one definition reads (the rule packs say which), the
//! others folded a click away; the date of birth on the client record fills in its fact; and
//! every problem with what was sent is shown at once, in words, beside its field. Recording it
//! shows, for each jurisdiction, which elements of which legal definition the facts meet, miss or
//! leave open, why (folded until opened), and what we still need to know; the page prints as a
//! summary. A determination is not a finding and not an official status.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::ClientId;
use domain::audit::Actor;
use domain::legal::{
    Clash, Column, FACT_PATHS, FactSource, FactValue, Facts, FactsError, Jurisdiction, Outcome,
    QUESTIONS, Question, Rule, RulePacks, Worksheet, parse_iso_date, question,
};
use domain::time::ProgramZone;
use serde::Deserialize;
use time::Date;

use super::links;
use super::on_client::{Change, OnClient, client_to};
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::session::{self, SignedIn, StaffForm, navigating};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::DETERMINATIONS, post(record))
        .route(links::WORKSHEET, get(worksheet))
}

/// A fact's answer is posted as `fact.<path>`, how we know it as `source.<path>`.
const FACT_FIELD: &str = "fact.";
const SOURCE_FIELD: &str = "source.";
/// The definition whose facts the worksheet asks first (`?for=` and a field of the form).
const FOCUS_FIELD: &str = "for";
/// `for=all`: every fact, none folded away.
const EVERY_FACT: &str = "all";
const DATE_OF_BIRTH: &str = "person.date_of_birth";

/// The jurisdictions, in the order the pages show them.
pub(super) const JURISDICTIONS: [Jurisdiction; 3] = [
    Jurisdiction::UsFederal,
    Jurisdiction::UsCa,
    Jurisdiction::IntlPalermo,
];

/// An outcome in the words staff read it.
pub(super) fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Met => "met on the recorded facts",
        Outcome::NotMet => "not established on the recorded facts",
        Outcome::Unknown => "not decided yet",
    }
}

pub(super) fn jurisdiction_title(jurisdiction: Jurisdiction) -> &'static str {
    match jurisdiction {
        Jurisdiction::UsFederal => "United States federal law",
        Jurisdiction::UsCa => "California law",
        Jurisdiction::IntlPalermo => "International law (the Palermo Protocol)",
        Jurisdiction::All => "All",
    }
}

// --- which facts come first ------------------------------------------------------------------

/// Which facts the worksheet asks first: those one definition reads, or every fact.
#[derive(Clone, Copy)]
enum Focus<'p> {
    Definition(&'p Rule),
    Everything,
}

impl<'p> Focus<'p> {
    /// The choice named `chosen` (a rule's id, or `all`); the first definition when nothing, or
    /// nothing known, is named.
    fn of(packs: &'p RulePacks, chosen: Option<&str>) -> Self {
        if chosen == Some(EVERY_FACT) {
            return Focus::Everything;
        }
        let definitions = || packs.rules().iter().filter(|r| !r.information_only());
        chosen
            .and_then(|id| definitions().find(|r| r.id() == id))
            .or_else(|| definitions().next())
            .map_or(Focus::Everything, Focus::Definition)
    }

    fn value(self) -> &'p str {
        match self {
            Focus::Definition(rule) => rule.id(),
            Focus::Everything => EVERY_FACT,
        }
    }

    /// The facts asked first, by path.
    fn asks(self, packs: &RulePacks) -> Vec<&'static str> {
        match self {
            Focus::Definition(rule) => packs.facts_read(rule),
            Focus::Everything => FACT_PATHS.to_vec(),
        }
    }
}

/// `?for=RULE` on the worksheet's address.
#[derive(Deserialize)]
struct Chosen {
    #[serde(rename = "for")]
    focus: Option<String>,
}

struct Choice<'p> {
    value: &'p str,
    label: &'p str,
    selected: bool,
}

struct ChoiceGroup<'p> {
    label: &'static str,
    choices: Vec<Choice<'p>>,
}

/// The definitions a worker can choose to answer first, by jurisdiction.
fn choices<'p>(packs: &'p RulePacks, focus: Focus<'p>) -> Vec<ChoiceGroup<'p>> {
    JURISDICTIONS
        .into_iter()
        .map(|j| ChoiceGroup {
            label: jurisdiction_title(j),
            choices: packs
                .rules()
                .iter()
                .filter(|r| !r.information_only() && r.jurisdiction() == j)
                .map(|r| Choice {
                    value: r.id(),
                    label: r.title(),
                    selected: r.id() == focus.value(),
                })
                .collect(),
        })
        .collect()
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
    /// Where the answer came from, when it was not typed here (the client record).
    note: Option<&'static str>,
    /// What is wrong with the answer, and with how we know it.
    problem: Option<String>,
    source_problem: Option<String>,
}

struct ColumnInputs {
    title: &'static str,
    class: &'static str,
    facts: Vec<FactInput>,
}

/// The facts asked first, or the others, folded under `folded` (its summary).
struct Section {
    folded: Option<String>,
    open: bool,
    columns: Vec<ColumnInputs>,
}

/// A problem in the list at the top: its words, and the field it links to.
struct ProblemLink {
    target: Option<String>,
    text: String,
}

#[derive(Template)]
#[template(path = "staff/worksheet.html")]
struct WorksheetPage<'p> {
    chrome: Option<Chrome>,
    name: String,
    action: String,
    choose: String,
    groups: Vec<ChoiceGroup<'p>>,
    focus: &'p str,
    focus_title: Option<&'p str>,
    back: String,
    sections: Vec<Section>,
    problems: Vec<ProblemLink>,
    saved: Option<String>,
}

fn kind_of(path: &str) -> &'static str {
    match path {
        DATE_OF_BIRTH | "period.from" | "period.to" => "date",
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
pub(super) fn answer_words(value: FactValue) -> String {
    match value {
        FactValue::Flag(Some(true)) => "yes".to_owned(),
        FactValue::Flag(Some(false)) => "no".to_owned(),
        FactValue::Flag(None) | FactValue::Date(None) | FactValue::Years(None) => {
            "not known".to_owned()
        }
        known => answer_code(known),
    }
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn field(prefix: &str, path: &str) -> String {
    format!("{prefix}{path}")
}

/// The form's fields for `facts` as carried over from a recorded worksheet: each answer, and how
/// we know it where the worksheet had that same answer.
fn fields_of(facts: &Facts, worksheet: &Worksheet) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    for (path, value) in facts.values() {
        if !value.is_known() {
            continue;
        }
        fields.insert(field(FACT_FIELD, path), answer_code(value));
        if let Some(p) = worksheet
            .provenance(path)
            .filter(|_| worksheet.facts().value(path) == Some(value))
        {
            fields.insert(field(SOURCE_FIELD, path), p.source.as_str().to_owned());
        }
    }
    fields
}

/// Fills in the date of birth from the client record when the worksheet has none, and says the
/// record is how we know it when nothing else does.
fn from_the_record(fields: &mut BTreeMap<String, String>, born: Option<Date>) {
    let Some(born) = born.map(iso) else {
        return;
    };
    let answer = fields.entry(field(FACT_FIELD, DATE_OF_BIRTH)).or_default();
    if answer.trim().is_empty() {
        answer.clone_from(&born);
    }
    if *answer == born {
        let source = fields
            .entry(field(SOURCE_FIELD, DATE_OF_BIRTH))
            .or_default();
        if source.is_empty() {
            *source = FactSource::ClientRecord.as_str().to_owned();
        }
    }
}

/// The date of birth on the client record, if it gives one.
fn born(client: &app::ClientView) -> Option<Date> {
    client.date_of_birth.as_deref().and_then(parse_iso_date)
}

/// Who recorded a fact, by name.
pub(super) fn staff_name(staff: &HashMap<String, Option<String>>, user: domain::UserId) -> String {
    actor_name(staff, &Actor::User(user).encode())
}

/// A member of staff by name, as the audit names them ("someone no longer on staff" when the
/// account is gone).
pub(super) fn actor_name(staff: &HashMap<String, Option<String>>, actor: &str) -> String {
    staff
        .get(actor)
        .cloned()
        .flatten()
        .unwrap_or_else(|| "someone no longer on staff".to_owned())
}

/// The worksheet recorded last, who is who among its authors, and the zone its times are read
/// in: what the worksheet says a fact stood at before.
pub(super) type Before<'a> = (
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

/// What the worksheet's fields hold as it is shown, and what is said beside them.
struct Filled<'a> {
    fields: BTreeMap<String, String>,
    before: Option<Before<'a>>,
    problems: &'a [Problem],
    /// The date of birth on the client record.
    born: Option<Date>,
    /// Last time's answers not carried over: they contradict the date of birth on the record.
    left_out: Vec<&'static str>,
}

impl Filled<'_> {
    fn columns(&self, paths: &[&str]) -> Vec<ColumnInputs> {
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
                    .filter(|q| q.column == column && paths.contains(&q.path))
                    .map(|q| self.fact_input(q))
                    .collect(),
            })
            .filter(|column| !column.facts.is_empty())
            .collect()
    }

    /// The problems at one field, in words; `None` when there are none.
    fn problem_at(&self, at: Field, q: &Question) -> Option<String> {
        let texts: Vec<&str> = self
            .problems
            .iter()
            .filter(|p| p.at.is_some_and(|(f, pq)| f == at && pq.path == q.path))
            .map(|p| p.text)
            .collect();
        (!texts.is_empty()).then(|| texts.join(" "))
    }

    fn fact_input(&self, q: &Question) -> FactInput {
        let kind = kind_of(q.path);
        let answer = self
            .fields
            .get(&field(FACT_FIELD, q.path))
            .cloned()
            .unwrap_or_else(|| if kind == "flag" { "unknown" } else { "" }.to_owned());
        let source = self
            .fields
            .get(&field(SOURCE_FIELD, q.path))
            .map_or("", String::as_str);
        let on_record = self.born.filter(|_| q.path == DATE_OF_BIRTH).map(iso);
        let note = if self.left_out.contains(&q.path) {
            Some(
                "Last time's answer is not carried over: it does not fit the date of birth on the client record.",
            )
        } else {
            match &on_record {
                Some(born) if *born == answer => Some("From the client record."),
                Some(_) => Some("This is not the date of birth on the client record."),
                None => None,
            }
        };
        FactInput {
            path: q.path,
            text: q.text,
            finding: q.finding,
            kind,
            sources: FactSource::ALL
                .into_iter()
                .filter(|s| {
                    *s != FactSource::ClientRecord || on_record.is_some() || s.as_str() == source
                })
                .map(|s| SourceChoice {
                    value: s.as_str(),
                    label: s.label(),
                    selected: s.as_str() == source,
                })
                .collect(),
            answer,
            before: self.before.and_then(|before| recorded_line(before, q.path)),
            note,
            problem: self.problem_at(Field::Answer, q),
            source_problem: self.problem_at(Field::Source, q),
        }
    }
}

/// The worksheet as it opens, or as it comes back with `problems` in what was `posted`.
async fn worksheet_page(
    app: &app::App,
    signed_in: &SignedIn,
    client: app::ClientView,
    posted: Option<&BTreeMap<String, String>>,
    chosen: Option<&str>,
    problems: Vec<Problem>,
) -> Response {
    let (caller, zone) = (&signed_in.caller, signed_in.zone());
    let id = client.id;
    let recorded = match app.determinations(caller, id, app::Purpose::CaseWork).await {
        Ok(recorded) => recorded,
        Err(err) => return page::failure(err),
    };
    let packs = match app::determinations::rule_packs() {
        Ok(packs) => packs,
        Err(err) => return page::failure(err),
    };
    let latest = recorded.list.first().map(|d| &d.worksheet);
    let born = born(&client);
    // What was just posted, else the draft saved as it was filled in, else the last
    // determination; the date of birth on the client record fills in what these leave blank.
    let (mut fields, saved, left_out) = match posted {
        Some(posted) => (posted.clone(), None, Vec::new()),
        None => match app.worksheet_draft(caller, id).await {
            Ok(Some(draft)) => (draft.fields, Some(when(zone, draft.saved_at)), Vec::new()),
            Ok(None) => match latest {
                Some(worksheet) => {
                    let (facts, left_out) = match born {
                        Some(born) => worksheet.facts().with_date_of_birth(born),
                        None => (*worksheet.facts(), Vec::new()),
                    };
                    (fields_of(&facts, worksheet), None, left_out)
                }
                None => (BTreeMap::new(), None, Vec::new()),
            },
            Err(err) => return page::failure(err),
        },
    };
    if posted.is_none() {
        from_the_record(&mut fields, born);
    }
    let focus = Focus::of(packs, chosen);
    let asked = focus.asks(packs);
    let others: Vec<&str> = FACT_PATHS
        .into_iter()
        .filter(|path| !asked.contains(path))
        .collect();
    let filled = Filled {
        fields,
        before: latest.map(|w| (w, &recorded.staff, zone)),
        problems: &problems,
        born,
        left_out,
    };
    let mut sections = vec![Section {
        folded: None,
        open: true,
        columns: filled.columns(&asked),
    }];
    if !others.is_empty() {
        sections.push(Section {
            folded: Some(format!(
                "The other {} facts, which this definition does not use",
                others.len()
            )),
            open: problems
                .iter()
                .any(|p| p.at.is_some_and(|(_, q)| others.contains(&q.path))),
            columns: filled.columns(&others),
        });
    }
    render(
        page::status_for(problems.first()),
        &WorksheetPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            action: links::of_client(links::DETERMINATIONS, id),
            choose: links::of_client(links::WORKSHEET, id),
            groups: choices(packs, focus),
            focus: focus.value(),
            focus_title: match focus {
                Focus::Definition(rule) => Some(rule.title()),
                Focus::Everything => None,
            },
            back: links::client_section(id, "determinations"),
            sections,
            problems: problems.iter().map(Problem::link).collect(),
            saved,
        },
    )
}

async fn worksheet(at: OnClient, query: Result<Query<Chosen>, QueryRejection>) -> Response {
    let Ok(Query(chosen)) = query else {
        return page::not_found();
    };
    let caller = &at.signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let client = match client_to(&at.app, caller, at.id, Change::Determination, purpose).await {
        Ok(client) => client,
        Err(err) => return page::failure(err),
    };
    worksheet_page(
        &at.app,
        &at.signed_in,
        client,
        None,
        chosen.focus.as_deref(),
        Vec::new(),
    )
    .await
}

/// The part of a fact's question a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Answer,
    Source,
}

/// Something to put right before the worksheet can be recorded, in words, at the field it is
/// about (when it is about one).
#[derive(Debug, Clone, Copy)]
struct Problem {
    at: Option<(Field, &'static Question)>,
    text: &'static str,
}

const NO_SOURCE: &str = "Say how we know this, or mark it not known.";
const ODD_SOURCE: &str = "Choose how we know this from the list.";
const NOT_ON_RECORD: &str =
    "The client record does not give this date of birth: say how else we know it.";

impl Problem {
    fn at(at: Field, q: &'static Question, text: &'static str) -> Self {
        Problem {
            at: Some((at, q)),
            text,
        }
    }

    /// At the fact a path names, or about the whole worksheet when no question has that path.
    fn at_path(at: Field, path: &str, text: &'static str) -> Self {
        match question(path) {
            Some(q) => Problem::at(at, q, text),
            None => Problem {
                at: None,
                text: "This worksheet cannot be recorded as it stands. Check the answers and try again.",
            },
        }
    }

    /// The id of the field it is about.
    fn target(&self) -> Option<String> {
        self.at.map(|(at, q)| match at {
            Field::Answer => field(FACT_FIELD, q.path),
            Field::Source => field(SOURCE_FIELD, q.path),
        })
    }

    fn link(&self) -> ProblemLink {
        ProblemLink {
            target: self.target(),
            text: match self.at {
                Some((_, q)) => format!("{}: {}", q.text, self.text),
                None => self.text.to_owned(),
            },
        }
    }

    /// Where it is listed: in the order of the questions, an answer before how we know it.
    fn order(&self) -> Option<(usize, Field)> {
        self.at.map(|(at, q)| {
            let index = QUESTIONS.iter().position(|other| other.path == q.path);
            (index.unwrap_or_default(), at)
        })
    }
}

/// How to write an answer of this kind.
fn how_to_write(kind: &str) -> &'static str {
    match kind {
        "flag" => "Answer yes, no or not known.",
        "date" => {
            "Write a real date as year-month-day (for example 2023-06-01), or leave it blank."
        }
        _ => "Write a whole number of years from 0 to 130, or leave it blank.",
    }
}

fn clash_words(clash: Clash) -> &'static str {
    match clash {
        Clash::EndsBeforeItStarts => "This is before the day it started. Check both dates.",
        Clash::BornAfterItStarted => {
            "This date of birth is after the day it started. Check both dates."
        }
        Clash::AgeDisagrees => {
            "This age does not fit the date of birth and the day it started. Leave it blank: the date of birth gives the age."
        }
        Clash::BornAfterItEnded => {
            "This date of birth is after the day it ended. Check both dates."
        }
    }
}

/// The problem a facts error names, in words.
fn problem_of(err: &FactsError) -> Problem {
    let path = err.path().unwrap_or_default();
    let text = match err {
        FactsError::Clash(clash) => clash_words(*clash),
        FactsError::Field { .. } | FactsError::Syntax { .. } => how_to_write(kind_of(path)),
    };
    Problem::at_path(Field::Answer, path, text)
}

/// A posted worksheet, read: the facts and how each known one is known.
struct Posted {
    facts: Facts,
    sources: BTreeMap<&'static str, FactSource>,
}

/// Whether every posted field is one of the form's.
fn known_fields(form: &BTreeMap<String, String>) -> bool {
    form.keys().all(|name| {
        name.strip_prefix(FACT_FIELD)
            .or_else(|| name.strip_prefix(SOURCE_FIELD))
            .is_some_and(|path| question(path).is_some())
    })
}

/// The posted worksheet as facts and their sources, or every problem with it. `born` is the date
/// of birth on the client record: the only thing "the client record" can be the source of.
fn parse_facts(
    form: &BTreeMap<String, String>,
    born: Option<Date>,
) -> Result<Posted, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut values = Vec::with_capacity(QUESTIONS.len());
    let mut sources = BTreeMap::new();
    for q in &QUESTIONS {
        let given = form
            .get(&field(FACT_FIELD, q.path))
            .map_or("", |v| v.trim());
        let value = match (kind_of(q.path), given) {
            ("flag", "yes") => Some(FactValue::Flag(Some(true))),
            ("flag", "no") => Some(FactValue::Flag(Some(false))),
            ("flag", "unknown" | "") => Some(FactValue::Flag(None)),
            ("flag", _) => None,
            ("date", "") => Some(FactValue::Date(None)),
            ("date", text) => parse_iso_date(text).map(|date| FactValue::Date(Some(date))),
            (_, "") => Some(FactValue::Years(None)),
            (_, text) => text.parse().ok().map(|years| FactValue::Years(Some(years))),
        };
        let Some(value) = value else {
            problems.push(Problem::at(Field::Answer, q, how_to_write(kind_of(q.path))));
            continue;
        };
        values.push((q.path, value));
        let code = form
            .get(&field(SOURCE_FIELD, q.path))
            .map_or("", String::as_str);
        match code.parse::<FactSource>() {
            _ if code.is_empty() => {}
            Ok(FactSource::ClientRecord)
                if q.path != DATE_OF_BIRTH || value != FactValue::Date(born) =>
            {
                problems.push(Problem::at(Field::Source, q, NOT_ON_RECORD));
            }
            Ok(source) => {
                sources.insert(q.path, source);
            }
            Err(_) => problems.push(Problem::at(Field::Source, q, ODD_SOURCE)),
        }
    }
    for path in Worksheet::unsourced(values.iter().copied(), &sources) {
        if !problems
            .iter()
            .any(|p| p.target() == Some(field(SOURCE_FIELD, path)))
        {
            problems.push(Problem::at_path(Field::Source, path, NO_SOURCE));
        }
    }
    let facts =
        Facts::from_values(values).map_err(|errors| problems.extend(errors.iter().map(problem_of)));
    match facts {
        Ok(facts) if problems.is_empty() => Ok(Posted { facts, sources }),
        _ => {
            problems.sort_by_key(Problem::order);
            Err(problems)
        }
    }
}

/// The worksheet's address, asking first the facts of the definition `chosen`, if one was.
fn worksheet_link(id: ClientId, chosen: Option<&str>) -> Result<String, app::AppError> {
    let sheet = links::of_client(links::WORKSHEET, id);
    Ok(match chosen {
        // A rule's id, or `all`: neither needs escaping.
        Some(chosen) => {
            let focus = Focus::of(app::determinations::rule_packs()?, Some(chosen));
            format!("{sheet}?{FOCUS_FIELD}={}", focus.value())
        }
        None => sheet,
    })
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
    let focus = form.remove(FOCUS_FIELD);
    if !known_fields(&form) {
        return session::bad_form();
    }
    let caller = &signed_in.caller;
    if draft {
        // A draft keeps what was typed, checked or not: it is checked when it is recorded.
        return match app.save_worksheet_draft(caller, id, &form).await {
            Ok(_) if navigating(&headers) => match worksheet_link(id, focus.as_deref()) {
                Ok(sheet) => Redirect::to(&sheet).into_response(),
                Err(err) => page::failure(err),
            },
            Ok(_) => StatusCode::NO_CONTENT.into_response(),
            Err(err) => page::failure(err),
        };
    }
    let purpose = app::Purpose::CaseWork;
    let client = match client_to(&app, caller, id, Change::Determination, purpose).await {
        Ok(client) => client,
        Err(err) => return page::failure(err),
    };
    let problems = match parse_facts(&form, born(&client)) {
        Ok(Posted { facts, sources }) => match app
            .record_determination(caller, id, facts, &sources, app::Purpose::CaseWork)
            .await
        {
            Ok(determination) => {
                return Redirect::to(&links::determination(id, determination)).into_response();
            }
            Err(app::AppError::Invalid(invalid)) => {
                vec![Problem::at_path(Field::Source, invalid.field, NO_SOURCE)]
            }
            Err(err) => return page::failure(err),
        },
        Err(problems) => problems,
    };
    worksheet_page(
        &app,
        &signed_in,
        client,
        Some(&form),
        focus.as_deref(),
        problems,
    )
    .await
}
