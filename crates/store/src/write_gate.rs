//! SQLite's writers, one at a time, and its write-ahead log kept short away from them.
//!
//! Writers queue at a gate, in order and woken at once, rather than in SQLite's busy handler,
//! which sleeps and polls. (An embedded database has one process; PostgreSQL orders writers
//! itself, across processes, with the audit head's row lock.)
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

use sqlx::{AnyPool, Row};
use tokio::sync::{Mutex, Notify, OwnedMutexGuard};

use crate::{Result, StoreError, Unavailable};

/// How long a writer waits for its turn before giving up.
const WRITE_WAIT: Duration = Duration::from_secs(30);

/// How long the log keeper lets writes gather after a turn ends before copying them.
const GATHER: Duration = Duration::from_millis(10);

/// The log's length, in pages, from which the keeper takes a turn to have it start again: 4 MiB
/// of 4 KiB pages, SQLite's own default.
const RESTART_AT: i64 = 1000;

#[derive(Debug, Clone, Default)]
pub(crate) struct WriteGate {
    turn: Arc<Mutex<()>>,
    /// A writer's turn ended: the log may have grown.
    wrote: Arc<Notify>,
}

/// A writer's turn, held until its transaction ends.
pub(crate) struct WriteTurn {
    _turn: OwnedMutexGuard<()>,
    wrote: Arc<Notify>,
}

impl Drop for WriteTurn {
    fn drop(&mut self) {
        self.wrote.notify_one();
    }
}

impl WriteGate {
    /// This writer's turn: as long as SQLite's own busy timeout would have waited, then a clear
    /// error.
    pub(crate) async fn turn(&self) -> Result<WriteTurn> {
        let turn = tokio::time::timeout(WRITE_WAIT, self.turn.clone().lock_owned())
            .await
            .map_err(|_| StoreError::Unavailable(Unavailable::Busy))?;
        Ok(WriteTurn {
            _turn: turn,
            wrote: self.wrote.clone(),
        })
    }

    /// Starts the task that copies the log of the database `readers` read, until that pool is
    /// closed.
    pub(crate) fn keep_log_short(&self, readers: AnyPool) {
        tokio::spawn(keep_short(readers, self.turn.clone(), self.wrote.clone()));
    }
}

async fn keep_short(readers: AnyPool, turn: Arc<Mutex<()>>, wrote: Arc<Notify>) {
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
