//! The audit chain: appending events under the audit key and reading them back.

use crypto::SecretKey;
use domain::Timestamp;
use domain::audit::NewAuditEvent;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::together::{Plan, Value};
use super::{Reads, Tx, ts};
use crate::Result;
use crate::rows::{AuditHead, AuditRow};

pub(crate) fn audit(row: &AnyRow) -> Result<AuditRow> {
    Ok(AuditRow {
        seq: row.try_get("seq")?,
        at: ts(row, "at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        target: row.try_get("target")?,
        purpose: row.try_get("purpose")?,
        mac: row.try_get("mac")?,
    })
}

/// Which audit events to list, newest first: every condition given must hold. Events are
/// looked up by record, actor or action (each has an index) and a period; pages go back by the
/// chain's sequence number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The record (`client:<id>`).
    pub target: Option<String>,
    /// Who (`user:<id>`).
    pub actor: Option<String>,
    /// What (`client.read`).
    pub action: Option<String>,
    /// At or after this instant.
    pub from: Option<Timestamp>,
    /// Before this instant.
    pub until: Option<Timestamp>,
    /// Older than this event (the last of the page before).
    pub before_seq: Option<i64>,
}

/// Moves the chain's head to the last event appended, `$2`, with its MAC and tag, `$3` and `$4`.
const MOVE_HEAD_TO_LAST: &str = "UPDATE audit_head SET seq = $2, mac = $3, tag = $4 WHERE id = 1";

/// Where the next events join the audit chain: the number the first takes and the MAC it follows.
/// Read in a transaction that holds the chain's head locked, and good in it alone.
#[derive(Debug, Clone)]
pub struct ChainEnd {
    next: i64,
    mac: Vec<u8>,
}

impl ChainEnd {
    pub(crate) fn read(row: &AnyRow) -> Result<Self> {
        Ok(Self {
            next: row.try_get("next")?,
            mac: row.try_get("mac")?,
        })
    }

    /// The statements appending `events` (at least one) after this end: every event as one bound
    /// value (P15), in one statement whatever their number, and the head moved to the last and
    /// tagged; and the last one's sequence number.
    pub(crate) fn appending(
        &self,
        dialect: crate::Dialect,
        events: &[NewAuditEvent],
        key: &SecretKey,
    ) -> (Plan, i64) {
        let mut previous = self.mac.clone();
        let mut rows = Vec::with_capacity(events.len());
        for (seq, event) in (self.next..).zip(events) {
            let actor = event.actor.encode();
            let canonical = domain::audit::canonical_bytes(
                seq,
                event.at,
                &actor,
                event.action.as_str(),
                event.target.as_deref(),
                &event.purpose,
            );
            let mac = crypto::audit_mac::chain_mac(key, &previous, &canonical).to_vec();
            rows.push(serde_json::json!([
                seq,
                event.at.unix_millis(),
                actor,
                event.action.as_str(),
                event.target,
                event.purpose,
                hex::encode(&mac),
            ]));
            previous = mac;
        }
        let last = self.next - 1 + i64::try_from(events.len()).unwrap_or(i64::MAX);
        let tag = crypto::audit_mac::head_tag(key, last, &previous).to_vec();
        let plan = Plan {
            statements: vec![dialect.append_audit_rows(), MOVE_HEAD_TO_LAST],
            values: vec![
                Value::Text(serde_json::Value::from(rows).to_string()),
                Value::Int(last),
                Value::MaybeBlob(Some(previous)),
                Value::MaybeBlob(Some(tag)),
            ],
        };
        (plan, last)
    }
}

impl Tx {
    /// Appends an event to the audit chain, in this transaction; its sequence number.
    pub async fn append_audit(&mut self, event: &NewAuditEvent, key: &SecretKey) -> Result<i64> {
        self.append_audit_events(std::slice::from_ref(event), key)
            .await
    }

    /// Appends events to the audit chain in order, in this transaction, with one read of the head
    /// and one hand-over for the events and the head's move; the last one's sequence number. The
    /// head row is read locked (a row lock on PostgreSQL, the write lock on SQLite) until commit,
    /// so events from every process form one chain.
    pub async fn append_audit_events(
        &mut self,
        events: &[NewAuditEvent],
        key: &SecretKey,
    ) -> Result<i64> {
        let head = sqlx::query(self.reads.dialect.lock_audit_head())
            .fetch_one(&mut *self.reads.inner)
            .await?;
        let end = ChainEnd::read(&head)?;
        if events.is_empty() {
            return Ok(end.next - 1);
        }
        let (plan, last) = end.appending(self.reads.dialect, events, key);
        plan.run(self).await?;
        Ok(last)
    }
}

impl Reads {
    /// Audit events after `after_seq`, in order, at most `limit`.
    pub async fn audit_events(&mut self, after_seq: i64, limit: i64) -> Result<Vec<AuditRow>> {
        sqlx::query(
            "SELECT seq, at, actor, action, target, purpose, mac FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(audit)
        .collect()
    }

    /// The chain's head, if its row is there.
    pub async fn audit_head(&mut self) -> Result<Option<AuditHead>> {
        let row = sqlx::query("SELECT seq, mac, tag FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *self.inner)
            .await?;
        row.map(|row| {
            Ok(AuditHead {
                seq: row.try_get("seq")?,
                mac: row.try_get("mac")?,
                tag: row.try_get("tag")?,
            })
        })
        .transpose()
    }

    /// Whether both tables of the audit chain exist (someone may have dropped one).
    pub async fn audit_tables_present(&mut self) -> Result<bool> {
        let found: i64 = sqlx::query(self.dialect.count_audit_tables())
            .fetch_one(&mut *self.inner)
            .await?
            .try_get("n")?;
        Ok(found == 2)
    }

    /// The newest audit events that `filter` lets through, newest first, at most `limit`.
    pub async fn audit_events_matching(
        &mut self,
        filter: &AuditFilter,
        limit: i64,
    ) -> Result<Vec<AuditRow>> {
        let texts = [
            ("target", &filter.target),
            ("actor", &filter.actor),
            ("action", &filter.action),
        ];
        let numbers = [
            ("at >=", filter.from.map(Timestamp::unix_millis)),
            ("at <", filter.until.map(Timestamp::unix_millis)),
            ("seq <", filter.before_seq),
        ];
        // Only fixed column names and operators go into the text; every value is bound.
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut bound = 0;
        for (column, value) in &texts {
            if value.is_some() {
                bound += 1;
                conditions.push(format!("{column} = ${bound}"));
            }
        }
        for (column, value) in &numbers {
            if value.is_some() {
                bound += 1;
                conditions.push(format!("{column} ${bound}"));
            }
        }
        let sql = format!(
            "SELECT seq, at, actor, action, target, purpose, mac FROM audit_events \
             WHERE {} ORDER BY seq DESC LIMIT ${}",
            conditions.join(" AND "),
            bound + 1
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for value in texts.into_iter().filter_map(|(_, v)| v.clone()) {
            query = query.bind(value);
        }
        for value in numbers.into_iter().filter_map(|(_, v)| v) {
            query = query.bind(value);
        }
        query
            .bind(limit)
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(audit)
            .collect()
    }
}
