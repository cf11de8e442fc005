//! Cases: one program's work with one client, opened and (later) closed, assigned to staff.

use serde::{Deserialize, Serialize};

use crate::InvalidInput;

/// A program of the organisation by its code (e.g. `youth-drop-in`), one of the list an
/// administrator keeps (`safeharbor programs`). A case stores the code in the clear, beside the
/// client, so it is chosen from that list and never typed free: free text there could name the
/// person, and would outlive their erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramCode(String);

impl ProgramCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let code = raw.trim();
        let well_formed = (2..=40).contains(&code.len())
            && code.starts_with(|c: char| c.is_ascii_lowercase())
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(InvalidInput::new(
                "program",
                "must be a program's code: 2 to 40 lower-case letters, digits and hyphens, starting with a letter (an administrator lists them with `safeharbor programs list`)",
            ));
        }
        Ok(Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a program is called (e.g. "Youth drop-in"): the organisation's words, not a client's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramName(String);

impl ProgramName {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        let name = raw.trim();
        if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
            return Err(InvalidInput::new(
                "name",
                "must be a name of 1 to 80 characters",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
        }
    }
}

/// A calendar date written YYYY-MM-DD.
pub fn parse_date(field: &'static str, raw: &str) -> Result<time::Date, InvalidInput> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(raw.trim(), &format)
        .map_err(|_| InvalidInput::new(field, "must be a date written YYYY-MM-DD"))
}

/// A case's date as someone enters it: a calendar date from 1900 to 2100. (Stored dates are read
/// with `parse_date` alone, so that a record kept before this rule still opens.)
pub fn parse_case_date(field: &'static str, raw: &str) -> Result<time::Date, InvalidInput> {
    let date = parse_date(field, raw)?;
    if !(1900..=2100).contains(&date.year()) {
        return Err(InvalidInput::new(field, "must be a date from 1900 to 2100"));
    }
    Ok(date)
}

pub fn format_date(date: time::Date) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    date.format(&format).unwrap_or_default()
}

/// The dates of a case: opened, and closed only on or after that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseDates {
    opened_on: time::Date,
    closed_on: Option<time::Date>,
}

impl CaseDates {
    pub fn new(opened_on: time::Date, closed_on: Option<time::Date>) -> Result<Self, InvalidInput> {
        if closed_on.is_some_and(|closed| closed < opened_on) {
            return Err(InvalidInput::new(
                "closed_on",
                "must not be before opened_on",
            ));
        }
        Ok(Self {
            opened_on,
            closed_on,
        })
    }

    /// The dates once the case is closed on `on` (named `field` in a refusal): not a case
    /// closed already, not before the day it opened, not after today anywhere on Earth.
    pub fn close(
        self,
        field: &'static str,
        on: time::Date,
        now: crate::Timestamp,
    ) -> Result<Self, InvalidInput> {
        if self.closed_on.is_some() {
            return Err(InvalidInput::new(
                field,
                "cannot close a case that is closed already",
            ));
        }
        if on < self.opened_on {
            return Err(InvalidInput::new(
                field,
                "must not be before the case was opened",
            ));
        }
        if on > now.latest_date_anywhere() {
            return Err(InvalidInput::new(field, "must not be in the future"));
        }
        Ok(Self {
            closed_on: Some(on),
            ..self
        })
    }

    pub fn opened_on(self) -> time::Date {
        self.opened_on
    }

    pub fn closed_on(self) -> Option<time::Date> {
        self.closed_on
    }

    pub fn status(self) -> CaseStatus {
        if self.closed_on.is_some() {
            CaseStatus::Closed
        } else {
            CaseStatus::Open
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_case_date_is_a_real_date_of_our_times() {
        for raw in [
            "0000-01-01",
            "1899-12-31",
            "2101-01-01",
            "2026-02-30",
            "26-1-1",
        ] {
            assert!(parse_case_date("opened_on", raw).is_err(), "{raw}");
        }
        for raw in ["1900-01-01", "2026-12-02", "2100-12-31"] {
            assert!(parse_case_date("opened_on", raw).is_ok(), "{raw}");
        }
    }

    use super::*;
    use time::macros::date;

    #[test]
    fn a_case_cannot_close_before_it_opens() {
        assert!(CaseDates::new(date!(2026 - 05 - 02), Some(date!(2026 - 05 - 01))).is_err());
        let dates = CaseDates::new(date!(2026 - 05 - 02), Some(date!(2026 - 05 - 02))).unwrap();
        assert_eq!(dates.status(), CaseStatus::Closed);
        assert_eq!(
            CaseDates::new(date!(2026 - 05 - 02), None)
                .unwrap()
                .status(),
            CaseStatus::Open
        );
    }

    #[test]
    fn a_case_closes_once_on_a_day_from_its_opening_to_today() {
        // 2026-05-10 10:00 UTC, already the 11th east of UTC+10: the 11th may be typed.
        let now = crate::Timestamp::from_unix_millis(1_778_407_200_000);
        assert_eq!(now.date(), date!(2026 - 05 - 10));
        let open = CaseDates::new(date!(2026 - 05 - 02), None).unwrap();
        let closed = open.close("closed_on", date!(2026 - 05 - 02), now).unwrap();
        assert_eq!(closed.closed_on(), Some(date!(2026 - 05 - 02)));
        assert!(open.close("closed_on", date!(2026 - 05 - 11), now).is_ok());
        let problem = |dates: CaseDates, on| dates.close("closed_on", on, now).unwrap_err();
        assert!(
            problem(open, date!(2026 - 05 - 01))
                .problem
                .contains("before")
        );
        assert!(
            problem(open, date!(2026 - 05 - 12))
                .problem
                .contains("future")
        );
        let again = problem(closed, date!(2026 - 05 - 03));
        assert_eq!(again.field, "closed_on");
        assert!(again.problem.contains("closed already"));
    }

    #[test]
    fn programs_are_codes_from_a_list_with_short_names() {
        assert_eq!(
            ProgramCode::parse(" youth-drop-in ").unwrap().as_str(),
            "youth-drop-in"
        );
        for free_text in [
            "",
            "y",
            "Youth drop-in",
            "maria's case",
            "-youth",
            "9to5",
            "drop_in",
            &"p".repeat(41),
        ] {
            assert!(ProgramCode::parse(free_text).is_err(), "{free_text}");
        }
        assert!(ProgramName::parse("Youth drop-in").is_ok());
        assert!(ProgramName::parse("").is_err());
        assert!(ProgramName::parse(&"p".repeat(81)).is_err());
        assert!(ProgramName::parse("a\u{7}b").is_err());
    }
}
