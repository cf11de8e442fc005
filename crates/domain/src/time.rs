//! Instants as milliseconds since the Unix epoch (UTC). Stored as a plain integer on every engine.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(i64);

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
