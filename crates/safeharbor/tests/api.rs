//! The JSON API through a real HTTP server: what is recorded reads back, every read and write is
//! audited (P9), strict headers (P14) and bad input is answered with a clear 4xx that changes
//! nothing (P15). Who may use which route, and that a refusal looks exactly like "not found"
//! (P6, P7), is the hand-typed matrix of `authorization.rs`.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Engine, Persona, TestApp, engines};
use domain::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

struct World {
    t: TestApp,
    manager: Persona,
    other_manager: Persona,
    outreach: Persona,
    client: String,
}

async fn world(engine: Engine) -> World {
    let t = TestApp::start(engine).await;
    let added = t
        .app
        .add_program(
            &domain::case::ProgramCode::parse("drop-in").unwrap(),
            &domain::case::ProgramName::parse("Drop-in").unwrap(),
        )
        .await
        .unwrap();
    assert!(added);
    let manager = t.persona("ana.manager", Role::CaseManager).await;
    let other_manager = t.persona("ben.manager", Role::CaseManager).await;
    let outreach = t.persona("olu.outreach", Role::Outreach).await;
    let response = send(
        &t,
        Some(&manager),
        Method::POST,
        "/api/v1/clients",
        Some(new_client("Rosa")),
    )
    .await;
    assert_eq!(response.0, StatusCode::CREATED, "{}", response.1);
    let client = response.1["id"].as_str().expect("id").to_owned();
    World {
        t,
        manager,
        other_manager,
        outreach,
        client,
    }
}

fn new_client(name: &str) -> Value {
    json!({"preferred_name": name, "legal_name": format!("{name} Example"), "date_of_birth": "2004-02-29",
           "contact": "Text after 6 pm", "languages": ["Spanish"], "gender": "woman",
           "citizenship": "foreign-national"})
}

async fn send(
    t: &TestApp,
    who: Option<&Persona>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let (status, _, text) = send_raw(t, who, method, path, body).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn send_raw(
    t: &TestApp,
    who: Option<&Persona>,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    let mut request = t.http.request(method, t.url(path));
    if let Some(who) = who {
        request = request.bearer_auth(&who.token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("body"))
}

/// Every route of the API (who may use which is `authorization.rs`).
const ROUTES: [(Method, &str); 13] = [
    (Method::POST, "/api/v1/clients"),
    (Method::GET, "/api/v1/clients"),
    (Method::POST, "/api/v1/clients/duplicates"),
    (Method::GET, "/api/v1/clients/{id}"),
    (Method::GET, "/api/v1/clients/{id}/notes"),
    (Method::POST, "/api/v1/clients/{id}/notes"),
    (Method::GET, "/api/v1/clients/{id}/cases"),
    (Method::POST, "/api/v1/clients/{id}/cases"),
    (Method::GET, "/api/v1/clients/{id}/screenings"),
    (Method::POST, "/api/v1/clients/{id}/screenings"),
    (Method::GET, "/api/v1/clients/{id}/determinations"),
    (Method::POST, "/api/v1/clients/{id}/determinations"),
    (Method::DELETE, "/api/v1/clients/{id}"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_manager_reads_back_exactly_what_was_recorded() {
    for engine in engines() {
        let w = world(engine).await;
        let path = format!("/api/v1/clients/{}", w.client);
        let (status, client) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(client["preferred_name"], "Rosa");
        assert_eq!(client["legal_name"], "Rosa Example");
        assert_eq!(client["date_of_birth"], "2004-02-29");
        assert_eq!(client["languages"], json!(["Spanish"]));
        assert_eq!(client["gender"], "woman");
        assert_eq!(
            (&client["citizenship"], &client["trafficking_type"]),
            (&json!("foreign-national"), &Value::Null),
            "a report dimension is kept as coded; one not sent is not recorded"
        );
        assert_eq!(
            client["age_band"], "18-24",
            "derived from the date of birth"
        );
        let note = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            &format!("{path}/notes"),
            Some(json!({"text": "  First contact.\nSafe.  "})),
        )
        .await;
        assert_eq!(note.0, StatusCode::CREATED);
        let (_, notes) = send(
            &w.t,
            Some(&w.manager),
            Method::GET,
            &format!("{path}/notes"),
            None,
        )
        .await;
        assert_eq!(notes["notes"][0]["text"], "First contact.\nSafe.");
        assert_eq!(notes["notes"][0]["id"], note.1["id"]);
        assert_eq!(
            notes["notes"][0]["kind"], "general",
            "a note is a case note unless told"
        );
        // A note of another kind; a kind not on the list is refused, naming it, and not kept.
        let notes_path = format!("{path}/notes");
        let safety = json!({"text": "Moved the safe time to mornings.", "kind": "safety"});
        let (status, _) = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            &notes_path,
            Some(safety),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let odd = json!({"text": "Not kept.", "kind": "gossip"});
        let (status, refused) =
            send(&w.t, Some(&w.manager), Method::POST, &notes_path, Some(odd)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(
            refused["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("kind:")
        );
        let (_, notes) = send(&w.t, Some(&w.manager), Method::GET, &notes_path, None).await;
        let kinds: Vec<&str> = notes["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            ["safety", "general"],
            "newest first; the refused one is not there"
        );
        let (_, caseload) =
            send(&w.t, Some(&w.manager), Method::GET, "/api/v1/clients", None).await;
        assert_eq!(caseload["clients"][0]["id"], w.client.as_str());
        let (_, theirs) = send(
            &w.t,
            Some(&w.other_manager),
            Method::GET,
            "/api/v1/clients",
            None,
        )
        .await;
        assert_eq!(theirs["clients"], json!([]));
        let (_, dupes) = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            "/api/v1/clients/duplicates",
            Some(json!({"name": "rosa  EXAMPLE", "date_of_birth": "1999-01-01"})),
        )
        .await;
        assert_eq!(dupes["clients"], json!([w.client]));
        let (_, none) = send(
            &w.t,
            Some(&w.other_manager),
            Method::POST,
            "/api/v1/clients/duplicates",
            Some(json!({"name": "Rosa Example"})),
        )
        .await;
        assert_eq!(
            none["clients"],
            json!([]),
            "possible duplicates come only from one's own caseload"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_and_write_of_a_client_is_audited_with_who_what_and_why() {
    for engine in engines() {
        let w = world(engine).await;
        let path = format!("/api/v1/clients/{}", w.client);
        let target = format!("client:{}", w.client);
        let actor = format!("user:{}", w.manager.caller.id);
        let calls: [(Method, String, Option<Value>, &str); 5] = [
            (Method::GET, path.clone(), None, "client.read"),
            (
                Method::POST,
                format!("{path}/notes"),
                Some(json!({"text": "Called."})),
                "note.create",
            ),
            (Method::GET, format!("{path}/notes"), None, "note.list"),
            (
                Method::POST,
                format!("{path}/cases"),
                Some(json!({"program": "drop-in", "opened_on": "2026-10-01"})),
                "case.create",
            ),
            (Method::GET, format!("{path}/cases"), None, "case.list"),
        ];
        for (method, path, body, action) in calls {
            let before = w.t.audit().await.len();
            let mut request =
                w.t.http
                    .request(method, w.t.url(&path))
                    .bearer_auth(&w.manager.token)
                    .header("x-purpose", "safety");
            if let Some(body) = body {
                request = request.json(&body);
            }
            assert!(request.send().await.unwrap().status().is_success());
            let events = w.t.audit().await;
            assert_eq!(events.len(), before + 1, "{action}: exactly one event");
            let event = events.last().unwrap();
            assert_eq!(
                (event.action.as_str(), event.actor.as_str()),
                (action, actor.as_str())
            );
            assert_eq!(event.target.as_deref(), Some(target.as_str()));
            assert_eq!(event.purpose, "safety");
        }
        // A refused look at someone else's client is itself audited.
        send(&w.t, Some(&w.other_manager), Method::GET, &path, None).await;
        let refused = w.t.audit().await.pop().unwrap();
        assert_eq!(refused.action, "access.refused");
        assert_eq!(refused.actor, format!("user:{}", w.other_manager.caller.id));
        assert_eq!(
            w.t.app.verify_audit(&[], |_| ()).await.unwrap(),
            Ok(i64::try_from(w.t.audit().await.len()).unwrap())
        );
    }
}

/// Reads arriving together share durable commits (group commit); each is still audited exactly
/// once, refusals included, and the chain stays whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_arriving_together_are_each_audited_once() {
    for engine in engines() {
        let w = world(engine).await;
        let path = format!("/api/v1/clients/{}", w.client);
        let before = w.t.audit().await.len();
        let mut reads = tokio::task::JoinSet::new();
        for i in 0..48 {
            let who = if i % 4 == 0 {
                &w.other_manager
            } else {
                &w.manager
            };
            let request = w.t.http.get(w.t.url(&path)).bearer_auth(&who.token);
            reads.spawn(async move { request.send().await.unwrap().status() });
        }
        let mut statuses = Vec::new();
        while let Some(status) = reads.join_next().await {
            statuses.push(status.unwrap());
        }
        let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
        assert_eq!(
            (count(StatusCode::OK), count(StatusCode::NOT_FOUND)),
            (36, 12)
        );

        let events = w.t.audit().await;
        let new = &events[before..];
        let by = |action: &str, who: &Persona| {
            let actor = format!("user:{}", who.caller.id);
            new.iter()
                .filter(|e| e.action == action && e.actor == actor)
                .count()
        };
        assert_eq!(new.len(), 48, "one event per request");
        assert_eq!(by("client.read", &w.manager), 36);
        assert_eq!(by("access.refused", &w.other_manager), 12);
        assert_eq!(
            w.t.app.verify_audit(&[], |_| ()).await.unwrap(),
            Ok(i64::try_from(events.len()).unwrap())
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_a_clear_4xx_and_changes_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let before = w.t.audit().await.len();
        let clients = format!("{}/api/v1/clients", w.t.base);
        let notes = format!("{}/api/v1/clients/{}/notes", w.t.base, w.client);
        let token = w.manager.token.clone();
        let post = |url: &str, body: String, content_type: &str| {
            w.t.http
                .post(url)
                .bearer_auth(&token)
                .header("content-type", content_type)
                .body(body)
        };
        let bad: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
            (
                post(&clients, "{".into(), "application/json"),
                StatusCode::BAD_REQUEST,
                "not valid JSON",
            ),
            (
                post(
                    &clients,
                    r#"{"preferred_name": "A", "ssn": "1"}"#.into(),
                    "application/json",
                ),
                StatusCode::BAD_REQUEST,
                "is not a field",
            ),
            (
                post(
                    &clients,
                    r#"{"preferred_name": 7}"#.into(),
                    "application/json",
                ),
                StatusCode::BAD_REQUEST,
                "wrong type",
            ),
            (
                post(&clients, r#"{}"#.into(), "application/json"),
                StatusCode::BAD_REQUEST,
                "missing `preferred_name`",
            ),
            (
                post(&clients, r#"{"preferred_name": "A"}"#.into(), "text/plain"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "JSON",
            ),
            (
                // JSON is UTF-8 only; a body said to be UTF-16 was read as UTF-8 regardless.
                post(
                    &clients,
                    r#"{"preferred_name": "A"}"#.into(),
                    "application/json; charset=utf-16",
                ),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UTF-8",
            ),
            (
                post(
                    &clients,
                    format!(r#"{{"preferred_name": "{}"}}"#, "x".repeat(70_000)),
                    "application/json",
                ),
                StatusCode::PAYLOAD_TOO_LARGE,
                "too large",
            ),
            (
                post(
                    &clients,
                    r#"{"preferred_name": "A", "date_of_birth": "2030-01-01"}"#.into(),
                    "application/json",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "future",
            ),
            (
                post(
                    &clients,
                    r#"{"preferred_name": "A", "gender": "female"}"#.into(),
                    "application/json",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "gender",
            ),
            (
                post(
                    &clients,
                    r#"{"preferred_name": "   "}"#.into(),
                    "application/json",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty",
            ),
            (
                post(&notes, r#"{"text": ""}"#.into(), "application/json"),
                StatusCode::UNPROCESSABLE_ENTITY,
                "empty",
            ),
            (
                post(&notes, r#"{"text": ["a"]}"#.into(), "application/json"),
                StatusCode::BAD_REQUEST,
                "wrong type",
            ),
            (
                w.t.http
                    .get(format!("{clients}?limit=many"))
                    .bearer_auth(&token),
                StatusCode::BAD_REQUEST,
                "whole number",
            ),
            (
                w.t.http
                    .get(format!("{clients}/not-an-id"))
                    .bearer_auth(&token),
                StatusCode::NOT_FOUND,
                "Nothing was found",
            ),
            (
                w.t.http
                    .get(format!("{clients}/{}", w.client))
                    .header("x-purpose", "curiosity")
                    .bearer_auth(&token),
                StatusCode::BAD_REQUEST,
                "X-Purpose",
            ),
            (
                w.t.http.put(&clients).bearer_auth(&token),
                StatusCode::METHOD_NOT_ALLOWED,
                "method",
            ),
            (
                w.t.http.get(format!("{}/api/v1/nowhere", w.t.base)),
                StatusCode::NOT_FOUND,
                "Nothing was found",
            ),
        ];
        let cases = format!("{clients}/{}/cases", w.client);
        let case = |program: &str, opened: &str| {
            let body = json!({"program": program, "opened_on": opened}).to_string();
            post(&cases, body, "application/json")
        };
        // Dates out of range, a program typed free (which could name the person) and a code
        // that is not one of the organisation's programs.
        let cases = [
            ("drop-in", "0000-01-01", "from 1900 to 2100"),
            ("drop-in", "2101-01-01", "from 1900 to 2100"),
            ("Rosa's case", "2026-01-01", "must be a program's code"),
            (
                "night-shelter",
                "2026-01-01",
                "is not one of this organisation's programs",
            ),
        ]
        .map(|(program, opened, says)| {
            (
                case(program, opened),
                StatusCode::UNPROCESSABLE_ENTITY,
                says,
            )
        });
        // Pages outside the documented bounds.
        let pages = ["limit=0", "limit=201", "limit=-1", "offset=-5"].map(|page| {
            let request =
                w.t.http
                    .get(format!("{clients}?{page}"))
                    .bearer_auth(&token);
            (
                request,
                StatusCode::BAD_REQUEST,
                "from 1 to 200, offset 0 or more",
            )
        });
        let bad = bad.into_iter().chain(cases).chain(pages);
        for (request, status, says) in bad {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), status);
            let body: Value = response.json().await.unwrap();
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains(says), "{status}: {message}");
        }
        // Nothing was written: no client, no note, and (refusals of reads aside) no audit event.
        let (_, caseload) =
            send(&w.t, Some(&w.manager), Method::GET, "/api/v1/clients", None).await;
        assert_eq!(caseload["clients"].as_array().unwrap().len(), 1);
        let written: Vec<_> =
            w.t.audit()
                .await
                .into_iter()
                .skip(before)
                .map(|e| e.action)
                .collect();
        assert_eq!(
            written,
            vec!["caseload.list"],
            "only the check above left a trace"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let w = world(Engine::Sqlite).await;
    let mut paths: Vec<(Method, String, Option<&Persona>)> = vec![
        (Method::GET, "/healthz".into(), None),
        (Method::GET, "/api/v1/openapi.json".into(), None),
        (Method::GET, "/nowhere".into(), None),
        (Method::GET, "/api/v1/nowhere".into(), None),
        (Method::GET, "/es/learn".into(), None),
    ];
    for (method, path) in ROUTES {
        let path = path.replace("{id}", &w.client);
        paths.push((method.clone(), path.clone(), Some(&w.manager)));
        paths.push((method, path, None));
    }
    for (method, path, who) in paths {
        let (_, headers, _) = send_raw(&w.t, who, method.clone(), &path, None).await;
        common::assert_security_headers(&headers, &format!("{method} {path}"));
        assert!(headers.get("set-cookie").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_stop_working_when_revoked_or_expired() {
    let w = world(Engine::Sqlite).await;
    async fn get(t: &TestApp, p: &Persona) -> StatusCode {
        send(t, Some(p), Method::GET, "/api/v1/clients", None)
            .await
            .0
    }
    assert_eq!(get(&w.t, &w.manager).await, StatusCode::OK);
    w.t.clock.advance_days(app::users::DEFAULT_TOKEN_DAYS);
    assert_eq!(
        get(&w.t, &w.manager).await,
        StatusCode::UNAUTHORIZED,
        "expired"
    );
    let fresh =
        w.t.app
            .create_token("ben.manager", "laptop", 30)
            .await
            .unwrap();
    let ben = Persona {
        token: fresh.secret,
        caller: w.other_manager.caller.clone(),
    };
    assert_eq!(get(&w.t, &ben).await, StatusCode::OK);
    w.t.app.revoke_token(fresh.token.id).await.unwrap();
    assert_eq!(get(&w.t, &ben).await, StatusCode::UNAUTHORIZED, "revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screening_is_scored_recorded_sealed_and_listed() {
    for engine in engines() {
        let w = world(engine).await;
        let path = format!("/api/v1/clients/{}/screenings", w.client);
        let body = json!({"instrument": "sscst-6", "answers": {"substance-use": "yes", "police": "yes", "sti": "declined"}});
        let (status, result) = send(
            &w.t,
            Some(&w.outreach),
            Method::POST,
            &path,
            Some(body.clone()),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "outreach is not assigned to this client"
        );
        let (status, result2) = send(&w.t, Some(&w.manager), Method::POST, &path, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{result} {result2}");
        assert_eq!(
            (result2["score"].as_u64(), result2["result"].as_str()),
            (Some(2), Some("positive"))
        );
        assert!(
            result2["recommended_action"]
                .as_str()
                .unwrap()
                .starts_with("Look further")
        );
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        let first = &listed["screenings"][0];
        assert_eq!(first["id"], result2["id"]);
        assert_eq!(first["instrument_version"], "1.0.0");
        assert_eq!(first["answers"]["sti"], "declined");
        assert_eq!(first["answers"]["partners"], "unknown");
        for bad in [
            json!({"instrument": "nope", "answers": {}}),
            json!({"instrument": "qyit-4", "answers": {"traded-sex": "often"}}),
            json!({"instrument": "qyit-4", "answers": {"not-an-item": "yes"}}),
        ] {
            let (status, _) = send(&w.t, Some(&w.manager), Method::POST, &path, Some(bad)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        }
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(
            listed["screenings"].as_array().unwrap().len(),
            1,
            "bad screenings wrote nothing"
        );
        let (status, instruments) = send(
            &w.t,
            Some(&w.outreach),
            Method::GET,
            "/api/v1/instruments",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(instruments["instruments"].as_array().unwrap().len(), 4);
        assert_eq!(
            send(&w.t, None, Method::GET, "/api/v1/instruments", None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_the_contract_paths() {
    let w = world(Engine::Sqlite).await;
    let (status, doc) = send(&w.t, None, Method::GET, "/api/v1/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    for path in [
        "/api/v1/clients",
        "/api/v1/clients/{id}",
        "/api/v1/clients/{id}/notes",
        "/api/v1/clients/{id}/contacts",
        "/api/v1/clients/{id}/needs",
        "/api/v1/clients/{id}/services",
        "/api/v1/service-types",
        "/api/v1/clients/{id}/cases",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every operation has an id of its own (code generators name their functions by it).
    let mut ids: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|path| path.as_object().unwrap().values())
        .map(|operation| operation["operationId"].as_str().unwrap())
        .collect();
    let operations = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), operations, "operation ids repeat: {ids:?}");
    // Every POST that takes a JSON body says it answers 413 and 415 too (the server does).
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if let Some(post) = operations
            .get("post")
            .filter(|p| p.get("requestBody").is_some())
        {
            for status in ["413", "415"] {
                assert!(post["responses"][status].is_object(), "{path}: {status}");
            }
        }
    }
    // Bodies the server refuses are outside the schema: free text follows its field's rule
    // (domain::text), written as a pattern from the same rule.
    let schemas = &doc["components"]["schemas"];
    let name = &schemas["ClientBody"]["properties"]["preferred_name"];
    let rule = domain::client::PreferredName::RULE;
    assert_eq!(name["pattern"], rule.pattern(false).as_str(), "{name}");
    assert_eq!(name["maxLength"], rule.max_chars);
    let note = &schemas["NoteBody"]["properties"]["text"];
    assert_eq!(
        note["pattern"],
        domain::note::NoteText::RULE.pattern(false).as_str()
    );
    // A contact: its time as the server reads it, its method one of the codes, its words
    // optional, its minutes those of a day.
    let contact = &schemas["ContactBody"]["properties"];
    assert_eq!(
        contact["occurred_at"]["pattern"],
        domain::contact::INSTANT_PATTERN
    );
    assert_eq!(
        contact["method"]["enum"],
        json!(["in-person", "phone", "text", "video", "outreach"])
    );
    assert_eq!(
        contact["note"]["pattern"],
        domain::contact::ContactNote::RULE.pattern(true).as_str()
    );
    assert_eq!(contact["minutes"]["maximum"], 1440);
    // A needs assessment: its day as a case's, each domain named, each level a code or blank,
    // each note by its rule.
    let needs = &schemas["NeedsBody"]["properties"];
    let domains = needs["needs"]["properties"].as_object().unwrap();
    assert_eq!(domains.len(), 11, "{needs}");
    assert!(domains.contains_key("identity-documents"));
    assert_eq!(needs["needs"]["additionalProperties"], false);
    let answer = &schemas["NeedAnswerBody"]["properties"];
    assert_eq!(
        answer["level"]["anyOf"][1]["enum"],
        json!([
            "none",
            "some",
            "urgent",
            "prefers-not-to-say",
            "not-yet-asked"
        ])
    );
    assert_eq!(
        answer["note"]["pattern"],
        domain::needs::NeedNote::RULE.pattern(true).as_str()
    );
    assert_eq!(
        needs["note"]["pattern"],
        domain::needs::AssessmentNote::RULE.pattern(true).as_str()
    );
    let assessed = regex::Regex::new(needs["assessed_on"]["pattern"].as_str().unwrap()).unwrap();
    assert!(assessed.is_match("2026-03-31") && !assessed.is_match("2026-02-30"));
    assert!(!assessed.is_match("2100-01-01"), "not after tomorrow");
    assert_eq!(schemas["NeedsBody"]["required"], json!(["assessed_on"]));
    let required = &schemas["ContactBody"]["required"];
    assert_eq!(
        *required,
        json!(["occurred_at", "method", "reached"]),
        "{required}"
    );
    // A service: its code one of the taxonomy's, its way one of three or left out.
    let service = &schemas["ServiceBody"]["properties"];
    let codes = service["code"]["enum"].as_array().unwrap();
    assert_eq!(codes.len(), domain::service::SERVICE_TYPES.len());
    assert!(codes.contains(&json!("E11")) && !codes.contains(&json!("E12")));
    assert_eq!(
        service["mode"]["enum"],
        json!(["in-person", "phone", "video", null])
    );
    assert_eq!(service["units"]["maximum"], 1000);
    assert_eq!(
        schemas["ServiceBody"]["required"],
        json!(["delivered_on", "code"])
    );
    let legal = &schemas["ClientBody"]["properties"]["legal_name"];
    assert_eq!(
        legal["pattern"],
        domain::client::LegalName::RULE.pattern(true).as_str()
    );
    let any = &schemas["DuplicatesBody"]["anyOf"];
    assert_eq!(any[0]["required"][0], "name", "{any}");
    assert_eq!(any[1]["required"][0], "date_of_birth", "{any}");
    // Coded values are the domain's lists; a date of birth is no later than today.
    let client = &schemas["ClientBody"]["properties"];
    assert!(
        client["gender"]["anyOf"][1]["enum"]
            .as_array()
            .unwrap()
            .contains(&"woman".into())
    );
    assert!(
        client["age_band"]["anyOf"][1]["enum"]
            .as_array()
            .unwrap()
            .contains(&"55-plus".into())
    );
    let born = regex::Regex::new(client["date_of_birth"]["pattern"].as_str().unwrap()).unwrap();
    assert!(
        born.is_match("") && born.is_match(" 2001-04-09 "),
        "blank is not given"
    );
    let today = w.t.app.now().date();
    let iso = |d: time::Date| domain::case::format_date(d);
    assert!(born.is_match(&iso(today)) && born.is_match("1900-01-01"));
    assert!(!born.is_match(&iso(today.next_day().unwrap())) && !born.is_match("1899-12-31"));
    let determination = &schemas["DeterminationBody"]["properties"];
    assert_eq!(determination["facts"]["additionalProperties"], false);
    assert_eq!(
        determination["sources"]["propertyNames"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        domain::legal::FACT_PATHS.len()
    );
    // A determination's results are a list, as the server sends them.
    let result = &doc["components"]["schemas"]["DeterminationResult"]["properties"]["results"];
    assert_eq!(result["type"], "array", "{result}");
    // The caseload's paging is in the query, optional, with the bounds the server keeps.
    let params = doc["paths"]["/api/v1/clients"]["get"]["parameters"]
        .as_array()
        .unwrap();
    for (name, minimum) in [("limit", 1), ("offset", 0)] {
        let param = params.iter().find(|p| p["name"] == name).unwrap();
        assert_eq!(param["in"], "query", "{param}");
        assert_ne!(param["required"], true, "{param}");
        assert_eq!(param["schema"]["minimum"], minimum, "{param}");
    }
    assert_eq!(
        send(&w.t, None, Method::GET, "/healthz", None).await.0,
        StatusCode::OK
    );
}

/// Every note can be read, a page at a time, newest first (the list used to stop at the newest
/// 500 with no way further), and a page outside the documented bounds is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_note_is_reached_a_page_at_a_time() {
    let w = world(Engine::Sqlite).await;
    let client: domain::ClientId = w.client.parse().unwrap();
    for n in 0..505 {
        let text = domain::note::NoteText::parse(&format!("Note {n}")).unwrap();
        let purpose = app::Purpose::CaseWork;
        w.t.app
            .add_note(&w.manager.caller, client, text, purpose)
            .await
            .unwrap();
        w.t.clock.advance_minutes(1);
    }
    let path = format!("/api/v1/clients/{}/notes", w.client);
    let texts = |page: &Value| -> Vec<String> {
        let notes = page["notes"].as_array().unwrap();
        notes
            .iter()
            .map(|n| n["text"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, first) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    let first = texts(&first);
    assert_eq!((first.len(), first[0].as_str()), (500, "Note 504"));
    let rest = format!("{path}?offset=500");
    let (_, rest) = send(&w.t, Some(&w.manager), Method::GET, &rest, None).await;
    assert_eq!(
        texts(&rest),
        ["Note 4", "Note 3", "Note 2", "Note 1", "Note 0"]
    );
    let small = format!("{path}?limit=2&offset=1");
    let (_, small) = send(&w.t, Some(&w.manager), Method::GET, &small, None).await;
    assert_eq!(texts(&small), ["Note 503", "Note 502"]);
    for page in ["limit=0", "limit=501", "offset=-1", "limit=all"] {
        let asked = format!("{path}?{page}");
        let (status, body) = send(&w.t, Some(&w.manager), Method::GET, &asked, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}: {body}");
    }
    // Someone else's client's notes are not found, however the page is asked for.
    let other = format!("{path}?limit=2");
    let (status, _) = send(&w.t, Some(&w.other_manager), Method::GET, &other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// `path` (a list of a client's records) as only the people who work with the client reach it:
/// no token is a 401; another case manager and an outreach worker, neither assigned, are told
/// "not found" when they read it and when they `write` a record there (as them).
async fn others_are_refused(
    w: &World,
    path: &str,
    write: impl AsyncFn(&Persona) -> (StatusCode, Value),
) {
    assert_eq!(
        send(&w.t, None, Method::GET, path, None).await.0,
        StatusCode::UNAUTHORIZED
    );
    for who in [&w.other_manager, &w.outreach] {
        assert_eq!(
            send(&w.t, Some(who), Method::GET, path, None).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(write(who).await.0, StatusCode::NOT_FOUND);
    }
}

/// How many events of an action the audit holds, by the action's code.
async fn audited(t: &TestApp) -> impl Fn(&str) -> usize {
    let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
    move |action| actions.iter().filter(|a| a.as_str() == action).count()
}

/// Sue, a supervisor (who may erase a record assigned to her), and Mara, a client she recorded:
/// a record to erase.
async fn a_client_to_erase(w: &World) -> (Persona, String) {
    let lead = w.t.persona("sue.lead", Role::Supervisor).await;
    let (status, created) = send(
        &w.t,
        Some(&lead),
        Method::POST,
        "/api/v1/clients",
        Some(new_client("Mara")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    (lead, created["id"].as_str().unwrap().to_owned())
}

/// A contact logged `minutes_ago` before now, by `who` about `client`, with what `fields` add.
async fn log_contact(
    w: &World,
    who: Option<&Persona>,
    client: &str,
    minutes_ago: i64,
    fields: Value,
) -> (StatusCode, Value) {
    let at =
        domain::Timestamp::from_unix_millis(w.t.app.now().unix_millis() - minutes_ago * 60_000);
    let mut body = json!({"occurred_at": at.rfc3339(), "method": "phone", "reached": true});
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    let path = format!("/api/v1/clients/{client}/contacts");
    send(&w.t, who, Method::POST, &path, Some(body)).await
}

/// The contact log: a contact and an attempt read back field by field, newest first by when
/// each was (not when it was logged), and only for the people who work with the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_and_an_attempt_are_logged_and_read_back_newest_first() {
    for engine in engines() {
        let w = world(engine).await;
        w.t.clock.advance_days(2);
        let (status, met) = log_contact(
            &w,
            Some(&w.manager),
            &w.client,
            90,
            json!({"method": "in-person", "minutes": 45, "present": "An interpreter (Tigrinya)",
                   "note": "Met at the clinic.\nShe chose the next date."}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{met}");
        // Logged after, but tried before: an attempt the day before.
        let (status, tried) = log_contact(
            &w,
            Some(&w.manager),
            &w.client,
            24 * 60,
            json!({"method": "text", "reached": false, "note": "   ", "present": null}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{tried}");

        let path = format!("/api/v1/clients/{}/contacts", w.client);
        let (status, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        let contacts = listed["contacts"].as_array().unwrap();
        assert_eq!(contacts.len(), 2, "{listed}");
        let (first, second) = (&contacts[0], &contacts[1]);
        assert_eq!(first["id"], met["id"]);
        assert_eq!(
            (&first["method"], &first["reached"], &first["minutes"]),
            (&json!("in-person"), &json!(true), &json!(45))
        );
        assert_eq!(first["present"], "An interpreter (Tigrinya)");
        assert_eq!(
            first["note"],
            "Met at the clinic.\nShe chose the next date."
        );
        let ninety_ago = w.t.app.now().unix_millis() - 90 * 60_000;
        assert_eq!(
            first["occurred_at"],
            domain::Timestamp::from_unix_millis(ninety_ago).rfc3339()
        );
        assert_eq!(first["created_at"], w.t.app.now().rfc3339());
        assert_eq!(
            first["author"],
            format!("user:{}", w.manager.caller.id),
            "{first}"
        );
        assert_eq!(second["id"], tried["id"]);
        assert_eq!(second["reached"], false, "an attempt stays an attempt");
        assert_eq!(second["method"], "text");
        assert!(second["minutes"].is_null() && second["present"].is_null());
        assert!(second["note"].is_null(), "blank is not given");
        let (_, newest) = send(
            &w.t,
            Some(&w.manager),
            Method::GET,
            &format!("{path}?limit=1&offset=1"),
            None,
        )
        .await;
        assert_eq!(newest["contacts"][0]["id"], tried["id"]);

        // Nobody else reads or writes the log; an unknown client is the same "not found".
        let write = async |who: &Persona| log_contact(&w, Some(who), &w.client, 5, json!({})).await;
        others_are_refused(&w, &path, write).await;
        let count = audited(&w.t).await;
        assert_eq!(count("contact.create"), 2);
        assert_eq!(count("contact.list"), 2);
        assert_eq!(count("access.refused"), 4, "each refusal audited");
    }
}

/// A contact the server cannot take is answered 422 naming the field, and nothing is logged.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_that_cannot_be_logged_names_its_field_and_logs_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let now = w.t.app.now();
        let long = "p".repeat(501);
        let cases: Vec<(Value, &str)> = vec![
            (json!({"method": "Phone"}), "method"),
            (json!({"method": ""}), "method"),
            (json!({"minutes": 1441}), "minutes"),
            (json!({"minutes": -1}), "minutes"),
            (json!({"present": long}), "present"),
            (json!({"note": "a\u{0}b"}), "note"),
            (
                json!({"occurred_at": "2026-09-21 10:00:00Z"}),
                "occurred_at",
            ),
            (
                json!({"occurred_at": "2026-02-30T10:00:00Z"}),
                "occurred_at",
            ),
            (
                json!({"occurred_at": now.plus_days(1).rfc3339()}),
                "occurred_at",
            ),
            // Before the client was recorded (the day before).
            (
                json!({"occurred_at": now.plus_days(-1).rfc3339()}),
                "occurred_at",
            ),
        ];
        for (fields, field) in cases {
            let (status, body) =
                log_contact(&w, Some(&w.manager), &w.client, 0, fields.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields}: {body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{field}:")),
                "{fields}: {message}"
            );
        }
        let (status, body) = log_contact(
            &w,
            Some(&w.manager),
            &w.client,
            0,
            json!({"reached": "yes"}),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let path = format!("/api/v1/clients/{}/contacts", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(listed["contacts"], json!([]), "nothing was logged");
        // A contact in the minute the client was recorded is taken, and a few minutes ahead too.
        for minutes_ago in [0, -4] {
            let (status, body) =
                log_contact(&w, Some(&w.manager), &w.client, minutes_ago, json!({})).await;
            assert_eq!(status, StatusCode::CREATED, "{minutes_ago}: {body}");
        }
    }
}

/// Erasing a client takes their contact log with them: the API no longer finds it, and what was
/// sealed is wiped from the rows that remain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_clients_contacts_are_gone() {
    for engine in engines() {
        let w = world(engine).await;
        let (lead, mara) = a_client_to_erase(&w).await;
        w.t.clock.advance_minutes(10);
        for (ago, reached) in [(5, false), (1, true)] {
            let fields =
                json!({"reached": reached, "present": "Canary Cousin", "note": "Canary note"});
            let (status, _) = log_contact(&w, Some(&lead), &mara, ago, fields).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        // Rosa's log is not touched by Mara's erasure.
        let (status, _) =
            log_contact(&w, Some(&w.manager), &w.client, 1, json!({"note": "Kept"})).await;
        assert_eq!(status, StatusCode::CREATED);

        let erase = format!("/api/v1/clients/{mara}");
        assert_eq!(
            send(&w.t, Some(&lead), Method::DELETE, &erase, None)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        let path = format!("/api/v1/clients/{mara}/contacts");
        assert_eq!(
            send(&w.t, Some(&lead), Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND
        );
        let (status, _) = log_contact(&w, Some(&lead), &mara, 0, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nothing more is logged");
        let mut tx = w.t.app.store().read().await.unwrap();
        let rows = tx
            .contacts_page(mara.parse().unwrap(), 10, 0)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.present.is_none() && r.note.is_none()));
        let rosa = tx
            .contacts_page(w.client.parse().unwrap(), 10, 0)
            .await
            .unwrap();
        assert!(rosa[0].note.is_some(), "another client keeps theirs");
        tx.commit().await.unwrap();
        let rosas = format!("/api/v1/clients/{}/contacts", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &rosas, None).await;
        assert_eq!(listed["contacts"][0]["note"], "Kept");
    }
}

/// A service recorded by `who` about `client`, given today (UTC) unless `fields` say otherwise.
async fn record_service(
    w: &World,
    who: Option<&Persona>,
    client: &str,
    fields: Value,
) -> (StatusCode, Value) {
    let today = domain::case::format_date(w.t.app.now().date());
    let mut body = json!({"delivered_on": today, "code": "C4"});
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    let path = format!("/api/v1/clients/{client}/services");
    send(&w.t, who, Method::POST, &path, Some(body)).await
}

/// Services: each read back with its type's words, newest first by the day given, only for the
/// people who work with the client; the types list carries the crosswalk reports count by.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_are_recorded_and_read_back_newest_first_by_day() {
    for engine in engines() {
        let w = world(engine).await;
        w.t.clock.advance_days(3);
        let day = |ago: i64| domain::case::format_date(w.t.app.now().plus_days(-ago).date());
        let (status, counseling) = record_service(
            &w,
            Some(&w.manager),
            &w.client,
            json!({"code": "C4", "mode": "video", "minutes": 50,
                   "note": "First session.\nShe chose the time."}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{counseling}");
        let (status, shelter) = record_service(
            &w,
            Some(&w.manager),
            &w.client,
            json!({"code": "D1", "delivered_on": day(2), "units": 2}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{shelter}");

        let path = format!("/api/v1/clients/{}/services", w.client);
        let (status, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        let services = listed["services"].as_array().unwrap();
        assert_eq!(services.len(), 2, "{listed}");
        let (first, second) = (&services[0], &services[1]);
        assert_eq!(first["id"], counseling["id"]);
        assert_eq!(
            (
                &first["code"],
                &first["label"],
                &first["mode"],
                &first["minutes"]
            ),
            (
                &json!("C4"),
                &json!("Individual counseling"),
                &json!("video"),
                &json!(50)
            )
        );
        assert_eq!(first["note"], "First session.\nShe chose the time.");
        assert_eq!(first["delivered_on"], day(0));
        assert_eq!(first["author"], format!("user:{}", w.manager.caller.id));
        assert_eq!(second["id"], shelter["id"], "given earlier, listed after");
        assert_eq!(
            (&second["mode"], &second["units"], &second["delivered_on"]),
            (&json!("in-person"), &json!(2), &json!(day(2))),
            "in person unless said otherwise"
        );
        assert!(second["minutes"].is_null() && second["note"].is_null());
        let (_, paged) = send(
            &w.t,
            Some(&w.manager),
            Method::GET,
            &format!("{path}?limit=1&offset=1"),
            None,
        )
        .await;
        assert_eq!(paged["services"][0]["id"], shelter["id"]);

        let write = async |who: &Persona| record_service(&w, Some(who), &w.client, json!({})).await;
        others_are_refused(&w, &path, write).await;
        let count = audited(&w.t).await;
        assert_eq!(count("service.create"), 2);
        assert_eq!(count("service.list"), 2);

        // The types: VOCA's 35 and our 8, each with where OVC and OTIP count it.
        let (status, types) = send(
            &w.t,
            Some(&w.outreach),
            Method::GET,
            "/api/v1/service-types",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        let types = types["service_types"].as_array().unwrap();
        assert_eq!(types.len(), 43);
        assert_eq!(types.iter().filter(|t| t["voca"] == true).count(), 35);
        let shelter = types.iter().find(|t| t["code"] == "D1").unwrap();
        assert_eq!(
            (
                &shelter["category"],
                &shelter["ovc_category"],
                &shelter["otip_category"]
            ),
            (
                &json!("D"),
                &json!("housing-and-shelter"),
                &json!("housing")
            )
        );
        assert_eq!(
            send(&w.t, None, Method::GET, "/api/v1/service-types", None)
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
}

/// A service the server cannot take is answered 422 naming the field, and nothing is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_that_cannot_be_recorded_names_its_field_and_records_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let now = w.t.app.now();
        let day = |days: i64| domain::case::format_date(now.plus_days(days).date());
        let cases: Vec<(Value, &str)> = vec![
            (json!({"code": "Z9"}), "code"),
            (json!({"code": "c4"}), "code"),
            (json!({"code": ""}), "code"),
            (json!({"mode": "text"}), "mode"),
            (json!({"minutes": 1441}), "minutes"),
            (json!({"units": 0}), "units"),
            (json!({"units": 1001}), "units"),
            (json!({"note": "a\u{0}b"}), "note"),
            (json!({"delivered_on": "2026-02-30"}), "delivered_on"),
            (json!({"delivered_on": "0000-01-01"}), "delivered_on"),
            (json!({"delivered_on": day(2)}), "delivered_on"),
            // Before the client was recorded.
            (json!({"delivered_on": day(-2)}), "delivered_on"),
        ];
        for (fields, field) in cases {
            let (status, body) =
                record_service(&w, Some(&w.manager), &w.client, fields.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields}: {body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{field}:")),
                "{fields}: {message}"
            );
        }
        let (status, body) =
            record_service(&w, Some(&w.manager), &w.client, json!({"minutes": "50"})).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let path = format!("/api/v1/clients/{}/services", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(listed["services"], json!([]), "nothing was recorded");
    }
}

/// Erasing a client wipes their services' notes; the coded facts a report counts remain, tied
/// to no one who can be named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_clients_services_are_gone() {
    for engine in engines() {
        let w = world(engine).await;
        let (lead, mara) = a_client_to_erase(&w).await;
        for code in ["B9", "C1"] {
            let fields = json!({"code": code, "note": "Canary service note"});
            let (status, _) = record_service(&w, Some(&lead), &mara, fields).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let (status, _) =
            record_service(&w, Some(&w.manager), &w.client, json!({"note": "Kept"})).await;
        assert_eq!(status, StatusCode::CREATED);

        let erase = format!("/api/v1/clients/{mara}");
        assert_eq!(
            send(&w.t, Some(&lead), Method::DELETE, &erase, None)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        let path = format!("/api/v1/clients/{mara}/services");
        assert_eq!(
            send(&w.t, Some(&lead), Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND
        );
        let mut tx = w.t.app.store().read().await.unwrap();
        let rows = tx
            .services_page(mara.parse().unwrap(), 10, 0)
            .await
            .unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.note.is_none()));
        let rosa = tx
            .services_page(w.client.parse().unwrap(), 10, 0)
            .await
            .unwrap();
        assert!(rosa[0].note.is_some(), "another client keeps theirs");
        tx.commit().await.unwrap();
    }
}

/// A needs assessment of `client` by `who`, on the day `days_ago` before today, with what
/// `fields` add to (or put in place of) the body.
async fn assess_needs(
    w: &World,
    who: Option<&Persona>,
    client: &str,
    days_ago: i64,
    fields: Value,
) -> (StatusCode, Value) {
    let day = w.t.app.now().plus_days(-days_ago).date();
    let mut body = json!({"assessed_on": domain::case::format_date(day)});
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    let path = format!("/api/v1/clients/{client}/needs");
    send(&w.t, who, Method::POST, &path, Some(body)).await
}

/// An assessment and a reassessment read back, newest first, every domain answered or "not yet
/// asked", the notes as written; only for the people who work with the client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_needs_assessment_and_a_reassessment_are_kept_and_read_back_newest_first() {
    for engine in engines() {
        let w = world(engine).await;
        w.t.clock.advance_days(3);
        let (status, first) = assess_needs(
            &w,
            Some(&w.manager),
            &w.client,
            2,
            json!({"needs": {
                    "housing": {"level": "urgent", "note": "Staying with a cousin until the 15th."},
                    "safety": {"level": "prefers-not-to-say"},
                    "legal": {"level": "", "note": null},
                    "identity-documents": {"level": "some", "note": "Passport taken."}},
                   "note": "At the clinic, with an interpreter."}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        let (status, second) = assess_needs(
            &w,
            Some(&w.manager),
            &w.client,
            0,
            json!({"needs": {"housing": {"level": "some", "note": "A room of her own from Monday."},
                             "safety": {"level": "none"}}}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{second}");

        let path = format!("/api/v1/clients/{}/needs", w.client);
        let (status, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(status, StatusCode::OK);
        let assessments = listed["assessments"].as_array().unwrap();
        assert_eq!(assessments.len(), 2, "{listed}");
        let (current, before) = (&assessments[0], &assessments[1]);
        assert_eq!(current["id"], second["id"], "the newest is the current one");
        assert_eq!(
            current["assessed_on"],
            domain::case::format_date(w.t.app.now().date())
        );
        assert_eq!(current["needs"]["housing"]["level"], "some");
        assert_eq!(current["needs"]["safety"]["level"], "none");
        assert_eq!(current["created_at"], w.t.app.now().rfc3339());
        assert_eq!(current["author"], format!("user:{}", w.manager.caller.id));
        assert!(current["note"].is_null());
        assert_eq!(before["id"], first["id"]);
        let needs = before["needs"].as_object().unwrap();
        assert_eq!(needs.len(), 11, "every domain, answered or not: {before}");
        assert_eq!(
            before["needs"]["housing"],
            json!({"level": "urgent", "note": "Staying with a cousin until the 15th."})
        );
        assert_eq!(before["needs"]["safety"]["level"], "prefers-not-to-say");
        assert_eq!(
            before["needs"]["legal"],
            json!({"level": "not-yet-asked", "note": null}),
            "a blank level is not yet asked"
        );
        assert_eq!(
            before["needs"]["mental-health"]["level"], "not-yet-asked",
            "a domain left out is not yet asked"
        );
        assert_eq!(
            before["needs"]["identity-documents"]["note"],
            "Passport taken."
        );
        assert_eq!(before["note"], "At the clinic, with an interpreter.");
        let (_, older) = send(
            &w.t,
            Some(&w.manager),
            Method::GET,
            &format!("{path}?limit=1&offset=1"),
            None,
        )
        .await;
        assert_eq!(older["assessments"][0]["id"], first["id"]);
        assert_eq!(older["assessments"].as_array().unwrap().len(), 1);

        // Nobody else reads or assesses; an unknown client is the same "not found".
        let write =
            async |who: &Persona| assess_needs(&w, Some(who), &w.client, 0, json!({})).await;
        others_are_refused(&w, &path, write).await;
        let count = audited(&w.t).await;
        assert_eq!(count("need.create"), 2);
        assert_eq!(count("need.list"), 2);
        assert_eq!(count("access.refused"), 4, "each refusal audited");
    }
}

/// An assessment the server cannot take is answered 422 naming the field (a domain's level or
/// note by the domain), and nothing is recorded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_needs_assessment_that_cannot_be_recorded_names_its_field_and_records_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let today = w.t.app.now().date();
        let iso = domain::case::format_date;
        let long = "n".repeat(1001);
        let cases: Vec<(Value, &str)> = vec![
            (json!({"assessed_on": "2026-02-30"}), "assessed_on"),
            (json!({"assessed_on": "31/03/2026"}), "assessed_on"),
            (json!({"assessed_on": ""}), "assessed_on"),
            (
                json!({"assessed_on": iso(today.next_day().unwrap().next_day().unwrap())}),
                "assessed_on",
            ),
            // Before the day the client was recorded (anywhere on Earth).
            (
                json!({"assessed_on": iso(today.previous_day().unwrap().previous_day().unwrap())}),
                "assessed_on",
            ),
            (
                json!({"needs": {"housing": {"level": "Urgent"}}}),
                "needs.housing.level",
            ),
            (
                json!({"needs": {"mental-health": {"level": "very"}}}),
                "needs.mental-health.level",
            ),
            (json!({"needs": {"shelter": {"level": "urgent"}}}), "needs"),
            (
                json!({"needs": {"legal": {"level": "some", "note": long}}}),
                "needs.legal.note",
            ),
            (
                json!({"needs": {"immigration": {"note": "a\u{0}b"}}}),
                "needs.immigration.note",
            ),
            (json!({"note": "a\u{7}b"}), "note"),
        ];
        for (fields, field) in cases {
            let (status, body) =
                assess_needs(&w, Some(&w.manager), &w.client, 0, fields.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{fields}: {body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{field}:")),
                "{fields}: {message}"
            );
        }
        // Shapes the server does not read at all: 400.
        for fields in [
            json!({"needs": {"housing": {"level": "urgent", "urgency": 3}}}),
            json!({"needs": [{"domain": "housing"}]}),
            json!({"needs": {"housing": {"level": 2}}}),
            json!({"notes": "x"}),
        ] {
            let (status, body) =
                assess_needs(&w, Some(&w.manager), &w.client, 0, fields.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{fields}: {body}");
        }
        let path = format!("/api/v1/clients/{}/needs", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &path, None).await;
        assert_eq!(listed["assessments"], json!([]), "nothing was recorded");
        // Nothing asked at all is an assessment too (every question may be left unanswered),
        // and tomorrow is already today somewhere.
        for days_ago in [0, -1] {
            let (status, body) =
                assess_needs(&w, Some(&w.manager), &w.client, days_ago, json!({})).await;
            assert_eq!(status, StatusCode::CREATED, "{days_ago}: {body}");
        }
    }
}

/// Erasing a client takes their needs with them: the API no longer finds them, and the notes
/// are wiped from the rows that remain, while the coded levels stay for the reports.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_erased_clients_needs_are_gone() {
    for engine in engines() {
        let w = world(engine).await;
        let (lead, mara) = a_client_to_erase(&w).await;
        let canary = json!({"needs": {"housing": {"level": "urgent", "note": "Canary shelter"}},
                            "note": "Canary overall"});
        let (status, _) = assess_needs(&w, Some(&lead), &mara, 0, canary).await;
        assert_eq!(status, StatusCode::CREATED);
        let kept = json!({"needs": {"legal": {"level": "some", "note": "Kept"}}});
        let (status, _) = assess_needs(&w, Some(&w.manager), &w.client, 0, kept).await;
        assert_eq!(status, StatusCode::CREATED);

        let erase = format!("/api/v1/clients/{mara}");
        assert_eq!(
            send(&w.t, Some(&lead), Method::DELETE, &erase, None)
                .await
                .0,
            StatusCode::NO_CONTENT
        );
        let path = format!("/api/v1/clients/{mara}/needs");
        assert_eq!(
            send(&w.t, Some(&lead), Method::GET, &path, None).await.0,
            StatusCode::NOT_FOUND
        );
        let (status, _) = assess_needs(&w, Some(&lead), &mara, 0, json!({})).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "nothing more is recorded");
        let mut tx = w.t.app.store().read().await.unwrap();
        let rows = tx.needs_page(mara.parse().unwrap(), 10, 0).await.unwrap();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].note.is_none());
        assert!(rows[0].answers.iter().all(|a| a.note.is_none()));
        let housing = rows[0]
            .answers
            .iter()
            .find(|a| a.domain == "housing")
            .unwrap();
        assert_eq!(housing.level, "urgent", "the coded level stays");
        let rosa = tx
            .needs_page(w.client.parse().unwrap(), 10, 0)
            .await
            .unwrap();
        assert!(
            rosa[0].answers.iter().any(|a| a.note.is_some()),
            "another client keeps theirs"
        );
        tx.commit().await.unwrap();
        let rosas = format!("/api/v1/clients/{}/needs", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &rosas, None).await;
        assert_eq!(listed["assessments"][0]["needs"]["legal"]["note"], "Kept");
    }
}

/// A change to `client`'s details by `who`.
async fn edit(w: &World, who: &Persona, client: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/clients/{client}");
    send(&w.t, Some(who), Method::PATCH, &path, Some(body)).await
}

/// The ids of the clients in `who`'s caseload that a duplicate search for `name` finds.
async fn duplicates(w: &World, who: &Persona, name: &str) -> Value {
    let body = json!({"name": name});
    let path = "/api/v1/clients/duplicates";
    send(&w.t, Some(who), Method::POST, path, Some(body))
        .await
        .1["clients"]
        .clone()
}

/// A client's details change field by field: what was sent and really differs is changed and
/// named, the rest stays; every change is kept with who made it and what each field held before,
/// newest first; a change that changes nothing records nothing; duplicate search finds the
/// person under a new other name; a new date of birth moves the age range; only the people who
/// work with the client may change or read any of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_details_change_and_every_change_is_kept() {
    for engine in engines() {
        let w = world(engine).await;
        let changes = format!("/api/v1/clients/{}/changes", w.client);
        let (status, listed) = send(&w.t, Some(&w.manager), Method::GET, &changes, None).await;
        assert_eq!((status, &listed["changes"]), (StatusCode::OK, &json!([])));

        let first = json!({"legal_name": "Rosa Example", "aliases": ["La Güera", " ", "Ro"],
                           "contact": null, "languages": ["Spanish", "English"]});
        let (status, body) = edit(&w, &w.manager, &w.client, first).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["changed"],
            json!(["aliases", "contact", "languages"]),
            "the legal name was sent as it was"
        );
        let read = format!("/api/v1/clients/{}", w.client);
        let (_, rosa) = send(&w.t, Some(&w.manager), Method::GET, &read, None).await;
        assert_eq!(rosa["aliases"], json!(["La Güera", "Ro"]));
        assert_eq!(rosa["contact"], Value::Null);
        assert_eq!(rosa["languages"], json!(["Spanish", "English"]));
        assert_eq!(rosa["preferred_name"], "Rosa", "not sent: as it was");
        assert_eq!(rosa["date_of_birth"], "2004-02-29");

        w.t.clock.advance_seconds(60);
        let second = json!({"date_of_birth": "2010-01-01", "legal_name": ""});
        let (_, body) = edit(&w, &w.manager, &w.client, second).await;
        assert_eq!(
            body["changed"],
            json!(["legal_name", "date_of_birth", "age_band"])
        );
        let (_, rosa) = send(&w.t, Some(&w.manager), Method::GET, &read, None).await;
        assert_eq!(
            rosa["age_band"], "15-17",
            "the age range follows the date of birth"
        );
        assert_eq!(rosa["legal_name"], Value::Null);

        w.t.clock.advance_seconds(60);
        let (_, body) = edit(
            &w,
            &w.manager,
            &w.client,
            json!({"aliases": ["Ro", "La Güera"], "trafficking_type": "sex-and-labor",
                   "referral_source": "hotline", "citizenship": "foreign-national"}),
        )
        .await;
        assert_eq!(
            body["changed"],
            json!(["aliases", "trafficking_type", "referral_source"]),
            "a list's order is the person's; a code sent as it was is no change"
        );
        let (_, rosa) = send(&w.t, Some(&w.manager), Method::GET, &read, None).await;
        assert_eq!(
            (
                &rosa["trafficking_type"],
                &rosa["citizenship"],
                &rosa["referral_source"]
            ),
            (
                &json!("sex-and-labor"),
                &json!("foreign-national"),
                &json!("hotline")
            )
        );
        let (_, body) = edit(
            &w,
            &w.manager,
            &w.client,
            json!({"aliases": ["Ro", "La Güera"]}),
        )
        .await;
        assert_eq!(body["changed"], json!([]), "nothing changed, nothing kept");

        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &changes, None).await;
        let listed = listed["changes"].as_array().unwrap();
        assert_eq!(listed.len(), 3);
        assert_eq!(listed[1]["changed_by"], "ana.manager");
        assert_eq!(
            listed[0]["before"],
            json!({"aliases": ["La Güera", "Ro"], "trafficking_type": null,
                   "referral_source": null})
        );
        assert_eq!(
            listed[1]["before"],
            json!({"legal_name": "Rosa Example", "date_of_birth": "2004-02-29",
                   "age_band": "18-24"}),
            "newest first, each field with what it held before"
        );
        assert_eq!(
            listed[2]["before"],
            json!({"aliases": [], "contact": "Text after 6 pm", "languages": ["Spanish"]})
        );
        let audit = audited(&w.t).await;
        assert_eq!(
            audit("client.edit"),
            3,
            "an edit that changed nothing is not one"
        );
        assert_eq!(audit("client.history"), 2);

        // Duplicate search finds her under an other name (and no longer under the old legal
        // name); another worker's search does not.
        assert_eq!(
            duplicates(&w, &w.manager, "la güera").await,
            json!([w.client])
        );
        assert_eq!(duplicates(&w, &w.manager, "Rosa Example").await, json!([]));
        assert_eq!(duplicates(&w, &w.other_manager, "Ro").await, json!([]));

        others_are_refused(&w, &changes, async |who| {
            edit(&w, who, &w.client, json!({"aliases": ["Canary"]})).await
        })
        .await;
        assert_eq!(
            send(&w.t, None, Method::PATCH, &read, Some(json!({})))
                .await
                .0,
            StatusCode::UNAUTHORIZED
        );
    }
}

/// A change the server cannot make is answered 422 naming the field (or 400 for a body that is
/// not a change), and the record and its history stay as they were.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_that_cannot_be_made_names_its_field_and_changes_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let tomorrow = domain::case::format_date(w.t.app.now().plus_days(2).date());
        let many: Vec<String> = (0..13).map(|i| format!("name {i}")).collect();
        let mut twelve_and_a_blank = many[..12].to_vec();
        twelve_and_a_blank.push(String::new());
        let refused: Vec<(Value, &str)> = vec![
            (json!({"preferred_name": " "}), "preferred_name"),
            (json!({"legal_name": "a\u{0}b"}), "legal_name"),
            (json!({"aliases": many}), "aliases"),
            (json!({"aliases": ["x".repeat(101)]}), "aliases"),
            // The list is bounded as the OpenAPI document says, blank entries and all.
            (json!({"aliases": twelve_and_a_blank}), "aliases"),
            (json!({"languages": [""]}), "languages"),
            // A blank entry is left out, but one longer than a name may be is refused.
            (json!({"aliases": ["\u{85}".repeat(101)]}), "aliases"),
            (json!({"legal_name": "\u{85}".repeat(201)}), "legal_name"),
            (json!({"contact": " ".repeat(2001)}), "contact"),
            (json!({"date_of_birth": tomorrow}), "date_of_birth"),
            (json!({"date_of_birth": "2004-02-30"}), "date_of_birth"),
            (json!({"gender": "other"}), "gender"),
            (json!({"age_band": "old"}), "age_band"),
            (json!({"trafficking_type": "both"}), "trafficking_type"),
            (json!({"citizenship": "citizen"}), "citizenship"),
            (json!({"referral_source": "police"}), "referral_source"),
            // A good field beside a bad one: neither is changed.
            (
                json!({"contact": "New phone", "languages": ["x".repeat(51)]}),
                "languages",
            ),
        ];
        for (body, field) in refused {
            let (status, answer) = edit(&w, &w.manager, &w.client, body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
            let message = answer["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(&format!("{field}:")),
                "{body}: {message}"
            );
        }
        for body in [
            json!({"nickname": "Ro"}),
            json!({"aliases": "Ro"}),
            json!([]),
        ] {
            let (status, answer) = edit(&w, &w.manager, &w.client, body.clone()).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        }
        let read = format!("/api/v1/clients/{}", w.client);
        let (_, rosa) = send(&w.t, Some(&w.manager), Method::GET, &read, None).await;
        assert_eq!(rosa["contact"], "Text after 6 pm");
        assert_eq!(rosa["aliases"], json!([]));
        let changes = format!("/api/v1/clients/{}/changes", w.client);
        let (_, listed) = send(&w.t, Some(&w.manager), Method::GET, &changes, None).await;
        assert_eq!(listed["changes"], json!([]), "nothing was changed");
    }
}

/// A case of `client` in `program`, opened on `opened_on`, by `who`; its id.
async fn open_case(
    w: &World,
    who: &Persona,
    client: &str,
    program: &str,
    opened_on: &str,
) -> String {
    let path = format!("/api/v1/clients/{client}/cases");
    let body = json!({"program": program, "opened_on": opened_on});
    let (status, made) = send(&w.t, Some(who), Method::POST, &path, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_str().unwrap().to_owned()
}

/// A case closes once, on a day from its opening to today; moving a case closes it that day and
/// opens one in the other program that names it; a day out of order, an unknown program, the
/// same program, or a case of another client are refused and change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_closes_once_and_moves_to_another_program() {
    for engine in engines() {
        let w = world(engine).await;
        w.t.app
            .add_program(
                &domain::case::ProgramCode::parse("housing").unwrap(),
                &domain::case::ProgramName::parse("Housing").unwrap(),
            )
            .await
            .unwrap();
        let now = w.t.app.now();
        let day = |days: i64| domain::case::format_date(now.plus_days(days).date());
        let w = &w;
        let first = open_case(w, &w.manager, &w.client, "drop-in", &day(-10)).await;
        let second = open_case(w, &w.manager, &w.client, "drop-in", &day(-10)).await;
        let case =
            |id: &str, action: &str| format!("/api/v1/clients/{}/cases/{id}/{action}", w.client);
        let close = |id: &str, on: String| {
            let path = case(id, "close");
            async move {
                let body = json!({"closed_on": on, "reason": "moved"});
                send(&w.t, Some(&w.manager), Method::POST, &path, Some(body)).await
            }
        };
        for (on, why) in [
            (day(-11), "before"),
            (day(2), "future"),
            ("2026-13-01".into(), "YYYY-MM-DD"),
        ] {
            let (status, body) = close(&first, on).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with("closed_on:") && message.contains(why),
                "{message}"
            );
        }
        assert_eq!(close(&first, day(-1)).await.0, StatusCode::NO_CONTENT);
        let (status, body) = close(&first, day(0)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("closed already")
        );

        let transfer = |id: &str, program: &str, on: String| {
            let path = case(id, "transfer");
            let body = json!({"program": program, "transferred_on": on});
            async move { send(&w.t, Some(&w.manager), Method::POST, &path, Some(body)).await }
        };
        for (program, field) in [
            ("drop-in", "program"),
            ("legal-aid", "program"),
            ("Housing", "program"),
        ] {
            let (status, body) = transfer(&second, program, day(0)).await;
            assert_eq!(
                status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{program}: {body}"
            );
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .starts_with(&format!("{field}:"))
            );
        }
        let (status, body) = transfer(&second, "housing", day(-11)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("transferred_on:")
        );
        let (status, moved) = transfer(&second, "housing", day(0)).await;
        assert_eq!(status, StatusCode::CREATED, "{moved}");

        let list = format!("/api/v1/clients/{}/cases", w.client);
        let (_, cases) = send(&w.t, Some(&w.manager), Method::GET, &list, None).await;
        let cases = cases["cases"].as_array().unwrap();
        assert_eq!(cases.len(), 3);
        let by_id = |id: &str| cases.iter().find(|c| c["id"] == id).unwrap().clone();
        assert_eq!(by_id(&first)["closed_on"], json!(day(-1)));
        assert_eq!(by_id(&second)["closed_on"], json!(day(0)));
        assert_eq!(by_id(&first)["closed_reason"], "moved");
        assert_eq!(
            by_id(&second)["closed_reason"],
            "transferred",
            "a move says so itself"
        );
        assert_eq!(by_id(&second)["closures"][0]["follow_up"], "not-asked");
        let next = by_id(moved["id"].as_str().unwrap());
        assert_eq!(next["program"], "housing");
        assert_eq!(next["status"], "open");
        assert_eq!(next["opened_on"], json!(day(0)));
        assert_eq!(next["transferred_from"], json!(second));
        let audit = audited(&w.t).await;
        assert_eq!((audit("case.close"), audit("case.transfer")), (1, 1));

        // Another client of the same worker: Rosa's case is not theirs, and not found.
        let (_, other) = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            "/api/v1/clients",
            Some(new_client("Lena")),
        )
        .await;
        let lena = other["id"].as_str().unwrap();
        let path = format!(
            "/api/v1/clients/{lena}/cases/{}/close",
            next["id"].as_str().unwrap()
        );
        let body = json!({"closed_on": day(0), "reason": "goals-met"});
        let (status, _) = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            &path,
            Some(body.clone()),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let path = format!("/api/v1/clients/{}/cases/not-a-case/close", w.client);
        let (status, _) = send(&w.t, Some(&w.manager), Method::POST, &path, Some(body)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, again) = send(&w.t, Some(&w.manager), Method::GET, &list, None).await;
        assert_eq!(
            again["cases"].as_array().unwrap().len(),
            3,
            "nothing else opened"
        );
        assert_eq!(
            again["cases"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["status"] == "open")
                .count(),
            1
        );
    }
}

/// A partner in the directory, added by a supervisor: its id.
async fn a_partner(w: &World, name: &str) -> String {
    let username = format!("lead.{}", name.to_lowercase().replace(' ', "-"));
    let lead = w.t.persona(&username, Role::Supervisor).await;
    let body = json!({"name": name, "services": ["C4", "D1"], "languages": ["Spanish"],
                      "area": "Cook County", "safe_contact": "Intake line"});
    let (status, made) = send(
        &w.t,
        Some(&lead),
        Method::POST,
        "/api/v1/partners",
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["id"].as_str().unwrap().to_owned()
}

/// Sends `body` to one of the client's routes under `/api/v1/clients/{id}` as the manager.
async fn on_client(
    w: &World,
    client: &str,
    rest: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let method = if body.is_some() {
        Method::POST
    } else {
        Method::GET
    };
    let path = format!("/api/v1/clients/{client}{rest}");
    send(&w.t, Some(&w.manager), method, &path, body).await
}

/// A release the manager records for `client` with `partner`, sharing the name and needs from
/// today, with what `fields` add or change: (status, answer).
async fn give_release(
    w: &World,
    client: &str,
    partner: &str,
    fields: Value,
) -> (StatusCode, Value) {
    let today = domain::case::format_date(w.t.app.now().date());
    let mut body = json!({"partner": partner, "recipient": "Harbor House, the intake advocate",
        "purpose": "A bed this week", "shares": ["name", "needs"],
        "method": "signed-on-screen", "starts_on": today});
    for (key, value) in fields.as_object().unwrap() {
        body[key] = value.clone();
    }
    on_client(w, client, "/releases", Some(body)).await
}

/// The id in an answer that must have been 201.
fn created(answer: (StatusCode, Value)) -> String {
    assert_eq!(answer.0, StatusCode::CREATED, "{}", answer.1);
    answer.1["id"].as_str().unwrap().to_owned()
}

/// The field a 422 names ("field: problem"), and its whole message.
fn refused(answer: (StatusCode, Value)) -> (String, String) {
    assert_eq!(answer.0, StatusCode::UNPROCESSABLE_ENTITY, "{}", answer.1);
    let message = answer.1["error"]["message"].as_str().unwrap().to_owned();
    let field = message.split(':').next().unwrap().to_owned();
    (field, message)
}

/// Consent with an injected clock (P22): a referral that shares part of the record is sent only
/// while its release is in force; the moment the release ends or is withdrawn, sending is refused
/// with the reason, audited naming the release, and nothing moves. A referral sharing nothing
/// needs no release (consent is never a condition of a service).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_is_sent_only_while_its_release_is_in_force() {
    for engine in engines() {
        let w = world(engine).await;
        let shelter = a_partner(&w, "Harbor House").await;
        let clinic = a_partner(&w, "Northside Clinic").await;
        let in_two_days = domain::case::format_date(w.t.app.now().plus_days(2).date());
        let short =
            created(give_release(&w, &w.client, &shelter, json!({"ends_on": in_two_days})).await);
        let draft = async |release: &str, shares: Value| {
            let body = json!({"partner": shelter, "service": "D1", "shares": shares,
                              "release": release, "note": "A bed from Friday"});
            on_client(&w, &w.client, "/referrals", Some(body)).await
        };
        let send_on = async |referral: &str, status: &str| {
            let rest = format!("/referrals/{referral}/steps");
            on_client(&w, &w.client, &rest, Some(json!({"status": status}))).await
        };
        let first = created(draft(&short, json!(["name"])).await);
        let second = created(draft(&short, json!(["name", "needs"])).await);

        // In force: sent, and the audit names the release it went under.
        assert_eq!(send_on(&first, "sent").await.0, StatusCode::NO_CONTENT);
        let events = w.t.audit().await;
        let sent = events
            .iter()
            .rfind(|e| e.action == "referral.send")
            .unwrap();
        assert_eq!(sent.purpose, format!("case-work; release:{short}"));
        assert_eq!(
            sent.target.as_deref(),
            Some(&*format!("client:{}", w.client))
        );
        // Its sheet, what the partner is given: the parts it names and nothing else.
        let sheet_of = |referral: &str| format!("/referrals/{referral}/sheet");
        let (status, sheet) = on_client(&w, &w.client, &sheet_of(&first), None).await;
        assert_eq!(status, StatusCode::OK, "{sheet}");
        assert_eq!(sheet["parts"], json!([{"part": "name", "lines": ["Rosa"]}]));
        assert_eq!(
            (&sheet["partner_name"], &sheet["release"]),
            (&json!("Harbor House"), &json!(short))
        );
        let events = w.t.audit().await;
        let read = events.last().unwrap();
        assert_eq!(
            (read.action.as_str(), read.purpose.clone()),
            ("referral.sheet", format!("case-work; release:{short}"))
        );

        // Three days on, the release has ended: the next send is refused with that reason.
        w.t.clock.advance_days(3);
        let (field, message) = refused(send_on(&second, "sent").await);
        assert_eq!(field, "release");
        assert!(message.contains("has expired"), "{message}");
        let events = w.t.audit().await;
        let refusal = events.last().unwrap();
        assert_eq!(refusal.action, "access.refused");
        assert_eq!(
            refusal.purpose,
            format!("refused:no-consent:share-outside; release:{short}")
        );
        // The sheet of the referral sent before is refused now too: nothing more goes out.
        let (field, message) = refused(on_client(&w, &w.client, &sheet_of(&first), None).await);
        assert_eq!(
            (field.as_str(), message.contains("has expired")),
            ("release", true)
        );
        let (_, listed) = on_client(&w, &w.client, "/referrals", None).await;
        let still = listed["referrals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == second.as_str())
            .unwrap();
        assert_eq!(still["status"], "drafted", "nothing moved");

        // Withdrawn by phone: from that moment, nothing goes out under it.
        let open = created(give_release(&w, &w.client, &shelter, json!({})).await);
        let third = created(draft(&open, json!(["needs"])).await);
        let withdraw = format!("/releases/{open}/withdraw");
        let by_phone = json!({"how": "by-phone"});
        let answer = on_client(&w, &w.client, &withdraw, Some(by_phone.clone())).await;
        assert_eq!(answer.0, StatusCode::NO_CONTENT, "{}", answer.1);
        let (field, message) = refused(send_on(&third, "sent").await);
        assert_eq!(
            (field.as_str(), message.contains("was withdrawn")),
            ("release", true)
        );
        let again = on_client(&w, &w.client, &withdraw, Some(by_phone)).await;
        assert_eq!(again.0, StatusCode::CONFLICT, "the first withdrawal stands");
        let (_, releases) = on_client(&w, &w.client, "/releases", None).await;
        let standing: Vec<&str> = releases["releases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["standing"].as_str().unwrap())
            .collect();
        assert_eq!(standing, ["withdrawn", "expired"], "newest first");

        // Sharing nothing needs no release: the client calls the partner themself.
        let plain = json!({"partner": shelter, "service": "D1"});
        let unshared = created(on_client(&w, &w.client, "/referrals", Some(plain)).await);
        assert_eq!(send_on(&unshared, "sent").await.0, StatusCode::NO_CONTENT);

        // The loop moves one step at a time, and an answer waited for too long is overdue.
        assert_eq!(send_on(&first, "accepted").await.0, StatusCode::NO_CONTENT);
        assert_eq!(send_on(&first, "completed").await.0, StatusCode::NO_CONTENT);
        assert_eq!(refused(send_on(&first, "sent").await).0, "status");
        w.t.clock.advance_days(14);
        let (_, listed) = on_client(&w, &w.client, "/referrals", None).await;
        let of = |id: &str| {
            listed["referrals"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap()
                .clone()
        };
        let done = of(&first);
        let steps: Vec<&str> = done["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["status"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["drafted", "sent", "accepted", "completed"]);
        assert_eq!(
            (&done["partner_name"], &done["note"], &done["overdue"]),
            (
                &json!("Harbor House"),
                &json!("A bed from Friday"),
                &json!(false)
            )
        );
        assert_eq!(
            of(&unshared)["overdue"],
            true,
            "sent 14 days ago, no answer"
        );

        // Drafts that cannot be made name their field, and nothing is kept.
        let before = listed["referrals"].as_array().unwrap().len();
        let no_release = json!({"partner": shelter, "service": "D1", "shares": ["name"]});
        let cases = [
            (no_release, "release"),
            (
                json!({"partner": clinic, "service": "D1", "shares": ["name"], "release": open}),
                "release",
            ),
            (json!({"partner": w.client, "service": "D1"}), "partner"),
            (json!({"partner": shelter, "service": "Z9"}), "service"),
            (
                json!({"partner": shelter, "service": "D1", "shares": ["everything"]}),
                "shares",
            ),
        ];
        for (body, field) in cases {
            let answer = on_client(&w, &w.client, "/referrals", Some(body.clone())).await;
            assert_eq!(refused(answer).0, field, "{body}");
        }
        let (_, listed) = on_client(&w, &w.client, "/referrals", None).await;
        assert_eq!(listed["referrals"].as_array().unwrap().len(), before);
        let count = audited(&w.t).await;
        assert_eq!(count("referral.send"), 2);
        assert_eq!(count("release.withdraw"), 1);
    }
}

/// Who may give a release (28 CFR 94.115(a)(2)): a minor with a parent or guardian unless they
/// may consent alone, a person of concern never; and a release that cannot be given names its
/// field and records nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_names_who_gave_it_and_a_bad_one_records_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let shelter = a_partner(&w, "Harbor House").await;
        let fifteen = domain::case::format_date(w.t.app.now().plus_days(-15 * 366).date());
        let mut minor = new_client("Lia");
        minor["date_of_birth"] = json!(fifteen);
        let (status, made) = send(
            &w.t,
            Some(&w.manager),
            Method::POST,
            "/api/v1/clients",
            Some(minor),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let lia = made["id"].as_str().unwrap().to_owned();
        let yesterday = domain::case::format_date(w.t.app.now().plus_days(-1).date());
        let cases = [
            (json!({}), "cosigner"),
            (
                json!({"cosigner": "parent-or-guardian", "cosigner_of_concern": true}),
                "cosigner",
            ),
            (json!({"shares": []}), "shares"),
            (json!({"recipient": "  "}), "recipient"),
            (json!({"method": "verbal-with-witness"}), "witness"),
            (
                json!({"ends_on": yesterday, "cosigner": "minor-alone"}),
                "ends_on",
            ),
            (
                json!({"partner": w.client, "cosigner": "minor-alone"}),
                "partner",
            ),
        ];
        for (fields, field) in cases {
            let answer = give_release(&w, &lia, &shelter, fields.clone()).await;
            assert_eq!(refused(answer).0, field, "{fields}");
        }
        let (_, none) = on_client(&w, &lia, "/releases", None).await;
        assert_eq!(none["releases"], json!([]), "nothing refused was kept");
        let guardian = json!({"cosigner": "parent-or-guardian", "method": "verbal-with-witness",
                              "witness": "Dana, the night advocate"});
        created(give_release(&w, &lia, &shelter, guardian).await);
        created(give_release(&w, &lia, &shelter, json!({"cosigner": "minor-alone"})).await);
        // An adult gives one alone; without an end it lasts the program's 90 days.
        created(give_release(&w, &w.client, &shelter, json!({})).await);
        let (_, listed) = on_client(&w, &w.client, "/releases", None).await;
        let release = &listed["releases"][0];
        let ends = domain::case::format_date(w.t.app.now().plus_days(89).date());
        assert_eq!(
            (
                &release["ends_on"],
                &release["standing"],
                &release["recipient"]
            ),
            (
                &json!(ends),
                &json!("in-force"),
                &json!("Harbor House, the intake advocate")
            )
        );
        let path = format!("/api/v1/clients/{}/releases", w.client);
        let write = async |who: &Persona| give_release_as(&w, who, &shelter).await;
        others_are_refused(&w, &path, write).await;
    }
}

/// `give_release` as someone else, for the refusals.
async fn give_release_as(w: &World, who: &Persona, partner: &str) -> (StatusCode, Value) {
    let today = domain::case::format_date(w.t.app.now().date());
    let body = json!({"partner": partner, "recipient": "Harbor House", "purpose": "A bed",
        "shares": ["name"], "method": "signed-on-screen", "starts_on": today});
    let path = format!("/api/v1/clients/{}/releases", w.client);
    send(&w.t, Some(who), Method::POST, &path, Some(body)).await
}

/// A service plan through the API: a goal in the client's words with its first steps (one the
/// client takes, one a partner takes), a step added and done, a review that says a goal is reached
/// and moves the next review; everything reads back, each write and read audited once. Others are
/// refused as for every record of a client.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_is_set_with_the_client_worked_and_reviewed() {
    for engine in engines() {
        let w = world(engine).await;
        let shelter = a_partner(&w, "Harbor House").await;
        let day = |days: i64| domain::case::format_date(w.t.app.now().plus_days(days).date());
        let (status, empty) = on_client(&w, &w.client, "/plan", None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            empty,
            json!({"started_on": null, "review_due_on": null, "goals": [], "reviews": []})
        );
        let home = created(
            on_client(&w, &w.client, "/plan/goals", Some(json!({
                "words": "A place of my own, with a lock I choose",
                "need": "housing",
                "set_on": day(0),
                "steps": [
                    {"words": "Visit the shelter", "owner": "partner", "partner": shelter,
                     "target_on": day(14)},
                    {"words": "Find my birth certificate", "owner": "client", "target_on": day(7)},
                ],
            })))
            .await,
        );
        let work = created(
            on_client(
                &w,
                &w.client,
                "/plan/goals",
                Some(json!({
                    "words": "Work I can do in the mornings", "set_on": day(0),
                })),
            )
            .await,
        );
        let step = created(
            on_client(
                &w,
                &w.client,
                &format!("/plan/goals/{work}/steps"),
                Some(json!({
                    "words": "Ask about the course", "owner": "worker", "target_on": day(3),
                })),
            )
            .await,
        );
        let status_of = |step: &str| format!("/plan/steps/{step}/status");
        let done = on_client(
            &w,
            &w.client,
            &status_of(&step),
            Some(json!({"status": "done"})),
        )
        .await;
        assert_eq!(done.0, StatusCode::NO_CONTENT);
        // Done is not dropped: the step moves as a step does.
        let (field, _) = refused(
            on_client(
                &w,
                &w.client,
                &status_of(&step),
                Some(json!({"status": "dropped"})),
            )
            .await,
        );
        assert_eq!(field, "status");

        let (_, plan) = on_client(&w, &w.client, "/plan", None).await;
        assert_eq!(plan["started_on"], day(0));
        assert_eq!(plan["review_due_on"], day(90), "the program's 90 days");
        let goals = plan["goals"].as_array().unwrap();
        assert_eq!(goals.len(), 2, "{plan}");
        let first = goals.iter().find(|g| g["id"] == home).unwrap();
        assert_eq!(first["words"], "A place of my own, with a lock I choose");
        assert_eq!(
            (&first["need"], &first["status"]),
            (&json!("housing"), &json!("active"))
        );
        let steps: Vec<(&Value, &Value, &Value)> = first["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (&s["words"], &s["owner"], &s["target_on"]))
            .collect();
        assert_eq!(
            steps,
            [
                (
                    &json!("Find my birth certificate"),
                    &json!("client"),
                    &json!(day(7))
                ),
                (
                    &json!("Visit the shelter"),
                    &json!("partner"),
                    &json!(day(14))
                ),
            ],
            "by target day"
        );
        assert_eq!(first["steps"][1]["partner"], shelter);
        let second = goals.iter().find(|g| g["id"] == work).unwrap();
        assert_eq!(second["steps"][0]["status"], "done");

        // A review: the work goal is reached; the next review in 30 days, as agreed.
        let review = json!({"reviewed_on": day(0), "note": "She started the course.",
                            "goals": [{"goal": work, "status": "achieved"}],
                            "next_review_on": day(30)});
        created(on_client(&w, &w.client, "/plan/reviews", Some(review)).await);
        let (_, plan) = on_client(&w, &w.client, "/plan", None).await;
        assert_eq!(plan["review_due_on"], day(30));
        let reached = plan["goals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["id"] == work);
        assert_eq!(reached.unwrap()["status"], "achieved");
        assert_eq!(plan["reviews"][0]["note"], "She started the course.");
        assert_eq!(plan["reviews"][0]["next_review_on"], day(30));

        let path = format!("/api/v1/clients/{}/plan", w.client);
        let goal = json!({"words": "Mine", "set_on": day(0)});
        let write = async |who: &Persona| {
            let goals = format!("{path}/goals");
            send(&w.t, Some(who), Method::POST, &goals, Some(goal.clone())).await
        };
        others_are_refused(&w, &path, write).await;
        let count = audited(&w.t).await;
        assert_eq!(count("plan.goal-create"), 2);
        assert_eq!(count("plan.step-create"), 1);
        assert_eq!(
            count("plan.step-update"),
            1,
            "the refused move is not a change"
        );
        assert_eq!(count("plan.review"), 1);
        assert_eq!(count("plan.read"), 3);
    }
}

/// A goal, step or review the server cannot take is answered 422 naming the field, and the plan
/// is left as it was.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_change_that_cannot_be_made_names_its_field_and_changes_nothing() {
    for engine in engines() {
        let w = world(engine).await;
        let day = |days: i64| domain::case::format_date(w.t.app.now().plus_days(days).date());
        let step =
            |target: i64| json!({"words": "Call", "owner": "worker", "target_on": day(target)});
        let nobody = domain::PartnerId::from_random([3; 16]).to_string();
        // A review before there is a goal to review.
        let early = json!({"reviewed_on": day(0)});
        assert_eq!(
            refused(on_client(&w, &w.client, "/plan/reviews", Some(early)).await).0,
            "goals"
        );
        let goals: Vec<(Value, &str)> = vec![
            (json!({"words": "  ", "set_on": day(0)}), "words"),
            (json!({"words": "A home", "set_on": day(3)}), "set_on"),
            (json!({"words": "A home", "set_on": day(-3)}), "set_on"),
            (
                json!({"words": "A home", "set_on": day(0), "need": "rent"}),
                "need",
            ),
            (
                json!({"words": "A home", "set_on": day(0), "steps": [step(-1)]}),
                "steps.target_on",
            ),
            (
                json!({"words": "A home", "set_on": day(0),
                       "steps": [{"words": "Visit", "owner": "partner", "partner": nobody,
                                  "target_on": day(2)}]}),
                "steps.partner",
            ),
            (
                json!({"words": "A home", "set_on": day(0),
                       "steps": [{"words": "Visit", "owner": "landlord", "target_on": day(2)}]}),
                "steps.owner",
            ),
        ];
        for (body, field) in goals {
            let answer = on_client(&w, &w.client, "/plan/goals", Some(body.clone())).await;
            assert_eq!(refused(answer).0, field, "{body}");
        }
        let goal = created(
            on_client(
                &w,
                &w.client,
                "/plan/goals",
                Some(json!({"words": "A home", "set_on": day(0)})),
            )
            .await,
        );
        let steps_of = |goal: &str| format!("/plan/goals/{goal}/steps");
        let later = on_client(&w, &w.client, &steps_of(&goal), Some(step(-1))).await;
        assert_eq!(refused(later).0, "steps.target_on");
        let not_theirs = domain::GoalId::from_random([4; 16]).to_string();
        let elsewhere = on_client(&w, &w.client, &steps_of(&not_theirs), Some(step(1))).await;
        assert_eq!(elsewhere.0, StatusCode::NOT_FOUND);
        let reviews: Vec<(Value, &str)> = vec![
            (
                json!({"reviewed_on": day(0), "goals": [{"goal": not_theirs, "status": "achieved"}]}),
                "goals.goal",
            ),
            (
                json!({"reviewed_on": day(0), "goals": [{"goal": goal, "status": "done"}]}),
                "goals.status",
            ),
            (
                json!({"reviewed_on": day(0), "next_review_on": day(0)}),
                "next_review_on",
            ),
            (json!({"reviewed_on": day(-3)}), "reviewed_on"),
            (
                json!({"reviewed_on": day(0), "note": "x".repeat(2001)}),
                "note",
            ),
        ];
        for (body, field) in reviews {
            let answer = on_client(&w, &w.client, "/plan/reviews", Some(body.clone())).await;
            assert_eq!(refused(answer).0, field, "{body}");
        }
        let (_, plan) = on_client(&w, &w.client, "/plan", None).await;
        assert_eq!(plan["goals"].as_array().unwrap().len(), 1, "{plan}");
        assert_eq!(plan["goals"][0]["steps"], json!([]));
        assert_eq!(plan["reviews"], json!([]));
        assert_eq!(plan["review_due_on"], day(90));
    }
}
