//! The demo's made-up people: names, birthdays, languages, safe ways to reach them. Nothing here
//! describes a real person.

use domain::client::{
    AgeBand, ContactDetails, Gender, Language, NewClient, PersonalDetails, PreferredName,
    SafetyFlags,
};
use domain::profile::Profile;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use time::Date;

/// Other names some demo clients are known by.
const OTHER_NAMES: &[&str] = &["Lu", "Dani", "Nena", "Sol", "Kiki", "Jojo", "Bebe"];

const FIRST: &[&str] = &[
    "Amaya", "Brisa", "Celeste", "Dalia", "Esme", "Flor", "Gia", "Halle", "Inez", "Jada", "Kira",
    "Luz", "Mara", "Nia", "Opal", "Paz", "Quinn", "Rhea", "Sol", "Tess", "Uma", "Vera", "Wren",
    "Ximena", "Yara", "Zuri", "Alex", "Jordan", "Sam", "River",
];
const LAST: &[&str] = &[
    "Arbor",
    "Brookfield",
    "Calder",
    "Dunmore",
    "Ellery",
    "Fairhaven",
    "Glenrock",
    "Hollis",
    "Ivers",
    "Juniper",
    "Kestrel",
    "Larkspur",
    "Merrow",
    "Northcott",
    "Oakhurst",
    "Pellow",
    "Quarry",
    "Rowan",
    "Sable",
    "Thorne",
];
const LANGUAGES: &[&str] = &[
    "English",
    "Spanish",
    "Tagalog",
    "Vietnamese",
    "Haitian Creole",
];

/// A made-up person, as recorded at intake.
#[derive(Debug)]
pub(super) struct Person {
    pub client: NewClient,
    /// The day they turn 18: a release they sign before it is signed with a guardian too.
    pub adult_on: Date,
}

/// The `n`th demo person, as of `today`.
pub(super) fn person(rng: &mut StdRng, n: u32, today: Date) -> anyhow::Result<Person> {
    let (first, last) = made_up_name(rng);
    let age = rng.gen_range(14..45);
    let born = today
        .replace_year(today.year() - age)
        .unwrap_or(today)
        .saturating_sub(time::Duration::days(rng.gen_range(0..365)));
    let adult_on = born
        .replace_year(born.year() + 18)
        .unwrap_or_else(|_| born.saturating_add(time::Duration::days(18 * 365 + 5)));
    let languages = LANGUAGES[..rng.gen_range(1..3)]
        .iter()
        .filter_map(|l| Language::parse(l).ok())
        .collect();
    let client = NewClient {
        preferred_name: PreferredName::parse(first)?,
        personal: PersonalDetails {
            legal_name: rng
                .gen_bool(0.6)
                .then(|| domain::client::LegalName::parse(&format!("{first} {last}")))
                .transpose()?,
            date_of_birth: rng
                .gen_bool(0.7)
                .then(|| {
                    domain::client::DateOfBirth::parse(&domain::case::format_date(born), today)
                })
                .transpose()?,
            // 555-0100 to 555-0199 are reserved for fiction.
            contact: Some(ContactDetails::parse(&format!(
                "(555) 555-01{:02}",
                rng.gen_range(0..100)
            ))?),
            languages,
            // Some people are known by another name too (one they used, or were given).
            aliases: (n % 5 == 2)
                .then(|| {
                    let which = usize::try_from(n).unwrap_or_default() % OTHER_NAMES.len();
                    domain::client::Alias::parse(OTHER_NAMES[which])
                })
                .transpose()?
                .into_iter()
                .collect(),
        },
        safety: SafetyFlags::parse(
            Some("Text only, weekdays after 6 pm."),
            rng.gen_bool(0.5).then_some("blue heron"),
            Some("Never call. Never write to the home address."),
        )?,
        gender: Some(
            *[
                Gender::Woman,
                Gender::Woman,
                Gender::Woman,
                Gender::Man,
                Gender::NonBinary,
                Gender::PrefersNotToAnswer,
            ]
            .choose(rng)
            .unwrap_or(&Gender::Woman),
        ),
        age_band: rng.gen_bool(0.3).then_some(AgeBand::PrefersNotToAnswer),
        profile: profile(rng),
    };
    Ok(Person { client, adult_on })
}

/// A made-up first and last name.
pub(crate) fn made_up_name(rng: &mut impl Rng) -> (&'static str, &'static str) {
    let first = FIRST.choose(rng).copied().unwrap_or("Alex");
    let last = LAST.choose(rng).copied().unwrap_or("Rowan");
    (first, last)
}

/// What the demo's reports count, in proportions like those OVC's grantees report (most clients
/// in sex trafficking, about one in five foreign nationals), with some left unrecorded.
fn profile(rng: &mut impl Rng) -> Profile {
    use domain::profile::{Citizenship as C, TraffickingType as T};
    Profile {
        trafficking_type: pick(
            rng,
            &[
                (Some(T::Sex), 70),
                (Some(T::Labor), 10),
                (Some(T::SexAndLabor), 10),
                (None, 10),
            ],
        ),
        citizenship: pick(
            rng,
            &[
                (Some(C::UsCitizen), 65),
                (Some(C::LawfulPermanentResident), 5),
                (Some(C::ForeignNational), 20),
                (Some(C::PrefersNotToAnswer), 3),
                (None, 7),
            ],
        ),
        referral_source: referral_source(rng),
    }
}

/// Who referred a person, in proportions like OVC's grantees report (community providers and law
/// enforcement first), sometimes not recorded.
pub(crate) fn referral_source(rng: &mut impl Rng) -> Option<domain::profile::ReferralSource> {
    use domain::profile::ReferralSource as R;
    pick(
        rng,
        &[
            (Some(R::SelfReferred), 15),
            (Some(R::CommunityProvider), 25),
            (Some(R::Hotline), 10),
            (Some(R::Outreach), 10),
            (Some(R::LocalLawEnforcement), 15),
            (Some(R::FederalLawEnforcement), 5),
            (Some(R::HealthCare), 8),
            (Some(R::ChildWelfare), 5),
            (Some(R::FamilyOrFriend), 5),
            (None, 2),
        ],
    )
}

/// One of `weighted`, as often as its weight says.
pub(crate) fn pick<T: Copy>(rng: &mut impl Rng, weighted: &[(T, u32)]) -> T {
    weighted
        .choose_weighted(rng, |(_, w)| *w)
        .map_or(weighted[0].0, |(v, _)| *v)
}
