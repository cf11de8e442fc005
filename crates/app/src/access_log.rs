//! The audit log made visible to supervisors (P9): who opened one client's record, and the whole
//! log, found by person, action, record and period, a page at a time. Looking is itself audited.
//! The lines name records by their ids, never by anything personal, and say why in plain words.

use domain::audit::{Actor, AuditAction};
use domain::audit_words::{EMERGENCY, purpose_in_words};
use domain::policy::Action;
use domain::{ClientId, Timestamp};
use store::AuditFilter;
use store::rows::AuditRow;

use crate::access::target;
use crate::notes::actor_names;
use crate::{App, Caller, Purpose, Result};

/// The most events one page reads; a page ends at a whole visit.
const PAGE_EVENTS: i64 = 400;
/// The most lines one page shows.
const PAGE_LINES: usize = 50;
/// Events by one person about one record, for one reason, this close together are one visit
/// (opening a client's page reads the details, cases, notes... each audited on its own).
const VISIT_MS: i64 = 2_000;

/// What to look for in the log; every part given must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    /// The member of staff, by username.
    pub username: Option<String>,
    /// What was done, as the audit names it (`client.read`); one of `audit::DESCRIBED`.
    pub action: Option<String>,
    /// The record.
    pub record: Option<ClientId>,
    /// From this instant on.
    pub from: Option<Timestamp>,
    /// Before this instant.
    pub until: Option<Timestamp>,
    /// Older than this event: the next page.
    pub before: Option<i64>,
}

/// One line of the log: one event, or a visit (one person's events about one record at one
/// moment).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLine {
    pub at: Timestamp,
    /// The member of staff's username, or "the operator" / "the system".
    pub who: String,
    /// What they did, in words, each once, in the order they did it.
    pub what: Vec<&'static str>,
    /// Why, in words.
    pub why: String,
    /// Whether it was done in an emergency (break the glass).
    pub emergency: bool,
    /// The record it was about, as the log names it (`client:<id>`), if any.
    pub record: Option<String>,
    /// The oldest event of the line, where the next page starts.
    first_seq: i64,
    actor: String,
    purpose: String,
}

/// A page of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPage {
    pub lines: Vec<LogLine>,
    /// Where the next, older page starts, if there is more.
    pub older: Option<i64>,
    /// The username asked for is nobody's.
    pub no_such_person: bool,
}

impl App {
    /// Who opened a client's record and what they did, newest first, a visit to a line.
    pub async fn access_log(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
        query: &LogQuery,
    ) -> Result<LogPage> {
        let mut work = self
            .client_work(caller, client, &[Action::ReadAccessLog])
            .await?;
        let record = LogQuery {
            record: Some(work.grant.client),
            ..query.clone()
        };
        let page = log_page(&mut work.tx, &record).await?;
        work.done(AuditAction::AccessLogRead, purpose).await?;
        Ok(page)
    }

    /// The whole audit log as `query` narrows it, newest first. Looking is audited, naming the
    /// person or record looked for.
    pub async fn audit_log(&self, caller: &Caller, query: &LogQuery) -> Result<LogPage> {
        self.grant_role(caller, Action::ReadAuditLog)?;
        let mut tx = self.store().write().await?;
        let page = log_page(&mut tx, query).await?;
        let about = match (&query.username, query.record) {
            (Some(username), _) => tx
                .user_by_username(username)
                .await?
                .map(|user| format!("user:{}", user.id)),
            (None, Some(client)) => Some(target(client)),
            (None, None) => None,
        };
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AuditLogRead,
            about,
            "supervision",
        )
        .await?;
        tx.commit().await?;
        Ok(page)
    }
}

/// Reads one page of the log for `query`.
pub(crate) async fn log_page(tx: &mut store::Reads, query: &LogQuery) -> Result<LogPage> {
    let actor = match &query.username {
        Some(username) => match tx.user_by_username(username).await? {
            Some(user) => Some(Actor::User(user.id).encode()),
            None => {
                return Ok(LogPage {
                    lines: Vec::new(),
                    older: None,
                    no_such_person: true,
                });
            }
        },
        None => None,
    };
    let filter = AuditFilter {
        target: query.record.map(target),
        actor,
        action: query.action.clone(),
        from: query.from,
        until: query.until,
        before_seq: query.before,
    };
    let events = tx.audit_events_matching(&filter, PAGE_EVENTS).await?;
    let full = i64::try_from(events.len()).unwrap_or(i64::MAX) >= PAGE_EVENTS;
    let mut lines = visits(tx, events).await?;
    // A full read may have cut the last visit short: it starts the next page instead.
    let mut more = full;
    if full && lines.len() > 1 {
        lines.pop();
    }
    if lines.len() > PAGE_LINES {
        lines.truncate(PAGE_LINES);
        more = true;
    }
    let older = more.then(|| lines.last().map(|l| l.first_seq)).flatten();
    Ok(LogPage {
        lines,
        older,
        no_such_person: false,
    })
}

/// Audit events (newest first) as lines, a visit to a line, the staff among their actors named
/// in one query.
async fn visits(tx: &mut store::Reads, events: Vec<AuditRow>) -> Result<Vec<LogLine>> {
    let mut actors: Vec<String> = events.iter().map(|e| e.actor.clone()).collect();
    actors.sort_unstable();
    actors.dedup();
    let usernames = actor_names(tx, &actors).await?;
    let mut lines: Vec<LogLine> = Vec::new();
    for event in events {
        let what = AuditAction::describe(&event.action);
        if let Some(line) = lines.last_mut().filter(|l| same_visit(l, &event)) {
            if !line.what.contains(&what) {
                line.what.insert(0, what);
            }
            line.first_seq = event.seq;
            continue;
        }
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
        lines.push(LogLine {
            at: event.at,
            who,
            what: vec![what],
            why: purpose_in_words(&event.purpose),
            emergency: event.purpose.starts_with(EMERGENCY)
                || event.action == AuditAction::EmergencyAccess.as_str(),
            record: event.target,
            first_seq: event.seq,
            actor: event.actor,
            purpose: event.purpose,
        });
    }
    Ok(lines)
}

/// Whether `event` (older than the line's events) belongs to the same visit as `line`.
fn same_visit(line: &LogLine, event: &AuditRow) -> bool {
    line.actor == event.actor
        && line.record == event.target
        && line.purpose == event.purpose
        && line.record.is_some()
        && line.at.unix_millis() - event.at.unix_millis() <= VISIT_MS
}
