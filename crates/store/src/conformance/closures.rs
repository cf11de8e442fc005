//! Closure and outcomes: a case's closures and re-openings, the follow-ups made after one, what is
//! due in a caseload, and outcome assessments with their scores.

use domain::{CaseId, ClientId, Timestamp};

use super::{Harness, T0, closure, contact, follow_up, outcomes, seed};
use crate::Caseload;
use crate::rows::{CaseRow, Reopening};

/// Every closure is kept, the earliest first; a re-opening ends the latest and opens the case
/// again, once; consent to follow-ups is withdrawn once, and only by way of its own client;
/// erasure wipes the note and the way to reach the person and keeps the coded facts.
pub async fn closures_are_kept_and_a_reopening_ends_the_latest(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let case = tx.cases(c.id).await.unwrap().remove(0).id;
    let me = domain::audit::Actor::User(a.id).encode();
    let first = closure(c.id, case, a.id, [1; 16], "2026-07-01");
    assert!(tx.close_case(c.id, case, "2026-07-01").await.unwrap());
    tx.insert_closure(&first).await.unwrap();
    let reopening = Reopening {
        on: "2026-07-10".into(),
        by: me.clone(),
        at: T0.plus_days(1),
    };
    let other = ClientId::from_random([9; 16]);
    assert!(!tx.reopen_case((other, case), &reopening).await.unwrap());
    assert!(tx.reopen_case((c.id, case), &reopening).await.unwrap());
    assert!(
        !tx.reopen_case((c.id, case), &reopening).await.unwrap(),
        "open already"
    );
    assert_eq!(tx.cases(c.id).await.unwrap()[0].closed_on, None);
    let second = closure(c.id, case, a.id, [2; 16], "2026-08-01");
    assert!(tx.close_case(c.id, case, "2026-08-01").await.unwrap());
    tx.insert_closure(&second).await.unwrap();
    let all = tx.closures(c.id).await.unwrap();
    let days: Vec<(&str, Option<&str>)> = all
        .iter()
        .map(|k| {
            (
                k.closed_on.as_str(),
                k.reopened.as_ref().map(|r| r.on.as_str()),
            )
        })
        .collect();
    assert_eq!(
        days,
        [
            ("2026-03-01", Some("2026-06-01")),
            ("2026-07-01", Some("2026-07-10")),
            ("2026-08-01", None),
        ],
        "the seed's, then these two, the earliest first; only the latest stands"
    );
    assert_eq!(all[1].reopened, Some(reopening));
    assert_eq!(all[2], second, "every field reads back");

    assert!(
        !tx.withdraw_follow_ups((other, second.id), &me, T0)
            .await
            .unwrap()
    );
    assert!(
        tx.withdraw_follow_ups((c.id, second.id), &me, T0)
            .await
            .unwrap()
    );
    assert!(
        !tx.withdraw_follow_ups((c.id, second.id), &me, T0)
            .await
            .unwrap(),
        "once"
    );
    let withdrawn = tx.closures(c.id).await.unwrap().remove(2);
    assert_eq!(withdrawn.withdrawn, Some((me, T0)));
    let made = tx.follow_ups(c.id).await.unwrap();
    assert_eq!(made.len(), 1, "the seed's follow-up");
    assert_eq!((made[0].at.as_str(), made[0].reached), ("3-months", false));

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.closures(c.id).await.unwrap();
    assert_eq!(
        erased.len(),
        3,
        "the closures stay, as coded facts of the work"
    );
    assert!(
        erased
            .iter()
            .all(|k| k.note.is_none() && k.reach_how.is_none())
    );
    assert_eq!(erased[2].reason, "goals-met");
    assert_eq!(erased[2].reach_method.as_deref(), Some("text"));
    tx.commit().await.unwrap();
}

/// What is due in a caseload: its open cases, each client's latest six-month review, and the
/// closures whose follow-ups go on with the follow-ups made; nothing of a client outside it, nor
/// of an erased client.
pub async fn follow_ups_and_reviews_due_come_from_the_caseload_only(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, b, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let open = tx.cases(c.id).await.unwrap().remove(0);
    let due = tx.due_rows((a.id, Caseload::Own)).await.unwrap();
    assert_eq!(due.open_cases, [(c.id, open.id, "2026-01-02".to_owned())]);
    assert!(
        due.latest_reviews.is_empty(),
        "an intake score is no review"
    );
    assert!(due.closures.is_empty(), "the seed's closure was re-opened");

    for (id, on) in [([3; 16], "2026-06-01"), ([4; 16], "2026-07-01")] {
        let review = outcomes(c.id, a.id, id, "six-month", on);
        tx.insert_outcome_assessment(&review).await.unwrap();
    }
    let exit = outcomes(c.id, a.id, [5; 16], "exit", "2026-09-01");
    tx.insert_outcome_assessment(&exit).await.unwrap();
    let closed = CaseRow {
        id: CaseId::from_random([6; 16]),
        closed_on: Some("2026-08-01".into()),
        ..open.clone()
    };
    tx.insert_case(&closed).await.unwrap();
    let agreed = closure(c.id, closed.id, a.id, [7; 16], "2026-08-01");
    tx.insert_closure(&agreed).await.unwrap();
    let declined = crate::rows::ClosureRow {
        follow_up: "no".into(),
        reach_method: None,
        reach_how: None,
        ..closure(c.id, closed.id, a.id, [8; 16], "2026-08-01")
    };
    tx.insert_closure(&declined).await.unwrap();
    let reached = contact(c.id, a.id, [9; 16], T0.plus_days(90), true);
    tx.insert_contact(&reached).await.unwrap();
    let made = follow_up(&agreed, "3-months", &reached, [10; 16]);
    tx.insert_follow_up(&made).await.unwrap();

    let due = tx.due_rows((a.id, Caseload::Own)).await.unwrap();
    assert_eq!(due.open_cases.len(), 1);
    assert_eq!(due.latest_reviews, [(c.id, "2026-07-01".to_owned())]);
    assert_eq!(
        due.closures,
        [(c.id, closed.id, agreed.id, "2026-08-01".to_owned())],
        "agreed, not declined"
    );
    assert!(due.made.contains(&(agreed.id, "3-months".to_owned())));
    assert_eq!(
        tx.due_rows((b.id, Caseload::Own)).await.unwrap(),
        crate::rows::DueRows::default(),
        "nothing of a client outside the caseload"
    );
    assert!(
        tx.withdraw_follow_ups((c.id, agreed.id), "user:x", T0)
            .await
            .unwrap()
    );
    let due = tx.due_rows((a.id, Caseload::Own)).await.unwrap();
    assert!(due.closures.is_empty(), "withdrawn: no more follow-ups");
    assert!(tx.erase_client(c.id, T0).await.unwrap());
    assert_eq!(
        tx.due_rows((a.id, Caseload::Own)).await.unwrap(),
        crate::rows::DueRows::default(),
        "nothing of an erased client"
    );
    tx.commit().await.unwrap();
}

/// Outcome assessments list newest first by their day (on one day, the one recorded last), each
/// with its scores in the order of the domains' codes; nothing is replaced; the latest six-month
/// review is found; erasure wipes the notes and keeps the scores.
pub async fn outcome_assessments_are_kept_each_with_its_scores_newest_first(h: &impl Harness) {
    let (store, _) = h.fresh().await;
    let (a, _, c) = seed(&store).await;
    let mut tx = store.write().await.unwrap();
    let at = |days: i64| T0.plus_days(days);
    let mut review = outcomes(c.id, a.id, [1; 16], "six-month", "2026-07-02");
    review.created_at = at(1);
    review.scores.push(("housing-stability".into(), "4".into()));
    let mut exit = outcomes(c.id, a.id, [2; 16], "exit", "2026-07-02");
    exit.created_at = at(2);
    exit.note = None;
    tx.insert_outcome_assessment(&exit).await.unwrap();
    tx.insert_outcome_assessment(&review).await.unwrap();
    let all = tx.outcomes_page(c.id, 10, 0).await.unwrap();
    let listed: Vec<(&str, &str, Timestamp)> = all
        .iter()
        .map(|o| (o.assessed_on.as_str(), o.point.as_str(), o.created_at))
        .collect();
    assert_eq!(
        listed,
        [
            ("2026-07-02", "exit", at(2)),
            ("2026-07-02", "six-month", at(1)),
            ("2026-01-02", "intake", T0),
        ]
    );
    assert_eq!(all[0], exit, "every field reads back");
    let domains: Vec<&str> = all[1].scores.iter().map(|(d, _)| d.as_str()).collect();
    assert_eq!(
        domains,
        ["housing-stability", "safety", "social-support"],
        "in the order of the codes"
    );
    let page = tx.outcomes_page(c.id, 1, 1).await.unwrap();
    assert_eq!(page.len(), 1);
    assert_eq!(page[0].id, review.id);
    assert_eq!(page[0].scores.len(), 3);
    assert_eq!(
        tx.latest_review(c.id).await.unwrap().as_deref(),
        Some("2026-07-02")
    );
    let nobody = ClientId::from_random([9; 16]);
    assert_eq!(tx.latest_review(nobody).await.unwrap(), None);

    assert!(tx.erase_client(c.id, T0).await.unwrap());
    let erased = tx.outcomes_page(c.id, 10, 0).await.unwrap();
    assert_eq!(erased.len(), 3, "the assessments stay, as coded facts");
    assert!(erased.iter().all(|o| o.note.is_none()));
    assert_eq!(erased[1].scores[0].1, "4", "the scores stay");
    tx.commit().await.unwrap();
}
