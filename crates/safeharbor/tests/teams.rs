//! Teams over real HTTP: an administrator makes a team and says who leads it; its supervisor sees
//! the members' clients, reads their records and assigns the work; nobody else reaches any of it,
//! and every refusal looks like "not found" (P6, P7); each step is audited (P9).

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::staff::Staff;
use common::{Persona, TestApp, engines};
use domain::Role;
use reqwest::StatusCode;

const NOWHERE: &str = "/app/clients/8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10";

async fn signed_in<'a>(t: &'a TestApp, name: &str, role: Role) -> (Persona, Staff<'a>) {
    let (persona, secret) = t.enrolled(name, role).await;
    let mut web = Staff::new(t);
    web.sign_in(name, &secret).await;
    (persona, web)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_their_teams_clients_and_assigns_the_work() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (_, mut ada) = signed_in(&t, "ada.admin", Role::Administrator).await;
        let (_, mut sue) = signed_in(&t, "sue.s", Role::Supervisor).await;
        let (ana, mut ana_web) = signed_in(&t, "ana.m", Role::CaseManager).await;
        let (_, mut olu) = signed_in(&t, "olu.o", Role::Outreach).await;
        let (ben, mut ben_web) = signed_in(&t, "ben.m", Role::CaseManager).await;
        let rosa = t.client_page_of(&ana, "Rosa").await;
        let bea = t.client_page_of(&ben, "Bea").await;

        // Before any team, Sue reaches neither client.
        let nothing = sue.get(NOWHERE).await;
        assert_eq!(sue.get(&rosa).await.body, nothing.body);

        // The administrator makes the team: Sue leads it, Ana and Olu are on it.
        let members = [("sue.s", true), ("ana.m", false), ("olu.o", false)];
        let (page, add) = ada.make_team("North", &members).await;
        assert!(page.body.contains("<h2 id=\"team-1\">North</h2>"));
        let user = |name: &str| page.option_value(name);
        // Only a supervisor leads; an administrator is on no team.
        let refused = ada
            .submit(
                "/app/admin/teams",
                &add,
                &[("user", &user("ana.m")), ("leads", "yes")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        let refused = ada
            .submit("/app/admin/teams", &add, &[("user", &user("ada.admin"))])
            .await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        let listed = ada.get("/app/admin/teams").await;
        assert!(listed.body.contains("leads it") && listed.body.contains("olu.o"));

        // Sue's team caseload has Ana's client, not Ben's; she reads Rosa's record.
        let team = sue.get("/app/team").await;
        assert_eq!(team.status, StatusCode::OK);
        assert!(team.body.contains("Rosa") && team.body.contains("ana.m"));
        assert!(!team.body.contains("Bea"));
        let record = sue.get(&rosa).await;
        assert_eq!(record.status, StatusCode::OK);
        assert!(record.body.contains("Who works with Rosa"));
        // Reading, not running the case: the page offers only what her standing allows.
        assert!(record.body.contains("Who opened this record"));
        for link in [
            "Take a screening",
            "Open the worksheet",
            "Change safety flags",
        ] {
            assert!(!record.body.contains(link), "{link}");
            assert!(ana_web.get(&rosa).await.body.contains(link), "{link}");
        }
        let refused = sue.get(&bea).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(refused.body, nothing.body);
        // Reading, not running the case: a screening of Rosa is not hers to record.
        let screening = sue.get(&format!("{rosa}/screenings/new/qyit-4")).await;
        assert_eq!(screening.body, nothing.body);

        // Sue assigns Rosa to Olu, who now sees her; then takes Ana off.
        let olu_id = record.option_value("olu.o");
        let assigned = sue
            .submit(&rosa, &format!("{rosa}/assign"), &[("user", &olu_id)])
            .await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.body);
        assert_eq!(olu.get(&rosa).await.status, StatusCode::OK);
        let ana_id = ana.caller.id.to_string();
        let off = sue
            .submit(&rosa, &format!("{rosa}/unassign"), &[("user", &ana_id)])
            .await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        assert_eq!(ana_web.get(&rosa).await.body, nothing.body);
        // The last one assigned stays.
        let last = sue
            .submit(&rosa, &format!("{rosa}/unassign"), &[("user", &olu_id)])
            .await;
        assert_eq!(last.status, StatusCode::CONFLICT);
        assert_eq!(olu.get(&rosa).await.status, StatusCode::OK);
        // Work goes only to her own team: not to Ben.
        let ben_id = ben.caller.id.to_string();
        let outside = sue
            .submit(&rosa, &format!("{rosa}/assign"), &[("user", &ben_id)])
            .await;
        assert_eq!(outside.status, StatusCode::CONFLICT);
        assert_eq!(ben_web.get(&rosa).await.body, nothing.body);

        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        for action in [
            "team.create",
            "team.member-add",
            "team.caseload-list",
            "client.assign",
            "client.unassign",
        ] {
            assert!(actions.iter().any(|a| a == action), "{action}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn team_pages_and_assignments_are_not_found_for_anyone_else() {
    let t = TestApp::start(common::Engine::Sqlite).await;
    let (_, mut ada) = signed_in(&t, "ada.admin", Role::Administrator).await;
    let (ana, mut ana_web) = signed_in(&t, "ana.m", Role::CaseManager).await;
    let (_, mut sue) = signed_in(&t, "sue.s", Role::Supervisor).await;
    let (_, mut dan) = signed_in(&t, "dan.analyst", Role::DataAnalyst).await;
    let rosa = t.client_page_of(&ana, "Rosa").await;
    let ana_id = ana.caller.id.to_string();
    let nothing = ana_web.get(NOWHERE).await;

    // A case manager, an analyst and an administrator have no team caseload.
    for who in [&mut ana_web, &mut dan, &mut ada] {
        let page = who.get("/app/team").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert_eq!(page.body, nothing.body);
    }
    // Only administrators make teams.
    for who in [&mut ana_web, &mut sue, &mut dan] {
        assert_eq!(who.get("/app/admin/teams").await.body, nothing.body);
        let tried = who
            .submit("/app/", "/app/admin/teams", &[("name", "Mine")])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND);
    }
    // Assigning: not for a case manager on their own client, not for a supervisor with no team
    // reach, not for an administrator.
    for who in [&mut ana_web, &mut sue, &mut ada] {
        for path in [format!("{rosa}/assign"), format!("{rosa}/unassign")] {
            let tried = who.submit("/app/", &path, &[("user", &ana_id)]).await;
            assert_eq!(tried.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(tried.body, nothing.body);
        }
    }
    // Anonymous: sent to sign in.
    let mut anonymous = Staff::new(&t);
    for path in ["/app/team", "/app/admin/teams"] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), "/login");
    }
    assert!(t.audit().await.iter().all(|e| e.action != "client.assign"));
    assert!(t.audit().await.iter().all(|e| e.action != "team.create"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricted_record_is_seen_only_by_the_people_assigned() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ada, _) = t.enrolled("ada.admin", Role::Administrator).await;
        let (sue, mut sue_web) = signed_in(&t, "sue.s", Role::Supervisor).await;
        let (tom, tom_key) = t.enrolled("tom.s", Role::Supervisor).await;
        let mut tom_web = Staff::new(&t);
        tom_web.sign_in("tom.s", &tom_key).await;
        let (ana, mut ana_web) = signed_in(&t, "ana.m", Role::CaseManager).await;
        let team = t.app.create_team(&ada.caller, "North").await.unwrap();
        for (who, leads) in [(&sue, true), (&tom, true), (&ana, false)] {
            t.app
                .put_team_member(&ada.caller, team, who.caller.id, leads)
                .await
                .unwrap();
        }
        let rosa = t.client_page_of(&ana, "Rosa").await;
        let nothing = tom_web.get(NOWHERE).await;

        // Leading the team, Sue reads the record but restricts it only once assigned to it.
        let page = sue_web.get(&rosa).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Restrict to the people assigned"));
        let sue_id = sue.caller.id.to_string();
        let assigned = sue_web
            .submit(&rosa, &format!("{rosa}/assign"), &[("user", &sue_id)])
            .await;
        assert_eq!(assigned.status, StatusCode::SEE_OTHER);
        let restricted = sue_web
            .submit(&rosa, &format!("{rosa}/restrict"), &[("restricted", "yes")])
            .await;
        assert_eq!(
            restricted.status,
            StatusCode::SEE_OTHER,
            "{}",
            restricted.body
        );

        // Tom leads the same team but is not assigned: the record is gone for him, from his
        // team caseload too; an emergency does not open it.
        assert_eq!(tom_web.get(&rosa).await.body, nothing.body);
        assert!(!tom_web.get("/app/team").await.body.contains("Rosa"));
        let reference = rosa.rsplit('/').next().unwrap().to_owned();
        t.clock.advance_minutes(1);
        let code = tom_key.code(t.unix_seconds());
        let emergency = tom_web
            .submit(
                "/app/emergency",
                "/app/emergency",
                &[
                    ("client", reference.as_str()),
                    (
                        "reason",
                        "Police called about her tonight and Ana cannot be reached.",
                    ),
                    ("password", common::STAFF_PASSWORD),
                    ("code", code.as_str()),
                ],
            )
            .await;
        assert_eq!(emergency.status, StatusCode::NOT_FOUND);
        assert_eq!(tom_web.get(&rosa).await.body, nothing.body);
        // Ana, assigned, still works with her and is told the record is restricted.
        let ana_page = ana_web.get(&rosa).await;
        assert_eq!(ana_page.status, StatusCode::OK);
        assert!(ana_page.body.contains("This record is restricted"));
        // Only an assigned supervisor lifts it.
        let tried = ana_web
            .submit(&rosa, &format!("{rosa}/restrict"), &[("restricted", "no")])
            .await;
        assert_eq!(tried.status, StatusCode::NOT_FOUND);
        let lifted = sue_web
            .submit(&rosa, &format!("{rosa}/restrict"), &[("restricted", "no")])
            .await;
        assert_eq!(lifted.status, StatusCode::SEE_OTHER);
        assert_eq!(tom_web.get(&rosa).await.status, StatusCode::OK);
        let actions: Vec<String> = t.audit().await.into_iter().map(|e| e.action).collect();
        assert!(actions.iter().any(|a| a == "client.restrict"));
        assert!(actions.iter().any(|a| a == "client.unrestrict"));
    }
}
