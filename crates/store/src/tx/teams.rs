//! Teams, who is on them and who leads them, and what a lead sees through them.

use std::collections::HashMap;

use domain::{TeamId, Timestamp, UserId};
use sqlx::Row;

use super::caseload::{LINE_COLUMNS, client_line};
use super::staff;
use super::{Reads, Tx, opt_parsed, parsed};
use crate::Result;
use crate::rows::{ClientLine, TeamRow, UserRow};

/// Assignments seen from the supervisors who lead a team the assigned worker is on (`a` the
/// assignment, `lead` the supervisor's membership), for a `SELECT` to put in front and `AND ...`
/// conditions to follow.
pub(super) const SUPERVISED_FROM: &str = "FROM assignments a \
     JOIN team_members member ON member.user_id = a.user_id \
     JOIN team_members lead ON lead.team_id = member.team_id AND lead.leads = 1 \
     WHERE lead.user_id <> a.user_id";

impl Tx {
    /// Makes a team; `false` when the name is taken.
    pub async fn create_team(&mut self, id: TeamId, name: &str, now: Timestamp) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO teams (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(name)
        .bind(now.unix_millis())
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Puts someone on a team, as a member or as one who leads it (replacing what they were).
    pub async fn put_team_member(&mut self, team: TeamId, user: UserId, leads: bool) -> Result<()> {
        sqlx::query(
            "INSERT INTO team_members (team_id, user_id, leads) VALUES ($1, $2, $3) \
             ON CONFLICT (team_id, user_id) DO UPDATE SET leads = excluded.leads",
        )
        .bind(team.to_string())
        .bind(user.to_string())
        .bind(i64::from(leads))
        .execute(&mut *self.reads.inner)
        .await?;
        Ok(())
    }

    /// Takes someone off a team; whether they were on it.
    pub async fn remove_team_member(&mut self, team: TeamId, user: UserId) -> Result<bool> {
        self.delete_pair(
            "DELETE FROM team_members WHERE team_id = $1 AND user_id = $2",
            team.to_string(),
            user.to_string(),
        )
        .await
    }
}

impl Reads {
    /// The leads of the teams each of `members` is on, leaving out the member themselves.
    pub async fn team_leads_of(
        &mut self,
        members: &[UserId],
    ) -> Result<HashMap<UserId, Vec<UserId>>> {
        let mut leads: HashMap<UserId, Vec<UserId>> = HashMap::new();
        if members.is_empty() {
            return Ok(leads);
        }
        let sql = format!(
            "SELECT member.user_id AS member, lead.user_id AS lead FROM team_members member \
             JOIN team_members lead ON lead.team_id = member.team_id AND lead.leads = 1 \
             WHERE member.user_id IN ({}) AND lead.user_id <> member.user_id",
            self.dialect.each_of("$1")
        );
        for row in sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::json_list(members))
            .fetch_all(&mut *self.inner)
            .await?
        {
            leads
                .entry(parsed(&row, "member")?)
                .or_default()
                .push(parsed(&row, "lead")?);
        }
        Ok(leads)
    }

    /// Every team with its members (user, whether they lead it), by team name then username.
    pub async fn teams(&mut self) -> Result<Vec<TeamRow>> {
        let rows = sqlx::query(
            "SELECT t.id, t.name, m.user_id, m.leads FROM teams t \
             LEFT JOIN team_members m ON m.team_id = t.id \
             LEFT JOIN users u ON u.id = m.user_id ORDER BY t.name, u.username",
        )
        .fetch_all(&mut *self.inner)
        .await?;
        let mut teams: Vec<TeamRow> = Vec::new();
        for row in &rows {
            let id: TeamId = parsed(row, "id")?;
            if teams.last().is_none_or(|t| t.id != id) {
                teams.push(TeamRow {
                    id,
                    name: row.try_get("name")?,
                    members: Vec::new(),
                });
            }
            let member: Option<UserId> = opt_parsed(row, "user_id")?;
            if let (Some(team), Some(member)) = (teams.last_mut(), member) {
                team.members
                    .push((member, row.try_get::<i64, _>("leads")? == 1));
            }
        }
        Ok(teams)
    }

    /// The members of the teams `user` leads (not `user`), each once, by username.
    pub async fn led_members(&mut self, user: UserId) -> Result<Vec<UserRow>> {
        sqlx::query(
            "SELECT DISTINCT u.* FROM team_members lead \
             JOIN team_members member ON member.team_id = lead.team_id \
             JOIN users u ON u.id = member.user_id \
             WHERE lead.user_id = $1 AND lead.leads = 1 AND member.user_id <> $1 ORDER BY u.username",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(staff::user)
        .collect()
    }

    /// The clients of the members of the teams `user` leads, with who each is assigned to, most
    /// recently assigned first, a page at a time; rows as in `caseload`.
    pub async fn team_caseload(
        &mut self,
        user: UserId,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(ClientLine, UserId)>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {LINE_COLUMNS}, supervised.user_id AS worker FROM \
             (SELECT DISTINCT a.client_id, a.user_id, a.assigned_at {SUPERVISED_FROM} \
              AND lead.user_id = $1) AS supervised \
             JOIN clients c ON c.id = supervised.client_id \
             WHERE c.erased_at IS NULL AND c.restricted = 0 \
             ORDER BY supervised.assigned_at DESC, c.id DESC, supervised.user_id LIMIT $2 OFFSET $3"
        )))
        .bind(user.to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&mut *self.inner)
        .await?
        .iter()
        .map(|row| Ok((client_line(row)?, parsed(row, "worker")?)))
        .collect()
    }
}
