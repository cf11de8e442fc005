//! A client's service plan: one row saying when its next review is due, its goals, the steps
//! towards them and its reviews. Nothing is deleted; a status changes, with its day.

use domain::{ClientId, GoalId, PlanStepId, Timestamp, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use super::caseload::Caseload;
use super::{Reads, Tx, parsed, prefixed, ts};
use crate::Result;
use crate::rows::{GoalRow, PlanReviewRow, PlanRows, PlanStepRow, ServicePlanRow};

const GOAL_COLUMNS: &str =
    "id, client_id, author, created_at, set_on, need, words, status, status_on";
const STEP_COLUMNS: &str = "id, goal_id, client_id, author, created_at, words, owner, partner_id, \
     target_on, status, status_at";
pub(super) const REVIEW_COLUMNS: &str =
    "id, client_id, author, created_at, reviewed_on, next_review_on, note";

fn plan(row: &AnyRow) -> Result<ServicePlanRow> {
    Ok(ServicePlanRow {
        client_id: parsed(row, "client_id")?,
        started_on: row.try_get("started_on")?,
        review_due_on: row.try_get("review_due_on")?,
    })
}

fn goal(row: &AnyRow) -> Result<GoalRow> {
    Ok(GoalRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        set_on: row.try_get("set_on")?,
        need: row.try_get("need")?,
        words: row.try_get("words")?,
        status: row.try_get("status")?,
        status_on: row.try_get("status_on")?,
    })
}

pub(super) fn step(row: &AnyRow) -> Result<PlanStepRow> {
    let partner: Option<String> = row.try_get("partner_id")?;
    Ok(PlanStepRow {
        id: parsed(row, "id")?,
        goal_id: parsed(row, "goal_id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        words: row.try_get("words")?,
        owner: row.try_get("owner")?,
        partner_id: partner
            .map(|id| id.parse())
            .transpose()
            .map_err(|_| crate::StoreError::Corrupt("a step's partner"))?,
        target_on: row.try_get("target_on")?,
        status: row.try_get("status")?,
        status_at: ts(row, "status_at")?,
    })
}

pub(super) fn review(row: &AnyRow) -> Result<PlanReviewRow> {
    Ok(PlanReviewRow {
        id: parsed(row, "id")?,
        client_id: parsed(row, "client_id")?,
        author: row.try_get("author")?,
        created_at: ts(row, "created_at")?,
        reviewed_on: row.try_get("reviewed_on")?,
        next_review_on: row.try_get("next_review_on")?,
        note: row.try_get("note")?,
    })
}

impl Tx {
    /// Starts the client's plan on `plan.started_on`, first review due `plan.review_due_on`,
    /// unless they have one already (a second goal leaves the plan's days as they are).
    pub async fn start_plan(&mut self, plan: &ServicePlanRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO service_plans (client_id, started_on, review_due_on) VALUES ($1, $2, $3) \
             ON CONFLICT (client_id) DO NOTHING",
        )
        .bind(plan.client_id.to_string())
        .bind(&plan.started_on)
        .bind(&plan.review_due_on)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_goal(&mut self, row: &GoalRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO plan_goals (id, client_id, author, created_at, set_on, need, words, \
             status, status_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.set_on)
        .bind(row.need.clone())
        .bind(row.words.clone())
        .bind(&row.status)
        .bind(&row.status_on)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_plan_step(&mut self, row: &PlanStepRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO plan_steps (id, goal_id, client_id, author, created_at, words, owner, \
             partner_id, target_on, status, status_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(row.id.to_string())
        .bind(row.goal_id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(row.words.clone())
        .bind(&row.owner)
        .bind(row.partner_id.map(|id| id.to_string()))
        .bind(&row.target_on)
        .bind(&row.status)
        .bind(row.status_at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records where one of the client's steps stands now.
    pub async fn set_step_status(
        &mut self,
        client: ClientId,
        step: PlanStepId,
        status: &str,
        at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE plan_steps SET status = $3, status_at = $4 WHERE client_id = $1 AND id = $2",
        )
        .bind(client.to_string())
        .bind(step.to_string())
        .bind(status)
        .bind(at.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records where one of the client's goals stands since `on`.
    pub async fn set_goal_status(
        &mut self,
        client: ClientId,
        goal: GoalId,
        status: &str,
        on: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE plan_goals SET status = $3, status_on = $4 WHERE client_id = $1 AND id = $2",
        )
        .bind(client.to_string())
        .bind(goal.to_string())
        .bind(status)
        .bind(on)
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Records a review, and that the plan's next one is due when it says.
    pub async fn insert_plan_review(&mut self, row: &PlanReviewRow) -> Result<()> {
        sqlx::query(
            "INSERT INTO plan_reviews (id, client_id, author, created_at, reviewed_on, \
             next_review_on, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(row.id.to_string())
        .bind(row.client_id.to_string())
        .bind(&row.author)
        .bind(row.created_at.unix_millis())
        .bind(&row.reviewed_on)
        .bind(&row.next_review_on)
        .bind(row.note.clone())
        .execute(&mut *self.reads.inner)
        .await?;
        sqlx::query("UPDATE service_plans SET review_due_on = $2 WHERE client_id = $1")
            .bind(row.client_id.to_string())
            .bind(&row.next_review_on)
            .execute(&mut *self.reads.inner)
            .await?;
        Ok(())
    }
}

impl Reads {
    /// The client's whole plan: its days, goals in the order set, steps by target day, reviews
    /// newest first.
    pub async fn plan_of(&mut self, client: ClientId) -> Result<PlanRows> {
        let plan = sqlx::query(
            "SELECT client_id, started_on, review_due_on FROM service_plans WHERE client_id = $1",
        )
        .bind(client.to_string())
        .fetch_optional(&mut *self.inner)
        .await?
        .as_ref()
        .map(plan)
        .transpose()?;
        let of_client = |columns: &str, table: &str, order: &str| {
            format!("SELECT {columns} FROM {table} WHERE client_id = $1 ORDER BY {order}")
        };
        let sql = of_client(GOAL_COLUMNS, "plan_goals", "set_on, created_at, id");
        let goals = self.every_row_of(sql, client, goal).await?;
        let sql = of_client(STEP_COLUMNS, "plan_steps", "target_on, created_at, id");
        let steps = self.every_row_of(sql, client, step).await?;
        let order = "reviewed_on DESC, created_at DESC, id";
        let sql = of_client(REVIEW_COLUMNS, "plan_reviews", order);
        let reviews = self.every_row_of(sql, client, review).await?;
        Ok(PlanRows {
            plan,
            goals,
            steps,
            reviews,
        })
    }

    /// The open steps of active goals in `user`'s caseload (`whose`) due on or before `through`
    /// (YYYY-MM-DD), the earliest first, at most `limit`. Erased clients' are left out.
    pub async fn plan_steps_due(
        &mut self,
        (user, whose): (UserId, Caseload),
        through: &str,
        limit: i64,
    ) -> Result<Vec<PlanStepRow>> {
        let columns = prefixed("s", STEP_COLUMNS);
        let (clients, restricted) = whose.filter();
        let sql = format!(
            "SELECT {columns} FROM plan_steps s \
             JOIN clients c ON c.id = s.client_id AND c.erased_at IS NULL {restricted} \
             JOIN plan_goals g ON g.id = s.goal_id AND g.status = 'active' \
             WHERE s.client_id IN ({clients}) AND s.status = 'open' AND s.target_on <= $2 \
             ORDER BY s.target_on, s.created_at, s.id LIMIT $3"
        );
        self.due(sql, user, through, limit, step).await
    }

    /// The plans in `user`'s caseload (`whose`) whose review is due on or before `through`, the
    /// earliest first, at most `limit`: those with a goal still worked on (a plan whose goals are
    /// all reached or set aside waits for no review). Erased clients' are left out.
    pub async fn plan_reviews_due(
        &mut self,
        (user, whose): (UserId, Caseload),
        through: &str,
        limit: i64,
    ) -> Result<Vec<ServicePlanRow>> {
        let (clients, restricted) = whose.filter();
        let sql = format!(
            "SELECT p.client_id, p.started_on, p.review_due_on FROM service_plans p \
             JOIN clients c ON c.id = p.client_id AND c.erased_at IS NULL {restricted} \
             WHERE p.client_id IN ({clients}) AND p.review_due_on <= $2 \
               AND EXISTS (SELECT 1 FROM plan_goals g \
                   WHERE g.client_id = p.client_id AND g.status = 'active') \
             ORDER BY p.review_due_on, p.client_id LIMIT $3"
        );
        self.due(sql, user, through, limit, plan).await
    }

    async fn due<T>(
        &mut self,
        sql: String,
        user: UserId,
        through: &str,
        limit: i64,
        read: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user.to_string())
            .bind(through)
            .bind(limit)
            .fetch_all(&mut *self.inner)
            .await?
            .iter()
            .map(read)
            .collect()
    }
}
