//! "Who opened this record": the audit events about one client, for a supervisor who works with
//! them (P9 made visible). Looking is itself audited.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::policy::Action;
use domain::{ClientId, Timestamp};

use crate::access::target;
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
}

impl App {
    pub async fn access_log(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<AccessLine>> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::ReadAccessLog,
            )
            .await?;
        let events = tx
            .audit_events_about(&target(grant.client), LOG_LINES)
            .await?;
        let mut names: HashMap<String, String> = HashMap::new();
        let mut lines = Vec::with_capacity(events.len());
        for event in events {
            let who = match names.get(&event.actor) {
                Some(name) => name.clone(),
                None => {
                    let name = match Actor::decode(&event.actor) {
                        Some(Actor::User(user)) => tx
                            .user(user)
                            .await?
                            .map_or_else(|| "a removed account".to_owned(), |u| u.username),
                        Some(Actor::Operator) => "the operator".to_owned(),
                        Some(Actor::System) => "the system".to_owned(),
                        Some(Actor::Public) => "someone on the public site".to_owned(),
                        None => "unknown".to_owned(),
                    };
                    names.insert(event.actor.clone(), name.clone());
                    name
                }
            };
            lines.push(AccessLine {
                at: event.at,
                who,
                what: AuditAction::describe(&event.action),
                why: event.purpose,
            });
        }
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AccessLogRead,
            Some(target(grant.client)),
            purpose.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(lines)
    }
}
