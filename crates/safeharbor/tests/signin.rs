//! Staff sign-in against a real database with an injected clock: the second factor is required
//! and cannot be skipped at enrolment (P10), the password policy (P11), the soft lock that never
//! locks anyone out for good (P12), and session expiry and sign-out (P13).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app::signin::{Proof, SignInError};
use common::{Engine, STAFF_PASSWORD, TestApp, engines};
use crypto::totp::TotpSecret;
use domain::Role;
use domain::signin::NewPassword;

/// A password and code from a browser that has never signed in.
fn proof<'a>(password: &'a str, code: &'a str) -> Proof<'a> {
    Proof {
        password,
        code,
        device: None,
    }
}

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
                .sign_in("ana.m", proof(STAFF_PASSWORD, ""))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        assert_eq!(
            t.app
                .sign_in("ana.m", proof("wrong password here", &code))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        assert_eq!(
            t.app
                .sign_in("nobody", proof(STAFF_PASSWORD, &code))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
        let session = t
            .app
            .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(session.caller.id, id);
        assert_eq!(
            t.app
                .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::CodeUsed,
            "a code works once, and the person whose password was right is told so"
        );
        assert_eq!(
            t.app
                .sign_in("ana.m", proof("wrong password here", &code))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused,
            "without the password a used code is just wrong"
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
            .sign_in("ben.m", proof(STAFF_PASSWORD, &code))
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
                .sign_in("ana.m", proof("not the password", &code))
                .await
                .unwrap()
                .unwrap_err(),
            SignInError::Refused
        );
    }
    let code = secret.code(t.unix_seconds());
    assert!(
        matches!(
            t.app
                .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
                .await
                .unwrap(),
            Err(SignInError::SlowDown(_))
        ),
        "held back right after the fifth failure"
    );
    t.clock.advance_minutes(2);
    let code = secret.code(t.unix_seconds());
    assert!(
        t.app
            .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
            .await
            .unwrap()
            .is_ok(),
        "the right password works after the wait"
    );
}

/// What six wrong passwords in a row get, for `username`, a second apart.
async fn six_wrong_guesses(t: &TestApp, username: &str) -> Vec<String> {
    let mut answers = Vec::new();
    for _ in 0..6 {
        t.clock.advance_seconds(1);
        let answer = t
            .app
            .sign_in(username, proof("a wrong guess at it", "123456"))
            .await
            .unwrap();
        answers.push(match answer {
            Err(SignInError::SlowDown(until)) => format!("slow down, {until}"),
            other => format!("{:?}", other.map(|_| "signed in")),
        });
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_and_unknown_usernames_answer_alike() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        enrolled(&t).await;
        let known = six_wrong_guesses(&t, "ana.m").await;
        // The same minute, so the hold-back times read alike too.
        t.clock.advance_seconds(-6);
        let unknown = six_wrong_guesses(&t, "nobody.here").await;
        assert_eq!(known, unknown, "{engine:?}");
        assert!(
            known[5].starts_with("slow down"),
            "the sixth is held back: {known:?}"
        );
        t.clock.advance_seconds(-6);
        let shouted = six_wrong_guesses(&t, " NOBODY.here ").await;
        assert!(
            shouted.iter().all(|a| a.starts_with("slow down")),
            "a name counts however it is typed: {shouted:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_that_signed_in_before_gets_through_while_guessing_elsewhere_is_held_back() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, secret) = enrolled(&t).await;
        let (_, ben_secret) = t.enrolled("ben.m", Role::CaseManager).await;
        t.clock.advance_minutes(1);
        let code = secret.code(t.unix_seconds());
        let first = t
            .app
            .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
            .await
            .unwrap()
            .unwrap();
        t.clock.advance_minutes(1);
        let ben = t
            .app
            .sign_in(
                "ben.m",
                proof(STAFF_PASSWORD, &ben_secret.code(t.unix_seconds())),
            )
            .await
            .unwrap()
            .unwrap();

        // Someone elsewhere guesses at Ana's password, and is soon held back.
        for _ in 0..4 {
            six_wrong_guesses(&t, "ana.m").await;
        }
        // A new code, well within the minute's hold.
        t.clock.advance_seconds(30);
        let code = secret.code(t.unix_seconds());
        let elsewhere = t
            .app
            .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
            .await
            .unwrap();
        assert!(
            matches!(elsewhere, Err(SignInError::SlowDown(_))),
            "a browser Ana never used is held back, even with the right password: {elsewhere:?}"
        );
        // Ben's browser is known, but not as Ana's: it is held back too.
        let bens_browser = t
            .app
            .sign_in(
                "ana.m",
                Proof {
                    device: Some(&ben.device),
                    ..proof(STAFF_PASSWORD, &code)
                },
            )
            .await
            .unwrap();
        assert!(matches!(bens_browser, Err(SignInError::SlowDown(_))));
        let forged = format!("{}x", first.device);
        let forged = t
            .app
            .sign_in(
                "ana.m",
                Proof {
                    device: Some(&forged),
                    ..proof(STAFF_PASSWORD, &code)
                },
            )
            .await
            .unwrap();
        assert!(matches!(forged, Err(SignInError::SlowDown(_))));

        // Ana, at the browser she signed in from before, gets straight through.
        let again = t
            .app
            .sign_in(
                "ana.m",
                Proof {
                    device: Some(&first.device),
                    ..proof(STAFF_PASSWORD, &code)
                },
            )
            .await
            .unwrap()
            .expect("her own browser is not held back");
        assert_ne!(
            again.device, first.device,
            "a fresh device cookie each time"
        );

        // Guessing from her browser is counted against that browser alone.
        let stolen = Proof {
            device: Some(&again.device),
            ..proof("a wrong guess at it", "123456")
        };
        for _ in 0..5 {
            let wrong = t.app.sign_in("ana.m", stolen).await.unwrap();
            assert_eq!(wrong.unwrap_err(), SignInError::Refused);
        }
        let sixth = t.app.sign_in("ana.m", stolen).await.unwrap();
        assert!(matches!(sixth, Err(SignInError::SlowDown(_))));
        t.clock.advance_minutes(1);
        let code = secret.code(t.unix_seconds());
        let other_browser = Proof {
            device: Some(&first.device),
            ..proof(STAFF_PASSWORD, &code)
        };
        assert!(
            t.app.sign_in("ana.m", other_browser).await.unwrap().is_ok(),
            "her other known browser still gets through"
        );

        // A quiet day later, nothing is held against anyone.
        t.clock.advance_days(1);
        let code = secret.code(t.unix_seconds());
        assert!(
            t.app
                .sign_in("ana.m", proof(STAFF_PASSWORD, &code))
                .await
                .unwrap()
                .is_ok()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_end_when_idle_old_signed_out_or_the_password_changes() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (id, secret) = enrolled(&t).await;
    let sign_in = async || {
        t.clock.advance_minutes(1);
        t.app
            .sign_in(
                "ana.m",
                proof(STAFF_PASSWORD, &secret.code(t.unix_seconds())),
            )
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
