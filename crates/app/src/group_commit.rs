//! Group commit. Every audited read is a write: its audit event must be durable before the data
//! leaves (P9), and a durable commit costs a WAL fsync on SQLite and a WAL flush on PostgreSQL,
//! with writers taking turns for the audit chain's head. One commit per request made that turn the
//! bottleneck. So requests queue their work here, and whoever finds no batch running starts one:
//! it takes everything queued, runs each request's work in turn in one transaction, appends all
//! their audit events at once and commits once. Nobody hears their result before that commit is
//! durable, so each request's access decision, work and audit event still commit together.
//!
//! Reading work runs no statement of its own: the batch reads everything for it, one query for
//! each kind of reading (`Ask`, `BatchRead`), and the work decides, audits and answers from that.
//! So work that fails leaves nothing behind to undo (its audit events are simply not appended),
//! and a reading that fails fails only the requests that asked for it: on PostgreSQL, where one
//! failed statement fails every later one in the transaction, each kind of reading is undone alone
//! (a savepoint) while the rest of the batch goes on. Writing work (`GroupCommit::run_planned`)
//! runs no statement either: it hands back what it will write (a `store::Plan`), and the batch
//! writes every plan at once, with the batch's audit events and its COMMIT
//! (`store::Tx::commit_plans_and_audit`): on SQLite, where the batch begins by reading the audit
//! chain's end with its clients (`store::Store::write_for`), one round trip to the database for
//! the whole batch's writing. Should one plan fail, it alone is undone, and its request hears
//! its error, the batch's others their own results.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use crypto::DataKey;
use domain::audit::NewAuditEvent;
use domain::policy::Facts;
use domain::{ClientId, UserId};
use store::rows::ClientRow;
use tokio::sync::oneshot;

use crate::{App, AppError, Result};

/// The most requests one transaction carries, so that a long queue is not one long wait.
const MAX_BATCH: usize = 64;

/// What a request's work gets in the shared transaction. Not the transaction itself (only writing
/// work gets that, beside this): everything the work reads, the batch has read for it (`Ask`), so
/// that a statement that fails fails only the requests that asked for it.
pub(crate) struct Share<'a> {
    /// Where the work leaves the audit events its reading calls for.
    pub events: &'a mut Vec<NewAuditEvent>,
    /// The data key of the client the work is about, fetched for the whole batch in one query;
    /// `None` if that client has no key (never existed, or erased). A key that does not unwrap
    /// is this request's error alone.
    pub key: Option<Result<DataKey>>,
    /// The client the work is about, as read in this transaction for the whole batch at once,
    /// with the facts of how the member of staff it asked about stands to them; `None` if there
    /// is no such client.
    pub found: Option<(ClientRow, Facts)>,
    /// What the work asked for with `Ask::with`, read with the same reading of every other
    /// request of the batch.
    more: Option<Read>,
}

/// What a `BatchRead` read for one request, with the kind of reading it came from.
type Read = (TypeId, Box<dyn Any + Send>);

impl Share<'_> {
    /// What `Ask::with` read for this work, as its `BatchRead` gave it.
    pub fn more<R: BatchRead>(&mut self) -> Option<R::Output> {
        // Taken only if it is of that kind; asking for another kind leaves it in place.
        if self.more.as_ref()?.0 != TypeId::of::<R>() {
            return None;
        }
        let (_, more) = self.more.take()?;
        more.downcast::<R::Output>().ok().map(|more| *more)
    }
}

/// A reading a use case asks the batch for: the batch makes it once for all its requests that ask
/// for the same kind (one query for thirty caseload pages, say), so what a page needs stays with
/// its use case and the batcher knows nothing of it.
pub(crate) trait BatchRead: Sized + Send + 'static {
    /// What one request gets.
    type Output: Send + 'static;

    /// Reads for every request of this kind in the batch: one output for each of `asks`, in
    /// their order.
    fn read_all(
        reads: &mut store::Reads,
        asks: Vec<Self>,
    ) -> impl Future<Output = Result<Vec<Self::Output>>> + Send;
}

/// What the batch reads for a request before its work runs, together with the same kind of
/// reading for all its other requests.
pub(crate) struct Ask {
    /// The client the work is about and the member of staff asking: the batch reads every such
    /// client, the facts of how each asker stands to them and their keys in a few queries.
    about: Option<(ClientId, UserId)>,
    more: Option<More>,
}

impl Ask {
    /// Nothing: the work reads what it needs itself.
    pub fn nothing() -> Self {
        Self {
            about: None,
            more: None,
        }
    }

    /// A client, for a member of staff.
    pub fn client(client: ClientId, user: UserId) -> Self {
        Self {
            about: Some((client, user)),
            more: None,
        }
    }

    /// And `read`, made with the batch's other readings of its kind (see `Share::more`).
    pub fn with<R: BatchRead>(self, read: R) -> Self {
        let more = More {
            kind: TypeId::of::<R>(),
            ask: Box::new(read),
            read_all: read_all_of::<R>,
        };
        Self {
            more: Some(more),
            ..self
        }
    }
}

/// A `BatchRead` with its type put away, so that one batch can carry readings of many kinds.
struct More {
    kind: TypeId,
    ask: Box<dyn Any + Send>,
    read_all: ReadAll,
}

type Anys = Vec<Box<dyn Any + Send>>;
type ReadAll = for<'a> fn(
    &'a mut store::Reads,
    Anys,
) -> Pin<Box<dyn Future<Output = Result<Anys>> + Send + 'a>>;

fn read_all_of<R: BatchRead>(
    reads: &mut store::Reads,
    asks: Anys,
) -> Pin<Box<dyn Future<Output = Result<Anys>> + Send + '_>> {
    Box::pin(async move {
        let asks: Vec<R> = asks
            .into_iter()
            .filter_map(|ask| ask.downcast::<R>().ok().map(|ask| *ask))
            .collect();
        let outputs = R::read_all(reads, asks).await?;
        Ok(outputs
            .into_iter()
            .map(|output| Box::new(output) as Box<dyn Any + Send>)
            .collect())
    })
}

/// The readings of one kind in a batch: which requests asked, and what.
struct Readings {
    kind: TypeId,
    read_all: ReadAll,
    jobs: Vec<usize>,
    asks: Anys,
}

/// Groups the batch's readings by kind, taking them out of the jobs.
fn readings(batch: &mut [Job]) -> Vec<Readings> {
    let mut kinds: Vec<Readings> = Vec::new();
    for (i, job) in batch.iter_mut().enumerate() {
        let Some(more) = job.ask.more.take() else {
            continue;
        };
        let at = match kinds.iter().position(|k| k.kind == more.kind) {
            Some(at) => at,
            None => {
                kinds.push(Readings {
                    kind: more.kind,
                    read_all: more.read_all,
                    jobs: Vec::new(),
                    asks: Vec::new(),
                });
                kinds.len() - 1
            }
        };
        kinds[at].jobs.push(i);
        kinds[at].asks.push(more.ask);
    }
    kinds
}

/// A request's work in the shared transaction. `Err` drops the work's events (and undoes what
/// writing work wrote); what the caller hears is the `Ok` value once the batch is durable, so an
/// audited refusal (`Ok(Err(NotFound))`) keeps its event.
pub(crate) type Work<'a, T> = Pin<Box<dyn Future<Output = Result<Result<T>>> + Send + 'a>>;

/// Hears how the batch ended and tells the waiting request.
type Reply = Box<dyn FnOnce(Result<()>) + Send>;

/// A request's work, run: what to reply once the batch is committed, and whether the work failed
/// (its events and writes are then undone).
struct Ran {
    reply: Reply,
    failed: bool,
}

/// One request in the queue: what the batch reads for it, and its work.
struct Job {
    ask: Ask,
    run: RunJob,
}

type Running<'a> = Pin<Box<dyn Future<Output = Ran> + Send + 'a>>;
type ReadingJob = Box<dyn for<'a> FnOnce(&'a App, Result<Share<'a>>) -> Running<'a> + Send>;
type PlanningJob = Box<dyn for<'a> FnOnce(&'a App, Result<Share<'a>>) -> Planning + Send>;

/// A request's work, given what the batch read for it (or why that failed): reading, or planning
/// what it will write.
enum RunJob {
    Reads(ReadingJob),
    Plans(PlanningJob),
}

/// What planning work came to: nothing to write (refused, or failed), or a plan and what to reply
/// once the plan has run (or failed).
enum Planning {
    Ran(Ran),
    Plan(store::Plan, AfterPlan),
}

type AfterPlan = Box<dyn FnOnce(Result<()>) -> Ran + Send>;

/// A plan of the batch waiting to be written, with the range of the batch's events its work left.
struct Planned {
    plan: store::Plan,
    after: AfterPlan,
    events: std::ops::Range<usize>,
}

impl RunJob {
    /// Tells the request that its work cannot run, and why.
    async fn fail(self, app: &App, failed: AppError) -> Reply {
        match self {
            Self::Reads(run) => run(app, Err(failed)).await.reply,
            Self::Plans(run) => {
                let again = again(&failed);
                match run(app, Err(failed)) {
                    Planning::Ran(ran) => ran.reply,
                    Planning::Plan(_, after) => after(Err(again)).reply,
                }
            }
        }
    }
}

/// What `worked` says to reply once the batch is committed.
fn settle<T: Send + 'static>(reply: oneshot::Sender<Result<T>>, worked: Result<Result<T>>) -> Ran {
    let (outcome, failed) = match worked {
        Ok(outcome) => (outcome, false),
        Err(failed) => (Err(failed), true),
    };
    Ran {
        failed,
        reply: Box::new(move |committed: Result<()>| {
            let _ = reply.send(committed.and(outcome));
        }),
    }
}

#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: Mutex<Vec<Job>>,
    /// Held by whoever is running batches.
    running: Arc<tokio::sync::Mutex<()>>,
    /// Where batches run, on SQLite (see `BatchThread`); elsewhere on the caller's runtime.
    thread: Option<BatchThread>,
}

/// A thread of its own for batches on SQLite. A batch is a string of round trips to SQLite's
/// worker thread, and on a busy server each wake-up after one waits behind everything else the
/// runtime has to do; on this thread nothing else waits in line. (PostgreSQL lets several
/// processes' batches run at once, so there batches run on the main runtime.)
struct BatchThread {
    handle: tokio::runtime::Handle,
    // Dropping this ends the thread.
    _stop: oneshot::Sender<()>,
}

impl BatchThread {
    fn start() -> Option<Self> {
        // Timers (the wait for the writer's turn), no sockets: a runtime without an I/O driver
        // sleeps on a futex, so that SQLite's worker wakes it after each statement with one
        // system call instead of an eventfd write and the epoll wait's return.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .ok()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("safeharbor-batches".into())
            .spawn(move || {
                let _ = runtime.block_on(stopped);
            })
            .ok()?;
        Some(Self {
            handle,
            _stop: stop,
        })
    }
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupCommit")
    }
}

impl GroupCommit {
    pub(crate) fn new(dialect: store::Dialect) -> Self {
        Self {
            thread: match dialect {
                store::Dialect::Sqlite => BatchThread::start(),
                store::Dialect::Postgres => None,
            },
            ..Self::default()
        }
    }

    /// Queues `work` (with what the batch reads for it, `ask`), makes sure a batch will run it,
    /// and waits until its batch is durable.
    pub(crate) async fn run<T, F>(&self, app: &App, ask: Ask, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a App, Share<'a>) -> Work<'a, T> + Send + 'static,
    {
        let (reply, heard) = oneshot::channel::<Result<T>>();
        let run = RunJob::Reads(Box::new(move |app, share| {
            Box::pin(async move {
                let worked = match share {
                    Ok(share) => work(app, share).await,
                    // What the batch read for it failed: the work does not run.
                    Err(failed) => Err(failed),
                };
                settle(reply, worked)
            })
        }));
        self.queue(app, Job { ask, run }, heard).await
    }

    /// `run`, for work that writes by plan: from what the batch read, it plans what it will write
    /// and the value to answer with once that is written (`Ok(Err(_))`: a refusal, audited, and
    /// nothing to write), and the batch writes every request's plan at once.
    pub(crate) async fn run_planned<T, F>(&self, app: &App, ask: Ask, plan: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a App, Share<'a>) -> Result<Result<(store::Plan, T)>> + Send + 'static,
    {
        let (reply, heard) = oneshot::channel::<Result<T>>();
        let run = RunJob::Plans(Box::new(move |app, share| {
            match share.and_then(|share| plan(app, share)) {
                Ok(Ok((planned, value))) => Planning::Plan(
                    planned,
                    Box::new(move |written| settle(reply, written.map(|()| Ok(value)))),
                ),
                Ok(Err(refused)) => Planning::Ran(settle(reply, Ok(Err(refused)))),
                Err(failed) => Planning::Ran(settle(reply, Err(failed))),
            }
        }));
        self.queue(app, Job { ask, run }, heard).await
    }

    async fn queue<T>(
        &self,
        app: &App,
        job: Job,
        heard: oneshot::Receiver<Result<T>>,
    ) -> Result<T> {
        self.lock_queue().push(job);
        if let Ok(turn) = self.running.clone().try_lock_owned() {
            // Spawned, so that a batch finishes even if this request is abandoned.
            let batches = drain(app.clone(), turn);
            match &self.thread {
                Some(thread) => thread.handle.spawn(batches),
                None => tokio::spawn(batches),
            };
        }
        heard.await.unwrap_or(Err(AppError::Conflict(
            "the request was interrupted; nothing was changed",
        )))
    }

    fn take(&self) -> Vec<Job> {
        let mut queue = self.lock_queue();
        let n = queue.len().min(MAX_BATCH);
        queue.drain(..n).collect()
    }

    fn lock_queue(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        // The queue holds no invariant a panic could break.
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Runs batches until the queue is empty. A request queued just as the last batch ended found
/// the turn still held, so the queue is looked at again after the turn is let go.
async fn drain(app: App, mut turn: tokio::sync::OwnedMutexGuard<()>) {
    let group = &app.inner.group_commit;
    loop {
        loop {
            let batch = group.take();
            if batch.is_empty() {
                break;
            }
            // A batch of its own task: should work in it panic, the batch's requests hear
            // "interrupted" and the queue behind it is still served.
            if tokio::spawn(run_batch(app.clone(), batch)).await.is_err() {
                tracing::error!(
                    "a group commit stopped unexpectedly; its requests were not answered"
                );
            }
        }
        drop(turn);
        if group.lock_queue().is_empty() {
            return;
        }
        match group.running.clone().try_lock_owned() {
            Ok(again) => turn = again,
            // Someone else is running batches now, and will take it.
            Err(_) => return,
        }
    }
}

async fn run_batch(app: App, batch: Vec<Job>) {
    let app = &app;
    let (started, requests) = (std::time::Instant::now(), batch.len());
    let mut replies = Vec::with_capacity(requests);
    // The jobs not yet run, and the plans not yet written: if the batch fails before they are,
    // each hears why.
    let mut unrun = batch;
    let mut planned: Vec<Planned> = Vec::new();
    let outcome: Result<()> = async {
        // Every key the batch needs, in one query on the key store (a database of its own), while
        // the writer's transaction begins and reads, inside it, every client the batch is about
        // with how each asker stands to them, and then each kind of reading the use cases asked
        // for, in one go for the whole batch.
        let kinds = readings(&mut unrun);
        let pairs: Vec<(ClientId, UserId)> = unrun.iter().filter_map(|job| job.ask.about).collect();
        let ids: Vec<ClientId> = pairs.iter().map(|(client, _)| *client).collect();
        let keys = async {
            if ids.is_empty() {
                Ok(HashMap::new())
            } else {
                app.key_store().get_many(&ids).await
            }
        };
        let mut more: Vec<Option<Result<Read>>> = unrun.iter().map(|_| None).collect();
        let reading = async {
            let (mut tx, found, end) = app.store().write_for(&pairs, app.now()).await?;
            for kind in kinds {
                // A savepoint where a failed reading would fail the batch's other requests.
                let guarded = tx.failure_spreads() && kind.jobs.len() < requests;
                if guarded {
                    tx.mark().await?;
                }
                match (kind.read_all)(&mut tx, kind.asks).await {
                    Ok(outputs) => {
                        for (job, output) in kind.jobs.into_iter().zip(outputs) {
                            more[job] = Some(Ok((kind.kind, output)));
                        }
                    }
                    Err(failed) => {
                        tracing::warn!(error = %failed, requests = kind.jobs.len(), "a reading of a group commit failed; only the requests that asked for it fail");
                        if guarded {
                            tx.undo_to_mark().await?;
                        }
                        for job in kind.jobs {
                            more[job] = Some(Err(again(&failed)));
                        }
                    }
                }
            }
            Ok::<_, AppError>((tx, found, end))
        };
        let (keys, read) = tokio::join!(keys, reading);
        let (keys, (tx, found, end)) = (keys?, read?);
        // The work runs no statement: reading work answers from what the batch read, and
        // writing work plans what the batch then writes for all at once.
        let mut events = Vec::with_capacity(requests);
        for (job, more) in std::mem::take(&mut unrun).into_iter().zip(more) {
            let about = job.ask.about;
            let before = events.len();
            let share = more.transpose().map(|more| Share {
                events: &mut events,
                key: about.and_then(|(client, _)| {
                    let wrapped = keys.get(&client)?;
                    Some(app.unwrap_key(client, wrapped))
                }),
                // Several requests in a batch may be about the same client.
                found: about.and_then(|pair| found.get(&pair).cloned()),
                more,
            });
            let ran = match (job.run, share) {
                (run, Err(failed)) => Ran {
                    reply: run.fail(app, failed).await,
                    failed: true,
                },
                (RunJob::Reads(run), Ok(share)) => run(app, Ok(share)).await,
                (RunJob::Plans(run), Ok(share)) => match run(app, Ok(share)) {
                    Planning::Ran(ran) => ran,
                    Planning::Plan(plan, after) => {
                        let events = before..events.len();
                        planned.push(Planned { plan, after, events });
                        continue;
                    }
                },
            };
            if ran.failed {
                events.truncate(before);
            }
            replies.push(ran.reply);
        }
        commit_plans(tx, end, &mut planned, &mut events, &mut replies, app).await
    }
    .await;
    // How long the batch took, keys fetched to commit, and for how many: what to look at when
    // requests wait.
    let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::debug!(requests, micros, "group commit");
    if let Err(failed) = &outcome {
        tracing::warn!(error = %failed, requests, "a group commit failed; nothing in it was changed");
        // A batch that failed before its work ran (the database would not begin, say) tells
        // each request why, as it tells those it ran.
        for job in unrun {
            replies.push(job.run.fail(app, again(failed)).await);
        }
        for Planned { after, .. } in planned {
            replies.push(after(Err(again(failed))).reply);
        }
    }
    for reply in replies {
        reply(match &outcome {
            Ok(()) => Ok(()),
            Err(failed) => Err(again(failed)),
        });
    }
}

/// Writes every plan of the batch at once, appends the batch's audit events and commits (with the
/// plans, when the chain's `end` is known), and settles each plan: one that failed is undone
/// alone, its request hears why, and its events are not recorded.
async fn commit_plans(
    tx: store::Tx,
    end: Option<store::ChainEnd>,
    planned: &mut Vec<Planned>,
    events: &mut Vec<NewAuditEvent>,
    replies: &mut Vec<Reply>,
    app: &App,
) -> Result<()> {
    let plans: Vec<store::Plan> = planned.iter().map(|p| p.plan.clone()).collect();
    let key = app.keyring().audit_key();
    let (written, unfinished) = match tx
        .commit_plans_and_audit(&plans, end.as_ref(), events, &key)
        .await?
    {
        store::Written::Committed => (plans.iter().map(|_| Ok(())).collect(), None),
        store::Written::Apart(tx, written) => (written, Some(tx)),
    };
    // The events of plans that failed go last first, so that the ranges before stay true.
    let mut undone = Vec::new();
    for (Planned { after, events, .. }, outcome) in std::mem::take(planned).into_iter().zip(written)
    {
        let ran = after(outcome.map_err(AppError::from));
        if ran.failed {
            undone.push(events);
        }
        replies.push(ran.reply);
    }
    for range in undone.into_iter().rev() {
        events.drain(range);
    }
    if let Some(mut tx) = unfinished {
        // A batch whose every request failed has nothing to record, and on PostgreSQL perhaps a
        // transaction no statement may run in any more.
        if !events.is_empty() {
            tx.append_audit_events(events, &key).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// A failure of the batch's database work, told again to each request it befell: a database
/// that cannot serve now stays so (503); anything else, logged once already, is a conflict to try
/// again.
fn again(failed: &AppError) -> AppError {
    match failed.unavailable() {
        Some(why) => store::StoreError::Unavailable(why).into(),
        None => {
            AppError::Conflict("the database could not do this; nothing was changed, try again")
        }
    }
}

#[cfg(test)]
mod tests;
