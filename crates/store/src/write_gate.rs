//! SQLite's one writing connection, one writer at a time, and its write-ahead log kept short
//! away from it.
//!
//! Writers queue at a gate, in order and woken at once, rather than in SQLite's busy handler,
//! which sleeps and polls. (An embedded database has one process; PostgreSQL orders writers
//! itself, across processes, with the audit head's row lock.) Whoever has the turn has the
//! writing connection, kept here between turns rather than in a pool: a pool tests a connection
//! handed back with a round trip to SQLite's worker thread, which the next writer waited for. A
//! turn that ends inside its transaction (its work failed, or panicked) leaves it to the next
//! turn to roll back first, and should that fail, to open a connection afresh.
//!
//! SQLite copies its log back into the database (a checkpoint) inside the commit that finds the
//! log long, so that commit and every write queued behind it wait for the copy: at a steady load
//! of services, a few milliseconds every seventy, and most of the slowest writes (issue 15). So a
//! task of the gate's (`keep_log_short`) copies the log whenever a writer's turn ends, on a reading
//! connection, while the next writer goes on; and once the log is long, it copies the last of it
//! during a turn of its own, so that the next writer finds everything copied and SQLite starts
//! the log again from its beginning. The writer checkpoints itself only if the log grows far
//! beyond that (`WRITER_SETUP` in the SQLite crate), as it would if readers never let
//! the log start again.

use std::sync::Arc;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Row};
use tokio::sync::{Mutex, Notify, OwnedMappedMutexGuard, OwnedMutexGuard};

use crate::{Result, StoreError, Unavailable};

/// How long a writer waits for its turn before giving up.
const WRITE_WAIT: Duration = Duration::from_secs(30);

/// How long the log keeper lets writes gather after a turn ends before copying them: about one
/// batch of a steady load. Copies of 10 or 50 ms of writes, rarer but longer, each with its
/// flush to disk beside the writer's own, left the slowest writes slower (BENCHMARKS.md).
const GATHER: Duration = Duration::from_millis(2);

/// The log's length, in pages, from which the keeper takes a turn to have it start again: 4 MiB
/// of 4 KiB pages, SQLite's own default.
const RESTART_AT: i64 = 1000;

#[derive(Debug, Clone)]
pub(crate) struct WriteGate {
    /// Opens the writing connection (a pool of one, whose every connection the engine sets up
    /// and checks), at the first turn and again after one that could not be rolled back.
    opens: AnyPool,
    /// The writing connection between turns; the lock is the turn.
    writer: Arc<Mutex<Option<Writing>>>,
    /// A writer's turn ended: the log may have grown.
    wrote: Arc<Notify>,
}

#[derive(Debug)]
struct Writing {
    connection: PoolConnection<Any>,
    /// A transaction was begun and not seen to end: the next turn rolls it back first.
    unfinished: bool,
}

/// A writer's turn, with the writing connection, held until its transaction ends.
pub struct WriteTurn {
    writing: OwnedMappedMutexGuard<Option<Writing>, Writing>,
    wrote: Arc<Notify>,
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        self.wrote.notify_one();
    }
}

impl std::fmt::Debug for WriteTurn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WriteTurn")
    }
}

impl std::ops::Deref for WriteTurn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.writing.connection
    }
}

impl std::ops::DerefMut for WriteTurn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.writing.connection
    }
}

impl WriteTurn {
    /// From here until `finished`, the connection is inside a transaction (or may be: a BEGIN
    /// sent with other statements may have run when they fail).
    pub(crate) fn unfinished(&mut self) {
        self.writing.unfinished = true;
    }

    /// The transaction has ended, committed or rolled back.
    pub(crate) fn finished(&mut self) {
        self.writing.unfinished = false;
    }
}

impl WriteGate {
    pub(crate) fn new(opens: AnyPool) -> Self {
        Self {
            opens,
            writer: Arc::default(),
            wrote: Arc::default(),
        }
    }

    /// This writer's turn, with the connection outside any transaction: as long as SQLite's own
    /// busy timeout would have waited, then a clear error.
    pub(crate) async fn turn(&self) -> Result<WriteTurn> {
        let mut slot = tokio::time::timeout(WRITE_WAIT, self.writer.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Unavailable(Unavailable::Busy))?;
        if let Some(writing) = slot.as_mut().filter(|writing| writing.unfinished) {
            match sqlx::query("ROLLBACK")
                .execute(&mut *writing.connection)
                .await
            {
                Ok(_) => writing.unfinished = false,
                Err(failed) => {
                    // No transaction to roll back (a failed BEGIN or COMMIT ended it), or a
                    // connection gone bad: a new one is certain to be outside any.
                    tracing::info!(error = %failed, "the writing connection is opened afresh");
                    if let Some(old) = slot.take() {
                        let _ = old.connection.close().await;
                    }
                }
            }
        }
        if slot.is_none() {
            let connection = self.opens.acquire().await?;
            *slot = Some(Writing {
                connection,
                unfinished: false,
            });
        }
        let writing = OwnedMutexGuard::try_map(slot, Option::as_mut)
            .map_err(|_| StoreError::Refused("the writing connection was not opened"))?;
        Ok(WriteTurn {
            writing,
            wrote: self.wrote.clone(),
        })
    }

    /// Closes the writing connection once the writer in turn is done, then the pool that opens it.
    pub(crate) async fn close(&self) {
        if let Some(writing) = self.writer.lock().await.take() {
            let _ = writing.connection.close().await;
        }
        self.opens.close().await;
    }

    /// Starts the task that copies the log of the database `readers` read, until that pool is
    /// closed.
    pub(crate) fn keep_log_short(&self, readers: AnyPool) {
        tokio::spawn(keep_short(readers, self.writer.clone(), self.wrote.clone()));
    }
}

async fn keep_short(readers: AnyPool, turn: Arc<Mutex<Option<Writing>>>, wrote: Arc<Notify>) {
    let closed = readers.close_event();
    tokio::pin!(closed);
    loop {
        tokio::select! {
            () = wrote.notified() => {}
            () = &mut closed => return,
        }
        tokio::time::sleep(GATHER).await;
        let copied = match checkpoint(&readers).await {
            Ok(log) if log >= RESTART_AT => {
                // Copies no more than the writes of the last moment, so the turn is short.
                let _turn = turn.lock().await;
                checkpoint(&readers).await
            }
            other => other,
        };
        if let Err(failed) = copied {
            tracing::warn!(error = %failed, "copying the write-ahead log into the database failed; the writer will do it");
        }
    }
}

/// Copies what it can of the log into the database, as readers allow, without waiting for
/// anyone; the log's length in pages.
async fn checkpoint(readers: &AnyPool) -> Result<i64> {
    let row = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(readers)
        .await?;
    Ok(row.try_get("log")?)
}
