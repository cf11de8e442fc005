//! The needs assessment: on one day, how much help a client wants in each of eleven domains of
//! their life, each answer with a note in the worker's words. It is asked in a trauma-informed
//! way: every question may be left unanswered (a blank answer is "not yet asked"), the person may
//! prefer not to say, and each question says why we ask. A reassessment is a new assessment: none
//! is ever changed, so the history of how someone's needs moved stays.
//!
//! The domains follow those the field uses (research/casework.md §4.6: the HHS/ASPE study of
//! programs for survivors, the IJM outcomes tool, Cast and the ORR outcome indicators): safety
//! first, then housing, health, legal and immigration help, income, education and work, family
//! and documents. A level is a coded fact (a report counts urgent housing needs); a note is the
//! worker's words about the person, sealed like any note.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::{InvalidInput, Timestamp};

/// Declares `NeedDomain` from one list: each domain with its code, its label and why we ask, in
/// the order the assessment asks them. The field names an answer's problems are reported under
/// (`needs.housing.level`, `needs.housing.note`) are made from the same code, as the API's body
/// and the staff form name them.
macro_rules! need_domains {
    ($($(#[$doc:meta])* $name:ident => $code:literal, $label:literal, $why:literal;)+) => {
        /// One domain of a person's life the assessment asks about.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum NeedDomain {
            $($(#[$doc])* $name,)+
        }

        impl NeedDomain {
            /// Every domain, in the order the assessment asks them.
            pub const ALL: [NeedDomain; [$($code),+].len()] = [$(NeedDomain::$name),+];

            /// The domain's code, as stored and as the API names it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(NeedDomain::$name => $code,)+
                }
            }

            /// The domain in plain words ("Physical health").
            pub fn label(self) -> &'static str {
                match self {
                    $(NeedDomain::$name => $label,)+
                }
            }

            /// Why we ask, in one sentence the worker can read out.
            pub fn why(self) -> &'static str {
                match self {
                    $(NeedDomain::$name => $why,)+
                }
            }

            /// The field a problem with this domain's level is reported under.
            pub fn level_field(self) -> &'static str {
                match self {
                    $(NeedDomain::$name => concat!("needs.", $code, ".level"),)+
                }
            }

            /// The field a problem with this domain's note is reported under.
            pub fn note_field(self) -> &'static str {
                match self {
                    $(NeedDomain::$name => concat!("needs.", $code, ".note"),)+
                }
            }
        }
    };
}

need_domains! {
    Safety => "safety", "Safety",
        "So that we can plan with the person how to stay safe, and never reach out in a way that puts them at risk.";
    Housing => "housing", "Housing",
        "A safe, steady place to stay comes first for many people, and we can help find one.";
    PhysicalHealth => "physical-health", "Physical health",
        "Injuries and health problems often go untreated for a long time; we can help the person see a doctor they can trust.";
    MentalHealth => "mental-health", "Mental health",
        "What someone has been through can weigh on them for a long time; we can offer counselling if and when they want it.";
    SubstanceUse => "substance-use", "Substance use",
        "Some people were given drugs or alcohol to keep them under control; we ask only to offer support, never to judge.";
    Legal => "legal", "Legal",
        "Many people face charges, fines or records for what was done to them; a lawyer may be able to help clear them.";
    Immigration => "immigration", "Immigration",
        "A person without a secure status may qualify for protection, such as a T visa; we can connect them with a lawyer who knows.";
    IncomeAndBenefits => "income-and-benefits", "Income and benefits",
        "Money of their own makes it easier for a person to stay safe; we can help with benefits, compensation and a bank account.";
    EducationAndWork => "education-and-work", "Education and work",
        "School, training or a job can be part of the way forward, when the person is ready for it.";
    FamilyAndChildren => "family-and-children", "Family and children",
        "Children and family can be a strength, a worry or both; we can help with childcare, custody or getting back in touch.";
    IdentityDocuments => "identity-documents", "Identity documents",
        "Documents are often taken or lost; replacing an ID, a birth certificate or a passport opens the door to most other help.";
}

impl NeedDomain {
    /// A domain by its code, as the API names it; anything else names `needs`.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == raw)
            .ok_or(InvalidInput::new(
                "needs",
                "may name only the domains safety, housing, physical-health, mental-health, \
                 substance-use, legal, immigration, income-and-benefits, education-and-work, \
                 family-and-children and identity-documents",
            ))
    }
}

coded_field!(
    /// How much help a person wants in one domain, as they told us; or that they prefer not to
    /// say, or that it was not asked yet (which is what a blank answer is).
    NeedLevel, "level",
    "must be one of none, some, urgent, prefers-not-to-say, not-yet-asked",
    {
        NoNeed => "none",
        SomeNeed => "some",
        Urgent => "urgent",
        PrefersNotToSay => "prefers-not-to-say",
        NotYetAsked => "not-yet-asked",
    },
    default = NotYetAsked
);

impl NeedLevel {
    /// A level as typed for `domain`: blank (or absent) is "not yet asked"; anything else must be
    /// one of the codes exactly, or the problem names the domain's level.
    pub fn parse_for(domain: NeedDomain, raw: Option<&str>) -> Result<Self, InvalidInput> {
        match raw.map(str::trim) {
            None | Some("") => Ok(NeedLevel::NotYetAsked),
            Some(code) => Self::parse(code)
                .map_err(|invalid| InvalidInput::new(domain.level_field(), invalid.problem)),
        }
    }

    /// The level in plain words.
    pub fn label(self) -> &'static str {
        match self {
            NeedLevel::NoNeed => "No need",
            NeedLevel::SomeNeed => "Some need",
            NeedLevel::Urgent => "Urgent",
            NeedLevel::PrefersNotToSay => "Prefers not to say",
            NeedLevel::NotYetAsked => "Not yet asked",
        }
    }

    /// Where the level comes in a list of needs, the most pressing first: urgent, some, then
    /// what the person preferred not to say, none, and what was not asked yet.
    pub fn rank(self) -> u8 {
        match self {
            NeedLevel::Urgent => 0,
            NeedLevel::SomeNeed => 1,
            NeedLevel::PrefersNotToSay => 2,
            NeedLevel::NoNeed => 3,
            NeedLevel::NotYetAsked => 4,
        }
    }

    /// Whether the question was answered at all (preferring not to say is an answer).
    pub fn was_asked(self) -> bool {
        self != NeedLevel::NotYetAsked
    }
}

text_field!(
    /// A note on one domain of the assessment, in the worker's words ("staying with a cousin
    /// until the 15th").
    NeedNote, "note", 1000, true
);
text_field!(
    /// A note on the assessment as a whole.
    AssessmentNote, "note", 2000, true
);

impl NeedNote {
    /// A note as typed for `domain`: blank is "no note"; a problem names the domain's note.
    pub fn parse_for(domain: NeedDomain, raw: Option<&str>) -> Result<Option<Self>, InvalidInput> {
        Self::parse_optional(raw)
            .map_err(|invalid| InvalidInput::new(domain.note_field(), invalid.problem))
    }
}

/// One domain's answer as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawAnswer<'a> {
    pub level: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// An assessment as typed, its date already read (`case::parse_case_date`). A domain left out of
/// `answers` was not asked yet.
#[derive(Debug, Clone)]
pub struct RawAssessment<'a> {
    pub assessed_on: time::Date,
    pub answers: BTreeMap<NeedDomain, RawAnswer<'a>>,
    pub note: Option<&'a str>,
}

/// One domain's answer, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedAnswer {
    pub domain: NeedDomain,
    pub level: NeedLevel,
    pub note: Option<NeedNote>,
}

/// An assessment, parsed and checked: what the record keeps. It holds an answer for every domain,
/// in the order of `NeedDomain::ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsAssessment {
    pub assessed_on: time::Date,
    answers: Vec<NeedAnswer>,
    pub note: Option<AssessmentNote>,
}

impl RawAssessment<'_> {
    /// Checks every field in the order the form asks them (the date, then each domain's level
    /// and note, then the note on the whole); the first problem names its field. An assessment
    /// may not be dated after today anywhere on Earth.
    pub fn parse(&self, now: Timestamp) -> Result<NeedsAssessment, InvalidInput> {
        if self.assessed_on > now.latest_date_anywhere() {
            return Err(InvalidInput::new(
                "assessed_on",
                "must not be in the future",
            ));
        }
        let answers = NeedDomain::ALL
            .into_iter()
            .map(|domain| {
                let raw = self.answers.get(&domain).copied().unwrap_or_default();
                Ok(NeedAnswer {
                    domain,
                    level: NeedLevel::parse_for(domain, raw.level)?,
                    note: NeedNote::parse_for(domain, raw.note)?,
                })
            })
            .collect::<Result<_, InvalidInput>>()?;
        Ok(NeedsAssessment {
            assessed_on: self.assessed_on,
            answers,
            note: AssessmentNote::parse_optional(self.note)?,
        })
    }
}

impl NeedsAssessment {
    /// Every domain's answer, in the order of `NeedDomain::ALL`.
    pub fn answers(&self) -> &[NeedAnswer] {
        &self.answers
    }

    /// Refuses an assessment dated before the day the client was recorded (in any zone: the
    /// earliest date that moment fell on).
    pub fn check_after(&self, recorded_at: Timestamp) -> Result<(), InvalidInput> {
        if self.assessed_on < recorded_at.earliest_date_anywhere() {
            return Err(InvalidInput::new(
                "assessed_on",
                "must not be before the client was recorded",
            ));
        }
        Ok(())
    }
}

/// One domain whose level moved between two assessments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LevelChange {
    pub domain: NeedDomain,
    pub from: NeedLevel,
    pub to: NeedLevel,
}

/// What changed from the levels of one assessment (`before`, each domain's level) to those of
/// the next (`after`), in the order of `NeedDomain::ALL`.
pub fn level_changes(
    before: impl Fn(NeedDomain) -> NeedLevel,
    after: impl Fn(NeedDomain) -> NeedLevel,
) -> Vec<LevelChange> {
    NeedDomain::ALL
        .into_iter()
        .map(|domain| LevelChange {
            domain,
            from: before(domain),
            to: after(domain),
        })
        .filter(|change| change.from != change.to)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-09-21T14:13:20Z.
    const NOW: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

    fn day(raw: &str) -> time::Date {
        crate::case::parse_date("day", raw).unwrap()
    }

    fn raw<'a>(answers: &[(NeedDomain, RawAnswer<'a>)]) -> RawAssessment<'a> {
        RawAssessment {
            assessed_on: day("2026-09-21"),
            answers: answers.iter().copied().collect(),
            note: None,
        }
    }

    fn answer(level: &str) -> RawAnswer<'_> {
        RawAnswer {
            level: Some(level),
            note: None,
        }
    }

    #[test]
    fn there_are_eleven_domains_each_with_its_own_code_label_and_reason() {
        assert_eq!(NeedDomain::ALL.len(), 11);
        assert_eq!(
            NeedDomain::ALL[0],
            NeedDomain::Safety,
            "safety is asked first"
        );
        let mut codes: Vec<&str> = NeedDomain::ALL.iter().map(|d| d.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 11);
        for domain in NeedDomain::ALL {
            assert_eq!(NeedDomain::parse(domain.as_str()), Ok(domain));
            assert_eq!(
                domain.level_field(),
                format!("needs.{}.level", domain.as_str())
            );
            assert_eq!(
                domain.note_field(),
                format!("needs.{}.note", domain.as_str())
            );
            let why = domain.why();
            assert!(why.ends_with('.') && why.len() > 40, "{why}");
            // Person-first words: the people we serve are never called victims here.
            assert!(!why.to_lowercase().contains("victim"), "{why}");
        }
        assert_eq!(NeedDomain::parse("Housing").unwrap_err().field, "needs");
    }

    #[test]
    fn every_question_may_be_left_unanswered() {
        let assessment = raw(&[]).parse(NOW).unwrap();
        assert_eq!(assessment.answers().len(), 11);
        assert!(
            assessment
                .answers()
                .iter()
                .all(|a| a.level == NeedLevel::NotYetAsked && a.note.is_none())
        );
        let blank = RawAnswer {
            level: Some("  "),
            note: Some(" \n "),
        };
        let assessment = raw(&[(NeedDomain::Housing, blank)]).parse(NOW).unwrap();
        assert_eq!(assessment.answers()[1].level, NeedLevel::NotYetAsked);
        assert_eq!(assessment.answers()[1].note, None);
    }

    #[test]
    fn answers_are_kept_in_the_order_of_the_domains_with_their_notes() {
        let housing = RawAnswer {
            level: Some("urgent"),
            note: Some(" Staying with a cousin until the 15th. "),
        };
        let assessment = RawAssessment {
            note: Some("First assessment, at the clinic."),
            ..raw(&[
                (NeedDomain::IdentityDocuments, answer("some")),
                (NeedDomain::Housing, housing),
                (NeedDomain::SubstanceUse, answer("prefers-not-to-say")),
            ])
        }
        .parse(NOW)
        .unwrap();
        let levels: Vec<(NeedDomain, NeedLevel)> = assessment
            .answers()
            .iter()
            .map(|a| (a.domain, a.level))
            .filter(|(_, level)| level.was_asked())
            .collect();
        assert_eq!(
            levels,
            [
                (NeedDomain::Housing, NeedLevel::Urgent),
                (NeedDomain::SubstanceUse, NeedLevel::PrefersNotToSay),
                (NeedDomain::IdentityDocuments, NeedLevel::SomeNeed),
            ]
        );
        assert_eq!(
            assessment.answers()[1].note.as_ref().unwrap().as_str(),
            "Staying with a cousin until the 15th."
        );
        assert_eq!(
            assessment.note.unwrap().as_str(),
            "First assessment, at the clinic."
        );
    }

    #[test]
    fn each_field_is_named_when_it_is_wrong() {
        let wrong = |r: RawAssessment<'_>| r.parse(NOW).unwrap_err().field;
        assert_eq!(
            wrong(raw(&[(NeedDomain::Housing, answer("Urgent"))])),
            "needs.housing.level"
        );
        assert_eq!(
            wrong(raw(&[(NeedDomain::MentalHealth, answer("very"))])),
            "needs.mental-health.level"
        );
        let long = "x".repeat(1001);
        let noted = RawAnswer {
            level: Some("some"),
            note: Some(&long),
        };
        assert_eq!(
            wrong(raw(&[(NeedDomain::Legal, noted)])),
            "needs.legal.note"
        );
        let control = RawAnswer {
            level: None,
            note: Some("a\u{0}b"),
        };
        assert_eq!(
            wrong(raw(&[(NeedDomain::IdentityDocuments, control)])),
            "needs.identity-documents.note"
        );
        let overall = "y".repeat(2001);
        assert_eq!(
            wrong(RawAssessment {
                note: Some(&overall),
                ..raw(&[])
            }),
            "note"
        );
        // The first problem in the order asked: the date, then the domains in order.
        let two = raw(&[
            (NeedDomain::Housing, answer("lots")),
            (NeedDomain::Safety, answer("lots")),
        ]);
        assert_eq!(wrong(two.clone()), "needs.safety.level");
        let later = RawAssessment {
            assessed_on: day("2026-09-23"),
            ..two
        };
        assert_eq!(wrong(later), "assessed_on");
    }

    #[test]
    fn an_assessment_is_not_after_today_anywhere_nor_before_the_client_was_recorded() {
        assert_eq!(NOW.date(), day("2026-09-21"));
        let on = |d: &str| RawAssessment {
            assessed_on: day(d),
            ..raw(&[])
        };
        assert!(on("2026-09-22").parse(NOW).is_ok(), "tomorrow in Auckland");
        let err = on("2026-09-23").parse(NOW).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("assessed_on", "must not be in the future")
        );
        // Recorded at 11:00 UTC on the 21st: still the 20th at UTC-12, so the 20th is taken.
        let eve = Timestamp::parse_rfc3339("2026-09-21T11:00:00Z").unwrap();
        let assessment = on("2026-09-20").parse(NOW).unwrap();
        assert!(assessment.check_after(eve).is_ok(), "the 20th somewhere");
        let err = assessment.check_after(NOW).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("assessed_on", "must not be before the client was recorded")
        );
        let today = on("2026-09-21").parse(NOW).unwrap();
        assert!(today.check_after(NOW).is_ok());
    }

    #[test]
    fn levels_read_urgent_first_and_changes_are_listed_by_domain() {
        let mut levels = NeedLevel::ALL.to_vec();
        levels.sort_by_key(|l| l.rank());
        assert_eq!(
            levels,
            [
                NeedLevel::Urgent,
                NeedLevel::SomeNeed,
                NeedLevel::PrefersNotToSay,
                NeedLevel::NoNeed,
                NeedLevel::NotYetAsked
            ]
        );
        assert_eq!(NeedLevel::default(), NeedLevel::NotYetAsked);
        let before = |d: NeedDomain| match d {
            NeedDomain::Housing => NeedLevel::Urgent,
            NeedDomain::Legal => NeedLevel::SomeNeed,
            _ => NeedLevel::NotYetAsked,
        };
        let after = |d: NeedDomain| match d {
            NeedDomain::Housing => NeedLevel::SomeNeed,
            NeedDomain::Legal => NeedLevel::SomeNeed,
            NeedDomain::Safety => NeedLevel::NoNeed,
            _ => NeedLevel::NotYetAsked,
        };
        assert_eq!(
            level_changes(before, after),
            [
                LevelChange {
                    domain: NeedDomain::Safety,
                    from: NeedLevel::NotYetAsked,
                    to: NeedLevel::NoNeed
                },
                LevelChange {
                    domain: NeedDomain::Housing,
                    from: NeedLevel::Urgent,
                    to: NeedLevel::SomeNeed
                },
            ]
        );
        assert!(level_changes(after, after).is_empty());
    }

    #[test]
    fn debug_never_prints_a_note() {
        let housing = RawAnswer {
            level: Some("urgent"),
            note: Some("Canary Cousin's flat"),
        };
        let assessment = RawAssessment {
            note: Some("Canary overall"),
            ..raw(&[(NeedDomain::Housing, housing)])
        }
        .parse(NOW)
        .unwrap();
        assert!(!format!("{assessment:?}").contains("Canary"));
    }
}
