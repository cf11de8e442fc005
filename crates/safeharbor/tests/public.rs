//! The public pages through a real HTTP server: every page in every language is crawled and must
//! carry the quick exit, a neutral title and address, the right `lang`, no cookies, no-store,
//! no-referrer, a policy without inline script, nothing loaded from anyone else, and stay light
//! (SECURITY.md P14, P20; issue 5).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{Engine, TestApp};

const SENSITIVE: &[&str] = &[
    "traffick", "trata", "abuse", "abuso", "exploit", "explota", "sex", "prostitu", "victim",
    "víctima",
];

/// Every `href="..."` and `src="..."` in a page.
fn links(html: &str, attribute: &str) -> Vec<String> {
    let marker = format!("{attribute}=\"");
    html.match_indices(&marker)
        .filter_map(|(at, _)| {
            html[at + marker.len()..]
                .split('"')
                .next()
                .map(str::to_owned)
        })
        .collect()
}

fn title(html: &str) -> String {
    html.split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_public_page_is_safe_to_visit() {
    let t = TestApp::start(Engine::Sqlite).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    // The thank-you pages after a contact request are not linked from anywhere.
    let mut to_visit: Vec<String> = vec![
        "/".into(),
        "/es/".into(),
        "/contact/sent".into(),
        "/es/contact/sent".into(),
    ];
    let mut seen = BTreeSet::new();
    let assets_bytes: usize = {
        let css = http
            .get(t.url("/assets/site.css"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        let js = http
            .get(t.url("/assets/quick-exit.js"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .len();
        css + js
    };
    while let Some(path) = to_visit.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let response = http.get(t.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        let get = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(headers.get("set-cookie").is_none(), "{path} sets a cookie");
        assert_eq!(get("cache-control"), "no-store", "{path}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{path}");
        let csp = get("content-security-policy");
        assert!(
            csp.contains("script-src 'sha256-")
                && !csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        let html = response.text().await.unwrap();
        // Every script the page loads is named by the hash the policy allows.
        for tag in html.split("<script").skip(1) {
            let integrity = tag
                .split("integrity=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("{path}: a script without integrity"));
            assert!(
                csp.contains(&format!("'{integrity}'")),
                "{path}: {integrity}"
            );
        }
        let lang = if path.starts_with("/es") { "es" } else { "en" };
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
        assert_eq!(
            html.matches("id=\"quick-exit\"").count(),
            1,
            "{path}: one quick exit"
        );
        assert!(html.contains(&format!(
            "id=\"quick-exit\" class=\"quick-exit\" href=\"{}\"",
            web::public::EXIT_URL
        )));
        let neutral = format!("{} {}", title(&html), path).to_lowercase();
        for word in SENSITIVE {
            assert!(
                !neutral.contains(word),
                "{path}: '{word}' in its title or address"
            );
        }
        for src in links(&html, "src") {
            assert!(src.starts_with('/'), "{path} loads {src} from elsewhere");
        }
        assert!(
            !html.contains("<link")
                || links(&html, "href")
                    .iter()
                    .all(|h| !h.ends_with(".css") || h.starts_with('/'))
        );
        assert!(
            html.len() + assets_bytes < 100 * 1024,
            "{path} weighs {} bytes with its assets",
            html.len() + assets_bytes
        );
        for href in links(&html, "href") {
            if href.starts_with('/') && !href.starts_with("/assets/") {
                to_visit.push(href);
            }
        }
    }
    assert!(seen.len() >= 20, "crawled {} pages", seen.len());
    let missing = http.get(t.url("/es/nowhere")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(
        missing.text().await.unwrap().contains("id=\"quick-exit\""),
        "even a missing page has the quick exit"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_self_check_answers_gently_and_keeps_nothing() {
    let t = TestApp::start(Engine::Sqlite).await;
    let http = reqwest::Client::new();
    let form = http
        .get(t.url("/check"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        form.contains(
            "<form method=\"post\" action=\"/check\" autocomplete=\"off\" class=\"check\">"
        ),
        "answers are posted, never put in a URL, and the browser does not remember the form"
    );
    assert_eq!(
        form.matches("type=\"radio\"").count(),
        40,
        "ten questions, four answers each"
    );
    let before = t.audit().await.len();
    let answers = [
        ("under-18", "yes"),
        ("sex-for-things", "yes"),
        ("owe-money", "rather-not-say"),
    ];
    let response = http
        .post(t.url("/check"))
        .form(&answers)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none());
    let page = response.text().await.unwrap();
    assert!(
        page.contains("tel:+18883737888"),
        "every result ends with ways to get help"
    );
    assert!(page.contains("id=\"quick-exit\""));
    let spanish = http
        .post(t.url("/es/check"))
        .form(&answers)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(spanish.contains("<html lang=\"es\">") && spanish.contains("tel:+18883737888"));
    assert_ne!(page, spanish);
    // Different answers, a different (gentle) result.
    let none = http
        .post(t.url("/check"))
        .form(&[("owe-money", "no")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_ne!(none.split("<main").nth(1), page.split("<main").nth(1));
    // Unknown questions or answers just show the form again.
    let odd = http
        .post(t.url("/check"))
        .form(&[("owe-money", "perhaps")])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(odd.contains("<form method=\"post\""));
    assert_eq!(
        t.audit().await.len(),
        before,
        "nothing was written anywhere"
    );
}

/// Issue 17, item 1: without JavaScript the answers are posted and answered with a redirect to the
/// result's own address, so no posted page stays in the tab's history. That address holds no
/// answer, opens once and only for a minute, and only in its own language: Back, Reload or the
/// history find the empty questions.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_check_result_opens_once_and_briefly() {
    let t = TestApp::start(Engine::Sqlite).await;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answers = [("under-18", "yes"), ("sex-for-things", "yes")];
    let post = async |prefix: &str| {
        let response = http
            .post(t.url(&format!("{prefix}/check")))
            .form(&answers)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303, "{prefix}");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("{prefix}/check/")),
            "{location}"
        );
        for (question, answer) in answers {
            assert!(!location.contains(question) && !location.contains(answer));
        }
        location
    };
    let get = async |path: &str| {
        let response = http.get(t.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let page = response.text().await.unwrap();
        (
            page.contains("tel:+18883737888") && !page.contains("type=\"radio\""),
            page,
        )
    };
    let result = |lang: &str| {
        if lang == "es" {
            "Lo que tus respuestas"
        } else {
            "What your answers"
        }
    };

    for prefix in ["", "/es"] {
        let lang = if prefix.is_empty() { "en" } else { "es" };
        let location = post(prefix).await;
        let (shown, page) = get(&location).await;
        assert!(shown && page.contains(result(lang)), "{location}: {page}");
        let (again, page) = get(&location).await;
        assert!(
            !again && page.contains("type=\"radio\""),
            "opened twice: {page}"
        );
    }
    // An address of one language does not open in the other, nor a made-up one.
    let location = post("").await;
    assert!(!get(&location.replacen("/check/", "/es/check/", 1)).await.0);
    assert!(!get("/check/bm90LWEtcmVzdWx0").await.0);
    assert!(get(&location).await.0, "a failed look does not use it up");
    // Nor one opened after its minute.
    let location = post("").await;
    t.clock.advance_minutes(2);
    assert!(!get(&location).await.0);
}
