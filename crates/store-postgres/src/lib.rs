//! Safe Harbor on PostgreSQL, for deployments that outgrow one machine: several `safeharbor serve`
//! processes share one database, and nothing one of them needs from another lives in memory (the
//! audit chain's head is a row they all lock). At start the server refuses a cluster that could
//! lose acknowledged writes (P18).

use std::time::Duration;

use domain::Timestamp;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};
use store::migrate::{Migration, Unmigrated};
use store::{Dialect, KeyStore, Store, StoreError};

const MIGRATIONS: (&[Migration], &[Migration]) = store::embedded_migrations!();

/// Settings that must be `on` for an acknowledged commit to survive a crash.
const REQUIRED_ON: &[&str] = &["fsync", "synchronous_commit", "full_page_writes"];

/// Opens the records and the key store in the database at `url` (the key store may be given its
/// own database with `keys_url`), checks the server's durability settings and migrates.
pub async fn open(
    url: &str,
    keys_url: Option<&str>,
    now: Timestamp,
) -> Result<(Store, KeyStore), StoreError> {
    connect(url, keys_url)
        .await?
        .migrate(now.unix_millis())
        .await
}

/// Opens the records and the key store as `open` does, without migrating them yet.
pub async fn connect(url: &str, keys_url: Option<&str>) -> Result<Unmigrated, StoreError> {
    sqlx::any::install_default_drivers();
    let records = pool(url).await?;
    check_durability(&records).await?;
    let keys = match keys_url {
        Some(keys_url) => {
            let keys = pool(keys_url).await?;
            check_durability(&keys).await?;
            keys
        }
        // Its own pool, even on the same database: a request holds a records connection while
        // it fetches a key, and one shared pool would run dry under load.
        None => pool(url).await?,
    };
    Ok(Unmigrated::new(
        Store::postgres(records),
        KeyStore::new(keys, Dialect::Postgres),
        MIGRATIONS,
    ))
}

async fn pool(url: &str) -> Result<AnyPool, StoreError> {
    Ok(store::pool::keep_only_clean(AnyPoolOptions::new())
        .max_connections(16)
        // A server that is stopped or paused is told apart from a busy one within this, and the
        // request answered 503 "try again in a moment" (store::Unavailable).
        .acquire_timeout(Duration::from_secs(10))
        .connect(url)
        .await?)
}

/// Refuses a server with `fsync`, `synchronous_commit` or `full_page_writes` off.
pub async fn check_durability(pool: &AnyPool) -> Result<(), StoreError> {
    for setting in REQUIRED_ON {
        let row = sqlx::query("SELECT setting FROM pg_settings WHERE name = $1")
            .bind(*setting)
            .fetch_one(pool)
            .await?;
        let value: String = row.try_get("setting")?;
        if value != "on" {
            return Err(StoreError::Refused(match *setting {
                "fsync" => {
                    "PostgreSQL has fsync off: acknowledged writes could be lost; turn it on"
                }
                "synchronous_commit" => {
                    "PostgreSQL has synchronous_commit off: acknowledged writes could be lost; turn it on"
                }
                _ => "PostgreSQL has full_page_writes off: a crash could tear pages; turn it on",
            }));
        }
    }
    Ok(())
}
