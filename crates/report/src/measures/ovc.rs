//! OVC's human-trafficking performance measures (`research/reporting.md` §1.2-1.3): clients
//! served in the period and new clients, by kind of trafficking (the program's two headline
//! measures, Assistance Listing 16.320), then new clients by age, gender, citizenship and
//! referral source, and people receiving each of OVC's service categories.
//!
//! A *client* is a person with a service recorded in the period (OVC counts confirmed victims and
//! people with strong indicators alike; so do we: a program records services for the people it
//! serves). A client is *new* when their first service ever falls in the period.

use domain::profile::{Citizenship, ReferralSource};
use domain::service::OvcCategory;

use super::{
    Axis, adult_or_minor, crosstab, gender, per_service_group, served_universe, trafficking,
};
use crate::served::Served;
use crate::table::{Table, TableError};

const NEW: &str = "New: their first service ever was recorded in the period.";

pub(super) fn tables(served: &[Served]) -> Result<Vec<Table>, TableError> {
    let is_new = |s: &Served| s.new_client;
    let new_or_continuing = || {
        Axis::new(
            "ovc-status",
            ["New clients", "Continuing clients"],
            move |s| usize::from(!is_new(s)),
        )
    };
    let everyone = |_: &Served| true;
    let all_served = served_universe();
    let new_clients = [all_served.clone(), vec![new_or_continuing().facet(0)]].concat();
    Ok(vec![
        crosstab(
            "Clients served, by kind of trafficking",
            &format!(
                "Each person with a service recorded in the period, once. {NEW} Continuing: \
                 served before the period too. The kind of trafficking is as the record says it \
                 today."
            ),
            &all_served,
            (new_or_continuing(), trafficking()),
            served,
            everyone,
        )?,
        crosstab(
            "New clients, by age at intake and kind of trafficking",
            &format!(
                "New clients only, once each. {NEW} Age as recorded at intake: a minor is under \
                 18."
            ),
            &new_clients,
            (adult_or_minor(), trafficking()),
            served,
            is_new,
        )?,
        crosstab(
            "New clients, by gender and age at intake",
            &format!("New clients only, once each, by the gender they gave. {NEW}"),
            &new_clients,
            (gender(), adult_or_minor()),
            served,
            is_new,
        )?,
        crosstab(
            "New clients, by citizenship and age at intake",
            &format!(
                "New clients only, once each. {NEW} OVC's \"U.S. citizen or lawful permanent \
                 resident\" is the sum of the first two rows."
            ),
            &new_clients,
            (
                Axis::coded(
                    "citizenship",
                    Citizenship::ALL,
                    Citizenship::label,
                    "Not recorded",
                    |s: &Served| s.who.profile.citizenship,
                ),
                adult_or_minor(),
            ),
            served,
            is_new,
        )?,
        crosstab(
            "New clients, by referral source",
            &format!("New clients only, once each, by who referred them. {NEW}"),
            &new_clients,
            (
                Axis::coded(
                    "referral-source",
                    ReferralSource::ALL,
                    ReferralSource::label,
                    "Not recorded",
                    |s: &Served| s.who.profile.referral_source,
                ),
                Axis::single("New clients"),
            ),
            served,
            is_new,
        )?,
        services(served, &all_served, new_or_continuing())?,
    ])
}

/// People receiving each OVC category (through the crosswalk of the VOCA types).
fn services(served: &[Served], universe: &[String], columns: Axis) -> Result<Table, TableError> {
    per_service_group(
        (
            "Clients receiving each kind of service",
            "People with at least one service of the category recorded in the period, each once \
             a category (services are typed by the VOCA list and counted in OVC's categories \
             through the crosswalk in domain::service).",
        ),
        universe,
        (
            "ovc-category",
            OvcCategory::ALL
                .iter()
                .map(|c| sentence(c.as_str()))
                .collect(),
        ),
        |kind| OvcCategory::ALL.iter().position(|&c| c == kind.ovc),
        columns,
        served,
    )
}

/// A code as words: "legal-immigration" is "Legal immigration".
fn sentence(code: &str) -> String {
    let words = code.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
