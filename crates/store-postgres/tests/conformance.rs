//! The storage conformance suite on PostgreSQL, whenever `TEST_DATABASE_URL` is set. Each test
//! gets a database of its own, created from that URL.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicU32, Ordering};

struct Postgres {
    admin_url: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty database on the test server; returns its URL.
pub async fn fresh_database(admin_url: &str) -> String {
    sqlx::any::install_default_drivers();
    let name = format!(
        "sh_conf_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(admin_url)
        .await
        .expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut conn)
    .await
    .expect("drop");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create");
    let (base, _) = admin_url.rsplit_once('/').expect("URL names a database");
    format!("{base}/{name}")
}

impl store::conformance::Harness for Postgres {
    async fn fresh(&self) -> (store::Store, store::KeyStore) {
        let url = fresh_database(&self.admin_url).await;
        safeharbor_store_postgres::open(&url, None, domain::Timestamp::from_unix_millis(0))
            .await
            .expect("open PostgreSQL")
    }
}

fn harness() -> Option<Postgres> {
    store::conformance::test_database_url().map(|admin_url| Postgres { admin_url })
}

store::conformance_tests!(harness());

/// PostgreSQL's planner samples column values (`pg_statistic`); a sample of a blind index would
/// keep index keys past their client's erasure, so it takes none of them (migration 36), while
/// still counting the columns a report filters on.
#[tokio::test]
async fn the_planner_keeps_no_sample_of_a_blind_index() {
    let Some(harness) = harness() else { return };
    let (store, _) = store::conformance::Harness::fresh(&harness).await;
    for sql in [
        "INSERT INTO clients (id, created_at, created_by, gender, name_index, dob_index, \
           alias_index) \
         SELECT 'client-' || i, 0, 'test', 'woman', 'name-' || i, 'dob-' || (i % 50), \
           'alias-' || (i % 7) FROM generate_series(1, 2000) AS i",
        "INSERT INTO signin_throttle (subject, failures, last_failure_at) \
         SELECT 'subject-' || i, 1, 0 FROM generate_series(1, 500) AS i",
        "ANALYZE clients",
        "ANALYZE signin_throttle",
    ] {
        sqlx::query(sql).execute(store.pool()).await.unwrap();
    }
    let sampled: Vec<(String, String)> = sqlx::query_as(
        "SELECT tablename::text, attname::text FROM pg_stats \
         WHERE tablename IN ('clients', 'signin_throttle') ORDER BY 1, 2",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let has = |table: &str, column: &str| sampled.iter().any(|(t, c)| t == table && c == column);
    assert!(has("clients", "gender"), "ANALYZE ran: {sampled:?}");
    assert!(
        has("signin_throttle", "failures"),
        "ANALYZE ran: {sampled:?}"
    );
    for (table, column) in [
        ("clients", "name_index"),
        ("clients", "dob_index"),
        ("clients", "alias_index"),
        ("signin_throttle", "subject"),
    ] {
        assert!(!has(table, column), "{table}.{column} sampled: {sampled:?}");
    }
}
