//! My work (`/app/work`): what is due in one's caseload, the overdue first, then today's and the
//! week ahead's (the steps of clients' plans by their target day, plan reviews, follow-ups after a
//! case closed and six-month outcome reviews), and the
//! referrals that wait too long for the partner's answer or for the service, so that a worker
//! knows whom to call today; for a team lead, also what has slipped on the teams they lead (not a
//! restricted record). A name, and a step's words, are shown only to someone who may see that
//! client.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use domain::case::format_date;
use domain::plan::StepOwner;
use domain::policy::{Action, Relationship, permits};

use super::links;
use super::page::{self, Chrome, Place, render};
use super::session::SignedIn;

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::WORK, get(work))
}

/// How far ahead "the days ahead" look.
const DAYS_AHEAD: i64 = 7;

struct WaitingLine {
    href: String,
    name: String,
    partner: String,
    service: String,
    /// What it waits for, and since when.
    waits: String,
}

struct DueLine {
    href: String,
    name: String,
    /// What is due, in words.
    what: String,
    due_on: String,
}

/// What is due, split by when.
#[derive(Default)]
struct DueLists {
    overdue: Vec<DueLine>,
    today: Vec<DueLine>,
    ahead: Vec<DueLine>,
}

/// What has slipped on the teams one leads.
struct TeamLists {
    overdue: Vec<DueLine>,
    referrals: Vec<WaitingLine>,
}

#[derive(Template)]
#[template(path = "staff/work.html")]
struct WorkPage {
    chrome: Option<Chrome>,
    due: DueLists,
    days_ahead: i64,
    referrals: Vec<WaitingLine>,
    /// For a team lead: what has slipped on the teams they lead.
    team: Option<TeamLists>,
}

async fn work(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let caller = &signed_in.caller;
    let today = signed_in.zone().date(app.now());
    let ahead = today.saturating_add(time::Duration::days(DAYS_AHEAD));
    let purpose = app::Purpose::CaseWork;
    let (due, overdue) = match (
        app.work_due(caller, ahead, purpose).await,
        app.overdue_referrals(caller, purpose).await,
    ) {
        (Ok(due), Ok(overdue)) => (due, overdue),
        (Err(err), _) | (_, Err(err)) => return page::failure(err),
    };
    let partners = match app.partners(caller).await {
        Ok(partners) => partners,
        Err(err) => return page::failure(err),
    };
    let partner_name = |id: domain::PartnerId| {
        partners
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| "a partner".to_owned(), |p| p.name.clone())
    };
    let mut lists = DueLists::default();
    for work in due {
        let line = due_line(work.clone(), &partner_name);
        match work.due_on.cmp(&today) {
            std::cmp::Ordering::Less => lists.overdue.push(line),
            std::cmp::Ordering::Equal => lists.today.push(line),
            std::cmp::Ordering::Greater => lists.ahead.push(line),
        }
    }
    let leads = permits(
        caller.role,
        Relationship::NoClient,
        Action::ListTeamCaseload,
    );
    let team = if leads {
        let yesterday = today.saturating_sub(time::Duration::days(1));
        match (
            app.team_work_due(caller, yesterday).await,
            app.team_overdue_referrals(caller).await,
        ) {
            (Ok(due), Ok(referrals)) => Some(TeamLists {
                overdue: due
                    .into_iter()
                    .map(|w| due_line(w, &partner_name))
                    .collect(),
                referrals: lines(&signed_in, referrals),
            }),
            (Err(err), _) | (_, Err(err)) => return page::failure(err),
        }
    } else {
        None
    };
    render(
        StatusCode::OK,
        &WorkPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            due: lists,
            days_ahead: DAYS_AHEAD,
            referrals: lines(&signed_in, overdue),
            team,
        },
    )
}

fn due_line(work: app::DueWork, partner_name: &impl Fn(domain::PartnerId) -> String) -> DueLine {
    let (page, what) = match work.what {
        app::Task::Step {
            words,
            owner,
            partner,
        } => {
            let who = match (owner, partner) {
                (StepOwner::Partner, Some(id)) => partner_name(id),
                (StepOwner::Client, _) => "the client".to_owned(),
                (StepOwner::Worker, _) => "the worker".to_owned(),
                (StepOwner::Partner, None) => "a partner".to_owned(),
            };
            (links::PLAN, format!("{words} ({who})"))
        }
        app::Task::PlanReview => (links::PLAN, "Review the service plan together".to_owned()),
        app::Task::Case(_, app::Due::FollowUp(at)) => (
            links::CASES,
            format!("The follow-up {} after the case closed", at.label()),
        ),
        app::Task::Case(_, app::Due::SixMonthReview) => (
            links::OUTCOMES,
            "The six-month review of outcomes".to_owned(),
        ),
    };
    DueLine {
        href: links::of_client(page, work.client),
        name: work.client_name,
        what,
        due_on: format_date(work.due_on),
    }
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
