//! Who may do what: one declarative table, consulted in one place (`permits`). Anything not in the
//! table is refused (deny by default), and the caller turns a refusal about a client into the same
//! answer as "no such client" (SECURITY.md P6, P7).

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

/// Everything the application can be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    CreateClient,
    ListCaseload,
    ReadClient,
    ReadNotes,
    WriteNote,
    ReadCases,
    WriteCase,
    ReadScreenings,
    WriteScreening,
    /// See a client's determinations (the worksheet of facts and what the law makes of them).
    ReadDeterminations,
    /// Record a determination, or save a worksheet in progress.
    WriteDetermination,
    WriteSafety,
    EraseClient,
    FindDuplicates,
    ManageUsers,
    /// See the queue of safe-contact requests (when each came, not what it says).
    ListContactRequests,
    /// Claim a safe-contact request, read it once claimed, turn it into a client or close it.
    HandleContactRequest,
    /// See who opened a client's record, and when and why.
    ReadAccessLog,
    /// See everyone refused a record, and what one member of staff has done.
    ReadAuditLog,
    /// Assign a client to a member of one's team, or take an assignment away.
    AssignClient,
    /// See the clients of everyone on the teams one leads.
    ListTeamCaseload,
    /// Make teams and say who is on them and who leads them.
    ManageTeams,
    /// Open a record that is not one's own in an emergency ("break the glass").
    BreakGlass,
    /// Review emergency accesses.
    ReviewEmergencyAccess,
    /// Restrict a client to the people assigned (a client who is also on staff), or lift that.
    RestrictClient,
}

impl Action {
    pub const ALL: [Action; 25] = [
        Action::CreateClient,
        Action::ListCaseload,
        Action::ReadClient,
        Action::ReadNotes,
        Action::WriteNote,
        Action::ReadCases,
        Action::WriteCase,
        Action::ReadScreenings,
        Action::WriteScreening,
        Action::ReadDeterminations,
        Action::WriteDetermination,
        Action::WriteSafety,
        Action::EraseClient,
        Action::FindDuplicates,
        Action::ManageUsers,
        Action::ListContactRequests,
        Action::HandleContactRequest,
        Action::ReadAccessLog,
        Action::ReadAuditLog,
        Action::AssignClient,
        Action::ListTeamCaseload,
        Action::ManageTeams,
        Action::BreakGlass,
        Action::ReviewEmergencyAccess,
        Action::RestrictClient,
    ];

    /// Whether the action is about one client record (and so needs Assigned/Unassigned).
    pub fn concerns_a_client(self) -> bool {
        matches!(
            self,
            Action::ReadClient
                | Action::ReadNotes
                | Action::WriteNote
                | Action::ReadCases
                | Action::WriteCase
                | Action::ReadScreenings
                | Action::WriteScreening
                | Action::ReadDeterminations
                | Action::WriteDetermination
                | Action::WriteSafety
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
/// and assigns the work; erasing a record stays with a supervisor assigned to it.
pub const POLICY: &[(Role, Relationship, Action)] = &[
    (CaseManager, NoClient, CreateClient),
    (CaseManager, NoClient, ListCaseload),
    (CaseManager, NoClient, FindDuplicates),
    (CaseManager, NoClient, ListContactRequests),
    (CaseManager, NoClient, HandleContactRequest),
    (CaseManager, Assigned, ReadClient),
    (CaseManager, Assigned, ReadNotes),
    (CaseManager, Assigned, WriteNote),
    (CaseManager, Assigned, ReadCases),
    (CaseManager, Assigned, WriteCase),
    (CaseManager, Assigned, ReadScreenings),
    (CaseManager, Assigned, WriteScreening),
    (CaseManager, Assigned, ReadDeterminations),
    (CaseManager, Assigned, WriteDetermination),
    (CaseManager, Assigned, WriteSafety),
    (Outreach, NoClient, CreateClient),
    (Outreach, NoClient, ListCaseload),
    (Outreach, NoClient, FindDuplicates),
    (Outreach, NoClient, ListContactRequests),
    (Outreach, NoClient, HandleContactRequest),
    (Outreach, Assigned, ReadClient),
    (Outreach, Assigned, ReadNotes),
    (Outreach, Assigned, WriteNote),
    (Outreach, Assigned, ReadCases),
    (Outreach, Assigned, ReadScreenings),
    (Outreach, Assigned, WriteScreening),
    (Outreach, Assigned, ReadDeterminations),
    (Outreach, Assigned, WriteDetermination),
    (Outreach, Assigned, WriteSafety),
    (Supervisor, NoClient, CreateClient),
    (Supervisor, NoClient, ListCaseload),
    (Supervisor, NoClient, FindDuplicates),
    (Supervisor, NoClient, ListContactRequests),
    (Supervisor, NoClient, HandleContactRequest),
    (Supervisor, Assigned, ReadClient),
    (Supervisor, Assigned, ReadNotes),
    (Supervisor, Assigned, WriteNote),
    (Supervisor, Assigned, ReadCases),
    (Supervisor, Assigned, WriteCase),
    (Supervisor, Assigned, ReadScreenings),
    (Supervisor, Assigned, WriteScreening),
    (Supervisor, Assigned, ReadDeterminations),
    (Supervisor, Assigned, WriteDetermination),
    (Supervisor, Assigned, WriteSafety),
    (Supervisor, Assigned, EraseClient),
    (Supervisor, Assigned, ReadAccessLog),
    (Supervisor, NoClient, ReadAuditLog),
    (Supervisor, Assigned, AssignClient),
    (Supervisor, NoClient, ListTeamCaseload),
    (Supervisor, Supervises, ReadClient),
    (Supervisor, Supervises, ReadNotes),
    (Supervisor, Supervises, WriteNote),
    (Supervisor, Supervises, ReadCases),
    (Supervisor, Supervises, ReadScreenings),
    (Supervisor, Supervises, ReadDeterminations),
    (Supervisor, Supervises, ReadAccessLog),
    (Supervisor, Supervises, AssignClient),
    (CaseManager, NoClient, BreakGlass),
    (CaseManager, Emergency, ReadClient),
    (CaseManager, Emergency, ReadNotes),
    (CaseManager, Emergency, WriteNote),
    (CaseManager, Emergency, ReadCases),
    (CaseManager, Emergency, ReadScreenings),
    (CaseManager, Emergency, ReadDeterminations),
    (Outreach, NoClient, BreakGlass),
    (Outreach, Emergency, ReadClient),
    (Outreach, Emergency, ReadNotes),
    (Outreach, Emergency, WriteNote),
    (Outreach, Emergency, ReadCases),
    (Outreach, Emergency, ReadScreenings),
    (Outreach, Emergency, ReadDeterminations),
    (Supervisor, NoClient, BreakGlass),
    (Supervisor, Emergency, ReadClient),
    (Supervisor, Emergency, ReadNotes),
    (Supervisor, Emergency, WriteNote),
    (Supervisor, Emergency, ReadCases),
    (Supervisor, Emergency, ReadScreenings),
    (Supervisor, Emergency, ReadDeterminations),
    (Supervisor, NoClient, ReviewEmergencyAccess),
    (Supervisor, Assigned, RestrictClient),
    (Administrator, NoClient, ManageUsers),
    (Administrator, NoClient, ManageTeams),
];

/// The one place access is decided.
pub fn permits(role: Role, relationship: Relationship, action: Action) -> bool {
    POLICY.contains(&(role, relationship, action))
}

/// Whether a supervisor reviews an emergency access, given the leads of the teams of the person
/// who used it (themselves left out): those leads do. Someone with no other lead is reviewed by
/// every supervisor, so that no access goes unreviewed. (Nobody reviews their own; the caller
/// checks that apart, to say so.)
pub fn reviews_emergency_access<Id: PartialEq>(reviewer: &Id, holders_leads: &[Id]) -> bool {
    holders_leads.is_empty() || holders_leads.contains(reviewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holders_team_leads_review_their_emergency_access_or_else_every_supervisor() {
        assert!(reviews_emergency_access(&"sue", &["sue", "tom"]));
        assert!(!reviews_emergency_access(&"lea", &["sue", "tom"]));
        assert!(reviews_emergency_access(&"lea", &[]), "no lead: anyone");
    }

    #[test]
    fn nobody_reaches_a_client_they_are_not_assigned_to() {
        for role in Role::ALL {
            for action in Action::ALL {
                assert!(!permits(role, Unassigned, action), "{role} {action:?}");
            }
        }
    }

    #[test]
    fn administrators_and_analysts_never_read_case_content() {
        for role in [Administrator, DataAnalyst] {
            for rel in [Assigned, Supervises, Emergency, Unassigned] {
                for action in [ReadClient, ReadNotes, ReadCases, ReadScreenings] {
                    assert!(!permits(role, rel, action));
                }
            }
        }
    }

    #[test]
    fn client_actions_are_granted_only_with_a_relationship_and_others_without() {
        for (_, rel, action) in POLICY {
            assert_eq!(action.concerns_a_client(), *rel != NoClient, "{action:?}");
        }
    }

    #[test]
    fn only_supervisors_reach_a_client_through_their_team_and_only_to_read_note_and_assign() {
        for role in Role::ALL {
            for action in Action::ALL {
                let allowed = permits(role, Supervises, action);
                if role != Supervisor {
                    assert!(!allowed, "{role} {action:?}");
                }
            }
        }
        for action in [
            WriteCase,
            WriteScreening,
            WriteDetermination,
            WriteSafety,
            EraseClient,
        ] {
            assert!(!permits(Supervisor, Supervises, action), "{action:?}");
        }
        assert!(permits(Supervisor, Supervises, ReadClient));
        assert!(permits(Supervisor, Supervises, AssignClient));
        assert!(!permits(CaseManager, Assigned, AssignClient));
    }

    #[test]
    fn an_emergency_opens_a_record_to_read_and_note_only() {
        for role in [CaseManager, Outreach, Supervisor] {
            assert!(permits(role, NoClient, BreakGlass));
            assert!(permits(role, Emergency, ReadClient));
            assert!(permits(role, Emergency, WriteNote));
            for action in [
                WriteCase,
                WriteScreening,
                WriteSafety,
                EraseClient,
                AssignClient,
            ] {
                assert!(!permits(role, Emergency, action), "{role} {action:?}");
            }
        }
        assert!(!permits(Administrator, NoClient, BreakGlass));
        assert!(permits(Supervisor, NoClient, ReviewEmergencyAccess));
        assert!(!permits(CaseManager, NoClient, ReviewEmergencyAccess));
    }

    #[test]
    fn outreach_records_but_does_not_run_cases() {
        assert!(permits(Outreach, Assigned, WriteNote));
        assert!(!permits(Outreach, Assigned, WriteCase));
        assert!(!permits(Outreach, Assigned, EraseClient));
    }
}
