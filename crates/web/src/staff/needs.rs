//! A client's needs (`/app/clients/{id}/needs`): the assessment form, filled in with the latest
//! answers so that a reassessment changes only what changed; beside the questions, what the
//! record already says about them (shown, not asked again); and every assessment before, each
//! with what changed since the one before it. The client's page shows the current needs, the
//! most pressing first (`summary`).

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use domain::case::{format_date, parse_case_date};
use domain::needs::{
    NeedDomain, NeedLevel, NeedsAssessment, RawAnswer, RawAssessment, level_changes,
};
use domain::policy::Action;
use domain::time::ProgramZone;
use domain::{ClientId, InvalidInput, Timestamp};
use serde::Deserialize;

use super::links;
use super::on_client::{CameBack, OnClient, after};
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::records;
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::NEEDS, get(needs).post(assess))
}

/// One domain's boxes as typed.
#[derive(Debug, Default, Clone)]
struct TypedAnswer {
    level: String,
    note: String,
}

/// The form as typed: every box kept as it was, to be shown again beside a problem. Its boxes
/// are named as the problems are (`needs.housing.level`, `needs.housing.note`); any other name
/// is refused like an unknown field.
#[derive(Debug, Default, Deserialize)]
#[serde(try_from = "Vec<(String, String)>")]
pub(crate) struct NeedsForm {
    assessed_on: String,
    note: String,
    answers: BTreeMap<NeedDomain, TypedAnswer>,
}

impl TryFrom<Vec<(String, String)>> for NeedsForm {
    type Error = &'static str;

    fn try_from(fields: Vec<(String, String)>) -> Result<Self, Self::Error> {
        let mut form = NeedsForm::default();
        for (name, value) in fields {
            match name.as_str() {
                "assessed_on" => form.assessed_on = value,
                "note" => form.note = value,
                _ => {
                    let (domain, is_level) = NeedDomain::ALL
                        .into_iter()
                        .find_map(|d| {
                            (name == d.level_field())
                                .then_some((d, true))
                                .or((name == d.note_field()).then_some((d, false)))
                        })
                        .ok_or("a field the needs form does not have")?;
                    let answer = form.answers.entry(domain).or_default();
                    if is_level {
                        answer.level = value;
                    } else {
                        answer.note = value;
                    }
                }
            }
        }
        Ok(form)
    }
}

impl NeedsForm {
    /// A new assessment today (in the worker's zone), filled in with `latest`'s answers, if any.
    fn after(
        latest: Option<&app::NeedsAssessmentView>,
        zone: &ProgramZone,
        now: Timestamp,
    ) -> Self {
        let answers = latest
            .map(|latest| {
                let typed = |a: &app::NeedAnswerView| TypedAnswer {
                    level: a.level.as_str().to_owned(),
                    note: a.note.clone().unwrap_or_default(),
                };
                latest
                    .answers
                    .iter()
                    .map(|a| (a.domain, typed(a)))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            assessed_on: zone.day(now),
            note: String::new(),
            answers,
        }
    }

    fn parse(&self, now: Timestamp) -> Result<NeedsAssessment, InvalidInput> {
        RawAssessment {
            assessed_on: parse_case_date("assessed_on", &self.assessed_on)?,
            answers: self
                .answers
                .iter()
                .map(|(domain, typed)| {
                    let raw = RawAnswer {
                        level: Some(&typed.level),
                        note: Some(&typed.note),
                    };
                    (*domain, raw)
                })
                .collect(),
            note: Some(&self.note),
        }
        .parse(now)
    }
}

/// One level a domain's question offers.
struct LevelChoice {
    value: &'static str,
    label: &'static str,
    checked: bool,
}

/// Something the record already says that a domain's question would ask again: what it is, what
/// it says and where it comes from.
struct Known {
    what: &'static str,
    says: String,
    from: String,
}

/// One domain's question on the form.
struct DomainBox {
    /// The domain's code, for the boxes' ids.
    code: &'static str,
    label: &'static str,
    why: &'static str,
    level_field: &'static str,
    note_field: &'static str,
    levels: Vec<LevelChoice>,
    note: String,
    level_problem: Option<&'static str>,
    note_problem: Option<&'static str>,
    known: Vec<Known>,
}

/// The levels of one assessment, grouped, the most pressing first ("Urgent: Housing, Safety").
pub(crate) struct LevelGroup {
    pub level: &'static str,
    /// `urgent`, `some`, ... (for the page's styling).
    pub code: &'static str,
    pub domains: String,
}

/// A past assessment as the history lists it.
struct HistoryEntry {
    assessed_on: String,
    recorded: String,
    author: String,
    groups: Vec<LevelGroup>,
    /// The notes on single domains, by the domain's label.
    notes: Vec<(&'static str, String)>,
    note: Option<String>,
    /// What changed since the assessment before it; `None` for the first one.
    changes: Option<Vec<String>>,
}

#[derive(Template)]
#[template(path = "staff/needs.html")]
struct NeedsPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    /// The form, for someone who may assess; `None` for a reader only.
    form: Option<FormView>,
    /// The languages the record holds (for an interpreter), shown above the questions.
    languages: Option<String>,
    history: Vec<HistoryEntry>,
}

/// The form on the page.
struct FormView {
    action: String,
    assessed_on: String,
    note: String,
    domains: Vec<DomainBox>,
    /// The problem that kept the assessment from being saved, with the label of what it is about.
    problem: Option<String>,
    date_problem: Option<&'static str>,
    note_problem: Option<&'static str>,
    /// Whether it starts from an earlier assessment's answers.
    reassessment: bool,
}

/// The levels of `assessment` by urgency (what was not asked is left out).
pub(crate) fn groups(assessment: &app::NeedsAssessmentView) -> Vec<LevelGroup> {
    let mut groups: Vec<LevelGroup> = Vec::new();
    for answer in assessment.by_urgency() {
        match groups.last_mut() {
            Some(group) if group.code == answer.level.as_str() => {
                group.domains.push_str(", ");
                group.domains.push_str(answer.domain.label());
            }
            _ => groups.push(LevelGroup {
                level: answer.level.label(),
                code: answer.level.as_str(),
                domains: answer.domain.label().to_owned(),
            }),
        }
    }
    groups
}

/// The client's current needs as their page shows them.
pub(crate) struct NeedsSummary {
    pub assessed_on: String,
    pub groups: Vec<LevelGroup>,
}

/// The summary of the latest assessment, if there is one.
pub(crate) fn summary(latest: Option<&app::NeedsAssessmentView>) -> Option<NeedsSummary> {
    latest.map(|latest| NeedsSummary {
        assessed_on: format_date(latest.assessed_on),
        groups: groups(latest),
    })
}

/// What the record already says that the question about `domain` would ask again.
fn known(domain: NeedDomain, page: &app::NeedsPage, zone: &ProgramZone) -> Vec<Known> {
    if domain != NeedDomain::Safety {
        return Vec::new();
    }
    let flags = &page.client.safety;
    let flag = |what, says: &Option<String>| {
        says.clone().map(|says| Known {
            what,
            says,
            from: "the safety flags".to_owned(),
        })
    };
    let mut known: Vec<Known> = [
        flag("Safe times and ways", &flags.safe_contact),
        flag("Code word", &flags.code_word),
        flag("Never contact through", &flags.do_not_contact),
    ]
    .into_iter()
    .flatten()
    .collect();
    known.extend(page.latest_screening.as_ref().map(|s| Known {
        what: "Latest screening",
        says: records::result_words(s.result.as_deref()).to_owned(),
        from: format!(
            "the {} screening, {}",
            records::title(&s.instrument),
            when(zone, s.created_at)
        ),
    }));
    known
}

/// The form's questions, as typed, each with its problem and what the record already says.
fn domain_boxes(
    form: &NeedsForm,
    problem: Option<&InvalidInput>,
    page: &app::NeedsPage,
    zone: &ProgramZone,
) -> Vec<DomainBox> {
    let problem_for = |field: &str| problem.filter(|p| p.field == field).map(|p| p.problem);
    NeedDomain::ALL
        .into_iter()
        .map(|domain| {
            let typed = form.answers.get(&domain).cloned().unwrap_or_default();
            // A blank level is "not yet asked", and is shown so.
            let chosen = NeedLevel::parse_for(domain, Some(&typed.level)).ok();
            let levels = NeedLevel::ALL
                .iter()
                .map(|level| LevelChoice {
                    value: level.as_str(),
                    label: level.label(),
                    checked: chosen == Some(*level),
                })
                .collect();
            DomainBox {
                code: domain.as_str(),
                label: domain.label(),
                why: domain.why(),
                level_field: domain.level_field(),
                note_field: domain.note_field(),
                levels,
                note: typed.note,
                level_problem: problem_for(domain.level_field()),
                note_problem: problem_for(domain.note_field()),
                known: known(domain, page, zone),
            }
        })
        .collect()
}

/// The history: every assessment, newest first, each with what changed since the one before.
fn history(page: &app::NeedsPage, zone: &ProgramZone) -> Vec<HistoryEntry> {
    let assessments = &page.assessments;
    assessments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let changes = assessments.get(i + 1).map(|before| {
                level_changes(|d| before.level(d), |d| a.level(d))
                    .into_iter()
                    .map(|c| {
                        format!(
                            "{}: {} → {}",
                            c.domain.label(),
                            c.from.label(),
                            c.to.label()
                        )
                    })
                    .collect()
            });
            HistoryEntry {
                assessed_on: format_date(a.assessed_on),
                recorded: when(zone, a.created_at),
                author: a
                    .author_name
                    .clone()
                    .unwrap_or_else(|| "recorded by an administrator".to_owned()),
                groups: groups(a),
                notes: a
                    .answers
                    .iter()
                    .filter_map(|answer| Some((answer.domain.label(), answer.note.clone()?)))
                    .collect(),
                note: a.note.clone(),
                changes,
            }
        })
        .collect()
}

/// The needs page: the form (as typed with its problem, when it came back, else filled in with
/// the latest answers) for someone who may assess, and the history.
async fn needs_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    returned: Option<(NeedsForm, InvalidInput)>,
) -> Response {
    let (caller, zone) = (&signed_in.caller, signed_in.zone());
    let page = match app.needs_page(caller, id, app::Purpose::CaseWork).await {
        Ok(page) => page,
        Err(err) => return page::failure(err),
    };
    let may_assess = domain::policy::permits(caller.role, page.relationship, Action::WriteNeeds);
    let latest = page.assessments.first();
    let (typed, problem) = match returned {
        Some((typed, problem)) => (typed, Some(problem)),
        None => (NeedsForm::after(latest, zone, app.now()), None),
    };
    let status = page::status_for(problem.as_ref());
    let form = may_assess.then(|| {
        let problem_for = |field: &str| {
            problem
                .as_ref()
                .filter(|p| p.field == field)
                .map(|p| p.problem)
        };
        FormView {
            action: links::of_client(links::NEEDS, id),
            domains: domain_boxes(&typed, problem.as_ref(), &page, zone),
            problem: problem.as_ref().map(problem_words),
            date_problem: problem_for("assessed_on"),
            note_problem: problem_for("note"),
            assessed_on: typed.assessed_on.clone(),
            note: typed.note.clone(),
            reassessment: latest.is_some(),
        }
    });
    let languages = (!page.client.languages.is_empty()).then(|| page.client.languages.join(", "));
    render(
        status,
        &NeedsPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            back: links::client_section(id, "needs"),
            form,
            languages,
            history: history(&page, zone),
            name: page.client.preferred_name,
        },
    )
}

/// A problem in words, naming what it is about as the form does ("Housing: the note is too
/// long").
fn problem_words(problem: &InvalidInput) -> String {
    let about = NeedDomain::ALL.into_iter().find_map(|d| {
        if problem.field == d.level_field() {
            Some(format!("{}, the level of need", d.label()))
        } else if problem.field == d.note_field() {
            Some(format!("{}, the note", d.label()))
        } else {
            None
        }
    });
    let about = about.unwrap_or_else(|| match problem.field {
        "assessed_on" => "The day of the assessment".to_owned(),
        "note" => "The note on the whole assessment".to_owned(),
        other => other.to_owned(),
    });
    format!("{about}: {}", problem.problem)
}

async fn needs(at: OnClient) -> Response {
    needs_page(&at.app, &at.signed_in, at.id, None).await
}

async fn assess(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<NeedsForm>,
) -> Response {
    let done = page::acted(form.parse(app.now()), async |assessment| {
        app.assess_needs(&signed_in.caller, id, assessment, app::Purpose::CaseWork)
            .await
    })
    .await;
    // What was typed stays in the boxes, with the problem beside the one it is about.
    after(&app, &signed_in, id, done, |invalid| Some((form, invalid))).await
}

impl CameBack for Option<(NeedsForm, InvalidInput)> {
    const PAGE: &'static str = links::NEEDS;

    async fn again(self, app: &app::App, signed_in: &SignedIn, id: ClientId) -> Response {
        needs_page(app, signed_in, id, self).await
    }
}
