//! The case worker's pages about one client: their page (cases, current needs, notes, add a note,
//! the contact log, services), their safety flags, and the intake of a new client with a
//! possible-duplicate warning.

use app::timeline::TimelineQuery;
use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::ClientId;
use domain::client::{AgeBand, DateOfBirth, Gender, RawClient, SafetyFlags};
use domain::note::{NewNote, NoteKind, NoteText};
use domain::policy::Action;
use domain::profile::RawProfile;
use serde::Deserialize;

use super::caseload::{Line, lines};
use super::choices::{CONTACT_METHODS, Choice, ProfileChoices, SERVICE_MODES, age_bands, genders};
use super::contacts::{self, ContactFields};
use super::details::{comma_list, line_list};
use super::history::{self, History};
use super::links;
use super::needs::{self, NeedsSummary};
use super::on_client::{Change, OnClient, client_to};
use super::page::{self, Chrome, Place, RecordId, render};
use super::services::{self, ServiceFields, TypeGroup};
use super::session::{SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(links::CLIENTS, post(create))
        .route(links::NEW_CLIENT, get(intake))
        .route(links::CLIENT, get(client))
        .route(links::NOTES, post(add_note))
        .route(links::CONTACTS, post(contacts::log_contact))
        .route(links::SERVICES, post(services::record_service))
        .route(links::SAFETY, get(safety_form).post(save_safety))
}

struct CaseLine {
    program: String,
    status: &'static str,
    opened_on: String,
    closed_on: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/client.html")]
struct ClientPage {
    chrome: Option<Chrome>,
    action: String,
    client: app::ClientView,
    gender: &'static str,
    age_band: &'static str,
    /// Links to what the reader may do here; `None` where their standing does not allow it.
    safety_href: Option<String>,
    /// The details page: the form for someone who may change them, and their history.
    details_href: String,
    may_edit: bool,
    /// The cases page: the forms for someone who may open, close or move cases.
    cases_href: String,
    /// The outcome assessments page.
    outcomes_href: String,
    may_change_cases: bool,
    /// The releases and referrals page, for someone who may read them.
    referrals_href: Option<String>,
    may_refer: bool,
    /// The service plan, for someone who may read it.
    plan_href: Option<String>,
    may_plan: bool,
    cases: Vec<CaseLine>,
    /// A page of the history: notes, contacts, services and the rest, newest first.
    history: History,
    /// The "Log a contact" form, for someone who may log one.
    contact_form: Option<ContactFields>,
    contact_methods: &'static [Choice],
    /// The "Record a service" form, for someone who may record one.
    service_form: Option<ServiceFields>,
    service_types: Vec<TypeGroup>,
    service_modes: &'static [Choice],
    /// The current needs (the latest assessment), the most pressing first.
    needs: Option<NeedsSummary>,
    /// The needs page: the form for someone who may assess, else the history.
    needs_href: String,
    may_assess: bool,
    screen_href: Option<String>,
    worksheet_href: Option<String>,
    /// For supervisors: the link to who opened this record.
    access_href: Option<String>,
    /// For supervisors: who works with the client, and assigning them.
    assignment: Option<AssignmentPanel>,
    /// Whether the reader holds emergency access (and is told so).
    emergency: bool,
    /// Where a supervisor assigned to the client restricts the record or lifts that.
    restrict_action: Option<String>,
    draft: String,
    /// The kinds of note, and the one chosen (the default, or as typed).
    note_kinds: Vec<Choice>,
    note_kind: String,
    problem: Option<String>,
}

/// A form of a client's page that comes back to be put right: what was typed, and what is wrong.
pub(crate) enum Returned {
    Nothing,
    Note {
        draft: String,
        kind: String,
        problem: String,
    },
    Contact(ContactFields),
    Service(ServiceFields),
}

impl Returned {
    fn has_problem(&self) -> bool {
        match self {
            Returned::Nothing => false,
            Returned::Note { .. } => true,
            Returned::Contact(fields) => fields.has_problem(),
            Returned::Service(fields) => fields.has_problem(),
        }
    }
}

/// Everything on a client's page, each part read (and audited) through the policy, with the page
/// of their history `query` asks for and a form that came back to be put right, if one did.
pub(crate) async fn client_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    query: TimelineQuery,
    returned: Returned,
) -> Response {
    let (caller, zone) = (&signed_in.caller, signed_in.zone());
    let purpose = app::Purpose::CaseWork;
    let app::ClientRecord {
        client,
        cases,
        needs: current_needs,
        timeline,
        relationship,
        programs,
    } = match app
        .client_record(caller, id, query.clone(), zone, purpose)
        .await
    {
        Ok(record) => record,
        Err(err) => return page::failure(err),
    };
    let assignment = assignment_panel(app, signed_in, id).await;
    // Cases name their program by its code; the page says its name.
    let programs = super::cases::choices(programs);
    let may = |action| domain::policy::permits(caller.role, relationship, action);
    let status = if returned.has_problem() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (mut draft, mut problem, mut contact_form, mut service_form) =
        (String::new(), None, None, None);
    let mut note_kind = NoteKind::default().as_str().to_owned();
    match returned {
        Returned::Nothing => {}
        Returned::Note {
            draft: typed,
            kind,
            problem: wrong,
        } => (draft, note_kind, problem) = (typed, kind, Some(wrong)),
        Returned::Contact(fields) => contact_form = Some(fields),
        Returned::Service(fields) => service_form = Some(fields),
    }
    let contact_form = may(Action::WriteContact)
        .then(|| contact_form.unwrap_or_else(|| contacts::blank(id, zone, app.now())));
    let service_form = may(Action::WriteService)
        .then(|| service_form.unwrap_or_else(|| services::blank(id, zone, app.now())));
    render(
        status,
        &ClientPage {
            assignment,
            emergency: relationship == domain::policy::Relationship::Emergency,
            restrict_action: may(Action::RestrictClient)
                .then(|| links::of_client(links::RESTRICT, id)),
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            action: links::of_client(links::NOTES, id),
            safety_href: may(Action::WriteSafety).then(|| links::of_client(links::SAFETY, id)),
            details_href: links::of_client(links::DETAILS, id),
            may_edit: may(Action::EditClient),
            cases_href: links::of_client(links::CASES, id),
            outcomes_href: links::of_client(links::OUTCOMES, id),
            may_change_cases: may(Action::WriteCase),
            referrals_href: may(Action::ReadReferrals)
                .then(|| links::of_client(links::REFERRALS, id)),
            may_refer: may(Action::WriteReferral),
            plan_href: may(Action::ReadPlan).then(|| links::of_client(links::PLAN, id)),
            may_plan: may(Action::WritePlan),
            gender: client.gender.map_or("", Gender::label),
            age_band: client.age_band.map_or("", AgeBand::label),
            history: history::history(id, &client.preferred_name, zone, timeline, &query),
            contact_form,
            contact_methods: CONTACT_METHODS,
            service_form,
            service_types: services::type_groups(),
            service_modes: SERVICE_MODES,
            needs: needs::summary(current_needs.as_ref()),
            needs_href: links::of_client(links::NEEDS, id),
            may_assess: may(Action::WriteNeeds),
            client,
            cases: cases
                .into_iter()
                .map(|c| CaseLine {
                    program: super::cases::program_name(&programs, &c.program),
                    status: c.status.as_str(),
                    opened_on: c.opened_on,
                    closed_on: c.closed_on,
                })
                .collect(),
            screen_href: may(Action::WriteScreening)
                .then(|| links::of_client(links::NEW_SCREENING, id)),
            worksheet_href: may(Action::WriteDetermination)
                .then(|| links::of_client(links::WORKSHEET, id)),
            access_href: may(Action::ReadAccessLog)
                .then(|| links::of_client(links::ACCESS_LOG, id)),
            draft,
            note_kinds: NoteKind::ALL
                .iter()
                .map(|kind| Choice {
                    value: kind.as_str(),
                    label: kind.label(),
                })
                .collect(),
            note_kind,
            problem,
        },
    )
}

/// Who works with a client, on their page (supervisors).
struct AssignmentPanel {
    assign_action: String,
    unassign_action: String,
    /// Whether only one person is assigned (who cannot then be taken off).
    last: bool,
    current: Vec<(String, String)>,
    candidates: Vec<(String, String)>,
}

/// Who works with the client and whom the supervisor could assign them to, when the signed-in
/// role leads teams and so assigns work (else nothing is shown, and nothing is read).
async fn assignment_panel(
    app: &app::App,
    signed_in: &SignedIn,
    client: ClientId,
) -> Option<AssignmentPanel> {
    if !signed_in.may(Action::ListTeamCaseload) {
        return None;
    }
    let assignees = app.assignees(&signed_in.caller, client).await.ok()?;
    let pairs = |people: Vec<(domain::UserId, String)>| {
        people
            .into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect()
    };
    Some(AssignmentPanel {
        assign_action: links::of_client(links::ASSIGN, client),
        unassign_action: links::of_client(links::UNASSIGN, client),
        last: assignees.current.len() <= 1,
        current: pairs(assignees.current),
        candidates: pairs(assignees.candidates),
    })
}

async fn client(at: OnClient, RawQuery(raw): RawQuery) -> Response {
    let Some(query) = history::query(raw.as_deref()) else {
        return page::not_found();
    };
    client_page(&at.app, &at.signed_in, at.id, query, Returned::Nothing).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteForm {
    text: String,
    /// The kind chosen; blank or left out is a case note.
    #[serde(default)]
    kind: String,
}

async fn add_note(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<NoteForm>,
) -> Response {
    let parsed = NoteKind::parse_or_default(Some(&form.kind)).and_then(|kind| {
        Ok(NewNote {
            kind,
            text: NoteText::parse(&form.text)?,
        })
    });
    let note = match parsed {
        Ok(note) => note,
        // What was typed stays in the box, with the problem beside it.
        Err(invalid) => {
            let problem = invalid.to_string();
            let returned = Returned::Note {
                draft: form.text,
                kind: form.kind,
                problem,
            };
            return client_page(&app, &signed_in, id, TimelineQuery::default(), returned).await;
        }
    };
    match app
        .add_note(&signed_in.caller, id, note, app::Purpose::CaseWork)
        .await
    {
        Ok(_) => Redirect::to(&links::client_section(id, "notes")).into_response(),
        Err(err) => page::failure(err),
    }
}

/// The intake form's fields, as typed. Blank means "not asked" or "prefers not to answer" for
/// text; the choices offer "prefers not to answer" explicitly.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct IntakeForm {
    preferred_name: String,
    #[serde(default)]
    legal_name: String,
    #[serde(default)]
    date_of_birth: String,
    #[serde(default)]
    contact: String,
    #[serde(default)]
    languages: String,
    /// One a line.
    #[serde(default)]
    aliases: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    trafficking_type: String,
    #[serde(default)]
    citizenship: String,
    #[serde(default)]
    referral_source: String,
    #[serde(default)]
    safe_contact: String,
    #[serde(default)]
    code_word: String,
    #[serde(default)]
    do_not_contact: String,
    /// Present when the worker has seen the possible-duplicate warning and goes ahead.
    #[serde(default)]
    different_person: Option<String>,
}

impl IntakeForm {
    fn raw(&self) -> RawClient {
        let text = |v: &str| Some(v.to_owned());
        RawClient {
            preferred_name: self.preferred_name.clone(),
            legal_name: text(&self.legal_name),
            date_of_birth: text(&self.date_of_birth),
            contact: text(&self.contact),
            languages: comma_list(&self.languages),
            aliases: line_list(&self.aliases),
            gender: text(&self.gender),
            age_band: text(&self.age_band),
            profile: RawProfile {
                trafficking_type: text(&self.trafficking_type),
                citizenship: text(&self.citizenship),
                referral_source: text(&self.referral_source),
            },
            safe_contact: text(&self.safe_contact),
            code_word: text(&self.code_word),
            do_not_contact: text(&self.do_not_contact),
        }
    }
}

#[derive(Template)]
#[template(path = "staff/intake.html")]
struct IntakePage<'a> {
    chrome: Option<Chrome>,
    form: &'a IntakeForm,
    genders: Vec<Choice>,
    age_bands: Vec<Choice>,
    profile_choices: ProfileChoices,
    problem: Option<String>,
    duplicates: Vec<Duplicate>,
}

/// A person already in the caseload who may be the one being recorded, and why.
struct Duplicate {
    line: Line,
    why: &'static str,
}

fn duplicates(signed_in: &SignedIn, found: Vec<app::PossibleDuplicate>) -> Vec<Duplicate> {
    let why: Vec<&'static str> = found
        .iter()
        .map(|d| match (d.same_name, d.same_date_of_birth) {
            (true, true) => "Same name and date of birth",
            (true, false) => "Same name",
            _ => "Same date of birth",
        })
        .collect();
    let clients = found.into_iter().map(|d| d.client).collect();
    lines(signed_in, clients)
        .into_iter()
        .zip(why)
        .map(|(line, why)| Duplicate { line, why })
        .collect()
}

fn intake_page(
    signed_in: &SignedIn,
    status: StatusCode,
    form: &IntakeForm,
    problem: Option<String>,
    duplicates: Vec<Duplicate>,
) -> Response {
    render(
        status,
        &IntakePage {
            chrome: Some(signed_in.chrome(Place::NewClient)),
            form,
            genders: genders(),
            age_bands: age_bands(),
            profile_choices: ProfileChoices::new(),
            problem,
            duplicates,
        },
    )
}

async fn intake(signed_in: SignedIn) -> Response {
    if !signed_in.may(Action::CreateClient) {
        return page::not_found();
    }
    intake_page(
        &signed_in,
        StatusCode::OK,
        &IntakeForm::default(),
        None,
        Vec::new(),
    )
}

async fn create(
    State(app): State<app::App>,
    StaffForm { signed_in, form }: StaffForm<IntakeForm>,
) -> Response {
    let caller = &signed_in.caller;
    let new = match form.raw().parse(app.now().date()) {
        Ok(new) => new,
        Err(invalid) => {
            return intake_page(
                &signed_in,
                StatusCode::UNPROCESSABLE_ENTITY,
                &form,
                Some(invalid.to_string()),
                Vec::new(),
            );
        }
    };
    if form.different_person.is_none() {
        let name = new
            .personal
            .legal_name
            .as_ref()
            .map_or(new.preferred_name.as_str(), |n| n.as_str());
        let dob: Option<DateOfBirth> = new.personal.date_of_birth;
        match app.possible_duplicates(caller, Some(name), dob).await {
            Ok(found) if !found.is_empty() => {
                let found = duplicates(&signed_in, found);
                return intake_page(&signed_in, StatusCode::OK, &form, None, found);
            }
            Ok(_) => {}
            Err(err) => return page::failure(err),
        }
    }
    match app.create_client(caller, new, app::Purpose::CaseWork).await {
        Ok(id) => Redirect::to(&links::client(id)).into_response(),
        Err(err) => page::failure(err),
    }
}

/// The three safety answers, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SafetyForm {
    #[serde(default)]
    safe_contact: String,
    #[serde(default)]
    code_word: String,
    #[serde(default)]
    do_not_contact: String,
}

impl SafetyForm {
    fn parse(&self) -> Result<SafetyFlags, domain::InvalidInput> {
        SafetyFlags::parse(
            Some(&self.safe_contact),
            Some(&self.code_word),
            Some(&self.do_not_contact),
        )
    }
}

#[derive(Template)]
#[template(path = "staff/safety.html")]
struct SafetyPage<'a> {
    chrome: Option<Chrome>,
    name: &'a str,
    action: String,
    back: String,
    form: &'a SafetyForm,
    problem: Option<String>,
}

fn safety_page(
    signed_in: &SignedIn,
    id: ClientId,
    name: &str,
    form: &SafetyForm,
    problem: Option<String>,
) -> Response {
    let status = page::status_for(problem.as_ref());
    render(
        status,
        &SafetyPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name,
            action: links::of_client(links::SAFETY, id),
            back: links::client(id),
            form,
            problem,
        },
    )
}

async fn safety_form(at: OnClient) -> Response {
    match at.client_to(Change::Safety, app::Purpose::Safety).await {
        Ok(client) => {
            let current = SafetyForm {
                safe_contact: client.safety.safe_contact.unwrap_or_default(),
                code_word: client.safety.code_word.unwrap_or_default(),
                do_not_contact: client.safety.do_not_contact.unwrap_or_default(),
            };
            safety_page(&at.signed_in, at.id, &client.preferred_name, &current, None)
        }
        Err(failed) => failed,
    }
}

async fn save_safety(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<SafetyForm>,
) -> Response {
    let caller = &signed_in.caller;
    let flags = match form.parse() {
        Ok(flags) => flags,
        Err(invalid) => {
            // Re-read the name for the page; what was typed is kept in the boxes.
            return match client_to(&app, caller, id, Change::Safety, app::Purpose::Safety).await {
                Ok(client) => safety_page(
                    &signed_in,
                    id,
                    &client.preferred_name,
                    &form,
                    Some(invalid.to_string()),
                ),
                Err(err) => page::failure(err),
            };
        }
    };
    match app
        .set_safety(caller, id, &flags, app::Purpose::Safety)
        .await
    {
        Ok(()) => Redirect::to(&links::client(id)).into_response(),
        Err(err) => page::failure(err),
    }
}
