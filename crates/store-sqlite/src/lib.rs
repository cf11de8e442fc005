//! Safe Harbor on embedded SQLite, the default: one folder holds `records.sqlite` and, apart from
//! it, the key store `keys.sqlite`. Every connection is set to WAL, `synchronous=FULL` (an
//! acknowledged commit survives a crash, P18), foreign keys on and `secure_delete` on, and the
//! settings are read back and checked on every connection, not once per pool.

use std::path::{Path, PathBuf};
use std::time::Duration;

use domain::Timestamp;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor, Row};
use store::migrate::{Migration, Unmigrated};
use store::{Dialect, KeyStore, Store, StoreError};

pub const RECORDS_FILE: &str = "records.sqlite";
pub const KEYS_FILE: &str = "keys.sqlite";

const MIGRATIONS: (&[Migration], &[Migration]) = store::embedded_migrations!();

const SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA secure_delete = ON; PRAGMA busy_timeout = 30000;";

fn url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

/// The writer's page cache: 16 MiB (SQLite's default is 2 MiB a connection). The one writer keeps
/// its cache between transactions (no other connection writes), so on a large database each
/// write finds the index pages it changes in memory instead of reading them again. Not larger:
/// when an insert splits an index page, SQLite renumbers pages in its cache through a page number
/// far past the database's end, and the commit then walks the whole cache to drop pages past the
/// end; at 64 MiB that walk was 6% of the server's time recording services (`perf`, issue 15).
/// Its ANALYZE (`Store::refresh_statistics`) samples at most 400 rows of each index, as SQLite
/// advises, so that it takes a moment even on a million clients. It copies the write-ahead log
/// into the database itself only once the log is ten times as long as the store's keeper lets it
/// grow (`Store::keep_log_short`): should readers keep the log from starting again, it is still
/// copied and stays bounded. What a batch's savepoints keep to undo one plan stays in memory
/// (`temp_store`), not in a file written at each plan.
const WRITER_SETUP: &str = "PRAGMA cache_size = -16384; PRAGMA analysis_limit = 400; \
                            PRAGMA wal_autocheckpoint = 10000; PRAGMA temp_store = MEMORY;";

async fn pool(
    path: &Path,
    max_connections: u32,
    extra: &'static str,
) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let pool = store::pool::keep_only_clean(AnyPoolOptions::new())
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        // A local file has no network to fail: skip the ping that would otherwise precede every
        // transaction (and lengthen the writer's turn).
        .test_before_acquire(false)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                conn.execute(SETUP).await?;
                if !extra.is_empty() {
                    conn.execute(extra).await?;
                }
                check_connection(conn).await
            })
        })
        .connect(&url(path))
        .await?;
    Ok(pool)
}

/// Reads back the settings durability and integrity depend on; refuses a connection without them.
pub async fn check_connection(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    let synchronous: i64 = sqlx::query("PRAGMA synchronous")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let foreign_keys: i64 = sqlx::query("PRAGMA foreign_keys")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    let journal: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&mut *conn)
        .await?
        .try_get(0)?;
    if synchronous != 2 || foreign_keys != 1 || journal != "wal" {
        return Err(sqlx::Error::Configuration(
            "SQLite connection is not in WAL mode with synchronous=FULL and foreign keys on".into(),
        ));
    }
    Ok(())
}

/// The files of an instance in `dir`.
pub fn records_path(dir: &Path) -> PathBuf {
    dir.join(RECORDS_FILE)
}

pub fn keys_path(dir: &Path) -> PathBuf {
    dir.join(KEYS_FILE)
}

/// Opens (creating and migrating as needed) the records and the key store in `dir`.
pub async fn open(dir: &Path, now: Timestamp) -> Result<(Store, KeyStore), StoreError> {
    connect(dir).await?.migrate(now.unix_millis()).await
}

/// Opens (creating as needed) the records and the key store in `dir`, without migrating them yet.
pub async fn connect(dir: &Path) -> Result<Unmigrated, StoreError> {
    create_private_dir(dir)?;
    for file in [records_path(dir), keys_path(dir)] {
        create_private_file(&file)?;
    }
    let records = pool(&records_path(dir), 8, "").await?;
    let writer = pool(&records_path(dir), 1, WRITER_SETUP).await?;
    let keys = pool(&keys_path(dir), 4, "").await?;
    let store = Store::sqlite(records, writer);
    store.keep_log_short();
    Ok(Unmigrated::new(
        store,
        KeyStore::new(keys, Dialect::Sqlite),
        MIGRATIONS,
    ))
}

/// The data folder is readable by its owner only.
fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Makes a database file readable by its owner only before SQLite opens it (SQLite would make it
/// 0644, and gives its write-ahead log and shared memory the same mode as the file), and takes
/// that mode back from a file an older version made. An empty file is an empty database.
fn create_private_file(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(path)?;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// Moves everything in the write-ahead log into the database file and empties the log.
pub async fn checkpoint(store: &Store) -> Result<(), StoreError> {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await?;
    Ok(())
}
