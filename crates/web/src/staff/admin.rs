//! Administration of staff accounts (administrators only): who has an account and whether they
//! have signed up, sign-up links for new people and for people who lost their phone or password,
//! and switching accounts off and on. Everyone else gets "not found" (P6, P7).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::policy::Action;
use domain::{Role, UserId};
use serde::Deserialize;

use super::links;
use super::page::{self, Address, Chrome, Place, render, when};
use super::session::{NoFields, SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::ADMIN, get(staff))
        .route(links::INVITE, post(invite))
        .route(links::USER_LINK, post(new_link))
        .route(links::USER_DISABLE, post(disable))
        .route(links::USER_ENABLE, post(enable))
}

/// What an administrator's proof of who they are must be fresh for.
const MANAGE: Action = Action::ManageUsers;

struct Member {
    username: String,
    role: &'static str,
    added: String,
    signed_up: bool,
    disabled: bool,
    link_action: String,
    switch_action: String,
    is_me: bool,
}

struct RoleChoice {
    value: &'static str,
}

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct StaffPage {
    chrome: Option<Chrome>,
    members: Vec<Member>,
    roles: Vec<RoleChoice>,
}

#[derive(Template)]
#[template(path = "staff/admin_link.html")]
struct LinkPage {
    chrome: Option<Chrome>,
    link: String,
    hours: i64,
    whom: String,
}

async fn staff(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    if let Some(prove) = signed_in.unless_fresh(&app, MANAGE, links::ADMIN) {
        return prove;
    }
    let members = match app.staff(&signed_in.caller).await {
        Ok(members) => members,
        Err(err) => return page::failure(err),
    };
    let me = signed_in.caller.id;
    render(
        StatusCode::OK,
        &StaffPage {
            chrome: Some(signed_in.chrome(Place::Admin)),
            members: members
                .into_iter()
                .map(|m| Member {
                    link_action: links::user_link(m.id),
                    switch_action: links::user_switch(m.id, m.disabled_at.is_some()),
                    is_me: m.id == me,
                    username: m.username,
                    role: m.role.as_str(),
                    added: when(signed_in.zone(), m.created_at),
                    signed_up: m.signed_up,
                    disabled: m.disabled_at.is_some(),
                })
                .collect(),
            roles: Role::ALL
                .into_iter()
                .map(|r| RoleChoice { value: r.as_str() })
                .collect(),
        },
    )
}

/// The sign-up link, at the address people use to reach this server.
fn link(headers: &HeaderMap, token: &str) -> String {
    format!("{}{}", Address::of(headers).origin, links::setup(token))
}

fn link_page(signed_in: &SignedIn, headers: &HeaderMap, token: &str, whom: String) -> Response {
    render(
        StatusCode::OK,
        &LinkPage {
            chrome: Some(signed_in.chrome(Place::Admin)),
            link: link(headers, token),
            hours: app::enrolment::LINK_HOURS,
            whom,
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InviteForm {
    role: String,
}

/// A sign-up link for someone new, who chooses their own username.
async fn invite(
    State(app): State<app::App>,
    headers: HeaderMap,
    StaffForm { signed_in, form }: StaffForm<InviteForm>,
) -> Response {
    if let Some(prove) = signed_in.unless_fresh(&app, MANAGE, links::ADMIN) {
        return prove;
    }
    let role: Role = match form.role.parse() {
        Ok(role) => role,
        Err(invalid) => return page::failure(app::AppError::Invalid(invalid)),
    };
    match app.invite_by(&signed_in.caller, None, role).await {
        Ok(token) => link_page(
            &signed_in,
            &headers,
            &token,
            format!("the new {} (they choose their own username)", role.as_str()),
        ),
        Err(err) => page::failure(err),
    }
}

fn parse_user(raw: &str) -> Option<UserId> {
    raw.parse().ok()
}

/// A new sign-up link for an existing account (a lost phone, a forgotten password).
async fn new_link(
    State(app): State<app::App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    if let Some(prove) = signed_in.unless_fresh(&app, MANAGE, links::ADMIN) {
        return prove;
    }
    let Some(id) = parse_user(&id) else {
        return page::not_found();
    };
    let member = match app.staff(&signed_in.caller).await {
        Ok(members) => members.into_iter().find(|m| m.id == id),
        Err(err) => return page::failure(err),
    };
    let Some(member) = member else {
        return page::not_found();
    };
    match app
        .invite_by(&signed_in.caller, Some(member.id), member.role)
        .await
    {
        Ok(token) => link_page(
            &signed_in,
            &headers,
            &token,
            format!("{} (using it ends their other sessions)", member.username),
        ),
        Err(err) => page::failure(err),
    }
}

async fn switch(app: &app::App, signed_in: &SignedIn, id: &str, disabled: bool) -> Response {
    if let Some(prove) = signed_in.unless_fresh(app, MANAGE, links::ADMIN) {
        return prove;
    }
    let Some(id) = parse_user(id) else {
        return page::not_found();
    };
    match app.set_disabled(&signed_in.caller, id, disabled).await {
        Ok(()) => Redirect::to(links::ADMIN).into_response(),
        Err(err) => page::failure(err),
    }
}

async fn disable(
    State(app): State<app::App>,
    Path(id): Path<String>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    switch(&app, &signed_in, &id, true).await
}

async fn enable(
    State(app): State<app::App>,
    Path(id): Path<String>,
    StaffForm { signed_in, .. }: StaffForm<NoFields>,
) -> Response {
    switch(&app, &signed_in, &id, false).await
}
