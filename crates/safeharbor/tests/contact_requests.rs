//! Safe-contact requests end to end over real HTTP: a person asks from the public contact page,
//! the request is sealed, staff see only that it came, one worker claims it, reads it and turns it
//! into a client or closes it; unclaimed requests expire after 30 days; the answer to the public
//! is the same whatever was typed, and a flood is turned away without storing anything (P5, P7,
//! P24).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::{Page, Staff};
use common::{TestApp, assert_security_headers, engines};
use domain::Role;
use domain::contact_request::{PER_HOUR, PER_SOURCE_PER_HOUR, PROOF_BITS, UNPROVEN_PER_HOUR};
use reqwest::StatusCode;
use reqwest::header;

const ALIAS: &str = "Sky Canary-7431";
const REACH: &str = "Text 555-0199, say you are from the bakery";
const CODE_WORD: &str = "bluebird-canary";

/// Where a visitor is: an address of their own, handed to the test server in the header it
/// trusts as a proxy's (`common::TestApp`).
#[derive(Clone, Copy)]
struct Visitor<'a> {
    address: &'a str,
    /// Whether their browser runs the page's script, which works out the proof of work.
    javascript: bool,
}

/// A new visitor each time, with JavaScript, so that tests about other things meet no limit.
fn someone_new() -> String {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::net::Ipv4Addr::from(0x0a00_0000 + n).to_string()
}

/// The challenge in a contact page's form.
fn challenge_of(page: &Page) -> String {
    let (_, rest) = page
        .body
        .split_once(r#"name="challenge" value=""#)
        .expect("the form carries a challenge");
    rest.split('"').next().unwrap().to_owned()
}

/// Sends the public form as `visitor`'s browser would: opens the form, works out the proof of
/// work if it runs scripts, and posts from our own page, with no cookies.
async fn ask_as(t: &TestApp, visitor: Visitor<'_>, path: &str, fields: &[(&str, &str)]) -> Page {
    let mut anonymous = Staff::new(t);
    let challenge = challenge_of(&anonymous.get(path).await);
    let proof = if visitor.javascript {
        crypto::proof_of_work::solve(&challenge, PROOF_BITS)
    } else {
        String::new()
    };
    let mut form = fields.to_vec();
    form.extend([("challenge", challenge.as_str()), ("proof", proof.as_str())]);
    let request = anonymous
        .http
        .post(t.url(path))
        .header(header::ORIGIN, &t.base)
        .header("x-test-visitor", visitor.address)
        .form(&form);
    let page = anonymous.send(request).await;
    assert!(
        page.headers.get(header::SET_COOKIE).is_none(),
        "public pages set no cookies"
    );
    // The redirect after a request carries the headers too (it passes through the same layers).
    if page.status != StatusCode::SEE_OTHER {
        assert_security_headers(&page.headers, &format!("POST {path}"));
    }
    page
}

/// Sends the public form as someone new, whose browser runs the page's script.
async fn ask(t: &TestApp, path: &str, fields: &[(&str, &str)]) -> Page {
    let address = someone_new();
    let visitor = Visitor {
        address: &address,
        javascript: true,
    };
    ask_as(t, visitor, path, fields).await
}

const REQUEST: &[(&str, &str)] = &[
    ("alias", ALIAS),
    ("reach", REACH),
    ("times", "Weekdays 2-4 pm"),
    ("code_word", CODE_WORD),
];

async fn ask_for_contact(t: &TestApp) -> Page {
    ask(
        t,
        "/contact",
        &[
            ("alias", ALIAS),
            ("reach", REACH),
            ("times", "Weekdays 2-4 pm"),
            ("code_word", CODE_WORD),
        ],
    )
    .await
}

/// The one request id in the queue page's claim form or link.
fn request_path(queue: &Page) -> String {
    let (_, rest) = queue
        .body
        .split_once("/app/requests/")
        .expect("a request is listed");
    let id: String = rest.chars().take(36).collect();
    format!("/app/requests/{id}")
}

async fn stored_details(t: &TestApp) -> Vec<Option<Vec<u8>>> {
    use sqlx::Row;
    sqlx::query("SELECT details FROM contact_requests ORDER BY received_at")
        .fetch_all(t.app.store().pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("details").unwrap())
        .collect()
}

fn actions(events: &[store::rows::AuditRow]) -> Vec<(&str, &str)> {
    events
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_reaches_the_queue_sealed_and_only_its_claimer_reads_it() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::Outreach).await;
        let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;

        let form = Staff::new(&t).get("/contact").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body
                .contains(r#"<form method="post" action="/contact" autocomplete="off""#)
        );
        let sent = ask_for_contact(&t).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert_eq!(sent.location(), "/contact/sent");
        let thanks = Staff::new(&t).get("/contact/sent").await;
        assert_eq!(thanks.status, StatusCode::OK);
        assert!(thanks.body.contains("We got your request"));
        assert!(thanks.body.contains("<title>Thank you</title>"));

        // Sealed at rest: no trace of what was typed in the stored row.
        let details = stored_details(&t).await;
        assert_eq!(details.len(), 1);
        let sealed = details[0].clone().expect("sealed details");
        for canary in [ALIAS, REACH, CODE_WORD] {
            assert!(!String::from_utf8_lossy(&sealed).contains(canary));
        }

        let mut ana_web = Staff::new(&t);
        ana_web.sign_in("ana.m", &ana_key).await;
        let mut ben_web = Staff::new(&t);
        ben_web.sign_in("ben.m", &ben_key).await;
        let mut ada_web = Staff::new(&t);
        ada_web.sign_in("ada.admin", &ada_key).await;

        // The menu counts the requests waiting, for those who may see the queue alone.
        const ONE_WAITING: &str =
            r#"<span class="waiting">1<span class="visually-hidden"> waiting</span>"#;
        assert!(ana_web.get("/app/").await.body.contains(ONE_WAITING));
        assert!(
            !ada_web
                .get("/app/")
                .await
                .body
                .contains(r#"class="waiting""#)
        );

        // The queue says when a request came, never what it says; administrators have no queue.
        let queue = ana_web.get("/app/requests").await;
        assert_eq!(queue.status, StatusCode::OK);
        assert!(!queue.body.contains(ALIAS) && !queue.body.contains(REACH));
        let request = request_path(&queue);
        assert_eq!(
            ada_web.get("/app/requests").await.status,
            StatusCode::NOT_FOUND
        );

        // Before anyone claims it, it opens for nobody.
        let unclaimed = ana_web.get(&request).await;
        assert_eq!(unclaimed.status, StatusCode::NOT_FOUND);
        assert!(!unclaimed.body.contains(ALIAS));

        let claimed = ana_web
            .submit("/app/requests", &format!("{request}/claim"), &[])
            .await;
        assert_eq!(claimed.status, StatusCode::SEE_OTHER, "{}", claimed.body);
        assert_eq!(claimed.location(), request);
        // Claimed, it no longer waits.
        assert!(
            !ana_web
                .get("/app/")
                .await
                .body
                .contains(r#"class="waiting""#)
        );
        let opened = ana_web.get(&request).await;
        assert_eq!(opened.status, StatusCode::OK);
        for shown in [ALIAS, CODE_WORD, "Weekdays 2-4 pm"] {
            assert!(opened.body.contains(shown), "{shown}");
        }

        // Someone else sees who has it, and neither reads, claims nor closes it; an address that
        // names no request looks the same.
        let theirs = ben_web.get("/app/requests").await;
        assert!(theirs.body.contains("ana.m") && !theirs.body.contains(ALIAS));
        let made_up = "/app/requests/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";
        let nothing = ben_web.get(made_up).await;
        let refused = ben_web.get(&request).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, nothing.body);
        for action in ["claim", "client"] {
            let tried = ben_web
                .submit("/app/requests", &format!("{request}/{action}"), &[])
                .await;
            assert_eq!(tried.status, StatusCode::NOT_FOUND, "{action}");
        }
        let close = ben_web
            .submit(
                "/app/requests",
                &format!("{request}/close"),
                &[("outcome", "not-for-us")],
            )
            .await;
        assert_eq!(close.status, StatusCode::NOT_FOUND);

        // The claimer turns it into a client: the nickname, the way to reach them and the code
        // word carry over, the request leaves the queue and its details are wiped.
        let became = ana_web
            .submit(&request, &format!("{request}/client"), &[])
            .await;
        assert_eq!(became.status, StatusCode::SEE_OTHER, "{}", became.body);
        let client_path = became.location().to_owned();
        assert!(client_path.starts_with("/app/clients/"), "{client_path}");
        let client = ana_web.get(&client_path).await;
        assert_eq!(client.status, StatusCode::OK);
        for shown in [ALIAS, REACH, CODE_WORD] {
            assert!(client.body.contains(shown), "{shown}");
        }
        assert!(ana_web.get("/app/").await.body.contains(ALIAS));
        assert!(
            ana_web
                .get("/app/requests")
                .await
                .body
                .contains("No requests are waiting")
        );
        assert_eq!(stored_details(&t).await, vec![None]);
        assert_eq!(ana_web.get(&request).await.status, StatusCode::NOT_FOUND);

        let events = t.audit().await;
        let who = format!("user:{}", ana.caller.id);
        let done = actions(&events);
        for expected in [
            ("contact-request.receive", "public"),
            ("contact-request.list", who.as_str()),
            ("contact-request.claim", who.as_str()),
            ("contact-request.read", who.as_str()),
            ("contact-request.close", who.as_str()),
            ("client.create", who.as_str()),
        ] {
            assert!(done.contains(&expected), "{expected:?} in {done:?}");
        }
        assert!(
            events
                .iter()
                .filter(|e| e.action == "access.refused")
                .count()
                >= 5
        );
        assert_eq!(
            t.app.verify_audit(&[], |_| ()).await.unwrap(),
            Ok(i64::try_from(events.len()).unwrap())
        );
    }
}

/// The part of a page inside its first `<section class="safety"`.
fn safety_section(page: &Page) -> &str {
    let (_, rest) = page
        .body
        .split_once(r#"<section class="safety""#)
        .expect("a safety section");
    rest.split("</section>").next().unwrap()
}

/// The text of the `<dd>` after the `<dt>` that reads `label`.
fn described<'a>(html: &'a str, label: &str) -> &'a str {
    let (_, rest) = html
        .split_once(&format!("<dt>{label}</dt>"))
        .unwrap_or_else(|| panic!("{label} in {html}"));
    let (_, rest) = rest.split_once('>').unwrap();
    rest.split("</dd>").next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn how_they_asked_to_be_reached_stays_in_their_words_and_in_the_safety_flags() {
    const TEXT_ONLY: &str = "Text only 555-0199, never call. Say you are from the bakery";
    let t = TestApp::start(common::Engine::Sqlite).await;
    let (_, key) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut ana = Staff::new(&t);
    ana.sign_in("ana.m", &key).await;
    ask(
        &t,
        "/contact",
        &[
            ("alias", "Jay"),
            ("reach", TEXT_ONLY),
            ("times", "After 9 pm"),
            ("code_word", CODE_WORD),
        ],
    )
    .await;
    let request = request_path(&ana.get("/app/requests").await);
    ana.submit("/app/requests", &format!("{request}/claim"), &[])
        .await;

    // The claimed request says how to reach them as they said it, and never "Call them: Jay"
    // when they asked for texts.
    let opened = ana.get(&request).await;
    let safety = safety_section(&opened);
    assert!(!opened.body.contains("Call them"), "{safety}");
    assert_eq!(
        described(safety, "How they asked us to reach them"),
        TEXT_ONLY
    );
    assert_eq!(described(safety, "When it is safe"), "After 9 pm");
    assert_eq!(
        described(safety, "Code word, to say so they know it is us"),
        CODE_WORD
    );
    assert_eq!(described(safety, "The name they gave"), "Jay");

    // The client record keeps all of it in the safety flags, none in the ordinary contact field.
    let became = ana
        .submit(&request, &format!("{request}/client"), &[])
        .await;
    let client = ana.get(became.location()).await;
    let flags = safety_section(&client);
    assert_eq!(
        described(flags, "Safe times and ways"),
        format!("How they asked us to reach them: {TEXT_ONLY}\nWhen it is safe: After 9 pm")
    );
    assert_eq!(described(flags, "Code word"), CODE_WORD);
    assert!(!client.body.contains("<dt>Contact</dt>"), "{}", client.body);
}

/// The number the menu shows beside "Contact requests", if any.
fn waiting_in_menu(page: &Page) -> Option<String> {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let (_, rest) = page.body.split_once(r#"<span class="waiting">"#)?;
    Some(rest.split('<').next().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_menu_counts_the_requests_nobody_has_claimed_for_those_who_see_the_queue() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::Outreach).await;
        let (_, ada_key) = t.enrolled("ada.admin", Role::Administrator).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &ana_key).await;
        let mut ben = Staff::new(&t);
        ben.sign_in("ben.m", &ben_key).await;
        let mut ada = Staff::new(&t);
        ada.sign_in("ada.admin", &ada_key).await;
        assert_eq!(waiting_in_menu(&ana.get("/app/").await), None);

        ask_for_contact(&t).await;
        ask_for_contact(&t).await;
        for staff in [&mut ana, &mut ben] {
            for page in ["/app/", "/app/requests", "/app/account"] {
                let shown = waiting_in_menu(&staff.get(page).await);
                assert_eq!(shown.as_deref(), Some("2"), "{page}");
            }
        }
        let menu = ana.get("/app/").await.body;
        assert!(menu.contains(r#"2<span class="visually-hidden"> waiting</span>"#));

        // A claimed request waits on its holder, not on the team.
        let request = request_path(&ana.get("/app/requests").await);
        ana.submit("/app/requests", &format!("{request}/claim"), &[])
            .await;
        assert_eq!(
            waiting_in_menu(&ben.get("/app/").await).as_deref(),
            Some("1")
        );

        // Administrators have no queue, and see no number; nobody signed in sees nothing.
        assert_eq!(waiting_in_menu(&ada.get("/app/").await), None);
        assert_eq!(ada.get("/app/requests").await.status, StatusCode::NOT_FOUND);
        let anonymous = Staff::new(&t).get("/app/").await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
        assert_eq!(anonymous.location(), "/login");

        // Past its 30 days an unclaimed request is not counted, even before it is cleared out.
        t.clock.advance_days(31);
        ben.sign_in("ben.m", &ben_key).await;
        assert_eq!(waiting_in_menu(&ben.get("/app/account").await), None);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_does_not_depend_on_what_was_typed_and_bad_input_is_kept() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let first = ask_for_contact(&t).await;
    let other = ask(
        &t,
        "/es/contact",
        &[("alias", "R"), ("reach", "email r@example.org")],
    )
    .await;
    assert_eq!(
        (first.status, other.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    assert_eq!(other.location(), "/es/contact/sent");
    assert_eq!(first.body, other.body);
    let gracias = Staff::new(&t).get("/es/contact/sent").await;
    assert!(gracias.body.contains("Recibimos tu pedido"));
    assert!(gracias.body.contains(r#"<html lang="es">"#));

    // A missing way to reach them: nothing stored, everything typed kept, the box marked.
    let missing = ask(
        &t,
        "/contact",
        &[("alias", ALIAS), ("code_word", CODE_WORD)],
    )
    .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.body.contains(&format!("value=\"{ALIAS}\"")));
    assert!(missing.body.contains(&format!("value=\"{CODE_WORD}\"")));
    assert!(missing.body.contains(r#"id="reach-problem""#));
    assert!(missing.body.contains("Please fill this in."));
    let too_long = ask(
        &t,
        "/contact",
        &[("alias", &"x".repeat(101)), ("reach", REACH)],
    )
    .await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.body.contains("This is too long."));
    assert_eq!(stored_details(&t).await.len(), 2);
}

/// The answer to a request held back: the hotline instead, nothing stored, and when to try again.
fn assert_turned_away(page: &Page, status: StatusCode) {
    assert_eq!(page.status, status, "{}", page.body);
    assert!(page.body.contains("nothing was sent") || page.body.contains("no se envió nada"));
    assert!(page.body.contains("tel:+18883737888"));
    let retry: u64 = page.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "Retry-After: {retry}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_from_one_place_is_held_back_there_and_everyone_else_gets_through() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    // One place sends 50 requests in a burst, the way the outside attack did, first with the
    // page's proof of work each time and then without.
    let flood = |javascript| Visitor {
        address: "203.0.113.66",
        javascript,
    };
    let mut taken = 0;
    for n in 0..50 {
        let page = ask_as(&t, flood(n % 2 == 0), "/contact", REQUEST).await;
        if page.status == StatusCode::SEE_OTHER {
            taken += 1;
        } else {
            assert_turned_away(&page, StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert_eq!(taken, PER_SOURCE_PER_HOUR, "a few an hour from one place");
    // The same person in Spanish is held back too, and told so in Spanish.
    let es = ask_as(&t, flood(true), "/es/contact", REQUEST).await;
    assert_turned_away(&es, StatusCode::TOO_MANY_REQUESTS);
    assert!(es.body.contains("no se envió nada"));

    // Meanwhile people elsewhere get through, with the page's script and without it.
    for (address, javascript) in [("198.51.100.7", true), ("198.51.100.8", false)] {
        let visitor = Visitor {
            address,
            javascript,
        };
        let page = ask_as(&t, visitor, "/contact", REQUEST).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "{address}: {}",
            page.body
        );
    }
    assert_eq!(stored_details(&t).await.len(), PER_SOURCE_PER_HOUR + 2);

    // An hour on, the place that flooded may ask again.
    t.clock.advance_minutes(61);
    let page = ask_as(&t, flood(true), "/contact", REQUEST).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_without_the_proof_of_work_cannot_use_up_everyone_elses_room() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    // A script posts from many addresses without the page's proof of work.
    let mut taken = 0;
    for n in 0..30 {
        let address = format!("192.0.2.{n}");
        let visitor = Visitor {
            address: &address,
            javascript: false,
        };
        let page = ask_as(&t, visitor, "/contact", REQUEST).await;
        if page.status == StatusCode::SEE_OTHER {
            taken += 1;
        } else {
            assert_turned_away(&page, StatusCode::TOO_MANY_REQUESTS);
        }
    }
    assert_eq!(taken, UNPROVEN_PER_HOUR);
    // A person whose browser runs the page's script still gets through.
    assert_eq!(ask_for_contact(&t).await.status, StatusCode::SEE_OTHER);

    // A proof is good once: a script replaying one solved challenge counts as without one.
    let mut browser = Staff::new(&t);
    let challenge = challenge_of(&browser.get("/contact").await);
    let proof = crypto::proof_of_work::solve(&challenge, PROOF_BITS);
    let mut form = REQUEST.to_vec();
    form.extend([("challenge", challenge.as_str()), ("proof", proof.as_str())]);
    let mut statuses = Vec::new();
    for n in 0..2 {
        let request = browser
            .http
            .post(t.url("/contact"))
            .header(header::ORIGIN, &t.base)
            .header("x-test-visitor", format!("198.51.100.{}", 50 + n))
            .form(&form);
        statuses.push(browser.send(request).await.status);
    }
    assert_eq!(
        statuses,
        [StatusCode::SEE_OTHER, StatusCode::TOO_MANY_REQUESTS],
        "the second use of a proof joins the used-up budget"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_website_is_refused_and_nothing_is_stored() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    for (path, says) in [
        ("/contact", "did not come from our page"),
        ("/es/contact", "no llegó desde nuestra página"),
    ] {
        let mut anonymous = Staff::new(&t);
        let page = anonymous
            .post_from("http://evil.example", path, REQUEST)
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(page.body.contains(says), "{path}: {}", page.body);
        assert_security_headers(&page.headers, &format!("POST {path} from elsewhere"));
        // A page on another site that hides the Origin (a sandboxed frame) is refused alike.
        let sandboxed = anonymous
            .http
            .post(t.url(path))
            .header(header::ORIGIN, "null")
            .header("sec-fetch-site", "cross-site")
            .form(REQUEST);
        assert_eq!(
            anonymous.send(sandboxed).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert!(stored_details(&t).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_whole_instance_is_full_people_are_pointed_to_the_hotline() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let per_hour = usize::try_from(PER_HOUR).unwrap();
    for _ in 0..per_hour {
        assert_eq!(ask_for_contact(&t).await.status, StatusCode::SEE_OTHER);
    }
    let turned_away = ask_for_contact(&t).await;
    assert_turned_away(&turned_away, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(stored_details(&t).await.len(), per_hour);

    // An hour later requests are taken again.
    t.clock.advance_minutes(61);
    assert_eq!(ask_for_contact(&t).await.status, StatusCode::SEE_OTHER);
    assert_eq!(stored_details(&t).await.len(), per_hour + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unclaimed_requests_expire_after_30_days_and_closing_destroys_the_details() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, key) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut ana = Staff::new(&t);
        ana.sign_in("ana.m", &key).await;
        ask_for_contact(&t).await;
        let queue = ana.get("/app/requests").await;
        let claimed = request_path(&queue);
        ana.submit("/app/requests", &format!("{claimed}/claim"), &[])
            .await;
        t.clock.advance_days(1);
        ask_for_contact(&t).await;

        // A minute short of 30 days after the second request, both still wait; a minute past,
        // the unclaimed one is gone and the claimed one stays.
        t.clock.advance_days(30);
        t.clock.advance_minutes(-1);
        assert_eq!(t.app.expire_contact_requests().await.unwrap(), 0);
        t.clock.advance_minutes(2);
        ana.sign_in("ana.m", &key).await;
        let queue = ana.get("/app/requests").await;
        assert_eq!(
            queue.body.matches("<tr>\n<td ").count(),
            1,
            "{}",
            queue.body
        );
        assert_eq!(stored_details(&t).await.iter().flatten().count(), 1);
        let expired = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "contact-request.expire")
            .collect::<Vec<_>>();
        assert_eq!(expired.len(), 1);
        assert_eq!(expired[0].actor, "system");

        // Closing the claimed one wipes its details and destroys its key.
        let closed = ana
            .submit(
                &claimed,
                &format!("{claimed}/close"),
                &[("outcome", "could-not-reach")],
            )
            .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
        assert_eq!(stored_details(&t).await, vec![None, None]);
        let id: domain::ContactRequestId = claimed.rsplit('/').next().unwrap().parse().unwrap();
        assert!(
            t.app
                .key_store()
                .get(id.client_key_slot())
                .await
                .unwrap()
                .is_none()
        );
        let bad = ana
            .submit(
                "/app/requests",
                &format!("{claimed}/close"),
                &[("outcome", "lost")],
            )
            .await;
        assert_ne!(bad.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_is_handed_back_when_its_holder_is_switched_off_and_never_held_for_ever() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ada, _) = t.enrolled("ada.admin", Role::Administrator).await;
        let (ana, ana_key) = t.enrolled("ana.m", Role::CaseManager).await;
        let (_, ben_key) = t.enrolled("ben.m", Role::CaseManager).await;
        let mut ana_web = Staff::new(&t);
        ana_web.sign_in("ana.m", &ana_key).await;
        ask_for_contact(&t).await;
        let request = request_path(&ana_web.get("/app/requests").await);
        ana_web
            .submit("/app/requests", &format!("{request}/claim"), &[])
            .await;

        // Ana leaves 29 days later: the request is hers no more, and it gets at least a week
        // more to be claimed although its 30 days are nearly up.
        t.clock.advance_days(29);
        t.app
            .set_disabled(&ada.caller, ana.caller.id, true)
            .await
            .unwrap();
        t.clock.advance_days(6);
        let mut ben_web = Staff::new(&t);
        ben_web.sign_in("ben.m", &ben_key).await;
        let queue = ben_web.get("/app/requests").await;
        assert!(queue.body.contains(">Claim</button>"), "{}", queue.body);
        let released = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "contact-request.release")
            .count();
        assert_eq!(released, 1);

        // Claimed and then left open for 90 days, it expires all the same.
        ben_web
            .submit("/app/requests", &format!("{request}/claim"), &[])
            .await;
        t.clock.advance_days(89);
        assert_eq!(t.app.expire_contact_requests().await.unwrap(), 0);
        t.clock.advance_days(2);
        assert_eq!(t.app.expire_contact_requests().await.unwrap(), 1);
        assert_eq!(stored_details(&t).await, vec![None]);
    }
}
