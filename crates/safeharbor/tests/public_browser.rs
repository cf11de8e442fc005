//! The public pages in a real browser: Debian's Chromium, headless, with a fresh profile
//! (SECURITY.md P20, P23; issue 5).
//!
//! A person reads pages in English and Spanish, takes the self-check and leaves with Escape. Then
//! the browser is closed and its profile read the way someone checking the phone could: no
//! sensitive word in the stored history, no cookie of ours, nothing in the page's storage. Every
//! public page must also pass axe-core's WCAG 2.1 A and AA rules with no serious or critical
//! violation, and read well at desktop and phone widths.
//!
//! Needs `chromium` and `chromium-driver` from Debian and `npm ci --prefix tests/browser` (see
//! README.md, "Run the tests"); without them these tests fail and say so. With
//! `SAFEHARBOR_SCREENSHOTS=1` they also write `docs/screenshots/public-*.png`.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::json;
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use common::browser::{
    Browser, ESCAPE, Size, WCAG21, axe_script, axe_violations_of, files_holding, holds,
};
use common::{Engine, TestApp};

/// The words that must never be kept by the browser: the same list as the crawl in `public.rs`.
/// They are matched in lower case against decoded text, so "explotación" is caught by "explota".
const SENSITIVE: &[&str] = &[
    "traffick", "trata", "abuse", "abuso", "exploit", "explota", "sex", "prostitu", "victim",
    "víctima",
];

/// The axe-core rules the public pages are held to: WCAG 2.1 A and AA, and WCAG 2.2 AA, whose
/// target-size rule asks for controls a thumb can hit.
fn public_rules() -> Vec<&'static str> {
    [WCAG21, &["wcag22aa"]].concat()
}

/// The workspace folder (for `tests/browser/` and `docs/screenshots/`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The answers given in the self-check: `(question, answer)`.
const ANSWERS: &[(&str, &str)] = &[
    ("place-to-stay", "yes"),
    ("owe-money", "not-sure"),
    ("sex-for-things", "rather-not-say"),
    ("under-18", "no"),
];

/// Answers the self-check form in the browser and waits for the result.
async fn take_the_self_check(b: &Browser, t: &TestApp, prefix: &str) {
    b.goto(&t.url(&format!("{prefix}/check"))).await;
    answer_the_self_check(b, ANSWERS).await;
    let url = b.current_url().await;
    assert_eq!(
        url,
        t.url(&format!("{prefix}/check")),
        "the answers are never put in the address, and the result takes the questions' place"
    );
}

/// Answers the self-check on the page at hand and sends it; waits for the result.
async fn answer_the_self_check(b: &Browser, answers: &[(&str, &str)]) {
    for (question, answer) in answers {
        let radio = b
            .find(&format!(
                "input[type=radio][name=\"{question}\"][value=\"{answer}\"]"
            ))
            .await;
        b.click(&radio).await;
    }
    b.click(&b.find("form button[type=submit]").await).await;
    b.wait_for(
        "the self-check result",
        "return document.readyState === 'complete' && !document.querySelector('form') \
         && !!document.querySelector('main h2');",
    )
    .await;
    assert!(
        b.page_source().await.contains("tel:+18883737888"),
        "the result ends with ways to get help"
    );
}

/// What is typed into the safe-contact form: `(field, value)`, values distinct enough to find.
const CONTACT: &[(&str, &str)] = &[
    ("alias", "Wren Canary-5512"),
    ("reach", "text-me-canary-0199"),
    ("times", "after-canary-9pm"),
    ("code_word", "heron-canary-77"),
];

/// Fills the safe-contact form on the contact page and sends it; `complete` leaves out the way
/// to reach them when false, which keeps the person on the form with the box marked.
async fn ask_to_be_reached(b: &Browser, t: &TestApp, prefix: &str, complete: bool) {
    b.goto(&t.url(&format!("{prefix}/contact"))).await;
    // The page works out its proof of work while the person reads and types (P24).
    b.wait_for(
        "the proof of work",
        "return document.querySelector('input[name=proof]').value !== '';",
    )
    .await;
    let worked = b
        .execute(
            "return [document.querySelector('input[name=challenge]').value, \
             document.querySelector('input[name=proof]').value];",
            json!([]),
        )
        .await;
    let (challenge, proof) = (worked[0].as_str().unwrap(), worked[1].as_str().unwrap());
    assert!(
        crypto::proof_of_work::solved(challenge, proof, domain::contact_request::PROOF_BITS),
        "{challenge} {proof}"
    );
    fill_the_contact_form(b, complete).await;
}

/// Fills the safe-contact form on the page at hand and sends it (see [`ask_to_be_reached`]).
async fn fill_the_contact_form(b: &Browser, complete: bool) {
    for (field, value) in CONTACT {
        if complete || *field != "reach" {
            b.type_text(&b.find(&format!("#{field}")).await, value)
                .await;
        }
    }
    if !complete {
        // The browser's own check would stop the form; the server's answer is what is tested.
        b.execute(
            "document.getElementById('reach').required = false;",
            json!([]),
        )
        .await;
    }
    b.click(&b.find("form.ask button[type=submit]").await).await;
    if complete {
        // The neutral title of the thank-you page ("Thank you", "Gracias"); the form is gone.
        b.wait_for(
            "the thank-you page",
            "return document.readyState === 'complete' && !document.querySelector('form') \
             && ['Thank you', 'Gracias'].includes(document.title);",
        )
        .await;
    } else {
        b.wait_for(
            "the form with its problem",
            "return document.readyState === 'complete' && !!document.getElementById('reach-problem');",
        )
        .await;
    }
}

/// `%C3%AD` → `í`, so that words are found in stored addresses too.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Copies a SQLite file of the profile (with its journal, if any) and opens the copy read-only,
/// so that nothing of Chromium's own file is changed by looking.
async fn open_copy(file: &Path, scratch: &Path) -> SqliteConnection {
    let folder = file.parent().unwrap();
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    for entry in std::fs::read_dir(folder).unwrap() {
        let entry = entry.unwrap();
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        if entry_name == name || entry_name.starts_with(&format!("{name}-")) {
            std::fs::copy(entry.path(), scratch.join(&entry_name)).unwrap();
        }
    }
    let options = SqliteConnectOptions::new()
        .filename(scratch.join(&name))
        .read_only(true);
    SqliteConnection::connect_with(&options)
        .await
        .unwrap_or_else(|err| panic!("cannot open a copy of {}: {err}", file.display()))
}

/// Every value in every column of every table, as text: `(table.column, value)`.
async fn every_value(conn: &mut SqliteConnection) -> Vec<(String, String)> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
    let mut values = Vec::new();
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
            .bind(&table)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        for column in columns {
            let sql = format!("SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\"");
            let cells: Vec<Option<Vec<u8>>> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut *conn)
                .await
                .unwrap();
            for cell in cells.into_iter().flatten() {
                let text = String::from_utf8_lossy(&cell).into_owned();
                values.push((format!("{table}.{column}"), text));
            }
        }
    }
    values
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_leaves_nothing_behind_in_the_browser() {
    let t = TestApp::start(Engine::Sqlite).await;
    let mut b = Browser::start().await;

    // Read pages in both languages, by address and by following links as a person would.
    let read = [
        "/",
        "/learn",
        "/signs",
        "/safety",
        "/es/",
        "/es/learn",
        "/es/recruitment",
        "/es/contact",
    ];
    for path in read {
        b.goto(&t.url(path)).await;
        assert_eq!(b.current_url().await, t.url(path));
        assert!(!b.title().await.is_empty(), "{path} has a title");
        b.find("#quick-exit").await;
    }
    b.goto(&t.url("/")).await;
    b.click(&b.find("header summary").await).await;
    b.click(&b.find("nav a[href=\"/myths\"]").await).await;
    b.wait_for_url("the myths page", |url| url == t.url("/myths"))
        .await;
    b.click(&b.find(".language a").await).await;
    b.wait_for_url("the Spanish myths page", |url| url == t.url("/es/myths"))
        .await;

    // The self-check, answered and sent, in both languages, and a request to be reached.
    take_the_self_check(&b, &t, "").await;
    take_the_self_check(&b, &t, "/es").await;
    ask_to_be_reached(&b, &t, "/es", true).await;
    let mut tx = t.app.store().read().await.unwrap();
    let arrived = tx.waiting_contact_requests(10).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(arrived.len(), 1, "the request reached the queue");

    // Escape on a page leaves it at once, and Back does not return to it. (Pages opened from
    // the address bar, as here, each make an entry of their own: see
    // `quick_exit_leaves_no_page_of_ours_to_go_back_to` for a visit by links.)
    b.goto(&t.url("/es/signs")).await;
    b.goto(&t.url("/es/leaving")).await;
    b.press_key(ESCAPE).await;
    b.wait_for_url("the quick exit", |url| !url.starts_with(&t.base))
        .await;
    b.back().await;
    let after = b.current_url().await;
    assert_ne!(
        after,
        t.url("/es/leaving"),
        "Back returned to the page left"
    );

    // Someone who arrives from elsewhere, reads one page and presses Escape: Back leads to where
    // they came from, not to us.
    b.new_tab().await;
    let elsewhere = "data:text/html,<title>Weather</title><p>Sunny</p>";
    b.goto(elsewhere).await;
    b.goto(&t.url("/safety")).await;
    b.find("#quick-exit").await;
    b.press_key(ESCAPE).await;
    b.wait_for_url("the quick exit", |url| !url.starts_with(&t.base))
        .await;
    b.back().await;
    let after = b
        .wait_for_url("Back", |url| url != web::public::EXIT_URL)
        .await;
    assert!(
        !after.starts_with(&t.base),
        "Back after the quick exit returned to {after}"
    );

    // Nothing kept by the page itself: no cookie, no storage of any kind, no service worker.
    b.goto(&t.url("/")).await;
    let kept = b
        .execute(
            "return { cookie: document.cookie, local: localStorage.length, \
             session: sessionStorage.length };",
            json!([]),
        )
        .await;
    assert_eq!(kept, json!({ "cookie": "", "local": 0, "session": 0 }));
    let kept = b
        .execute_async(
            "const done = arguments[arguments.length - 1];
             Promise.all([
                 indexedDB.databases(),
                 caches.keys(),
                 navigator.serviceWorker.getRegistrations(),
             ]).then(([databases, caches, workers]) => done({
                 indexedDB: databases.map(d => d.name),
                 caches: caches,
                 serviceWorkers: workers.length,
             })).catch(e => done({ error: String(e) }));",
            json!([]),
        )
        .await;
    assert_eq!(
        kept,
        json!({ "indexedDB": [], "caches": [], "serviceWorkers": 0 })
    );

    // A control, so that the cookie check below can fail: a cookie set under another name for
    // this machine ("localhost"), which the profile must show.
    let port = t.base.rsplit(':').next().unwrap();
    b.goto(&format!("http://localhost:{port}/")).await;
    b.execute("document.cookie = 'control=1; max-age=3600';", json!([]))
        .await;

    // Close the browser so that it writes everything down, then read its profile.
    b.quit().await;
    let default = b.profile_dir().join("Default");
    let scratch = tempfile::tempdir().unwrap();

    let mut history = open_copy(&default.join("History"), scratch.path()).await;
    let stored: Vec<String> = sqlx::query_scalar("SELECT url FROM urls")
        .fetch_all(&mut history)
        .await
        .unwrap();
    let ours: BTreeSet<&String> = stored.iter().filter(|u| u.starts_with(&t.base)).collect();
    assert!(
        ours.len() >= read.len(),
        "the history holds the pages read (or this check could not fail): {stored:?}"
    );
    let mut found = Vec::new();
    for (column, value) in every_value(&mut history).await {
        let text = percent_decoded(&value).to_lowercase();
        for word in SENSITIVE {
            if text.contains(word) {
                found.push(format!("{column}: '{word}' in {value:?}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the browser's history keeps sensitive words:\n{}",
        found.join("\n")
    );

    let cookies = [default.join("Network/Cookies"), default.join("Cookies")]
        .into_iter()
        .find(|p| p.exists())
        .expect("the profile has a cookie store");
    let mut cookies = open_copy(&cookies, scratch.path()).await;
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT host_key, name FROM cookies")
        .fetch_all(&mut cookies)
        .await
        .unwrap();
    assert_eq!(
        stored,
        vec![("localhost".to_owned(), "control".to_owned())],
        "the only cookie is the control; none from the public pages"
    );

    // The self-check's answers were sent as form fields named after its questions. No file of
    // the profile holds them: not the session files that let a tab be reopened (the answers go
    // in a request of their own, not a page load, and the form is not remembered), not the cache
    // (every page is no-store). Before self-check.js, Chromium kept the posted answers there.
    let mut found = Vec::new();
    for (question, _) in ANSWERS {
        for file in files_holding(&b.profile_dir(), question) {
            found.push(format!("{}: {question}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "the browser keeps the self-check's answers:\n{}",
        found.join("\n")
    );

    // Nor what was typed into the contact form: it was posted once and answered with a redirect,
    // and the form is not remembered (autocomplete off, pages no-store).
    let mut found = Vec::new();
    for (field, value) in CONTACT {
        for file in files_holding(&b.profile_dir(), value) {
            found.push(format!("{}: {field}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "the browser keeps what was typed into the contact form:\n{}",
        found.join("\n")
    );
}

/// Whether the page at hand is no wider than the window (nothing to scroll sideways).
async fn fits_the_width(b: &Browser) -> bool {
    b.execute(
        "return document.documentElement.scrollWidth <= window.innerWidth;",
        json!([]),
    )
    .await
        == json!(true)
}

/// The site's own links on the current page.
async fn own_links(b: &Browser) -> Vec<String> {
    let links = b
        .execute(
            "return Array.from(document.querySelectorAll('a[href]'))
                 .map(a => a.getAttribute('href'))
                 .filter(h => h.startsWith('/') && !h.startsWith('/assets/'));",
            json!([]),
        )
        .await;
    links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_owned())
        .collect()
}

/// Forty people served in a quarter that has ended, so that "Our work" shows its figures: some
/// of each kind of trafficking and help, and a few of one kind, whose share is left out.
async fn with_figures_to_show(t: &TestApp) {
    let worker = t
        .persona("rita.worker", domain::Role::CaseManager)
        .await
        .caller;
    for (people, kind, code) in [
        (18, "sex", "C1"),
        (12, "labor", "D1"),
        (7, "sex-and-labor", "A1"),
        (3, "sex", "C1"),
    ] {
        for _ in 0..people {
            t.served_today(&worker, kind, code).await;
        }
    }
    t.clock.advance_days(100);
    t.app.refresh_public_figures().await.unwrap();
    assert!(t.app.public_figures().is_some(), "figures to show");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_is_accessible_and_fits_a_phone() {
    let axe = axe_script();
    let t = TestApp::start(Engine::Sqlite).await;
    with_figures_to_show(&t).await;
    let b = Browser::start().await;
    b.set_size(Size::Desktop).await;

    // A control, so that this test can fail: a picture with no text alternative is a critical
    // problem, and axe must say so.
    b.goto(&t.url("/")).await;
    b.execute(
        "document.querySelector('main').append(document.createElement('img'));",
        json!([]),
    )
    .await;
    let rules = public_rules();
    let planted = axe_violations_of(&b, &axe, &rules).await;
    assert!(
        planted
            .iter()
            .any(|v| v.starts_with("image-alt (critical)")),
        "axe did not find the planted problem: {planted:?}"
    );

    // Every page the site links to, in both languages, as the crawl in public.rs finds them,
    // plus the self-check's result and the page for an address that does not exist, at desktop
    // and phone width; on a phone, no page is wider than the screen.
    let mut failures = Vec::new();
    for size in [Size::Desktop, Size::Phone] {
        b.set_size(size).await;
        let mut check = async |what: &str| {
            for violation in axe_violations_of(&b, &axe, &rules).await {
                failures.push(format!("{what} ({}): {violation}", size.name()));
            }
            if size == Size::Phone && !fits_the_width(&b).await {
                failures.push(format!("{what}: wider than a phone"));
            }
        };
        let mut to_visit: Vec<String> = vec!["/".into(), "/es/".into()];
        let mut seen = BTreeSet::new();
        while let Some(path) = to_visit.pop() {
            if !seen.insert(path.clone()) {
                continue;
            }
            b.goto(&t.url(&path)).await;
            check(&path).await;
            to_visit.extend(own_links(&b).await);
        }
        assert!(seen.len() >= 22, "visited only {seen:?}");
        for prefix in ["", "/es"] {
            take_the_self_check(&b, &t, prefix).await;
            check(&format!("{prefix}/check (result)")).await;
        }
        b.goto(&t.url("/es/nowhere")).await;
        check("/es/nowhere (not found)").await;
        for complete in [false, true] {
            ask_to_be_reached(&b, &t, "", complete).await;
            check(&format!("/contact (sent: {complete})")).await;
        }
    }

    // The main pages at desktop and phone width: nothing wider than the screen, the quick exit
    // at the top of the window, and no serious accessibility problem at either size. With
    // SAFEHARBOR_SCREENSHOTS=1, a picture of each for docs/screenshots/.
    let screenshots = std::env::var("SAFEHARBOR_SCREENSHOTS").is_ok_and(|v| v == "1");
    for size in [Size::Desktop, Size::Phone] {
        b.set_size(size).await;
        for (lang, prefix) in [("en", ""), ("es", "/es")] {
            for page in [
                "home",
                "learn",
                "check",
                "check-result",
                "contact",
                "our-work",
            ] {
                match page {
                    "home" => b.goto(&t.url(&format!("{prefix}/"))).await,
                    "check-result" => take_the_self_check(&b, &t, prefix).await,
                    // The form at the end of the contact page.
                    "contact" => b.goto(&t.url(&format!("{prefix}/contact#ask"))).await,
                    slug => b.goto(&t.url(&format!("{prefix}/{slug}"))).await,
                }
                if page == "check-result" {
                    // Show the result itself, under the quick exit that stays at the top.
                    b.execute(
                        "const heading = document.querySelector('main h2');
                         const bar = document.getElementById('quick-exit').offsetHeight;
                         window.scrollTo(0, heading.getBoundingClientRect().top
                                            + window.scrollY - bar - 16);",
                        json!([]),
                    )
                    .await;
                }
                let name = format!("public-{page}-{lang}-{}", size.name());
                // Under load a page can still be settling (scrolling to `#ask`) when first
                // measured: wait for the quick exit to reach the top, then measure.
                b.wait_for(
                    &format!("{name}: the quick exit at the very top"),
                    "return document.getElementById('quick-exit').getBoundingClientRect().top === 0;",
                )
                .await;
                let layout = b
                    .execute(
                        "const exit = document.getElementById('quick-exit').getBoundingClientRect();
                         return { width: window.innerWidth,
                                  scrollWidth: document.documentElement.scrollWidth,
                                  exitTop: exit.top, exitWidth: exit.width };",
                        json!([]),
                    )
                    .await;
                let width = layout["width"].as_f64().unwrap();
                assert_eq!(
                    width,
                    f64::from(size.width_height().0),
                    "{name}: the window has the asked-for width"
                );
                assert!(
                    layout["scrollWidth"].as_f64().unwrap() <= width,
                    "{name}: the page is wider than the window: {layout}"
                );
                assert_eq!(
                    layout["exitTop"].as_f64().unwrap(),
                    0.0,
                    "{name}: the quick exit is at the very top"
                );
                assert!(
                    layout["exitWidth"].as_f64().unwrap() >= width / 2.0,
                    "{name}: the quick exit is wide and easy to hit: {layout}"
                );
                if size == Size::Phone {
                    for violation in axe_violations_of(&b, &axe, &rules).await {
                        failures.push(format!("{name}: {violation}"));
                    }
                }
                if screenshots {
                    b.screenshot(&workspace().join(format!("docs/screenshots/{name}.png")))
                        .await;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "axe-core finds serious or critical problems (WCAG 2.1 A/AA):\n{}",
        failures.join("\n")
    );
}

/// The WebDriver key codes for Tab and Enter.
const TAB: &str = "\u{E004}";
const ENTER: &str = "\u{E007}";

/// The two languages of the public site: `(code, address prefix)`.
const LANGUAGES: [(&str, &str); 2] = [("en", ""), ("es", "/es")];

/// How many entries the tab's history holds.
async fn history_length(b: &Browser) -> i64 {
    b.execute("return history.length;", json!([]))
        .await
        .as_i64()
        .unwrap()
}

/// Clicks the link to `href` in the page's text and waits until the page it leads to is shown.
async fn follow(b: &Browser, t: &TestApp, href: &str) {
    b.click(&b.find(&format!("main a[href=\"{href}\"]")).await)
        .await;
    b.wait_for_url(href, |url| url == t.url(href)).await;
    b.wait_for(
        "the page to load",
        "return document.readyState === 'complete';",
    )
    .await;
}

/// A page that Back led to.
struct Shown {
    url: String,
    title: String,
    text: String,
    /// What its boxes hold (`name=value&...`): a page kept in memory keeps what was chosen and
    /// typed. (Hidden fields hold what the page itself put there, such as the contact form's
    /// challenge, never anything of the person's.)
    held: String,
}

/// Presses Back as many times as the tab has entries, so as far as it goes; every page shown on
/// the way.
async fn back_as_far_as_it_goes(b: &Browser) -> Vec<Shown> {
    let mut shown = Vec::new();
    for _ in 0..history_length(b).await {
        b.back().await;
        let held = b
            .execute(
                "return Array.from(document.querySelectorAll('input, textarea'))
                     .filter(e => e.type !== 'hidden')
                     .filter(e => e.checked || (e.type !== 'radio' && e.value))
                     .map(e => e.name + '=' + e.value).join('&');",
                json!([]),
            )
            .await;
        shown.push(Shown {
            url: b.current_url().await,
            title: b.title().await,
            text: b.page_source().await,
            held: held.as_str().unwrap_or_default().to_owned(),
        });
    }
    shown
}

/// Issue 17, item 1. A visit of five pages by links (home, one page, the self-check with its
/// result, the contact form with its thank-you), then Quick exit, then Back as far as it goes, in
/// a fresh profile, in both languages:
/// - with JavaScript, every move replaced the page being read, so the tab's history never grew,
///   and Back after the exit reaches no page of ours;
/// - without JavaScript each link adds an entry (nothing a page can do stops that; the privacy
///   page says so), but Back never shows the self-check's result or what was typed, the result's
///   address opens once, and no file of the profile keeps the answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_exit_leaves_no_page_of_ours_to_go_back_to() {
    let t = TestApp::start(Engine::Sqlite).await;
    let result_headings = ["What your answers may mean", "Lo que tus respuestas pueden"];
    for javascript in [true, false] {
        for (lang, prefix) in LANGUAGES {
            let mut b = if javascript {
                Browser::start().await
            } else {
                Browser::start_without_javascript().await
            };
            let what = format!(
                "{lang}, JavaScript {}",
                if javascript { "on" } else { "off" }
            );
            b.goto(&t.url(&format!("{prefix}/"))).await;
            let landed = history_length(&b).await;
            follow(&b, &t, &format!("{prefix}/recruitment")).await;
            follow(&b, &t, &format!("{prefix}/check")).await;
            answer_the_self_check(&b, ANSWERS).await;
            let result_address = b.current_url().await;
            follow(&b, &t, &format!("{prefix}/contact#ask")).await;
            fill_the_contact_form(&b, true).await;
            let visited = history_length(&b).await;
            // The Escape key needs JavaScript; without it the button is a plain link.
            if javascript && lang == "es" {
                b.press_key(ESCAPE).await;
            } else {
                b.click(&b.find("#quick-exit").await).await;
            }
            b.wait_for_url("the quick exit", |url| !url.starts_with(&t.base))
                .await;
            let shown = back_as_far_as_it_goes(&b).await;
            let ours: Vec<&Shown> = shown
                .iter()
                .filter(|s| s.url.starts_with(&t.base))
                .collect();
            if javascript {
                assert_eq!(visited, landed, "{what}: the visit added history entries");
                assert_eq!(
                    result_address,
                    t.url(&format!("{prefix}/check")),
                    "{what}: the result took the questions' place"
                );
                let urls: Vec<&String> = ours.iter().map(|s| &s.url).collect();
                assert!(
                    urls.is_empty(),
                    "{what}: Back after the exit showed {urls:?}"
                );
            } else {
                assert!(visited > landed, "{what}: JavaScript was not off (control)");
                assert!(!ours.is_empty(), "{what}: the pages read stay (control)");
                for page in ours {
                    let url = &page.url;
                    for heading in result_headings {
                        assert!(
                            !page.text.contains(heading),
                            "{what}: Back showed the result at {url}"
                        );
                    }
                    assert_eq!(page.held, "", "{what}: Back showed answers kept at {url}");
                    assert!(
                        SENSITIVE
                            .iter()
                            .all(|w| !page.title.to_lowercase().contains(w)),
                        "{what}: {url} has the title {:?}",
                        page.title
                    );
                }
                // The result's own address, opened again, shows the questions.
                b.goto(&result_address).await;
                assert!(result_address.starts_with(&t.url(&format!("{prefix}/check/"))));
                let again = b.page_source().await;
                assert!(again.contains("type=\"radio\""), "{what}: {result_address}");
                assert!(result_headings.iter().all(|h| !again.contains(h)));
            }
            b.quit().await;
            let mut kept = Vec::new();
            for (question, _) in ANSWERS {
                kept.extend(files_holding(&b.profile_dir(), question));
            }
            for (_, typed) in CONTACT {
                kept.extend(files_holding(&b.profile_dir(), typed));
            }
            assert!(
                kept.is_empty(),
                "{what}: the profile keeps answers in {kept:?}"
            );
        }
    }
}

/// Issue 17, item 2. On a phone every answer of the self-check and its button are at least
/// 44 by 44 pixels, the button looks like the site's main action, and the answer reached by
/// keyboard shows a clear ring (at least 2 pixels).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_check_fits_a_thumb_and_shows_where_the_focus_is() {
    let t = TestApp::start(Engine::Sqlite).await;
    let b = Browser::start().await;
    b.set_size(Size::Phone).await;
    for (lang, prefix) in LANGUAGES {
        b.goto(&t.url(&format!("{prefix}/check"))).await;
        let sizes = b
            .execute(
                "const box = e => { const r = e.getBoundingClientRect();
                                    return [Math.round(r.width), Math.round(r.height)]; };
                 const button = document.querySelector('main form button[type=submit]');
                 const style = getComputedStyle(button);
                 return { answers: Array.from(document.querySelectorAll('main form label'), box),
                          button: box(button), background: style.backgroundColor,
                          color: style.color };",
                json!([]),
            )
            .await;
        let answers = sizes["answers"].as_array().unwrap();
        assert_eq!(answers.len(), 40, "{lang}");
        for size in answers.iter().chain([&sizes["button"]]) {
            let (w, h) = (size[0].as_i64().unwrap(), size[1].as_i64().unwrap());
            assert!(
                w >= 44 && h >= 44,
                "{lang}: a target of {w}x{h} px: {sizes}"
            );
        }
        assert_eq!(
            (sizes["background"].as_str(), sizes["color"].as_str()),
            (Some("rgb(31, 95, 116)"), Some("rgb(255, 255, 255)")),
            "{lang}: the button is styled as the main action"
        );
        // Keyboard: the skip link, then the first answer of the first question.
        b.press_key(TAB).await;
        b.press_key(ENTER).await;
        b.press_key(TAB).await;
        let ring = b
            .execute(
                "const e = document.activeElement; const s = getComputedStyle(e);
                 return { name: e.name, style: s.outlineStyle,
                          width: parseFloat(s.outlineWidth) };",
                json!([]),
            )
            .await;
        assert_eq!(ring["name"], "place-to-stay", "{lang}: {ring}");
        assert!(
            ring["style"] != "none" && ring["width"].as_f64().unwrap() >= 2.0,
            "{lang}: the focus ring is faint: {ring}"
        );
    }
}

/// Issue 17, item 3. The menu folds into one button (a disclosure, which needs no JavaScript),
/// so every page's heading is near the top of a phone; the contact page shows its form right
/// after its opening words, under one heading, and the link "ask us to reach you" lands on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headings_and_the_contact_form_are_near_the_top_on_a_phone() {
    let t = TestApp::start(Engine::Sqlite).await;
    let b = Browser::start().await;
    let menu_shown = "return Array.from(document.querySelectorAll('header nav li a'))
                          .every(a => a.checkVisibility());";
    b.set_size(Size::Phone).await;
    for (lang, prefix) in LANGUAGES {
        b.goto(&t.url(&format!("{prefix}/"))).await;
        assert_eq!(
            b.execute(menu_shown, json!([])).await,
            json!(false),
            "{lang}"
        );
        let pages: Vec<String> = b
            .execute(
                "return Array.from(document.querySelectorAll('header nav li a'),
                                   a => a.getAttribute('href'));",
                json!([]),
            )
            .await
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(pages.len(), 12, "{lang}: {pages:?}");
        b.click(&b.find("header summary").await).await;
        assert_eq!(
            b.execute(menu_shown, json!([])).await,
            json!(true),
            "{lang}"
        );
        for page in &pages {
            b.goto(&t.url(page)).await;
            let top = b
                .execute(
                    "return document.querySelector('main h1').getBoundingClientRect().top;",
                    json!([]),
                )
                .await;
            assert!(
                top.as_f64().unwrap() <= 200.0,
                "{page}: the heading is at y={top}"
            );
        }

        // The form right after the opening words, and its heading once.
        b.goto(&t.url(&format!("{prefix}/contact"))).await;
        let form = b
            .execute(
                "const ask = document.getElementById('ask');
                 const heading = ask.querySelector('h2').textContent;
                 return { top: ask.getBoundingClientRect().top,
                          same: Array.from(document.querySelectorAll('h1, h2'))
                                     .filter(h => h.textContent === heading).length };",
                json!([]),
            )
            .await;
        assert!(form["top"].as_f64().unwrap() < 600.0, "{lang}: {form}");
        assert_eq!(form["same"], 1, "{lang}: the form's heading appears twice");

        // From the self-check's result, "ask us to reach you" lands on the form.
        take_the_self_check(&b, &t, prefix).await;
        follow(&b, &t, &format!("{prefix}/contact#ask")).await;
        let landed = b
            .execute(
                "const bar = document.getElementById('quick-exit').getBoundingClientRect();
                 const top = document.getElementById('ask').getBoundingClientRect().top;
                 return top >= bar.bottom && top < window.innerHeight / 2;",
                json!([]),
            )
            .await;
        assert_eq!(
            landed,
            json!(true),
            "{lang}: the link does not land on the form"
        );
    }
}

/// Issue 17, item 4. The Quick exit bar is in a landmark; a skip link is the first Tab stop and
/// leads to the page's own text; and a box the browser marks as missing is scrolled into view
/// below the pinned bar, not under it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_exit_bar_hides_nothing_and_the_keyboard_gets_straight_in() {
    let t = TestApp::start(Engine::Sqlite).await;
    let b = Browser::start().await;
    b.set_size(Size::Phone).await;
    for (lang, prefix) in LANGUAGES {
        b.goto(&t.url(&format!("{prefix}/check"))).await;
        let landmark = b
            .execute(
                "return !!document.getElementById('quick-exit')
                     .closest('header, nav, main, aside, footer, [role]');",
                json!([]),
            )
            .await;
        assert_eq!(
            landmark,
            json!(true),
            "{lang}: the quick exit is in no landmark"
        );
        b.press_key(TAB).await;
        let skip = b
            .execute(
                "const e = document.activeElement; const r = e.getBoundingClientRect();
                 return { href: e.getAttribute('href'), seen: r.top >= 0 && r.height > 0 };",
                json!([]),
            )
            .await;
        assert_eq!(skip, json!({ "href": "#main", "seen": true }), "{lang}");
        b.press_key(ENTER).await;
        b.press_key(TAB).await;
        let first = b
            .execute("return document.activeElement.name;", json!([]))
            .await;
        assert_eq!(
            first, "place-to-stay",
            "{lang}: the first question is not 2 Tabs away"
        );

        // Leave the first box empty with it scrolled up under the bar, and send.
        b.goto(&t.url(&format!("{prefix}/contact"))).await;
        b.execute(
            "const alias = document.getElementById('alias');
             window.scrollTo(0, alias.getBoundingClientRect().top + window.scrollY - 8);",
            json!([]),
        )
        .await;
        b.click(&b.find("form.ask button[type=submit]").await).await;
        b.wait_for(
            "the browser to mark the missing box",
            "return document.activeElement.id === 'alias';",
        )
        .await;
        let place = b
            .execute(
                "return { bar: document.getElementById('quick-exit').getBoundingClientRect().bottom,
                          field: document.getElementById('alias').getBoundingClientRect().top };",
                json!([]),
            )
            .await;
        assert!(
            place["field"].as_f64().unwrap() >= place["bar"].as_f64().unwrap(),
            "{lang}: the bar hides the missing box: {place}"
        );
    }
}

/// Issue 17, item 5. The self-check's words fit the answers given: one "No" and the rest blank
/// is not answered as a refusal, and one "yes" speaks of no person never mentioned. Citations
/// end a page as one line in small print, not as a section.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_check_words_fit_the_answers_and_citations_are_small_print() {
    let t = TestApp::start(Engine::Sqlite).await;
    let b = Browser::start().await;
    let result = "return document.querySelector('main').innerText;";
    for (lang, prefix, blank, person, label) in [
        (
            "en",
            "",
            "left most of the questions blank",
            "the person",
            "Sources",
        ),
        ("es", "/es", "Dejaste en blanco", "esa persona", "Fuentes"),
    ] {
        b.goto(&t.url(&format!("{prefix}/check"))).await;
        answer_the_self_check(&b, &[("under-18", "no")]).await;
        let text = b
            .execute(result, json!([]))
            .await
            .as_str()
            .unwrap()
            .to_owned();
        assert!(text.contains(blank), "{lang}: {text}");

        b.goto(&t.url(&format!("{prefix}/check"))).await;
        answer_the_self_check(&b, &[("promises", "yes")]).await;
        let text = b
            .execute(result, json!([]))
            .await
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!text.contains(person), "{lang}: {text}");

        for page in ["learn", "check"] {
            b.goto(&t.url(&format!("{prefix}/{page}"))).await;
            let sources = b
                .execute(
                    "const line = document.querySelector('main .sources');
                     const headings = Array.from(document.querySelectorAll('main h2'),
                                                 h => h.textContent);
                     return { headings,
                              text: line && line.textContent,
                              small: line && parseFloat(getComputedStyle(line).fontSize)
                                     < parseFloat(getComputedStyle(document.body).fontSize) };",
                    json!([]),
                )
                .await;
            assert!(
                !sources["headings"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(label)),
                "{lang} {page}: {sources}"
            );
            assert!(
                sources["text"]
                    .as_str()
                    .is_some_and(|t| t.starts_with(&format!("{label}: "))),
                "{lang} {page}: {sources}"
            );
            assert_eq!(sources["small"], true, "{lang} {page}: {sources}");
        }
    }
}

#[test]
fn addresses_are_decoded_before_words_are_looked_for() {
    assert_eq!(percent_decoded("/es/v%C3%ADctima?a+b"), "/es/víctima?a b");
    assert_eq!(percent_decoded("100%"), "100%");
}

#[test]
fn answers_are_found_in_either_encoding() {
    assert!(holds(b"a=1&owe-money=no", "owe-money"));
    assert!(holds(b"\0o\0w\0e\0-\0m\0o\0n\0e\0y\0\0", "owe-money"));
    assert!(!holds(b"owe-mon", "owe-money"));
}
