//! A client's record as their page shows it: details, cases, notes, screenings and determinations,
//! read in one transaction after one access decision, each part audited as it is read.

use domain::ClientId;
use domain::audit::{Actor, AuditAction};
use domain::policy::Action;

use crate::access::target;
use crate::determinations::opened;
use crate::group_commit::{About, Ask, Record};
use crate::notes::open_note_rows;
use crate::{
    App, AppError, Caller, CaseView, ClientView, DeterminationView, NoteView, Purpose, Result,
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub client: ClientView,
    pub cases: Vec<CaseView>,
    pub notes: Vec<NoteView>,
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
        let about = About {
            client: id,
            user: caller.id,
            record: true,
        };
        let caller = caller.clone();
        let (relationship, row, record, key) = self
            .grouped(Ask::Client(about), move |app, share| {
                Box::pin(async move {
                    let actions = [
                        Action::ReadClient,
                        Action::ReadCases,
                        Action::ReadNotes,
                        Action::ReadScreenings,
                        Action::ReadDeterminations,
                    ];
                    let grant = match app.decide(&caller, id, &actions, share.found) {
                        Ok(grant) => grant,
                        Err(refusal) => {
                            share.events.push(refusal);
                            return Ok(Err(AppError::NotFound));
                        }
                    };
                    // Read with the batch's other records (About::record).
                    let Some(record) = share.record else {
                        return Err(AppError::Conflict("the record was not read; try again"));
                    };
                    for action in [
                        AuditAction::ClientRead,
                        AuditAction::CaseList,
                        AuditAction::NoteList,
                        AuditAction::ScreeningList,
                        AuditAction::DeterminationList,
                    ] {
                        share.events.push(app.event(
                            Actor::User(caller.id),
                            action,
                            Some(target(id)),
                            purpose.as_str(),
                        ));
                    }
                    Ok(Ok((grant.relationship, grant.row, record, share.key)))
                })
            })
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
            screenings,
            determinations: opened_determinations,
            relationship,
        })
    }
}
