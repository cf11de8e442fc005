//! The period a report covers, and the federal fiscal year its counts of "new" people follow
//! (October to September: the year OVC's and VOCA's performance measures run on,
//! `research/reporting.md` §1.1).

use domain::fiscal::Span;
use domain::fiscal::year_start as fiscal_year_start;
use thiserror::Error;
use time::{Date, Month};

/// Days from `from` to `to`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    from: Date,
    to: Date,
}

/// Why a period could not be taken.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("the period ends ({to}) before it starts ({from})")]
    EndsBeforeItStarts { from: Date, to: Date },
    #[error(
        "{report} counts a person as new once in a federal fiscal year (October to September), \
         so its period must fall within one; {from} to {to} does not"
    )]
    SpansFiscalYears {
        report: &'static str,
        from: Date,
        to: Date,
    },
    #[error(
        "there is no quarter {0:?}: write it as FY2027-Q1 (October to December 2026) to FY2027-Q4"
    )]
    NoSuchQuarter(String),
}

impl Period {
    pub fn new(from: Date, to: Date) -> Result<Period, PeriodError> {
        if to < from {
            return Err(PeriodError::EndsBeforeItStarts { from, to });
        }
        Ok(Period { from, to })
    }

    /// A federal fiscal quarter written as `FY2027-Q1`: fiscal year 2027 starts on 1 October 2026.
    pub fn quarter(raw: &str) -> Result<Period, PeriodError> {
        let no_such = || PeriodError::NoSuchQuarter(raw.to_owned());
        let (year, quarter) = raw
            .trim()
            .strip_prefix("FY")
            .and_then(|rest| rest.split_once("-Q"))
            .ok_or_else(no_such)?;
        let year: i32 = year.parse().map_err(|_| no_such())?;
        let quarter: u8 = quarter.parse().map_err(|_| no_such())?;
        if !(1..=4).contains(&quarter) || !(1900..=9998).contains(&year) {
            return Err(no_such());
        }
        // Q1 is October to December of the year before.
        let (start_year, start_month) = match quarter {
            1 => (year - 1, Month::October),
            2 => (year, Month::January),
            3 => (year, Month::April),
            _ => (year, Month::July),
        };
        let from = Date::from_calendar_date(start_year, start_month, 1).map_err(|_| no_such())?;
        Period::new(from, Span::Quarter.end(from))
    }

    /// The federal fiscal quarter `day` falls in.
    pub fn quarter_containing(day: Date) -> Period {
        let from = Span::Quarter.start(day);
        Period {
            from,
            to: Span::Quarter.end(from),
        }
    }

    pub fn from(self) -> Date {
        self.from
    }

    pub fn to(self) -> Date {
        self.to
    }

    pub fn contains(self, day: Date) -> bool {
        (self.from..=self.to).contains(&day)
    }

    /// The first day of the federal fiscal year the period starts in.
    pub fn fiscal_year_start(self) -> Date {
        fiscal_year_start(self.from)
    }

    /// The period itself, when it falls within one fiscal year; `report` names the report that
    /// needs it to, for the error.
    pub fn within_one_fiscal_year(self, report: &'static str) -> Result<Period, PeriodError> {
        if fiscal_year_start(self.to) == fiscal_year_start(self.from) {
            Ok(self)
        } else {
            Err(PeriodError::SpansFiscalYears {
                report,
                from: self.from,
                to: self.to,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_fiscal_quarter_is_three_calendar_months_starting_in_october() {
        let q = |raw| Period::quarter(raw).map(|p| (p.from(), p.to()));
        assert_eq!(
            q("FY2027-Q1"),
            Ok((date!(2026 - 10 - 01), date!(2026 - 12 - 31)))
        );
        assert_eq!(
            q("FY2027-Q2"),
            Ok((date!(2027 - 01 - 01), date!(2027 - 03 - 31)))
        );
        assert_eq!(
            q("FY2028-Q2"),
            Ok((date!(2028 - 01 - 01), date!(2028 - 03 - 31)))
        );
        assert_eq!(
            q("FY2027-Q4"),
            Ok((date!(2027 - 07 - 01), date!(2027 - 09 - 30)))
        );
        for wrong in ["FY2027-Q5", "FY2027-Q0", "2027-Q1", "FY27", "FYx-Q1", ""] {
            assert!(
                matches!(q(wrong), Err(PeriodError::NoSuchQuarter(_))),
                "{wrong}"
            );
        }
    }

    #[test]
    fn a_day_falls_in_one_fiscal_quarter() {
        for (day, from, to) in [
            (
                date!(2026 - 12 - 03),
                date!(2026 - 10 - 01),
                date!(2026 - 12 - 31),
            ),
            (
                date!(2026 - 10 - 01),
                date!(2026 - 10 - 01),
                date!(2026 - 12 - 31),
            ),
            (
                date!(2027 - 03 - 31),
                date!(2027 - 01 - 01),
                date!(2027 - 03 - 31),
            ),
            (
                date!(2027 - 09 - 30),
                date!(2027 - 07 - 01),
                date!(2027 - 09 - 30),
            ),
        ] {
            let q = Period::quarter_containing(day);
            assert_eq!((q.from(), q.to()), (from, to), "{day}");
        }
    }

    #[test]
    fn a_period_must_end_on_or_after_its_start_and_may_have_to_fit_a_fiscal_year() {
        assert!(Period::new(date!(2027 - 01 - 02), date!(2027 - 01 - 01)).is_err());
        let day = Period::new(date!(2027 - 01 - 01), date!(2027 - 01 - 01)).unwrap();
        assert!(day.contains(date!(2027 - 01 - 01)));
        assert_eq!(day.fiscal_year_start(), date!(2026 - 10 - 01));
        let year = Period::new(date!(2026 - 10 - 01), date!(2027 - 09 - 30)).unwrap();
        assert!(year.within_one_fiscal_year("VOCA").is_ok());
        let calendar = Period::new(date!(2027 - 01 - 01), date!(2027 - 12 - 31)).unwrap();
        assert!(calendar.within_one_fiscal_year("VOCA").is_err());
        assert_eq!(
            fiscal_year_start(date!(2026 - 09 - 30)),
            date!(2025 - 10 - 01)
        );
    }
}
