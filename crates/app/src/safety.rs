//! A client's safety flags: how and when they can safely be reached, a code word, and ways never
//! to use. Sealed under the client's key as one field, read with the record, and changed only by
//! someone who works with the client.

use domain::ClientId;
use domain::audit::AuditAction;
use domain::client::SafetyFlags;
use domain::policy::Action;
use serde::{Deserialize, Serialize};

use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "clients";
const COLUMN: &str = "safety";

/// The flags as read back, for display.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyView {
    pub safe_contact: Option<String>,
    pub code_word: Option<String>,
    pub do_not_contact: Option<String>,
}

impl SafetyView {
    pub fn is_empty(&self) -> bool {
        self.safe_contact.is_none() && self.code_word.is_none() && self.do_not_contact.is_none()
    }
}

impl From<&SafetyFlags> for SafetyView {
    fn from(flags: &SafetyFlags) -> Self {
        Self {
            safe_contact: flags.safe_contact.as_ref().map(|v| v.as_str().to_owned()),
            code_word: flags.code_word.as_ref().map(|v| v.as_str().to_owned()),
            do_not_contact: flags.do_not_contact.as_ref().map(|v| v.as_str().to_owned()),
        }
    }
}

/// The sealed column value for `flags`; nothing is stored when none are set.
pub(crate) fn seal_safety(
    app: &App,
    dek: &crypto::DataKey,
    client: ClientId,
    flags: &SafetyFlags,
) -> Option<Vec<u8>> {
    if flags.is_empty() {
        return None;
    }
    let json = serde_json::to_string(&SafetyView::from(flags)).unwrap_or_default();
    Some(seal(app, dek, TABLE, COLUMN, &client.to_string(), &json))
}

pub(crate) fn open_safety(
    dek: &crypto::DataKey,
    client: ClientId,
    sealed: Option<&[u8]>,
) -> Result<SafetyView> {
    match open_opt(dek, TABLE, COLUMN, &client.to_string(), sealed)? {
        Some(json) => serde_json::from_str(&json)
            .map_err(|_| AppError::Store(store::StoreError::Corrupt("a client's safety flags"))),
        None => Ok(SafetyView::default()),
    }
}

impl App {
    /// Replaces a client's safety flags.
    pub async fn set_safety(
        &self,
        caller: &Caller,
        client: ClientId,
        flags: &SafetyFlags,
        purpose: Purpose,
    ) -> Result<()> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteSafety])
            .await?;
        let dek = work.key().await?;
        let sealed = seal_safety(self, &dek, work.grant.client, flags);
        work.tx
            .set_client_safety(work.grant.client, sealed.as_deref())
            .await?;
        work.done(AuditAction::SafetyUpdate, purpose).await?;
        Ok(())
    }
}
