//! A referral to a partner, as a closed loop: drafted, sent, accepted or declined, then completed
//! or closed without service. Each step is one of the moves below and nothing else, so that a
//! referral's history always reads as something that happened. A referral that shares anything
//! about the client is sent only under a release in force at that moment that names each part it
//! shares (P22, `crate::release`); one that shares nothing (the client calls the partner
//! themself) needs none. Pure: the time of every decision is passed in.

use serde::{Deserialize, Serialize};

use crate::client::coded_field;
use crate::release::{Release, SharedPart, Standing};
use crate::time::ProgramZone;
use crate::{InvalidInput, Timestamp};

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

/// Whether a referral sharing `shares` may be sent at `at` under `release` (withdrawn at
/// `withdrawn_at`, if ever): nothing shared needs no release; anything shared needs one in force
/// that names every part.
pub fn may_send(
    shares: &[SharedPart],
    release: Option<(&Release, Option<Timestamp>)>,
    at: Timestamp,
    zone: &ProgramZone,
) -> Result<(), InvalidInput> {
    if shares.is_empty() {
        return Ok(());
    }
    let Some((release, withdrawn_at)) = release else {
        return Err(InvalidInput::new(
            "release",
            "is needed: this referral shares part of the record, which only a release in force allows",
        ));
    };
    let refused = |problem| Err(InvalidInput::new("release", problem));
    match release.standing(at, withdrawn_at, zone) {
        Standing::InForce => {}
        Standing::NotYet => return refused("does not apply yet"),
        Standing::Expired => return refused("has expired"),
        Standing::Withdrawn => return refused("was withdrawn"),
    }
    if shares.iter().any(|part| !release.shares.contains(part)) {
        return refused("does not name every part of the record this referral shares");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::release::{ClientStanding, Cosigner, DEFAULT_DAYS, RawRelease};
    use ReferralStatus::*;

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

    #[test]
    fn sharing_goes_out_only_under_a_release_in_force_that_names_it() {
        let zone = ProgramZone::parse("Europe/Madrid").unwrap();
        let shares = vec!["name".to_owned(), "needs".to_owned()];
        let release = RawRelease {
            recipient: "Casa Refugio",
            purpose: "A bed tonight",
            shares: &shares,
            method: "signed-on-screen",
            witness: None,
            starts_on: date!(2026 - 12 - 03),
            ends_on: Some(date!(2026 - 12 - 04)),
        };
        let adult = ClientStanding {
            minor: false,
            may_consent_alone: false,
        };
        let release = release.parse(adult, Cosigner::None, DEFAULT_DAYS).unwrap();
        let during = zone.start_of_day(date!(2026 - 12 - 04));
        let after = zone.start_of_day(date!(2026 - 12 - 05));
        let named = [SharedPart::Name, SharedPart::Needs];
        assert!(may_send(&named, Some((&release, None)), during, &zone).is_ok());
        assert!(may_send(&[], None, during, &zone).is_ok(), "nothing shared");
        let problem = |shares: &[SharedPart], withdrawn, at| {
            may_send(shares, Some((&release, withdrawn)), at, &zone)
                .unwrap_err()
                .problem
        };
        assert_eq!(problem(&named, None, after), "has expired");
        assert_eq!(problem(&named, Some(during), during), "was withdrawn");
        assert!(problem(&[SharedPart::ContactDetails], None, during).contains("every part"));
        let before = zone.start_of_day(date!(2026 - 12 - 02));
        assert_eq!(problem(&named, None, before), "does not apply yet");
        let none = may_send(&named, None, during, &zone).unwrap_err();
        assert_eq!(none.field, "release");
    }
}
