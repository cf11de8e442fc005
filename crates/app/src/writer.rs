//! The writer thread. SQLite lets one transaction write at a time, so every audited request queues
//! for that turn; how long each turn lasts is what bounds throughput. A turn is a handful of round
//! trips to the database, and on a busy server each wake-up after a round trip waits behind
//! everything else the runtime has to do. So on SQLite the transactional part of a request runs on
//! a thread of its own, where nothing else waits in line, while parsing, authentication and
//! responses stay on the main runtime. PostgreSQL, which lets many transactions run at once, runs
//! everything inline.

use std::future::Future;

use tokio::sync::oneshot;

use crate::{AppError, Result};

#[derive(Debug)]
pub(crate) struct Writer {
    handle: tokio::runtime::Handle,
    // Dropping this ends the thread.
    _stop: oneshot::Sender<()>,
}

impl Writer {
    /// Starts the writer thread; `None` if it cannot (the work then runs inline).
    pub(crate) fn start() -> Option<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .ok()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("safeharbor-writer".into())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })
            .ok()?;
        Some(Self {
            handle,
            _stop: stop,
        })
    }

    /// Runs `work` on the writer thread and waits for its result.
    pub(crate) async fn run<T, F>(&self, work: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.handle
            .spawn(work)
            .await
            .map_err(|_| AppError::Conflict("the request was interrupted; nothing was changed"))?
    }
}
