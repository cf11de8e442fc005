//! What the dashboard counts besides the people served (`reports.rs`): the period's screenings,
//! determinations, referrals and outcome scores, as their coded columns only, counted by the database. Nothing
//! sealed is read.

use sqlx::Row;

use super::Reads;
use super::reports::Within;
use crate::Result;
use crate::rows::{CodeCount, DaysCount, FirstServiceRow, MetCount, NeedLevelRow, ScoreChangeRow};

/// A whole day, in the milliseconds timestamps are stored in.
const DAY_MILLIS: i64 = 86_400_000;

impl Reads {
    /// Screenings recorded from `from` (included) to `to` (excluded), in milliseconds, by result.
    pub async fn screened(
        &mut self,
        from: i64,
        to: i64,
        within: Within<'_>,
    ) -> Result<Vec<CodeCount>> {
        let sql = format!(
            "SELECT result AS code, COUNT(*) AS count FROM screenings \
             WHERE created_at >= $1 AND created_at < $2{} GROUP BY result",
            within.condition("client_id", 3)
        );
        self.code_counts(sql, (from, to), within).await
    }

    /// Each client's latest determination recorded from `from` (included) to `to` (excluded), in
    /// milliseconds: how many people's facts met each legal definition on the day, and how many
    /// met none. Determinations recorded before outcomes were kept, and erased ones, count for
    /// nothing.
    pub async fn determined(
        &mut self,
        from: i64,
        to: i64,
        within: Within<'_>,
    ) -> Result<Vec<MetCount>> {
        let sql = format!(
            "WITH ranked AS ( \
               SELECT id, ROW_NUMBER() OVER (PARTITION BY client_id \
                 ORDER BY created_at DESC, id DESC) AS n \
               FROM determinations WHERE created_at >= $1 AND created_at < $2{}), \
             decided AS ( \
               SELECT o.determination_id, o.rule_id, o.outcome \
               FROM ranked r JOIN determination_outcomes o ON o.determination_id = r.id \
               WHERE r.n = 1 AND o.outcome IS NOT NULL) \
             SELECT rule_id AS rule, COUNT(*) AS people FROM decided WHERE outcome = 'met' \
             GROUP BY rule_id \
             UNION ALL \
             SELECT NULL, COUNT(DISTINCT d.determination_id) FROM decided d \
             WHERE NOT EXISTS (SELECT 1 FROM decided m \
               WHERE m.determination_id = d.determination_id AND m.outcome = 'met')",
            within.condition("client_id", 3)
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to),
            |row| {
                Ok(MetCount {
                    rule: row.try_get("rule")?,
                    people: row.try_get("people")?,
                })
            },
        )
        .await
    }

    /// Referrals drafted from `from` (included) to `to` (excluded), in milliseconds, by the
    /// status each has now.
    pub async fn referred(
        &mut self,
        from: i64,
        to: i64,
        within: Within<'_>,
    ) -> Result<Vec<CodeCount>> {
        let sql = format!(
            "SELECT status AS code, COUNT(*) AS count FROM referrals \
             WHERE created_at >= $1 AND created_at < $2{} GROUP BY status",
            within.condition("client_id", 3)
        );
        self.code_counts(sql, (from, to), within).await
    }

    async fn code_counts(
        &mut self,
        sql: String,
        (from, to): (i64, i64),
        within: Within<'_>,
    ) -> Result<Vec<CodeCount>> {
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from).bind(to),
            |row| {
                Ok(CodeCount {
                    code: row.try_get("code")?,
                    count: row.try_get("count")?,
                })
            },
        )
        .await
    }

    /// Referrals first sent from `from` (included) to `to` (excluded), in milliseconds, by the
    /// whole days until they were first accepted (none: not accepted).
    pub async fn days_to_accept(
        &mut self,
        from: i64,
        to: i64,
        within: Within<'_>,
    ) -> Result<Vec<DaysCount>> {
        let sql = format!(
            "WITH sent AS (SELECT referral_id, client_id, MIN(at) AS at FROM referral_steps \
                 WHERE status = 'sent' GROUP BY referral_id, client_id), \
               accepted AS (SELECT referral_id, MIN(at) AS at FROM referral_steps \
                 WHERE status = 'accepted' GROUP BY referral_id) \
             SELECT (a.at - s.at) / $3 AS days, COUNT(*) AS count \
             FROM sent s LEFT JOIN accepted a ON a.referral_id = s.referral_id \
             WHERE s.at >= $1 AND s.at < $2{} \
             GROUP BY days",
            within.condition("s.client_id", 4)
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from)
                .bind(to)
                .bind(DAY_MILLIS),
            |row| {
                Ok(DaysCount {
                    days: row.try_get("days")?,
                    count: row.try_get("count")?,
                })
            },
        )
        .await
    }

    /// For each person and outcome domain whose latest score (1 to 5) was given from `from` to
    /// `to` (days, `YYYY-MM-DD`, both included) after an earlier one: their first and latest
    /// scores; alike ones as one row, with how many people.
    pub async fn score_changes(
        &mut self,
        from: &str,
        to: &str,
        within: Within<'_>,
    ) -> Result<Vec<ScoreChangeRow>> {
        let sql = format!(
            "WITH scored AS ( \
               SELECT s.client_id, s.domain, s.score, a.assessed_on, \
                 ROW_NUMBER() OVER (PARTITION BY s.client_id, s.domain \
                   ORDER BY a.assessed_on, a.created_at, a.id) AS from_first, \
                 ROW_NUMBER() OVER (PARTITION BY s.client_id, s.domain \
                   ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC) AS from_latest \
               FROM outcome_scores s JOIN outcome_assessments a ON a.id = s.assessment_id \
               WHERE s.score IN ('1', '2', '3', '4', '5') AND a.assessed_on <= $2{}) \
             SELECT f.domain, f.score AS first_score, l.score AS latest_score, \
               COUNT(*) AS people \
             FROM scored f JOIN scored l ON l.client_id = f.client_id AND l.domain = f.domain \
             WHERE f.from_first = 1 AND l.from_latest = 1 AND l.from_first > 1 \
               AND l.assessed_on >= $1 \
             GROUP BY f.domain, f.score, l.score",
            within.condition("s.client_id", 3)
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from.to_owned())
                .bind(to.to_owned()),
            |row| {
                Ok(ScoreChangeRow {
                    domain: row.try_get("domain")?,
                    first: row.try_get("first_score")?,
                    latest: row.try_get("latest_score")?,
                    people: row.try_get("people")?,
                })
            },
        )
        .await
    }

    /// For the people served from `from` to `to` (days, `YYYY-MM-DD`, both included): in each
    /// need domain they were asked about, the level of their latest answer given by `to` (none,
    /// some or urgent; an answer not given is left out), with how many people.
    pub async fn needs_of_served(
        &mut self,
        from: &str,
        to: &str,
        within: Within<'_>,
    ) -> Result<Vec<NeedLevelRow>> {
        let sql = format!(
            "WITH answered AS ( \
                 SELECT n.client_id, n.domain, n.level, \
                   ROW_NUMBER() OVER (PARTITION BY n.client_id, n.domain \
                     ORDER BY a.assessed_on DESC, a.created_at DESC, a.id DESC) AS from_latest \
                 FROM need_answers n JOIN need_assessments a ON a.id = n.assessment_id \
                 WHERE a.assessed_on <= $2 AND n.level IN ('none', 'some', 'urgent')) \
             SELECT n.domain, n.level, COUNT(*) AS people \
             FROM answered n \
             WHERE n.from_latest = 1 AND EXISTS (SELECT 1 FROM services s \
               WHERE s.client_id = n.client_id AND s.delivered_on >= $1 \
                 AND s.delivered_on <= $2){} \
             GROUP BY n.domain, n.level",
            within.condition("n.client_id", 3)
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from.to_owned())
                .bind(to.to_owned()),
            |row| {
                Ok(NeedLevelRow {
                    domain: row.try_get("domain")?,
                    level: row.try_get("level")?,
                    people: row.try_get("people")?,
                })
            },
        )
        .await
    }

    /// The people whose first service ever was from `from` to `to` (days, `YYYY-MM-DD`, both
    /// included), by the whole days they waited for it from their first contact: the first
    /// contact that reached them, or their record's making if that came first.
    pub async fn first_services(
        &mut self,
        from: &str,
        to: &str,
        within: Within<'_>,
    ) -> Result<Vec<FirstServiceRow>> {
        // Counted by the wait, a few hundred rows cross instead of a row a person.
        let sql = format!(
            "WITH firsts AS ( \
               SELECT {} AS day, k.created_at, \
                 (SELECT MIN(c.occurred_at) FROM contacts c \
                   WHERE c.client_id = k.id AND c.reached = 1) AS reached_at \
               FROM clients k \
               WHERE k.first_served_on >= $1 AND k.first_served_on <= $2{}) \
             SELECT day - (CASE WHEN reached_at IS NULL OR reached_at > created_at \
                 THEN created_at ELSE reached_at END) / $3 AS wait, \
               COUNT(*) AS people \
             FROM firsts \
             GROUP BY wait",
            self.dialect.days_since_1970("k.first_served_on"),
            within.condition("k.id", 4)
        );
        self.rows(
            within,
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(from.to_owned())
                .bind(to.to_owned())
                .bind(DAY_MILLIS),
            |row| {
                Ok(FirstServiceRow {
                    days: row.try_get("wait")?,
                    people: row.try_get("people")?,
                })
            },
        )
        .await
    }
}
