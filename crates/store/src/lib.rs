//! The storage contract. Every engine (SQLite, PostgreSQL) gives us a `Store` for the records and a
//! `KeyStore` for the wrapped client keys, through sqlx's `Any` driver, so the queries are written
//! once and mean the same thing on both. What differs between engines — connecting, the checks on
//! each connection, migrations, locking — lives in the engine crates; the few statements that must
//! differ are chosen here by `Dialect`. One conformance suite (`conformance`, behind the feature of
//! that name) is run by each engine crate against a real database.

pub mod backup;
pub mod keystore;
pub mod migrate;
pub mod pool;
pub mod rows;
mod tx;
mod usernames;
mod write_gate;

#[cfg(feature = "conformance")]
pub mod conformance;

pub use keystore::{KeyStore, WrappedKey};
pub use tx::audit::AuditFilter;
pub use tx::{Before, Caseload, ChainEnd, Found, PlaceRow, Plan, Reads, Tx, Within, Written};
pub use write_gate::WriteTurn;

use domain::{ClientId, Timestamp, UserId};
use rows::{OpenedSession, TokenRow, UserRow};

use sqlx::AnyPool;

/// The SQL dialects we support. Almost every statement is shared; this picks the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// How a transaction that will write begins. On SQLite it takes the write lock at once, so two
    /// writers queue instead of failing when one upgrades from reading.
    fn begin_write(self) -> &'static str {
        match self {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        }
    }

    /// Reads the audit chain's head for an append, locking it until commit. (On SQLite the write
    /// transaction already holds the database's write lock.)
    pub(crate) fn lock_audit_head(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT seq + 1 AS next, mac FROM audit_head WHERE id = 1",
            Dialect::Postgres => {
                "SELECT seq + 1 AS next, mac FROM audit_head WHERE id = 1 FOR UPDATE"
            }
        }
    }

    /// A subquery yielding each string of the JSON array (see [`json_list`]) bound at `param`. A
    /// list then takes one parameter and one statement text whatever its length: SQLite finds
    /// each numbered parameter by walking every one before it, so binding hundreds one by one
    /// costs time quadratic in their number, and every length would be a statement of its own to
    /// prepare.
    pub(crate) fn each_of(self, param: &str) -> String {
        match self {
            Dialect::Sqlite => format!("SELECT value FROM json_each({param})"),
            Dialect::Postgres => {
                format!("SELECT jsonb_array_elements_text(CAST({param} AS jsonb))")
            }
        }
    }

    /// The rows of a caseload page (subquery `p`, with `assigned_at` and the line's columns) as
    /// one JSON array of `[id, created_at, preferred_name, legal_name, date_of_birth (the sealed
    /// three in hex), age_band, last_note_at, open_cases, assigned_at]`, in no
    /// particular order (sorting inside the aggregate cost SQLite more than the page's reads);
    /// `[]` for none.
    pub(crate) fn lines_as_json(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "json_group_array(json_array(p.id, p.created_at, \
                 CASE WHEN p.preferred_name IS NULL THEN NULL ELSE hex(p.preferred_name) END, \
                 CASE WHEN p.legal_name IS NULL THEN NULL ELSE hex(p.legal_name) END, \
                 CASE WHEN p.date_of_birth IS NULL THEN NULL ELSE hex(p.date_of_birth) END, \
                 p.age_band, p.last_note_at, p.open_cases, p.assigned_at))"
            }
            Dialect::Postgres => {
                "COALESCE(CAST(json_agg(json_build_array(p.id, p.created_at, \
                 encode(p.preferred_name, 'hex'), encode(p.legal_name, 'hex'), \
                 encode(p.date_of_birth, 'hex'), p.age_band, p.last_note_at, p.open_cases, \
                 p.assigned_at)) AS TEXT), '[]')"
            }
        }
    }

    /// The day `YYYY-MM-DD` in the text `day` as a count of days since 1970-01-01.
    pub(crate) fn days_since_1970(self, day: &str) -> String {
        match self {
            Dialect::Sqlite => format!("CAST(julianday({day}) - 2440587.5 AS INTEGER)"),
            Dialect::Postgres => format!("(CAST({day} AS DATE) - DATE '1970-01-01')"),
        }
    }

    /// The integers `a` and `b` of every row as one text: `a b` a row, rows separated by commas,
    /// in no particular order; null for none (read by `tx::reports::pairs`). A report reads half
    /// a million people this way in one row: handing rows over one by one cost the driver (a
    /// thread's wake-up a row, on SQLite) twice what the database took to find them.
    pub(crate) fn pairs_as_text(self, a: &str, b: &str) -> String {
        match self {
            Dialect::Sqlite => format!("group_concat({a} || ' ' || {b}, ',')"),
            Dialect::Postgres => format!("string_agg({a} || ' ' || {b}, ',')"),
        }
    }

    /// Appends audit events given as one JSON array of rows `[seq, at, actor, action, target,
    /// purpose, mac in hex]`, in array order (the insert trigger moves the chain's head to the
    /// last).
    fn append_audit_rows(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "INSERT INTO audit_events (seq, at, actor, action, target, purpose, mac) \
                 SELECT e.value ->> 0, e.value ->> 1, e.value ->> 2, e.value ->> 3, e.value ->> 4, \
                 e.value ->> 5, unhex(e.value ->> 6) FROM json_each($1) AS e ORDER BY e.key"
            }
            Dialect::Postgres => {
                "INSERT INTO audit_events (seq, at, actor, action, target, purpose, mac) \
                 SELECT CAST(e ->> 0 AS BIGINT), CAST(e ->> 1 AS BIGINT), e ->> 2, e ->> 3, e ->> 4, \
                 e ->> 5, decode(e ->> 6, 'hex') \
                 FROM jsonb_array_elements(CAST($1 AS jsonb)) WITH ORDINALITY AS t(e, n) ORDER BY n"
            }
        }
    }

    /// How many of the audit chain's two tables exist, as `n`.
    pub(crate) fn count_audit_tables(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' \
                 AND name IN ('audit_events', 'audit_head')"
            }
            Dialect::Postgres => {
                "SELECT count(*) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name IN ('audit_events', 'audit_head')"
            }
        }
    }

    /// The columns of the table bound as `$1`, as `name` and declared `type`, in the database's
    /// order; none for a table that does not exist.
    pub(crate) fn table_columns(self) -> &'static str {
        match self {
            Dialect::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            Dialect::Postgres => {
                "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS type \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
            }
        }
    }

    /// Every (table, column) of the current schema, for the classification check.
    fn columns_query(self) -> &'static str {
        match self {
            Dialect::Sqlite => {
                "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2"
            }
            Dialect::Postgres => {
                "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c \
                 FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY 1, 2"
            }
        }
    }
}

/// A list of values as the one JSON array [`Dialect::each_of`] reads.
pub(crate) fn json_list<T: ToString>(items: impl IntoIterator<Item = T>) -> String {
    let items: Vec<String> = items.into_iter().map(|item| item.to_string()).collect();
    serde_json::Value::from(items).to_string()
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The database cannot serve now, through no fault of the request: the caller may try
    /// again in a moment.
    #[error("{0}")]
    Unavailable(Unavailable),
    #[error("the database holds a value this version cannot read ({0})")]
    Corrupt(&'static str),
    #[error(
        "the database was migrated by a newer Safe Harbor (schema {found}, this binary knows up to {known}); \
         run the newer version or restore a backup"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("{0}")]
    Refused(&'static str),
    #[error(
        "the key-store backup holds client keys wrapped by key-encryption key version {0}, which \
         this key file does not have (a rotation retired it, or the backup belongs to another key \
         file); nothing was restored: use the key file that holds version {0}"
    )]
    MissingKek(u32),
    #[error("backup file: {0}")]
    Backup(#[from] std::io::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

mod unavailable;
pub use unavailable::Unavailable;

/// The records database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    dialect: Dialect,
    /// On SQLite, writers take turns here with its one writing connection (see `write_gate`); on
    /// PostgreSQL they write on the pool.
    write_gate: Option<write_gate::WriteGate>,
    usernames: usernames::Usernames,
}

impl Store {
    /// A PostgreSQL database, on a pool whose connections the engine crate has set up and
    /// checked, and migrated.
    pub fn postgres(pool: AnyPool) -> Self {
        Self {
            pool,
            dialect: Dialect::Postgres,
            write_gate: None,
            usernames: usernames::Usernames::default(),
        }
    }

    /// A SQLite database: `readers` for reading, and `writer`, a pool of one connection, that
    /// opens the connection every write runs on (and opens it again should it go bad). That one
    /// connection alone writes, so its page cache stays good from one transaction to the next; a
    /// connection must drop its whole cache whenever another has committed since it last read,
    /// which every pooled connection would do before every group commit.
    pub fn sqlite(readers: AnyPool, writer: AnyPool) -> Self {
        Self {
            pool: readers,
            dialect: Dialect::Sqlite,
            write_gate: Some(write_gate::WriteGate::new(writer)),
            usernames: usernames::Usernames::default(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// On SQLite, the writing connection, outside any transaction, in its turn with the other
    /// writers: for the store's own upkeep, and for tests. `None` on PostgreSQL, where writes run
    /// on the pool.
    pub async fn writer(&self) -> Result<Option<write_gate::WriteTurn>> {
        match &self.write_gate {
            Some(gate) => Ok(Some(gate.turn().await?)),
            None => Ok(None),
        }
    }

    /// A transaction that may write (and so holds the write lock on SQLite).
    pub async fn write(&self) -> Result<Tx> {
        let tx = match &self.write_gate {
            Some(gate) => {
                let mut tx = Tx::writing(gate.turn().await?, self.usernames.clone());
                sqlx::query(self.dialect.begin_write())
                    .execute(tx.connection())
                    .await?;
                tx
            }
            None => Tx::within(
                self.pool.begin_with(self.dialect.begin_write()).await?,
                self.dialect,
                self.usernames.clone(),
            ),
        };
        Ok(tx)
    }

    /// A transaction that may write, begun by reading the clients of `pairs` with how each
    /// member of staff stands to each (`Reads::clients_for`), and on SQLite, where the
    /// transaction holds the write lock from its start, the audit chain's end, so that
    /// `Tx::commit_plans_and_audit` can append events with the plans. On SQLite its BEGIN goes
    /// with those reads, in one hand-over to the database. (PostgreSQL locks the chain's head
    /// only to append, last, so that a writer holding it never waits for a row another writer
    /// holds while waiting for it.)
    pub async fn write_for(
        &self,
        pairs: &[(ClientId, UserId)],
        now: Timestamp,
    ) -> Result<(Tx, Found, Option<ChainEnd>)> {
        let Some(gate) = &self.write_gate else {
            let mut tx = self.write().await?;
            let found = tx.clients_for(pairs, now).await?;
            return Ok((tx, found, None));
        };
        let mut tx = Tx::writing(gate.turn().await?, self.usernames.clone());
        let (found, end) = tx
            .begin_with_clients(self.dialect.begin_write(), pairs, now)
            .await?;
        Ok((tx, found, Some(end)))
    }

    /// On SQLite, copies the write-ahead log into the database away from the writer as it grows,
    /// until the pool is closed (see `write_gate`). Nothing to do on PostgreSQL.
    pub fn keep_log_short(&self) {
        if let Some(gate) = &self.write_gate {
            gate.keep_log_short(self.pool.clone());
        }
    }

    /// Lets the query planner know the tables as they are now. On SQLite, `PRAGMA optimize`
    /// analyzes each table whose statistics are missing or stale, sampling so that it is quick
    /// even on a large database: without them SQLite does not know that a report's covering
    /// index is the cheaper way to a client's report dimensions, and reads every client's row
    /// (issue 16). Run at every start and every hour, as SQLite advises for long-lived
    /// connections. PostgreSQL's autovacuum keeps its statistics itself.
    pub async fn refresh_statistics(&self) -> Result<()> {
        // ANALYZE writes its findings: it takes its turn with the other writers.
        let Some(mut writer) = self.writer().await? else {
            return Ok(());
        };
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&mut *writer)
            .await?;
        // Samples of index keys (blind indexes among them) would outlive an erasure there; the
        // counts in sqlite_stat1 are enough for the reports' plans. (The writer's analysis limit
        // already keeps SQLite from sampling; an ANALYZE run by hand would not.)
        let sampled: Option<i64> =
            sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat4'")
                .fetch_optional(&mut *writer)
                .await?;
        if sampled.is_some() {
            sqlx::query("DELETE FROM sqlite_stat4")
                .execute(&mut *writer)
                .await?;
        }
        Ok(())
    }

    /// A transaction that only reads: it has no writing queries, because on SQLite a reader that
    /// starts to write while another connection writes fails at once instead of waiting.
    pub async fn read(&self) -> Result<Reads> {
        Ok(Reads::within(
            self.pool.begin().await?,
            self.dialect,
            self.usernames.clone(),
        ))
    }

    /// Reads outside any transaction, each statement seeing the records as they are when it
    /// runs: for a reading whose statements need not agree (a page of history that leaves out a
    /// record erased between its two statements), it saves the BEGIN and ROLLBACK, which on
    /// SQLite are a hand-over to the connection's thread each.
    pub async fn read_apart(&self) -> Result<Reads> {
        Ok(Reads::apart(
            self.pool.acquire().await?,
            self.dialect,
            self.usernames.clone(),
        ))
    }

    /// The live token with this hash and its account: not revoked, not expired, account enabled.
    /// One statement on the pool, outside any transaction: it runs on every request.
    pub async fn live_token(
        &self,
        hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<(TokenRow, UserRow)>> {
        let row = sqlx::query(
            "SELECT t.id, t.user_id, t.label, t.created_at, t.expires_at, t.revoked_at, \
                    u.username, u.role, u.created_at AS user_created_at, u.disabled_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL",
        )
        .bind(hash.to_vec())
        .bind(now.unix_millis())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((
            crate::tx::token(&row)?,
            crate::tx::joined_user(&row)?,
        )))
    }

    /// The session with this hash, if it has not been ended, its account (enabled or not), the
    /// account's own time zone, if set, and how many contact requests wait unclaimed at `now` (for
    /// the menu; the caller decides who may see the number). One statement on the pool, outside
    /// any transaction: it runs on every signed-in page.
    pub async fn open_session(
        &self,
        hash: &[u8; 32],
        now: Timestamp,
    ) -> Result<Option<OpenedSession>> {
        let row = sqlx::query(
            "SELECT s.user_id, s.created_at, s.last_seen_at, s.authenticated_at, s.ended_at, s.passkey_at, \
                    u.username, u.role, u.created_at AS user_created_at, u.disabled_at, u.time_zone, \
                    (SELECT CAST(COUNT(*) AS BIGINT) FROM contact_requests \
                     WHERE closed_at IS NULL AND claimed_by IS NULL AND expires_at > $2) AS unclaimed \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.ended_at IS NULL",
        )
        .bind(hash.to_vec())
        .bind(now.unix_millis())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(OpenedSession {
            session: crate::tx::session(&row)?,
            user: crate::tx::joined_user(&row)?,
            time_zone: sqlx::Row::try_get(&row, "time_zone")?,
            unclaimed_requests: sqlx::Row::try_get(&row, "unclaimed")?,
        }))
    }

    /// Every (table, column) in the records database.
    pub async fn columns(&self) -> Result<Vec<(String, String)>> {
        columns(&self.pool, self.dialect).await
    }

    pub async fn close(&self) {
        if let Some(gate) = &self.write_gate {
            gate.close().await;
        }
        self.pool.close().await;
    }
}

async fn columns(pool: &AnyPool, dialect: Dialect) -> Result<Vec<(String, String)>> {
    use sqlx::Row;
    let rows = sqlx::query(dialect.columns_query()).fetch_all(pool).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("t")?, r.try_get("c")?)))
        .collect()
}
