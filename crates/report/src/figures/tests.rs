use domain::closure::ClosureReason;
use domain::profile::TraffickingType;
use proptest::prelude::*;
use time::macros::date;

use super::*;
use crate::measures::testing::{NEW, person};
use crate::served::{Exited, Who};

fn year() -> Period {
    Period::new(date!(2025 - 10 - 01), date!(2026 - 09 - 30)).unwrap()
}

/// `n` people alike: first served in the period, with `codes`, of `kind` and minors or not.
fn people(n: u64, codes: &[&str], kind: Option<TraffickingType>, minor: Option<bool>) -> Served {
    let mut served = person(NEW, codes);
    served.who.profile.trafficking_type = kind;
    served.who.age_band = match minor {
        Some(true) => Some(AgeBand::From15To17),
        Some(false) => Some(AgeBand::From25To34),
        None => None,
    };
    served.people = n;
    served
}

fn closed(n: u64, reason: ClosureReason) -> Exited {
    Exited {
        who: Who::default(),
        reason,
        count: n,
    }
}

fn figures(served: Vec<Served>, exited: Vec<Exited>) -> Option<Figures> {
    let records = Records {
        served,
        entered: Vec::new(),
        exited,
        ..Records::default()
    };
    who_we_serve(year(), &records).unwrap()
}

fn share(figures: &Figures, about: About, key: &str) -> Option<u64> {
    figures
        .topics
        .iter()
        .find(|t| t.about == about)?
        .shares
        .iter()
        .find(|s| s.key == key)
        .map(|s| s.percent)
}

use domain::client::AgeBand;

#[test]
fn nothing_is_published_for_fewer_than_eleven_people() {
    assert_eq!(
        figures(vec![people(10, &["A1"], None, None)], Vec::new()),
        None
    );
    assert_eq!(figures(Vec::new(), Vec::new()), None);
    let eleven = figures(vec![people(11, &["A1"], None, None)], Vec::new()).unwrap();
    assert_eq!(eleven.people, 10, "11 rounds to the nearest five");
}

#[test]
fn the_people_counted_are_rounded_to_five_and_shares_to_whole_percents() {
    let f = figures(
        vec![
            people(25, &["C1"], Some(TraffickingType::Sex), Some(false)),
            people(18, &["C1"], Some(TraffickingType::Labor), Some(true)),
        ],
        Vec::new(),
    )
    .unwrap();
    assert_eq!(f.people, 45, "43 people");
    assert_eq!((f.from, f.to), (year().from(), year().to()));
    assert_eq!(share(&f, About::Age, "adult"), Some(58), "25 of 43");
    assert_eq!(share(&f, About::Age, "minor"), Some(42), "18 of 43");
    assert_eq!(share(&f, About::Trafficking, "sex"), Some(58));
    assert_eq!(share(&f, About::Trafficking, "labor"), Some(42));
    assert_eq!(
        share(&f, About::Services, "emotional-support-or-safety"),
        Some(100)
    );
    assert_eq!(
        share(&f, About::Services, "information-and-referral"),
        None,
        "a share of nobody is left out"
    );
}

#[test]
fn a_share_of_one_to_ten_people_is_hidden_and_so_is_whatever_gives_it_away() {
    let f = figures(
        vec![
            people(30, &["A1", "C1"], None, Some(false)),
            people(4, &["A1"], None, Some(true)),
        ],
        Vec::new(),
    )
    .unwrap();
    assert_eq!(share(&f, About::Age, "minor"), None, "4 minors");
    assert_eq!(
        share(&f, About::Age, "adult"),
        None,
        "30 adults of 34 would tell that 4 were not"
    );
    assert_eq!(
        share(&f, About::Services, "information-and-referral"),
        Some(100)
    );
    assert_eq!(
        share(&f, About::Services, "emotional-support-or-safety"),
        None,
        "30 of 34 would tell that 4 did not get it"
    );
}

#[test]
fn cases_closed_with_goals_met_are_a_share_of_cases_closed() {
    let served = vec![people(40, &["A1"], None, None)];
    let f = figures(
        served.clone(),
        vec![
            closed(12, ClosureReason::GoalsMet),
            closed(12, ClosureReason::Moved),
        ],
    )
    .unwrap();
    assert_eq!(share(&f, About::Closed, "goals-met"), Some(50));
    let few = figures(
        served,
        vec![
            closed(12, ClosureReason::GoalsMet),
            closed(3, ClosureReason::LostContact),
        ],
    )
    .unwrap();
    assert_eq!(
        few.topics.iter().find(|t| t.about == About::Closed),
        None,
        "3 closed otherwise: the share would give them away"
    );
}

#[test]
fn a_need_is_a_share_of_those_asked_about_it_and_hidden_below_eleven() {
    use domain::needs::{NeedDomain, NeedLevel};
    let mut records = Records {
        served: vec![people(40, &["A1"], None, None)],
        ..Records::default()
    };
    records.activity.needs = vec![
        (NeedDomain::MentalHealth, NeedLevel::Urgent, 12),
        (NeedDomain::MentalHealth, NeedLevel::SomeNeed, 9),
        (NeedDomain::MentalHealth, NeedLevel::NoNeed, 11),
        (NeedDomain::Housing, NeedLevel::Urgent, 20),
        (NeedDomain::Housing, NeedLevel::NoNeed, 4),
    ];
    let f = who_we_serve(year(), &records).unwrap().unwrap();
    assert_eq!(
        share(&f, About::Needs, "needs-mental-health"),
        Some(66),
        "21 of the 32 asked"
    );
    assert_eq!(
        share(&f, About::Needs, "needs-housing"),
        None,
        "20 of 24 would tell that 4 did not"
    );
    assert_eq!(
        share(&f, About::Needs, "needs-safety"),
        None,
        "nobody asked"
    );
}

#[test]
fn the_public_period_is_the_four_quarters_that_ended_last() {
    let period = |today| {
        let p = public_period(today);
        (p.from(), p.to())
    };
    assert_eq!(
        period(date!(2026 - 12 - 03)),
        (date!(2025 - 10 - 01), date!(2026 - 09 - 30))
    );
    assert_eq!(
        period(date!(2026 - 09 - 30)),
        (date!(2025 - 07 - 01), date!(2026 - 06 - 30))
    );
    assert_eq!(
        period(date!(2026 - 12 - 31)),
        period(date!(2026 - 10 - 01)),
        "the same figures until the quarter ends"
    );
    assert_eq!(
        period(date!(2027 - 01 - 01)),
        (date!(2026 - 01 - 01), date!(2026 - 12 - 31))
    );
}

fn kind() -> impl Strategy<Value = Option<TraffickingType>> {
    prop_oneof![
        Just(None),
        Just(Some(TraffickingType::Sex)),
        Just(Some(TraffickingType::Labor)),
        Just(Some(TraffickingType::SexAndLabor)),
    ]
}

fn group() -> impl Strategy<Value = Served> {
    (
        0u64..40,
        prop::sample::subsequence(vec!["A1", "B1", "C1", "D1", "E1"], 0..=5),
        kind(),
        prop_oneof![Just(None), Just(Some(true)), Just(Some(false))],
    )
        .prop_map(|(n, codes, kind, minor)| people(n, &codes, kind, minor))
}

proptest! {
    /// Every share shown stands on at least eleven people, and so does the rest of its whole:
    /// no share, with the rounded number of people, narrows a group down to 1 to 10 people.
    #[test]
    fn no_share_shown_stands_on_one_to_ten_people(groups in prop::collection::vec(group(), 0..8)) {
        let total: u64 = groups.iter().map(|g| g.people).sum();
        let Some(f) = figures(groups.clone(), Vec::new()) else {
            prop_assert!(total < FEWEST_PEOPLE);
            return Ok(());
        };
        prop_assert!(total >= FEWEST_PEOPLE);
        for topic in &f.topics {
            for share in &topic.shares {
                let count: u64 = groups
                    .iter()
                    .filter(|g| is(g, topic.about, share.key))
                    .map(|g| g.people)
                    .sum();
                prop_assert!(count >= FEWEST_PEOPLE, "{share:?} of {total} stands on {count}");
                let rest = total - count;
                prop_assert!(
                    rest == 0 || rest >= FEWEST_PEOPLE,
                    "{share:?} of {total} leaves {rest}"
                );
                prop_assert_eq!(share.percent, percent(count, total));
            }
        }
    }
}

/// Whether the people of `g` are in the share `key` of topic `about`.
fn is(g: &Served, about: About, key: &str) -> bool {
    match about {
        About::Age => {
            let minor = g.who.age_band.and_then(AgeBand::is_minor);
            key == match minor {
                Some(true) => "minor",
                Some(false) => "adult",
                None => "age-not-recorded",
            }
        }
        About::Trafficking => {
            key == g
                .who
                .profile
                .trafficking_type
                .map_or("type-not-recorded", |t| t.as_str())
        }
        About::Services => g.services.types().any(|kind| {
            SERVICES
                .iter()
                .any(|(category, k)| *k == key && kind.category == *category)
        }),
        About::Closed | About::Needs => false,
    }
}
