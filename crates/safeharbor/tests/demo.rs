//! The demo the README starts with `cargo run --release -- demo`: its accounts sign in with what
//! it prints, and its made-up clients and contact requests are there to work with.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{Engine, TestApp, totp_from_base32};
use reqwest::StatusCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_accounts_sign_in_with_what_the_demo_prints() {
    let t = TestApp::start(Engine::Sqlite).await;
    let accounts = safeharbor::demo::seed(&t.app, 5, 2026, |_| ())
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
