//! The contact log: each time staff reached, or tried to reach, a client. A try that did not reach
//! the person is a contact too ("tried to call, no answer"), recorded like any other and never a
//! reason to delete anything. Who was there and the note are the worker's words about the person:
//! sealed, like a note's text. When, how, for how long and whether the person was reached are
//! coded.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::{InvalidInput, Timestamp};

coded_field!(
    /// How staff reached, or tried to reach, a client.
    ContactMethod, "method", "must be one of in-person, phone, text, video, outreach",
    {
        InPerson => "in-person",
        Phone => "phone",
        Text => "text",
        Video => "video",
        Outreach => "outreach",
    }
);

text_field!(
    /// Who was there besides the worker and the client (an interpreter, a nurse, "her sister"),
    /// in the worker's words.
    Present, "present", 500, true
);
text_field!(
    /// A short note on the contact; a longer account belongs in a note.
    ContactNote, "note", 2000, true
);

/// The longest contact, in minutes: a whole day.
pub const MAX_MINUTES: i64 = 1440;

/// How far ahead of the server's clock a contact may be dated: a worker's watch may run a little
/// fast, but a contact that has not happened yet is not a contact.
pub const LEEWAY_MILLIS: i64 = 5 * 60_000;

/// How long a contact lasted, in whole minutes, from 0 to a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(u16);

impl Minutes {
    const PROBLEM: &'static str = "must be a whole number of minutes from 0 to 1440";

    pub fn new(minutes: i64) -> Result<Self, InvalidInput> {
        u16::try_from(minutes)
            .ok()
            .filter(|m| i64::from(*m) <= MAX_MINUTES)
            .map(Self)
            .ok_or(InvalidInput::new("minutes", Self::PROBLEM))
    }

    /// Minutes as typed in a box: blank is "not given".
    pub fn parse_typed(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let typed = raw.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let minutes = typed
            .parse::<i64>()
            .map_err(|_| InvalidInput::new("minutes", Self::PROBLEM))?;
        Self::new(minutes).map(Some)
    }

    pub fn get(self) -> i64 {
        i64::from(self.0)
    }
}

/// The form of `occurred_at` in the API: RFC 3339 with an upper-case `T` and `Z` (or an offset),
/// seconds required, a fraction allowed. The same rule as a regular expression, for the OpenAPI
/// document.
pub const INSTANT_PATTERN: &str =
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$";

/// When a contact happened, as the API sends it (`INSTANT_PATTERN`, and a real date and time).
pub fn parse_instant(raw: &str) -> Result<Timestamp, InvalidInput> {
    let problem = InvalidInput::new(
        "occurred_at",
        "must be a date and time such as 2026-03-31T14:05:00Z or 2026-03-31T09:05:00-05:00",
    );
    if !instant_shaped(raw) {
        return Err(problem);
    }
    Timestamp::parse_rfc3339(raw).ok_or(problem)
}

/// Whether `raw` has the shape `INSTANT_PATTERN` describes.
fn instant_shaped(raw: &str) -> bool {
    let b = raw.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let date_time = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    if !date_time {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        b"Z" => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
        }
        _ => false,
    }
}

/// A contact as typed, its time already read (`parse_instant`, or `ProgramZone::parse_minute`
/// for a time typed on a page).
#[derive(Debug, Clone, Copy)]
pub struct RawContact<'a> {
    pub occurred_at: Timestamp,
    pub method: &'a str,
    pub reached: bool,
    pub minutes: Option<Minutes>,
    pub present: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A contact, parsed and checked: what the log records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub occurred_at: Timestamp,
    pub method: ContactMethod,
    /// Whether the person was reached; `false` is an attempt.
    pub reached: bool,
    pub minutes: Option<Minutes>,
    pub present: Option<Present>,
    pub note: Option<ContactNote>,
}

impl RawContact<'_> {
    /// Checks every field, in the order a form asks them; the first problem names its field. A
    /// contact may not be dated more than a few minutes ahead of `now`.
    pub fn parse(&self, now: Timestamp) -> Result<NewContact, InvalidInput> {
        if self.occurred_at.unix_millis() > now.unix_millis().saturating_add(LEEWAY_MILLIS) {
            return Err(InvalidInput::new(
                "occurred_at",
                "must not be in the future",
            ));
        }
        Ok(NewContact {
            occurred_at: self.occurred_at,
            method: ContactMethod::parse(self.method)?,
            reached: self.reached,
            minutes: self.minutes,
            present: Present::parse_optional(self.present)?,
            note: ContactNote::parse_optional(self.note)?,
        })
    }
}

impl NewContact {
    /// Refuses a contact dated before the minute the client was recorded at `recorded_at` (so a
    /// contact logged in the minute of the intake, as a form fills it in, is taken).
    pub fn check_after(&self, recorded_at: Timestamp) -> Result<(), InvalidInput> {
        let minute = recorded_at.unix_millis().div_euclid(60_000) * 60_000;
        if self.occurred_at.unix_millis() < minute {
            return Err(InvalidInput::new(
                "occurred_at",
                "must not be before the client was recorded",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

    fn raw(occurred_at: Timestamp) -> RawContact<'static> {
        RawContact {
            occurred_at,
            method: "phone",
            reached: false,
            minutes: None,
            present: Some("  "),
            note: Some(" No answer; left no message. "),
        }
    }

    #[test]
    fn an_attempt_is_a_contact_with_its_blanks_not_given() {
        let contact = raw(NOW).parse(NOW).unwrap();
        assert_eq!(contact.method, ContactMethod::Phone);
        assert!(!contact.reached);
        assert_eq!(contact.present, None);
        assert_eq!(
            contact.note.unwrap().as_str(),
            "No answer; left no message."
        );
    }

    #[test]
    fn a_contact_is_not_in_the_future_nor_before_the_client_was_recorded() {
        let soon = Timestamp::from_unix_millis(NOW.unix_millis() + LEEWAY_MILLIS);
        assert!(raw(soon).parse(NOW).is_ok(), "a fast watch is forgiven");
        let later = Timestamp::from_unix_millis(soon.unix_millis() + 1);
        assert_eq!(raw(later).parse(NOW).unwrap_err().field, "occurred_at");
        let recorded = Timestamp::from_unix_millis(NOW.unix_millis() + 30_000);
        let contact = raw(NOW).parse(NOW).unwrap();
        assert!(
            contact.check_after(recorded).is_ok(),
            "the same minute as the intake"
        );
        let next_minute = Timestamp::from_unix_millis(NOW.unix_millis() + 60_000);
        let err = contact.check_after(next_minute).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("occurred_at", "must not be before the client was recorded")
        );
    }

    #[test]
    fn each_field_is_named_when_it_is_wrong() {
        let wrong = |r: RawContact<'_>| r.parse(NOW).unwrap_err().field;
        assert_eq!(
            wrong(RawContact {
                method: "Phone",
                ..raw(NOW)
            }),
            "method"
        );
        let long = "x".repeat(501);
        assert_eq!(
            wrong(RawContact {
                present: Some(&long),
                ..raw(NOW)
            }),
            "present"
        );
        assert_eq!(
            wrong(RawContact {
                note: Some("a\u{0}b"),
                ..raw(NOW)
            }),
            "note"
        );
        for bad in [-1, 1441, i64::MAX] {
            assert_eq!(Minutes::new(bad).unwrap_err().field, "minutes", "{bad}");
        }
        assert_eq!(
            Minutes::parse_typed(" 45 ").unwrap().map(Minutes::get),
            Some(45)
        );
        assert_eq!(Minutes::parse_typed("").unwrap(), None);
        assert!(Minutes::parse_typed("half an hour").is_err());
        assert!(Minutes::parse_typed("1441").is_err());
    }

    #[test]
    fn the_instant_pattern_accepts_at_least_what_parsing_accepts() {
        let pattern = regex::Regex::new(INSTANT_PATTERN).unwrap();
        for sample in [
            "2026-03-31T14:05:00Z",
            "2026-03-31T14:05:00.250Z",
            "2026-03-31T09:05:00-05:00",
            "2026-03-31T14:05:00+00:00",
            "2026-03-31t14:05:00Z",
            "2026-03-31 14:05:00Z",
            "2026-03-31T14:05:00z",
            "2026-03-31T14:05Z",
            "2026-03-31T14:05:00",
            "2026-03-31T14:05:00.Z",
            " 2026-03-31T14:05:00Z",
            "2026-03-31T14:05:00Z ",
            "2026-02-30T14:05:00Z",
            "2026-13-01T14:05:00Z",
            "2026-03-31T14:05:00+24:00",
            "2026-03-31T14:05:00-0500",
            "２026-03-31T14:05:00Z",
            "",
        ] {
            let parsed = parse_instant(sample).is_ok();
            assert_eq!(
                instant_shaped(sample),
                pattern.is_match(sample),
                "{sample:?}"
            );
            assert!(!parsed || pattern.is_match(sample), "{sample:?}");
        }
        assert_eq!(
            parse_instant("2026-03-31T09:05:00-05:00"),
            parse_instant("2026-03-31T14:05:00Z")
        );
        assert!(parse_instant("2026-02-30T14:05:00Z").is_err());
    }

    #[test]
    fn debug_never_prints_what_was_typed() {
        let present = Present::parse("Canary Sister").unwrap();
        assert!(!format!("{present:?}").contains("Canary"));
    }
}
