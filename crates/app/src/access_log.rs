//! The audit log made visible to supervisors (P9): who opened one client's record, everyone
//! refused a record outside their work, and what one member of staff has done. Looking is itself
//! audited. The lines name records by their ids, never by anything personal.

use domain::audit::{Actor, AuditAction};
use domain::policy::Action;
use domain::{ClientId, Timestamp};

use crate::access::target;
use crate::notes::actor_names;
use crate::{App, Caller, Purpose, Result};

/// The most events the log shows at once, newest first.
const LOG_LINES: i64 = 200;

/// One line of a record's access log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLine {
    pub at: Timestamp,
    /// The member of staff's username, or "the operator" / "the system".
    pub who: String,
    /// What they did, in words.
    pub what: &'static str,
    /// Why, as they said (a purpose code, or the reason for a refusal).
    pub why: String,
    /// The record it was about, as the log names it (`client:<id>`), if any.
    pub record: Option<String>,
}

impl App {
    pub async fn access_log(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<AccessLine>> {
        let mut work = self
            .client_work(caller, client, &[Action::ReadAccessLog])
            .await?;
        let events = work
            .tx
            .audit_events_about(&target(work.grant.client), LOG_LINES)
            .await?;
        let lines = lines(&mut work.tx, events).await?;
        work.done(AuditAction::AccessLogRead, purpose).await?;
        Ok(lines)
    }

    /// Everyone refused a record lately (someone looking outside their caseload), newest first.
    pub async fn refused_looks(&self, caller: &Caller) -> Result<Vec<AccessLine>> {
        self.grant_role(caller, Action::ReadAuditLog)?;
        let mut tx = self.store().write().await?;
        let events = tx
            .audit_events_of(AuditAction::AccessRefused.as_str(), LOG_LINES)
            .await?;
        let lines = lines(&mut tx, events).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AuditLogRead,
            None,
            "supervision",
        )
        .await?;
        tx.commit().await?;
        Ok(lines)
    }

    /// What one member of staff has done lately, newest first; `None` if there is no such
    /// username.
    pub async fn activity_of(
        &self,
        caller: &Caller,
        username: &str,
    ) -> Result<Option<Vec<AccessLine>>> {
        self.grant_role(caller, Action::ReadAuditLog)?;
        let mut tx = self.store().write().await?;
        let Some(user) = tx.user_by_username(username).await? else {
            tx.commit().await?;
            return Ok(None);
        };
        let actor = Actor::User(user.id);
        let events = tx.audit_events_by(&actor.encode(), LOG_LINES).await?;
        let lines = lines(&mut tx, events).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AuditLogRead,
            Some(format!("user:{}", user.id)),
            "supervision",
        )
        .await?;
        tx.commit().await?;
        Ok(Some(lines))
    }
}

/// Audit events as lines, the staff among their actors named in one query.
async fn lines(
    tx: &mut store::Reads,
    events: Vec<store::rows::AuditRow>,
) -> Result<Vec<AccessLine>> {
    let mut actors: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
    actors.sort_unstable();
    actors.dedup();
    let usernames = actor_names(tx, &actors).await?;
    Ok(events
        .into_iter()
        .map(|event| {
            let who = match Actor::decode(&event.actor) {
                Some(Actor::User(_)) => usernames
                    .get(&event.actor)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| "a removed account".to_owned()),
                Some(Actor::Operator) => "the operator".to_owned(),
                Some(Actor::System) => "the system".to_owned(),
                Some(Actor::Public) => "someone on the public site".to_owned(),
                None => "unknown".to_owned(),
            };
            AccessLine {
                at: event.at,
                who,
                what: AuditAction::describe(&event.action),
                why: event.purpose,
                record: event.target,
            }
        })
        .collect())
}
