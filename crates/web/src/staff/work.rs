//! What is waiting (`/app/work`): the referrals of one's caseload that wait too long for the
//! partner's answer or for the service, the longest waiting first, so that a worker knows whom
//! to chase today; for a team lead, also those of the teams they lead (not a restricted record).
//! A name is shown only to someone who may see that client.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use domain::policy::{Action, Relationship, permits};

use super::links;
use super::page::{self, Chrome, Place, render};
use super::session::SignedIn;

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::WORK, get(work))
}

struct WaitingLine {
    href: String,
    name: String,
    partner: String,
    service: String,
    /// What it waits for, and since when.
    waits: String,
}

#[derive(Template)]
#[template(path = "staff/work.html")]
struct WorkPage {
    chrome: Option<Chrome>,
    referrals: Vec<WaitingLine>,
    /// For a team lead: what waits on the teams they lead.
    team: Option<Vec<WaitingLine>>,
}

async fn work(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let caller = &signed_in.caller;
    let overdue = match app.overdue_referrals(caller, app::Purpose::CaseWork).await {
        Ok(overdue) => overdue,
        Err(err) => return page::failure(err),
    };
    let leads = permits(
        caller.role,
        Relationship::NoClient,
        Action::ListTeamCaseload,
    );
    let team = if leads {
        match app.team_overdue_referrals(caller).await {
            Ok(overdue) => Some(lines(&signed_in, overdue)),
            Err(err) => return page::failure(err),
        }
    } else {
        None
    };
    render(
        StatusCode::OK,
        &WorkPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            referrals: lines(&signed_in, overdue),
            team,
        },
    )
}

fn lines(signed_in: &SignedIn, overdue: Vec<app::OverdueReferral>) -> Vec<WaitingLine> {
    let zone = signed_in.zone();
    overdue
        .into_iter()
        .map(|r| {
            let what = match r.status {
                domain::referral::ReferralStatus::Sent => "an answer",
                _ => "the service",
            };
            WaitingLine {
                href: links::of_client(links::REFERRALS, r.client),
                name: r.client_name,
                partner: r.partner_name,
                service: r.service.kind().label.to_owned(),
                waits: format!("waiting for {what} since {}", zone.day(r.since)),
            }
        })
        .collect()
}
