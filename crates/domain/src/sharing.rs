//! The access decision for client data leaving the program (P22): a referral sent, a partner's
//! sheet read, and every way out still to come. It asks `policy::decide` for the standing to share
//! the record, and then the consent: a release in force at that moment that names every part.

use crate::policy::{Action, Refusal, Relationship, Subject, decide};
use crate::release::{SharedPart, Terms, may_share};
use crate::time::ProgramZone;
use crate::{InvalidInput, Role, Timestamp};

/// Client data about to leave the program: the parts it shares and the release it would go
/// under (its terms, and when it was withdrawn if it was), at a moment, in the program's zone.
#[derive(Debug, Clone, Copy)]
pub struct Sharing<'a> {
    pub parts: &'a [SharedPart],
    pub release: Option<(&'a Terms, Option<Timestamp>)>,
    pub at: Timestamp,
    pub zone: &'a ProgramZone,
}

/// Why data may not leave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharingRefused {
    /// The caller may not share this client's record at all: answered as "not found", as any
    /// refusal about a client is.
    Access(Refusal),
    /// The caller may, but no release allows it at this moment (P22): answered with the reason,
    /// which says nothing the caller may not already see.
    Consent(InvalidInput),
}

/// The access decision for every path by which client data leaves the program (P22): `decide`
/// for `ShareOutside`, and then the consent: anything shared goes only under a release in force
/// at `sharing.at` that names every part of it (`release::may_share`). Nothing shared needs no
/// release, and consent is never asked of anything else (a client without any release gets every
/// service).
pub fn decide_sharing(
    role: Role,
    subject: Subject,
    sharing: Sharing<'_>,
) -> Result<Relationship, SharingRefused> {
    let relationship =
        decide(role, subject, &[Action::ShareOutside]).map_err(SharingRefused::Access)?;
    may_share(sharing.parts, sharing.release, sharing.at, sharing.zone)
        .map_err(SharingRefused::Consent)?;
    Ok(relationship)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Facts;
    use Relationship::*;
    use Role::*;

    /// How someone stands to a client: assigned, or holding emergency access.
    fn facts(assigned: bool, emergency: bool) -> Facts {
        Facts {
            assigned,
            emergency,
            ..Facts::default()
        }
    }

    #[test]
    fn data_leaves_only_with_standing_and_a_release_in_force_naming_it() {
        let zone = ProgramZone::default();
        let day = time::macros::date!(2026 - 12 - 03);
        let terms = Terms {
            shares: vec![SharedPart::Name, SharedPart::Needs],
            starts_on: day,
            ends_on: day,
        };
        let at = zone.start_of_day(day);
        let assigned = Subject::Client(Some(facts(true, false)));
        let sharing = |parts, withdrawn| Sharing {
            parts,
            release: Some((&terms, withdrawn)),
            at,
            zone: &zone,
        };
        let name = &[SharedPart::Name][..];
        assert_eq!(
            decide_sharing(CaseManager, assigned, sharing(name, None)),
            Ok(Assigned)
        );
        let consent = |refused| match refused {
            Err(SharingRefused::Consent(e)) => e.problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            consent(decide_sharing(
                CaseManager,
                assigned,
                sharing(name, Some(at))
            )),
            "was withdrawn"
        );
        let contact = &[SharedPart::ContactDetails][..];
        assert!(
            consent(decide_sharing(
                CaseManager,
                assigned,
                sharing(contact, None)
            ))
            .contains("every part")
        );
        let tomorrow = Sharing {
            at: at.plus_days(1),
            ..sharing(name, None)
        };
        assert_eq!(
            consent(decide_sharing(CaseManager, assigned, tomorrow)),
            "has expired"
        );
        // Standing first: the unassigned and an emergency holder never learn of the release.
        for (role, facts) in [
            (CaseManager, facts(false, false)),
            (CaseManager, facts(false, true)),
            (Administrator, facts(true, false)),
        ] {
            let decided = decide_sharing(role, Subject::Client(Some(facts)), sharing(name, None));
            assert!(
                matches!(decided, Err(SharingRefused::Access(_))),
                "{role:?} {facts:?}"
            );
        }
        // Nothing shared needs no release.
        let nothing = Sharing {
            parts: &[],
            release: None,
            at,
            zone: &zone,
        };
        assert_eq!(decide_sharing(Outreach, assigned, nothing), Ok(Assigned));
    }
}
