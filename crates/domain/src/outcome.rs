//! Outcome assessments: how a person's life stands in seven domains, scored with them on a short
//! scale at intake, every six months while their case is open, and at exit, so that the program
//! (and the person) can see the way travelled. The domains follow those the field measures
//! (research/casework.md §4.6 and §5: the IJM Assessment of Survivor Outcomes scores safety, legal
//! protection, mental and physical well-being, economic empowerment and education and social
//! support at intake, six months and on; ASPE's providers name housing). Each is scored 1 to 5 in
//! plain, non-judgemental words, or the person prefers not to say, or it was not asked: every
//! question may be left unanswered, and an assessment is never replaced: a new one is added.
//!
//! A score and the point it was taken at are coded facts a report counts; the note is the
//! worker's words about the person, sealed like any note.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::{InvalidInput, Timestamp};

/// Declares `OutcomeDomain` from one list: each domain with its code, its label and the question
/// asked, in the order the assessment asks them; the field a problem with its score is reported
/// under (`outcomes.safety.score`) is made from the same code.
macro_rules! outcome_domains {
    ($($name:ident => $code:literal, $label:literal, $question:literal;)+) => {
        /// One domain of a person's life the outcome assessment scores.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum OutcomeDomain {
            $($name,)+
        }

        impl OutcomeDomain {
            /// Every domain, in the order the assessment asks them.
            pub const ALL: [OutcomeDomain; [$($code),+].len()] = [$(OutcomeDomain::$name),+];

            /// The domain's code, as stored and as the API names it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(OutcomeDomain::$name => $code,)+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $(OutcomeDomain::$name => $label,)+
                }
            }

            /// The question, as the worker can ask it.
            pub fn question(self) -> &'static str {
                match self {
                    $(OutcomeDomain::$name => $question,)+
                }
            }

            /// The field a problem with this domain's score is reported under.
            pub fn score_field(self) -> &'static str {
                match self {
                    $(OutcomeDomain::$name => concat!("outcomes.", $code, ".score"),)+
                }
            }
        }
    };
}

outcome_domains! {
    Safety => "safety", "Safety",
        "How safe do you feel these days, where you live and where you go?";
    HousingStability => "housing-stability", "Housing stability",
        "How settled is the place you stay: can you count on it for the months ahead?";
    LegalStatus => "legal-status", "Legal status",
        "How settled are your legal matters: your status, papers, and any charges or cases?";
    PhysicalWellBeing => "physical-well-being", "Physical well-being",
        "How is your body doing: your health, sleep, and getting care when you need it?";
    MentalWellBeing => "mental-well-being", "Mental well-being",
        "How are you feeling in yourself: coping day to day, your mood, your worries?";
    IncomeAndEducation => "income-and-education", "Income and education",
        "How are things with money, work, school or training?";
    SocialSupport => "social-support", "Social support",
        "Do you have people you can turn to: friends, family, a community?";
}

impl OutcomeDomain {
    /// A domain by its code; anything else names `outcomes`.
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == raw)
            .ok_or(InvalidInput::new(
                "outcomes",
                "may name only the domains safety, housing-stability, legal-status, \
                 physical-well-being, mental-well-being, income-and-education and social-support",
            ))
    }
}

coded_field!(
    /// A domain's score: 1 (in crisis) to 5 (thriving), or the person prefers not to say, or it
    /// was not asked (which is what a blank answer is).
    OutcomeScore, "score",
    "must be one of 1, 2, 3, 4, 5, prefers-not-to-say, not-asked",
    {
        InCrisis => "1",
        Struggling => "2",
        GettingBy => "3",
        Steady => "4",
        Thriving => "5",
        PrefersNotToSay => "prefers-not-to-say",
        NotAsked => "not-asked",
    },
    default = NotAsked
);

impl OutcomeScore {
    /// A score as typed for `domain`: blank (or absent) is "not asked"; anything else must be one
    /// of the codes exactly, or the problem names the domain's score.
    pub fn parse_for(domain: OutcomeDomain, raw: Option<&str>) -> Result<Self, InvalidInput> {
        match raw.filter(|code| !code.trim().is_empty()) {
            None => Ok(OutcomeScore::NotAsked),
            Some(code) => Self::parse(code)
                .map_err(|invalid| InvalidInput::new(domain.score_field(), invalid.problem)),
        }
    }

    /// The score in plain words: where things stand, never a judgement of the person.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeScore::InCrisis => "1: in crisis",
            OutcomeScore::Struggling => "2: struggling",
            OutcomeScore::GettingBy => "3: getting by",
            OutcomeScore::Steady => "4: steady",
            OutcomeScore::Thriving => "5: thriving",
            OutcomeScore::PrefersNotToSay => "Prefers not to say",
            OutcomeScore::NotAsked => "Not asked",
        }
    }

    /// The score as a number, when one was given.
    pub fn value(self) -> Option<i8> {
        match self {
            OutcomeScore::InCrisis => Some(1),
            OutcomeScore::Struggling => Some(2),
            OutcomeScore::GettingBy => Some(3),
            OutcomeScore::Steady => Some(4),
            OutcomeScore::Thriving => Some(5),
            OutcomeScore::PrefersNotToSay | OutcomeScore::NotAsked => None,
        }
    }
}

coded_field!(
    /// When in the work an assessment is taken.
    OutcomePoint, "point",
    "must be one of intake, six-month, exit",
    {
        Intake => "intake",
        SixMonth => "six-month",
        Exit => "exit",
    }
);

impl OutcomePoint {
    pub fn label(self) -> &'static str {
        match self {
            OutcomePoint::Intake => "At intake",
            OutcomePoint::SixMonth => "Six-month review",
            OutcomePoint::Exit => "At exit",
        }
    }
}

text_field!(
    /// A note on the assessment as a whole.
    OutcomeNote, "note", 2000, true
);

/// An assessment as typed, its day already read (`case::parse_case_date`). A domain left out of
/// `scores` was not asked.
#[derive(Debug, Clone)]
pub struct RawOutcomes<'a> {
    pub point: Option<&'a str>,
    pub assessed_on: time::Date,
    pub scores: std::collections::BTreeMap<OutcomeDomain, Option<&'a str>>,
    pub note: Option<&'a str>,
}

/// An assessment, parsed and checked: a score for every domain, in the order of
/// `OutcomeDomain::ALL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeAssessment {
    pub point: OutcomePoint,
    pub assessed_on: time::Date,
    scores: Vec<(OutcomeDomain, OutcomeScore)>,
    pub note: Option<OutcomeNote>,
}

impl RawOutcomes<'_> {
    /// Checks every field in the order the form asks them (the point, the day, each domain's
    /// score, the note); the first problem names its field. Not dated after today anywhere.
    pub fn parse(&self, now: Timestamp) -> Result<OutcomeAssessment, InvalidInput> {
        // The code exactly as listed; blank (whitespace alone) is "not given".
        let point = match self.point.filter(|code| !code.trim().is_empty()) {
            None => {
                return Err(InvalidInput::new(
                    "point",
                    "must say when it is taken: one of intake, six-month, exit",
                ));
            }
            Some(code) => OutcomePoint::parse(code)?,
        };
        if self.assessed_on > now.latest_date_anywhere() {
            return Err(InvalidInput::new(
                "assessed_on",
                "must not be in the future",
            ));
        }
        let scores = OutcomeDomain::ALL
            .into_iter()
            .map(|domain| {
                let raw = self.scores.get(&domain).copied().flatten();
                Ok((domain, OutcomeScore::parse_for(domain, raw)?))
            })
            .collect::<Result<_, InvalidInput>>()?;
        Ok(OutcomeAssessment {
            point,
            assessed_on: self.assessed_on,
            scores,
            note: OutcomeNote::parse_optional(self.note)?,
        })
    }
}

impl OutcomeAssessment {
    /// Every domain's score, in the order of `OutcomeDomain::ALL`.
    pub fn scores(&self) -> &[(OutcomeDomain, OutcomeScore)] {
        &self.scores
    }

    /// Refuses an assessment dated before the day the client was recorded (in any zone).
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

/// How a domain moved from a first score to a latest: the difference, when both were scored.
pub fn score_change(first: OutcomeScore, latest: OutcomeScore) -> Option<i8> {
    Some(latest.value()? - first.value()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-09-21T14:13:20Z.
    const NOW: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

    fn raw<'a>(scores: &[(OutcomeDomain, &'a str)]) -> RawOutcomes<'a> {
        RawOutcomes {
            point: Some("intake"),
            assessed_on: crate::case::parse_date("day", "2026-09-21").unwrap(),
            scores: scores.iter().map(|(d, s)| (*d, Some(*s))).collect(),
            note: None,
        }
    }

    #[test]
    fn seven_domains_each_with_a_code_a_label_and_a_question() {
        assert_eq!(OutcomeDomain::ALL.len(), 7);
        for domain in OutcomeDomain::ALL {
            assert_eq!(OutcomeDomain::parse(domain.as_str()), Ok(domain));
            assert_eq!(
                domain.score_field(),
                format!("outcomes.{}.score", domain.as_str())
            );
            assert!(domain.question().ends_with('?'));
            assert!(!domain.question().to_lowercase().contains("victim"));
        }
        assert_eq!(
            OutcomeDomain::parse("housing").unwrap_err().field,
            "outcomes"
        );
    }

    #[test]
    fn every_question_may_be_left_unanswered() {
        let assessment = raw(&[]).parse(NOW).unwrap();
        assert!(
            assessment
                .scores()
                .iter()
                .all(|(_, s)| *s == OutcomeScore::NotAsked)
        );
        let blank = raw(&[(OutcomeDomain::Safety, " ")]).parse(NOW).unwrap();
        assert_eq!(blank.scores()[0].1, OutcomeScore::NotAsked);
        let scored = raw(&[
            (OutcomeDomain::SocialSupport, "5"),
            (OutcomeDomain::Safety, "prefers-not-to-say"),
        ])
        .parse(NOW)
        .unwrap();
        assert_eq!(
            scored.scores()[0],
            (OutcomeDomain::Safety, OutcomeScore::PrefersNotToSay)
        );
        assert_eq!(
            scored.scores()[6],
            (OutcomeDomain::SocialSupport, OutcomeScore::Thriving)
        );
    }

    #[test]
    fn each_field_is_named_when_it_is_wrong() {
        let wrong = |r: RawOutcomes<'_>| r.parse(NOW).unwrap_err().field;
        assert_eq!(
            wrong(raw(&[(OutcomeDomain::Safety, "6")])),
            "outcomes.safety.score"
        );
        assert_eq!(
            wrong(raw(&[(OutcomeDomain::LegalStatus, "0")])),
            "outcomes.legal-status.score"
        );
        for point in [None, Some(""), Some("exit-ish")] {
            assert_eq!(wrong(RawOutcomes { point, ..raw(&[]) }), "point");
        }
        let later = RawOutcomes {
            assessed_on: crate::case::parse_date("day", "2026-09-23").unwrap(),
            ..raw(&[])
        };
        assert_eq!(wrong(later), "assessed_on");
        let long = "x".repeat(2001);
        assert_eq!(
            wrong(RawOutcomes {
                note: Some(&long),
                ..raw(&[])
            }),
            "note"
        );
    }

    #[test]
    fn a_change_is_counted_only_between_two_scores() {
        use OutcomeScore::*;
        assert_eq!(score_change(InCrisis, Steady), Some(3));
        assert_eq!(score_change(Thriving, GettingBy), Some(-2));
        assert_eq!(score_change(NotAsked, Steady), None);
        assert_eq!(score_change(Steady, PrefersNotToSay), None);
        let labels: Vec<&str> = OutcomeScore::ALL.iter().map(|s| s.label()).collect();
        assert!(labels.iter().all(|l| !l.is_empty()));
    }

    #[test]
    fn debug_never_prints_a_note() {
        let assessment = RawOutcomes {
            note: Some("Canary note"),
            ..raw(&[])
        }
        .parse(NOW)
        .unwrap();
        assert!(!format!("{assessment:?}").contains("Canary"));
    }
}
