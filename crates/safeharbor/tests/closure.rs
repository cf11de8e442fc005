//! Closure and outcomes (issue 15 item 7), through the API and the staff pages on every engine:
//! a case closes with a coded reason and re-opens keeping its history; follow-ups after a closure
//! are recorded as contacts, stop when the person withdraws, and come due in the caseload's list
//! with the six-month reviews; outcome assessments are kept, every question free to leave.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{Persona, TestApp, engines};
use domain::Role;
use domain::case::format_date;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn send(
    t: &TestApp,
    who: &Persona,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = t.http.request(method, t.url(path)).bearer_auth(&who.token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Ana, a case manager, with Rosa, whom she recorded, and a case of hers in the drop-in program
/// opened `opened` days ago: the path of Rosa's cases, and the case's id.
async fn rosa_with_a_case(t: &TestApp, opened: i64) -> (Persona, String, String) {
    t.app
        .add_program(
            &domain::case::ProgramCode::parse("drop-in").unwrap(),
            &domain::case::ProgramName::parse("Drop-in").unwrap(),
        )
        .await
        .unwrap();
    let ana = t.persona("ana.m", Role::CaseManager).await;
    let (status, made) = send(
        t,
        &ana,
        Method::POST,
        "/api/v1/clients",
        Some(json!({"preferred_name": "Rosa"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let cases = format!("/api/v1/clients/{}/cases", made["id"].as_str().unwrap());
    let case = json!({"program": "drop-in", "opened_on": day(t, -opened)});
    let (status, made) = send(t, &ana, Method::POST, &cases, Some(case)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    (ana, cases, made["id"].as_str().unwrap().to_owned())
}

/// The day `days` from today, YYYY-MM-DD.
fn day(t: &TestApp, days: i64) -> String {
    format_date(t.app.now().plus_days(days).date())
}

/// A refusal: 422 naming `field`.
fn refused_naming(answer: &(StatusCode, Value), field: &str) {
    let (status, body) = answer;
    assert_eq!(*status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("{field}:")),
        "{field}: {message}"
    );
}

async fn audited(t: &TestApp, action: &str) -> usize {
    t.audit()
        .await
        .into_iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_closes_with_a_coded_reason_and_reopens_keeping_its_history() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, cases, case) = rosa_with_a_case(&t, 30).await;
        let close = format!("{cases}/{case}/close");
        let closing = |body: Value| send(&t, &ana, Method::POST, &close, Some(body));
        let today = day(&t, 0);
        // Bad input names its field and changes nothing.
        for (body, field) in [
            (json!({"closed_on": today, "reason": ""}), "reason"),
            (json!({"closed_on": today, "reason": "finished"}), "reason"),
            (json!({"closed_on": today, "reason": " moved"}), "reason"),
            (
                json!({"closed_on": today, "reason": "moved", "follow_up": "yes"}),
                "reach_method",
            ),
            (
                json!({"closed_on": today, "reason": "moved", "follow_up": "no", "reach_method": "text"}),
                "reach_method",
            ),
            (
                json!({"closed_on": today, "reason": "moved", "reach_how": "texts only"}),
                "reach_how",
            ),
            (
                json!({"closed_on": today, "reason": "died", "follow_up": "yes", "reach_method": "text"}),
                "follow_up",
            ),
            (
                json!({"closed_on": today, "reason": "moved", "note": "x".repeat(2001)}),
                "note",
            ),
            (
                json!({"closed_on": day(&t, -31), "reason": "moved"}),
                "closed_on",
            ),
        ] {
            refused_naming(&closing(body).await, field);
        }
        let (status, body) = closing(json!({"closed_on": today})).await;
        assert!(status.is_client_error(), "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("reason"),
            "{body}"
        );
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        assert_eq!(listed["cases"][0]["status"], "open", "nothing changed");
        assert_eq!(listed["cases"][0]["closures"], json!([]));
        // Six months from the opening, the review is due.
        let opened = t.app.now().plus_days(-30).date();
        let review = format_date(domain::closure::plus_months(opened, 6));
        assert_eq!(listed["cases"][0]["review_due_on"], json!(review));

        let closed_on = day(&t, -5);
        let agreed = json!({"closed_on": closed_on, "reason": "goals-met", "note": "Moved into her own flat.",
                            "follow_up": "yes", "reach_method": "text",
                            "reach_how": "Texts only, say it's Anna from the clinic"});
        assert_eq!(closing(agreed).await.0, StatusCode::NO_CONTENT);
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let closed = &listed["cases"][0];
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["closed_reason"], "goals-met");
        assert_eq!(
            closed["review_due_on"],
            Value::Null,
            "no review of a closed case"
        );
        let closure = &closed["closures"][0];
        assert_eq!(closure["note"], "Moved into her own flat.");
        assert_eq!(closure["follow_up"], "yes");
        assert_eq!(closure["reach_method"], "text");
        assert_eq!(
            closure["reach_how"],
            "Texts only, say it's Anna from the clinic"
        );
        let ats: Vec<(&str, &str)> = closure["follow_ups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["at"].as_str().unwrap(), f["state"].as_str().unwrap()))
            .collect();
        assert_eq!(
            ats,
            [
                ("3-months", "later"),
                ("6-months", "later"),
                ("12-months", "later")
            ]
        );
        let closed_day = t.app.now().plus_days(-5).date();
        let three = format_date(domain::closure::plus_months(closed_day, 3));
        assert_eq!(closure["follow_ups"][0]["due_on"], json!(three));

        // Re-opening: not before the closing day, not in the future, not an open case.
        let reopen = format!("{cases}/{case}/reopen");
        let reopening = |on: String| {
            send(
                &t,
                &ana,
                Method::POST,
                &reopen,
                Some(json!({"reopened_on": on})),
            )
        };
        refused_naming(&reopening(day(&t, -6)).await, "reopened_on");
        refused_naming(&reopening(day(&t, 2)).await, "reopened_on");
        assert_eq!(reopening(day(&t, -2)).await.0, StatusCode::NO_CONTENT);
        let again = reopening(day(&t, 0)).await;
        refused_naming(&again, "reopened_on");
        assert!(
            again.1["error"]["message"]
                .as_str()
                .unwrap()
                .contains("open")
        );
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let open = &listed["cases"][0];
        assert_eq!(open["status"], "open");
        assert_eq!(open["closed_reason"], Value::Null);
        assert_eq!(
            open["closures"][0]["reopened_on"],
            json!(day(&t, -2)),
            "the closure is kept"
        );
        assert_eq!(open["closures"][0]["follow_ups"][0]["state"], "stopped");
        assert_eq!(open["review_due_on"], json!(review));

        // Closed again: not before the re-opening; the history holds both closures.
        let declined =
            |on: String| json!({"closed_on": on, "reason": "declined-services", "follow_up": "no"});
        refused_naming(&closing(declined(day(&t, -3))).await, "closed_on");
        assert_eq!(
            closing(declined(day(&t, 0))).await.0,
            StatusCode::NO_CONTENT
        );
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let history = listed["cases"][0]["closures"].as_array().unwrap();
        let reasons: Vec<&str> = history
            .iter()
            .map(|k| k["reason"].as_str().unwrap())
            .collect();
        assert_eq!(reasons, ["goals-met", "declined-services"]);
        assert_eq!(
            history[1]["follow_ups"],
            json!([]),
            "no consent, no follow-ups"
        );
        assert_eq!(listed["cases"][0]["closed_reason"], "declined-services");
        assert_eq!(
            (
                audited(&t, "case.close").await,
                audited(&t, "case.reopen").await
            ),
            (2, 1)
        );

        // A case recorded as closed already (as cases were before reasons): not recorded.
        let past =
            json!({"program": "drop-in", "opened_on": day(&t, -90), "closed_on": day(&t, -60)});
        assert_eq!(
            send(&t, &ana, Method::POST, &cases, Some(past)).await.0,
            StatusCode::CREATED
        );
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let old = listed["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["opened_on"] == json!(day(&t, -90)))
            .unwrap();
        assert_eq!(
            (&old["closed_reason"], &old["closures"]),
            (&Value::Null, &json!([]))
        );

        // Someone else's caseload: not found, as a case that does not exist.
        let ben = t.persona("ben.m", Role::CaseManager).await;
        let (status, _) = send(
            &t,
            &ben,
            Method::POST,
            &reopen,
            Some(json!({"reopened_on": today})),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_ups_are_contacts_due_in_the_caseload_until_the_person_withdraws() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, cases, case) = rosa_with_a_case(&t, 10).await;
        let client = cases.split('/').nth(4).unwrap().to_owned();
        let closing = json!({"closed_on": day(&t, 0), "reason": "moved", "follow_up": "yes",
                             "reach_method": "phone", "reach_how": "Evenings only"});
        let close = format!("{cases}/{case}/close");
        assert_eq!(
            send(&t, &ana, Method::POST, &close, Some(closing)).await.0,
            StatusCode::NO_CONTENT
        );
        let closed_on = t.app.now().date();
        let follow_ups = format!("{cases}/{case}/follow-ups");
        let made = |at: &str| {
            let contact = json!({"occurred_at": t.app.now().rfc3339(), "method": "phone", "reached": false,
                                 "note": "No answer; left no message."});
            send(
                &t,
                &ana,
                Method::POST,
                &follow_ups,
                Some(json!({"at": at, "contact": contact})),
            )
        };
        refused_naming(&made("2-months").await, "at");
        // Early, when the person can be reached: an attempt counts, and is a contact in the log.
        assert_eq!(made("3-months").await.0, StatusCode::CREATED);
        refused_naming(&made("3-months").await, "at");
        let contacts = format!("/api/v1/clients/{client}/contacts");
        let (_, logged) = send(&t, &ana, Method::GET, &contacts, None).await;
        assert_eq!(logged["contacts"][0]["reached"], false, "{logged}");
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let states: Vec<&str> = listed["cases"][0]["closures"][0]["follow_ups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["state"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["done-not-reached", "later", "later"]);

        // Due in Ana's list once its day comes, and for 30 days; never in Ben's.
        let ben = t.persona("ben.m", Role::CaseManager).await;
        let due = |who: &Persona, on: time::Date| {
            let caller = who.caller.clone();
            let app = t.app.clone();
            async move {
                app.due_work(&caller, on, app::Purpose::CaseWork)
                    .await
                    .unwrap()
            }
        };
        let six = domain::closure::plus_months(closed_on, 6);
        assert!(due(&ana, six.previous_day().unwrap()).await.is_empty());
        let listed = due(&ana, six).await;
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].what.code(), "follow-up-6-months");
        assert_eq!(
            (listed[0].due_on, listed[0].client.to_string()),
            (six, client.clone())
        );
        assert_eq!(listed[0].client_name, "Rosa");
        assert!(due(&ben, six).await.is_empty(), "not Ben's caseload");
        let lapsed = six + time::Duration::days(31);
        assert!(due(&ana, lapsed).await.is_empty(), "lapsed after 30 days");
        assert!(audited(&t, "case.due-list").await >= 4);

        // Withdrawn by phone: at once, nothing more is due or taken.
        let withdraw = format!("{follow_ups}/withdraw");
        assert_eq!(
            send(&t, &ana, Method::POST, &withdraw, None).await.0,
            StatusCode::NO_CONTENT
        );
        assert!(due(&ana, six).await.is_empty());
        refused_naming(&made("6-months").await, "at");
        assert_eq!(
            send(&t, &ana, Method::POST, &withdraw, None).await.0,
            StatusCode::CONFLICT
        );
        let (_, listed) = send(&t, &ana, Method::GET, &cases, None).await;
        let closure = &listed["cases"][0]["closures"][0];
        assert!(closure["follow_ups_withdrawn_at"].is_string());
        assert_eq!(closure["follow_ups"][1]["state"], "stopped");
        assert_eq!(
            (
                audited(&t, "follow-up.create").await,
                audited(&t, "follow-up.withdraw").await
            ),
            (1, 1)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_six_month_review_comes_due_from_the_opening_until_one_is_taken() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, cases, _) = rosa_with_a_case(&t, 200).await;
        let client = cases.split('/').nth(4).unwrap().to_owned();
        let opened = t.app.now().plus_days(-200).date();
        let due_on = domain::closure::plus_months(opened, 6);
        let today = t.app.now().date();
        let listed = t
            .app
            .due_work(&ana.caller, today, app::Purpose::CaseWork)
            .await
            .unwrap();
        let what: Vec<(&str, time::Date)> =
            listed.iter().map(|d| (d.what.code(), d.due_on)).collect();
        assert_eq!(what, [("six-month-review", due_on)]);
        // An intake score is no review; a six-month one is.
        let outcomes = format!("/api/v1/clients/{client}/outcomes");
        for point in ["intake", "six-month"] {
            let body = json!({"point": point, "assessed_on": day(&t, 0)});
            assert_eq!(
                send(&t, &ana, Method::POST, &outcomes, Some(body)).await.0,
                StatusCode::CREATED
            );
            let listed = t
                .app
                .due_work(&ana.caller, today, app::Purpose::CaseWork)
                .await
                .unwrap();
            assert_eq!(
                listed.is_empty(),
                point == "six-month",
                "{point}: {listed:?}"
            );
        }
        // A team lead's list holds their team's; a case worker leads no team.
        assert!(t.app.team_due_work(&ana.caller, today).await.is_err());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcome_assessments_are_kept_every_question_free_to_leave() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, cases, _) = rosa_with_a_case(&t, 1).await;
        let client = cases.split('/').nth(4).unwrap().to_owned();
        let outcomes = format!("/api/v1/clients/{client}/outcomes");
        let assess = |body: Value| send(&t, &ana, Method::POST, &outcomes, Some(body));
        let today = day(&t, 0);
        for (body, field) in [
            (json!({"point": "", "assessed_on": today}), "point"),
            (json!({"point": "midway", "assessed_on": today}), "point"),
            (
                json!({"point": "intake", "assessed_on": today, "outcomes": {"safety": {"score": "6"}}}),
                "outcomes.safety.score",
            ),
            (
                json!({"point": "intake", "assessed_on": today, "outcomes": {"social-support": {"score": "great"}}}),
                "outcomes.social-support.score",
            ),
            (
                json!({"point": "intake", "assessed_on": today, "outcomes": {"housing": {"score": "3"}}}),
                "outcomes",
            ),
            (
                json!({"point": "intake", "assessed_on": day(&t, 2)}),
                "assessed_on",
            ),
            (
                json!({"point": "intake", "assessed_on": day(&t, -2)}),
                "assessed_on",
            ),
        ] {
            refused_naming(&assess(body).await, field);
        }
        let (_, listed) = send(&t, &ana, Method::GET, &outcomes, None).await;
        assert_eq!(listed["assessments"], json!([]), "nothing stored");
        let intake = json!({"point": "intake", "assessed_on": today, "note": "First meeting.",
                            "outcomes": {"safety": {"score": "1"}, "housing-stability": {"score": "2"},
                                         "legal-status": {"score": "prefers-not-to-say"}}});
        assert_eq!(assess(intake).await.0, StatusCode::CREATED);
        t.clock.advance_days(1);
        let exit = json!({"point": "exit", "assessed_on": day(&t, 0),
                          "outcomes": {"safety": {"score": "4"}, "housing-stability": {"score": " "}}});
        assert_eq!(assess(exit).await.0, StatusCode::CREATED);
        let (_, listed) = send(&t, &ana, Method::GET, &outcomes, None).await;
        let all = listed["assessments"].as_array().unwrap();
        assert_eq!(all.len(), 2, "none replaced");
        assert_eq!(all[0]["point"], "exit");
        assert_eq!(
            all[0]["outcomes"].as_object().unwrap().len(),
            7,
            "every domain"
        );
        assert_eq!(all[0]["outcomes"]["safety"], "4");
        assert_eq!(
            all[0]["outcomes"]["housing-stability"], "not-asked",
            "blank is not asked"
        );
        assert_eq!(all[1]["outcomes"]["legal-status"], "prefers-not-to-say");
        assert_eq!(all[1]["note"], "First meeting.");
        assert_eq!(
            (
                audited(&t, "outcome.create").await,
                audited(&t, "outcome.list").await
            ),
            (2, 2)
        );
    }
}

/// The pages: the closing form comes back as typed with the problem beside its box, and invites
/// the exit outcomes; a closure shows the safe way to reach and a re-opening form; the outcomes
/// page keeps what was typed on a refusal, and shows the way from intake to the latest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_closes_a_case_and_scores_outcomes_on_the_pages() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        t.app
            .add_program(
                &domain::case::ProgramCode::parse("drop-in").unwrap(),
                &domain::case::ProgramName::parse("Drop-in").unwrap(),
            )
            .await
            .unwrap();
        let (_, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let created = staff
            .submit(
                "/app/clients/new",
                "/app/clients",
                &[("preferred_name", "Rosa")],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        let rosa = created.location().to_owned();
        let page = staff.get(&rosa).await.body;
        assert!(
            page.contains(&format!("href=\"{rosa}/outcomes\"")),
            "linked from the client's page"
        );
        let cases = format!("{rosa}/cases");
        let today = format_date(t.app.now().date());
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
            page.body.contains("record the exit outcomes"),
            "invited, not required"
        );
        assert!(page.body.contains("Six-month outcome review due"));
        let closing = page
            .form_actions()
            .find(|a| a.ends_with("/close"))
            .unwrap()
            .to_owned();
        let typed = [
            ("closed_on", today.as_str()),
            ("reason", "goals-met"),
            ("note", "Her own flat now."),
            ("follow_up", "yes"),
            ("reach_method", ""),
            ("reach_how", "Texts only, say it's Anna"),
        ];
        let refused = staff.submit(&cases, &closing, &typed).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let body = refused.body;
        assert!(body.contains("reach_method: must say how"), "{body}");
        assert!(
            body.contains("Her own flat now.") && body.contains("Texts only, say it&#39;s Anna"),
            "{body}"
        );
        assert!(body.contains("value=\"goals-met\" selected"));
        let mut typed = typed;
        typed[4] = ("reach_method", "text");
        let closed = staff.submit(&cases, &closing, &typed).await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
        let page = staff.get(&cases).await;
        assert!(page.body.contains("Closed "), "{}", page.body);
        assert!(page.body.contains("Goals met"));
        assert!(
            page.body
                .contains("Safe way to reach: Text message: Texts only, say it&#39;s Anna")
        );
        assert!(page.body.contains("Follow-up at 3 months, due"));
        assert!(page.form_actions().any(|a| a.ends_with("/reopen")));
        assert!(
            page.form_actions()
                .any(|a| a.ends_with("/follow-ups/withdraw"))
        );
        let reopening = page
            .form_actions()
            .find(|a| a.ends_with("/reopen"))
            .unwrap()
            .to_owned();
        let later = format_date(t.app.now().plus_days(3).date());
        let refused = staff
            .submit(&cases, &reopening, &[("reopened_on", &later)])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains(&format!("value=\"{later}\"")));
        let reopened = staff
            .submit(&cases, &reopening, &[("reopened_on", &today)])
            .await;
        assert_eq!(reopened.status, StatusCode::SEE_OTHER, "{}", reopened.body);
        let page = staff.get(&cases).await.body;
        assert!(page.contains(&format!("Re-opened {today}.")), "{page}");

        // Outcomes: a day in the future comes back as typed; two assessments show the change.
        let outcomes = format!("{rosa}/outcomes");
        let page = staff.get(&outcomes).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("How safe do you feel"));
        let refused = staff
            .submit(
                &outcomes,
                &outcomes,
                &[
                    ("point", "intake"),
                    ("assessed_on", &later),
                    ("outcomes.safety.score", "2"),
                    ("note", "At the clinic"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("At the clinic") && refused.body.contains("value=\"2\" checked"),
            "{}",
            refused.body
        );
        for (point, score) in [("intake", "2"), ("exit", "4")] {
            let saved = staff
                .submit(
                    &outcomes,
                    &outcomes,
                    &[
                        ("point", point),
                        ("assessed_on", &today),
                        ("outcomes.safety.score", score),
                        ("note", ""),
                    ],
                )
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        }
        let page = staff.get(&outcomes).await.body;
        assert!(page.contains("From intake to the latest"), "{page}");
        assert!(
            page.contains("<td>2: struggling</td><td>4: steady</td><td>up 2</td>"),
            "{page}"
        );
    }
}

/// The OpenAPI document says what the server takes: a closure's reason required and one of the
/// codes, the follow-up words by their rule, the outcomes' seven domains each a score or blank.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_states_closure_and_outcomes() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let doc: Value = t
        .http
        .get(t.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (path, method) in [
        ("/api/v1/clients/{id}/cases/{case}/reopen", "post"),
        ("/api/v1/clients/{id}/cases/{case}/follow-ups", "post"),
        (
            "/api/v1/clients/{id}/cases/{case}/follow-ups/withdraw",
            "post",
        ),
        ("/api/v1/clients/{id}/outcomes", "post"),
        ("/api/v1/clients/{id}/outcomes", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    let schemas = &doc["components"]["schemas"];
    let close = &schemas["CloseBody"];
    assert!(
        close["required"]
            .as_array()
            .unwrap()
            .contains(&json!("reason"))
    );
    assert_eq!(
        close["properties"]["reason"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let rule = domain::closure::SafeReach::RULE;
    assert_eq!(
        close["properties"]["reach_how"]["pattern"],
        rule.pattern(true).as_str()
    );
    let outcomes = &schemas["OutcomesBody"]["properties"];
    let domains = outcomes["outcomes"]["properties"].as_object().unwrap();
    assert_eq!(domains.len(), 7);
    assert!(domains.contains_key("income-and-education"));
    assert_eq!(
        outcomes["point"]["enum"],
        json!(["intake", "six-month", "exit"])
    );
    let cases = &schemas["CaseResponse"]["properties"];
    for field in ["closures", "closed_reason", "review_due_on"] {
        assert!(cases[field].is_object(), "{field}");
    }
}
