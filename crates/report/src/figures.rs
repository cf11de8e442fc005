//! "Who we serve": the few figures a program shows on its public pages (reporting.md R9), made
//! from its own records of a period and released together in public mode. A figure is a share of
//! the people served, as a whole percent; the only count shown is how many people the figures
//! stand for, rounded to five. Nothing is shown for a period of fewer than eleven people, and no
//! share is shown that stands on, or would give away, a count from 1 to 10.
//!
//! The figures carry keys, not words: the public pages put them into each language.

use domain::closure::ClosureReason;
use domain::needs::{NeedDomain, NeedLevel};
use domain::profile::TraffickingType;
use domain::service::ServiceCategory;
use time::Date;

use crate::measures::{Axis, adult_or_minor, crosstab, served_universe, trafficking};
use crate::period::Period;
use crate::release::{Mode, Released, Shown, release_together};
use crate::served::{Exited, Parts, Records, Served};
use crate::table::{Table, TableError};

/// The fewest people a period's figures may stand for: below this nothing is published.
pub const FEWEST_PEOPLE: u64 = 11;

/// The released figures of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    pub from: Date,
    pub to: Date,
    /// How many people were served, rounded to the nearest five.
    pub people: u64,
    /// Each topic with a share that may be shown, in a fixed order.
    pub topics: Vec<Topic>,
}

/// What a group of shares is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// Adult or under 18 when they came to the program.
    Age,
    /// The kind of trafficking they lived through.
    Trafficking,
    /// The kinds of help they received (VOCA's five categories).
    Services,
    /// Cases closed in the period with the person's goals met: a share of cases closed.
    Closed,
    /// What people told us they needed help with: each a share of those asked about it.
    Needs,
}

impl About {
    pub const ALL: [About; 4] = [
        About::Age,
        About::Trafficking,
        About::Services,
        About::Closed,
    ];

    /// The topic's name, for the words that head it.
    pub fn key(self) -> &'static str {
        match self {
            About::Age => "age",
            About::Trafficking => "trafficking",
            About::Services => "services",
            About::Closed => "closed",
            About::Needs => "needs",
        }
    }

    /// Every key a share of the topic may have, in the order they are shown.
    pub fn share_keys(self) -> Vec<&'static str> {
        match self {
            About::Age => vec!["adult", "minor", "age-not-recorded"],
            About::Trafficking => TraffickingType::ALL
                .iter()
                .map(|kind| kind.as_str())
                .chain(["type-not-recorded"])
                .collect(),
            About::Services => SERVICES.iter().map(|(_, key)| *key).collect(),
            About::Closed => vec!["goals-met"],
            About::Needs => NEEDS.iter().map(|(_, key)| *key).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub about: About,
    pub shares: Vec<Share>,
}

/// One figure: `percent` of the topic's whole (people served, or cases closed) are `key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub key: &'static str,
    pub percent: u64,
}

/// The parts of the records the figures count.
pub const PARTS: Parts = Parts {
    served: true,
    entered: false,
    exited: true,
    activity: true,
};

/// The figures of `period`, or none when it served fewer than [`FEWEST_PEOPLE`] people (or
/// suppression hides how many).
pub fn who_we_serve(period: Period, records: &Records) -> Result<Option<Figures>, TableError> {
    let served = served_universe();
    let mut tables = vec![
        one_row("age", &served, adult_or_minor(), &records.served)?,
        one_row("trafficking", &served, trafficking(), &records.served)?,
    ];
    for (category, key) in SERVICES {
        tables.push(one_row(
            key,
            &served,
            received(category, key),
            &records.served,
        )?);
    }
    tables.push(crosstab(
        "closed",
        "",
        &["closed".to_owned()],
        (Axis::single("closed"), goals_met()),
        &records.exited,
        |_| true,
    )?);
    for (domain, _) in NEEDS {
        tables.push(needed(domain, &records.activity.needs)?);
    }
    let released = release_together(&tables, Mode::Public);
    let people = match released[0].totals().all {
        Shown::Count(n) if n >= FEWEST_PEOPLE => n,
        _ => return Ok(None),
    };
    let (age, rest) = released.split_at(1);
    let (kind, rest) = rest.split_at(1);
    let (services, rest) = rest.split_at(SERVICES.len());
    let (closed, needs) = rest.split_at(1);
    let topics = [
        (About::Age, shares(&age[0], &About::Age.share_keys())),
        (
            About::Trafficking,
            shares(&kind[0], &About::Trafficking.share_keys()),
        ),
        (
            About::Needs,
            needs
                .iter()
                .zip(About::Needs.share_keys())
                .flat_map(|(table, key)| shares(table, &[key]))
                .collect(),
        ),
        (
            About::Services,
            services
                .iter()
                .zip(About::Services.share_keys())
                .flat_map(|(table, key)| shares(table, &[key]))
                .collect(),
        ),
        (
            About::Closed,
            shares(&closed[0], &About::Closed.share_keys()),
        ),
    ]
    .into_iter()
    .filter(|(_, shares)| !shares.is_empty())
    .map(|(about, shares)| Topic { about, shares })
    .collect();
    Ok(Some(Figures {
        from: period.from(),
        to: period.to(),
        people: round_to_five(people),
        topics,
    }))
}

/// The period the public figures cover on `today`: the four federal fiscal quarters that ended
/// last. They change only when a quarter ends, however often they are made, so that comparing
/// one day's figures with the next cannot single out the person who came in between.
pub fn public_period(today: Date) -> Period {
    let this_quarter = Period::quarter_containing(today);
    let last_day = this_quarter.from().previous_day().unwrap_or(Date::MIN);
    let first_quarter = (1..4).fold(Period::quarter_containing(last_day), |quarter, _| {
        Period::quarter_containing(quarter.from().previous_day().unwrap_or(Date::MIN))
    });
    Period::new(first_quarter.from(), last_day).unwrap_or(this_quarter)
}

/// VOCA's five categories of help, each with the key of its share. (The age shares are the
/// columns of `adult_or_minor`, the trafficking ones those of `trafficking`, in order.)
const SERVICES: [(ServiceCategory, &str); 5] = [
    (
        ServiceCategory::InformationAndReferral,
        "information-and-referral",
    ),
    (ServiceCategory::PersonalAdvocacy, "personal-advocacy"),
    (
        ServiceCategory::EmotionalSupportOrSafety,
        "emotional-support-or-safety",
    ),
    (ServiceCategory::ShelterAndHousing, "shelter-and-housing"),
    (ServiceCategory::JusticeSystem, "justice-system"),
];

/// The areas of need the public page speaks of, each with the key of its share: the ones the
/// seed's figures and the public pages speak of (safety, a home, health, the law, papers).
const NEEDS: [(NeedDomain, &str); 6] = [
    (NeedDomain::Safety, "needs-safety"),
    (NeedDomain::Housing, "needs-housing"),
    (NeedDomain::PhysicalHealth, "needs-physical-health"),
    (NeedDomain::MentalHealth, "needs-mental-health"),
    (NeedDomain::Legal, "needs-legal"),
    (NeedDomain::IdentityDocuments, "needs-identity-documents"),
];

/// The people asked about `domain`, as one row: those who needed help (some or urgent), and
/// those who did not.
fn needed(domain: NeedDomain, needs: &[(NeedDomain, NeedLevel, u64)]) -> Result<Table, TableError> {
    let mut table = Table::new(
        domain.as_str(),
        vec!["asked".to_owned()],
        vec!["needed help".to_owned(), "did not".to_owned()],
        "",
    )?;
    for (_, level, n) in needs.iter().filter(|(d, _, _)| *d == domain) {
        let column = match level {
            NeedLevel::SomeNeed | NeedLevel::Urgent => 0,
            _ => 1,
        };
        table.add(0, column, *n)?;
    }
    Ok(table)
}

/// A table of one row, everyone, divided by `columns`.
fn one_row(
    title: &str,
    universe: &[String],
    columns: Axis<'_>,
    served: &[Served],
) -> Result<Table, TableError> {
    crosstab(
        title,
        "",
        universe,
        (Axis::single("served"), columns),
        served,
        |_| true,
    )
}

/// Whether a person received any service of `category` in the period, and whether not: both
/// halves are in the table, so that suppression sees each.
fn received<'a>(category: ServiceCategory, key: &'static str) -> Axis<'a> {
    Axis::new(key, ["received", "did not receive"], move |s: &Served| {
        usize::from(!s.services.types().any(|kind| kind.category == category))
    })
}

fn goals_met<'a>() -> Axis<'a, Exited> {
    Axis::new(
        "goals-met",
        ["goals met", "any other reason"],
        |e: &Exited| usize::from(e.reason != ClosureReason::GoalsMet),
    )
}

/// The shares of the first `keys.len()` columns of a one-row table that may be shown and are not
/// zero, as whole percents of its total.
fn shares(table: &Released, keys: &[&'static str]) -> Vec<Share> {
    let Shown::Count(whole) = table.totals().all else {
        return Vec::new();
    };
    let Some(row) = table.cells().first() else {
        return Vec::new();
    };
    keys.iter()
        .zip(row)
        .filter_map(|(key, cell)| match cell {
            Shown::Count(n) if *n > 0 && whole > 0 => Some(Share {
                key,
                percent: percent(*n, whole),
            }),
            _ => None,
        })
        .collect()
}

/// `part` of `whole` as a whole percent, halves rounded up.
fn percent(part: u64, whole: u64) -> u64 {
    (200 * part + whole) / (2 * whole)
}

fn round_to_five(n: u64) -> u64 {
    (n + 2) / 5 * 5
}

#[cfg(test)]
mod tests;
