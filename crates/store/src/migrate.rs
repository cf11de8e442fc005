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

/// Every migration, for an engine crate to embed from its own `migrations/` folder: each engine
/// writes the same migrations in its own SQL, under the same file names, so the list is kept once,
/// here. Expands to `(records, keys)`, two `&[Migration]`. (`include_str!` reads relative to the
/// file that invokes this macro.)
#[macro_export]
macro_rules! embedded_migrations {
    () => {
        $crate::embedded_migrations!(@records
            (1, "init", "0001_init"),
            (2, "screenings", "0002_screenings"),
            (3, "audit head trigger", "0003_audit_head_trigger"),
            (4, "sign-in", "0004_signin"),
            (5, "safety and alias", "0005_safety_and_alias"),
            (6, "invitations", "0006_invitations"),
            (7, "contact requests", "0007_contact_requests"),
            (8, "caseload order", "0008_caseload_order"),
            (9, "screening drafts", "0009_screening_drafts"),
            (10, "audit viewer", "0010_audit_viewer"),
            (11, "determinations", "0011_determinations"),
            (12, "teams", "0012_teams"),
            (13, "emergency access", "0013_emergency_access"),
            (14, "restricted clients", "0014_restricted_clients"),
            (15, "passkeys", "0015_passkeys"),
            (16, "emergency access by client", "0016_emergency_access_by_client"),
            (17, "sign-in throttle", "0017_signin_throttle"),
            (18, "audit head tag", "0018_audit_head_tag"),
            (19, "programs", "0019_programs"),
            (20, "emergency review comment", "0020_emergency_review_comment"),
            (21, "staff time zone", "0021_staff_time_zone"),
        )
    };
    (@records $(($version:literal, $name:literal, $file:literal)),+ $(,)?) => {
        (
            &[$($crate::migrate::Migration {
                version: $version,
                name: $name,
                sql: include_str!(concat!("../migrations/records/", $file, ".sql")),
            }),+] as &[$crate::migrate::Migration],
            &[$crate::migrate::Migration {
                version: 1,
                name: "init",
                sql: include_str!("../migrations/keys/0001_init.sql"),
            }] as &[$crate::migrate::Migration],
        )
    };
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
        tracing::debug!(
            version = migration.version,
            name = migration.name,
            "applied migration"
        );
    }
    // An upgrade is worth a line in the log; creating a new database is not (the demo's first
    // lines are for its accounts).
    if let Some(newest) = migrations
        .last()
        .filter(|m| applied > 0 && m.version > applied)
    {
        tracing::info!(
            from = applied,
            to = newest.version,
            "upgraded the database schema"
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
