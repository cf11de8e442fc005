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

use common::browser::{Browser, ESCAPE, Size, axe_script, axe_violations, files_holding, holds};
use common::{Engine, TestApp};

/// The words that must never be kept by the browser: the same list as the crawl in `public.rs`.
/// They are matched in lower case against decoded text, so "explotación" is caught by "explota".
const SENSITIVE: &[&str] = &[
    "traffick", "trata", "abuse", "abuso", "exploit", "explota", "sex", "prostitu", "victim",
    "víctima",
];

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
    for (question, answer) in ANSWERS {
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
    let url = b.current_url().await;
    assert_eq!(
        url,
        t.url(&format!("{prefix}/check")),
        "the answers are never put in the address"
    );
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
        b.wait_for_url("the thank-you page", |url| {
            url == t.url(&format!("{prefix}/contact/sent"))
        })
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

    // Escape on a page leaves it at once, and Back does not return to it. The quick exit
    // replaces only the page being read: earlier pages of this site stay in the tab's history,
    // which is what the "cover your tracks" page explains.
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_is_accessible_and_fits_a_phone() {
    let axe = axe_script();
    let t = TestApp::start(Engine::Sqlite).await;
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
    let planted = axe_violations(&b, &axe).await;
    assert!(
        planted
            .iter()
            .any(|v| v.starts_with("image-alt (critical)")),
        "axe did not find the planted problem: {planted:?}"
    );

    // Every page the site links to, in both languages, as the crawl in public.rs finds them,
    // plus the self-check's result and the page for an address that does not exist.
    let mut failures = Vec::new();
    let mut to_visit: Vec<String> = vec!["/".into(), "/es/".into()];
    let mut seen = BTreeSet::new();
    while let Some(path) = to_visit.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        b.goto(&t.url(&path)).await;
        for violation in axe_violations(&b, &axe).await {
            failures.push(format!("{path}: {violation}"));
        }
        to_visit.extend(own_links(&b).await);
    }
    assert!(seen.len() >= 22, "visited only {seen:?}");
    for prefix in ["", "/es"] {
        take_the_self_check(&b, &t, prefix).await;
        for violation in axe_violations(&b, &axe).await {
            failures.push(format!("{prefix}/check (result): {violation}"));
        }
    }
    b.goto(&t.url("/es/nowhere")).await;
    for violation in axe_violations(&b, &axe).await {
        failures.push(format!("/es/nowhere (not found): {violation}"));
    }
    for complete in [false, true] {
        ask_to_be_reached(&b, &t, "", complete).await;
        for violation in axe_violations(&b, &axe).await {
            failures.push(format!("/contact (sent: {complete}): {violation}"));
        }
    }

    // The main pages at desktop and phone width: nothing wider than the screen, the quick exit
    // at the top of the window, and no serious accessibility problem at either size. With
    // SAFEHARBOR_SCREENSHOTS=1, a picture of each for docs/screenshots/.
    let screenshots = std::env::var("SAFEHARBOR_SCREENSHOTS").is_ok_and(|v| v == "1");
    for size in [Size::Desktop, Size::Phone] {
        b.set_size(size).await;
        for (lang, prefix) in [("en", ""), ("es", "/es")] {
            for page in ["home", "learn", "check", "check-result", "contact"] {
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
                    for violation in axe_violations(&b, &axe).await {
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
