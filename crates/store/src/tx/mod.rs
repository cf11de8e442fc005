//! A transaction and every query the application runs in one. Parameterised SQL only (P15).

use std::collections::HashMap;

use domain::{ClientId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Row, Transaction};

use crate::write_gate::WriteTurn;
use crate::{Result, StoreError};

mod access;
pub use access::Found;
mod caseload;
mod clients;
mod sessions;
mod staff;
mod teams;

pub(crate) use sessions::session;
pub(crate) use staff::{joined_user, token};
pub(crate) mod audit;
mod casework;
mod closures;
mod contact_requests;
mod contacts;
mod dashboard;
mod emergency;
mod erasure;
mod needs;
mod outcomes;
mod plans;
mod programs;
mod referrals;
mod reports;
pub use caseload::Caseload;
mod screening;
mod services;
mod timeline;
mod together;
pub use audit::ChainEnd;
pub use reports::Within;
pub use timeline::{Before, PlaceRow};
pub use together::{Plan, Written};

/// A transaction: the queries that only read (`Reads`, which a `Tx` derefs to) and those that
/// write. Work that shares a group-committed transaction is handed only `Reads`, so the type
/// system keeps it from writing anything but the audit events it hands back.
pub struct Tx {
    reads: Reads,
}

/// The reading half of a transaction, or reads that need none (`Store::read_apart`).
pub struct Reads {
    inner: Held,
    dialect: crate::Dialect,
    usernames: crate::usernames::Usernames,
}

/// What reads run on: a transaction, a connection on which each statement is its own, or
/// SQLite's writing connection in its turn, inside a transaction begun by hand (so that its BEGIN
/// and COMMIT can go with other statements).
enum Held {
    Transaction(Transaction<'static, Any>),
    Connection(PoolConnection<Any>),
    Writer(WriteTurn),
}

impl Held {
    async fn commit(self) -> Result<()> {
        match self {
            Self::Transaction(tx) => Ok(tx.commit().await?),
            Self::Connection(_) => Ok(()),
            Self::Writer(turn) => end(turn, "COMMIT").await,
        }
    }

    async fn rollback(self) -> Result<()> {
        match self {
            Self::Transaction(tx) => Ok(tx.rollback().await?),
            Self::Connection(_) => Ok(()),
            Self::Writer(turn) => end(turn, "ROLLBACK").await,
        }
    }
}

/// Ends the writer's transaction with `how`: should that fail, the next turn rolls back first.
async fn end(mut turn: WriteTurn, how: &'static str) -> Result<()> {
    sqlx::query(how).execute(&mut *turn).await?;
    turn.finished();
    Ok(())
}

impl std::ops::Deref for Held {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match self {
            Self::Transaction(tx) => tx,
            Self::Connection(connection) => connection,
            Self::Writer(turn) => turn,
        }
    }
}

impl std::ops::DerefMut for Held {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match self {
            Self::Transaction(tx) => tx,
            Self::Connection(connection) => connection,
            Self::Writer(turn) => turn,
        }
    }
}

impl std::ops::Deref for Tx {
    type Target = Reads;
    fn deref(&self) -> &Reads {
        &self.reads
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Reads {
        &mut self.reads
    }
}

impl std::fmt::Debug for Tx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl std::fmt::Debug for Reads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reads")
    }
}
pub(crate) fn ts(row: &AnyRow, col: &str) -> Result<Timestamp> {
    Ok(Timestamp::from_unix_millis(row.try_get(col)?))
}

pub(crate) fn opt_ts(row: &AnyRow, col: &str) -> Result<Option<Timestamp>> {
    Ok(row
        .try_get::<Option<i64>, _>(col)?
        .map(Timestamp::from_unix_millis))
}

pub(crate) fn parsed<T: std::str::FromStr>(row: &AnyRow, col: &str) -> Result<T> {
    row.try_get::<String, _>(col)?
        .parse()
        .map_err(|_| StoreError::Corrupt("an id or code column"))
}

fn opt_parsed<T: std::str::FromStr>(row: &AnyRow, col: &str) -> Result<Option<T>> {
    row.try_get::<Option<String>, _>(col)?
        .map(|s| {
            s.parse()
                .map_err(|_| StoreError::Corrupt("an id or code column"))
        })
        .transpose()
}

/// The first rows of `table` in `order` (newest first, ending in `id` so that ties are
/// stable) for each client in `$1`, at most `$2` each.
fn newest_of(columns: &str, table: &str, order: &str, dialect: crate::Dialect) -> String {
    format!(
        "SELECT {columns} FROM (SELECT {columns}, ROW_NUMBER() OVER \
         (PARTITION BY client_id ORDER BY {order}) AS place \
         FROM {table} WHERE client_id IN ({})) AS ranked \
         WHERE place <= $2 ORDER BY {order}",
        dialect.each_of("$1")
    )
}

/// One client's rows out of rows grouped by client.
fn one<T>(mut grouped: HashMap<ClientId, Vec<T>>, client: ClientId) -> Vec<T> {
    grouped.remove(&client).unwrap_or_default()
}

impl Tx {
    /// A transaction that may write, on PostgreSQL.
    pub(crate) fn within(
        tx: Transaction<'static, Any>,
        dialect: crate::Dialect,
        usernames: crate::usernames::Usernames,
    ) -> Self {
        Self {
            reads: Reads::within(tx, dialect, usernames),
        }
    }

    /// A transaction on SQLite's writing connection, in its turn, whose BEGIN the caller sends
    /// next (alone, or with the first statements). Until it ends, the turn counts as inside it.
    pub(crate) fn writing(mut turn: WriteTurn, usernames: crate::usernames::Usernames) -> Self {
        turn.unfinished();
        Self {
            reads: Reads::new(Held::Writer(turn), crate::Dialect::Sqlite, usernames),
        }
    }

    /// Whether this is SQLite's writer's transaction, whose COMMIT may go with other statements.
    fn commits_by_hand(&self) -> bool {
        matches!(self.reads.inner, Held::Writer(_))
    }

    /// The transaction was committed by a statement sent with others.
    fn committed(self) {
        if let Held::Writer(mut turn) = self.reads.inner {
            turn.finished();
        }
    }

    /// The transaction's connection, for code in this crate that runs its own SQL.
    pub(crate) fn connection(&mut self) -> &mut AnyConnection {
        &mut self.reads.inner
    }

    pub async fn commit(self) -> Result<()> {
        self.reads.inner.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.reads.inner.rollback().await
    }

    /// Runs a `DELETE` of one row keyed by two values; whether there was such a row.
    async fn delete_pair(
        &mut self,
        sql: &'static str,
        first: String,
        second: String,
    ) -> Result<bool> {
        let done = sqlx::query(sql)
            .bind(first)
            .bind(second)
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

impl Reads {
    fn new(inner: Held, dialect: crate::Dialect, usernames: crate::usernames::Usernames) -> Self {
        Self {
            inner,
            dialect,
            usernames,
        }
    }

    /// A connection's reads, each statement on its own.
    pub(crate) fn apart(
        connection: PoolConnection<Any>,
        dialect: crate::Dialect,
        usernames: crate::usernames::Usernames,
    ) -> Self {
        Self::new(Held::Connection(connection), dialect, usernames)
    }

    /// A transaction's reads.
    pub(crate) fn within(
        tx: Transaction<'static, Any>,
        dialect: crate::Dialect,
        usernames: crate::usernames::Usernames,
    ) -> Self {
        Self::new(Held::Transaction(tx), dialect, usernames)
    }

    /// Ends a transaction that only read.
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await
    }

    /// Whether one failed statement fails the rest of the transaction (PostgreSQL: "current
    /// transaction is aborted") unless undone with `undo_to_mark`. SQLite fails only the
    /// statement.
    pub fn failure_spreads(&self) -> bool {
        self.dialect == crate::Dialect::Postgres
    }

    /// Marks where one piece of work begins in a transaction shared by several (a savepoint), so
    /// that `undo_to_mark` can undo it alone. Marks may be set again and again: each undo goes
    /// back to the latest.
    pub async fn mark(&mut self) -> Result<()> {
        sqlx::query("SAVEPOINT work")
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Undoes everything since the latest `mark`, a failed statement included, so that the
    /// transaction can go on.
    pub async fn undo_to_mark(&mut self) -> Result<()> {
        sqlx::query("ROLLBACK TO SAVEPOINT work")
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// A page of one client's rows of `table` (its `columns`) in `order` (newest first, ending in
    /// `id`, as `newest_of` takes it): at most `limit`, after skipping `offset`.
    async fn page_of<T>(
        &mut self,
        (table, columns): (&str, &str),
        order: &str,
        client: ClientId,
        (limit, offset): (i64, i64),
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let sql = format!(
            "SELECT {columns} FROM {table} WHERE client_id = $1 \
             ORDER BY {order} LIMIT $2 OFFSET $3"
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(client.to_string())
            .bind(limit)
            .bind(offset)
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(read)
            .collect()
    }

    /// Every row `sql` reads about `client` (as `$1`), in its order. The SQL is built from the
    /// modules' constants, never from input.
    async fn every_row_of<T>(
        &mut self,
        sql: String,
        client: ClientId,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(client.to_string())
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(read)
            .collect()
    }

    /// Runs `sql` (the clients as `$1`, and `limit` as `$2` if given) and groups its rows by
    /// their `client_id`, each group in the query's order.
    async fn per_client<T>(
        &mut self,
        sql: String,
        clients: &[ClientId],
        limit: Option<i64>,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<HashMap<ClientId, Vec<T>>> {
        let mut grouped: HashMap<ClientId, Vec<T>> = HashMap::new();
        if clients.is_empty() {
            return Ok(grouped);
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(crate::json_list(clients));
        if let Some(limit) = limit {
            query = query.bind(limit);
        }
        for row in query.fetch_all(&mut *self.inner).await? {
            grouped
                .entry(parsed(&row, "client_id")?)
                .or_default()
                .push(read(&row)?);
        }
        Ok(grouped)
    }
}

/// `columns` (a comma-separated list), each named as a column of `table` (its alias in a join).
pub(super) fn prefixed(table: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{table}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}
