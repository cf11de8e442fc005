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
