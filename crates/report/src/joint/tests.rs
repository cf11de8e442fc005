use std::collections::BTreeMap;

use domain::client::{AgeBand, Gender};
use domain::profile::{Citizenship, Profile, ReferralSource, TraffickingType};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::hidden_together;
use crate::linear::{Equation, determined_unknowns};
use crate::links::Key;
use crate::measures::Measure;
use crate::period::Period;
use crate::release::{Mode, Released, Shown, release_together};
use crate::release::{grid, release};
use crate::served::{Records, Served, ServiceSet, Who};
use crate::suppress::is_small;
use crate::table::Table;

fn quarter() -> Period {
    Period::quarter("FY2027-Q2").unwrap()
}

/// A person from small numbers: which value of each dimension, new or not, and the services.
fn person(
    (kind, age, gender, citizenship, source): (usize, usize, usize, usize, usize),
    new: bool,
    services: u64,
    people: u64,
) -> Served {
    Served {
        who: Who {
            gender: Gender::ALL.get(gender).copied(),
            age_band: AgeBand::ALL.get(age).copied(),
            age_at_intake: None,
            profile: Profile {
                trafficking_type: TraffickingType::ALL.get(kind).copied(),
                citizenship: Citizenship::ALL.get(citizenship).copied(),
                referral_source: ReferralSource::ALL.get(source).copied(),
            },
        },
        new_client: new,
        new_this_year: new,
        services: ServiceSet::from_bits(services),
        people,
    }
}

fn served(people: &[Served]) -> Records {
    Records {
        served: people.to_vec(),
        ..Records::default()
    }
}

fn people() -> impl Strategy<Value = Vec<Served>> {
    // Few values of each, so that cells are small and shared numbers often hidden.
    let one = (
        (0..4usize, 0..3usize, 0..3usize, 0..3usize, 0..3usize),
        any::<bool>(),
        // A few of the first types (A1..B2): their OVC categories overlap.
        0u64..64,
        prop_oneof![Just(1u64), Just(2), 1u64..15],
    )
        .prop_map(|(dims, new, services, n)| person(dims, new, services, n));
    prop::collection::vec(one, 0..30)
}

/// Every number of the report with its key and what it shows.
fn numbers<'a>(tables: &'a [Table], released: &'a [Released]) -> Vec<(Option<Key>, u64, Shown)> {
    let mut out = Vec::new();
    for (table, r) in tables.iter().zip(released) {
        let g = grid(table);
        let (height, width) = (table.rows().len(), table.columns().len());
        for (i, line) in g.iter().enumerate() {
            for (j, &n) in line.iter().enumerate() {
                let shown = match (i < height, j < width) {
                    (true, true) => r.cells()[i][j],
                    (true, false) => r.totals().rows[i],
                    (false, true) => r.totals().columns[j],
                    (false, false) => r.totals().all,
                };
                out.push((table.links().and_then(|l| l.key((i, j))), n, shown));
            }
        }
    }
    out
}

/// Whether any hidden number of the report can be worked out from all its tables together,
/// numbers of one key being one unknown: built here apart from `joint.rs`.
fn any_worked_out(tables: &[Table], released: &[Released]) -> bool {
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut equations: Vec<Equation> = Vec::new();
    for (t, (table, r)) in tables.iter().zip(released).enumerate() {
        let (height, width) = (table.rows().len(), table.columns().len());
        let hidden = |i: usize, j: usize| {
            let shown = match (i < height, j < width) {
                (true, true) => r.cells()[i][j],
                (true, false) => r.totals().rows[i],
                (false, true) => r.totals().columns[j],
                (false, false) => r.totals().all,
            };
            shown == Shown::Hidden
        };
        let mut name = |i: usize, j: usize| {
            let name = match table.links().and_then(|l| l.key((i, j))) {
                Some(key) => key.into_iter().collect::<Vec<_>>().join("&"),
                None => format!("table {t} ({i}, {j})"),
            };
            let next = unknown.len();
            *unknown.entry(name).or_insert(next)
        };
        for i in 0..=height {
            let mut eq = Vec::new();
            for j in 0..=width {
                if hidden(i, j) {
                    eq.push((name(i, j), if j == width { -1 } else { 1 }));
                }
            }
            equations.push(eq);
        }
        for j in 0..=width {
            let mut eq = Vec::new();
            for i in 0..=height {
                if hidden(i, j) {
                    eq.push((name(i, j), if i == height { -1 } else { 1 }));
                }
            }
            equations.push(eq);
        }
    }
    !determined_unknowns(&equations, unknown.len())
        .unwrap_or_default()
        .is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_reports_tables_released_together_give_nothing_away(people in people()) {
        for measure in Measure::ALL {
            let tables = measure.tables(quarter(), &served(&people)).unwrap();
            let released = release_together(&tables, Mode::Public);
            let numbers = numbers(&tables, &released);
            for (key, n, shown) in &numbers {
                prop_assert!(*shown == Shown::Hidden || *shown == Shown::Count(*n));
                prop_assert!(!(is_small(*n) && *shown != Shown::Hidden), "{n} shown");
                if let Some(key) = key {
                    let alike = numbers.iter().filter(|(k, _, _)| k.as_ref() == Some(key));
                    for (_, _, other) in alike {
                        prop_assert_eq!(other == &Shown::Hidden, *shown == Shown::Hidden);
                    }
                }
            }
            prop_assert!(!any_worked_out(&tables, &released), "{:?}", measure);
        }
    }
}

/// Table by table is not enough: among a few hundred made-up programs, some have a number hidden
/// in one table and shown in another, or worked out across tables; together, none does.
#[test]
fn released_table_by_table_a_report_can_give_a_number_away() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut leaked = 0;
    for _ in 0..300 {
        let people = people().new_tree(&mut runner).unwrap().current();
        let tables = Measure::Ovc.tables(quarter(), &served(&people)).unwrap();
        let alone: Vec<Released> = tables.iter().map(|t| release(t, Mode::Public)).collect();
        if any_worked_out(&tables, &alone) {
            leaked += 1;
            let together = release_together(&tables, Mode::Public);
            assert!(!any_worked_out(&tables, &together));
        }
    }
    assert!(
        leaked > 0,
        "no case showed the need: the test would prove nothing"
    );
}

#[test]
fn a_report_with_nothing_hidden_is_left_as_it_is() {
    let many: Vec<Served> = (0..4)
        .map(|kind| person((kind, 0, 0, 0, 0), true, 1, 50))
        .collect();
    let tables = Measure::Voca.tables(quarter(), &served(&many)).unwrap();
    let hidden = hidden_together(&tables[..1]);
    assert!(hidden.iter().flatten().flatten().all(|h| !h));
}
