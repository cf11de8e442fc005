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
    let mut writer = store.writer().acquire().await.unwrap();
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
