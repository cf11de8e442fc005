use domain::client::{AgeBand, Gender};
use domain::profile::{AgeAtIntake, TraffickingType};
use time::macros::date;

use super::tables;
use crate::measures::testing::{CONTINUING, NEW, cell, person, table};
use crate::measures::{Measure, MeasureError};
use crate::period::{Period, PeriodError};
use crate::served::{Records, Served};

#[test]
fn a_victim_is_new_once_a_fiscal_year_in_the_first_period_they_are_served() {
    // Served in the first quarter of the year, and again now: continuing.
    let earlier_this_year = person(CONTINUING, &["C4"]);
    // Served last fiscal year, and first this year now: new again.
    let mut back_this_year = person(CONTINUING, &["C4"]);
    back_this_year.new_this_year = true;
    let first_time = person(NEW, &["C4"]);
    let tables = tables(&[earlier_this_year, back_this_year, first_time]).unwrap();
    let served = table(&tables, "Victims served");
    assert_eq!(cell(served, "New", "Individuals"), 2);
    assert_eq!(cell(served, "Continuing", "Individuals"), 1);
}

#[test]
fn demographics_are_of_new_victims_only_and_each_block_sums_to_them() {
    let mut minor = person(NEW, &["C1"]);
    minor.who.age_band = Some(AgeBand::From15To17);
    minor.who.gender = Some(Gender::NonBinary);
    minor.who.profile.trafficking_type = Some(TraffickingType::SexAndLabor);
    let mut straddling = person(NEW, &["C1"]);
    straddling.who.age_band = Some(AgeBand::From12To14);
    straddling.who.gender = Some(Gender::PrefersNotToAnswer);
    // A date of birth places a person of 12 in 0-12, and one of 60 in 60 and older.
    let mut twelve = person(NEW, &["C1"]);
    twelve.who.age_band = Some(AgeBand::From12To14);
    twelve.who.age_at_intake = Some(AgeAtIntake::Twelve);
    let mut sixty = person(NEW, &["C1"]);
    sixty.who.age_band = Some(AgeBand::From55);
    sixty.who.age_at_intake = Some(AgeAtIntake::From60To64);
    let mut unrecorded = person(NEW, &["C1"]);
    unrecorded.who.age_band = None;
    unrecorded.who.gender = None;
    let mut continuing = person(CONTINUING, &["C1"]);
    continuing.people = 5;
    let people: Vec<Served> = vec![minor, straddling, twelve, sixty, unrecorded, continuing];
    let tables = tables(&people).unwrap();
    let new = cell(table(&tables, "Victims served"), "New", "Individuals");
    assert_eq!(new, 5);
    let age = table(&tables, "New victims, by age");
    assert_eq!(cell(age, "13-17", "New victims"), 1);
    assert_eq!(
        cell(
            age,
            "Recorded as 12 to 14 (spans 0-12 and 13-17)",
            "New victims"
        ),
        1,
        "an age range that spans two of VOCA's is not guessed"
    );
    assert_eq!(cell(age, "Not tracked", "New victims"), 1);
    assert_eq!(
        cell(age, "0-12", "New victims"),
        1,
        "twelve, by the date of birth"
    );
    assert_eq!(cell(age, "60 and older", "New victims"), 1);
    let gender = table(&tables, "New victims, by gender");
    assert_eq!(cell(gender, "Other", "New victims"), 1);
    assert_eq!(cell(gender, "Not reported", "New victims"), 1);
    assert_eq!(cell(gender, "Not tracked", "New victims"), 1);
    let kinds = table(&tables, "New victims, by victimization type");
    assert_eq!(
        cell(kinds, "Human trafficking: sex and labor", "New victims"),
        1
    );
    for block in [age, gender, kinds] {
        assert_eq!(block.total(), new, "{} adds up to the new", block.title());
    }
}

#[test]
fn services_are_people_per_type_unduplicated_within_a_type_new_and_continuing() {
    // Two services of C4 and one of C1 for the same person: once in each.
    let new = person(NEW, &["C4", "C1", "X1"]);
    let mut continuing = person(CONTINUING, &["C4"]);
    continuing.people = 2;
    let tables = tables(&[new, continuing]).unwrap();
    let types = table(&tables, "Victims receiving each service");
    let c4 = types
        .rows()
        .iter()
        .find(|r| r.starts_with("C4 "))
        .unwrap()
        .clone();
    assert_eq!(cell(types, &c4, "New"), 1);
    assert_eq!(cell(types, &c4, "Continuing"), 2);
    assert_eq!(types.rows().len(), 35, "A1 to E11; X types are not VOCA's");
    assert_eq!(types.total(), 4, "X1 is not counted");
    let categories = table(&tables, "Victims receiving each category of service");
    let c = categories
        .rows()
        .iter()
        .position(|r| r.starts_with("C "))
        .unwrap();
    assert_eq!(categories.cells()[c], vec![1, 2], "C1 and C4: once in C");
}

#[test]
fn a_period_across_two_fiscal_years_is_refused() {
    let calendar_year = Period::new(date!(2027 - 01 - 01), date!(2027 - 12 - 31)).unwrap();
    assert!(matches!(
        Measure::Voca.tables(calendar_year, &Records::default()),
        Err(MeasureError::Period(PeriodError::SpansFiscalYears { .. }))
    ));
    assert!(
        Measure::Ovc
            .tables(calendar_year, &Records::default())
            .is_ok()
    );
}
