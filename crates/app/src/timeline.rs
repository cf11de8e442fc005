//! A client's history as their page shows it (`domain::timeline`): every kind of record in one
//! list, newest first, a page at a time, of the kinds the reader chose. The rows are read and put
//! in order first, so that only the page's own rows are opened and only their authors' names are
//! looked up.

use std::collections::HashMap;

use domain::ClientId;
use domain::case::parse_date;
use domain::service::ServiceCode;
use domain::time::ProgramZone;
use domain::timeline::{Kind, Kinds, PAGE, Place, newest_first};
use store::rows::{
    ClosureRow, ContactRow, DeterminationRow, NeedsAssessmentRow, NoteRow, OutcomeAssessmentRow,
    PlanReviewRow, ReferralStepLine, ScreeningRow, ServiceRow, TimelineRows,
};

use crate::closures::open_closure;
use crate::contacts::open_contact_rows;
use crate::determinations::opened;
use crate::needs::open_needs_rows;
use crate::notes::{actor_names, open_note_rows};
use crate::outcomes::open_assessment;
use crate::plans::open_review;
use crate::referrals::open_step;
use crate::services::open_service_rows;
use crate::{
    AppError, ClosureView, ContactView, DeterminationView, NeedsAssessmentView, NoteView,
    OutcomeAssessmentView, Result, ReviewView, ScreeningSummary, ServiceView, StepView,
};

/// Which page of a client's history to show: of which kinds, and from where.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineQuery {
    pub kinds: Kinds,
    /// Just before this place; from the newest without it.
    pub before: Option<Place>,
}

/// One page of a client's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Newest first.
    pub entries: Vec<Recorded>,
    /// Where the next (older) page starts, when there is one.
    pub next: Option<Place>,
}

/// One record of the history at its place, with who recorded it (their username; `None` for an
/// administrator's or the system's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub place: Place,
    pub by: Option<String>,
    pub entry: Entry,
}

/// A step of a referral, with the referral it is a step of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStepEntry {
    pub partner_name: String,
    pub service: ServiceCode,
    pub step: StepView,
}

/// One record of the history, opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Note(NoteView),
    Contact(ContactView),
    Service(ServiceView),
    Referral(ReferralStepEntry),
    Plan(ReviewView),
    Needs(NeedsAssessmentView),
    Outcomes(OutcomeAssessmentView),
    Closure(ClosureView),
    Screening(ScreeningSummary),
    Determination(DeterminationView),
}

/// One record of the history as read, not yet opened.
#[derive(Debug, Clone)]
pub(crate) enum Row {
    Note(NoteRow),
    Contact(ContactRow),
    Service(ServiceRow),
    Referral(ReferralStepLine),
    Plan(PlanReviewRow),
    Needs(NeedsAssessmentRow),
    Outcomes(OutcomeAssessmentRow),
    Closure(ClosureRow),
    Screening(ScreeningRow),
    Determination(DeterminationRow),
}

impl Row {
    fn author(&self) -> &str {
        match self {
            Row::Note(r) => &r.author,
            Row::Contact(r) => &r.author,
            Row::Service(r) => &r.author,
            Row::Referral(r) => &r.step.author,
            Row::Plan(r) => &r.author,
            Row::Needs(r) => &r.author,
            Row::Outcomes(r) => &r.author,
            Row::Closure(r) => &r.closed_by,
            Row::Screening(r) => &r.screened_by,
            Row::Determination(r) => &r.recorded_by,
        }
    }
}

/// A page of the history as read: its rows in order, where the next page starts, and the names
/// of the rows' authors.
#[derive(Debug, Clone, Default)]
pub(crate) struct TimelinePage {
    rows: Vec<(Place, Row)>,
    next: Option<Place>,
    authors: HashMap<String, Option<String>>,
}

fn corrupt(what: &'static str) -> AppError {
    AppError::Store(store::StoreError::Corrupt(what))
}

/// Where a record stands in the history: a record of a day on its day, one of a moment on the
/// day it falls in `zone`.
fn place_of(stored: &store::PlaceRow, zone: &ProgramZone) -> Result<Place> {
    let day = match &stored.day {
        Some(day) => parse_date("day", day).map_err(|_| corrupt("a record's day"))?,
        None => zone.date(stored.at),
    };
    let (at, kind, id) = (stored.at, stored.kind, stored.id.clone());
    Ok(Place { day, at, kind, id })
}

/// Every row read, by its kind and id.
fn by_id(rows: TimelineRows) -> HashMap<(Kind, String), Row> {
    let mut all = HashMap::new();
    let mut put = |kind, id: String, row| {
        all.insert((kind, id), row);
    };
    for r in rows.notes {
        put(Kind::Note, r.id.to_string(), Row::Note(r));
    }
    for r in rows.contacts {
        put(Kind::Contact, r.id.to_string(), Row::Contact(r));
    }
    for r in rows.services {
        put(Kind::Service, r.id.to_string(), Row::Service(r));
    }
    for r in rows.referral_steps {
        put(Kind::Referral, r.step.id.to_string(), Row::Referral(r));
    }
    for r in rows.plan_reviews {
        put(Kind::Plan, r.id.to_string(), Row::Plan(r));
    }
    for r in rows.needs {
        put(Kind::Needs, r.id.to_string(), Row::Needs(r));
    }
    for r in rows.outcomes {
        put(Kind::Outcomes, r.id.to_string(), Row::Outcomes(r));
    }
    for r in rows.closures {
        put(Kind::Closure, r.id.to_string(), Row::Closure(r));
    }
    for r in rows.screenings {
        put(Kind::Screening, r.id.to_string(), Row::Screening(r));
    }
    for r in rows.determinations {
        put(Kind::Determination, r.id.to_string(), Row::Determination(r));
    }
    all
}

/// Reads a page of `client`'s history: where each kind's newest records stand (at most a page and
/// one more of each), put in order and cut to a page; then the page's rows and their authors'
/// names.
pub(crate) async fn read_page(
    reads: &mut store::Reads,
    client: ClientId,
    query: &TimelineQuery,
    zone: &ProgramZone,
) -> Result<TimelinePage> {
    let before = query.before.as_ref().map(|place| store::Before {
        place,
        day_starts: zone.start_of_day(place.day),
        next_day_starts: zone.start_of_day(place.day.next_day().unwrap_or(place.day)),
    });
    let limit = i64::try_from(PAGE + 1).unwrap_or(i64::MAX);
    let stored = reads
        .timeline_places(client, &query.kinds, before.as_ref(), limit)
        .await?;
    let placed = stored
        .into_iter()
        .map(|stored| Ok((place_of(&stored, zone)?, stored)))
        .collect::<Result<Vec<_>>>()?;
    let (page, next) = newest_first(placed, PAGE);
    let wanted: Vec<store::PlaceRow> = page.iter().map(|(_, stored)| stored.clone()).collect();
    let mut found = by_id(reads.timeline_rows(client, &wanted).await?);
    // A record erased between the two readings is simply not on the page.
    let rows: Vec<(Place, Row)> = page
        .into_iter()
        .filter_map(|(place, stored)| {
            let row = found.remove(&(stored.kind, stored.id))?;
            Some((place, row))
        })
        .collect();
    let authors: Vec<String> = rows.iter().map(|(_, r)| r.author().to_owned()).collect();
    let authors = actor_names(reads, &authors).await?;
    Ok(TimelinePage {
        rows,
        next,
        authors,
    })
}

/// Opens a page read under the client's key. A record whose words were erased is
/// left out.
pub(crate) fn open_page(dek: &crypto::DataKey, page: TimelinePage) -> Result<Timeline> {
    let TimelinePage {
        rows,
        next,
        authors,
    } = page;
    let mut entries = Vec::with_capacity(rows.len());
    for (place, row) in rows {
        let by = authors.get(row.author()).cloned().flatten();
        if let Some(entry) = open_row(dek, row, &authors)? {
            entries.push(Recorded { place, by, entry });
        }
    }
    Ok(Timeline { entries, next })
}

fn open_row(
    dek: &crypto::DataKey,
    row: Row,
    authors: &HashMap<String, Option<String>>,
) -> Result<Option<Entry>> {
    Ok(match row {
        Row::Note(r) => open_note_rows(dek, vec![r], authors)?
            .pop()
            .map(Entry::Note),
        Row::Contact(r) => open_contact_rows(dek, vec![r], authors)?
            .pop()
            .map(Entry::Contact),
        Row::Service(r) => open_service_rows(dek, vec![r], authors)?
            .pop()
            .map(Entry::Service),
        Row::Referral(line) => Some(Entry::Referral(ReferralStepEntry {
            service: ServiceCode::parse(&line.service)
                .map_err(|_| corrupt("a referral's service"))?,
            partner_name: line.partner,
            step: open_step(dek, line.step, authors)?,
        })),
        Row::Plan(r) => Some(Entry::Plan(open_review(dek, r, authors)?)),
        Row::Needs(r) => open_needs_rows(dek, vec![r], authors)?
            .pop()
            .map(Entry::Needs),
        Row::Outcomes(r) => Some(Entry::Outcomes(open_assessment(dek, r, authors)?)),
        Row::Closure(r) => Some(Entry::Closure(open_closure(Some(dek), r)?)),
        Row::Screening(r) => Some(Entry::Screening(ScreeningSummary::from(&r))),
        Row::Determination(r) => opened(dek, r)?.map(Entry::Determination),
    })
}
