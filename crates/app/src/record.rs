//! A client's record as their page shows it: details, cases and notes, read in one transaction
//! after one access decision, each part audited as it is read.

use domain::ClientId;
use domain::audit::{Actor, AuditAction};
use domain::policy::Action;

use crate::access::target;
use crate::notes::open_notes;
use crate::{App, Caller, CaseView, ClientView, NoteView, Purpose, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    pub client: ClientView,
    pub cases: Vec<CaseView>,
    pub notes: Vec<NoteView>,
}

impl App {
    /// Opens a client's whole record for someone allowed to read all of it.
    pub async fn client_record(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
    ) -> Result<ClientRecord> {
        let caller = caller.clone();
        self.serialised(move |app| async move { app.read_record(&caller, id, purpose).await })
            .await
    }

    async fn read_record(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
    ) -> Result<ClientRecord> {
        // As in `client`: the key is fetched before the write turn; a refusal below wins.
        let key = self.client_key(id).await;
        let (mut tx, grant) = self
            .grant_client_all(
                self.store().write().await?,
                caller,
                id,
                &[Action::ReadClient, Action::ReadCases, Action::ReadNotes],
            )
            .await?;
        let dek = key?;
        let client = Self::open_client(&grant.row, &dek)?;
        let cases = tx
            .cases(id)
            .await?
            .into_iter()
            .map(crate::cases::view)
            .collect::<Result<_>>()?;
        let notes = open_notes(&mut tx, &dek, id).await?;
        for action in [
            AuditAction::ClientRead,
            AuditAction::CaseList,
            AuditAction::NoteList,
        ] {
            self.audit(
                &mut tx,
                Actor::User(caller.id),
                action,
                Some(target(id)),
                purpose.as_str(),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(ClientRecord {
            client,
            cases,
            notes,
        })
    }
}
