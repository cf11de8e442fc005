//! Clients. A client is pseudonymous: an opaque id and the name they want to be called. Everything
//! that could identify or locate them is an encrypted field; gender and age band are classified
//! fields that a program may leave blank. Every question allows "prefers not to answer".

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::text::TextRule;

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

impl AgeBand {
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

/// The details of a client that an edit may change, as the record holds them. The safety flags
/// are changed on their own (`SafetyFlags`), and are not part of this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDetails {
    pub preferred_name: PreferredName,
    pub personal: PersonalDetails,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
}

coded_field!(
    /// A field of a client's details, as the history of changes names it.
    DetailField, "field",
    "must be one of preferred_name, legal_name, aliases, date_of_birth, contact, languages, gender, age_band",
    {
        PreferredName => "preferred_name",
        LegalName => "legal_name",
        Aliases => "aliases",
        DateOfBirth => "date_of_birth",
        Contact => "contact",
        Languages => "languages",
        Gender => "gender",
        AgeBand => "age_band",
    }
);

impl DetailField {
    /// What the field is called on the page.
    pub fn label(self) -> &'static str {
        match self {
            DetailField::PreferredName => "name used",
            DetailField::LegalName => "legal name",
            DetailField::Aliases => "other names",
            DetailField::DateOfBirth => "date of birth",
            DetailField::Contact => "contact details",
            DetailField::Languages => "languages",
            DetailField::Gender => "gender",
            DetailField::AgeBand => "age range",
        }
    }
}

/// A change to a client's details, parsed: each field `None` is left as it is, and each
/// `Some(None)` (or an empty list) clears it. The name used can be changed, not cleared: it is
/// how the record is called, and may be any name the person chooses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DetailsEdit {
    pub preferred_name: Option<PreferredName>,
    pub legal_name: Option<Option<LegalName>>,
    pub aliases: Option<Vec<Alias>>,
    pub date_of_birth: Option<Option<DateOfBirth>>,
    pub contact: Option<Option<ContactDetails>>,
    pub languages: Option<Vec<Language>>,
    pub gender: Option<Option<Gender>>,
    pub age_band: Option<Option<AgeBand>>,
}

/// A change as typed: `None` for a field not sent (left as it is), `Some` of a blank value (or of
/// an empty list) to clear it. The API's `PATCH` and the details page both parse through here;
/// the page sends every field.
#[derive(Debug, Clone, Default)]
pub struct RawEdit {
    pub preferred_name: Option<String>,
    pub legal_name: Option<Option<String>>,
    pub aliases: Option<Vec<String>>,
    pub date_of_birth: Option<Option<String>>,
    pub contact: Option<Option<String>>,
    pub languages: Option<Vec<String>>,
    pub gender: Option<Option<String>>,
    pub age_band: Option<Option<String>>,
}

impl RawEdit {
    /// Checks every field sent; the first problem names its field.
    pub fn parse(&self, today: time::Date) -> Result<DetailsEdit, InvalidInput> {
        // A field sent is parsed as intake parses it: free text as optional text (a blank is
        // "not given", and is checked for length first, as the API's document says), a code or a
        // date only when not blank.
        fn each<T>(
            raw: &Option<Option<String>>,
            parse: impl Fn(Option<&str>) -> Result<Option<T>, InvalidInput>,
        ) -> Result<Option<Option<T>>, InvalidInput> {
            raw.as_ref().map(|v| parse(v.as_deref())).transpose()
        }
        fn unless_blank<T>(
            parse: impl Fn(&str) -> Result<T, InvalidInput>,
        ) -> impl Fn(Option<&str>) -> Result<Option<T>, InvalidInput> {
            move |raw| given(raw).map(&parse).transpose()
        }
        Ok(DetailsEdit {
            preferred_name: self
                .preferred_name
                .as_deref()
                .map(PreferredName::parse)
                .transpose()?,
            legal_name: each(&self.legal_name, LegalName::parse_optional)?,
            aliases: self.aliases.as_deref().map(parse_aliases).transpose()?,
            date_of_birth: each(
                &self.date_of_birth,
                unless_blank(|d| DateOfBirth::parse(d, today)),
            )?,
            contact: each(&self.contact, ContactDetails::parse_optional)?,
            languages: self.languages.as_deref().map(parse_languages).transpose()?,
            gender: each(&self.gender, unless_blank(Gender::parse))?,
            age_band: each(&self.age_band, unless_blank(AgeBand::parse))?,
        })
    }
}

impl ClientDetails {
    /// The details after `edit`, and the fields it really changed (a field sent with the value it
    /// had is no change). When the date of birth changes and the edit says nothing of the age
    /// range, the range follows the new date (as at intake).
    pub fn apply(
        &self,
        edit: &DetailsEdit,
        today: time::Date,
    ) -> (ClientDetails, Vec<DetailField>) {
        let mut after = self.clone();
        if let Some(v) = &edit.preferred_name {
            after.preferred_name = v.clone();
        }
        let p = &mut after.personal;
        if let Some(v) = &edit.legal_name {
            p.legal_name = v.clone();
        }
        if let Some(v) = &edit.aliases {
            p.aliases = v.clone();
        }
        if let Some(v) = edit.date_of_birth {
            p.date_of_birth = v;
        }
        if let Some(v) = &edit.contact {
            p.contact = v.clone();
        }
        if let Some(v) = &edit.languages {
            p.languages = v.clone();
        }
        if let Some(v) = edit.gender {
            after.gender = v;
        }
        match (edit.age_band, after.personal.date_of_birth) {
            (Some(v), _) => after.age_band = v,
            (None, Some(born)) if after.personal.date_of_birth != self.personal.date_of_birth => {
                after.age_band = Some(AgeBand::for_age(age_on(born.date(), today)));
            }
            (None, _) => {}
        }
        let before = self;
        let changed = DetailField::ALL
            .iter()
            .copied()
            .filter(|field| match field {
                DetailField::PreferredName => before.preferred_name != after.preferred_name,
                DetailField::LegalName => before.personal.legal_name != after.personal.legal_name,
                DetailField::Aliases => before.personal.aliases != after.personal.aliases,
                DetailField::DateOfBirth => {
                    before.personal.date_of_birth != after.personal.date_of_birth
                }
                DetailField::Contact => before.personal.contact != after.personal.contact,
                DetailField::Languages => before.personal.languages != after.personal.languages,
                DetailField::Gender => before.gender != after.gender,
                DetailField::AgeBand => before.age_band != after.age_band,
            })
            .collect();
        (after, changed)
    }

    /// A field's value as the history of changes keeps it: text, a list, or nothing.
    pub fn value_of(&self, field: DetailField) -> serde_json::Value {
        use serde_json::Value;
        let text = |v: Option<&str>| v.map_or(Value::Null, |v| Value::String(v.to_owned()));
        let list = |v: Vec<&str>| {
            Value::Array(v.into_iter().map(|s| Value::String(s.to_owned())).collect())
        };
        let p = &self.personal;
        match field {
            DetailField::PreferredName => text(Some(self.preferred_name.as_str())),
            DetailField::LegalName => text(p.legal_name.as_ref().map(LegalName::as_str)),
            DetailField::Aliases => list(p.aliases.iter().map(Alias::as_str).collect()),
            DetailField::DateOfBirth => text(p.date_of_birth.map(DateOfBirth::iso).as_deref()),
            DetailField::Contact => text(p.contact.as_ref().map(ContactDetails::as_str)),
            DetailField::Languages => list(p.languages.iter().map(Language::as_str).collect()),
            DetailField::Gender => text(self.gender.map(Gender::as_str)),
            DetailField::AgeBand => text(self.age_band.map(AgeBand::as_str)),
        }
    }
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

    fn details() -> ClientDetails {
        let today = date!(2026 - 12 - 01);
        let raw = RawClient {
            preferred_name: "Rosa".into(),
            legal_name: Some("Rosa Maria Diaz".into()),
            date_of_birth: Some("2001-05-06".into()),
            languages: vec!["es".into()],
            aliases: vec!["Ro".into()],
            gender: Some("woman".into()),
            ..RawClient::default()
        }
        .parse(today)
        .unwrap();
        ClientDetails {
            preferred_name: raw.preferred_name,
            personal: raw.personal,
            gender: raw.gender,
            age_band: Some(AgeBand::From25To34),
        }
    }

    #[test]
    fn an_edit_changes_only_what_it_sends_and_names_what_really_changed() {
        let today = date!(2026 - 12 - 01);
        let before = details();
        let edit = RawEdit {
            legal_name: Some(Some("Rosa Maria Diaz".into())),
            aliases: Some(vec!["Ro".into(), " ".into(), "Mari".into(), "Ro".into()]),
            contact: Some(Some("text after 6".into())),
            gender: Some(Some(" ".into())),
            ..RawEdit::default()
        }
        .parse(today)
        .unwrap();
        let (after, changed) = before.apply(&edit, today);
        assert_eq!(
            changed,
            [
                DetailField::Aliases,
                DetailField::Contact,
                DetailField::Gender
            ],
            "the legal name was sent as it was: no change"
        );
        let aliases: Vec<&str> = after.personal.aliases.iter().map(Alias::as_str).collect();
        assert_eq!(aliases, ["Ro", "Mari"], "blanks and repeats dropped");
        assert_eq!(after.gender, None, "a blank clears: prefers not to answer");
        assert_eq!(after.preferred_name, before.preferred_name);
        assert_eq!(
            before.value_of(DetailField::Contact),
            serde_json::Value::Null
        );
        assert_eq!(
            before.value_of(DetailField::Aliases),
            serde_json::json!(["Ro"])
        );
    }

    #[test]
    fn a_new_date_of_birth_moves_the_age_range_unless_one_is_given() {
        let today = date!(2026 - 12 - 01);
        let before = details();
        let moved = RawEdit {
            date_of_birth: Some(Some("2010-01-01".into())),
            ..RawEdit::default()
        }
        .parse(today)
        .unwrap();
        let (after, changed) = before.apply(&moved, today);
        assert_eq!(after.age_band, Some(AgeBand::From15To17));
        assert_eq!(changed, [DetailField::DateOfBirth, DetailField::AgeBand]);
        let cleared = RawEdit {
            date_of_birth: Some(None),
            age_band: Some(Some("prefers-not-to-answer".into())),
            ..RawEdit::default()
        }
        .parse(today)
        .unwrap();
        let (after, _) = before.apply(&cleared, today);
        assert_eq!(after.personal.date_of_birth, None);
        assert_eq!(after.age_band, Some(AgeBand::PrefersNotToAnswer));
    }

    #[test]
    fn a_bad_edit_names_its_field() {
        let today = date!(2026 - 12 - 01);
        let problem = |edit: RawEdit| edit.parse(today).unwrap_err().field;
        let name = RawEdit {
            preferred_name: Some(" ".into()),
            ..RawEdit::default()
        };
        assert_eq!(problem(name), "preferred_name", "changed, never cleared");
        let dob = RawEdit {
            date_of_birth: Some(Some("2030-01-01".into())),
            ..RawEdit::default()
        };
        assert_eq!(problem(dob), "date_of_birth");
        let aliases = RawEdit {
            aliases: Some(vec!["x".repeat(101)]),
            ..RawEdit::default()
        };
        assert_eq!(problem(aliases), "aliases");
        let many = RawEdit {
            aliases: Some((0..13).map(|i| format!("a{i}")).collect()),
            ..RawEdit::default()
        };
        assert_eq!(problem(many), "aliases");
        let band = RawEdit {
            age_band: Some(Some("old".into())),
            ..RawEdit::default()
        };
        assert_eq!(problem(band), "age_band");
    }
}
