//! The federal fiscal year (1 October to 30 September) and its quarters, the calendar OVC's and
//! VOCA's performance measures run on (`research/reporting.md` §1.1). Its quarters are the
//! calendar's: October, January, April and July start one each.

use time::{Date, Month};

/// A stretch of the fiscal calendar a person's services are summed over for the reports
/// (`store::Reads::served`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Quarter,
    Year,
}

impl Span {
    /// As the store keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            Span::Quarter => "quarter",
            Span::Year => "year",
        }
    }

    /// The first day of the span that `day` falls in.
    pub fn start(self, day: Date) -> Date {
        match self {
            Span::Quarter => quarter_start(day),
            Span::Year => year_start(day),
        }
    }

    /// The last day of the span that starts on `start`.
    pub fn end(self, start: Date) -> Date {
        let months = match self {
            Span::Quarter => 3,
            Span::Year => 12,
        };
        let (mut year, mut month) = (start.year(), start.month());
        for _ in 0..months {
            month = month.next();
            if month == Month::January {
                year += 1;
            }
        }
        Date::from_calendar_date(year, month, 1)
            .ok()
            .and_then(Date::previous_day)
            .unwrap_or(Date::MAX)
    }

    /// The span that runs exactly from `from` to `to`, with its first day, if either does.
    pub fn exactly(from: Date, to: Date) -> Option<(Span, Date)> {
        [Span::Quarter, Span::Year]
            .into_iter()
            .find(|span| span.start(from) == from && span.end(from) == to)
            .map(|span| (span, from))
    }
}

/// The 1 October on or before `day`.
pub fn year_start(day: Date) -> Date {
    let year = if day.month() >= Month::October {
        day.year()
    } else {
        day.year() - 1
    };
    // 1 October exists in every year `Date` can hold that has a day in it after October.
    Date::from_calendar_date(year, Month::October, 1).unwrap_or(Date::MIN)
}

/// The first day of the quarter `day` falls in.
pub fn quarter_start(day: Date) -> Date {
    let month = match day.month() {
        Month::January | Month::February | Month::March => Month::January,
        Month::April | Month::May | Month::June => Month::April,
        Month::July | Month::August | Month::September => Month::July,
        Month::October | Month::November | Month::December => Month::October,
    };
    Date::from_calendar_date(day.year(), month, 1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_day_falls_in_one_quarter_and_one_year_of_the_fiscal_calendar() {
        for (day, quarter, year) in [
            (
                date!(2026 - 10 - 01),
                date!(2026 - 10 - 01),
                date!(2026 - 10 - 01),
            ),
            (
                date!(2026 - 12 - 31),
                date!(2026 - 10 - 01),
                date!(2026 - 10 - 01),
            ),
            (
                date!(2027 - 01 - 01),
                date!(2027 - 01 - 01),
                date!(2026 - 10 - 01),
            ),
            (
                date!(2027 - 05 - 17),
                date!(2027 - 04 - 01),
                date!(2026 - 10 - 01),
            ),
            (
                date!(2027 - 09 - 30),
                date!(2027 - 07 - 01),
                date!(2026 - 10 - 01),
            ),
        ] {
            assert_eq!(Span::Quarter.start(day), quarter, "{day}");
            assert_eq!(Span::Year.start(day), year, "{day}");
        }
        assert_eq!(
            Span::Quarter.end(date!(2026 - 10 - 01)),
            date!(2026 - 12 - 31)
        );
        assert_eq!(
            Span::Quarter.end(date!(2028 - 01 - 01)),
            date!(2028 - 03 - 31)
        );
        assert_eq!(Span::Year.end(date!(2026 - 10 - 01)), date!(2027 - 09 - 30));
    }

    #[test]
    fn only_a_whole_quarter_or_a_whole_year_is_a_span() {
        let exactly = |from, to| Span::exactly(from, to);
        assert_eq!(
            exactly(date!(2026 - 07 - 01), date!(2026 - 09 - 30)),
            Some((Span::Quarter, date!(2026 - 07 - 01)))
        );
        assert_eq!(
            exactly(date!(2025 - 10 - 01), date!(2026 - 09 - 30)),
            Some((Span::Year, date!(2025 - 10 - 01)))
        );
        for (from, to) in [
            (date!(2026 - 07 - 02), date!(2026 - 09 - 30)),
            (date!(2026 - 07 - 01), date!(2026 - 09 - 29)),
            (date!(2026 - 07 - 01), date!(2026 - 12 - 31)),
            (date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
        ] {
            assert_eq!(exactly(from, to), None, "{from} to {to}");
        }
    }
}
