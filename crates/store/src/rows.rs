//! What the records database holds, row by row. Personal fields are sealed blobs here: this crate
//! never sees plaintext.

use domain::{
    CaseId, ClientChangeId, ClientId, ClosureId, ContactId, ContactRequestId, DeterminationId,
    EmergencyAccessId, FollowUpId, GoalId, NeedsAssessmentId, NoteId, OutcomeAssessmentId,
    PartnerId, PlanReviewId, PlanStepId, ReferralId, ReferralStepId, ReleaseId, Role, ScreeningId,
    ServiceId, TeamId, Timestamp, TokenId, UserId,
};

mod reports;
pub use reports::*;

/// `Debug` that shows only the named fields: a row holds sealed bytes and coded facts about a
/// person, and a log line or a failed assertion should print neither.
macro_rules! debug_showing {
    ($row:ident: $($field:ident),+) => {
        impl std::fmt::Debug for $row {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($row))
                    $(.field(stringify!($field), &self.$field))+
                    .finish_non_exhaustive()
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRow {
    pub id: TokenId,
    pub user_id: UserId,
    pub label: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A staff member's sign-in secrets and throttle state.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct CredentialsRow {
    pub password_hash: Option<String>,
    /// The TOTP seed, sealed under the staff-secrets key.
    pub totp_secret: Option<Vec<u8>>,
    pub totp_confirmed_at: Option<Timestamp>,
    pub totp_last_step: Option<i64>,
}

debug_showing!(CredentialsRow: totp_confirmed_at, totp_last_step);

/// Failed sign-ins counted against one subject (a username as typed, or a trusted browser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleRow {
    pub failures: i64,
    pub last_failure_at: Timestamp,
}

/// A sign-up link; the link's secret itself is never stored, only its hash. `user_id` is empty
/// for the first administrator's link until they choose a username.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    pub user_id: Option<UserId>,
    pub role: Role,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub used_at: Option<Timestamp>,
}

/// A safe-contact request. `details` is sealed, and empty once the request is closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRequestRow {
    pub id: ContactRequestId,
    pub received_at: Timestamp,
    pub expires_at: Timestamp,
    pub language: String,
    pub details: Option<Vec<u8>>,
    pub claimed_by: Option<UserId>,
    pub claimed_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub outcome: Option<String>,
}

/// A signed-in session; the cookie value itself is never stored, only its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub authenticated_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    /// When the session last proved a passkey (administrators need one).
    pub passkey_at: Option<Timestamp>,
}

/// An open session as a signed-in page finds it: the session, its account and the account's own
/// time zone, with the number of contact requests waiting unclaimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedSession {
    pub session: SessionRow,
    pub user: UserRow,
    pub time_zone: Option<String>,
    pub unclaimed_requests: i64,
}

/// A client as stored: sealed personal fields, coded classified fields, blind indexes.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientRow {
    pub id: ClientId,
    pub created_at: Timestamp,
    pub created_by: String,
    pub preferred_name: Option<Vec<u8>>,
    pub legal_name: Option<Vec<u8>>,
    pub date_of_birth: Option<Vec<u8>>,
    pub contact: Option<Vec<u8>>,
    pub languages: Option<Vec<u8>>,
    /// Other names the person is known by, one sealed list.
    pub aliases: Option<Vec<u8>>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub trafficking_type: Option<String>,
    pub citizenship: Option<String>,
    pub referral_source: Option<String>,
    pub age_at_intake: Option<String>,
    pub name_index: Option<String>,
    pub dob_index: Option<String>,
    pub safety: Option<Vec<u8>>,
    /// The blind indexes of every other name (the name used, each alias), separated by spaces.
    pub alias_index: Option<String>,
    pub erased_at: Option<Timestamp>,
    /// Seen only by the people assigned (not through a team, not in an emergency).
    pub restricted: bool,
}

/// One page of a member of staff's caseload: the question `Reads::caseload` answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseloadPage {
    pub user: UserId,
    pub limit: i64,
    pub offset: i64,
}

/// A client as a list shows them, with what tells two people of the same name apart: names and
/// date of birth (sealed), age band, when they were added, their last note and open cases.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientLine {
    pub id: ClientId,
    pub created_at: Timestamp,
    pub preferred_name: Option<Vec<u8>>,
    pub legal_name: Option<Vec<u8>>,
    pub date_of_birth: Option<Vec<u8>>,
    pub age_band: Option<String>,
    pub last_note_at: Option<Timestamp>,
    pub open_cases: i64,
}

impl ClientLine {
    /// The line of a client who has no notes and no cases yet.
    pub fn of_new_client(row: &ClientRow) -> Self {
        Self {
            id: row.id,
            created_at: row.created_at,
            preferred_name: row.preferred_name.clone(),
            legal_name: row.legal_name.clone(),
            date_of_birth: row.date_of_birth.clone(),
            age_band: row.age_band.clone(),
            last_note_at: None,
            open_cases: 0,
        }
    }
}

debug_showing!(ClientLine: id);

debug_showing!(ClientRow: id);

#[derive(Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub id: NoteId,
    pub client_id: ClientId,
    pub author: String,
    pub created_at: Timestamp,
    /// What the note is about (`domain::note::NoteKind`).
    pub kind: String,
    pub body: Option<Vec<u8>>,
}

debug_showing!(NoteRow: id);

/// A contact, or an attempt at one: who was there and the note are sealed; when, how, for how
/// long and whether the person was reached are not.
#[derive(Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: ContactId,
    pub client_id: ClientId,
    /// Who logged it, as the audit names them.
    pub author: String,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When the contact was (or was tried).
    pub occurred_at: Timestamp,
    pub method: String,
    pub reached: bool,
    pub minutes: Option<i64>,
    pub present: Option<Vec<u8>>,
    pub note: Option<Vec<u8>>,
}

debug_showing!(ContactRow: id);

/// A service given: the note is sealed; the day, type, way, minutes and units are not.
#[derive(Clone, PartialEq, Eq)]
pub struct ServiceRow {
    pub id: ServiceId,
    pub client_id: ClientId,
    /// Who gave and recorded it, as the audit names them.
    pub author: String,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// The day it was given, YYYY-MM-DD.
    pub delivered_on: String,
    /// Its type's code (`domain::service::ServiceCode`).
    pub code: String,
    pub mode: String,
    pub minutes: Option<i64>,
    pub units: Option<i64>,
    pub note: Option<Vec<u8>>,
}

debug_showing!(ServiceRow: id);

/// A partner organisation in the directory: nothing in it is about a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerRow {
    pub id: PartnerId,
    pub name: String,
    /// The service codes it offers, separated by commas.
    pub services: String,
    /// The languages it works in, separated by newlines.
    pub languages: String,
    pub area: Option<String>,
    pub safe_contact: Option<String>,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// A release of information: the recipient, purpose and witness are sealed; what it shares, how
/// it was given, its days and its withdrawal are not (every decision to share reads them).
#[derive(Clone, PartialEq, Eq)]
pub struct ReleaseRow {
    pub id: ReleaseId,
    pub client_id: ClientId,
    /// The partner it names, when the recipient is one in the directory.
    pub partner_id: Option<PartnerId>,
    pub author: String,
    pub created_at: Timestamp,
    pub recipient: Option<Vec<u8>>,
    pub purpose: Option<Vec<u8>>,
    /// The parts it lets us share (`domain::release::SharedPart::join`).
    pub shares: String,
    pub method: String,
    pub witness: Option<Vec<u8>>,
    pub cosigner: String,
    /// The first and last day it is in force, YYYY-MM-DD.
    pub starts_on: String,
    pub ends_on: String,
    pub withdrawn: Option<WithdrawalRow>,
}

/// When, by whom and how a release was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalRow {
    pub at: Timestamp,
    pub by: String,
    pub how: String,
}

debug_showing!(ReleaseRow: id, shares, starts_on, ends_on, withdrawn);

/// A referral: its note is sealed; the partner, the service, what it shares, under which release
/// and where it stands are not.
#[derive(Clone, PartialEq, Eq)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub client_id: ClientId,
    pub partner_id: PartnerId,
    pub release_id: Option<ReleaseId>,
    pub author: String,
    pub created_at: Timestamp,
    /// The type of service asked for (`domain::service::ServiceCode`).
    pub service: String,
    pub shares: String,
    pub status: String,
    /// When it came to stand where it stands.
    pub status_at: Timestamp,
    pub note: Option<Vec<u8>>,
}

debug_showing!(ReferralRow: id, status);

/// One step of a referral: a status reached, when and by whom, with a sealed note.
#[derive(Clone, PartialEq, Eq)]
pub struct ReferralStepRow {
    pub id: ReferralStepId,
    pub referral_id: ReferralId,
    pub client_id: ClientId,
    pub status: String,
    pub at: Timestamp,
    pub author: String,
    pub note: Option<Vec<u8>>,
}

debug_showing!(ReferralStepRow: id, status);

/// A needs assessment with its answers: the notes are sealed; the day, the domains and the levels
/// are not.
#[derive(Clone, PartialEq, Eq)]
pub struct NeedsAssessmentRow {
    pub id: NeedsAssessmentId,
    pub client_id: ClientId,
    /// Who recorded it, as the audit names them.
    pub author: String,
    /// When it was recorded.
    pub created_at: Timestamp,
    /// The day of the assessment (YYYY-MM-DD).
    pub assessed_on: String,
    /// The note on the whole assessment.
    pub note: Option<Vec<u8>>,
    /// One answer per domain, in the order of the domains' codes.
    pub answers: Vec<NeedAnswerRow>,
}

/// One domain's answer in an assessment (a row of `need_answers`).
#[derive(Clone, PartialEq, Eq)]
pub struct NeedAnswerRow {
    pub domain: String,
    pub level: String,
    pub note: Option<Vec<u8>>,
}

debug_showing!(NeedsAssessmentRow: id);

/// A client's service plan: when it started and when its next review is due (both in the clear).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePlanRow {
    pub client_id: ClientId,
    /// The day its first goal was set (YYYY-MM-DD).
    pub started_on: String,
    /// The day the next review is due (YYYY-MM-DD).
    pub review_due_on: String,
}

/// A goal of a service plan: the client's words sealed, the rest coded.
#[derive(Clone, PartialEq, Eq)]
pub struct GoalRow {
    pub id: GoalId,
    pub client_id: ClientId,
    pub author: String,
    pub created_at: Timestamp,
    pub set_on: String,
    /// The needs assessment's domain the goal answers, if one.
    pub need: Option<String>,
    pub words: Option<Vec<u8>>,
    pub status: String,
    /// The day it came to stand where it does.
    pub status_on: String,
}

/// A step towards a goal: the words sealed; who takes it, by when and where it stands coded.
#[derive(Clone, PartialEq, Eq)]
pub struct PlanStepRow {
    pub id: PlanStepId,
    pub goal_id: GoalId,
    pub client_id: ClientId,
    pub author: String,
    pub created_at: Timestamp,
    pub words: Option<Vec<u8>>,
    pub owner: String,
    pub partner_id: Option<PartnerId>,
    pub target_on: String,
    pub status: String,
    /// When it came to stand where it does.
    pub status_at: Timestamp,
}

/// A review of a service plan: its note sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct PlanReviewRow {
    pub id: PlanReviewId,
    pub client_id: ClientId,
    pub author: String,
    pub created_at: Timestamp,
    pub reviewed_on: String,
    pub next_review_on: String,
    pub note: Option<Vec<u8>>,
}

/// Everything of one client's service plan: goals in the order they were set, steps by their
/// target day, reviews newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanRows {
    pub plan: Option<ServicePlanRow>,
    pub goals: Vec<GoalRow>,
    pub steps: Vec<PlanStepRow>,
    pub reviews: Vec<PlanReviewRow>,
}

debug_showing!(GoalRow: id, status);

debug_showing!(PlanStepRow: id, owner, status);

debug_showing!(PlanReviewRow: id, reviewed_on);

debug_showing!(NeedAnswerRow: domain, level);

/// One closure of a case (a row of `case_closures`), with its re-opening once re-opened.
#[derive(Clone, PartialEq, Eq)]
pub struct ClosureRow {
    pub id: ClosureId,
    pub client_id: ClientId,
    pub case_id: CaseId,
    /// YYYY-MM-DD.
    pub closed_on: String,
    /// The reason's code.
    pub reason: String,
    pub note: Option<Vec<u8>>,
    /// yes, no or not-asked.
    pub follow_up: String,
    pub reach_method: Option<String>,
    pub reach_how: Option<Vec<u8>>,
    /// Who closed it, as the audit names them.
    pub closed_by: String,
    pub created_at: Timestamp,
    pub reopened: Option<Reopening>,
    /// When the person withdrew their consent to follow-ups, and who recorded it.
    pub withdrawn: Option<(String, Timestamp)>,
}

/// A closure's end: the day the case re-opened, who re-opened it and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopening {
    pub on: String,
    pub by: String,
    pub at: Timestamp,
}

debug_showing!(ClosureRow: id, case_id, closed_on, reason);

/// A follow-up made after a closure (a row of `follow_ups`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpRow {
    pub id: FollowUpId,
    pub client_id: ClientId,
    pub closure_id: ClosureId,
    /// 3-months, 6-months or 12-months.
    pub at: String,
    pub reached: bool,
    pub contact_id: ContactId,
    pub author: String,
    pub created_at: Timestamp,
}

/// An outcome assessment with its scores (one row of `outcome_assessments`, and its
/// `outcome_scores`).
#[derive(Clone, PartialEq, Eq)]
pub struct OutcomeAssessmentRow {
    pub id: OutcomeAssessmentId,
    pub client_id: ClientId,
    pub author: String,
    pub created_at: Timestamp,
    pub point: String,
    /// YYYY-MM-DD.
    pub assessed_on: String,
    pub note: Option<Vec<u8>>,
    /// Each domain's code and score, in the order of the domains' codes.
    pub scores: Vec<(String, String)>,
}

debug_showing!(OutcomeAssessmentRow: id, point, assessed_on);

/// What is due in a caseload, as stored: the open cases (to count their six-month reviews), each
/// client's latest six-month review, and the closures whose follow-ups still go on, with the ones
/// made. Coded facts and days only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueRows {
    /// Each open case: its client, id and opening day.
    pub open_cases: Vec<(ClientId, CaseId, String)>,
    /// The day of each client's latest six-month review, for those with one.
    pub latest_reviews: Vec<(ClientId, String)>,
    /// Each closure with follow-ups still going on: its client, case, id and closing day.
    pub closures: Vec<(ClientId, CaseId, ClosureId, String)>,
    /// The follow-ups made of those closures: the closure and which one.
    pub made: Vec<(ClosureId, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: CaseId,
    pub client_id: ClientId,
    pub program: String,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub assigned_to: Option<UserId>,
    pub created_at: Timestamp,
    /// The case this one continues, when a case was moved to this one's program.
    pub transferred_from: Option<CaseId>,
}

/// A client's details as an edit leaves them: every field an edit may change, sealed, with the
/// blind indexes recomputed.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientDetailsRow {
    pub id: ClientId,
    pub preferred_name: Option<Vec<u8>>,
    pub legal_name: Option<Vec<u8>>,
    pub date_of_birth: Option<Vec<u8>>,
    pub contact: Option<Vec<u8>>,
    pub languages: Option<Vec<u8>>,
    pub aliases: Option<Vec<u8>>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub trafficking_type: Option<String>,
    pub citizenship: Option<String>,
    pub referral_source: Option<String>,
    pub age_at_intake: Option<String>,
    pub name_index: Option<String>,
    pub dob_index: Option<String>,
    pub alias_index: Option<String>,
}

impl ClientDetailsRow {
    /// The details part of a whole client row.
    pub fn of(row: &ClientRow) -> Self {
        Self {
            id: row.id,
            preferred_name: row.preferred_name.clone(),
            legal_name: row.legal_name.clone(),
            date_of_birth: row.date_of_birth.clone(),
            contact: row.contact.clone(),
            languages: row.languages.clone(),
            aliases: row.aliases.clone(),
            gender: row.gender.clone(),
            age_band: row.age_band.clone(),
            trafficking_type: row.trafficking_type.clone(),
            citizenship: row.citizenship.clone(),
            referral_source: row.referral_source.clone(),
            age_at_intake: row.age_at_intake.clone(),
            name_index: row.name_index.clone(),
            dob_index: row.dob_index.clone(),
            alias_index: row.alias_index.clone(),
        }
    }
}

debug_showing!(ClientDetailsRow: id);

/// One edit of a client's details: who, when, which fields (by name), and what they held before,
/// sealed as one blob.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientChangeRow {
    pub id: ClientChangeId,
    pub client_id: ClientId,
    /// Who made the change, as the audit names them.
    pub author: String,
    pub changed_at: Timestamp,
    /// The names of the fields changed (`domain::client::DetailField`), separated by commas.
    pub fields: String,
    /// Their values before the change, one sealed JSON object.
    pub previous: Option<Vec<u8>>,
}

debug_showing!(ClientChangeRow: id, fields);

/// A program of the organisation, as an administrator listed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRow {
    pub code: String,
    pub name: String,
    pub created_at: Timestamp,
}

/// A recorded screening: the answers are sealed; instrument, score and result are not.
#[derive(Clone, PartialEq, Eq)]
pub struct ScreeningRow {
    pub id: ScreeningId,
    pub client_id: ClientId,
    pub instrument: String,
    pub instrument_version: String,
    pub answers: Option<Vec<u8>>,
    pub score: Option<i64>,
    pub result: Option<String>,
    pub screened_by: String,
    pub created_at: Timestamp,
}

debug_showing!(ScreeningRow: id);

/// A recorded determination: the worksheet (facts, sources, who and when) is sealed.
#[derive(Clone, PartialEq, Eq)]
pub struct DeterminationRow {
    pub id: DeterminationId,
    pub client_id: ClientId,
    pub worksheet: Option<Vec<u8>>,
    pub recorded_by: String,
    pub created_at: Timestamp,
}

debug_showing!(DeterminationRow: id);

/// A step of a referral as a client's history shows it: with the type of service asked for and
/// the partner's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralStepLine {
    pub step: ReferralStepRow,
    pub service: String,
    pub partner: String,
}

/// A page of a client's history as the store reads it: of each kind asked for, its newest rows
/// before the page's start, in the history's order (`domain::timeline`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineRows {
    pub notes: Vec<NoteRow>,
    pub contacts: Vec<ContactRow>,
    pub services: Vec<ServiceRow>,
    pub referral_steps: Vec<ReferralStepLine>,
    pub plan_reviews: Vec<PlanReviewRow>,
    pub needs: Vec<NeedsAssessmentRow>,
    pub outcomes: Vec<OutcomeAssessmentRow>,
    pub closures: Vec<ClosureRow>,
    pub screenings: Vec<ScreeningRow>,
    pub determinations: Vec<DeterminationRow>,
}

/// What a client's page shows besides the client's own row and their history: the cases, the
/// most recently opened first, and the latest needs assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordRows {
    pub cases: Vec<CaseRow>,
    /// The latest needs assessment: the client's current needs.
    pub needs: Option<NeedsAssessmentRow>,
}

/// An emergency access: who opened which record, why (sealed under the client's key), when and
/// until when.
#[derive(Clone, PartialEq, Eq)]
pub struct EmergencyAccessRow {
    pub id: EmergencyAccessId,
    pub client_id: ClientId,
    pub user_id: UserId,
    pub reason: Option<Vec<u8>>,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
}

/// An emergency access and its review.
#[derive(Clone, PartialEq, Eq)]
pub struct ReviewedAccessRow {
    pub access: EmergencyAccessRow,
    pub reviewed_by: UserId,
    pub reviewed_at: Timestamp,
    pub outcome: String,
    pub comment: Option<Vec<u8>>,
}

debug_showing!(ReviewedAccessRow: access, outcome);

debug_showing!(EmergencyAccessRow: id);

/// A passkey: its credential id, public key (SEC1) and the authenticator's signature counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyRow {
    pub credential_id: Vec<u8>,
    pub user_id: UserId,
    pub public_key: Vec<u8>,
    pub sign_count: u32,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A team: its name and its members, each with whether they lead it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRow {
    pub id: TeamId,
    pub name: String,
    pub members: Vec<(UserId, bool)>,
}

/// The chain's head: the last event's sequence number and MAC, and the tag binding them under the
/// audit key (`None` before the first event, or when it was removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditHead {
    pub seq: i64,
    pub mac: Vec<u8>,
    pub tag: Option<Vec<u8>>,
}

/// One stored audit event, with its chain MAC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub purpose: String,
    pub mac: Vec<u8>,
}

impl AuditRow {
    pub fn canonical_bytes(&self) -> Vec<u8> {
        domain::audit::canonical_bytes(
            self.seq,
            self.at,
            &self.actor,
            &self.action,
            self.target.as_deref(),
            &self.purpose,
        )
    }
}
