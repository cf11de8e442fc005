//! The facts an access decision is made from: how one member of staff stands to one client.

use std::collections::HashMap;

use domain::policy::Facts;
use domain::{ClientId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::audit::ChainEnd;
use super::clients::{CLIENT_COLUMNS, client};
use super::teams::SUPERVISED_FROM;
use super::together::Value;
use super::{Reads, Tx, parsed};
use crate::rows::ClientRow;
use crate::{Result, StoreError};

/// The facts of how someone stands to a client: the record's own (erased, restricted) and the
/// links found (assigned, leading a team whose member is, holding emergency access). What they
/// allow is decided in `domain::policy::decide`, not here.
fn facts(client: &ClientRow, assigned: bool, leads_an_assignee: bool, emergency: bool) -> Facts {
    Facts {
        erased: client.erased_at.is_some(),
        restricted: client.restricted,
        assigned,
        leads_an_assignee,
        emergency,
    }
}

/// The clients found for (client, member of staff) pairs, with how each stands to each: a
/// client that does not exist has no entry.
pub type Found = HashMap<(ClientId, UserId), (ClientRow, Facts)>;

impl Reads {
    /// A client and the facts of how `user` stands to them at `now` (assigned, leading a team
    /// whose member is assigned, holding emergency access), in one query.
    pub async fn client_for(
        &mut self,
        id: ClientId,
        user: UserId,
        now: Timestamp,
    ) -> Result<Option<(ClientRow, Facts)>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {CLIENT_COLUMNS}, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM assignments a \
                 WHERE a.client_id = clients.id AND a.user_id = $2) THEN 1 ELSE 0 END AS BIGINT) AS assigned, \
             CAST(CASE WHEN EXISTS (SELECT 1 {SUPERVISED_FROM} AND a.client_id = clients.id AND lead.user_id = $2) \
                 THEN 1 ELSE 0 END AS BIGINT) AS supervised, \
             CAST(CASE WHEN EXISTS (SELECT 1 FROM emergency_access e WHERE e.client_id = clients.id \
                 AND e.user_id = $2 AND e.expires_at > $3) THEN 1 ELSE 0 END AS BIGINT) AS emergency \
             FROM clients WHERE id = $1"
        )))
        .bind(id.to_string())
        .bind(user.to_string())
        .bind(now.unix_millis())
        .fetch_optional(&mut *self.inner)
        .await?;
        row.map(|row| {
            let flag = |column: &str| -> Result<bool> { Ok(row.try_get::<i64, _>(column)? == 1) };
            let found = client(&row)?;
            let facts = facts(
                &found,
                flag("assigned")?,
                flag("supervised")?,
                flag("emergency")?,
            );
            Ok((found, facts))
        })
        .transpose()
    }

    /// `client_for` for many (client, member of staff) pairs at once: two queries in one
    /// hand-over, whatever the number of pairs. A client that does not exist has no entry.
    pub async fn clients_for(
        &mut self,
        pairs: &[(ClientId, UserId)],
        now: Timestamp,
    ) -> Result<Found> {
        let (statements, values) = self.clients_for_statements(pairs, now);
        let statements: Vec<&str> = statements.iter().map(String::as_str).collect();
        let rows = self.fetch_together(&statements, &values).await?;
        clients_found(pairs, &rows)
    }

    /// The statements `clients_for` runs (none for no pairs), with their values. They read the
    /// clients, and how each user stands to each of them: assigned (1), leading a team whose
    /// member is (2), holding emergency access (3), each row saying which it is (0 for a client).
    fn clients_for_statements(
        &self,
        pairs: &[(ClientId, UserId)],
        now: Timestamp,
    ) -> (Vec<String>, Vec<Value>) {
        let mut ids: Vec<String> = pairs.iter().map(|(c, _)| c.to_string()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let each = self.dialect.each_of("$1");
        let clients_sql = format!(
            "SELECT CAST(0 AS BIGINT) AS link, {CLIENT_COLUMNS} FROM clients WHERE id IN ({each})"
        );
        let links_sql = format!(
            "SELECT CAST(1 AS BIGINT) AS link, client_id, user_id FROM assignments \
             WHERE client_id IN ({each}) \
             UNION ALL SELECT CAST(2 AS BIGINT), a.client_id, lead.user_id {SUPERVISED_FROM} \
             AND a.client_id IN ({each}) \
             UNION ALL SELECT CAST(3 AS BIGINT), client_id, user_id FROM emergency_access \
             WHERE client_id IN ({each}) AND expires_at > $2"
        );
        let values = vec![
            Value::Text(crate::json_list(&ids)),
            Value::Int(now.unix_millis()),
        ];
        (vec![clients_sql, links_sql], values)
    }
}

impl Tx {
    /// Sends `begin` (the transaction's BEGIN, not yet sent) with the reads of `clients_for` and
    /// of the audit chain's end (`Store::write_for`), in one hand-over on SQLite.
    pub(crate) async fn begin_with_clients(
        &mut self,
        begin: &str,
        pairs: &[(ClientId, UserId)],
        now: Timestamp,
    ) -> Result<(Found, ChainEnd)> {
        let (clients, values) = self.clients_for_statements(pairs, now);
        let mut statements = vec![begin, self.reads.dialect.lock_audit_head()];
        statements.extend(clients.iter().map(String::as_str));
        let rows = self.fetch_together(&statements, &values).await?;
        let (head, rows) = rows
            .split_first()
            .ok_or(StoreError::Corrupt("the audit chain has no head"))?;
        Ok((clients_found(pairs, rows)?, ChainEnd::read(head)?))
    }
}

/// The clients and links `clients_for_statements` read, as each pair's client and facts.
fn clients_found(pairs: &[(ClientId, UserId)], rows: &[AnyRow]) -> Result<Found> {
    let mut clients: HashMap<ClientId, ClientRow> = HashMap::new();
    let mut links: HashMap<(ClientId, UserId), [bool; 3]> = HashMap::new();
    for row in rows {
        let link = row.try_get::<i64, _>("link")?;
        if link == 0 {
            let found = client(row)?;
            clients.insert(found.id, found);
            continue;
        }
        let pair = (parsed(row, "client_id")?, parsed(row, "user_id")?);
        let link = usize::try_from(link - 1).map_err(|_| StoreError::Corrupt("a client link"))?;
        if let Some(flag) = links.entry(pair).or_default().get_mut(link) {
            *flag = true;
        }
    }
    Ok(pairs
        .iter()
        .filter_map(|pair| {
            let row = clients.get(&pair.0)?.clone();
            let [assigned, supervises, emergency] = links.get(pair).copied().unwrap_or_default();
            let facts = facts(&row, assigned, supervises, emergency);
            Some((*pair, (row, facts)))
        })
        .collect())
}
