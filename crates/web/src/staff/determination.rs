//! A recorded determination: the outcome of every definition at a glance, what we still need to
//! know, the reasons element by element (folded until opened) and the facts as recorded.

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use domain::DeterminationId;
use domain::legal::{Column, EarliestAct, Explanation, Jurisdiction, Outcome, QUESTIONS, question};

use super::determinations::{
    Before, JURISDICTIONS, actor_name, answer_words, jurisdiction_title, outcome_words, staff_name,
};
use super::links;
use super::on_client::OnRecord;
use super::page::{self, Chrome, Place, render, when};

/// The addresses this page answers.
pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::DETERMINATION, get(result))
}

struct ElementLine {
    depth: usize,
    outcome: &'static str,
    outcome_class: &'static str,
    label: String,
    citation: String,
    facts: Vec<String>,
}

struct RuleView {
    anchor: String,
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
        anchor: format!("rule-{}", rule.id().replace('.', "-")),
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
    let jurisdictions = JURISDICTIONS
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
            at: when(at.signed_in.zone(), found.created_at),
            by,
            jurisdictions,
            information,
            recorded: recorded_columns((&found.worksheet, &recorded.staff, at.signed_in.zone())),
            back: links::client_section(at.id, "determinations"),
            worksheet: links::of_client(links::WORKSHEET, at.id),
        },
    )
}
