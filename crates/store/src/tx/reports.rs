//! What reports count, read in the clear: the report dimensions of the clients served in a period
//! (`classification::Sensitivity::ReportDimension`). No client's key is opened, and no column a
//! report may not count is named here.

use futures_util::TryStreamExt;
use sqlx::Row;
use sqlx::any::AnyRow;

use domain::fiscal::Span;

use super::Reads;
use crate::Result;
use crate::rows::{EnteredRow, ExitedRow, ProfileRow, ServedRow, WhoRow};

/// Whose records a report reads: every client's, or only those of the clients with a case in a
/// program (by its code), or assigned to a member of a team (by its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Within<'a> {
    Everyone,
    Program(&'a str),
    Team(&'a str),
}

impl Within<'_> {
    /// A condition that the client id in `column` is within, its value parameter `$n`; empty for
    /// everyone.
    pub(super) fn condition(self, column: &str, n: usize) -> String {
        match self {
            Within::Everyone => String::new(),
            Within::Program(_) => {
                format!(" AND {column} IN (SELECT client_id FROM cases WHERE program = ${n})")
            }
            Within::Team(_) => format!(
                " AND {column} IN (SELECT a.client_id FROM assignments a \
                 JOIN team_members m ON m.user_id = a.user_id WHERE m.team_id = ${n})"
            ),
        }
    }

    /// `query` with the condition's value bound next, if it has one.
    pub(super) fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        match self {
            Within::Everyone => query,
            Within::Program(value) | Within::Team(value) => query.bind(value.to_owned()),
        }
    }
}

impl Reads {
    /// The rows `query` finds, with the scope's value bound last, each read by `read` as it
    /// comes: a report's half a million rows are never all held at once as the driver gives them
    /// (allocating that memory afresh cost a fifth of a year's report at a million clients).
    pub(super) async fn rows<'q, T>(
        &mut self,
        within: Within<'_>,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        read: impl Fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let mut rows = within.bind(query).fetch(&mut *self.inner);
        let mut read_rows = Vec::new();
        while let Some(row) = rows.try_next().await? {
            read_rows.push(read(&row)?);
        }
        Ok(read_rows)
    }

    /// Every combination of report dimensions under its number, as the rows of reports name
    /// them.
    pub async fn report_profiles(&mut self) -> Result<Vec<ProfileRow>> {
        self.rows(
            Within::Everyone,
            sqlx::query(
                "SELECT id, gender, age_band, age_at_intake, trafficking_type, citizenship, \
                   referral_source FROM report_profiles",
            ),
            |row| {
                Ok(ProfileRow {
                    id: row.try_get("id")?,
                    who: who(row)?,
                })
            },
        )
        .await
    }

    /// Everyone with a service delivered from `from` to `to` (days, `YYYY-MM-DD`, both
    /// included), one row a person: their profile, whether their first service ever and their
    /// first on or after `year_from` were in the period, and the types of service they received
    /// in the period as a sum of the bits `bits` gives each code. A period that is a whole
    /// federal fiscal quarter or year is read from what was summed of it as each service was
    /// recorded (`served_periods`); any other, from its services.
    pub async fn served(
        &mut self,
        from: &str,
        to: &str,
        year_from: &str,
        bits: &[(&str, i64)],
        within: Within<'_>,
    ) -> Result<Vec<ServedRow>> {
        let day = |raw| domain::case::parse_date("day", raw).ok();
        match day(from)
            .zip(day(to))
            .and_then(|(f, t)| Span::exactly(f, t))
        {
            Some((span, _)) => self.served_in(span, from, bits, within).await,
            None => self.served_by_day(from, to, year_from, bits, within).await,
        }
    }

    /// `served` for the fiscal `span` that starts on `from`, from its sums.
    async fn served_in(
        &mut self,
        span: Span,
        from: &str,
        bits: &[(&str, i64)],
        within: Within<'_>,
    ) -> Result<Vec<ServedRow>> {
        // Each row holds its person's profile and first days: no one is looked up.
        let sql = format!(
            "SELECT {} AS people FROM ( \
               SELECT {}, p.mask FROM served_periods p \
               WHERE p.span = $1 AND p.starts_on = $2{}) s",
            self.dialect.pairs_as_text("s.facts", "s.mask"),
            facts("p.profile_id", "p.first_ever_on", "p.year_first_on", "$2"),
            within.condition("p.client_id", 3),
        );
        let query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(span.as_str())
            .bind(from.to_owned());
        let stored = self.service_bits(bits).await?;
        let people = self.people(within, query).await?;
        Ok(served(&people, |mask| stored.translate(mask)))
    }

    /// The facts and mask of each person `query` gives as one text (`served_in`,
    /// `served_by_day`), the scope's value bound last.
    async fn people<'q>(
        &mut self,
        within: Within<'_>,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<Vec<(i64, i64)>> {
        let people: Option<String> = within
            .bind(query)
            .fetch_one(&mut *self.inner)
            .await?
            .try_get("people")?;
        pairs(people.as_deref().unwrap_or_default())
    }

    /// How the masks this database keeps (`service_bits`) become masks in `bits`.
    async fn service_bits(&mut self, bits: &[(&str, i64)]) -> Result<BitMap> {
        let stored = sqlx::query("SELECT code, bit FROM service_bits")
            .fetch_all(&mut *self.inner)
            .await?;
        let mut pairs = Vec::with_capacity(stored.len());
        for row in &stored {
            let code: String = row.try_get("code")?;
            if let Some((_, bit)) = bits.iter().find(|(c, _)| *c == code) {
                pairs.push((row.try_get("bit")?, *bit));
            }
        }
        Ok(BitMap(pairs))
    }

    /// `served` for any period, from its services.
    pub(crate) async fn served_by_day(
        &mut self,
        from: &str,
        to: &str,
        year_from: &str,
        bits: &[(&str, i64)],
        within: Within<'_>,
    ) -> Result<Vec<ServedRow>> {
        // Each service's code becomes its bit in one CASE, bound like everything else (a table
        // of the codes to join cost SQLite a scan of it for every service). The first service
        // ever is kept on the client; the first of the year is the first of the period when the
        // period starts the year, and needs a look only for the others served before it. No two
        // people at scale share all of these facts, so grouping alike ones here costs more than
        // it saves: each comes as a row of one.
        let bit_of: String = (0..bits.len())
            .map(|i| format!(" WHEN ${} THEN ${}", 4 + 2 * i, 5 + 2 * i))
            .collect();
        let first_in_year = "CASE WHEN c.first_served_on >= $3 THEN c.first_served_on \
             WHEN $1 = $3 THEN p.first_in_period \
             ELSE (SELECT MIN(f.delivered_on) FROM services f \
               WHERE f.client_id = p.client_id AND f.delivered_on >= $3) END";
        let sql = format!(
            "WITH per_client AS ( \
               SELECT s.client_id, MIN(s.delivered_on) AS first_in_period, \
                 CAST(COALESCE(SUM(DISTINCT CASE s.code{bit_of} END), 0) AS BIGINT) AS mask \
               FROM services s \
               WHERE s.delivered_on >= $1 AND s.delivered_on <= $2{} \
               GROUP BY s.client_id) \
             SELECT {} AS people FROM ( \
               SELECT {}, p.mask \
               FROM per_client p JOIN clients c ON c.id = p.client_id) s",
            within.condition("s.client_id", 4 + 2 * bits.len()),
            self.dialect.pairs_as_text("s.facts", "s.mask"),
            facts("c.profile_id", "c.first_served_on", first_in_year, "$1"),
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from.to_owned())
            .bind(to.to_owned())
            .bind(year_from.to_owned());
        for (code, bit) in bits {
            query = query.bind((*code).to_owned()).bind(*bit);
        }
        let people = self.people(within, query).await?;
        Ok(served(&people, |mask| mask))
    }
}

/// The pairs of integers in `text`, as `Dialect::pairs_as_text` joins them.
fn pairs(text: &str) -> Result<Vec<(i64, i64)>> {
    let corrupt = || crate::StoreError::Corrupt("a report's people");
    text.split(',')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (a, b) = pair.split_once(' ').ok_or_else(corrupt)?;
            Ok((
                a.parse().map_err(|_| corrupt())?,
                b.parse().map_err(|_| corrupt())?,
            ))
        })
        .collect()
}

/// A person served as one number, their profile's (`profile`) with two facts of the period packed
/// in below it (`facts` & 2: their first service ever, `first_ever`, was on or after the period's
/// first day `from`; & 1: so was their first of the fiscal year, `first_in_year`): a report reads
/// a million people, and the driver costs about as much for each value of a row as for the rest
/// of it.
fn facts(profile: &str, first_ever: &str, first_in_year: &str, from: &str) -> String {
    format!(
        "{profile} * 4 + CASE WHEN {first_ever} >= {from} THEN 2 ELSE 0 END \
           + CASE WHEN {first_in_year} >= {from} THEN 1 ELSE 0 END AS facts"
    )
}

/// The people served, from their facts and masks, each mask read by `mask`.
fn served(people: &[(i64, i64)], mask: impl Fn(i64) -> i64) -> Vec<ServedRow> {
    people
        .iter()
        .map(|&(facts, stored)| ServedRow {
            profile: facts >> 2,
            new_client: facts & 2 != 0,
            new_this_year: facts & 1 != 0,
            mask: mask(stored),
        })
        .collect()
}

/// Stored bits, each with the bit it stands for in a caller's masks.
struct BitMap(Vec<(i64, i64)>);

impl BitMap {
    fn translate(&self, stored: i64) -> i64 {
        self.0
            .iter()
            .filter(|(from, _)| stored & from != 0)
            .map(|(_, to)| to)
            .sum()
    }
}

fn who(row: &AnyRow) -> Result<WhoRow> {
    Ok(WhoRow {
        gender: row.try_get("gender")?,
        age_band: row.try_get("age_band")?,
        trafficking_type: row.try_get("trafficking_type")?,
        citizenship: row.try_get("citizenship")?,
        referral_source: row.try_get("referral_source")?,
        age_at_intake: row.try_get("age_at_intake")?,
    })
}

impl Reads {
    /// Entries into a program from `from` to `to` (days, both included): cases opened (not one
    /// continuing a case moved from another program), and cases re-opened (a closure not taken
    /// back), each with its client's profile; alike ones as one row, with how many.
    pub async fn entered(
        &mut self,
        from: &str,
        to: &str,
        within: Within<'_>,
    ) -> Result<Vec<EnteredRow>> {
        let condition = within.condition("e.client_id", 3);
        // Grouped by numbers, the sort is cheap, and a few thousand rows cross instead of a
        // row an entry; each entry carries its client's profile, so no client is looked up.
        let sql = format!(
            "SELECT e.profile_id, e.reopened, COUNT(*) AS count FROM ( \
               SELECT client_id, profile_id, 0 AS reopened FROM cases \
                 WHERE opened_on >= $1 AND opened_on <= $2 AND transferred_from IS NULL \
               UNION ALL \
               SELECT client_id, profile_id, 1 AS reopened FROM case_closures \
                 WHERE reopened_on >= $1 AND reopened_on <= $2 \
             ) e \
             WHERE 1 = 1{condition} \
             GROUP BY e.profile_id, e.reopened"
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from.to_owned())
                .bind(to.to_owned()),
            |row| {
                Ok(EnteredRow {
                    profile: row.try_get("profile_id")?,
                    reopened: row.try_get::<i32, _>("reopened")? == 1,
                    count: row.try_get("count")?,
                })
            },
        )
        .await
    }

    /// Cases closed from `from` to `to`, with their coded reason and their client's profile;
    /// alike ones as one row, with how many.
    pub async fn exited(
        &mut self,
        from: &str,
        to: &str,
        within: Within<'_>,
    ) -> Result<Vec<ExitedRow>> {
        let condition = within.condition("k.client_id", 3);
        let sql = format!(
            "SELECT k.profile_id, k.reason, COUNT(*) AS count FROM case_closures k \
             WHERE k.closed_on >= $1 AND k.closed_on <= $2{condition} \
             GROUP BY k.profile_id, k.reason"
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from.to_owned())
                .bind(to.to_owned()),
            |row| {
                Ok(ExitedRow {
                    profile: row.try_get("profile_id")?,
                    reason: row.try_get("reason")?,
                    count: row.try_get("count")?,
                })
            },
        )
        .await
    }
}
