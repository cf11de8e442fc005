//! A client's needs assessments: each one the level of need in every domain on one day, with the
//! notes sealed under the client's key. A reassessment is a new assessment; the latest is the
//! client's current needs, and the ones before it are their history.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::needs::{NeedDomain, NeedLevel, NeedsAssessment};
use domain::policy::Action;
use domain::{ClientId, NeedsAssessmentId, Timestamp};
use store::rows::{NeedAnswerRow, NeedsAssessmentRow};

use crate::group_commit::BatchRead;
use crate::notes::actor_names;
use crate::record::ScreeningSummary;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, ClientView, Purpose, Result};

const ASSESSMENTS: &str = "need_assessments";
const ANSWERS: &str = "need_answers";

/// The most assessments one request returns.
pub const MAX_ASSESSMENTS: i64 = 500;

/// One domain's answer in an assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedAnswerView {
    pub domain: NeedDomain,
    pub level: NeedLevel,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsAssessmentView {
    pub id: NeedsAssessmentId,
    /// Who recorded it, as recorded ("user:ID").
    pub author: String,
    /// The author's username, when a member of staff recorded it.
    pub author_name: Option<String>,
    /// When it was recorded.
    pub created_at: Timestamp,
    pub assessed_on: time::Date,
    /// The note on the whole assessment.
    pub note: Option<String>,
    /// Every domain's answer, in the order of `NeedDomain::ALL` (a domain an older assessment did
    /// not hold is "not yet asked").
    pub answers: Vec<NeedAnswerView>,
}

impl NeedsAssessmentView {
    /// The answer about `domain`.
    pub fn answer(&self, domain: NeedDomain) -> Option<&NeedAnswerView> {
        self.answers.iter().find(|a| a.domain == domain)
    }

    /// The level of need in `domain`.
    pub fn level(&self, domain: NeedDomain) -> NeedLevel {
        self.answer(domain).map(|a| a.level).unwrap_or_default()
    }

    /// The answers that were given, the most pressing first (urgent, some, prefers not to say,
    /// none), each level's domains in the order asked.
    pub fn by_urgency(&self) -> Vec<&NeedAnswerView> {
        let mut asked: Vec<&NeedAnswerView> = self
            .answers
            .iter()
            .filter(|a| a.level.was_asked())
            .collect();
        asked.sort_by_key(|a| a.level.rank());
        asked
    }
}

/// Everything the needs page shows, read after one access decision: the client (their name, and
/// what their record already says that the assessment would otherwise ask again: the safety
/// flags and the languages), their latest screening, and every assessment, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedsPage {
    pub client: ClientView,
    pub latest_screening: Option<ScreeningSummary>,
    pub assessments: Vec<NeedsAssessmentView>,
    /// How the reader stands to the client, which says whether they may assess too.
    pub relationship: domain::policy::Relationship,
}

impl App {
    /// Records a needs assessment of a client. One dated before the day the client was recorded
    /// is refused, naming `assessed_on` (asked only once access is granted, so that the refusal
    /// says nothing about a client the caller may not see).
    pub async fn assess_needs(
        &self,
        caller: &Caller,
        client: ClientId,
        assessment: NeedsAssessment,
        purpose: Purpose,
    ) -> Result<NeedsAssessmentId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteNeeds])
            .await?;
        assessment.check_after(work.grant.row.created_at)?;
        let dek = work.key().await?;
        let id = NeedsAssessmentId::from_random(self.entropy().bytes());
        let row = id.to_string();
        let answers = assessment
            .answers()
            .iter()
            .map(|answer| NeedAnswerRow {
                domain: answer.domain.as_str().to_owned(),
                level: answer.level.as_str().to_owned(),
                note: answer.note.as_ref().map(|note| {
                    let sealed_as = answer_row(&row, answer.domain.as_str());
                    seal(self, &dek, ANSWERS, "note", &sealed_as, note.as_str())
                }),
            })
            .collect();
        let note = assessment
            .note
            .as_ref()
            .map(|note| seal(self, &dek, ASSESSMENTS, "note", &row, note.as_str()));
        work.tx
            .insert_needs_assessment(&NeedsAssessmentRow {
                id,
                client_id: work.grant.client,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                assessed_on: format_date(assessment.assessed_on),
                note,
                answers,
            })
            .await?;
        work.done(AuditAction::NeedCreate, purpose).await?;
        Ok(id)
    }

    /// A page of a client's assessments, newest first: at most `limit` (1 to `MAX_ASSESSMENTS`),
    /// after skipping `offset`. A page shorter than `limit` is the last.
    pub async fn needs(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<NeedsAssessmentView>> {
        let (limit, offset) = (limit.clamp(1, MAX_ASSESSMENTS), offset.max(0));
        let part = (Action::ReadNeeds, AuditAction::NeedList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.needs_page(client, limit, offset).await?;
            let authors = actor_names(tx, &authors_of(&rows)).await?;
            open_needs_rows(&dek, rows, &authors)
        })
        .await
    }

    /// The needs page of a client: the record's name, safety flags and languages, the latest
    /// screening and every assessment, read (and each part audited) after one access decision
    /// that grants all of it.
    pub async fn needs_page(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
    ) -> Result<NeedsPage> {
        let (relationship, row, read, key) = self
            .read_client(
                caller,
                id,
                |ask| ask.with(NeedsOf(id)),
                &[
                    Action::ReadClient,
                    Action::ReadNeeds,
                    Action::ReadScreenings,
                ],
                &[
                    AuditAction::ClientRead,
                    AuditAction::NeedList,
                    AuditAction::ScreeningList,
                ],
                purpose,
                |grant, share| {
                    let read = share
                        .more::<NeedsOf>()
                        .ok_or(AppError::Conflict("the record was not read; try again"))?;
                    Ok((grant.relationship, grant.row, read, share.key.take()))
                },
            )
            .await?;
        // A client allowed but without a key is being erased: not found.
        let dek = key.ok_or(AppError::NotFound)??;
        let NeedsRead {
            rows,
            authors,
            latest_screening,
        } = read;
        Ok(NeedsPage {
            client: Self::open_client(&row, &dek)?,
            latest_screening,
            assessments: open_needs_rows(&dek, rows, &authors)?,
            relationship,
        })
    }
}

/// The row an answer's note is sealed under: its assessment and its domain, so that a note
/// cannot be moved to another assessment or domain and still open.
fn answer_row(assessment: &str, domain: &str) -> String {
    format!("{assessment}/{domain}")
}

fn authors_of(rows: &[NeedsAssessmentRow]) -> Vec<String> {
    rows.iter().map(|row| row.author.clone()).collect()
}

/// Opens assessments already read, with their authors' names (`actor_names`).
pub(crate) fn open_needs_rows(
    dek: &crypto::DataKey,
    rows: Vec<NeedsAssessmentRow>,
    authors: &HashMap<String, Option<String>>,
) -> Result<Vec<NeedsAssessmentView>> {
    rows.into_iter()
        .map(|row| open_assessment(dek, row, authors))
        .collect()
}

fn open_assessment(
    dek: &crypto::DataKey,
    row: NeedsAssessmentRow,
    authors: &HashMap<String, Option<String>>,
) -> Result<NeedsAssessmentView> {
    let id = row.id.to_string();
    let corrupt = |what| AppError::Store(store::StoreError::Corrupt(what));
    let mut stored = HashMap::new();
    for answer in row.answers {
        let domain = NeedDomain::parse(&answer.domain).map_err(|_| corrupt("a need's domain"))?;
        let level = NeedLevel::parse(&answer.level).map_err(|_| corrupt("a need's level"))?;
        let sealed_as = answer_row(&id, domain.as_str());
        let note = open_opt(dek, ANSWERS, "note", &sealed_as, answer.note.as_deref())?;
        stored.insert(
            domain,
            NeedAnswerView {
                domain,
                level,
                note,
            },
        );
    }
    let answers = NeedDomain::ALL
        .into_iter()
        .map(|domain| {
            stored.remove(&domain).unwrap_or(NeedAnswerView {
                domain,
                level: NeedLevel::NotYetAsked,
                note: None,
            })
        })
        .collect();
    Ok(NeedsAssessmentView {
        note: open_opt(dek, ASSESSMENTS, "note", &id, row.note.as_deref())?,
        assessed_on: parse_date("assessed_on", &row.assessed_on)
            .map_err(|_| corrupt("an assessment's day"))?,
        id: row.id,
        author_name: authors.get(&row.author).cloned().flatten(),
        author: row.author,
        created_at: row.created_at,
        answers,
    })
}

/// What a needs page reads of a client besides their own row: every assessment, their authors'
/// names and the latest screening.
pub(crate) struct NeedsRead {
    rows: Vec<NeedsAssessmentRow>,
    authors: HashMap<String, Option<String>>,
    latest_screening: Option<ScreeningSummary>,
}

/// A needs page asks for the client's assessments and latest screening, read with the batch's
/// other readings.
pub(crate) struct NeedsOf(ClientId);

impl BatchRead for NeedsOf {
    type Output = NeedsRead;

    async fn read_all(reads: &mut store::Reads, asks: Vec<Self>) -> Result<Vec<NeedsRead>> {
        let clients: Vec<ClientId> = asks.iter().map(|NeedsOf(client)| *client).collect();
        let screenings = reads.screenings_of(&clients).await?;
        let mut read = Vec::with_capacity(asks.len());
        for NeedsOf(client) in asks {
            let rows = reads.needs_page(client, MAX_ASSESSMENTS, 0).await?;
            let authors = actor_names(reads, &authors_of(&rows)).await?;
            // Newest first; the same client may be asked for twice in a batch.
            let latest_screening = screenings
                .get(&client)
                .and_then(|listed| listed.first())
                .map(ScreeningSummary::from);
            read.push(NeedsRead {
                rows,
                authors,
                latest_screening,
            });
        }
        Ok(read)
    }
}
