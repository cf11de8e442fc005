//! Staff sign-in against a real database with an injected clock: the second factor is required
//! and cannot be skipped at enrolment (P10), the password policy (P11), the soft lock that never
//! locks anyone out for good (P12), and session expiry and sign-out (P13).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app::signin::SignInError;
use common::{Engine, STAFF_PASSWORD, TestApp, engines};
use crypto::totp::TotpSecret;
use domain::Role;
use domain::signin::NewPassword;

/// Ana, a case manager with a password and a confirmed authenticator.
async fn enrolled(t: &TestApp) -> (domain::UserId, TotpSecret) {
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    (ana.caller.id, secret)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_needs_the_password_and_a_fresh_code() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (id, secret) = enrolled(&t).await;
        t.clock.advance_days(0);
        // The enrolment code was used; a minute later a new one is needed.
        t.clock.advance_minutes(1);
        let code = secret.code(t.unix_seconds());
        assert_eq!(
            t.app
                .sign_in("ana.m", STAFF_PASSWORD, "")
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        assert_eq!(
            t.app
                .sign_in("ana.m", "wrong password here", &code)
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        assert_eq!(
            t.app
                .sign_in("nobody", STAFF_PASSWORD, &code)
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        let session = t
            .app
            .sign_in("ana.m", STAFF_PASSWORD, &code)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.caller.id, id);
        assert_eq!(
            t.app
                .sign_in("ana.m", STAFF_PASSWORD, &code)
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused,
            "a code works once"
        );
        let caller = t.app.session(&session.token).await.unwrap().unwrap().caller;
        assert_eq!(caller.id, id);
        let stored: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert!(
            stored.contains(&"session.start".to_owned())
                && stored.contains(&"session.refused".to_owned())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_confirmed_authenticator_nobody_signs_in() {
    let t = TestApp::start(Engine::Sqlite).await;
    let persona = t.persona("ben.m", Role::Administrator).await;
    t.app
        .set_password(
            persona.caller.id,
            &NewPassword::parse(STAFF_PASSWORD, &[]).unwrap(),
        )
        .await
        .unwrap();
    let secret = t.app.begin_totp(persona.caller.id).await.unwrap();
    // Enrolment is not finished: even the right code does not sign in.
    let code = secret.code(t.unix_seconds());
    assert_eq!(
        t.app
            .sign_in("ben.m", STAFF_PASSWORD, &code)
            .await
            .unwrap()
            .unwrap_err(),
        SignInError::Refused
    );
    let wrong = if code == "123456" { "654321" } else { "123456" };
    assert!(
        !t.app.confirm_totp(persona.caller.id, wrong).await.unwrap(),
        "a wrong code does not confirm"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failures_slow_down_but_the_right_password_works_after_the_wait() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = enrolled(&t).await;
    for _ in 0..5 {
        t.clock.advance_minutes(1);
        let code = secret.code(t.unix_seconds());
        assert_eq!(
            t.app
                .sign_in("ana.m", "not the password", &code)
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
    }
    let code = secret.code(t.unix_seconds());
    assert!(
        matches!(
            t.app.sign_in("ana.m", STAFF_PASSWORD, &code).await.unwrap(),
            Err(SignInError::SlowDown(_))
        ),
        "held back right after the fifth failure"
    );
    t.clock.advance_minutes(2);
    let code = secret.code(t.unix_seconds());
    assert!(
        t.app
            .sign_in("ana.m", STAFF_PASSWORD, &code)
            .await
            .unwrap()
            .is_ok(),
        "the right password works after the wait"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_old_signed_out_or_the_password_changes() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (id, secret) = enrolled(&t).await;
    let sign_in = async || {
        t.clock.advance_minutes(1);
        t.app
            .sign_in("ana.m", STAFF_PASSWORD, &secret.code(t.unix_seconds()))
            .await
            .unwrap()
            .unwrap()
            .token
    };
    let idle = sign_in().await;
    t.clock.advance_minutes(14);
    assert!(
        t.app.session(&idle).await.unwrap().is_some(),
        "14 minutes idle is fine"
    );
    t.clock.advance_minutes(15);
    assert!(
        t.app.session(&idle).await.unwrap().is_none(),
        "15 minutes idle ends it"
    );
    t.clock.advance_minutes(1);
    assert!(
        t.app.session(&idle).await.unwrap().is_none(),
        "and it stays ended"
    );

    let busy = sign_in().await;
    for _ in 0..(12 * 6 - 1) {
        t.clock.advance_minutes(10);
        assert!(t.app.session(&busy).await.unwrap().is_some());
    }
    t.clock.advance_minutes(10);
    assert!(
        t.app.session(&busy).await.unwrap().is_none(),
        "12 hours, however busy"
    );

    let out = sign_in().await;
    t.app.sign_out(&out).await.unwrap();
    assert!(t.app.session(&out).await.unwrap().is_none());

    let a = sign_in().await;
    let b = sign_in().await;
    assert_eq!(t.app.sign_out_everywhere(id).await.unwrap(), 2);
    assert!(
        t.app.session(&a).await.unwrap().is_none() && t.app.session(&b).await.unwrap().is_none()
    );

    let c = sign_in().await;
    t.app
        .set_password(
            id,
            &NewPassword::parse("quiet harbour lamplight morning", &[]).unwrap(),
        )
        .await
        .unwrap();
    assert!(
        t.app.session(&c).await.unwrap().is_none(),
        "a password change ends every session"
    );
}
