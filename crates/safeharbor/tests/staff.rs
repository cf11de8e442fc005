//! The staff web application over real HTTP, with cookies handled as a browser would: signing in
//! with password and code, the session cookie's attributes, working a caseload, the forms' defences
//! against other sites (P15), refusals that look like "not found" (P7), and signing out (P13).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{Engine, STAFF_PASSWORD, TestApp, engines, totp_from_base32};
use domain::{ClientId, Role};
use reqwest::StatusCode;
use reqwest::header;

const ROSA: &[(&str, &str)] = &[
    ("preferred_name", "Rosa"),
    ("legal_name", "Rosa Example-Canary"),
    ("date_of_birth", "2001-04-09"),
    ("age_band", ""),
    ("gender", "prefers-not-to-answer"),
    ("languages", "Spanish, English"),
    ("contact", "(555) 555-0142"),
    ("safe_contact", "Text only, weekdays after 6 pm"),
    ("code_word", "blue heron"),
    ("do_not_contact", "Never call the landline"),
];

/// Records Rosa through the intake page; returns her page's path.
async fn record_rosa(staff: &mut Staff<'_>) -> String {
    let created = staff.submit("/app/clients/new", "/app/clients", ROSA).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let path = created.location().to_owned();
    assert!(path.starts_with("/app/clients/"), "{path}");
    path
}

/// Sends `form` to `action` from the page at `page`, which must refuse it (422) saying `problem`;
/// gives the page that comes back, with what was typed.
async fn refused(
    staff: &mut Staff<'_>,
    (page, action): (&str, &str),
    form: &[(&str, &str)],
    problem: &str,
) -> String {
    let refused = staff.submit(page, action, form).await;
    let body = refused.body;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{problem}: {body}"
    );
    assert!(body.contains(problem), "{problem}: {body}");
    body
}

/// Ana, a case manager, signed in, and the path of the page of Rosa, whom she recorded.
async fn ana_with_rosa(t: &TestApp) -> (Staff<'_>, String) {
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = Staff::new(t);
    staff.sign_in("ana.m", &secret).await;
    let rosa = record_rosa(&mut staff).await;
    (staff, rosa)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_worker_signs_in_records_a_client_adds_a_note_and_signs_out() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut staff = Staff::new(&t);

        let login = staff.get("/login").await;
        assert_eq!(login.status, StatusCode::OK);
        assert!(login.body.contains(r#"autocomplete="one-time-code""#));

        t.clock.advance_minutes(1);
        let wrong = staff
            .post(
                "/login",
                &[
                    ("username", "ana.m"),
                    ("password", STAFF_PASSWORD),
                    ("code", "000000"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert!(
            wrong
                .body
                .contains("The username, password or code is not right.")
        );
        assert!(
            staff.cookie.is_none(),
            "no session without the second factor"
        );

        let signed_in = staff.sign_in("ana.m", &secret).await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
        assert_eq!(signed_in.location(), "/app/");
        let set_cookie = signed_in.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(
            set_cookie.starts_with("__Host-safeharbor=sht_"),
            "{set_cookie}"
        );
        for attribute in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
            assert!(
                set_cookie.contains(attribute),
                "{set_cookie} lacks {attribute}"
            );
        }
        assert!(!set_cookie.contains("Domain"), "{set_cookie}");
        let device = signed_in
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|v| v.starts_with("__Host-safeharbor-device=d1."))
            .expect("a device cookie for the browser that signed in (P12)");
        for attribute in [
            "Path=/",
            "Secure",
            "HttpOnly",
            "SameSite=Strict",
            "Max-Age=",
        ] {
            assert!(device.contains(attribute), "{device} lacks {attribute}");
        }

        let caseload = staff.get("/app/").await;
        assert_eq!(caseload.status, StatusCode::OK);
        assert!(caseload.body.contains("No one is in your caseload yet"));
        assert_eq!(caseload.headers[header::CACHE_CONTROL], "no-store");
        let csp = caseload.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"));

        let rosa = record_rosa(&mut staff).await;
        let page = staff.get(&rosa).await;
        assert_eq!(page.status, StatusCode::OK);
        let safety = page.body.find("Before you reach out").unwrap();
        let heading = page.body.find("<h1>Rosa</h1>").unwrap();
        assert!(safety < heading, "safety flags come first");
        for shown in [
            "blue heron",
            "Text only, weekdays after 6 pm",
            "Never call the landline",
        ] {
            assert!(page.body.contains(shown), "{shown}");
        }

        let note = staff
            .submit(
                &rosa,
                &format!("{rosa}/notes"),
                &[("text", "Met at the clinic.\nSafe.")],
            )
            .await;
        assert_eq!(note.status, StatusCode::SEE_OTHER);
        assert_eq!(note.location(), format!("{rosa}#notes"));
        assert!(
            staff
                .get(&rosa)
                .await
                .body
                .contains("Met at the clinic.\nSafe.")
        );

        let caseload = staff.get("/app/").await;
        assert!(
            caseload
                .body
                .contains(&format!(r#"<a href="{rosa}">Rosa</a>"#))
        );

        let out = staff.submit("/app/", "/logout", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(out.location(), "/login");
        assert_eq!(out.headers["clear-site-data"], r#""cache", "storage""#);
        assert!(
            out.headers[header::SET_COOKIE]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        assert!(staff.cookie.is_none());
        assert!(
            staff.device.is_some(),
            "the browser stays known after signing out"
        );

        // The code just used, with the right password: named as used, and nothing opens.
        let again = staff
            .post(
                "/login",
                &[
                    ("username", "ana.m"),
                    ("password", STAFF_PASSWORD),
                    ("code", &secret.code(t.unix_seconds())),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        assert!(
            again.body.contains("That code was already used"),
            "{}",
            again.body
        );
        assert!(staff.cookie.is_none());

        // The old cookie, replayed, no longer opens anything (P13).
        let token = signed_in.headers[header::SET_COOKIE].to_str().unwrap();
        staff.cookie = Some(token.split(';').next().unwrap().to_owned());
        let after = staff.get(&rosa).await;
        assert_eq!(after.status, StatusCode::SEE_OTHER);
        assert_eq!(after.location(), "/login");
        assert!(!after.body.contains("Rosa"));

        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        for expected in [
            "session.start",
            "client.create",
            "client.read",
            "note.create",
            "session.end",
        ] {
            assert!(
                actions.iter().any(|a| a == expected),
                "{expected} in {actions:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_from_other_sites_or_without_the_token_change_nothing() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = Staff::new(&t);
    staff.sign_in("ana.m", &secret).await;
    let csrf = staff.get("/app/clients/new").await.csrf();

    let mut with_token = vec![("csrf", csrf.as_str())];
    with_token.extend_from_slice(ROSA);
    let no_token = staff.post("/app/clients", ROSA).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN);
    let wrong_token = {
        let mut form = vec![("csrf", "not-the-token")];
        form.extend_from_slice(ROSA);
        staff.post("/app/clients", &form).await
    };
    assert_eq!(wrong_token.status, StatusCode::FORBIDDEN);
    // A token that is real, but another session's (another member of staff's browser).
    let (_, bea_secret) = t.enrolled("bea.m", Role::CaseManager).await;
    let mut bea = Staff::new(&t);
    bea.sign_in("bea.m", &bea_secret).await;
    let beas_token = bea.get("/app/clients/new").await.csrf();
    assert_ne!(beas_token, csrf);
    let borrowed_token = {
        let mut form = vec![("csrf", beas_token.as_str())];
        form.extend_from_slice(ROSA);
        staff.post("/app/clients", &form).await
    };
    assert_eq!(borrowed_token.status, StatusCode::FORBIDDEN);
    let other_site = staff
        .post_from("https://evil.example", "/app/clients", &with_token)
        .await;
    assert_eq!(other_site.status, StatusCode::FORBIDDEN);
    let login_from_elsewhere = staff
        .post_from(
            "https://evil.example",
            "/login",
            &[
                ("username", "ana.m"),
                ("password", STAFF_PASSWORD),
                ("code", "1"),
            ],
        )
        .await;
    assert_eq!(login_from_elsewhere.status, StatusCode::FORBIDDEN);
    let unknown_field = {
        let mut form = with_token.clone();
        form.push(("shoe_size", "9"));
        staff.post("/app/clients", &form).await
    };
    assert_eq!(unknown_field.status, StatusCode::BAD_REQUEST);
    for refused in [&no_token, &wrong_token, &other_site, &unknown_field] {
        assert!(refused.body.contains("Nothing was changed"));
        assert!(!refused.body.contains("Rosa"), "nothing typed is echoed");
    }
    let caseload = t
        .app
        .caseload(&ana.caller, 50, 0, app::Purpose::CaseWork)
        .await
        .unwrap();
    assert!(caseload.is_empty(), "no refused form recorded anyone");

    // The same form, from our own page with its token, goes through.
    let accepted = staff.post("/app/clients", &with_token).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn someone_elses_client_looks_exactly_like_nothing() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, ana_secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_secret) = t.enrolled("ben.o", Role::Outreach).await;
        let (_, admin_secret) = t.enrolled("ada.admin", Role::Administrator).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_secret).await;
        let rosa = record_rosa(&mut ana).await;

        let mut ben = Staff::new(&t);
        ben.sign_in("ben.o", &ben_secret).await;
        let nothing = ben
            .get("/app/clients/00000000000000000000000000000000")
            .await;
        let malformed = ben.get("/app/clients/not-an-id").await;
        assert_eq!(nothing.status, StatusCode::NOT_FOUND);
        for path in [rosa.clone(), format!("{rosa}/safety")] {
            let other = ben.get(&path).await;
            assert_eq!(other.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(
                other.body, nothing.body,
                "{path}: refused looks like missing (P7)"
            );
        }
        assert_eq!(malformed.status, nothing.status);
        assert_eq!(malformed.body, nothing.body);
        let note = ben
            .submit("/app/", &format!("{rosa}/notes"), &[("text", "not mine")])
            .await;
        assert_eq!(note.status, StatusCode::NOT_FOUND);
        assert_eq!(note.body, nothing.body);
        let search = ben
            .submit("/app/", "/app/search", &[("name", "Rosa")])
            .await;
        assert!(search.body.contains("No one in your caseload matches."));

        // Administrators run the system but do not read case content (P6).
        let mut admin = Staff::new(&t);
        admin.sign_in("ada.admin", &admin_secret).await;
        let page = admin.get(&rosa).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(page.body, nothing.body);
        for path in [
            rosa.clone(),
            format!("{rosa}/safety"),
            "/app/clients/new".to_owned(),
        ] {
            let page = admin.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(page.body, nothing.body, "{path}");
        }
        let safety = format!("{rosa}/safety");
        let notes = format!("{rosa}/notes");
        let admin_posts: [(&str, &[(&str, &str)]); 4] = [
            ("/app/clients", ROSA),
            ("/app/search", &[("name", "Rosa")]),
            (&notes, &[("text", "an administrator writing")]),
            (
                &safety,
                &[
                    ("safe_contact", "x"),
                    ("code_word", ""),
                    ("do_not_contact", ""),
                ],
            ),
        ];
        for (path, fields) in admin_posts {
            let refused = admin.submit("/app/account", path, fields).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(refused.body, nothing.body, "{path}");
        }
        let other = ben
            .submit(
                "/app/",
                &safety,
                &[
                    ("safe_contact", "x"),
                    ("code_word", ""),
                    ("do_not_contact", ""),
                ],
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        assert_eq!(other.body, nothing.body);
        assert!(
            ana.get(&rosa).await.body.contains("blue heron"),
            "nothing changed"
        );
        let listed = ana.get("/app/").await.body;
        assert_eq!(
            listed.matches("<td><a href=").count(),
            1,
            "the administrator recorded nobody"
        );
        let start = admin.get("/app/").await;
        assert_eq!(start.status, StatusCode::OK);
        assert!(
            start
                .body
                .contains("Client records do not open for your role.")
        );
        assert!(
            !start.body.contains("New client"),
            "no link to what the role cannot do"
        );
        assert!(!start.body.contains("Rosa"));

        let refusals: Vec<String> = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "access.refused")
            .map(|e| e.purpose)
            .collect();
        assert!(refusals.len() >= 3, "refusals are audited: {refusals:?}");
        assert!(
            refusals
                .iter()
                .any(|p| p == "refused:no-standing:read-client"),
            "{refusals:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_session_every_staff_page_sends_you_to_sign_in() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut ana = Staff::new(&t);
    ana.sign_in("ana.m", &secret).await;
    let rosa = record_rosa(&mut ana).await;

    let mut anonymous = Staff::new(&t);
    let request = "/app/requests/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";
    let gets = [
        "/app/",
        "/app/clients/new",
        "/app/account",
        "/app/requests",
        "/app/admin",
        "/app/admin/teams",
        "/app/team",
        "/app/emergency",
        "/app/reviews",
        "/app/reauth",
        "/app/passkey",
        "/app/audit",
        request,
        rosa.as_str(),
    ];
    let safety = format!("{rosa}/safety");
    let notes = format!("{rosa}/notes");
    let screen = format!("{rosa}/screenings/new/qyit-4");
    let screenings = format!("{rosa}/screenings");
    let worksheet = format!("{rosa}/determinations/new");
    let determinations = format!("{rosa}/determinations");
    let (assign, unassign, restrict) = (
        format!("{rosa}/assign"),
        format!("{rosa}/unassign"),
        format!("{rosa}/restrict"),
    );
    let (claim, to_client, close) = (
        format!("{request}/claim"),
        format!("{request}/client"),
        format!("{request}/close"),
    );
    let posts = [
        "/app/search",
        "/app/clients",
        "/logout",
        "/app/account/sign-out-everywhere",
        notes.as_str(),
        safety.as_str(),
        screenings.as_str(),
        "/app/admin/invite",
        claim.as_str(),
        to_client.as_str(),
        close.as_str(),
        determinations.as_str(),
        assign.as_str(),
        unassign.as_str(),
        restrict.as_str(),
        "/app/admin/teams",
        "/app/emergency",
        "/app/reauth",
        "/app/passkey",
    ];
    let access = format!("{rosa}/access");
    for path in gets.iter().chain([
        &safety.as_str(),
        &screen.as_str(),
        &access.as_str(),
        &worksheet.as_str(),
    ]) {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/login", "{path}");
        assert!(!page.body.contains("Rosa"));
    }
    for path in posts {
        let page = anonymous
            .post(path, &[("csrf", "x"), ("text", "hello")])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/login", "{path}");
    }
    // A made-up cookie is no better than none.
    anonymous.cookie = Some("__Host-safeharbor=sht_made_up".to_owned());
    assert_eq!(anonymous.get("/app/").await.location(), "/login");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_warns_of_a_possible_duplicate_and_keeps_everything_typed() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = Staff::new(&t);
    staff.sign_in("ana.m", &secret).await;
    let first = record_rosa(&mut staff).await;

    let again = staff.submit("/app/clients/new", "/app/clients", ROSA).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again
            .body
            .contains("This may be someone you already work with")
    );
    assert!(again.body.contains(&format!(r#"href="{first}""#)));
    for (_, typed) in ROSA.iter().filter(|(_, v)| !v.is_empty()) {
        if *typed == "prefers-not-to-answer" {
            assert!(
                again
                    .body
                    .contains(r#"value="prefers-not-to-answer" selected"#)
            );
        } else {
            assert!(again.body.contains(typed), "{typed} is kept");
        }
    }
    let mut anyway = ROSA.to_vec();
    anyway.push(("different_person", "yes"));
    let created = staff
        .submit("/app/clients/new", "/app/clients", &anyway)
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    assert_ne!(created.location(), first);

    // Bad input: a clear message, the form as typed, nothing recorded.
    let mut bad = ROSA.to_vec();
    bad[2] = ("date_of_birth", "2001-02-30");
    let refused = staff.submit("/app/clients/new", "/app/clients", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("date_of_birth"), "{}", refused.body);
    assert!(refused.body.contains("blue heron"));
    let listed = staff
        .get("/app/")
        .await
        .body
        .matches("<td><a href=\"/app/clients/")
        .count();
    assert_eq!(listed, 2);

    // Only the name used is needed; everything else may be left unanswered.
    let minimal = staff
        .submit(
            "/app/clients/new",
            "/app/clients",
            &[("preferred_name", "Mar")],
        )
        .await;
    assert_eq!(minimal.status, StatusCode::SEE_OTHER);
    let page = staff.get(minimal.location()).await;
    assert!(page.body.contains("No safety flags are recorded"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_and_safety_flags_that_cannot_be_saved_stay_on_the_page() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = Staff::new(&t);
    staff.sign_in("ana.m", &secret).await;
    let rosa = record_rosa(&mut staff).await;

    let empty = staff
        .submit(&rosa, &format!("{rosa}/notes"), &[("text", "   ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("must not be empty"));
    let long = "word ".repeat(5_000);
    let too_long = staff
        .submit(&rosa, &format!("{rosa}/notes"), &[("text", &long)])
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.body.contains(long.trim()), "the draft is kept");
    // A kind not on the list: the words and the choice come back.
    let odd_kind = staff
        .submit(
            &rosa,
            &format!("{rosa}/notes"),
            &[("text", "Kept as typed"), ("kind", "gossip")],
        )
        .await;
    assert_eq!(odd_kind.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd_kind.body.contains("kind: must be one of"));
    assert!(odd_kind.body.contains("Kept as typed"));
    assert!(
        staff
            .get(&rosa)
            .await
            .body
            .contains("Nothing is recorded yet.")
    );

    // A safety note: the kind chosen is shown with it; one without a kind is a case note.
    let legal = staff
        .submit(
            &rosa,
            &format!("{rosa}/notes"),
            &[("text", "Asked about a T visa."), ("kind", "legal")],
        )
        .await;
    assert_eq!(legal.status, StatusCode::SEE_OTHER, "{}", legal.body);
    let plain = staff
        .submit(
            &rosa,
            &format!("{rosa}/notes"),
            &[("text", "Came by for coffee.")],
        )
        .await;
    assert_eq!(plain.status, StatusCode::SEE_OTHER, "{}", plain.body);
    let page = staff.get(&rosa).await.body;
    assert!(page.contains("<strong>Legal note</strong> · "), "{page}");
    assert!(page.contains("<strong>Case note</strong> · "));
    assert!(page.contains("<option value=\"general\" selected>Case note</option>"));

    let safety = format!("{rosa}/safety");
    let form = staff.get(&safety).await;
    assert!(
        form.body.contains("blue heron"),
        "the form shows what is recorded"
    );
    let bad_word = "x".repeat(101);
    let refused = staff
        .submit(
            &safety,
            &safety,
            &[
                ("safe_contact", "Mornings"),
                ("code_word", &bad_word),
                ("do_not_contact", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Mornings"));
    assert!(
        staff.get(&rosa).await.body.contains("blue heron"),
        "nothing changed"
    );

    let saved = staff
        .submit(
            &safety,
            &safety,
            &[
                ("safe_contact", "Mornings only"),
                ("code_word", ""),
                ("do_not_contact", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = staff.get(&rosa).await.body;
    assert!(page.contains("Mornings only") && !page.contains("blue heron"));
    let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "client.safety-update"));
}

/// Records a Zuri for `by` directly, a minute after the last client, with a legal name and a date
/// of birth when given.
async fn zuri(
    t: &TestApp,
    by: &common::Persona,
    legal: Option<&str>,
    born: Option<&str>,
) -> ClientId {
    t.clock.advance_minutes(1);
    let raw = domain::client::RawClient {
        preferred_name: "Zuri".to_owned(),
        legal_name: legal.map(str::to_owned),
        date_of_birth: born.map(str::to_owned),
        ..Default::default()
    };
    t.recorded(&by.caller, raw).await
}

/// The client pages a caseload page links to, in order.
fn listed(body: &str) -> Vec<String> {
    body.split(r#"<a href="/app/clients/"#)
        .skip(1)
        .filter_map(|rest| rest.get(..36)?.parse::<ClientId>().ok())
        .map(|id| format!("/app/clients/{id}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_finds_clients_by_part_of_a_name_and_tells_them_apart() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let ben = t.persona("ben.m", Role::CaseManager).await;
        t.app
            .add_program(
                &domain::case::ProgramCode::parse("drop-in").unwrap(),
                &domain::case::ProgramName::parse("Drop-in").unwrap(),
            )
            .await
            .unwrap();
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let rosa = record_rosa(&mut staff).await;
        let plain = zuri(&t, &ana, None, None).await;
        let teen = zuri(&t, &ana, Some("Zuri Okafor"), Some("2010-03-15")).await;
        let noted = zuri(&t, &ana, Some("Zuri Adeyemi"), Some("1999-11-02")).await;
        let bens = zuri(&t, &ben, None, None).await;
        t.app
            .add_note(
                &ana.caller,
                noted,
                domain::note::NoteText::parse("Met at the clinic.").unwrap(),
                app::Purpose::CaseWork,
            )
            .await
            .unwrap();
        t.app
            .open_case(
                &ana.caller,
                teen,
                app::NewCase {
                    program: domain::case::ProgramCode::parse("drop-in").unwrap(),
                    dates: domain::case::CaseDates::new(t.app.now().date(), None).unwrap(),
                },
                app::Purpose::CaseWork,
            )
            .await
            .unwrap();

        // Any part of a name or legal name, in any case and without accents, finds them.
        for typed in ["Zu", "zURI", "uri", "okaf"] {
            let found = staff
                .submit("/app/", "/app/search", &[("name", typed)])
                .await;
            assert_eq!(found.status, StatusCode::OK, "{typed}");
            let hrefs = listed(&found.body);
            assert!(hrefs.contains(&format!("/app/clients/{teen}")), "{typed}");
            assert!(
                !hrefs.contains(&format!("/app/clients/{bens}")),
                "{typed}: not Ben's"
            );
            assert!(!hrefs.contains(&rosa), "{typed}");
            assert!(
                !found.body.contains(&format!(r#"value="{typed}""#)),
                "{typed}: the search is not repeated back"
            );
        }
        let zus = staff
            .submit("/app/", "/app/search", &[("name", "Zu")])
            .await;
        assert_eq!(listed(&zus.body).len(), 3);
        // What tells the three Zuris apart: legal name, month and year of birth, cases, notes.
        for shown in [
            "(legal name Zuri Okafor)",
            "Born March 2010",
            "Born November 1999",
            "1 open",
            "None yet",
        ] {
            assert!(zus.body.contains(shown), "{shown}");
        }
        let none = staff
            .submit("/app/", "/app/search", &[("name", "Rosita")])
            .await;
        assert!(none.body.contains("No one in your caseload matches."));
        let accented = staff
            .submit("/app/", "/app/search", &[("name", "rosá")])
            .await;
        assert_eq!(listed(&accented.body), vec![rosa.clone()]);

        // Sorted and filtered at an address that holds no name; the filters combine.
        let by_name = staff.get("/app/?sort=name").await;
        let names = listed(&by_name.body);
        assert_eq!(names.first(), Some(&rosa), "Rosa before the Zuris");
        let minors = staff.get("/app/?age=minor").await;
        assert_eq!(listed(&minors.body), vec![format!("/app/clients/{teen}")]);
        let open = staff.get("/app/?case=open&age=adult").await;
        assert!(listed(&open.body).is_empty());
        assert!(
            open.body
                .contains("No one in your caseload fits these choices.")
        );
        let noted_first = staff.get("/app/?sort=last-note").await;
        assert_eq!(
            listed(&noted_first.body).first(),
            Some(&format!("/app/clients/{noted}"))
        );
        let oldest = staff.get("/app/?sort=oldest").await;
        assert_eq!(listed(&oldest.body).first(), Some(&rosa));
        // A sort or filter chosen in the search form without a name goes to that address.
        let chosen = staff
            .submit(
                "/app/",
                "/app/search",
                &[("name", " "), ("sort", "name"), ("age", "minor")],
            )
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER);
        assert_eq!(chosen.location(), "/app/?sort=name&age=minor");
        for bad in ["/app/?sort=secret", "/app/?age=12", "/app/?name=Zuri"] {
            assert_eq!(staff.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
        }
        // Coded values read as words, never as codes.
        let page = staff.get(&rosa).await.body;
        assert!(!page.contains("prefers-not-to-answer"));
        assert!(page.contains("Prefers not to answer"));
        let unknown = staff.get("/app/?age=unknown").await;
        assert_eq!(listed(&unknown.body), vec![format!("/app/clients/{plain}")]);

        // Each look is audited as what it was.
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert!(actions.iter().any(|a| a == "caseload.search"));
        assert!(actions.iter().filter(|a| *a == "caseload.list").count() >= 5);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duplicate_warning_says_why_each_record_matched() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = Staff::new(&t);
    staff.sign_in("ana.m", &secret).await;
    let rosa = record_rosa(&mut staff).await;
    let twin = zuri(&t, &ana, Some("Zuri Okafor"), Some("2001-04-09")).await;
    let warned = staff
        .submit(
            "/app/clients/new",
            "/app/clients",
            &[
                ("preferred_name", "Rosie"),
                ("legal_name", "Rosa Example-Canary"),
                ("date_of_birth", "2001-04-09"),
            ],
        )
        .await;
    assert_eq!(warned.status, StatusCode::OK);
    let body = &warned.body;
    assert!(body.contains("This may be someone you already work with"));
    let rosa_at = body.find(&format!(r#"href="{rosa}""#)).unwrap();
    let twin_at = body
        .find(&format!(r#"href="/app/clients/{twin}""#))
        .unwrap();
    let reason = |from: usize| body[from..].split("</strong>").next().unwrap().to_owned();
    assert!(
        reason(rosa_at).ends_with("Same name and date of birth"),
        "{}",
        reason(rosa_at)
    );
    assert!(
        reason(twin_at).ends_with("Same date of birth"),
        "{}",
        reason(twin_at)
    );
    assert!(body.contains("Born April 2001"));
    assert!(!body.contains("Open that record"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_expire_when_idle_and_sign_out_everywhere_ends_them_all() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut phone = Staff::new(&t);
    let mut desk = Staff::new(&t);
    phone.sign_in("ana.m", &secret).await;
    desk.sign_in("ana.m", &secret).await;
    let account = desk.get("/app/account").await;
    assert_eq!(account.body.matches("<tr><td ").count(), 2);
    assert_eq!(account.body.matches("This browser").count(), 1);

    let out = desk
        .submit("/app/account", "/app/account/sign-out-everywhere", &[])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.headers.contains_key("clear-site-data"));
    assert_eq!(
        phone.get("/app/").await.location(),
        "/login",
        "the other session ended too"
    );

    let mut later = Staff::new(&t);
    later.sign_in("ana.m", &secret).await;
    assert_eq!(later.get("/app/").await.status, StatusCode::OK);
    t.clock.advance_minutes(16);
    let idle = later.get("/app/").await;
    assert_eq!(
        idle.location(),
        "/login",
        "15 minutes idle ends the session"
    );
    assert!(
        later.cookie.is_none(),
        "and the browser is told to drop the cookie"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_administrator_signs_up_through_a_link_that_works_once() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let token = t
            .app
            .first_run_link()
            .await
            .unwrap()
            .expect("a new instance has a link");
        let link = format!("/login/setup/{token}");
        let mut admin = Staff::new(&t);
        let step_one = admin.get(&link).await;
        assert_eq!(step_one.status, StatusCode::OK);
        assert!(step_one.body.contains("Choose a username"));

        let mismatch = admin
            .post(
                &link,
                &[
                    ("username", "ada.admin"),
                    ("password", STAFF_PASSWORD),
                    ("password_again", "other"),
                ],
            )
            .await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(mismatch.body.contains("not the same"));
        assert!(
            mismatch.body.contains(r#"value="ada.admin""#),
            "the username is kept"
        );
        for weak in ["password1234", "short"] {
            let refused = admin
                .post(
                    &link,
                    &[
                        ("username", "ada.admin"),
                        ("password", weak),
                        ("password_again", weak),
                    ],
                )
                .await;
            assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{weak}");
            assert!(
                !refused.body.contains(weak),
                "a refused password is not echoed"
            );
        }
        let elsewhere = admin
            .post_from(
                "https://evil.example",
                &link,
                &[
                    ("username", "ada.admin"),
                    ("password", STAFF_PASSWORD),
                    ("password_again", STAFF_PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            elsewhere.status,
            StatusCode::FORBIDDEN,
            "a sign-up form from another site"
        );
        let unreadable = admin.post(&link, &[("username", "ada.admin")]).await;
        assert_eq!(unreadable.status, StatusCode::BAD_REQUEST);
        assert!(unreadable.body.contains("This form could not be read"));
        assert!(
            t.app.users().await.unwrap().is_empty(),
            "nothing was created yet"
        );

        let step_two = admin
            .post(
                &link,
                &[
                    ("username", "ada.admin"),
                    ("password", STAFF_PASSWORD),
                    ("password_again", STAFF_PASSWORD),
                ],
            )
            .await;
        assert_eq!(step_two.status, StatusCode::OK, "{}", step_two.body);
        assert!(step_two.body.contains("otpauth://totp/"));
        let (_, key) = step_two.body.split_once("<code>").unwrap();
        let key: String = key.split('<').next().unwrap().split_whitespace().collect();
        let users = t.app.users().await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].role, Role::Administrator);
        assert!(
            t.app.first_run_link().await.unwrap().is_none(),
            "only a new instance gets one"
        );

        let confirm = format!("{link}/confirm");
        let wrong = admin.post(&confirm, &[("code", "000000")]).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("did not match") && wrong.body.contains("otpauth://"));
        assert!(admin.cookie.is_none());

        let secret = totp_from_base32(&key);
        let done = admin
            .post(&confirm, &[("code", &secret.code(t.unix_seconds()))])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.location(), "/app/");
        assert!(admin.cookie.is_some(), "signed in at the end of sign-up");
        // An administrator then adds a passkey before anything else opens.
        let first = admin.get("/app/account").await;
        assert_eq!(first.location(), "/app/passkey");
        assert!(
            admin
                .get("/app/passkey")
                .await
                .body
                .contains("Add a passkey")
        );
        assert_eq!(
            admin.passkey("ada.admin").await.status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(admin.get("/app/account").await.status, StatusCode::OK);

        // The link is spent; and the new password and authenticator sign in.
        assert_eq!(admin.get(&link).await.status, StatusCode::NOT_FOUND);
        let mut again = Staff::new(&t);
        assert_eq!(
            again.sign_in("ada.admin", &secret).await.status,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_link_lets_someone_who_lost_their_phone_back_in_and_old_links_expire() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, old_secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut phone = Staff::new(&t);
    phone.sign_in("ana.m", &old_secret).await;

    let expired = t
        .app
        .invite(Some(ana.caller.id), Role::CaseManager)
        .await
        .unwrap();
    t.clock.advance_minutes(app::enrolment::LINK_HOURS * 60 + 1);
    let mut ana_web = Staff::new(&t);
    assert_eq!(
        ana_web.get(&format!("/login/setup/{expired}")).await.status,
        StatusCode::NOT_FOUND
    );

    let token = t
        .app
        .invite(Some(ana.caller.id), Role::CaseManager)
        .await
        .unwrap();
    let link = format!("/login/setup/{token}");
    let page = ana_web.get(&link).await;
    assert!(
        page.body.contains("<strong>ana.m</strong>") && !page.body.contains("Choose a username")
    );
    let new_password = "harbor kettle meadow quartz";
    let step_two = ana_web
        .post(
            &link,
            &[("password", new_password), ("password_again", new_password)],
        )
        .await;
    assert_eq!(step_two.status, StatusCode::OK);
    assert_eq!(
        phone.get("/app/").await.location(),
        "/login",
        "old sessions end"
    );
    let (_, key) = step_two.body.split_once("<code>").unwrap();
    let key: String = key.split('<').next().unwrap().split_whitespace().collect();
    let secret = totp_from_base32(&key);
    let done = ana_web
        .post(
            &format!("{link}/confirm"),
            &[("code", &secret.code(t.unix_seconds()))],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(ana_web.get("/app/").await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_staff_page_carries_the_security_headers() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut ana = Staff::new(&t);
    ana.sign_in("ana.m", &secret).await;
    let rosa = record_rosa(&mut ana).await;
    let link = t.app.invite(None, Role::Outreach).await.unwrap();
    let gets = [
        "/login".to_owned(),
        format!("/login/setup/{link}"),
        "/app/".to_owned(),
        "/app/clients/new".to_owned(),
        rosa.clone(),
        format!("{rosa}/safety"),
        format!("{rosa}/screenings/new"),
        format!("{rosa}/screenings/new/sscst-6"),
        format!("{rosa}/determinations/new"),
        format!("{rosa}/determinations/not-an-id"),
        format!("{rosa}/access"),
        "/app/account".to_owned(),
        "/app/clients/not-an-id".to_owned(),
        "/app/requests".to_owned(),
        "/app/requests/not-an-id".to_owned(),
        "/app/admin".to_owned(),
        "/app/admin/teams".to_owned(),
        "/app/team".to_owned(),
        "/app/emergency".to_owned(),
        "/app/reviews".to_owned(),
        "/app/reauth".to_owned(),
        "/app/audit".to_owned(),
    ];
    let posts = [
        "/login".to_owned(),
        format!("/login/setup/{link}"),
        format!("/login/setup/{link}/confirm"),
        "/app/search".to_owned(),
        "/app/clients".to_owned(),
        format!("{rosa}/notes"),
        format!("{rosa}/safety"),
        format!("{rosa}/screenings"),
        format!("{rosa}/determinations"),
        format!("{rosa}/assign"),
        format!("{rosa}/unassign"),
        "/app/admin/teams".to_owned(),
        "/app/emergency".to_owned(),
        "/app/reauth".to_owned(),
        "/app/reviews/not-an-id".to_owned(),
        "/app/admin/invite".to_owned(),
        "/app/requests/not-an-id/claim".to_owned(),
        "/app/account/sign-out-everywhere".to_owned(),
        "/logout".to_owned(),
    ];
    let mut anonymous = Staff::new(&t);
    let mut pages = Vec::new();
    for path in &gets {
        pages.push((format!("GET {path} signed in"), ana.get(path).await));
        pages.push((format!("GET {path}"), anonymous.get(path).await));
    }
    for path in &posts {
        // Forms without their fields or token: each is refused, with the same headers.
        pages.push((format!("POST {path}"), anonymous.post(path, &[]).await));
    }
    for path in &posts[3..posts.len() - 2] {
        pages.push((format!("POST {path} signed in"), ana.post(path, &[]).await));
    }
    for (what, page) in &pages {
        common::assert_security_headers(&page.headers, what);
        if let Some(cookie) = page.headers.get(header::SET_COOKIE) {
            let cookie = cookie.to_str().unwrap();
            assert!(
                cookie.starts_with("__Host-safeharbor=") && cookie.contains("HttpOnly"),
                "{what}: {cookie}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_caseload_comes_a_page_at_a_time() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    for n in 0..30 {
        let client = domain::client::RawClient {
            preferred_name: format!("Client {n:02}"),
            ..Default::default()
        }
        .parse(t.app.now().date())
        .unwrap();
        t.app
            .create_client(&ana.caller, client, app::Purpose::CaseWork)
            .await
            .unwrap();
        // Newest first: each one a minute after the last.
        t.clock.advance_minutes(1);
    }
    let mut web = Staff::new(&t);
    web.sign_in("ana.m", &secret).await;
    let first = web.get("/app/").await;
    assert_eq!(first.body.matches("/app/clients/").count() - 1, 25);
    assert!(first.body.contains("Client 29") && !first.body.contains("Client 04"));
    assert!(
        first
            .body
            .contains(r#"<a href="/app/?page=2">Next page</a>"#)
    );
    assert!(!first.body.contains("Previous page"));
    let second = web.get("/app/?page=2").await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("Client 04") && !second.body.contains("Client 05"));
    assert!(second.body.contains(r#"<a href="/app/">Previous page</a>"#));
    assert!(!second.body.contains("Next page"));
    for bad in ["/app/?page=x", "/app/?page=2&name=Client"] {
        assert_eq!(web.get(bad).await.status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screening_is_taken_from_the_client_page_and_read_back_with_what_it_means() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let rosa = record_rosa(&mut ana).await;

        let page = ana.get(&rosa).await;
        assert!(page.body.contains("Take a screening"));
        let choose = ana.get(&format!("{rosa}/screenings/new")).await;
        assert_eq!(choose.status, StatusCode::OK);
        for id in [
            "sscst-6",
            "qyit-4",
            "acf-adult-indicators",
            "external-result",
        ] {
            assert!(
                choose.body.contains(&format!("/screenings/new/{id}")),
                "{id}"
            );
        }
        let form_path = format!("{rosa}/screenings/new/qyit-4");
        let form = ana.get(&form_path).await;
        assert_eq!(form.status, StatusCode::OK);
        // Every question starts as "not asked yet".
        assert_eq!(form.body.matches(r#"value="unknown" checked"#).count(), 4);

        // One yes is enough for this screen: look further; one question left unasked.
        let saved = ana
            .submit(
                &form_path,
                &format!("{rosa}/screenings"),
                &[
                    ("instrument", "qyit-4"),
                    ("item.unsafe-work", "no"),
                    ("item.afraid-to-leave", "yes"),
                    ("item.traded-sex", "declined"),
                    ("item.tricked-or-forced", "unknown"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let result_path = saved.location().to_owned();
        assert!(result_path.starts_with(&format!("{rosa}/screenings/")));
        let result = ana.get(&result_path).await;
        assert_eq!(result.status, StatusCode::OK);
        assert!(result.body.contains("Result: look further"));
        assert!(result.body.contains("It is not a finding"));
        assert!(result.body.contains("picked out 87% of the people"));
        assert!(result.body.contains("Prefers not to answer"));
        assert!(ana.get(&rosa).await.body.contains("look further"));

        // An answer the instrument does not allow: nothing saved, the choices kept.
        let before = t.audit().await.len();
        let wrong = ana
            .submit(
                &form_path,
                &format!("{rosa}/screenings"),
                &[
                    ("instrument", "qyit-4"),
                    ("item.unsafe-work", "yes"),
                    ("item.afraid-to-leave", "maybe"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong
                .body
                .contains(r#"name="item.unsafe-work" value="yes" checked"#)
        );
        let created = t.audit().await[before..]
            .iter()
            .filter(|e| e.action == "screening.create")
            .count();
        assert_eq!(created, 0);

        // A screening saved to finish later is there when the form is opened again, and gone
        // once it is recorded. The page's script saves the same way, answered with no content.
        let drafted = ana
            .submit(
                &form_path,
                &format!("{rosa}/screenings"),
                &[
                    ("instrument", "qyit-4"),
                    ("item.traded-sex", "no"),
                    ("save", "draft"),
                ],
            )
            .await;
        assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        assert_eq!(drafted.location(), form_path);
        let reopened = ana.get(&form_path).await;
        assert!(reopened.body.contains("Carried on from the draft saved"));
        assert!(
            reopened
                .body
                .contains(r#"name="item.traded-sex" value="no" checked"#)
        );
        let csrf = reopened.csrf();
        let scripted = ana
            .send(
                ana.http
                    .post(t.url(&format!("{rosa}/screenings")))
                    .header("origin", t.base.as_str())
                    .header("x-autosave", "1")
                    .form(&[
                        ("csrf", csrf.as_str()),
                        ("instrument", "qyit-4"),
                        ("item.traded-sex", "yes"),
                        ("save", "draft"),
                    ]),
            )
            .await;
        assert_eq!(scripted.status, StatusCode::NO_CONTENT);
        assert!(
            ana.get(&form_path)
                .await
                .body
                .contains(r#"name="item.traded-sex" value="yes" checked"#)
        );
        let finished = ana
            .submit(
                &form_path,
                &format!("{rosa}/screenings"),
                &[("instrument", "qyit-4"), ("item.traded-sex", "yes")],
            )
            .await;
        assert_eq!(finished.status, StatusCode::SEE_OTHER);
        let fresh = ana.get(&form_path).await;
        assert!(!fresh.body.contains("Carried on from the draft"));
        assert_eq!(fresh.body.matches(r#"value="unknown" checked"#).count(), 4);

        // Someone else's client, or a role that reads no client records: every screening page
        // is "not found".
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
        let mut ada = Staff::new(&t);
        ada.sign_in("ada.admin", &ada_key).await;
        let nothing = ben
            .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
            .await;
        for path in [
            format!("{rosa}/screenings/new"),
            form_path.clone(),
            result_path.clone(),
        ] {
            for who in [&mut ben, &mut ada] {
                let refused = who.get(&path).await;
                assert_eq!(refused.status, StatusCode::NOT_FOUND, "{path}");
                assert_eq!(refused.body, nothing.body, "{path}");
            }
        }
        for extra in [None, Some(("save", "draft"))] {
            let mut fields = vec![("instrument", "qyit-4"), ("item.unsafe-work", "yes")];
            fields.extend(extra);
            let posted = ben
                .submit("/app/", &format!("{rosa}/screenings"), &fields)
                .await;
            assert_eq!(posted.status, StatusCode::NOT_FOUND, "{extra:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_invites_staff_and_switches_accounts_off_and_on() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ada, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
        let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut admin = Staff::new(&t);
        admin.sign_in("ada.admin", &ada_key).await;
        let mut worker = Staff::new(&t);
        worker.sign_in("ana.m", &ana_key).await;

        // Only administrators have the page; for anyone else it does not exist.
        let page = admin.get("/app/admin").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("ana.m") && page.body.contains("ada.admin (you)"));
        assert!(page.body.contains("Active"));
        let nothing = worker
            .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
            .await;
        let refused = worker.get("/app/admin").await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, nothing.body);
        let tried = worker
            .submit("/app/", "/app/admin/invite", &[("role", "administrator")])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND);

        // A link for someone new works once, for the role chosen.
        let made = admin
            .submit("/app/admin", "/app/admin/invite", &[("role", "outreach")])
            .await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        let (_, rest) = made.body.split_once("/login/setup/").expect("a link");
        let token: String = rest.chars().take_while(|c| *c != '<').collect();
        let invitation = t
            .app
            .invitation(&token)
            .await
            .unwrap()
            .expect("a live link");
        assert_eq!(invitation.role, Role::Outreach);
        let bad_role = admin
            .submit("/app/admin", "/app/admin/invite", &[("role", "owner")])
            .await;
        assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Switching an account off ends its session at once; switching it on lets it sign in.
        let ana_path = format!("/app/admin/users/{}", ana.caller.id);
        let off = admin
            .submit("/app/admin", &format!("{ana_path}/disable"), &[])
            .await;
        assert_eq!(off.status, StatusCode::SEE_OTHER, "{}", off.body);
        assert_eq!(worker.get("/app/").await.location(), "/login");
        assert!(admin.get("/app/admin").await.body.contains("Switched off"));
        assert_eq!(
            worker.sign_in("ana.m", &ana_key).await.status,
            StatusCode::UNAUTHORIZED
        );
        let on = admin
            .submit("/app/admin", &format!("{ana_path}/enable"), &[])
            .await;
        assert_eq!(on.status, StatusCode::SEE_OTHER);
        assert_eq!(
            worker.sign_in("ana.m", &ana_key).await.status,
            StatusCode::SEE_OTHER
        );

        // A new link for someone who lost their phone; and nobody switches themselves off.
        let relinked = admin
            .submit("/app/admin", &format!("{ana_path}/link"), &[])
            .await;
        assert!(relinked.body.contains("/login/setup/") && relinked.body.contains("ana.m"));
        let own = admin
            .submit(
                "/app/admin",
                &format!("/app/admin/users/{}/disable", ada.caller.id),
                &[],
            )
            .await;
        assert_eq!(own.status, StatusCode::CONFLICT);
        // Nor is the last administrator who can sign in switched off by another.
        let (bo, _) = t.enrolled("bo.admin", Role::Administrator).await;
        t.app
            .set_disabled(&bo.caller, ada.caller.id, true)
            .await
            .unwrap();
        let last = t.app.set_disabled(&ada.caller, bo.caller.id, true).await;
        assert!(matches!(last, Err(app::AppError::Conflict(_))), "{last:?}");

        let actor = format!("user:{}", ada.caller.id);
        let by_admin: Vec<String> = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.actor == actor)
            .map(|e| e.action)
            .collect();
        for action in ["user.invite", "user.disable", "user.enable"] {
            assert!(
                by_admin.iter().any(|a| a == action),
                "{action} in {by_admin:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_who_opened_a_record_and_a_case_worker_does_not() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let rosa = record_rosa(&mut sue).await;
        let anas_own = record_rosa(&mut ana).await;

        // Ana tries Sue's client: refused, and the refusal is in the log.
        assert_eq!(ana.get(&rosa).await.status, StatusCode::NOT_FOUND);
        let page = sue.get(&rosa).await;
        assert!(page.body.contains(&format!(r#"<a href="{rosa}/access">"#)));
        let log = sue.get(&format!("{rosa}/access")).await;
        assert_eq!(log.status, StatusCode::OK);
        for line in [
            "recorded the client",
            "opened the record",
            "was refused",
            "ana.m",
            "sue.s",
        ] {
            assert!(log.body.contains(line), "{line}");
        }
        assert!(
            !log.body.contains("Rosa Example-Canary"),
            "the log names no client data"
        );

        // A case worker has no such page, even for their own client; it looks like nothing.
        let own = ana.get(&anas_own).await;
        assert!(!own.body.contains("Who opened this record"));
        let nothing = ana
            .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
            .await;
        let refused = ana.get(&format!("{anas_own}/access")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, nothing.body);
        // Nor does a supervisor see the log of a client they do not work with.
        let not_sues = sue.get(&format!("{anas_own}/access")).await;
        assert_eq!(not_sues.status, StatusCode::NOT_FOUND);
        assert_eq!(not_sues.body, nothing.body);
        let looked = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "client.access-log-read")
            .count();
        assert_eq!(looked, 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_refusals_and_what_someone_has_done() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
    let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
    let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
    let mut sue = Staff::new(&t);
    sue.sign_in("sue.s", &sue_key).await;
    let mut ana = Staff::new(&t);
    ana.sign_in("ana.m", &ana_key).await;
    let mut ben = Staff::new(&t);
    ben.sign_in("ben.m", &ben_key).await;
    let rosa = record_rosa(&mut ana).await;
    let rosa_id = rosa.rsplit('/').next().unwrap().to_owned();
    assert_eq!(ben.get(&rosa).await.status, StatusCode::NOT_FOUND);

    // As the menu opens it, the log shows the refused looks, in plain words.
    let page = sue.get("/app/audit").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(r#"href="/app/audit" aria-current="page""#)
    );
    let refused = log_lines(&page);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].contains("ben.m") && refused[0].contains(&format!("client:{rosa_id}")));
    assert!(refused[0].contains("tried to open the record (not their client)"));
    for code in ["refused:", "read-client", "ReadClient", "no-standing"] {
        assert!(!page.body.contains(code), "{code} on the page");
    }
    assert!(!page.body.contains("Rosa"), "records are named by id only");

    let anas = sue.get("/app/audit?staff=ana.m").await;
    assert!(anas.body.contains("recorded the client") && anas.body.contains("signed in"));
    let nobody = sue.get("/app/audit?staff=no.such").await;
    assert!(
        nobody
            .body
            .contains("There is no account with that username.")
    );
    assert_eq!(
        sue.get("/app/audit?name=Rosa").await.status,
        StatusCode::NOT_FOUND
    );

    // Case workers and administrators have no audit log: it looks like nothing.
    let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let mut ada = Staff::new(&t);
    ada.sign_in("ada.admin", &ada_key).await;
    let nothing = ana
        .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
        .await;
    for who in [&mut ana, &mut ada] {
        let theirs = who.get("/app/audit?staff=sue.s").await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(theirs.body, nothing.body);
    }
    assert!(!ana.get("/app/").await.body.contains("Audit log"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_sign_up_link_lets_an_administrator_start_again_with_a_new_passkey() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ada, secret) = t.enrolled("ada.admin", Role::Administrator).await;
    let mut web = Staff::new(&t);
    web.sign_in("ada.admin", &secret).await;
    let passkeys = || async {
        let mut tx = t.app.store().read().await.unwrap();
        tx.passkeys_of(ada.caller.id).await.unwrap().len()
    };
    assert_eq!(passkeys().await, 1, "added at the first sign-in");

    // Lost with the phone: a new link, a new password and authenticator, and no old passkey.
    let token = t
        .app
        .invite(Some(ada.caller.id), Role::Administrator)
        .await
        .unwrap();
    let new_secret = t
        .app
        .enrol(&token, None, "harbor kettle meadow quartz")
        .await
        .unwrap()
        .unwrap();
    t.clock.advance_minutes(1);
    let code = new_secret.code(t.unix_seconds());
    assert!(
        t.app
            .finish_enrolment(&token, &code)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(passkeys().await, 0);
    let audit = t.audit().await;
    assert!(audit.iter().any(|e| e.action == "passkey.register"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_without_a_caseload_offers_what_the_role_does_and_nothing_else() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let (_, dan_key) = t.enrolled("dan.data", Role::DataAnalyst).await;
    let mut ada = Staff::new(&t);
    ada.sign_in("ada.admin", &ada_key).await;
    let start = ada.get("/app/").await;
    assert_eq!(start.status, StatusCode::OK);
    let main = start.body.split("<main").nth(1).unwrap();
    for link in [
        r#"<a href="/app/admin">Staff accounts</a>"#,
        r#"<a href="/app/admin/teams">Teams</a>"#,
        r#"<a href="/app/account">ada.admin</a>"#,
        r#"<a href="/app/reports">Reports</a>"#,
    ] {
        assert!(main.contains(link), "{link} in {main}");
    }

    let mut dan = Staff::new(&t);
    dan.sign_in("dan.data", &dan_key).await;
    let start = dan.get("/app/").await;
    assert_eq!(start.status, StatusCode::OK);
    let main = start.body.split("<main").nth(1).unwrap();
    // A data analyst's work here is the program's figures, and nothing of any record.
    assert!(
        main.contains(r#"<a href="/app/reports">Reports</a>"#),
        "{main}"
    );
    assert!(!main.contains("/app/admin"), "{main}");
    assert!(
        !main.contains("There is nothing for your role to do"),
        "{main}"
    );

    let anonymous = Staff::new(&t).get("/app/").await;
    assert_eq!(anonymous.location(), "/login");
}

/// The rows of a log page's table, as text with the tags left in.
fn log_lines(page: &common::staff::Page) -> Vec<String> {
    let Some((_, table)) = page.body.split_once("<tbody>") else {
        return Vec::new();
    };
    let table = table.split("</tbody>").next().unwrap();
    table
        .split("<tr>")
        .skip(1)
        .map(|row| row.split("</tr>").next().unwrap().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_speaks_plainly_and_finds_by_person_action_record_and_period() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let rosa = record_rosa(&mut ana).await;
        let other = ana
            .submit(
                "/app/clients/new",
                "/app/clients",
                &[("preferred_name", "Zuri")],
            )
            .await
            .location()
            .to_owned();
        let rosa_id = rosa.rsplit('/').next().unwrap();
        for page in [&rosa, &rosa, &other] {
            t.clock.advance_minutes(1);
            assert_eq!(ana.get(page).await.status, StatusCode::OK);
        }
        ben.get(&rosa).await;

        // One record, one action: Ana's two looks at Rosa's page (one line each), not the other.
        let opened = sue
            .get(&format!("/app/audit?action=client.read&record={rosa_id}"))
            .await;
        assert_eq!(opened.status, StatusCode::OK);
        let lines = log_lines(&opened);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| l.contains("ana.m") && l.contains("opened the record"))
        );
        assert!(
            lines
                .iter()
                .all(|l| l.contains("case work") && !l.contains("case-work"))
        );
        // The record may be given as its address, and the action chosen stays chosen.
        let by_address = sue
            .get(&format!(
                "/app/audit?action=client.read&record={}",
                t.url(&rosa)
            ))
            .await;
        assert_eq!(log_lines(&by_address), lines);
        assert!(
            opened
                .body
                .contains(r#"<option value="client.read" selected>"#)
        );

        // A person and anything they did; a period with nothing in it; the next page.
        let bens = log_lines(&sue.get("/app/audit?staff=ben.m&action=any").await);
        assert!(bens.iter().any(|l| l.contains("was refused")), "{bens:?}");
        assert!(bens.iter().any(|l| l.contains("signed in")), "{bens:?}");
        assert!(bens.iter().all(|l| l.contains("ben.m")));
        let later = sue.get("/app/audit?action=any&from=2099-01-01").await;
        assert!(later.body.contains("Nothing is recorded that matches."));
        let today = domain::Timestamp::from_unix_millis(t.unix_seconds() * 1000).rfc3339();
        let today = &today[..10];
        let this_day = sue
            .get(&format!(
                "/app/audit?action=client.read&from={today}&to={today}"
            ))
            .await;
        assert_eq!(log_lines(&this_day).len(), 3);

        // Things that are not a record, a date or an action are said so, in words.
        for bad in ["record=Rosa", "from=31/12/2026", "action=client.peek"] {
            let page = sue.get(&format!("/app/audit?{bad}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
            assert!(page.body.contains(r#"class="problem""#), "{bad}");
        }

        // Nobody signed in is sent to sign in; case workers have no audit log.
        let query = format!("/app/audit?action=client.read&record={rosa_id}");
        assert_eq!(Staff::new(&t).get(&query).await.location(), "/login");
        let nothing = ana
            .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
            .await;
        let theirs = ana.get(&query).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
        assert_eq!(theirs.body, nothing.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_opened_a_record_shows_a_visit_a_line_a_page_at_a_time_by_person_and_period() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let rosa = record_rosa(&mut sue).await;
        let log = format!("{rosa}/access");
        // Sue opens Rosa's page 60 times, a minute apart; Ana tries once and is refused.
        for _ in 0..60 {
            t.clock.advance_minutes(1);
            assert_eq!(sue.get(&rosa).await.status, StatusCode::OK);
        }
        ana.sign_in("ana.m", &ana_key).await;
        assert_eq!(ana.get(&rosa).await.status, StatusCode::NOT_FOUND);

        // Each look at the page is one line, however many parts of the record it read.
        let first = sue.get(&log).await;
        assert_eq!(first.status, StatusCode::OK);
        let lines = log_lines(&first);
        assert_eq!(lines.len(), 50, "a page of 50 lines");
        assert!(
            lines[0].contains("ana.m") && lines[0].contains("was refused"),
            "{lines:?}"
        );
        assert!(lines[0].contains("tried to open the record (not their client)"));
        let visit = &lines[2];
        assert!(
            visit.contains("sue.s") && visit.contains("opened the record"),
            "{visit}"
        );
        assert!(
            visit.contains("read the record&#39;s timeline") && visit.contains("read the cases"),
            "{visit}"
        );
        assert_eq!(visit.matches("opened the record").count(), 1, "{visit}");
        assert!(!first.body.contains("last 100 shown"));

        // The older page goes on where this one stopped.
        let page_links = |page: &str| -> Vec<String> {
            page.split(r#"<a href=""#)
                .skip(1)
                .filter_map(|l| l.split('"').next())
                .filter(|l| l.starts_with(&log))
                .map(|l| l.replace("&#38;", "&"))
                .collect()
        };
        let older_links: Vec<String> = page_links(&first.body)
            .into_iter()
            .filter(|l| l.contains("before="))
            .collect();
        assert_eq!(older_links.len(), 1, "{}", first.body);
        assert!(!first.body.contains("Back to the newest"));
        let older = sue.get(&older_links[0]).await;
        // From there, back to the newest: the same search's first page.
        let newest = older
            .body
            .split("Back to the newest")
            .next()
            .and_then(|before| page_links(before).pop())
            .expect("a link back to the newest");
        assert!(!newest.contains("before="), "{newest}");
        // The same lines, below a new one for these looks at the log (each look is audited).
        let again = log_lines(&sue.get(&newest).await);
        assert!(again[0].contains("looked at who opened the record"));
        assert!(
            again[1..] == lines[..lines.len() - 1],
            "not the first page again"
        );
        let more = log_lines(&older);
        // 60 looks, the refusal, the record made, the log read once: 62 lines, less those seen.
        assert!(
            more.len() >= 11 && more.len() <= 13,
            "{} {more:?}",
            more.len()
        );
        assert!(more.iter().all(|l| !lines.contains(l)));

        // By person and period.
        let anas = log_lines(&sue.get(&format!("{log}?staff=ana.m")).await);
        assert_eq!(anas.len(), 1);
        let nobody = sue.get(&format!("{log}?staff=no.such")).await;
        assert!(
            nobody
                .body
                .contains("There is no account with that username.")
        );
        let later = sue.get(&format!("{log}?from=2099-01-01")).await;
        assert!(later.body.contains("Nothing is recorded that matches."));
        let odd = sue.get(&format!("{log}?to=yesterday")).await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Anyone else: sign in first, or nothing here.
        assert_eq!(Staff::new(&t).get(&log).await.location(), "/login");
        let nothing = ana
            .get("/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10")
            .await;
        let refused = ana.get(&format!("{log}?staff=sue.s")).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, nothing.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_times_are_shown_and_read_in_the_programs_time_zone_which_they_name() {
    for engine in engines() {
        let chicago = domain::time::ProgramZone::parse("America/Chicago").unwrap();
        let t = TestApp::start_in(engine, chicago).await;
        let (_, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let rosa = record_rosa(&mut ana).await;
        let noted = ana
            .submit(
                &rosa,
                &format!("{rosa}/notes"),
                &[("text", "Met at the library.")],
            )
            .await;
        assert_eq!(noted.status, StatusCode::SEE_OTHER);
        // Chicago keeps daylight time in September: five hours behind UTC.
        let local = |unix_seconds: i64| {
            let shifted = domain::Timestamp::from_unix_millis((unix_seconds - 5 * 3600) * 1000);
            let text = shifted.rfc3339();
            format!("{} {} CDT", &text[..10], &text[11..16])
        };
        let note_at = local(t.unix_seconds());
        let page = ana.get(&rosa).await;
        let (day, time) = note_at.split_once(' ').unwrap();
        assert!(
            page.body.contains(&format!("<h3 class=\"day\">{day}</h3>"))
                && page.body.contains(&format!("{time} · ana.m")),
            "{}",
            page.body
        );
        assert!(!page.body.contains("UTC"));

        // Late in the evening in Chicago it is already the next day in UTC: days in the log's
        // filter are Chicago's.
        t.clock.advance_minutes(60 * 11);
        ana.sign_in("ana.m", &ana_key).await;
        assert_eq!(ana.get(&rosa).await.status, StatusCode::OK);
        let evening = local(t.unix_seconds());
        let mut sue = Staff::new(&t);
        sue.sign_in("sue.s", &sue_key).await;
        let local_day = &evening[..10];
        let utc_day = &domain::Timestamp::from_unix_millis(t.unix_seconds() * 1000).rfc3339()[..10];
        assert_ne!(
            local_day, utc_day,
            "the test needs the evening to fall on another UTC day"
        );
        let that_day = sue
            .get(&format!(
                "/app/audit?action=client.read&from={local_day}&to={local_day}"
            ))
            .await;
        let lines = log_lines(&that_day);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains(&evening), "{}", lines[0]);
        let next_day = sue
            .get(&format!("/app/audit?action=client.read&from={utc_day}"))
            .await;
        assert!(next_day.body.contains("Nothing is recorded that matches."));
    }
}

/// Signs in with password and code and stops at the passkey step an administrator must pass.
async fn at_the_passkey_step<'a>(
    t: &'a TestApp,
    username: &str,
    key: &crypto::totp::TotpSecret,
) -> Staff<'a> {
    let mut web = Staff::new(t);
    t.clock.advance_minutes(1);
    let code = key.code(t.unix_seconds());
    let signed = web
        .post(
            "/login",
            &[
                ("username", username),
                ("password", STAFF_PASSWORD),
                ("code", code.as_str()),
            ],
        )
        .await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    assert_eq!(web.get("/app/").await.location(), "/app/passkey");
    web
}

/// A passkey answer is good once, for its own challenge and its own administrator: one replayed
/// at a later sign-in, or made by another administrator's passkey, leaves the session at the
/// passkey step (P10).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passkey_answer_opens_only_its_own_sign_in_for_its_own_administrator() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let (_, bea_key) = t.enrolled("bea.admin", Role::Administrator).await;
    // Each registers a passkey at a first sign-in.
    Staff::new(&t).sign_in("ada.admin", &ada_key).await;
    Staff::new(&t).sign_in("bea.admin", &bea_key).await;

    let mut ada = at_the_passkey_step(&t, "ada.admin", &ada_key).await;
    let answer = ada.passkey_answer("ada.admin").await;
    assert_eq!(ada.post_passkey(&answer).await.location(), "/app/");
    assert_eq!(ada.get("/app/").await.status, StatusCode::OK);

    // The same answer at the next sign-in, with that page's own form token.
    let mut again = at_the_passkey_step(&t, "ada.admin", &ada_key).await;
    let fresh = again.passkey_answer("ada.admin").await;
    let mut replayed = answer.clone();
    replayed[0] = fresh[0].clone();
    let refused = again.post_passkey(&replayed).await;
    assert_ne!(
        refused.location(),
        "/app/",
        "a replayed answer: {}",
        refused.body
    );
    assert_eq!(again.get("/app/").await.location(), "/app/passkey");

    // Ada's passkey answering Bea's challenge.
    let mut bea = at_the_passkey_step(&t, "bea.admin", &bea_key).await;
    let borrowed = bea.passkey_answer("ada.admin").await;
    let refused = bea.post_passkey(&borrowed).await;
    assert_ne!(
        refused.location(),
        "/app/",
        "another's passkey: {}",
        refused.body
    );
    assert_eq!(bea.get("/app/").await.location(), "/app/passkey");
    // Her own still works.
    let own = bea.passkey_answer("bea.admin").await;
    assert_eq!(bea.post_passkey(&own).await.location(), "/app/");
}

/// The contact log from the client's page: the form starts at now in the worker's zone; a
/// contact and an attempt are listed newest first in plain words, the attempt said as one; a
/// contact that cannot be logged comes back with everything typed and the problem beside its box.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_logs_contacts_and_attempts_from_the_client_page() {
    for engine in engines() {
        let chicago = domain::time::ProgramZone::parse("America/Chicago").unwrap();
        let t = TestApp::start_in(engine, chicago.clone()).await;
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let recorded = t.app.now();
        let local = |minutes_after: i64| {
            let at = recorded.unix_millis() + minutes_after * 60_000;
            chicago.minute_input(domain::Timestamp::from_unix_millis(at))
        };
        let page = staff.get(&rosa).await;
        assert!(page.body.contains("Nothing is recorded yet."));
        assert!(
            page.body.contains(&format!("value=\"{}\"", local(0))),
            "the form starts at now, in Chicago"
        );
        assert!(page.form_actions().any(|a| a == format!("{rosa}/contacts")));

        // Within the session's 15 idle minutes.
        t.clock.advance_minutes(12);
        let contacts = format!("{rosa}/contacts");
        // The form's boxes: when, how, reached, minutes, who else was there, a note.
        let log = |when: String, rest: [&str; 5]| -> Vec<(&'static str, String)> {
            let names = ["method", "reached", "minutes", "present", "note"];
            let mut fields = vec![("occurred_at", when)];
            fields.extend(names.into_iter().zip(rest.map(str::to_owned)));
            fields
        };
        for fields in [
            log(
                local(3),
                ["phone", "no", "", "", "Left no message, as agreed."],
            ),
            log(
                local(9),
                [
                    "in-person",
                    "yes",
                    "45",
                    "Her sister",
                    "Talked about housing.",
                ],
            ),
        ] {
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let logged = staff.submit(&rosa, &contacts, &form).await;
            assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
            assert_eq!(logged.location(), format!("{rosa}#contacts"));
        }
        let page = staff.get(&rosa).await.body;
        let met = page
            .find("We reached Rosa in person (45 minutes).")
            .expect(&page);
        let tried = page
            .find("We tried to reach Rosa by phone; not reached this time.")
            .expect(&page);
        assert!(met < tried, "newest first");
        assert!(page.contains("Also there: Her sister"));
        assert!(page.contains("Left no message, as agreed."));
        let tried_at = chicago.minute(domain::Timestamp::from_unix_millis(
            recorded.unix_millis() + 3 * 60_000,
        ));
        let (_, time) = tried_at.split_once(' ').unwrap();
        assert!(
            page.contains(&format!(
                "<strong>Attempt to reach</strong> · {time} · ana.m"
            )),
            "{page}"
        );

        // Refused: in the future, minutes that are not a number, no answer to "did you reach
        // them", before the client was recorded: each comes back as typed, the problem beside
        // its box.
        for (fields, problem) in [
            (
                log(
                    local(24 * 60),
                    ["video", "yes", "20", "An interpreter", "Typed and kept"],
                ),
                "occurred_at: must not be in the future",
            ),
            (
                log(
                    local(10),
                    [
                        "video",
                        "yes",
                        "an hour",
                        "An interpreter",
                        "Typed and kept",
                    ],
                ),
                "minutes: must be a whole number of minutes from 0 to 1440",
            ),
            (
                log(
                    local(10),
                    ["video", "", "20", "An interpreter", "Typed and kept"],
                ),
                "reached: say whether you reached the person",
            ),
            (
                log(
                    local(-24 * 60),
                    ["video", "no", "", "An interpreter", "Typed and kept"],
                ),
                "occurred_at: must not be before the client was recorded",
            ),
        ] {
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = &refused(&mut staff, (&rosa, &contacts), &form, problem).await;
            assert!(body.contains("An interpreter") && body.contains("Typed and kept"));
            assert!(body.contains("<option value=\"video\" selected>"));
            assert!(body.contains(&format!("value=\"{}\"", fields[0].1)));
            assert!(body.contains("aria-invalid=\"true\""));
        }
        let page = staff.get(&rosa).await.body;
        assert_eq!(page.matches("class=\"kind-contact attempt\"").count(), 1);
        assert!(!page.contains("Typed and kept"), "nothing was logged");
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "contact.create").count(), 2);
    }
}

/// Services from the client's page: the form starts at today in the worker's zone and in person,
/// so choosing a type and saving is all a common service takes; services are listed newest first
/// by day with their type's words; one that cannot be recorded comes back as typed, the problem
/// beside its box, and nothing is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_records_services_from_the_client_page() {
    for engine in engines() {
        let chicago = domain::time::ProgramZone::parse("America/Chicago").unwrap();
        let t = TestApp::start_in(engine, chicago.clone()).await;
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let today = chicago.day(t.app.now());
        let page = staff.get(&rosa).await;
        assert!(page.body.contains("Nothing is recorded yet."));
        assert!(
            page.body
                .contains(&format!("name=\"delivered_on\" value=\"{today}\"")),
            "the form starts at today, in Chicago"
        );
        assert!(
            page.body
                .contains("<option value=\"in-person\" selected>In person</option>")
        );
        assert!(
            page.body
                .contains("<optgroup label=\"Shelter and housing services\">")
        );
        assert!(page.form_actions().any(|a| a == format!("{rosa}/services")));

        let services = format!("{rosa}/services");
        // The boxes: what, which day, how, minutes, units, a note.
        let service = |rest: [&str; 6]| -> Vec<(&'static str, String)> {
            let names = ["code", "delivered_on", "mode", "minutes", "units", "note"];
            names.into_iter().zip(rest.map(str::to_owned)).collect()
        };
        for fields in [
            // The quick way: a type chosen, the rest as the form starts.
            service(["B9", &today, "in-person", "", "", ""]),
            service(["C4", &today, "video", "50", "", "She chose the time."]),
        ] {
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let recorded = staff.submit(&rosa, &services, &form).await;
            assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
            assert_eq!(recorded.location(), format!("{rosa}#services"));
            t.clock.advance_minutes(1);
        }
        let page = staff.get(&rosa).await.body;
        let counseling = page
            .find("<strong>Service: C4 Individual counseling</strong> · ana.m")
            .expect(&page);
        assert!(page.contains("by video, 50 minutes"), "{page}");
        let transport = page
            .find("<strong>Service: B9 Transportation help</strong>")
            .expect(&page);
        assert!(
            counseling < transport,
            "the latest recorded first within a day"
        );
        assert!(page.contains("She chose the time."));
        assert!(
            page.contains(&format!("<h3 class=\"day\">{today}</h3>")),
            "{page}"
        );

        // Two days ahead of Chicago is after today everywhere.
        let later = domain::case::parse_date("day", &today).unwrap() + time::Duration::days(2);
        let later = domain::case::format_date(later);
        for (fields, problem) in [
            (
                service(["", &today, "phone", "20", "", "Typed and kept"]),
                "code: must be a service code from the list",
            ),
            (
                service(["C2", &later, "phone", "20", "", "Typed and kept"]),
                "delivered_on: must not be in the future",
            ),
            (
                service(["C2", &today, "phone", "20", "two", "Typed and kept"]),
                "units: must be a whole number from 1 to 1000",
            ),
            (
                service(["C2", "2026-02-30", "phone", "20", "", "Typed and kept"]),
                "delivered_on: must be a date written YYYY-MM-DD",
            ),
        ] {
            let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let body = &refused(&mut staff, (&rosa, &services), &form, problem).await;
            assert!(body.contains("Typed and kept"));
            assert!(body.contains("<option value=\"phone\" selected>"));
            assert!(body.contains(&format!("value=\"{}\"", fields[1].1)));
            assert!(body.contains("aria-invalid=\"true\""));
        }
        let page = staff.get(&rosa).await.body;
        assert!(!page.contains("Typed and kept"), "nothing was recorded");
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "service.create").count(), 2);
    }
}

/// The needs assessment: from the client's page to the needs page, whose form starts empty (every
/// question "not yet asked", why each is asked beside it, and what the record already says
/// beside safety and above the questions); an assessment, then a reassessment that starts from
/// it, the history newest first with what changed; the client's page shows the current needs,
/// urgent first; a refused assessment comes back with everything typed and the problem beside its
/// box, and nothing is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_assesses_needs_reassesses_them_and_reads_what_changed() {
    use domain::needs::NeedDomain;
    for engine in engines() {
        let chicago = domain::time::ProgramZone::parse("America/Chicago").unwrap();
        let t = TestApp::start_in(engine, chicago.clone()).await;
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let needs = format!("{rosa}/needs");
        let record = staff.get(&rosa).await.body;
        assert!(record.contains("No needs assessment yet."), "{record}");
        assert!(record.contains(&format!("<a href=\"{needs}\">Assess needs</a>")));

        let empty = staff.get(&needs).await;
        assert_eq!(empty.status, StatusCode::OK);
        let body = &empty.body;
        assert!(body.contains("Assess needs") && body.contains("No assessment yet."));
        let today = chicago.day(t.app.now());
        assert!(body.contains(&format!("name=\"assessed_on\" value=\"{today}\"")));
        assert_eq!(
            body.matches("value=\"not-yet-asked\" checked").count(),
            11,
            "every question starts unanswered"
        );
        for domain in NeedDomain::ALL {
            assert!(body.contains(&format!("Why we ask: {}", domain.why())));
        }
        // Shown, not asked again: the safety flags beside safety, the languages above.
        assert!(body.contains("Text only, weekdays after 6 pm"));
        assert!(body.contains("(from the safety flags)"));
        assert!(body.contains("Spanish, English"));
        assert!(empty.form_actions().any(|a| a == needs));

        let first = [
            ("assessed_on", today.as_str()),
            ("needs.safety.level", "prefers-not-to-say"),
            ("needs.housing.level", "urgent"),
            (
                "needs.housing.note",
                "Staying with a cousin until the 15th.",
            ),
            ("needs.legal.level", "some"),
            ("needs.legal.note", ""),
            ("note", "We talked at the clinic."),
        ];
        let saved = staff.submit(&needs, &needs, &first).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), needs);
        let page = staff.get(&needs).await.body;
        assert!(page.contains("Reassess needs"), "{page}");
        assert!(page.contains("The first assessment."));
        assert!(page.contains("name=\"needs.housing.level\" value=\"urgent\" checked"));
        assert!(page.contains(">Staying with a cousin until the 15th.</textarea>"));
        assert!(page.contains("We talked at the clinic."));
        let record = staff.get(&rosa).await.body;
        assert!(record.contains(&format!("As assessed {today}")), "{record}");
        assert!(record.contains("<dt class=\"level-urgent\">Urgent</dt><dd>Housing</dd>"));
        assert!(record.contains("<dt class=\"level-some\">Some need</dt><dd>Legal</dd>"));
        let urgent = record.find("level-urgent").unwrap();
        let some = record.find("level-some").unwrap();
        let private = record.find("Prefers not to say</dt><dd>Safety").unwrap();
        assert!(urgent < some && some < private, "the most pressing first");

        // A reassessment changes only what changed: the rest comes from the form as filled in.
        t.clock.advance_minutes(5);
        let second = [
            ("assessed_on", today.as_str()),
            ("needs.safety.level", "none"),
            ("needs.housing.level", "some"),
            ("needs.housing.note", "A room of her own from Monday."),
            ("needs.legal.level", "some"),
            ("note", ""),
        ];
        let saved = staff.submit(&needs, &needs, &second).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let page = staff.get(&needs).await.body;
        let history = &page[page.find("id=\"history\"").unwrap()..];
        assert_eq!(history.matches("Assessed ").count(), 2, "{history}");
        let newest = history.find("A room of her own from Monday.").unwrap();
        let oldest = history
            .find("Staying with a cousin until the 15th.")
            .unwrap();
        assert!(newest < oldest, "newest first");
        assert!(history.contains("Changed since the assessment before:"));
        assert!(history.contains("<li>Safety: Prefers not to say → No need</li>"));
        assert!(history.contains("<li>Housing: Urgent → Some need</li>"));
        assert!(!history.contains("<li>Legal:"), "legal did not change");

        // Refused, each for one box: what was typed comes back, the problem beside its box.
        t.clock.advance_minutes(5);
        let long = "l".repeat(1001);
        let before = chicago.day(t.app.now().plus_days(-2));
        for (field, value, problem, beside) in [
            (
                "needs.housing.level",
                "Urgent!",
                "Housing, the level of need: must be one of",
                "need-housing-level-problem",
            ),
            (
                "needs.legal.note",
                long.as_str(),
                "Legal, the note: is too long",
                "need-legal-note-problem",
            ),
            (
                "assessed_on",
                "2100-01-01",
                "The day of the assessment: must not be in the future",
                "assessed-on-problem",
            ),
            (
                "assessed_on",
                before.as_str(),
                "The day of the assessment: must not be before the client was recorded",
                "assessed-on-problem",
            ),
        ] {
            let mut form = vec![
                ("assessed_on", today.as_str()),
                ("needs.housing.level", "some"),
                ("needs.mental-health.level", "some"),
                ("needs.mental-health.note", "Typed and kept"),
                ("needs.legal.note", ""),
                ("note", "An overall note, kept too"),
            ];
            form.retain(|(name, _)| *name != field);
            form.push((field, value));
            let body = &refused(&mut staff, (&needs, &needs), &form, problem).await;
            assert!(body.contains(&format!("id=\"{beside}\"")), "{problem}");
            assert!(
                body.matches(beside).count() >= 2,
                "the box names its problem"
            );
            assert!(body.contains("aria-invalid=\"true\""));
            assert!(body.contains(">Typed and kept</textarea>"));
            assert!(body.contains(">An overall note, kept too</textarea>"));
            assert!(body.contains("name=\"needs.mental-health.level\" value=\"some\" checked"));
            if field == "assessed_on" {
                assert!(body.contains(&format!("name=\"assessed_on\" value=\"{value}\"")));
            }
        }
        // A form with a box the page does not have is not read at all.
        let odd = staff
            .submit(
                &needs,
                &needs,
                &[
                    ("assessed_on", today.as_str()),
                    ("needs.shelter.level", "urgent"),
                ],
            )
            .await;
        assert_eq!(odd.status, StatusCode::BAD_REQUEST);
        let page = staff.get(&needs).await.body;
        assert!(
            !page.contains("Typed and kept</p>"),
            "nothing refused was recorded"
        );
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "need.create").count(), 2);
    }
}

/// A client's details are changed from their page: the form starts with what the record holds;
/// a change goes back to the record, which shows the other names; the details page lists who
/// changed which fields and what they held before; a refused change comes back with everything
/// typed and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_changes_a_clients_details_and_reads_every_change() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let details = format!("{rosa}/details");
        let page = staff.get(&rosa).await;
        assert!(
            page.body
                .contains("Change the details, or see how they changed")
        );
        let form = staff.get(&details).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"Rosa Example-Canary\""));
        assert!(form.body.contains("value=\"Spanish, English\""));
        assert!(form.body.contains("as they were recorded at intake"));

        let change = [
            ("preferred_name", "Rosa"),
            ("legal_name", ""),
            ("aliases", "Ro\r\n\r\nLa Güera"),
            ("date_of_birth", "2001-04-09"),
            ("age_band", ""),
            ("gender", "woman"),
            ("languages", "Spanish"),
            ("contact", "(555) 555-0199"),
        ];
        let saved = staff.submit(&details, &details, &change).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), rosa);
        let page = staff.get(&rosa).await.body;
        assert!(
            page.contains("<dt>Also known as</dt><dd>Ro, La Güera</dd>"),
            "{page}"
        );
        assert!(!page.contains("Rosa Example-Canary"));
        assert!(page.contains("(555) 555-0199"));

        let history = staff.get(&details).await.body;
        assert!(
            history.contains(
                "ana.m changed legal name, other names, contact details, languages, gender."
            ),
            "{history}"
        );
        assert!(
            history.contains("<dt>legal name was</dt><dd class=\"pre\">Rosa Example-Canary</dd>")
        );
        assert!(history.contains("<dt>other names was</dt><dd class=\"pre\">nothing</dd>"));
        assert!(
            history.contains("<dt>gender was</dt><dd class=\"pre\">Prefers not to answer</dd>")
        );
        assert!(
            history.contains("value=\"(555) 555-0199\"")
                || history.contains(">(555) 555-0199</textarea>")
        );

        let wrong = [
            ("preferred_name", "  "),
            ("legal_name", ""),
            ("aliases", "Ro"),
            ("date_of_birth", ""),
            ("age_band", ""),
            ("gender", ""),
            ("languages", ""),
            ("contact", "Typed and kept"),
        ];
        let body = refused(&mut staff, (&details, &details), &wrong, "preferred_name: ").await;
        assert!(body.contains("Typed and kept"));
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "client.edit").count(), 1);
        assert!(!staff.get(&rosa).await.body.contains("Typed and kept"));
    }
}

/// Cases from the client's page: open one in a program, move it to another (it closes that day
/// and the new one says what it continues), close one; a day in the future is refused with the
/// day typed kept beside the problem.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_opens_moves_and_closes_cases_from_the_client_page() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        for (code, name) in [("drop-in", "Drop-in"), ("housing", "Housing")] {
            t.app
                .add_program(
                    &domain::case::ProgramCode::parse(code).unwrap(),
                    &domain::case::ProgramName::parse(name).unwrap(),
                )
                .await
                .unwrap();
        }
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let cases = format!("{rosa}/cases");
        let page = staff.get(&rosa).await.body;
        assert!(page.contains("Open, close, re-open or move a case"));
        let today = domain::case::format_date(t.app.now().date());
        let opened = staff
            .submit(
                &cases,
                &cases,
                &[("program", "drop-in"), ("opened_on", &today)],
            )
            .await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
        let page = staff.get(&cases).await;
        assert!(
            page.body.contains("<strong>Drop-in</strong>, open: opened"),
            "{}",
            page.body
        );
        let moving = page
            .form_actions()
            .find(|a| a.ends_with("/transfer"))
            .unwrap()
            .to_owned();
        let moved = staff
            .submit(
                &cases,
                &moving,
                &[("program", "housing"), ("transferred_on", &today)],
            )
            .await;
        assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
        let page = staff.get(&cases).await;
        assert!(page.body.contains(&format!(
            "<strong>Drop-in</strong>, closed: opened {today}, closed {today}"
        )));
        assert!(page.body.contains("(continues the case in Drop-in)"));

        let closing = page
            .form_actions()
            .find(|a| a.ends_with("/close"))
            .unwrap()
            .to_owned();
        let later = domain::case::format_date(t.app.now().plus_days(2).date());
        let body = refused(
            &mut staff,
            (&cases, &closing),
            &[("closed_on", &later), ("reason", "goals-met")],
            "closed_on: must not be in the future",
        )
        .await;
        assert!(body.contains(&format!("value=\"{later}\"")));
        assert!(body.contains("aria-invalid=\"true\""));
        let closed = staff
            .submit(
                &cases,
                &closing,
                &[("closed_on", &today), ("reason", "goals-met")],
            )
            .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
        let page = staff.get(&rosa).await.body;
        assert!(page.contains("<strong>Housing</strong>, closed"), "{page}");
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        let count = |what: &str| actions.iter().filter(|a| *a == what).count();
        assert_eq!(
            (
                count("case.create"),
                count("case.transfer"),
                count("case.close")
            ),
            (1, 1, 1)
        );
    }
}

/// From the client's page to releases and referrals: a release recorded (a refused one back as
/// typed), a referral drafted under it and sent; the client withdraws the release by phone, and
/// the next referral's sending is refused with the reason above its form while it stays drafted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_records_a_release_refers_under_it_and_a_withdrawal_stops_the_next_send() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let lead = t.persona("sue.lead", Role::Supervisor).await;
        let shelter = t.harbor_house(&lead.caller).await.to_string();
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let page = staff.get(&rosa).await.body;
        assert!(
            page.contains("Record a release or make a referral"),
            "{page}"
        );
        let here = format!("{rosa}/referrals");
        let releases = format!("{rosa}/releases");
        let today = domain::case::format_date(t.app.now().date());
        let release = |method: &'static str| {
            vec![
                ("partner", shelter.clone()),
                ("recipient", "Dana at Harbor House".to_owned()),
                ("purpose", "A bed this week".to_owned()),
                ("shares", "name".to_owned()),
                ("shares", "needs".to_owned()),
                ("method", method.to_owned()),
                ("witness", String::new()),
                ("cosigner", "none".to_owned()),
                ("starts_on", today.clone()),
                ("ends_on", String::new()),
            ]
        };
        let said = release("verbal-with-witness");
        let said: Vec<(&str, &str)> = said.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = refused(
            &mut staff,
            (&here, &releases),
            &said,
            "witness: must be named for a release given by word of mouth",
        )
        .await;
        assert!(
            body.contains("value=\"Dana at Harbor House\""),
            "kept as typed"
        );
        assert!(
            body.contains("id=\"release-share-needs\" name=\"shares\" value=\"needs\" checked")
        );
        let signed = release("signed-on-screen");
        let signed: Vec<(&str, &str)> = signed.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let given = staff.submit(&here, &releases, &signed).await;
        assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
        let page = staff.get(&here).await;
        assert!(
            page.body
                .contains("<strong>Dana at Harbor House</strong> (Harbor House): in force"),
            "{}",
            page.body
        );

        // Two referrals drafted under it; the first sent.
        let release_id = page
            .form_actions()
            .find(|a| a.ends_with("/withdraw"))
            .unwrap()
            .split('/')
            .rev()
            .nth(1)
            .unwrap()
            .to_owned();
        let referral = [
            ("partner", shelter.as_str()),
            ("service", "D1"),
            ("shares", "name"),
            ("release", release_id.as_str()),
            ("note", "Bed from Friday"),
        ];
        for _ in 0..2 {
            let drafted = staff.submit(&here, &here, &referral).await;
            assert_eq!(drafted.status, StatusCode::SEE_OTHER, "{}", drafted.body);
        }
        let page = staff.get(&here).await;
        let steps: Vec<String> = page
            .form_actions()
            .filter(|a| a.ends_with("/steps"))
            .map(str::to_owned)
            .collect();
        assert_eq!(steps.len(), 2, "{}", page.body);
        let sent = staff
            .submit(&here, &steps[0], &[("status", "sent"), ("note", "")])
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);

        // The sheet the partner is given: the name and nothing else.
        let sheet = steps[0].replace("/steps", "/sheet");
        let shown = staff.get(&sheet).await;
        assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
        assert!(
            shown.body.contains("<dt>The name they use</dt>"),
            "{}",
            shown.body
        );
        assert!(
            !shown.body.contains("<dt>Needs</dt>"),
            "only what the referral names"
        );

        // Rosa calls: she takes the release back. From that moment nothing more goes out.
        let withdraw = format!("{releases}/{release_id}/withdraw");
        let taken = staff.submit(&here, &withdraw, &[("how", "by-phone")]).await;
        assert_eq!(taken.status, StatusCode::SEE_OTHER, "{}", taken.body);
        let page = staff.get(&here).await;
        assert!(page.body.contains(": withdrawn,"), "{}", page.body);
        let waiting = page
            .form_actions()
            .filter(|a| a.ends_with("/steps"))
            .find(|a| **a != steps[0])
            .unwrap()
            .to_owned();
        refused(
            &mut staff,
            (&here, &waiting),
            &[("status", "sent"), ("note", "")],
            "release: was withdrawn",
        )
        .await;
        let page = staff.get(&here).await.body;
        assert!(page.contains("drafted, not sent"), "{page}");
        let again = staff.get(&sheet).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            again.body.contains("release: was withdrawn"),
            "{}",
            again.body
        );
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        let count = |what: &str| actions.iter().filter(|a| *a == what).count();
        assert_eq!(
            (
                count("release.create"),
                count("referral.create"),
                count("referral.send"),
                count("release.withdraw"),
                count("referral.sheet")
            ),
            (1, 2, 1, 1, 1)
        );
    }
}

/// The partner directory: a supervisor adds a partner (one offering nothing comes back as typed),
/// a case worker reads it without the form to add, and a data analyst does not reach it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_keeps_the_partner_directory_and_workers_read_it() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, sue) = t.enrolled("sue.s", Role::Supervisor).await;
        let mut lead = Staff::new(&t);
        lead.sign_in("sue.s", &sue).await;
        let body = refused(
            &mut lead,
            ("/app/partners", "/app/partners"),
            &[("name", "Harbor House"), ("languages", "Spanish, Tagalog")],
            "services: must name at least one type of service the partner offers",
        )
        .await;
        assert!(body.contains("value=\"Harbor House\""), "kept as typed");
        assert!(body.contains("value=\"Spanish, Tagalog\""));
        let added = lead
            .submit(
                "/app/partners",
                "/app/partners",
                &[
                    ("name", "Harbor House"),
                    ("services", "D1"),
                    ("services", "B9"),
                    ("languages", "Spanish, Tagalog"),
                    ("area", "Cook County"),
                    ("safe_contact", "Intake line; ask for the night advocate"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let (mut ana, _) = ana_with_rosa(&t).await;
        let page = ana.get("/app/partners").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("<strong>Harbor House</strong>, Cook County"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Emergency shelter or safe house; Transportation help")
        );
        assert!(page.body.contains("Languages: Spanish, Tagalog."));
        assert!(
            !page.body.contains("Add a partner"),
            "a case worker reads, not adds"
        );
        let (_, dan) = t.enrolled("dan.a", Role::DataAnalyst).await;
        let mut analyst = Staff::new(&t);
        analyst.sign_in("dan.a", &dan).await;
        assert_eq!(
            analyst.get("/app/partners").await.status,
            StatusCode::NOT_FOUND
        );
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| *a == "partner.create").count(), 1);
    }
}

/// What is waiting: a worker sees the referrals of their own caseload that wait too long (two
/// weeks without an answer), not newer ones, and not another worker's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_sees_the_referrals_of_their_caseload_that_wait_too_long() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let lead = t.persona("sue.lead", Role::Supervisor).await;
        let shelter = t.harbor_house(&lead.caller).await;
        let ben = t.persona("ben.m", Role::CaseManager).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let rosa = record_rosa(&mut staff).await;
        let rosa_id: domain::ClientId = rosa.rsplit('/').next().unwrap().parse().unwrap();
        let ana = ana.caller;
        let page = staff.get("/app/work").await;
        assert!(
            page.body.contains("Nothing is waiting too long."),
            "{}",
            page.body
        );
        let mara = t
            .recorded(
                &ben.caller,
                domain::client::RawClient {
                    preferred_name: "Mara".into(),
                    ..Default::default()
                },
            )
            .await;
        t.referral_sent(&ben.caller, mara, shelter).await;
        t.referral_sent(&ana, rosa_id, shelter).await;
        t.clock.advance_days(15);
        t.referral_sent(&ana, rosa_id, shelter).await;
        // Two weeks on, the session has ended: Ana signs in again.
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let page = staff.get("/app/work").await.body;
        assert_eq!(
            page.matches("/referrals\">").count(),
            1,
            "one waits too long: {page}"
        );
        assert!(page.contains(">Rosa</a>: Harbor House, for Emergency shelter or safe house, waiting for an answer since"), "{page}");
        assert!(!page.contains("Mara"), "another worker's client");
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "referral.overdue-list")
                .count(),
            2
        );
    }
}

/// The service plan from the client's page: a goal set with its first step (a refused goal comes
/// back as typed, the problem beside its box), a step added, marked done and opened again, and a
/// review that says the goal is reached and when the next review is; each change audited once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_sets_goals_with_the_client_works_the_steps_and_reviews_the_plan() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (mut staff, rosa) = ana_with_rosa(&t).await;
        let page = staff.get(&rosa).await.body;
        assert!(
            page.contains("Set a goal, add a step or record a review"),
            "{page}"
        );
        let here = format!("{rosa}/plan");
        let empty = staff.get(&here).await.body;
        assert!(empty.contains("No goals yet."), "{empty}");
        assert!(!empty.contains("Record a review"), "nothing to review yet");
        let day = |days: i64| domain::case::format_date(t.app.now().plus_days(days).date());
        let (today, in_a_week, yesterday) = (day(0), day(7), day(-1));
        let goal = |target: &str| {
            vec![
                (
                    "words",
                    "A place of my own, with a lock I choose".to_owned(),
                ),
                ("need", "housing".to_owned()),
                ("set_on", today.clone()),
                ("step_words", "Find my birth certificate".to_owned()),
                ("step_owner", "client".to_owned()),
                ("step_partner", String::new()),
                ("step_target_on", target.to_owned()),
            ]
        };
        let early = goal(&yesterday);
        let early: Vec<(&str, &str)> = early.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let body = refused(
            &mut staff,
            (&here, &here),
            &early,
            "steps.target_on: must not be before the goal was set",
        )
        .await;
        assert!(
            body.contains(">A place of my own, with a lock I choose</textarea>"),
            "kept"
        );
        assert!(body.contains("value=\"Find my birth certificate\""), "kept");
        let good = goal(&in_a_week);
        let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let set = staff.submit(&here, &here, &good).await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        assert_eq!(set.location(), here);
        let page = staff.get(&here).await;
        assert!(
            page.body
                .contains("<strong>A place of my own, with a lock I choose</strong>")
        );
        assert!(
            page.body.contains(&format!(
                "Find my birth certificate: The client, by {in_a_week}. To do"
            )),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("Next review: {}", day(90))));

        // A step added to the goal, done, then opened again.
        let add = page
            .form_actions()
            .find(|a| a.ends_with("/steps"))
            .unwrap()
            .to_owned();
        let step = [
            ("words", "Call the housing office"),
            ("owner", "worker"),
            ("partner", ""),
            ("target_on", in_a_week.as_str()),
        ];
        assert_eq!(
            staff.submit(&here, &add, &step).await.status,
            StatusCode::SEE_OTHER
        );
        let page = staff.get(&here).await;
        let moves: Vec<String> = page
            .form_actions()
            .filter(|a| a.contains("/plan/steps/"))
            .map(str::to_owned)
            .collect();
        assert_eq!(moves.len(), 2, "{}", page.body);
        let done = staff.submit(&here, &moves[0], &[("status", "done")]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        // Done is not dropped: the move is refused on the page, beside the step.
        refused(
            &mut staff,
            (&here, &moves[0]),
            &[("status", "dropped")],
            "status: cannot follow",
        )
        .await;
        let again = staff.submit(&here, &moves[0], &[("status", "open")]).await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);

        // The review: the goal reached, the next review in 30 days.
        let page = staff.get(&here).await;
        let goal_id = page
            .body
            .split("name=\"goal\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let reviews = format!("{here}/reviews");
        let next = day(30);
        let review = [
            ("reviewed_on", today.as_str()),
            ("goal", goal_id.as_str()),
            ("status", "achieved"),
            ("note", "She has the keys."),
            ("next_review_on", next.as_str()),
        ];
        let reviewed = staff.submit(&here, &reviews, &review).await;
        assert_eq!(reviewed.status, StatusCode::SEE_OTHER, "{}", reviewed.body);
        let page = staff.get(&here).await.body;
        assert!(page.contains(&format!("Reached since {today}")), "{page}");
        assert!(page.contains(&format!("Next review: {next}")));
        assert!(page.contains("She has the keys."));
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        let count = |a: &str| actions.iter().filter(|x| x.as_str() == a).count();
        assert_eq!(
            (
                count("plan.goal-create"),
                count("plan.step-create"),
                count("plan.step-update"),
                count("plan.review")
            ),
            (1, 1, 2, 1)
        );
    }
}

/// Sets a goal for `client` today, by `by`, with one step the client takes on each of `days`
/// from today (in words naming the day).
async fn goal_with_steps(t: &TestApp, by: &app::Caller, client: ClientId, days: &[i64]) {
    let today = t.app.now().date();
    let words: Vec<String> = days
        .iter()
        .map(|d| format!("Step due in {d} days"))
        .collect();
    let goal = domain::plan::RawGoal {
        words: "A place of my own",
        need: None,
        set_on: today,
        steps: days
            .iter()
            .zip(&words)
            .map(|(d, words)| domain::plan::RawStep {
                words,
                owner: "client",
                partner: None,
                target_on: today.saturating_add(time::Duration::days(*d)),
            })
            .collect(),
    }
    .parse(t.app.now())
    .unwrap();
    t.app
        .set_goal(by, client, goal, app::Purpose::CaseWork)
        .await
        .unwrap();
}

/// My work: a worker sees what is due for their own clients (overdue, today, the week ahead; a
/// step done leaves the list; a review once its day comes), never another worker's client; the
/// lead of the worker's team sees what has slipped for that client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_sees_what_is_due_today_and_what_is_overdue_and_their_lead_what_slipped() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let ada = t.persona("ada.admin", Role::Administrator).await;
        let ben = t.persona("ben.m", Role::CaseManager).await;
        let (sue, sue_secret) = t.enrolled("sue.lead", Role::Supervisor).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let team = t.app.create_team(&ada.caller, "North").await.unwrap();
        for (member, leads) in [(sue.caller.id, true), (ana.caller.id, false)] {
            t.app
                .put_team_member(&ada.caller, team, member, leads)
                .await
                .unwrap();
        }
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let rosa = record_rosa(&mut staff).await;
        let rosa_id: ClientId = rosa.rsplit('/').next().unwrap().parse().unwrap();
        let mara = t
            .recorded(
                &ben.caller,
                domain::client::RawClient {
                    preferred_name: "Mara".into(),
                    ..Default::default()
                },
            )
            .await;
        goal_with_steps(&t, &ana.caller, rosa_id, &[0, 3, 20]).await;
        goal_with_steps(&t, &ben.caller, mara, &[0]).await;
        let page = staff.get("/app/work").await.body;
        assert!(page.contains("Nothing is overdue."), "{page}");
        assert!(
            page.contains(">Rosa</a>: Step due in 0 days (the client)</li>"),
            "{page}"
        );
        assert!(
            page.contains(">Rosa</a>: Step due in 3 days (the client), due"),
            "{page}"
        );
        assert!(!page.contains("Step due in 20 days"), "beyond the week");
        assert!(!page.contains("Mara"), "another worker's client");

        // Five days on: two steps overdue; one is done, and leaves the list.
        t.clock.advance_days(5);
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let plan = t
            .app
            .plan(&ana.caller, rosa_id, app::Purpose::CaseWork)
            .await
            .unwrap();
        let first = plan.goals[0].steps[0].id;
        t.app
            .update_step(
                &ana.caller,
                rosa_id,
                first,
                domain::plan::StepStatus::Done,
                app::Purpose::CaseWork,
            )
            .await
            .unwrap();
        let page = staff.get("/app/work").await.body;
        let overdue = page.split("id=\"today\"").next().unwrap();
        assert!(
            overdue.contains("Step due in 3 days (the client), due"),
            "{page}"
        );
        assert!(!page.contains("Step due in 0 days"), "done: {page}");
        assert!(!page.contains("Review the service plan"), "not due yet");

        // Her lead sees what slipped on the team; the review is overdue after 90 days.
        let mut lead = Staff::new(&t);
        lead.sign_in("sue.lead", &sue_secret).await;
        let page = lead.get("/app/work").await.body;
        let team_part = page.split("id=\"team\"").nth(1).unwrap();
        assert!(
            team_part.contains(">Rosa</a>: Step due in 3 days (the client)"),
            "{page}"
        );
        assert!(!page.contains("Mara"), "not on her teams");
        t.clock.advance_days(86);
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let page = staff.get("/app/work").await.body;
        assert!(
            page.contains(">Rosa</a>: Review the service plan together, due"),
            "{page}"
        );
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        let listed = actions.iter().filter(|a| *a == "plan.due-list").count();
        assert_eq!(
            listed, 5,
            "Ana's three pages, and Sue's own list and her team's"
        );
    }
}
