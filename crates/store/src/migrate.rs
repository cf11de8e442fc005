//! Forward-only migrations, embedded in the binary, one tree per engine (STYLE.md 10). A database
//! migrated by a newer binary is refused rather than guessed at.

use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::{Result, StoreError};

#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Which set of migrations, recorded in its own table: the records and the key store may share a
/// PostgreSQL database and must not share version numbers.
#[derive(Debug, Clone, Copy)]
pub enum Ledger {
    Records,
    KeyStore,
}

impl Ledger {
    fn table(self) -> &'static str {
        match self {
            Ledger::Records => "schema_migrations",
            Ledger::KeyStore => "keystore_migrations",
        }
    }
}

/// Applies every migration newer than the database, each in its own transaction.
pub async fn run(
    pool: &AnyPool,
    ledger: Ledger,
    migrations: &[Migration],
    now_ms: i64,
) -> Result<()> {
    let table = ledger.table();
    // The table name is one of our two constants, never input.
    sqlx::query(AssertSqlSafe(format!(
        "CREATE TABLE IF NOT EXISTS {table} (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
    )))
    .execute(pool)
    .await?;
    let applied: i64 = sqlx::query(AssertSqlSafe(format!(
        "SELECT COALESCE(MAX(version), 0) AS v FROM {table}"
    )))
    .fetch_one(pool)
    .await?
    .try_get("v")?;
    let known = migrations.iter().map(|m| m.version).max().unwrap_or(0);
    if applied > known {
        return Err(StoreError::NewerSchema {
            found: applied,
            known,
        });
    }
    for migration in migrations.iter().filter(|m| m.version > applied) {
        let mut tx = pool.begin().await?;
        sqlx::raw_sql(AssertSqlSafe(migration.sql))
            .execute(&mut *tx)
            .await?;
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO {table} (version, name, applied_at) VALUES ($1, $2, $3)"
        )))
        .bind(migration.version)
        .bind(migration.name)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
    }
    Ok(())
}

/// The newest migration applied to the records database.
pub async fn current_version(pool: &AnyPool) -> Result<i64> {
    Ok(
        sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(pool)
            .await?
            .try_get("v")?,
    )
}
