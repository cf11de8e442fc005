//! The determination worksheet and its API over real HTTP: facts recorded with their sources, who
//! and when; the outcome per jurisdiction with its explanation and what is still unknown; history;
//! work in progress kept; and every route tried as anonymous, wrong role, another caseload and the
//! right role, refusals identical to "not found" (P6, P7), each step audited (P9).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{Persona, TestApp, engines};
use domain::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

const NOWHERE: &str = "/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";

/// A 15-year-old given a place to stay and exchanged for money: the minor rules need no means.
const MINOR_HARBOURED: &[(&str, &str)] = &[
    ("fact.person.date_of_birth", "2008-03-02"),
    ("source.person.date_of_birth", "document"),
    ("fact.period.from", "2023-06-01"),
    ("source.period.from", "own-account"),
    ("fact.actions.harboring", "yes"),
    ("source.actions.harboring", "own-account"),
    ("fact.purpose.sex_act", "yes"),
    ("source.purpose.sex_act", "own-account"),
    ("fact.purpose.anything_of_value_given_or_received", "yes"),
    (
        "source.purpose.anything_of_value_given_or_received",
        "third-party",
    ),
    ("fact.means.force", "unknown"),
];

/// How many determinations have been recorded, by the audit.
async fn determinations_of(t: &TestApp) -> usize {
    t.audit()
        .await
        .iter()
        .filter(|e| e.action == "determination.create")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worksheet_records_facts_with_their_sources_and_shows_what_the_law_makes_of_them() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let rosa = t.client_page_of(&ana, "Rosa").await;
        let mut web = Staff::new(&t);
        web.sign_in("ana.m", &secret).await;
        let sheet = format!("{rosa}/determinations/new");
        let action = format!("{rosa}/determinations");

        // Every fact of the facts file, in the three columns, each with "how we know".
        let page = web.get(&sheet).await;
        assert_eq!(page.status, StatusCode::OK);
        for column in [
            "Action: what was done",
            "Means: how it was done",
            "Purpose: what it was for",
        ] {
            assert!(page.body.contains(column), "{column}");
        }
        assert_eq!(page.body.matches(r#"name="source."#).count(), 40);
        assert_eq!(page.body.matches(r#"value="unknown" checked"#).count(), 36);

        // Known facts without a source are refused, each named beside its field and in the list
        // at the top; what was chosen stays.
        let refused = web
            .submit(
                &sheet,
                &action,
                &[
                    ("fact.means.force", "yes"),
                    ("fact.actions.harboring", "no"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("2 things to put right"),
            "{}",
            refused.body
        );
        for field in ["source.means.force", "source.actions.harboring"] {
            assert!(refused.body.contains(&format!(r##"href="#{field}""##)));
            assert!(refused.body.contains(&format!(
                r#"aria-invalid="true" aria-describedby="problem.{field}""#
            )));
        }
        assert!(refused.body.contains("Force was used"), "{}", refused.body);
        assert!(refused.body.contains("Say how we know this"));
        assert!(
            refused
                .body
                .contains(r#"name="fact.means.force" value="yes" checked"#)
        );
        assert!(
            refused
                .body
                .contains(r#"name="fact.actions.harboring" value="no" checked"#)
        );
        // So is a date that does not exist.
        let bad_date = web
            .submit(&sheet, &action, &[("fact.period.from", "2023-02-30")])
            .await;
        assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_date.body.contains("Write a real date"));
        assert!(bad_date.body.contains(r#"value="2023-02-30""#));
        assert_eq!(determinations_of(&t).await, 0, "nothing was recorded");

        // Recorded: the outcome per jurisdiction, why, and what we still need to know.
        let recorded = web.submit(&sheet, &action, MINOR_HARBOURED).await;
        assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
        let first = recorded.location().to_owned();
        assert!(first.starts_with(&format!("{rosa}/determinations/")));
        let result = web.get(&first).await;
        assert_eq!(result.status, StatusCode::OK);
        let body = &result.body;
        for heading in [
            "United States federal law",
            "California law",
            "International law (the Palermo Protocol)",
            "Severe form of trafficking: sex trafficking (federal definition)",
            "Human trafficking of a minor (California)",
            "What we still need to know",
            "Why, element by element",
            "not an official status",
        ] {
            assert!(body.contains(heading), "{heading}");
        }
        let severe = body
            .split("Severe form of trafficking: sex trafficking")
            .nth(1)
            .unwrap();
        assert!(
            severe
                .split("</article>")
                .next()
                .unwrap()
                .contains("Outcome: met on the recorded facts")
        );
        // The facts with how each is known, who recorded it and when.
        assert!(body.contains("own account"), "{body}");
        assert!(body.contains("Someone else told us") && body.contains("ana.m"));
        // The page never carries the client's name in its title (P23).
        assert!(body.contains("<title>Determination"));

        // The client's page lists it.
        let client_page = web.get(&rosa).await;
        assert!(client_page.body.contains(&first));
        assert!(client_page.body.contains(" met, "));

        // Revising: the worksheet opens with the last answers and who gave them.
        t.clock.advance_minutes(5);
        let again = web.get(&sheet).await;
        assert!(
            again
                .body
                .contains(r#"name="fact.actions.harboring" value="yes" checked"#)
        );
        assert!(again.body.contains("Last time: yes: the person"));
        let mut revised: Vec<(&str, &str)> = MINOR_HARBOURED
            .iter()
            .copied()
            .filter(|(k, _)| *k != "fact.means.force")
            .collect();
        revised.extend([
            ("fact.means.force", "no"),
            ("source.means.force", "observation"),
        ]);
        let second = web.submit(&sheet, &action, &revised).await;
        assert_eq!(second.status, StatusCode::SEE_OTHER);
        assert_ne!(second.location(), first);

        // History: both, newest first; unchanged facts keep who and when.
        let list = t
            .app
            .determinations(&ana.caller, rosa_id(&rosa), app::Purpose::CaseWork)
            .await
            .unwrap();
        assert_eq!(list.list.len(), 2);
        let (newest, oldest) = (&list.list[0].worksheet, &list.list[1].worksheet);
        assert_eq!(
            newest.provenance("actions.harboring").unwrap().at,
            oldest.provenance("actions.harboring").unwrap().at
        );
        let force = newest.provenance("means.force").unwrap();
        assert_eq!(force.source, domain::legal::FactSource::Observation);
        assert!(force.at > oldest.provenance("actions.harboring").unwrap().at);
        assert_eq!(oldest.provenance("means.force"), None);

        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "determination.create")
                .count(),
            2
        );
        assert!(actions.iter().any(|a| a == "determination.list"));
    }
}

fn rosa_id(path: &str) -> domain::ClientId {
    path.rsplit('/').next().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worksheet_in_progress_is_kept_until_it_is_recorded() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let rosa = t.client_page_of(&ana, "Rosa").await;
    let mut web = Staff::new(&t);
    web.sign_in("ana.m", &secret).await;
    let sheet = format!("{rosa}/determinations/new");
    let action = format!("{rosa}/determinations");

    // Saved as it is filled in (the page's script), unchecked: a half-typed age is kept as typed.
    let csrf = web.get(&sheet).await.csrf();
    let scripted = web
        .send(web_post(&t, &action).header("x-autosave", "1").form(&[
            ("csrf", csrf.as_str()),
            ("fact.means.debt_bondage", "yes"),
            ("fact.person.age_at_first_act", "1x"),
            ("save", "draft"),
        ]))
        .await;
    assert_eq!(scripted.status, StatusCode::NO_CONTENT);
    // Without the script, "Save and finish later" does the same and comes back to the page.
    let by_hand = web
        .submit(
            &sheet,
            &action,
            &[
                ("fact.means.debt_bondage", "yes"),
                ("fact.person.age_at_first_act", "1x"),
                ("save", "draft"),
            ],
        )
        .await;
    assert_eq!(by_hand.status, StatusCode::SEE_OTHER);
    assert_eq!(by_hand.location(), sheet);

    // A new session finds it.
    let mut later = Staff::new(&t);
    later.sign_in("ana.m", &secret).await;
    let reopened = later.get(&sheet).await;
    assert!(reopened.body.contains("Carried on from the draft"));
    assert!(
        reopened
            .body
            .contains(r#"name="fact.means.debt_bondage" value="yes" checked"#)
    );
    assert!(reopened.body.contains(r#"value="1x""#));

    // Recording it clears the draft.
    let done = later
        .submit(
            &sheet,
            &action,
            &[
                ("fact.means.debt_bondage", "yes"),
                ("source.means.debt_bondage", "own-account"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let fresh = later.get(&sheet).await;
    assert!(!fresh.body.contains("Carried on from the draft"));
    let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
    assert!(actions.iter().any(|a| a == "determination.draft-save"));
    assert!(actions.iter().any(|a| a == "determination.draft-read"));
}

fn web_post(t: &TestApp, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(t.url(path))
        .header("origin", t.base.as_str())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worksheet_is_not_found_for_anyone_else_and_changes_nothing() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
    let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
    let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let (_, dan_key) = t.enrolled("dan.analyst", Role::DataAnalyst).await;
    let rosa = t.client_page_of(&ana, "Rosa").await;
    let mut owner = Staff::new(&t);
    owner.sign_in("ana.m", &ana_key).await;
    let recorded = owner
        .submit(
            &format!("{rosa}/determinations/new"),
            &format!("{rosa}/determinations"),
            MINOR_HARBOURED,
        )
        .await;
    let result = recorded.location().to_owned();
    let before = determinations_of(&t).await;

    let gets = [format!("{rosa}/determinations/new"), result.clone()];
    for (name, key) in [
        ("ben.m", &ben_key),
        ("ada.admin", &ada_key),
        ("dan.analyst", &dan_key),
    ] {
        let mut who = Staff::new(&t);
        who.sign_in(name, key).await;
        let nothing = who.get(NOWHERE).await;
        assert_eq!(nothing.status, StatusCode::NOT_FOUND);
        for path in &gets {
            let refused = who.get(path).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{name} {path}");
            assert_eq!(refused.body, nothing.body, "{name} {path}");
        }
        for extra in [None, Some(("save", "draft"))] {
            let mut fields = MINOR_HARBOURED.to_vec();
            fields.extend(extra);
            let posted = who
                .submit("/app/", &format!("{rosa}/determinations"), &fields)
                .await;
            assert_eq!(posted.status, StatusCode::NOT_FOUND, "{name} {extra:?}");
            assert_eq!(posted.body, nothing.body);
        }
    }
    // Anonymous: sent to sign in, nothing shown.
    let mut anonymous = Staff::new(&t);
    for path in &gets {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(page.location(), "/login");
    }
    let posted = anonymous
        .post(&format!("{rosa}/determinations"), MINOR_HARBOURED)
        .await;
    assert!(!posted.status.is_success(), "{}", posted.status);
    assert!(!posted.body.contains("Outcome"));
    // A form with a field it does not have is refused whole.
    let odd = owner
        .submit(
            &format!("{rosa}/determinations/new"),
            &format!("{rosa}/determinations"),
            &[("fact.means.telepathy", "yes")],
        )
        .await;
    assert_eq!(odd.status, StatusCode::BAD_REQUEST);
    assert_eq!(determinations_of(&t).await, before, "nothing was recorded");
    assert!(
        t.audit().await.iter().any(|e| e.action == "access.refused"),
        "refusals are audited"
    );
}

/// The 15-year-old of `MINOR_HARBOURED` as the API takes her facts, and how each is known.
fn minor_harboured() -> Value {
    json!({
        "facts": {"person": {"date_of_birth": "2008-03-02"}, "period": {"from": "2023-06-01"},
                  "actions": {"harboring": true},
                  "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}},
        "sources": {"person.date_of_birth": "document", "period.from": "own-account",
                    "actions.harboring": "own-account", "purpose.sex_act": "own-account",
                    "purpose.anything_of_value_given_or_received": "own-account"}
    })
}

async fn api(
    t: &TestApp,
    who: Option<&Persona>,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = t.http.request(method, t.url(path));
    if let Some(who) = who {
        request = request.bearer_auth(&who.token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_records_determinations_and_lists_them_for_the_right_people_only() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let ana = t.persona("ana.m", Role::CaseManager).await;
        let ben = t.persona("ben.m", Role::CaseManager).await;
        let ada = t.persona("ada.admin", Role::Administrator).await;
        let rosa = t.client_page_of(&ana, "Rosa").await;
        let path = format!("/api/v1/clients/{}/determinations", rosa_id(&rosa));
        let missing = "/api/v1/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10/determinations";
        let body = minor_harboured();

        // Bad input: a clear 422 naming the field, and nothing recorded.
        let mut no_source = body.clone();
        no_source["sources"]
            .as_object_mut()
            .unwrap()
            .remove("actions.harboring");
        let (status, error) = api(
            &t,
            Some(&ana),
            reqwest::Method::POST,
            &path,
            Some(no_source),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("actions.harboring")
        );
        let mut odd_fact = body.clone();
        odd_fact["facts"]["means"] = json!({"telepathy": true});
        let (status, error) =
            api(&t, Some(&ana), reqwest::Method::POST, &path, Some(odd_fact)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("means")
        );
        let mut odd_source = body.clone();
        odd_source["sources"]["actions.harboring"] = json!("rumour");
        let (status, _) = api(
            &t,
            Some(&ana),
            reqwest::Method::POST,
            &path,
            Some(odd_source),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(determinations_of(&t).await, 0);

        // Anonymous, another caseload, an administrator: refused, exactly like a missing client.
        let (status, _) = api(&t, None, reqwest::Method::POST, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        let (_, nothing) = api(&t, Some(&ben), reqwest::Method::GET, missing, None).await;
        for who in [&ben, &ada] {
            for method in [reqwest::Method::GET, reqwest::Method::POST] {
                let (status, refused) =
                    api(&t, Some(who), method.clone(), &path, Some(body.clone())).await;
                assert_eq!(status, StatusCode::NOT_FOUND, "{method}");
                assert_eq!(refused, nothing);
            }
        }
        assert_eq!(determinations_of(&t).await, 0);

        // The right person: recorded, with the results of every rule as `determine` gives them.
        let (status, created) = api(
            &t,
            Some(&ana),
            reqwest::Method::POST,
            &path,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let results = created["results"].as_array().unwrap();
        assert_eq!(results.len(), 7);
        let severe = results
            .iter()
            .find(|r| r["rule"] == "us-federal.severe-sex-trafficking")
            .unwrap();
        assert_eq!(severe["outcome"], "met");
        assert!(severe["explanation"].is_object());
        let labour = results
            .iter()
            .find(|r| r["rule"] == "us-federal.severe-labor-trafficking")
            .unwrap();
        assert_ne!(labour["outcome"], "met");

        let (status, listed) = api(&t, Some(&ana), reqwest::Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        let first = &listed["determinations"][0];
        assert_eq!(first["id"], created["id"]);
        assert_eq!(
            first["outcomes"]["us-federal.severe-sex-trafficking"],
            "met"
        );
        assert_eq!(first["worksheet"]["facts"]["actions"]["harboring"], true);
        assert_eq!(first["worksheet"]["facts"]["means"]["force"], Value::Null);
        assert_eq!(
            first["worksheet"]["provenance"]["person.date_of_birth"]["source"],
            "document"
        );
        assert_eq!(determinations_of(&t).await, 1);
    }
}

/// The dashboard counts each person's latest determination of the period by what its facts made
/// of each definition on the day it was recorded: an earlier one of theirs, and one recorded
/// before the period, count for nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_each_persons_latest_determination_by_its_outcome() {
    use app::reports::{Output, ReportRequest, Scope};
    use report::measures::Measure;
    use report::{Mode, Shown};

    let minor_harboured = minor_harboured();
    let little_known = json!({
        "facts": {"period": {"from": "2023-06-01"}},
        "sources": {"period.from": "own-account"}
    });
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let ana = t.persona("ana.m", Role::CaseManager).await;
        let mut clients = Vec::new();
        for name in ["Before", "Rosa", "Lena"] {
            clients.push(rosa_id(&t.client_page_of(&ana, name).await));
        }
        let determine = async |client: domain::ClientId, body: &Value| {
            let path = format!("/api/v1/clients/{client}/determinations");
            let body = Some(body.clone());
            let (status, _) = api(&t, Some(&ana), reqwest::Method::POST, &path, body).await;
            assert_eq!(status, StatusCode::CREATED, "{engine:?}");
        };
        determine(clients[0], &minor_harboured).await;
        t.clock.advance_days(2);
        let first_day = t.app.now().date();
        determine(clients[1], &little_known).await;
        t.clock.advance_seconds(60);
        determine(clients[1], &minor_harboured).await;
        determine(clients[2], &little_known).await;

        let request = ReportRequest {
            measure: Measure::Dashboard,
            period: report::period::Period::new(first_day, t.app.now().date()).unwrap(),
            mode: Mode::Exact,
            output: Output::Screen,
            within: Scope::Everyone,
        };
        let report = t.app.report_as_operator(&request, None).await.unwrap();
        let table = report
            .tables()
            .iter()
            .find(|t| t.title() == "Determinations, by the definitions met")
            .unwrap();
        let count = |row: &str| {
            let at = table.rows().iter().position(|r| r == row).unwrap();
            table.cells()[at][0]
        };
        assert_eq!(
            count("Sex trafficking (federal definition)"),
            Shown::Count(1),
            "{engine:?}: Rosa's latest met it, not her first; Before's is before the period"
        );
        assert_eq!(
            count("None of them"),
            Shown::Count(1),
            "{engine:?}: Lena's met none"
        );
    }
}
