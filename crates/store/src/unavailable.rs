//! Telling "the database cannot serve now" apart from every other database error. A server that
//! is stopped, paused, restarting, out of disk or holding a lock too long is a fault of the
//! moment: the request was fine and may be tried again (HTTP 503), and nothing a transaction began
//! is kept, because it never committed.

use sqlx::error::DatabaseError;
use sqlx::postgres::PgDatabaseError;
use sqlx::sqlite::SqliteError;

use crate::StoreError;

/// Why the database cannot serve now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    #[error("the database cannot be reached")]
    Unreachable,
    #[error("the database did not answer in time")]
    TimedOut,
    #[error("the database is busy")]
    Busy,
    #[error("the database has no room left to save")]
    Full,
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match unavailable(&err) {
            Some(why) => {
                // Logged here, once, with the cause; the caller hears only `why`. Database
                // errors of these kinds name no value.
                tracing::warn!(error = %err, "the database is unavailable");
                Self::Unavailable(why)
            }
            None => Self::Database(err),
        }
    }
}

fn unavailable(err: &sqlx::Error) -> Option<Unavailable> {
    match err {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolClosed => {
            Some(Unavailable::Unreachable)
        }
        sqlx::Error::PoolTimedOut => Some(Unavailable::TimedOut),
        sqlx::Error::Database(db) => database_says(db.as_ref()),
        _ => None,
    }
}

fn database_says(err: &dyn DatabaseError) -> Option<Unavailable> {
    if let Some(pg) = err.try_downcast_ref::<PgDatabaseError>() {
        return postgres_says(pg.code());
    }
    if let Some(sqlite) = err.try_downcast_ref::<SqliteError>() {
        return sqlite_says(sqlite.code()?.parse().ok()?);
    }
    None
}

/// By SQLSTATE (PostgreSQL's appendix A, "Error codes").
fn postgres_says(code: &str) -> Option<Unavailable> {
    match code {
        // Disk full.
        "53100" => Some(Unavailable::Full),
        // Shutting down, crashed, starting up; a lost connection (class 08).
        "57P01" | "57P02" | "57P03" => Some(Unavailable::Unreachable),
        _ if code.starts_with("08") => Some(Unavailable::Unreachable),
        // A statement or lock wait cut short by the server's timeouts.
        "57014" => Some(Unavailable::TimedOut),
        // Out of memory or connections (class 53), a lock not granted, a deadlock or a
        // serialization failure: each goes away when tried again.
        "55P03" | "40001" | "40P01" => Some(Unavailable::Busy),
        _ if code.starts_with("53") => Some(Unavailable::Busy),
        _ => None,
    }
}

/// By SQLite's result code (the primary code is the low byte of an extended one).
fn sqlite_says(code: i32) -> Option<Unavailable> {
    match code & 0xff {
        // SQLITE_FULL: the disk (or the database's size limit) is full.
        13 => Some(Unavailable::Full),
        // SQLITE_BUSY, SQLITE_LOCKED.
        5 | 6 => Some(Unavailable::Busy),
        // SQLITE_IOERR, SQLITE_CANTOPEN: the file cannot be read or written now.
        10 | 14 => Some(Unavailable::Unreachable),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real SQLite database that runs out of room, as a full disk does: SQLite says
    /// SQLITE_FULL for both, and a size limit is how to reach it without filling the disk.
    /// Through the `Any` driver, as the store connects.
    #[tokio::test]
    async fn a_full_sqlite_database_is_unavailable_not_broken() {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect("sqlite::memory:")
            .await
            .expect("connect");
        sqlx::query("CREATE TABLE t (v BLOB)")
            .execute(&mut conn)
            .await
            .expect("create");
        sqlx::query("PRAGMA max_page_count = 4")
            .execute(&mut conn)
            .await
            .expect("limit");
        let full = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .await
            .expect_err("no room");
        assert!(
            matches!(
                StoreError::from(full),
                StoreError::Unavailable(Unavailable::Full)
            ),
            "a full database is a fault of the moment"
        );
        let wrong = sqlx::query("SELECT * FROM no_such_table")
            .execute(&mut conn)
            .await
            .expect_err("no table");
        assert!(matches!(StoreError::from(wrong), StoreError::Database(_)));
    }

    #[test]
    fn postgres_codes_of_the_moment_are_told_from_real_errors() {
        for (code, expected) in [
            ("53100", Some(Unavailable::Full)),
            ("57P01", Some(Unavailable::Unreachable)),
            ("08006", Some(Unavailable::Unreachable)),
            ("57014", Some(Unavailable::TimedOut)),
            ("55P03", Some(Unavailable::Busy)),
            ("53300", Some(Unavailable::Busy)),
            // A unique violation, a syntax error, an undefined table: the request's or ours.
            ("23505", None),
            ("42601", None),
            ("42P01", None),
        ] {
            assert_eq!(postgres_says(code), expected, "{code}");
        }
    }

    #[test]
    fn sqlite_extended_codes_are_read_by_their_primary_code() {
        // SQLITE_BUSY_SNAPSHOT (517), SQLITE_IOERR_WRITE (778), SQLITE_CONSTRAINT_UNIQUE (2067).
        assert_eq!(sqlite_says(517), Some(Unavailable::Busy));
        assert_eq!(sqlite_says(778), Some(Unavailable::Unreachable));
        assert_eq!(sqlite_says(13), Some(Unavailable::Full));
        assert_eq!(sqlite_says(2067), None);
    }
}
