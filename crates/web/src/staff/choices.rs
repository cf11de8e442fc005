//! The coded answers the staff pages offer, each with its words: a value is never shown as its
//! code ("prefers-not-to-answer").

/// One answer a select offers: its code and its words.
pub(crate) struct Choice {
    pub(crate) value: &'static str,
    pub(crate) label: &'static str,
}

pub(crate) const GENDERS: &[Choice] = &[
    Choice {
        value: "woman",
        label: "Woman",
    },
    Choice {
        value: "man",
        label: "Man",
    },
    Choice {
        value: "transgender",
        label: "Transgender",
    },
    Choice {
        value: "non-binary",
        label: "Non-binary",
    },
    Choice {
        value: "questioning",
        label: "Questioning",
    },
    Choice {
        value: "different-identity",
        label: "A different identity",
    },
    Choice {
        value: "prefers-not-to-answer",
        label: "Prefers not to answer",
    },
];

pub(crate) const AGE_BANDS: &[Choice] = &[
    Choice {
        value: "under-12",
        label: "Under 12",
    },
    Choice {
        value: "12-14",
        label: "12 to 14",
    },
    Choice {
        value: "15-17",
        label: "15 to 17",
    },
    Choice {
        value: "18-24",
        label: "18 to 24",
    },
    Choice {
        value: "25-34",
        label: "25 to 34",
    },
    Choice {
        value: "35-44",
        label: "35 to 44",
    },
    Choice {
        value: "45-54",
        label: "45 to 54",
    },
    Choice {
        value: "55-plus",
        label: "55 or older",
    },
    Choice {
        value: "prefers-not-to-answer",
        label: "Prefers not to answer",
    },
];

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
        use domain::profile::{Citizenship, ReferralSource, TraffickingType};
        Self {
            trafficking_types: TraffickingType::ALL
                .iter()
                .map(|t| Choice {
                    value: t.as_str(),
                    label: t.label(),
                })
                .collect(),
            citizenships: Citizenship::ALL
                .iter()
                .map(|c| Choice {
                    value: c.as_str(),
                    label: c.label(),
                })
                .collect(),
            referral_sources: ReferralSource::ALL
                .iter()
                .map(|r| Choice {
                    value: r.as_str(),
                    label: r.label(),
                })
                .collect(),
        }
    }
}
