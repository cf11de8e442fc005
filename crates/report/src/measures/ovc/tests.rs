use domain::client::AgeBand;
use domain::profile::{Citizenship, ReferralSource, TraffickingType};

use super::tables;
use crate::measures::testing::{CONTINUING, NEW, cell, person, table};
use crate::served::Served;

#[test]
fn a_client_is_new_in_the_period_of_their_first_service_ever_and_continuing_after() {
    let mut new = person(NEW, &["C4"]);
    new.who.profile.trafficking_type = Some(TraffickingType::Sex);
    // First served this fiscal year in the period, but a client since last year: continuing.
    let mut since_last_year = person(CONTINUING, &["C4"]);
    since_last_year.new_this_year = true;
    since_last_year.who.profile.trafficking_type = Some(TraffickingType::Labor);
    // Three people alike, counted together.
    let mut three = person(NEW, &["D1"]);
    three.people = 3;
    three.who.profile.trafficking_type = Some(TraffickingType::SexAndLabor);
    let tables = tables(&[new, since_last_year, three]).unwrap();
    let served = table(&tables, "Clients served, by kind of trafficking");
    assert_eq!(cell(served, "New clients", "Sex trafficking"), 1);
    assert_eq!(cell(served, "Continuing clients", "Labor trafficking"), 1);
    assert_eq!(
        cell(served, "New clients", "Both sex and labor trafficking"),
        3,
        "alike people count as many as they are"
    );
    assert_eq!(served.total(), 5);
    assert_eq!(served.row_totals(), vec![4, 1]);
}

#[test]
fn demographics_count_new_clients_only_and_each_block_adds_up_to_them() {
    let people: Vec<Served> = vec![
        {
            let mut p = person(NEW, &["A3"]);
            p.who.age_band = Some(AgeBand::From15To17);
            p.who.profile.citizenship = Some(Citizenship::ForeignNational);
            p.who.profile.referral_source = Some(ReferralSource::LocalLawEnforcement);
            p
        },
        {
            let mut p = person(NEW, &["A3"]);
            p.who.age_band = Some(AgeBand::PrefersNotToAnswer);
            p.who.gender = None;
            p
        },
        // Continuing: in no demographic table.
        person(CONTINUING, &["A3"]),
    ];
    let tables = tables(&people).unwrap();
    let by_age = table(
        &tables,
        "New clients, by age at intake and kind of trafficking",
    );
    assert_eq!(by_age.total(), 2);
    assert_eq!(
        by_age.row_totals(),
        vec![0, 1, 1],
        "a minor under 18; an age not given is not recorded"
    );
    let by_gender = table(&tables, "New clients, by gender and age at intake");
    assert_eq!(cell(by_gender, "Woman", "Minor (under 18)"), 1);
    assert_eq!(cell(by_gender, "Not recorded", "Age not recorded"), 1);
    let by_citizenship = table(&tables, "New clients, by citizenship and age at intake");
    assert_eq!(
        cell(by_citizenship, "Foreign national", "Minor (under 18)"),
        1
    );
    assert_eq!(cell(by_citizenship, "Not recorded", "Age not recorded"), 1);
    let by_source = table(&tables, "New clients, by referral source");
    assert_eq!(
        cell(by_source, "State or local law enforcement", "New clients"),
        1
    );
    assert_eq!(cell(by_source, "Not recorded", "New clients"), 1);
    for t in [by_age, by_gender, by_citizenship, by_source] {
        assert_eq!(t.total(), 2, "{}", t.title());
    }
}

#[test]
fn a_person_counts_once_in_a_service_category_however_many_services_of_it() {
    // A3 and A4 are both case management in OVC's categories; C4 is mental health.
    let new = person(NEW, &["A3", "A4", "C4"]);
    let continuing = person(CONTINUING, &["A4"]);
    let tables = tables(&[new, continuing]).unwrap();
    let services = table(&tables, "Clients receiving each kind of service");
    assert_eq!(cell(services, "Case management", "New clients"), 1);
    assert_eq!(cell(services, "Case management", "Continuing clients"), 1);
    assert_eq!(cell(services, "Mental health", "New clients"), 1);
    assert_eq!(services.total(), 3, "three (person, category) pairs");
}
