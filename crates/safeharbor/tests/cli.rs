//! The `safeharbor` command against real data folders: users and tokens, the audit chain under
//! tampering (P9), erasure that reaches old backups (P3), backup and restore (P17), and key
//! rotation while a server keeps serving.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsString;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

/// The storage arguments for an embedded instance in `dir`.
fn at(dir: &Path) -> Vec<OsString> {
    vec!["--data-dir".into(), dir.into()]
}

fn safeharbor(args: &[&str], dir: &Path) -> Output {
    run_on(args, &at(dir))
}

/// Runs a subcommand against the instance `storage` describes.
fn run_on(args: &[&str], storage: &[OsString]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(args)
        .args(storage)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run safeharbor")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Adds a user and returns the token printed as the last line.
fn add_user(dir: &Path, username: &str, role: &str) -> String {
    add_user_on(&at(dir), username, role)
}

fn add_user_on(storage: &[OsString], username: &str, role: &str) -> String {
    let out = run_on(
        &["users", "add", "--username", username, "--role", role],
        storage,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(&out).lines().last().expect("token line").to_owned()
}

/// A server child process, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &Path) -> Server {
    serve_on(&at(dir))
}

/// Starts a server on the instance `storage` describes and waits until it accepts connections.
fn serve_on(storage: &[OsString]) -> Server {
    serve_with(storage, |_| {})
}

/// `serve_on`, the command changed by `adjust` before it starts (its log, say). The server takes a
/// port of its own and says which: a port picked here and let go could be taken by another
/// test's server before this one binds it.
fn serve_with(storage: &[OsString], adjust: impl FnOnce(&mut Command)) -> Server {
    use std::io::BufRead;
    let mut command = Command::new(env!("CARGO_BIN_EXE_safeharbor"));
    command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(storage)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    adjust(&mut command);
    let mut child = command.spawn().expect("start server");
    let out = child.stdout.take().expect("the server's output");
    let mut server = Server {
        child,
        base: String::new(),
    };
    // The first line it prints: "listening on http://127.0.0.1:PORT".
    let mut out = std::io::BufReader::new(out);
    let mut line = String::new();
    out.read_line(&mut line).expect("the server's first line");
    let base = line.trim().strip_prefix("listening on ");
    server.base = base.expect("the server says where it listens").to_owned();
    // The rest is read as it comes, so that nothing it prints later meets a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    server
}

async fn create_client(http: &reqwest::Client, base: &str, token: &str, name: &str) -> String {
    let response = http
        .post(format!("{base}/api/v1/clients"))
        .bearer_auth(token)
        .json(&serde_json::json!({"preferred_name": name, "legal_name": format!("{name} Legal")}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    response.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn read_status(http: &reqwest::Client, base: &str, token: &str, id: &str) -> u16 {
    http.get(format!("{base}/api/v1/clients/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn sqlite(path: &Path) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

#[test]
fn users_add_prints_a_working_token_as_its_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_user(dir.path(), "maria.g", "case-manager");
    assert!(token.starts_with("sht_") && token.len() == 47, "{token}");
    let bad = safeharbor(
        &["users", "add", "--username", "x", "--role", "boss"],
        dir.path(),
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("role"));
    let listed = stdout(&safeharbor(&["users", "list"], dir.path()));
    assert!(listed.contains("maria.g\tcase-manager\tactive"), "{listed}");
    let tokens = stdout(&safeharbor(&["tokens", "list"], dir.path()));
    assert!(
        tokens.contains("live") && !tokens.contains(&token),
        "secrets are never listed"
    );
}

/// `generate` makes clients with years of case work, done by the case manager named (who has
/// them in their caseload), dated across those years and never after today; it prints their ids.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_makes_clients_with_years_of_case_work_for_a_case_manager() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "bench.user", "case-manager");
    let made = safeharbor(
        &[
            "generate",
            "--clients",
            "2",
            "--years",
            "1",
            "--assign-to",
            "bench.user",
        ],
        dir.path(),
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let ids: Vec<String> = stdout(&made).lines().map(str::to_owned).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    let mut db = sqlite(&dir.path().join("records.sqlite")).await;
    let now = app::Clock::now(&app::SystemClock).unix_millis();
    for id in &ids {
        let (notes, first, last): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM notes WHERE client_id = $1",
        )
        .bind(id)
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!(notes, 100, "a year of notes");
        assert!(now - first > 300 * 86_400_000, "the first a year back");
        assert!(last < now, "none after now");
        let (services, referrals, reviews): (i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM services WHERE client_id = $1), \
             (SELECT COUNT(*) FROM referrals WHERE client_id = $1 AND status = 'completed'), \
             (SELECT COUNT(*) FROM plan_reviews WHERE client_id = $1)",
        )
        .bind(id)
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!((services, referrals, reviews), (60, 8, 4));
        let (assigned,): (String,) = sqlx::query_as(
            "SELECT u.username FROM assignments a JOIN users u ON u.id = a.user_id \
             WHERE a.client_id = $1",
        )
        .bind(id)
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert_eq!(assigned, "bench.user");
    }
    let nobody = safeharbor(&["generate", "--assign-to", "nobody"], dir.path());
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no staff account is called nobody"));
}

/// The sign-up link path a command printed.
fn sign_up_path(printed: &str) -> String {
    let at = printed.find("/login/setup/sht_").expect("a sign-up link");
    printed[at..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_instance_prints_a_link_for_the_first_administrator_and_never_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .args(at(dir.path()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start server");
    let output = child.stdout.take().unwrap();
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    // Read what serve prints up to the link (it prints it once it listens), and keep reading
    // after, as a terminal would: the server's stdout stays open.
    let (lines, printed_lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        use std::io::BufRead;
        for line in std::io::BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            let _ = lines.send(line);
        }
    });
    let mut printed = String::new();
    while !printed.contains("/login/setup/") {
        let line = printed_lines
            .recv_timeout(Duration::from_secs(30))
            .expect("serve printed a sign-up link");
        printed.push_str(&line);
        printed.push('\n');
    }
    assert!(
        printed.contains("Create the first administrator"),
        "{printed}"
    );
    assert!(!printed.to_lowercase().contains("password"), "{printed}");
    let link = sign_up_path(&printed);
    let page = reqwest::get(format!("{}{link}", server.base))
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Choose a username"));
    drop(server);

    // An account made from the command line gets a link of its own; `users invite` makes more.
    let added = safeharbor(
        &[
            "users",
            "add",
            "--username",
            "maria.g",
            "--role",
            "outreach",
        ],
        dir.path(),
    );
    let added = stdout(&added);
    let first = sign_up_path(&added);
    let invited = safeharbor(&["users", "invite", "--username", "maria.g"], dir.path());
    assert!(invited.status.success());
    let second = sign_up_path(&stdout(&invited));
    assert_ne!(first, second);
    let unknown = safeharbor(&["users", "invite", "--username", "nobody"], dir.path());
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account named nobody"));
    let server = serve(dir.path());
    for link in [first, second] {
        let page = reqwest::get(format!("{}{link}", server.base))
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("<strong>maria.g</strong>")
        );
    }
}

/// Seeds a data folder with a user and some audited activity; returns it.
async fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let token = add_user(dir.path(), "ana.m", "case-manager");
    let server = serve(dir.path());
    let http = reqwest::Client::new();
    for name in ["Ada", "Bea", "Cy"] {
        let id = create_client(&http, &server.base, &token, name).await;
        assert_eq!(read_status(&http, &server.base, &token, &id).await, 200);
    }
    drop(server);
    dir
}

fn verify(dir: &Path) -> (bool, String) {
    let out = safeharbor(&["audit", "verify"], dir);
    (out.status.success(), stdout(&out))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_the_first_edited_deleted_or_reordered_event() {
    // The database refuses edits (triggers); an attacker with the file drops them first.
    let tamperings: [(&str, &[&str]); 4] = [
        (
            "edit",
            &[
                "DROP TRIGGER audit_events_no_update",
                "UPDATE audit_events SET purpose = 'nothing to see' WHERE seq = 4",
            ],
        ),
        (
            "delete",
            &[
                "DROP TRIGGER audit_events_no_delete",
                "DELETE FROM audit_events WHERE seq = 4",
            ],
        ),
        (
            "reorder",
            &[
                "DROP TRIGGER audit_events_no_update",
                "UPDATE audit_events SET seq = -1 WHERE seq = 4",
                "UPDATE audit_events SET seq = 4 WHERE seq = 5",
                "UPDATE audit_events SET seq = 5 WHERE seq = -1",
            ],
        ),
        (
            "drop the newest",
            &[
                "DROP TRIGGER audit_events_no_delete",
                "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)",
            ],
        ),
    ];
    for (what, statements) in tamperings {
        let dir = seeded().await;
        let (ok, said) = verify(dir.path());
        assert!(ok, "intact before {what}: {said}");
        let events: i64 = said.split_whitespace().nth(3).unwrap().parse().unwrap();
        tamper(dir.path(), statements).await;
        let (ok, said) = verify(dir.path());
        assert!(!ok, "{what} went unnoticed");
        let first_bad = if what == "drop the newest" { events } else { 4 };
        assert!(
            said.contains(&format!("audit event {first_bad}:")),
            "{what}: {said}"
        );
    }
}

/// Runs `statements` on the records database in `dir`, as someone who owns the file would.
async fn tamper(dir: &Path, statements: &[&str]) {
    let mut db = sqlite(&dir.join("records.sqlite")).await;
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(*sql))
            .execute(&mut db)
            .await
            .unwrap();
    }
    db.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_catches_a_head_moved_back_or_removed_and_missing_tables() {
    // Cut the last two events off and move the head back to the event before them, as in the
    // outside attack: every event left verifies, but the head's tag cannot be made without the key.
    const CUT_SHORT: &[&str] = &[
        "DROP TRIGGER audit_events_no_delete",
        "DELETE FROM audit_events WHERE seq > (SELECT MAX(seq) - 2 FROM audit_events)",
        "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_events), \
         mac = (SELECT mac FROM audit_events ORDER BY seq DESC LIMIT 1)",
    ];
    let tamperings: [(&str, &[&str], &str); 5] = [
        ("cut short", CUT_SHORT, "does not carry the server's tag"),
        (
            "tag removed",
            &["UPDATE audit_head SET tag = NULL"],
            "does not carry the server's tag",
        ),
        (
            "head row deleted",
            &["DELETE FROM audit_head"],
            "the chain's head is missing",
        ),
        (
            "head table dropped",
            &["DROP TABLE audit_head"],
            "the audit tables are missing",
        ),
        (
            "events table dropped",
            &["DROP TABLE audit_events"],
            "the audit tables are missing",
        ),
    ];
    for (what, statements, expected) in tamperings {
        let dir = seeded().await;
        assert!(verify(dir.path()).0, "intact before {what}");
        tamper(dir.path(), statements).await;
        let out = safeharbor(&["audit", "verify"], dir.path());
        let said = stdout(&out);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{what}: {said} {:?}",
            out.stderr
        );
        assert!(
            said.contains("BROKEN") && said.contains(expected),
            "{what}: {said}"
        );
    }
}

/// A database from before head tags (the tag column empty) verifies once the new version has
/// started: each start is audited, and that moves the head under its tag.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_of_the_server_is_audited_and_tags_an_upgraded_head() {
    let dir = seeded().await;
    tamper(dir.path(), &["UPDATE audit_head SET tag = NULL"]).await;
    assert!(
        !verify(dir.path()).0,
        "an untagged head is not taken on trust"
    );
    drop(serve(dir.path()));
    let (ok, said) = verify(dir.path());
    assert!(ok, "{said}");
    let mut db = sqlite(&dir.path().join("records.sqlite")).await;
    let starts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'server.start'")
            .fetch_one(&mut db)
            .await
            .unwrap();
    assert_eq!(starts, 2, "the seeding start and this one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checkpoints_catch_a_chain_emptied_or_rolled_back_to_an_older_copy() {
    let dir = seeded().await;
    // The server wrote a checkpoint as it started; a file copy of the data folder, taken now,
    // is what someone would later put back.
    let written = std::fs::read_to_string(dir.path().join("audit-checkpoints")).unwrap();
    assert!(written.starts_with("audit-checkpoint v1 seq="), "{written}");
    let older = tempfile::tempdir().unwrap();
    let files = ["records.sqlite", "records.sqlite-wal", "records.sqlite-shm"];
    for file in files {
        let _ = std::fs::copy(dir.path().join(file), older.path().join(file));
    }
    {
        let server = serve(dir.path());
        let token = add_user(dir.path(), "ben.m", "case-manager");
        create_client(&reqwest::Client::new(), &server.base, &token, "Dee").await;
    }
    let now = safeharbor(&["audit", "checkpoint"], dir.path());
    assert!(now.status.success());
    let checkpoints = dir.path().join("kept-elsewhere");
    std::fs::write(&checkpoints, format!("{written}{}", stdout(&now))).unwrap();
    let held = |dir: &Path| {
        let out = run_on(
            &[
                "audit",
                "verify",
                "--checkpoints",
                checkpoints.to_str().unwrap(),
            ],
            &at(dir),
        );
        (out.status.code(), stdout(&out))
    };
    let (code, said) = held(dir.path());
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("reaching all 2 checkpoints"), "{said}");

    // The older copy put back: a whole, tagged chain, only shorter than the checkpoint says.
    for file in files {
        let _ = std::fs::remove_file(dir.path().join(file));
        let _ = std::fs::copy(older.path().join(file), dir.path().join(file));
    }
    assert!(verify(dir.path()).0, "without checkpoints it looks whole");
    let (code, said) = held(dir.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(
        said.contains("BROKEN") && said.contains("the checkpoint taken at"),
        "{said}"
    );

    // Emptied altogether, head and all: "0 events" without checkpoints, broken with them.
    tamper(
        dir.path(),
        &[
            "DROP TRIGGER audit_events_no_delete",
            "DELETE FROM audit_events",
            "UPDATE audit_head SET seq = 0, mac = zeroblob(32), tag = NULL",
        ],
    )
    .await;
    let (ok, said) = verify(dir.path());
    assert!(ok && said.contains(" 0 events"), "{said}");
    let (code, said) = held(dir.path());
    assert_eq!(code, Some(2), "{said}");
    assert!(said.contains("the chain ends at event 0"), "{said}");

    // A damaged checkpoint is named, never skipped.
    std::fs::write(&checkpoints, "audit-checkpoint v1 seq=oops\n").unwrap();
    let out = run_on(
        &[
            "audit",
            "verify",
            "--checkpoints",
            checkpoints.to_str().unwrap(),
        ],
        &at(dir.path()),
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erasure_reaches_a_backup_taken_before_it() {
    for engine in common::engines() {
        erasure_drill(engine).await;
    }
}

/// Back up, erase, restore the old backup into a fresh instance: the erased client no longer
/// decrypts, everyone else does, the key's bytes are gone, and the restored chain verifies (P3, P17).
async fn erasure_drill(engine: common::Engine) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key_file = data.join("safeharbor.key");
    let (source, fresh) = match engine {
        common::Engine::Sqlite => (at(&data), at(&dir.path().join("fresh"))),
        common::Engine::Postgres => {
            let mut source = at(&data);
            source.extend([
                "--database-url".into(),
                common::fresh_postgres().await.into(),
            ]);
            let mut fresh = at(&dir.path().join("fresh"));
            fresh.extend([
                "--database-url".into(),
                common::fresh_postgres().await.into(),
            ]);
            (source, fresh)
        }
    };
    let fresh: Vec<OsString> = [fresh, vec!["--key-file".into(), key_file.clone().into()]].concat();
    let token = add_user_on(&source, "sue.s", "supervisor");
    let server = serve_on(&source);
    let http = reqwest::Client::new();
    let erased = create_client(&http, &server.base, &token, "Xenia").await;
    let kept = create_client(&http, &server.base, &token, "Yolanda").await;
    drop(server);
    // A copy an operator could take in passing, before the erasure: `pg_dump`, or a file copy of
    // the databases (the key file kept apart, as the README says).
    let old_copy = dir.path().join("old-copy");
    take_a_copy(engine, &source, &data, &old_copy);
    let epoch_before = crypto::KeyFile::load(&key_file).unwrap().current_kek().0;
    let server = serve_on(&source);
    let key_bytes = wrapped_key(engine, &source, &erased)
        .await
        .expect("a key before erasure");
    let backup = dir.path().join("before.shb");
    let out = run_on(&["backup", "--output", backup.to_str().unwrap()], &source);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("restore drill passed"));

    // Erase through the API, as a supervisor assigned to the client.
    let response = http
        .delete(format!("{}/api/v1/clients/{erased}", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(read_status(&http, &server.base, &token, &erased).await, 404);
    assert_eq!(read_status(&http, &server.base, &token, &kept).await, 200);
    // The server advances the key epoch a few seconds after the erasure: a new key-encryption
    // key, every key re-wrapped, the old one destroyed (bounded wait).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while crypto::KeyFile::load(&key_file)
        .unwrap()
        .kek(epoch_before)
        .is_some()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the key epoch did not advance"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(read_status(&http, &server.base, &token, &kept).await, 200);
    drop(server);

    // The key is gone from the key store, and on SQLite its bytes are nowhere in its files.
    assert_eq!(wrapped_key(engine, &source, &erased).await, None);
    if engine == common::Engine::Sqlite {
        for file in ["keys.sqlite", "keys.sqlite-wal"] {
            let bytes = std::fs::read(data.join(file)).unwrap_or_default();
            assert!(
                !bytes.windows(key_bytes.len()).any(|w| w == key_bytes),
                "key bytes left in {file}"
            );
        }
    }

    // Restore the old backup into a fresh instance, with the organisation's key file and a
    // key-store backup taken now, after the erasure.
    let keys_backup = dir.path().join("keys-now.shk");
    let out = run_on(
        &["keys", "backup", "--output", keys_backup.to_str().unwrap()],
        &source,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains(": 1 client keys"), "{}", stdout(&out));
    // Both kinds of backup are the operator's alone.
    for file in [&backup, &keys_backup] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.display());
    }
    for (command, file) in [("restore", &backup), ("keys restore", &keys_backup)] {
        let args: Vec<&str> = command
            .split(' ')
            .chain(["--input", file.to_str().unwrap()])
            .collect();
        let out = run_on(&args, &fresh);
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let restored = serve_on(&fresh);
    assert_eq!(
        read_status(&http, &restored.base, &token, &kept).await,
        200,
        "everyone else decrypts"
    );
    assert_eq!(
        read_status(&http, &restored.base, &token, &erased).await,
        404,
        "the erased client does not"
    );
    drop(restored);
    let out = run_on(&["audit", "verify"], &fresh);
    assert!(
        out.status.success(),
        "the restored chain verifies: {}",
        stdout(&out)
    );

    // The copy from before the erasure, put back and served with the organisation's key file:
    // its keys are all of the old epoch, so nobody's record opens, the erased client's included.
    let copied = put_back(engine, &old_copy, &dir.path().join("from-copy")).await;
    let copied: Vec<OsString> =
        [copied, vec!["--key-file".into(), key_file.clone().into()]].concat();
    let server = serve_on(&copied);
    for client in [&erased, &kept] {
        assert_ne!(
            read_status(&http, &server.base, &token, client).await,
            200,
            "an old copy opens nothing after the key epoch"
        );
    }
    drop(server);
    // With the current key store restored over its stale keys, everyone else opens again.
    let out = run_on(
        &["keys", "restore", "--input", keys_backup.to_str().unwrap()],
        &copied,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = serve_on(&copied);
    assert_eq!(read_status(&http, &server.base, &token, &kept).await, 200);
    assert_eq!(
        read_status(&http, &server.base, &token, &erased).await,
        404,
        "the erased client stays erased in the old copy"
    );
}

/// Copies the instance's databases as an operator might: `pg_dump`, or the SQLite files.
fn take_a_copy(engine: common::Engine, storage: &[OsString], data: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    match engine {
        common::Engine::Sqlite => {
            for file in ["records.sqlite", "keys.sqlite"] {
                for suffix in ["", "-wal", "-shm"] {
                    let name = format!("{file}{suffix}");
                    if data.join(&name).exists() {
                        std::fs::copy(data.join(&name), to.join(&name)).unwrap();
                    }
                }
            }
        }
        common::Engine::Postgres => {
            let url = database_url(storage);
            let out = Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to.join("dump"))
                .arg(url)
                .output()
                .expect("pg_dump");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

/// Puts a copy from `take_a_copy` back as a new instance; its storage arguments.
async fn put_back(engine: common::Engine, copy: &Path, dir: &Path) -> Vec<OsString> {
    std::fs::create_dir_all(dir).unwrap();
    match engine {
        common::Engine::Sqlite => {
            for entry in std::fs::read_dir(copy).unwrap() {
                let entry = entry.unwrap();
                std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
            }
            at(dir)
        }
        common::Engine::Postgres => {
            let url = common::fresh_postgres().await;
            let out = Command::new("pg_restore")
                .args(["--no-owner", "--dbname", &url])
                .arg(copy.join("dump"))
                .output()
                .expect("pg_restore");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            [at(dir), vec!["--database-url".into(), url.into()]].concat()
        }
    }
}

/// The `--database-url` among storage arguments.
fn database_url(storage: &[OsString]) -> String {
    let at = storage
        .iter()
        .position(|a| a == "--database-url")
        .expect("a database URL");
    storage[at + 1].to_str().unwrap().to_owned()
}

/// A client's wrapped key as the key store holds it, read directly from the database.
async fn wrapped_key(
    engine: common::Engine,
    storage: &[OsString],
    client: &str,
) -> Option<Vec<u8>> {
    sqlx::any::install_default_drivers();
    let url = match engine {
        common::Engine::Sqlite => {
            let data = Path::new(&storage[1]);
            format!("sqlite://{}", data.join("keys.sqlite").display())
        }
        common::Engine::Postgres => database_url(storage),
    };
    let mut db = sqlx::AnyConnection::connect(&url).await.unwrap();
    let row = sqlx::query("SELECT wrapped FROM client_keys WHERE client_id = $1")
        .bind(client)
        .fetch_optional(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    row.map(|row| sqlx::Row::try_get(&row, "wrapped").unwrap())
}

/// A key-store backup taken before a rotation holds keys wrapped by the KEK it retired: restoring
/// it with the new key file is refused, naming the version needed, and restores nothing (it used to
/// be "restored", and then every read failed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_restore_refuses_keys_the_key_file_cannot_unwrap() {
    let source = seeded().await;
    let files = tempfile::tempdir().unwrap();
    let old_keys = files.path().join("before-rotation.shk");
    let out = safeharbor(
        &["keys", "backup", "--output", old_keys.to_str().unwrap()],
        source.path(),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = safeharbor(&["keys", "rotate"], source.path());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let target = tempfile::tempdir().unwrap();
    let key_file = source.path().join("safeharbor.key");
    let storage: Vec<OsString> = vec![
        "--data-dir".into(),
        target.path().into(),
        "--key-file".into(),
        key_file.into(),
    ];
    let out = run_on(
        &["keys", "restore", "--input", old_keys.to_str().unwrap()],
        &storage,
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "restored: {}", stdout(&out));
    assert!(said.contains("key-encryption key version 1"), "{said}");
    let mut keys = sqlite(&target.path().join("keys.sqlite")).await;
    let restored: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT COUNT(*) AS n FROM client_keys")
            .fetch_one(&mut keys)
            .await
            .unwrap(),
        "n",
    )
    .unwrap();
    assert_eq!(restored, 0, "nothing is restored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_rotate_while_a_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_user(dir.path(), "ana.m", "case-manager");
    let server = serve(dir.path());
    let http = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 0..30 {
        ids.push(create_client(&http, &server.base, &token, &format!("Client{n}")).await);
    }
    let rotation = std::thread::spawn({
        let dir = dir.path().to_owned();
        move || safeharbor(&["keys", "rotate"], &dir)
    });
    // Read (and write) all the way through the rotation.
    let mut reads = 0;
    while !rotation.is_finished() {
        for id in &ids {
            assert_eq!(read_status(&http, &server.base, &token, id).await, 200);
            reads += 1;
        }
        ids.push(create_client(&http, &server.base, &token, "During").await);
    }
    let out = rotation.join().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains("key-encryption key 2 is now current"),
        "{}",
        stdout(&out)
    );
    assert!(reads > 0);
    for id in &ids {
        assert_eq!(read_status(&http, &server.base, &token, id).await, 200);
    }
    drop(server);
    // Only the new KEK is left, and every client key is under it — also after a restart.
    let key_file = std::fs::read_to_string(dir.path().join("safeharbor.key")).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&key_file).unwrap();
    assert_eq!(
        parsed["keks"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        vec!["2"]
    );
    let mut keys = sqlite(&dir.path().join("keys.sqlite")).await;
    let old: i64 = sqlx::Row::try_get(
        &sqlx::query("SELECT COUNT(*) AS n FROM client_keys WHERE kek_version <> 2")
            .fetch_one(&mut keys)
            .await
            .unwrap(),
        "n",
    )
    .unwrap();
    assert_eq!(old, 0);
    let server = serve(dir.path());
    for id in &ids {
        assert_eq!(read_status(&http, &server.base, &token, id).await, 200);
    }
    assert!(verify(dir.path()).0);
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(args)
        .output()
        .expect("run safeharbor")
}

#[test]
fn instruments_and_screen_follow_the_json_contract() {
    let list: serde_json::Value =
        serde_json::from_slice(&run(&["instruments", "list", "--format", "json"]).stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"sscst-6") && ids.contains(&"qyit-4"),
        "{ids:?}"
    );
    let shown: serde_json::Value =
        serde_json::from_slice(&run(&["instruments", "show", "qyit-4", "--format", "json"]).stdout)
            .unwrap();
    assert_eq!(shown["items"].as_array().unwrap().len(), 4);
    assert_eq!(shown["scoring"]["positive_at"], 1);

    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.json");
    std::fs::write(
        &answers,
        r#"{"items": {"substance-use": "yes", "ran-away": "yes", "police": "declined"}}"#,
    )
    .unwrap();
    let out = run(&[
        "screen",
        "--instrument",
        "sscst-6",
        "--answers",
        answers.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (result["score"].as_u64(), result["result"].as_str()),
        (Some(2), Some("positive"))
    );
    assert!(
        result["recommended_action"]
            .as_str()
            .unwrap()
            .starts_with("Look further")
    );

    // Bad answers: non-zero exit, a message naming the item, nothing on stdout.
    std::fs::write(&answers, r#"{"items": {"police": "perhaps"}}"#).unwrap();
    let out = run(&[
        "screen",
        "--instrument",
        "sscst-6",
        "--answers",
        answers.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("police") && !said.contains("perhaps"),
        "{said}"
    );
}

#[test]
fn determine_follows_the_json_contract_and_refuses_bad_facts() {
    let dir = tempfile::tempdir().unwrap();
    let facts = dir.path().join("facts.json");
    // A 15-year-old (born 2008-03-02, earliest act 2023-06-01) harboured and provided for a sex act
    // in exchange for something of value: the federal minor rule needs no force, fraud or coercion.
    std::fs::write(
        &facts,
        r#"{"person": {"date_of_birth": "2008-03-02"}, "period": {"from": "2023-06-01", "to": "2023-09-30"},
            "actions": {"harboring": true, "provision": true},
            "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}}"#,
    )
    .unwrap();
    let out = run(&[
        "determine",
        "--facts",
        facts.to_str().unwrap(),
        "--jurisdiction",
        "all",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = doc["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "us-federal.sex-trafficking",
            "us-federal.severe-sex-trafficking",
            "us-federal.severe-labor-trafficking",
            "us-ca.human-trafficking-sex",
            "us-ca.human-trafficking-minor",
            "us-ca.csec-dependency",
            "intl.palermo-trafficking"
        ]
    );
    let outcome = |id: &str| {
        results.iter().find(|r| r["rule"] == id).unwrap()["outcome"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(outcome("us-federal.severe-sex-trafficking"), "met");
    for r in results {
        assert!(
            r["title"].is_string() && r["explanation"].is_object() && r["missing_facts"].is_array()
        );
        assert_eq!(
            r["outcome"] == "unknown",
            !r["missing_facts"].as_array().unwrap().is_empty(),
            "{}",
            r["rule"]
        );
    }
    let federal = run(&[
        "determine",
        "--facts",
        facts.to_str().unwrap(),
        "--jurisdiction",
        "us-federal",
    ]);
    let federal: serde_json::Value = serde_json::from_slice(&federal.stdout).unwrap();
    assert_eq!(federal["results"].as_array().unwrap().len(), 3);

    for (bad, names) in [
        (
            r#"{"person": {"date_of_birth": "2008-02-30"}}"#,
            "person.date_of_birth",
        ),
        (r#"{"means": {"force": "yes"}}"#, "means.force"),
        (
            r#"{"means": {"force": true, "Secret Field": null}}"#,
            "means",
        ),
    ] {
        std::fs::write(&facts, bad).unwrap();
        let out = run(&["determine", "--facts", facts.to_str().unwrap()]);
        assert!(!out.status.success(), "{bad}");
        assert!(out.stdout.is_empty(), "nothing on stdout for {bad}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.contains(names) && !said.contains("Secret Field"),
            "{said}"
        );
    }
    let out = run(&[
        "determine",
        "--facts",
        facts.to_str().unwrap(),
        "--jurisdiction",
        "mars",
    ]);
    assert!(!out.status.success() && out.stdout.is_empty());
}

#[test]
fn serve_refuses_a_time_zone_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let flag = safeharbor(&["serve", "--time-zone", "Mars/Olympus"], dir.path());
    assert!(!flag.status.success());
    let said = String::from_utf8_lossy(&flag.stderr);
    assert!(said.contains("is not a time zone's name"), "{said}");
    let from_env = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(["demo", "--clients", "1"])
        .env("SAFEHARBOR_TIME_ZONE", "Atlantis/Capital")
        .output()
        .unwrap();
    assert!(!from_env.status.success());
    assert!(String::from_utf8_lossy(&from_env.stderr).contains("is not a time zone's name"));
}

/// Starts `serve` on `storage` expecting it to refuse; returns what it said. (A server that does
/// start is killed, and the test fails, rather than waiting on it for ever.)
fn serve_refused(storage: &[OsString]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_safeharbor"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(storage)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started though it should have refused");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut said = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut said).unwrap();
    assert!(!status.success(), "{said}");
    said
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_damaged_key_file_is_refused_at_start_and_outlived_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("safeharbor.key");
    let storage: Vec<OsString> = vec![
        "--data-dir".into(),
        dir.path().join("data").into(),
        "--key-file".into(),
        key.clone().into(),
    ];
    let token = add_user_on(&storage, "ana.m", "case-manager");
    let http = reqwest::Client::new();
    let server = serve_on(&storage);
    let rosa = create_client(&http, &server.base, &token, "Rosa").await;

    // While serving, the key file goes (a mistaken clean-up, an unmounted volume): the keys in
    // memory serve on, for old records and new ones.
    let kept = dir.path().join("kept.key");
    std::fs::rename(&key, &kept).unwrap();
    assert_eq!(read_status(&http, &server.base, &token, &rosa).await, 200);
    let lupe = create_client(&http, &server.base, &token, "Lupe").await;
    assert_eq!(read_status(&http, &server.base, &token, &lupe).await, 200);
    drop(server);

    // At start, a missing key file is refused, and no new one is made in its place.
    let said = serve_refused(&storage);
    assert!(
        said.contains("is missing") && said.contains(&key.display().to_string()),
        "{said}"
    );
    assert!(!key.exists(), "a new key would read none of the records");

    // A damaged one is refused with what is wrong with it.
    std::fs::write(&key, "not a key file\n").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let said = serve_refused(&storage);
    assert!(said.to_lowercase().contains("key file"), "{said}");

    // Put back, everything opens again.
    std::fs::rename(&kept, &key).unwrap();
    let server = serve_on(&storage);
    for client in [&rosa, &lupe] {
        assert_eq!(read_status(&http, &server.base, &token, client).await, 200);
    }
}

/// A log that cannot be written (its disk full: /dev/full answers every write so) costs the log
/// lines, never a request: every request logs a line, and each is still answered, the writes
/// kept and audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_log_on_a_full_disk_fails_no_request() {
    let dir = tempfile::tempdir().unwrap();
    let token = add_user(dir.path(), "maria.g", "case-manager");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let server = serve_with(&at(dir.path()), |command| {
        command.env("RUST_LOG", "info").stderr(full);
    });
    let http = reqwest::Client::new();
    for n in 0..5 {
        let id = create_client(&http, &server.base, &token, &format!("Rosa {n}")).await;
        assert_eq!(read_status(&http, &server.base, &token, &id).await, 200);
    }
    drop(server);
    let (verified, said) = verify(dir.path());
    assert!(verified, "{said}");
    assert!(said.contains("unbroken"), "{said}");
}
