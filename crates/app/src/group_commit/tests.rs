use std::sync::Arc;

use domain::Timestamp;
use domain::audit::{Actor, AuditAction};

use crate::{App, AppError, Clock, Entropy, KeyRing, Result};

#[derive(Debug)]
struct Fixed;

impl Clock for Fixed {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(1_790_000_000_000)
    }
}

async fn app(dir: &std::path::Path) -> App {
    let (store, keys) = store_sqlite::open(&dir.join("data"), Fixed.now())
        .await
        .unwrap();
    let path = dir.join("key");
    let entropy = Entropy::seeded(5);
    let key_file = crypto::KeyFile::load_or_create(&path, &mut entropy.rng()).unwrap();
    App::new(
        store,
        keys,
        KeyRing::from_file(&path, key_file),
        Arc::new(Fixed),
        entropy,
    )
}

/// Queues work that records one audit event and then ends as `end` says.
fn queue(app: &App, end: &'static str) -> tokio::task::JoinHandle<Result<&'static str>> {
    let app = app.clone();
    tokio::spawn(async move {
        app.grouped(super::Ask::nothing(), move |app, share| {
            Box::pin(async move {
                let action = AuditAction::ClientRead;
                let event = app.event(Actor::Operator, action, Some(end.into()), "test");
                share.events.push(event);
                match end {
                    "fails" => Err(AppError::Conflict("failed after reading")),
                    "refused" => Ok(Err(AppError::NotFound)),
                    _ => Ok(Ok(end)),
                }
            })
        })
        .await
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_that_fails_leaves_no_event_and_the_rest_of_its_batch_commits() {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let group = &app.inner.group_commit;
    // Holding the turn makes the four requests (in whatever order) queue up for one batch.
    let turn = group.running.clone().lock_owned().await;
    let requests = ["first", "fails", "refused", "last"].map(|end| queue(&app, end));
    while group.lock_queue().len() < requests.len() {
        tokio::task::yield_now().await;
    }
    tokio::spawn(super::drain(app.clone(), turn));
    let mut heard = Vec::new();
    for request in requests {
        heard.push(request.await.unwrap());
    }
    assert!(matches!(heard[0], Ok("first")));
    assert!(matches!(heard[1], Err(AppError::Conflict(_))));
    assert!(matches!(heard[2], Err(AppError::NotFound)));
    assert!(matches!(heard[3], Ok("last")));

    // The failed work's event was never appended; the refusal's is kept; the chain is whole.
    let mut tx = app.store().read().await.unwrap();
    let events = tx.audit_events(0, 100).await.unwrap();
    tx.commit().await.unwrap();
    let mut targets: Vec<_> = events.iter().filter_map(|e| e.target.as_deref()).collect();
    targets.sort_unstable();
    assert_eq!(targets, ["first", "last", "refused"]);
    assert_eq!(app.verify_audit(&[], |_| ()).await.unwrap(), Ok(3));
}

/// Reads by different people of clients they are assigned to, not assigned to, restricted
/// from and that were erased, all held to share one batch: each hears its own answer, and
/// each leaves its own audit event, with its own actor and record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_sharing_a_batch_each_get_their_own_outcome_and_event() {
    use domain::Role;
    use domain::client::{NewClient, PreferredName};
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let mut staff = Vec::new();
    for (name, role) in [
        ("ana.m", Role::CaseManager),
        ("ben.m", Role::CaseManager),
        ("sue.s", Role::Supervisor),
    ] {
        let (user, _) = app.add_user(name, role).await.unwrap();
        staff.push(crate::Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        });
    }
    let [ana, ben, sue] = [&staff[0], &staff[1], &staff[2]];
    let new = |name: &str| NewClient {
        preferred_name: PreferredName::parse(name).unwrap(),
        personal: Default::default(),
        safety: Default::default(),
        gender: None,
        age_band: None,
        profile: domain::profile::Profile::default(),
    };
    let anas = app
        .create_client_as_operator(ana, new("Ada"))
        .await
        .unwrap();
    let bens = app
        .create_client_as_operator(ben, new("Bea"))
        .await
        .unwrap();
    let sues = app.create_client_as_operator(sue, new("Cy")).await.unwrap();
    app.set_restricted(sue, sues, true).await.unwrap();
    let gone = app
        .create_client_as_operator(ana, new("Dee"))
        .await
        .unwrap();
    app.erase_client_as_operator(gone).await.unwrap();
    let mut tx = app.store().read().await.unwrap();
    let before = tx.audit_events(0, 1000).await.unwrap().len();
    tx.commit().await.unwrap();

    let asked = [
        (ana, anas),
        (ana, bens),
        (ben, bens),
        (ben, sues),
        (sue, sues),
        (ana, gone),
    ];
    let heard: Vec<String> = batched(&app, |app| {
        asked
            .map(|(who, client)| {
                let (app, who) = (app.clone(), who.clone());
                tokio::spawn(async move {
                    app.client(&who, client, crate::Purpose::CaseWork)
                        .await
                        .map(|view| view.preferred_name)
                })
            })
            .into()
    })
    .await
    .into_iter()
    .map(|outcome| match outcome {
        Ok(name) => name,
        Err(AppError::NotFound) => "not found".to_owned(),
        Err(other) => format!("{other}"),
    })
    .collect();
    assert_eq!(
        heard,
        ["Ada", "not found", "Bea", "not found", "Cy", "not found"]
    );

    let mut tx = app.store().read().await.unwrap();
    let events = tx.audit_events(before as i64, 1000).await.unwrap();
    tx.commit().await.unwrap();
    let seen: Vec<(String, String, Option<String>)> = events
        .into_iter()
        .map(|e| (e.actor, e.action, e.target))
        .collect();
    let expected: Vec<(String, String, Option<String>)> = asked
        .iter()
        .zip(&heard)
        .map(|((who, client), answer)| {
            let action = if answer == "not found" {
                "access.refused"
            } else {
                "client.read"
            };
            (
                format!("user:{}", who.id),
                action.to_owned(),
                Some(format!("client:{client}")),
            )
        })
        .collect();
    let mut sorted = seen.clone();
    sorted.sort();
    let mut wanted = expected;
    wanted.sort();
    assert_eq!(sorted, wanted, "one event each: {seen:?}");
    assert_eq!(
        app.verify_audit(&[], |_| ()).await.unwrap().map(|_| ()),
        Ok(())
    );
}

/// A reading that counts the batches that made it and answers each ask with its number
/// doubled; and another kind, with answers of the same type, to share the batch with.
struct Double(u32);
struct Shout(&'static str);
static DOUBLINGS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl super::BatchRead for Double {
    type Output = u32;
    async fn read_all(_: &mut store::Reads, asks: Vec<Self>) -> Result<Vec<u32>> {
        DOUBLINGS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(asks.iter().map(|Double(n)| n * 2).collect())
    }
}

impl super::BatchRead for Shout {
    type Output = u32;
    async fn read_all(_: &mut store::Reads, asks: Vec<Self>) -> Result<Vec<u32>> {
        Ok(asks
            .iter()
            .map(|Shout(word)| 100 * word.len() as u32)
            .collect())
    }
}

/// A reading the database could not make.
struct Refused;

impl super::BatchRead for Refused {
    type Output = u32;
    async fn read_all(_: &mut store::Reads, _: Vec<Self>) -> Result<Vec<u32>> {
        Err(store::StoreError::Unavailable(store::Unavailable::Busy).into())
    }
}

/// Queues work that asks the batch for `ask` and answers what it got of each kind.
fn asking(app: &App, ask: super::Ask) -> tokio::task::JoinHandle<Result<String>> {
    let app = app.clone();
    tokio::spawn(async move {
        app.grouped(ask, move |_, mut share| {
            Box::pin(async move {
                let doubled = share.more::<Double>();
                let shouted = share.more::<Shout>();
                Ok(Ok(format!("{doubled:?} {shouted:?}")))
            })
        })
        .await
    })
}

/// Queues requests asking for `asks` while a batch is held open, then lets them run in one
/// batch; what each heard (a failure as why the database could not serve, if it says).
async fn in_one_batch(asks: Vec<super::Ask>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path()).await;
    let asked = batched(&app, |app| {
        asks.into_iter().map(|ask| asking(app, ask)).collect()
    });
    asked
        .await
        .into_iter()
        .map(|outcome| match outcome {
            Ok(answer) => answer,
            Err(failed) => format!("{:?}", failed.unavailable()),
        })
        .collect()
}

/// Holds the batch's turn while `queue` queues its requests, then lets them all run in one batch;
/// what each heard, in their order.
async fn batched<T>(
    app: &App,
    queue: impl FnOnce(&App) -> Vec<tokio::task::JoinHandle<Result<T>>>,
) -> Vec<Result<T>> {
    let group = &app.inner.group_commit;
    let turn = group.running.clone().lock_owned().await;
    let requests = queue(app);
    while group.lock_queue().len() < requests.len() {
        tokio::task::yield_now().await;
    }
    tokio::spawn(super::drain(app.clone(), turn));
    let mut heard = Vec::new();
    for request in requests {
        heard.push(request.await.unwrap());
    }
    heard
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_reads_each_kind_once_for_all_that_ask_and_answers_each_its_own() {
    use super::Ask;
    let heard = in_one_batch(vec![
        Ask::nothing().with(Double(1)),
        Ask::nothing().with(Shout("ana")),
        Ask::nothing(),
        Ask::nothing().with(Double(21)),
    ])
    .await;
    assert_eq!(
        heard,
        [
            "Some(2) None",
            "None Some(300)",
            "None None",
            "Some(42) None"
        ]
    );
    assert_eq!(DOUBLINGS.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_that_fails_fails_only_the_requests_that_asked_for_it() {
    use super::Ask;
    let heard = in_one_batch(vec![
        Ask::nothing().with(Shout("ana")),
        Ask::nothing().with(Refused),
        Ask::nothing(),
        Ask::nothing().with(Refused),
    ])
    .await;
    assert_eq!(
        heard,
        ["None Some(300)", "Some(Busy)", "None None", "Some(Busy)"]
    );
}
