//! Editing a client's details: what an edit may change, how it is typed and parsed, and which
//! fields it really changed, so that each change is kept with who made it and when.

use super::{
    AgeBand, Alias, ContactDetails, DateOfBirth, Gender, Language, LegalName, PersonalDetails,
    PreferredName, age_on, coded_field, given, parse_aliases, parse_languages,
};
use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::profile::{Citizenship, Profile, ReferralSource, TraffickingType};

/// The details of a client that an edit may change, as the record holds them. The safety flags
/// are changed on their own (`SafetyFlags`), and are not part of this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDetails {
    pub preferred_name: PreferredName,
    pub personal: PersonalDetails,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
    pub profile: Profile,
}

coded_field!(
    /// A field of a client's details, as the history of changes names it.
    DetailField, "field",
    "must be one of preferred_name, legal_name, aliases, date_of_birth, contact, languages, gender, \
     age_band, trafficking_type, citizenship, referral_source",
    {
        PreferredName => "preferred_name",
        LegalName => "legal_name",
        Aliases => "aliases",
        DateOfBirth => "date_of_birth",
        Contact => "contact",
        Languages => "languages",
        Gender => "gender",
        AgeBand => "age_band",
        TraffickingType => "trafficking_type",
        Citizenship => "citizenship",
        ReferralSource => "referral_source",
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
            DetailField::TraffickingType => "kind of trafficking",
            DetailField::Citizenship => "citizenship",
            DetailField::ReferralSource => "referred by",
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
    pub trafficking_type: Option<Option<TraffickingType>>,
    pub citizenship: Option<Option<Citizenship>>,
    pub referral_source: Option<Option<ReferralSource>>,
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
    pub trafficking_type: Option<Option<String>>,
    pub citizenship: Option<Option<String>>,
    pub referral_source: Option<Option<String>>,
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
            trafficking_type: each(&self.trafficking_type, unless_blank(TraffickingType::parse))?,
            citizenship: each(&self.citizenship, unless_blank(Citizenship::parse))?,
            referral_source: each(&self.referral_source, unless_blank(ReferralSource::parse))?,
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
        if let Some(v) = edit.trafficking_type {
            after.profile.trafficking_type = v;
        }
        if let Some(v) = edit.citizenship {
            after.profile.citizenship = v;
        }
        if let Some(v) = edit.referral_source {
            after.profile.referral_source = v;
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
                DetailField::TraffickingType => {
                    before.profile.trafficking_type != after.profile.trafficking_type
                }
                DetailField::Citizenship => before.profile.citizenship != after.profile.citizenship,
                DetailField::ReferralSource => {
                    before.profile.referral_source != after.profile.referral_source
                }
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
            DetailField::TraffickingType => {
                text(self.profile.trafficking_type.map(TraffickingType::as_str))
            }
            DetailField::Citizenship => text(self.profile.citizenship.map(Citizenship::as_str)),
            DetailField::ReferralSource => {
                text(self.profile.referral_source.map(ReferralSource::as_str))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::RawClient;
    use time::macros::date;

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
            profile: raw.profile,
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
