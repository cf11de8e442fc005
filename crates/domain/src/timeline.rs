//! A client's history in one list: every kind of record, newest first, each at its place in
//! time. A record of a day (a service, a review) stands on that day; a record of a moment (a
//! note, a contact) on the day that moment falls in the reader's zone. Within a day the one
//! recorded last comes first, and records recorded in the same millisecond are told apart by
//! kind and id, so a page always ends at one exact place and the next starts right after it.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::case::{format_date, parse_date};
use crate::client::coded_field;
use crate::time::Timestamp;

coded_field!(
    /// A kind of record the history shows, in the order kinds are told apart within one
    /// millisecond (never seen in practice, but a page must end somewhere exact).
    Kind, "kind",
    "must be one of note, contact, service, referral, plan, needs, outcomes, closure, screening, determination",
    {
        Note => "note",
        Contact => "contact",
        Service => "service",
        Referral => "referral",
        Plan => "plan",
        Needs => "needs",
        Outcomes => "outcomes",
        Closure => "closure",
        Screening => "screening",
        Determination => "determination",
    }
);

impl Kind {
    /// What the filter calls the kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Note => "Notes",
            Kind::Contact => "Contacts and attempts",
            Kind::Service => "Services",
            Kind::Referral => "Referrals",
            Kind::Plan => "Plan reviews",
            Kind::Needs => "Needs assessments",
            Kind::Outcomes => "Outcome assessments",
            Kind::Closure => "Closures",
            Kind::Screening => "Screenings",
            Kind::Determination => "Determinations",
        }
    }

    /// Its place in `ALL`, which orders kinds within one millisecond.
    pub fn rank(self) -> i64 {
        let place = Self::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or_default();
        i64::try_from(place).unwrap_or_default()
    }

    /// Whether the kind's records are of a day (given, reviewed, assessed or closed on it) rather
    /// than of a moment.
    pub fn of_a_day(self) -> bool {
        matches!(
            self,
            Kind::Service | Kind::Plan | Kind::Needs | Kind::Outcomes | Kind::Closure
        )
    }
}

/// The kinds a reader chose to see: every kind when they chose none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kinds(Vec<Kind>);

impl Kinds {
    /// The kinds named in `codes` (in any order, repeats ignored); all of them for none.
    pub fn parse<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Self, InvalidInput> {
        let mut chosen = Vec::new();
        for code in codes {
            let kind = Kind::parse(code.trim())?;
            if !chosen.contains(&kind) {
                chosen.push(kind);
            }
        }
        Ok(if chosen.is_empty() {
            Self::default()
        } else {
            chosen.sort_by_key(|k| k.rank());
            Self(chosen)
        })
    }

    pub fn contains(&self, kind: Kind) -> bool {
        self.0.contains(&kind)
    }

    pub fn iter(&self) -> impl Iterator<Item = Kind> + '_ {
        self.0.iter().copied()
    }

    /// Whether every kind is shown (no filter).
    pub fn is_all(&self) -> bool {
        self.0.len() == Kind::ALL.len()
    }
}

impl Default for Kinds {
    fn default() -> Self {
        Self(Kind::ALL.to_vec())
    }
}

/// Where one record stands in the history. Ordered oldest first; the history lists the greatest
/// first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The day it stands on.
    pub day: time::Date,
    /// The moment it was, or (for a record of a day) was recorded.
    pub at: Timestamp,
    pub kind: Kind,
    /// The record's id, as stored.
    pub id: String,
}

impl Ord for Place {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.day, self.at, self.kind.rank(), &self.id).cmp(&(
            other.day,
            other.at,
            other.kind.rank(),
            &other.id,
        ))
    }
}

impl PartialOrd for Place {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The field a place is read from: the link to older records carries it.
const FIELD: &str = "before";
const PROBLEM: &str = "must be a place in the history, as the link to older records gives it";

impl Place {
    /// The place as a link carries it: `2026-03-31.1774958400000.note.<id>`.
    pub fn to_text(&self) -> String {
        format!(
            "{}.{}.{}.{}",
            format_date(self.day),
            self.at.unix_millis(),
            self.kind.as_str(),
            self.id
        )
    }

    /// A place as `to_text` wrote it.
    pub fn parse(text: &str) -> Result<Self, InvalidInput> {
        let bad = || InvalidInput::new(FIELD, PROBLEM);
        let mut parts = text.trim().splitn(4, '.');
        let mut next = || parts.next().ok_or_else(bad);
        let day = parse_date(FIELD, next()?).map_err(|_| bad())?;
        let at = next()?.parse::<i64>().map_err(|_| bad())?;
        let kind = Kind::parse(next()?).map_err(|_| bad())?;
        let id = next()?;
        let plain = |c: char| c.is_ascii_alphanumeric() || c == '-';
        if id.is_empty() || id.len() > 64 || !id.chars().all(plain) {
            return Err(bad());
        }
        Ok(Self {
            day,
            at: Timestamp::from_unix_millis(at),
            kind,
            id: id.to_owned(),
        })
    }
}

/// How many records a page of the history shows.
pub const PAGE: usize = 30;

/// A page of the history out of each kind's newest records before the page's start (at most
/// `limit + 1` of each, so that whether more remain is known): the newest `limit`, newest first,
/// and the place to continue from when there are more.
pub fn newest_first<T>(
    mut entries: Vec<(Place, T)>,
    limit: usize,
) -> (Vec<(Place, T)>, Option<Place>) {
    entries.sort_by(|(a, _), (b, _)| b.cmp(a));
    let more = entries.len() > limit;
    entries.truncate(limit);
    let next = more
        .then(|| entries.last().map(|(place, _)| place.clone()))
        .flatten();
    (entries, next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(day: &str, at: i64, kind: Kind, id: &str) -> Place {
        Place {
            day: parse_date("day", day).unwrap(),
            at: Timestamp::from_unix_millis(at),
            kind,
            id: id.to_owned(),
        }
    }

    #[test]
    fn a_place_reads_back_as_written() {
        let p = place("2026-03-31", 1_774_958_400_000, Kind::Service, "0f3c-9a");
        assert_eq!(Place::parse(&p.to_text()), Ok(p));
    }

    #[test]
    fn a_place_that_was_not_written_by_us_is_refused() {
        for bad in [
            "",
            "2026-03-31",
            "2026-02-30.1.note.a",
            "2026-03-31.x.note.a",
            "2026-03-31.1.letter.a",
            "2026-03-31.1.note.",
            "2026-03-31.1.note.a'b",
            "2026-03-31.1.note.a.b",
        ] {
            let refused = Place::parse(bad).unwrap_err();
            assert_eq!(refused.field, "before", "{bad}");
        }
    }

    #[test]
    fn the_day_comes_before_the_moment_of_recording() {
        // A service given on the 1st but recorded on the 3rd stands before a note of the 2nd.
        let service = place("2026-03-01", 3_000, Kind::Service, "s");
        let note = place("2026-03-02", 2_000, Kind::Note, "n");
        assert!(note > service);
    }

    #[test]
    fn one_millisecond_is_told_apart_by_kind_then_id() {
        let a = place("2026-03-01", 5, Kind::Note, "b");
        let b = place("2026-03-01", 5, Kind::Contact, "a");
        let c = place("2026-03-01", 5, Kind::Contact, "b");
        assert!(a < b && b < c);
    }

    #[test]
    fn a_page_is_the_newest_and_says_where_to_go_on() {
        let entries = vec![
            (place("2026-03-01", 1, Kind::Note, "a"), 'a'),
            (place("2026-03-03", 1, Kind::Note, "c"), 'c'),
            (place("2026-03-02", 1, Kind::Service, "b"), 'b'),
        ];
        let (page, next) = newest_first(entries.clone(), 2);
        let shown: String = page.iter().map(|(_, c)| *c).collect();
        assert_eq!(shown, "cb");
        assert_eq!(next, Some(place("2026-03-02", 1, Kind::Service, "b")));
        let (page, next) = newest_first(entries, 3);
        assert_eq!(page.len(), 3);
        assert_eq!(next, None);
    }

    #[test]
    fn no_kinds_chosen_means_every_kind() {
        assert!(Kinds::parse([]).unwrap().is_all());
        let some = Kinds::parse(["service", "note", "note"]).unwrap();
        assert_eq!(some.iter().collect::<Vec<_>>(), [Kind::Note, Kind::Service]);
        assert_eq!(Kinds::parse(["letters"]).unwrap_err().field, "kind");
    }
}
