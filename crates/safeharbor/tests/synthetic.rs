//! Synthetic data at scale, on both engines: made-up clients written in batches are sealed,
//! readable by their worker, audited in an unbroken chain, counted by the reports, the same for
//! the same seed; and they never go into an instance that already has staff.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use app::Purpose;
use app::reports::{Output, ReportRequest, Scope};
use common::{TestApp, engines};
use domain::Role;
use report::measures::Measure;
use report::period::Period;
use report::{Mode, Shown};
use safeharbor::synthetic::{EVENTS_PER_CLIENT, Plan, fill};

fn plan(t: &TestApp, clients: u64, seed: u64) -> Plan {
    Plan {
        clients,
        seed,
        last_day: t.app.now().date() - time::Duration::days(1),
    }
}

/// OVC's report over the six years to the plan's last day, exact, signed off by the synthetic
/// supervisor.
async fn ovc_report(t: &TestApp, plan: &Plan) -> report::Report {
    let from = plan.last_day - time::Duration::days(6 * 365);
    let request = ReportRequest {
        measure: Measure::Ovc,
        period: Period::new(from, plan.last_day).unwrap(),
        mode: Mode::Exact,
        output: Output::File,
        within: Scope::Everyone,
    };
    t.app
        .report_as_operator(&request, Some("synthetic.supervisor"))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synthetic_clients_are_sealed_readable_audited_and_counted() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let plan = plan(&t, 1_200, 7);
        let (loaded, accounts) = fill(&t.app, plan, |_| {}).await.unwrap();
        assert_eq!(loaded.clients, 1_200, "{engine:?}");
        assert_eq!(loaded.screenings, 1_200, "{engine:?}");
        assert_eq!(
            loaded.audit_events,
            1_200 * u64::try_from(EVENTS_PER_CLIENT).unwrap(),
            "{engine:?}"
        );
        // One to nine services each, five on average.
        assert!(
            (1_200 * 4..1_200 * 6).contains(&loaded.services),
            "{engine:?}: {loaded:?}"
        );
        assert!(loaded.closures > 0 && loaded.closures < 1_200, "{engine:?}");
        let names: Vec<&str> = accounts.iter().map(|a| a.username.as_str()).collect();
        assert_eq!(names, ["synthetic.admin", "synthetic.supervisor"]);

        // The chain holds every event, unbroken.
        let verified = t.app.verify_audit(&[], |_| {}).await.unwrap();
        let events = t.audit().await;
        match verified {
            Ok(n) => assert_eq!(n, i64::try_from(events.len()).unwrap(), "{engine:?}"),
            Err(broken) => panic!("{engine:?}: {broken}"),
        }
        let creations = events
            .iter()
            .filter(|e| e.action == "client.create")
            .count();
        assert_eq!(creations, 1_200, "{engine:?}");

        // A worker opens their own clients' sealed records.
        let users = t.app.users().await.unwrap();
        let worker = users
            .iter()
            .find(|u| u.username == "synthetic.worker001")
            .unwrap();
        assert_eq!(worker.role, Role::CaseManager);
        let caller = app::Caller {
            id: worker.id,
            username: worker.username.clone(),
            role: worker.role,
        };
        let caseload = t
            .app
            .caseload(&caller, 100, 0, Purpose::CaseWork)
            .await
            .unwrap();
        assert!(!caseload.is_empty(), "{engine:?}: worker001 has clients");
        let first = t
            .app
            .client(&caller, caseload[0].id, Purpose::CaseWork)
            .await
            .unwrap();
        assert!(!first.preferred_name.is_empty(), "{engine:?}");
        assert!(first.gender.is_some(), "{engine:?}");

        // Everyone had a service in the six years, so the report counts everyone once, in one
        // of the kinds of trafficking.
        let report = ovc_report(&t, &plan).await;
        assert_eq!(
            report.tables()[0].totals().all,
            Shown::Count(1_200),
            "{engine:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_makes_the_same_records_and_another_seed_others() {
    let mut reports = Vec::new();
    for seed in [3, 3, 4] {
        let t = TestApp::start(common::Engine::Sqlite).await;
        let plan = plan(&t, 300, seed);
        fill(&t.app, plan, |_| {}).await.unwrap();
        reports.push(report::to_json(&ovc_report(&t, &plan).await).unwrap());
    }
    assert_eq!(reports[0], reports[1]);
    assert_ne!(reports[0], reports[2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn synthetic_clients_never_join_an_instance_with_staff_or_reach_today() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let mut today = plan(&t, 5, 1);
    today.last_day = t.app.now().date();
    let refused = fill(&t.app, today, |_| {}).await.unwrap_err();
    assert!(refused.to_string().contains("before today"), "{refused}");

    t.persona("rita.worker", Role::CaseManager).await;
    let refused = fill(&t.app, plan(&t, 5, 1), |_| {}).await.unwrap_err();
    assert!(
        refused.to_string().contains("new instance of their own"),
        "{refused}"
    );
    assert!(t.audit().await.iter().all(|e| e.action != "client.create"));
}

#[test]
fn the_command_fills_a_new_data_dir_and_says_how_to_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(["synthetic", "--clients", "40", "--seed", "2", "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Made 40 clients"), "{stdout}");
    assert!(stdout.contains("800 audit events"), "{stdout}");
    assert!(stdout.contains("synthetic.supervisor"), "{stdout}");

    // A second fill of the same instance is refused, naming why.
    let again = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(["synthetic", "--clients", "1", "--data-dir"])
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has staff accounts"));
}
