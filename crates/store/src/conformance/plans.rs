//! The service plan: goals, the steps towards them and reviews, each with sealed words.

use domain::{ClientId, GoalId, PartnerId, PlanReviewId, PlanStepId, UserId};
use rand::Rng;

use crate::rows::{GoalRow, PlanReviewRow, PlanStepRow, ServicePlanRow};

use super::*;

/// Gives `client` a plan started on 2026-05-28 with one goal, a step the client takes and one a
/// partner takes (when there is one), and a review, each with something sealed.
pub(super) async fn add_plan(
    tx: &mut crate::Tx,
    client: ClientId,
    by: UserId,
    partner: Option<PartnerId>,
    rng: &mut impl Rng,
) {
    tx.start_plan(&plan(client, "2026-05-28", "2026-08-26"))
        .await
        .unwrap();
    let goal = goal(client, by, rng.r#gen(), "2026-05-28");
    tx.insert_goal(&goal).await.unwrap();
    tx.insert_plan_step(&step(&goal, rng.r#gen(), "2026-06-15", None))
        .await
        .unwrap();
    if partner.is_some() {
        tx.insert_plan_step(&step(&goal, rng.r#gen(), "2026-06-01", partner))
            .await
            .unwrap();
    }
    tx.insert_plan_review(&review(client, by, rng.r#gen(), "2026-06-20", "2026-09-18"))
        .await
        .unwrap();
}

fn plan(client: ClientId, started_on: &str, review_due_on: &str) -> ServicePlanRow {
    ServicePlanRow {
        client_id: client,
        started_on: started_on.to_owned(),
        review_due_on: review_due_on.to_owned(),
    }
}

fn goal(client: ClientId, by: UserId, id: [u8; 16], set_on: &str) -> GoalRow {
    GoalRow {
        id: GoalId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: T0,
        set_on: set_on.to_owned(),
        need: Some("housing".into()),
        words: Some(vec![id[0]; 24]),
        status: "active".into(),
        status_on: set_on.to_owned(),
    }
}

fn step(goal: &GoalRow, id: [u8; 16], target_on: &str, partner: Option<PartnerId>) -> PlanStepRow {
    PlanStepRow {
        id: PlanStepId::from_random(id),
        goal_id: goal.id,
        client_id: goal.client_id,
        author: goal.author.clone(),
        created_at: T0,
        words: Some(vec![id[0]; 18]),
        owner: if partner.is_some() {
            "partner"
        } else {
            "client"
        }
        .into(),
        partner_id: partner,
        target_on: target_on.to_owned(),
        status: "open".into(),
        status_at: T0,
    }
}

fn review(client: ClientId, by: UserId, id: [u8; 16], on: &str, next: &str) -> PlanReviewRow {
    PlanReviewRow {
        id: PlanReviewId::from_random(id),
        client_id: client,
        author: Actor::User(by).encode(),
        created_at: T0.plus_days(20),
        reviewed_on: on.to_owned(),
        next_review_on: next.to_owned(),
        note: Some(vec![id[0]; 30]),
    }
}

/// A plan starts once (a second start leaves its days as they were); its goals read back in the
/// order set, its steps by target day, its reviews newest first, each field as written; a review
/// moves the next one's day; a step's and a goal's status change with their day; erasure wipes
/// every word and keeps the coded facts.
pub async fn a_plan_keeps_its_goals_steps_and_reviews_and_erasure_wipes_their_words(
    h: &impl Harness,
) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let seeded = tx.plan_of(c.id).await.unwrap();
    assert_eq!(seeded.plan, Some(plan(c.id, "2026-05-28", "2026-09-18")));
    assert_eq!((seeded.goals.len(), seeded.steps.len()), (1, 2));
    assert_eq!(seeded.steps[0].owner, "partner", "the earlier target first");
    assert!(seeded.steps[0].partner_id.is_some());

    tx.start_plan(&plan(c.id, "2026-07-01", "2026-10-01"))
        .await
        .unwrap();
    let later = goal(c.id, b.id, [41; 16], "2026-07-01");
    tx.insert_goal(&later).await.unwrap();
    let step_of_later = step(&later, [42; 16], "2026-07-10", None);
    tx.insert_plan_step(&step_of_later).await.unwrap();
    let newest = review(c.id, a.id, [43; 16], "2026-09-01", "2026-11-30");
    tx.insert_plan_review(&newest).await.unwrap();
    tx.set_step_status(c.id, step_of_later.id, "done", T0.plus_days(40))
        .await
        .unwrap();
    tx.set_goal_status(c.id, later.id, "achieved", "2026-09-01")
        .await
        .unwrap();
    // Another client's id moves nothing.
    let nobody = ClientId::from_random([44; 16]);
    tx.set_goal_status(nobody, seeded.goals[0].id, "set-aside", "2026-09-01")
        .await
        .unwrap();

    let read = tx.plan_of(c.id).await.unwrap();
    assert_eq!(
        read.plan,
        Some(plan(c.id, "2026-05-28", "2026-11-30")),
        "started once; the next review is the newest review's"
    );
    assert_eq!(read.goals[0], seeded.goals[0], "every field reads back");
    assert_eq!(
        read.goals[1],
        GoalRow {
            status: "achieved".into(),
            status_on: "2026-09-01".into(),
            ..later
        }
    );
    let done = read
        .steps
        .iter()
        .find(|s| s.id == step_of_later.id)
        .unwrap();
    assert_eq!(
        *done,
        PlanStepRow {
            status: "done".into(),
            status_at: T0.plus_days(40),
            ..step_of_later
        }
    );
    let days: Vec<&str> = read
        .reviews
        .iter()
        .map(|r| r.reviewed_on.as_str())
        .collect();
    assert_eq!(days, ["2026-09-01", "2026-06-20"], "newest first");
    assert_eq!(read.reviews[0], newest);
    assert_eq!(
        tx.plan_of(nobody).await.unwrap(),
        crate::rows::PlanRows::default()
    );

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.plan_of(c.id).await.unwrap();
    assert_eq!((erased.goals.len(), erased.steps.len()), (2, 3), "kept");
    assert!(erased.goals.iter().all(|g| g.words.is_none()));
    assert!(erased.steps.iter().all(|s| s.words.is_none()));
    assert!(erased.reviews.iter().all(|r| r.note.is_none()));
    assert_eq!(erased.goals[1].status, "achieved", "the coded facts stay");
    tx.commit().await.unwrap();
}

/// What is due over a caseload: open steps of active goals on or before the day, earliest first,
/// and the plans whose review is due while a goal is still worked on; the worker's own clients
/// only, and for a team lead their members' clients, never a restricted record; an erased
/// client's never.
pub async fn plan_work_due_comes_from_the_caseload_only(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(77);
    let sue = user(&mut rng, "sue", domain::Role::Supervisor);
    let team = domain::TeamId::from_random([7; 16]);
    let mut tx = store.write().await.unwrap();
    tx.insert_user(&sue).await.unwrap();
    assert!(tx.create_team(team, "North", T0).await.unwrap());
    tx.put_team_member(team, sue.id, true).await.unwrap();
    tx.put_team_member(team, a.id, false).await.unwrap();
    // The seed's plan: a partner's step due 2026-06-01, the client's 2026-06-15, the review
    // 2026-09-18. A goal set aside keeps its steps off the list.
    let aside = goal(c.id, a.id, [51; 16], "2026-05-28");
    tx.insert_goal(&GoalRow {
        status: "set-aside".into(),
        ..aside.clone()
    })
    .await
    .unwrap();
    tx.insert_plan_step(&step(&aside, [52; 16], "2026-05-30", None))
        .await
        .unwrap();
    use crate::Caseload::{Led, Own};
    assert_eq!(
        due(&mut tx, a.id, Own, "2026-05-31").await,
        (vec![], vec![])
    );
    assert_eq!(
        due(&mut tx, a.id, Own, "2026-06-15").await,
        (vec!["2026-06-01".into(), "2026-06-15".into()], vec![])
    );
    let all = (
        vec!["2026-06-01".into(), "2026-06-15".into()],
        vec!["2026-09-18".into()],
    );
    assert_eq!(due(&mut tx, a.id, Own, "2026-12-31").await, all);
    assert_eq!(
        due(&mut tx, b.id, Own, "2026-12-31").await,
        (vec![], vec![])
    );
    assert_eq!(
        due(&mut tx, sue.id, Led, "2026-12-31").await,
        all,
        "her team's"
    );
    assert_eq!(
        due(&mut tx, sue.id, Own, "2026-12-31").await,
        (vec![], vec![])
    );
    assert!(tx.set_client_restricted(c.id, true).await.unwrap());
    assert_eq!(
        due(&mut tx, sue.id, Led, "2026-12-31").await,
        (vec![], vec![])
    );
    assert_eq!(
        due(&mut tx, a.id, Own, "2026-12-31").await,
        all,
        "still her own"
    );
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    assert_eq!(
        due(&mut tx, a.id, Own, "2026-12-31").await,
        (vec![], vec![])
    );
    tx.commit().await.unwrap();
}

/// The target days of the steps, and the days of the reviews, due through `through` over `who`'s
/// caseload (`whose`).
async fn due(
    tx: &mut crate::Tx,
    who: UserId,
    whose: crate::Caseload,
    through: &str,
) -> (Vec<String>, Vec<String>) {
    let steps = tx.plan_steps_due((who, whose), through, 10).await.unwrap();
    let reviews = tx
        .plan_reviews_due((who, whose), through, 10)
        .await
        .unwrap();
    (
        steps.into_iter().map(|s| s.target_on).collect(),
        reviews.into_iter().map(|r| r.review_due_on).collect(),
    )
}
