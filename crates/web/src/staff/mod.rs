//! The staff web application (DESIGN.md: sign in at `/login`, work under `/app/`). Pages are
//! rendered on the server and work without JavaScript; every signed-in page is `no-store`, and
//! every form that changes something is checked for origin and form token (P13-P15).

mod account;
mod admin;
mod audit;
mod clients;
mod determinations;
mod emergency;
mod login;
mod page;
mod paging;
mod passkey;
mod requests;
mod screenings;
mod session;
mod setup;
mod teams;

use axum::Router;
use axum::response::Redirect;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route("/login", get(login::form).post(login::sign_in))
        .route("/logout", post(login::sign_out))
        .route(
            "/login/setup/{token}",
            get(setup::password_form).post(setup::set_password),
        )
        .route("/login/setup/{token}/confirm", post(setup::confirm))
        .route("/app", get(|| async { Redirect::permanent("/app/") }))
        .route("/app/", get(clients::caseload))
        .route("/app/search", post(clients::search))
        .route("/app/clients", post(clients::create))
        .route("/app/clients/new", get(clients::intake))
        .route("/app/clients/{id}", get(clients::client))
        .route("/app/clients/{id}/notes", post(clients::add_note))
        .route("/app/clients/{id}/access", get(audit::access_log))
        .route(
            "/app/clients/{id}/safety",
            get(clients::safety_form).post(clients::save_safety),
        )
        .route("/app/clients/{id}/screenings", post(screenings::record))
        .route("/app/clients/{id}/screenings/new", get(screenings::choose))
        .route(
            "/app/clients/{id}/screenings/new/{instrument}",
            get(screenings::form),
        )
        .route(
            "/app/clients/{id}/screenings/{screening}",
            get(screenings::result),
        )
        .route(
            "/app/clients/{id}/determinations",
            post(determinations::record),
        )
        .route(
            "/app/clients/{id}/determinations/new",
            get(determinations::worksheet),
        )
        .route(
            "/app/clients/{id}/determinations/{determination}",
            get(determinations::result),
        )
        .route("/app/clients/{id}/assign", post(teams::assign))
        .route("/app/clients/{id}/unassign", post(teams::unassign))
        .route("/app/clients/{id}/restrict", post(teams::restrict))
        .route("/app/team", get(teams::caseload))
        .route("/app/admin/teams", get(teams::teams).post(teams::create))
        .route("/app/admin/teams/{id}/members", post(teams::add_member))
        .route(
            "/app/admin/teams/{id}/members/remove",
            post(teams::remove_member),
        )
        .route(passkey::PASSKEY, get(passkey::passkey).post(passkey::prove))
        .route(
            crate::assets::PASSKEY.path,
            get(|| async { crate::assets::PASSKEY.response() }),
        )
        .route(
            "/app/reauth",
            get(emergency::reauth_form).post(emergency::reauth),
        )
        .route(
            "/app/emergency",
            get(emergency::emergency_form).post(emergency::break_glass),
        )
        .route("/app/reviews", get(emergency::reviews))
        .route("/app/reviews/{id}", post(emergency::review))
        .route("/app/requests", get(requests::queue))
        .route("/app/requests/{id}", get(requests::request))
        .route("/app/requests/{id}/claim", post(requests::claim))
        .route("/app/requests/{id}/client", post(requests::to_client))
        .route("/app/requests/{id}/close", post(requests::close))
        .route("/app/audit", get(audit::audit))
        .route("/app/admin", get(admin::staff))
        .route("/app/admin/invite", post(admin::invite))
        .route("/app/admin/users/{id}/link", post(admin::new_link))
        .route("/app/admin/users/{id}/disable", post(admin::disable))
        .route("/app/admin/users/{id}/enable", post(admin::enable))
        .route("/app/account", get(account::account))
        .route(
            "/app/account/sign-out-everywhere",
            post(account::sign_out_everywhere),
        )
        .route("/assets/staff.css", get(page::stylesheet))
        .route(
            crate::assets::AUTOSAVE.path,
            get(|| async { crate::assets::AUTOSAVE.response() }),
        )
}
