//! Services delivered to a client, each typed by the VOCA victim-assistance taxonomy (the five
//! categories and 35 subcategories A1-E11 of OVC's performance measures), with a few services
//! the field gives every day that VOCA's measures do not count (X1-X8: case management,
//! education, work, ...). Every type carries its crosswalk to the categories the OVC
//! human-trafficking program and HHS/OTIP count, so that one record feeds every funder's report.
//!
//! Sources: the subcategories as two public implementations of the VOCA PMT list them
//! (`research/reporting.md`, "The 35 subcategories"); the OVC human-trafficking categories as
//! commonly cited for TIMS and the OTIP categories of the DVHT reporting guide (OMB 0970-0542),
//! both in `research/casework.md` §4.3-4.4. Neither of those two lists was retrieved whole, and
//! the crosswalk is our reading: it is written here, in one table, so a program can check it.

use serde::{Deserialize, Serialize};

use crate::client::{coded_field, text_field};
use crate::text::TextRule;
use crate::{InvalidInput, Timestamp};

pub use crate::contact::Minutes;

/// The five categories of VOCA's direct services, and ours for what VOCA does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceCategory {
    /// A: information and referral.
    InformationAndReferral,
    /// B: personal advocacy and accompaniment.
    PersonalAdvocacy,
    /// C: emotional support or safety services.
    EmotionalSupportOrSafety,
    /// D: shelter and housing services.
    ShelterAndHousing,
    /// E: criminal and civil justice system assistance.
    JusticeSystem,
    /// X: services VOCA's measures do not count.
    Other,
}

impl ServiceCategory {
    pub const ALL: [ServiceCategory; 6] = [
        ServiceCategory::InformationAndReferral,
        ServiceCategory::PersonalAdvocacy,
        ServiceCategory::EmotionalSupportOrSafety,
        ServiceCategory::ShelterAndHousing,
        ServiceCategory::JusticeSystem,
        ServiceCategory::Other,
    ];

    /// The letter its codes start with.
    pub fn letter(self) -> char {
        match self {
            ServiceCategory::InformationAndReferral => 'A',
            ServiceCategory::PersonalAdvocacy => 'B',
            ServiceCategory::EmotionalSupportOrSafety => 'C',
            ServiceCategory::ShelterAndHousing => 'D',
            ServiceCategory::JusticeSystem => 'E',
            ServiceCategory::Other => 'X',
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServiceCategory::InformationAndReferral => "Information and referral",
            ServiceCategory::PersonalAdvocacy => "Personal advocacy and accompaniment",
            ServiceCategory::EmotionalSupportOrSafety => "Emotional support or safety services",
            ServiceCategory::ShelterAndHousing => "Shelter and housing services",
            ServiceCategory::JusticeSystem => "Criminal and civil justice system assistance",
            ServiceCategory::Other => "Other services (not counted in VOCA's measures)",
        }
    }
}

coded_field!(
    /// The service categories the OVC human-trafficking program counts (as commonly cited for
    /// TIMS; not yet confirmed against the OMB 1121-0336 instrument).
    OvcCategory, "ovc_category", "must be an OVC human-trafficking service category",
    {
        CaseManagement => "case-management",
        CrisisIntervention => "crisis-intervention",
        HousingAndShelter => "housing-and-shelter",
        LegalImmigration => "legal-immigration",
        LegalCriminalJustice => "legal-criminal-justice",
        LegalCivil => "legal-civil",
        MedicalAndDental => "medical-and-dental",
        MentalHealth => "mental-health",
        SubstanceUse => "substance-use",
        Interpretation => "interpretation-and-translation",
        Transportation => "transportation",
        Education => "education",
        Employment => "employment",
        LifeSkills => "life-skills",
        BasicNeeds => "basic-needs",
        PublicBenefits => "public-benefits",
        FamilyReunification => "family-reunification-and-repatriation",
        Childcare => "childcare",
    }
);

coded_field!(
    /// The categories of assistance HHS/OTIP counts for its trafficking programs (DVHT, TVAP).
    OtipCategory, "otip_category", "must be an HHS/OTIP service category",
    {
        BasicNecessities => "basic-necessities",
        CaseManagement => "case-management",
        Childcare => "childcare",
        CrisisIntervention => "crisis-intervention",
        EducationServices => "education-services",
        Employment => "employment",
        HealthCare => "health-care",
        Housing => "housing",
        Interpretation => "interpretation",
        Legal => "legal",
        LifeSkills => "life-skills",
        MentalHealth => "mental-health",
        SubstanceUse => "substance-use",
        Transportation => "transportation",
    }
);

/// One type of service: its code, what it covers, and where funders count it.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceType {
    pub code: &'static str,
    pub label: &'static str,
    pub category: ServiceCategory,
    pub ovc: OvcCategory,
    pub otip: OtipCategory,
}

const fn kind(
    code: &'static str,
    label: &'static str,
    category: ServiceCategory,
    ovc: OvcCategory,
    otip: OtipCategory,
) -> ServiceType {
    ServiceType {
        code,
        label,
        category,
        ovc,
        otip,
    }
}

use OtipCategory as Otip;
use OvcCategory as Ovc;
use ServiceCategory::{
    EmotionalSupportOrSafety as C, InformationAndReferral as A, JusticeSystem as E, Other as X,
    PersonalAdvocacy as B, ShelterAndHousing as D,
};

/// Every type of service, in the order a form lists them.
pub const SERVICE_TYPES: &[ServiceType] = &[
    kind(
        "A1",
        "Information about the criminal justice process",
        A,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "A2",
        "Information about rights and how to get notifications",
        A,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "A3",
        "Referral to other programs for survivors",
        A,
        Ovc::CaseManagement,
        Otip::CaseManagement,
    ),
    kind(
        "A4",
        "Referral to other services and support (legal, medical, faith, address confidentiality)",
        A,
        Ovc::CaseManagement,
        Otip::CaseManagement,
    ),
    kind(
        "B1",
        "Advocacy or going along to emergency medical care",
        B,
        Ovc::MedicalAndDental,
        Otip::HealthCare,
    ),
    kind(
        "B2",
        "Advocacy or going along to a medical forensic exam",
        B,
        Ovc::MedicalAndDental,
        Otip::HealthCare,
    ),
    kind(
        "B3",
        "Advocacy or going along to a law enforcement interview",
        B,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "B4",
        "Individual advocacy (public benefits, getting belongings back)",
        B,
        Ovc::PublicBenefits,
        Otip::CaseManagement,
    ),
    kind(
        "B5",
        "Forensic exam or interview, or medical evidence collection",
        B,
        Ovc::MedicalAndDental,
        Otip::HealthCare,
    ),
    kind(
        "B6",
        "Immigration help (special visas, Continued Presence, other relief)",
        B,
        Ovc::LegalImmigration,
        Otip::Legal,
    ),
    kind(
        "B7",
        "Speaking up with an employer, creditor, landlord or school",
        B,
        Ovc::CaseManagement,
        Otip::CaseManagement,
    ),
    kind(
        "B8",
        "Child or dependent care help",
        B,
        Ovc::Childcare,
        Otip::Childcare,
    ),
    kind(
        "B9",
        "Transportation help",
        B,
        Ovc::Transportation,
        Otip::Transportation,
    ),
    kind(
        "B10",
        "Interpreting",
        B,
        Ovc::Interpretation,
        Otip::Interpretation,
    ),
    kind(
        "C1",
        "Crisis intervention in person (safety planning included)",
        C,
        Ovc::CrisisIntervention,
        Otip::CrisisIntervention,
    ),
    kind(
        "C2",
        "Hotline or crisis line counseling",
        C,
        Ovc::CrisisIntervention,
        Otip::CrisisIntervention,
    ),
    kind(
        "C3",
        "On-scene crisis response",
        C,
        Ovc::CrisisIntervention,
        Otip::CrisisIntervention,
    ),
    kind(
        "C4",
        "Individual counseling",
        C,
        Ovc::MentalHealth,
        Otip::MentalHealth,
    ),
    kind(
        "C5",
        "Support group (facilitated or peer)",
        C,
        Ovc::MentalHealth,
        Otip::MentalHealth,
    ),
    kind(
        "C6",
        "Other therapy (cultural or traditional healing; art, writing or play therapy)",
        C,
        Ovc::MentalHealth,
        Otip::MentalHealth,
    ),
    kind(
        "C7",
        "Emergency financial help (food, clothing, locks, taxis, medicines)",
        C,
        Ovc::BasicNeeds,
        Otip::BasicNecessities,
    ),
    kind(
        "D1",
        "Emergency shelter or safe house",
        D,
        Ovc::HousingAndShelter,
        Otip::Housing,
    ),
    kind(
        "D2",
        "Transitional housing",
        D,
        Ovc::HousingAndShelter,
        Otip::Housing,
    ),
    kind(
        "D3",
        "Relocation help (finding housing included)",
        D,
        Ovc::HousingAndShelter,
        Otip::Housing,
    ),
    kind(
        "E1",
        "Notice of criminal justice events",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E2",
        "Help with a victim impact statement",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E3",
        "Help with restitution",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E4",
        "Civil legal help with a protection or restraining order",
        E,
        Ovc::LegalCivil,
        Otip::Legal,
    ),
    kind(
        "E5",
        "Civil legal help with family law",
        E,
        Ovc::LegalCivil,
        Otip::Legal,
    ),
    kind(
        "E6",
        "Other emergency justice-related help",
        E,
        Ovc::LegalCivil,
        Otip::Legal,
    ),
    kind(
        "E7",
        "Immigration attorney help",
        E,
        Ovc::LegalImmigration,
        Otip::Legal,
    ),
    kind(
        "E8",
        "Advocacy or going along to a prosecution interview",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E9",
        "Advocacy or going along to a law enforcement interview (justice system)",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E10",
        "Criminal justice advocacy or going along to court",
        E,
        Ovc::LegalCriminalJustice,
        Otip::Legal,
    ),
    kind(
        "E11",
        "Other legal advice or counsel",
        E,
        Ovc::LegalCivil,
        Otip::Legal,
    ),
    kind(
        "X1",
        "Case management (needs assessment, service plan, coordination, follow-up)",
        X,
        Ovc::CaseManagement,
        Otip::CaseManagement,
    ),
    kind(
        "X2",
        "Education (English classes, GED, college)",
        X,
        Ovc::Education,
        Otip::EducationServices,
    ),
    kind(
        "X3",
        "Employment and job training",
        X,
        Ovc::Employment,
        Otip::Employment,
    ),
    kind("X4", "Life skills", X, Ovc::LifeSkills, Otip::LifeSkills),
    kind(
        "X5",
        "Substance use treatment or harm reduction",
        X,
        Ovc::SubstanceUse,
        Otip::SubstanceUse,
    ),
    kind(
        "X6",
        "Medical or dental care",
        X,
        Ovc::MedicalAndDental,
        Otip::HealthCare,
    ),
    kind(
        "X7",
        "Basic necessities (hygiene, clothing, a phone)",
        X,
        Ovc::BasicNeeds,
        Otip::BasicNecessities,
    ),
    kind(
        "X8",
        "Family reunification or return home",
        X,
        Ovc::FamilyReunification,
        Otip::CaseManagement,
    ),
];

/// The problem named when a code is not on the list.
const UNKNOWN_CODE: &str =
    "must be a service code from the list (A1-A4, B1-B10, C1-C7, D1-D3, E1-E11, X1-X8)";

/// A type of service by its code (`A1` ... `X8`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ServiceCode(&'static ServiceType);

impl std::hash::Hash for ServiceCode {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.code.hash(state);
    }
}

impl ServiceCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        SERVICE_TYPES
            .iter()
            .find(|kind| kind.code == raw)
            .map(Self)
            .ok_or(InvalidInput::new("code", UNKNOWN_CODE))
    }

    pub fn as_str(self) -> &'static str {
        self.0.code
    }

    pub fn kind(self) -> &'static ServiceType {
        self.0
    }

    /// Whether VOCA's measures count it (A1-E11).
    pub fn is_voca(self) -> bool {
        self.0.category != ServiceCategory::Other
    }
}

impl std::fmt::Debug for ServiceCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServiceCode({})", self.0.code)
    }
}

coded_field!(
    /// How a service was given.
    ServiceMode, "mode", "must be one of in-person, phone, video",
    {
        InPerson => "in-person",
        Phone => "phone",
        Video => "video",
    },
    default = InPerson
);

text_field!(
    /// A short note on the service; a longer account belongs in a note.
    ServiceNote, "note", 2000, true
);

/// How many of what the service counts in (nights of shelter, trips, sessions, items): 1 to 1,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Units(u16);

impl Units {
    pub const MAX: i64 = 1000;
    const PROBLEM: &'static str = "must be a whole number from 1 to 1000";

    pub fn new(units: i64) -> Result<Self, InvalidInput> {
        u16::try_from(units)
            .ok()
            .filter(|u| (1..=Self::MAX).contains(&i64::from(*u)))
            .map(Self)
            .ok_or(InvalidInput::new("units", Self::PROBLEM))
    }

    /// Units as typed in a box: blank is "not counted".
    pub fn parse_typed(raw: &str) -> Result<Option<Self>, InvalidInput> {
        let typed = raw.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        let units = typed
            .parse::<i64>()
            .map_err(|_| InvalidInput::new("units", Self::PROBLEM))?;
        Self::new(units).map(Some)
    }

    pub fn get(self) -> i64 {
        i64::from(self.0)
    }
}

/// How far ahead of UTC the easternmost zone on Earth is (UTC+14), and how far behind the
/// westernmost (UTC-12), in milliseconds. A service's date carries no zone, so it is checked
/// against the dates that `now` (or the moment a client was recorded) falls on somewhere.
const EAST_MILLIS: i64 = 14 * 3_600_000;
const WEST_MILLIS: i64 = 12 * 3_600_000;

/// A service as typed, its date already read.
#[derive(Debug, Clone, Copy)]
pub struct RawService<'a> {
    pub delivered_on: time::Date,
    pub code: &'a str,
    pub mode: &'a str,
    pub minutes: Option<Minutes>,
    pub units: Option<Units>,
    pub note: Option<&'a str>,
}

/// A service, parsed and checked: what the record keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    pub delivered_on: time::Date,
    pub code: ServiceCode,
    pub mode: ServiceMode,
    pub minutes: Option<Minutes>,
    pub units: Option<Units>,
    pub note: Option<ServiceNote>,
}

impl RawService<'_> {
    /// Checks every field in the order a form asks them; the first problem names its field. A
    /// service may not be dated after today anywhere on Earth.
    pub fn parse(&self, now: Timestamp) -> Result<NewService, InvalidInput> {
        let latest = Timestamp::from_unix_millis(now.unix_millis() + EAST_MILLIS).date();
        if self.delivered_on > latest {
            return Err(InvalidInput::new(
                "delivered_on",
                "must not be in the future",
            ));
        }
        Ok(NewService {
            delivered_on: self.delivered_on,
            code: ServiceCode::parse(self.code)?,
            mode: ServiceMode::parse(self.mode)?,
            minutes: self.minutes,
            units: self.units,
            note: ServiceNote::parse_optional(self.note)?,
        })
    }
}

impl NewService {
    /// Refuses a service dated before the day the client was recorded (in any zone: the
    /// earliest date that moment fell on).
    pub fn check_after(&self, recorded_at: Timestamp) -> Result<(), InvalidInput> {
        let earliest = Timestamp::from_unix_millis(recorded_at.unix_millis() - WEST_MILLIS).date();
        if self.delivered_on < earliest {
            return Err(InvalidInput::new(
                "delivered_on",
                "must not be before the client was recorded",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const NOW: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

    fn day(raw: &str) -> time::Date {
        crate::case::parse_date("delivered_on", raw).unwrap()
    }

    fn raw(delivered_on: time::Date) -> RawService<'static> {
        RawService {
            delivered_on,
            code: "C4",
            mode: "phone",
            minutes: Some(Minutes::new(50).unwrap()),
            units: None,
            note: Some("  "),
        }
    }

    #[test]
    fn the_taxonomy_is_vocas_thirty_five_and_our_eight_each_code_once() {
        let codes: HashSet<&str> = SERVICE_TYPES.iter().map(|kind| kind.code).collect();
        assert_eq!(codes.len(), SERVICE_TYPES.len(), "a code is listed twice");
        let per_category = |category| {
            SERVICE_TYPES
                .iter()
                .filter(|kind| kind.category == category)
                .count()
        };
        let counts: Vec<usize> = ServiceCategory::ALL
            .iter()
            .map(|c| per_category(*c))
            .collect();
        assert_eq!(counts, [4, 10, 7, 3, 11, 8]);
        for kind in SERVICE_TYPES {
            let letter = kind.code.chars().next().unwrap();
            assert_eq!(letter, kind.category.letter(), "{}", kind.code);
            let number: usize = kind.code[1..].parse().unwrap();
            assert!(
                number >= 1 && number <= per_category(kind.category),
                "{}",
                kind.code
            );
            assert!(!kind.label.is_empty());
        }
        assert_eq!(
            SERVICE_TYPES
                .iter()
                .filter(|k| ServiceCode::parse(k.code).unwrap().is_voca())
                .count(),
            35
        );
    }

    #[test]
    fn the_crosswalk_reaches_every_funder_category_but_none_twice_by_accident() {
        let ovc: HashSet<&str> = SERVICE_TYPES.iter().map(|k| k.ovc.as_str()).collect();
        let otip: HashSet<&str> = SERVICE_TYPES.iter().map(|k| k.otip.as_str()).collect();
        assert_eq!(
            ovc.len(),
            OvcCategory::ALL.len(),
            "an OVC category no service counts in"
        );
        assert_eq!(
            otip.len(),
            OtipCategory::ALL.len(),
            "an OTIP category no service counts in"
        );
        let shelter = ServiceCode::parse("D1").unwrap().kind();
        assert_eq!(
            (shelter.ovc, shelter.otip),
            (Ovc::HousingAndShelter, Otip::Housing)
        );
    }

    #[test]
    fn a_service_is_parsed_with_its_blanks_not_given() {
        let service = raw(NOW.date()).parse(NOW).unwrap();
        assert_eq!(service.code.as_str(), "C4");
        assert_eq!(service.mode, ServiceMode::Phone);
        assert_eq!(service.note, None);
        assert_eq!(service.minutes.map(Minutes::get), Some(50));
    }

    #[test]
    fn each_field_is_named_when_it_is_wrong() {
        let wrong = |r: RawService<'_>| r.parse(NOW).unwrap_err().field;
        for code in ["", "c4", "C8", "A0", "F1", "E12", "X9", "A1 A2", " E11"] {
            assert_eq!(
                wrong(RawService {
                    code,
                    ..raw(NOW.date())
                }),
                "code",
                "{code:?}"
            );
        }
        assert_eq!(ServiceCode::parse("E11").unwrap().as_str(), "E11");
        assert_eq!(
            wrong(RawService {
                mode: "text",
                ..raw(NOW.date())
            }),
            "mode"
        );
        assert_eq!(
            wrong(RawService {
                note: Some("a\u{0}b"),
                ..raw(NOW.date())
            }),
            "note"
        );
        for bad in [0, -1, 1001] {
            assert_eq!(Units::new(bad).unwrap_err().field, "units", "{bad}");
        }
        assert_eq!(Units::parse_typed(" 3 ").unwrap().map(Units::get), Some(3));
        assert_eq!(Units::parse_typed("").unwrap(), None);
        assert!(Units::parse_typed("three").is_err());
    }

    #[test]
    fn a_service_is_not_after_today_anywhere_nor_before_the_client_was_recorded() {
        // NOW is 2026-09-21T14:13:20Z: already the 22nd east of UTC+10, never the 23rd.
        assert_eq!(NOW.date(), day("2026-09-21"));
        assert!(
            raw(day("2026-09-22")).parse(NOW).is_ok(),
            "tomorrow in Auckland"
        );
        let err = raw(day("2026-09-23")).parse(NOW).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("delivered_on", "must not be in the future")
        );

        // Recorded at 11:00 UTC on the 21st: still the 20th at UTC-12, so the 20th is taken.
        let eve = Timestamp::parse_rfc3339("2026-09-21T11:00:00Z").unwrap();
        let service = raw(day("2026-09-20")).parse(NOW).unwrap();
        assert!(service.check_after(eve).is_ok(), "the 20th somewhere");
        // Recorded at 14:13 UTC on the 21st: already the 21st everywhere.
        let err = service.check_after(NOW).unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("delivered_on", "must not be before the client was recorded")
        );
        assert!(
            raw(day("2026-09-21"))
                .parse(NOW)
                .unwrap()
                .check_after(NOW)
                .is_ok()
        );
    }

    #[test]
    fn debug_never_prints_the_note() {
        let note = ServiceNote::parse("Canary Sister").unwrap();
        assert!(!format!("{note:?}").contains("Canary"));
    }
}
