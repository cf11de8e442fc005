//! Funder reports over real records on both engines: the people served are read from the report
//! dimensions alone, counted by the rules of `report::measures`, released exact (signed off) or
//! public (small numbers hidden), and every report produced is audited.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use app::reports::{Output, ReportRefused, ReportRequest, Scope};
use common::staff::Staff;
use common::{TestApp, engines};
use domain::Role;
use domain::client::RawClient;
use domain::profile::RawProfile;
use report::measures::Measure;
use report::period::Period;
use report::{Mode, Report, Shown};

fn request(period: Period, mode: Mode) -> ReportRequest {
    ReportRequest {
        measure: Measure::Ovc,
        period,
        mode,
        output: Output::File,
        within: Scope::Everyone,
    }
}

/// The first table's cells, as released.
fn served_table(report: &Report) -> Vec<Vec<Shown>> {
    report.tables()[0].cells().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_counts_the_people_served_and_is_audited_and_signed_off() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        t.persona("sam.supervisor", Role::Supervisor).await;
        // Three people first served two months ago, and served again now: continuing.
        let mut earlier = Vec::new();
        for _ in 0..3 {
            earlier.push(t.served_today(&worker, "labor", "A3").await);
        }
        t.clock.advance_days(60);
        for id in &earlier {
            t.serve(&worker, *id, "C4").await;
        }
        // Twelve people first served now: eleven in sex trafficking, one in both.
        for _ in 0..11 {
            t.served_today(&worker, "sex", "C4").await;
        }
        t.served_today(&worker, "sex-and-labor", "D1").await;
        let today = t.app.now().date();
        let period = Period::new(today - time::Duration::days(7), today).unwrap();
        let before = t.audit().await.len();

        let exact = t
            .app
            .report_as_operator(&request(period, Mode::Exact), Some("sam.supervisor"))
            .await
            .unwrap();
        use Shown::Count as N;
        assert_eq!(
            served_table(&exact),
            vec![vec![N(11), N(0), N(1), N(0)], vec![N(0), N(3), N(0), N(0)]],
            "{engine:?}: new and continuing by kind of trafficking"
        );
        assert_eq!(exact.signed_off_by(), Some("sam.supervisor"));
        let events = t.audit().await;
        let added: Vec<(&str, &str)> = events[before..]
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect();
        assert_eq!(added.len(), 2, "{engine:?}: {added:?}");
        assert_eq!(added[0], ("report.export", "operator"));
        assert_eq!(added[1].0, "report.sign-off");
        assert!(
            added[1].1.starts_with("user:"),
            "signed off as the supervisor"
        );

        let public = t
            .app
            .report_as_operator(&request(period, Mode::Public), None)
            .await
            .unwrap();
        let cells = served_table(&public);
        assert_eq!(cells[0][2], Shown::Hidden, "{engine:?}: 1 is hidden");
        assert_eq!(
            cells[0][0],
            Shown::Hidden,
            "and 11 beside it, or 12 - 11 gives it"
        );
        assert_eq!(cells[1][1], Shown::Hidden, "3 is hidden");
        for (shown, exact) in cells
            .iter()
            .flatten()
            .zip(served_table(&exact).iter().flatten())
        {
            assert!(
                *shown == Shown::Hidden || shown == exact,
                "{engine:?}: shown as it is"
            );
        }
        assert!(
            public.tables().iter().all(|table| table
                .cells()
                .iter()
                .flatten()
                .all(|c| !matches!(c, N(1..=10)))),
            "{engine:?}: no number from 1 to 10 anywhere"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exact_report_needs_a_sign_off_by_someone_who_may_sign_and_a_refusal_writes_nothing() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        t.persona("rita.worker", Role::CaseManager).await;
        let today = t.app.now().date();
        let period = Period::new(today, today).unwrap();
        let before = t.audit().await.len();
        let refused = [
            (None, "no sign-off"),
            (Some("rita.worker"), "a case manager"),
            (Some("nobody"), "nobody"),
        ];
        for (signer, why) in refused {
            let asked = request(period, Mode::Exact);
            let answer = t.app.report_as_operator(&asked, signer).await;
            assert!(
                matches!(
                    answer,
                    Err(ReportRefused::NoSignOff
                        | ReportRefused::MayNotSign { .. }
                        | ReportRefused::NoSuchSigner(_))
                ),
                "{engine:?} {why}: {answer:?}"
            );
        }
        let voca_over_two_years = ReportRequest {
            measure: Measure::Voca,
            period: Period::new(today - time::Duration::days(400), today).unwrap(),
            mode: Mode::Public,
            output: Output::File,
            within: Scope::Everyone,
        };
        assert!(matches!(
            t.app.report_as_operator(&voca_over_two_years, None).await,
            Err(ReportRefused::Measure(_))
        ));
        assert_eq!(t.audit().await.len(), before, "{engine:?}: nothing audited");
    }
}

fn safeharbor(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run safeharbor")
}

/// The command line's contract (DESIGN.md): `report list`, and a report as JSON with every table's
/// title, labels, cells and totals; bad input is refused with its reason and writes nothing.
#[test]
fn the_report_command_follows_its_contract_and_refuses_bad_input() {
    let listed = safeharbor(&["report", "list"]);
    assert!(listed.status.success());
    let names: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(names, ["ovc-ht", "voca", "otip", "dashboard"]);

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let made = safeharbor(&[
        "generate",
        "--data-dir",
        data,
        "--clients",
        "3",
        "--years",
        "1",
    ]);
    assert!(made.status.success(), "{made:?}");
    let out = dir.path().join("ovc.json");
    let year = ["--from", "2000-01-01", "--to", "2099-12-31"];
    let wrote = safeharbor(
        &[
            &["report", "ovc-ht", "--data-dir", data, "--mode", "public"][..],
            &year,
            &["--format", "json", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert!(wrote.status.success(), "{wrote:?}");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(
        (&json["report"], &json["mode"], &json["from"], &json["to"]),
        (
            &"ovc-ht".into(),
            &"public".into(),
            &"2000-01-01".into(),
            &"2099-12-31".into()
        )
    );
    let first = &json["tables"][0];
    assert_eq!(first["title"], "Clients served, by kind of trafficking");
    assert_eq!(
        first["rows"],
        serde_json::json!(["New clients", "Continuing clients"])
    );
    assert_eq!(first["columns"].as_array().unwrap().len(), 4);
    assert_eq!(
        first["totals"]["all"], "*",
        "three people: hidden, as the string \"*\""
    );
    for key in ["cells", "totals"] {
        assert!(first.get(key).is_some(), "{key}");
    }

    let csv = safeharbor(
        &[
            &["report", "voca", "--data-dir", data, "--mode", "exact"][..],
            &[
                "--quarter",
                "FY2027-Q1",
                "--signed-off-by",
                "demo.supervisor",
                "--format",
                "csv",
            ],
        ]
        .concat(),
    );
    assert!(csv.status.success(), "{csv:?}");
    assert!(String::from_utf8_lossy(&csv.stdout).contains("Victims served"));

    let refused: [(&[&str], &str); 9] = [
        (&["report", "nope", "--mode", "public"], "no report"),
        (
            &[
                "report",
                "ovc-ht",
                "--mode",
                "public",
                "--from",
                "2027-02-01",
                "--to",
                "2027-01-01",
            ],
            "ends",
        ),
        (
            &[
                "report",
                "ovc-ht",
                "--mode",
                "public",
                "--quarter",
                "FY2027-Q5",
            ],
            "no quarter",
        ),
        (
            &[
                "report",
                "ovc-ht",
                "--mode",
                "exact",
                "--quarter",
                "FY2027-Q1",
            ],
            "signed-off-by",
        ),
        (
            &[
                "report",
                "ovc-ht",
                "--mode",
                "exact",
                "--quarter",
                "FY2027-Q1",
                "--signed-off-by",
                "demo.casemanager",
            ],
            "may not sign",
        ),
        (
            &[
                "report",
                "voca",
                "--mode",
                "public",
                "--from",
                "2026-01-01",
                "--to",
                "2026-12-31",
            ],
            "fiscal year",
        ),
        (
            &[
                "report",
                "ovc-ht",
                "--mode",
                "public",
                "--quarter",
                "FY2027-Q1",
                "--format",
                "xlsx",
            ],
            "--out",
        ),
        (
            &[
                "report",
                "dashboard",
                "--mode",
                "public",
                "--quarter",
                "FY2027-Q1",
                "--team",
                "Nowhere",
            ],
            "there is no team \"Nowhere\"",
        ),
        (
            &[
                "report",
                "dashboard",
                "--mode",
                "public",
                "--quarter",
                "FY2027-Q1",
                "--program",
                "nope",
            ],
            "there is no program \"nope\"",
        ),
    ];
    let not_written = dir.path().join("refused.out");
    for (args, why) in refused {
        let mut args = args.to_vec();
        args.extend(["--data-dir", data]);
        if !args.contains(&"xlsx") {
            args.extend(["--out", not_written.to_str().unwrap()]);
        }
        let answer = safeharbor(&args);
        let said = String::from_utf8_lossy(&answer.stderr);
        assert!(!answer.status.success(), "{args:?}");
        assert!(said.contains(why), "{args:?}: {said}");
        assert!(!not_written.exists(), "{args:?}: nothing written");
    }
}

/// The reports page: a supervisor sees a report on screen in public mode (small numbers hidden)
/// or exact (small ones flagged), and takes an exact file only by signing it off, which is
/// audited as theirs; a file without the sign-off is refused and nothing is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_page_shows_a_report_and_gives_an_exact_file_only_signed_off() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        for _ in 0..12 {
            t.served_today(&worker, "sex", "C4").await;
        }
        t.served_today(&worker, "labor", "D1").await;
        let (_, secret) = t.enrolled("sam.supervisor", Role::Supervisor).await;
        let mut sam = Staff::new(&t);
        sam.sign_in("sam.supervisor", &secret).await;
        let today = domain::case::format_date(t.app.now().date());
        let asked =
            |mode: &str| format!("/app/reports?report=ovc-ht&from={today}&to={today}&mode={mode}");

        let public = sam.get(&asked("public")).await;
        assert_eq!(public.status, 200, "{engine:?}: {}", public.body);
        assert!(
            public
                .body
                .contains("<caption>Clients served, by kind of trafficking</caption>")
        );
        assert!(
            public.body.contains("<td>*</td>"),
            "the one in labor trafficking is hidden"
        );
        assert!(
            !public.body.contains("small-count\">"),
            "nothing flagged in public"
        );
        let exact = sam.get(&asked("exact")).await;
        assert_eq!(exact.status, 200);
        assert!(
            exact.body.contains(
                "<td class=\"small-count\">1<span class=\"visually-hidden\"> (small)</span></td>"
            ),
            "{engine:?}: the 1 is shown, flagged"
        );
        let wrong = sam
            .get(&format!(
                "/app/reports?report=ovc-ht&from={today}&to=2000-01-01&mode=public"
            ))
            .await;
        assert_eq!(wrong.status, 422, "a period that ends before it starts");
        assert!(wrong.body.contains("before it starts"));

        // The page (audited as read) carries the form's token; from here on, only the files.
        let csrf = sam.get(&asked("exact")).await.csrf();
        let before = t.audit().await.len();
        let fields = |signs: bool| {
            let mut f = vec![
                ("csrf", csrf.clone()),
                ("report", "ovc-ht".to_owned()),
                ("from", today.clone()),
                ("to", today.clone()),
                ("mode", "exact".to_owned()),
                ("format", "csv".to_owned()),
            ];
            if signs {
                f.push(("signs_off", "yes".to_owned()));
            }
            f
        };
        let unsigned_fields = fields(false);
        let unsigned: Vec<(&str, &str)> = unsigned_fields
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let refused = sam.post("/app/reports/file", &unsigned).await;
        assert_eq!(refused.status, 422, "{engine:?}");
        assert_eq!(t.audit().await.len(), before, "nothing audited");
        let signed_fields = fields(true);
        let signed: Vec<(&str, &str)> = signed_fields
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect();
        let file = sam.post("/app/reports/file", &signed).await;
        assert_eq!(file.status, 200, "{engine:?}: {}", file.body);
        assert!(
            file.headers[reqwest::header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"ovc-ht-"),
        );
        assert!(
            file.body.contains("Signed off by,sam.supervisor")
                || file.body.contains("sam.supervisor")
        );
        let actions: Vec<String> = t.audit().await[before..]
            .iter()
            .map(|e| e.action.clone())
            .collect();
        assert!(actions.contains(&"report.export".to_owned()), "{actions:?}");
        assert!(
            actions.contains(&"report.sign-off".to_owned()),
            "{actions:?}"
        );
    }
}

/// HHS/OTIP's counts over real cases: a case opened, closed and re-opened in the period is one
/// new enrolment, one re-enrolment and one closure, placed in OTIP's program by citizenship.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn otip_counts_entries_and_closures_of_real_cases() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        let code = domain::case::ProgramCode::parse("drop-in").unwrap();
        let name = domain::case::ProgramName::parse("Drop-in").unwrap();
        t.app.add_program(&code, &name).await.unwrap();
        let raw = RawClient {
            preferred_name: "Someone".into(),
            profile: RawProfile {
                citizenship: Some("foreign-national".into()),
                ..RawProfile::default()
            },
            ..RawClient::default()
        };
        let client = t.recorded(&worker, raw).await;
        let today = t.app.now().date();
        let case = t
            .app
            .open_case(
                &worker,
                client,
                app::NewCase {
                    program: code.clone(),
                    dates: domain::case::CaseDates::new(today, None).unwrap(),
                },
                app::Purpose::CaseWork,
            )
            .await
            .unwrap();
        let closure = domain::closure::RawClosure {
            closed_on: today,
            reason: Some("lost-contact"),
            note: None,
            follow_up: None,
            reach_method: None,
            reach_how: None,
        }
        .parse()
        .unwrap();
        t.app
            .close_case(&worker, client, case, closure, app::Purpose::CaseWork)
            .await
            .unwrap();
        t.app
            .reopen_case(&worker, client, case, today, app::Purpose::CaseWork)
            .await
            .unwrap();
        let asked = ReportRequest {
            measure: Measure::Otip,
            period: Period::new(today, today).unwrap(),
            mode: Mode::Exact,
            output: Output::Screen,
            within: Scope::Everyone,
        };
        let report = t.app.report_as_operator(&asked, None).await.unwrap();
        use Shown::Count as N;
        let entries = &report.tables()[0];
        assert_eq!(entries.title(), "Program entries, by program");
        assert_eq!(
            entries.cells().to_vec(),
            vec![vec![N(0), N(1), N(0)], vec![N(0), N(1), N(0)]],
            "{engine:?}: one new enrolment and one re-enrolment, both TVAP's"
        );
        let closures = report.tables().last().unwrap();
        assert_eq!(closures.title(), "Case closures, by reason");
        let lost = closures
            .rows()
            .iter()
            .position(|r| r == "Lost contact")
            .unwrap();
        assert_eq!(closures.cells()[lost], vec![N(0), N(1), N(0)], "{engine:?}");
    }
}

/// A date of birth places a person in VOCA's age ranges by their age on the day they were
/// recorded, also when it is corrected later; the date itself is never read by a report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_age_at_intake_follows_the_date_of_birth_as_of_the_day_recorded() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        let today = t.app.now().date();
        let born = |years: i32| {
            let day = today.replace_year(today.year() - years).unwrap_or(today);
            domain::case::format_date(day)
        };
        let raw = RawClient {
            preferred_name: "Someone".into(),
            date_of_birth: Some(born(12)),
            ..RawClient::default()
        };
        let client = t.recorded(&worker, raw).await;
        t.serve(&worker, client, "C4").await;
        let voca = || ReportRequest {
            measure: Measure::Voca,
            period: Period::new(today, today).unwrap(),
            mode: Mode::Exact,
            output: Output::Screen,
            within: Scope::Everyone,
        };
        let ages = |report: &Report| {
            let table = &report.tables()[1];
            assert_eq!(table.title(), "New victims, by age");
            table
                .rows()
                .iter()
                .zip(table.cells())
                .filter(|(_, c)| c[0] != Shown::Count(0))
                .map(|(r, _)| r.clone())
                .collect::<Vec<_>>()
        };
        let report = t.app.report_as_operator(&voca(), None).await.unwrap();
        assert_eq!(ages(&report), ["0-12"], "{engine:?}: twelve, not 12 to 14");

        // A year on, the date is corrected: the age is still that on the day recorded.
        t.clock.advance_days(365);
        let edit = domain::client::RawEdit {
            date_of_birth: Some(Some(born(13))),
            ..Default::default()
        }
        .parse(t.app.now().date())
        .unwrap();
        t.app
            .edit_client(&worker, client, &edit, app::Purpose::CaseWork)
            .await
            .unwrap();
        let report = t.app.report_as_operator(&voca(), None).await.unwrap();
        assert_eq!(ages(&report), ["13-17"], "{engine:?}");
    }
}

/// The page "Our work" as an anonymous visitor sees it in `lang`: its status, cookies and body.
async fn our_work(t: &TestApp, path: &str) -> String {
    let response = reqwest::get(t.url(path)).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert!(
        response.headers().get("set-cookie").is_none(),
        "{path} sets no cookie"
    );
    response.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_figures_cover_the_last_four_quarters_in_both_languages_and_never_ten_people() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        let mut first = Vec::new();
        for _ in 0..10 {
            first.push(t.served_today(&worker, "sex", "C1").await);
        }
        t.app.refresh_public_figures().await.unwrap();
        assert_eq!(
            t.app.public_figures(),
            None,
            "{engine:?}: today's quarter has not ended"
        );

        // The quarter ends: ten people are too few to show anything.
        t.clock.advance_days(100);
        t.app.refresh_public_figures().await.unwrap();
        assert_eq!(t.app.public_figures(), None, "{engine:?}: ten people");
        let page = our_work(&t, "/our-work").await;
        assert!(page.contains("enough people"), "{engine:?}: {page}");
        assert!(!page.contains("%"), "{engine:?}: {page}");

        // The same ten served again, and four more, in the next quarter; once it ends, the
        // figures stand for fourteen people (about 15), one share each.
        for id in &first {
            t.serve(&worker, *id, "C1").await;
        }
        for _ in 0..4 {
            t.served_today(&worker, "sex", "C1").await;
        }
        t.clock.advance_days(100);
        t.app.refresh_public_figures().await.unwrap();
        let figures = t.app.public_figures().unwrap();
        assert_eq!(figures.people, 15, "{engine:?}");

        let english = our_work(&t, "/our-work").await;
        assert!(
            english.contains("we served about <strong>15 people</strong>"),
            "{engine:?}: {english}"
        );
        for line in [
            "100% were adults, 18 or older.",
            "100% were forced, tricked or pressured into selling sex (sex trafficking).",
            "100% received emotional support, counseling or help staying safe.",
        ] {
            assert!(english.contains(line), "{engine:?}: {line}\n{english}");
        }
        assert!(!english.contains("under 18"), "{engine:?}: no minors");
        let spanish = our_work(&t, "/es/our-work").await;
        assert!(
            spanish.contains("atendimos a unas <strong>15 personas</strong>"),
            "{engine:?}: {spanish}"
        );
        assert!(
            spanish.contains("El 100 % eran personas adultas"),
            "{engine:?}: {spanish}"
        );
        assert!(spanish.contains("<html lang=\"es\""), "{engine:?}");

        let made: Vec<_> = t
            .audit()
            .await
            .into_iter()
            .filter(|e| e.action == "report.export")
            .filter_map(|e| e.target)
            .filter(|target| target.starts_with("report:who-we-serve:"))
            .collect();
        assert_eq!(
            made.len(),
            3,
            "{engine:?}: each making is audited: {made:?}"
        );
    }
}

/// The released cells of the row labelled `row` in the table `title`.
fn row_of<'r>(report: &'r Report, title: &str, row: &str) -> &'r [Shown] {
    let table = report
        .tables()
        .iter()
        .find(|t| t.title() == title)
        .unwrap_or_else(|| panic!("no table {title:?}"));
    let at = table
        .rows()
        .iter()
        .position(|r| r == row)
        .unwrap_or_else(|| panic!("{title}: no row {row:?}"));
    &table.cells()[at]
}

/// The released count of the row labelled `row` in the first column of the table `title`.
fn count_of(report: &Report, title: &str, row: &str) -> Shown {
    row_of(report, title, row)[0]
}

/// Outcome scores of safety and housing stability for `client`, given today at `point`.
async fn outcomes(
    t: &TestApp,
    by: &app::Caller,
    client: domain::ClientId,
    point: &str,
    (safety, housing): (&str, &str),
) {
    use domain::outcome::{OutcomeDomain, RawOutcomes};
    let scores = [
        (OutcomeDomain::Safety, Some(safety)),
        (OutcomeDomain::HousingStability, Some(housing)),
    ]
    .into_iter()
    .collect();
    let assessment = RawOutcomes {
        point: Some(point),
        assessed_on: t.app.now().date(),
        scores,
        note: None,
    }
    .parse(t.app.now())
    .unwrap();
    t.app
        .assess_outcomes(by, client, assessment, app::Purpose::CaseWork)
        .await
        .unwrap();
}

/// A needs assessment of `client` today, with `mental` as the level of mental-health need.
async fn needs(t: &TestApp, by: &app::Caller, client: domain::ClientId, mental: &str) {
    use domain::needs::{NeedDomain, RawAnswer, RawAssessment};
    let answers = [(
        NeedDomain::MentalHealth,
        RawAnswer {
            level: Some(mental),
            note: None,
        },
    )]
    .into_iter()
    .collect();
    let assessment = RawAssessment {
        assessed_on: t.app.now().date(),
        answers,
        note: None,
    }
    .parse(t.app.now())
    .unwrap();
    t.app
        .assess_needs(by, client, assessment, app::Purpose::CaseWork)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_screenings_referrals_and_how_outcome_scores_moved() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let lead = t.persona("sue.lead", Role::Supervisor).await.caller;
        let shelter = t.harbor_house(&lead).await;
        let worker = t.persona("rita.worker", Role::CaseManager).await.caller;
        let first_day = t.app.now().date();
        let mut clients = Vec::new();
        for _ in 0..3 {
            clients.push(t.served_today(&worker, "sex", "C1").await);
        }
        let screen = async |client, answers: &[(&str, &str)]| {
            let codes = answers
                .iter()
                .map(|(item, answer)| ((*item).to_owned(), (*answer).to_owned()))
                .collect();
            t.app
                .record_screening(&worker, client, "qyit-4", &codes, app::Purpose::CaseWork)
                .await
                .unwrap();
        };
        screen(clients[0], &[("traded-sex", "yes")]).await;
        let all_no = [
            ("unsafe-work", "no"),
            ("afraid-to-leave", "no"),
            ("traded-sex", "no"),
            ("tricked-or-forced", "no"),
        ];
        screen(clients[1], &all_no).await;
        screen(clients[2], &[("unsafe-work", "no")]).await;
        // Someone first served three days after their record was made.
        let waited = t
            .recorded(
                &worker,
                RawClient {
                    preferred_name: "Someone".into(),
                    age_band: Some("18-24".into()),
                    ..RawClient::default()
                },
            )
            .await;
        let accepted = t.referral_sent(&worker, clients[0], shelter).await;
        t.referral_sent(&worker, clients[1], shelter).await;
        outcomes(&t, &worker, clients[0], "intake", ("2", "3")).await;
        outcomes(&t, &worker, clients[1], "intake", ("3", "3")).await;
        needs(&t, &worker, clients[0], "urgent").await;
        needs(&t, &worker, clients[1], "prefers-not-to-say").await;

        // Three days on, the shelter accepts one referral, and the outcomes are scored again.
        t.clock.advance_days(3);
        t.app
            .step_referral(
                &worker,
                clients[0],
                accepted,
                domain::referral::ReferralStatus::Accepted,
                None,
                app::Purpose::CaseWork,
            )
            .await
            .unwrap();
        outcomes(&t, &worker, clients[0], "six-month", ("4", "1")).await;
        needs(&t, &worker, clients[0], "some").await;
        t.serve(&worker, waited, "A1").await;

        let period = Period::new(first_day, t.app.now().date()).unwrap();
        let request = ReportRequest {
            measure: Measure::Dashboard,
            period,
            mode: Mode::Exact,
            output: Output::Screen,
            within: Scope::Everyone,
        };
        let report = t.app.report_as_operator(&request, None).await.unwrap();
        let one = Shown::Count(1);
        for (title, row, n) in [
            (
                "Screenings, by result",
                "Positive: signs of trafficking or exploitation",
                one,
            ),
            ("Screenings, by result", "Negative", one),
            ("Screenings, by result", "Incomplete", one),
            ("Screenings, by result", "Erased", Shown::Count(0)),
            ("Referrals made, by where they stand now", "Accepted", one),
            (
                "Referrals made, by where they stand now",
                "Sent, waiting for the partner",
                one,
            ),
            (
                "Referrals sent, by time until the partner accepted",
                "In 1 to 7 days",
                one,
            ),
            (
                "Referrals sent, by time until the partner accepted",
                "Not accepted (declined, closed or still waiting)",
                one,
            ),
            (
                "Clients served, new and continuing",
                "New clients",
                Shown::Count(4),
            ),
            (
                "New clients, by days from first contact to first service",
                "The same day",
                Shown::Count(3),
            ),
            (
                "New clients, by days from first contact to first service",
                "1 to 7 days",
                one,
            ),
        ] {
            assert_eq!(
                count_of(&report, title, row),
                n,
                "{engine:?}: {title}: {row}"
            );
        }
        let change = |domain| row_of(&report, "Outcome scores, first to latest", domain);
        assert_eq!(
            change("Safety"),
            [one, Shown::Count(0), Shown::Count(0)],
            "{engine:?}: 2 to 4; the one scored once is not counted"
        );
        assert_eq!(
            change("Housing stability"),
            [Shown::Count(0), Shown::Count(0), one],
            "{engine:?}: 3 to 1"
        );

        assert_eq!(
            row_of(&report, "Needs at the latest assessment", "Mental health"),
            [Shown::Count(0), one, Shown::Count(0)],
            "{engine:?}: the latest answer (some), not the first (urgent); no answer not counted"
        );

        // A period after all of it counts none of it.
        let later = Period::new(
            t.app.now().date().next_day().unwrap(),
            t.app.now().date().next_day().unwrap(),
        )
        .unwrap();
        let empty = t
            .app
            .report_as_operator(
                &ReportRequest {
                    period: later,
                    ..request
                },
                None,
            )
            .await
            .unwrap();
        for table in empty.tables() {
            assert_eq!(
                table.totals().all,
                Shown::Count(0),
                "{engine:?}: {}",
                table.title()
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_counts_only_the_program_or_the_team_asked_for() {
    use domain::case::{CaseDates, ProgramCode, ProgramName};
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let admin = t.persona("ada.admin", Role::Administrator).await.caller;
        let north = t.persona("nia.north", Role::CaseManager).await.caller;
        let other = t.persona("oli.other", Role::CaseManager).await.caller;
        let team = t.app.create_team(&admin, "North").await.unwrap();
        t.app
            .put_team_member(&admin, team, north.id, false)
            .await
            .unwrap();
        let drop_in = ProgramCode::parse("drop-in").unwrap();
        t.app
            .add_program(&drop_in, &ProgramName::parse("Drop-in").unwrap())
            .await
            .unwrap();
        let first = t.served_today(&north, "sex", "C1").await;
        t.served_today(&north, "labor", "C1").await;
        for _ in 0..3 {
            t.served_today(&other, "sex", "A1").await;
        }
        let today = t.app.now().date();
        let case = app::NewCase {
            program: drop_in,
            dates: CaseDates::new(today, None).unwrap(),
        };
        t.app
            .open_case(&north, first, case, app::Purpose::CaseWork)
            .await
            .unwrap();

        let new_clients = async |program: Option<&str>, team: Option<&str>| {
            let within = t.app.scope(program, team).await.unwrap();
            let request = ReportRequest {
                measure: Measure::Dashboard,
                period: Period::new(today, today).unwrap(),
                mode: Mode::Exact,
                output: Output::Screen,
                within,
            };
            let report = t.app.report_as_operator(&request, None).await.unwrap();
            let json = report::to_json(&report).unwrap();
            let csv = report::to_csv(&report);
            match (program, team) {
                (Some(code), _) => {
                    assert_eq!(json["within"], format!("program {code}"));
                    assert!(csv.contains(&format!("Counting only,program {code}\r\n")));
                }
                (_, Some(name)) => assert_eq!(json["within"], format!("team {name}")),
                (None, None) => {
                    assert!(json.get("within").is_none(), "the contract's keys only");
                    assert!(!csv.contains("Counting only"));
                }
            }
            count_of(&report, "Clients served, new and continuing", "New clients")
        };
        assert_eq!(new_clients(None, None).await, Shown::Count(5), "{engine:?}");
        assert_eq!(
            new_clients(None, Some("North")).await,
            Shown::Count(2),
            "{engine:?}"
        );
        assert_eq!(
            new_clients(Some("drop-in"), None).await,
            Shown::Count(1),
            "{engine:?}"
        );
        let audited = t.audit().await;
        let team_report = format!(":team={team}");
        assert!(
            audited.iter().any(|e| e
                .target
                .as_deref()
                .is_some_and(|target| target.ends_with(&team_report))),
            "{engine:?}: the audit names the team"
        );

        // Bad input names what is wrong.
        for (program, team, refused) in [
            (Some("nope"), None, "there is no program \"nope\""),
            (None, Some("South"), "there is no team \"South\""),
            (
                Some("drop-in"),
                Some("North"),
                "a report counts one program or one team, not both",
            ),
        ] {
            let err = t.app.scope(program, team).await.unwrap_err();
            assert_eq!(err.to_string(), refused, "{engine:?}");
        }

        // The page offers the teams and programs, and says whose records it counted.
        let (_, secret) = t.enrolled("sam.supervisor", Role::Supervisor).await;
        let mut sam = Staff::new(&t);
        sam.sign_in("sam.supervisor", &secret).await;
        let page = sam.get("/app/reports?within=team%3ANorth").await;
        assert_eq!(page.status, 200, "{engine:?}: {}", page.body);
        assert!(
            page.body
                .contains("<option value=\"team:North\" selected>Team: North</option>")
        );
        assert!(
            page.body
                .contains("<option value=\"program:drop-in\">Program: Drop-in</option>")
        );
        assert!(
            page.body
                .contains("Counting only the clients of team North")
        );
        let unknown = sam.get("/app/reports?within=team%3ASouth").await;
        assert_eq!(unknown.status, 422, "{engine:?}");
        assert!(
            unknown.body.contains("there is no team &#34;South&#34;"),
            "{}",
            unknown.body
        );
    }
}
