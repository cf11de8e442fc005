//! Evaluating every rule pack for one facts file (issue 4, "Measure": target under 50 µs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use safeharbor_domain::legal::{Facts, Jurisdiction, Results, RulePacks};

/// DESIGN.md's example facts file.
const FACTS: &str = include_str!("../tests/design-example.facts.json");

fn bench(c: &mut Criterion) {
    let packs = RulePacks::shipped().unwrap();
    let facts = Facts::parse_json(FACTS).unwrap();

    // The measure of the issue: all packs, one facts file, outcomes and missing facts.
    c.bench_function("evaluate all packs", |b| {
        b.iter(|| {
            let results = packs.evaluate(black_box(&facts), Jurisdiction::All);
            let decided = results.iter().filter(|d| d.outcome().is_decided()).count();
            let missing: usize = results.iter().map(|d| d.missing_facts().len()).sum();
            black_box((decided, missing))
        });
    });

    // What `safeharbor determine` does end to end: parse the file, evaluate, write the JSON.
    c.bench_function("parse, evaluate all packs and write JSON", |b| {
        b.iter(|| {
            let facts = Facts::parse_json(black_box(FACTS)).unwrap();
            let results = packs.evaluate(&facts, Jurisdiction::All);
            black_box(serde_json::to_vec(&Results(&results)).unwrap().len())
        });
    });

    c.bench_function("load the shipped rule packs", |b| {
        b.iter(|| black_box(RulePacks::shipped().unwrap()));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
