//! Services delivered to a client, newest first by the day each was given.

use domain::ClientId;
use domain::fiscal::Span;
use sqlx::Row;
use sqlx::any::AnyRow;

use super::together::{Plan, Value};
use super::{Reads, Tx, parsed, ts};
use crate::rows::ServiceRow;
use crate::{Result, StoreError};

/// Newest first by the day each was given, the latest recorded first within a day.
const ORDER: &str = "delivered_on DESC, created_at DESC, id";

pub(super) const COLUMNS: &str =
    "id, client_id, author, created_at, delivered_on, code, mode, minutes, units, note";

pub(super) fn service(row: &AnyRow) -> Result<ServiceRow> {
    Ok(ServiceRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        delivered_on: row.try_get("delivered_on")?,
        code: row.try_get("code")?,
        mode: row.try_get("mode")?,
        minutes: row.try_get("minutes")?,
        units: row.try_get("units")?,
        note: row.try_get("note")?,
    })
}

/// A service's own row, from the values of `service_values`.
const INSERT_SERVICE: &str = "INSERT INTO services (id, client_id, author, created_at, \
     delivered_on, code, mode, minutes, units, note) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// A new row of `served_periods` after its span and first day: the client, the type's bit, the
/// day, the client's profile and first service, and the year's first day: the earlier of the
/// year's row as it stood and this service's day.
macro_rules! new_sum {
    () => {
        "$2, (SELECT bit FROM service_bits WHERE code = $6), $5, \
         (SELECT profile_id FROM clients WHERE id = $2), \
         (SELECT first_served_on FROM clients WHERE id = $2), \
         COALESCE((SELECT CASE WHEN y.first_on < $5 THEN y.first_on END FROM served_periods y \
           WHERE y.span = $13 AND y.starts_on = $14 AND y.client_id = $2), $5)"
    };
}

/// What the reports count of a service, as it is recorded (`service_values`, then the fiscal
/// quarter's and year's first days as `$11` to `$14` and the year's last day as `$15`):
const COUNT_SERVICE: [&str; 4] = [
    // the client's first service ever (the reports' "new in the period of their first service"
    // reads this, not the services);
    "UPDATE clients SET first_served_on = $5 \
     WHERE id = $2 AND (first_served_on IS NULL OR first_served_on > $5)",
    // its type's bit and day in its quarter's and year's sums (`served_periods`). A type without a
    // bit is refused by the table (its bit would be null), never left out of the counts unseen;
    concat!(
        "INSERT INTO served_periods (span, starts_on, client_id, mask, first_on, profile_id, \
           first_ever_on, year_first_on) \
         VALUES ($11, $12, ",
        new_sum!(),
        "), ($13, $14, ",
        new_sum!(),
        ") ON CONFLICT (span, starts_on, client_id) DO UPDATE SET \
           mask = served_periods.mask | excluded.mask, \
           first_on = CASE WHEN excluded.first_on < served_periods.first_on \
             THEN excluded.first_on ELSE served_periods.first_on END, \
           first_ever_on = excluded.first_ever_on, \
           year_first_on = CASE WHEN excluded.year_first_on < served_periods.year_first_on \
             THEN excluded.year_first_on ELSE served_periods.year_first_on END"
    ),
    // the year's other quarters learn of an earlier first day in it;
    "UPDATE served_periods SET year_first_on = $5 \
     WHERE client_id = $2 AND starts_on >= $14 AND starts_on <= $15 AND year_first_on > $5",
    // and every span of the client of an earlier first service ever (none, unless this is it).
    "UPDATE served_periods SET first_ever_on = $5 WHERE client_id = $2 AND first_ever_on > $5",
];

/// A service's row as the values `INSERT_SERVICE` names.
fn service_values(row: &ServiceRow) -> Vec<Value> {
    vec![
        Value::Text(row.id.to_string()),
        Value::Text(row.client_id.to_string()),
        Value::Text(row.author.clone()),
        Value::Int(row.created_at.unix_millis()),
        Value::Text(row.delivered_on.clone()),
        Value::Text(row.code.clone()),
        Value::Text(row.mode.clone()),
        Value::MaybeInt(row.minutes),
        Value::MaybeInt(row.units),
        Value::MaybeBlob(row.note.clone()),
    ]
}

impl Plan {
    /// Recording a service and counting it for the reports (`Tx::insert_service`), planned.
    pub fn service(row: &ServiceRow) -> Result<Plan> {
        let day = domain::case::parse_date("delivered_on", &row.delivered_on)
            .map_err(|_| StoreError::Refused("a service's day is not a date"))?;
        let start = |span: Span| Value::Text(domain::case::format_date(span.start(day)));
        let year_end = Span::Year.end(Span::Year.start(day));
        let mut values = service_values(row);
        values.extend([
            Value::Text(Span::Quarter.as_str().to_owned()),
            start(Span::Quarter),
            Value::Text(Span::Year.as_str().to_owned()),
            start(Span::Year),
            Value::Text(domain::case::format_date(year_end)),
        ]);
        let mut statements = vec![INSERT_SERVICE];
        statements.extend(COUNT_SERVICE);
        Ok(Plan { statements, values })
    }
}

impl Tx {
    /// Records a service and counts it for the reports, in one hand-over to SQLite
    /// (`run_together`).
    pub async fn insert_service(&mut self, row: &ServiceRow) -> Result<()> {
        Plan::service(row)?.run(self).await
    }

    /// The service's own row, nothing counted of it.
    async fn insert_service_row(&mut self, row: &ServiceRow) -> Result<()> {
        self.run_together(&[INSERT_SERVICE], &service_values(row))
            .await
    }
}

impl Tx {
    /// Records many services at once (the bulk load): each as `insert_service` would, then the
    /// sums, first days and profile copies the reports read of their clients counted again from
    /// all of those clients' services, in three statements instead of four a service. A type
    /// without a bit is refused, as there.
    pub async fn insert_services_then_recount(&mut self, rows: &[ServiceRow]) -> Result<()> {
        for row in rows {
            self.insert_service_row(row).await?;
        }
        let mut clients: Vec<String> = rows.iter().map(|r| r.client_id.to_string()).collect();
        clients.sort_unstable();
        clients.dedup();
        let clients = crate::json_list(clients);
        let each = self.dialect.each_of("$1");
        for sql in [
            format!(
                "UPDATE clients SET first_served_on = \
                   (SELECT MIN(s.delivered_on) FROM services s WHERE s.client_id = clients.id) \
                 WHERE id IN ({each})"
            ),
            format!("DELETE FROM served_periods WHERE client_id IN ({each})"),
            recount(&each),
        ] {
            // Built from constants, never from input.
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&clients)
                .execute(&mut *self.reads.inner)
                .await?;
        }
        Ok(())
    }
}

/// The statement that counts the sums of `served_periods` from the services `s` of the clients
/// `clients` (a subquery) as recording them one by one keeps them: a fiscal year starts on 1
/// October, its quarters are the calendar's; a mask is null (refused) if a code has no bit.
fn recount(clients: &str) -> String {
    format!(
        "INSERT INTO served_periods (span, starts_on, client_id, mask, first_on, profile_id, \
           first_ever_on, year_first_on) \
         SELECT served.span, served.starts_on, served.client_id, \
           CASE WHEN COUNT(served.bit) < COUNT(*) THEN NULL ELSE SUM(DISTINCT served.bit) END, \
           MIN(served.delivered_on), MIN(c.profile_id), MIN(c.first_served_on), \
           MIN(MIN(served.delivered_on)) OVER (PARTITION BY served.client_id, served.year_from) \
         FROM ( \
           SELECT q.span, \
             CASE WHEN q.span = 'quarter' THEN substr(q.delivered_on, 1, 5) || CASE \
                 WHEN substr(q.delivered_on, 6, 2) < '04' THEN '01-01' \
                 WHEN substr(q.delivered_on, 6, 2) < '07' THEN '04-01' \
                 WHEN substr(q.delivered_on, 6, 2) < '10' THEN '07-01' \
                 ELSE '10-01' END \
               ELSE q.year_from END AS starts_on, \
             q.client_id, q.bit, q.delivered_on, q.year_from \
           FROM ( \
             SELECT k.span, s.client_id, b.bit, s.delivered_on, \
               CAST(CAST(substr(s.delivered_on, 1, 4) AS INTEGER) \
                 - CASE WHEN substr(s.delivered_on, 6, 2) < '10' THEN 1 ELSE 0 END AS TEXT) \
                 || '-10-01' AS year_from \
             FROM services s LEFT JOIN service_bits b ON b.code = s.code \
             CROSS JOIN (SELECT 'quarter' AS span UNION ALL SELECT 'year') k \
             WHERE s.client_id IN ({clients})) q) served \
         JOIN clients c ON c.id = served.client_id \
         GROUP BY served.span, served.starts_on, served.client_id, served.year_from"
    )
}

impl Reads {
    /// A page of a client's services, newest first by the day each was given (the latest
    /// recorded first within a day): at most `limit`, after skipping `offset`.
    pub async fn services_page(
        &mut self,
        client_id: ClientId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<ServiceRow>> {
        let table = ("services", COLUMNS);
        self.page_of(table, ORDER, client_id, (limit, offset), service)
            .await
    }
}
