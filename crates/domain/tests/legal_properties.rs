//! Properties of the legal-element engine over random facts (every fact true, false or null;
//! random dates of birth and periods, or none):
//!
//! (a) a decided outcome (met or not met) never changes when unknown facts are filled in, with any
//!     values;
//! (b) an unknown outcome names at least one missing fact, and filling all of them, with any
//!     values, decides it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::OnceLock;

use proptest::prelude::*;
use safeharbor_domain::legal::{
    Determination, FACT_PATHS, Facts, Jurisdiction, Outcome, RulePacks,
};
use serde_json::{Value, json};
use time::{Date, Duration, Month};

fn packs() -> &'static RulePacks {
    static PACKS: OnceLock<RulePacks> = OnceLock::new();
    PACKS.get_or_init(|| RulePacks::shipped().expect("shipped rule packs load"))
}

/// The yes/no facts: every path after the two dates, the age and period.to.
fn flag_paths() -> &'static [&'static str] {
    &FACT_PATHS[4..]
}

/// Every rule, informational ones too, with its outcome and missing facts.
fn outcomes(facts: &Facts) -> Vec<(String, Outcome, Vec<&'static str>)> {
    let summary = |d: Determination<'_>| (d.rule_id().to_owned(), d.outcome(), d.missing_facts());
    let mut all: Vec<_> = packs()
        .evaluate(facts, Jurisdiction::All)
        .into_iter()
        .map(summary)
        .collect();
    all.extend(
        packs()
            .information(facts, Jurisdiction::All)
            .into_iter()
            .map(summary),
    );
    all
}

fn day(offset: i64) -> Date {
    Date::from_calendar_date(1975, Month::January, 1).unwrap() + Duration::days(offset)
}

fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn set(file: &mut Value, path: &str, value: Value) {
    match path.split_once('.') {
        Some((section, field)) => {
            file[section][field] = value;
        }
        None => file[path] = value,
    }
}

fn get<'a>(file: &'a Value, path: &str) -> &'a Value {
    match path.split_once('.') {
        Some((section, field)) => &file[section][field],
        None => &file[path],
    }
}

/// A random facts file. Dates are consistent with each other (the parser refuses the rest).
fn facts_file() -> impl Strategy<Value = Value> {
    let flags = proptest::collection::vec(proptest::option::of(any::<bool>()), flag_paths().len());
    let dates = (
        proptest::option::of(0i64..365 * 40), // date of birth, days after 1975-01-01
        proptest::option::of(0i64..365 * 35), // first act, days after birth (or after 1990)
        proptest::option::of(0i64..900),      // last act, days after the first
        proptest::option::of(0u8..40),        // age at the first act
    );
    (flags, dates).prop_map(|(flags, (born, first, last, age))| {
        let mut file =
            json!({"person": {}, "period": {}, "actions": {}, "means": {}, "purpose": {}});
        for (path, value) in flag_paths().iter().zip(flags) {
            set(&mut file, path, value.map_or(Value::Null, Value::Bool));
        }
        let born_date = born.map(day);
        let first_date = first.map(|d| born_date.unwrap_or(day(365 * 15)) + Duration::days(d));
        let last_date = first_date.zip(last).map(|(f, d)| f + Duration::days(d));
        let age = match (born_date, first_date, age) {
            // Keep the stand-in consistent with the dates, as the parser requires.
            (Some(b), Some(f), Some(_)) => {
                let years = safeharbor_domain::client::age_on(b, f);
                Some(u8::try_from(years).unwrap())
            }
            (_, _, age) => age,
        };
        set(
            &mut file,
            "person.date_of_birth",
            born_date.map_or(Value::Null, |d| json!(iso(d))),
        );
        set(
            &mut file,
            "person.age_at_first_act",
            age.map_or(Value::Null, |a| json!(a)),
        );
        set(
            &mut file,
            "period.from",
            first_date.map_or(Value::Null, |d| json!(iso(d))),
        );
        set(
            &mut file,
            "period.to",
            last_date.map_or(Value::Null, |d| json!(iso(d))),
        );
        file
    })
}

fn parse(file: &Value) -> Facts {
    Facts::parse_json(&file.to_string())
        .unwrap_or_else(|err| panic!("generated facts must parse: {err}\n{file:#}"))
}

fn date_at(file: &Value, path: &str) -> Option<Date> {
    let text = get(file, path).as_str()?;
    let mut parts = text.split('-').map(|p| p.parse::<i32>().unwrap());
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    Date::from_calendar_date(
        y,
        Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()
}

/// Fill the age-deciding dates that are unknown, consistently with the ones that are known.
/// `spread` picks the dates; the person may come out a minor or an adult.
fn fill_dates(file: &mut Value, spread: (i64, i64)) {
    let born = date_at(file, "person.date_of_birth");
    let first = date_at(file, "period.from");
    let last = date_at(file, "period.to");
    let (born, first) = match (born, first) {
        (Some(b), Some(f)) => (b, f),
        (Some(b), None) => (b, b + Duration::days(spread.1)),
        (None, Some(f)) => (f - Duration::days(spread.1), f),
        (None, None) => {
            let b = day(spread.0);
            (b, b + Duration::days(spread.1))
        }
    };
    let first = match last {
        Some(l) if first > l => l,
        _ => first,
    };
    let born = born.min(first);
    set(file, "person.date_of_birth", json!(iso(born)));
    set(file, "period.from", json!(iso(first)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 768, ..ProptestConfig::default() })]

    /// (a) Filling any unknown facts, with any values, never changes a decided outcome.
    #[test]
    fn decided_outcomes_survive_any_filling(
        file in facts_file(),
        fills in proptest::collection::vec(proptest::option::of(any::<bool>()), FACT_PATHS.len() - 4),
        fill_age in 0u8..3,
        spread in (0i64..365 * 40, 0i64..365 * 35),
        stand_in in 0u8..40,
    ) {
        let facts = parse(&file);
        let before = outcomes(&facts);
        let mut filled = file.clone();
        for (path, fill) in flag_paths().iter().zip(&fills) {
            if get(&file, path).is_null()
                && let Some(value) = fill
            {
                set(&mut filled, path, json!(value));
            }
        }
        // The age facts: only when the age is still undecided (else new dates could contradict it).
        if facts.minor_at_first_act().is_none() {
            match fill_age {
                1 => fill_dates(&mut filled, spread),
                2 => set(&mut filled, "person.age_at_first_act", json!(stand_in)),
                _ => {}
            }
        }
        let after = outcomes(&parse(&filled));
        for ((rule, outcome, missing), (_, new_outcome, new_missing)) in before.iter().zip(&after) {
            if outcome.is_decided() {
                prop_assert_eq!(outcome, new_outcome, "{} changed after filling", rule);
                prop_assert!(missing.is_empty() && new_missing.is_empty());
            }
        }
    }

    /// (b) An unknown outcome names what is missing, and answering all of it decides the outcome.
    #[test]
    fn unknown_outcomes_name_what_decides_them(
        file in facts_file(),
        values in proptest::collection::vec(any::<bool>(), FACT_PATHS.len() - 4),
        spread in (0i64..365 * 40, 0i64..365 * 35),
    ) {
        let facts = parse(&file);
        for (rule, outcome, missing) in outcomes(&facts) {
            if outcome.is_decided() {
                continue;
            }
            prop_assert!(!missing.is_empty(), "{} is unknown but names nothing", rule);
            let mut filled = file.clone();
            let mut dates = false;
            for path in &missing {
                prop_assert!(get(&file, path).is_null(), "{} names a known fact {}", rule, path);
                match *path {
                    "person.date_of_birth" | "period.from" => dates = true,
                    _ => {
                        let index = flag_paths().iter().position(|p| p == path);
                        prop_assert!(index.is_some(), "{} names {}", rule, path);
                        set(&mut filled, path, json!(values[index.unwrap_or(0)]));
                    }
                }
            }
            if dates {
                fill_dates(&mut filled, spread);
            }
            let decided = outcomes(&parse(&filled));
            let (_, now, _) = decided.iter().find(|(r, _, _)| *r == rule).unwrap();
            prop_assert!(now.is_decided(), "{} still unknown after filling {:?}", rule, missing);
        }
    }

    /// Parsing a written-back facts file gives the same facts (the file format round-trips).
    #[test]
    fn facts_round_trip(file in facts_file()) {
        let facts = parse(&file);
        let written = serde_json::to_string(&facts).unwrap();
        prop_assert_eq!(Facts::parse_json(&written).unwrap(), facts);
    }
}

/// Outcomes of met and not met both occur in the generated cases for every rule (so the
/// properties above are not vacuous).
#[test]
fn every_rule_can_be_met_and_not_met() {
    let yes = {
        let mut file =
            json!({"person": {"age_at_first_act": 15}, "caregiver_failed_to_protect": true});
        for path in flag_paths() {
            set(&mut file, path, json!(true));
        }
        parse(&file)
    };
    let no = {
        let mut file =
            json!({"person": {"age_at_first_act": 30}, "caregiver_failed_to_protect": false});
        for path in flag_paths() {
            set(&mut file, path, json!(false));
        }
        parse(&file)
    };
    for ((rule, met, _), (_, not_met, _)) in outcomes(&yes).into_iter().zip(outcomes(&no)) {
        assert_eq!(met, Outcome::Met, "{rule}");
        assert_eq!(not_met, Outcome::NotMet, "{rule}");
    }
}
