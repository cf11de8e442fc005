//! Forward-only migrations, embedded in the binary, one tree per engine (STYLE.md 10). A database
//! migrated by a newer binary is refused rather than guessed at.

use sqlx::{AnyPool, AssertSqlSafe, Row};

use crate::{KeyStore, Result, Store, StoreError};

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
            (22, "contacts", "0022_contacts"),
            (23, "services", "0023_services"),
            (24, "needs", "0024_needs"),
            (25, "client edits", "0025_client_edits"),
            (26, "note kinds", "0026_note_kinds"),
            (27, "referrals", "0027_referrals"),
            (28, "service plans", "0028_service_plans"),
            (29, "closure and outcomes", "0029_closure_outcomes"),
            (30, "timeline indexes", "0030_timeline_indexes"),
            (31, "report dimensions", "0031_report_dimensions"),
            (32, "age at intake", "0032_age_at_intake"),
            (33, "services by period", "0033_services_by_period"),
            (34, "first served", "0034_first_served"),
            (35, "report periods", "0035_report_periods"),
            (36, "planner statistics", "0036_planner_statistics"),
            (37, "served periods", "0037_served_periods"),
            (38, "first served wait", "0038_first_served_wait"),
            (39, "report profiles", "0039_report_profiles"),
            (40, "served facts", "0040_served_facts"),
            (41, "determination outcomes", "0041_determination_outcomes"),
            (42, "waiting contact requests", "0042_waiting_contact_requests"),
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

/// The newest migration `ledger` records (0 for a new database), creating the ledger if there is
/// none yet. A database migrated by a newer binary, past every one of `migrations`, is refused.
pub async fn applied(pool: &AnyPool, ledger: Ledger, migrations: &[Migration]) -> Result<i64> {
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
    let known = newest(migrations);
    if applied > known {
        return Err(StoreError::NewerSchema {
            found: applied,
            known,
        });
    }
    Ok(applied)
}

/// The newest of `migrations`: the schema version this binary writes.
pub fn newest(migrations: &[Migration]) -> i64 {
    migrations.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Applies every migration newer than the database, each in its own transaction.
pub async fn run(
    pool: &AnyPool,
    ledger: Ledger,
    migrations: &[Migration],
    now_ms: i64,
) -> Result<()> {
    run_to(pool, ledger, migrations, i64::MAX, now_ms).await
}

/// Applies every migration newer than the database up to version `upto` (to restore a backup
/// made at that version before going on), each in its own transaction.
pub async fn run_to(
    pool: &AnyPool,
    ledger: Ledger,
    migrations: &[Migration],
    upto: i64,
    now_ms: i64,
) -> Result<()> {
    let table = ledger.table();
    let applied = self::applied(pool, ledger, migrations).await?;
    let due = || {
        migrations
            .iter()
            .filter(move |m| m.version > applied && m.version <= upto)
    };
    for migration in due() {
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
    if let Some(newest) = due().next_back().filter(|_| applied > 0) {
        tracing::info!(
            from = applied,
            to = newest.version,
            "upgraded the database schema"
        );
    }
    Ok(())
}

/// Where a database's schemas stand against the ones this binary writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The records' schema version (0: a new database).
    pub records: i64,
    /// The key store's schema version (0: a new key store).
    pub keys: i64,
    pub newest_records: i64,
    pub newest_keys: i64,
}

impl Schema {
    /// Whether a database that existed before has migrations to apply: an upgrade, which is
    /// worth a backup first. A new database is not one.
    pub fn is_upgrade(&self) -> bool {
        (self.records > 0 && self.records < self.newest_records)
            || (self.keys > 0 && self.keys < self.newest_keys)
    }
}

/// A database connected to and checked by its engine crate, not yet brought up to this binary's
/// schema: what stands between is the chance to back it up as it is, or to restore a backup
/// made at an older schema before the rest of the migrations run.
#[derive(Debug)]
pub struct Unmigrated {
    store: Store,
    keys: KeyStore,
    records_migrations: &'static [Migration],
    keys_migrations: &'static [Migration],
}

impl Unmigrated {
    /// `migrations` as `embedded_migrations!` gives them: the records', then the key store's.
    pub fn new(
        store: Store,
        keys: KeyStore,
        migrations: (&'static [Migration], &'static [Migration]),
    ) -> Self {
        Self {
            store,
            keys,
            records_migrations: migrations.0,
            keys_migrations: migrations.1,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn key_store(&self) -> &KeyStore {
        &self.keys
    }

    /// Where the schemas stand; refuses a database migrated by a newer binary, leaving it as it is.
    pub async fn schema(&self) -> Result<Schema> {
        Ok(Schema {
            records: applied(self.store.pool(), Ledger::Records, self.records_migrations).await?,
            keys: applied(self.keys.pool(), Ledger::KeyStore, self.keys_migrations).await?,
            newest_records: newest(self.records_migrations),
            newest_keys: newest(self.keys_migrations),
        })
    }

    /// Brings the records up to schema `upto` (no further) and the key store up to date.
    pub async fn migrate_to(&self, upto: i64, now_ms: i64) -> Result<()> {
        run_to(
            self.store.pool(),
            Ledger::Records,
            self.records_migrations,
            upto,
            now_ms,
        )
        .await?;
        run(
            self.keys.pool(),
            Ledger::KeyStore,
            self.keys_migrations,
            now_ms,
        )
        .await
    }

    /// Brings both up to this binary's schema, and gives the query planner statistics of the
    /// records as they now are.
    pub async fn migrate(self, now_ms: i64) -> Result<(Store, KeyStore)> {
        self.migrate_to(i64::MAX, now_ms).await?;
        self.store.refresh_statistics().await?;
        Ok((self.store, self.keys))
    }
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
