//! A client's service plan (`/app/clients/{id}/plan`): the goals they chose, in their words, the
//! steps towards each (who takes it, by when, where it stands), and the reviews of the plan with
//! them. Forms set a goal with its first step, add a step, mark one done or dropped (or open it
//! again), and record a review; a refused form comes back as typed with the problem beside its box.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use domain::case::{format_date, parse_case_date};
use domain::needs::NeedDomain;
use domain::plan::{GoalStatus, RawGoal, RawGoalStatus, RawReview, RawStep, StepOwner, StepStatus};
use domain::policy::Action;
use domain::{ClientId, GoalId, InvalidInput, PlanStepId};
use serde::Deserialize;

use super::fields::{Fields, all, one, only};
use super::links;
use super::on_client::{CameBack, after};
use super::page::{self, Chrome, Place, RecordId, RecordIds, render};
use super::session::{SignedIn, StaffForm, bad_form};
use super::typed::Typed;

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::PLAN, get(page).post(set_goal))
        .route(links::PLAN_STEPS, post(add_step))
        .route(links::PLAN_STEP, post(move_step))
        .route(links::PLAN_REVIEWS, post(review))
}

/// The form to set a goal, with its first step (left blank: none yet).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoalForm {
    words: String,
    need: String,
    set_on: String,
    step_words: String,
    step_owner: String,
    step_partner: String,
    step_target_on: String,
}

impl GoalForm {
    /// Whether a first step was typed at all.
    fn has_step(&self) -> bool {
        !(self.step_words.trim().is_empty() && self.step_target_on.trim().is_empty())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepForm {
    words: String,
    owner: String,
    partner: String,
    target_on: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoveForm {
    status: String,
}

/// The review form as typed: a `goal` and a `status` for each goal, in order.
#[derive(Debug, Default)]
struct ReviewForm {
    reviewed_on: String,
    note: String,
    next_review_on: String,
    goals: Vec<(String, String)>,
}

const REVIEW_FIELDS: &[&str] = &["reviewed_on", "note", "next_review_on", "goal", "status"];

impl ReviewForm {
    fn read(fields: &Fields) -> Option<Self> {
        let (goals, statuses) = (all(fields, "goal"), all(fields, "status"));
        (only(fields, REVIEW_FIELDS) && goals.len() == statuses.len()).then(|| Self {
            reviewed_on: one(fields, "reviewed_on"),
            note: one(fields, "note"),
            next_review_on: one(fields, "next_review_on"),
            goals: goals.into_iter().zip(statuses).collect(),
        })
    }

    /// The status typed for `goal`, if the form came back with one.
    fn status_of(&self, goal: &str) -> Option<&str> {
        self.goals
            .iter()
            .find(|(g, _)| g == goal)
            .map(|(_, s)| s.as_str())
    }
}

/// The form that came back, with what was typed in it and why it was refused.
enum Returned {
    Nothing,
    Goal(GoalForm, InvalidInput),
    Step(GoalId, StepForm, InvalidInput),
    Move(PlanStepId, InvalidInput),
    Review(ReviewForm, InvalidInput),
}

struct StepLine {
    words: String,
    /// Who takes it: the client, the worker, or the partner by name.
    who: String,
    target_on: String,
    status: &'static str,
    /// Open and past its day.
    overdue: bool,
    /// The moves it may make, for someone who may change the plan.
    moves: Option<MoveFields>,
}

struct MoveFields {
    action: String,
    /// (status, button words)
    choices: Vec<(&'static str, &'static str)>,
    problem: Option<String>,
}

struct GoalLine {
    /// A prefix for the ids of the goal's boxes, unique on the page.
    key: String,
    words: String,
    need: Option<&'static str>,
    status: &'static str,
    status_code: &'static str,
    set_on: String,
    status_on: String,
    steps: Vec<StepLine>,
    add_step: Option<Typed<StepForm>>,
}

struct ReviewLine {
    reviewed_on: String,
    next_review_on: String,
    by: String,
    note: Option<String>,
}

/// A goal in the review form, with the status it is offered at.
struct ReviewGoal {
    id: String,
    words: String,
    status: String,
}

#[derive(Template)]
#[template(path = "staff/plan.html")]
struct PlanPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    review_days: u16,
    review_due_on: Option<String>,
    review_overdue: bool,
    goals: Vec<GoalLine>,
    reviews: Vec<ReviewLine>,
    needs: Vec<(&'static str, &'static str)>,
    owners: Vec<(&'static str, &'static str)>,
    goal_statuses: Vec<(&'static str, &'static str)>,
    partners: Vec<(String, String)>,
    new_goal: Option<Typed<GoalForm>>,
    review: Option<Typed<ReviewForm>>,
    review_goals: Vec<ReviewGoal>,
}

async fn plan_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    returned: Returned,
) -> Response {
    let caller = &signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let reads = &[Action::ReadClient, Action::ReadPlan];
    let (client, standing) = match app.client_standing(caller, id, purpose, reads).await {
        Ok(read) => read,
        Err(err) => return page::failure(err),
    };
    let (plan, partners) = match (
        app.plan(caller, id, purpose).await,
        app.partners(caller).await,
    ) {
        (Ok(plan), Ok(partners)) => (plan, partners),
        (Err(err), _) | (_, Err(err)) => return page::failure(err),
    };
    let may_write = domain::policy::permits(caller.role, standing, Action::WritePlan);
    let zone = signed_in.zone();
    let today_text = zone.day(app.now());
    let today = zone.date(app.now());
    let partner_name = |pid: domain::PartnerId| {
        partners
            .iter()
            .find(|p| p.id == pid)
            .map_or_else(|| "A partner".to_owned(), |p| p.name.clone())
    };
    let failed = !matches!(returned, Returned::Nothing);
    let mut returned = returned;
    let goals = plan
        .goals
        .iter()
        .map(|goal| {
            let steps = goal
                .steps
                .iter()
                .map(|step| {
                    let moves = may_write.then(|| MoveFields {
                        action: links::of_client_record(links::PLAN_STEP, id, "{step}", step.id),
                        choices: moves_from(step.status),
                        problem: match &returned {
                            Returned::Move(at, problem) if *at == step.id => {
                                Some(problem.to_string())
                            }
                            _ => None,
                        },
                    });
                    StepLine {
                        words: step.words.clone(),
                        who: match (step.owner, step.partner) {
                            (StepOwner::Partner, Some(pid)) => partner_name(pid),
                            (owner, _) => owner.label().to_owned(),
                        },
                        target_on: format_date(step.target_on),
                        status: step.status.label(),
                        overdue: step.status == StepStatus::Open && step.target_on < today,
                        moves,
                    }
                })
                .collect();
            let add_step = may_write.then(|| {
                let action = links::of_client_record(links::PLAN_STEPS, id, "{goal}", goal.id);
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::Step(at, typed, problem) if at == goal.id => {
                        Typed::new(action, typed, Some(problem))
                    }
                    other => {
                        returned = other;
                        Typed::new(action, StepForm::default(), None)
                    }
                }
            });
            GoalLine {
                key: goal.id.to_string(),
                words: goal.words.clone(),
                need: goal.need.map(NeedDomain::label),
                status: goal.status.label(),
                status_code: goal.status.as_str(),
                set_on: format_date(goal.set_on),
                status_on: format_date(goal.status_on),
                steps,
                add_step,
            }
        })
        .collect();
    let reviews = plan
        .reviews
        .iter()
        .map(|r| ReviewLine {
            reviewed_on: format_date(r.reviewed_on),
            next_review_on: format_date(r.next_review_on),
            by: r
                .author_name
                .clone()
                .unwrap_or_else(|| "someone".to_owned()),
            note: r.note.clone(),
        })
        .collect();
    let (goal_form, review_form) = match returned {
        Returned::Goal(typed, problem) => (Some((typed, problem)), None),
        Returned::Review(typed, problem) => (None, Some((typed, problem))),
        _ => (None, None),
    };
    let new_goal = may_write.then(|| {
        let action = links::of_client(links::PLAN, id);
        match goal_form {
            Some((typed, problem)) => Typed::new(action, typed, Some(problem)),
            None => {
                let form = GoalForm {
                    set_on: today_text.clone(),
                    ..GoalForm::default()
                };
                Typed::new(action, form, None)
            }
        }
    });
    let review = (may_write && !plan.goals.is_empty()).then(|| {
        let action = links::of_client(links::PLAN_REVIEWS, id);
        match review_form {
            Some((typed, problem)) => Typed::new(action, typed, Some(problem)),
            None => {
                let form = ReviewForm {
                    reviewed_on: today_text.clone(),
                    ..ReviewForm::default()
                };
                Typed::new(action, form, None)
            }
        }
    });
    let review_goals = plan
        .goals
        .iter()
        .map(|g| {
            let id = g.id.to_string();
            let typed = review.as_ref().and_then(|r| r.form.status_of(&id));
            ReviewGoal {
                status: typed.unwrap_or(g.status.as_str()).to_owned(),
                words: g.words.clone(),
                id,
            }
        })
        .collect();
    let status = if failed {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    render(
        status,
        &PlanPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client_section(id, "plan"),
            review_days: app.rules().review_days,
            review_due_on: plan.review_due_on.map(format_date),
            review_overdue: plan.review_due_on.is_some_and(|due| due < today),
            goals,
            reviews,
            needs: NeedDomain::ALL
                .iter()
                .map(|d| (d.as_str(), d.label()))
                .collect(),
            owners: StepOwner::ALL
                .iter()
                .map(|o| (o.as_str(), o.label()))
                .collect(),
            goal_statuses: GoalStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.label()))
                .collect(),
            partners: partners
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect(),
            new_goal,
            review,
            review_goals,
        },
    )
}

/// The moves a step in `status` may make, as buttons: an open one is done or dropped, one done
/// or dropped may be opened again.
fn moves_from(status: StepStatus) -> Vec<(&'static str, &'static str)> {
    match status {
        StepStatus::Open => vec![("done", "Mark done"), ("dropped", "Drop")],
        StepStatus::Done | StepStatus::Dropped => vec![("open", "Open again")],
    }
}

async fn page(at: super::on_client::OnClient) -> Response {
    plan_page(&at.app, &at.signed_in, at.id, Returned::Nothing).await
}

impl CameBack for Returned {
    const PAGE: &'static str = links::PLAN;

    async fn again(self, app: &app::App, signed_in: &SignedIn, id: ClientId) -> Response {
        plan_page(app, signed_in, id, self).await
    }
}

/// A step's boxes as a domain step, named as the API names them.
fn raw_step<'a>(
    words: &'a str,
    owner: &'a str,
    partner: &'a str,
    target_on: &str,
) -> Result<RawStep<'a>, InvalidInput> {
    Ok(RawStep {
        words,
        owner,
        partner: Some(partner),
        target_on: parse_case_date("steps.target_on", target_on)?,
    })
}

async fn set_goal(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<GoalForm>,
) -> Response {
    let parsed = (|| {
        let mut steps = Vec::new();
        if form.has_step() {
            let f = &form;
            steps.push(raw_step(
                &f.step_words,
                &f.step_owner,
                &f.step_partner,
                &f.step_target_on,
            )?);
        }
        RawGoal {
            words: &form.words,
            need: Some(&form.need),
            set_on: parse_case_date("set_on", &form.set_on)?,
            steps,
        }
        .parse(app.now())
    })();
    let done = page::acted(parsed, async |goal| {
        app.set_goal(&signed_in.caller, id, goal, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| Returned::Goal(form, p)).await
}

async fn add_step(
    State(app): State<app::App>,
    RecordIds(id, goal): RecordIds<ClientId, GoalId>,
    StaffForm { signed_in, form }: StaffForm<StepForm>,
) -> Response {
    let parsed = raw_step(&form.words, &form.owner, &form.partner, &form.target_on)
        .and_then(|raw| raw.parse());
    let done = page::acted(parsed, async |step| {
        app.add_step(&signed_in.caller, id, goal, step, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| {
        Returned::Step(goal, form, p)
    })
    .await
}

async fn move_step(
    State(app): State<app::App>,
    RecordIds(id, step): RecordIds<ClientId, PlanStepId>,
    StaffForm { signed_in, form }: StaffForm<MoveForm>,
) -> Response {
    let done = page::acted(StepStatus::parse(&form.status), async |to| {
        app.update_step(&signed_in.caller, id, step, to, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| Returned::Move(step, p)).await
}

async fn review(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<Fields>,
) -> Response {
    let Some(form) = ReviewForm::read(&form) else {
        return bad_form();
    };
    let parsed = (|| {
        let next_review_on = match form.next_review_on.trim() {
            "" => None,
            day => Some(parse_case_date("next_review_on", day)?),
        };
        RawReview {
            reviewed_on: parse_case_date("reviewed_on", &form.reviewed_on)?,
            note: Some(&form.note),
            goals: form
                .goals
                .iter()
                .map(|(goal, status)| RawGoalStatus { goal, status })
                .collect(),
            next_review_on,
        }
        .parse(app.rules().review_days, app.now())
    })();
    let done = page::acted(parsed, async |review| {
        app.review_plan(&signed_in.caller, id, review, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| Returned::Review(form, p)).await
}
