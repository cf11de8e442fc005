//! A client's record as their page shows it: details, cases, notes, contacts, services,
//! screenings and determinations, read in one transaction after one access decision, each part
//! audited as it is read.

use std::collections::HashMap;

use domain::ClientId;
use domain::audit::AuditAction;
use domain::policy::Action;
use store::rows::RecordRows;

use crate::contacts::open_contact_rows;
use crate::determinations::opened;
use crate::group_commit::BatchRead;
use crate::notes::{MAX_NOTES, actor_names, open_note_rows};
use crate::services::open_service_rows;
use crate::{
    App, AppError, Caller, CaseView, ClientView, ContactView, DeterminationView, NoteView, Purpose,
    Result, ServiceView,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub client: ClientView,
    pub cases: Vec<CaseView>,
    pub notes: Vec<NoteView>,
    /// The contact log, newest first by when each contact was, attempts included.
    pub contacts: Vec<ContactView>,
    /// The services given, newest first by the day each was given.
    pub services: Vec<ServiceView>,
    /// The screenings, newest first, without their answers (each opens on its own page).
    pub screenings: Vec<ScreeningSummary>,
    /// The determinations, newest first.
    pub determinations: Vec<DeterminationView>,
    /// How the reader stands to the client, which says what else they may do on the record.
    pub relationship: domain::policy::Relationship,
}

/// A screening as a client's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningSummary {
    pub id: domain::ScreeningId,
    pub instrument: String,
    pub result: Option<String>,
    pub created_at: domain::Timestamp,
}

impl App {
    /// Opens a client's whole record for someone allowed to read all of it.
    pub async fn client_record(
        &self,
        caller: &Caller,
        id: ClientId,
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
                    Action::ReadNotes,
                    Action::ReadContacts,
                    Action::ReadServices,
                    Action::ReadScreenings,
                    Action::ReadDeterminations,
                ],
                &[
                    AuditAction::ClientRead,
                    AuditAction::CaseList,
                    AuditAction::NoteList,
                    AuditAction::ContactList,
                    AuditAction::ServiceList,
                    AuditAction::ScreeningList,
                    AuditAction::DeterminationList,
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
            rows: record,
            authors,
        } = record;
        let cases = record
            .cases
            .into_iter()
            .map(crate::cases::view)
            .collect::<Result<_>>()?;
        let notes = open_note_rows(&dek, record.notes, &authors)?;
        let contacts = open_contact_rows(&dek, record.contacts, &authors)?;
        let services = open_service_rows(&dek, record.services, &authors)?;
        let screenings = record
            .screenings
            .into_iter()
            .map(|s| ScreeningSummary {
                id: s.id,
                instrument: s.instrument,
                result: s.result,
                created_at: s.created_at,
            })
            .collect();
        let mut opened_determinations = Vec::new();
        for row in record.determinations {
            opened_determinations.extend(opened(&dek, row)?);
        }
        Ok(ClientRecord {
            client,
            cases,
            notes,
            contacts,
            services,
            screenings,
            determinations: opened_determinations,
            relationship,
        })
    }
}

/// The rest of a client's record, as a client's page shows it: the rows, and the names of the
/// authors of its notes, contacts and services.
pub(crate) struct Record {
    rows: RecordRows,
    authors: HashMap<String, Option<String>>,
}

/// A client's page asks for the rest of their record, read with every other page of its batch:
/// six queries for the rows and one for the authors' names, whatever the number of pages. Each
/// list holds at most the newest `MAX_NOTES` (the API pages through the rest).
pub(crate) struct RecordOf(ClientId);

impl BatchRead for RecordOf {
    type Output = Record;

    async fn read_all(reads: &mut store::Reads, asks: Vec<Self>) -> Result<Vec<Record>> {
        let mut wanted: Vec<ClientId> = asks.iter().map(|RecordOf(client)| *client).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let records = reads.records_of(&wanted, MAX_NOTES).await?;
        let authors: Vec<String> = records.values().flat_map(authors_of).cloned().collect();
        let names = actor_names(reads, &authors).await?;
        Ok(asks
            .iter()
            .map(|RecordOf(client)| {
                let rows = records.get(client).cloned().unwrap_or_default();
                let authors = authors_of(&rows)
                    .map(|author| {
                        let name = names.get(author).cloned().flatten();
                        (author.clone(), name)
                    })
                    .collect();
                Record { rows, authors }
            })
            .collect())
    }
}

/// Who wrote the notes, logged the contacts and gave the services of a record, as recorded.
fn authors_of(rows: &RecordRows) -> impl Iterator<Item = &String> {
    let notes = rows.notes.iter().map(|note| &note.author);
    let contacts = rows.contacts.iter().map(|contact| &contact.author);
    let services = rows.services.iter().map(|service| &service.author);
    notes.chain(contacts).chain(services)
}
