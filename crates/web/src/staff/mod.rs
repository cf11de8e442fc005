//! The staff web application (DESIGN.md: sign in at `/login`, work under `/app/`). Pages are
//! rendered on the server and work without JavaScript; every signed-in page is `no-store`, and
//! every form that changes something is checked for origin and form token (P13-P15).

mod account;
mod admin;
mod audit;
mod caseload;
mod cases;
mod choices;
mod clients;
mod closures;
mod contacts;
mod details;
mod determination;
mod determinations;
mod emergency;
mod fields;
mod history;
mod links;
mod login;
mod needs;
mod on_client;
mod outcomes;
pub(crate) mod page;
mod paging;
mod partners;
mod passkey;
mod plans;
mod records;
mod referrals;
mod requests;
mod screenings;
mod services;
mod session;

pub(crate) use session::same_origin;
mod reports;
mod setup;
mod teams;
mod typed;
mod work;

use axum::Router;
use axum::routing::get;

use crate::assets;

/// Every staff page's route: each page module answers the addresses it owns (all of them named in
/// `links`), and the staff stylesheet and scripts are served here.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .merge(login::routes())
        .merge(setup::routes())
        .merge(passkey::routes())
        .merge(caseload::routes())
        .merge(clients::routes())
        .merge(details::routes())
        .merge(cases::routes())
        .merge(referrals::routes())
        .merge(partners::routes())
        .merge(work::routes())
        .merge(needs::routes())
        .merge(plans::routes())
        .merge(outcomes::routes())
        .merge(screenings::routes())
        .merge(determinations::routes())
        .merge(determination::routes())
        .merge(audit::routes())
        .merge(reports::routes())
        .merge(teams::routes())
        .merge(emergency::routes())
        .merge(requests::routes())
        .merge(admin::routes())
        .merge(account::routes())
        .route(links::STYLESHEET, get(page::stylesheet))
        .route(
            assets::PASSKEY.path,
            get(|| async { assets::PASSKEY.response() }),
        )
        .route(
            assets::AUTOSAVE.path,
            get(|| async { assets::AUTOSAVE.response() }),
        )
}
