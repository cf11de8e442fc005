//! Safe-contact requests: someone on the public pages asks the program to reach them, giving only
//! a nickname, a safe way to reach them, a safe time and, if they like, a code word. Staff claim a
//! request, then turn it into a client record or close it. An unclaimed request expires.

use crate::InvalidInput;
use crate::client::{
    CodeWord, ContactDetails, NewClient, PersonalDetails, PreferredName, SafeContact, SafetyFlags,
};
use crate::profile::{Profile, ReferralSource};

/// How long a request waits to be claimed before its details are destroyed.
pub const EXPIRES_AFTER_DAYS: i64 = 30;

/// How long a claimed request may stay open (neither closed nor made a client) before its
/// details are destroyed all the same: nothing someone typed is kept for ever.
pub const CLAIM_LASTS_DAYS: i64 = 90;

/// When a claim is handed back (the person who held it was switched off), the request has at
/// least this long to be claimed again.
pub const RELEASED_LASTS_DAYS: i64 = 7;

/// New requests the whole instance takes in an hour; past it, the page points to the hotline
/// instead (SECURITY.md P24). The limits below keep one source, or requests without the page's
/// proof of work, from using it all up.
pub const PER_HOUR: i64 = 30;

/// Requests one source (the connecting address, or the one a trusted proxy names) may send in an
/// hour: a flood from one place is held back there while people elsewhere still get through.
/// Generous, because people share addresses (a shelter, a library, a phone network). Addresses
/// are held in the server's memory, keyed, for the hour only, and never stored.
pub const PER_SOURCE_PER_HOUR: usize = 5;

/// Requests without the page's proof of work (no JavaScript, or a script) the instance takes in an
/// hour, counted apart from the rest, so a flood of them cannot use up everyone else's room.
pub const UNPROVEN_PER_HOUR: usize = 10;

/// Leading zero bits the page's proof of work must reach: about 65,000 hashes, a second or two
/// of a phone's time, worked out while the person types (`crypto::proof_of_work`).
pub const PROOF_BITS: u32 = 16;

/// How long after the form was shown its challenge can be answered.
pub const CHALLENGE_LASTS_MS: i64 = 2 * 60 * 60 * 1000;

/// Requests waiting at once (unclaimed or claimed, not yet closed), so a flood cannot fill the
/// disk or bury real requests without anyone noticing.
pub const MAX_WAITING: i64 = 500;

/// A request as typed, before checking; blank means "not given".
#[derive(Debug, Clone, Default)]
pub struct RawContactRequest {
    pub alias: String,
    pub reach: String,
    pub times: String,
    pub code_word: String,
}

/// A checked request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContactRequest {
    pub alias: PreferredName,
    pub reach: ContactDetails,
    pub times: Option<SafeContact>,
    pub code_word: Option<CodeWord>,
}

/// Names the form's own field in an error from a shared text rule.
fn on(field: &'static str) -> impl Fn(InvalidInput) -> InvalidInput {
    move |e| InvalidInput::new(field, e.problem)
}

fn optional<T>(
    raw: &str,
    parse: impl Fn(&str) -> Result<T, InvalidInput>,
) -> Result<Option<T>, InvalidInput> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

impl RawContactRequest {
    /// Checks every field; the first problem names its field (`alias`, `reach`, `times`,
    /// `code_word`), never the value.
    pub fn parse(&self) -> Result<NewContactRequest, InvalidInput> {
        Ok(NewContactRequest {
            alias: PreferredName::parse(&self.alias).map_err(on("alias"))?,
            reach: ContactDetails::parse(&self.reach).map_err(on("reach"))?,
            times: optional(&self.times, SafeContact::parse).map_err(on("times"))?,
            code_word: optional(&self.code_word, CodeWord::parse).map_err(on("code_word"))?,
        })
    }
}

/// The words before each part of a request in the safety flag it becomes, as staff say them.
pub const REACH_LABEL: &str = "How they asked us to reach them";
pub const TIMES_LABEL: &str = "When it is safe";

impl NewContactRequest {
    /// The client record a request becomes: the nickname as the name they are called, and
    /// everything they said about reaching them safely (the way, in their words, with any cover
    /// story or "text only", and the safe time) as safety flags, shown before anything else and
    /// never mistaken for ordinary contact details; the code word is a safety flag too.
    pub fn into_client(self) -> Result<NewClient, InvalidInput> {
        let mut reach = format!("{REACH_LABEL}: {}", self.reach.as_str());
        if let Some(times) = &self.times {
            reach.push_str(&format!("\n{TIMES_LABEL}: {}", times.as_str()));
        }
        Ok(NewClient {
            preferred_name: self.alias,
            personal: PersonalDetails::default(),
            safety: SafetyFlags {
                safe_contact: Some(SafeContact::parse(&reach)?),
                code_word: self.code_word,
                do_not_contact: None,
            },
            gender: None,
            age_band: None,
            // The public form asks the person to tell us how to reach *them*.
            profile: Profile {
                referral_source: Some(ReferralSource::SelfReferred),
                ..Profile::default()
            },
        })
    }
}

/// How a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Staff reached the person and nothing more is to be recorded.
    Reached,
    CouldNotReach,
    /// The request was not one the program can help with (or was not a real request).
    NotForUs,
    /// The person is already a client, or asked twice.
    Duplicate,
    BecameClient,
    /// Nobody claimed it in time.
    Expired,
}

impl Outcome {
    /// The outcomes staff choose when closing a request.
    pub const CLOSING: [Outcome; 4] = [
        Outcome::Reached,
        Outcome::CouldNotReach,
        Outcome::NotForUs,
        Outcome::Duplicate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::CouldNotReach => "could-not-reach",
            Outcome::NotForUs => "not-for-us",
            Outcome::Duplicate => "duplicate",
            Outcome::BecameClient => "became-client",
            Outcome::Expired => "expired",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Reached => "We reached them; nothing more to record",
            Outcome::CouldNotReach => "We tried but could not reach them",
            Outcome::NotForUs => "Not something our program can help with",
            Outcome::Duplicate => "Already a client, or a repeat request",
            Outcome::BecameClient => "Became a client",
            Outcome::Expired => "Expired unclaimed",
        }
    }

    /// A closing outcome from a form.
    pub fn parse_closing(raw: &str) -> Result<Self, InvalidInput> {
        Self::CLOSING
            .into_iter()
            .find(|o| o.as_str() == raw)
            .ok_or(InvalidInput::new("outcome", "is not one of the choices"))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::BecameClient, Self::Expired]
            .into_iter()
            .chain(Self::CLOSING)
            .find(|o| o.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(alias: &str, reach: &str) -> RawContactRequest {
        RawContactRequest {
            alias: alias.into(),
            reach: reach.into(),
            ..RawContactRequest::default()
        }
    }

    #[test]
    fn a_nickname_and_a_way_to_reach_are_enough() {
        let request = raw("Sky", "Text 555-0100").parse().unwrap();
        assert_eq!(request.alias.as_str(), "Sky");
        assert_eq!((request.times, request.code_word), (None, None));
    }

    #[test]
    fn errors_name_the_form_field_and_never_the_value() {
        assert_eq!(raw(" ", "x").parse().unwrap_err().field, "alias");
        assert_eq!(raw("Sky", "").parse().unwrap_err().field, "reach");
        let mut long = raw("Sky", "x");
        long.code_word = "w".repeat(101);
        let err = long.parse().unwrap_err();
        assert_eq!((err.field, err.problem), ("code_word", "is too long"));
    }

    #[test]
    fn everything_about_reaching_them_becomes_a_safety_flag_in_their_words() {
        let mut typed = raw("Sky", "Text only 555-0100, say you are from the bakery");
        typed.times = "Weekdays 2-4 pm".into();
        typed.code_word = "bluebird".into();
        let client = typed.parse().unwrap().into_client().unwrap();
        assert_eq!(client.preferred_name.as_str(), "Sky");
        assert_eq!(
            client.personal.contact, None,
            "never an ordinary contact field"
        );
        assert_eq!(
            client.safety.safe_contact.as_ref().map(|c| c.as_str()),
            Some(
                "How they asked us to reach them: Text only 555-0100, say you are from the \
                 bakery\nWhen it is safe: Weekdays 2-4 pm"
            )
        );
        assert_eq!(
            client.safety.code_word.as_ref().map(|c| c.as_str()),
            Some("bluebird")
        );
    }

    #[test]
    fn the_longest_request_still_fits_its_safety_flag() {
        let mut typed = raw(&"a".repeat(100), &"r".repeat(2000));
        typed.times = "t".repeat(1000);
        let client = typed.parse().unwrap().into_client().unwrap();
        assert!(client.safety.safe_contact.is_some());
        let without_times = raw("Sky", &"r".repeat(2000)).parse().unwrap();
        assert!(without_times.into_client().is_ok());
    }

    #[test]
    fn outcomes_read_back() {
        for o in Outcome::CLOSING {
            assert_eq!(Outcome::parse_closing(o.as_str()), Ok(o));
        }
        assert!(Outcome::parse_closing("expired").is_err());
        assert_eq!(Outcome::parse("became-client"), Some(Outcome::BecameClient));
    }
}
