//! Access decisions, made inside the action's transaction from the policy table. A grant is a value
//! only this module can make, and the client-level functions take it, so no use case can skip the
//! check (STYLE.md 3).

use domain::ClientId;
use domain::audit::{Actor, AuditAction, NewAuditEvent};
use domain::policy::{Action, Facts, Reason, Refusal, Relationship, Subject, decide};

use crate::{App, AppError, Caller, Result};

/// Proof that the caller may perform an action on one client, with the client's row as read in
/// the deciding transaction.
#[derive(Debug, Clone)]
pub(crate) struct ClientGrant {
    pub client: ClientId,
    pub row: store::rows::ClientRow,
    /// How the caller stands to the client (what else they may do follows from it).
    pub relationship: Relationship,
    /// What the decision was made from, for a further decision in the same transaction (data
    /// leaving the program, `App::decide_sharing`).
    pub facts: Facts,
}

/// Proof that the caller's role may perform an action that concerns no particular client.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RoleGrant(());

impl App {
    pub(crate) fn grant_role(&self, caller: &Caller, action: Action) -> Result<RoleGrant> {
        match decide(caller.role, Subject::NoClient, &[action]) {
            Ok(_) => Ok(RoleGrant(())),
            Err(_) => Err(AppError::Forbidden),
        }
    }

    /// Decides access to one client, in the transaction that will act. A client that does not
    /// exist, was erased, or is not the caller's gives the same `NotFound`; the refusal is audited
    /// and committed in that transaction before the caller hears of it.
    pub(crate) async fn grant_client(
        &self,
        tx: store::Tx,
        caller: &Caller,
        client: ClientId,
        action: Action,
    ) -> Result<(store::Tx, ClientGrant)> {
        self.grant_client_all(tx, caller, client, &[action]).await
    }

    /// Like `grant_client`, for a use case that performs several actions on one client (a
    /// client's page reads details, cases and notes): all must be allowed, or none is.
    pub(crate) async fn grant_client_all(
        &self,
        mut tx: store::Tx,
        caller: &Caller,
        client: ClientId,
        actions: &[Action],
    ) -> Result<(store::Tx, ClientGrant)> {
        match self.decide_client(&mut tx, caller, client, actions).await? {
            Ok(grant) => Ok((tx, grant)),
            Err(refusal) => {
                tx.append_audit(&refusal, &self.keyring().audit_key())
                    .await?;
                tx.commit().await?;
                Err(AppError::NotFound)
            }
        }
    }

    /// The decision itself, on reads alone (so work in a group commit can make it too). A refusal
    /// comes back as the audit event that must be committed before the caller hears `NotFound`.
    pub(crate) async fn decide_client(
        &self,
        reads: &mut store::Reads,
        caller: &Caller,
        client: ClientId,
        actions: &[Action],
    ) -> Result<Result<ClientGrant, NewAuditEvent>> {
        let found = reads.client_for(client, caller.id, self.now()).await?;
        Ok(self.decide(caller, client, actions, found))
    }

    /// Decides on a client already read with the facts of how the caller stands to them
    /// (`None`: no such client), in the transaction that will act. The decision is
    /// `domain::policy::decide`'s; this turns it into a grant, or into the audit event of the
    /// refusal.
    pub(crate) fn decide(
        &self,
        caller: &Caller,
        client: ClientId,
        actions: &[Action],
        found: Option<(store::rows::ClientRow, Facts)>,
    ) -> Result<ClientGrant, NewAuditEvent> {
        let facts = found.as_ref().map(|(_, facts)| *facts);
        match (decide(caller.role, Subject::Client(facts), actions), found) {
            (Ok(relationship), Some((row, facts))) => Ok(ClientGrant {
                client,
                row,
                relationship,
                facts,
            }),
            (Err(refusal), _) => Err(self.refusal(caller, client, refusal)),
            // `decide` grants nothing about a client that was not found.
            (Ok(_), None) => Err(self.refusal(
                caller,
                client,
                Refusal {
                    reason: Reason::NoSuchClient,
                    action: actions.first().copied().unwrap_or(Action::ReadClient),
                },
            )),
        }
    }

    /// The audit event of a refusal to `caller` about `client`, with its stable code.
    pub(crate) fn refusal(
        &self,
        caller: &Caller,
        client: ClientId,
        refusal: Refusal,
    ) -> NewAuditEvent {
        self.event(
            Actor::User(caller.id),
            AuditAction::AccessRefused,
            Some(target(client)),
            &refusal.audit_code(),
        )
    }
}

/// How a client is named in the audit log.
pub(crate) fn target(client: ClientId) -> String {
    format!("client:{client}")
}
