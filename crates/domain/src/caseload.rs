//! Finding someone in one's own caseload: by any part of a name, and the orders and filters a
//! caseload is shown in. The names are opened in memory for the worker whose caseload it is;
//! nothing here is ever stored, so no index of names letter by letter exists (SECURITY.md P5).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::client::coded_field;

/// What a worker typed to find someone, as the words it is made of, folded like the names it is
/// compared with: lower case, accents dropped ("José" is found by "jose"), punctuation ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameQuery {
    words: Vec<String>,
}

/// Lower case, without accents, letters and digits only, words separated by one space.
fn folded(text: &str) -> String {
    let plain: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

impl NameQuery {
    /// `None` when nothing searchable was typed.
    pub fn parse(typed: &str) -> Option<Self> {
        let words: Vec<String> = folded(typed).split(' ').map(str::to_owned).collect();
        (!words.iter().all(String::is_empty)).then_some(Self { words })
    }

    /// Whether every word typed is part of one of `names` (the name used, the legal name, an
    /// alias): "Zu" finds "Zuri", "cruz mar" finds "María de la Cruz".
    pub fn matches<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> bool {
        let names: Vec<String> = names.into_iter().map(folded).collect();
        self.words
            .iter()
            .all(|word| names.iter().any(|name| name.contains(word.as_str())))
    }
}

coded_field!(
    /// The order a caseload is listed in: the people most recently given to the worker first
    /// (the default), by the name used, those with the most recent note first (none last), or
    /// those given to the worker longest ago first.
    CaseloadOrder, "sort", "must be one of newest, name, last-note, oldest",
    {
        Newest => "newest",
        Name => "name",
        LastNote => "last-note",
        Oldest => "oldest",
    },
    default = Newest
);

coded_field!(
    /// Which of a caseload's people are listed, by their cases: everyone (the default), those
    /// with at least one case open, those with none open.
    CaseFilter, "case", "must be one of any, open, none",
    {
        Any => "any",
        Open => "open",
        NoneOpen => "none",
    },
    default = Any
);

coded_field!(
    /// Which of a caseload's people are listed, by age: anyone (the default), under 18 and 18 or
    /// older (by date of birth or age band), or those whose age is not recorded (or who preferred
    /// not to say).
    AgeFilter, "age", "must be one of any, minor, adult, unknown",
    {
        Any => "any",
        Minor => "minor",
        Adult => "adult",
        Unknown => "unknown",
    },
    default = Any
);

/// Whether someone is a minor, as far as the record tells: `None` when it does not.
pub fn is_minor(age_band: Option<crate::client::AgeBand>) -> Option<bool> {
    use crate::client::AgeBand::*;
    match age_band? {
        Under12 | From12To14 | From15To17 => Some(true),
        PrefersNotToAnswer => None,
        From18To24 | From25To34 | From35To44 | From45To54 | From55 => Some(false),
    }
}

impl AgeFilter {
    /// Whether a person of `age_band` is listed.
    pub fn admits(self, age_band: Option<crate::client::AgeBand>) -> bool {
        match self {
            AgeFilter::Any => true,
            AgeFilter::Minor => is_minor(age_band) == Some(true),
            AgeFilter::Adult => is_minor(age_band) == Some(false),
            AgeFilter::Unknown => is_minor(age_band).is_none(),
        }
    }
}

impl CaseFilter {
    /// Whether a person with `open_cases` cases open is listed.
    pub fn admits(self, open_cases: u32) -> bool {
        match self {
            CaseFilter::Any => true,
            CaseFilter::Open => open_cases > 0,
            CaseFilter::NoneOpen => open_cases == 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::AgeBand;

    fn finds(typed: &str, names: &[&str]) -> bool {
        NameQuery::parse(typed)
            .unwrap()
            .matches(names.iter().copied())
    }

    #[test]
    fn any_part_of_any_name_finds_them() {
        assert!(finds("Zu", &["Zuri"]));
        assert!(finds("uri", &["Zuri"]));
        assert!(finds("ZURI", &["zuri"]));
        assert!(finds("cruz mar", &["Sol", "María de la Cruz"]));
        assert!(finds("jose", &["José"]));
        assert!(finds("José", &["Jose"]));
        assert!(finds("o'neil", &["Kim O Neil"]));
        assert!(!finds("Zo", &["Zuri"]));
        assert!(!finds("zuri ana", &["Zuri"]), "every word must be found");
    }

    #[test]
    fn nothing_searchable_is_no_query() {
        assert_eq!(NameQuery::parse(""), None);
        assert_eq!(NameQuery::parse("  - . "), None);
    }

    #[test]
    fn choices_read_back_their_codes() {
        for order in CaseloadOrder::ALL {
            assert_eq!(CaseloadOrder::parse(order.as_str()), Ok(*order));
        }
        assert_eq!(CaseloadOrder::default(), CaseloadOrder::Newest);
        assert!(CaseFilter::parse("closed").is_err());
    }

    #[test]
    fn age_filters_split_everyone_once() {
        let bands = AgeBand::ALL.iter().copied().map(Some).chain([None]);
        for band in bands {
            let admitted = [AgeFilter::Minor, AgeFilter::Adult, AgeFilter::Unknown]
                .iter()
                .filter(|f| f.admits(band))
                .count();
            assert_eq!(admitted, 1, "{band:?}");
            assert!(AgeFilter::Any.admits(band));
        }
        assert!(AgeFilter::Minor.admits(Some(AgeBand::From15To17)));
        assert!(AgeFilter::Unknown.admits(Some(AgeBand::PrefersNotToAnswer)));
    }

    #[test]
    fn case_filters() {
        assert!(CaseFilter::Open.admits(2) && !CaseFilter::Open.admits(0));
        assert!(CaseFilter::NoneOpen.admits(0) && !CaseFilter::NoneOpen.admits(1));
    }
}
