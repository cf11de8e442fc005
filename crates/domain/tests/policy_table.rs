//! Who may do what, typed out by hand from the product's rules (DESIGN.md's users and
//! SECURITY.md P6-P8) and held against the policy the code decides from. The table in the code
//! and this one are kept apart on purpose: a change to who may do what has to be made in both,
//! deliberately, and a test that derived its expectations from the code could never fail.
//!
//! Each line is one action, by its audit code, then one column per role: case manager (CM),
//! outreach (OR), supervisor (SV), administrator (AD), data analyst (DA). In each column, the
//! standings that allow it: N no client concerned, A assigned, S leads a team whose member is
//! assigned, E emergency access, U unassigned; `-` for none.

// Test code: a failed step should stop the test with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use safeharbor_domain::Role;
use safeharbor_domain::policy::{Action, Relationship, permits};

const TABLE: &str = "
action                   CM    OR    SV    AD   DA
create-client            N     N     N     -    -
list-caseload            N     N     N     -    -
find-duplicates          N     N     N     -    -
read-client              AE    AE    ASE   -    -
read-notes               AE    AE    ASE   -    -
write-note               AE    AE    ASE   -    -
read-contacts            AE    AE    ASE   -    -
write-contact            AE    AE    ASE   -    -
read-services            AE    AE    ASE   -    -
write-service            AE    AE    ASE   -    -
read-needs               AE    AE    ASE   -    -
write-needs              AE    AE    ASE   -    -
read-plan                AE    AE    ASE   -    -
write-plan               A     A     AS    -    -
read-outcomes            AE    AE    ASE   -    -
write-outcomes           AE    AE    ASE   -    -
write-follow-up          AE    AE    ASE   -    -
read-releases            AE    AE    ASE   -    -
write-release            A     A     A     -    -
withdraw-release         AE    AE    ASE   -    -
read-referrals           AE    AE    ASE   -    -
write-referral           A     A     A     -    -
share-outside            A     A     A     -    -
read-cases               AE    AE    ASE   -    -
write-case               A     -     A     -    -
read-screenings          AE    AE    ASE   -    -
write-screening          A     A     A     -    -
read-determinations      AE    AE    ASE   -    -
write-determination      A     A     A     -    -
write-safety             A     A     A     -    -
edit-client              A     A     A     -    -
erase-client             -     -     A     -    -
restrict-client          -     -     A     -    -
assign-client            -     -     AS    -    -
read-access-log          -     -     AS    -    -
read-audit-log           -     -     N     -    -
list-team-caseload       -     -     N     -    -
review-emergency-access  -     -     N     -    -
break-glass              N     N     N     -    -
list-contact-requests    N     N     N     -    -
handle-contact-request   N     N     N     -    -
manage-users             -     -     -     N    -
manage-teams             -     -     -     N    -
list-partners            N     N     N     N    -
manage-partners          -     -     N     N    -
read-reports             -     -     N     N    N
sign-off-report          -     -     N     N    N
";

const ROLES: [Role; 5] = [
    Role::CaseManager,
    Role::Outreach,
    Role::Supervisor,
    Role::Administrator,
    Role::DataAnalyst,
];

const STANDINGS: [(char, Relationship); 5] = [
    ('N', Relationship::NoClient),
    ('A', Relationship::Assigned),
    ('S', Relationship::Supervises),
    ('E', Relationship::Emergency),
    ('U', Relationship::Unassigned),
];

#[test]
fn the_policy_grants_exactly_what_the_hand_written_table_says() {
    let mut lines = TABLE.trim().lines();
    lines.next(); // the header
    let mut listed = Vec::new();
    for line in lines {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells.len(), 1 + ROLES.len(), "{line}");
        let action = Action::ALL
            .into_iter()
            .find(|a| a.code() == cells[0])
            .unwrap_or_else(|| panic!("no action {}", cells[0]));
        listed.push(action);
        for (role, allowed) in ROLES.iter().zip(&cells[1..]) {
            for (letter, standing) in STANDINGS {
                assert_eq!(
                    permits(*role, standing, action),
                    allowed.contains(letter),
                    "{} as {} ({standing:?}): the table says {allowed}",
                    cells[0],
                    role.as_str()
                );
            }
        }
    }
    for action in Action::ALL {
        assert!(
            listed.contains(&action),
            "{} is missing from the hand-written table",
            action.code()
        );
    }
    assert_eq!(listed.len(), Action::ALL.len(), "an action is listed twice");
}
