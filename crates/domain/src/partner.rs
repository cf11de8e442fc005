//! The program's directory of partners: the organisations a client may be referred to (a shelter,
//! a clinic, an immigration lawyer), what they offer, in which languages and where, and the safe
//! way to reach them with a referral. A partner is an organisation, not a person we serve, so
//! nothing here is about a client.

use crate::InvalidInput;
use crate::client::{Language, parse_list, text_field};
use crate::service::ServiceCode;
use crate::text::TextRule;

text_field!(
    /// The organisation's name, as staff know it ("Harbor House shelter").
    PartnerName, "name", 200, false
);
text_field!(
    /// Where the partner works: a city, a county, "statewide", "remote".
    Area, "area", 200, false
);
text_field!(
    /// How to reach the partner safely with a referral: an intake line, a named advocate, a
    /// secure email; never a client's details.
    SafeContact, "safe_contact", 500, true
);

/// At most this many service types or languages per partner.
pub const MAX_OFFERS: usize = 43;

/// A partner as typed: blank text is "not given".
#[derive(Debug, Clone, Copy)]
pub struct RawPartner<'a> {
    pub name: &'a str,
    pub services: &'a [String],
    pub languages: &'a [String],
    pub area: Option<&'a str>,
    pub safe_contact: Option<&'a str>,
}

/// A partner, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPartner {
    pub name: PartnerName,
    /// The types of service the partner offers, each once.
    pub services: Vec<ServiceCode>,
    pub languages: Vec<Language>,
    pub area: Option<Area>,
    pub safe_contact: Option<SafeContact>,
}

impl RawPartner<'_> {
    pub fn parse(&self) -> Result<NewPartner, InvalidInput> {
        let name = PartnerName::parse(self.name)?;
        let services = parse_list(self.services, "services", MAX_OFFERS, |code| {
            if code.trim().is_empty() {
                return Ok(None);
            }
            ServiceCode::parse(code)
                .map(Some)
                .map_err(|e| InvalidInput::new("services", e.problem))
        })?;
        if services.is_empty() {
            return Err(InvalidInput::new(
                "services",
                "must name at least one type of service the partner offers",
            ));
        }
        Ok(NewPartner {
            name,
            services,
            languages: parse_list(self.languages, "languages", MAX_OFFERS, |l| {
                Language::parse_optional(Some(l))
            })?,
            area: Area::parse_optional(self.area)?,
            safe_contact: SafeContact::parse_optional(self.safe_contact)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn a_partner_names_what_it_offers_each_once() {
        let services = strings(&["C4", " ", "A1", "C4"]);
        let languages = strings(&["Spanish", "", "Tagalog"]);
        let partner = RawPartner {
            name: " Harbor House shelter ",
            services: &services,
            languages: &languages,
            area: Some("Cook County"),
            safe_contact: Some(""),
        }
        .parse()
        .unwrap();
        assert_eq!(partner.name.as_str(), "Harbor House shelter");
        let codes: Vec<&str> = partner.services.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes, ["C4", "A1"]);
        assert_eq!(partner.languages.len(), 2);
        assert_eq!(partner.safe_contact, None);
    }

    #[test]
    fn a_partner_that_cannot_be_listed_names_its_field() {
        let c4 = strings(&["C4"]);
        let ok = RawPartner {
            name: "Clinic",
            services: &c4,
            languages: &[],
            area: None,
            safe_contact: None,
        };
        let problem = |raw: RawPartner<'_>| raw.parse().unwrap_err().field;
        assert_eq!(problem(RawPartner { name: " ", ..ok }), "name");
        assert_eq!(
            problem(RawPartner {
                services: &[],
                ..ok
            }),
            "services"
        );
        let unknown = strings(&["Z9"]);
        assert_eq!(
            problem(RawPartner {
                services: &unknown,
                ..ok
            }),
            "services"
        );
        let long = "x".repeat(201);
        assert_eq!(
            problem(RawPartner {
                area: Some(&long),
                ..ok
            }),
            "area"
        );
    }
}
