//! How a client's screenings and determinations read, on the client's page and on their own:
//! the instrument used, a screening's result and a determination's outcomes, in the words staff
//! act on.

use domain::instrument::Instrument;
use domain::legal::{Jurisdiction, Outcome, Worksheet};

/// A shipped screening instrument, by its id.
pub(crate) fn instrument(id: &str) -> Option<&'static Instrument> {
    app::screenings::instruments()
        .ok()?
        .iter()
        .find(|i| i.id == id)
}

/// An instrument's title, or its id if it is no longer shipped.
pub(crate) fn title(id: &str) -> String {
    instrument(id).map_or_else(|| id.to_owned(), |i| i.title.clone())
}

/// A result in the words staff act on.
pub(crate) fn result_words(result: Option<&str>) -> &'static str {
    match result {
        Some("positive") => "look further",
        Some("negative") => "nothing further suggested",
        Some("incomplete") => "not decided yet",
        _ => "no result recorded",
    }
}

/// A determination in one line: how many definitions each outcome reached.
pub(crate) fn summary(worksheet: &Worksheet) -> String {
    let Ok(packs) = app::determinations::rule_packs() else {
        return String::new();
    };
    let results = packs.evaluate(worksheet.facts(), Jurisdiction::All);
    let count = |outcome| results.iter().filter(|r| r.outcome() == outcome).count();
    format!(
        "{} met, {} not established, {} not decided yet",
        count(Outcome::Met),
        count(Outcome::NotMet),
        count(Outcome::Unknown)
    )
}
