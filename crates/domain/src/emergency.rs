//! Emergency access ("break the glass"): a member of staff who must open a record that is not
//! theirs, now (someone is in danger and their worker cannot be reached), says why, proves again
//! who they are, and gets to read it for a short time. Every such access waits in a queue until a
//! supervisor has reviewed it.

use crate::{InvalidInput, Timestamp};

/// How long emergency access lasts.
pub const EMERGENCY_MINUTES: i64 = 60;

const MIN_REASON_CHARS: usize = 20;
const MAX_REASON_CHARS: usize = 1000;

/// When access granted at `granted` ends.
pub fn expires_at(granted: Timestamp) -> Timestamp {
    Timestamp::from_unix_millis(
        granted
            .unix_millis()
            .saturating_add(EMERGENCY_MINUTES * 60_000),
    )
}

/// Why someone needs a record now: a sentence or two, kept with the access for its review.
#[derive(Clone, PartialEq, Eq)]
pub struct EmergencyReason(String);

impl std::fmt::Debug for EmergencyReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EmergencyReason(..)")
    }
}

impl EmergencyReason {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let text = raw.trim();
        let chars = text.chars().count();
        if !(MIN_REASON_CHARS..=MAX_REASON_CHARS).contains(&chars)
            || text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            return Err(InvalidInput::new(
                "reason",
                "say in a sentence or two why you need this record now (20 to 1000 characters)",
            ));
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a supervisor adds when they review an emergency access (what they took up, with whom).
#[derive(Clone, PartialEq, Eq)]
pub struct ReviewComment(String);

impl std::fmt::Debug for ReviewComment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReviewComment(..)")
    }
}

impl ReviewComment {
    /// A comment, or `None` when the box was left blank.
    pub fn parse(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > MAX_REASON_CHARS
            || text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            return Err(InvalidInput::new(
                "comment",
                "keep the comment to 1000 characters of plain text",
            ));
        }
        Ok(Some(Self(text.to_owned())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a supervisor found when they reviewed an emergency access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// The emergency was real and the access fitted it.
    Justified,
    /// It was not needed, or went further than the emergency: to be taken up with the person.
    NotJustified,
}

impl ReviewOutcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::Justified => "justified",
            ReviewOutcome::NotJustified => "not-justified",
        }
    }

    /// The outcome as the audit pages say it.
    pub const fn in_words(self) -> &'static str {
        match self {
            ReviewOutcome::Justified => "justified: a real emergency, and only what it needed",
            ReviewOutcome::NotJustified => "not justified: to be taken up with them",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        match raw {
            "justified" => Ok(ReviewOutcome::Justified),
            "not-justified" => Ok(ReviewOutcome::NotJustified),
            _ => Err(InvalidInput::new(
                "outcome",
                "must be justified or not-justified",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_a_real_sentence() {
        assert!(EmergencyReason::parse("urgent").is_err());
        assert!(EmergencyReason::parse(&"x".repeat(1001)).is_err());
        assert!(EmergencyReason::parse("Police called: she is at the hospital\u{7}now").is_err());
        let reason =
            EmergencyReason::parse("  Hospital called at 2 am; her worker is off until Monday. ")
                .unwrap();
        assert!(reason.as_str().starts_with("Hospital"));
        assert_eq!(format!("{reason:?}"), "EmergencyReason(..)");
    }

    #[test]
    fn access_lasts_an_hour_and_outcomes_parse_from_their_names() {
        let granted = Timestamp::from_unix_millis(1_000);
        assert_eq!(expires_at(granted).unix_millis(), 1_000 + 3_600_000);
        for outcome in [ReviewOutcome::Justified, ReviewOutcome::NotJustified] {
            assert_eq!(ReviewOutcome::parse(outcome.as_str()), Ok(outcome));
        }
        assert!(ReviewOutcome::parse("fine").is_err());
    }
}
