//! The audit event: who did what to which record, when and why. Events are chained by an HMAC
//! (in `crypto`) over the previous MAC and `canonical_bytes`, so the encoding here must never
//! change for an existing version.

use std::fmt;

use serde::Serialize;

use crate::{Timestamp, UserId};

/// Who acted: a staff account, or the operator at the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Actor {
    User(UserId),
    /// The operator running a `safeharbor` subcommand on the server.
    Operator,
    /// Someone on the public pages, who is never identified.
    Public,
    /// The server itself, acting on a schedule (e.g. expiring old contact requests).
    System,
}

impl Actor {
    pub fn encode(self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Operator => "operator".to_owned(),
            Actor::Public => "public".to_owned(),
            Actor::System => "system".to_owned(),
        }
    }

    /// Reads back what `encode` wrote; `None` for anything else.
    pub fn decode(raw: &str) -> Option<Self> {
        match raw {
            "operator" => Some(Actor::Operator),
            "public" => Some(Actor::Public),
            "system" => Some(Actor::System),
            _ => raw.strip_prefix("user:")?.parse().ok().map(Actor::User),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

/// What was done. The names are stable: they are stored and covered by the MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuditAction {
    ClientCreate,
    ClientRead,
    ClientErase,
    CaseloadList,
    CaseloadSearch,
    DuplicateCheck,
    SafetyUpdate,
    NoteCreate,
    NoteList,
    CaseCreate,
    CaseList,
    ScreeningCreate,
    ScreeningList,
    UserCreate,
    UserInvite,
    PasswordSet,
    TotpEnrolled,
    SignIn,
    SignInRefused,
    SignOut,
    TokenCreate,
    TokenRevoke,
    KeysRotate,
    KeysBackup,
    KeysRestore,
    BackupCreate,
    BackupRestore,
    AccessRefused,
    ContactRequestReceive,
    ContactRequestList,
    ContactRequestClaim,
    ContactRequestRead,
    ContactRequestClose,
    ContactRequestExpire,
    UserDisable,
    UserEnable,
    ScreeningDraftSave,
    ScreeningDraftRead,
    ContactRequestRelease,
    AccessLogRead,
    AuditLogRead,
    DeterminationCreate,
    DeterminationList,
    DeterminationDraftSave,
    DeterminationDraftRead,
    ClientAssign,
    ClientUnassign,
    TeamCaseloadList,
    TeamCreate,
    TeamMemberAdd,
    TeamMemberRemove,
    EmergencyAccess,
    EmergencyLookup,
    EmergencyReviewList,
    EmergencyReview,
    Reauthenticate,
    ClientRestrict,
    ClientUnrestrict,
    PasskeyRegister,
    PasskeySignIn,
    PasskeyRefused,
    ProgramAdd,
    ServerStart,
    TimeZoneSet,
    ContactCreate,
    ContactList,
    ServiceCreate,
    ServiceList,
    NeedCreate,
    NeedList,
    ClientEdit,
    ClientHistory,
    CaseClose,
    CaseTransfer,
    PartnerCreate,
    PartnerList,
    ReleaseCreate,
    ReleaseList,
    ReleaseWithdraw,
    ReferralCreate,
    ReferralList,
    ReferralStep,
    ReferralSend,
    ReferralSheet,
    ReferralOverdueList,
    PlanRead,
    PlanGoalCreate,
    PlanStepCreate,
    PlanStepUpdate,
    PlanReview,
    PlanDueList,
    CaseReopen,
    OutcomeCreate,
    OutcomeList,
    FollowUpCreate,
    FollowUpWithdraw,
    DueList,
    TimelineRead,
    /// A report produced (its name the target).
    ReportExport,
    /// An exact report's small cells acknowledged by a named member of staff.
    ReportSignOff,
}

impl AuditAction {
    /// What was done, as the audit pages say it ("opened the record"); an action they do not
    /// name is "did something else".
    pub fn describe(raw: &str) -> &'static str {
        DESCRIBED
            .iter()
            .find(|(code, _)| *code == raw)
            .map_or("did something else", |(_, words)| words)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::ClientCreate => "client.create",
            AuditAction::ClientRead => "client.read",
            AuditAction::ClientErase => "client.erase",
            AuditAction::CaseloadList => "caseload.list",
            AuditAction::CaseloadSearch => "caseload.search",
            AuditAction::DuplicateCheck => "client.duplicate-check",
            AuditAction::SafetyUpdate => "client.safety-update",
            AuditAction::NoteCreate => "note.create",
            AuditAction::NoteList => "note.list",
            AuditAction::CaseCreate => "case.create",
            AuditAction::CaseList => "case.list",
            AuditAction::ScreeningCreate => "screening.create",
            AuditAction::ScreeningList => "screening.list",
            AuditAction::UserCreate => "user.create",
            AuditAction::UserInvite => "user.invite",
            AuditAction::PasswordSet => "user.password-set",
            AuditAction::TotpEnrolled => "user.totp-enrolled",
            AuditAction::SignIn => "session.start",
            AuditAction::SignInRefused => "session.refused",
            AuditAction::SignOut => "session.end",
            AuditAction::TokenCreate => "token.create",
            AuditAction::TokenRevoke => "token.revoke",
            AuditAction::KeysRotate => "keys.rotate",
            AuditAction::KeysBackup => "keys.backup",
            AuditAction::KeysRestore => "keys.restore",
            AuditAction::BackupCreate => "backup.create",
            AuditAction::BackupRestore => "backup.restore",
            AuditAction::AccessRefused => "access.refused",
            AuditAction::ContactRequestReceive => "contact-request.receive",
            AuditAction::ContactRequestList => "contact-request.list",
            AuditAction::ContactRequestClaim => "contact-request.claim",
            AuditAction::ContactRequestRead => "contact-request.read",
            AuditAction::ContactRequestClose => "contact-request.close",
            AuditAction::ContactRequestExpire => "contact-request.expire",
            AuditAction::UserDisable => "user.disable",
            AuditAction::UserEnable => "user.enable",
            AuditAction::ScreeningDraftSave => "screening.draft-save",
            AuditAction::ScreeningDraftRead => "screening.draft-read",
            AuditAction::ContactRequestRelease => "contact-request.release",
            AuditAction::AccessLogRead => "client.access-log-read",
            AuditAction::AuditLogRead => "audit.read",
            AuditAction::DeterminationCreate => "determination.create",
            AuditAction::DeterminationList => "determination.list",
            AuditAction::DeterminationDraftSave => "determination.draft-save",
            AuditAction::DeterminationDraftRead => "determination.draft-read",
            AuditAction::ClientAssign => "client.assign",
            AuditAction::ClientUnassign => "client.unassign",
            AuditAction::TeamCaseloadList => "team.caseload-list",
            AuditAction::TeamCreate => "team.create",
            AuditAction::TeamMemberAdd => "team.member-add",
            AuditAction::TeamMemberRemove => "team.member-remove",
            AuditAction::EmergencyAccess => "client.emergency-access",
            AuditAction::EmergencyLookup => "client.emergency-lookup",
            AuditAction::EmergencyReviewList => "emergency.review-list",
            AuditAction::EmergencyReview => "emergency.review",
            AuditAction::Reauthenticate => "session.reauthenticate",
            AuditAction::ClientRestrict => "client.restrict",
            AuditAction::ClientUnrestrict => "client.unrestrict",
            AuditAction::PasskeyRegister => "passkey.register",
            AuditAction::PasskeySignIn => "passkey.sign-in",
            AuditAction::PasskeyRefused => "passkey.refused",
            AuditAction::ProgramAdd => "program.add",
            AuditAction::ServerStart => "server.start",
            AuditAction::TimeZoneSet => "user.time-zone-set",
            AuditAction::ContactCreate => "contact.create",
            AuditAction::ContactList => "contact.list",
            AuditAction::ServiceCreate => "service.create",
            AuditAction::ServiceList => "service.list",
            AuditAction::NeedCreate => "need.create",
            AuditAction::NeedList => "need.list",
            AuditAction::ClientEdit => "client.edit",
            AuditAction::ClientHistory => "client.history",
            AuditAction::CaseClose => "case.close",
            AuditAction::CaseTransfer => "case.transfer",
            AuditAction::PartnerCreate => "partner.create",
            AuditAction::PartnerList => "partner.list",
            AuditAction::ReleaseCreate => "release.create",
            AuditAction::ReleaseList => "release.list",
            AuditAction::ReleaseWithdraw => "release.withdraw",
            AuditAction::ReferralCreate => "referral.create",
            AuditAction::ReferralList => "referral.list",
            AuditAction::ReferralStep => "referral.step",
            AuditAction::ReferralSend => "referral.send",
            AuditAction::ReferralSheet => "referral.sheet",
            AuditAction::ReferralOverdueList => "referral.overdue-list",
            AuditAction::PlanRead => "plan.read",
            AuditAction::PlanGoalCreate => "plan.goal-create",
            AuditAction::PlanStepCreate => "plan.step-create",
            AuditAction::PlanStepUpdate => "plan.step-update",
            AuditAction::PlanReview => "plan.review",
            AuditAction::PlanDueList => "plan.due-list",
            AuditAction::CaseReopen => "case.reopen",
            AuditAction::OutcomeCreate => "outcome.create",
            AuditAction::OutcomeList => "outcome.list",
            AuditAction::FollowUpCreate => "follow-up.create",
            AuditAction::FollowUpWithdraw => "follow-up.withdraw",
            AuditAction::DueList => "case.due-list",
            AuditAction::TimelineRead => "client.timeline-read",
            AuditAction::ReportExport => "report.export",
            AuditAction::ReportSignOff => "report.sign-off",
        }
    }
}

/// The actions the audit pages name, each with its words, in the order the audit log's filter
/// offers them.
pub const DESCRIBED: &[(&str, &str)] = &[
    ("client.read", "opened the record"),
    ("access.refused", "was refused"),
    (
        "client.emergency-access",
        "opened the record in an emergency",
    ),
    (
        "client.emergency-lookup",
        "looked for a record by name and date of birth in an emergency",
    ),
    ("client.create", "recorded the client"),
    ("client.erase", "erased the record"),
    ("client.safety-update", "changed the safety flags"),
    ("client.edit", "changed the details"),
    ("client.history", "read the history of changes"),
    (
        "client.timeline-read",
        "read the record's timeline: notes, contacts, services and the rest",
    ),
    ("client.access-log-read", "looked at who opened the record"),
    ("report.export", "produced a report"),
    (
        "report.sign-off",
        "signed off an exact report with small numbers in it",
    ),
    ("client.duplicate-check", "looked for duplicates"),
    ("note.create", "added a note"),
    ("note.list", "read the notes"),
    ("contact.create", "logged a contact"),
    ("contact.list", "read the contact log"),
    ("service.create", "recorded a service"),
    ("service.list", "read the services"),
    ("need.create", "recorded a needs assessment"),
    ("need.list", "read the needs assessments"),
    ("plan.read", "read the service plan"),
    ("plan.goal-create", "set a goal of the service plan"),
    ("plan.step-create", "added a step to the service plan"),
    (
        "plan.step-update",
        "recorded where a step of the service plan stands",
    ),
    ("plan.review", "recorded a review of the service plan"),
    (
        "plan.due-list",
        "listed the plan steps and reviews due in their caseload",
    ),
    ("case.create", "opened a case"),
    ("case.close", "closed a case"),
    ("case.transfer", "moved a case to another program"),
    ("case.reopen", "re-opened a case"),
    (
        "case.due-list",
        "listed the follow-ups and reviews due in their caseload",
    ),
    ("outcome.create", "recorded an outcome assessment"),
    ("outcome.list", "read the outcome assessments"),
    ("follow-up.create", "recorded a follow-up contact"),
    (
        "follow-up.withdraw",
        "recorded that the person withdrew their consent to follow-ups",
    ),
    ("case.list", "read the cases"),
    ("release.create", "recorded a release of information"),
    ("release.withdraw", "recorded that a release was withdrawn"),
    ("release.list", "read the releases of information"),
    ("referral.create", "drafted a referral"),
    (
        "referral.send",
        "sent a referral, sharing part of the record",
    ),
    ("referral.step", "recorded a referral's next step"),
    (
        "referral.sheet",
        "opened a referral's sheet, sharing part of the record",
    ),
    ("referral.list", "read the referrals"),
    (
        "referral.overdue-list",
        "listed the referrals waiting too long in their caseload",
    ),
    ("screening.create", "recorded a screening"),
    ("screening.list", "read the screenings"),
    ("screening.draft-save", "saved a screening in progress"),
    ("screening.draft-read", "reopened a screening in progress"),
    ("determination.create", "recorded a determination"),
    ("determination.list", "read the determinations"),
    ("determination.draft-save", "saved a worksheet in progress"),
    (
        "determination.draft-read",
        "reopened a worksheet in progress",
    ),
    ("client.assign", "assigned the client to someone"),
    ("client.unassign", "took an assignment away"),
    (
        "client.restrict",
        "restricted the record to the people assigned",
    ),
    ("client.unrestrict", "lifted the restriction"),
    ("caseload.list", "listed their caseload"),
    ("caseload.search", "searched their caseload"),
    ("team.caseload-list", "listed their team caseload"),
    ("session.start", "signed in"),
    ("session.end", "signed out"),
    ("session.refused", "was refused sign-in"),
    ("session.reauthenticate", "proved who they are again"),
    ("passkey.register", "added a passkey"),
    ("passkey.sign-in", "used their passkey"),
    ("passkey.refused", "was refused with a passkey"),
    ("audit.read", "looked at the audit log"),
    ("emergency.review-list", "looked at the emergency reviews"),
    ("emergency.review", "reviewed an emergency access"),
    ("contact-request.receive", "sent a contact request"),
    ("contact-request.list", "looked at the contact requests"),
    ("contact-request.claim", "claimed a contact request"),
    ("contact-request.read", "read a contact request"),
    ("contact-request.close", "closed a contact request"),
    (
        "contact-request.expire",
        "deleted a contact request past its time",
    ),
    ("contact-request.release", "handed back a contact request"),
    ("user.create", "added a staff account"),
    ("user.invite", "made a sign-up link"),
    ("user.password-set", "chose a password"),
    ("user.totp-enrolled", "set up an authenticator"),
    ("user.disable", "switched an account off"),
    ("user.enable", "switched an account on"),
    ("user.time-zone-set", "chose their time zone"),
    ("team.create", "made a team"),
    ("team.member-add", "put someone on a team"),
    ("team.member-remove", "took someone off a team"),
    ("token.create", "made an API token"),
    ("token.revoke", "revoked an API token"),
    ("program.add", "added a program"),
    ("keys.rotate", "rotated the keys"),
    ("keys.backup", "backed up the keys"),
    ("keys.restore", "restored the keys"),
    ("backup.create", "made a backup"),
    ("backup.restore", "restored a backup"),
];

/// An event before it is placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub at: Timestamp,
    pub actor: Actor,
    pub action: AuditAction,
    /// The record acted on (e.g. `client:<id>`), never personal data.
    pub target: Option<String>,
    /// Why: the purpose the caller gave, or the default purpose of the action.
    pub purpose: String,
}

/// The bytes the chain MAC covers, for an event at position `seq`. Version 1: each field is
/// length-prefixed (u32, big endian) so that no two events share an encoding.
pub fn canonical_bytes(
    seq: i64,
    at: Timestamp,
    actor: &str,
    action: &str,
    target: Option<&str>,
    purpose: &str,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + actor.len() + action.len() + purpose.len());
    out.extend_from_slice(b"safeharbor-audit-v1");
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&at.unix_millis().to_be_bytes());
    for field in [actor, action, target.unwrap_or("\u{0}none"), purpose] {
        let len = u32::try_from(field.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(field.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_read_back_what_was_written() {
        let user = Actor::User(UserId::from_random([7; 16]));
        for actor in [user, Actor::Operator] {
            assert_eq!(Actor::decode(&actor.encode()), Some(actor));
        }
        assert_eq!(Actor::decode("user:not-an-id"), None);
        assert_eq!(Actor::decode("someone"), None);
    }

    #[test]
    fn canonical_bytes_separate_fields_unambiguously() {
        let at = Timestamp::from_unix_millis(1);
        let a = canonical_bytes(1, at, "ab", "c", None, "p");
        let b = canonical_bytes(1, at, "a", "bc", None, "p");
        assert_ne!(a, b);
        assert_ne!(
            canonical_bytes(1, at, "a", "b", Some(""), "p"),
            canonical_bytes(1, at, "a", "b", None, "p")
        );
        assert_ne!(
            canonical_bytes(1, at, "a", "b", None, "p"),
            canonical_bytes(2, at, "a", "b", None, "p")
        );
    }
}
