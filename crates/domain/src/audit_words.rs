//! Why something was done, as the audit pages say it. Audit events keep stable codes
//! (`case-work`, `refused:no-standing:read-client`); people read plain words, never the codes.

use std::borrow::Cow;

use crate::contact_request::Outcome;
use crate::emergency::ReviewOutcome;
use crate::policy::{Action, Reason, Refusal, Relationship};

/// What the purpose of a read or write made in an emergency starts with (`emergency:case-work`),
/// so that the record's access log tells those apart from the work of the people assigned.
pub const EMERGENCY: &str = "emergency:";

/// The purpose to audit for work done with `relationship` to the client: marked as an
/// emergency when that is the only reason the caller may see the record.
pub fn purpose_under(relationship: Relationship, purpose: &str) -> Cow<'_, str> {
    if relationship == Relationship::Emergency {
        Cow::Owned(format!("{EMERGENCY}{purpose}"))
    } else {
        Cow::Borrowed(purpose)
    }
}

impl Refusal {
    /// A refusal read back from its audit code (`refused:<reason>:<action>`).
    pub fn from_audit_code(raw: &str) -> Option<Refusal> {
        let rest = raw.strip_prefix("refused:")?;
        let (reason, action) = rest.split_once(':')?;
        let reason = Reason::ALL.into_iter().find(|r| r.code() == reason)?;
        let action = Action::ALL.into_iter().find(|a| a.code() == action)?;
        Some(Refusal { reason, action })
    }
}

/// How an event about client data that left the program names the release it went under (P22):
/// the purpose, then the release's id.
const UNDER_RELEASE: &str = "; release:";

/// The purpose of an event about data that left under `release` (or was refused under it).
pub fn under_release(purpose: &str, release: crate::ReleaseId) -> String {
    format!("{purpose}{UNDER_RELEASE}{release}")
}

/// Why, in plain words: the purposes, refusals and outcomes audit events carry. A purpose this
/// does not know is shown with its dashes as spaces, never as a bare code.
pub fn purpose_in_words(raw: &str) -> String {
    if let Some((purpose, release)) = raw.split_once(UNDER_RELEASE) {
        return format!("{}, under release {release}", purpose_in_words(purpose));
    }
    if let Some(refusal) = Refusal::from_audit_code(raw) {
        return format!(
            "tried to {} ({})",
            refusal.action.in_words(),
            refusal.reason.in_words()
        );
    }
    if let Some(purpose) = raw.strip_prefix(EMERGENCY) {
        return format!("in an emergency, for {}", purpose_in_words(purpose));
    }
    if raw.starts_with("emergency; review ") {
        return "an emergency, waiting for a supervisor's review".to_owned();
    }
    if let Some(outcome) = Outcome::parse(raw) {
        return outcome.label().to_lowercase();
    }
    if let Ok(outcome) = ReviewOutcome::parse(raw) {
        return outcome.in_words().to_owned();
    }
    let words = match raw {
        "case-work" => "case work",
        "legal" => "legal work",
        "retention" => "the program's time limits",
        "contact-request" => "a request from the public site",
        "everywhere" => "signing out everywhere",
        "refused: contact request not claimed by the caller" => {
            "tried to open a contact request someone else holds"
        }
        other => return other.replace('-', " "),
    };
    words.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_plain_words() {
        for (code, words) in [
            ("case-work", "case work"),
            (
                "refused:no-standing:read-client",
                "tried to open the record (not their client)",
            ),
            ("emergency:case-work", "in an emergency, for case work"),
            ("data-quality", "data quality"),
            ("not-justified", "not justified: to be taken up with them"),
            ("became-client", "became a client"),
            (
                "case-work; release:6f1c2a4e-0c1b-4a57-9d6e-2b8f3c1d4e5f",
                "case work, under release 6f1c2a4e-0c1b-4a57-9d6e-2b8f3c1d4e5f",
            ),
            (
                "refused:no-consent:share-outside; release:6f1c2a4e-0c1b-4a57-9d6e-2b8f3c1d4e5f",
                "tried to share the record outside the program (no release in force allows it), under release 6f1c2a4e-0c1b-4a57-9d6e-2b8f3c1d4e5f",
            ),
        ] {
            assert_eq!(purpose_in_words(code), words, "{code}");
        }
    }

    #[test]
    fn every_refusal_reads_back_from_its_code() {
        for action in Action::ALL {
            for reason in Reason::ALL {
                let refusal = Refusal { reason, action };
                assert_eq!(
                    Refusal::from_audit_code(&refusal.audit_code()),
                    Some(refusal)
                );
            }
        }
        assert_eq!(Refusal::from_audit_code("refused:maybe:read-client"), None);
    }

    #[test]
    fn only_emergency_work_is_marked_so() {
        assert_eq!(
            purpose_under(Relationship::Emergency, "case-work"),
            "emergency:case-work"
        );
        assert_eq!(
            purpose_under(Relationship::Assigned, "case-work"),
            "case-work"
        );
    }
}
