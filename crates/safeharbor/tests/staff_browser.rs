//! The staff web application in a real browser (Debian's Chromium, headless, fresh profile): a case
//! manager signs up through their link with an authenticator, signs in, records a client, adds a
//! note and signs out. Then Back shows no client data (P13), and the browser keeps nothing of the
//! client: no page storage, and no file of the profile holds the client's name or note (P23).
//!
//! Needs `chromium` and `chromium-driver` from Debian (README.md, "Run the tests"). With
//! `SAFEHARBOR_SCREENSHOTS=1` it also writes `docs/screenshots/staff-*.png`.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use serde_json::json;

use common::browser::{Browser, Size, TAB, axe_script, axe_violations, files_holding};
use common::staff::Staff;
use common::{Engine, STAFF_PASSWORD, TestApp, totp_from_base32};
use domain::legal::{FactSource, FactValue, Facts};
use domain::{ClientId, Role};

const NAME: &str = "Zinnia Canarywood";
/// The nickname in a contact request the worker claims and closes.
const ASKED: &str = "Marlowe Canaryfield";
const NOTE: &str = "Canary note 7f3a: met by the river, feeling safer.";
const CONTACT: &str = "Canary contact 2c9e: tried the safe number, no answer.";
/// The note on a service the worker records.
const SERVICE: &str = "Canary service 5d1b: bus pass for the clinic.";
/// The note on a need the worker assesses.
const NEED: &str = "Canary need 8e4c: a room until Friday, then nowhere.";
/// Another name the client is known by, added from the details page.
const ALIAS: &str = "Canary Alias 3b7d";

async fn fill(b: &Browser, css: &str, text: &str) {
    let field = b.find(css).await;
    b.type_text(&field, text).await;
}

/// Submits the page's main form (not the sign-out form in the header).
async fn submit(b: &Browser) {
    b.click(&b.find("main form button[type=submit]").await)
        .await;
}

/// A main page, as a person sees it: checked with axe-core at desk and phone widths (serious and
/// critical problems are collected in `problems`), on a phone (nothing to scroll sideways) and,
/// with `SAFEHARBOR_SCREENSHOTS=1`, pictured at both sizes.
async fn seen(b: &Browser, axe: &str, name: &str, problems: &mut Vec<String>) {
    seen_at(b, axe, (name, "body"), problems).await;
}

/// `seen`, pictured with the element `top` (a CSS selector) at the top of the window.
async fn seen_at(b: &Browser, axe: &str, (name, top): (&str, &str), problems: &mut Vec<String>) {
    for violation in axe_violations(b, axe).await {
        problems.push(format!("{name} at 1280 px: {violation}"));
    }
    b.set_size(Size::Phone).await;
    for violation in axe_violations(b, axe).await {
        problems.push(format!("{name} at 390 px: {violation}"));
    }
    let width = b
        .execute("return document.documentElement.scrollWidth;", json!([]))
        .await;
    b.set_size(Size::Desktop).await;
    let width = width.as_i64().unwrap();
    if width > 390 {
        problems.push(format!(
            "{name}: {width} px wide on a 390 px phone, so it scrolls sideways"
        ));
    }
    screenshot(b, name, top).await;
}

/// How far apart, at desktop width, the middles of the main links and "Sign out" are: more than
/// a few pixels means the bar wrapped onto a second row.
async fn menu_rows_spread(b: &Browser) -> i64 {
    let spread = b
        .execute(
            "const middles = [...document.querySelectorAll('.bar nav li, .sign-out button')]
                 .map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; });
             return Math.round(Math.max(...middles) - Math.min(...middles));",
            json!([]),
        )
        .await;
    spread.as_i64().unwrap()
}

async fn screenshot(b: &Browser, name: &str, top: &str) {
    if std::env::var_os("SAFEHARBOR_SCREENSHOTS").is_none() {
        return;
    }
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    for size in [Size::Desktop, Size::Phone] {
        b.set_size(size).await;
        b.execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            json!([top]),
        )
        .await;
        b.screenshot(&folder.join(format!("staff-{name}-{}.png", size.name())))
            .await;
    }
    b.set_size(Size::Desktop).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_worker_signs_up_works_and_signs_out_leaving_nothing_behind() {
    let t = TestApp::start(Engine::Sqlite).await;
    t.app
        .add_program(
            &domain::case::ProgramCode::parse("drop-in").unwrap(),
            &domain::case::ProgramName::parse("Drop-in").unwrap(),
        )
        .await
        .unwrap();
    let ana = t.persona("ana.m", Role::CaseManager).await;
    let lead = t.persona("sue.lead", Role::Supervisor).await;
    t.harbor_house(&lead.caller).await;
    let link = t
        .app
        .invite(Some(ana.caller.id), Role::CaseManager)
        .await
        .unwrap();
    let mut b = Browser::start().await;
    let axe = axe_script();
    let mut problems = Vec::new();

    // Sign up: a password, then the authenticator, proven with a code.
    b.goto(&t.url(&format!("/login/setup/{link}"))).await;
    fill(&b, "#password", STAFF_PASSWORD).await;
    fill(&b, "#password_again", STAFF_PASSWORD).await;
    submit(&b).await;
    b.wait_for(
        "the authenticator step",
        "return !!document.querySelector('.key code');",
    )
    .await;
    let key = b
        .execute(
            "return document.querySelector('.key code').textContent;",
            json!([]),
        )
        .await;
    let secret = totp_from_base32(key.as_str().unwrap());
    seen(&b, &axe, "sign-up-authenticator", &mut problems).await;
    fill(&b, "#code", &secret.code(t.unix_seconds())).await;
    submit(&b).await;
    b.wait_for_url("the caseload after sign-up", |u| u.ends_with("/app/"))
        .await;

    // Sign out, and back in with password and a fresh code.
    b.click(&b.find(".sign-out button").await).await;
    b.wait_for_url("the sign-in page", |u| u.ends_with("/login"))
        .await;
    t.clock.advance_minutes(1);
    fill(&b, "#username", "ana.m").await;
    fill(&b, "#password", STAFF_PASSWORD).await;
    fill(&b, "#code", &secret.code(t.unix_seconds())).await;
    seen(&b, &axe, "sign-in", &mut problems).await;
    submit(&b).await;
    b.wait_for_url("the caseload after sign-in", |u| u.ends_with("/app/"))
        .await;

    // Record a client and add a note.
    b.goto(&t.url("/app/clients/new")).await;
    fill(&b, "#preferred_name", NAME).await;
    fill(&b, "#safe_contact", "Text only, weekdays after 6 pm").await;
    fill(&b, "#code_word", "blue heron").await;
    fill(&b, "#do_not_contact", "Never call the landline").await;
    seen(&b, &axe, "intake", &mut problems).await;
    submit(&b).await;
    let client = b
        .wait_for_url("the new client's page", |u| {
            u.contains("/app/clients/") && !u.ends_with("/new")
        })
        .await;
    fill(&b, "#text", NOTE).await;
    b.click(&b.find("form[action$='/notes'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the note on the page",
        &format!("return document.body.innerText.includes({NOTE:?});"),
    )
    .await;
    // Log an attempt to reach them: the time is already now, the method the first offered.
    b.click(&b.find("input[name=reached][value=no]").await)
        .await;
    fill(&b, "#contact-note", CONTACT).await;
    b.click(
        &b.find("form[action$='/contacts'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the attempt on the page",
        &format!("return document.body.innerText.includes({CONTACT:?});"),
    )
    .await;
    assert!(b.page_source().await.contains("not reached this time"));
    // Record a service the quick way: the day is today and the way in person already; choose
    // the type, add a note, save.
    b.execute(
        "document.getElementById('service-code').value = 'B9';",
        json!([]),
    )
    .await;
    fill(&b, "#service-note", SERVICE).await;
    b.click(
        &b.find("form[action$='/services'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the service on the page",
        &format!("return document.body.innerText.includes({SERVICE:?});"),
    )
    .await;
    assert!(
        b.page_source()
            .await
            .contains("Service: B9 Transportation help")
    );
    // Assess needs from the client's page: every question starts unanswered; housing is urgent,
    // with a note. The page then holds the history, and the form starts from these answers.
    b.click(&b.find("a[href$='/needs']").await).await;
    b.wait_for_url("the needs page", |u| u.ends_with("/needs"))
        .await;
    seen(&b, &axe, "needs-first", &mut problems).await;
    b.click(
        &b.find("input[name=\"needs.housing.level\"][value=urgent]")
            .await,
    )
    .await;
    fill(&b, "#need-housing-note", NEED).await;
    b.click(&b.find("form[action$='/needs'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the assessment in the history",
        "return document.body.innerText.includes('The first assessment.');",
    )
    .await;
    assert!(b.page_source().await.contains("Reassess needs"));
    seen(&b, &axe, "needs", &mut problems).await;
    // A service plan with two goals in her words, from the client's page: the first with a
    // step she takes by next week, the second with none yet.
    b.goto(&client).await;
    b.click(&b.find("a[href$='/plan']").await).await;
    b.wait_for_url("the plan page", |u| u.ends_with("/plan"))
        .await;
    fill(&b, "#goal-words", "A place of my own, with a lock I choose").await;
    fill(&b, "#goal-step-words", "Find my birth certificate").await;
    let next_week = domain::case::format_date(t.app.now().plus_days(7).date());
    b.execute(
        "document.getElementById('goal-need').value = 'housing'; \
         document.getElementById('goal-step-target').value = arguments[0];",
        json!([next_week]),
    )
    .await;
    b.click(&b.find("form[action$='/plan'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the first goal",
        "return document.body.innerText.includes('Find my birth certificate: The client');",
    )
    .await;
    fill(
        &b,
        "#goal-words",
        "Work in the mornings, so I can study after",
    )
    .await;
    b.click(&b.find("form[action$='/plan'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the second goal",
        "return document.body.innerText.includes('Work in the mornings, so I can study after');",
    )
    .await;
    seen(&b, &axe, "plan", &mut problems).await;
    // Her step is on the worker's list of work, for the week ahead.
    b.goto(&t.url("/app/work")).await;
    b.wait_for(
        "the step on my work",
        "return document.body.innerText.includes('Find my birth certificate (the client), due');",
    )
    .await;
    seen(&b, &axe, "work", &mut problems).await;
    // Another name she is known by, from the details page; the page then lists the change.
    b.goto(&format!("{client}/details")).await;
    fill(&b, "#aliases", ALIAS).await;
    b.click(&b.find("form[action$='/details'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the other name on the client's page",
        &format!("return document.body.innerText.includes({ALIAS:?});"),
    )
    .await;
    b.goto(&format!("{client}/details")).await;
    assert!(b.page_source().await.contains("changed other names."));
    seen(&b, &axe, "details", &mut problems).await;
    // A case in the drop-in program, opened from the cases page (today already filled in).
    b.goto(&format!("{client}/cases")).await;
    b.execute(
        "document.getElementById('open-program').value = 'drop-in';",
        json!([]),
    )
    .await;
    b.click(&b.find("form[action$='/cases'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the case on the cases page",
        "return document.body.innerText.includes('Drop-in, open');",
    )
    .await;
    seen(&b, &axe, "cases", &mut problems).await;
    // A release for the shelter, a referral under it, sent.
    b.goto(&format!("{client}/referrals")).await;
    b.execute(
        "document.getElementById('release-partner').selectedIndex = 1; \
         document.getElementById('release-share-name').checked = true;",
        json!([]),
    )
    .await;
    fill(&b, "#release-recipient", "The intake advocate").await;
    fill(&b, "#release-purpose", "A bed this week").await;
    b.click(
        &b.find("form[action$='/releases'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the release in force",
        "return document.body.innerText.includes('The intake advocate (Harbor House): in force');",
    )
    .await;
    b.execute(
        "document.getElementById('referral-partner').selectedIndex = 1; \
         document.getElementById('referral-service').value = 'D1'; \
         document.getElementById('referral-share-name').checked = true; \
         document.getElementById('referral-release').selectedIndex = 1;",
        json!([]),
    )
    .await;
    b.click(
        &b.find("form[action$='/referrals'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the referral drafted",
        "return document.body.innerText.includes('drafted, not sent');",
    )
    .await;
    b.click(&b.find("form[action$='/steps'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the referral sent",
        "return document.body.innerText.includes('sent, waiting for an answer');",
    )
    .await;
    // The partner accepts; the sheet they are given holds the name and nothing else.
    b.execute(
        "document.querySelector('form[action$=\\'/steps\\'] select').value = 'accepted';",
        json!([]),
    )
    .await;
    b.click(&b.find("form[action$='/steps'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the referral accepted",
        "return document.body.innerText.includes('accepted since');",
    )
    .await;
    seen(&b, &axe, "referrals", &mut problems).await;
    let sheet = b
        .execute(
            "return document.querySelector('a[href$=\\'/sheet\\']').href;",
            json!([]),
        )
        .await;
    let sheet = sheet.as_str().unwrap().to_owned();
    b.goto(&sheet).await;
    assert!(b.page_source().await.contains("<dt>The name they use</dt>"));
    seen(&b, &axe, "referral-sheet", &mut problems).await;
    // The client calls and takes the release back: the next share is refused.
    b.goto(&format!("{client}/referrals")).await;
    b.click(
        &b.find("form[action$='/withdraw'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the release withdrawn",
        "return document.body.innerText.includes(': withdrawn,');",
    )
    .await;
    b.goto(&sheet).await;
    assert!(
        b.page_source()
            .await
            .contains("This sheet cannot be shared now"),
        "the sheet after the withdrawal"
    );
    b.goto(&t.url("/app/partners")).await;
    assert!(
        b.page_source()
            .await
            .contains("<strong>Harbor House</strong>")
    );
    seen(&b, &axe, "partners", &mut problems).await;
    // Closure with outcomes: the exit outcomes scored with the person, then the case closed,
    // goals met, the person agreeing to follow-ups by text.
    b.goto(&format!("{client}/outcomes")).await;
    b.execute(
        "document.getElementById('outcome-point').value = 'exit';",
        json!([]),
    )
    .await;
    b.click(
        &b.find("input[name=\"outcomes.safety.score\"][value=\"4\"]")
            .await,
    )
    .await;
    b.click(
        &b.find("form[action$='/outcomes'] button[type=submit]")
            .await,
    )
    .await;
    b.wait_for(
        "the exit outcomes in the history",
        "return document.body.innerText.includes('At exit, ');",
    )
    .await;
    seen(&b, &axe, "outcomes", &mut problems).await;
    b.goto(&format!("{client}/cases")).await;
    b.execute(
        "document.querySelector('select[name=reason]').value = 'goals-met'; \
         document.querySelector('input[name=follow_up][value=yes]').checked = true; \
         document.querySelector('select[name=reach_method]').value = 'text';",
        json!([]),
    )
    .await;
    fill(&b, "input[name=reach_how]", "Texts only, say it is Anna").await;
    b.click(&b.find("form[action$='/close'] button[type=submit]").await)
        .await;
    b.wait_for(
        "the case closed with its reason",
        "return document.body.innerText.includes('Goals met. Agreed to follow-up contacts.');",
    )
    .await;
    seen(&b, &axe, "cases-closed", &mut problems).await;
    b.goto(&t.url("/app/")).await;
    // Waited for, not read at once: under load the caseload can still be loading.
    b.wait_for(
        "the new client in the caseload",
        &format!("return document.body.innerText.includes({NAME:?});"),
    )
    .await;
    seen(&b, &axe, "caseload", &mut problems).await;
    b.goto(&client).await;
    seen(&b, &axe, "client", &mut problems).await;
    // The history, filtered to services in Chromium: the choice is sent as the form says, and
    // every line left is a service under its day.
    b.execute(
        "document.querySelectorAll('form.kinds input[name=show]')
             .forEach(box => box.checked = box.value === 'service');",
        json!([]),
    )
    .await;
    b.click(&b.find("form.kinds button[type=submit]").await)
        .await;
    b.wait_for_url("the history of services", |u| u.contains("?show=service"))
        .await;
    b.wait_for(
        "only services in the history",
        "const lines = document.querySelectorAll('ol.history li');
         return lines.length > 0
             && lines.length === document.querySelectorAll('ol.history li.kind-service').length
             && document.querySelectorAll('h3.day').length > 0;",
    )
    .await;
    seen_at(&b, &axe, ("client-history", "#history"), &mut problems).await;

    // A screening from the client's page: one yes on the four youth questions.
    b.goto(&format!("{client}/screenings/new/qyit-4")).await;
    b.click(
        &b.find("input[name=\"item.afraid-to-leave\"][value=yes]")
            .await,
    )
    .await;
    b.click(&b.find("input[name=\"item.unsafe-work\"][value=no]").await)
        .await;
    // Each answer is saved as it is given: after a reload (or a lost session) it is still there.
    b.wait_for(
        "the answers saved as they are given",
        "return document.getElementById('draft-status').textContent.startsWith('Saved as you go');",
    )
    .await;
    b.goto(&format!("{client}/screenings/new/qyit-4")).await;
    let kept = b
        .execute(
            "return document.querySelector('input[name=\"item.afraid-to-leave\"][value=yes]').checked;",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!(true), "the answer was saved as it was given");
    seen(&b, &axe, "screening-form", &mut problems).await;
    submit(&b).await;
    b.wait_for_url("the screening's result", |u| {
        u.contains("/screenings/") && !u.contains("/new")
    })
    .await;
    assert!(b.page_source().await.contains("Result: look further"));
    seen(&b, &axe, "screening", &mut problems).await;

    // A determination: the worksheet filled in fact by fact for the federal definition, each
    // with how we know it, saved as it is filled in; then the outcome per jurisdiction.
    b.goto(&format!(
        "{client}/determinations/new?for=us-federal.severe-sex-trafficking"
    ))
    .await;
    fill(&b, "input[name=\"fact.person.age_at_first_act\"]", "16").await;
    for (fact, source) in [
        ("person.age_at_first_act", "own-account"),
        ("actions.harboring", "own-account"),
        ("purpose.sex_act", "own-account"),
        ("purpose.anything_of_value_given_or_received", "third-party"),
    ] {
        if fact.starts_with("actions.") || fact.starts_with("purpose.") {
            let yes = format!("input[name=\"fact.{fact}\"][value=yes]");
            b.click(&b.find(&yes).await).await;
        }
        let how = format!("select[name=\"source.{fact}\"] option[value=\"{source}\"]");
        b.click(&b.find(&how).await).await;
    }
    b.wait_for(
        "the worksheet saved as it is filled in",
        "return document.getElementById('draft-status').textContent.startsWith('Saved as you go');",
    )
    .await;
    seen(&b, &axe, "worksheet", &mut problems).await;
    b.click(&b.find(RECORD).await).await;
    b.wait_for_url("the determination", |u| {
        u.contains("/determinations/") && !u.contains("/new")
    })
    .await;
    let outcome = b.page_source().await;
    assert!(
        outcome.contains("Outcome: met on the recorded facts")
            && outcome.contains("What we still need to know"),
        "the determination shows its outcomes"
    );
    seen(&b, &axe, "determination", &mut problems).await;

    // Someone asks, from the public site, to be reached; the worker claims the request, reads
    // it and closes it.
    let asked = domain::contact_request::RawContactRequest {
        alias: ASKED.to_owned(),
        reach: "Text 555-0123, say it is about the library book".to_owned(),
        times: "Weekdays 2 to 4 pm".to_owned(),
        code_word: "sparrow".to_owned(),
    };
    t.app
        .receive_contact_request(asked.parse().unwrap(), "es")
        .await
        .unwrap();
    b.click(&b.find("nav a[href=\"/app/requests\"]").await)
        .await;
    b.wait_for_url("the requests", |u| u.ends_with("/app/requests"))
        .await;
    seen(&b, &axe, "requests", &mut problems).await;
    submit(&b).await;
    let request = b
        .wait_for_url("the claimed request", |u| u.contains("/app/requests/"))
        .await;
    assert!(b.page_source().await.contains(ASKED));
    seen(&b, &axe, "request", &mut problems).await;
    b.click(&b.find("input[name=outcome][value=reached]").await)
        .await;
    b.click(&b.find("form[action$=\"/close\"] button").await)
        .await;
    b.wait_for_url("the requests again", |u| u.ends_with("/app/requests"))
        .await;
    b.goto(&request).await;
    assert!(
        !b.page_source().await.contains(ASKED),
        "a closed request is gone"
    );
    b.goto(&t.url("/app/")).await;

    // Sign out; Back must not bring the record back (P13).
    b.click(&b.find(".sign-out button").await).await;
    b.wait_for_url("the sign-in page", |u| u.ends_with("/login"))
        .await;
    b.back().await;
    let after_back = b
        .wait_for_url("Back to settle on the sign-in page", |u| {
            u.ends_with("/login")
        })
        .await;
    let source = b.page_source().await;
    assert!(
        !source.contains(NAME)
            && !source.contains("Canary note")
            && !source.contains("Canary contact")
            && !source.contains("Canary service")
            && !source.contains("Canary need"),
        "Back showed client data at {after_back}"
    );

    // Nothing of ours in the page's storage (P23).
    let kept = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.all([indexedDB.databases(), caches.keys()]).then(([dbs, cached]) => done({
                 cookie: document.cookie, local: localStorage.length,
                 session: sessionStorage.length, databases: dbs.length, caches: cached.length }));",
            json!([]),
        )
        .await;
    assert_eq!(
        kept,
        json!({"cookie": "", "local": 0, "session": 0, "databases": 0, "caches": 0}),
        "the browser keeps nothing for our site"
    );

    // And no file of the closed profile holds the client's name or note (P23).
    let profile = b.profile_dir();
    b.quit().await;
    for canary in [
        NAME,
        "Canary note 7f3a",
        "Canary contact 2c9e",
        "Canary service 5d1b",
        "Canary need 8e4c",
        ALIAS,
        ASKED,
    ] {
        let holding = files_holding(&profile, canary);
        assert!(holding.is_empty(), "{canary:?} is in {holding:?}");
    }
    assert!(
        problems.is_empty(),
        "accessibility and layout problems on the staff pages:\n{}",
        problems.join("\n")
    );
}

/// Records a client for `by` directly, a minute after the last; `None` leaves a detail
/// unanswered.
async fn recorded(
    t: &TestApp,
    by: &common::Persona,
    name: &str,
    (legal, born, age_band): (Option<&str>, Option<&str>, Option<&str>),
) -> domain::ClientId {
    t.clock.advance_minutes(1);
    let raw = domain::client::RawClient {
        preferred_name: name.to_owned(),
        legal_name: legal.map(str::to_owned),
        date_of_birth: born.map(str::to_owned),
        age_band: age_band.map(str::to_owned),
        ..Default::default()
    };
    t.recorded(&by.caller, raw).await
}

/// The text of each row of the page's table, as a person reads it.
async fn rows(b: &Browser) -> Vec<String> {
    let rows = b
        .execute(
            "return [...document.querySelectorAll('main tbody tr')].map(r => r.innerText);",
            json!([]),
        )
        .await;
    serde_json::from_value(rows).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_tells_clients_apart_and_opens_a_record_in_an_emergency_by_name_and_birth_date() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
    let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
    let teen = recorded(
        &t,
        &ana,
        "Zuri",
        (Some("Zuri Okafor"), Some("2010-03-15"), None),
    )
    .await;
    recorded(
        &t,
        &ana,
        "Zuri",
        (Some("Zuri Adeyemi"), Some("1999-11-02"), None),
    )
    .await;
    recorded(
        &t,
        &ana,
        "Zuri",
        (None, None, Some("prefers-not-to-answer")),
    )
    .await;
    recorded(&t, &ana, "Zuri", (None, None, Some("25-34"))).await;
    recorded(&t, &ana, "Ama", (None, None, None)).await;
    t.app
        .add_note(
            &ana.caller,
            teen,
            domain::note::NoteText::parse("Met at the clinic.").unwrap(),
            app::Purpose::CaseWork,
        )
        .await
        .unwrap();
    let mut b = Browser::start().await;
    let axe = axe_script();
    let mut problems = Vec::new();
    sign_in(&b, &t, &t.base, "ana.m", &ana_key).await;

    // Two letters find every Zuri, and each row reads differently from the others.
    fill(&b, "#name", "zu").await;
    submit(&b).await;
    b.wait_for(
        "the search's result",
        "return document.body.innerText.includes('Found 4');",
    )
    .await;
    let found = rows(&b).await;
    assert_eq!(found.len(), 4, "{found:?}");
    let mut told_apart = found.clone();
    told_apart.sort();
    told_apart.dedup();
    assert_eq!(told_apart.len(), 4, "rows that read alike: {found:?}");
    let text = b
        .execute("return document.body.innerText;", json!([]))
        .await;
    let text = text.as_str().unwrap();
    for shown in [
        "Born March 2010",
        "Zuri Okafor",
        "Age not shared",
        "Age 25 to 34",
    ] {
        assert!(text.contains(shown), "{shown}: {text}");
    }
    assert!(!text.contains("prefers-not-to-answer") && !text.contains("25-34"));
    seen(&b, &axe, "caseload-found", &mut problems).await;

    // Sorted by name and filtered to adults, at an address that names no one.
    b.execute(
        "document.getElementById('sort').value = 'name';
         document.getElementById('age').value = 'adult';",
        json!([]),
    )
    .await;
    b.click(&b.find("main .filters button").await).await;
    let at = b
        .wait_for_url("the sorted caseload", |u| u.contains("sort=name"))
        .await;
    assert!(at.ends_with("/app/?sort=name&age=adult"), "{at}");
    let adults = rows(&b).await;
    assert_eq!(adults.len(), 2, "{adults:?}");
    assert!(adults.iter().all(|r| !r.contains("2010")), "{adults:?}");

    // The duplicate warning says why a record matched and what sets it apart.
    b.goto(&t.url("/app/clients/new")).await;
    fill(&b, "#preferred_name", "Zuri").await;
    b.execute(
        "document.getElementById('date_of_birth').value = '2010-03-15';",
        json!([]),
    )
    .await;
    submit(&b).await;
    b.wait_for(
        "the duplicate warning",
        "return document.body.innerText.includes('someone you already work with');",
    )
    .await;
    let warning = b
        .execute(
            "return document.querySelector('.warning').innerText;",
            json!([]),
        )
        .await;
    let warning = warning.as_str().unwrap();
    assert!(warning.contains("Same name and date of birth"), "{warning}");
    assert!(
        warning.contains("Same name") && warning.contains("Born March 2010"),
        "{warning}"
    );
    seen(&b, &axe, "intake-duplicates", &mut problems).await;

    // Ben, who does not work with the Zuris, opens one in an emergency by name and birth date.
    b.click(&b.find(".sign-out button").await).await;
    b.wait_for_url("the sign-in page", |u| u.ends_with("/login"))
        .await;
    sign_in(&b, &t, &t.base, "ben.m", &ben_key).await;
    b.goto(&t.url("/app/emergency")).await;
    fill(&b, "#name", "Zuri Okafor").await;
    b.execute(
        "document.getElementById('date_of_birth').value = '2010-03-15';",
        json!([]),
    )
    .await;
    fill(
        &b,
        "#reason",
        "Her sister called: she is at the bus station and needs a bed tonight.",
    )
    .await;
    fill(&b, "#password", STAFF_PASSWORD).await;
    t.clock.advance_minutes(1);
    fill(&b, "#code", &ben_key.code(t.unix_seconds())).await;
    seen(&b, &axe, "emergency", &mut problems).await;
    submit(&b).await;
    let opened = b
        .wait_for_url("the record opened in an emergency", |u| {
            u.contains("/app/clients/")
        })
        .await;
    assert!(
        opened.ends_with(&format!("/app/clients/{teen}")),
        "{opened}"
    );
    assert!(problems.is_empty(), "{problems:#?}");
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_reads_times_in_the_time_zone_they_choose() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
    let client = recorded(&t, &ana, "Zuri", (None, None, None)).await;
    t.app
        .add_note(
            &ana.caller,
            client,
            domain::note::NoteText::parse("Met at the clinic.").unwrap(),
            app::Purpose::CaseWork,
        )
        .await
        .unwrap();
    let mut b = Browser::start().await;
    let axe = axe_script();
    let mut problems = Vec::new();
    sign_in(&b, &t, &t.base, "ana.m", &ana_key).await;
    let page = t.url(&format!("/app/clients/{client}"));
    b.goto(&page).await;
    assert!(
        b.page_source().await.contains(" UTC"),
        "the program's zone first"
    );

    // A zone that is not one is refused, in words, and what was typed stays in the box.
    b.goto(&t.url("/app/account")).await;
    let title = b.title().await;
    assert!(
        title.starts_with("Your account") && !title.contains('<'),
        "{title}"
    );
    let save = "form[action='/app/account/time-zone'] button";
    fill(&b, "#time_zone", "Mars/Olympus").await;
    b.click(&b.find(save).await).await;
    b.wait_for(
        "the problem with the zone",
        "return !!document.getElementById('zone-problem');",
    )
    .await;
    let kept = b
        .execute(
            "return document.getElementById('time_zone').value;",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!("Mars/Olympus"));
    seen(&b, &axe, "account-time-zone", &mut problems).await;

    // Her own zone: every time on the pages is read in it, named.
    b.execute(
        "document.getElementById('time_zone').value = '';",
        json!([]),
    )
    .await;
    fill(&b, "#time_zone", "America/Chicago").await;
    b.click(&b.find(save).await).await;
    b.wait_for(
        "the zone saved",
        "return document.body.innerText.includes('America/Chicago, which you chose');",
    )
    .await;
    b.goto(&page).await;
    let text = b
        .execute("return document.body.innerText;", json!([]))
        .await;
    let text = text.as_str().unwrap();
    assert!(text.contains(" CDT") || text.contains(" CST"), "{text}");
    assert!(!text.contains(" UTC"), "{text}");

    // Left empty, the program's zone is hers again.
    b.goto(&t.url("/app/account")).await;
    b.execute(
        "document.getElementById('time_zone').value = '';",
        json!([]),
    )
    .await;
    b.click(&b.find(save).await).await;
    b.wait_for(
        "the program's zone again",
        // The hint below the box names the program's zone too; only the saved page says it
        // is the zone times are shown in.
        "return document.body.innerText.includes(\", the program's time zone.\");",
    )
    .await;
    let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "user.time-zone-set")
            .count(),
        2,
        "each change audited, the refused one not"
    );
    assert!(problems.is_empty(), "{problems:#?}");
    b.quit().await;
}

/// A case manager on no team, whose clients only an emergency opens to anyone else.
async fn worker_on_no_team(t: &TestApp) -> common::Persona {
    t.persona("cal.m", Role::CaseManager).await
}

/// Signs in through the sign-in page at `base` with password and a fresh code; returns where the
/// browser lands (the start page, or an administrator's passkey step).
async fn sign_in(
    b: &Browser,
    t: &TestApp,
    base: &str,
    username: &str,
    secret: &crypto::totp::TotpSecret,
) -> String {
    b.goto(&format!("{base}/login")).await;
    t.clock.advance_minutes(1);
    fill(b, "#username", username).await;
    fill(b, "#password", STAFF_PASSWORD).await;
    fill(b, "#code", &secret.code(t.unix_seconds())).await;
    submit(b).await;
    b.wait_for_url("the start page or the passkey step", |u| {
        u.ends_with("/app/") || u.ends_with("/app/passkey")
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_of_administrators_and_supervisors_pass_the_accessibility_checks() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ada, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
    let (sue, sue_key) = t.enrolled("sue.s", Role::Supervisor).await;
    let (ana, _) = t.enrolled("ana.m", Role::CaseManager).await;
    let (ben, ben_key) = t.enrolled("ben.m", Role::Outreach).await;
    let team = t.app.create_team(&ada.caller, "North").await.unwrap();
    for (who, leads) in [(&sue, true), (&ana, false), (&ben, false)] {
        t.app
            .put_team_member(&ada.caller, team, who.caller.id, leads)
            .await
            .unwrap();
    }
    let client = t.client_page_of(&ana, NAME).await;
    // A service, so that the reports page has a number to flag.
    let service = domain::service::RawService {
        delivered_on: t.app.now().date(),
        code: "C4",
        mode: "in-person",
        minutes: None,
        units: None,
        note: None,
    };
    let id: domain::ClientId = client.rsplit('/').next().unwrap().parse().unwrap();
    t.app
        .record_service(
            &ana.caller,
            id,
            service.parse(t.app.now()).unwrap(),
            app::Purpose::CaseWork,
        )
        .await
        .unwrap();
    let other = t
        .client_page_of(&worker_on_no_team(&t).await, "Lior Canarystone")
        .await;
    // Ben opens a record that is not his in an emergency, so a review waits for Sue.
    let mut ben_web = Staff::new(&t);
    ben_web.sign_in("ben.m", &ben_key).await;
    t.clock.advance_minutes(1);
    let opened = ben_web
        .submit(
            "/app/emergency",
            "/app/emergency",
            &[
                ("client", other.rsplit('/').next().unwrap()),
                (
                    "reason",
                    "Her sister called: she is at the bus station and needs a bed tonight.",
                ),
                ("password", STAFF_PASSWORD),
                ("code", &ben_key.code(t.unix_seconds())),
            ],
        )
        .await;
    assert_eq!(opened.location(), other, "{}", opened.body);
    ben_web.get(&other).await;
    let mut b = Browser::start().await;
    let axe = axe_script();
    let mut problems = Vec::new();

    // Passkeys are bound to a host name, which an address like 127.0.0.1 is not: the
    // administrator works at localhost, with a virtual authenticator in the browser.
    let local = t.base.replace("127.0.0.1", "localhost");
    b.add_virtual_authenticator().await;
    let landed = sign_in(&b, &t, &local, "ada.admin", &ada_key).await;
    assert!(landed.ends_with("/app/passkey"), "{landed}");
    seen(&b, &axe, "passkey-add", &mut problems).await;
    b.click(&b.find("#passkey-start").await).await;
    b.wait_for_url("the start page once the passkey is added", |u| {
        u.ends_with("/app/")
    })
    .await;
    for (path, name) in [("/app/admin", "admin"), ("/app/admin/teams", "teams")] {
        b.goto(&format!("{local}{path}")).await;
        seen(&b, &axe, name, &mut problems).await;
    }
    // Signing in again, the passkey is used, not added.
    b.click(&b.find(".sign-out button").await).await;
    b.wait_for_url("the sign-in page", |u| u.ends_with("/login"))
        .await;
    sign_in(&b, &t, &local, "ada.admin", &ada_key).await;
    assert!(b.page_source().await.contains("Use your passkey"));
    seen(&b, &axe, "passkey-use", &mut problems).await;
    b.click(&b.find("#passkey-start").await).await;
    b.wait_for_url("the start page once the passkey is used", |u| {
        u.ends_with("/app/")
    })
    .await;
    b.goto(&format!("{local}/app/admin")).await;
    assert!(b.page_source().await.contains("Staff accounts"));
    b.click(&b.find(".sign-out button").await).await;
    b.wait_for_url("the sign-in page", |u| u.ends_with("/login"))
        .await;

    // With every main link of a supervisor and a number of waiting requests, the bar keeps to
    // one row at desktop width.
    let asked = domain::contact_request::RawContactRequest {
        alias: ASKED.to_owned(),
        reach: "Text 555-0123".to_owned(),
        ..Default::default()
    };
    t.app
        .receive_contact_request(asked.parse().unwrap(), "en")
        .await
        .unwrap();
    sign_in(&b, &t, &t.base, "sue.s", &sue_key).await;
    assert_eq!(b.find_all(".bar nav li").await.len(), 8);
    let spread = menu_rows_spread(&b).await;
    assert!(
        spread <= 4,
        "the menu wraps at 1280 px: {spread} px between its rows"
    );
    b.goto(&t.url("/app/team")).await;
    assert!(b.page_source().await.contains(NAME));
    seen(&b, &axe, "team", &mut problems).await;
    b.goto(&t.url(&client)).await;
    assert!(b.page_source().await.contains("Who works with"));
    seen(&b, &axe, "client-supervisor", &mut problems).await;
    for (path, name) in [
        (format!("{client}/access"), "access-log"),
        ("/app/audit".to_owned(), "audit"),
        ("/app/emergency".to_owned(), "emergency"),
        ("/app/reviews".to_owned(), "reviews"),
        ("/app/reauth?next=/app/".to_owned(), "reauth"),
    ] {
        b.goto(&t.url(&path)).await;
        seen(&b, &axe, name, &mut problems).await;
    }
    // A report's exact numbers, the one flagged small, shown from the report's heading.
    b.goto(&t.url("/app/reports?report=ovc-ht&from=2000-01-01&to=2099-12-31&mode=exact"))
        .await;
    assert!(b.page_source().await.contains("small-count"));
    seen_at(&b, &axe, ("reports", "#report"), &mut problems).await;
    // With nothing asked, the page opens on this quarter's dashboard.
    b.goto(&t.url("/app/reports")).await;
    let dashboard = b.page_source().await;
    assert!(dashboard.contains("<caption>Screenings, by result</caption>"));
    assert!(dashboard.contains("<svg class=\"chart\""));
    seen_at(&b, &axe, ("dashboard", "#report"), &mut problems).await;
    b.quit().await;
    assert!(
        problems.is_empty(),
        "accessibility and layout problems on the staff pages:\n{}",
        problems.join("\n")
    );
}

// --- The determination worksheet and its result (issue 17, item 9) ---------------------------

/// The page's height in pixels at a phone's and at a desktop's width.
async fn heights(b: &Browser) -> (i64, i64) {
    let mut measured = Vec::new();
    for size in [Size::Phone, Size::Desktop] {
        b.set_size(size).await;
        let height = b
            .execute("return document.documentElement.scrollHeight;", json!([]))
            .await;
        measured.push(height.as_i64().unwrap());
    }
    (measured[0], measured[1])
}

/// The worksheet's button that records the determination.
const RECORD: &str = "form.worksheet button:not([name])";

/// A case manager's client (with this date of birth on the record, if any), and a browser signed
/// in as that case manager.
async fn worker_and_client(
    t: &TestApp,
    born: Option<&str>,
) -> (common::Persona, ClientId, Browser) {
    let (ana, key) = t.enrolled("ana.m", Role::CaseManager).await;
    let id = recorded(t, &ana, NAME, (None, born, None)).await;
    let b = Browser::start().await;
    sign_in(&b, t, &t.base, "ana.m", &key).await;
    (ana, id, b)
}

/// Records a determination for `client` straight through the app, every known fact from the
/// person's own account; the address of its page.
async fn determination_of(
    t: &TestApp,
    by: &common::Persona,
    client: ClientId,
    facts: &str,
) -> String {
    let facts = Facts::parse_json(facts).unwrap();
    let sources = domain::legal::FACT_PATHS
        .into_iter()
        .filter(|path| facts.value(path).is_some_and(|v| v.is_known()))
        .map(|path| (path, FactSource::OwnAccount))
        .collect();
    let id = t
        .app
        .record_determination(&by.caller, client, facts, &sources, app::Purpose::CaseWork)
        .await
        .unwrap();
    t.url(&format!("/app/clients/{client}/determinations/{id}"))
}

/// The value of the field with this id.
async fn value_of(b: &Browser, id: &str) -> String {
    let value = b
        .execute(
            "return document.getElementById(arguments[0]).value;",
            json!([id]),
        )
        .await;
    value.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worksheet_takes_the_date_of_birth_from_the_record_and_carries_no_clash_over() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, client, mut b) = worker_and_client(&t, Some("2008-03-02")).await;
    // Recorded before anyone knew the date of birth: 16 when it started. The date of birth on
    // the record now says 15.
    determination_of(
        &t,
        &ana,
        client,
        r#"{"person": {"age_at_first_act": 16}, "period": {"from": "2023-06-01"},
            "actions": {"harboring": true}}"#,
    )
    .await;

    b.goto(&t.url(&format!("/app/clients/{client}/determinations/new")))
        .await;
    assert_eq!(
        value_of(&b, "fact.person.date_of_birth").await,
        "2008-03-02",
        "the date of birth on the record fills the worksheet"
    );
    assert_eq!(
        value_of(&b, "fact.person.age_at_first_act").await,
        "",
        "an age from last time that does not fit the record is not carried over"
    );
    assert_eq!(value_of(&b, "fact.period.from").await, "2023-06-01");
    assert!(
        b.page_source()
            .await
            .contains("does not fit the date of birth on the client record"),
        "the worksheet says why last time's age was left out"
    );

    // Recorded as it stands, with no problem the worker did not make.
    b.click(&b.find(RECORD).await).await;
    let result = b
        .wait_for_url("the determination", |u| {
            u.contains("/determinations/") && !u.contains("/new")
        })
        .await;
    let list = t
        .app
        .determinations(&ana.caller, client, app::Purpose::CaseWork)
        .await
        .unwrap();
    let newest = list
        .list
        .iter()
        .find(|d| result.ends_with(&d.id.to_string()));
    let sheet = &newest.unwrap().worksheet;
    assert_eq!(
        sheet.facts().value("person.date_of_birth"),
        Some(FactValue::Date(domain::legal::parse_iso_date("2008-03-02")))
    );
    assert_eq!(
        sheet.provenance("person.date_of_birth").map(|p| p.source),
        Some(FactSource::ClientRecord)
    );
    assert_eq!(
        sheet.facts().value("person.age_at_first_act"),
        Some(FactValue::Years(None))
    );
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worksheet_shows_every_problem_at_once_in_words_beside_its_field() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, client, mut b) = worker_and_client(&t, None).await;
    let axe = axe_script();
    let mut problems = Vec::new();
    b.goto(&t.url(&format!("/app/clients/{client}/determinations/new?for=all")))
        .await;
    // Two facts answered without saying how we know them, a date that does not exist, and a
    // date of birth after the end.
    for fact in ["means.force", "actions.harboring"] {
        let yes = format!("input[name=\"fact.{fact}\"][value=yes]");
        b.click(&b.find(&yes).await).await;
    }
    fill(&b, "input[name=\"fact.period.from\"]", "2023-02-30").await;
    fill(&b, "input[name=\"fact.period.to\"]", "2009-01-01").await;
    fill(
        &b,
        "input[name=\"fact.person.date_of_birth\"]",
        "2010-05-01",
    )
    .await;
    for (fact, source) in [
        ("period.from", "own-account"),
        ("period.to", "own-account"),
        ("person.date_of_birth", "document"),
    ] {
        let how = format!("select[name=\"source.{fact}\"] option[value=\"{source}\"]");
        b.click(&b.find(&how).await).await;
    }
    b.click(&b.find(RECORD).await).await;
    b.wait_for(
        "the worksheet back with its problems",
        "return !!document.querySelector('.problems');",
    )
    .await;

    // A summary at the top links to each field; each field says what is wrong beside it.
    let listed = b
        .execute(
            "return [...document.querySelectorAll('.problems a')].map(a => {
                 const id = decodeURIComponent(a.hash.slice(1));
                 const field = document.getElementById(id);
                 const group = field && (field.closest('[aria-invalid]') || field);
                 const said = group && (group.getAttribute('aria-describedby') || '')
                     .split(' ').filter(Boolean)
                     .map(d => document.getElementById(d)?.textContent ?? '').join(' ');
                 return { link: a.textContent, id, found: !!field,
                          invalid: group?.getAttribute('aria-invalid'), said };
             });",
            json!([]),
        )
        .await;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 4, "every problem at once: {listed:#?}");
    for problem in listed {
        assert_eq!(problem["found"], true, "{problem}");
        assert_eq!(problem["invalid"], "true", "{problem}");
        let said = problem["said"].as_str().unwrap();
        let link = problem["link"].as_str().unwrap();
        assert!(!said.trim().is_empty(), "{problem}");
        for text in [said, link] {
            assert!(!dotted_name(text), "an internal name in {text:?}");
        }
    }
    // Nothing typed is lost.
    assert_eq!(value_of(&b, "fact.period.from").await, "2023-02-30");
    assert_eq!(
        value_of(&b, "fact.person.date_of_birth").await,
        "2010-05-01"
    );
    let force = b
        .execute(
            "return document.querySelector('input[name=\"fact.means.force\"][value=yes]').checked;",
            json!([]),
        )
        .await;
    assert_eq!(force, json!(true));
    seen(&b, &axe, "worksheet-problems", &mut problems).await;
    b.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether `text` holds a name like `person.age_at_first_act` or `means.force`.
fn dotted_name(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_lowercase() || c == '_' || c == '.'))
        .any(|word| {
            let parts: Vec<&str> = word.split('.').collect();
            parts.len() >= 2 && parts.iter().all(|p| !p.is_empty())
        })
}

/// Presses Tab from the top of the page until the worksheet's Record button has the focus.
async fn tab_presses_to_record(b: &Browser) -> usize {
    b.execute(
        "document.activeElement?.blur(); window.scrollTo(0, 0);",
        json!([]),
    )
    .await;
    for presses in 1..=200 {
        b.press_key(TAB).await;
        let there = b
            .execute(
                "return document.activeElement === document.querySelector(arguments[0]);",
                json!([RECORD]),
            )
            .await;
        if there == json!(true) {
            return presses;
        }
    }
    panic!("Record is not reached in 200 Tab presses");
}

/// The facts whose questions are on show (not folded away), by path.
async fn facts_on_show(b: &Browser) -> Vec<String> {
    let shown = b
        .execute(
            "return [...document.querySelectorAll('form.worksheet .fact')]
                 .filter(f => f.checkVisibility())
                 .map(f => f.querySelector('[name^=\"fact.\"]').name.slice(5));",
            json!([]),
        )
        .await;
    serde_json::from_value(shown).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worksheet_asks_first_what_one_definition_needs_in_few_tab_presses() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (_, client, mut b) = worker_and_client(&t, None).await;
    let axe = axe_script();
    let mut problems = Vec::new();
    let packs = domain::legal::RulePacks::shipped().unwrap();
    b.goto(&t.url(&format!("/app/clients/{client}/determinations/new")))
        .await;
    let first_presses = tab_presses_to_record(&b).await;
    let first_heights = heights(&b).await;
    eprintln!(
        "worksheet as opened: {first_presses} Tab presses to Record; {first_heights:?} px high at 390 and 1280 px"
    );

    // The worker chooses the federal definition used for T visas and HHS letters.
    let severe = "us-federal.severe-sex-trafficking";
    b.click(
        &b.find(&format!("select#for option[value=\"{severe}\"]"))
            .await,
    )
    .await;
    b.click(&b.find("form.choose button").await).await;
    b.wait_for_url("the worksheet for one definition", |u| u.contains("for="))
        .await;
    let presses = tab_presses_to_record(&b).await;
    let (phone, desktop) = heights(&b).await;
    eprintln!(
        "worksheet for {severe}: {presses} Tab presses to Record; {phone} and {desktop} px high at 390 and 1280 px"
    );
    let rule = packs.rule(severe).unwrap();
    let mut wanted: Vec<String> = packs
        .facts_read(rule)
        .into_iter()
        .map(str::to_owned)
        .collect();
    wanted.sort();
    let mut shown = facts_on_show(&b).await;
    shown.sort();
    assert_eq!(
        shown, wanted,
        "only the facts the definition reads are on show"
    );
    // Measured before: 96 Tab presses, every fact and every "how we know" in the way.
    assert!(
        presses <= 30 && first_presses <= 30,
        "{first_presses} and {presses} Tab presses to Record"
    );
    // The rest are a click away, and sent with the form.
    let folded = b.find_all("form.worksheet details.other-facts").await;
    assert_eq!(folded.len(), 1);
    let in_form = b
        .execute(
            "return new Set([...document.querySelectorAll('form.worksheet [name^=\"fact.\"]')]
                 .map(e => e.name)).size;",
            json!([]),
        )
        .await;
    assert_eq!(in_form, json!(40), "every fact is in the form");
    seen(&b, &axe, "worksheet-one-definition", &mut problems).await;
    b.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_determination_shows_each_outcome_at_a_glance_with_its_reasons_folded() {
    let t = TestApp::start(Engine::Sqlite).await;
    let (ana, client, mut b) = worker_and_client(&t, Some("2008-03-02")).await;
    let axe = axe_script();
    let mut problems = Vec::new();
    let result = determination_of(
        &t,
        &ana,
        client,
        r#"{"person": {"date_of_birth": "2008-03-02"}, "period": {"from": "2023-06-01"},
            "actions": {"harboring": true}, "means": {"force": false},
            "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}}"#,
    )
    .await;
    b.goto(&result).await;
    let (phone, desktop) = heights(&b).await;
    eprintln!("determination: {phone} and {desktop} px high at 390 and 1280 px");
    let folds = b
        .execute(
            "return [...document.querySelectorAll('.rule details')].map(d => d.open);",
            json!([]),
        )
        .await;
    let folds = folds.as_array().unwrap();
    assert!(
        folds.len() >= 7,
        "each definition's reasons are folded: {folds:?}"
    );
    assert!(
        folds.iter().all(|open| open == &json!(false)),
        "closed until opened"
    );
    let glance = b.find_all(".glance tbody tr").await;
    assert_eq!(glance.len(), 7, "every definition's outcome at a glance");
    // Measured before the reasons were folded: 58,927 px at 390 and 25,622 px at 1280.
    assert!(
        phone <= 10_000 && desktop <= 6_000,
        "{phone} px at 390 and {desktop} px at 1280"
    );
    // Opened, a definition's reasons are there, element by element.
    b.click(&b.find(".rule details summary").await).await;
    assert!(b.find_all(".rule details[open] .elements li").await.len() > 3);
    seen(&b, &axe, "determination-folded", &mut problems).await;
    b.quit().await;
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where Chromium's answers are kept for `crypto::webauthn`'s own tests, which need no browser.
const CHROMIUM_FIXTURES: &str = "../crypto/tests/fixtures/chromium-webauthn.json";

/// Chromium's own virtual authenticator, not our software one, makes a passkey and answers a
/// sign-in at one of our pages: what it returns passes our checks, and the same answers met with
/// another challenge, origin or site, or a counter that went back, do not. With
/// `RECORD_WEBAUTHN_FIXTURES=1` the answers are written to `CHROMIUM_FIXTURES`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_passkey_answers_pass_our_checks_and_altered_ones_do_not() {
    let t = TestApp::start(Engine::Sqlite).await;
    let mut b = Browser::start().await;
    b.add_virtual_authenticator().await;
    let local = t.base.replace("127.0.0.1", "localhost");
    b.goto(&format!("{local}/login")).await;
    let made = b
        .execute_async(
            r#"
            const [first, second, done] = arguments;
            const bytes = (text) => new TextEncoder().encode(text);
            const b64 = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer)))
                .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
            (async () => {
                const made = await navigator.credentials.create({ publicKey: {
                    challenge: bytes(first),
                    rp: { id: "localhost", name: "Safe Harbor" },
                    user: { id: bytes("ada"), name: "ada.admin", displayName: "ada.admin" },
                    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
                    authenticatorSelection: { userVerification: "required" },
                    attestation: "none" } });
                const used = await navigator.credentials.get({ publicKey: {
                    challenge: bytes(second), rpId: "localhost", userVerification: "required",
                    allowCredentials: [{ type: "public-key", id: made.rawId }] } });
                done({
                    browser: navigator.userAgent, origin: location.origin,
                    register_challenge: first, sign_in_challenge: second,
                    credential_id: b64(made.rawId),
                    register_client_data: b64(made.response.clientDataJSON),
                    attestation: b64(made.response.attestationObject),
                    sign_in_client_data: b64(used.response.clientDataJSON),
                    authenticator_data: b64(used.response.authenticatorData),
                    signature: b64(used.response.signature) });
            })().catch((e) => done({ error: String(e) }));
            "#,
            json!(["a registration challenge", "a sign-in challenge"]),
        )
        .await;
    b.quit().await;
    assert!(made.get("error").is_none(), "{made}");
    crypto::webauthn::software::check_recorded_answers(&made);
    if std::env::var_os("RECORD_WEBAUTHN_FIXTURES").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CHROMIUM_FIXTURES);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, serde_json::to_string_pretty(&made).unwrap() + "\n").unwrap();
    }
}
