//! Teams on the staff pages: administrators make teams and say who is on each and who leads it;
//! a supervisor sees their team's caseload and assigns the work from a client's page. For anyone
//! else these pages do not exist (P6, P7).

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::Action;
use domain::{ClientId, TeamId, UserId};
use serde::Deserialize;

use super::links;
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::paging::{PageQuery, Paging};
use super::session::{self, SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::TEAM, get(caseload))
        .route(links::ASSIGN, post(assign))
        .route(links::UNASSIGN, post(unassign))
        .route(links::RESTRICT, post(restrict))
        .route(links::TEAMS, get(teams).post(create))
        .route(links::TEAM_MEMBERS, post(add_member))
        .route(links::TEAM_MEMBERS_REMOVE, post(remove_member))
}

/// Clients on one page of the team caseload.
const PAGE_SIZE: i64 = 50;

/// Supervisors who lead teams assign their work; their proof of who they are must be fresh.
const LEAD: Action = Action::ListTeamCaseload;

// --- the team caseload -----------------------------------------------------------------------

struct TeamLine {
    href: String,
    name: String,
    worker: String,
    added: String,
}

#[derive(Template)]
#[template(path = "staff/team.html")]
struct TeamCaseloadPage {
    chrome: Option<Chrome>,
    clients: Vec<TeamLine>,
    newer: Option<String>,
    older: Option<String>,
}

/// The clients of everyone on the teams the supervisor leads, newest assignment first.
async fn caseload(
    State(app): State<app::App>,
    signed_in: SignedIn,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return page::not_found();
    };
    let paging = Paging::new(&query, PAGE_SIZE, links::TEAM);
    let mut clients = match app
        .team_caseload(&signed_in.caller, paging.limit(), paging.offset())
        .await
    {
        Ok(clients) => clients,
        Err(err) => return page::failure(err),
    };
    let (newer, older) = paging.links(&mut clients);
    render(
        StatusCode::OK,
        &TeamCaseloadPage {
            chrome: Some(signed_in.chrome(Place::Team)),
            clients: clients
                .into_iter()
                .map(|c| TeamLine {
                    href: links::client(c.client.id),
                    name: c.client.preferred_name,
                    worker: c.worker,
                    added: when(signed_in.zone(), c.client.created_at),
                })
                .collect(),
            newer,
            older,
        },
    )
}

// --- assigning a client ----------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssignForm {
    user: String,
}

/// Assigns the client to someone on a team the supervisor leads.
async fn assign(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<AssignForm>,
) -> Response {
    change_assignment(&app, &signed_in, id, &form, true).await
}

/// Takes the client's assignment to someone away (never the last one).
async fn unassign(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<AssignForm>,
) -> Response {
    change_assignment(&app, &signed_in, id, &form, false).await
}

async fn change_assignment(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    form: &AssignForm,
    assign: bool,
) -> Response {
    let Ok(user) = form.user.parse::<UserId>() else {
        return page::not_found();
    };
    if let Some(prove) = signed_in.unless_fresh(app, LEAD, &links::client(id)) {
        return prove;
    }
    let done = if assign {
        app.assign(&signed_in.caller, id, user).await
    } else {
        app.unassign(&signed_in.caller, id, user).await
    };
    match done {
        Ok(()) => Redirect::to(&links::client_section(id, "assigned")).into_response(),
        Err(err) => page::failure(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RestrictForm {
    /// `yes` to restrict the record to the people assigned, `no` to lift that.
    restricted: String,
}

/// Restricts a client to the people assigned to them, or lifts that.
async fn restrict(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<RestrictForm>,
) -> Response {
    let restricted = match form.restricted.as_str() {
        "yes" => true,
        "no" => false,
        _ => return session::bad_form(),
    };
    let here = links::client(id);
    if let Some(prove) = signed_in.unless_fresh(&app, LEAD, &here) {
        return prove;
    }
    match app.set_restricted(&signed_in.caller, id, restricted).await {
        Ok(()) => Redirect::to(&here).into_response(),
        Err(err) => page::failure(err),
    }
}

// --- administering teams ---------------------------------------------------------------------

struct MemberLine {
    username: String,
    role: &'static str,
    leads: bool,
    remove_action: String,
    user: String,
}

struct TeamBlock {
    name: String,
    add_action: String,
    members: Vec<MemberLine>,
}

struct PersonChoice {
    id: String,
    label: String,
}

#[derive(Template)]
#[template(path = "staff/teams.html")]
struct TeamsPage {
    chrome: Option<Chrome>,
    teams: Vec<TeamBlock>,
    people: Vec<PersonChoice>,
}

async fn teams(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    if let Some(prove) = signed_in.unless_fresh(&app, Action::ManageTeams, links::TEAMS) {
        return prove;
    }
    let caller = &signed_in.caller;
    let (teams, staff) = match (app.teams(caller).await, app.staff(caller).await) {
        (Ok(teams), Ok(staff)) => (teams, staff),
        (Err(err), _) | (_, Err(err)) => return page::failure(err),
    };
    render(
        StatusCode::OK,
        &TeamsPage {
            chrome: Some(signed_in.chrome(Place::Teams)),
            teams: teams
                .into_iter()
                .map(|team| TeamBlock {
                    add_action: links::team_members(team.id),
                    members: team
                        .members
                        .into_iter()
                        .map(|m| MemberLine {
                            remove_action: links::team_members_remove(team.id),
                            user: m.id.to_string(),
                            username: m.username,
                            role: m.role.as_str(),
                            leads: m.leads,
                        })
                        .collect(),
                    name: team.name,
                })
                .collect(),
            people: staff
                .into_iter()
                .filter(|m| m.disabled_at.is_none())
                .map(|m| PersonChoice {
                    id: m.id.to_string(),
                    label: format!("{} ({})", m.username, m.role.as_str()),
                })
                .collect(),
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewTeamForm {
    name: String,
}

async fn create(
    State(app): State<app::App>,
    StaffForm { signed_in, form }: StaffForm<NewTeamForm>,
) -> Response {
    if let Some(prove) = signed_in.unless_fresh(&app, Action::ManageTeams, links::TEAMS) {
        return prove;
    }
    match app.create_team(&signed_in.caller, &form.name).await {
        Ok(_) => Redirect::to(links::TEAMS).into_response(),
        Err(err) => page::failure(err),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MemberForm {
    user: String,
    /// Present (as `yes`) when they lead the team.
    leads: Option<String>,
}

async fn add_member(
    State(app): State<app::App>,
    Path(team): Path<String>,
    StaffForm { signed_in, form }: StaffForm<MemberForm>,
) -> Response {
    let (team, user) = match membership(&app, &signed_in, &team, &form.user) {
        Ok(change) => change,
        Err(response) => return *response,
    };
    let leads = form.leads.is_some_and(|v| v == "yes");
    match app
        .put_team_member(&signed_in.caller, team, user, leads)
        .await
    {
        Ok(()) => Redirect::to(links::TEAMS).into_response(),
        Err(err) => page::failure(err),
    }
}

async fn remove_member(
    State(app): State<app::App>,
    Path(team): Path<String>,
    StaffForm { signed_in, form }: StaffForm<AssignForm>,
) -> Response {
    let (team, user) = match membership(&app, &signed_in, &team, &form.user) {
        Ok(change) => change,
        Err(response) => return *response,
    };
    match app.remove_team_member(&signed_in.caller, team, user).await {
        Ok(()) => Redirect::to(links::TEAMS).into_response(),
        Err(err) => page::failure(err),
    }
}

/// The team and the person a change of membership is about, once the administrator's proof is
/// fresh; else the response to send instead.
fn membership(
    app: &app::App,
    signed_in: &SignedIn,
    team: &str,
    user: &str,
) -> Result<(TeamId, UserId), Box<Response>> {
    if let Some(prove) = signed_in.unless_fresh(app, Action::ManageTeams, links::TEAMS) {
        return Err(Box::new(prove));
    }
    match (team.parse::<TeamId>(), user.parse::<UserId>()) {
        (Ok(team), Ok(user)) => Ok((team, user)),
        _ => Err(Box::new(page::not_found())),
    }
}
