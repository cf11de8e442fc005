//! VOCA victim-assistance measures, as state pass-through funders (Cal OES among them) collect
//! them (`research/reporting.md` §1.4): a person is *new* once a federal fiscal year, in the
//! first period they receive services, and *continuing* after; demographics are of new victims
//! only, each block adding up to them; services are people per type, unduplicated within a type.

use domain::client::{AgeBand, Gender};
use domain::profile::TraffickingType;
use domain::service::ServiceCategory;

use super::{Axis, crosstab, per_service_group, served_universe};
use crate::served::Served;
use crate::table::{Table, TableError};

const NEW: &str = "New: their first service of the federal fiscal year (from 1 October) was \
                   recorded in the period; a person is new once a year.";

pub(super) fn tables(served: &[Served]) -> Result<Vec<Table>, TableError> {
    let is_new = |s: &Served| s.new_this_year;
    let new_or_continuing = || {
        Axis::new("voca-status", ["New", "Continuing"], move |s| {
            usize::from(!is_new(s))
        })
    };
    let all_served = served_universe();
    let new_victims = [all_served.clone(), vec![new_or_continuing().facet(0)]].concat();
    let voca_kinds = || {
        ServiceCategory::ALL
            .iter()
            .filter(|&&c| c != ServiceCategory::Other)
    };
    Ok(vec![
        crosstab(
            "Victims served",
            &format!(
                "Each person with a service of any type recorded in the period, once. {NEW} \
                 Continuing: served earlier in the same fiscal year."
            ),
            &all_served,
            (new_or_continuing(), Axis::single("Individuals")),
            served,
            |_| true,
        )?,
        crosstab(
            "New victims, by age",
            &format!(
                "New victims only, once each, by their age at intake (from the date of birth, \
                 when one was recorded, else the age range recorded). {NEW} Without a date of \
                 birth, the ranges 12 to 14 and 55 or older each span two of VOCA's, and are \
                 counted in rows of their own rather than guessed. Not reported: the person \
                 preferred not to say. Not tracked: no age was recorded."
            ),
            &new_victims,
            (age(), Axis::single("New victims")),
            served,
            is_new,
        )?,
        crosstab(
            "New victims, by gender",
            &format!(
                "New victims only, once each. {NEW} Other: transgender, non-binary, questioning \
                 or a different identity. Not reported: the person preferred not to say. Not \
                 tracked: not recorded."
            ),
            &new_victims,
            (gender(), Axis::single("New victims")),
            served,
            is_new,
        )?,
        crosstab(
            "New victims, by victimization type",
            &format!(
                "New victims only, once each. {NEW} VOCA's \"Human Trafficking: Sex\" is the first \
                 row plus the third; \"Human Trafficking: Labor\" the second plus the third; the \
                 third row is also their count of multiple victimizations."
            ),
            &new_victims,
            (victimization(), Axis::single("New victims")),
            served,
            is_new,
        )?,
        per_service_group(
            (
                "Victims receiving each service",
                "All victims served in the period, new and continuing: people with at least one \
                 service of the type recorded in it, each once a type (VOCA's subcategories A1 \
                 to E11).",
            ),
            &all_served,
            (
                "voca-type",
                voca_kinds()
                    .flat_map(|&c| {
                        domain::service::SERVICE_TYPES
                            .iter()
                            .filter(move |t| t.category == c)
                            .map(|t| format!("{} {}", t.code, t.label))
                    })
                    .collect(),
            ),
            |kind| {
                domain::service::SERVICE_TYPES
                    .iter()
                    .filter(|t| t.category != ServiceCategory::Other)
                    .position(|t| t.code == kind.code)
            },
            new_or_continuing(),
            served,
        )?,
        per_service_group(
            (
                "Victims receiving each category of service",
                "All victims served in the period, new and continuing: people with at least one \
                 service of the category recorded in it, each once a category (VOCA's A to E).",
            ),
            &all_served,
            (
                "voca-category",
                voca_kinds()
                    .map(|c| format!("{} {}", c.letter(), c.label()))
                    .collect(),
            ),
            |kind| voca_kinds().position(|&c| c == kind.category),
            new_or_continuing(),
            served,
        )?,
    ])
}

fn age<'a>() -> Axis<'a> {
    Axis::new(
        "voca-age",
        [
            "0-12",
            "13-17",
            "18-24",
            "25-59",
            "60 and older",
            "Not reported",
            "Not tracked",
            "Recorded as 12 to 14 (spans 0-12 and 13-17)",
            "Recorded as 55 or older (spans 25-59 and 60 and older)",
        ],
        |s: &Served| match (s.who.age_at_intake, s.who.age_band) {
            (Some(age), _) => match age.youngest() {
                0..=12 => 0,
                13..=17 => 1,
                18..=24 => 2,
                25..=59 => 3,
                _ => 4,
            },
            (None, Some(AgeBand::Under12)) => 0,
            (None, Some(AgeBand::From15To17)) => 1,
            (None, Some(AgeBand::From18To24)) => 2,
            (None, Some(AgeBand::From25To34 | AgeBand::From35To44 | AgeBand::From45To54)) => 3,
            (None, Some(AgeBand::PrefersNotToAnswer)) => 5,
            (None, None) => 6,
            (None, Some(AgeBand::From12To14)) => 7,
            (None, Some(AgeBand::From55)) => 8,
        },
    )
}

fn gender<'a>() -> Axis<'a> {
    Axis::new(
        "voca-gender",
        ["Male", "Female", "Other", "Not reported", "Not tracked"],
        |s: &Served| match s.who.gender {
            Some(Gender::Man) => 0,
            Some(Gender::Woman) => 1,
            Some(
                Gender::Transgender
                | Gender::NonBinary
                | Gender::Questioning
                | Gender::DifferentIdentity,
            ) => 2,
            Some(Gender::PrefersNotToAnswer) => 3,
            None => 4,
        },
    )
}

fn victimization<'a>() -> Axis<'a> {
    Axis::new(
        "voca-victimization",
        [
            "Human trafficking: sex only",
            "Human trafficking: labor only",
            "Human trafficking: sex and labor",
            "Kind of trafficking not recorded",
        ],
        |s: &Served| match s.who.profile.trafficking_type {
            Some(TraffickingType::Sex) => 0,
            Some(TraffickingType::Labor) => 1,
            Some(TraffickingType::SexAndLabor) => 2,
            None => 3,
        },
    )
}

#[cfg(test)]
mod tests;
