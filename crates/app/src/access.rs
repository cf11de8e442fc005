//! Access decisions, made inside the action's transaction from the policy table. A grant is a value
//! only this module can make, and the client-level functions take it, so no use case can skip the
//! check (STYLE.md 3).

use domain::ClientId;
use domain::audit::{Actor, AuditAction};
use domain::policy::{Action, Relationship, permits};

use crate::{App, AppError, Caller, Result};

/// Proof that the caller may perform an action on one client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ClientGrant {
    pub client: ClientId,
}

/// Proof that the caller's role may perform an action that concerns no particular client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleGrant(());

impl App {
    pub(crate) fn grant_role(&self, caller: &Caller, action: Action) -> Result<RoleGrant> {
        if permits(caller.role, Relationship::NoClient, action) {
            Ok(RoleGrant(()))
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Decides access to one client, in the transaction that will act. A client that does not
    /// exist, was erased, or is not the caller's gives the same `NotFound`; the refusal is audited
    /// and committed in that transaction before the caller hears of it.
    pub(crate) async fn grant_client(
        &self,
        mut tx: store::Tx,
        caller: &Caller,
        client: ClientId,
        action: Action,
    ) -> Result<(store::Tx, ClientGrant)> {
        let live = tx
            .client(client)
            .await?
            .is_some_and(|row| row.erased_at.is_none());
        let relationship = match (live, tx.is_assigned(client, caller.id).await?) {
            (true, true) => Some(Relationship::Assigned),
            (true, false) => Some(Relationship::Unassigned),
            (false, _) => None,
        };
        if relationship.is_some_and(|rel| permits(caller.role, rel, action)) {
            return Ok((tx, ClientGrant { client }));
        }
        let why = format!("refused: {action:?}");
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AccessRefused,
            Some(target(client)),
            &why,
        )
        .await?;
        tx.commit().await?;
        Err(AppError::NotFound)
    }
}

/// How a client is named in the audit log.
pub(crate) fn target(client: ClientId) -> String {
    format!("client:{client}")
}
