//! What a client's record says of them in the codes funders count: the kind of trafficking they
//! experienced, their citizenship, and who referred them to the program. These are report
//! dimensions (`classification`): coded, non-identifying, stored in the clear so that a report can
//! count them without opening any client's key. Each may be left blank, and a blank is counted as
//! "not known or not recorded", never as a "no".
//!
//! The categories are those the OVC human-trafficking program counts and publishes (its TIMS
//! snapshots and FY2024 figures: sex, labor, both; U.S. citizen or lawful permanent resident
//! against foreign national; referral sources such as federal and local law enforcement and
//! community providers), which HHS/OTIP's program-entry form also asks (its referral source, and
//! citizenship, which decides between its DVHT and TVAP programs). Sources in
//! `research/reporting.md` §1.2-1.3 and §2.

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::client::coded_field;

coded_field!(
    /// The kind of trafficking a client experienced, as the program understands it today.
    TraffickingType, "trafficking_type",
    "must be one of sex, labor, sex-and-labor",
    {
        Sex => "sex",
        Labor => "labor",
        SexAndLabor => "sex-and-labor",
    }
);

impl TraffickingType {
    pub fn label(self) -> &'static str {
        match self {
            TraffickingType::Sex => "Sex trafficking",
            TraffickingType::Labor => "Labor trafficking",
            TraffickingType::SexAndLabor => "Both sex and labor trafficking",
        }
    }
}

coded_field!(
    /// A client's citizenship, as far as the program's funders ask it.
    Citizenship, "citizenship",
    "must be one of us-citizen, lawful-permanent-resident, foreign-national, prefers-not-to-answer",
    {
        UsCitizen => "us-citizen",
        LawfulPermanentResident => "lawful-permanent-resident",
        ForeignNational => "foreign-national",
        PrefersNotToAnswer => "prefers-not-to-answer",
    }
);

impl Citizenship {
    pub fn label(self) -> &'static str {
        match self {
            Citizenship::UsCitizen => "U.S. citizen",
            Citizenship::LawfulPermanentResident => "Lawful permanent resident",
            Citizenship::ForeignNational => "Foreign national",
            Citizenship::PrefersNotToAnswer => "Prefers not to answer",
        }
    }
}

coded_field!(
    /// Who referred the client to the program, or how they found it.
    ReferralSource, "referral_source",
    "must be one of self, family-or-friend, hotline, community-provider, outreach, \
     federal-law-enforcement, local-law-enforcement, health-care, school, child-welfare, \
     legal-services, faith-community, other",
    {
        SelfReferred => "self",
        FamilyOrFriend => "family-or-friend",
        Hotline => "hotline",
        CommunityProvider => "community-provider",
        Outreach => "outreach",
        FederalLawEnforcement => "federal-law-enforcement",
        LocalLawEnforcement => "local-law-enforcement",
        HealthCare => "health-care",
        School => "school",
        ChildWelfare => "child-welfare",
        LegalServices => "legal-services",
        FaithCommunity => "faith-community",
        Other => "other",
    }
);

impl ReferralSource {
    pub fn label(self) -> &'static str {
        match self {
            ReferralSource::SelfReferred => "The person themselves",
            ReferralSource::FamilyOrFriend => "Family or a friend",
            ReferralSource::Hotline => "A hotline",
            ReferralSource::CommunityProvider => "A community-based provider",
            ReferralSource::Outreach => "Our own outreach",
            ReferralSource::FederalLawEnforcement => "Federal law enforcement",
            ReferralSource::LocalLawEnforcement => "State or local law enforcement",
            ReferralSource::HealthCare => "Health care",
            ReferralSource::School => "A school",
            ReferralSource::ChildWelfare => "Child welfare",
            ReferralSource::LegalServices => "Legal services",
            ReferralSource::FaithCommunity => "A faith community",
            ReferralSource::Other => "Other",
        }
    }
}

coded_field!(
    /// A client's age on the day they were recorded, in ranges fine enough to be placed in every
    /// funder's: OVC's adult and minor (18), VOCA's 0-12, 13-17, 18-24, 25-59 and 60 or older,
    /// HUD's under 5, 5-12, 13-17, ... 55-64 and 65 or older, and our own age ranges (12, 15, ...
    /// 55). Worked out from the date of birth, when there is one; the date itself stays sealed.
    AgeAtIntake, "age_at_intake",
    "must be one of 0-4, 5-11, 12, 13-14, 15-17, 18-24, 25-34, 35-44, 45-54, 55-59, 60-64, 65-plus",
    {
        Under5 => "0-4",
        From5To11 => "5-11",
        Twelve => "12",
        From13To14 => "13-14",
        From15To17 => "15-17",
        From18To24 => "18-24",
        From25To34 => "25-34",
        From35To44 => "35-44",
        From45To54 => "45-54",
        From55To59 => "55-59",
        From60To64 => "60-64",
        From65 => "65-plus",
    }
);

impl AgeAtIntake {
    /// The range a person of `years` is in.
    pub fn for_age(years: i32) -> Self {
        match years {
            i32::MIN..=4 => AgeAtIntake::Under5,
            5..=11 => AgeAtIntake::From5To11,
            12 => AgeAtIntake::Twelve,
            13..=14 => AgeAtIntake::From13To14,
            15..=17 => AgeAtIntake::From15To17,
            18..=24 => AgeAtIntake::From18To24,
            25..=34 => AgeAtIntake::From25To34,
            35..=44 => AgeAtIntake::From35To44,
            45..=54 => AgeAtIntake::From45To54,
            55..=59 => AgeAtIntake::From55To59,
            60..=64 => AgeAtIntake::From60To64,
            _ => AgeAtIntake::From65,
        }
    }

    /// The youngest age in the range.
    pub fn youngest(self) -> i32 {
        match self {
            AgeAtIntake::Under5 => 0,
            AgeAtIntake::From5To11 => 5,
            AgeAtIntake::Twelve => 12,
            AgeAtIntake::From13To14 => 13,
            AgeAtIntake::From15To17 => 15,
            AgeAtIntake::From18To24 => 18,
            AgeAtIntake::From25To34 => 25,
            AgeAtIntake::From35To44 => 35,
            AgeAtIntake::From45To54 => 45,
            AgeAtIntake::From55To59 => 55,
            AgeAtIntake::From60To64 => 60,
            AgeAtIntake::From65 => 65,
        }
    }
}

/// The coded facts a report counts about a client, beyond gender and age range. Each is `None`
/// until recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Profile {
    pub trafficking_type: Option<TraffickingType>,
    pub citizenship: Option<Citizenship>,
    pub referral_source: Option<ReferralSource>,
}

/// A profile as typed: blank is "not recorded".
#[derive(Debug, Clone, Default)]
pub struct RawProfile {
    pub trafficking_type: Option<String>,
    pub citizenship: Option<String>,
    pub referral_source: Option<String>,
}

impl RawProfile {
    pub fn parse(&self) -> Result<Profile, InvalidInput> {
        fn code<T>(
            raw: Option<&str>,
            parse: fn(&str) -> Result<T, InvalidInput>,
        ) -> Result<Option<T>, InvalidInput> {
            raw.filter(|v| !v.trim().is_empty()).map(parse).transpose()
        }
        Ok(Profile {
            trafficking_type: code(self.trafficking_type.as_deref(), TraffickingType::parse)?,
            citizenship: code(self.citizenship.as_deref(), Citizenship::parse)?,
            referral_source: code(self.referral_source.as_deref(), ReferralSource::parse)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blank_answer_is_not_recorded_and_a_wrong_one_names_its_field() {
        let raw = RawProfile {
            trafficking_type: Some("labor".into()),
            citizenship: Some("  ".into()),
            referral_source: None,
        };
        assert_eq!(
            raw.parse().unwrap(),
            Profile {
                trafficking_type: Some(TraffickingType::Labor),
                ..Profile::default()
            }
        );
        let wrong = RawProfile {
            referral_source: Some("police".into()),
            ..RawProfile::default()
        };
        assert_eq!(wrong.parse().unwrap_err().field, "referral_source");
    }

    #[test]
    fn an_age_at_intake_falls_in_one_range_and_no_funder_boundary_falls_inside_one() {
        for years in 0..=120 {
            let range = AgeAtIntake::for_age(years);
            assert!(range.youngest() <= years);
            assert_eq!(AgeAtIntake::parse(range.as_str()), Ok(range));
        }
        // Every age a funder's range starts at starts one of ours.
        for boundary in [5, 12, 13, 15, 18, 25, 35, 45, 55, 60, 65] {
            assert_eq!(AgeAtIntake::for_age(boundary).youngest(), boundary);
        }
    }

    #[test]
    fn every_code_has_a_label_and_reads_back() {
        for t in TraffickingType::ALL {
            assert_eq!(TraffickingType::parse(t.as_str()), Ok(*t));
            assert!(!t.label().is_empty());
        }
        for c in Citizenship::ALL {
            assert_eq!(Citizenship::parse(c.as_str()), Ok(*c));
            assert!(!c.label().is_empty());
        }
        for r in ReferralSource::ALL {
            assert_eq!(ReferralSource::parse(r.as_str()), Ok(*r));
            assert!(!r.label().is_empty());
        }
    }
}
