//! The JSON API under `/api/v1` (contract: DESIGN.md).

pub(crate) mod cases;
pub(crate) mod clients;
pub(crate) mod closures;
pub(crate) mod contacts;
pub(crate) mod determinations;
pub(crate) mod needs;
pub(crate) mod notes;
mod openapi;
pub(crate) mod outcomes;
pub(crate) mod partners;
pub(crate) mod plans;
pub(crate) mod referrals;
pub(crate) mod releases;
pub(crate) mod screenings;
pub(crate) mod services;
pub(crate) mod shape;

use axum::Router;
use axum::routing::{get, post};

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/clients", post(clients::create).get(clients::caseload))
        .route("/clients/duplicates", post(clients::duplicates))
        .route(
            "/clients/{id}",
            get(clients::read)
                .patch(clients::edit)
                .delete(clients::erase),
        )
        .route("/clients/{id}/changes", get(clients::changes))
        .route("/clients/{id}/notes", post(notes::create).get(notes::list))
        .route(
            "/clients/{id}/contacts",
            post(contacts::create).get(contacts::list),
        )
        .route(
            "/clients/{id}/services",
            post(services::create).get(services::list),
        )
        .route("/clients/{id}/needs", post(needs::create).get(needs::list))
        .route("/clients/{id}/plan", get(plans::read))
        .route("/clients/{id}/plan/goals", post(plans::set_goal))
        .route(
            "/clients/{id}/plan/goals/{goal}/steps",
            post(plans::add_step),
        )
        .route(
            "/clients/{id}/plan/steps/{step}/status",
            post(plans::update_step),
        )
        .route("/clients/{id}/plan/reviews", post(plans::review))
        .route("/clients/{id}/cases", post(cases::create).get(cases::list))
        .route("/clients/{id}/cases/{case}/close", post(cases::close))
        .route("/clients/{id}/cases/{case}/transfer", post(cases::transfer))
        .route("/clients/{id}/cases/{case}/reopen", post(cases::reopen))
        .route(
            "/clients/{id}/cases/{case}/follow-ups",
            post(closures::create),
        )
        .route(
            "/clients/{id}/cases/{case}/follow-ups/withdraw",
            post(closures::withdraw),
        )
        .route(
            "/clients/{id}/outcomes",
            post(outcomes::create).get(outcomes::list),
        )
        .route(
            "/clients/{id}/screenings",
            post(screenings::create).get(screenings::list),
        )
        .route(
            "/clients/{id}/determinations",
            post(determinations::create).get(determinations::list),
        )
        .route(
            "/clients/{id}/releases",
            post(releases::create).get(releases::list),
        )
        .route(
            "/clients/{id}/releases/{release}/withdraw",
            post(releases::withdraw),
        )
        .route(
            "/clients/{id}/referrals",
            post(referrals::create).get(referrals::list),
        )
        .route(
            "/clients/{id}/referrals/{referral}/steps",
            post(referrals::step),
        )
        .route(
            "/clients/{id}/referrals/{referral}/sheet",
            get(referrals::sheet),
        )
        .route("/partners", post(partners::create).get(partners::list))
        .route("/instruments", get(screenings::instruments))
        .route("/service-types", get(services::types))
}
