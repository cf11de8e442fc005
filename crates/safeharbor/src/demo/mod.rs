//! Demo data: made-up clients, cases (some closed, one re-opened), notes, contacts, services,
//! needs and outcome assessments, service plans, partners, releases and referrals, the same every
//! time for the same seed. Nothing here describes a real person or organisation.

use app::{App, Caller, NewCase, Purpose};
use domain::case::{CaseDates, ProgramCode, ProgramName};
use domain::client::{
    AgeBand, ContactDetails, Gender, Language, NewClient, PersonalDetails, PreferredName,
    SafetyFlags,
};
use domain::closure::RawClosure;
use domain::contact::{Minutes, RawContact};
use domain::contact_request::RawContactRequest;
use domain::legal::{FactSource, Facts};
use domain::needs::{NeedDomain, RawAnswer, RawAssessment};
use domain::note::{NewNote, NoteKind, NoteText};
use domain::outcome::{OutcomeDomain, RawOutcomes};
use domain::partner::RawPartner;
use domain::referral::{RawReferral, ReferralStatus};
use domain::release::{RawRelease, Withdrawal};
use domain::service::{RawService, Units};
use domain::signin::NewPassword;
use domain::{ClientId, PartnerId, ReleaseId, Role};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

mod plans;

/// Other names some demo clients are known by.
const OTHER_NAMES: &[&str] = &["Lu", "Dani", "Nena", "Sol", "Kiki", "Jojo", "Bebe"];

const FIRST: &[&str] = &[
    "Amaya", "Brisa", "Celeste", "Dalia", "Esme", "Flor", "Gia", "Halle", "Inez", "Jada", "Kira",
    "Luz", "Mara", "Nia", "Opal", "Paz", "Quinn", "Rhea", "Sol", "Tess", "Uma", "Vera", "Wren",
    "Ximena", "Yara", "Zuri", "Alex", "Jordan", "Sam", "River",
];
const LAST: &[&str] = &[
    "Arbor",
    "Brookfield",
    "Calder",
    "Dunmore",
    "Ellery",
    "Fairhaven",
    "Glenrock",
    "Hollis",
    "Ivers",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merrow",
    "Northcott",
    "Oakhurst",
    "Pellow",
    "Quarry",
    "Rowan",
    "Sable",
    "Thorne",
];
/// The demo organisation's programs: (code, name).
const PROGRAMS: &[(&str, &str)] = &[
    ("youth-drop-in", "Youth drop-in"),
    ("adult-advocacy", "Adult advocacy"),
    ("emergency-shelter", "Emergency shelter"),
    ("legal-relief", "Legal relief"),
];
/// Demo notes, each of its kind.
const NOTES: &[(NoteKind, &str)] = &[
    (
        NoteKind::General,
        "Met at the drop-in centre. Talked about what she needs this week: a phone only she uses, and food.",
    ),
    (
        NoteKind::Health,
        "Called at the agreed safe time. Confirmed the appointment at the clinic on Thursday.",
    ),
    (
        NoteKind::General,
        "Accompanied to the benefits office. Paperwork started; next step is an ID document.",
    ),
    (
        NoteKind::Housing,
        "Check-in by text using the code word. Reports feeling safer since moving to the shelter.",
    ),
    (
        NoteKind::Safety,
        "Discussed the safety plan again and updated the safe contact times.",
    ),
    (
        NoteKind::Health,
        "Referral to counselling made with consent. First session booked.",
    ),
];
const LANGUAGES: &[&str] = &[
    "English",
    "Spanish",
    "Tagalog",
    "Vietnamese",
    "Haitian Creole",
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

/// Makes a demo account that can sign in: password set, authenticator enrolled.
async fn account(app: &App, username: &str, role: Role) -> anyhow::Result<(Caller, DemoAccount)> {
    let (user, token) = app.add_user(username, role).await?;
    let password = fresh_password(app);
    app.set_password(user.id, &NewPassword::parse(&password, &[username])?)
        .await?;
    let secret = app.begin_totp(user.id).await?;
    // Enrolled with the code of the 30 seconds before: the code the newcomer's app shows now is
    // still unused, so they can sign in at once.
    let before = app.now().unix_millis() / 1000 - 30;
    anyhow::ensure!(
        app.confirm_totp(user.id, &secret.code(before)).await?,
        "the demo authenticator could not be enrolled"
    );
    let caller = Caller {
        id: user.id,
        username: user.username,
        role: user.role,
    };
    let account = DemoAccount {
        username: username.to_owned(),
        role,
        password,
        authenticator_key: secret.base32(),
        api_token: token.secret,
    };
    Ok((caller, account))
}

/// Seeds `clients` clients into `app`; returns the demo accounts.
pub async fn seed(
    app: &App,
    clients: u32,
    seed: u64,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Vec<DemoAccount>> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    for (code, name) in PROGRAMS {
        app.add_program(&ProgramCode::parse(code)?, &ProgramName::parse(name)?)
            .await?;
    }
    let mut accounts = Vec::new();
    let mut callers = Vec::new();
    for (username, role) in STAFF {
        let (caller, account) = account(app, username, *role).await?;
        callers.push(caller);
        accounts.push(account);
    }
    // One team: the supervisor leads it; the case manager and the outreach worker are on it, so
    // the supervisor's team caseload holds every demo client.
    let admin = &callers[3];
    let team = app.create_team(admin, "Demo team").await?;
    for (caller, leads) in [
        (&callers[2], true),
        (&callers[0], false),
        (&callers[1], false),
    ] {
        app.put_team_member(admin, team, caller.id, leads).await?;
    }
    let manager = &callers[0];
    let partners = partners(app, &callers[2]).await?;
    let today = app.now().date();
    for n in 0..clients {
        let first = FIRST.choose(&mut rng).copied().unwrap_or("Alex");
        let last = LAST.choose(&mut rng).copied().unwrap_or("Rowan");
        let age = rng.gen_range(14..45);
        let born = today
            .replace_year(today.year() - age)
            .unwrap_or(today)
            .saturating_sub(time::Duration::days(rng.gen_range(0..365)));
        let languages = LANGUAGES[..rng.gen_range(1..3)]
            .iter()
            .filter_map(|l| Language::parse(l).ok())
            .collect();
        let client = NewClient {
            preferred_name: PreferredName::parse(first)?,
            personal: PersonalDetails {
                legal_name: rng
                    .gen_bool(0.6)
                    .then(|| domain::client::LegalName::parse(&format!("{first} {last}")))
                    .transpose()?,
                date_of_birth: rng
                    .gen_bool(0.7)
                    .then(|| {
                        domain::client::DateOfBirth::parse(&domain::case::format_date(born), today)
                    })
                    .transpose()?,
                // 555-0100 to 555-0199 are reserved for fiction.
                contact: Some(ContactDetails::parse(&format!(
                    "(555) 555-01{:02}",
                    rng.gen_range(0..100)
                ))?),
                languages,
                // Some people are known by another name too (one they used, or were given).
                aliases: (n % 5 == 2)
                    .then(|| {
                        let which = usize::try_from(n).unwrap_or_default() % OTHER_NAMES.len();
                        domain::client::Alias::parse(OTHER_NAMES[which])
                    })
                    .transpose()?
                    .into_iter()
                    .collect(),
            },
            safety: SafetyFlags::parse(
                Some("Text only, weekdays after 6 pm."),
                rng.gen_bool(0.5).then_some("blue heron"),
                Some("Never call. Never write to the home address."),
            )?,
            gender: Some(
                *[
                    Gender::Woman,
                    Gender::Woman,
                    Gender::Woman,
                    Gender::Man,
                    Gender::NonBinary,
                    Gender::PrefersNotToAnswer,
                ]
                .choose(&mut rng)
                .unwrap_or(&Gender::Woman),
            ),
            age_band: rng.gen_bool(0.3).then_some(AgeBand::PrefersNotToAnswer),
        };
        let id = app.create_client_as_operator(manager, client).await?;
        let (code, _) = PROGRAMS.choose(&mut rng).copied().unwrap_or(PROGRAMS[0]);
        let program = ProgramCode::parse(code)?;
        let opened = today.saturating_sub(time::Duration::days(rng.gen_range(1..400)));
        let case = app
            .open_case(
                manager,
                id,
                NewCase {
                    program,
                    dates: CaseDates::new(opened, None)?,
                },
                Purpose::CaseWork,
            )
            .await?;
        for _ in 0..rng.gen_range(1..4) {
            let (kind, text) = NOTES.choose(&mut rng).copied().unwrap_or(NOTES[0]);
            let note = NewNote {
                kind,
                text: NoteText::parse(text)?,
            };
            app.add_note(manager, id, note, Purpose::CaseWork).await?;
        }
        // Every third client has a contact log: tries that did not reach them, and a visit.
        if n % 3 == 0 {
            contacts(app, manager, id, rng.gen_range(1..=CONTACTS.len())).await?;
        }
        // Every fourth client has had their needs assessed, then reassessed, has a service plan
        // and has been given services.
        if n % 4 == 0 {
            needs(app, manager, id).await?;
            if let Some(shelter) = partners.first() {
                plans::plan(app, manager, id, *shelter).await?;
            }
            services(app, manager, id, rng.gen_range(1..=SERVICES.len())).await?;
            let minor = age < 18;
            referrals(app, manager, id, &partners, n % 8 == 0, minor).await?;
        }
        // Every fifth client has outcomes scored at intake and at a six-month review; of them,
        // every other one's case closed (exit outcomes, follow-ups agreed by text) and the
        // tenths' closed when contact was lost and re-opened.
        if n % 5 == 0 {
            outcomes(app, manager, id, n % 10).await?;
            closure(app, manager, (id, case), n % 10 == 0).await?;
        }
        // Every tenth client has a screening and a determination to look at.
        if n % 10 == 0 {
            identification(app, manager, id).await?;
        }
        progress(u64::from(n) + 1);
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

/// A made-up contact: how, whether the person was reached, minutes, who else was there, a note.
type DemoContact = (
    &'static str,
    bool,
    Option<i64>,
    Option<&'static str>,
    Option<&'static str>,
);

/// Made-up contacts, in the order they are logged. Attempts come first: a failed try is logged
/// like any other contact.
const CONTACTS: &[DemoContact] = &[
    (
        "phone",
        false,
        None,
        None,
        Some("No answer at the safe time. Left no message, as agreed."),
    ),
    (
        "text",
        false,
        None,
        None,
        Some("Sent the agreed check-in text; no reply yet."),
    ),
    (
        "in-person",
        true,
        Some(40),
        Some("An interpreter (Spanish)"),
        Some("Met at the drop-in centre. She chose the next date."),
    ),
    ("outreach", true, Some(15), None, None),
];

/// The first `count` of `CONTACTS`, logged now for `client` (the demo's clients are recorded
/// now, and a contact is never dated before its client was recorded).
async fn contacts(
    app: &App,
    manager: &Caller,
    client: ClientId,
    count: usize,
) -> anyhow::Result<()> {
    for (method, reached, minutes, present, note) in CONTACTS.iter().take(count) {
        let contact = RawContact {
            occurred_at: app.now(),
            method,
            reached: *reached,
            minutes: minutes.map(Minutes::new).transpose()?,
            present: *present,
            note: *note,
        }
        .parse(app.now())?;
        app.log_contact(manager, client, contact, Purpose::CaseWork)
            .await?;
    }
    Ok(())
}

/// A made-up service: its type's code, how it was given, minutes, units, a note.
type DemoService = (
    &'static str,
    &'static str,
    Option<i64>,
    Option<i64>,
    Option<&'static str>,
);

/// Made-up services, in the order they are given: a crisis met, a safe place, then the work.
const SERVICES: &[DemoService] = &[
    (
        "C1",
        "in-person",
        Some(60),
        None,
        Some("Safety plan made together."),
    ),
    ("D1", "in-person", None, Some(3), None),
    (
        "B9",
        "in-person",
        None,
        Some(1),
        Some("Taxi to the clinic."),
    ),
    ("X1", "phone", Some(30), None, None),
    (
        "B6",
        "in-person",
        Some(90),
        None,
        Some("Went through the options with the attorney."),
    ),
    ("C4", "video", Some(50), None, None),
];

/// The first `count` of `SERVICES`, given today (the demo's clients are recorded now).
async fn services(
    app: &App,
    manager: &Caller,
    client: ClientId,
    count: usize,
) -> anyhow::Result<()> {
    for (code, mode, minutes, units, note) in SERVICES.iter().take(count) {
        let service = RawService {
            delivered_on: app.now().date(),
            code,
            mode,
            minutes: minutes.map(Minutes::new).transpose()?,
            units: units.map(Units::new).transpose()?,
            note: *note,
        }
        .parse(app.now())?;
        app.record_service(manager, client, service, Purpose::CaseWork)
            .await?;
    }
    Ok(())
}

/// A made-up partner: name, the services it offers, its languages, where, how to reach it.
type DemoPartner = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
);

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

/// A release for the shelter and a referral there under it, sent and accepted (a `minor` signs
/// with a guardian); with
/// `and_withdrawn`, also a release for the legal aid project that the client withdrew by phone
/// after a referral there was declined (the shelter's stays in force).
async fn referrals(
    app: &App,
    manager: &Caller,
    client: ClientId,
    partners: &[PartnerId],
    and_withdrawn: bool,
    minor: bool,
) -> anyhow::Result<()> {
    // A minor's releases are signed with a parent or guardian who is not a person of concern.
    let cosigner = if minor { "parent-or-guardian" } else { "none" };
    let shares = [
        "name".to_owned(),
        "needs".to_owned(),
        "languages".to_owned(),
    ];
    let give = async |partner: PartnerId, recipient, purpose| {
        let release = RawRelease {
            recipient,
            purpose,
            shares: &shares,
            method: "signed-on-screen",
            witness: None,
            cosigner,
            cosigner_of_concern: false,
            starts_on: app.now().date(),
            ends_on: None,
        }
        .parse(app.rules().release_days)?;
        let release = app
            .record_release(manager, client, Some(partner), release, Purpose::CaseWork)
            .await?;
        anyhow::Ok(release)
    };
    let refer =
        async |partner: PartnerId, service: &str, release: ReleaseId, steps: &[ReferralStatus]| {
            let parts = ["name".to_owned(), "needs".to_owned()];
            let referral = RawReferral {
                partner: &partner.to_string(),
                service,
                shares: &parts,
                release: Some(&release.to_string()),
                note: Some("She asked for this herself and chose what to share."),
            }
            .parse()?;
            let id = app
                .draft_referral(manager, client, referral, Purpose::CaseWork)
                .await?;
            for step in steps {
                app.step_referral(manager, client, id, *step, None, Purpose::CaseWork)
                    .await?;
            }
            anyhow::Ok(())
        };
    use ReferralStatus::{Accepted, Declined, Sent};
    let shelter = give(partners[0], "Harbor House shelter", "A safe bed this week").await?;
    refer(partners[0], "D1", shelter, &[Sent, Accepted]).await?;
    if and_withdrawn {
        let purpose = "Advice on a T visa";
        let legal = give(partners[2], "Immigrant Legal Aid Project", purpose).await?;
        refer(partners[2], "B6", legal, &[Sent, Declined]).await?;
        app.withdraw_release(
            manager,
            client,
            legal,
            Withdrawal::ByPhone,
            Purpose::CaseWork,
        )
        .await?;
    }
    Ok(())
}

/// A made-up needs assessment: each answer as (domain, level, note).
type DemoNeeds = &'static [(NeedDomain, &'static str, Option<&'static str>)];

/// Made-up assessments, the first and a reassessment: housing was urgent and is now met in
/// part, the documents were found, and the person still prefers not to talk about substance use.
const NEEDS: [(DemoNeeds, Option<&str>); 2] = [
    (
        &[
            (
                NeedDomain::Safety,
                "some",
                Some("Feels safe at the shelter, not on the bus."),
            ),
            (
                NeedDomain::Housing,
                "urgent",
                Some("Staying with a friend until the end of the week."),
            ),
            (NeedDomain::MentalHealth, "some", None),
            (NeedDomain::SubstanceUse, "prefers-not-to-say", None),
            (
                NeedDomain::IdentityDocuments,
                "urgent",
                Some("Passport kept by the person she worked for."),
            ),
        ],
        Some("First talk about needs, at the drop-in centre, with an interpreter."),
    ),
    (
        &[
            (
                NeedDomain::Safety,
                "some",
                Some("Feels safe at the shelter, not on the bus."),
            ),
            (
                NeedDomain::Housing,
                "some",
                Some("A room at the shelter for 90 days."),
            ),
            (
                NeedDomain::MentalHealth,
                "some",
                Some("Would like a counsellor who speaks Spanish."),
            ),
            (NeedDomain::SubstanceUse, "prefers-not-to-say", None),
            (
                NeedDomain::Legal,
                "some",
                Some("Asked about clearing an old charge."),
            ),
            (
                NeedDomain::IdentityDocuments,
                "none",
                Some("Birth certificate ordered."),
            ),
        ],
        None,
    ),
];

/// `NEEDS` recorded today for `client`, the first and then the reassessment (the demo's clients
/// are recorded now, and an assessment is never dated before its client was recorded).
async fn needs(app: &App, manager: &Caller, client: ClientId) -> anyhow::Result<()> {
    for (answers, note) in NEEDS {
        let assessment = RawAssessment {
            assessed_on: app.now().date(),
            answers: answers
                .iter()
                .map(|(domain, level, note)| {
                    let answer = RawAnswer {
                        level: Some(*level),
                        note: *note,
                    };
                    (*domain, answer)
                })
                .collect(),
            note,
        }
        .parse(app.now())?;
        app.assess_needs(manager, client, assessment, Purpose::CaseWork)
            .await?;
    }
    Ok(())
}

/// Made-up outcome scores at intake, at the six-month review and at exit (safety, housing
/// stability, legal status, physical and mental well-being, income and education, social
/// support), a blank where the person was not asked; each notes where it was taken.
const OUTCOMES: &[(&str, [&str; 7], &str)] = &[
    (
        "intake",
        ["2", "1", "prefers-not-to-say", "3", "2", "1", "2"],
        "At the drop-in centre.",
    ),
    (
        "six-month",
        ["3", "3", "2", "3", "3", "2", "3"],
        "Review with her worker.",
    ),
    (
        "exit",
        ["4", "4", "", "4", "3", "3", "4"],
        "Before moving on.",
    ),
];

/// Outcomes of `client`, recorded today (never dated before the client was recorded): at intake
/// and the six-month review, and at exit for a closing case (`exit` 5).
async fn outcomes(app: &App, manager: &Caller, client: ClientId, exit: u32) -> anyhow::Result<()> {
    for (point, scores, note) in OUTCOMES {
        if *point == "exit" && exit != 5 {
            continue;
        }
        let assessment = RawOutcomes {
            point: Some(point),
            assessed_on: app.now().date(),
            scores: OutcomeDomain::ALL
                .into_iter()
                .zip(scores.map(Some))
                .collect(),
            note: Some(note),
        }
        .parse(app.now())?;
        app.assess_outcomes(manager, client, assessment, Purpose::CaseWork)
            .await?;
    }
    Ok(())
}

/// Closes `case` today: goals met with follow-ups agreed by text; or, `lost`, when contact was
/// lost, then re-opened when the person came back.
async fn closure(
    app: &App,
    manager: &Caller,
    (client, case): (ClientId, domain::CaseId),
    lost: bool,
) -> anyhow::Result<()> {
    let today = app.now().date();
    let agreed = RawClosure {
        closed_on: today,
        reason: Some("goals-met"),
        note: Some("Settled in her own flat; a job at the bakery."),
        follow_up: Some("yes"),
        reach_method: Some("text"),
        reach_how: Some("Texts only, after 6 pm; say it's Maya from the drop-in."),
    };
    let closure = if lost {
        RawClosure {
            reason: Some("lost-contact"),
            note: Some("No reply for two months at the safe times."),
            follow_up: None,
            reach_method: None,
            reach_how: None,
            ..agreed
        }
    } else {
        agreed
    };
    app.close_case(manager, client, case, closure.parse()?, Purpose::CaseWork)
        .await?;
    if lost {
        app.reopen_case(manager, client, case, today, Purpose::CaseWork)
            .await?;
    }
    Ok(())
}

/// A made-up screening (the youth shelter questions, one yes) and a determination: given a place to
/// stay and exchanged for money while under 18, means not yet asked about.
async fn identification(app: &App, manager: &Caller, client: ClientId) -> anyhow::Result<()> {
    let answers = [("traded-sex", "yes"), ("unsafe-work", "no")]
        .into_iter()
        .map(|(item, answer)| (item.to_owned(), answer.to_owned()))
        .collect();
    app.record_screening(manager, client, "qyit-4", &answers, Purpose::CaseWork)
        .await?;
    let facts = Facts::parse_json(
        r#"{"person": {"age_at_first_act": 16}, "period": {"from": "2025-06-01"},
            "actions": {"harboring": true},
            "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}}"#,
    )?;
    let sources = [
        "person.age_at_first_act",
        "period.from",
        "actions.harboring",
        "purpose.sex_act",
        "purpose.anything_of_value_given_or_received",
    ]
    .into_iter()
    .map(|path| (path, FactSource::OwnAccount))
    .collect();
    app.record_determination(manager, client, facts, &sources, Purpose::CaseWork)
        .await?;
    Ok(())
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
