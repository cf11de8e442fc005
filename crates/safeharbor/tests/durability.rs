//! Tests that drive the real `safeharbor` binary as separate processes:
//!
//! - acknowledged writes survive `kill -9` under write load, on SQLite and on PostgreSQL, and the
//!   audit chain still verifies afterwards (SECURITY.md P18, P9);
//! - two `safeharbor serve` processes on one PostgreSQL database keep one audit chain (DESIGN.md);
//! - canary markers written through the API never reach the data folder, the WAL, the key store,
//!   a backup, or any process's output, even with debug logging (P2, P5).
//!
//! The PostgreSQL tests run when `TEST_DATABASE_URL` is set (see `scripts/start-test-postgres`)
//! and pass without doing anything otherwise. They create a database of their own with `psql`.
//!
//! The tests take a lock so that they run one at a time: they are timing-sensitive and the
//! machines they run on are small.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_safeharbor");

/// How long a server may take to say it is listening.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a command-line run may take.
const CLI_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a process may take to exit after SIGKILL or SIGTERM.
const EXIT_TIMEOUT: Duration = Duration::from_secs(15);
/// The longest a single HTTP request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// One test at a time (see the module comment).
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn random_hex() -> String {
    format!("{:016x}", rand::thread_rng().r#gen::<u64>())
}

fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(3))
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("HTTP client")
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// A child process that is killed (SIGKILL) and reaped when dropped, so that a failing test
/// leaves nothing running.
struct Proc {
    name: String,
    child: Child,
}

impl Proc {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL (what `Child::kill` sends on Unix).
    fn kill9(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.child
                .kill()
                .unwrap_or_else(|e| panic!("could not kill {}: {e}", self.name));
        }
    }

    /// SIGTERM, through the `kill` command.
    fn terminate(&self) {
        let status = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM {} failed", self.pid());
    }

    async fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                self.kill9();
                panic!("{} did not exit within {timeout:?}", self.name);
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A running `safeharbor serve`.
struct Server {
    proc: Proc,
    /// `http://127.0.0.1:PORT`
    base: String,
    stderr: PathBuf,
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// kill -9, then reap.
    async fn kill9(&mut self) {
        self.proc.kill9();
        self.proc.wait(EXIT_TIMEOUT).await;
    }

    /// SIGTERM; the server must shut down cleanly.
    async fn stop(&mut self) {
        self.proc.terminate();
        let status = self.proc.wait(EXIT_TIMEOUT).await;
        assert!(
            status.success(),
            "{} exited with {status} after SIGTERM; stderr:\n{}",
            self.proc.name,
            tail(&self.stderr)
        );
    }
}

struct CliOutput {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

fn tail(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// One test's instance: a temp folder holding the data folder, the processes' output and a
/// TMPDIR for them, and optionally a PostgreSQL database.
struct Instance {
    root: tempfile::TempDir,
    data_dir: PathBuf,
    logs: PathBuf,
    tmp: PathBuf,
    database_url: Option<String>,
    rust_log: &'static str,
    next: AtomicU32,
}

impl Instance {
    fn new(database_url: Option<String>, rust_log: &'static str) -> Self {
        let root = tempfile::Builder::new()
            .prefix("safeharbor-durability-")
            .tempdir()
            .expect("temp dir");
        let data_dir = root.path().join("data");
        let logs = root.path().join("logs");
        let tmp = root.path().join("tmp");
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::create_dir_all(&tmp).unwrap();
        Self {
            root,
            data_dir,
            logs,
            tmp,
            database_url,
            rust_log,
            next: AtomicU32::new(0),
        }
    }

    fn storage_args(&self) -> Vec<OsString> {
        let mut args = vec!["--data-dir".into(), self.data_dir.clone().into_os_string()];
        if let Some(url) = &self.database_url {
            args.push("--database-url".into());
            args.push(url.into());
        }
        args
    }

    /// The binary with a clean environment: our storage flags only, our log level, our TMPDIR.
    fn command(&self) -> Command {
        let mut cmd = Command::new(BIN);
        for var in [
            "SAFEHARBOR_DATA_DIR",
            "SAFEHARBOR_DATABASE_URL",
            "SAFEHARBOR_KEY_FILE",
            "SAFEHARBOR_LISTEN",
            "SAFEHARBOR_BEHIND_PROXY",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("RUST_LOG", self.rust_log)
            .env("TMPDIR", &self.tmp)
            .stdin(Stdio::null());
        cmd
    }

    /// Fresh files for a process's stdout and stderr.
    fn output_files(&self, name: &str) -> (PathBuf, PathBuf) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        (
            self.logs.join(format!("{n:03}-{name}.stdout")),
            self.logs.join(format!("{n:03}-{name}.stderr")),
        )
    }

    /// Runs `safeharbor ARGS... STORAGE-FLAGS` to completion (with a timeout).
    async fn cli(&self, name: &str, args: &[&str]) -> CliOutput {
        let (out, err) = self.output_files(name);
        let mut cmd = self.command();
        cmd.args(args)
            .args(self.storage_args())
            .stdout(File::create(&out).unwrap())
            .stderr(File::create(&err).unwrap());
        let mut proc = Proc {
            name: format!("safeharbor {}", args.join(" ")),
            child: cmd.spawn().expect("spawn safeharbor"),
        };
        let status = proc.wait(CLI_TIMEOUT).await;
        CliOutput {
            status,
            stdout: std::fs::read_to_string(&out).unwrap_or_default(),
            stderr: std::fs::read_to_string(&err).unwrap_or_default(),
        }
    }

    /// Adds a case manager and returns their API token (the last line `users add` prints).
    async fn add_case_manager(&self, username: &str) -> String {
        self.add_staff(username, "case-manager").await
    }

    /// Adds a member of staff with `role` from the command line: their API token.
    async fn add_staff(&self, username: &str, role: &str) -> String {
        let out = self
            .cli(
                "users-add",
                &["users", "add", "--username", username, "--role", role],
            )
            .await;
        assert!(
            out.status.success(),
            "users add failed ({}):\n{}\n{}",
            out.status,
            out.stdout,
            out.stderr
        );
        out.stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .expect("a token line")
            .trim()
            .to_owned()
    }

    /// How many audit events of `action` name each target, read straight from the records
    /// database while no server runs.
    async fn audit_counts(&self, action: &str) -> std::collections::HashMap<String, usize> {
        let url = self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}",
                self.data_dir.join("records.sqlite").display()
            )
        });
        sqlx::any::install_default_drivers();
        let mut db = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .expect("open the records database");
        let targets: Vec<Option<String>> =
            sqlx::query_scalar("SELECT target FROM audit_events WHERE action = $1")
                .bind(action)
                .fetch_all(&mut db)
                .await
                .expect("read the audit events");
        let mut counts = std::collections::HashMap::new();
        for target in targets.into_iter().flatten() {
            *counts.entry(target).or_default() += 1;
        }
        counts
    }

    /// `audit verify`: must succeed; returns the number of events it checked.
    async fn audit_verify(&self) -> u64 {
        let out = self.cli("audit-verify", &["audit", "verify"]).await;
        assert!(
            out.status.success(),
            "audit verify failed ({}):\n{}\n{}",
            out.status,
            out.stdout,
            out.stderr
        );
        let line = out
            .stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix("audit chain verified: "))
            .unwrap_or_else(|| panic!("no verdict line in:\n{}", out.stdout));
        line.split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no event count in {line:?}"))
    }

    /// Starts `safeharbor serve` on a free loopback port and waits until it says it listens.
    async fn serve(&self, name: &str) -> Server {
        let (out, err) = self.output_files(name);
        let mut cmd = self.command();
        cmd.arg("serve")
            .args(self.storage_args())
            .args(["--listen", "127.0.0.1:0"])
            .stdout(File::create(&out).unwrap())
            .stderr(File::create(&err).unwrap());
        let mut proc = Proc {
            name: format!("server {name}"),
            child: cmd.spawn().expect("spawn safeharbor serve"),
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            let text = std::fs::read_to_string(&out).unwrap_or_default();
            // Only whole lines: the last one may still be being written.
            let complete = &text[..text.rfind('\n').map_or(0, |i| i + 1)];
            if let Some(base) = complete
                .lines()
                .find_map(|l| l.trim().strip_prefix("listening on "))
            {
                return Server {
                    proc,
                    base: base.trim_end_matches('/').to_owned(),
                    stderr: err,
                };
            }
            if let Some(status) = proc.child.try_wait().expect("try_wait") {
                panic!(
                    "server {name} exited with {status} before listening; stderr:\n{}",
                    tail(&err)
                );
            }
            assert!(
                Instant::now() < deadline,
                "server {name} did not start listening within {STARTUP_TIMEOUT:?}; stderr:\n{}",
                tail(&err)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

/// A database of its own on the test server; dropped by `drop_database` once the test passed
/// (a failed test leaves it behind for a look).
struct Database {
    admin_url: String,
    name: String,
    url: String,
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

fn psql(url: &str, sql: &str) -> Result<(), String> {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
        .env("PGCONNECT_TIMEOUT", "10")
        .env("PGOPTIONS", "-c statement_timeout=60000")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run psql: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// `url` with its database (the last path segment) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let (prefix, _) = base
        .rsplit_once('/')
        .expect("TEST_DATABASE_URL names a database");
    match query {
        Some(query) => format!("{prefix}/{name}?{query}"),
        None => format!("{prefix}/{name}"),
    }
}

impl Database {
    /// A fresh database, or `None` when `TEST_DATABASE_URL` is not set.
    fn fresh(purpose: &str) -> Option<Self> {
        let admin_url = store::conformance::test_database_url()?;
        let name = format!(
            "sh_{purpose}_{}_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed),
            &random_hex()[..8]
        );
        psql(&admin_url, &format!("CREATE DATABASE {name}"))
            .unwrap_or_else(|e| panic!("could not create database {name}: {e}"));
        let url = with_database(&admin_url, &name);
        Some(Self {
            admin_url,
            name,
            url,
        })
    }

    fn drop_database(self) {
        if let Err(e) = psql(
            &self.admin_url,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        ) {
            eprintln!("note: could not drop test database {}: {e}", self.name);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// kill -9 under write load (P18)
// ---------------------------------------------------------------------------------------------

const CYCLES: u32 = 6;
const WRITERS: u32 = 8;

/// A write the server acknowledged with 201 and a complete response.
#[derive(Debug, Clone)]
struct Ack {
    id: String,
    preferred_name: String,
    legal_name: String,
    /// (note id, text) if the note on this client was acknowledged too.
    note: Option<(String, String)>,
}

#[derive(Debug, Default)]
struct WriterReport {
    acks: Vec<Ack>,
    /// Anything other than a 201 before the kill, or any non-201 status at all.
    unexpected: Vec<String>,
}

enum Posted {
    /// 201 with the whole response, carrying the new record's id: acknowledged.
    Created(String),
    /// Answered, but not with 201 (recorded as unexpected).
    Skip,
    /// The server is gone.
    Stop,
}

/// POSTs `body`; a write counts as acknowledged only once its whole 201 response has arrived.
async fn post_for_id(
    http: &reqwest::Client,
    url: &str,
    token: &str,
    body: &Value,
    what: &str,
    killed: &AtomicBool,
    report: &mut WriterReport,
) -> Posted {
    let response = match http.post(url).bearer_auth(token).json(body).send().await {
        Ok(response) => response,
        Err(err) => {
            if !killed.load(Ordering::SeqCst) {
                report
                    .unexpected
                    .push(format!("POST {what} failed before the kill: {err}"));
            }
            return Posted::Stop;
        }
    };
    let status = response.status();
    if status != reqwest::StatusCode::CREATED {
        let text = response.text().await.unwrap_or_default();
        report
            .unexpected
            .push(format!("POST {what} answered {status}: {text}"));
        return Posted::Skip;
    }
    let Ok(created) = response.json::<Value>().await else {
        return Posted::Stop;
    };
    let id = created["id"]
        .as_str()
        .unwrap_or_else(|| panic!("201 without an id: {created}"));
    Posted::Created(id.to_owned())
}

/// Writes clients (and a note on each) as fast as the server takes them, until the server is gone.
async fn writer(
    http: reqwest::Client,
    base: String,
    token: String,
    tag: String,
    killed: Arc<AtomicBool>,
) -> WriterReport {
    let mut report = WriterReport::default();
    let mut seq = 0u32;
    while report.unexpected.len() < 20 {
        seq += 1;
        let preferred_name = format!("Pref {tag}-{seq}");
        let legal_name = format!("Legal Name {tag}-{seq}");
        let body = json!({
            "preferred_name": preferred_name,
            "legal_name": legal_name,
            "date_of_birth": "1990-04-17",
            "contact": format!("text only, after 6pm ({tag}-{seq})"),
            "languages": ["es", "en"],
        });
        let url = format!("{base}/api/v1/clients");
        let id = match post_for_id(&http, &url, &token, &body, "client", &killed, &mut report).await
        {
            Posted::Created(id) => id,
            Posted::Skip => continue,
            Posted::Stop => break,
        };
        report.acks.push(Ack {
            id: id.clone(),
            preferred_name,
            legal_name,
            note: None,
        });

        let text = format!("Met at the drop-in; note {tag}-{seq}.");
        let url = format!("{base}/api/v1/clients/{id}/notes");
        let note = json!({ "text": text });
        let note_id =
            match post_for_id(&http, &url, &token, &note, "note", &killed, &mut report).await {
                Posted::Created(id) => id,
                Posted::Skip => continue,
                Posted::Stop => break,
            };
        if let Some(last) = report.acks.last_mut() {
            last.note = Some((note_id, text));
        }
    }
    report
}

/// GETs `url` with `token` and reads the JSON answered, or says what went wrong.
async fn read_back(http: &reqwest::Client, url: &str, token: &str) -> Result<Value, String> {
    let response = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("GET failed: {e}"))?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        let body = response.text().await.unwrap_or_default();
        return Err(format!("answered {status}: {body}"));
    }
    response.json().await.map_err(|e| format!("not JSON: {e}"))
}

/// Reads back every acknowledged client and note; returns what is missing or wrong.
async fn check_acks(
    http: reqwest::Client,
    base: String,
    token: String,
    acks: Vec<Ack>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for ack in acks {
        let url = format!("{base}/api/v1/clients/{}", ack.id);
        let client = match read_back(&http, &url, &token).await {
            Ok(client) => client,
            Err(problem) => {
                let name = &ack.preferred_name;
                problems.push(format!(
                    "acknowledged client {} ({name}): {problem}",
                    ack.id
                ));
                continue;
            }
        };
        if client["preferred_name"] != ack.preferred_name.as_str()
            || client["legal_name"] != ack.legal_name.as_str()
        {
            problems.push(format!(
                "client {} reads back as {:?}/{:?}, was written as {:?}/{:?}",
                ack.id,
                client["preferred_name"],
                client["legal_name"],
                ack.preferred_name,
                ack.legal_name
            ));
        }

        let Some((note_id, text)) = &ack.note else {
            continue;
        };
        let url = format!("{base}/api/v1/clients/{}/notes", ack.id);
        let notes = match read_back(&http, &url, &token).await {
            Ok(notes) => notes,
            Err(problem) => {
                problems.push(format!(
                    "notes of acknowledged client {}: {problem}",
                    ack.id
                ));
                continue;
            }
        };
        let found = notes["notes"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|n| n["id"] == note_id.as_str() && n["text"] == text.as_str());
        if !found {
            problems.push(format!(
                "acknowledged note {note_id} on client {} is missing or changed: {notes}",
                ack.id
            ));
        }
    }
    problems
}

/// The kill -9 harness, for whichever storage `instance` uses.
async fn acknowledged_writes_survive_kill_9(instance: &Instance, label: &str) {
    let started = Instant::now();
    let token = instance.add_case_manager("dana.k").await;
    let http = http();
    let run = random_hex();
    let mut acks: Vec<Ack> = Vec::new();
    let mut unexpected: Vec<String> = Vec::new();
    let mut per_cycle = Vec::new();

    for cycle in 0..CYCLES {
        let mut server = instance.serve(&format!("cycle-{cycle}")).await;
        let killed = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                tokio::spawn(writer(
                    http.clone(),
                    server.base.clone(),
                    token.clone(),
                    format!("{}-c{cycle}-w{w}", &run[..6]),
                    killed.clone(),
                ))
            })
            .collect();
        let delay = rand::thread_rng().gen_range(200..=800);
        tokio::time::sleep(Duration::from_millis(delay)).await;
        killed.store(true, Ordering::SeqCst);
        server.kill9().await;

        let mut cycle_acks = 0;
        for handle in writers {
            let report = tokio::time::timeout(REQUEST_TIMEOUT + Duration::from_secs(5), handle)
                .await
                .expect("a writer did not stop after the kill")
                .expect("writer task");
            cycle_acks += report.acks.len();
            acks.extend(report.acks);
            unexpected.extend(
                report
                    .unexpected
                    .into_iter()
                    .map(|u| format!("cycle {cycle}: {u}")),
            );
        }
        per_cycle.push((delay, cycle_acks));
    }
    assert!(
        unexpected.is_empty(),
        "{label}: {} requests failed while the server was up (first ones):\n{}",
        unexpected.len(),
        unexpected[..unexpected.len().min(20)].join("\n")
    );
    let notes = acks.iter().filter(|a| a.note.is_some()).count();
    assert!(
        !acks.is_empty(),
        "{label}: no write was acknowledged at all"
    );

    // Each acknowledged write committed with an audit event of its own, counted before anything
    // is read back (reading back is audited too, so a total could not tell the two apart).
    let created = instance.audit_counts("client.create").await;
    let noted = instance.audit_counts("note.create").await;
    for ack in &acks {
        let target = format!("client:{}", ack.id);
        assert_eq!(
            created.get(&target),
            Some(&1),
            "{label}: acknowledged client {} has no creation event of its own",
            ack.id
        );
        if ack.note.is_some() {
            assert!(
                noted.get(&target).is_some_and(|n| *n >= 1),
                "{label}: the acknowledged note on {} has no event",
                ack.id
            );
        }
    }

    // Read every acknowledged write back through a fresh server.
    let mut server = instance.serve("verify").await;
    let chunk = acks.len().div_ceil(8);
    let checkers: Vec<_> = acks
        .chunks(chunk)
        .map(|part| {
            tokio::spawn(check_acks(
                http.clone(),
                server.base.clone(),
                token.clone(),
                part.to_vec(),
            ))
        })
        .collect();
    let mut problems = Vec::new();
    for checker in checkers {
        problems.extend(
            tokio::time::timeout(Duration::from_secs(120), checker)
                .await
                .expect("reading back took too long")
                .expect("checker task"),
        );
    }
    server.stop().await;
    assert!(
        problems.is_empty(),
        "{label}: {} of {} acknowledged clients/notes lost or wrong after kill -9 (first ones):\n{}",
        problems.len(),
        acks.len() + notes,
        problems[..problems.len().min(20)].join("\n")
    );

    let events = instance.audit_verify().await;
    // Each acknowledged write committed with its audit event, and so did each read-back.
    let acked_writes = (acks.len() + notes) as u64;
    assert!(
        events >= acked_writes,
        "{label}: audit chain has {events} events, fewer than the {acked_writes} acknowledged writes"
    );
    println!(
        "{label}: {CYCLES} kill -9 cycles (delay ms, acknowledged clients per cycle: {per_cycle:?}); \
         {} acknowledged clients and {notes} acknowledged notes all read back intact; \
         audit chain verified with {events} events; {:.1?}",
        acks.len(),
        started.elapsed()
    );
}

#[test]
fn acknowledged_writes_survive_kill_9_on_sqlite() {
    let _serial = serial();
    runtime().block_on(async {
        let instance = Instance::new(None, "info");
        acknowledged_writes_survive_kill_9(&instance, "sqlite").await;
    });
}

#[test]
fn acknowledged_writes_survive_kill_9_on_postgres() {
    let _serial = serial();
    let Some(db) = Database::fresh("kill9") else {
        return;
    };
    runtime().block_on(async {
        let instance = Instance::new(Some(db.url.clone()), "info");
        acknowledged_writes_survive_kill_9(&instance, "postgres").await;
    });
    db.drop_database();
}

// ---------------------------------------------------------------------------------------------
// Two servers, one PostgreSQL database, one audit chain
// ---------------------------------------------------------------------------------------------

const SHARED_CLIENTS: u32 = 200;
const TASKS_PER_SERVER: u32 = 8;

/// Creates clients on `own` and reads each back through `other`; returns (creates, reads,
/// problems).
async fn create_here_read_there(
    http: reqwest::Client,
    own: String,
    other: String,
    token: String,
    items: Vec<u32>,
) -> (u64, u64, Vec<String>) {
    let (mut creates, mut reads, mut problems) = (0, 0, Vec::new());
    for k in items {
        let preferred = format!("Shared {k}");
        let legal = format!("Shared Legal {k}");
        let response = http
            .post(format!("{own}/api/v1/clients"))
            .bearer_auth(&token)
            .json(&json!({"preferred_name": preferred, "legal_name": legal}))
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("POST client {k} to {own}: {e}"));
                continue;
            }
        };
        let status = response.status();
        if status != reqwest::StatusCode::CREATED {
            problems.push(format!(
                "POST client {k} to {own} answered {status}: {}",
                response.text().await.unwrap_or_default()
            ));
            continue;
        }
        creates += 1;
        let id = response.json::<Value>().await.expect("JSON")["id"]
            .as_str()
            .expect("id")
            .to_owned();
        let response = http
            .get(format!("{other}/api/v1/clients/{id}"))
            .bearer_auth(&token)
            .send()
            .await;
        match response {
            Ok(r) if r.status() == reqwest::StatusCode::OK => {
                reads += 1;
                let client: Value = r.json().await.expect("JSON");
                if client["preferred_name"] != preferred.as_str()
                    || client["legal_name"] != legal.as_str()
                {
                    problems.push(format!(
                        "client {k} reads back wrong through {other}: {client}"
                    ));
                }
            }
            Ok(r) => problems.push(format!(
                "GET client {k} from {other} answered {}: {}",
                r.status(),
                r.text().await.unwrap_or_default()
            )),
            Err(e) => problems.push(format!("GET client {k} from {other}: {e}")),
        }
    }
    (creates, reads, problems)
}

#[test]
fn two_servers_on_one_postgres_keep_one_audit_chain() {
    let _serial = serial();
    let Some(db) = Database::fresh("two") else {
        return;
    };
    runtime().block_on(async {
        let started = Instant::now();
        // One data folder for both: it holds the key file they share.
        let instance = Instance::new(Some(db.url.clone()), "info");
        let token = instance.add_case_manager("sam.r").await;
        let mut a = instance.serve("server-a").await;
        let mut b = instance.serve("server-b").await;
        let http = http();

        let lanes = 2 * TASKS_PER_SERVER;
        let mut tasks = Vec::new();
        for lane in 0..lanes {
            let (own, other) = if lane < TASKS_PER_SERVER {
                (&a.base, &b.base)
            } else {
                (&b.base, &a.base)
            };
            let items: Vec<u32> = (0..SHARED_CLIENTS).filter(|k| k % lanes == lane).collect();
            tasks.push(tokio::spawn(create_here_read_there(
                http.clone(),
                own.clone(),
                other.clone(),
                token.clone(),
                items,
            )));
        }
        let (mut creates, mut reads, mut problems) = (0u64, 0u64, Vec::new());
        for task in tasks {
            let (c, r, p) = tokio::time::timeout(Duration::from_secs(120), task)
                .await
                .expect("the writers took too long")
                .expect("writer task");
            creates += c;
            reads += r;
            problems.extend(p);
        }
        a.kill9().await;
        b.kill9().await;
        assert!(
            problems.is_empty(),
            "{} requests failed across two servers (first ones):\n{}",
            problems.len(),
            problems[..problems.len().min(20)].join("\n")
        );
        assert_eq!(creates, u64::from(SHARED_CLIENTS));
        assert_eq!(reads, u64::from(SHARED_CLIENTS));

        let events = instance.audit_verify().await;
        assert!(
            events >= creates + reads,
            "the audit chain holds {events} events, fewer than the {creates} creations and {reads} reads"
        );
        println!(
            "two servers on one PostgreSQL: {creates} clients created and {reads} read across them; \
             audit chain verified with {events} events; {:.1?}",
            started.elapsed()
        );
    });
    db.drop_database();
}

// ---------------------------------------------------------------------------------------------
// Canary markers never reach the disk or the logs (P2, P5)
// ---------------------------------------------------------------------------------------------

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
        let entry = entry.unwrap();
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files_under(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

/// Every file under `root` with its size, and "MARKER in FILE" for each marker found in one.
fn scan(root: &Path, markers: &[&str]) -> (Vec<(PathBuf, u64)>, Vec<String>) {
    let mut files = Vec::new();
    files_under(root, &mut files);
    let mut sized = Vec::new();
    let mut found = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()));
        for m in markers {
            if contains(&bytes, m.as_bytes()) {
                found.push(format!("{m} in {}", file.display()));
            }
        }
        sized.push((file, bytes.len() as u64));
    }
    (sized, found)
}

/// Sends a request that must be refused with a 4xx whose body does not repeat `marker`; returns
/// the status, or what was wrong.
async fn refused(
    request: reqwest::RequestBuilder,
    what: &str,
    marker: &str,
) -> Result<u16, String> {
    let response = request.send().await.expect(what);
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    if !status.is_client_error() {
        return Err(format!("{what}: expected a 4xx, got {status}: {body}"));
    }
    if body.contains(marker) {
        return Err(format!(
            "{what}: the {status} response repeats what was sent: {body}"
        ));
    }
    Ok(status.as_u16())
}

/// Sealed columns this run cannot write, because only the staff pages do: their contents are
/// scanned for in the browser's profile by `staff_browser.rs`, not yet on disk here.
const NOT_REACHED_BY_THE_API: &[&str] = &[
    "credentials.totp_secret",
    "emergency_access.reason",
    "emergency_access.review_comment",
    "screening_drafts.answers",
];

/// The columns the classification registry says are sealed that hold no value at all in the
/// records database in `data`, as `table.column`, in the registry's order.
async fn sealed_columns_left_empty(data: &Path) -> Vec<String> {
    use domain::classification::{Home, TABLES};
    let (store, _) = store_sqlite::open(data, domain::Timestamp::from_unix_millis(0))
        .await
        .expect("open the records");
    let mut empty = Vec::new();
    for table in TABLES.iter().filter(|t| t.home == Home::Records) {
        for column in table.columns.iter().filter(|c| c.encrypted) {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM {} WHERE {} IS NOT NULL",
                table.name, column.name
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(store.pool())
                .await
                .expect("count a sealed column");
            if sqlx::Row::try_get::<i64, _>(&row, "n").expect("a count") == 0 {
                empty.push(format!("{}.{}", table.name, column.name));
            }
        }
    }
    empty
}

#[test]
fn canary_never_reaches_disk_or_logs() {
    let _serial = serial();
    runtime().block_on(async {
        let started = Instant::now();
        let instance = Instance::new(None, "debug");
        let token = instance.add_case_manager("lee.c").await;
        let lead = instance.add_staff("kim.s", "supervisor").await;
        let program = instance
            .cli(
                "programs-add",
                &["programs", "add", "--code", "drop-in", "--name", "Drop-in"],
            )
            .await;
        assert!(program.status.success(), "{}", program.stderr);
        let mut server = instance.serve("canary").await;
        let http = http();

        let hex = random_hex();
        let marker = |what: &str| format!("CANARY-{hex}-{what}");
        let preferred = marker("PREFERRED");
        let legal = marker("LEGAL");
        let contact = marker("CONTACT");
        let language_a = marker("LANGA");
        let language_b = marker("LANGB");
        let note = marker("NOTE");
        let safe_contact = marker("SAFECONTACT");
        let code_word = marker("CODEWORD");
        let do_not_contact = marker("DONOTCONTACT");
        // Markers the server refuses, so never returns.
        let bad_field = marker("BADFIELD");
        let bad_type = marker("BADTYPE");
        let bad_date = marker("BADDATE");
        let bad_note = marker("BADNOTE");
        let in_path = marker("INPATH");
        let in_query = marker("INQUERY");
        let in_token = marker("INTOKEN");
        let in_purpose = marker("INPURPOSE");
        let present = marker("PRESENT");
        let contact_note = marker("CONTACTNOTE");
        let service_note = marker("SERVICENOTE");
        let need_note = marker("NEEDNOTE");
        let needs_note = marker("NEEDSNOTE");
        let alias = marker("ALIAS");
        let legal_new = marker("LEGALNEW");
        let recipient = marker("RECIPIENT");
        let share_purpose = marker("SHAREPURPOSE");
        let witness = marker("WITNESS");
        let referral_note = marker("REFERRALNOTE");
        let step_note = marker("STEPNOTE");
        let goal_words = marker("GOALWORDS");
        let plan_step = marker("PLANSTEP");
        let review_note = marker("REVIEWNOTE");
        let closure_note = marker("CLOSURENOTE");
        let reach_how = marker("REACHHOW");
        let outcome_note = marker("OUTCOMENOTE");
        let stored = [
            &preferred,
            &legal,
            &contact,
            &language_a,
            &language_b,
            &note,
            &safe_contact,
            &code_word,
            &do_not_contact,
            &present,
            &contact_note,
            &service_note,
            &need_note,
            &needs_note,
            &alias,
            &legal_new,
            &recipient,
            &share_purpose,
            &witness,
            &referral_note,
            &step_note,
            &goal_words,
            &plan_step,
            &review_note,
            &closure_note,
            &reach_how,
            &outcome_note,
        ];

        // Write them.
        let response = http
            .post(server.url("/api/v1/clients"))
            .bearer_auth(&token)
            .json(&json!({
                "preferred_name": preferred,
                "legal_name": legal,
                "date_of_birth": "1987-11-23",
                "contact": contact,
                "languages": [language_a, language_b],
                "aliases": [alias],
                "safety": {
                    "safe_contact": safe_contact,
                    "code_word": code_word,
                    "do_not_contact": do_not_contact,
                },
            }))
            .send()
            .await
            .expect("POST client");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        let id = response.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let response = http
            .post(server.url(&format!("/api/v1/clients/{id}/notes")))
            .bearer_auth(&token)
            .json(&json!({ "text": note }))
            .send()
            .await
            .expect("POST note");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        // A screening and a determination (coded answers and facts, sealed like the rest), so
        // that every sealed column the API writes holds something the scan looks through.
        for (path, body) in [
            (
                "screenings",
                json!({"instrument": "qyit-4", "answers": {"traded-sex": "yes"}}),
            ),
            (
                "determinations",
                json!({"facts": {"actions": {"harboring": true}},
                       "sources": {"actions.harboring": "own-account"}}),
            ),
        ] {
            let response = http
                .post(server.url(&format!("/api/v1/clients/{id}/{path}")))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .expect("POST screening or determination");
            assert_eq!(response.status(), reqwest::StatusCode::CREATED, "{path}");
        }

        // Read them back, so that reads are logged too, and prove they were stored.
        let client = read_back(&http, &server.url(&format!("/api/v1/clients/{id}")), &token)
            .await
            .expect("GET client");
        assert_eq!(client["preferred_name"], preferred.as_str());
        assert_eq!(client["legal_name"], legal.as_str());
        assert_eq!(client["contact"], contact.as_str());
        assert_eq!(client["languages"], json!([language_a, language_b]));
        assert_eq!(
            client["safety"]["code_word"],
            code_word.as_str(),
            "{client}"
        );
        let notes = read_back(
            &http,
            &server.url(&format!("/api/v1/clients/{id}/notes")),
            &token,
        )
        .await
        .expect("GET notes");
        assert_eq!(notes["notes"][0]["text"], note.as_str(), "{notes}");
        // A contact, dated when the note was written (the server's own clock), with who was
        // there and its note sealed; read back like the rest.
        let contacts = server.url(&format!("/api/v1/clients/{id}/contacts"));
        let response = http
            .post(&contacts)
            .bearer_auth(&token)
            .json(
                &json!({"occurred_at": notes["notes"][0]["created_at"], "method": "phone",
                          "reached": false, "present": present, "note": contact_note}),
            )
            .send()
            .await
            .expect("POST contact");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        let logged = read_back(&http, &contacts, &token)
            .await
            .expect("GET contacts");
        assert_eq!(
            logged["contacts"][0]["present"],
            present.as_str(),
            "{logged}"
        );
        assert_eq!(logged["contacts"][0]["note"], contact_note.as_str());
        // A service given the day the note was written, its note sealed.
        let services = server.url(&format!("/api/v1/clients/{id}/services"));
        let day = &notes["notes"][0]["created_at"].as_str().unwrap()[..10];
        let response = http
            .post(&services)
            .bearer_auth(&token)
            .json(&json!({"delivered_on": day, "code": "C1", "note": service_note}))
            .send()
            .await
            .expect("POST service");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        let given = read_back(&http, &services, &token)
            .await
            .expect("GET services");
        assert_eq!(
            given["services"][0]["note"],
            service_note.as_str(),
            "{given}"
        );
        // A needs assessment on the same day, with a note on one domain and one on the whole,
        // sealed; read back like the rest.
        let needs = server.url(&format!("/api/v1/clients/{id}/needs"));
        let response = http
            .post(&needs)
            .bearer_auth(&token)
            .json(&json!({"assessed_on": day,
                          "needs": {"housing": {"level": "urgent", "note": need_note}},
                          "note": needs_note}))
            .send()
            .await
            .expect("POST needs");
        assert_eq!(response.status(), reqwest::StatusCode::CREATED);
        let assessed = read_back(&http, &needs, &token).await.expect("GET needs");
        let current = &assessed["assessments"][0];
        assert_eq!(
            current["needs"]["housing"]["note"],
            need_note.as_str(),
            "{assessed}"
        );
        assert_eq!(current["note"], needs_note.as_str());
        // A goal of the service plan with a step, and a review of it, on the same day.
        let plan = server.url(&format!("/api/v1/clients/{id}/plan"));
        for (rest, body) in [
            (
                "goals",
                json!({"words": goal_words, "set_on": day,
                       "steps": [{"words": plan_step, "owner": "client", "target_on": day}]}),
            ),
            ("reviews", json!({"reviewed_on": day, "note": review_note})),
        ] {
            let response = http
                .post(format!("{plan}/{rest}"))
                .bearer_auth(&token)
                .json(&body)
                .send()
                .await
                .expect("POST plan");
            assert_eq!(response.status(), reqwest::StatusCode::CREATED, "{rest}");
        }
        let planned = read_back(&http, &plan, &token).await.expect("GET plan");
        assert_eq!(
            planned["goals"][0]["words"],
            goal_words.as_str(),
            "{planned}"
        );
        assert_eq!(planned["goals"][0]["steps"][0]["words"], plan_step.as_str());
        assert_eq!(planned["reviews"][0]["note"], review_note.as_str());
        let caseload = read_back(&http, &server.url("/api/v1/clients"), &token)
            .await
            .expect("GET caseload");
        assert_eq!(
            caseload["clients"][0]["preferred_name"],
            preferred.as_str(),
            "{caseload}"
        );
        let duplicates: Value = http
            .post(server.url("/api/v1/clients/duplicates"))
            .bearer_auth(&token)
            .json(&json!({ "name": legal }))
            .send()
            .await
            .expect("POST duplicates")
            .error_for_status()
            .expect("POST duplicates status")
            .json()
            .await
            .unwrap();
        assert_eq!(duplicates["clients"], json!([id]), "{duplicates}");
        // A release for a partner (the recipient, purpose and witness sealed), a referral under
        // it (its note sealed) and its sending (the step's note sealed); read back.
        let post = async |path: &str, who: &str, body: Value| {
            let response = http
                .post(server.url(path))
                .bearer_auth(who)
                .json(&body)
                .send()
                .await
                .expect("POST");
            assert!(
                response.status().is_success(),
                "{path}: {}",
                response.status()
            );
            response.json::<Value>().await.unwrap_or(Value::Null)
        };
        let partner = post(
            "/api/v1/partners",
            &lead,
            json!({"name": "Harbor House", "services": ["D1"]}),
        )
        .await;
        let release = post(
            &format!("/api/v1/clients/{id}/releases"),
            &token,
            json!({"partner": partner["id"], "recipient": recipient, "purpose": share_purpose,
                   "shares": ["name"], "method": "verbal-with-witness", "witness": witness,
                   "starts_on": day}),
        )
        .await;
        let referral = post(
            &format!("/api/v1/clients/{id}/referrals"),
            &token,
            json!({"partner": partner["id"], "service": "D1", "shares": ["name"],
                   "release": release["id"], "note": referral_note}),
        )
        .await;
        let steps = format!(
            "/api/v1/clients/{id}/referrals/{}/steps",
            referral["id"].as_str().unwrap()
        );
        post(&steps, &token, json!({"status": "sent", "note": step_note})).await;
        let releases = server.url(&format!("/api/v1/clients/{id}/releases"));
        let given = read_back(&http, &releases, &token)
            .await
            .expect("GET releases");
        assert_eq!(given["releases"][0]["witness"], witness.as_str(), "{given}");
        let referrals = server.url(&format!("/api/v1/clients/{id}/referrals"));
        let made = read_back(&http, &referrals, &token)
            .await
            .expect("GET referrals");
        assert_eq!(
            made["referrals"][0]["note"],
            referral_note.as_str(),
            "{made}"
        );
        assert_eq!(made["referrals"][0]["steps"][1]["note"], step_note.as_str());
        // A case closed with a note, the person agreeing to follow-ups in words of their own
        // (both sealed), and an outcome assessment with a note; read back.
        let cases = format!("/api/v1/clients/{id}/cases");
        let case = post(
            &cases,
            &token,
            json!({"program": "drop-in", "opened_on": day}),
        )
        .await;
        let close = format!("{cases}/{}/close", case["id"].as_str().unwrap());
        let closed = http
            .post(server.url(&close))
            .bearer_auth(&token)
            .json(
                &json!({"closed_on": day, "reason": "goals-met", "note": closure_note,
                          "follow_up": "yes", "reach_method": "text", "reach_how": reach_how}),
            )
            .send()
            .await
            .expect("POST close");
        assert_eq!(closed.status(), reqwest::StatusCode::NO_CONTENT);
        let listed = read_back(&http, &server.url(&cases), &token)
            .await
            .expect("GET cases");
        let closure = &listed["cases"][0]["closures"][0];
        assert_eq!(closure["note"], closure_note.as_str(), "{listed}");
        assert_eq!(closure["reach_how"], reach_how.as_str());
        let outcomes = format!("/api/v1/clients/{id}/outcomes");
        post(
            &outcomes,
            &token,
            json!({"point": "exit", "assessed_on": day, "note": outcome_note,
                   "outcomes": {"safety": {"score": "4"}}}),
        )
        .await;
        let scored = read_back(&http, &server.url(&outcomes), &token)
            .await
            .expect("GET outcomes");
        assert_eq!(scored["assessments"][0]["note"], outcome_note.as_str());

        // A change of the legal name: the old one is kept, sealed, in the history of changes.
        let record = server.url(&format!("/api/v1/clients/{id}"));
        let edited = http
            .patch(&record)
            .bearer_auth(&token)
            .json(&json!({ "legal_name": legal_new }))
            .send()
            .await
            .expect("PATCH client");
        assert_eq!(edited.status(), reqwest::StatusCode::OK);
        let changes = server.url(&format!("/api/v1/clients/{id}/changes"));
        let changes = read_back(&http, &changes, &token)
            .await
            .expect("GET changes");
        assert_eq!(
            changes["changes"][0]["before"]["legal_name"],
            legal.as_str()
        );
        let client = read_back(&http, &record, &token).await.expect("GET client");
        assert_eq!(client["legal_name"], legal_new.as_str());
        assert_eq!(client["aliases"], json!([alias]), "{client}");

        // A safe-contact request from the public page, and one refused for a missing field.
        let asked = [marker("ASKALIAS"), marker("ASKREACH"), marker("ASKWORD")];
        let ask_refused = marker("ASKREFUSED");
        let sent = http
            .post(server.url("/contact"))
            .form(&[
                ("alias", asked[0].as_str()),
                ("reach", asked[1].as_str()),
                ("code_word", asked[2].as_str()),
            ])
            .send()
            .await
            .expect("POST contact request");
        assert!(sent.status().is_success(), "{}", sent.status());
        let kept = http
            .post(server.url("/contact"))
            .form(&[("alias", ask_refused.as_str())])
            .send()
            .await
            .expect("POST contact request without a way to reach");
        assert_eq!(kept.status(), reqwest::StatusCode::BAD_REQUEST);

        // The self-check's answers, with a marker where an answer or a question would be: the
        // page answers, and nothing of what was posted is kept or logged.
        let check_marker = marker("SELFCHECK");
        let checked = http
            .post(server.url("/check"))
            .form(&[
                ("under-18", "no"),
                ("place-to-stay", check_marker.as_str()),
                (check_marker.as_str(), "yes"),
            ])
            .send()
            .await
            .expect("POST self-check");
        assert!(checked.status().is_success(), "{}", checked.status());

        // Refused requests carrying markers.
        let clients = server.url("/api/v1/clients");
        let mut attempts: Vec<(reqwest::RequestBuilder, &str, &String)> = Vec::new();
        // Bodies refused, each with a marker where a value or a field's name would be.
        let unknown_field = json!({ "preferred_name": "Ana", bad_field.clone(): "x" });
        let wrong_type = json!({ "preferred_name": "Ana", "languages": bad_type });
        let bad_birth = json!({ "preferred_name": "Ana", "date_of_birth": bad_date });
        for (body, what, marker) in [
            (
                unknown_field,
                "unknown field named with a marker",
                &bad_field,
            ),
            (wrong_type, "marker as a value of the wrong type", &bad_type),
            (bad_birth, "marker as an invalid date of birth", &bad_date),
        ] {
            let request = http.post(&clients).bearer_auth(&token).json(&body);
            attempts.push((request, what, marker));
        }
        let notes = server.url(&format!("/api/v1/clients/{id}/notes"));
        let note = json!({ "text": 7, "note": bad_note });
        let request = http.post(notes).bearer_auth(&token).json(&note);
        let what = "note with a wrong type and a marker in an unknown field";
        attempts.push((request, what, &bad_note));
        // Addresses, a token and a purpose refused, each carrying a marker.
        let client = format!("/api/v1/clients/{id}");
        for (path, bearer, purpose, what, marker) in [
            (
                format!("/api/v1/clients/{in_path}"),
                &token,
                None,
                "a client id in the path",
                &in_path,
            ),
            (
                format!("/api/v1/clients/{in_path}/notes"),
                &token,
                None,
                "the notes path",
                &in_path,
            ),
            (
                format!("/api/v1/clients?limit={in_query}"),
                &token,
                None,
                "the query",
                &in_query,
            ),
            (
                client.clone(),
                &in_token,
                None,
                "the bearer token",
                &in_token,
            ),
            (
                client,
                &token,
                Some(&in_purpose),
                "the purpose",
                &in_purpose,
            ),
        ] {
            let mut request = http.get(server.url(&path)).bearer_auth(bearer);
            if let Some(purpose) = purpose {
                request = request.header("x-purpose", purpose);
            }
            attempts.push((request, what, marker));
        }
        let mut outcomes: Vec<Result<u16, String>> = Vec::new();
        for (request, what, marker) in attempts {
            outcomes.push(refused(request, what, marker).await);
        }

        // A backup while the server runs, then a graceful stop and an audit check.
        let backup = instance.root.path().join("backup.shb");
        let out = instance
            .cli(
                "backup",
                &["backup", "--output", backup.to_str().expect("UTF-8 path")],
            )
            .await;
        assert!(
            out.status.success(),
            "backup failed ({}):\n{}\n{}",
            out.status,
            out.stdout,
            out.stderr
        );
        assert!(backup.exists(), "no backup file was written");

        // Every byte of every file: data folder (records, WAL, key store, key file), backup,
        // the processes' stdout and stderr, and their TMPDIR; once while the server runs (its
        // WAL still holds the writes) and once after it stopped (and checkpointed).
        let mut markers: Vec<&str> = stored.iter().map(|m| m.as_str()).collect();
        markers.extend([
            bad_field.as_str(),
            bad_type.as_str(),
            bad_date.as_str(),
            bad_note.as_str(),
            in_path.as_str(),
            in_query.as_str(),
            in_token.as_str(),
            in_purpose.as_str(),
            ask_refused.as_str(),
            check_marker.as_str(),
        ]);
        markers.extend(asked.iter().map(String::as_str));
        // Also the bare random part shared by all markers, which catches a marker cut short or
        // with its label changed.
        markers.push(hex.as_str());
        let (live, mut found) = scan(instance.root.path(), &markers);
        let live_wal: u64 = live
            .iter()
            .filter(|(p, _)| p.to_string_lossy().ends_with(".sqlite-wal"))
            .map(|(_, n)| n)
            .sum();
        server.stop().await;
        let events = instance.audit_verify().await;
        let (files, found_after) = scan(instance.root.path(), &markers);
        // Opened only now, after the scan: closing it ends the WAL the scan reads.
        let unreached = sealed_columns_left_empty(&instance.root.path().join("data")).await;
        assert_eq!(
            unreached, NOT_REACHED_BY_THE_API,
            "every column the registry says is sealed must hold something in this run, so that \
             the scan covers it: write to the new ones above"
        );
        found.extend(
            found_after
                .into_iter()
                .map(|f| format!("after the stop: {f}")),
        );

        let names: Vec<String> = files
            .iter()
            .map(|(f, _)| {
                f.strip_prefix(instance.root.path())
                    .unwrap_or(f)
                    .display()
                    .to_string()
            })
            .collect();
        let scanned_bytes: u64 = live.iter().chain(&files).map(|(_, n)| n).sum();
        assert!(
            names.iter().any(|n| n.ends_with("records.sqlite"))
                && names.iter().any(|n| n.ends_with("keys.sqlite"))
                && names.iter().any(|n| n.ends_with("safeharbor.key")),
            "the data folder is not where the test expects it: {names:?}"
        );
        let statuses: Vec<u16> = outcomes.iter().filter_map(|o| o.clone().ok()).collect();
        let refusals: Vec<String> = outcomes.into_iter().filter_map(Result::err).collect();
        let kept = if found.is_empty() {
            String::new()
        } else {
            // Keep the evidence for a look.
            format!(" (files kept in {})", instance.root.keep().display())
        };
        assert!(
            found.is_empty() && refusals.is_empty(),
            "canary markers found in plain text: {}{kept}:\n{}\n\
             refused requests answered wrongly: {}:\n{}",
            found.len(),
            found.join("\n"),
            refusals.len(),
            refusals.join("\n")
        );
        println!(
            "canary: {} markers ({} stored and read back, {} refused with {statuses:?}) absent \
             from {} files while running (WAL {live_wal} bytes) and {} after the stop, \
             {scanned_bytes} bytes in all: {names:?}; audit chain {events} events; {:.1?}",
            markers.len() - 1,
            stored.len(),
            markers.len() - 1 - stored.len(),
            live.len(),
            files.len(),
            started.elapsed()
        );
    });
}
