//! The storage conformance suite on SQLite: each test gets a fresh data folder.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

struct Sqlite;

impl store::conformance::Harness for Sqlite {
    async fn fresh(&self) -> (store::Store, store::KeyStore) {
        // The folder lives as long as the test process; each test has its own.
        let dir = tempfile::tempdir().expect("temp dir").keep();
        safeharbor_store_sqlite::open(&dir, domain::Timestamp::from_unix_millis(0))
            .await
            .expect("open SQLite")
    }
}

store::conformance_tests!(Some(Sqlite));

#[tokio::test]
async fn every_connection_is_durable() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) =
        safeharbor_store_sqlite::open(dir.path(), domain::Timestamp::from_unix_millis(0))
            .await
            .unwrap();
    // Hold many connections at once so the pool must open new ones; check each.
    let mut held = Vec::new();
    for _ in 0..8 {
        let mut conn = store.pool().acquire().await.unwrap();
        safeharbor_store_sqlite::check_connection(&mut conn)
            .await
            .unwrap();
        held.push(conn);
    }
    // And the connection every write transaction commits on.
    let mut writer = store
        .writer()
        .await
        .unwrap()
        .expect("SQLite's writing connection");
    safeharbor_store_sqlite::check_connection(&mut writer)
        .await
        .unwrap();
}

/// The database files, their write-ahead logs included, are the owner's alone, in a new folder
/// and in one an older version left readable to others.
#[tokio::test]
async fn the_database_files_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let records = safeharbor_store_sqlite::records_path(dir.path());
    std::fs::write(&records, b"").unwrap();
    std::fs::set_permissions(&records, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (store, keys) =
        safeharbor_store_sqlite::open(dir.path(), domain::Timestamp::from_unix_millis(0))
            .await
            .unwrap();
    let mut tx = store.write().await.unwrap();
    tx.create_team(
        domain::TeamId::from_random([1; 16]),
        "North",
        domain::Timestamp::from_unix_millis(0),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(keys.columns().await.is_ok());
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", entry.path().display());
        files += 1;
    }
    assert!(files >= 4, "the databases and their logs: {files} files");
}

/// Opening the store gives SQLite's query planner statistics of the tables as they are: without
/// them it joins a report's people to the rows holding their sealed details, not to the covering
/// index of their report dimensions (an `EXPLAIN QUERY PLAN` of the served query over a loaded
/// set shows which; BENCHMARKS.md). The counts are kept, never samples of index keys: a blind
/// index sampled there would outlive its client's erasure.
#[tokio::test]
async fn opening_gives_the_query_planner_statistics_but_keeps_no_samples() {
    let dir = tempfile::tempdir().unwrap();
    let now = domain::Timestamp::from_unix_millis(0);
    let open = || safeharbor_store_sqlite::open(dir.path(), now);
    let (store, _) = open().await.unwrap();
    for insert in [
        "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
         INSERT INTO clients (id, created_at, created_by, gender, name_index, first_served_on) \
         SELECT printf('client-%04d', i), 0, 'test', 'woman', printf('blind-%04d', i), \
           '2026-01-01' FROM n",
        "INSERT INTO services (id, client_id, author, created_at, delivered_on, code, mode) \
         SELECT 'service-' || id, id, 'test', 0, first_served_on, 'C4', 'phone' FROM clients",
    ] {
        sqlx::query(insert).execute(store.pool()).await.unwrap();
    }
    let count = |store: &store::Store, sql: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap_or(0)
        }
    };
    const ANALYZED: &str = "SELECT COUNT(DISTINCT tbl) FROM sqlite_stat1 \
                            WHERE tbl IN ('clients', 'services')";
    const SAMPLES: &str = "SELECT COUNT(*) FROM sqlite_stat4";
    assert_eq!(count(&store, ANALYZED).await, 0, "nothing analyzed yet");
    drop(store);

    let (store, _) = open().await.unwrap();
    assert_eq!(count(&store, ANALYZED).await, 2, "both tables analyzed");
    assert_eq!(count(&store, SAMPLES).await, 0);

    // An ANALYZE by hand, without a limit, samples index keys; the next start drops them.
    for sql in ["PRAGMA analysis_limit = 0", "ANALYZE"] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    assert!(count(&store, SAMPLES).await > 0, "samples taken by hand");
    drop(store);
    let (store, _) = open().await.unwrap();
    assert_eq!(count(&store, SAMPLES).await, 0, "samples dropped at start");
    assert_eq!(count(&store, ANALYZED).await, 2, "counts kept");
}

/// Once SQLite's write-ahead log is long, the store's keeper copies it into the database away
/// from the writer and the next write starts it again from its beginning. (The writer, which
/// copies the log itself only at ten times that length, would not have started it again here.)
#[tokio::test]
async fn the_write_ahead_log_starts_again_without_the_writer_copying_it() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) =
        safeharbor_store_sqlite::open(dir.path(), domain::Timestamp::from_unix_millis(0))
            .await
            .unwrap();
    let log = dir.path().join("records.sqlite-wal");
    // Bytes 12 to 15 of the log's header: how many times it has started again.
    let restarts = || std::fs::read(&log).unwrap()[12..16].to_vec();
    // About a page a program, 50 a transaction: up to 6,000 pages in all.
    let name = "n".repeat(3_500);
    let mut first = None;
    for round in 0..120 {
        let mut tx = store.write().await.unwrap();
        for n in 0..50 {
            let code = format!("p{round}-{n}");
            assert!(
                tx.insert_program(&code, &name, domain::Timestamp::from_unix_millis(0))
                    .await
                    .unwrap()
            );
        }
        tx.commit().await.unwrap();
        let now = restarts();
        if first.get_or_insert_with(|| now.clone()) != &now {
            return;
        }
    }
    panic!("the log grew to 6,000 pages and never started again");
}
