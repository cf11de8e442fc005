//! Clients. A client is pseudonymous: an opaque id and the name they want to be called. Everything
//! that could identify or locate them is an encrypted field; gender and age band are classified
//! fields that a program may leave blank. Every question allows "prefers not to answer".

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::profile::{Profile, RawProfile};
use crate::text::TextRule;

mod edit;
pub use edit::{ClientDetails, DetailField, DetailsEdit, RawEdit};

macro_rules! text_field {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:literal, $newlines:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// What this field takes (`crate::text`).
            pub const RULE: TextRule = TextRule {
                field: $field,
                max_chars: $max,
                lines: $newlines,
            };

            pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
                Self::RULE.clean(raw).map(Self)
            }

            /// Blank or absent is `None`, "not given".
            pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, InvalidInput> {
                Ok(Self::RULE.clean_optional(raw)?.map(Self))
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        // Never print the value: it is personal data.
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "(<redacted>)"))
            }
        }
    };
}

/// The other free-text fields of a client's record (a contact's) are written the same way.
pub(crate) use text_field;

text_field!(
    /// The name a client asks to be called; may be a nickname or an alias.
    PreferredName, "preferred_name", 100, false
);
text_field!(
    /// A legal name, kept only when a program needs it (e.g. for legal relief).
    LegalName, "legal_name", 200, false
);
text_field!(
    /// Safe ways to reach the client, as the client described them.
    ContactDetails, "contact", 2000, true
);
text_field!(
    /// Another name the client is known by (a street name, a name a recruiter gave, a former
    /// name): sealed like every name, and found by duplicate search through a blind index.
    Alias, "aliases", 100, false
);
text_field!(
    /// A language the client speaks, in their words or as a tag.
    Language, "languages", 50, false
);
text_field!(
    /// When and how the client can safely be reached, in their words. Long enough to hold all
    /// that a safe-contact request said about it (its way to reach them and its safe time).
    SafeContact, "safe_contact", 3100, true
);
text_field!(
    /// A word the client and staff agree on, to show a call or message is really from us.
    CodeWord, "code_word", 100, false
);
text_field!(
    /// Ways never to use to reach the client (a shared phone, a home address, a social account).
    DoNotContact, "do_not_contact", 1000, true
);

/// What anyone must know before reaching out to a client: shown at the top of their record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SafetyFlags {
    pub safe_contact: Option<SafeContact>,
    pub code_word: Option<CodeWord>,
    pub do_not_contact: Option<DoNotContact>,
}

impl SafetyFlags {
    /// Parses the three answers; blank means "none recorded".
    pub fn parse(
        safe_contact: Option<&str>,
        code_word: Option<&str>,
        do_not_contact: Option<&str>,
    ) -> Result<Self, InvalidInput> {
        Ok(Self {
            safe_contact: SafeContact::parse_optional(safe_contact)?,
            code_word: CodeWord::parse_optional(code_word)?,
            do_not_contact: DoNotContact::parse_optional(do_not_contact)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.safe_contact.is_none() && self.code_word.is_none() && self.do_not_contact.is_none()
    }
}

/// A date of birth: a real calendar date, not in the future, not before 1900.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct DateOfBirth(time::Date);

impl DateOfBirth {
    pub fn parse(raw: &str, today: time::Date) -> Result<Self, InvalidInput> {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = time::Date::parse(raw.trim(), &format)
            .map_err(|_| InvalidInput::new("date_of_birth", "must be a date written YYYY-MM-DD"))?;
        if date > today {
            return Err(InvalidInput::new(
                "date_of_birth",
                "must not be in the future",
            ));
        }
        if date.year() < 1900 {
            return Err(InvalidInput::new(
                "date_of_birth",
                "must not be before 1900",
            ));
        }
        Ok(Self(date))
    }

    pub fn date(self) -> time::Date {
        self.0
    }

    /// ISO 8601 text, the form that is encrypted and indexed.
    pub fn iso(self) -> String {
        let format = time::macros::format_description!("[year]-[month]-[day]");
        self.0.format(&format).unwrap_or_default()
    }
}

impl std::fmt::Debug for DateOfBirth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DateOfBirth(<redacted>)")
    }
}

macro_rules! coded_field {
    ($(#[$doc:meta])* $name:ident, $field:literal, $problem:literal, { $($variant:ident => $code:literal),+ $(,)? } $(, default = $default:ident)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == raw)
                    .ok_or(InvalidInput::new($field, $problem))
            }
        }

        $(
            impl Default for $name {
                fn default() -> Self {
                    $name::$default
                }
            }
        )?
    };
}

/// The other coded lists (a caseload's orders and filters) are written the same way.
pub(crate) use coded_field;

coded_field!(
    /// Gender as the client describes it, after the HUD HMIS FY2026 categories.
    Gender, "gender",
    "must be one of woman, man, transgender, non-binary, questioning, different-identity, prefers-not-to-answer",
    {
        Woman => "woman",
        Man => "man",
        Transgender => "transgender",
        NonBinary => "non-binary",
        Questioning => "questioning",
        DifferentIdentity => "different-identity",
        PrefersNotToAnswer => "prefers-not-to-answer",
    }
);

coded_field!(
    /// An age range, which can stand in for a date of birth (SECURITY.md P1).
    AgeBand, "age_band",
    "must be one of under-12, 12-14, 15-17, 18-24, 25-34, 35-44, 45-54, 55-plus, prefers-not-to-answer",
    {
        Under12 => "under-12",
        From12To14 => "12-14",
        From15To17 => "15-17",
        From18To24 => "18-24",
        From25To34 => "25-34",
        From35To44 => "35-44",
        From45To54 => "45-54",
        From55 => "55-plus",
        PrefersNotToAnswer => "prefers-not-to-answer",
    }
);

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Woman => "Woman",
            Gender::Man => "Man",
            Gender::Transgender => "Transgender",
            Gender::NonBinary => "Non-binary",
            Gender::Questioning => "Questioning",
            Gender::DifferentIdentity => "A different identity",
            Gender::PrefersNotToAnswer => "Prefers not to answer",
        }
    }
}

impl AgeBand {
    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under12 => "Under 12",
            AgeBand::From12To14 => "12 to 14",
            AgeBand::From15To17 => "15 to 17",
            AgeBand::From18To24 => "18 to 24",
            AgeBand::From25To34 => "25 to 34",
            AgeBand::From35To44 => "35 to 44",
            AgeBand::From45To54 => "45 to 54",
            AgeBand::From55 => "55 or older",
            AgeBand::PrefersNotToAnswer => "Prefers not to answer",
        }
    }

    /// Whether the band is of someone under 18; `None` when the person preferred not to say.
    pub fn is_minor(self) -> Option<bool> {
        match self {
            AgeBand::Under12 | AgeBand::From12To14 | AgeBand::From15To17 => Some(true),
            AgeBand::PrefersNotToAnswer => None,
            _ => Some(false),
        }
    }

    /// The band a person of `years` falls in.
    pub fn for_age(years: i32) -> Self {
        match years {
            i32::MIN..=11 => AgeBand::Under12,
            12..=14 => AgeBand::From12To14,
            15..=17 => AgeBand::From15To17,
            18..=24 => AgeBand::From18To24,
            25..=34 => AgeBand::From25To34,
            35..=44 => AgeBand::From35To44,
            45..=54 => AgeBand::From45To54,
            _ => AgeBand::From55,
        }
    }
}

/// Whole years between a birth date and a day; a person attains an age on their birthday
/// (a 29 February birthday is reached on 1 March in common years).
pub fn age_on(born: time::Date, day: time::Date) -> i32 {
    let mut years = day.year() - born.year();
    let birthday_passed = (day.month() as u8, day.day()) >= (born.month() as u8, born.day());
    if !birthday_passed {
        years -= 1;
    }
    years
}

/// A new client, parsed and checked: what the intake recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    pub preferred_name: PreferredName,
    pub personal: PersonalDetails,
    pub safety: SafetyFlags,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
    pub profile: Profile,
}

/// The encrypted part of a client record. Every field is optional: a program keeps only what it
/// needs (SECURITY.md P1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonalDetails {
    pub legal_name: Option<LegalName>,
    pub date_of_birth: Option<DateOfBirth>,
    pub contact: Option<ContactDetails>,
    pub languages: Vec<Language>,
    /// Other names the person is known by, each found by duplicate search.
    pub aliases: Vec<Alias>,
}

/// A client as typed at intake, before checking: text as entered, `None` (or blank) for what was
/// not asked or not answered. The API and the intake page both parse through here.
#[derive(Debug, Clone, Default)]
pub struct RawClient {
    pub preferred_name: String,
    pub legal_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub contact: Option<String>,
    pub languages: Vec<String>,
    pub aliases: Vec<String>,
    pub gender: Option<String>,
    pub age_band: Option<String>,
    pub profile: RawProfile,
    pub safe_contact: Option<String>,
    pub code_word: Option<String>,
    pub do_not_contact: Option<String>,
}

/// `None` for a blank answer: an empty box means "not given", never an empty value.
fn given(raw: Option<&str>) -> Option<&str> {
    raw.filter(|v| !v.trim().is_empty())
}

impl RawClient {
    /// Checks every field; the first problem names its field.
    pub fn parse(&self, today: time::Date) -> Result<NewClient, InvalidInput> {
        Ok(NewClient {
            preferred_name: PreferredName::parse(&self.preferred_name)?,
            personal: PersonalDetails {
                legal_name: LegalName::parse_optional(self.legal_name.as_deref())?,
                date_of_birth: given(self.date_of_birth.as_deref())
                    .map(|d| DateOfBirth::parse(d, today))
                    .transpose()?,
                contact: ContactDetails::parse_optional(self.contact.as_deref())?,
                languages: parse_languages(&self.languages)?,
                aliases: parse_aliases(&self.aliases)?,
            },
            safety: SafetyFlags::parse(
                self.safe_contact.as_deref(),
                self.code_word.as_deref(),
                self.do_not_contact.as_deref(),
            )?,
            gender: given(self.gender.as_deref())
                .map(Gender::parse)
                .transpose()?,
            age_band: given(self.age_band.as_deref())
                .map(AgeBand::parse)
                .transpose()?,
            profile: self.profile.parse()?,
        })
    }
}

/// At most this many languages per client.
pub const MAX_LANGUAGES: usize = 12;

/// Parses a list of languages: each one checked, duplicates dropped, the list bounded.
pub fn parse_languages(raw: &[String]) -> Result<Vec<Language>, InvalidInput> {
    parse_list(raw, "languages", MAX_LANGUAGES, |l| {
        Language::parse(l).map(Some)
    })
}

/// At most this many other names per client.
pub const MAX_ALIASES: usize = 12;

/// Parses a list of other names: each one checked as an optional text is (a blank one is left
/// out, a long one refused even if it is only spaces), duplicates dropped, the list bounded,
/// blank entries and all (the API's document can bound only the list).
pub fn parse_aliases(raw: &[String]) -> Result<Vec<Alias>, InvalidInput> {
    parse_list(raw, "aliases", MAX_ALIASES, |a| {
        Alias::parse_optional(Some(a))
    })
}

/// A list the person gave: at most `max` entries (else `field` is refused), each parsed (`None`
/// is left out), a repeat kept once.
pub(crate) fn parse_list<T: PartialEq>(
    raw: &[String],
    field: &'static str,
    max: usize,
    parse: impl Fn(&str) -> Result<Option<T>, InvalidInput>,
) -> Result<Vec<T>, InvalidInput> {
    if raw.len() > max {
        return Err(InvalidInput::new(field, "has too many entries"));
    }
    let mut out: Vec<T> = Vec::with_capacity(raw.len());
    for entry in raw {
        if let Some(item) = parse(entry)?
            && !out.contains(&item)
        {
            out.push(item);
        }
    }
    Ok(out)
}

impl NewClient {
    /// The age band to store: the one given, or else the one the date of birth implies today.
    pub fn effective_age_band(&self, today: time::Date) -> Option<AgeBand> {
        self.age_band.or_else(|| {
            self.personal
                .date_of_birth
                .map(|dob| AgeBand::for_age(age_on(dob.date(), today)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_date_of_birth_pattern_takes_what_parsing_takes() {
        let odd = [
            "",
            " ",
            "\n",
            "2023-02-29",
            "2024-02-29",
            "2023-04-31",
            "2023-13-01",
            "2023-00-10",
            "2023-01-00",
            " 2001-01-01 ",
            "\t2001-01-01\n",
            "2001-1-01",
            "02001-01-01",
            "2001/01/01",
            "1900-01-01",
            "1899-12-31",
            "2100-02-29",
            "2000-02-29",
            "1900-02-29",
        ];
        for today in [
            date!(2026 - 12 - 02),
            date!(2027 - 01 - 01),
            date!(2028 - 02 - 29),
        ] {
            let mut samples: Vec<String> = odd.iter().map(|s| (*s).to_owned()).collect();
            let mut day = date!(1899 - 12 - 25);
            while day <= today.next_day().unwrap().next_day().unwrap() {
                samples.push(DateOfBirth(day).iso());
                day = day.next_day().unwrap();
            }
            for optional in [false, true] {
                let pattern =
                    regex::Regex::new(&crate::text::dates_pattern(today, optional)).unwrap();
                for sample in &samples {
                    let parsed = if optional && given(Some(sample)).is_none() {
                        true
                    } else {
                        DateOfBirth::parse(sample, today).is_ok()
                    };
                    assert_eq!(
                        pattern.is_match(sample),
                        parsed,
                        "{sample:?} on {today}, optional {optional}"
                    );
                }
            }
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(PreferredName::parse("  Rosa ").unwrap().as_str(), "Rosa");
        assert!(PreferredName::parse("   ").is_err());
        assert!(PreferredName::parse(&"x".repeat(101)).is_err());
        assert!(PreferredName::parse("a\u{0}b").is_err());
        assert!(ContactDetails::parse("call\nafter 6").is_ok());
    }

    #[test]
    fn debug_never_prints_personal_values() {
        let name = LegalName::parse("Canary Person").unwrap();
        assert!(!format!("{name:?}").contains("Canary"));
        let dob = DateOfBirth::parse("2001-02-03", date!(2026 - 01 - 01)).unwrap();
        assert!(!format!("{dob:?}").contains("2001"));
    }

    #[test]
    fn dates_of_birth_are_real_past_dates() {
        let today = date!(2026 - 11 - 27);
        assert!(DateOfBirth::parse("2008-02-30", today).is_err());
        assert!(DateOfBirth::parse("2027-01-01", today).is_err());
        assert!(DateOfBirth::parse("1899-12-31", today).is_err());
        assert!(DateOfBirth::parse("03/02/2008", today).is_err());
        assert_eq!(
            DateOfBirth::parse("2008-03-02", today).unwrap().iso(),
            "2008-03-02"
        );
    }

    #[test]
    fn age_turns_on_the_birthday_and_leap_day_birthdays_turn_on_march_first() {
        assert_eq!(age_on(date!(2008 - 03 - 02), date!(2026 - 03 - 01)), 17);
        assert_eq!(age_on(date!(2008 - 03 - 02), date!(2026 - 03 - 02)), 18);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 02 - 28)), 17);
        assert_eq!(age_on(date!(2008 - 02 - 29), date!(2026 - 03 - 01)), 18);
    }

    #[test]
    fn coded_fields_parse_only_their_codes() {
        assert_eq!(Gender::parse("non-binary").unwrap(), Gender::NonBinary);
        assert!(Gender::parse("Non-Binary").is_err());
        assert_eq!(AgeBand::parse("15-17").unwrap(), AgeBand::From15To17);
        assert_eq!(AgeBand::for_age(17), AgeBand::From15To17);
        assert_eq!(AgeBand::for_age(18), AgeBand::From18To24);
    }

    #[test]
    fn languages_are_deduplicated_and_bounded() {
        let langs = parse_languages(&["es".into(), "en".into(), "es".into()]).unwrap();
        assert_eq!(langs.len(), 2);
        let too_many: Vec<String> = (0..13).map(|i| format!("l{i}")).collect();
        assert!(parse_languages(&too_many).is_err());
    }
}
