//! A client's service plan: goals set with them, in their words, the steps towards each, and the
//! reviews of the plan. The words are sealed under the client's key; who takes a step, by when,
//! where each stands and when the next review is due are kept in the clear.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::needs::NeedDomain;
use domain::plan::{GoalStatus, NewGoal, NewReview, NewStep, StepOwner, StepStatus};
use domain::policy::Action;
use domain::{ClientId, GoalId, InvalidInput, PartnerId, PlanReviewId, PlanStepId, Timestamp};
use store::rows::{GoalRow, PlanReviewRow, PlanRows, PlanStepRow, ServicePlanRow};

use crate::client_work::ClientWork;
use crate::notes::actor_names;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const GOALS: &str = "plan_goals";
const STEPS: &str = "plan_steps";
const REVIEWS: &str = "plan_reviews";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub id: PlanStepId,
    pub words: String,
    pub owner: StepOwner,
    /// The partner who takes it, when a partner does.
    pub partner: Option<PartnerId>,
    pub target_on: time::Date,
    pub status: StepStatus,
    /// When it came to stand where it does.
    pub status_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalView {
    pub id: GoalId,
    pub words: String,
    /// The need it answers, if one.
    pub need: Option<NeedDomain>,
    pub set_on: time::Date,
    pub status: GoalStatus,
    /// The day it came to stand where it does.
    pub status_on: time::Date,
    /// Its steps by target day.
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewView {
    pub id: PlanReviewId,
    /// Who recorded it, as recorded ("user:ID").
    pub author: String,
    /// The author's username, when a member of staff recorded it.
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    pub reviewed_on: time::Date,
    pub next_review_on: time::Date,
    pub note: Option<String>,
}

/// A client's whole plan. A client without one has no goals, no reviews and no days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanView {
    /// The day the first goal was set.
    pub started_on: Option<time::Date>,
    /// The day the next review is due.
    pub review_due_on: Option<time::Date>,
    /// In the order they were set.
    pub goals: Vec<GoalView>,
    /// Newest first.
    pub reviews: Vec<ReviewView>,
}

impl App {
    /// Sets a goal with a client, with its first steps. The first goal starts the plan, and its
    /// first review is due the program's days later. A goal set before the client was recorded,
    /// or a step taken by a partner not in the directory, is refused naming its field.
    pub async fn set_goal(
        &self,
        caller: &Caller,
        client: ClientId,
        goal: NewGoal,
        purpose: Purpose,
    ) -> Result<GoalId> {
        let mut work = self
            .client_work(caller, client, &[Action::WritePlan])
            .await?;
        domain::plan::check_after("set_on", goal.set_on, work.grant.row.created_at)?;
        for step in &goal.steps {
            known_partner(&mut work, step).await?;
        }
        let dek = work.key().await?;
        let id = GoalId::from_random(self.entropy().bytes());
        let set_on = format_date(goal.set_on);
        let first_review = domain::plan::first_review_on(goal.set_on, self.rules().review_days);
        work.tx
            .start_plan(&ServicePlanRow {
                client_id: work.grant.client,
                started_on: set_on.clone(),
                review_due_on: format_date(first_review),
            })
            .await?;
        let words = goal.words.as_str();
        work.tx
            .insert_goal(&GoalRow {
                id,
                client_id: work.grant.client,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                set_on: set_on.clone(),
                need: goal.need.map(|need| need.as_str().to_owned()),
                words: Some(seal(self, &dek, GOALS, "words", &id.to_string(), words)),
                status: GoalStatus::Active.as_str().to_owned(),
                status_on: set_on,
            })
            .await?;
        for step in &goal.steps {
            let row = self.step_row(caller, work.grant.client, id, step, &dek);
            work.tx.insert_plan_step(&row).await?;
        }
        work.done(AuditAction::PlanGoalCreate, purpose).await?;
        Ok(id)
    }

    /// Adds a step to one of the client's goals: not one targeted before the goal was set.
    pub async fn add_step(
        &self,
        caller: &Caller,
        client: ClientId,
        goal: GoalId,
        step: NewStep,
        purpose: Purpose,
    ) -> Result<PlanStepId> {
        let mut work = self
            .client_work(caller, client, &[Action::WritePlan])
            .await?;
        let plan = work.tx.plan_of(work.grant.client).await?;
        let set_on = plan
            .goals
            .iter()
            .find(|row| row.id == goal)
            .ok_or(AppError::NotFound)?
            .set_on
            .clone();
        step.check_from(stored_date(&set_on)?)?;
        known_partner(&mut work, &step).await?;
        let dek = work.key().await?;
        let row = self.step_row(caller, work.grant.client, goal, &step, &dek);
        work.tx.insert_plan_step(&row).await?;
        work.done(AuditAction::PlanStepCreate, purpose).await?;
        Ok(row.id)
    }

    /// Records where one of the client's steps stands now (`StepStatus::step_to`).
    pub async fn update_step(
        &self,
        caller: &Caller,
        client: ClientId,
        step: PlanStepId,
        to: StepStatus,
        purpose: Purpose,
    ) -> Result<()> {
        let mut work = self
            .client_work(caller, client, &[Action::WritePlan])
            .await?;
        let plan = work.tx.plan_of(work.grant.client).await?;
        let row = plan
            .steps
            .iter()
            .find(|row| row.id == step)
            .ok_or(AppError::NotFound)?;
        let from = StepStatus::parse(&row.status).map_err(|_| corrupt("a step's status"))?;
        let to = from.step_to(to)?;
        work.tx
            .set_step_status(work.grant.client, step, to.as_str(), self.now())
            .await?;
        work.done(AuditAction::PlanStepUpdate, purpose).await?;
        Ok(())
    }

    /// Records a review of the client's plan: where each goal named now stands (since the day of
    /// the review) and when the next review is due. Refused, naming its field, for a client with
    /// no goal yet, a day before the client was recorded, or a goal that is not theirs.
    pub async fn review_plan(
        &self,
        caller: &Caller,
        client: ClientId,
        review: NewReview,
        purpose: Purpose,
    ) -> Result<PlanReviewId> {
        let mut work = self
            .client_work(caller, client, &[Action::WritePlan])
            .await?;
        domain::plan::check_after("reviewed_on", review.reviewed_on, work.grant.row.created_at)?;
        let plan = work.tx.plan_of(work.grant.client).await?;
        if plan.goals.is_empty() {
            return Err(InvalidInput::new(
                "goals",
                "there is no goal to review yet: set one with the client first",
            )
            .into());
        }
        let reviewed_on = format_date(review.reviewed_on);
        let mut changes = Vec::new();
        for (goal, status) in &review.goals {
            let row = plan
                .goals
                .iter()
                .find(|row| row.id == *goal)
                .ok_or(InvalidInput::new(
                    "goals.goal",
                    "is not one of the client's goals",
                ))?;
            if row.status != status.as_str() {
                changes.push((*goal, *status));
            }
        }
        let dek = work.key().await?;
        let id = PlanReviewId::from_random(self.entropy().bytes());
        let note = review
            .note
            .as_ref()
            .map(|note| seal(self, &dek, REVIEWS, "note", &id.to_string(), note.as_str()));
        work.tx
            .insert_plan_review(&PlanReviewRow {
                id,
                client_id: work.grant.client,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                reviewed_on: reviewed_on.clone(),
                next_review_on: format_date(review.next_review_on),
                note,
            })
            .await?;
        for (goal, status) in changes {
            work.tx
                .set_goal_status(work.grant.client, goal, status.as_str(), &reviewed_on)
                .await?;
        }
        work.done(AuditAction::PlanReview, purpose).await?;
        Ok(id)
    }

    /// The client's whole plan, its words opened.
    pub async fn plan(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<PlanView> {
        let part = (Action::ReadPlan, AuditAction::PlanRead);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.plan_of(client).await?;
            let authors: Vec<String> = rows.reviews.iter().map(|r| r.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            open_plan(&dek, rows, &authors)
        })
        .await
    }

    fn step_row(
        &self,
        caller: &Caller,
        client: ClientId,
        goal: GoalId,
        step: &NewStep,
        dek: &crypto::DataKey,
    ) -> PlanStepRow {
        let id = PlanStepId::from_random(self.entropy().bytes());
        let words = step.words.as_str();
        PlanStepRow {
            id,
            goal_id: goal,
            client_id: client,
            author: Actor::User(caller.id).encode(),
            created_at: self.now(),
            words: Some(seal(self, dek, STEPS, "words", &id.to_string(), words)),
            owner: step.owner.as_str().to_owned(),
            partner_id: step.partner,
            target_on: format_date(step.target_on),
            status: StepStatus::Open.as_str().to_owned(),
            status_at: self.now(),
        }
    }
}

/// Refuses a step taken by a partner who is not in the directory.
async fn known_partner(work: &mut ClientWork<'_>, step: &NewStep) -> Result<()> {
    let Some(partner) = step.partner else {
        return Ok(());
    };
    if work.tx.partner(partner).await?.is_none() {
        return Err(InvalidInput::new("steps.partner", "is not in the directory").into());
    }
    Ok(())
}

fn corrupt(what: &'static str) -> AppError {
    AppError::Store(store::StoreError::Corrupt(what))
}

/// A day we stored (written by us, so a bad one is corruption, not input).
fn stored_date(raw: &str) -> Result<time::Date> {
    parse_date("day", raw).map_err(|_| corrupt("a plan's day"))
}

/// Opens one review of a plan, with its author's name (`actor_names`).
pub(crate) fn open_review(
    dek: &crypto::DataKey,
    row: PlanReviewRow,
    authors: &HashMap<String, Option<String>>,
) -> Result<ReviewView> {
    let id = row.id.to_string();
    Ok(ReviewView {
        note: open_opt(dek, REVIEWS, "note", &id, row.note.as_deref())?,
        reviewed_on: stored_date(&row.reviewed_on)?,
        next_review_on: stored_date(&row.next_review_on)?,
        author_name: authors.get(&row.author).cloned().flatten(),
        author: row.author,
        created_at: row.created_at,
        id: row.id,
    })
}

/// Opens a plan read, with its reviews' authors' names (`actor_names`).
fn open_plan(
    dek: &crypto::DataKey,
    rows: PlanRows,
    authors: &HashMap<String, Option<String>>,
) -> Result<PlanView> {
    let mut steps: HashMap<GoalId, Vec<StepView>> = HashMap::new();
    for row in rows.steps {
        let id = row.id.to_string();
        steps.entry(row.goal_id).or_default().push(StepView {
            words: open_opt(dek, STEPS, "words", &id, row.words.as_deref())?.unwrap_or_default(),
            owner: StepOwner::parse(&row.owner).map_err(|_| corrupt("a step's owner"))?,
            partner: row.partner_id,
            target_on: stored_date(&row.target_on)?,
            status: StepStatus::parse(&row.status).map_err(|_| corrupt("a step's status"))?,
            status_at: row.status_at,
            id: row.id,
        });
    }
    let goals = rows
        .goals
        .into_iter()
        .map(|row| {
            let id = row.id.to_string();
            let need = row.need.as_deref().map(NeedDomain::parse).transpose();
            Ok(GoalView {
                words: open_opt(dek, GOALS, "words", &id, row.words.as_deref())?
                    .unwrap_or_default(),
                need: need.map_err(|_| corrupt("a goal's need"))?,
                set_on: stored_date(&row.set_on)?,
                status: GoalStatus::parse(&row.status).map_err(|_| corrupt("a goal's status"))?,
                status_on: stored_date(&row.status_on)?,
                steps: steps.remove(&row.id).unwrap_or_default(),
                id: row.id,
            })
        })
        .collect::<Result<_>>()?;
    let reviews = rows
        .reviews
        .into_iter()
        .map(|row| open_review(dek, row, authors))
        .collect::<Result<_>>()?;
    let plan = rows.plan;
    Ok(PlanView {
        started_on: plan
            .as_ref()
            .map(|p| stored_date(&p.started_on))
            .transpose()?,
        review_due_on: plan.map(|p| stored_date(&p.review_due_on)).transpose()?,
        goals,
        reviews,
    })
}
