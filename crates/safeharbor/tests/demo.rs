//! The demo the README starts with `cargo run --release -- demo`: its accounts sign in with what
//! it prints, and its made-up clients, with a year of case work, and contact requests are there
//! to work with.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use app::{Caller, Clock, HeldClock, Purpose};
use common::staff::Staff;
use common::{TestApp, totp_from_base32};
use domain::Timestamp;
use reqwest::StatusCode;

/// A test app on a clock the demo can hold (the test's clock inside), and that clock.
async fn demo_app() -> (TestApp, Arc<HeldClock>) {
    let mut held = None;
    let t = TestApp::start_with_clock(None, Default::default(), |clock| {
        let clock = Arc::new(HeldClock::new(clock));
        held = Some(clock.clone());
        clock as Arc<dyn Clock>
    })
    .await;
    (t, held.expect("the app's clock"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_accounts_sign_in_with_what_the_demo_prints() {
    let (t, clock) = demo_app().await;
    let accounts = safeharbor::demo::seed(&t.app, &clock, 5, 2026, |_| ())
        .await
        .unwrap();
    assert_eq!(accounts.len(), safeharbor::demo::STAFF.len());

    // A newcomer types the code their app shows at once, in the same 30 seconds as the set-up.
    let manager = &accounts[0];
    let secret = totp_from_base32(&manager.authenticator_key);
    let code = secret.code(t.unix_seconds());
    let mut web = Staff::new(&t);
    let signed_in = web
        .post(
            "/login",
            &[
                ("username", manager.username.as_str()),
                ("password", manager.password.as_str()),
                ("code", code.as_str()),
            ],
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );

    // Some clients have a screening and a determination to look at, a contact log, services,
    // needs assessed twice, a service plan with two goals and a review, referrals under
    // releases, one of them withdrawn, outcomes scored, a case closed with follow-ups agreed and
    // one re-opened.
    let audit = t.audit().await;
    let assessed = audit.iter().filter(|e| e.action == "need.create").count();
    assert!(assessed >= 2 && assessed % 2 == 0, "{assessed}");
    let goals = audit
        .iter()
        .filter(|e| e.action == "plan.goal-create")
        .count();
    assert_eq!(goals, assessed, "two goals for each client assessed twice");
    for action in [
        "screening.create",
        "determination.create",
        "contact.create",
        "service.create",
        "partner.create",
        "release.create",
        "referral.send",
        "release.withdraw",
        "plan.step-update",
        "plan.review",
        "outcome.create",
        "case.close",
        "case.reopen",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action}");
    }
    let caseload = web.get("/app/").await;
    assert_eq!(caseload.body.matches("/app/clients/").count() - 1, 5);
    let queue = web.get("/app/requests").await;
    assert_eq!(queue.body.matches(">Claim</button>").count(), 2);

    // The supervisor leads the demo team: their team caseload holds the manager's clients.
    let supervisor = &accounts[2];
    assert_eq!(supervisor.role, domain::Role::Supervisor);
    t.clock.advance_minutes(1);
    let code = totp_from_base32(&supervisor.authenticator_key).code(t.unix_seconds());
    let mut lead = Staff::new(&t);
    lead.post(
        "/login",
        &[
            ("username", supervisor.username.as_str()),
            ("password", supervisor.password.as_str()),
            ("code", code.as_str()),
        ],
    )
    .await;
    let team = lead.get("/app/team").await;
    // One more for the "New client" link.
    assert_eq!(team.body.matches("/app/clients/").count() - 1, 5);

    // The API token it prints works too.
    let api = t
        .http
        .get(t.url("/api/v1/clients?limit=5"))
        .bearer_auth(&manager.api_token)
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::OK);
}

/// The demo's clients came over the last year and were worked with since: the records of the
/// rich years reach back months, each dated between the client's recording and now, and "My
/// work" holds things overdue and things still to come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_holds_a_year_of_case_work_and_work_due_around_today() {
    let (t, clock) = demo_app().await;
    safeharbor::demo::seed(&t.app, &clock, 24, 2026, |_| ())
        .await
        .unwrap();
    let now = t.app.now();
    assert_eq!(now, clock.real_now(), "serving in real time");
    let manager = t
        .app
        .users()
        .await
        .unwrap()
        .into_iter()
        .find(|user| user.username == "demo.casemanager")
        .unwrap();
    let manager = Caller {
        id: manager.id,
        username: manager.username,
        role: manager.role,
    };
    let mut caseload = Vec::new();
    loop {
        let offset = i64::try_from(caseload.len()).unwrap();
        let page = t
            .app
            .caseload(&manager, app::MAX_PAGE, offset, Purpose::CaseWork)
            .await
            .unwrap();
        let more = page.len() == usize::try_from(app::MAX_PAGE).unwrap();
        caseload.extend(page);
        if !more {
            break;
        }
    }
    assert_eq!(caseload.len(), 24);
    let half_a_year_ago = now.plus_days(-183);
    let (mut long, mut recent) = (0, 0);
    let mut longest = 0;
    for client in &caseload {
        let recorded = client.created_at;
        assert!(recorded < now && recorded > now.plus_days(-400));
        let (id, page) = (client.id, (100, 0));
        let notes = t.app.notes(&manager, id, page, Purpose::CaseWork);
        let contacts = t.app.contacts(&manager, id, page, Purpose::CaseWork);
        let services = t.app.services(&manager, id, page, Purpose::CaseWork);
        let mut times: Vec<Timestamp> = notes.await.unwrap().iter().map(|n| n.created_at).collect();
        times.extend(contacts.await.unwrap().iter().map(|c| c.occurred_at));
        let services = services.await.unwrap();
        for service in &services {
            assert!(service.delivered_on >= recorded.date() && service.delivered_on < now.date());
            times.push(service.created_at);
        }
        assert!(
            times.iter().all(|at| *at >= recorded && *at < now),
            "{}: dated between the recording and now",
            client.preferred_name
        );
        longest = longest.max(times.len());
        if times.iter().any(|at| *at < half_a_year_ago) {
            long += 1;
        }
        if recorded > now.plus_days(-60) {
            recent += 1;
        }
    }
    assert!(
        long >= 6,
        "every fourth client has a year behind them: {long}"
    );
    assert!(recent >= 1, "some came lately");
    assert!(longest >= 15, "a long history: {longest} entries");

    let today = now.date();
    let due = t
        .app
        .work_due(&manager, today + time::Duration::days(7), Purpose::CaseWork)
        .await
        .unwrap();
    let overdue = due.iter().filter(|d| d.due_on < today).count();
    let on_the_day = due.iter().filter(|d| d.due_on == today).count();
    let ahead = due.iter().filter(|d| d.due_on > today).count();
    assert!(
        overdue >= 1 && on_the_day >= 1 && ahead >= 1,
        "overdue {overdue}, today {on_the_day}, ahead {ahead}"
    );
}
