//! The demo's service plans: made-up goals in a client's words, the steps towards them, and the
//! reviews with the client, each adding the next step. Dated by the clock the demo holds.

use app::Purpose;
use domain::plan::{RawGoal, RawGoalStatus, RawReview, RawStep, StepStatus};
use time::Date;

use super::acts::{Client, Desk, SHELTER};

/// A made-up goal: its words, the need it answers, and its steps as (words, owner, days after
/// the goal was set), the earliest first.
type DemoGoal = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, i64)],
);

pub(super) const GOALS: &[DemoGoal] = &[
    (
        "A place of my own, with a lock I choose.",
        "housing",
        &[
            (
                "Find my birth certificate for the application.",
                "client",
                10,
            ),
            (
                "Visit the shelter's transitional flats together.",
                "partner",
                14,
            ),
            (
                "Ask the housing authority about the waiting list.",
                "worker",
                21,
            ),
        ],
    ),
    (
        "Work in the mornings, so I can study after.",
        "education-and-work",
        &[
            ("Look at the course list at the library.", "client", 7),
            ("Ask the job centre about morning shifts.", "worker", 30),
        ],
    ),
];

/// The steps added at reviews, towards the first goal, as (words, owner).
pub(super) const NEXT_STEPS: &[(&str, &str)] = &[
    ("Fill in the housing application together.", "worker"),
    (
        "Save for the deposit: put aside a little each week.",
        "client",
    ),
    ("Hold a room until the flat is ready.", "partner"),
    ("Go to the tenancy rights workshop.", "client"),
    ("Call the housing office back about the flat.", "worker"),
];

/// What the reviews say, one after another.
const REVIEW_NOTES: &[&str] = &[
    "Went through the plan together; she chose to start with the documents.",
    "Documents done. Next the housing application; work can wait a little.",
    "Morning shifts found, so that goal is met. Housing is what is left.",
    "Still on the waiting list. Agreed to keep going as we are.",
];

/// Sets `GOALS` with the client (a partner's step taken by the shelter); their steps go in the
/// ledger, by goal, in the order written.
pub(super) async fn set(desk: &Desk<'_>, client: &mut Client) -> anyhow::Result<()> {
    let (app, manager) = (desk.app, desk.manager);
    let today = desk.today();
    let partner = desk.partners[SHELTER].to_string();
    for (words, need, steps) in GOALS {
        let goal = RawGoal {
            words,
            need: Some(need),
            set_on: today,
            steps: steps
                .iter()
                .map(|(words, owner, days)| RawStep {
                    words,
                    owner,
                    partner: (*owner == "partner").then_some(partner.as_str()),
                    target_on: today.saturating_add(time::Duration::days(*days)),
                })
                .collect(),
        }
        .parse(app.now())?;
        let id = client.id()?;
        client
            .goals
            .push(app.set_goal(manager, id, goal, Purpose::CaseWork).await?);
    }
    let plan = app.plan(manager, client.id()?, Purpose::CaseWork).await?;
    // The plan lists steps by target day: the order `GOALS` writes them.
    for goal in &plan.goals {
        client.steps.extend(goal.steps.iter().map(|step| step.id));
    }
    Ok(())
}

/// Adds `NEXT_STEPS[words]` to the first goal, to be taken by `target_on`.
pub(super) async fn add_step(
    desk: &Desk<'_>,
    client: &mut Client,
    (words, target_on): (usize, Date),
) -> anyhow::Result<()> {
    let (words, owner) = NEXT_STEPS
        .get(words)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("no demo step {words}"))?;
    let partner = desk.partners[SHELTER].to_string();
    let step = RawStep {
        words,
        owner,
        partner: (owner == "partner").then_some(partner.as_str()),
        target_on,
    }
    .parse()?;
    let goal = *client
        .goals
        .first()
        .ok_or_else(|| anyhow::anyhow!("a demo step before its plan"))?;
    let id = client.id()?;
    let step = desk
        .app
        .add_step(desk.manager, id, goal, step, Purpose::CaseWork)
        .await?;
    client.steps.push(step);
    Ok(())
}

/// Marks the ledger's `slot`th step done.
pub(super) async fn step_done(desk: &Desk<'_>, client: &Client, slot: usize) -> anyhow::Result<()> {
    let step = *client
        .steps
        .get(slot)
        .ok_or_else(|| anyhow::anyhow!("no demo step in slot {slot}"))?;
    desk.app
        .update_step(
            desk.manager,
            client.id()?,
            step,
            StepStatus::Done,
            Purpose::CaseWork,
        )
        .await?;
    Ok(())
}

/// The `k`th review with the client: the first goal still worked on; the second met from the
/// third review on.
pub(super) async fn review(desk: &Desk<'_>, client: &Client, k: usize) -> anyhow::Result<()> {
    let ids: Vec<String> = client.goals.iter().map(ToString::to_string).collect();
    let goals = ids
        .iter()
        .enumerate()
        .map(|(i, goal)| RawGoalStatus {
            goal,
            status: if i == 1 && k >= 2 {
                "achieved"
            } else {
                "active"
            },
        })
        .collect();
    let review = RawReview {
        reviewed_on: desk.today(),
        note: REVIEW_NOTES.get(k).copied(),
        goals,
        next_review_on: None,
    }
    .parse(desk.app.rules().review_days, desk.app.now())?;
    desk.app
        .review_plan(desk.manager, client.id()?, review, Purpose::CaseWork)
        .await?;
    Ok(())
}
