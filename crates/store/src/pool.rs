//! What every engine's pool does with a connection handed back: it keeps it only if no
//! transaction is left open on it.
//!
//! A transaction dropped without commit or rollback leaves a rollback queued, run before the
//! connection's next statement. But when a COMMIT fails because the disk is full, SQLite has
//! already rolled the transaction back itself, so that queued ROLLBACK fails too, and sqlx still
//! counts the connection as inside a transaction: every later BEGIN on it is refused. On a pool's
//! connections that would fail every write that drew one, long after there was room again. Such
//! a connection is closed instead, and the pool opens a fresh one. (SQLite's one writing
//! connection is never handed back: the write gate rolls back, or opens it afresh, itself.)

use sqlx::Connection;
use sqlx::any::AnyPoolOptions;

/// `options`, checking each connection handed back to the pool.
pub fn keep_only_clean(options: AnyPoolOptions) -> AnyPoolOptions {
    options.after_release(|conn, _meta| {
        Box::pin(async move {
            if conn.is_in_transaction() {
                // Let the queued rollback run, then look again.
                conn.ping().await?;
            }
            Ok(!conn.is_in_transaction())
        })
    })
}
