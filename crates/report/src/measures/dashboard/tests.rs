use domain::closure::ClosureReason;
use domain::instrument::Outcome;
use domain::needs::{NeedDomain, NeedLevel};
use domain::outcome::OutcomeDomain;
use domain::referral::ReferralStatus;

use super::*;
use crate::measures::testing::{CONTINUING, NEW, cell, person, table};

fn records() -> Records {
    let mut returning = person(CONTINUING, &["C1"]);
    returning.people = 2;
    Records {
        served: vec![person(NEW, &["A1", "A2", "D1"]), returning],
        entered: Vec::new(),
        exited: vec![Exited {
            who: Default::default(),
            reason: ClosureReason::LostContact,
            count: 4,
        }],
        activity: Activity {
            screenings: vec![(Some(Outcome::Positive), 3), (None, 1)],
            determinations: Met {
                definitions: vec![
                    ("Sex trafficking (federal definition)".to_owned(), 3),
                    ("Trafficking in persons (Palermo Protocol)".to_owned(), 1),
                ],
                none: 2,
            },
            referrals: vec![(ReferralStatus::Accepted, 2), (ReferralStatus::Drafted, 1)],
            days_to_accept: vec![
                (Some(0), 1),
                (Some(7), 2),
                (Some(8), 3),
                (Some(30), 4),
                (Some(31), 5),
                (None, 6),
            ],
            outcome_changes: vec![
                (OutcomeDomain::Safety, Change::Better, 2),
                (OutcomeDomain::Safety, Change::Worse, 1),
                (OutcomeDomain::SocialSupport, Change::Same, 1),
            ],
            waits: vec![(-2, 1), (0, 2), (7, 3), (8, 4), (90, 5), (91, 6)],
            needs: vec![
                (NeedDomain::MentalHealth, NeedLevel::Urgent, 2),
                (NeedDomain::MentalHealth, NeedLevel::NoNeed, 1),
                (NeedDomain::Housing, NeedLevel::SomeNeed, 3),
            ],
        },
    }
}

#[test]
fn people_are_new_in_the_period_of_their_first_service_and_counted_once_per_category() {
    let tables = tables(&records()).unwrap();
    let served = table(&tables, "Clients served, new and continuing");
    assert_eq!(cell(served, "New clients", "Adult (18 or older)"), 1);
    assert_eq!(cell(served, "Continuing clients", "Adult (18 or older)"), 2);
    let help = table(&tables, "People receiving each category of help");
    assert_eq!(
        cell(help, "A: Information and referral", "People"),
        1,
        "two services of A, one person"
    );
    assert_eq!(
        cell(help, "C: Emotional support or safety services", "People"),
        2
    );
    assert_eq!(cell(help, "D: Shelter and housing services", "People"), 1);
}

#[test]
fn events_are_counted_by_result_status_and_reason() {
    let tables = tables(&records()).unwrap();
    let screenings = table(&tables, "Screenings, by result");
    assert_eq!(
        cell(
            screenings,
            "Positive: signs of trafficking or exploitation",
            "Count"
        ),
        3
    );
    assert_eq!(cell(screenings, "Erased", "Count"), 1);
    let determined = table(&tables, "Determinations, by the definitions met");
    let federal = "Sex trafficking (federal definition)";
    assert_eq!(cell(determined, federal, "Count"), 3);
    assert_eq!(cell(determined, "None of them", "Count"), 2);
    assert_eq!(determined.total(), 6, "pairs of a person and a definition");
    let referrals = table(&tables, "Referrals made, by where they stand now");
    assert_eq!(cell(referrals, "Accepted", "Count"), 2);
    assert_eq!(cell(referrals, "Drafted, not yet sent", "Count"), 1);
    let closed = table(&tables, "Cases closed, by reason");
    assert_eq!(cell(closed, "Lost contact", "Cases"), 4);
    assert_eq!(closed.total(), 4);
}

#[test]
fn days_to_acceptance_fall_in_whole_day_ranges() {
    let tables = tables(&records()).unwrap();
    let days = table(
        &tables,
        "Referrals sent, by time until the partner accepted",
    );
    let column: Vec<u64> = days.cells().iter().map(|row| row[0]).collect();
    assert_eq!(column, [1, 2, 3 + 4, 5, 6]);
}

#[test]
fn an_outcome_score_moves_better_the_same_or_worse() {
    assert_eq!(Change::between(2, 4), Change::Better);
    assert_eq!(Change::between(3, 3), Change::Same);
    assert_eq!(Change::between(5, 1), Change::Worse);
    let tables = tables(&records()).unwrap();
    let change = table(&tables, "Outcome scores, first to latest");
    assert_eq!(cell(change, "Safety", "Better"), 2);
    assert_eq!(cell(change, "Safety", "Worse"), 1);
    assert_eq!(cell(change, "Social support", "The same"), 1);
    assert_eq!(change.total(), 4);
}

#[test]
fn needs_are_counted_by_the_latest_answer_in_each_area() {
    let tables = tables(&records()).unwrap();
    let needs = table(&tables, "Needs at the latest assessment");
    assert_eq!(cell(needs, "Mental health", "Urgent"), 2);
    assert_eq!(cell(needs, "Mental health", "No need"), 1);
    assert_eq!(cell(needs, "Housing", "Some need"), 3);
    assert_eq!(needs.total(), 6);
}

#[test]
fn waits_for_a_first_service_fall_in_whole_day_ranges() {
    let tables = tables(&records()).unwrap();
    let waits = table(
        &tables,
        "New clients, by days from first contact to first service",
    );
    let column: Vec<u64> = waits.cells().iter().map(|row| row[0]).collect();
    assert_eq!(column, [1 + 2, 3, 4, 5, 6]);
}
