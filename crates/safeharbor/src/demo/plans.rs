//! The demo's service plans: made-up goals in a client's words, the steps towards them, and a
//! review. Dated today (the demo's clients are recorded now, and a plan is never dated before
//! its client was recorded).

use app::{App, Caller, Purpose};
use domain::plan::{RawGoal, RawGoalStatus, RawReview, RawStep};
use domain::{ClientId, PartnerId};

/// A made-up goal: its words, the need it answers, and its steps as (words, owner, days from now).
type DemoGoal = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, i64)],
);

const GOALS: &[DemoGoal] = &[
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

/// Sets `GOALS` with `client` today (a partner's step taken by `partner`), marks the first step
/// done and records a review with the client.
pub(super) async fn plan(
    app: &App,
    manager: &Caller,
    client: ClientId,
    partner: PartnerId,
) -> anyhow::Result<()> {
    let today = app.now().date();
    let partner = partner.to_string();
    let mut goals = Vec::new();
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
        goals.push(
            app.set_goal(manager, client, goal, Purpose::CaseWork)
                .await?,
        );
    }
    let plan = app.plan(manager, client, Purpose::CaseWork).await?;
    if let Some(first) = plan.goals.first().and_then(|g| g.steps.first()) {
        let done = domain::plan::StepStatus::Done;
        app.update_step(manager, client, first.id, done, Purpose::CaseWork)
            .await?;
    }
    let goal = goals.first().map(ToString::to_string).unwrap_or_default();
    let review = RawReview {
        reviewed_on: today,
        note: Some("Went through the plan together; she chose to start with the documents."),
        goals: vec![RawGoalStatus {
            goal: &goal,
            status: "active",
        }],
        next_review_on: None,
    }
    .parse(app.rules().review_days, app.now())?;
    app.review_plan(manager, client, review, Purpose::CaseWork)
        .await?;
    Ok(())
}
