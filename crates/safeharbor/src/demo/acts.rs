//! The demo's case work, one act at a time, through the app's own use cases: each is dated by
//! the clock the demo holds at the act's moment (`year`), as if done then.

use app::{App, Caller, NewCase, Purpose};
use domain::case::{CaseDates, ProgramCode};
use domain::closure::{FollowUpAt, RawClosure};
use domain::contact::{Minutes, RawContact};
use domain::legal::{FactSource, Facts};
use domain::needs::{RawAnswer, RawAssessment};
use domain::note::{NewNote, NoteText};
use domain::outcome::{OutcomeDomain, RawOutcomes};
use domain::referral::{RawReferral, ReferralStatus};
use domain::release::{RawRelease, Withdrawal};
use domain::service::{RawService, Units};
use domain::{CaseId, ClientId, GoalId, PartnerId, PlanStepId, ReferralId, ReleaseId};
use time::Date;

use super::people::Person;
use super::plans;
use super::texts::{CONTACTS, NEEDS, NOTES, OUTCOMES, SERVICES};

/// The demo's partners, in the order of `PARTNERS`.
pub(super) const SHELTER: usize = 0;
pub(super) const CLINIC: usize = 1;
pub(super) const LEGAL_AID: usize = 2;

/// What each partner is asked for: (the release's purpose, the service).
const ASKED: [(&str, &str); 3] = [
    ("A safe bed this week", "D1"),
    ("A check-up and a dentist", "X6"),
    ("Advice on a T visa", "B6"),
];

/// One piece of a client's year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Act {
    /// Recorded at intake, and a case opened that day.
    Record,
    Note(usize),
    Contact(usize),
    Service(usize),
    /// `NEEDS[i]`: the first assessment, then the reassessment.
    Needs(usize),
    /// `OUTCOMES[i]`: at intake, a six-month review or exit.
    Outcomes(usize),
    /// A screening and a determination.
    Screening,
    /// The plan's goals set (`plans::GOALS`).
    Plan,
    /// The step in the ledger's `slot` done.
    StepDone(usize),
    /// `plans::NEXT_STEPS[words]` added to the first goal.
    AddStep {
        words: usize,
        target_on: Date,
    },
    /// The plan's `k`th review.
    Review(usize),
    /// A release for a partner, then a referral there under it (drafted and sent), its answer.
    Release(usize),
    Refer(usize),
    Answer(usize, ReferralStatus),
    /// The release for a partner withdrawn by phone.
    Withdraw(usize),
    Close {
        lost: bool,
    },
    Reopen,
    /// A follow-up after closing, as `CONTACTS[i]` went.
    FollowUp(FollowUpAt, usize),
}

/// Who does the demo's work, and with which partners (in the order of `PARTNERS`).
#[derive(Debug)]
pub(super) struct Desk<'a> {
    pub app: &'a App,
    pub manager: &'a Caller,
    pub partners: &'a [PartnerId],
}

impl Desk<'_> {
    /// The day it is in the program's zone, by the clock the demo holds.
    pub fn today(&self) -> Date {
        self.app.time_zone().date(self.app.now())
    }
}

/// A demo client: who they are, and their records' ids as their year makes them.
#[derive(Debug)]
pub(super) struct Client {
    /// Until they are recorded.
    pub person: Option<Person>,
    pub program: &'static str,
    /// The day they turn 18.
    pub adult_on: Date,
    pub id: Option<ClientId>,
    pub case: Option<CaseId>,
    pub goals: Vec<GoalId>,
    /// Their plan's steps, in the order they were written.
    pub steps: Vec<PlanStepId>,
    pub releases: [Option<ReleaseId>; 3],
    pub referrals: [Option<ReferralId>; 3],
}

impl Client {
    pub fn new(person: Person, program: &'static str) -> Self {
        Self {
            adult_on: person.adult_on,
            person: Some(person),
            program,
            id: None,
            case: None,
            goals: Vec::new(),
            steps: Vec::new(),
            releases: [None; 3],
            referrals: [None; 3],
        }
    }

    pub fn id(&self) -> anyhow::Result<ClientId> {
        self.id
            .ok_or_else(|| anyhow::anyhow!("demo work before its client was recorded"))
    }

    fn case(&self) -> anyhow::Result<CaseId> {
        self.case
            .ok_or_else(|| anyhow::anyhow!("demo case work before the case was opened"))
    }
}

/// Does `act` for `client` now (by the clock the demo holds).
pub(super) async fn act(desk: &Desk<'_>, client: &mut Client, act: Act) -> anyhow::Result<()> {
    let (app, manager, work) = (desk.app, desk.manager, Purpose::CaseWork);
    match act {
        Act::Record => record(desk, client).await,
        Act::Note(i) => {
            let (kind, text) = NOTES[i];
            let note = NewNote {
                kind,
                text: NoteText::parse(text)?,
            };
            app.add_note(manager, client.id()?, note, work).await?;
            Ok(())
        }
        Act::Contact(i) => contact(desk, client, i, None).await,
        Act::FollowUp(at, i) => contact(desk, client, i, Some(at)).await,
        Act::Service(i) => service(desk, client, i).await,
        Act::Needs(i) => needs(desk, client, i).await,
        Act::Outcomes(i) => outcomes(desk, client, i).await,
        Act::Screening => identification(desk, client).await,
        Act::Plan => plans::set(desk, client).await,
        Act::StepDone(slot) => plans::step_done(desk, client, slot).await,
        Act::AddStep { words, target_on } => {
            plans::add_step(desk, client, (words, target_on)).await
        }
        Act::Review(k) => plans::review(desk, client, k).await,
        Act::Release(partner) => release(desk, client, partner).await,
        Act::Refer(partner) => refer(desk, client, partner).await,
        Act::Answer(partner, status) => {
            let referral = client.referrals[partner]
                .ok_or_else(|| anyhow::anyhow!("a demo answer before its referral"))?;
            app.step_referral(manager, client.id()?, referral, status, None, work)
                .await?;
            Ok(())
        }
        Act::Withdraw(partner) => {
            let release = client.releases[partner]
                .ok_or_else(|| anyhow::anyhow!("a demo withdrawal before its release"))?;
            app.withdraw_release(manager, client.id()?, release, Withdrawal::ByPhone, work)
                .await?;
            Ok(())
        }
        Act::Close { lost } => close(desk, client, lost).await,
        Act::Reopen => {
            let today = desk.today();
            app.reopen_case(manager, client.id()?, client.case()?, today, work)
                .await?;
            Ok(())
        }
    }
}

/// Records the client (the case manager assigned) and opens their case today.
async fn record(desk: &Desk<'_>, client: &mut Client) -> anyhow::Result<()> {
    let person = client
        .person
        .take()
        .ok_or_else(|| anyhow::anyhow!("a demo client recorded twice"))?;
    let app = desk.app;
    let id = app
        .create_client_as_operator(desk.manager, person.client)
        .await?;
    let case = NewCase {
        program: ProgramCode::parse(client.program)?,
        dates: CaseDates::new(desk.today(), None)?,
    };
    client.id = Some(id);
    client.case = Some(
        app.open_case(desk.manager, id, case, Purpose::CaseWork)
            .await?,
    );
    Ok(())
}

/// `CONTACTS[i]`, logged now; with `follow_up`, as that follow-up after the case closed.
async fn contact(
    desk: &Desk<'_>,
    client: &Client,
    i: usize,
    follow_up: Option<FollowUpAt>,
) -> anyhow::Result<()> {
    let (app, work) = (desk.app, Purpose::CaseWork);
    let (method, reached, minutes, present, note) = CONTACTS[i];
    let contact = RawContact {
        occurred_at: app.now(),
        method,
        reached,
        minutes: minutes.map(Minutes::new).transpose()?,
        present,
        note,
    }
    .parse(app.now())?;
    let id = client.id()?;
    match follow_up {
        None => {
            app.log_contact(desk.manager, id, contact, work).await?;
        }
        Some(at) => {
            let follow_up = (at, contact);
            app.record_follow_up(desk.manager, id, client.case()?, follow_up, work)
                .await?;
        }
    }
    Ok(())
}

/// `SERVICES[i]`, given today.
async fn service(desk: &Desk<'_>, client: &Client, i: usize) -> anyhow::Result<()> {
    let (code, mode, minutes, units, note) = SERVICES[i];
    let app = desk.app;
    let service = RawService {
        delivered_on: desk.today(),
        code,
        mode,
        minutes: minutes.map(Minutes::new).transpose()?,
        units: units.map(Units::new).transpose()?,
        note,
    }
    .parse(app.now())?;
    app.record_service(desk.manager, client.id()?, service, Purpose::CaseWork)
        .await?;
    Ok(())
}

/// `NEEDS[i]`, assessed today.
async fn needs(desk: &Desk<'_>, client: &Client, i: usize) -> anyhow::Result<()> {
    let (answers, note) = NEEDS[i];
    let app = desk.app;
    let assessment = RawAssessment {
        assessed_on: desk.today(),
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
    app.assess_needs(desk.manager, client.id()?, assessment, Purpose::CaseWork)
        .await?;
    Ok(())
}

/// `OUTCOMES[i]`, scored today.
async fn outcomes(desk: &Desk<'_>, client: &Client, i: usize) -> anyhow::Result<()> {
    let (point, scores, note) = OUTCOMES[i];
    let app = desk.app;
    let assessment = RawOutcomes {
        point: Some(point),
        assessed_on: desk.today(),
        scores: OutcomeDomain::ALL
            .into_iter()
            .zip(scores.map(Some))
            .collect(),
        note: Some(note),
    }
    .parse(app.now())?;
    app.assess_outcomes(desk.manager, client.id()?, assessment, Purpose::CaseWork)
        .await?;
    Ok(())
}

/// A release for `partner`, from today, signed on screen (with a guardian by a minor) and
/// sharing the name, the needs and the languages.
async fn release(desk: &Desk<'_>, client: &mut Client, partner: usize) -> anyhow::Result<()> {
    let today = desk.today();
    let ((recipient, ..), (purpose, _)) = (super::PARTNERS[partner], ASKED[partner]);
    // A minor's releases are signed with a parent or guardian who is not a person of concern.
    let minor = today < client.adult_on;
    let shares = [
        "name".to_owned(),
        "needs".to_owned(),
        "languages".to_owned(),
    ];
    let release = RawRelease {
        recipient,
        purpose,
        shares: &shares,
        method: "signed-on-screen",
        witness: None,
        cosigner: if minor { "parent-or-guardian" } else { "none" },
        cosigner_of_concern: false,
        starts_on: today,
        ends_on: None,
    }
    .parse(desk.app.rules().release_days)?;
    let id = desk
        .app
        .record_release(
            desk.manager,
            client.id()?,
            Some(desk.partners[partner]),
            release,
            Purpose::CaseWork,
        )
        .await?;
    client.releases[partner] = Some(id);
    Ok(())
}

/// A referral to `partner` under the release for it, drafted and sent.
async fn refer(desk: &Desk<'_>, client: &mut Client, partner: usize) -> anyhow::Result<()> {
    let (_, service) = ASKED[partner];
    let release = client.releases[partner]
        .ok_or_else(|| anyhow::anyhow!("a demo referral before its release"))?;
    let parts = ["name".to_owned(), "needs".to_owned()];
    let referral = RawReferral {
        partner: &desk.partners[partner].to_string(),
        service,
        shares: &parts,
        release: Some(&release.to_string()),
        note: Some("She asked for this herself and chose what to share."),
    }
    .parse()?;
    let (app, id, work) = (desk.app, client.id()?, Purpose::CaseWork);
    let referral = app.draft_referral(desk.manager, id, referral, work).await?;
    app.step_referral(desk.manager, id, referral, ReferralStatus::Sent, None, work)
        .await?;
    client.referrals[partner] = Some(referral);
    Ok(())
}

/// Closes the case today: goals met with follow-ups agreed by text; or, `lost`, when contact
/// was lost.
async fn close(desk: &Desk<'_>, client: &Client, lost: bool) -> anyhow::Result<()> {
    let agreed = RawClosure {
        closed_on: desk.today(),
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
    let (id, case) = (client.id()?, client.case()?);
    desk.app
        .close_case(desk.manager, id, case, closure.parse()?, Purpose::CaseWork)
        .await?;
    Ok(())
}

/// A made-up screening (the youth shelter questions, one yes) and a determination: given a place to
/// stay and exchanged for money while under 18, means not yet asked about.
async fn identification(desk: &Desk<'_>, client: &Client) -> anyhow::Result<()> {
    let (app, manager, id) = (desk.app, desk.manager, client.id()?);
    let answers = [("traded-sex", "yes"), ("unsafe-work", "no")]
        .into_iter()
        .map(|(item, answer)| (item.to_owned(), answer.to_owned()))
        .collect();
    app.record_screening(manager, id, "qyit-4", &answers, Purpose::CaseWork)
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
    app.record_determination(manager, id, facts, &sources, Purpose::CaseWork)
        .await?;
    Ok(())
}
