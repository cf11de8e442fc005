//! Every fact of the facts file as a question in plain words, grouped the way the worksheet lays
//! them out (the person and the period, then Action / Means / Purpose). Facts that are a judgement
//! (was it fraud? was the harm serious?) say so: they are recorded as a qualified person's finding.

/// The columns of the worksheet, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    /// Who the person is (their age) and when the acts happened.
    PersonAndPeriod,
    Action,
    Means,
    Purpose,
    /// Anything else a rule needs (a caregiver's failure to protect).
    Other,
}

impl Column {
    pub const ALL: [Column; 5] = [
        Column::PersonAndPeriod,
        Column::Action,
        Column::Means,
        Column::Purpose,
        Column::Other,
    ];

    pub const fn title(self) -> &'static str {
        match self {
            Column::PersonAndPeriod => "The person and when",
            Column::Action => "Action: what was done",
            Column::Means => "Means: how it was done",
            Column::Purpose => "Purpose: what it was for",
            Column::Other => "Other",
        }
    }
}

/// One fact as the worksheet asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub path: &'static str,
    pub column: Column,
    /// The fact, in words a worker can confirm or not.
    pub text: &'static str,
    /// A judgement a qualified person records as a finding, not a plain observation.
    pub finding: bool,
}

const fn q(path: &'static str, column: Column, text: &'static str, finding: bool) -> Question {
    Question {
        path,
        column,
        text,
        finding,
    }
}

use Column::*;

/// Every fact, in the order of `FACT_PATHS` (a test holds them together).
pub const QUESTIONS: [Question; 40] = [
    q(
        "person.date_of_birth",
        PersonAndPeriod,
        "Date of birth",
        false,
    ),
    q(
        "person.age_at_first_act",
        PersonAndPeriod,
        "Age when it started (if the date of birth is not known)",
        false,
    ),
    q(
        "period.from",
        PersonAndPeriod,
        "When it started (the earliest act)",
        false,
    ),
    q(
        "period.to",
        PersonAndPeriod,
        "When it ended (the latest act)",
        false,
    ),
    q(
        "actions.recruitment",
        Action,
        "Someone recruited them",
        false,
    ),
    q(
        "actions.harboring",
        Action,
        "Someone gave them a place to stay or kept them somewhere",
        false,
    ),
    q(
        "actions.transportation",
        Action,
        "Someone moved or drove them",
        false,
    ),
    q(
        "actions.provision",
        Action,
        "Someone provided them to other people",
        false,
    ),
    q("actions.obtaining", Action, "Someone obtained them", false),
    q(
        "actions.patronizing",
        Action,
        "Someone paid, or offered to pay, them for sex (a buyer)",
        false,
    ),
    q(
        "actions.soliciting",
        Action,
        "A buyer asked them for a sex act",
        false,
    ),
    q(
        "actions.advertising",
        Action,
        "Someone advertised them",
        false,
    ),
    q(
        "actions.maintaining",
        Action,
        "Someone kept them in the situation",
        false,
    ),
    q(
        "actions.enticement",
        Action,
        "Someone enticed or lured them",
        false,
    ),
    q(
        "actions.transfer",
        Action,
        "Someone handed them over to someone else",
        false,
    ),
    q(
        "actions.receipt",
        Action,
        "Someone received them from someone else",
        false,
    ),
    q(
        "actions.inducement",
        Action,
        "Someone caused, persuaded or pushed them into a commercial sex act, or tried to",
        true,
    ),
    q(
        "actions.deprivation_of_liberty",
        Action,
        "Their freedom was substantially restricted over a sustained time",
        true,
    ),
    q(
        "means.force",
        Means,
        "Force was used: violence, sexual assault or confinement",
        false,
    ),
    q(
        "means.physical_restraint",
        Means,
        "They or someone else was physically held back",
        false,
    ),
    q(
        "means.fraud",
        Means,
        "False promises or lies brought them into it (fraud)",
        true,
    ),
    q("means.deception", Means, "They were deceived", true),
    q(
        "means.threat_of_serious_harm",
        Means,
        "Someone threatened serious harm to them or to others",
        true,
    ),
    q(
        "means.scheme_to_cause_fear_of_harm",
        Means,
        "A plan or pattern made them believe that saying no would bring serious harm",
        true,
    ),
    q(
        "means.abuse_of_legal_process",
        Means,
        "Someone used or threatened the law against them (arrest, deportation)",
        false,
    ),
    q(
        "means.debt_bondage",
        Means,
        "A debt was used to keep them working",
        false,
    ),
    q(
        "means.withholding_documents",
        Means,
        "Someone took, hid or kept their passport or identity papers, or threatened to",
        false,
    ),
    q(
        "means.drugs_to_impair",
        Means,
        "Someone gave them drugs to impair their judgement",
        false,
    ),
    q("means.abduction", Means, "They were abducted", false),
    q(
        "means.abuse_of_power_or_vulnerability",
        Means,
        "Someone abused power over them, or their vulnerable position",
        true,
    ),
    q(
        "means.payment_to_person_in_control",
        Means,
        "Someone was paid to hand over control of them",
        false,
    ),
    q(
        "means.fear_duress_or_menace",
        Means,
        "Threats, danger or hardship that would make a reasonable person give in",
        true,
    ),
    q(
        "purpose.sex_act",
        Purpose,
        "A sex act took place, or was the aim",
        false,
    ),
    q(
        "purpose.anything_of_value_given_or_received",
        Purpose,
        "Anything of value (money, food, a place to stay, drugs, gifts) was given or received by anyone for it",
        false,
    ),
    q(
        "purpose.labor_or_services",
        Purpose,
        "It was for work or services",
        false,
    ),
    q(
        "purpose.involuntary_servitude_peonage_debt_bondage_or_slavery",
        Purpose,
        "The aim was forced servitude, debt bondage or slavery",
        true,
    ),
    q(
        "purpose.sexual_images_or_performance",
        Purpose,
        "The aim included sexual images or video of them, or a sexual live performance",
        false,
    ),
    q(
        "purpose.extortion",
        Purpose,
        "The aim included extortion",
        false,
    ),
    q(
        "purpose.removal_of_organs",
        Purpose,
        "The aim was the removal of organs",
        false,
    ),
    q(
        "caregiver_failed_to_protect",
        Other,
        "A parent or guardian failed, or was unable, to protect the child",
        true,
    ),
];

/// The question for a fact's path.
pub fn question(path: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.path == path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::legal::FACT_PATHS;

    #[test]
    fn every_fact_has_its_question_in_catalogue_order() {
        let paths: Vec<&str> = QUESTIONS.iter().map(|q| q.path).collect();
        assert_eq!(paths, FACT_PATHS);
    }

    #[test]
    fn columns_follow_the_sections_of_the_facts_file() {
        for q in QUESTIONS {
            let section = q.path.split('.').next().unwrap_or_default();
            let expected = match section {
                "person" | "period" => PersonAndPeriod,
                "actions" => Action,
                "means" => Means,
                "purpose" => Purpose,
                _ => Other,
            };
            assert_eq!(q.column, expected, "{}", q.path);
        }
    }
}
