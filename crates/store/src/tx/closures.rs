//! A case's closures and re-openings, the follow-ups made after a closure, and what is due in a
//! caseload (the follow-ups and six-month reviews, as coded facts and days).

use domain::{CaseId, ClientId, ClosureId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::{Caseload, Reads, Tx, opt_ts, parsed, ts};
use crate::Result;
use crate::rows::{ClosureRow, DueRows, FollowUpRow, Reopening};

pub(super) const CLOSURE_COLUMNS: &str = "id, client_id, case_id, closed_on, reason, note, follow_up, \
     reach_method, reach_how, closed_by, created_at, reopened_on, reopened_by, reopened_at, \
     withdrawn_by, withdrawn_at";

const FOLLOW_UP_COLUMNS: &str =
    "id, client_id, closure_id, at, reached, contact_id, author, created_at";

pub(super) fn closure(row: &AnyRow) -> Result<ClosureRow> {
    let reopened_on: Option<String> = row.try_get("reopened_on")?;
    let reopened = match (reopened_on, opt_ts(row, "reopened_at")?) {
        (Some(on), Some(at)) => Some(Reopening {
            on,
            by: row
                .try_get::<Option<String>, _>("reopened_by")?
                .unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    let withdrawn_by: Option<String> = row.try_get("withdrawn_by")?;
    Ok(ClosureRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        case_id: parsed(row, "case_id")?,
        closed_on: row.try_get("closed_on")?,
        reason: row.try_get("reason")?,
        note: row.try_get("note")?,
        follow_up: row.try_get("follow_up")?,
        reach_method: row.try_get("reach_method")?,
        reach_how: row.try_get("reach_how")?,
        closed_by: row.try_get("closed_by")?,
        created_at: ts(row, "created_at")?,
        reopened,
        withdrawn: withdrawn_by.zip(opt_ts(row, "withdrawn_at")?),
    })
}

fn follow_up(row: &AnyRow) -> Result<FollowUpRow> {
    Ok(FollowUpRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        closure_id: parsed(row, "closure_id")?,
        at: row.try_get("at")?,
        reached: row.try_get::<i64, _>("reached")? == 1,
        contact_id: parsed(row, "contact_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
    })
}

impl Tx {
    /// Records a closure of a case, as it stands (the case's own `closed_on` is set apart, by
    /// `close_case`).
    pub async fn insert_closure(&mut self, row: &ClosureRow) -> Result<()> {
        let reopened = row.reopened.as_ref();
        let withdrawn = row.withdrawn.as_ref();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO case_closures ({CLOSURE_COLUMNS}, profile_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
               (SELECT profile_id FROM clients WHERE id = $2))"
        )))
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.case_id.to_string())
        .bind(&row.closed_on)
        .bind(&row.reason)
        .bind(row.note.clone())
        .bind(&row.follow_up)
        .bind(row.reach_method.clone())
        .bind(row.reach_how.clone())
        .bind(&row.closed_by)
        .bind(row.created_at.unix_millis())
        .bind(reopened.map(|r| r.on.clone()))
        .bind(reopened.map(|r| r.by.clone()))
        .bind(reopened.map(|r| r.at.unix_millis()))
        .bind(withdrawn.map(|(by, _)| by.clone()))
        .bind(withdrawn.map(|(_, at)| at.unix_millis()))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Re-opens a closed case of a client: the case is open again, and its latest closure (if
    /// it has one) records the re-opening. Whether there was such a closed case.
    pub async fn reopen_case(
        &mut self,
        (client, case): (ClientId, CaseId),
        reopening: &Reopening,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE cases SET closed_on = NULL \
             WHERE id = $2 AND client_id = $1 AND closed_on IS NOT NULL",
        )
        .bind(client.to_string())
        .bind(case.to_string())
        .execute(&mut *self.reads.inner)
        .await?;
        sqlx::query(
            "UPDATE case_closures SET reopened_on = $3, reopened_by = $4, reopened_at = $5 \
             WHERE client_id = $1 AND case_id = $2 AND reopened_on IS NULL",
        )
        .bind(client.to_string())
        .bind(case.to_string())
        .bind(&reopening.on)
        .bind(&reopening.by)
        .bind(reopening.at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records that the person withdrew their consent to follow-ups after closure `closure`;
    /// whether it still stood.
    pub async fn withdraw_follow_ups(
        &mut self,
        (client, closure): (ClientId, ClosureId),
        by: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE case_closures SET withdrawn_by = $3, withdrawn_at = $4 \
             WHERE client_id = $1 AND id = $2 AND follow_up = 'yes' AND withdrawn_at IS NULL",
        )
        .bind(client.to_string())
        .bind(closure.to_string())
        .bind(by)
        .bind(at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn insert_follow_up(&mut self, row: &FollowUpRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO follow_ups (id, client_id, closure_id, at, reached, contact_id, author, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(row.closure_id.to_string())
        .bind(&row.at)
        .bind(i64::from(row.reached))
        .bind(row.contact_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }
}

impl Reads {
    /// A client's closures, the earliest first (on one day, the one recorded first).
    pub async fn closures(&mut self, client: ClientId) -> Result<Vec<ClosureRow>> {
        let sql = format!(
            "SELECT {CLOSURE_COLUMNS} FROM case_closures WHERE client_id = $1 \
             ORDER BY closed_on, created_at, id"
        );
        self.every_row_of(sql, client, closure).await
    }

    /// The follow-ups made after a client's closures, the earliest recorded first.
    pub async fn follow_ups(&mut self, client: ClientId) -> Result<Vec<FollowUpRow>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE client_id = $1 \
             ORDER BY created_at, id"
        );
        self.every_row_of(sql, client, follow_up).await
    }

    /// What may be due in `user`'s caseload (`whose`): its open cases, each client's latest
    /// six-month review, and the closures whose follow-ups go on (agreed, not withdrawn, the case
    /// not re-opened) with the follow-ups made of them. Erased clients' are left out.
    pub async fn due_rows(&mut self, (user, whose): (UserId, Caseload)) -> Result<DueRows> {
        let (clients, restricted) = whose.filter();
        let of_caseload = |table: &str| {
            format!(
                "JOIN clients c ON c.id = {table}.client_id AND c.erased_at IS NULL {restricted} \
                 WHERE {table}.client_id IN ({clients})"
            )
        };
        let mut due = DueRows::default();
        let sql = format!(
            "SELECT cases.client_id, cases.id, cases.opened_on FROM cases {} \
             AND cases.closed_on IS NULL ORDER BY cases.opened_on, cases.id",
            of_caseload("cases")
        );
        for row in self.caseload_rows(sql, user).await? {
            let case = (parsed(&row, "client_id")?, parsed(&row, "id")?);
            due.open_cases
                .push((case.0, case.1, row.try_get("opened_on")?));
        }
        let sql = format!(
            "SELECT o.client_id, MAX(o.assessed_on) AS latest FROM outcome_assessments o {} \
             AND o.point = 'six-month' GROUP BY o.client_id",
            of_caseload("o")
        );
        for row in self.caseload_rows(sql, user).await? {
            due.latest_reviews
                .push((parsed(&row, "client_id")?, row.try_get("latest")?));
        }
        let sql = format!(
            "SELECT k.client_id, k.case_id, k.id, k.closed_on FROM case_closures k {} \
             AND k.follow_up = 'yes' AND k.reopened_on IS NULL AND k.withdrawn_at IS NULL \
             ORDER BY k.closed_on, k.id",
            of_caseload("k")
        );
        for row in self.caseload_rows(sql, user).await? {
            due.closures.push((
                parsed(&row, "client_id")?,
                parsed(&row, "case_id")?,
                parsed(&row, "id")?,
                row.try_get("closed_on")?,
            ));
        }
        let sql = format!(
            "SELECT f.closure_id, f.at FROM follow_ups f {} ORDER BY f.closure_id, f.at",
            of_caseload("f")
        );
        for row in self.caseload_rows(sql, user).await? {
            due.made
                .push((parsed(&row, "closure_id")?, row.try_get("at")?));
        }
        Ok(due)
    }

    async fn caseload_rows(&mut self, sql: String, user: UserId) -> Result<Vec<AnyRow>> {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.to_string())
            .fetch_all(&mut *self.inner)
            .await?)
    }
}
