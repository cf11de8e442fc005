//! The coded answers the staff pages offer, each with its words: a value is never shown as its
//! code ("prefers-not-to-answer").

use domain::client::{AgeBand, Gender};
use domain::profile::{Citizenship, ReferralSource, TraffickingType};

/// One answer a select offers: its code and its words.
pub(crate) struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
}

/// The answers of a coded list, each in the words the domain gives it.
fn from_domain<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            value: value(v),
            label: label(v),
        })
        .collect()
}

pub(crate) fn genders() -> Vec<Choice> {
    from_domain(Gender::ALL, Gender::as_str, Gender::label)
}

pub(crate) fn age_bands() -> Vec<Choice> {
    from_domain(AgeBand::ALL, AgeBand::as_str, AgeBand::label)
}

/// How a contact was made (`domain::contact::ContactMethod`).
pub(crate) const CONTACT_METHODS: &[Choice] = &[
    Choice {
        value: "in-person",
        label: "In person",
    },
    Choice {
        value: "phone",
        label: "Phone call",
    },
    Choice {
        value: "text",
        label: "Text message",
    },
    Choice {
        value: "video",
        label: "Video call",
    },
    Choice {
        value: "outreach",
        label: "Outreach (street, venue or online)",
    },
];

/// How a service was given (`domain::service::ServiceMode`).
pub(crate) const SERVICE_MODES: &[Choice] = &[
    Choice {
        value: "in-person",
        label: "In person",
    },
    Choice {
        value: "phone",
        label: "By phone",
    },
    Choice {
        value: "video",
        label: "By video",
    },
];

/// The words for a coded value, from a page's list of choices; never the raw code.
pub(crate) fn labelled(choices: &[Choice], value: &str) -> &'static str {
    choices
        .iter()
        .find(|c| c.value == value)
        .map_or("", |c| c.label)
}

/// The report dimensions' answers (`domain::profile`), in the words the domain gives them.
pub(crate) struct ProfileChoices {
    pub(crate) trafficking_types: Vec<Choice>,
    pub(crate) citizenships: Vec<Choice>,
    pub(crate) referral_sources: Vec<Choice>,
}

impl ProfileChoices {
    pub(crate) fn new() -> Self {
        Self {
            trafficking_types: from_domain(
                TraffickingType::ALL,
                TraffickingType::as_str,
                TraffickingType::label,
            ),
            citizenships: from_domain(Citizenship::ALL, Citizenship::as_str, Citizenship::label),
            referral_sources: from_domain(
                ReferralSource::ALL,
                ReferralSource::as_str,
                ReferralSource::label,
            ),
        }
    }
}
