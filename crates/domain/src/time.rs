//! Instants as milliseconds since the Unix epoch (UTC). Stored as a plain integer on every engine.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

/// How far ahead of UTC the easternmost zone on Earth is (UTC+14), and how far behind the
/// westernmost (UTC-12), in milliseconds.
const EAST_MILLIS: i64 = 14 * 3_600_000;
const WEST_MILLIS: i64 = 12 * 3_600_000;

impl Timestamp {
    pub const fn from_unix_millis(ms: i64) -> Self {
        Self(ms)
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self(self.0.saturating_add(days.saturating_mul(86_400_000)))
    }

    /// The first instant of `date` (UTC).
    pub fn start_of_day(date: time::Date) -> Self {
        Self(date.midnight().assume_utc().unix_timestamp() * 1000)
    }

    /// The calendar date (UTC) this instant falls on.
    pub fn date(self) -> time::Date {
        let secs = self.0.div_euclid(1000);
        time::OffsetDateTime::from_unix_timestamp(secs)
            .map(|t| t.date())
            .unwrap_or(time::Date::MIN)
    }

    /// The latest calendar date this instant falls on anywhere on Earth (UTC+14). A date typed
    /// without a zone (a day's work, an assessment) is in the future only after this one.
    pub fn latest_date_anywhere(self) -> time::Date {
        Self(self.0.saturating_add(EAST_MILLIS)).date()
    }

    /// The earliest calendar date this instant falls on anywhere on Earth (UTC-12). A date typed
    /// without a zone is before this instant everywhere only before this one.
    pub fn earliest_date_anywhere(self) -> time::Date {
        Self(self.0.saturating_sub(WEST_MILLIS)).date()
    }

    /// An instant written in RFC 3339 (as `rfc3339` writes it), if `text` is one.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        let t = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .ok()?;
        i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
            .ok()
            .map(Self)
    }

    /// RFC 3339 text, for API responses and human-readable output.
    pub fn rfc3339(self) -> String {
        let nanos = i128::from(self.0) * 1_000_000;
        time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
    }
}

/// The time zone a program's staff read times in (an IANA name such as `America/Chicago`; UTC
/// unless the server is told otherwise). Instants stay UTC everywhere else; only what people
/// read and type is in this zone. The zone rules come bundled in the binary, so every machine
/// shows the same times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramZone {
    name: String,
    zone: jiff::tz::TimeZone,
}

impl Default for ProgramZone {
    fn default() -> Self {
        Self {
            name: "UTC".to_owned(),
            zone: jiff::tz::TimeZone::UTC,
        }
    }
}

impl ProgramZone {
    /// A zone by its IANA name (`Europe/Madrid`, `UTC`).
    pub fn parse(name: &str) -> Result<Self, crate::InvalidInput> {
        let name = name.trim();
        match jiff::tz::TimeZone::get(name) {
            Ok(zone) if !zone.is_unknown() => Ok(Self {
                name: zone.iana_name().unwrap_or(name).to_owned(),
                zone,
            }),
            _ => Err(crate::InvalidInput::new(
                "time_zone",
                "is not a time zone's name (such as America/Chicago or UTC)",
            )),
        }
    }

    /// The names of every zone the time-zone database knows, in order: the choices a person has.
    pub fn names() -> Vec<String> {
        let mut names: Vec<String> = jiff::tz::db()
            .available()
            .map(|name| name.to_string())
            .collect();
        names.sort();
        names
    }

    /// The zone's IANA name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An instant as staff read it: date and minute in this zone, with the zone's short name
    /// (`2026-03-31 14:05 CDT`).
    pub fn minute(&self, at: Timestamp) -> String {
        jiff::Timestamp::from_millisecond(at.unix_millis())
            .ok()
            .and_then(|t| {
                jiff::fmt::strtime::format("%Y-%m-%d %H:%M %Z", &t.to_zoned(self.zone.clone())).ok()
            })
            .unwrap_or_else(|| at.rfc3339())
    }

    /// An instant as a date-and-time box shows and sends it: date and minute in this zone,
    /// without the zone's name (`2026-03-31T14:05`).
    pub fn minute_input(&self, at: Timestamp) -> String {
        jiff::Timestamp::from_millisecond(at.unix_millis())
            .ok()
            .and_then(|t| {
                jiff::fmt::strtime::format("%Y-%m-%dT%H:%M", &t.to_zoned(self.zone.clone())).ok()
            })
            .unwrap_or_default()
    }

    /// The instant a date and minute typed in this zone stand for (`2026-03-31T14:05`, as a
    /// date-and-time box sends it, seconds allowed). A minute the clocks skip is read as the
    /// same time after the change, and one they repeat as the first of the two.
    pub fn parse_minute(
        &self,
        field: &'static str,
        raw: &str,
    ) -> Result<Timestamp, crate::InvalidInput> {
        let typed = raw.trim();
        let civil = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
            .into_iter()
            .find_map(|format| jiff::civil::DateTime::strptime(format, typed).ok());
        civil
            .and_then(|civil| civil.to_zoned(self.zone.clone()).ok())
            .map(|zoned| Timestamp::from_unix_millis(zoned.timestamp().as_millisecond()))
            .ok_or(crate::InvalidInput::new(
                field,
                "must be a date and time written YYYY-MM-DD HH:MM",
            ))
    }

    /// The day of an instant in this zone (`2026-03-31`).
    pub fn day(&self, at: Timestamp) -> String {
        jiff::Timestamp::from_millisecond(at.unix_millis())
            .map(|t| t.to_zoned(self.zone.clone()).date().to_string())
            .unwrap_or_else(|_| at.rfc3339())
    }

    /// The date of an instant in this zone. (Taken from the zone's calendar date field by field:
    /// a client's history places hundreds of records a page by it.)
    pub fn date(&self, at: Timestamp) -> time::Date {
        let civil = jiff::Timestamp::from_millisecond(at.unix_millis())
            .ok()
            .map(|t| t.to_zoned(self.zone.clone()).date());
        civil
            .and_then(|d| {
                let month = time::Month::try_from(u8::try_from(d.month()).ok()?).ok()?;
                let day = u8::try_from(d.day()).ok()?;
                time::Date::from_calendar_date(i32::from(d.year()), month, day).ok()
            })
            .unwrap_or_else(|| at.date())
    }

    /// The first instant of `date` in this zone (midnight, or the first minute after a
    /// clock change that skips it).
    pub fn start_of_day(&self, date: time::Date) -> Timestamp {
        let day = i8::try_from(date.day()).ok();
        let month = i8::try_from(u8::from(date.month())).ok();
        let year = i16::try_from(date.year()).ok();
        let start = match (year, month, day) {
            (Some(y), Some(m), Some(d)) => jiff::civil::Date::new(y, m, d)
                .and_then(|d| d.to_zoned(self.zone.clone()))
                .map(|z| z.timestamp().as_millisecond())
                .ok(),
            _ => None,
        };
        start.map_or_else(
            || Timestamp::start_of_day(date),
            Timestamp::from_unix_millis,
        )
    }
}

#[cfg(test)]
mod zone_tests {
    use super::*;

    #[test]
    fn times_read_in_the_programs_zone_and_say_which() {
        // 2026-07-01 18:30 UTC.
        let at = Timestamp::from_unix_millis(1_782_930_600_000);
        assert_eq!(ProgramZone::default().minute(at), "2026-07-01 18:30 UTC");
        let chicago = ProgramZone::parse("America/Chicago").unwrap();
        assert_eq!(chicago.name(), "America/Chicago");
        assert_eq!(chicago.minute(at), "2026-07-01 13:30 CDT");
        let madrid = ProgramZone::parse("Europe/Madrid").unwrap();
        assert_eq!(madrid.minute(at), "2026-07-01 20:30 CEST");
        // 23:40 UTC is already the next day in Madrid.
        let late = Timestamp::from_unix_millis(1_782_949_200_000);
        assert_eq!(ProgramZone::default().day(late), "2026-07-01");
        assert_eq!(madrid.day(late), "2026-07-02");
    }

    #[test]
    fn an_instant_falls_on_the_zones_date_as_its_day_says() {
        let chicago = ProgramZone::parse("America/Chicago").unwrap();
        // 2026-07-01 04:59:59.999 UTC is still June 30 in Chicago; a millisecond later, July 1.
        let before = Timestamp::from_unix_millis(1_782_881_999_999);
        let at = Timestamp::from_unix_millis(1_782_882_000_000);
        assert_eq!(chicago.date(before), time::macros::date!(2026 - 06 - 30));
        assert_eq!(chicago.date(at), time::macros::date!(2026 - 07 - 01));
        for t in [before, at, Timestamp::from_unix_millis(0)] {
            let written = crate::case::format_date(chicago.date(t));
            assert_eq!(written, chicago.day(t));
        }
    }

    #[test]
    fn a_day_starts_at_midnight_in_the_zone() {
        let day = time::macros::date!(2026 - 07 - 01);
        let chicago = ProgramZone::parse("America/Chicago").unwrap();
        assert_eq!(
            chicago.start_of_day(day),
            Timestamp::from_unix_millis(1_782_882_000_000)
        );
        assert_eq!(
            ProgramZone::default().start_of_day(day),
            Timestamp::start_of_day(day)
        );
    }

    #[test]
    fn a_typed_minute_is_read_in_the_zone_and_shown_back_the_same() {
        let chicago = ProgramZone::parse("America/Chicago").unwrap();
        // 2026-07-01 13:30 CDT is 18:30 UTC.
        let at = Timestamp::from_unix_millis(1_782_930_600_000);
        assert_eq!(chicago.parse_minute("when", "2026-07-01T13:30"), Ok(at));
        assert_eq!(
            chicago.parse_minute("when", " 2026-07-01T13:30:00 "),
            Ok(at)
        );
        assert_eq!(chicago.minute_input(at), "2026-07-01T13:30");
        assert_eq!(ProgramZone::default().minute_input(at), "2026-07-01T18:30");
        for bad in [
            "",
            "2026-07-01",
            "2026-02-30T10:00",
            "01/07/2026 13:30",
            "2026-07-01T25:00",
        ] {
            let err = chicago.parse_minute("when", bad).unwrap_err();
            assert_eq!(err.field, "when", "{bad}");
        }
        // 02:30 on the day clocks go forward does not exist: read as 03:30 CDT.
        let skipped = chicago.parse_minute("when", "2026-03-08T02:30").unwrap();
        assert_eq!(chicago.minute(skipped), "2026-03-08 03:30 CDT");
    }

    #[test]
    fn only_real_zones_are_taken() {
        for bad in ["Mars/Olympus", "", "Etc/Unknown", "CDT-ish"] {
            assert!(ProgramZone::parse(bad).is_err(), "{bad}");
        }
    }
}
