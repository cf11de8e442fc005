//! Screening a client from their page: choose an instrument, ask its questions (each one may stay
//! "not asked yet" or be "prefers not to answer"), and read the result with what it means and
//! what it does not. A screening says "look further", never more; the instruments are the
//! shipped definitions in `instruments/`.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::instrument::{Instrument, Response as Answering};
use domain::{ClientId, ScreeningId};

use super::links;
use super::on_client::{Change, OnClient, OnRecord, client_to};
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::records::{instrument, result_words, title};
use super::session::{self, SignedIn, StaffForm, navigating};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::SCREENINGS, post(record))
        .route(links::NEW_SCREENING, get(choose))
        .route(links::SCREENING_FORM, get(form))
        .route(links::SCREENING, get(result))
}

/// Form fields for answers are `item.<item id>`, apart from the token and the instrument.
const ITEM_FIELD: &str = "item.";

struct Choice {
    href: String,
    title: String,
    population: String,
    setting: String,
    validated: bool,
}

#[derive(Template)]
#[template(path = "staff/screening_choose.html")]
struct ChoosePage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    choices: Vec<Choice>,
}

/// Which instrument to use. Opening it reads the client (to say who is being screened), so a
/// client who is not the caller's is "not found" here as everywhere.
async fn choose(at: OnClient) -> Response {
    let client = match at
        .client_to(Change::Screening, app::Purpose::CaseWork)
        .await
    {
        Ok(client) => client,
        Err(failed) => return failed,
    };
    let Ok(all) = app::screenings::instruments() else {
        return page::failure(app::AppError::Conflict(
            "the screening instruments could not be loaded",
        ));
    };
    let choices = all
        .iter()
        .map(|i| Choice {
            href: links::screening_form(at.id, &i.id),
            title: i.title.clone(),
            population: i.population.clone(),
            setting: i.setting.clone(),
            validated: i.validated,
        })
        .collect();
    render(
        StatusCode::OK,
        &ChoosePage {
            chrome: Some(at.signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client(at.id),
            choices,
        },
    )
}

struct AnswerChoice {
    value: String,
    label: String,
    checked: bool,
}

struct Question {
    field: String,
    text: String,
    /// Radio choices; empty for a typed answer (a date or a short text).
    options: Vec<AnswerChoice>,
    typed: String,
    date: bool,
}

#[derive(Template)]
#[template(path = "staff/screening_form.html")]
struct FormPage {
    chrome: Option<Chrome>,
    name: String,
    action: String,
    back: String,
    instrument_id: String,
    title: String,
    follows: String,
    questions: Vec<Question>,
    problem: Option<String>,
    /// When the draft shown was last saved.
    saved: Option<String>,
}

/// Every item's question with the answers it allows, the posted ones selected.
fn questions(instrument: &Instrument, posted: &BTreeMap<String, String>) -> Vec<Question> {
    instrument
        .items
        .iter()
        .map(|item| {
            let field = format!("{ITEM_FIELD}{}", item.id);
            let given = posted.get(&field).map_or("unknown", String::as_str);
            let choice = |value: &str, label: &str| AnswerChoice {
                value: value.to_owned(),
                label: label.to_owned(),
                checked: given == value,
            };
            let unanswered = [
                choice("declined", "Prefers not to answer"),
                choice("unknown", "Not asked yet, or not known"),
            ];
            let (options, typed, date) = match &item.response {
                Answering::YesNo => (
                    [choice("yes", "Yes"), choice("no", "No")]
                        .into_iter()
                        .chain(unanswered)
                        .collect(),
                    String::new(),
                    false,
                ),
                Answering::Choice { options } => (
                    options
                        .iter()
                        .map(|o| choice(o, &o.replace('-', " ")))
                        .chain(unanswered)
                        .collect(),
                    String::new(),
                    false,
                ),
                // Left blank, a typed answer is "not known".
                Answering::Date => (Vec::new(), typed_value(given), true),
                Answering::Text => (Vec::new(), typed_value(given), false),
            };
            Question {
                field,
                text: item.text.clone(),
                options,
                typed,
                date,
            }
        })
        .collect()
}

fn typed_value(given: &str) -> String {
    if given == "unknown" {
        String::new()
    } else {
        given.to_owned()
    }
}

async fn form_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    instrument: &Instrument,
    posted: Option<&BTreeMap<String, String>>,
    problem: Option<String>,
) -> Response {
    let (caller, zone) = (&signed_in.caller, signed_in.zone());
    let client = match client_to(app, caller, id, Change::Screening, app::Purpose::CaseWork).await {
        Ok(client) => client,
        Err(err) => return page::failure(err),
    };
    // What was just posted, or else the draft saved as it was answered.
    let (answers, saved) = match posted {
        Some(posted) => (posted.clone(), None),
        None => match app.screening_draft(caller, id, &instrument.id).await {
            Ok(Some(draft)) => (
                draft
                    .fields
                    .into_iter()
                    .map(|(item, code)| (format!("{ITEM_FIELD}{item}"), code))
                    .collect(),
                Some(when(zone, draft.saved_at)),
            ),
            Ok(None) => (BTreeMap::new(), None),
            Err(err) => return page::failure(err),
        },
    };
    let status = page::status_for(problem.as_ref());
    render(
        status,
        &FormPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            action: links::of_client(links::SCREENINGS, id),
            back: links::client(id),
            instrument_id: instrument.id.clone(),
            title: instrument.title.clone(),
            follows: instrument.follows.clone(),
            questions: questions(instrument, &answers),
            problem,
            saved,
        },
    )
}

async fn form(at: OnRecord<String>) -> Response {
    let Some(instrument) = instrument(&at.record) else {
        return page::not_found();
    };
    form_page(&at.app, &at.signed_in, at.id, instrument, None, None).await
}

/// Records the screening, or (with `save=draft`) saves it to finish later. Answers left as
/// "not asked yet" are sent as such; the result says whether they could still change it.
async fn record(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    headers: HeaderMap,
    StaffForm { signed_in, form }: StaffForm<BTreeMap<String, String>>,
) -> Response {
    let Some(instrument) = form.get("instrument").and_then(|i| instrument(i)) else {
        return page::failure(app::AppError::Invalid(domain::InvalidInput::new(
            "instrument",
            "is not one of the instruments",
        )));
    };
    let draft = form.get("save").is_some_and(|s| s == "draft");
    let mut codes = BTreeMap::new();
    for (field, value) in &form {
        if field == "instrument" || field == "save" {
            continue;
        }
        let Some(item) = field.strip_prefix(ITEM_FIELD) else {
            return session::bad_form();
        };
        // A typed answer left blank is "not known".
        if !value.trim().is_empty() {
            codes.insert(item.to_owned(), value.trim().to_owned());
        }
    }
    let caller = &signed_in.caller;
    let outcome = if draft {
        app.save_screening_draft(caller, id, &instrument.id, &codes)
            .await
            .map(|_| None)
    } else {
        app.record_screening(caller, id, &instrument.id, &codes, app::Purpose::CaseWork)
            .await
            .map(|(screening, _)| Some(screening))
    };
    match outcome {
        Ok(Some(screening)) => Redirect::to(&links::screening(id, screening)).into_response(),
        // Saved as it was answered, from the page's script: nothing to show.
        Ok(None) if !navigating(&headers) => StatusCode::NO_CONTENT.into_response(),
        Ok(None) => Redirect::to(&links::screening_form(id, &instrument.id)).into_response(),
        // What was chosen stays on the page, with the problem above it.
        Err(app::AppError::Invalid(invalid)) => {
            let problem = format!("The answers could not be saved: {invalid}. Please check them.");
            form_page(&app, &signed_in, id, instrument, Some(&form), Some(problem)).await
        }
        Err(app::AppError::Conflict(why)) if navigating(&headers) => {
            let problem = format!("The answers could not be saved: {why}");
            form_page(&app, &signed_in, id, instrument, Some(&form), Some(problem)).await
        }
        Err(err) => page::failure(err),
    }
}

struct Answered {
    text: String,
    answer: String,
}

#[derive(Template)]
#[template(path = "staff/screening.html")]
struct ResultPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    title: String,
    at: String,
    result: &'static str,
    recommendation: String,
    evidence: Vec<String>,
    validated: bool,
    answers: Vec<Answered>,
}

/// What the published studies found, in words: how many of the people who had been trafficked
/// the screen picked out, and how many of those who had not it cleared.
fn evidence(instrument: &Instrument) -> Vec<String> {
    instrument
        .studies
        .iter()
        .filter_map(|s| {
            let (sensitivity, specificity) = (s.sensitivity?, s.specificity?);
            Some(format!(
                "{}: it picked out {:.0}% of the people who had been trafficked and cleared \
                 {:.0}% of those who had not.",
                s.citation,
                sensitivity * 100.0,
                specificity * 100.0
            ))
        })
        .collect()
}

fn answer_words(code: &str) -> String {
    match code {
        "yes" => "Yes".to_owned(),
        "no" => "No".to_owned(),
        "declined" => "Prefers not to answer".to_owned(),
        "unknown" => "Not asked yet, or not known".to_owned(),
        other => other.replace('-', " "),
    }
}

async fn result(at: OnRecord<ScreeningId>) -> Response {
    let read = at
        .app
        .screenings(&at.signed_in.caller, at.id, app::Purpose::CaseWork);
    let (client, screenings) = match at.client_and(read).await {
        Ok(both) => both,
        Err(failed) => return failed,
    };
    let Some(found) = screenings.into_iter().find(|s| s.id == at.record) else {
        return page::not_found();
    };
    let shipped = instrument(&found.instrument);
    let recommendation = shipped
        .map(|i| match found.result.as_deref() {
            Some("positive") => i.recommendations.positive.clone(),
            Some("negative") => i.recommendations.negative.clone(),
            _ => i.recommendations.incomplete.clone(),
        })
        .unwrap_or_default();
    let answers = match shipped {
        Some(i) => i
            .items
            .iter()
            .map(|item| Answered {
                text: item.text.clone(),
                answer: answer_words(
                    found
                        .answers
                        .get(&item.id)
                        .map_or("unknown", String::as_str),
                ),
            })
            .collect(),
        None => found
            .answers
            .iter()
            .map(|(item, code)| Answered {
                text: item.clone(),
                answer: answer_words(code),
            })
            .collect(),
    };
    render(
        StatusCode::OK,
        &ResultPage {
            chrome: Some(at.signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client_section(at.id, "screenings"),
            title: title(&found.instrument),
            at: when(at.signed_in.zone(), found.created_at),
            result: result_words(found.result.as_deref()),
            recommendation,
            evidence: shipped.map(evidence).unwrap_or_default(),
            validated: shipped.is_some_and(|i| i.validated),
            answers,
        },
    )
}
