//! The determination worksheet: the facts recorded about a person's situation, each known fact
//! with how we know it (its source), who recorded it and when. Unknown is an answer in its own
//! right and needs no source. The legal engine reads only the facts; the provenance is for the
//! people who rely on the result (a lawyer, a supervisor, the person themselves).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::facts::{FACT_PATHS, FactValue, Facts, FactsError};
use crate::{Timestamp, UserId};

/// How we know a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactSource {
    /// What the person told us about their own situation.
    OwnAccount,
    /// A document: a police report, a message, a pay slip, a medical record.
    Document,
    /// What staff saw for themselves.
    Observation,
    /// What someone else told us: a family member, a teacher, another agency.
    ThirdParty,
    /// What the client record already says (the date of birth given at intake).
    ClientRecord,
}

impl FactSource {
    pub const ALL: [FactSource; 5] = [
        FactSource::OwnAccount,
        FactSource::Document,
        FactSource::Observation,
        FactSource::ThirdParty,
        FactSource::ClientRecord,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            FactSource::OwnAccount => "own-account",
            FactSource::Document => "document",
            FactSource::Observation => "observation",
            FactSource::ThirdParty => "third-party",
            FactSource::ClientRecord => "client-record",
        }
    }

    /// In the words the worksheet uses.
    pub const fn label(self) -> &'static str {
        match self {
            FactSource::OwnAccount => "The person's own account",
            FactSource::Document => "A document",
            FactSource::Observation => "Something staff observed",
            FactSource::ThirdParty => "Someone else told us",
            FactSource::ClientRecord => "The client record",
        }
    }
}

impl fmt::Display for FactSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source that is not one of `own-account`, `document`, `observation`, `third-party`,
/// `client-record`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a source must be one of own-account, document, observation, third-party, client-record")]
pub struct UnknownSource;

impl FromStr for FactSource {
    type Err = UnknownSource;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FactSource::ALL
            .into_iter()
            .find(|source| source.as_str() == s)
            .ok_or(UnknownSource)
    }
}

/// Where a known fact came from: its source, who recorded it and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub source: FactSource,
    pub by: UserId,
    pub at: Timestamp,
}

/// The recorded facts with the provenance of every known one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Worksheet {
    facts: Facts,
    provenance: BTreeMap<&'static str, Provenance>,
}

/// A worksheet that cannot be recorded as it stands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorksheetError {
    #[error("{0}")]
    Facts(#[from] FactsError),
    /// A known fact needs to say how we know it.
    #[error("{0}: say how we know this (its source), or mark it unknown")]
    MissingSource(&'static str),
    #[error("the stored worksheet is damaged")]
    Damaged,
}

impl Worksheet {
    /// Records `facts` with their `sources` as a revision of `previous`. A known fact keeps the
    /// provenance it had when neither its value nor its source changed; otherwise it is recorded as
    /// by `by`, at `at`. Every known fact needs a source; sources of unknown facts are dropped.
    pub fn revise(
        previous: Option<&Worksheet>,
        facts: Facts,
        sources: &BTreeMap<&'static str, FactSource>,
        by: UserId,
        at: Timestamp,
    ) -> Result<Worksheet, WorksheetError> {
        if let Some(path) = Self::unsourced(facts.values(), sources).first() {
            return Err(WorksheetError::MissingSource(path));
        }
        let mut provenance = BTreeMap::new();
        for (path, value) in facts.values() {
            let Some(&source) = sources.get(path).filter(|_| value.is_known()) else {
                continue;
            };
            let kept = previous
                .filter(|before| before.facts.value(path) == Some(value))
                .and_then(|before| before.provenance.get(path))
                .filter(|before| before.source == source);
            let entry = kept.copied().unwrap_or(Provenance { source, by, at });
            provenance.insert(path, entry);
        }
        Ok(Worksheet { facts, provenance })
    }

    /// The known facts among `values` that say nothing of how we know them, by path: each needs
    /// a source before the worksheet can be recorded (an unknown fact needs none).
    pub fn unsourced(
        values: impl IntoIterator<Item = (&'static str, FactValue)>,
        sources: &BTreeMap<&'static str, FactSource>,
    ) -> Vec<&'static str> {
        values
            .into_iter()
            .filter(|(path, value)| value.is_known() && !sources.contains_key(path))
            .map(|(path, _)| path)
            .collect()
    }

    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// Where a known fact came from; `None` for an unknown one.
    pub fn provenance(&self, path: &str) -> Option<&Provenance> {
        self.provenance.get(path)
    }

    /// Everyone who recorded one of the known facts.
    pub fn recorded_by(&self) -> impl Iterator<Item = UserId> + '_ {
        self.provenance.values().map(|p| p.by)
    }

    /// The worksheet as stored (sealed) and sent by the API:
    /// `{"facts": <a complete facts file>, "provenance": {"means.force": {"source","by","at"}}}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a worksheet written by [`Worksheet::to_json`].
    pub fn from_json(text: &str) -> Result<Worksheet, WorksheetError> {
        let stored: Stored = serde_json::from_str(text).map_err(|_| WorksheetError::Damaged)?;
        let facts = Facts::parse_json(&stored.facts.to_string())?;
        let mut provenance = BTreeMap::new();
        for (path, entry) in stored.provenance {
            let path = FACT_PATHS
                .into_iter()
                .find(|p| *p == path)
                .ok_or(WorksheetError::Damaged)?;
            provenance.insert(path, entry);
        }
        Ok(Worksheet { facts, provenance })
    }
}

impl Serialize for Worksheet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("facts", &self.facts)?;
        map.serialize_entry("provenance", &self.provenance)?;
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Stored {
    facts: serde_json::Value,
    provenance: BTreeMap<String, Provenance>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(byte: u8) -> UserId {
        UserId::from_random([byte; 16])
    }

    fn facts(json: &str) -> Facts {
        Facts::parse_json(json).unwrap()
    }

    fn sources(pairs: &[(&'static str, FactSource)]) -> BTreeMap<&'static str, FactSource> {
        pairs.iter().copied().collect()
    }

    #[test]
    fn a_known_fact_needs_a_source_and_an_unknown_one_needs_none() {
        let recorded = facts(r#"{"means": {"force": true, "fraud": null}}"#);
        let err = Worksheet::revise(
            None,
            recorded,
            &BTreeMap::new(),
            user(1),
            Timestamp::from_unix_millis(5),
        )
        .unwrap_err();
        assert_eq!(err, WorksheetError::MissingSource("means.force"));

        let given = sources(&[
            ("means.force", FactSource::OwnAccount),
            ("means.fraud", FactSource::Document),
        ]);
        let sheet = Worksheet::revise(
            None,
            recorded,
            &given,
            user(1),
            Timestamp::from_unix_millis(5),
        )
        .unwrap();
        assert_eq!(
            sheet.provenance("means.force"),
            Some(&Provenance {
                source: FactSource::OwnAccount,
                by: user(1),
                at: Timestamp::from_unix_millis(5)
            })
        );
        assert_eq!(
            sheet.provenance("means.fraud"),
            None,
            "unknown keeps no source"
        );
    }

    #[test]
    fn a_revision_keeps_who_and_when_of_what_did_not_change() {
        let first = facts(r#"{"means": {"force": true}, "purpose": {"sex_act": true}}"#);
        let given = sources(&[
            ("means.force", FactSource::OwnAccount),
            ("purpose.sex_act", FactSource::OwnAccount),
        ]);
        let before =
            Worksheet::revise(None, first, &given, user(1), Timestamp::from_unix_millis(1))
                .unwrap();

        // The same force, sex act now known from a document, and fraud newly recorded.
        let second =
            facts(r#"{"means": {"force": true, "fraud": false}, "purpose": {"sex_act": true}}"#);
        let given = sources(&[
            ("means.force", FactSource::OwnAccount),
            ("means.fraud", FactSource::ThirdParty),
            ("purpose.sex_act", FactSource::Document),
        ]);
        let after = Worksheet::revise(
            Some(&before),
            second,
            &given,
            user(2),
            Timestamp::from_unix_millis(9),
        )
        .unwrap();
        let who = |path| after.provenance(path).map(|p| (p.by, p.at.unix_millis()));
        assert_eq!(who("means.force"), Some((user(1), 1)));
        assert_eq!(who("purpose.sex_act"), Some((user(2), 9)));
        assert_eq!(who("means.fraud"), Some((user(2), 9)));

        // A changed value is a new record even with the same source.
        let third = facts(r#"{"means": {"force": false}, "purpose": {"sex_act": true}}"#);
        let given = sources(&[
            ("means.force", FactSource::OwnAccount),
            ("purpose.sex_act", FactSource::Document),
        ]);
        let later = Worksheet::revise(
            Some(&after),
            third,
            &given,
            user(3),
            Timestamp::from_unix_millis(20),
        )
        .unwrap();
        assert_eq!(later.provenance("means.force").map(|p| p.by), Some(user(3)));
        assert_eq!(
            later.provenance("purpose.sex_act").map(|p| p.by),
            Some(user(2))
        );
    }

    #[test]
    fn the_stored_form_reads_back_the_same() {
        let recorded = facts(
            r#"{"person": {"date_of_birth": "2008-02-29"}, "period": {"from": "2024-03-01"},
                "actions": {"harboring": true}}"#,
        );
        let given = sources(&[
            ("person.date_of_birth", FactSource::Document),
            ("period.from", FactSource::OwnAccount),
            ("actions.harboring", FactSource::Observation),
        ]);
        let sheet = Worksheet::revise(
            None,
            recorded,
            &given,
            user(4),
            Timestamp::from_unix_millis(7),
        )
        .unwrap();
        let json = sheet.to_json();
        assert_eq!(Worksheet::from_json(&json).unwrap(), sheet);
        assert!(json.contains(r#""source":"observation""#), "{json}");
        assert_eq!(
            Worksheet::from_json(
                r#"{"facts": {}, "provenance": {"means.nonsense": {"source": "document", "by": "x", "at": 1}}}"#
            ),
            Err(WorksheetError::Damaged)
        );
    }

    #[test]
    fn sources_parse_from_their_names_only() {
        for source in FactSource::ALL {
            assert_eq!(source.as_str().parse(), Ok(source));
        }
        assert_eq!("hearsay".parse::<FactSource>(), Err(UnknownSource));
    }
}
