//! A client's record as their page shows it: details, cases, current needs and a page of their
//! history (`timeline`). The access decision, the audit of what is read, the client, their key,
//! cases and needs come from the shared, group-committed batch; the history is read once that
//! batch is durable, on a reading connection of its own, so that the batch (which every page,
//! read and write takes turns at) does not carry the page's longest reading.

use std::collections::HashMap;

use domain::ClientId;
use domain::audit::AuditAction;
use domain::policy::Action;
use domain::time::ProgramZone;
use store::rows::RecordRows;

use crate::group_commit::BatchRead;
use crate::needs::{NeedsAssessmentView, open_needs_rows};
use crate::notes::actor_names;
use crate::timeline::{Timeline, TimelineQuery, open_page, read_page};
use crate::{App, AppError, Caller, CaseView, ClientView, Purpose, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub client: ClientView,
    pub cases: Vec<CaseView>,
    /// The latest needs assessment: the client's current needs.
    pub needs: Option<NeedsAssessmentView>,
    /// A page of the history: notes, contacts, services and the rest, newest first.
    pub timeline: Timeline,
    /// How the reader stands to the client, which says what else they may do on the record.
    pub relationship: domain::policy::Relationship,
    /// The organisation's programs (cases name theirs by code), read in the batch.
    pub programs: Vec<store::rows::ProgramRow>,
}

/// A screening as a client's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningSummary {
    pub id: domain::ScreeningId,
    pub instrument: String,
    pub result: Option<String>,
    pub created_at: domain::Timestamp,
}

impl From<&store::rows::ScreeningRow> for ScreeningSummary {
    /// The screening without its answers.
    fn from(s: &store::rows::ScreeningRow) -> Self {
        Self {
            id: s.id,
            instrument: s.instrument.clone(),
            result: s.result.clone(),
            created_at: s.created_at,
        }
    }
}

impl App {
    /// Opens a client's record, with the page of their history `query` asks for, for someone
    /// allowed to read all of it. The history's days are the days of `zone`, the reader's.
    pub async fn client_record(
        &self,
        caller: &Caller,
        id: ClientId,
        query: TimelineQuery,
        zone: &ProgramZone,
        purpose: Purpose,
    ) -> Result<ClientRecord> {
        // The key comes with the shared transaction, and the rows are opened after it, to keep
        // that short. A client that is missing or not the caller's is refused in it.
        let (relationship, row, record, key) = self
            .read_client(
                caller,
                id,
                |ask| ask.with(RecordOf(id)),
                &[
                    Action::ReadClient,
                    Action::ReadCases,
                    Action::ReadNeeds,
                    Action::ReadNotes,
                    Action::ReadContacts,
                    Action::ReadServices,
                    Action::ReadReferrals,
                    Action::ReadPlan,
                    Action::ReadOutcomes,
                    Action::ReadScreenings,
                    Action::ReadDeterminations,
                ],
                &[
                    AuditAction::ClientRead,
                    AuditAction::CaseList,
                    AuditAction::NeedList,
                    AuditAction::TimelineRead,
                ],
                purpose,
                |grant, share| {
                    // Read with the batch's other records.
                    let record = share
                        .more::<RecordOf>()
                        .ok_or(AppError::Conflict("the record was not read; try again"))?;
                    Ok((grant.relationship, grant.row, record, share.key.take()))
                },
            )
            .await?;
        // A client allowed but without a key is being erased: not found.
        let dek = key.ok_or(AppError::NotFound)??;
        let client = Self::open_client(&row, &dek)?;
        let Record {
            rows,
            needs_authors,
            programs,
        } = record;
        // Audited and durable: now the history, read alongside other pages' batches. Its two
        // statements need no transaction: a record erased between them is left out.
        let mut reads = self.store().read_apart().await?;
        let timeline = read_page(&mut reads, id, &query, zone).await?;
        drop(reads);
        let cases = rows
            .cases
            .into_iter()
            .map(crate::cases::view)
            .collect::<Result<_>>()?;
        let needs = open_needs_rows(&dek, rows.needs.into_iter().collect(), &needs_authors)?;
        Ok(ClientRecord {
            client,
            cases,
            needs: needs.into_iter().next(),
            timeline: open_page(&dek, timeline)?,
            relationship,
            programs,
        })
    }
}

/// What a client's page reads in the batch besides the client: the cases and latest needs
/// assessment, with the name of who assessed them, and the programs the cases name.
pub(crate) struct Record {
    rows: RecordRows,
    needs_authors: HashMap<String, Option<String>>,
    programs: Vec<store::rows::ProgramRow>,
}

/// A client's page asks for their cases and latest needs, read with every other page of its
/// batch: three queries for them all, one for the assessors' names (unless known) and one for
/// the programs.
pub(crate) struct RecordOf(ClientId);

impl BatchRead for RecordOf {
    type Output = Record;

    async fn read_all(reads: &mut store::Reads, asks: Vec<Self>) -> Result<Vec<Record>> {
        let mut wanted: Vec<ClientId> = asks.iter().map(|RecordOf(id)| *id).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let records = reads.records_of(&wanted).await?;
        let authors: Vec<String> = records
            .values()
            .filter_map(|rows| rows.needs.as_ref().map(|needs| needs.author.clone()))
            .collect();
        let names = actor_names(reads, &authors).await?;
        let programs = reads.programs().await?;
        let mut read = Vec::with_capacity(asks.len());
        for RecordOf(id) in &asks {
            let rows = records.get(id).cloned().unwrap_or_default();
            let needs_authors = rows
                .needs
                .iter()
                .map(|needs| {
                    let name = names.get(&needs.author).cloned().flatten();
                    (needs.author.clone(), name)
                })
                .collect();
            read.push(Record {
                rows,
                needs_authors,
                programs: programs.clone(),
            });
        }
        Ok(read)
    }
}
