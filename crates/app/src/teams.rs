//! Teams, and the work supervisors do with them. Administrators make teams and say who is on each
//! and who leads it; a supervisor who leads a team sees its members' clients (their team caseload),
//! reads those records, and assigns the work among the team. Whom a client is assigned to is what
//! decides who may open their record (domain::policy), so every assignment is audited.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::policy::Action;
use domain::{ClientId, Role, TeamId, UserId};

use crate::access::target;
use crate::{App, AppError, Caller, ClientSummary, Purpose, Result};

/// The longest team name.
const MAX_NAME: usize = 60;

/// A team as the administration page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamView {
    pub id: TeamId,
    pub name: String,
    /// By username.
    pub members: Vec<TeamMember>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub leads: bool,
}

/// A client of someone on a team the caller leads, and who that is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamClient {
    pub client: ClientSummary,
    pub worker: String,
}

/// Who works with a client, and whom the caller could assign them to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignees {
    pub current: Vec<(UserId, String)>,
    /// The caller and the members of the teams they lead who are not assigned yet.
    pub candidates: Vec<(UserId, String)>,
}

fn team_target(team: TeamId) -> String {
    format!("team:{team}")
}

/// Roles that work with clients, and so can be on a team.
fn works_with_clients(role: Role) -> bool {
    matches!(role, Role::CaseManager | Role::Outreach | Role::Supervisor)
}

impl App {
    /// Every team with its members.
    pub async fn teams(&self, caller: &Caller) -> Result<Vec<TeamView>> {
        self.grant_role(caller, Action::ManageTeams)?;
        let mut tx = self.store().read().await?;
        let rows = tx.teams().await?;
        let users: HashMap<UserId, store::rows::UserRow> =
            tx.users().await?.into_iter().map(|u| (u.id, u)).collect();
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|team| TeamView {
                id: team.id,
                name: team.name,
                members: team
                    .members
                    .into_iter()
                    .filter_map(|(id, leads)| {
                        let user = users.get(&id)?;
                        Some(TeamMember {
                            id,
                            username: user.username.clone(),
                            role: user.role,
                            leads,
                        })
                    })
                    .collect(),
            })
            .collect())
    }

    /// Makes a team. Names are short, plain and unique.
    pub async fn create_team(&self, caller: &Caller, name: &str) -> Result<TeamId> {
        self.grant_role(caller, Action::ManageTeams)?;
        let name = name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control)
        {
            return Err(domain::InvalidInput::new(
                "name",
                "must be 1 to 60 characters, on one line",
            )
            .into());
        }
        let id = TeamId::from_random(self.entropy().bytes());
        let mut tx = self.store().write().await?;
        if !tx.create_team(id, name, self.now()).await? {
            return Err(AppError::Conflict("there is already a team of that name"));
        }
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::TeamCreate,
            Some(team_target(id)),
            "administration",
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Puts someone on a team, as a member or (supervisors only) as one who leads it.
    pub async fn put_team_member(
        &self,
        caller: &Caller,
        team: TeamId,
        user: UserId,
        leads: bool,
    ) -> Result<()> {
        self.grant_role(caller, Action::ManageTeams)?;
        let mut tx = self.store().write().await?;
        let known_team = tx.teams().await?.iter().any(|t| t.id == team);
        let Some(member) = tx.user(user).await?.filter(|_| known_team) else {
            return Err(AppError::NotFound);
        };
        if !works_with_clients(member.role) {
            return Err(AppError::Conflict(
                "only case managers, outreach workers and supervisors work in teams",
            ));
        }
        if leads && member.role != Role::Supervisor {
            return Err(AppError::Conflict("only a supervisor can lead a team"));
        }
        tx.put_team_member(team, user, leads).await?;
        self.commit_membership(tx, caller, AuditAction::TeamMemberAdd, team, user)
            .await
    }

    /// Takes someone off a team.
    pub async fn remove_team_member(
        &self,
        caller: &Caller,
        team: TeamId,
        user: UserId,
    ) -> Result<()> {
        self.grant_role(caller, Action::ManageTeams)?;
        let mut tx = self.store().write().await?;
        if !tx.remove_team_member(team, user).await? {
            return Err(AppError::NotFound);
        }
        self.commit_membership(tx, caller, AuditAction::TeamMemberRemove, team, user)
            .await
    }

    /// The clients of everyone on the teams the caller leads, most recently assigned first.
    pub async fn team_caseload(
        &self,
        caller: &Caller,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<TeamClient>> {
        self.grant_role(caller, Action::ListTeamCaseload)?;
        let (limit, offset) = (limit.clamp(1, crate::clients::MAX_PAGE), offset.max(0));
        let mut tx = self.store().write().await?;
        let rows = tx.team_caseload(caller.id, limit, offset).await?;
        let workers: Vec<UserId> = rows.iter().map(|(_, worker)| *worker).collect();
        let names = tx.usernames_of(&workers).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::TeamCaseloadList,
            None,
            Purpose::Supervision.as_str(),
        )
        .await?;
        tx.commit().await?;
        let clients: Vec<store::rows::ClientLine> = rows.iter().map(|(c, _)| c.clone()).collect();
        let summaries: HashMap<ClientId, ClientSummary> = self
            .summaries(&clients)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|(row, worker)| {
                Some(TeamClient {
                    client: summaries.get(&row.id)?.clone(),
                    worker: names.get(&worker).cloned().unwrap_or_default(),
                })
            })
            .collect())
    }

    /// Who works with a client, and whom the caller could assign them to.
    pub async fn assignees(&self, caller: &Caller, client: ClientId) -> Result<Assignees> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::AssignClient,
            )
            .await?;
        let assigned = tx.assignees(grant.client).await?;
        let names = tx.usernames_of(&assigned).await?;
        let current = assigned
            .iter()
            .filter_map(|user| Some((*user, names.get(user)?.clone())))
            .collect();
        let candidates = self
            .assignable(&mut tx, caller)
            .await?
            .into_iter()
            .filter(|(id, _)| !assigned.contains(id))
            .collect();
        tx.commit().await?;
        Ok(Assignees {
            current,
            candidates,
        })
    }

    /// The people the caller may assign work to: themselves and the active members of the teams
    /// they lead who work with clients.
    async fn assignable(
        &self,
        tx: &mut store::Tx,
        caller: &Caller,
    ) -> Result<Vec<(UserId, String)>> {
        let mut people = vec![(caller.id, caller.username.clone())];
        for user in tx.led_members(caller.id).await? {
            if user.disabled_at.is_none() && works_with_clients(user.role) {
                people.push((user.id, user.username));
            }
        }
        Ok(people)
    }

    /// Assigns a client to someone on a team the caller leads (or to the caller).
    pub async fn assign(&self, caller: &Caller, client: ClientId, worker: UserId) -> Result<()> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::AssignClient,
            )
            .await?;
        if !self
            .assignable(&mut tx, caller)
            .await?
            .iter()
            .any(|(id, _)| *id == worker)
        {
            return Err(AppError::Conflict(
                "you can assign work only to yourself and to the teams you lead",
            ));
        }
        if !tx.assignees(grant.client).await?.contains(&worker) {
            tx.assign(grant.client, worker, self.now()).await?;
        }
        let detail = format!("to user:{worker}");
        self.commit_audited(
            tx,
            caller,
            AuditAction::ClientAssign,
            target(client),
            &detail,
        )
        .await
    }

    /// Takes a client's assignment to someone away; the last one stays, so that a record is never
    /// left with nobody to look after it.
    pub async fn unassign(&self, caller: &Caller, client: ClientId, worker: UserId) -> Result<()> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::AssignClient,
            )
            .await?;
        let assigned = tx.assignees(grant.client).await?;
        if !assigned.contains(&worker) {
            return Err(AppError::NotFound);
        }
        if assigned.len() == 1 {
            return Err(AppError::Conflict(
                "someone must stay assigned: assign the client to someone else first",
            ));
        }
        tx.unassign(grant.client, worker).await?;
        let detail = format!("from user:{worker}");
        self.commit_audited(
            tx,
            caller,
            AuditAction::ClientUnassign,
            target(client),
            &detail,
        )
        .await
    }

    /// Restricts a client to the people assigned to them (not their team's lead, not in an
    /// emergency), or lifts that. A supervisor assigned to the client does it.
    pub async fn set_restricted(
        &self,
        caller: &Caller,
        client: ClientId,
        restricted: bool,
    ) -> Result<()> {
        let (mut tx, grant) = self
            .grant_client(
                self.store().write().await?,
                caller,
                client,
                Action::RestrictClient,
            )
            .await?;
        tx.set_client_restricted(grant.client, restricted).await?;
        let action = if restricted {
            AuditAction::ClientRestrict
        } else {
            AuditAction::ClientUnrestrict
        };
        self.commit_audited(tx, caller, action, target(client), "case-work")
            .await
    }

    /// Audits a change to who is on a team, and commits it.
    async fn commit_membership(
        &self,
        tx: store::Tx,
        caller: &Caller,
        action: AuditAction,
        team: TeamId,
        user: UserId,
    ) -> Result<()> {
        let member = format!("user:{user}");
        self.commit_audited(tx, caller, action, member, &team_target(team))
            .await
    }

    /// Audits a change (to whom a client is assigned, who is on a team) and commits it, with the
    /// change, in one transaction.
    async fn commit_audited(
        &self,
        mut tx: store::Tx,
        caller: &Caller,
        action: AuditAction,
        target: String,
        detail: &str,
    ) -> Result<()> {
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            action,
            Some(target),
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
