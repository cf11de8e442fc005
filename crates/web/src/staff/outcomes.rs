//! A client's outcome assessments (`/app/clients/{id}/outcomes`): the form (the point it is taken
//! at, its day, a score in each of seven domains, each question asked in plain words and each
//! one free to leave unanswered, and a note); the way travelled from intake to the latest
//! assessment in each domain; and every assessment, newest first, none ever replaced.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use domain::case::{format_date, parse_case_date};
use domain::outcome::{OutcomeAssessment, OutcomeDomain, OutcomePoint, OutcomeScore, RawOutcomes};
use domain::policy::Action;
use domain::{ClientId, InvalidInput, Timestamp};
use serde::Deserialize;

use super::links;
use super::on_client::{CameBack, OnClient, after};
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::OUTCOMES, get(outcomes).post(assess))
}

/// The form as typed. Its score boxes are named as the problems are (`outcomes.safety.score`);
/// any other name is refused like an unknown field.
#[derive(Debug, Default, Deserialize)]
#[serde(try_from = "Vec<(String, String)>")]
pub(crate) struct OutcomesForm {
    point: String,
    assessed_on: String,
    note: String,
    scores: BTreeMap<OutcomeDomain, String>,
}

impl TryFrom<Vec<(String, String)>> for OutcomesForm {
    type Error = &'static str;

    fn try_from(fields: Vec<(String, String)>) -> Result<Self, Self::Error> {
        let mut form = OutcomesForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "point" => form.point = value,
                "assessed_on" => form.assessed_on = value,
                "note" => form.note = value,
                _ => {
                    let domain = OutcomeDomain::ALL
                        .into_iter()
                        .find(|d| name == d.score_field())
                        .ok_or("a field the outcomes form does not have")?;
                    form.scores.insert(domain, value);
                }
            }
        }
        Ok(form)
    }
}

impl OutcomesForm {
    fn parse(&self, now: Timestamp) -> Result<OutcomeAssessment, InvalidInput> {
        RawOutcomes {
            point: Some(&self.point),
            assessed_on: parse_case_date("assessed_on", &self.assessed_on)?,
            scores: self
                .scores
                .iter()
                .map(|(d, s)| (*d, Some(s.as_str())))
                .collect(),
            note: Some(&self.note),
        }
        .parse(now)
    }
}

/// One score a domain's question offers.
struct ScoreChoice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

struct DomainBox {
    code: &'static str,
    label: &'static str,
    question: &'static str,
    field: &'static str,
    scores: Vec<ScoreChoice>,
    problem: Option<&'static str>,
}

struct FormView {
    action: String,
    point: String,
    points: Vec<(&'static str, &'static str)>,
    assessed_on: String,
    note: String,
    domains: Vec<DomainBox>,
    problem: Option<String>,
    point_problem: Option<&'static str>,
    date_problem: Option<&'static str>,
    note_problem: Option<&'static str>,
}

/// One domain's way from intake to the latest assessment.
struct ProgressLine {
    label: &'static str,
    intake: &'static str,
    latest: &'static str,
    change: String,
}

struct HistoryEntry {
    point: &'static str,
    assessed_on: String,
    recorded: String,
    author: String,
    scores: Vec<(&'static str, &'static str)>,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/outcomes.html")]
struct OutcomesPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    cases_href: String,
    form: Option<FormView>,
    progress: Vec<ProgressLine>,
    history: Vec<HistoryEntry>,
}

fn domain_boxes(form: &OutcomesForm, problem: Option<&InvalidInput>) -> Vec<DomainBox> {
    OutcomeDomain::ALL
        .into_iter()
        .map(|domain| {
            let typed = form.scores.get(&domain).map(String::as_str);
            let chosen = OutcomeScore::parse_for(domain, typed).ok();
            DomainBox {
                code: domain.as_str(),
                label: domain.label(),
                question: domain.question(),
                field: domain.score_field(),
                scores: OutcomeScore::ALL
                    .iter()
                    .map(|score| ScoreChoice {
                        value: score.as_str(),
                        label: score.label(),
                        checked: chosen == Some(*score),
                    })
                    .collect(),
                problem: problem
                    .filter(|p| p.field == domain.score_field())
                    .map(|p| p.problem),
            }
        })
        .collect()
}

fn change_words(change: Option<i8>) -> String {
    match change {
        None => "not compared (a score is missing)".to_owned(),
        Some(0) => "the same".to_owned(),
        Some(up) if up > 0 => format!("up {up}"),
        Some(down) => format!("down {}", -down),
    }
}

async fn outcomes_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    returned: Option<(OutcomesForm, InvalidInput)>,
) -> Response {
    let (caller, zone, purpose) = (&signed_in.caller, signed_in.zone(), app::Purpose::CaseWork);
    let (client, standing) = match app
        .client_standing(caller, id, purpose, &[Action::ReadClient])
        .await
    {
        Ok(read) => read,
        Err(err) => return page::failure(err),
    };
    let assessments = match app
        .outcomes(caller, id, (app::MAX_OUTCOMES, 0), purpose)
        .await
    {
        Ok(assessments) => assessments,
        Err(err) => return page::failure(err),
    };
    let may_assess = domain::policy::permits(caller.role, standing, Action::WriteOutcomes);
    let (typed, problem) = match returned {
        Some((typed, problem)) => (typed, Some(problem)),
        None => {
            let point = if assessments.is_empty() {
                OutcomePoint::Intake
            } else {
                OutcomePoint::SixMonth
            };
            let form = OutcomesForm {
                point: point.as_str().to_owned(),
                assessed_on: zone.day(app.now()),
                ..OutcomesForm::default()
            };
            (form, None)
        }
    };
    let status = page::status_for(problem.as_ref());
    let problem_for = |field: &str| {
        problem
            .as_ref()
            .filter(|p| p.field == field)
            .map(|p| p.problem)
    };
    let form = may_assess.then(|| FormView {
        action: links::of_client(links::OUTCOMES, id),
        points: OutcomePoint::ALL
            .iter()
            .map(|p| (p.as_str(), p.label()))
            .collect(),
        domains: domain_boxes(&typed, problem.as_ref()),
        problem: problem.as_ref().map(|p| p.to_string()),
        point_problem: problem_for("point"),
        date_problem: problem_for("assessed_on"),
        note_problem: problem_for("note"),
        point: typed.point.clone(),
        assessed_on: typed.assessed_on.clone(),
        note: typed.note.clone(),
    });
    let progress = app::outcomes::progress(&assessments)
        .into_iter()
        .map(|p| ProgressLine {
            label: p.domain.label(),
            intake: p.intake.label(),
            latest: p.latest.label(),
            change: change_words(p.change),
        })
        .collect();
    let history = assessments
        .iter()
        .map(|a| HistoryEntry {
            point: a.point.label(),
            assessed_on: format_date(a.assessed_on),
            recorded: when(zone, a.created_at),
            author: a
                .author_name
                .clone()
                .unwrap_or_else(|| "recorded by an administrator".to_owned()),
            scores: a
                .scores
                .iter()
                .map(|(d, s)| (d.label(), s.label()))
                .collect(),
            note: a.note.clone(),
        })
        .collect();
    render(
        status,
        &OutcomesPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client_section(id, "cases"),
            cases_href: links::of_client(links::CASES, id),
            form,
            progress,
            history,
        },
    )
}

async fn outcomes(at: OnClient) -> Response {
    outcomes_page(&at.app, &at.signed_in, at.id, None).await
}

async fn assess(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<OutcomesForm>,
) -> Response {
    let done = page::acted(form.parse(app.now()), async |assessment| {
        app.assess_outcomes(&signed_in.caller, id, assessment, app::Purpose::CaseWork)
            .await
    })
    .await;
    // What was typed stays in the boxes, with the problem beside the one it is about.
    after(&app, &signed_in, id, done, |invalid| Some((form, invalid))).await
}

impl CameBack for Option<(OutcomesForm, InvalidInput)> {
    const PAGE: &'static str = links::OUTCOMES;

    async fn again(self, app: &app::App, signed_in: &SignedIn, id: ClientId) -> Response {
        outcomes_page(app, signed_in, id, self).await
    }
}
