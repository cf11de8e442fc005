use domain::client::AgeBand;
use domain::closure::ClosureReason;
use domain::profile::{Citizenship, Profile};

use super::tables;
use crate::measures::testing::{cell, table};
use crate::served::{Entered, Exited, Records, Who};

fn who(citizenship: Option<Citizenship>, age: AgeBand) -> Who {
    Who {
        gender: None,
        age_band: Some(age),
        age_at_intake: None,
        profile: Profile {
            citizenship,
            ..Profile::default()
        },
    }
}

#[test]
fn entries_and_closures_are_counted_each_time_by_program() {
    let records = Records {
        served: Vec::new(),
        entered: vec![
            Entered {
                who: who(Some(Citizenship::ForeignNational), AgeBand::From18To24),
                reopened: false,
                count: 2,
            },
            Entered {
                who: who(
                    Some(Citizenship::LawfulPermanentResident),
                    AgeBand::From15To17,
                ),
                reopened: true,
                count: 1,
            },
            Entered {
                who: who(None, AgeBand::PrefersNotToAnswer),
                reopened: false,
                count: 1,
            },
        ],
        exited: vec![Exited {
            who: who(Some(Citizenship::UsCitizen), AgeBand::From25To34),
            reason: ClosureReason::GoalsMet,
            count: 3,
        }],
        ..Records::default()
    };
    let tables = tables(&records).unwrap();
    let programs = table(&tables, "Program entries, by program");
    assert_eq!(
        cell(programs, "New enrolments", "TVAP: foreign national"),
        2
    );
    assert_eq!(
        cell(
            programs,
            "Re-enrolments",
            "DVHT: U.S. citizen or permanent resident"
        ),
        1,
        "a permanent resident is DVHT's"
    );
    assert_eq!(
        cell(programs, "New enrolments", "Citizenship not recorded"),
        1
    );
    let ages = table(&tables, "Program entries, by gender and age at intake");
    assert_eq!(ages.total(), 4, "each entry, twice for the two alike");
    assert_eq!(cell(ages, "Not recorded", "Minor (under 18)"), 1);
    let closures = table(&tables, "Case closures, by reason");
    assert_eq!(
        cell(
            closures,
            "Goals met",
            "DVHT: U.S. citizen or permanent resident"
        ),
        3
    );
    assert_eq!(closures.total(), 3);
}
