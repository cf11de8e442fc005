//! What is due in a caseload: the open steps of clients' plans by their target day, the plans
//! whose review is due, and the follow-ups and six-month outcome reviews of their cases
//! (`closures::Due`), so that a worker sees their work for today and the days ahead, and a team
//! lead what has slipped on the teams they lead. Each line names its client only to someone who
//! may see that client: the caller's own caseload, or the clients of the teams they lead (never a
//! restricted record).

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::plan::StepOwner;
use domain::policy::Action;
use domain::{CaseId, ClientId, PartnerId};
use store::Caseload;

use crate::seal::open_opt;
use crate::{App, AppError, Caller, Purpose, Result};

/// The most lines of each kind one list holds, the earliest due first.
pub const MAX_DUE: i64 = 200;

/// What is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// A step of the client's plan, in its words, and who takes it.
    Step {
        words: String,
        owner: StepOwner,
        partner: Option<PartnerId>,
    },
    /// The review of the client's plan.
    PlanReview,
    /// A follow-up after a case closed, or a six-month outcome review of an open case.
    Case(CaseId, crate::Due),
}

/// One thing due in a caseload, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueWork {
    pub client: ClientId,
    pub client_name: String,
    pub due_on: time::Date,
    pub what: Task,
}

impl App {
    /// What is due in the caller's caseload on or before `through`: open steps of goals still
    /// worked on, plan reviews, follow-ups and six-month reviews; the earliest first. The plan's
    /// and the cases' are each audited as one list, as the caseload is.
    pub async fn work_due(
        &self,
        caller: &Caller,
        through: time::Date,
        purpose: Purpose,
    ) -> Result<Vec<DueWork>> {
        self.grant_role(caller, Action::ListCaseload)?;
        let plans = self.due_in(caller, Caseload::Own, through, purpose).await?;
        let cases = self.due_work(caller, through, purpose).await?;
        Ok(with_cases(plans, cases))
    }

    /// The same for the clients of the teams the caller leads (assigned to someone else there).
    pub async fn team_work_due(
        &self,
        caller: &Caller,
        through: time::Date,
    ) -> Result<Vec<DueWork>> {
        self.grant_role(caller, Action::ListTeamCaseload)?;
        let (whose, purpose) = (Caseload::Led, Purpose::Supervision);
        let plans = self.due_in(caller, whose, through, purpose).await?;
        let cases = self.team_due_work(caller, through).await?;
        Ok(with_cases(plans, cases))
    }

    async fn due_in(
        &self,
        caller: &Caller,
        whose: Caseload,
        through: time::Date,
        purpose: Purpose,
    ) -> Result<Vec<DueWork>> {
        let through = format_date(through);
        let mut tx = self.store().write().await?;
        let steps = tx
            .plan_steps_due((caller.id, whose), &through, MAX_DUE)
            .await?;
        let reviews = tx
            .plan_reviews_due((caller.id, whose), &through, MAX_DUE)
            .await?;
        let mut clients: Vec<ClientId> = steps
            .iter()
            .map(|s| s.client_id)
            .chain(reviews.iter().map(|r| r.client_id))
            .collect();
        clients.sort();
        clients.dedup();
        let lines = tx.client_lines(&clients).await?;
        let actor = Actor::User(caller.id);
        self.audit(
            &mut tx,
            actor,
            AuditAction::PlanDueList,
            None,
            purpose.as_str(),
        )
        .await?;
        tx.commit().await?;
        // Opened once the audit event is durable, outside the transaction.
        let keys = self.client_keys(&clients).await?;
        let mut names = HashMap::new();
        for line in &lines {
            // A client whose key is already gone is being erased: not listed.
            let Some(dek) = keys.get(&line.id) else {
                continue;
            };
            let sealed = line.preferred_name.as_deref();
            let name = open_opt(
                dek,
                "clients",
                "preferred_name",
                &line.id.to_string(),
                sealed,
            )?;
            names.insert(line.id, name.unwrap_or_default());
        }
        let corrupt = |what| AppError::Store(store::StoreError::Corrupt(what));
        let day = |raw: &str| parse_date("day", raw).map_err(|_| corrupt("a plan's day"));
        let mut due = Vec::new();
        for step in steps {
            let (Some(name), Some(dek)) = (names.get(&step.client_id), keys.get(&step.client_id))
            else {
                continue;
            };
            let sealed = step.words.as_deref();
            let words = open_opt(dek, "plan_steps", "words", &step.id.to_string(), sealed)?;
            due.push(DueWork {
                client: step.client_id,
                client_name: name.clone(),
                due_on: day(&step.target_on)?,
                what: Task::Step {
                    words: words.unwrap_or_default(),
                    owner: StepOwner::parse(&step.owner).map_err(|_| corrupt("a step's owner"))?,
                    partner: step.partner_id,
                },
            });
        }
        for review in reviews {
            let Some(name) = names.get(&review.client_id) else {
                continue;
            };
            due.push(DueWork {
                client: review.client_id,
                client_name: name.clone(),
                due_on: day(&review.review_due_on)?,
                what: Task::PlanReview,
            });
        }
        Ok(due)
    }
}

/// The plan's work and the cases' in one list, the earliest due first.
fn with_cases(mut plans: Vec<DueWork>, cases: Vec<crate::DueItem>) -> Vec<DueWork> {
    plans.extend(cases.into_iter().map(|item| DueWork {
        client: item.client,
        client_name: item.client_name,
        due_on: item.due_on,
        what: Task::Case(item.case, item.what),
    }));
    plans.sort_by_key(|work| work.due_on);
    plans
}
