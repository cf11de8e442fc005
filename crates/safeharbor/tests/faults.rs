//! Faults of the moment (issue 18, item 11): PostgreSQL stopped, paused, or refusing one reading,
//! and one write failing among others. The server answers 503 with `Retry-After` ("try again in a
//! moment"), keeps nothing half-made, and serves again by itself once the database is back.
//! Stopping and pausing are PostgreSQL's: SQLite runs in the server's own process (its full disk
//! is in `store::unavailable`'s tests).
//!
//! Stopping and pausing need a cluster of the test's own, started with
//! `scripts/start-test-postgres` (as `.ci/run` starts the shared one), so that the other tests'
//! server is never touched.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::{Engine, TestApp, engines};
use domain::Role;
use serde_json::{Value, json};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL cluster of this test's own, removed when dropped.
struct Cluster {
    dir: PathBuf,
    url: String,
}

impl Cluster {
    /// Starts one, where the suite has PostgreSQL at all (`None` otherwise, like `engines()`).
    fn start(first_port: u16) -> Option<Self> {
        if !engines().contains(&Engine::Postgres) {
            return None;
        }
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/start-test-postgres");
        let out = Command::new(&script)
            .env("SAFEHARBOR_TEST_PG_PORT", first_port.to_string())
            .output()
            .expect("run start-test-postgres");
        assert!(
            out.status.success(),
            "start-test-postgres: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let value = |name: &str| {
            stdout
                .lines()
                .find_map(|line| line.strip_prefix(&format!("export {name}=")))
                .unwrap_or_else(|| panic!("{name} in {stdout}"))
                .to_owned()
        };
        Some(Self {
            dir: PathBuf::from(value("SAFEHARBOR_TEST_PG_DIR")),
            url: value("TEST_DATABASE_URL"),
        })
    }

    /// Runs `pg_ctl` as the cluster's owner.
    fn pg_ctl(&self, args: &[&str]) {
        let data = self.dir.join("data");
        let mut command = as_owner(&format!("{PG_BIN}/pg_ctl"));
        command.arg("-D").arg(&data).args(args);
        let out = command.output().expect("pg_ctl");
        assert!(
            out.status.success(),
            "pg_ctl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn stop(&self) {
        self.pg_ctl(&["-m", "fast", "-w", "stop"]);
    }

    fn start_again(&self) {
        let log = self.dir.join("postgres.log");
        self.pg_ctl(&["-l", log.to_str().unwrap(), "-w", "start"]);
    }

    /// The postmaster and every process it started.
    fn processes(&self) -> Vec<String> {
        let pid_file = std::fs::read_to_string(self.dir.join("data/postmaster.pid")).unwrap();
        let postmaster = pid_file.lines().next().unwrap().trim().to_owned();
        let children = Command::new("pgrep")
            .args(["-P", &postmaster])
            .output()
            .expect("pgrep");
        let mut all = vec![postmaster];
        all.extend(
            String::from_utf8_lossy(&children.stdout)
                .split_whitespace()
                .map(str::to_owned),
        );
        all
    }

    /// Stops (SIGSTOP) or resumes (SIGCONT) the whole cluster: connections stay open and
    /// nothing answers, as on a machine that froze.
    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(signal)
            .args(self.processes())
            .status()
            .expect("kill");
        assert!(status.success(), "kill {signal}");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-CONT")
            .args(self.processes())
            .status();
        let script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/start-test-postgres");
        let _ = Command::new(script).arg("--stop").arg(&self.dir).status();
    }
}

/// A command run as the cluster's owner: `postgres` when the tests run as root (PostgreSQL
/// refuses root), else ourselves, as `start-test-postgres` does.
fn as_owner(program: &str) -> Command {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.starts_with(b"0\n"));
    if root {
        let mut command = Command::new("runuser");
        command
            .args(["-u", "postgres", "--", program])
            .current_dir("/");
        command
    } else {
        Command::new(program)
    }
}

async fn get(t: &TestApp, token: &str, path: &str) -> reqwest::Response {
    t.http
        .get(t.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn create_client(t: &TestApp, token: &str, name: &str) -> reqwest::Response {
    t.http
        .post(t.url("/api/v1/clients"))
        .bearer_auth(token)
        .json(&json!({ "preferred_name": name }))
        .send()
        .await
        .unwrap()
}

/// A client made through the API (201); their id.
async fn new_client(t: &TestApp, token: &str, name: &str) -> String {
    let created = create_client(t, token, name).await;
    assert_eq!(created.status(), 201);
    created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Asserts a 503 "try again in a moment" from the API.
async fn assert_unavailable(response: reqwest::Response, what: &str) {
    assert_eq!(response.status(), 503, "{what}");
    assert_eq!(response.headers()["retry-after"], "5", "{what}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unavailable", "{what}: {body}");
}

/// Waits until `path` answers 200 again, without a restart: the pool reconnects by itself.
async fn until_served(t: &TestApp, token: &str, path: &str) {
    for _ in 0..120 {
        if get(t, token, path).await.status() == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("{path} was not served again after the database came back");
}

/// What a case manager's caseload holds, by name.
async fn caseload_names(t: &TestApp, token: &str) -> Vec<String> {
    let body: Value = get(t, token, "/api/v1/clients").await.json().await.unwrap();
    let mut names: Vec<String> = body["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["preferred_name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

async fn audit_verifies(t: &TestApp) {
    let verdict = t.app.verify_audit(&[], |_| {}).await.unwrap();
    assert!(verdict.is_ok(), "the audit chain verifies: {verdict:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_gives_503_keeps_nothing_half_made_and_is_served_again_when_back() {
    let Some(cluster) = Cluster::start(57100) else {
        return;
    };
    let t = TestApp::start_on(Some(cluster.url.clone()), Default::default()).await;
    let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
    let mut staff = common::staff::Staff::new(&t);
    staff.sign_in("ana.m", &secret).await;
    let record = format!(
        "/api/v1/clients/{}",
        new_client(&t, &ana.token, "Rosa").await
    );

    cluster.stop();
    assert_unavailable(get(&t, &ana.token, &record).await, "a read").await;
    assert_unavailable(create_client(&t, &ana.token, "Lost").await, "a write").await;
    let page = staff.get("/app/").await;
    assert_eq!(page.status, 503, "a staff page: {}", page.body);
    assert!(page.headers.contains_key("retry-after"));
    assert!(
        page.body.contains("Please try again in a moment"),
        "{}",
        page.body
    );

    cluster.start_again();
    until_served(&t, &ana.token, &record).await;
    assert_eq!(
        caseload_names(&t, &ana.token).await,
        ["Rosa"],
        "the write refused during the outage left nothing"
    );
    audit_verifies(&t).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_paused_gives_503_and_is_served_again_when_it_resumes() {
    let Some(cluster) = Cluster::start(57200) else {
        return;
    };
    let t = TestApp::start_on(Some(cluster.url.clone()), Default::default()).await;
    let ana = t.persona("ana.m", Role::CaseManager).await;
    let record = format!(
        "/api/v1/clients/{}",
        new_client(&t, &ana.token, "Rosa").await
    );

    cluster.signal("-STOP");
    // Nothing answers: the pool gives up on a connection after its timeout (10 s).
    assert_unavailable(get(&t, &ana.token, &record).await, "a read").await;
    assert_unavailable(create_client(&t, &ana.token, "Lost").await, "a write").await;
    cluster.signal("-CONT");

    until_served(&t, &ana.token, &record).await;
    assert_eq!(caseload_names(&t, &ana.token).await, ["Rosa"]);
    audit_verifies(&t).await;
}

/// On PostgreSQL one failed statement fails every later one in its transaction. A group commit
/// carries many people's requests in one, so a reading that fails (here: a table locked past the
/// database's `lock_timeout`, as an operator's or a migration's lock would) must fail only the
/// requests that asked for it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_that_fails_in_a_group_commit_fails_only_its_own_requests() {
    if !engines().contains(&Engine::Postgres) {
        return;
    }
    let url = common::fresh_postgres().await;
    let database = url.rsplit('/').next().unwrap().to_owned();
    let mut admin = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    let set = format!("ALTER DATABASE {database} SET lock_timeout = '2s'");
    sqlx::query(sqlx::AssertSqlSafe(set))
        .execute(&mut admin)
        .await
        .unwrap();
    let t = TestApp::start_on(Some(url.clone()), Default::default()).await;
    let ana = t.persona("ana.m", Role::CaseManager).await;
    let record = format!(
        "/api/v1/clients/{}",
        new_client(&t, &ana.token, "Rosa").await
    );
    let reads_before = count_reads(&t).await;

    // The caseload's reading looks at notes (each line's last note); a client's record does not.
    let mut locker = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    for sql in ["BEGIN", "LOCK TABLE notes IN ACCESS EXCLUSIVE MODE"] {
        sqlx::query(sql).execute(&mut locker).await.unwrap();
    }
    // The first caseload holds a batch of its own for the lock's two seconds; the next two
    // requests queue behind it and share the next batch.
    let first = tokio::spawn(request(&t, &ana.token, "/api/v1/clients"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let caseload = tokio::spawn(request(&t, &ana.token, "/api/v1/clients"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    let read = tokio::spawn(request(&t, &ana.token, &record));

    assert_eq!(
        read.await.unwrap(),
        200,
        "the client's record, in the same batch"
    );
    assert_eq!(first.await.unwrap(), 503, "the first caseload");
    assert_eq!(
        caseload.await.unwrap(),
        503,
        "the caseload in the same batch"
    );
    sqlx::query("ROLLBACK").execute(&mut locker).await.unwrap();
    assert_eq!(
        count_reads(&t).await,
        reads_before + 1,
        "the read that was answered is audited"
    );
    assert_eq!(caseload_names(&t, &ana.token).await, ["Rosa"]);
    audit_verifies(&t).await;
}

/// Services recorded at once share group commits with whatever else arrives with them. A write
/// that fails there (here a trigger refuses one client's sums, the last statement of recording a
/// service, after its row is written) is undone alone: nothing of it is kept, while the other
/// writes of its batch stand, each audited once. On PostgreSQL the failed statement would
/// otherwise fail every later one of the batch; on SQLite the service's row would be kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_that_fails_in_a_group_commit_is_undone_alone() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let ana = t.persona("ana.m", Role::CaseManager).await;
        let rosa = new_client(&t, &ana.token, "Rosa").await;
        let lena = new_client(&t, &ana.token, "Lena").await;
        refuse_sums_of(&t, &lena).await;

        let posts: Vec<_> = (0..16)
            .map(|i| {
                let client = if i % 2 == 0 { &rosa } else { &lena };
                tokio::spawn(post_service(&t, &ana.token, client))
            })
            .collect();
        let mut statuses = Vec::new();
        for post in posts {
            statuses.push(post.await.unwrap());
        }
        let (kept, refused): (Vec<_>, Vec<_>) =
            statuses.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        assert!(
            kept.iter().all(|(_, s)| **s == 201),
            "{engine:?}: Rosa's services: {statuses:?}"
        );
        assert!(
            refused.iter().all(|(_, s)| **s == 500),
            "{engine:?}: Lena's services: {statuses:?}"
        );

        let services = |client: &str| format!("/api/v1/clients/{client}/services");
        for (client, expected) in [(&rosa, 8), (&lena, 0)] {
            let listed: Value = get(&t, &ana.token, &services(client))
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(
                listed["services"].as_array().map(Vec::len),
                Some(expected),
                "{engine:?}: {listed}"
            );
        }
        let mut db = t.db().await;
        let first_served: Option<String> =
            sqlx::query_scalar("SELECT first_served_on FROM clients WHERE id = $1")
                .bind(&lena)
                .fetch_one(&mut db)
                .await
                .unwrap();
        assert_eq!(
            first_served, None,
            "{engine:?}: Lena's first service day was undone"
        );
        let created = t
            .audit()
            .await
            .iter()
            .filter(|e| e.action == "service.create")
            .count();
        assert_eq!(
            created, 8,
            "{engine:?}: each kept service audited once, no other"
        );
        audit_verifies(&t).await;
    }
}

/// Makes the database refuse every sum of `client`'s services, as a fault would.
async fn refuse_sums_of(t: &TestApp, client: &str) {
    let refusals = match t.engine {
        Engine::Sqlite => ["INSERT", "UPDATE"]
            .map(|on| {
                format!(
                    "CREATE TRIGGER refuse_{on} BEFORE {on} ON served_periods \
                     WHEN NEW.client_id = '{client}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            })
            .to_vec(),
        Engine::Postgres => vec![
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql \
             AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$"
                .to_owned(),
            format!(
                "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON served_periods FOR EACH ROW \
                 WHEN (NEW.client_id = '{client}') EXECUTE FUNCTION refuse()"
            ),
        ],
    };
    let mut db = t.db().await;
    for sql in refusals {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut db)
            .await
            .unwrap();
    }
}

/// Records a service for `client` through the API; the status.
fn post_service(
    t: &TestApp,
    token: &str,
    client: &str,
) -> impl std::future::Future<Output = u16> + Send + 'static {
    let url = t.url(&format!("/api/v1/clients/{client}/services"));
    let (http, token) = (t.http.clone(), token.to_owned());
    async move {
        let today = "2026-09-21";
        let service = json!({ "delivered_on": today, "code": "C4", "minutes": 30 });
        http.post(url)
            .bearer_auth(token)
            .json(&service)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

fn request(
    t: &TestApp,
    token: &str,
    path: &str,
) -> impl std::future::Future<Output = u16> + Send + 'static {
    let (http, url, token) = (t.http.clone(), t.url(path), token.to_owned());
    async move {
        http.get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

async fn count_reads(t: &TestApp) -> usize {
    t.audit()
        .await
        .iter()
        .filter(|event| event.action == "client.read")
        .count()
}

/// The server's clock jumps (a machine whose time was wrong is corrected, a virtual machine
/// resumes): backwards, nothing is refused or lost and the audit chain still verifies, though
/// its times then step back; forwards, sessions end as their rules say, and nothing else does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_jumps_keep_records_sessions_and_the_chain_whole() {
    for engine in engines() {
        let t = TestApp::start(engine).await;
        let (ana, secret) = t.enrolled("ana.m", Role::CaseManager).await;
        let mut staff = common::staff::Staff::new(&t);
        staff.sign_in("ana.m", &secret).await;
        let rosa = new_client(&t, &ana.token, "Rosa").await;

        t.clock.advance_minutes(-120);
        assert_eq!(
            staff.get("/app/").await.status,
            200,
            "{engine:?}: the session"
        );
        let after = create_client(&t, &ana.token, "Lupe").await;
        assert_eq!(after.status(), 201, "{engine:?}");
        let note = t
            .http
            .post(t.url(&format!("/api/v1/clients/{rosa}/notes")))
            .bearer_auth(&ana.token)
            .json(&json!({ "text": "Met at the drop-in." }))
            .send()
            .await
            .unwrap();
        assert_eq!(
            note.status(),
            201,
            "{engine:?}: a note written 'before' the last one"
        );
        let notes: Value = get(&t, &ana.token, &format!("/api/v1/clients/{rosa}/notes"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            notes["notes"].as_array().map(Vec::len),
            Some(1),
            "{engine:?}"
        );
        assert_eq!(caseload_names(&t, &ana.token).await, ["Lupe", "Rosa"]);
        audit_verifies(&t).await;

        // Forwards past the session's idle limit: signed out, as after any 15 idle minutes;
        // the API token (90 days) still works.
        t.clock.advance_minutes(120 + 16);
        let page = staff.get("/app/").await;
        assert_eq!(page.status, 303, "{engine:?}: an idle session ends");
        assert_eq!(caseload_names(&t, &ana.token).await, ["Lupe", "Rosa"]);
        staff.sign_in("ana.m", &secret).await;
        assert_eq!(
            staff.get("/app/").await.status,
            200,
            "{engine:?}: signed in again"
        );
        audit_verifies(&t).await;
    }
}
