//! Emergency access ("break the glass", P8) and proving again who one is for sensitive pages
//! (P10), over real HTTP with the clock under the test's control: a reason and a fresh proof,
//! read-and-note access that ends after an hour, a supervisor's review of every access, and
//! administration pages that ask again after five minutes.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{STAFF_PASSWORD, TestApp, engines};
use crypto::totp::TotpSecret;
use domain::Role;
use reqwest::StatusCode;

const NOWHERE: &str = "/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";
const REASON: &str =
    "The hospital called at 2 am: she was brought in, and Ana is away until Monday.";

/// A fresh code: the clock moves to the next step first, as a person waits for a new code.
fn code(t: &TestApp, secret: &TotpSecret) -> String {
    t.clock.advance_minutes(1);
    secret.code(t.unix_seconds())
}

/// Posts the emergency form.
async fn break_glass(
    web: &mut Staff<'_>,
    client: &str,
    reason: &str,
    code: &str,
) -> common::staff::Page {
    web.submit(
        "/app/emergency",
        "/app/emergency",
        &[
            ("client", client),
            ("reason", reason),
            ("password", STAFF_PASSWORD),
            ("code", code),
        ],
    )
    .await
}

/// The people of these tests: Ana, a case manager with a client, Rosa; Ben, another case manager;
/// Sue and Tom, supervisors.
struct Cast {
    ben_key: TotpSecret,
    sue_key: TotpSecret,
    tom_key: TotpSecret,
    /// Rosa's page.
    rosa: String,
    /// Rosa's record reference, as the emergency form takes it.
    reference: String,
}

async fn cast(t: &TestApp) -> Cast {
    let (ana, _) = t.enrolled("ana.m", Role::CaseManager).await;
    let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
    let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
    let (_, tom_key) = t.enrolled("tom.s", Role::Supervisor).await;
    let rosa = t.client_page_of(&ana, "Rosa").await;
    let reference = rosa.rsplit('/').next().unwrap().to_owned();
    Cast {
        ben_key,
        sue_key,
        tom_key,
        rosa,
        reference,
    }
}

/// Where the first review form on the review queue posts.
fn review_action(queue: &common::staff::Page) -> String {
    queue
        .form_actions()
        .find(|action| action.starts_with("/app/reviews/"))
        .expect("a review form")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_access_needs_a_reason_and_a_fresh_proof_lasts_an_hour_and_is_reviewed() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let Cast {
            ben_key,
            sue_key,
            tom_key,
            rosa,
            reference,
        } = cast(&t).await;
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let nothing = ben.get(NOWHERE).await;
        assert_eq!(ben.get(&rosa).await.body, nothing.body);
        assert_eq!(ben.get("/app/emergency").await.status, StatusCode::OK);

        // A reason too short, a wrong code, a reference that is not one: nothing is opened.
        let short = break_glass(&mut ben, &reference, "urgent", &code(&t, &ben_key)).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.body.contains(&reference), "the reference is kept");
        let wrong = break_glass(&mut ben, &reference, REASON, "000000").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong.body.contains("The hospital called"),
            "the reason is kept"
        );
        let odd = break_glass(&mut ben, "Rosa", REASON, &code(&t, &ben_key)).await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        let missing = NOWHERE.rsplit('/').next().unwrap();
        let none = break_glass(&mut ben, missing, REASON, &code(&t, &ben_key)).await;
        assert_eq!(none.status, StatusCode::NOT_FOUND);
        assert_eq!(ben.get(&rosa).await.body, nothing.body);

        // With a reason and a fresh proof: an hour to read and add notes, and no more.
        let opened = break_glass(&mut ben, &reference, REASON, &code(&t, &ben_key)).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        assert_eq!(opened.location(), rosa);
        let page = ben.get(&rosa).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("You opened this record in an emergency"));
        assert!(!page.body.contains("Take a screening"));
        let note = ben
            .submit(
                &rosa,
                &format!("{rosa}/notes"),
                &[("text", "Called the hospital.")],
            )
            .await;
        assert_eq!(note.status, StatusCode::SEE_OTHER);
        let screening = ben.get(&format!("{rosa}/screenings/new/qyit-4")).await;
        assert_eq!(screening.body, nothing.body);
        let audit = t.audit().await;
        let granted = audit
            .iter()
            .find(|e| e.action == "client.emergency-access")
            .expect("the access is audited");
        assert_eq!(
            granted.target.as_deref(),
            Some(&*format!("client:{reference}"))
        );

        // Supervisors see it waiting, with the reason; the one who took it cannot review it.
        let not_theirs = ben.get("/app/reviews").await;
        assert_eq!(not_theirs.body, nothing.body, "case managers do not review");
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let queue = sue.get("/app/reviews").await;
        assert!(queue.body.contains("ben.m") && queue.body.contains("The hospital called"));
        let action = review_action(&queue);
        // Sue opens Rosa's record in an emergency too; Tom reviews hers, she cannot.
        let mine = break_glass(&mut sue, &reference, REASON, &code(&t, &sue_key)).await;
        assert_eq!(mine.status, StatusCode::SEE_OTHER);
        let queue = sue.get("/app/reviews").await;
        let own = queue
            .form_actions()
            .find(|a| a.starts_with("/app/reviews/") && *a != action)
            .unwrap()
            .to_owned();
        let refused = sue
            .submit("/app/reviews", &own, &[("outcome", "justified")])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        let reviewed = sue
            .submit("/app/reviews", &action, &[("outcome", "justified")])
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER);
        let mut tom = Staff::new(&t);
        tom.sign_in("tom.s", &tom_key).await;
        let by_tom = tom
            .submit("/app/reviews", &own, &[("outcome", "not-justified")])
            .await;
        assert_eq!(by_tom.status, StatusCode::SEE_OTHER);
        assert!(
            tom.get("/app/reviews")
                .await
                .body
                .contains("Nothing is waiting")
        );
        // Reviewed once only.
        let again = tom
            .submit("/app/reviews", &own, &[("outcome", "justified")])
            .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        // An hour after it was opened, the record is closed to Ben again (his session kept alive).
        assert_eq!(ben.get(&rosa).await.status, StatusCode::OK, "still open");
        for _ in 0..7 {
            t.clock.advance_minutes(10);
            assert_eq!(ben.get("/app/").await.status, StatusCode::OK);
        }
        assert_eq!(ben.get(&rosa).await.body, nothing.body);
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        for action in [
            "emergency.review",
            "emergency.review-list",
            "session.reauthenticate",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administration_asks_again_for_proof_after_five_minutes() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut ada = Staff::new(&t);
    ada.sign_in("ada.admin", &ada_key).await;
    let mut ana = Staff::new(&t);
    ana.sign_in("ana.m", &ana_key).await;
    assert_eq!(ada.get("/app/admin").await.status, StatusCode::OK);

    t.clock.advance_minutes(6);
    for page in ["/app/admin", "/app/admin/teams"] {
        let asked = ada.get(page).await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{page}");
        assert_eq!(asked.location(), format!("/app/reauth?next={page}"));
    }
    // A form sent with an old proof changes nothing and asks for a new one.
    let invite = ada
        .submit("/app/", "/app/admin/invite", &[("role", "outreach")])
        .await;
    assert_eq!(invite.status, StatusCode::SEE_OTHER);
    assert!(invite.location().starts_with("/app/reauth"));
    // For anyone else those pages still do not exist.
    assert_eq!(ana.get("/app/admin").await.status, StatusCode::NOT_FOUND);

    let form = "/app/reauth?next=/app/admin";
    assert_eq!(ada.get(form).await.status, StatusCode::OK);
    let wrong = ada
        .submit(
            form,
            "/app/reauth",
            &[
                ("password", STAFF_PASSWORD),
                ("code", "000000"),
                ("next", "/app/admin"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let fresh = code(&t, &ada_key);
    let proven = ada
        .submit(
            form,
            "/app/reauth",
            &[
                ("password", STAFF_PASSWORD),
                ("code", &fresh),
                ("next", "/app/admin"),
            ],
        )
        .await;
    assert_eq!(proven.status, StatusCode::SEE_OTHER);
    assert_eq!(proven.location(), "/app/admin");
    assert_eq!(ada.get("/app/admin").await.status, StatusCode::OK);

    // Going back only ever leads to our own pages.
    t.clock.advance_minutes(6);
    let fresh = code(&t, &ada_key);
    let elsewhere = ada
        .submit(
            form,
            "/app/reauth",
            &[
                ("password", STAFF_PASSWORD),
                ("code", &fresh),
                ("next", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(elsewhere.location(), "/app/");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_reviews_and_passkey_pages_are_not_found_for_roles_they_are_not_for() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let mut pages = Vec::new();
    for (name, role) in [
        ("ada.admin", Role::Administrator),
        ("dan.analyst", Role::DataAnalyst),
        ("ana.m", Role::CaseManager),
    ] {
        let (_, key) = t.enrolled(name, role).await;
        let mut web = Staff::new(&t);
        web.sign_in(name, &key).await;
        pages.push((name, role, web));
    }
    let nothing = pages[2].2.get(NOWHERE).await;
    for (name, role, web) in &mut pages {
        // Emergency access is for people who do case work; reviews for supervisors; the
        // passkey step for administrators.
        let mut closed = vec!["/app/reviews"];
        if *role != Role::CaseManager {
            closed.push("/app/emergency");
        }
        if *role != Role::Administrator {
            closed.push("/app/passkey");
        }
        for path in closed {
            let page = web.get(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{name} {path}");
            assert_eq!(page.body, nothing.body, "{name} {path}");
        }
    }
    let audit = t.audit().await;
    assert!(audit.iter().all(|e| e.action != "client.emergency-access"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_access_waits_for_the_lead_of_the_holders_team() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let Cast {
            ben_key,
            sue_key,
            tom_key,
            reference,
            ..
        } = cast(&t).await;
        let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
        let mut ada = Staff::new(&t);
        ada.sign_in("ada.admin", &ada_key).await;
        ada.make_team("North", &[("sue.s", true), ("ben.m", false)])
            .await;
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let opened = break_glass(&mut ben, &reference, REASON, &code(&t, &ben_key)).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);

        // Sue leads Ben's team, so his access waits for her. Tom leads no team of Ben's: he does
        // not see it, and cannot review it.
        let mut tom = Staff::new(&t);
        tom.sign_in("tom.s", &tom_key).await;
        assert!(
            tom.get("/app/reviews")
                .await
                .body
                .contains("Nothing is waiting")
        );
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let queue = sue.get("/app/reviews").await;
        assert!(queue.body.contains("ben.m") && queue.body.contains("The hospital called"));
        let action = review_action(&queue);
        let refused = tom
            .submit("/app/reviews", &action, &[("outcome", "justified")])
            .await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        let reviewed = sue
            .submit("/app/reviews", &action, &[("outcome", "justified")])
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER);

        // Sue is on no team she does not lead: her own access waits for every other supervisor.
        let hers = break_glass(&mut sue, &reference, REASON, &code(&t, &sue_key)).await;
        assert_eq!(hers.status, StatusCode::SEE_OTHER);
        let queue = tom.get("/app/reviews").await;
        assert!(queue.body.contains("sue.s"));
        let by_tom = tom
            .submit(
                "/app/reviews",
                &review_action(&queue),
                &[("outcome", "justified")],
            )
            .await;
        assert_eq!(by_tom.status, StatusCode::SEE_OTHER);
    }
}

/// The part of the review queue about the review that posts to `action`.
fn review_of<'a>(queue: &'a common::staff::Page, action: &str) -> &'a str {
    let form = queue
        .body
        .find(&format!(r#"action="{action}""#))
        .expect("the review's form");
    let start = queue.body[..form].rfind("<section").unwrap();
    &queue.body[start..form]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_names_the_client_to_a_reviewer_who_may_see_them_shows_what_was_opened_and_keeps_a_comment()
 {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let Cast {
            ben_key,
            sue_key,
            rosa,
            reference,
            ..
        } = cast(&t).await;
        let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
        let mut ada = Staff::new(&t);
        ada.sign_in("ada.admin", &ada_key).await;
        let (_, add) = ada
            .make_team("North", &[("sue.s", true), ("ben.m", false)])
            .await;
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let opened = break_glass(&mut ben, &reference, REASON, &code(&t, &ben_key)).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        t.clock.advance_minutes(1);
        ben.get(&rosa).await;
        t.clock.advance_minutes(1);
        ben.submit(
            &rosa,
            &format!("{rosa}/notes"),
            &[("text", "Called the hospital.")],
        )
        .await;

        // Sue reviews Ben's access but does not work with Rosa: the reference, never the name.
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let queue = sue.get("/app/reviews").await;
        let action = review_action(&queue);
        let review = review_of(&queue, &action);
        assert!(
            review.contains(&reference) && !review.contains("Rosa"),
            "{review}"
        );
        assert!(review.contains("not a record you can open"));
        // What he opened in his hour, a visit to a line.
        let opened_part = review.split("What they opened").nth(1).unwrap();
        assert!(opened_part.contains("opened the record") && opened_part.contains("added a note"));
        assert_eq!(opened_part.matches("<li>").count(), 3, "{opened_part}");
        let sues = user_id(&t, "sue.s").await;
        let sue_read_rosa = |events: &[store::rows::AuditRow]| {
            events
                .iter()
                .any(|e| e.action == "client.read" && e.actor.ends_with(&sues))
        };
        assert!(!sue_read_rosa(&t.audit().await));

        // Once Ana (Rosa's worker) is on Sue's team, Sue may see Rosa: the name is shown, and
        // that reading is audited. Ben's emergency reads are marked so in the record's log.
        ada.sign_in("ada.admin", &ada_key).await;
        let people = ada.get("/app/admin/teams").await;
        let ana = people.option_value("ana.m");
        ada.submit("/app/admin/teams", &add, &[("user", ana.as_str())])
            .await;
        let queue = sue.get("/app/reviews").await;
        let review = review_of(&queue, &action);
        assert!(review.contains("<dd>Rosa <span"), "{review}");
        assert!(sue_read_rosa(&t.audit().await));
        let log = sue.get(&format!("{rosa}/access?staff=ben.m")).await;
        assert!(
            log.body.contains(r#"<span class="tag">Emergency</span>"#),
            "{}",
            log.body
        );
        assert!(log.body.contains("in an emergency, for case work"));

        // The comment is kept with the review, sealed.
        const COMMENT: &str = "Talked it through with Ben-Canary on Monday.";
        let reviewed = sue
            .submit(
                "/app/reviews",
                &action,
                &[("outcome", "justified"), ("comment", COMMENT)],
            )
            .await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
        use sqlx::Row;
        let kept: Option<Vec<u8>> = sqlx::query(
            "SELECT review_comment FROM emergency_access WHERE reviewed_at IS NOT NULL",
        )
        .fetch_one(t.app.store().pool())
        .await
        .unwrap()
        .try_get("review_comment")
        .unwrap();
        let kept = kept.expect("the comment is kept");
        assert!(
            !String::from_utf8_lossy(&kept).contains("Ben-Canary"),
            "sealed"
        );
        // And shown, opened, under the reviews already made: to Sue, who made it, and to
        // another lead of Ben's team; not to a supervisor who leads none of his teams.
        let (_, una_key) = t.enrolled("una.s", Role::Supervisor).await;
        let (_, vic_key) = t.enrolled("vic.s", Role::Supervisor).await;
        ada.sign_in("ada.admin", &ada_key).await;
        let una_user = ada.get("/app/admin/teams").await.option_value("una.s");
        let lead = ada
            .submit(
                "/app/admin/teams",
                &add,
                &[("user", una_user.as_str()), ("leads", "yes")],
            )
            .await;
        assert_eq!(lead.status, StatusCode::SEE_OTHER, "{}", lead.body);
        let done = |page: &str| {
            page.split("Reviewed in the last 30 days")
                .nth(1)
                .unwrap()
                .to_owned()
        };
        let sues_view = done(&sue.get("/app/reviews").await.body);
        assert!(sues_view.contains(COMMENT), "{sues_view}");
        assert!(sues_view.contains("ben.m") && sues_view.contains("sue.s"));
        assert!(sues_view.contains(&reference));
        let mut una = Staff::new(&t);
        una.sign_in("una.s", &una_key).await;
        assert!(done(&una.get("/app/reviews").await.body).contains(COMMENT));
        let mut vic = Staff::new(&t);
        vic.sign_in("vic.s", &vic_key).await;
        let vics_view = done(&vic.get("/app/reviews").await.body);
        assert!(!vics_view.contains(COMMENT), "{vics_view}");
        assert!(vics_view.contains("No review in the last 30 days"));
        let too_long = sue
            .submit(
                "/app/reviews",
                &action,
                &[("outcome", "justified"), ("comment", &"x".repeat(1001))],
            )
            .await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Nobody signed in, and case workers, have no reviews.
        assert_eq!(
            Staff::new(&t).get("/app/reviews").await.location(),
            "/login"
        );
        assert_eq!(ben.get("/app/reviews").await.status, StatusCode::NOT_FOUND);
    }
}

/// A member of staff's id, as the audit names them after `user:`.
async fn user_id(t: &TestApp, username: &str) -> String {
    let mut reads = t.app.store().read().await.unwrap();
    let user = reads.user_by_username(username).await.unwrap().unwrap();
    user.id.to_string()
}

/// Posts the emergency form naming the person by name and date of birth.
async fn break_glass_for(
    web: &mut Staff<'_>,
    name: &str,
    born: &str,
    code: &str,
) -> common::staff::Page {
    web.submit(
        "/app/emergency",
        "/app/emergency",
        &[
            ("name", name),
            ("date_of_birth", born),
            ("reason", REASON),
            ("password", STAFF_PASSWORD),
            ("code", code),
        ],
    )
    .await
}

/// Records a client for `by` with a legal name and a date of birth; returns their page.
async fn client_born(t: &TestApp, by: &app::Caller, name: &str, legal: &str, born: &str) -> String {
    let raw = domain::client::RawClient {
        preferred_name: name.to_owned(),
        legal_name: Some(legal.to_owned()),
        date_of_birth: Some(born.to_owned()),
        ..Default::default()
    };
    format!("/app/clients/{}", t.recorded(by, raw).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emergency_access_finds_the_one_record_with_that_name_and_date_of_birth() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, _) = t.enrolled("ana.m", Role::CaseManager).await;
        let (sue, _) = t.enrolled("sue.s", Role::Supervisor).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
        let (_, cal_key) = t.enrolled("cal.m", Role::CaseManager).await;
        let rosa = client_born(&t, &ana.caller, "Rosa", "Rosa Marín Example", "2001-04-09").await;
        // Two people share a name and a date of birth: neither opens by them.
        for _ in 0..2 {
            client_born(&t, &ana.caller, "Sam", "Sam Lee", "1990-01-01").await;
        }
        // A restricted record never opens in an emergency, and says no more than a missing one.
        let kept = client_born(&t, &sue.caller, "Noor", "Noor Example", "1985-06-30").await;
        let kept_id: domain::ClientId = kept.rsplit('/').next().unwrap().parse().unwrap();
        t.app
            .set_restricted(&sue.caller, kept_id, true)
            .await
            .unwrap();

        // Ben signs in with the code his app showed a moment ago (the step before the server's),
        // then opens Rosa's record at once with the code it shows now: no wait.
        let mut ben = Staff::new(&t);
        t.clock.advance_minutes(1);
        let earlier = ben_key.code(t.unix_seconds() - 30);
        let signed = ben
            .post(
                "/login",
                &[
                    ("username", "ben.m"),
                    ("password", STAFF_PASSWORD),
                    ("code", &earlier),
                ],
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        let now = ben_key.code(t.unix_seconds());
        let opened = break_glass_for(&mut ben, "rosa marín example", "2001-04-09", &now).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        assert_eq!(opened.location(), rosa);
        assert_eq!(ben.get(&rosa).await.status, StatusCode::OK);

        // The name they use works as well as the legal name.
        let mut cal = Staff::new(&t);
        cal.sign_in("cal.m", &cal_key).await;
        let used = break_glass_for(&mut cal, "Rosa", "2001-04-09", &code(&t, &cal_key)).await;
        assert_eq!(used.location(), rosa, "{}", used.body);

        // The same code again is named as used, with when the next one comes; what was typed
        // is kept, never the password.
        let again = break_glass_for(
            &mut cal,
            "Noor Example",
            "1985-06-30",
            &cal_key.code(t.unix_seconds()),
        )
        .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        assert!(again.body.contains("already used"), "{}", again.body);
        assert!(again.body.contains("The next one comes in about"));
        assert!(again.body.contains(r#"value="Noor Example""#));
        assert!(!again.body.contains(STAFF_PASSWORD));

        // A wrong date, a shared identity and a restricted record read alike, and open nothing.
        let mut answers = Vec::new();
        for (name, born) in [
            ("Rosa", "2001-04-10"),
            ("Sam Lee", "1990-01-01"),
            ("Noor Example", "1985-06-30"),
        ] {
            let refused = break_glass_for(&mut cal, name, born, &code(&t, &cal_key)).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{name}");
            let problem = refused.body.split("role=\"alert\">").nth(1).unwrap();
            answers.push(problem.split("</p>").next().unwrap().to_owned());
        }
        assert!(answers[0].contains("No single record can be opened"));
        assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
        assert_eq!(cal.get(&kept).await.status, StatusCode::NOT_FOUND);

        // Half an identity is not looked for.
        let half = break_glass_for(&mut cal, "Rosa", "", &code(&t, &cal_key)).await;
        assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Every look is audited: the one match names its record, the others name none.
        let looks: Vec<Option<String>> = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "client.emergency-lookup")
            .map(|e| e.target)
            .collect();
        let rosa_target = format!("client:{}", rosa.rsplit('/').next().unwrap());
        assert_eq!(
            looks,
            vec![
                Some(rosa_target.clone()),
                Some(rosa_target),
                None,
                None,
                Some(format!("client:{kept_id}")),
            ]
        );
    }
}
