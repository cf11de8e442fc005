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
