//! A client's history on their page, over real HTTP: every kind of record in one list, newest
//! first under each day, a page at a time to the very first record, filtered by kind; a link
//! that is not one of ours is "not found"; a page read is audited once for its history.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{TestApp, engines};
use domain::contact::{Minutes, RawContact};
use domain::note::{NewNote, NoteKind, NoteText};
use domain::service::RawService;
use domain::{ClientId, Role};
use reqwest::StatusCode;

const DAYS: u32 = 25;

/// Rosa's first `DAYS` days: each day a note, an attempt to reach her on every other day, and a
/// service, ten minutes apart in that order, each saying which it is and of which day.
async fn a_month_of_work(t: &TestApp, by: &app::Caller, rosa: ClientId) {
    let purpose = app::Purpose::CaseWork;
    for day in 0..DAYS {
        let note = NewNote {
            kind: NoteKind::General,
            text: NoteText::parse(&format!("Note of day {day:02}.")).unwrap(),
        };
        t.app.add_note(by, rosa, note, purpose).await.unwrap();
        t.clock.advance_minutes(10);
        if day % 2 == 0 {
            let said = format!("Contact of day {day:02}.");
            let contact = RawContact {
                occurred_at: t.app.now(),
                method: "phone",
                reached: false,
                minutes: None,
                present: None,
                note: Some(&said),
            };
            let contact = contact.parse(t.app.now()).unwrap();
            t.app.log_contact(by, rosa, contact, purpose).await.unwrap();
        }
        t.clock.advance_minutes(10);
        let said = format!("Service of day {day:02}.");
        let service = RawService {
            delivered_on: t.app.now().date(),
            code: "C4",
            mode: "phone",
            minutes: Some(Minutes::new(30).unwrap()),
            units: None,
            note: Some(&said),
        };
        let service = service.parse(t.app.now()).unwrap();
        t.app
            .record_service(by, rosa, service, purpose)
            .await
            .unwrap();
        t.clock.advance_minutes(24 * 60 - 20);
    }
}

/// What a page of the history shows, in its order: ("Note", 7) for "Note of day 07.".
fn shown(body: &str) -> Vec<(String, u32)> {
    let said = regex::Regex::new(r"(Note|Contact|Service) of day (\d\d)\.").unwrap();
    said.captures_iter(body)
        .map(|c| (c[1].to_owned(), c[2].parse().unwrap()))
        .collect()
}

/// The link to older records, if the page has one.
fn older(body: &str) -> Option<String> {
    let link = regex::Regex::new(r#"<a href="([^"]+)">Older records</a>"#).unwrap();
    // The page writes `&` in an address as a character reference, as HTML would have it.
    link.captures(body)
        .map(|c| c[1].replace("&#38;", "&").replace("&amp;", "&"))
}

/// Every page of the history from `first`, following the link to older records: what each shows.
async fn every_page(staff: &mut Staff<'_>, first: &str) -> Vec<Vec<(String, u32)>> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(path) = next {
        let page = staff.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
        pages.push(shown(&page.body));
        next = older(&page.body);
        assert!(pages.len() <= 5, "the pages end");
    }
    pages
}

/// What the history holds of `kinds`, newest first: each day its service, its attempt (every
/// other day) and its note, as recorded.
fn expected(kinds: &[&str]) -> Vec<(String, u32)> {
    let mut all = Vec::new();
    for day in (0..DAYS).rev() {
        for kind in ["Service", "Contact", "Note"] {
            let happened = kind != "Contact" || day % 2 == 0;
            if happened && kinds.contains(&kind) {
                all.push((kind.to_owned(), day));
            }
        }
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clients_history_is_one_list_newest_first_a_page_at_a_time_of_the_kinds_chosen() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let raw = domain::client::RawClient {
            preferred_name: "Rosa".to_owned(),
            ..Default::default()
        };
        let rosa = t.recorded(&ana.caller, raw).await;
        a_month_of_work(&t, &ana.caller, rosa).await;
        let mut staff = Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let page = format!("/app/clients/{rosa}");

        // Everything: 25 notes, 25 services and 13 attempts, 30 a page, to the very first note.
        let pages = every_page(&mut staff, &page).await;
        let lengths: Vec<usize> = pages.iter().map(Vec::len).collect();
        assert_eq!(lengths, [30, 30, 3]);
        let all: Vec<_> = pages.concat();
        assert_eq!(all, expected(&["Service", "Contact", "Note"]));
        let first = staff.get(&page).await.body;
        let today = domain::case::format_date(t.app.now().date());
        let yesterday = t.app.now().plus_days(-1).date();
        assert!(
            first.contains(&format!(
                "<h3 class=\"day\">{}</h3>",
                domain::case::format_date(yesterday)
            )),
            "each day under its heading"
        );
        assert!(!first.contains(&format!("<h3 class=\"day\">{today}</h3>")));
        assert!(first.contains("Attempt to reach"), "{first}");
        assert!(first.contains("Service: C4"));

        // Services alone fit on one page; notes and attempts take two, and the link to older
        // records keeps the choice.
        let services = every_page(&mut staff, &format!("{page}?show=service")).await;
        assert_eq!(services.concat(), expected(&["Service"]));
        assert_eq!(services.len(), 1);
        let chosen = staff.get(&format!("{page}?show=service")).await.body;
        assert!(chosen.contains("value=\"service\" checked"));
        assert!(!chosen.contains("value=\"note\" checked"));
        assert!(chosen.contains("Show everything"));
        let two = every_page(&mut staff, &format!("{page}?show=contact&show=note")).await;
        assert_eq!(two.concat(), expected(&["Contact", "Note"]));
        assert_eq!(two.len(), 2);

        // A link we did not write is not a page.
        for bad in [
            "?before=yesterday",
            "?show=letters",
            "?page=2",
            "?show=note&show",
        ] {
            let refused = staff.get(&format!("{page}{bad}")).await;
            assert_eq!(refused.status, StatusCode::NOT_FOUND, "{bad}");
        }

        // One page read: its history audited once, and no list of any one kind.
        let before = t.audit().await.len();
        staff.get(&page).await;
        let read: Vec<String> = t.audit().await[before..]
            .iter()
            .map(|e| e.action.clone())
            .collect();
        assert_eq!(
            read.iter().filter(|a| *a == "client.timeline-read").count(),
            1
        );
        assert!(
            read.iter()
                .all(|a| !a.ends_with(".list") || a == "case.list" || a == "need.list")
        );
    }
}
