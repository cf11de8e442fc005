//! A referral to a partner, as a closed loop: drafted, sent, accepted or declined, then completed
//! or closed without service. Each step is one of the moves below and nothing else, so that a
//! referral's history always reads as something that happened. A referral that shares anything
//! about the client is sent only under a release in force at that moment that names each part it
//! shares (P22: `crate::release::may_share`, asked by `crate::sharing::decide_sharing`); one that
//! shares nothing (the client calls the partner themself) needs none. Pure: the time of every
//! decision is passed in.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::release::SharedPart;
use crate::service::ServiceCode;
use crate::text::TextRule;
use crate::{InvalidInput, PartnerId, ReleaseId, Timestamp};

text_field!(
    /// What the worker says of a referral or of one of its steps ("bed offered from Friday").
    ReferralNote, "note", 2000, true
);

/// An id typed into `field`.
fn id<T: std::str::FromStr>(field: &'static str, raw: &str) -> Result<T, InvalidInput> {
    raw.trim()
        .parse()
        .map_err(|_| InvalidInput::new(field, "is not a valid identifier"))
}

/// A referral as typed: the partner and release as their ids, blank text "not given".
#[derive(Debug, Clone, Copy)]
pub struct RawReferral<'a> {
    pub partner: &'a str,
    /// The type of service asked for.
    pub service: &'a str,
    /// The parts of the record it shares with the partner (none: the client calls them).
    pub shares: &'a [String],
    pub release: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// A referral, checked: drafted, not yet sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub partner: PartnerId,
    pub service: ServiceCode,
    pub shares: Vec<SharedPart>,
    /// The release it will be sent under; needed by the time it is sent if it shares anything.
    pub release: Option<ReleaseId>,
    pub note: Option<ReferralNote>,
}

impl RawReferral<'_> {
    pub fn parse(&self) -> Result<NewReferral, InvalidInput> {
        let partner = id("partner", self.partner)?;
        let service = ServiceCode::parse(self.service)
            .map_err(|e| InvalidInput::new("service", e.problem))?;
        let shares = SharedPart::parse_set(self.shares)?;
        let release = match self.release.map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(id("release", raw)?),
        };
        Ok(NewReferral {
            partner,
            service,
            shares,
            release,
            note: ReferralNote::parse_optional(self.note)?,
        })
    }
}

coded_field!(
    /// Where a referral stands.
    ReferralStatus, "status",
    "must be one of drafted, sent, accepted, declined, completed, closed-without-service",
    {
        Drafted => "drafted",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        Completed => "completed",
        ClosedWithoutService => "closed-without-service",
    }
);

impl ReferralStatus {
    /// Whether a referral may move from this status to `to`.
    pub fn may_become(self, to: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, to),
            (Drafted, Sent | ClosedWithoutService)
                | (Sent, Accepted | Declined | ClosedWithoutService)
                | (Accepted, Completed | ClosedWithoutService)
                | (Declined, ClosedWithoutService)
        )
    }

    /// The status after a move to `to`, or why it cannot be made.
    pub fn step_to(self, to: ReferralStatus) -> Result<ReferralStatus, InvalidInput> {
        if self.may_become(to) {
            Ok(to)
        } else {
            Err(InvalidInput::new(
                "status",
                "cannot follow the referral's status (drafted, then sent, then accepted or declined, then completed or closed without service)",
            ))
        }
    }

    /// Whether the loop is closed: nothing more will happen.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            ReferralStatus::Completed | ReferralStatus::ClosedWithoutService
        )
    }

    /// How many days a referral may wait in this status before it is overdue: an answer from the
    /// partner, then the service itself.
    pub fn days_allowed(self, policy: Waiting) -> Option<i64> {
        match self {
            ReferralStatus::Sent => Some(policy.for_an_answer),
            ReferralStatus::Accepted => Some(policy.for_the_service),
            _ => None,
        }
    }
}

/// How long a program lets a referral wait before it is surfaced as overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub for_an_answer: i64,
    pub for_the_service: i64,
}

impl Default for Waiting {
    /// Two weeks for the partner to answer, thirty days for the service to happen.
    fn default() -> Self {
        Self {
            for_an_answer: 14,
            for_the_service: 30,
        }
    }
}

/// Whether a referral in `status` since `since` is overdue at `now`.
pub fn is_overdue(
    status: ReferralStatus,
    since: Timestamp,
    now: Timestamp,
    policy: Waiting,
) -> bool {
    status
        .days_allowed(policy)
        .is_some_and(|days| now >= since.plus_days(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReferralStatus::*;

    #[test]
    fn a_referral_names_a_partner_a_service_and_what_it_shares() {
        let partner = "6f1c2a4e-0c1b-4a57-9d6e-2b8f3c1d4e5f";
        let shares = vec!["needs".to_owned(), "name".to_owned(), String::new()];
        let raw = RawReferral {
            partner,
            service: "C4",
            shares: &shares,
            release: Some(" "),
            note: Some("Bed from Friday"),
        };
        let referral = raw.parse().unwrap();
        assert_eq!(referral.partner.to_string(), partner);
        assert_eq!(referral.shares, [SharedPart::Name, SharedPart::Needs]);
        assert_eq!(referral.release, None);
        let problem = |raw: RawReferral<'_>| raw.parse().unwrap_err().field;
        assert_eq!(problem(RawReferral { partner: "", ..raw }), "partner");
        assert_eq!(
            problem(RawReferral {
                service: "Z1",
                ..raw
            }),
            "service"
        );
        let unknown = vec!["everything".to_owned()];
        assert_eq!(
            problem(RawReferral {
                shares: &unknown,
                ..raw
            }),
            "shares"
        );
        assert_eq!(
            problem(RawReferral {
                release: Some("release-1"),
                ..raw
            }),
            "release"
        );
    }

    #[test]
    fn a_referral_moves_only_forward_along_its_loop() {
        let path = [Drafted, Sent, Accepted, Completed];
        for pair in path.windows(2) {
            assert_eq!(pair[0].step_to(pair[1]), Ok(pair[1]));
        }
        assert!(Sent.may_become(Declined));
        assert!(Declined.may_become(ClosedWithoutService));
        assert!(Accepted.may_become(ClosedWithoutService));
        for (from, to) in [
            (Drafted, Accepted),
            (Sent, Completed),
            (Declined, Accepted),
            (Completed, Sent),
            (ClosedWithoutService, Sent),
            (Sent, Sent),
        ] {
            assert_eq!(
                from.step_to(to).unwrap_err().field,
                "status",
                "{from:?} to {to:?}"
            );
        }
        assert!(Completed.is_closed() && ClosedWithoutService.is_closed());
        assert!(!Declined.is_closed());
    }

    #[test]
    fn a_referral_waiting_too_long_for_an_answer_or_the_service_is_overdue() {
        let sent = Timestamp::from_unix_millis(1_780_000_000_000);
        let policy = Waiting::default();
        assert!(!is_overdue(Sent, sent, sent.plus_days(13), policy));
        assert!(is_overdue(Sent, sent, sent.plus_days(14), policy));
        assert!(!is_overdue(Accepted, sent, sent.plus_days(29), policy));
        assert!(is_overdue(Accepted, sent, sent.plus_days(30), policy));
        assert!(
            !is_overdue(Drafted, sent, sent.plus_days(400), policy),
            "not sent yet"
        );
        assert!(!is_overdue(Completed, sent, sent.plus_days(400), policy));
    }
}
