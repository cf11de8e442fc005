//! A client's outcome assessments: a score in each of seven domains at intake, every six months
//! and at exit, the note sealed under the client's key. None is replaced: the history shows the
//! way travelled, and the change from intake to the latest in each domain.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::outcome::{OutcomeAssessment, OutcomeDomain, OutcomePoint, OutcomeScore, score_change};
use domain::policy::Action;
use domain::{ClientId, OutcomeAssessmentId, Timestamp};
use store::rows::OutcomeAssessmentRow;

use crate::notes::actor_names;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "outcome_assessments";

/// The most outcome assessments one request returns.
pub const MAX_OUTCOMES: i64 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeAssessmentView {
    pub id: OutcomeAssessmentId,
    /// Who recorded it, as recorded ("user:ID").
    pub author: String,
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    pub point: OutcomePoint,
    pub assessed_on: time::Date,
    pub note: Option<String>,
    /// Every domain's score, in the order of `OutcomeDomain::ALL` (one an older assessment did
    /// not hold is "not asked").
    pub scores: Vec<(OutcomeDomain, OutcomeScore)>,
}

impl OutcomeAssessmentView {
    pub fn score(&self, domain: OutcomeDomain) -> OutcomeScore {
        self.scores
            .iter()
            .find(|(d, _)| *d == domain)
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }
}

/// One domain's way from intake to the latest assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DomainProgress {
    pub domain: OutcomeDomain,
    /// The score at the first intake assessment.
    pub intake: OutcomeScore,
    /// The score at the latest assessment.
    pub latest: OutcomeScore,
    /// The difference, when both were scored.
    pub change: Option<i8>,
}

/// The change from the first intake assessment to the latest in each domain, for assessments
/// listed newest first; none without an intake assessment and a later one.
pub fn progress(assessments: &[OutcomeAssessmentView]) -> Vec<DomainProgress> {
    let intake = assessments
        .iter()
        .rev()
        .find(|a| a.point == OutcomePoint::Intake);
    let (Some(intake), Some(latest)) = (intake, assessments.first()) else {
        return Vec::new();
    };
    if intake.id == latest.id {
        return Vec::new();
    }
    OutcomeDomain::ALL
        .into_iter()
        .map(|domain| {
            let (from, to) = (intake.score(domain), latest.score(domain));
            DomainProgress {
                domain,
                intake: from,
                latest: to,
                change: score_change(from, to),
            }
        })
        .collect()
}

impl App {
    /// Records an outcome assessment of a client. One dated before the day the client was
    /// recorded is refused, naming `assessed_on` (asked once access is granted).
    pub async fn assess_outcomes(
        &self,
        caller: &Caller,
        client: ClientId,
        assessment: OutcomeAssessment,
        purpose: Purpose,
    ) -> Result<OutcomeAssessmentId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteOutcomes])
            .await?;
        assessment.check_after(work.grant.row.created_at)?;
        let id = OutcomeAssessmentId::from_random(self.entropy().bytes());
        let note = match &assessment.note {
            Some(note) => {
                let dek = work.key().await?;
                Some(seal(
                    self,
                    &dek,
                    TABLE,
                    "note",
                    &id.to_string(),
                    note.as_str(),
                ))
            }
            None => None,
        };
        work.tx
            .insert_outcome_assessment(&OutcomeAssessmentRow {
                id,
                client_id: work.grant.client,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                point: assessment.point.as_str().to_owned(),
                assessed_on: format_date(assessment.assessed_on),
                note,
                scores: assessment
                    .scores()
                    .iter()
                    .map(|(d, s)| (d.as_str().to_owned(), s.as_str().to_owned()))
                    .collect(),
            })
            .await?;
        work.done(AuditAction::OutcomeCreate, purpose).await?;
        Ok(id)
    }

    /// A page of a client's outcome assessments, newest first by their day: at most `limit` (1
    /// to `MAX_OUTCOMES`), after skipping `offset`.
    pub async fn outcomes(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<OutcomeAssessmentView>> {
        let (limit, offset) = (limit.clamp(1, MAX_OUTCOMES), offset.max(0));
        let part = (Action::ReadOutcomes, AuditAction::OutcomeList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.outcomes_page(client, limit, offset).await?;
            let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            rows.into_iter()
                .map(|row| open_assessment(&dek, row, &authors))
                .collect()
        })
        .await
    }
}

pub(crate) fn open_assessment(
    dek: &crypto::DataKey,
    row: OutcomeAssessmentRow,
    authors: &HashMap<String, Option<String>>,
) -> Result<OutcomeAssessmentView> {
    let corrupt = |what| AppError::Store(store::StoreError::Corrupt(what));
    let mut stored = HashMap::new();
    for (domain, score) in &row.scores {
        let domain = OutcomeDomain::parse(domain).map_err(|_| corrupt("an outcome's domain"))?;
        let score = OutcomeScore::parse(score).map_err(|_| corrupt("an outcome's score"))?;
        stored.insert(domain, score);
    }
    let id = row.id.to_string();
    Ok(OutcomeAssessmentView {
        note: open_opt(dek, TABLE, "note", &id, row.note.as_deref())?,
        point: OutcomePoint::parse(&row.point).map_err(|_| corrupt("an outcome's point"))?,
        assessed_on: parse_date("assessed_on", &row.assessed_on)
            .map_err(|_| corrupt("an outcome's day"))?,
        scores: OutcomeDomain::ALL
            .into_iter()
            .map(|d| (d, stored.remove(&d).unwrap_or_default()))
            .collect(),
        id: row.id,
        author_name: authors.get(&row.author).cloned().flatten(),
        author: row.author,
        created_at: row.created_at,
    })
}
