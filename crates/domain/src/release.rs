//! A release of information (P22): the client's informed, written, time-limited consent to share
//! named parts of their record with one recipient, for one purpose. The rules are the strictest of
//! the laws our programs answer to (VAWA, 34 USC 12291(b)(2); VOCA, 28 CFR 94.115(a)): consent is
//! never a condition of service; a minor consents together with a parent or guardian, unless the
//! minor may lawfully get services alone, and then alone; a person of concern (someone who harmed
//! or may harm the client) can never consent for them; a release may be withdrawn at any time, by
//! phone or in person, and withdrawal takes effect at once. Without an end date a release lapses
//! after a number of days the program sets (90 by default: Washington State's law lets a release
//! without an expiry date lapse after 90 days, as WSCADV's model release form explains,
//! wscadv.org/resources/model-form-release-of-information). Pure: the time of every decision is
//! passed in.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::time::ProgramZone;
use crate::{InvalidInput, Timestamp};

coded_field!(
    /// A part of the record a release lets us share. Nothing else is ever shared under it.
    SharedPart, "shares",
    "must be one of name, legal-name, date-of-birth, contact-details, languages, needs, services, cases, legal-status",
    {
        Name => "name",
        LegalName => "legal-name",
        DateOfBirth => "date-of-birth",
        ContactDetails => "contact-details",
        Languages => "languages",
        Needs => "needs",
        Services => "services",
        Cases => "cases",
        LegalStatus => "legal-status",
    }
);

coded_field!(
    /// How the client gave the release.
    ReleaseMethod, "method", "must be one of signed-on-screen, paper-scanned, verbal-with-witness",
    {
        SignedOnScreen => "signed-on-screen",
        PaperScanned => "paper-scanned",
        VerbalWithWitness => "verbal-with-witness",
    }
);

text_field!(
    /// Who the release lets us share with, as the client named them (an organisation, or a person
    /// there).
    Recipient, "recipient", 200, false
);
text_field!(
    /// What the sharing is for, in the client's words ("to get a room at the shelter").
    SharePurpose, "purpose", 500, false
);
text_field!(
    /// Who witnessed a release given by word of mouth.
    Witness, "witness", 200, true
);

/// The days a release without an end date lasts, unless the program sets another number.
pub const DEFAULT_DAYS: u16 = 90;

/// Who gave a release, besides the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cosigner {
    /// Nobody: the client alone.
    None,
    /// A parent or guardian, and whether the record names them as a person of concern.
    ParentOrGuardian { person_of_concern: bool },
}

/// What the record says of the client when a release is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientStanding {
    /// Under 18 on the day the release starts.
    pub minor: bool,
    /// A minor who may lawfully get these services without a parent's consent (and so may
    /// consent to a release alone).
    pub may_consent_alone: bool,
}

/// A release as typed. Blank text is "not given"; days are the program's, YYYY-MM-DD (a release
/// signed on paper last week and scanned today starts last week).
#[derive(Debug, Clone)]
pub struct RawRelease<'a> {
    pub recipient: &'a str,
    pub purpose: &'a str,
    pub shares: &'a [String],
    pub method: &'a str,
    pub witness: Option<&'a str>,
    pub starts_on: time::Date,
    pub ends_on: Option<time::Date>,
}

/// A release, checked: in force from the start of `starts_on` to the end of `ends_on` in the
/// program's time zone, unless withdrawn before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub recipient: Recipient,
    pub purpose: SharePurpose,
    /// Each part once, in the order of `SharedPart::ALL`.
    pub shares: Vec<SharedPart>,
    pub method: ReleaseMethod,
    pub witness: Option<Witness>,
    pub starts_on: time::Date,
    pub ends_on: time::Date,
}

impl RawRelease<'_> {
    /// Checks a release given by `cosigner` for a client standing as `client`; `days` is how long
    /// one without an end date lasts.
    pub fn parse(
        &self,
        client: ClientStanding,
        cosigner: Cosigner,
        days: u16,
    ) -> Result<Release, InvalidInput> {
        let recipient = Recipient::parse(self.recipient)?;
        let purpose = SharePurpose::parse(self.purpose)?;
        let mut named = Vec::new();
        for part in self.shares.iter().filter(|p| !p.trim().is_empty()) {
            named.push(SharedPart::parse(part)?);
        }
        // Each part once, in the order of the list.
        let shares: Vec<SharedPart> = SharedPart::ALL
            .iter()
            .filter(|part| named.contains(part))
            .copied()
            .collect();
        if shares.is_empty() {
            return Err(InvalidInput::new(
                "shares",
                "must name at least one part of the record",
            ));
        }
        let method = ReleaseMethod::parse(self.method)?;
        let witness = Witness::parse_optional(self.witness)?;
        if method == ReleaseMethod::VerbalWithWitness && witness.is_none() {
            return Err(InvalidInput::new(
                "witness",
                "must be named for a release given by word of mouth",
            ));
        }
        check_signers(client, cosigner)?;
        let ends_on = match self.ends_on {
            Some(ends_on) if ends_on < self.starts_on => {
                return Err(InvalidInput::new("ends_on", "must not be before starts_on"));
            }
            Some(ends_on) => ends_on,
            None => self.starts_on + time::Duration::days(i64::from(days.max(1)) - 1),
        };
        Ok(Release {
            recipient,
            purpose,
            shares,
            method,
            witness,
            starts_on: self.starts_on,
            ends_on,
        })
    }
}

/// Who may give a release for the client (28 CFR 94.115(a)(2)).
fn check_signers(client: ClientStanding, cosigner: Cosigner) -> Result<(), InvalidInput> {
    match cosigner {
        Cosigner::ParentOrGuardian {
            person_of_concern: true,
        } => Err(InvalidInput::new(
            "cosigner",
            "is recorded as a person of concern, who can never consent for the client",
        )),
        Cosigner::None if client.minor && !client.may_consent_alone => Err(InvalidInput::new(
            "cosigner",
            "must be a parent or guardian who is not a person of concern: the client is a minor who may not consent alone",
        )),
        _ => Ok(()),
    }
}

/// Where a release stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    NotYet,
    InForce,
    Expired,
    Withdrawn,
}

impl Release {
    /// Where the release stands at `at`, in the program's time zone, given when (if ever) it was
    /// withdrawn.
    pub fn standing(
        &self,
        at: Timestamp,
        withdrawn_at: Option<Timestamp>,
        zone: &ProgramZone,
    ) -> Standing {
        if withdrawn_at.is_some_and(|withdrawn| withdrawn <= at) {
            return Standing::Withdrawn;
        }
        let from = zone.start_of_day(self.starts_on);
        let until = zone.start_of_day(self.ends_on + time::Duration::days(1));
        if at < from {
            Standing::NotYet
        } else if at < until {
            Standing::InForce
        } else {
            Standing::Expired
        }
    }

    /// Whether `part` may be shared at `at` under this release: in force, and naming it.
    pub fn permits(
        &self,
        part: SharedPart,
        at: Timestamp,
        withdrawn_at: Option<Timestamp>,
        zone: &ProgramZone,
    ) -> bool {
        self.shares.contains(&part) && self.standing(at, withdrawn_at, zone) == Standing::InForce
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const ADULT: ClientStanding = ClientStanding {
        minor: false,
        may_consent_alone: false,
    };

    fn raw<'a>(shares: &'a [String]) -> RawRelease<'a> {
        RawRelease {
            recipient: "Harbor House shelter",
            purpose: "To get a room this week",
            shares,
            method: "signed-on-screen",
            witness: None,
            starts_on: date!(2026 - 12 - 03),
            ends_on: None,
        }
    }

    fn shares() -> Vec<String> {
        vec!["name".into(), "needs".into(), " ".into()]
    }

    #[test]
    fn a_release_without_an_end_lasts_the_programs_days_and_names_what_it_shares() {
        let shares = shares();
        let release = raw(&shares)
            .parse(ADULT, Cosigner::None, DEFAULT_DAYS)
            .unwrap();
        assert_eq!(
            release.ends_on,
            date!(2027 - 03 - 02),
            "90 days, the first among them"
        );
        assert_eq!(
            release
                .shares
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>(),
            ["name", "needs"]
        );
        let week = raw(&shares).parse(ADULT, Cosigner::None, 7);
        assert_eq!(week.unwrap().ends_on, date!(2026 - 12 - 09));
    }

    #[test]
    fn sharing_stops_the_moment_a_release_ends_or_is_withdrawn() {
        let zone = ProgramZone::parse("America/Chicago").unwrap();
        let shares = shares();
        let release = RawRelease {
            ends_on: Some(date!(2026 - 12 - 10)),
            ..raw(&shares)
        }
        .parse(ADULT, Cosigner::None, DEFAULT_DAYS)
        .unwrap();
        // The end of 10 December in Chicago is 06:00 UTC on the 11th.
        let last =
            Timestamp::from_unix_millis(zone.start_of_day(date!(2026 - 12 - 11)).unix_millis() - 1);
        let after = zone.start_of_day(date!(2026 - 12 - 11));
        assert_eq!(release.standing(last, None, &zone), Standing::InForce);
        assert_eq!(release.standing(after, None, &zone), Standing::Expired);
        let before =
            Timestamp::from_unix_millis(zone.start_of_day(date!(2026 - 12 - 03)).unix_millis() - 1);
        assert_eq!(release.standing(before, None, &zone), Standing::NotYet);

        // Withdrawn by phone on the 5th: shared a millisecond before, never after.
        let call = zone.start_of_day(date!(2026 - 12 - 05));
        let before_call = Timestamp::from_unix_millis(call.unix_millis() - 1);
        assert!(release.permits(SharedPart::Needs, before_call, Some(call), &zone));
        assert!(!release.permits(SharedPart::Needs, call, Some(call), &zone));
        assert_eq!(
            release.standing(call, Some(call), &zone),
            Standing::Withdrawn
        );
        assert!(
            !release.permits(SharedPart::ContactDetails, before_call, None, &zone),
            "not named"
        );
    }

    #[test]
    fn a_minor_consents_with_a_guardian_unless_they_may_alone_and_a_person_of_concern_never() {
        let shares = shares();
        let minor = ClientStanding {
            minor: true,
            may_consent_alone: false,
        };
        let parse = |client, cosigner| raw(&shares).parse(client, cosigner, DEFAULT_DAYS);
        let guardian = Cosigner::ParentOrGuardian {
            person_of_concern: false,
        };
        let of_concern = Cosigner::ParentOrGuardian {
            person_of_concern: true,
        };
        assert_eq!(parse(minor, Cosigner::None).unwrap_err().field, "cosigner");
        assert!(parse(minor, guardian).is_ok());
        assert_eq!(parse(minor, of_concern).unwrap_err().field, "cosigner");
        let alone = ClientStanding {
            minor: true,
            may_consent_alone: true,
        };
        assert!(parse(alone, Cosigner::None).is_ok());
        assert_eq!(parse(alone, of_concern).unwrap_err().field, "cosigner");
        assert!(parse(ADULT, Cosigner::None).is_ok());
        assert_eq!(parse(ADULT, of_concern).unwrap_err().field, "cosigner");
    }

    #[test]
    fn a_release_that_cannot_be_given_names_its_field() {
        let problem = |release: RawRelease<'_>| {
            release
                .parse(ADULT, Cosigner::None, DEFAULT_DAYS)
                .unwrap_err()
                .field
        };
        let shares = shares();
        assert_eq!(
            problem(RawRelease {
                recipient: " ",
                ..raw(&shares)
            }),
            "recipient"
        );
        assert_eq!(
            problem(RawRelease {
                purpose: "",
                ..raw(&shares)
            }),
            "purpose"
        );
        let none = vec![" ".to_owned()];
        assert_eq!(problem(raw(&none)), "shares");
        let unknown = vec!["everything".to_owned()];
        assert_eq!(problem(raw(&unknown)), "shares");
        assert_eq!(
            problem(RawRelease {
                method: "email",
                ..raw(&shares)
            }),
            "method"
        );
        let verbal = RawRelease {
            method: "verbal-with-witness",
            ..raw(&shares)
        };
        assert_eq!(problem(verbal.clone()), "witness");
        assert!(
            RawRelease {
                witness: Some("Dana, the shelter's night advocate"),
                ..verbal
            }
            .parse(ADULT, Cosigner::None, DEFAULT_DAYS)
            .is_ok()
        );
        let backwards = RawRelease {
            ends_on: Some(date!(2026 - 12 - 02)),
            ..raw(&shares)
        };
        assert_eq!(problem(backwards), "ends_on");
    }
}
