//! The reads behind the caseload page, on a real SQLite file (BENCHMARKS.md): one page of 25 from
//! a caseload of 1,000, thirty such pages read at once as a batch reads them, and those 25
//! clients' wrapped keys. Each is timed from the call to the
//! rows in hand, so sqlx's hand-off to its SQLite thread and its row copying are counted too.
#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use domain::audit::Actor;
use domain::{ClientId, Role, Timestamp, UserId};
use rand::{Rng, SeedableRng};
use store::WrappedKey;
use store::rows::{CaseloadPage, ClientRow, UserRow};

const CASELOAD: i64 = 1_000;
const PAGE: i64 = 25;
const T0: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

fn caseload_page(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, keys) = runtime
        .block_on(safeharbor_store_sqlite::open(dir.path(), T0))
        .unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let worker = UserRow {
        id: UserId::from_random(rng.r#gen()),
        username: "bench.worker".into(),
        role: Role::CaseManager,
        created_at: T0,
        disabled_at: None,
    };
    let clients: Vec<ClientId> = (0..CASELOAD)
        .map(|_| ClientId::from_random(rng.r#gen()))
        .collect();
    runtime.block_on(async {
        let mut tx = store.write().await.unwrap();
        tx.insert_user(&worker).await.unwrap();
        for (i, id) in (0..).zip(&clients) {
            tx.insert_client(&client(*id, &worker)).await.unwrap();
            tx.assign(
                *id,
                worker.id,
                Timestamp::from_unix_millis(T0.unix_millis() + i),
            )
            .await
            .unwrap();
        }
        tx.commit().await.unwrap();
        for id in &clients {
            let key = WrappedKey {
                dek_version: 1,
                kek_version: 1,
                wrapped: vec![7; 72],
            };
            keys.put(*id, &key, T0).await.unwrap();
        }
    });

    let mut group = c.benchmark_group("caseload page");
    group.throughput(Throughput::Elements(1));
    let mut reads = runtime.block_on(store.read()).unwrap();
    let page = CaseloadPage {
        user: worker.id,
        limit: PAGE + 1,
        offset: 0,
    };
    group.bench_function("25 of 1,000 clients", |b| {
        b.iter(|| runtime.block_on(reads.caseload(page)).unwrap())
    });
    // As a group-committed batch of 30 caseload requests reads them: in one round trip.
    let batch = [page; 30];
    group.throughput(Throughput::Elements(30));
    group.bench_function("30 such pages at once", |b| {
        b.iter(|| runtime.block_on(reads.caseloads(&batch)).unwrap())
    });
    group.throughput(Throughput::Elements(1));
    let shown = &clients[..PAGE as usize];
    group.bench_function("their 25 wrapped keys", |b| {
        b.iter(|| runtime.block_on(keys.get_many(shown)).unwrap())
    });
    group.finish();
    // Ended inside the runtime, which its connection needs.
    runtime.block_on(reads.commit()).unwrap();
}

fn client(id: ClientId, by: &UserRow) -> ClientRow {
    ClientRow {
        id,
        created_at: T0,
        created_by: Actor::User(by.id).encode(),
        preferred_name: Some(vec![1; 50]),
        legal_name: Some(vec![2; 60]),
        date_of_birth: Some(vec![3; 40]),
        contact: Some(vec![4; 70]),
        languages: None,
        aliases: None,
        gender: Some("woman".into()),
        age_band: Some("18-24".into()),
        trafficking_type: Some("sex".into()),
        citizenship: Some("us-citizen".into()),
        referral_source: Some("hotline".into()),
        age_at_intake: Some("18-24".into()),
        name_index: Some("name-index".into()),
        dob_index: Some("dob-index".into()),
        safety: Some(vec![5; 80]),
        alias_index: None,
        erased_at: None,
        restricted: false,
    }
}

criterion_group!(benches, caseload_page);
criterion_main!(benches);
