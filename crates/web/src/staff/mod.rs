//! The staff web application (DESIGN.md: sign in at `/login`, work under `/app/`). Pages are
//! rendered on the server and work without JavaScript; every signed-in page is `no-store`, and
//! every form that changes something is checked for origin and form token (P13-P15).

mod account;
mod admin;
mod audit;
mod clients;
mod determinations;
mod emergency;
mod links;
mod login;
mod page;
mod paging;
mod passkey;
mod records;
mod requests;
mod screenings;
mod session;
mod setup;
mod teams;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};

use links::*;

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(LOGIN, get(login::form).post(login::sign_in))
        .route(LOGOUT, post(login::sign_out))
        .route(SETUP, get(setup::password_form).post(setup::set_password))
        .route(SETUP_CONFIRM, post(setup::confirm))
        .route(APP, get(|| async { Redirect::permanent(HOME) }))
        .route(HOME, get(clients::caseload))
        .route(SEARCH, post(clients::search))
        .route(CLIENTS, post(clients::create))
        .route(NEW_CLIENT, get(clients::intake))
        .route(CLIENT, get(clients::client))
        .route(NOTES, post(clients::add_note))
        .route(ACCESS_LOG, get(audit::access_log))
        .route(SAFETY, get(clients::safety_form).post(clients::save_safety))
        .route(SCREENINGS, post(screenings::record))
        .route(NEW_SCREENING, get(screenings::choose))
        .route(SCREENING_FORM, get(screenings::form))
        .route(SCREENING, get(screenings::result))
        .route(DETERMINATIONS, post(determinations::record))
        .route(WORKSHEET, get(determinations::worksheet))
        .route(DETERMINATION, get(determinations::result))
        .route(ASSIGN, post(teams::assign))
        .route(UNASSIGN, post(teams::unassign))
        .route(RESTRICT, post(teams::restrict))
        .route(TEAM, get(teams::caseload))
        .route(TEAMS, get(teams::teams).post(teams::create))
        .route(TEAM_MEMBERS, post(teams::add_member))
        .route(TEAM_MEMBERS_REMOVE, post(teams::remove_member))
        .route(PASSKEY, get(passkey::passkey).post(passkey::prove))
        .route(
            crate::assets::PASSKEY.path,
            get(|| async { crate::assets::PASSKEY.response() }),
        )
        .route(REAUTH, get(emergency::reauth_form).post(emergency::reauth))
        .route(
            EMERGENCY,
            get(emergency::emergency_form).post(emergency::break_glass),
        )
        .route(REVIEWS, get(emergency::reviews))
        .route(REVIEW, post(emergency::review))
        .route(REQUESTS, get(requests::queue))
        .route(REQUEST, get(requests::request))
        .route(REQUEST_CLAIM, post(requests::claim))
        .route(REQUEST_TO_CLIENT, post(requests::to_client))
        .route(REQUEST_CLOSE, post(requests::close))
        .route(AUDIT, get(audit::audit))
        .route(ADMIN, get(admin::staff))
        .route(INVITE, post(admin::invite))
        .route(USER_LINK, post(admin::new_link))
        .route(USER_DISABLE, post(admin::disable))
        .route(USER_ENABLE, post(admin::enable))
        .route(ACCOUNT, get(account::account))
        .route(SIGN_OUT_EVERYWHERE, post(account::sign_out_everywhere))
        .route(STYLESHEET, get(page::stylesheet))
        .route(
            crate::assets::AUTOSAVE.path,
            get(|| async { crate::assets::AUTOSAVE.response() }),
        )
}
