//! Opaque identifiers. Each kind of record has its own type so that a `ClientId` can never be
//! passed where a `CaseId` is wanted. Ids are random (UUID v4 from caller-supplied bytes), so they
//! reveal neither order nor count.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(uuid::Uuid);

        impl $name {
            /// A new id from 16 random bytes supplied by the caller's random source.
            pub fn from_random(bytes: [u8; 16]) -> Self {
                Self(uuid::Builder::from_random_bytes(bytes).into_uuid())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl FromStr for $name {
            type Err = crate::InvalidInput;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // Only the canonical lower-case hyphenated form, so one record has one spelling.
                let id = uuid::Uuid::try_parse(s)
                    .map_err(|_| crate::InvalidInput::new("id", "is not a valid identifier"))?;
                if id.hyphenated().to_string() != s {
                    return Err(crate::InvalidInput::new("id", "is not a valid identifier"));
                }
                Ok(Self(id))
            }
        }

        impl TryFrom<String> for $name {
            type Error = crate::InvalidInput;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.to_string()
            }
        }
    };
}

id_type!(
    /// A client: a person the program serves. Pseudonymous by design.
    ClientId
);
id_type!(
    /// A case: one program's work with one client.
    CaseId
);
id_type!(
    /// A contact note.
    NoteId
);
id_type!(
    /// One contact, or attempt at one, in a client's contact log.
    ContactId
);
id_type!(
    /// One service given to a client.
    ServiceId
);
id_type!(
    /// One needs assessment of a client: the level of need in each domain on one day.
    NeedsAssessmentId
);
id_type!(
    /// One outcome assessment of a client: a score in each outcome domain at one point.
    OutcomeAssessmentId
);
id_type!(
    /// One closure of a case, with its reason, and its re-opening if it was re-opened.
    ClosureId
);
id_type!(
    /// One follow-up contact after a case closed (at 3, 6 or 12 months).
    FollowUpId
);
id_type!(
    /// One edit of a client's details, in their history of changes.
    ClientChangeId
);
id_type!(
    /// An organisation in the program's directory of partners.
    PartnerId
);
id_type!(
    /// One release of information: a client's consent to share named parts of their record.
    ReleaseId
);
id_type!(
    /// One referral of a client to a partner.
    ReferralId
);
id_type!(
    /// One step in a referral's history.
    ReferralStepId
);
id_type!(
    /// One goal of a client's service plan, in their own words.
    GoalId
);
id_type!(
    /// One step towards a goal of a client's service plan.
    PlanStepId
);
id_type!(
    /// One review of a client's service plan with them.
    PlanReviewId
);
id_type!(
    /// A safe-contact request from the public pages. Its data key is kept in the key store under
    /// `client_key_slot`, the id the person gets if the request becomes a client record.
    ContactRequestId
);

impl ContactRequestId {
    /// The client id this request's data key is stored under, and that the person's record takes
    /// if the request becomes one: the key moves with the data, never copied.
    pub fn client_key_slot(self) -> ClientId {
        ClientId(self.0)
    }
}

id_type!(
    /// A recorded screening.
    ScreeningId
);
id_type!(
    /// A recorded determination (a worksheet of facts at one moment).
    DeterminationId
);
id_type!(
    /// One emergency access to a record ("break the glass").
    EmergencyAccessId
);
id_type!(
    /// A team of staff, with the supervisors who lead it.
    TeamId
);
id_type!(
    /// A staff account.
    UserId
);
id_type!(
    /// A personal API token (its id, never the secret).
    TokenId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_other_spellings() {
        let id = ClientId::from_random([0xab; 16]);
        let text = id.to_string();
        assert_eq!(text.parse::<ClientId>().unwrap(), id);
        assert!(text.to_uppercase().parse::<ClientId>().is_err());
        assert!(text.replace('-', "").parse::<ClientId>().is_err());
        assert!("1".parse::<ClientId>().is_err());
    }
}
