//! Pages of a member of staff's caseload, many in one statement.

use domain::{ClientId, Timestamp};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::teams::SUPERVISED_FROM;
use super::{Reads, parsed, ts};
use crate::rows::{CaseloadPage, ClientLine};
use crate::{Result, StoreError};

/// Whose clients a list of work (what waits too long, what is due) is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caseload {
    /// The clients assigned to the person.
    Own,
    /// The clients of the teams the person leads, assigned to someone else there (not a
    /// restricted record, which only those assigned reach).
    Led,
}

impl Caseload {
    /// A subquery of the clients (the person as `$1`), and the condition on the joined `clients c`
    /// that leaves out the records this caseload may not reach.
    pub(super) fn filter(self) -> (String, &'static str) {
        match self {
            Caseload::Own => (
                "SELECT a.client_id FROM assignments a WHERE a.user_id = $1".to_owned(),
                "",
            ),
            Caseload::Led => (
                format!(
                    "SELECT a.client_id {SUPERVISED_FROM} AND lead.user_id = $1 \
                     AND a.client_id NOT IN (SELECT client_id FROM assignments WHERE user_id = $1)"
                ),
                "AND c.restricted = 0",
            ),
        }
    }
}

pub(super) fn client_line(row: &AnyRow) -> Result<ClientLine> {
    Ok(ClientLine {
        id: parsed(row, "id")?,
        created_at: ts(row, "created_at")?,
        preferred_name: row.try_get("preferred_name")?,
        legal_name: row.try_get("legal_name")?,
        date_of_birth: row.try_get("date_of_birth")?,
        age_band: row.try_get("age_band")?,
        last_note_at: row
            .try_get::<Option<i64>, _>("last_note_at")?
            .map(Timestamp::from_unix_millis),
        open_cases: row.try_get("open_cases")?,
    })
}

/// A sealed column as `Dialect::lines_as_json` gives it: hex, or null.
fn unhex(sealed: Option<String>) -> Result<Option<Vec<u8>>> {
    sealed
        .map(hex::decode)
        .transpose()
        .map_err(|_| StoreError::Corrupt("a caseload line"))
}

/// One line as `Dialect::lines_as_json` gives it, in `LINE_COLUMNS`' order, then the time of the
/// assignment the page is ordered by.
#[derive(serde::Deserialize)]
struct JsonLine(
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

/// The lines of a caseload page as `Dialect::lines_as_json` gives them, put in the page's order:
/// newest assignment first, ties by id, descending (ids are lowercase UUIDs, whose text orders
/// the same byte by byte as under either database's collation).
pub(super) fn json_lines(json: &str) -> Result<Vec<ClientLine>> {
    let mut lines: Vec<JsonLine> =
        serde_json::from_str(json).map_err(|_| StoreError::Corrupt("a caseload line"))?;
    lines.sort_by(|a, b| (b.8, &b.0).cmp(&(a.8, &a.0)));
    lines
        .into_iter()
        .map(|line| {
            let JsonLine(id, created_at, name, legal, born, age_band, last_note, open_cases, _) =
                line;
            Ok(ClientLine {
                id: id.parse().map_err(|_| StoreError::Corrupt("a client id"))?,
                created_at: Timestamp::from_unix_millis(created_at),
                preferred_name: unhex(name)?,
                legal_name: unhex(legal)?,
                date_of_birth: unhex(born)?,
                age_band,
                last_note_at: last_note.map(Timestamp::from_unix_millis),
                open_cases,
            })
        })
        .collect()
}

/// What a list of clients shows (see `ClientLine`), of a client table named `c`: a page of a
/// caseload copies no more than it needs. The last note and the open cases come from their
/// tables' indexes by client.
pub(super) const LINE_COLUMNS: &str = "c.id, c.created_at, c.preferred_name, c.legal_name, \
     c.date_of_birth, c.age_band, \
     (SELECT MAX(n.created_at) FROM notes n WHERE n.client_id = c.id) AS last_note_at, \
     (SELECT COUNT(*) FROM cases k WHERE k.client_id = c.id AND k.closed_on IS NULL) AS open_cases";

/// The most caseload pages one statement reads (`Reads::caseloads`); a group-committed batch
/// asks for no more.
pub(super) const MAX_PAGES_AT_ONCE: usize = 64;

impl Reads {
    /// The clients assigned to a member of staff, most recently assigned first, a page at a time;
    /// each row holds only what a list shows.
    pub async fn caseload(&mut self, page: CaseloadPage) -> Result<Vec<ClientLine>> {
        Ok(self.caseloads(&[page]).await?.pop().unwrap_or_default())
    }

    /// The lines of `clients`, in no particular order: a list of people found some other way.
    pub async fn client_lines(&mut self, clients: &[ClientId]) -> Result<Vec<ClientLine>> {
        if clients.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM clients c WHERE c.id IN ({})",
            self.dialect.each_of("$1")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(clients))
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(client_line)
            .collect()
    }

    /// `caseload` for many pages at once, answered in the order asked, in one statement. A
    /// group-committed batch then makes one round trip for all its caseload pages, not one each:
    /// on a busy server each round trip to SQLite's worker thread waits its turn for the CPU, and
    /// the batch holds the writer's turn meanwhile.
    pub async fn caseloads(&mut self, pages: &[CaseloadPage]) -> Result<Vec<Vec<ClientLine>>> {
        let mut answers = Vec::with_capacity(pages.len());
        for chunk in pages.chunks(MAX_PAGES_AT_ONCE) {
            answers.extend(self.caseload_chunk(chunk).await?);
        }
        Ok(answers)
    }

    async fn caseload_chunk(&mut self, pages: &[CaseloadPage]) -> Result<Vec<Vec<ClientLine>>> {
        // One row, with a column for each page: a subquery with the page's own three
        // parameters, planned as a single page is (a UNION ALL of the pages cost SQLite itself a
        // third more), giving the page's lines as one JSON array. Rows and values are what cost
        // most on the way back from SQLite's thread, so one row of 30 values costs far less than
        // 30 pages of 26 rows. The pages come in powers of two, padded with pages that read
        // nothing, so that only a few statement texts are ever prepared.
        let columns = pages.len().next_power_of_two();
        let lines = self.dialect.lines_as_json();
        let sql = (0..columns)
            .map(|k| {
                let (user, limit, offset) = (3 * k + 1, 3 * k + 2, 3 * k + 3);
                // Driven from the worker's assignments in time order (an index by user and
                // time), not by scanning or sorting every client: a page reads only its own rows.
                format!(
                    "(SELECT {lines} FROM \
                     (SELECT assignments.assigned_at, {LINE_COLUMNS} \
                     FROM assignments JOIN clients c ON c.id = assignments.client_id \
                     WHERE assignments.user_id = ${user} AND c.erased_at IS NULL \
                     ORDER BY assignments.assigned_at DESC, assignments.client_id DESC \
                     LIMIT ${limit} OFFSET ${offset}) AS p) AS page{k}"
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {sql}")));
        for k in 0..columns {
            query = match pages.get(k) {
                Some(page) => query
                    .bind(page.user.to_string())
                    .bind(page.limit)
                    .bind(page.offset),
                None => query.bind(String::new()).bind(0_i64).bind(0_i64),
            };
        }
        let row = query.fetch_one(&mut *self.inner).await?;
        (0..pages.len())
            .map(|k| json_lines(&row.try_get::<String, _>(k)?))
            .collect()
    }
}
