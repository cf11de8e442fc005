//! Proving again who one is, and what needs it: the administration pages (accounts, teams) ask for
//! it when the last proof is more than five minutes old, and emergency access ("break the glass")
//! asks for it every time, with a reason. Supervisors review every emergency access (P8, P10).

use app::emergency::Whom;
use app::signin::SignInError;
use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::EmergencyAccessId;
use domain::client::DateOfBirth;
use domain::emergency::{EmergencyReason, ReviewComment, ReviewOutcome};
use domain::policy::Action;
use domain::time::ProgramZone;
use serde::Deserialize;

use super::links::{self, safe_next};
use super::login::refused_status;
use super::page::{self, Chrome, Place, render, when};
use super::session::{Device, SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::REAUTH, get(reauth_form).post(reauth))
        .route(links::EMERGENCY, get(emergency_form).post(break_glass))
        .route(links::REVIEWS, get(reviews))
        .route(links::REVIEW, post(review))
}

// --- proving again who one is ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/reauth.html")]
struct ReauthPage {
    chrome: Option<Chrome>,
    next: String,
    problem: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

async fn reauth_form(
    signed_in: SignedIn,
    query: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let next = query.ok().and_then(|Query(q)| q.next);
    render(
        StatusCode::OK,
        &ReauthPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            next: safe_next(next.as_deref()),
            problem: None,
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReauthForm {
    password: String,
    code: String,
    next: String,
}

async fn reauth(
    State(app): State<app::App>,
    Device(device): Device,
    StaffForm { signed_in, form }: StaffForm<ReauthForm>,
) -> Response {
    let next = safe_next(Some(&form.next));
    match app
        .reauthenticate(
            signed_in.token(),
            &signed_in.caller,
            app::signin::Proof {
                password: &form.password,
                code: form.code.trim(),
                device: device.as_deref(),
            },
        )
        .await
    {
        Ok(Ok(())) => Redirect::to(&next).into_response(),
        Ok(Err(refused)) => render(
            refused_status(&refused),
            &ReauthPage {
                chrome: Some(signed_in.chrome(Place::Elsewhere)),
                next,
                problem: Some(refused.to_string()),
            },
        ),
        Err(err) => page::failure(err),
    }
}

// --- emergency access ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/emergency.html")]
struct EmergencyPage<'a> {
    chrome: Option<Chrome>,
    form: &'a EmergencyForm,
    problem: Option<String>,
}

fn emergency_page(
    signed_in: &SignedIn,
    status: StatusCode,
    form: &EmergencyForm,
    problem: Option<String>,
) -> Response {
    render(
        status,
        &EmergencyPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            form,
            problem,
        },
    )
}

async fn emergency_form(signed_in: SignedIn) -> Response {
    if !signed_in.may(Action::CreateClient) {
        return page::not_found();
    }
    emergency_page(&signed_in, StatusCode::OK, &EmergencyForm::default(), None)
}

/// The emergency form as typed. The record is named by the person's name and date of birth, or
/// by its reference; password and code are never sent back.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EmergencyForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    client: String,
    reason: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    code: String,
}

/// Whom the form names, or what to say when it names no one in a way we can look for.
fn whom<'a>(form: &'a EmergencyForm, today: time::Date) -> Result<Whom<'a>, &'static str> {
    if !form.client.trim().is_empty() {
        return links::client_reference(&form.client).map(Whom::Reference).ok_or(
            "The record's reference is the code at the end of its address, like 8f0c1f8e-3b5a-4d55-9a43-5f6f0b9f7a10.",
        );
    }
    let name = form.name.trim();
    if name.is_empty() || form.date_of_birth.trim().is_empty() {
        return Err(
            "Give the person's name and date of birth, both as their record has them, or the record's reference.",
        );
    }
    let date_of_birth = DateOfBirth::parse(&form.date_of_birth, today)
        .map_err(|_| "Write the date of birth as year, month and day, like 2004-03-15.")?;
    Ok(Whom::Identity {
        name,
        date_of_birth,
    })
}

/// How many seconds until an authenticator app shows its next code.
fn until_next_code(app: &app::App) -> i64 {
    30 - app.now().unix_millis().div_euclid(1000).rem_euclid(30)
}

async fn break_glass(
    State(app): State<app::App>,
    Device(device): Device,
    StaffForm { signed_in, form }: StaffForm<EmergencyForm>,
) -> Response {
    let again = |status, problem: String| emergency_page(&signed_in, status, &form, Some(problem));
    let whom = match whom(&form, app.now().date()) {
        Ok(whom) => whom,
        Err(problem) => return again(StatusCode::UNPROCESSABLE_ENTITY, problem.to_owned()),
    };
    let reason = match EmergencyReason::parse(&form.reason) {
        Ok(reason) => reason,
        Err(_) => {
            return again(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Say in a sentence or two why you need this record now (at least 20 characters)."
                    .to_owned(),
            );
        }
    };
    match app
        .break_glass(
            signed_in.token(),
            &signed_in.caller,
            whom,
            &reason,
            app::signin::Proof {
                password: &form.password,
                code: form.code.trim(),
                device: device.as_deref(),
            },
        )
        .await
    {
        Ok(Ok(client)) => Redirect::to(&links::client(client)).into_response(),
        Ok(Err(SignInError::CodeUsed)) => again(
            refused_status(&SignInError::CodeUsed),
            format!(
                "{} The next one comes in about {} seconds.",
                SignInError::CodeUsed,
                until_next_code(&app)
            ),
        ),
        Ok(Err(refused)) => again(refused_status(&refused), refused.to_string()),
        Err(app::AppError::NotFound) => again(
            StatusCode::NOT_FOUND,
            match whom {
                Whom::Reference(_) => "No record has that reference. Check it with whoever gave it to you.",
                Whom::Identity { .. } => "No single record can be opened for that name and date of birth. Check the spelling and the date against what you know, or ask for the record's reference.",
            }
            .to_owned()
                + " Your code was used: type the next one your app shows.",
        ),
        Err(err) => page::failure(err),
    }
}

// --- reviews ---------------------------------------------------------------------------------

struct ReviewLine {
    action: String,
    by: String,
    client: String,
    /// The client's name, for a reviewer who may see the client.
    name: Option<String>,
    /// What they did with the record, a visit to a line: when, and what.
    opened: Vec<(String, String)>,
    reason: String,
    granted: String,
    ends: String,
}

/// A review already made, as the page lists it.
struct ReviewedLine {
    href: String,
    client: String,
    by: String,
    granted: String,
    reason: String,
    justified: bool,
    outcome: &'static str,
    reviewer: String,
    reviewed: String,
    comment: String,
}

#[derive(Template)]
#[template(path = "staff/reviews.html")]
struct ReviewsPage {
    chrome: Option<Chrome>,
    reviews: Vec<ReviewLine>,
    reviewed: Vec<ReviewedLine>,
}

fn reviewed_line(zone: &ProgramZone, r: app::emergency::ReviewedView) -> ReviewedLine {
    ReviewedLine {
        href: links::client(r.client),
        client: r.client.to_string(),
        by: r.by,
        granted: when(zone, r.granted_at),
        reason: r
            .reason
            .unwrap_or_else(|| "(the record has since been erased)".to_owned()),
        justified: r.outcome == ReviewOutcome::Justified,
        outcome: r.outcome.in_words(),
        reviewer: r.reviewer,
        reviewed: when(zone, r.reviewed_at),
        comment: r.comment.unwrap_or_default(),
    }
}

async fn reviews(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    let pending = match app.emergency_reviews(&signed_in.caller).await {
        Ok(pending) => pending,
        Err(err) => return page::failure(err),
    };
    let reviewed = match app.recent_reviews(&signed_in.caller).await {
        Ok(reviewed) => reviewed,
        Err(err) => return page::failure(err),
    };
    render(
        StatusCode::OK,
        &ReviewsPage {
            chrome: Some(signed_in.chrome(Place::Reviews)),
            reviews: pending
                .into_iter()
                .map(|p| ReviewLine {
                    action: links::review(p.id),
                    by: p.by,
                    client: p.client.to_string(),
                    name: p.name,
                    opened: p
                        .opened
                        .into_iter()
                        .map(|l| (when(signed_in.zone(), l.at), l.what.join(", ")))
                        .collect(),
                    reason: p
                        .reason
                        .unwrap_or_else(|| "(the record has since been erased)".to_owned()),
                    granted: when(signed_in.zone(), p.granted_at),
                    ends: when(signed_in.zone(), p.expires_at),
                })
                .collect(),
            reviewed: reviewed
                .into_iter()
                .map(|r| reviewed_line(signed_in.zone(), r))
                .collect(),
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReviewForm {
    outcome: String,
    #[serde(default)]
    comment: String,
}

async fn review(
    State(app): State<app::App>,
    Path(id): Path<String>,
    StaffForm { signed_in, form }: StaffForm<ReviewForm>,
) -> Response {
    let Ok(id) = id.parse::<EmergencyAccessId>() else {
        return page::not_found();
    };
    let checked = ReviewOutcome::parse(&form.outcome)
        .and_then(|outcome| Ok((outcome, ReviewComment::parse(&form.comment)?)));
    let (outcome, comment) = match checked {
        Ok(checked) => checked,
        Err(invalid) => return page::failure(app::AppError::Invalid(invalid)),
    };
    match app
        .review_emergency(&signed_in.caller, id, outcome, comment.as_ref())
        .await
    {
        Ok(()) => Redirect::to(links::REVIEWS).into_response(),
        Err(err) => page::failure(err),
    }
}
