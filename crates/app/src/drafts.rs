//! Forms in progress (a screening, the determination worksheet), saved as they are filled in so
//! that nothing typed is lost when a session ends: one draft per client, member of staff and form,
//! sealed under the client's key, readable only by whoever may fill in the form, deleted when the
//! form is recorded or the client erased.

use std::collections::BTreeMap;

use domain::audit::AuditAction;
use domain::policy::Action;
use domain::{ClientId, Timestamp};

use crate::seal::{open, seal};
use crate::{App, Caller, Result};

/// The table drafts are stored in; it kept the name it had when only screenings had drafts.
const DRAFTS: &str = "screening_drafts";

/// Which form a draft belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form<'a> {
    /// A screening with the instrument of this id.
    Screening(&'a str),
    /// The determination worksheet.
    Worksheet,
}

impl Form<'_> {
    pub(crate) fn key(self) -> String {
        match self {
            Form::Screening(instrument) => instrument.to_owned(),
            Form::Worksheet => "determination".to_owned(),
        }
    }

    /// Who may keep (and read back) a draft of this form: whoever may record it.
    fn action(self) -> Action {
        match self {
            Form::Screening(_) => Action::WriteScreening,
            Form::Worksheet => Action::WriteDetermination,
        }
    }

    fn events(self) -> (AuditAction, AuditAction) {
        match self {
            Form::Screening(_) => (
                AuditAction::ScreeningDraftSave,
                AuditAction::ScreeningDraftRead,
            ),
            Form::Worksheet => (
                AuditAction::DeterminationDraftSave,
                AuditAction::DeterminationDraftRead,
            ),
        }
    }
}

/// A form in progress, as last saved: its fields by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub fields: BTreeMap<String, String>,
    pub saved_at: Timestamp,
}

/// How a draft's sealed fields are bound to their row (the table's key, in one string).
fn draft_row(client: ClientId, caller: &Caller, form: Form<'_>) -> String {
    format!("{client}/{}/{}", caller.id, form.key())
}

impl App {
    /// Saves a form in progress, replacing the caller's earlier draft of it.
    pub(crate) async fn save_draft(
        &self,
        caller: &Caller,
        client: ClientId,
        form: Form<'_>,
        fields: &BTreeMap<String, String>,
    ) -> Result<Timestamp> {
        let key = self.client_key(client).await;
        let mut work = self.client_work(caller, client, &[form.action()]).await?;
        let json = serde_json::to_string(fields).unwrap_or_default();
        let row = draft_row(client, caller, form);
        let sealed = seal(self, &key?, DRAFTS, "answers", &row, &json);
        let now = self.now();
        work.tx
            .put_draft(work.grant.client, caller.id, &form.key(), &sealed, now)
            .await?;
        work.done_because(form.events().0, "case-work").await?;
        Ok(now)
    }

    /// The caller's draft of a form about this client, if any.
    pub(crate) async fn read_draft(
        &self,
        caller: &Caller,
        client: ClientId,
        form: Form<'_>,
    ) -> Result<Option<Draft>> {
        let key = self.client_key(client).await;
        let mut work = self.client_work(caller, client, &[form.action()]).await?;
        let Some((sealed, saved_at)) = work
            .tx
            .draft(work.grant.client, caller.id, &form.key())
            .await?
        else {
            work.tx.commit().await?;
            return Ok(None);
        };
        let row = draft_row(client, caller, form);
        let json = open(&key?, DRAFTS, "answers", &row, &sealed)?;
        let fields =
            serde_json::from_str(&json).map_err(|_| store::StoreError::Corrupt("draft"))?;
        work.done_because(form.events().1, "case-work").await?;
        Ok(Some(Draft { fields, saved_at }))
    }
}
