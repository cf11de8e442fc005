//! Demo data: made-up clients with about a year of case work each (recorded any day of the last
//! thirteen months, then notes, contacts, services, needs and outcome assessments, service plans,
//! releases and referrals, cases closed and re-opened, each on its day), partners, staff and
//! contact requests, the same every time for the same seed on the same day. Nothing here
//! describes a real person or organisation.
//!
//! The year is written under a clock the demo holds at each act's moment, since the app dates
//! every record by its clock; the accounts' passwords, authenticators and tokens are made once
//! it lets go, so they work from the moment the demo serves.

use std::sync::Arc;

use app::{App, Caller, HeldClock};
use domain::Timestamp;
use domain::case::{ProgramCode, ProgramName};
use domain::contact_request::RawContactRequest;
use domain::partner::RawPartner;
use domain::signin::NewPassword;
use domain::{PartnerId, Role, UserId};
use rand::SeedableRng;
use rand::seq::SliceRandom;

mod acts;
mod long;
pub(crate) mod people;
mod plans;
mod texts;
mod year;

pub use long::long_histories;

/// The demo organisation's programs: (code, name).
pub(crate) const PROGRAMS: &[(&str, &str)] = &[
    ("youth-drop-in", "Youth drop-in"),
    ("adult-advocacy", "Adult advocacy"),
    ("emergency-shelter", "Emergency shelter"),
    ("legal-relief", "Legal relief"),
];

/// The demo's staff: (username, role). The first one gets every client.
pub const STAFF: &[(&str, Role)] = &[
    ("demo.casemanager", Role::CaseManager),
    ("demo.outreach", Role::Outreach),
    ("demo.supervisor", Role::Supervisor),
    ("demo.admin", Role::Administrator),
];

/// A demo account and how to sign in to it.
#[derive(Debug)]
pub struct DemoAccount {
    pub username: String,
    pub role: Role,
    /// Made up afresh on every run: the demo has no fixed password either.
    pub password: String,
    /// The authenticator key (base32), for an app or `oathtool --totp -b KEY`.
    pub authenticator_key: String,
    pub api_token: String,
}

/// The clock an app for the demo runs on: the system's, held while the demo writes its year.
pub fn clock() -> Arc<HeldClock> {
    Arc::new(HeldClock::new(Arc::new(app::SystemClock)))
}

/// A password of four random four-letter groups, from the app's own randomness.
fn fresh_password(app: &App) -> String {
    let bytes: [u8; 16] = app.entropy().bytes();
    let letters: Vec<char> = bytes.iter().map(|b| char::from(b'a' + b % 26)).collect();
    letters
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// Makes a demo account that can sign in now: password set, authenticator enrolled, a fresh
/// API token (the one made with the account may have expired in the demo's year).
pub(crate) async fn enrol(app: &App, caller: &Caller) -> anyhow::Result<DemoAccount> {
    let (user, username) = (caller.id, caller.username.as_str());
    let password = fresh_password(app);
    app.set_password(user, &NewPassword::parse(&password, &[username])?)
        .await?;
    let secret = app.begin_totp(user).await?;
    // Enrolled with the code of the 30 seconds before: the code the newcomer's app shows now is
    // still unused, so they can sign in at once.
    let before = app.now().unix_millis() / 1000 - 30;
    anyhow::ensure!(
        app.confirm_totp(user, &secret.code(before)).await?,
        "the demo authenticator could not be enrolled"
    );
    let token = app.create_token(username, "demo", 90).await?;
    Ok(DemoAccount {
        username: username.to_owned(),
        role: caller.role,
        password,
        authenticator_key: secret.base32(),
        api_token: token.secret,
    })
}

/// Seeds `clients` clients into `app`, which runs on `clock`: their years under the clock held
/// in the past, then the accounts and the contact requests in real time, where the clock is
/// left. Reports how many clients' worth of work is done as it goes; returns the accounts.
pub async fn seed(
    app: &App,
    clock: &HeldClock,
    clients: u32,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Vec<DemoAccount>> {
    clock.let_go();
    let now = clock.real_now();
    let today = app.time_zone().date(now);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    // Everyone's year, written first and then done in the order of time, as it would have been.
    let mut people = Vec::new();
    let mut years = Vec::new();
    for n in 0..clients {
        let person = people::person(&mut rng, n, today)?;
        let (program, _) = PROGRAMS.choose(&mut rng).copied().unwrap_or(PROGRAMS[0]);
        let year = year::year(
            &mut rng,
            n,
            (today, app.time_zone()),
            app.rules().review_days,
        );
        years.push(year);
        people.push(acts::Client::new(person, program));
    }
    anyhow::ensure!(
        years.iter().flatten().all(|(at, _)| *at < now),
        "the demo's year would reach into the future"
    );
    // The organisation is set up a week before its first client came, at nine.
    let week_before = today.saturating_sub(time::Duration::days(year::OLDEST + 7));
    let opened = Timestamp::from_unix_millis(
        app.time_zone().start_of_day(week_before).unix_millis() + 9 * 3_600_000,
    );
    hold(app, clock, opened)?;
    let (callers, partners) = organisation(app).await?;
    let desk = acts::Desk {
        app,
        manager: &callers[0],
        partners: &partners,
    };
    carry_out(&desk, clock, (&mut people, years), &mut progress).await?;
    let mut accounts = Vec::new();
    for caller in &callers {
        accounts.push(enrol(app, caller).await?);
    }
    // A few requests from the public contact form, waiting in the staff queue.
    for (alias, reach, times, code_word) in CONTACT_REQUESTS {
        let request = RawContactRequest {
            alias: (*alias).to_owned(),
            reach: (*reach).to_owned(),
            times: (*times).to_owned(),
            code_word: (*code_word).to_owned(),
        }
        .parse()?;
        app.receive_contact_request(request, "en").await?;
    }
    Ok(accounts)
}

/// One client's acts, each at its moment.
type Plan = Vec<(Timestamp, acts::Act)>;

/// Does each client's acts (`plans`, in the order of `people`), everyone's in the order of time
/// as they would have been done, under `clock` held at each act's moment; then lets it go.
/// Reports how many clients' worth of work is done as it goes.
async fn carry_out(
    desk: &acts::Desk<'_>,
    clock: &HeldClock,
    (people, plans): (&mut [acts::Client], Vec<Plan>),
    progress: &mut impl FnMut(u64),
) -> anyhow::Result<()> {
    let mut work: Vec<_> = plans
        .into_iter()
        .enumerate()
        .flat_map(|(who, plan)| {
            let acts = plan.into_iter().enumerate();
            acts.map(move |(order, (at, act))| (at, who, order, act))
        })
        .collect();
    work.sort_by_key(|(at, who, order, _)| (*at, *who, *order));
    let total = work.len().max(1);
    for (done, (at, who, _, act)) in work.into_iter().enumerate() {
        hold(desk.app, clock, at)?;
        acts::act(desk, &mut people[who], act).await?;
        let share = (done + 1) * people.len() / total;
        progress(u64::try_from(share).unwrap_or(u64::MAX));
    }
    clock.let_go();
    Ok(())
}

/// Holds `clock` at `at`, making sure `app` runs on it (else the demo's dates would be wrong).
fn hold(app: &App, clock: &HeldClock, at: Timestamp) -> anyhow::Result<()> {
    clock.hold_at(at);
    anyhow::ensure!(
        app.now() == at,
        "the demo's app does not run on the demo's clock"
    );
    Ok(())
}

/// The programs, the staff (one team: the supervisor leads it; the case manager and the outreach
/// worker are on it, so the supervisor's team caseload holds every demo client) and the
/// partners; the callers in the order of `STAFF`, the partners in the order of `PARTNERS`.
async fn organisation(app: &App) -> anyhow::Result<(Vec<Caller>, Vec<PartnerId>)> {
    for (code, name) in PROGRAMS {
        app.add_program(&ProgramCode::parse(code)?, &ProgramName::parse(name)?)
            .await?;
    }
    let mut callers = Vec::new();
    for (username, role) in STAFF {
        let (user, _) = app.add_user(username, *role).await?;
        callers.push(Caller {
            id: user.id,
            username: user.username,
            role: user.role,
        });
    }
    let admin = &callers[3];
    let team = app.create_team(admin, "Demo team").await?;
    let members: [(UserId, bool); 3] = [
        (callers[2].id, true),
        (callers[0].id, false),
        (callers[1].id, false),
    ];
    for (member, leads) in members {
        app.put_team_member(admin, team, member, leads).await?;
    }
    let partners = partners(app, &callers[2]).await?;
    Ok((callers, partners))
}

/// A made-up partner: name, the services it offers, its languages, where, how to reach it.
type DemoPartner = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
);

/// The demo's partners: a shelter, a clinic and a legal aid project (`acts::SHELTER`, ...).
const PARTNERS: &[DemoPartner] = &[
    (
        "Harbor House shelter",
        &["D1", "D2", "B9"],
        &["English", "Spanish"],
        "Cook County",
        "Intake line (555) 555-0142; ask for the night advocate.",
    ),
    (
        "Northside Community Clinic",
        &["X6", "C4", "X5"],
        &["English", "Spanish", "Tagalog"],
        "North side",
        "Front desk, say you are from the drop-in; the nurse calls back.",
    ),
    (
        "Immigrant Legal Aid Project",
        &["B6", "E7", "E11"],
        &["English", "Spanish", "Tigrinya"],
        "Statewide",
        "Secure email intake; the paralegal answers within two days.",
    ),
];

/// The demo's partners, added by the supervisor: their ids, in the order of `PARTNERS`.
async fn partners(app: &App, supervisor: &Caller) -> anyhow::Result<Vec<PartnerId>> {
    let mut ids = Vec::new();
    for (name, services, languages, area, reach) in PARTNERS {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let partner = RawPartner {
            name,
            services: &strings(services),
            languages: &strings(languages),
            area: Some(area),
            safe_contact: Some(reach),
        }
        .parse()?;
        ids.push(app.add_partner(supervisor, partner).await?);
    }
    Ok(ids)
}

/// Made-up contact requests: (nickname, safe way to reach, safe time, code word).
const CONTACT_REQUESTS: &[(&str, &str, &str, &str)] = &[
    (
        "Jay",
        "Text (555) 555-0177. Say it is about a library book.",
        "Weekdays 2-4 pm",
        "sparrow",
    ),
    ("M.", "Email jay.example@example.org", "", ""),
];
