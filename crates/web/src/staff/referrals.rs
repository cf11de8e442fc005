//! A client's releases of information and referrals (`/app/clients/{id}/referrals`): each release
//! with where it stands and a way to record its withdrawal, each referral with its steps and its
//! next one; recording a release and making a referral. Sending a referral is decided the moment
//! it is sent (P22): a release that has ended or was withdrawn refuses it, with the reason above
//! the form. A refused form comes back with what was typed.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use domain::case::{format_date, parse_case_date};
use domain::policy::Action;
use domain::referral::{RawReferral, ReferralNote, ReferralStatus};
use domain::release::{RawRelease, ReleaseMethod, SharedPart, Standing, Withdrawal};
use domain::{ClientId, InvalidInput, ReferralId, ReleaseId};

use super::fields::{Fields, all, one, only};
use super::links;
use super::on_client::{CameBack, after};
use super::page::{self, Chrome, Place, RecordId, RecordIds, render};
use super::services::{TypeGroup, type_groups};
use super::session::{SignedIn, StaffForm, bad_form};
use super::typed::Typed;

pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::REFERRALS, get(page).post(draft))
        .route(links::RELEASES, post(give))
        .route(links::RELEASE_WITHDRAW, post(withdraw))
        .route(links::REFERRAL_STEPS, post(step))
        .route(links::REFERRAL_SHEET, get(sheet))
}

/// The release form as typed.
#[derive(Debug, Default, Clone)]
struct ReleaseForm {
    partner: String,
    recipient: String,
    purpose: String,
    shares: Vec<String>,
    method: String,
    witness: String,
    cosigner: String,
    of_concern: bool,
    starts_on: String,
    ends_on: String,
}

const RELEASE_FIELDS: &[&str] = &[
    "partner",
    "recipient",
    "purpose",
    "shares",
    "method",
    "witness",
    "cosigner",
    "of_concern",
    "starts_on",
    "ends_on",
];

impl ReleaseForm {
    fn read(fields: &Fields) -> Option<Self> {
        only(fields, RELEASE_FIELDS).then(|| Self {
            partner: one(fields, "partner"),
            recipient: one(fields, "recipient"),
            purpose: one(fields, "purpose"),
            shares: all(fields, "shares"),
            method: one(fields, "method"),
            witness: one(fields, "witness"),
            cosigner: one(fields, "cosigner"),
            of_concern: one(fields, "of_concern") == "yes",
            starts_on: one(fields, "starts_on"),
            ends_on: one(fields, "ends_on"),
        })
    }

    fn shares(&self, part: &str) -> bool {
        self.shares.iter().any(|s| s == part)
    }
}

/// The referral form as typed.
#[derive(Debug, Default, Clone)]
struct ReferralForm {
    partner: String,
    service: String,
    shares: Vec<String>,
    release: String,
    note: String,
}

const REFERRAL_FIELDS: &[&str] = &["partner", "service", "shares", "release", "note"];

impl ReferralForm {
    fn read(fields: &Fields) -> Option<Self> {
        only(fields, REFERRAL_FIELDS).then(|| Self {
            partner: one(fields, "partner"),
            service: one(fields, "service"),
            shares: all(fields, "shares"),
            release: one(fields, "release"),
            note: one(fields, "note"),
        })
    }

    fn shares(&self, part: &str) -> bool {
        self.shares.iter().any(|s| s == part)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct WithdrawForm {
    how: String,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StepForm {
    status: String,
    #[serde(default)]
    note: String,
}

/// The form that came back, with what was typed in it and why it was refused.
enum Returned {
    Nothing,
    Release(ReleaseForm, InvalidInput),
    Referral(ReferralForm, InvalidInput),
    Withdraw(ReleaseId, InvalidInput),
    Step(ReferralId, StepForm, InvalidInput),
}

/// One part of the record a release or referral may share, with its words.
struct Part {
    code: &'static str,
    label: &'static str,
}

const PARTS: &[Part] = &[
    Part {
        code: "name",
        label: "The name they use",
    },
    Part {
        code: "legal-name",
        label: "Legal name",
    },
    Part {
        code: "date-of-birth",
        label: "Date of birth",
    },
    Part {
        code: "contact-details",
        label: "How to reach them",
    },
    Part {
        code: "languages",
        label: "Languages",
    },
    Part {
        code: "needs",
        label: "Needs",
    },
    Part {
        code: "services",
        label: "Services given",
    },
    Part {
        code: "cases",
        label: "Cases",
    },
    Part {
        code: "legal-status",
        label: "Legal status",
    },
];

fn part_words(parts: &[SharedPart]) -> String {
    parts
        .iter()
        .filter_map(|p| PARTS.iter().find(|w| w.code == p.as_str()))
        .map(|w| w.label.to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

fn method_words(method: ReleaseMethod) -> &'static str {
    match method {
        ReleaseMethod::SignedOnScreen => "Signed on screen",
        ReleaseMethod::PaperScanned => "Signed on paper",
        ReleaseMethod::VerbalWithWitness => "Said out loud, with a witness",
    }
}

fn standing_words(standing: Standing) -> &'static str {
    match standing {
        Standing::NotYet => "not in force yet",
        Standing::InForce => "in force",
        Standing::Expired => "ended",
        Standing::Withdrawn => "withdrawn",
    }
}

fn status_words(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Drafted => "drafted, not sent",
        ReferralStatus::Sent => "sent, waiting for an answer",
        ReferralStatus::Accepted => "accepted",
        ReferralStatus::Declined => "declined",
        ReferralStatus::Completed => "completed",
        ReferralStatus::ClosedWithoutService => "closed without service",
    }
}

/// What a next step is called on its button's list.
pub(crate) fn step_words(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Drafted => "Drafted",
        ReferralStatus::Sent => "Sent to the partner",
        ReferralStatus::Accepted => "The partner accepted",
        ReferralStatus::Declined => "The partner declined",
        ReferralStatus::Completed => "The service was given",
        ReferralStatus::ClosedWithoutService => "Closed without service",
    }
}

struct ReleaseLine {
    recipient: String,
    partner: Option<String>,
    purpose: String,
    shares: String,
    how: String,
    from: String,
    until: String,
    standing: &'static str,
    withdrawn: Option<String>,
    /// The withdrawal form, for a release in force or not yet in force.
    withdraw: Option<WithdrawFields>,
}

struct WithdrawFields {
    key: String,
    action: String,
    problem: Option<String>,
}

struct StepLine {
    words: &'static str,
    at: String,
    by: String,
    note: Option<String>,
}

struct ReferralLine {
    /// The sheet the partner is given, for someone who may share the record.
    sheet: Option<String>,
    partner: String,
    service: String,
    status: &'static str,
    since: String,
    overdue: bool,
    shares: String,
    note: Option<String>,
    steps: Vec<StepLine>,
    next: Option<NextFields>,
}

struct NextFields {
    key: String,
    action: String,
    choices: Vec<(&'static str, &'static str)>,
    status: String,
    note: String,
    problem: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/referrals.html")]
struct ReferralsPage {
    chrome: Option<Chrome>,
    name: String,
    back: String,
    releases: Vec<ReleaseLine>,
    referrals: Vec<ReferralLine>,
    partners: Vec<(String, String)>,
    parts: &'static [Part],
    service_types: Vec<TypeGroup>,
    cosigners: &'static [(&'static str, &'static str)],
    methods: &'static [(&'static str, &'static str)],
    withdrawals: &'static [(&'static str, &'static str)],
    /// Releases a referral may be drafted under: in force, with their words.
    in_force: Vec<(String, String)>,
    release_days: u16,
    /// The partner directory's page.
    directory: &'static str,
    release_form: Option<Typed<ReleaseForm>>,
    referral_form: Option<Typed<ReferralForm>>,
}

const COSIGNERS: &[(&str, &str)] = &[
    ("none", "The client alone"),
    ("parent-or-guardian", "The client with a parent or guardian"),
    (
        "minor-alone",
        "The client alone: a minor who may lawfully consent by themself",
    ),
];

const METHODS: &[(&str, &str)] = &[
    ("signed-on-screen", "Signed on screen"),
    ("paper-scanned", "Signed on paper (scanned later)"),
    ("verbal-with-witness", "Said out loud, with a witness"),
];

const WITHDRAWALS: &[(&str, &str)] = &[
    ("by-phone", "By phone"),
    ("in-person", "In person"),
    ("in-writing", "In writing"),
];

/// The page, with the form that came back (if one did).
async fn referrals_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    returned: Returned,
) -> Response {
    let caller = &signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let reads = &[
        Action::ReadClient,
        Action::ReadReleases,
        Action::ReadReferrals,
    ];
    let (client, standing) = match app.client_standing(caller, id, purpose, reads).await {
        Ok(read) => read,
        Err(err) => return page::failure(err),
    };
    // Every release and referral a client has, on one page.
    let all = (app::MAX_RELEASES.min(app::MAX_REFERRALS), 0);
    let (releases, referrals, partners) = match (
        app.releases(caller, id, all, purpose).await,
        app.referrals(caller, id, all, purpose).await,
        app.partners(caller).await,
    ) {
        (Ok(r), Ok(f), Ok(p)) => (r, f, p),
        (Err(err), _, _) | (_, Err(err), _) | (_, _, Err(err)) => return page::failure(err),
    };
    let may = |action| domain::policy::permits(caller.role, standing, action);
    let zone = signed_in.zone();
    let partner_name = |pid: domain::PartnerId| {
        partners
            .iter()
            .find(|p| p.id == pid)
            .map(|p| p.name.clone())
    };
    let failed = !matches!(returned, Returned::Nothing);
    let mut returned = returned;
    let release_lines = releases
        .iter()
        .map(|r| {
            let open = matches!(r.standing, Standing::InForce | Standing::NotYet);
            let withdraw = (open && may(Action::WithdrawRelease)).then(|| WithdrawFields {
                key: r.id.to_string(),
                action: links::of_client_record(links::RELEASE_WITHDRAW, id, "{release}", r.id),
                problem: match &returned {
                    Returned::Withdraw(at, problem) if *at == r.id => Some(problem.to_string()),
                    _ => None,
                },
            });
            ReleaseLine {
                recipient: r.recipient.clone(),
                partner: r.partner.and_then(partner_name),
                purpose: r.purpose.clone(),
                shares: part_words(&r.terms.shares),
                how: method_words(r.method).to_owned()
                    + &r.witness
                        .as_ref()
                        .map(|w| format!(" ({w})"))
                        .unwrap_or_default(),
                from: format_date(r.terms.starts_on),
                until: format_date(r.terms.ends_on),
                standing: standing_words(r.standing),
                withdrawn: r.withdrawn.map(|(at, how)| {
                    let how = WITHDRAWALS
                        .iter()
                        .find(|(code, _)| *code == how.as_str())
                        .map_or("", |(_, words)| words);
                    format!("{}, {}", zone.minute(at), how.to_lowercase())
                }),
                withdraw,
            }
        })
        .collect();
    let referral_lines = referrals
        .iter()
        .map(|r| {
            let choices: Vec<(&str, &str)> = ReferralStatus::ALL
                .iter()
                .filter(|to| r.status.may_become(**to))
                .map(|to| (to.as_str(), step_words(*to)))
                .collect();
            let next = (!choices.is_empty() && may(Action::WriteReferral)).then(|| {
                let mut next = NextFields {
                    key: r.id.to_string(),
                    action: links::of_client_record(links::REFERRAL_STEPS, id, "{referral}", r.id),
                    choices,
                    status: String::new(),
                    note: String::new(),
                    problem: None,
                };
                match std::mem::replace(&mut returned, Returned::Nothing) {
                    Returned::Step(at, typed, problem) if at == r.id => {
                        next.status = typed.status;
                        next.note = typed.note;
                        next.problem = Some(problem.to_string());
                    }
                    other => returned = other,
                }
                next
            });
            ReferralLine {
                sheet: may(Action::ShareOutside).then(|| {
                    links::of_client_record(links::REFERRAL_SHEET, id, "{referral}", r.id)
                }),
                partner: r.partner_name.clone(),
                service: format!("{} {}", r.service.as_str(), r.service.kind().label),
                status: status_words(r.status),
                since: zone.minute(r.status_at),
                overdue: r.overdue,
                shares: part_words(&r.shares),
                note: r.note.clone(),
                steps: r
                    .steps
                    .iter()
                    .map(|s| StepLine {
                        words: status_words(s.status),
                        at: zone.minute(s.at),
                        by: s.author_name.clone().unwrap_or_else(|| s.author.clone()),
                        note: s.note.clone(),
                    })
                    .collect(),
                next,
            }
        })
        .collect();
    let in_force = releases
        .iter()
        .filter(|r| r.standing == Standing::InForce && r.partner.is_some())
        .map(|r| {
            let to = r.partner.and_then(partner_name).unwrap_or_default();
            let words = format!(
                "{to}: {} (until {})",
                part_words(&r.terms.shares),
                format_date(r.terms.ends_on)
            );
            (r.id.to_string(), words)
        })
        .collect();
    let today = zone.day(app.now());
    let release_form = may(Action::WriteRelease).then(|| match &mut returned {
        Returned::Release(typed, problem) => Typed::new(
            links::of_client(links::RELEASES, id),
            std::mem::take(typed),
            Some(problem.clone()),
        ),
        _ => Typed::new(
            links::of_client(links::RELEASES, id),
            ReleaseForm {
                method: "signed-on-screen".into(),
                cosigner: "none".into(),
                starts_on: today.clone(),
                ..ReleaseForm::default()
            },
            None,
        ),
    });
    let referral_form = may(Action::WriteReferral).then(|| match &mut returned {
        Returned::Referral(typed, problem) => Typed::new(
            links::of_client(links::REFERRALS, id),
            std::mem::take(typed),
            Some(problem.clone()),
        ),
        _ => Typed::new(
            links::of_client(links::REFERRALS, id),
            ReferralForm::default(),
            None,
        ),
    });
    let status = if failed {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    render(
        status,
        &ReferralsPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: client.preferred_name,
            back: links::client_section(id, "referrals"),
            releases: release_lines,
            referrals: referral_lines,
            partners: partners
                .iter()
                .map(|p| (p.id.to_string(), p.name.clone()))
                .collect(),
            parts: PARTS,
            service_types: type_groups(),
            cosigners: COSIGNERS,
            methods: METHODS,
            withdrawals: WITHDRAWALS,
            in_force,
            release_days: app.rules().release_days,
            directory: links::PARTNERS,
            release_form,
            referral_form,
        },
    )
}

async fn page(at: super::on_client::OnClient) -> Response {
    referrals_page(&at.app, &at.signed_in, at.id, Returned::Nothing).await
}

impl CameBack for Returned {
    const PAGE: &'static str = links::REFERRALS;

    async fn again(self, app: &app::App, signed_in: &SignedIn, id: ClientId) -> Response {
        referrals_page(app, signed_in, id, self).await
    }
}

async fn give(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<Fields>,
) -> Response {
    let Some(form) = ReleaseForm::read(&form) else {
        return bad_form();
    };
    let parsed = (|| {
        let partner = match form.partner.trim() {
            "" => None,
            raw => Some(
                raw.parse()
                    .map_err(|_| InvalidInput::new("partner", "is not in the directory"))?,
            ),
        };
        let ends_on = match form.ends_on.trim() {
            "" => None,
            raw => Some(parse_case_date("ends_on", raw)?),
        };
        let release = RawRelease {
            recipient: &form.recipient,
            purpose: &form.purpose,
            shares: &form.shares,
            method: &form.method,
            witness: Some(&form.witness),
            cosigner: &form.cosigner,
            cosigner_of_concern: form.of_concern,
            starts_on: parse_case_date("starts_on", &form.starts_on)?,
            ends_on,
        }
        .parse(app.rules().release_days)?;
        Ok::<_, InvalidInput>((partner, release))
    })();
    let done = page::acted(parsed, async |(partner, release)| {
        let purpose = app::Purpose::CaseWork;
        app.record_release(&signed_in.caller, id, partner, release, purpose)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| Returned::Release(form, p)).await
}

async fn draft(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<Fields>,
) -> Response {
    let Some(form) = ReferralForm::read(&form) else {
        return bad_form();
    };
    let parsed = RawReferral {
        partner: &form.partner,
        service: &form.service,
        shares: &form.shares,
        release: Some(&form.release),
        note: Some(&form.note),
    }
    .parse();
    let done = page::acted(parsed, async |referral| {
        app.draft_referral(&signed_in.caller, id, referral, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| Returned::Referral(form, p)).await
}

async fn withdraw(
    State(app): State<app::App>,
    RecordIds(id, release): RecordIds<ClientId, ReleaseId>,
    StaffForm { signed_in, form }: StaffForm<WithdrawForm>,
) -> Response {
    let done = page::acted(Withdrawal::parse(form.how.trim()), async |how| {
        app.withdraw_release(&signed_in.caller, id, release, how, app::Purpose::CaseWork)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| {
        Returned::Withdraw(release, p)
    })
    .await
}

async fn step(
    State(app): State<app::App>,
    RecordIds(id, referral): RecordIds<ClientId, ReferralId>,
    StaffForm { signed_in, form }: StaffForm<StepForm>,
) -> Response {
    let parsed = ReferralStatus::parse(form.status.trim())
        .and_then(|to| Ok((to, ReferralNote::parse_optional(Some(&form.note))?)));
    let done = page::acted(parsed, async |(to, note)| {
        let purpose = app::Purpose::CaseWork;
        app.step_referral(&signed_in.caller, id, referral, to, note, purpose)
            .await
    })
    .await;
    after(&app, &signed_in, id, done, |p| {
        Returned::Step(referral, form, p)
    })
    .await
}

#[derive(Template)]
#[template(path = "staff/referral_sheet.html")]
struct SheetPage {
    chrome: Option<Chrome>,
    name: String,
    partner: String,
    service: String,
    parts: Vec<(&'static str, Vec<String>)>,
    back: String,
}

/// The referral's sheet, what the partner is given: only while a release allows it (P22).
async fn sheet(
    State(app): State<app::App>,
    RecordIds(id, referral): RecordIds<ClientId, ReferralId>,
    signed_in: SignedIn,
) -> Response {
    let caller = &signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let sheet = match app.referral_sheet(caller, id, referral, purpose).await {
        Ok(sheet) => sheet,
        Err(app::AppError::Invalid(problem)) => {
            return page::message(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "This sheet cannot be shared now",
                &format!(
                    "Nothing of the record was shown. The {problem}: ask the person whether they want to give a new release."
                ),
            );
        }
        Err(err) => return page::failure(err),
    };
    let name = sheet
        .parts
        .iter()
        .find(|(part, _)| *part == SharedPart::Name)
        .and_then(|(_, lines)| lines.first().cloned())
        .unwrap_or_else(|| "the person".to_owned());
    let parts = sheet
        .parts
        .into_iter()
        .map(|(part, lines)| {
            let label = PARTS
                .iter()
                .find(|p| p.code == part.as_str())
                .map_or("", |p| p.label);
            (label, lines)
        })
        .collect();
    render(
        axum::http::StatusCode::OK,
        &SheetPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name,
            partner: sheet.partner_name,
            service: format!("{} {}", sheet.service.as_str(), sheet.service.kind().label),
            parts,
            back: links::of_client(links::REFERRALS, id),
        },
    )
}

/// The coded lists must offer every code the domain has, and only those.
#[cfg(test)]
mod tests {
    use domain::release::Cosigner;

    use super::*;

    /// The codes of a list of (code, words).
    fn codes<'a>(list: &[(&'a str, &str)]) -> Vec<&'a str> {
        list.iter().map(|(code, _)| *code).collect()
    }

    #[test]
    fn every_code_has_its_words() {
        let cosigners: Vec<&str> = Cosigner::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes(COSIGNERS), cosigners);
        let methods: Vec<&str> = ReleaseMethod::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes(METHODS), methods);
        let ways: Vec<&str> = Withdrawal::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes(WITHDRAWALS), ways);
        let parts: Vec<&str> = PARTS.iter().map(|p| p.code).collect();
        let domain: Vec<&str> = SharedPart::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(parts, domain);
    }
}
