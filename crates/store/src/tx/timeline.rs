//! A client's history (`domain::timeline`) in two readings. First the places: for each kind of
//! record asked for, where its newest records before a place in the history stand, at most a page
//! and one more of each, in one query whose every part walks an index that holds the whole
//! place (no row is opened); the caller puts them in order and keeps a page. Then the rows of
//! that page alone, by id, one query for each kind it holds. A page costs the same with five
//! years behind it as with one week.

use domain::ClientId;
use domain::case::format_date;
use domain::time::Timestamp;
use domain::timeline::{Kind, Kinds, Place};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::together::Value;
use super::{Reads, casework, closures, contacts, needs, outcomes, plans, prefixed, referrals};
use super::{screening, services};
use crate::Result;
use crate::rows::{ReferralStepLine, TimelineRows};

/// Where a page of the history starts: just before `place`. A record of a moment stands on the
/// day it falls on in the reader's zone, so the first instants of that day and the next, in that
/// zone, come with it.
#[derive(Debug, Clone)]
pub struct Before<'a> {
    pub place: &'a Place,
    pub day_starts: Timestamp,
    pub next_day_starts: Timestamp,
}

/// Where a record stands, as stored: its day (a record of a day's), its moment, kind and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceRow {
    pub kind: Kind,
    pub id: String,
    pub day: Option<String>,
    pub at: Timestamp,
}

impl PlaceRow {
    /// What orders the places of one kind: the day (for a record of a day's), then the moment.
    fn in_order(&self) -> (Option<&str>, Timestamp) {
        (self.day.as_deref(), self.at)
    }
}

/// Where one kind's records are read from: the table as `t` (and what a row is read with), its
/// columns, and what places a record in time: the day it is of (for records of a day) and its
/// moment.
struct Source {
    table: &'static str,
    columns: &'static str,
    /// Tables joined to read a row, and the columns they give, already named.
    joins: &'static str,
    joined: &'static str,
    day: Option<&'static str>,
    at: &'static str,
}

impl Source {
    const fn of(table: &'static str, columns: &'static str, at: &'static str) -> Self {
        Self {
            table,
            columns,
            joins: "",
            joined: "",
            day: None,
            at,
        }
    }

    const fn on_a_day(mut self, day: &'static str) -> Self {
        self.day = Some(day);
        self
    }
}

const NOTES: Source = Source::of("notes", casework::NOTE_COLUMNS, "created_at");
const CONTACTS: Source = Source::of("contacts", contacts::COLUMNS, "occurred_at");
const SERVICES: Source =
    Source::of("services", services::COLUMNS, "created_at").on_a_day("delivered_on");
/// Each step of a referral is a record of its own: drafted, sent, accepted, and so on.
const REFERRAL_STEPS: Source = Source {
    table: "referral_steps",
    columns: referrals::STEP_COLUMNS,
    joins: " JOIN referrals r ON r.id = t.referral_id JOIN partners p ON p.id = r.partner_id",
    joined: ", r.service AS service, p.name AS partner",
    day: None,
    at: "at",
};
const PLAN_REVIEWS: Source =
    Source::of("plan_reviews", plans::REVIEW_COLUMNS, "created_at").on_a_day("reviewed_on");
const NEEDS: Source =
    Source::of("need_assessments", needs::COLUMNS, "created_at").on_a_day("assessed_on");
const OUTCOMES: Source =
    Source::of("outcome_assessments", outcomes::COLUMNS, "created_at").on_a_day("assessed_on");
const CLOSURES: Source =
    Source::of("case_closures", closures::CLOSURE_COLUMNS, "created_at").on_a_day("closed_on");
const SCREENINGS: Source = Source::of("screenings", screening::SCREENING_COLUMNS, "created_at");
const DETERMINATIONS: Source = Source::of(
    "determinations",
    screening::DETERMINATION_COLUMNS,
    "created_at",
);

/// Where each kind's records are read from.
fn source(kind: Kind) -> &'static Source {
    match kind {
        Kind::Note => &NOTES,
        Kind::Contact => &CONTACTS,
        Kind::Service => &SERVICES,
        Kind::Referral => &REFERRAL_STEPS,
        Kind::Plan => &PLAN_REVIEWS,
        Kind::Needs => &NEEDS,
        Kind::Outcomes => &OUTCOMES,
        Kind::Closure => &CLOSURES,
        Kind::Screening => &SCREENINGS,
        Kind::Determination => &DETERMINATIONS,
    }
}

/// A query's values, numbered as they are added (the same value may be bound more than once, so
/// every number written is bound, as PostgreSQL needs).
#[derive(Default)]
struct Binds(Vec<Value>);

impl Binds {
    fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Value::Text(value.into()));
        format!("${}", self.0.len())
    }

    fn int(&mut self, value: i64) -> String {
        self.0.push(Value::Int(value));
        format!("${}", self.0.len())
    }

    async fn fetch(self, reads: &mut Reads, sql: String) -> Result<Vec<AnyRow>> {
        reads.fetch_together(&[&sql], &self.0).await
    }
}

/// The part of the places query for `kind`: its newest `limit` places before `before`.
fn places_of(
    kind: Kind,
    client: ClientId,
    before: Option<&Before<'_>>,
    limit: i64,
    binds: &mut Binds,
) -> String {
    let source = source(kind);
    let at = format!("t.{}", source.at);
    let client = binds.text(client.to_string());
    let after = before.map_or(String::new(), |before| {
        let place = before.place;
        let on_its_day = match source.day {
            Some(day) => {
                let d = binds.text(format_date(place.day));
                format!("t.{day} < {d} OR (t.{day} = {d}")
            }
            None => {
                let starts = binds.int(before.day_starts.unix_millis());
                let ends = binds.int(before.next_day_starts.unix_millis());
                format!("{at} < {starts} OR ({at} < {ends}")
            }
        };
        let (moment, rank, id) = (
            binds.int(place.at.unix_millis()),
            binds.int(place.kind.rank()),
            binds.text(place.id.clone()),
        );
        let me = kind.rank();
        format!(
            " AND ({on_its_day} AND ({at} < {moment} OR ({at} = {moment} AND \
             ({me} < {rank} OR ({me} = {rank} AND t.id < {id}))))))"
        )
    });
    let (day, order) = match source.day {
        Some(day) => (
            format!("t.{day}"),
            format!("t.{day} DESC, {at} DESC, t.id DESC"),
        ),
        None => (
            "CAST(NULL AS TEXT)".to_owned(),
            format!("{at} DESC, t.id DESC"),
        ),
    };
    let limit = binds.int(limit);
    format!(
        "SELECT * FROM (SELECT CAST({} AS BIGINT) AS kind, t.id AS id, {day} AS day, {at} AS at \
         FROM {} t WHERE t.client_id = {client}{after} ORDER BY {order} LIMIT {limit}) AS k{}",
        kind.rank(),
        source.table,
        kind.rank()
    )
}

/// Where a kind's rows from the place `oldest` to the place `newest` stand in its index, both ends
/// kept. Only the day (for a record of a day's) and the moment bound it: ids are ordered by the
/// database's collation, which the caller's comparison need not match.
fn span(
    source: &Source,
    oldest: &PlaceRow,
    newest: &PlaceRow,
    binds: &mut Binds,
) -> Result<String> {
    let at = format!("t.{}", source.at);
    let Some(day) = source.day else {
        let (from, to) = (
            binds.int(oldest.at.unix_millis()),
            binds.int(newest.at.unix_millis()),
        );
        return Ok(format!("{at} >= {from} AND {at} <= {to}"));
    };
    let mut end = |place: &PlaceRow| -> Result<String> {
        let on = place
            .day
            .clone()
            .ok_or(crate::StoreError::Corrupt("a place in the history"))?;
        Ok(format!(
            "({}, {})",
            binds.text(on),
            binds.int(place.at.unix_millis())
        ))
    };
    let (from, to) = (end(oldest)?, end(newest)?);
    Ok(format!(
        "(t.{day}, {at}) >= {from} AND (t.{day}, {at}) <= {to}"
    ))
}

/// The places of every part, as one text: a row each would cost, on SQLite, a hand-over between
/// the database's thread and the request's for each of a hundred-odd rows a page. Each place is
/// its kind's rank, id, day (empty for a record of a moment) and moment, apart by spaces; places
/// apart by commas (ids, days and numbers hold neither).
fn places_as_text(parts: &[String]) -> String {
    format!(
        "SELECT string_agg(CAST(kind AS TEXT) || ' ' || id || ' ' || COALESCE(day, '') || ' ' \
         || CAST(at AS TEXT), ',') AS places FROM ({}) AS places",
        parts.join(" UNION ALL ")
    )
}

fn place_of_text(text: &str) -> Result<PlaceRow> {
    let corrupt = || crate::StoreError::Corrupt("a place in the history");
    let mut fields = text.splitn(4, ' ');
    let mut next = || fields.next().ok_or_else(corrupt);
    let (rank, id, day, at) = (next()?, next()?, next()?, next()?);
    Ok(PlaceRow {
        kind: kind_of_rank(rank.parse().map_err(|_| corrupt())?)?,
        id: id.to_owned(),
        day: Some(day.to_owned()).filter(|day| !day.is_empty()),
        at: Timestamp::from_unix_millis(at.parse().map_err(|_| corrupt())?),
    })
}

fn kind_of_rank(rank: i64) -> Result<Kind> {
    Kind::ALL
        .iter()
        .copied()
        .find(|k| k.rank() == rank)
        .ok_or(crate::StoreError::Corrupt("a kind of record"))
}

fn referral_step(row: &AnyRow) -> Result<ReferralStepLine> {
    Ok(ReferralStepLine {
        step: referrals::step(row)?,
        service: row.try_get("service")?,
        partner: row.try_get("partner")?,
    })
}

impl Reads {
    /// Where `client`'s newest records of each of `kinds` stand, before `before` (from the newest
    /// without it): at most `limit` of each kind, in no particular order, in one query.
    pub async fn timeline_places(
        &mut self,
        client: ClientId,
        kinds: &Kinds,
        before: Option<&Before<'_>>,
        limit: i64,
    ) -> Result<Vec<PlaceRow>> {
        let mut binds = Binds::default();
        let parts: Vec<String> = kinds
            .iter()
            .map(|kind| places_of(kind, client, before, limit, &mut binds))
            .collect();
        if parts.is_empty() {
            return Ok(Vec::new());
        }
        let rows = binds.fetch(self, places_as_text(&parts)).await?;
        let text: Option<String> = match rows.first() {
            Some(row) => row.try_get("places")?,
            None => None,
        };
        text.iter()
            .flat_map(|text| text.split(','))
            .map(place_of_text)
            .collect()
    }

    /// The rows of `client`'s history that `places` name, in no particular order: each kind in a
    /// statement of its own, all run together, each row saying its kind. A kind's rows are read
    /// as the span of its index from its oldest place to its newest, not one by one by id: the
    /// span is a page or two of the index, where ids are as many pages of another (on SQLite a
    /// page read afresh each time, since a reader's cache starts again after any write). So a
    /// record of that kind put in the span since the places were read comes too; the caller
    /// keeps the rows it named.
    pub async fn timeline_rows(
        &mut self,
        client: ClientId,
        places: &[PlaceRow],
    ) -> Result<TimelineRows> {
        let mut binds = Binds::default();
        let client = binds.text(client.to_string());
        let mut statements = Vec::new();
        for kind in Kind::ALL.iter().copied() {
            let of_kind = places.iter().filter(|p| p.kind == kind);
            let (Some(oldest), Some(newest)) = (
                of_kind.clone().min_by_key(|p| p.in_order()),
                of_kind.max_by_key(|p| p.in_order()),
            ) else {
                continue;
            };
            let source = source(kind);
            statements.push(format!(
                "SELECT CAST({} AS BIGINT) AS kind_rank, {}{} FROM {} t{} \
                 WHERE t.client_id = {client} AND {}",
                kind.rank(),
                prefixed("t", source.columns),
                source.joined,
                source.table,
                source.joins,
                span(source, oldest, newest, &mut binds)?
            ));
        }
        let mut rows = TimelineRows::default();
        if statements.is_empty() {
            return Ok(rows);
        }
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        let mut needs = Vec::new();
        for row in &self.fetch_together(&statements, &binds.0).await? {
            match kind_of_rank(row.try_get("kind_rank")?)? {
                Kind::Note => rows.notes.push(casework::note(row)?),
                Kind::Contact => rows.contacts.push(contacts::contact(row)?),
                Kind::Service => rows.services.push(services::service(row)?),
                Kind::Referral => rows.referral_steps.push(referral_step(row)?),
                Kind::Plan => rows.plan_reviews.push(plans::review(row)?),
                Kind::Needs => needs.push(needs::assessment(row)?),
                Kind::Outcomes => rows.outcomes.push(outcomes::assessment(row)?),
                Kind::Closure => rows.closures.push(closures::closure(row)?),
                Kind::Screening => rows.screenings.push(screening::screening(row)?),
                Kind::Determination => rows.determinations.push(screening::determination(row)?),
            }
        }
        if !needs.is_empty() {
            rows.needs = self.with_answers(needs).await?;
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_reads_back_from_its_text() {
        let service = Kind::Service.rank();
        let service = place_of_text(&format!("{service} 9b1c 2026-03-31 1774958400000")).unwrap();
        assert_eq!(
            service,
            PlaceRow {
                kind: Kind::Service,
                id: "9b1c".to_owned(),
                day: Some("2026-03-31".to_owned()),
                at: Timestamp::from_unix_millis(1_774_958_400_000),
            }
        );
        let note = place_of_text(&format!("{} 4e2a  -5", Kind::Note.rank())).unwrap();
        assert_eq!(
            (note.kind, note.day, note.at.unix_millis()),
            (Kind::Note, None, -5)
        );
        for broken in ["", "3 9b1c 2026-03-31", "99 9b1c  1", "3 9b1c  soon"] {
            assert!(place_of_text(broken).is_err(), "{broken:?}");
        }
    }

    #[test]
    fn a_kind_is_read_by_its_day_exactly_when_its_records_are_of_a_day() {
        for kind in Kind::ALL {
            assert_eq!(source(*kind).day.is_some(), kind.of_a_day(), "{kind:?}");
        }
    }
}
