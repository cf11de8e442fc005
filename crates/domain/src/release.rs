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

coded_field!(
    /// How the client withdrew a release: it takes effect the moment the worker records it.
    Withdrawal, "how", "must be one of by-phone, in-person, in-writing",
    {
        ByPhone => "by-phone",
        InPerson => "in-person",
        InWriting => "in-writing",
    }
);

coded_field!(
    /// Who gave the release with the client: nobody, a parent or guardian, or nobody because the
    /// client is a minor who may lawfully get these services, and so consent, alone.
    Cosigner, "cosigner", "must be one of none, parent-or-guardian, minor-alone",
    {
        None => "none",
        ParentOrGuardian => "parent-or-guardian",
        MinorAlone => "minor-alone",
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

/// A release as typed. Blank text is "not given"; days are the program's, YYYY-MM-DD (a release
/// signed on paper last week and scanned today starts last week).
#[derive(Debug, Clone)]
pub struct RawRelease<'a> {
    pub recipient: &'a str,
    pub purpose: &'a str,
    pub shares: &'a [String],
    pub method: &'a str,
    pub witness: Option<&'a str>,
    pub cosigner: &'a str,
    /// Whether the record names the parent or guardian who signs as a person of concern
    /// (someone who harmed or may harm the client): the worker is asked, every time.
    pub cosigner_of_concern: bool,
    pub starts_on: time::Date,
    pub ends_on: Option<time::Date>,
}

/// A release, checked: who may receive what, for what, and how it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub recipient: Recipient,
    pub purpose: SharePurpose,
    pub method: ReleaseMethod,
    pub witness: Option<Witness>,
    pub cosigner: Cosigner,
    pub terms: Terms,
}

/// What a release allows, and when: the coded part of it that every outbound decision reads
/// (kept in the clear, so that deciding never needs the client's key). In force from the start
/// of `starts_on` to the end of `ends_on` in the program's time zone, unless withdrawn before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    /// Each part once, in the order of `SharedPart::ALL`.
    pub shares: Vec<SharedPart>,
    pub starts_on: time::Date,
    pub ends_on: time::Date,
}

impl RawRelease<'_> {
    /// Checks a release as typed; `days` is how long one without an end date lasts. (Whether the
    /// client may give it as signed is `Release::check_signers`, once the record says whether
    /// they are a minor.)
    pub fn parse(&self, days: u16) -> Result<Release, InvalidInput> {
        let recipient = Recipient::parse(self.recipient)?;
        let purpose = SharePurpose::parse(self.purpose)?;
        let shares = SharedPart::parse_set(self.shares)?;
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
        let cosigner = Cosigner::parse(self.cosigner)?;
        if cosigner == Cosigner::ParentOrGuardian && self.cosigner_of_concern {
            return Err(InvalidInput::new(
                "cosigner",
                "is recorded as a person of concern, who can never consent for the client",
            ));
        }
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
            method,
            witness,
            cosigner,
            terms: Terms {
                shares,
                starts_on: self.starts_on,
                ends_on,
            },
        })
    }
}

impl SharedPart {
    /// The parts named in `raw` (blanks left out), each once, in the order of `SharedPart::ALL`.
    pub fn parse_set(raw: &[String]) -> Result<Vec<SharedPart>, InvalidInput> {
        let mut named = Vec::new();
        for part in raw.iter().filter(|p| !p.trim().is_empty()) {
            named.push(SharedPart::parse(part)?);
        }
        Ok(SharedPart::ALL
            .iter()
            .filter(|part| named.contains(part))
            .copied()
            .collect())
    }

    /// The parts as stored: their codes, separated by commas.
    pub fn join(parts: &[SharedPart]) -> String {
        parts
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads back what `join` wrote.
    pub fn split(stored: &str) -> Result<Vec<SharedPart>, InvalidInput> {
        stored
            .split(',')
            .filter(|p| !p.is_empty())
            .map(SharedPart::parse)
            .collect()
    }
}

/// Whether the client is a minor on `day`, as far as the record tells: by the date of birth when
/// it is known, else by the age range (unknown counts as not a minor; the worker who knows
/// better records the guardian who signed).
pub fn minor_on(
    day: time::Date,
    born: Option<time::Date>,
    age_band: Option<crate::client::AgeBand>,
) -> bool {
    match born {
        Some(born) => crate::client::age_on(born, day) < 18,
        None => crate::caseload::is_minor(age_band) == Some(true),
    }
}

impl Release {
    /// Whether the client could give this release as signed (28 CFR 94.115(a)(2)): a minor (under
    /// 18 on the day it starts) consents with a parent or guardian, unless they may lawfully
    /// consent alone.
    pub fn check_signers(&self, minor: bool) -> Result<(), InvalidInput> {
        if minor && self.cosigner == Cosigner::None {
            return Err(InvalidInput::new(
                "cosigner",
                "must be a parent or guardian who is not a person of concern, or the minor must be one who may consent alone: the client is a minor",
            ));
        }
        Ok(())
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

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::NotYet => "not-yet",
            Standing::InForce => "in-force",
            Standing::Expired => "expired",
            Standing::Withdrawn => "withdrawn",
        }
    }
}

impl Terms {
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

/// Whether `shares` may leave the program at `at` under a release's `terms` (withdrawn at
/// `withdrawn_at`, if ever): nothing shared needs no release; anything shared needs one in force
/// that names every part.
pub fn may_share(
    shares: &[SharedPart],
    release: Option<(&Terms, Option<Timestamp>)>,
    at: Timestamp,
    zone: &ProgramZone,
) -> Result<(), InvalidInput> {
    if shares.is_empty() {
        return Ok(());
    }
    let Some((release, withdrawn_at)) = release else {
        return Err(InvalidInput::new(
            "release",
            "is needed: this shares part of the record, which only a release in force allows",
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
        return refused("does not name every part of the record this shares");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn raw<'a>(shares: &'a [String]) -> RawRelease<'a> {
        RawRelease {
            recipient: "Harbor House shelter",
            purpose: "To get a room this week",
            shares,
            method: "signed-on-screen",
            witness: None,
            cosigner: "none",
            cosigner_of_concern: false,
            starts_on: date!(2026 - 12 - 03),
            ends_on: None,
        }
    }

    fn shares() -> Vec<String> {
        vec!["needs".into(), "name".into(), " ".into()]
    }

    #[test]
    fn a_release_without_an_end_lasts_the_programs_days_and_names_what_it_shares() {
        let shares = shares();
        let release = raw(&shares).parse(DEFAULT_DAYS).unwrap();
        assert_eq!(
            release.terms.ends_on,
            date!(2027 - 03 - 02),
            "90 days, the first among them"
        );
        assert_eq!(
            SharedPart::join(&release.terms.shares),
            "name,needs",
            "each once, in the list's order"
        );
        assert_eq!(
            SharedPart::split("name,needs").unwrap(),
            release.terms.shares
        );
        let week = raw(&shares).parse(7);
        assert_eq!(week.unwrap().terms.ends_on, date!(2026 - 12 - 09));
    }

    #[test]
    fn sharing_stops_the_moment_a_release_ends_or_is_withdrawn() {
        let zone = ProgramZone::parse("America/Chicago").unwrap();
        let shares = shares();
        let release = RawRelease {
            ends_on: Some(date!(2026 - 12 - 10)),
            ..raw(&shares)
        }
        .parse(DEFAULT_DAYS)
        .unwrap()
        .terms;
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
        let given_by = |cosigner, of_concern| {
            RawRelease {
                cosigner,
                cosigner_of_concern: of_concern,
                ..raw(&shares)
            }
            .parse(DEFAULT_DAYS)
        };
        let alone = given_by("none", false).unwrap();
        assert_eq!(alone.check_signers(true).unwrap_err().field, "cosigner");
        assert!(alone.check_signers(false).is_ok());
        let guardian = given_by("parent-or-guardian", false).unwrap();
        assert!(guardian.check_signers(true).is_ok());
        let minor_alone = given_by("minor-alone", false).unwrap();
        assert!(minor_alone.check_signers(true).is_ok());
        assert_eq!(
            given_by("parent-or-guardian", true).unwrap_err().field,
            "cosigner",
            "a person of concern never consents, for a minor or anyone"
        );
        assert_eq!(given_by("a friend", false).unwrap_err().field, "cosigner");
    }

    #[test]
    fn a_release_that_cannot_be_given_names_its_field() {
        let problem = |release: RawRelease<'_>| release.parse(DEFAULT_DAYS).unwrap_err().field;
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
            .parse(DEFAULT_DAYS)
            .is_ok()
        );
        let backwards = RawRelease {
            ends_on: Some(date!(2026 - 12 - 02)),
            ..raw(&shares)
        };
        assert_eq!(problem(backwards), "ends_on");
    }

    #[test]
    fn sharing_goes_out_only_under_a_release_in_force_that_names_it() {
        let zone = ProgramZone::parse("Europe/Madrid").unwrap();
        let shares = vec!["name".to_owned(), "needs".to_owned()];
        let release = RawRelease {
            recipient: "Casa Refugio",
            purpose: "A bed tonight",
            ends_on: Some(date!(2026 - 12 - 04)),
            ..raw(&shares)
        }
        .parse(DEFAULT_DAYS)
        .unwrap()
        .terms;
        let during = zone.start_of_day(date!(2026 - 12 - 04));
        let after = zone.start_of_day(date!(2026 - 12 - 05));
        let named = [SharedPart::Name, SharedPart::Needs];
        assert!(may_share(&named, Some((&release, None)), during, &zone).is_ok());
        assert!(
            may_share(&[], None, during, &zone).is_ok(),
            "nothing shared"
        );
        let problem = |shares: &[SharedPart], withdrawn, at| {
            may_share(shares, Some((&release, withdrawn)), at, &zone)
                .unwrap_err()
                .problem
        };
        assert_eq!(problem(&named, None, after), "has expired");
        assert_eq!(problem(&named, Some(during), during), "was withdrawn");
        assert!(problem(&[SharedPart::ContactDetails], None, during).contains("every part"));
        let before = zone.start_of_day(date!(2026 - 12 - 02));
        assert_eq!(problem(&named, None, before), "does not apply yet");
        let none = may_share(&named, None, during, &zone).unwrap_err();
        assert_eq!(none.field, "release");
    }
}
