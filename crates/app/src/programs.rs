//! The organisation's programs, which an administrator keeps from the command line. A case names
//! one by its code (issue 18, finding 5): nothing typed free sits beside a client in the clear.

use domain::audit::AuditAction;
use domain::case::{ProgramCode, ProgramName};
use store::rows::ProgramRow;

use crate::{App, Result};

impl App {
    /// Adds a program, audited as the operator's; `false` (nothing changed) if the code is taken.
    pub async fn add_program(&self, code: &ProgramCode, name: &ProgramName) -> Result<bool> {
        let mut tx = self.store().write().await?;
        let added = tx
            .insert_program(code.as_str(), name.as_str(), self.now())
            .await?;
        if added {
            self.audit(
                &mut tx,
                domain::audit::Actor::Operator,
                AuditAction::ProgramAdd,
                Some(format!("program:{}", code.as_str())),
                "administration",
            )
            .await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Every program, by code.
    pub async fn programs(&self) -> Result<Vec<ProgramRow>> {
        let mut tx = self.store().read().await?;
        let programs = tx.programs().await?;
        tx.commit().await?;
        Ok(programs)
    }
}
