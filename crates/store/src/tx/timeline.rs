//! A client's history (`domain::timeline`): for each kind of record asked for, its newest rows
//! before a place in the history, at most a page and one more of each, in the history's order.
//! Each kind is read by its own query on an index that hands the rows over in that order, so a
//! page costs the same with five years behind it as with one week.

use domain::ClientId;
use domain::case::format_date;
use domain::time::Timestamp;
use domain::timeline::{Kind, Kinds, Place};
use sqlx::Row;
use sqlx::any::AnyRow;

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

/// Where one kind's rows are read from: the table as `t` (and what it joins), its columns, and
/// what places a row in time: the day it is of (for records of a day) and its moment.
struct Source {
    from: &'static str,
    columns: &'static str,
    /// Columns of the joined tables, already named.
    joined: &'static str,
    day: Option<&'static str>,
    at: &'static str,
}

impl Source {
    const fn of(from: &'static str, columns: &'static str, at: &'static str) -> Self {
        Self {
            from,
            columns,
            joined: "",
            day: None,
            at,
        }
    }

    const fn on_a_day(mut self, day: &'static str) -> Self {
        self.day = Some(day);
        self
    }

    /// The query of one client's (`$1`) newest `$2` rows, before the place that follows when
    /// `before`: its day as `$3` for records of a day, or the first instants of its day and the
    /// next as `$3` and `$4` for records of a moment; then its moment, kind and id.
    fn sql(&self, rank: i64, before: bool) -> String {
        let at = format!("t.{}", self.at);
        let order = match self.day {
            Some(day) => format!("t.{day} DESC, {at} DESC, t.id DESC"),
            None => format!("{at} DESC, t.id DESC"),
        };
        let after = if before {
            let (on_its_day, n) = match self.day {
                Some(day) => (format!("t.{day} < $3 OR (t.{day} = $3"), 4),
                None => (format!("{at} < $3 OR ({at} < $4"), 5),
            };
            let (kind, id) = (n + 1, n + 2);
            format!(
                " AND ({on_its_day} AND ({at} < ${n} OR ({at} = ${n} AND \
                 ({rank} < ${kind} OR ({rank} = ${kind} AND t.id < ${id}))))))"
            )
        } else {
            String::new()
        };
        format!(
            "SELECT {}{} FROM {} WHERE t.client_id = $1{after} ORDER BY {order} LIMIT $2",
            prefixed("t", self.columns),
            self.joined,
            self.from
        )
    }
}

const NOTES: Source = Source::of("notes t", casework::NOTE_COLUMNS, "created_at");
const CONTACTS: Source = Source::of("contacts t", contacts::COLUMNS, "occurred_at");
const SERVICES: Source =
    Source::of("services t", services::COLUMNS, "created_at").on_a_day("delivered_on");
/// Each step of a referral is a record of its own: drafted, sent, accepted, and so on.
const REFERRAL_STEPS: Source = Source {
    from: "referral_steps t JOIN referrals r ON r.id = t.referral_id \
           JOIN partners p ON p.id = r.partner_id",
    columns: referrals::STEP_COLUMNS,
    joined: ", r.service AS service, p.name AS partner",
    day: None,
    at: "at",
};
const PLAN_REVIEWS: Source =
    Source::of("plan_reviews t", plans::REVIEW_COLUMNS, "created_at").on_a_day("reviewed_on");
const NEEDS: Source =
    Source::of("need_assessments t", needs::COLUMNS, "created_at").on_a_day("assessed_on");
const OUTCOMES: Source =
    Source::of("outcome_assessments t", outcomes::COLUMNS, "created_at").on_a_day("assessed_on");
const CLOSURES: Source =
    Source::of("case_closures t", closures::CLOSURE_COLUMNS, "created_at").on_a_day("closed_on");
const SCREENINGS: Source = Source::of("screenings t", screening::SCREENING_COLUMNS, "created_at");
const DETERMINATIONS: Source = Source::of(
    "determinations t",
    screening::DETERMINATION_COLUMNS,
    "created_at",
);

fn referral_step(row: &AnyRow) -> Result<ReferralStepLine> {
    Ok(ReferralStepLine {
        step: referrals::step(row)?,
        service: row.try_get("service")?,
        partner: row.try_get("partner")?,
    })
}

/// Where each kind's rows are read from.
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

impl Reads {
    /// A page of `client`'s history before `before` (from the newest without it): of each of
    /// `kinds`, the newest `limit` rows in the history's order.
    pub async fn timeline_of(
        &mut self,
        client: ClientId,
        kinds: &Kinds,
        before: Option<&Before<'_>>,
        limit: i64,
    ) -> Result<TimelineRows> {
        let mut rows = TimelineRows::default();
        for kind in kinds.iter() {
            let span = (client, kind, before, limit);
            match kind {
                Kind::Note => rows.notes = self.history(span, casework::note).await?,
                Kind::Contact => rows.contacts = self.history(span, contacts::contact).await?,
                Kind::Service => rows.services = self.history(span, services::service).await?,
                Kind::Referral => rows.referral_steps = self.history(span, referral_step).await?,
                Kind::Plan => rows.plan_reviews = self.history(span, plans::review).await?,
                Kind::Needs => {
                    let found = self.history(span, needs::assessment).await?;
                    rows.needs = self.with_answers(found).await?;
                }
                Kind::Outcomes => rows.outcomes = self.history(span, outcomes::assessment).await?,
                Kind::Closure => rows.closures = self.history(span, closures::closure).await?,
                Kind::Screening => {
                    rows.screenings = self.history(span, screening::screening).await?;
                }
                Kind::Determination => {
                    let read = screening::determination;
                    rows.determinations = self.history(span, read).await?;
                }
            }
        }
        Ok(rows)
    }

    async fn history<T>(
        &mut self,
        (client, kind, before, limit): (ClientId, Kind, Option<&Before<'_>>, i64),
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let source = source(kind);
        let sql = source.sql(kind.rank(), before.is_some());
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(client.to_string())
            .bind(limit);
        if let Some(before) = before {
            let place = before.place;
            query = match source.day {
                Some(_) => query.bind(format_date(place.day)),
                None => query
                    .bind(before.day_starts.unix_millis())
                    .bind(before.next_day_starts.unix_millis()),
            };
            query = query
                .bind(place.at.unix_millis())
                .bind(place.kind.rank())
                .bind(place.id.clone());
        }
        query
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(read)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_read_by_its_day_exactly_when_its_records_are_of_a_day() {
        for kind in Kind::ALL {
            assert_eq!(source(*kind).day.is_some(), kind.of_a_day(), "{kind:?}");
        }
    }
}
