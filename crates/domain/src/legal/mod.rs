//! The legal-element engine: which elements of which legal definition the recorded facts meet,
//! miss, or leave unknown.
//!
//! A *determination* is not a screening and not an official status: it says how the recorded facts
//! line up with the words of a statute, element by element, and what is still unknown. It never
//! says "not a victim"; `not_met` means "the elements are not established on the recorded facts".
//!
//! - The facts file ([`Facts::parse_json`]): every fact `true`, `false` or `null` (unknown); see
//!   `docs/facts.schema.json`.
//! - Rule packs as data ([`RulePacks::shipped`]): `rules/us-federal.toml`, `rules/us-ca.toml`,
//!   `rules/intl-palermo.toml`, embedded at build time; see `docs/legal-engine.md`.
//! - Evaluation ([`RulePacks::evaluate`]) in three-valued Kleene logic: unknown is never false. Age
//!   is judged on the day of the earliest act (`period.from`).
//!
//! ```
//! use safeharbor_domain::legal::{Facts, Jurisdiction, Outcome, Results, RulePacks};
//!
//! let packs = RulePacks::shipped()?;
//! let facts = Facts::parse_json(r#"{
//!     "person": {"date_of_birth": "2008-03-02"},
//!     "period": {"from": "2023-06-01", "to": null},
//!     "actions": {"harboring": true},
//!     "purpose": {"sex_act": true, "anything_of_value_given_or_received": true}
//! }"#)?;
//! let results = packs.evaluate(&facts, Jurisdiction::UsFederal);
//! assert_eq!(results[1].rule_id(), "us-federal.severe-sex-trafficking");
//! assert_eq!(results[1].outcome(), Outcome::Met);
//! let json = serde_json::to_string(&Results(&results))?;
//! assert!(json.starts_with(r#"{"results":["#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod eval;
mod facts;
mod facts_json;
mod questions;
mod rules;
mod worksheet;

use std::fmt;
use std::str::FromStr;

pub use eval::{Determination, EarliestAct, Explanation, Outcome, Results};
pub use facts::{Clash, FACT_PATHS, FactValue, Facts, FactsError, parse_iso_date};
pub use questions::{Column, QUESTIONS, Question, question};
pub use rules::{Rule, RuleError, RulePacks};
pub use worksheet::{FactSource, Provenance, UnknownSource, Worksheet, WorksheetError};

/// Which rule packs to evaluate: `us-federal`, `us-ca`, `intl-palermo` or `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Jurisdiction {
    UsFederal,
    UsCa,
    IntlPalermo,
    All,
}

impl Jurisdiction {
    pub const fn as_str(self) -> &'static str {
        match self {
            Jurisdiction::UsFederal => "us-federal",
            Jurisdiction::UsCa => "us-ca",
            Jurisdiction::IntlPalermo => "intl-palermo",
            Jurisdiction::All => "all",
        }
    }

    /// Whether a selection includes a pack's jurisdiction.
    pub fn includes(self, pack: Jurisdiction) -> bool {
        self == Jurisdiction::All || self == pack
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A jurisdiction name that is not one of `us-federal`, `us-ca`, `intl-palermo`, `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("jurisdiction must be one of us-federal, us-ca, intl-palermo, all")]
pub struct UnknownJurisdiction;

impl FromStr for Jurisdiction {
    type Err = UnknownJurisdiction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "us-federal" => Ok(Jurisdiction::UsFederal),
            "us-ca" => Ok(Jurisdiction::UsCa),
            "intl-palermo" => Ok(Jurisdiction::IntlPalermo),
            "all" => Ok(Jurisdiction::All),
            _ => Err(UnknownJurisdiction),
        }
    }
}
