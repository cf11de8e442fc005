//! Screening instruments as data. A screening says "look further", never "this person was
//! trafficked": screeners over-flag by design, and a negative screen does not rule anything out.
//!
//! An instrument is a TOML file (see `instruments/` at the top of the repository): its items,
//! how answers are scored, the cut-off, what each result recommends, the population and setting it
//! was validated in, its citation, validation figures, licence note and version. `parse` turns one
//! file into an `Instrument` or an error naming the file, the line and the problem.

mod definition;
mod scoring;

pub use definition::{Instrument, InstrumentError, Item, Response, Scoring, Study};
pub use scoring::{Answer, Answers, AnswersError, Outcome, Screening};

/// The instruments Safe Harbor ships, written in our own words (each file says which published
/// instrument it follows).
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "sscst-6.toml",
        include_str!("../../../../instruments/sscst-6.toml"),
    ),
    (
        "qyit-4.toml",
        include_str!("../../../../instruments/qyit-4.toml"),
    ),
    (
        "acf-adult-indicators.toml",
        include_str!("../../../../instruments/acf-adult-indicators.toml"),
    ),
    (
        "external-result.toml",
        include_str!("../../../../instruments/external-result.toml"),
    ),
];

/// Every shipped instrument, parsed and checked; ids are unique.
pub fn shipped() -> Result<Vec<Instrument>, InstrumentError> {
    let mut all: Vec<Instrument> = Vec::with_capacity(SHIPPED.len());
    for (file, text) in SHIPPED {
        let instrument = Instrument::parse(file, text)?;
        if all.iter().any(|i| i.id == instrument.id) {
            return Err(InstrumentError::new(
                file,
                1,
                "another instrument already has this id",
            ));
        }
        all.push(instrument);
    }
    Ok(all)
}
