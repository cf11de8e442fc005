//! Who may do what, decided in one place. The store reads the facts of how one member of staff
//! stands to one client (`Facts`); `decide` turns those facts, the person's role and the actions
//! asked for into a grant or a refusal, from one declarative table (`POLICY`). Anything not in the
//! table is refused (deny by default), and the caller turns a refusal about a client into the same
//! answer as "no such client" (SECURITY.md P6, P7). Data leaving the program is decided by
//! `crate::sharing::decide_sharing`, which asks `decide` first and then for consent.

use crate::Role;

/// How the person acting stands to the client record in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relationship {
    /// The action concerns no particular client (creating one, listing one's caseload, admin work).
    NoClient,
    /// The actor is assigned to the client.
    Assigned,
    /// The actor leads a team one of whose members is assigned to the client (and is not assigned
    /// themselves).
    Supervises,
    /// The actor opened the record in an emergency, with a reason, and the hour has not run out.
    Emergency,
    /// The actor is not assigned to the client.
    Unassigned,
}

/// Declares `Action` from one list: each action with its audit code and what it is in plain
/// words. `Action::ALL`, `Action::code` and `Action::in_words` are made from the same list, so no
/// action can be left out of any.
macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident => $code:literal, $words:literal,)+) => {
        /// Everything the application can be asked to do.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $name,)+
        }

        impl Action {
            /// Every action, in the order declared.
            pub const ALL: [Action; [$($code),+].len()] = [$(Action::$name),+];

            /// The action's name in the audit log: stable, part of the audit format
            /// (docs/security.md).
            pub fn code(self) -> &'static str {
                match self {
                    $(Action::$name => $code,)+
                }
            }

            /// What the action is, as people say it ("open the record"), for the audit pages.
            pub fn in_words(self) -> &'static str {
                match self {
                    $(Action::$name => $words,)+
                }
            }
        }
    };
}

actions! {
    CreateClient => "create-client", "record a new client",
    ListCaseload => "list-caseload", "list their caseload",
    ReadClient => "read-client", "open the record",
    ReadNotes => "read-notes", "read the notes",
    WriteNote => "write-note", "add a note",
    /// See a client's contact log: when and how staff reached, or tried to reach, them.
    ReadContacts => "read-contacts", "read the contact log",
    /// Log a contact with a client, or an attempt at one.
    WriteContact => "write-contact", "log a contact",
    /// See the services given to a client.
    ReadServices => "read-services", "read the services",
    /// Record a service given to a client.
    WriteService => "write-service", "record a service",
    /// See a client's needs assessments: the level of need in each domain, and their history.
    ReadNeeds => "read-needs", "read the needs assessments",
    /// Record a needs assessment (or a reassessment) of a client.
    WriteNeeds => "write-needs", "assess needs",
    /// See a client's service plan: their goals, the steps towards them and the reviews.
    ReadPlan => "read-plan", "read the service plan",
    /// Set a goal with the client, add or update a step, record a review of the plan.
    WritePlan => "write-plan", "work on the service plan",
    /// See a client's outcome assessments (a score in each domain at intake, every six months
    /// and at exit) and their history.
    ReadOutcomes => "read-outcomes", "read the outcome assessments",
    /// Record an outcome assessment of a client.
    WriteOutcomes => "write-outcomes", "assess outcomes",
    /// Record a follow-up contact after a case closed, or that the person withdrew their consent
    /// to them (which anyone who may log a contact may, so that it takes effect at once).
    WriteFollowUp => "write-follow-up", "record a follow-up",
    /// See a client's releases of information: who may receive what, until when.
    ReadReleases => "read-releases", "read the releases of information",
    /// Record a release of information the client gave.
    WriteRelease => "write-release", "record a release of information",
    /// Record that the client withdrew a release: anyone who may see the client may, so that a
    /// withdrawal by phone at night takes effect at once.
    WithdrawRelease => "withdraw-release", "withdraw a release of information",
    /// See a client's referrals to partners and each step of them.
    ReadReferrals => "read-referrals", "read the referrals",
    /// Draft a referral, or record its next step.
    WriteReferral => "write-referral", "make a referral",
    /// Let client data leave the program (a referral sent, a partner's copy read): asked with the
    /// release it goes under (`decide_sharing`).
    ShareOutside => "share-outside", "share the record outside the program",
    ReadCases => "read-cases", "read the cases",
    WriteCase => "write-case", "open a case",
    ReadScreenings => "read-screenings", "read the screenings",
    WriteScreening => "write-screening", "record a screening",
    /// See a client's determinations (the worksheet of facts and what the law makes of them).
    ReadDeterminations => "read-determinations", "read the determinations",
    /// Record a determination, or save a worksheet in progress.
    WriteDetermination => "write-determination", "record a determination",
    WriteSafety => "write-safety", "change the safety flags",
    /// Change a client's details (names, aliases, date of birth, contact details, languages,
    /// gender, age band); each change is kept, with who made it and when.
    EditClient => "edit-client", "edit the details",
    EraseClient => "erase-client", "erase the record",
    FindDuplicates => "find-duplicates", "look for duplicates",
    ManageUsers => "manage-users", "manage staff accounts",
    /// See the queue of safe-contact requests (when each came, not what it says).
    ListContactRequests => "list-contact-requests", "see the contact requests",
    /// Claim a safe-contact request, read it once claimed, turn it into a client or close it.
    HandleContactRequest => "handle-contact-request", "handle a contact request",
    /// See who opened a client's record, and when and why.
    ReadAccessLog => "read-access-log", "see who opened the record",
    /// See everyone refused a record, and what one member of staff has done.
    ReadAuditLog => "read-audit-log", "read the audit log",
    /// Assign a client to a member of one's team, or take an assignment away.
    AssignClient => "assign-client", "assign the client",
    /// See the clients of everyone on the teams one leads.
    ListTeamCaseload => "list-team-caseload", "list the team caseload",
    /// Make teams and say who is on them and who leads them.
    ManageTeams => "manage-teams", "manage teams",
    /// Open a record that is not one's own in an emergency ("break the glass").
    BreakGlass => "break-glass", "open the record in an emergency",
    /// Review emergency accesses.
    ReviewEmergencyAccess => "review-emergency-access", "review emergency access",
    /// Restrict a client to the people assigned (a client who is also on staff), or lift that.
    RestrictClient => "restrict-client", "restrict the record",
    /// See the directory of partners a client may be referred to.
    ListPartners => "list-partners", "see the partner directory",
    /// Add partners to the directory.
    ManagePartners => "manage-partners", "manage the partner directory",
    /// See the program's reports: counts only, never a record, small numbers hidden.
    ReadReports => "read-reports", "see the reports",
    /// See a report's exact numbers and sign its file off for a funder, small numbers and all.
    SignOffReport => "sign-off-report", "sign off an exact report",
}

impl Action {
    /// Whether the action is about one client record (and so needs Assigned/Unassigned).
    pub fn concerns_a_client(self) -> bool {
        matches!(
            self,
            Action::ReadClient
                | Action::ReadNotes
                | Action::WriteNote
                | Action::ReadContacts
                | Action::WriteContact
                | Action::ReadServices
                | Action::WriteService
                | Action::ReadNeeds
                | Action::WriteNeeds
                | Action::ReadPlan
                | Action::WritePlan
                | Action::ReadOutcomes
                | Action::WriteOutcomes
                | Action::WriteFollowUp
                | Action::ReadReleases
                | Action::WriteRelease
                | Action::WithdrawRelease
                | Action::ReadReferrals
                | Action::WriteReferral
                | Action::ShareOutside
                | Action::ReadCases
                | Action::WriteCase
                | Action::ReadScreenings
                | Action::WriteScreening
                | Action::ReadDeterminations
                | Action::WriteDetermination
                | Action::WriteSafety
                | Action::EditClient
                | Action::EraseClient
                | Action::ReadAccessLog
                | Action::AssignClient
                | Action::RestrictClient
        )
    }
}

use Action::*;
use Relationship::*;
use Role::*;

/// The policy. Each row grants one role one action in one relationship; nothing else is allowed.
/// Administrators administer but do not read case content (P6); data analysts see aggregates only,
/// which come with the reporting work. A supervisor works the clients assigned to them like any
/// case worker, and reads (not changes) the records of their team's clients, adds notes to them
/// and assigns the work; erasing a record stays with a supervisor assigned to it. Logging a
/// contact (or an attempt) and recording a service go with adding a note (a crisis met under
/// emergency access is a service given), and reading them with reading the notes; assessing
/// needs and outcomes, reading the assessments and recording a follow-up contact after a case
/// closed (or that the person withdrew their consent to them) go the same way; closing and
/// re-opening a case go with opening one. A service plan is read as the notes are and worked on by
/// whoever is assigned or leads their team (a plan is made with the client, not in an emergency
/// hour). Editing a
/// client's details goes with changing their safety flags, not with running a case: whoever is
/// assigned, outreach included (they take the intake, and are often the first to learn another
/// name the person goes by, which duplicate search must then find). Not a supervisor over a
/// team's client (they read, not change) nor emergency access (an hour to keep someone safe, not
/// to rewrite who they are); the history of changes is read with the record. Releases and
/// referrals are made by whoever is assigned; anyone who may see the client may record that a
/// release was withdrawn (it must take effect at once, whoever takes the call), and reads them as
/// they read the notes. The partner directory is seen by everyone who works with clients and kept
/// by supervisors and administrators (it holds organisations, not clients).
pub const POLICY: &[(Role, Relationship, Action)] = &[
    (CaseManager, NoClient, CreateClient),
    (CaseManager, NoClient, ListCaseload),
    (CaseManager, NoClient, FindDuplicates),
    (CaseManager, NoClient, ListContactRequests),
    (CaseManager, NoClient, HandleContactRequest),
    (CaseManager, NoClient, ListPartners),
    (CaseManager, Assigned, ReadClient),
    (CaseManager, Assigned, ReadNotes),
    (CaseManager, Assigned, WriteNote),
    (CaseManager, Assigned, ReadContacts),
    (CaseManager, Assigned, WriteContact),
    (CaseManager, Assigned, ReadServices),
    (CaseManager, Assigned, WriteService),
    (CaseManager, Assigned, ReadNeeds),
    (CaseManager, Assigned, WriteNeeds),
    (CaseManager, Assigned, ReadPlan),
    (CaseManager, Assigned, WritePlan),
    (CaseManager, Assigned, ReadOutcomes),
    (CaseManager, Assigned, WriteOutcomes),
    (CaseManager, Assigned, WriteFollowUp),
    (CaseManager, Assigned, ReadReleases),
    (CaseManager, Assigned, WriteRelease),
    (CaseManager, Assigned, WithdrawRelease),
    (CaseManager, Assigned, ReadReferrals),
    (CaseManager, Assigned, WriteReferral),
    (CaseManager, Assigned, ShareOutside),
    (CaseManager, Assigned, ReadCases),
    (CaseManager, Assigned, WriteCase),
    (CaseManager, Assigned, ReadScreenings),
    (CaseManager, Assigned, WriteScreening),
    (CaseManager, Assigned, ReadDeterminations),
    (CaseManager, Assigned, WriteDetermination),
    (CaseManager, Assigned, WriteSafety),
    (CaseManager, Assigned, EditClient),
    (Outreach, NoClient, CreateClient),
    (Outreach, NoClient, ListCaseload),
    (Outreach, NoClient, FindDuplicates),
    (Outreach, NoClient, ListContactRequests),
    (Outreach, NoClient, HandleContactRequest),
    (Outreach, NoClient, ListPartners),
    (Outreach, Assigned, ReadClient),
    (Outreach, Assigned, ReadNotes),
    (Outreach, Assigned, WriteNote),
    (Outreach, Assigned, ReadContacts),
    (Outreach, Assigned, WriteContact),
    (Outreach, Assigned, ReadServices),
    (Outreach, Assigned, WriteService),
    (Outreach, Assigned, ReadNeeds),
    (Outreach, Assigned, WriteNeeds),
    (Outreach, Assigned, ReadPlan),
    (Outreach, Assigned, WritePlan),
    (Outreach, Assigned, ReadOutcomes),
    (Outreach, Assigned, WriteOutcomes),
    (Outreach, Assigned, WriteFollowUp),
    (Outreach, Assigned, ReadReleases),
    (Outreach, Assigned, WriteRelease),
    (Outreach, Assigned, WithdrawRelease),
    (Outreach, Assigned, ReadReferrals),
    (Outreach, Assigned, WriteReferral),
    (Outreach, Assigned, ShareOutside),
    (Outreach, Assigned, ReadCases),
    (Outreach, Assigned, ReadScreenings),
    (Outreach, Assigned, WriteScreening),
    (Outreach, Assigned, ReadDeterminations),
    (Outreach, Assigned, WriteDetermination),
    (Outreach, Assigned, WriteSafety),
    (Outreach, Assigned, EditClient),
    (Supervisor, NoClient, CreateClient),
    (Supervisor, NoClient, ListCaseload),
    (Supervisor, NoClient, FindDuplicates),
    (Supervisor, NoClient, ListContactRequests),
    (Supervisor, NoClient, HandleContactRequest),
    (Supervisor, NoClient, ListPartners),
    (Supervisor, Assigned, ReadClient),
    (Supervisor, Assigned, ReadNotes),
    (Supervisor, Assigned, WriteNote),
    (Supervisor, Assigned, ReadContacts),
    (Supervisor, Assigned, WriteContact),
    (Supervisor, Assigned, ReadServices),
    (Supervisor, Assigned, WriteService),
    (Supervisor, Assigned, ReadNeeds),
    (Supervisor, Assigned, WriteNeeds),
    (Supervisor, Assigned, ReadPlan),
    (Supervisor, Assigned, WritePlan),
    (Supervisor, Assigned, ReadOutcomes),
    (Supervisor, Assigned, WriteOutcomes),
    (Supervisor, Assigned, WriteFollowUp),
    (Supervisor, Assigned, ReadReleases),
    (Supervisor, Assigned, WriteRelease),
    (Supervisor, Assigned, WithdrawRelease),
    (Supervisor, Assigned, ReadReferrals),
    (Supervisor, Assigned, WriteReferral),
    (Supervisor, Assigned, ShareOutside),
    (Supervisor, Assigned, ReadCases),
    (Supervisor, Assigned, WriteCase),
    (Supervisor, Assigned, ReadScreenings),
    (Supervisor, Assigned, WriteScreening),
    (Supervisor, Assigned, ReadDeterminations),
    (Supervisor, Assigned, WriteDetermination),
    (Supervisor, Assigned, WriteSafety),
    (Supervisor, Assigned, EditClient),
    (Supervisor, Assigned, EraseClient),
    (Supervisor, Assigned, ReadAccessLog),
    (Supervisor, NoClient, ReadAuditLog),
    (Supervisor, Assigned, AssignClient),
    (Supervisor, NoClient, ListTeamCaseload),
    (Supervisor, Supervises, ReadClient),
    (Supervisor, Supervises, ReadNotes),
    (Supervisor, Supervises, WriteNote),
    (Supervisor, Supervises, ReadContacts),
    (Supervisor, Supervises, WriteContact),
    (Supervisor, Supervises, ReadServices),
    (Supervisor, Supervises, WriteService),
    (Supervisor, Supervises, ReadNeeds),
    (Supervisor, Supervises, WriteNeeds),
    (Supervisor, Supervises, ReadPlan),
    (Supervisor, Supervises, WritePlan),
    (Supervisor, Supervises, ReadOutcomes),
    (Supervisor, Supervises, WriteOutcomes),
    (Supervisor, Supervises, WriteFollowUp),
    (Supervisor, Supervises, ReadReleases),
    (Supervisor, Supervises, WithdrawRelease),
    (Supervisor, Supervises, ReadReferrals),
    (Supervisor, Supervises, ReadCases),
    (Supervisor, Supervises, ReadScreenings),
    (Supervisor, Supervises, ReadDeterminations),
    (Supervisor, Supervises, ReadAccessLog),
    (Supervisor, Supervises, AssignClient),
    (CaseManager, NoClient, BreakGlass),
    (CaseManager, Emergency, ReadClient),
    (CaseManager, Emergency, ReadNotes),
    (CaseManager, Emergency, WriteNote),
    (CaseManager, Emergency, ReadContacts),
    (CaseManager, Emergency, WriteContact),
    (CaseManager, Emergency, ReadServices),
    (CaseManager, Emergency, WriteService),
    (CaseManager, Emergency, ReadNeeds),
    (CaseManager, Emergency, WriteNeeds),
    (CaseManager, Emergency, ReadPlan),
    (CaseManager, Emergency, ReadOutcomes),
    (CaseManager, Emergency, WriteOutcomes),
    (CaseManager, Emergency, WriteFollowUp),
    (CaseManager, Emergency, ReadReleases),
    (CaseManager, Emergency, WithdrawRelease),
    (CaseManager, Emergency, ReadReferrals),
    (CaseManager, Emergency, ReadCases),
    (CaseManager, Emergency, ReadScreenings),
    (CaseManager, Emergency, ReadDeterminations),
    (Outreach, NoClient, BreakGlass),
    (Outreach, Emergency, ReadClient),
    (Outreach, Emergency, ReadNotes),
    (Outreach, Emergency, WriteNote),
    (Outreach, Emergency, ReadContacts),
    (Outreach, Emergency, WriteContact),
    (Outreach, Emergency, ReadServices),
    (Outreach, Emergency, WriteService),
    (Outreach, Emergency, ReadNeeds),
    (Outreach, Emergency, WriteNeeds),
    (Outreach, Emergency, ReadPlan),
    (Outreach, Emergency, ReadOutcomes),
    (Outreach, Emergency, WriteOutcomes),
    (Outreach, Emergency, WriteFollowUp),
    (Outreach, Emergency, ReadReleases),
    (Outreach, Emergency, WithdrawRelease),
    (Outreach, Emergency, ReadReferrals),
    (Outreach, Emergency, ReadCases),
    (Outreach, Emergency, ReadScreenings),
    (Outreach, Emergency, ReadDeterminations),
    (Supervisor, NoClient, BreakGlass),
    (Supervisor, Emergency, ReadClient),
    (Supervisor, Emergency, ReadNotes),
    (Supervisor, Emergency, WriteNote),
    (Supervisor, Emergency, ReadContacts),
    (Supervisor, Emergency, WriteContact),
    (Supervisor, Emergency, ReadServices),
    (Supervisor, Emergency, WriteService),
    (Supervisor, Emergency, ReadNeeds),
    (Supervisor, Emergency, WriteNeeds),
    (Supervisor, Emergency, ReadPlan),
    (Supervisor, Emergency, ReadOutcomes),
    (Supervisor, Emergency, WriteOutcomes),
    (Supervisor, Emergency, WriteFollowUp),
    (Supervisor, Emergency, ReadReleases),
    (Supervisor, Emergency, WithdrawRelease),
    (Supervisor, Emergency, ReadReferrals),
    (Supervisor, Emergency, ReadCases),
    (Supervisor, Emergency, ReadScreenings),
    (Supervisor, Emergency, ReadDeterminations),
    (Supervisor, NoClient, ReviewEmergencyAccess),
    (Supervisor, Assigned, RestrictClient),
    (Administrator, NoClient, ManageUsers),
    (Administrator, NoClient, ManageTeams),
    (Supervisor, NoClient, ManagePartners),
    (Administrator, NoClient, ListPartners),
    (Administrator, NoClient, ManagePartners),
    // Reports count people, never show one: for those answerable for a program's figures.
    (Supervisor, NoClient, ReadReports),
    (Supervisor, NoClient, SignOffReport),
    (DataAnalyst, NoClient, ReadReports),
    (DataAnalyst, NoClient, SignOffReport),
    (Administrator, NoClient, ReadReports),
    (Administrator, NoClient, SignOffReport),
];

/// Whether the table has the row (role, relationship, action). `decide` is the access decision;
/// this is the table lookup it makes, and what a page asks to know which links to offer.
pub fn permits(role: Role, relationship: Relationship, action: Action) -> bool {
    POLICY.contains(&(role, relationship, action))
}

/// What the store knows of how one member of staff stands to one client, read in the transaction
/// that will act: everything an access decision about a client is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Facts {
    /// The client's record was erased.
    pub erased: bool,
    /// The record is restricted to the people assigned to it.
    pub restricted: bool,
    /// The person is assigned to the client.
    pub assigned: bool,
    /// The person leads a team one of whose members is assigned to the client.
    pub leads_an_assignee: bool,
    /// The person holds emergency access to the client, and its hour has not run out.
    pub emergency: bool,
}

impl Facts {
    /// How the person stands to the client: the closest standing wins, and a restricted record
    /// is reached only by assignment (not through a team, not in an emergency).
    pub fn relationship(self) -> Relationship {
        if self.assigned {
            Relationship::Assigned
        } else if self.restricted {
            Relationship::Unassigned
        } else if self.leads_an_assignee {
            Relationship::Supervises
        } else if self.emergency {
            Relationship::Emergency
        } else {
            Relationship::Unassigned
        }
    }

    /// The same facts with emergency access granted: what breaking the glass would open.
    pub fn with_emergency_access(self) -> Self {
        Self {
            emergency: true,
            ..self
        }
    }
}

/// What a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// No particular client (creating one, one's caseload, administration).
    NoClient,
    /// One client, with the facts the store found (`None`: there is no such client).
    Client(Option<Facts>),
}

/// Why access was refused. The codes are part of the audit format (docs/security.md): an audit
/// event of a refusal names the reason and the action, as `refused:<reason>:<action>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// There is no such client, or their record was erased.
    NoSuchClient,
    /// The person has no standing with the client: not assigned, not their team's, no emergency
    /// access (or the record is restricted to the people assigned).
    NoStanding,
    /// The person's role may not do this, in the standing they have (or at all).
    NotAllowed,
    /// Client data would leave the program with no release in force that allows it (P22).
    NoConsent,
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::NoSuchClient,
        Reason::NoStanding,
        Reason::NotAllowed,
        Reason::NoConsent,
    ];

    /// Why, as people say it, for the audit pages.
    pub fn in_words(self) -> &'static str {
        match self {
            Reason::NoSuchClient => "no such record",
            Reason::NoStanding => "not their client",
            Reason::NotAllowed => "their role does not allow it",
            Reason::NoConsent => "no release in force allows it",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Reason::NoSuchClient => "no-such-client",
            Reason::NoStanding => "no-standing",
            Reason::NotAllowed => "not-allowed",
            Reason::NoConsent => "no-consent",
        }
    }
}

/// A refusal: why, and the first action asked for that was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    pub reason: Reason,
    pub action: Action,
}

impl Refusal {
    /// How the audit log records it (the event's purpose): `refused:<reason>:<action>`.
    pub fn audit_code(self) -> String {
        format!("refused:{}:{}", self.reason.code(), self.action.code())
    }
}

/// The access decision: whether someone with `role` may perform every one of `actions` on
/// `subject`. A grant says how they stand to the client (what else they may do follows from it);
/// several actions are granted all together or not at all. With no actions, a client that exists
/// is granted to anyone with standing.
pub fn decide(role: Role, subject: Subject, actions: &[Action]) -> Result<Relationship, Refusal> {
    let first = actions.first().copied().unwrap_or(Action::ReadClient);
    let relationship = match subject {
        Subject::NoClient => Relationship::NoClient,
        Subject::Client(None) => return Err(refused(Reason::NoSuchClient, first)),
        Subject::Client(Some(facts)) if facts.erased => {
            return Err(refused(Reason::NoSuchClient, first));
        }
        Subject::Client(Some(facts)) => match facts.relationship() {
            Relationship::Unassigned => return Err(refused(Reason::NoStanding, first)),
            standing => standing,
        },
    };
    match actions
        .iter()
        .find(|action| !permits(role, relationship, **action))
    {
        Some(action) => Err(refused(Reason::NotAllowed, *action)),
        None => Ok(relationship),
    }
}

fn refused(reason: Reason, action: Action) -> Refusal {
    Refusal { reason, action }
}

/// Whether a supervisor reviews an emergency access, given the leads of the teams of the person
/// who used it (themselves left out): those leads do. Someone with no other lead is reviewed by
/// every supervisor, so that no access goes unreviewed. (Nobody reviews their own; the caller
/// checks that apart, to say so.)
pub fn reviews_emergency_access<Id: PartialEq>(reviewer: &Id, holders_leads: &[Id]) -> bool {
    holders_leads.is_empty() || holders_leads.contains(reviewer)
}

#[cfg(test)]
mod tests;
