//! Field seal/open and data-key unwrap throughput (BENCHMARKS.md).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand::rngs::StdRng;
use safeharbor_crypto::{
    DataKey, FieldAad, SecretKey, open_field, seal_field, unwrap_data_key, wrap_data_key,
};

const PLACE: FieldAad<'static> = FieldAad {
    table: "clients",
    column: "legal_name",
    row_id: "6f1c1b4e-8a0e-4c55-9d3b-2f0a7c9e1d42",
};

fn field(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(1);
    let dek = DataKey::generate(&mut rng, 1);
    let name = b"Alejandra Morales-Quintero";
    let sealed = seal_field(&dek, PLACE, name, &mut rng);
    let mut group = c.benchmark_group("field");
    group.throughput(Throughput::Elements(1));
    group.bench_function("seal 26 bytes", |b| {
        b.iter(|| seal_field(&dek, PLACE, name, &mut rng))
    });
    group.bench_function("open 26 bytes", |b| {
        b.iter(|| open_field(&dek, PLACE, &sealed))
    });
    group.finish();
}

fn unwrap(c: &mut Criterion) {
    let mut rng = StdRng::seed_from_u64(2);
    let kek = SecretKey::generate(&mut rng);
    let dek = DataKey::generate(&mut rng, 1);
    let wrapped = wrap_data_key(&kek, 1, PLACE.row_id, &dek, &mut rng);
    let mut group = c.benchmark_group("data key");
    group.throughput(Throughput::Elements(1));
    group.bench_function("unwrap", |b| {
        b.iter(|| unwrap_data_key(|_| Some(kek.clone()), PLACE.row_id, 1, &wrapped))
    });
    group.finish();
}

fn password(c: &mut Criterion) {
    use safeharbor_crypto::password::{Cost, hash, verify};
    let mut rng = StdRng::seed_from_u64(3);
    let phc = hash(
        "lantern orchard tidepool velvet",
        Cost::PRODUCTION,
        &mut rng,
    )
    .unwrap_or_default();
    let mut group = c.benchmark_group("password (Argon2id, 19 MiB, 2 passes, 1 lane)");
    group.sample_size(20);
    group.bench_function("verify", |b| {
        b.iter(|| verify("lantern orchard tidepool velvet", &phc))
    });
    group.finish();
}

criterion_group!(benches, field, unwrap, password);
criterion_main!(benches);
