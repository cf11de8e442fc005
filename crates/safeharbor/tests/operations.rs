//! Running it for real (docs/operations.md): the upgrade path (a backup before migrating, a
//! database from a newer version refused). The real binary and real files.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::process::{Server, safeharbor, stderr, stdout};
use sqlx::Connection;

async fn sqlite(path: &Path) -> sqlx::AnyConnection {
    sqlx::any::install_default_drivers();
    sqlx::AnyConnection::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap()
}

/// An instance: its data folder (the key file, the default upgrade backup folder and, on SQLite,
/// the database) and, on PostgreSQL, its database.
struct Instance {
    data: PathBuf,
    url: Option<String>,
}

impl Instance {
    async fn new(engine: common::Engine, data: PathBuf) -> Self {
        let url = match engine {
            common::Engine::Sqlite => None,
            common::Engine::Postgres => Some(common::fresh_postgres().await),
        };
        Self { data, url }
    }

    fn args(&self) -> Vec<OsString> {
        let mut args = vec!["--data-dir".into(), self.data.clone().into()];
        if let Some(url) = &self.url {
            args.extend(["--database-url".into(), url.into()]);
        }
        args
    }

    /// Runs a subcommand on this instance.
    fn run(&self, args: &[&str], more: &[OsString]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_safeharbor"))
            .args(args)
            .args(self.args())
            .args(more)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run safeharbor")
    }

    async fn db(&self) -> sqlx::AnyConnection {
        match &self.url {
            Some(url) => sqlx::AnyConnection::connect(url).await.unwrap(),
            None => sqlite(&self.data.join("records.sqlite")).await,
        }
    }

    async fn schema_version(&self) -> i64 {
        let mut db = self.db().await;
        let version = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
            .fetch_one(&mut db)
            .await
            .unwrap();
        db.close().await.unwrap();
        version
    }

    /// Takes the database back to schema 19, as the version before migrations 20 and on left
    /// it: the columns and tables they add are dropped and their ledger rows removed.
    async fn back_to_schema_19(&self) {
        let mut db = self.db().await;
        for sql in [
            "DROP INDEX contact_requests_waiting",
            "DROP TABLE determination_outcomes",
            "DROP INDEX determinations_by_day",
            "DROP TABLE served_periods",
            "DROP TABLE service_bits",
            "DROP INDEX clients_report",
            "ALTER TABLE clients DROP COLUMN profile_id",
            "DROP TABLE report_profiles",
            "DROP INDEX clients_first_served",
            "DROP INDEX cases_by_period",
            "ALTER TABLE cases DROP COLUMN profile_id",
            "DROP INDEX screenings_by_period",
            "ALTER TABLE clients DROP COLUMN first_served_on",
            "ALTER TABLE clients DROP COLUMN trafficking_type",
            "ALTER TABLE clients DROP COLUMN citizenship",
            "ALTER TABLE clients DROP COLUMN referral_source",
            "ALTER TABLE clients DROP COLUMN age_at_intake",
            "DROP TABLE plan_reviews",
            "DROP TABLE plan_steps",
            "DROP TABLE plan_goals",
            "DROP TABLE service_plans",
            "DROP TABLE outcome_scores",
            "DROP TABLE outcome_assessments",
            "DROP TABLE follow_ups",
            "DROP TABLE case_closures",
            "DROP TABLE referral_steps",
            "DROP TABLE referrals",
            "DROP TABLE releases",
            "DROP TABLE partners",
            "ALTER TABLE notes DROP COLUMN kind",
            "DROP TABLE client_changes",
            "ALTER TABLE clients DROP COLUMN aliases",
            "CREATE INDEX clients_alias_index ON clients (alias_index)",
            "ALTER TABLE cases DROP COLUMN transferred_from",
            "DROP TABLE need_answers",
            "DROP TABLE need_assessments",
            "DROP TABLE services",
            "DROP TABLE contacts",
            "ALTER TABLE users DROP COLUMN time_zone",
            "ALTER TABLE emergency_access DROP COLUMN review_comment",
            "DELETE FROM schema_migrations WHERE version > 19",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut db)
                .await
                .unwrap();
        }
        db.close().await.unwrap();
    }
}

/// An instance started with another instance's key file is refused before anything is written:
/// it would otherwise audit under a key its chain does not know, and read none of its records.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_instances_key_file_is_refused_and_nothing_changes() {
    for engine in common::engines() {
        let root = tempfile::tempdir().unwrap();
        let ours = Instance::new(engine, root.path().join("ours")).await;
        let theirs = Instance::new(engine, root.path().join("theirs")).await;
        for instance in [&ours, &theirs] {
            let out = instance.run(
                &[
                    "users",
                    "add",
                    "--username",
                    "ana.m",
                    "--role",
                    "administrator",
                ],
                &[],
            );
            assert!(out.status.success(), "{engine:?}: {}", stderr(&out));
        }
        let head = || async {
            let mut db = ours.db().await;
            let head: (i64, Vec<u8>) = sqlx::query_as("SELECT seq, mac FROM audit_head")
                .fetch_one(&mut db)
                .await
                .unwrap();
            db.close().await.unwrap();
            head
        };
        let before = head().await;

        let theirs_key: OsString = theirs.data.join("safeharbor.key").into();
        let out = ours.run(&["users", "list"], &["--key-file".into(), theirs_key]);
        assert!(!out.status.success(), "{engine:?}");
        assert!(
            stderr(&out).contains("is another instance's key file"),
            "{engine:?}: {}",
            stderr(&out)
        );
        assert_eq!(head().await, before, "{engine:?}: nothing audited");
        let out = ours.run(&["audit", "verify"], &[]);
        assert!(out.status.success(), "{engine:?}: {}", stderr(&out));
    }
}

/// The upgrade to schema 37 sums the services already recorded into what the reports read of each
/// fiscal quarter and year, the upgrade to schema 39 gives each client recorded the profile of
/// their report dimensions (and each case and closure their client's), and the upgrade to
/// schema 40 copies each person's profile and first days onto their sums, exactly as the load
/// recorded them (the store's conformance suite holds the load's sums to recording one by one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upgrades_to_schemas_37_to_40_sum_and_profile_what_was_recorded() {
    for engine in common::engines() {
        let root = tempfile::tempdir().unwrap();
        let instance = Instance::new(engine, root.path().join("data")).await;
        let out = instance.run(&["synthetic", "--clients", "150", "--seed", "5"], &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        let sums = |db: sqlx::AnyConnection| async move {
            let mut db = db;
            let rows: Vec<Sums> = sqlx::query_as(
                "SELECT span, starts_on, client_id, mask, first_on, first_ever_on, year_first_on \
                 FROM served_periods ORDER BY span, starts_on, client_id",
            )
            .fetch_all(&mut db)
            .await
            .unwrap();
            db.close().await.unwrap();
            rows
        };
        // The numbers differ as they are made; each client's dimensions through them may not.
        let profiles = |db: sqlx::AnyConnection| async move {
            let mut db = db;
            let rows: Vec<Profiled> = sqlx::query_as(
                "SELECT r.id, p.gender, p.age_band, p.age_at_intake, p.trafficking_type, \
                   p.citizenship, p.referral_source \
                 FROM (SELECT id, profile_id FROM clients \
                   UNION ALL SELECT id, profile_id FROM cases \
                   UNION ALL SELECT id, profile_id FROM case_closures \
                   UNION ALL SELECT span || starts_on || client_id AS id, profile_id \
                     FROM served_periods) r \
                 JOIN report_profiles p ON p.id = r.profile_id ORDER BY r.id",
            )
            .fetch_all(&mut db)
            .await
            .unwrap();
            db.close().await.unwrap();
            rows
        };
        let recorded = sums(instance.db().await).await;
        let years = recorded.iter().filter(|r| r.0 == "year").count();
        assert!(years >= 150, "{engine:?}: everyone served in some year");
        assert!(
            recorded.len() > 2 * years,
            "{engine:?}: and in several quarters"
        );
        let profiled = profiles(instance.db().await).await;
        assert!(
            profiled.len() > 2 * 150,
            "{engine:?}: every client has a profile, and every case and closure their client's"
        );
        let distinct: std::collections::BTreeSet<_> = profiled
            .iter()
            .map(|p| (&p.1, &p.2, &p.3, &p.4, &p.5, &p.6))
            .collect();
        assert!(
            distinct.len() > 10,
            "{engine:?}: {} profiles",
            distinct.len()
        );

        let mut db = instance.db().await;
        for sql in [
            // Schemas 41 and 42's, added after.
            "DROP INDEX contact_requests_waiting",
            "DROP TABLE determination_outcomes",
            "DROP INDEX determinations_by_day",
            "DROP TABLE served_periods",
            "DROP TABLE service_bits",
            "DROP INDEX clients_report",
            "ALTER TABLE clients DROP COLUMN profile_id",
            "DROP INDEX cases_by_period",
            "ALTER TABLE cases DROP COLUMN profile_id",
            "DROP INDEX case_closures_by_period",
            "DROP INDEX case_closures_reopened",
            "ALTER TABLE case_closures DROP COLUMN profile_id",
            "DROP TABLE report_profiles",
            // Schema 38's indexes, as far as migration 39 replaces them.
            "CREATE INDEX clients_report ON clients (id)",
            "CREATE INDEX cases_by_period ON cases (opened_on)",
            "CREATE INDEX case_closures_by_period ON case_closures (closed_on)",
            "CREATE INDEX case_closures_reopened ON case_closures (reopened_on)",
            "DELETE FROM schema_migrations WHERE version >= 37",
        ] {
            sqlx::query(sql).execute(&mut db).await.unwrap();
        }
        db.close().await.unwrap();
        let out = instance.run(&["users", "list"], &[]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            sums(instance.db().await).await,
            recorded,
            "{engine:?}: the upgrade's sums"
        );
        assert_eq!(
            profiles(instance.db().await).await,
            profiled,
            "{engine:?}: the upgrade's profiles"
        );
    }
}

/// A row of `served_periods` as the upgrades fill it, less its profile.
type Sums = (
    String,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
);

/// A client's, case's, closure's or sum's id and the report dimensions of its profile.
type Profiled = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Gives `instance` an account and two clients, read through the API (audited), as this version
/// leaves them; returns the account's API token.
async fn put_in_use(instance: &Instance, log: PathBuf) -> String {
    let out = instance.run(
        &[
            "users",
            "add",
            "--username",
            "ana.m",
            "--role",
            "case-manager",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let token = stdout(&out).lines().last().unwrap().to_owned();
    let mut server = Server::start(&instance.args(), log);
    server.wait_listening();
    let http = reqwest::Client::new();
    for name in ["Ada", "Bea"] {
        let created = http
            .post(format!("http://127.0.0.1:{}/api/v1/clients", server.port))
            .bearer_auth(&token)
            .json(
                &serde_json::json!({"preferred_name": name, "legal_name": format!("{name} Legal")}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201);
    }
    drop(server);
    token
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgrade_backs_the_database_up_first_and_the_backup_restores() {
    for engine in common::engines() {
        upgrade_drill(engine).await;
    }
}

async fn upgrade_drill(engine: common::Engine) {
    let root = tempfile::tempdir().unwrap();
    let instance = Instance::new(engine, root.path().join("data")).await;
    let token = put_in_use(&instance, root.path().join("a.log")).await;
    instance.back_to_schema_19().await;

    // A backup folder others can read is refused, and then nothing is migrated.
    let open = root.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = instance.run(
        &["users", "list"],
        &["--upgrade-backup-dir".into(), open.clone().into()],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("could not back up the database before upgrading it from schema 19"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("chmod 700"), "{}", stderr(&out));
    assert_eq!(instance.schema_version().await, 19, "nothing was migrated");
    assert!(files_in(&open).is_empty());

    // The server backs the database up where the operator chose, says where, then migrates.
    let chosen = root.path().join("upgrade-backups");
    let mut args = instance.args();
    args.extend(["--upgrade-backup-dir".into(), chosen.clone().into()]);
    let mut server = Server::start(&args, root.path().join("b.log"));
    server.wait_listening();
    let log = server.log();
    drop(server);
    let upgraded = instance.schema_version().await;
    assert!(upgraded > 19, "migrated");
    assert_eq!(mode(&chosen), 0o700);
    let files = files_in(&chosen);
    assert_eq!(files.len(), 2, "{files:?}");
    let keys = files[0].clone();
    let records = files[1].clone();
    assert!(
        keys.to_str().unwrap().contains("keys-schema-19-"),
        "{keys:?}"
    );
    assert!(
        records.to_str().unwrap().contains("records-schema-19-"),
        "{records:?}"
    );
    for file in &files {
        assert_eq!(mode(file), 0o600, "{file:?}");
    }
    assert!(
        log.contains("backed up the database before upgrading"),
        "{log}"
    );
    assert!(log.contains(records.to_str().unwrap()), "{log}");
    assert!(log.contains("upgraded the database schema"), "{log}");

    // The backup restores into a new instance, with the key file it was made with, and is
    // upgraded there: the account, its token and the clients are all back, the chain whole.
    let restored = Instance::new(engine, root.path().join("restored")).await;
    let key_file: OsString = instance.data.join("safeharbor.key").into();
    let with_key = ["--key-file".into(), key_file];
    for (command, file) in [("restore", &records), ("keys restore", &keys)] {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.extend(["--input", file.to_str().unwrap()]);
        let out = restored.run(&args, &with_key);
        assert!(out.status.success(), "{command}: {}", stderr(&out));
    }
    assert_eq!(
        restored.schema_version().await,
        upgraded,
        "upgraded after the restore"
    );
    let out = restored.run(&["audit", "verify"], &with_key);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let mut args = restored.args();
    args.extend(with_key);
    let mut server = Server::start(&args, root.path().join("c.log"));
    server.wait_listening();
    let page = reqwest::Client::new()
        .get(format!(
            "http://127.0.0.1:{}/api/v1/clients?limit=10",
            server.port
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("Ada") && page.contains("Bea"), "{page}");
    drop(server);

    // An instance already at this version's schema takes no backup; nor does a new one.
    let out = instance.run(
        &["users", "list"],
        &["--upgrade-backup-dir".into(), chosen.clone().into()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(files_in(&chosen).len(), 2);
    let fresh = Instance::new(engine, root.path().join("fresh")).await;
    let out = fresh.run(&["users", "list"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!fresh.data.join("upgrade-backups").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_migrated_by_a_newer_version_is_refused_and_left_as_it_is() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    let data_arg = data.to_str().unwrap();
    let out = safeharbor(&[
        "users",
        "add",
        "--username",
        "ana.m",
        "--role",
        "case-manager",
        "--data-dir",
        data_arg,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut db = sqlite(&data.join("records.sqlite")).await;
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from a newer version', 0)")
        .execute(&mut db)
        .await
        .unwrap();
    db.close().await.unwrap();
    let before = std::fs::read(data.join("records.sqlite")).unwrap();

    for args in [
        vec!["serve", "--listen", "127.0.0.1:0", "--data-dir", data_arg],
        vec!["users", "list", "--data-dir", data_arg],
    ] {
        let out = safeharbor(&args);
        assert!(!out.status.success(), "{args:?} ran");
        let said = stderr(&out);
        assert!(
            said.contains("migrated by a newer Safe Harbor (schema 99, this binary knows up to"),
            "{said}"
        );
    }
    assert_eq!(
        std::fs::read(data.join("records.sqlite")).unwrap(),
        before,
        "the database is left as it was"
    );
    assert!(!data.join("upgrade-backups").exists());
}
