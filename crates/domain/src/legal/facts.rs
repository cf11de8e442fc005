//! The facts file: what a worker recorded about a person's situation, parsed strictly.
//!
//! Every fact is `true`, `false` or `null` (unknown); a fact left out of the file is unknown too.
//! Unknown is never read as false. Dates are `YYYY-MM-DD`. `person.age_at_first_act` may stand in
//! for a date of birth. Errors name the field's path and the rule it broke, never the value (a
//! value may be personal data, SECURITY.md P5), and never a key the format does not know (a key
//! can carry personal data too).

use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use time::{Date, Month};

use super::facts_json::{Json, date, flag, known_key, object, once, years};
use crate::client::age_on;

/// Index of a fact in the catalogue ([`FACT_PATHS`]); also its bit in a fact set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct FactKey(u8);

pub(crate) const DATE_OF_BIRTH: FactKey = FactKey(0);
pub(crate) const AGE_AT_FIRST_ACT: FactKey = FactKey(1);
pub(crate) const PERIOD_FROM: FactKey = FactKey(2);
pub(crate) const PERIOD_TO: FactKey = FactKey(3);
/// The first yes/no fact; every key from here on is a yes/no fact.
const FIRST_FLAG: usize = 4;
const FLAG_COUNT: usize = FACT_PATHS.len() - FIRST_FLAG;

const PERSON: &[&str] = &["date_of_birth", "age_at_first_act"];
const PERIOD: &[&str] = &["from", "to"];
const ACTIONS: &[&str] = &[
    "recruitment",
    "harboring",
    "transportation",
    "provision",
    "obtaining",
    "patronizing",
    "soliciting",
    "advertising",
    "maintaining",
    "enticement",
    "transfer",
    "receipt",
    "inducement",
    "deprivation_of_liberty",
];
const MEANS: &[&str] = &[
    "force",
    "physical_restraint",
    "fraud",
    "deception",
    "threat_of_serious_harm",
    "scheme_to_cause_fear_of_harm",
    "abuse_of_legal_process",
    "debt_bondage",
    "withholding_documents",
    "drugs_to_impair",
    "abduction",
    "abuse_of_power_or_vulnerability",
    "payment_to_person_in_control",
    "fear_duress_or_menace",
];
const PURPOSE: &[&str] = &[
    "sex_act",
    "anything_of_value_given_or_received",
    "labor_or_services",
    "involuntary_servitude_peonage_debt_bondage_or_slavery",
    "sexual_images_or_performance",
    "extortion",
    "removal_of_organs",
];
const TOP: &[&str] = &[
    "person",
    "period",
    "actions",
    "means",
    "purpose",
    "caregiver_failed_to_protect",
];

/// Every fact in the facts file, by its path, in a fixed order (the order of `missing_facts`).
pub const FACT_PATHS: [&str; 40] = [
    "person.date_of_birth",
    "person.age_at_first_act",
    "period.from",
    "period.to",
    "actions.recruitment",
    "actions.harboring",
    "actions.transportation",
    "actions.provision",
    "actions.obtaining",
    "actions.patronizing",
    "actions.soliciting",
    "actions.advertising",
    "actions.maintaining",
    "actions.enticement",
    "actions.transfer",
    "actions.receipt",
    "actions.inducement",
    "actions.deprivation_of_liberty",
    "means.force",
    "means.physical_restraint",
    "means.fraud",
    "means.deception",
    "means.threat_of_serious_harm",
    "means.scheme_to_cause_fear_of_harm",
    "means.abuse_of_legal_process",
    "means.debt_bondage",
    "means.withholding_documents",
    "means.drugs_to_impair",
    "means.abduction",
    "means.abuse_of_power_or_vulnerability",
    "means.payment_to_person_in_control",
    "means.fear_duress_or_menace",
    "purpose.sex_act",
    "purpose.anything_of_value_given_or_received",
    "purpose.labor_or_services",
    "purpose.involuntary_servitude_peonage_debt_bondage_or_slavery",
    "purpose.sexual_images_or_performance",
    "purpose.extortion",
    "purpose.removal_of_organs",
    "caregiver_failed_to_protect",
];

/// The oldest age the file accepts for `person.age_at_first_act`.
pub(super) const MAX_AGE: u64 = 130;

impl FactKey {
    pub(crate) fn path(self) -> &'static str {
        FACT_PATHS[usize::from(self.0)]
    }

    pub(crate) const fn bit(self) -> u64 {
        1u64 << self.0
    }

    /// The yes/no fact at `path`, if there is one (dates and the age are not yes/no facts).
    pub(crate) fn flag(path: &str) -> Option<FactKey> {
        FACT_PATHS
            .iter()
            .position(|p| *p == path)
            .filter(|i| *i >= FIRST_FLAG)
            .and_then(|i| u8::try_from(i).ok())
            .map(FactKey)
    }

    pub(crate) fn from_bit_index(index: u32) -> Option<FactKey> {
        usize::try_from(index)
            .ok()
            .filter(|i| *i < FACT_PATHS.len())
            .and_then(|i| u8::try_from(i).ok())
            .map(FactKey)
    }
}

/// The paths of the facts in a set, in catalogue order.
pub(crate) fn paths_of(set: u64) -> Vec<&'static str> {
    keys_of(set).map(FactKey::path).collect()
}

pub(crate) fn keys_of(set: u64) -> impl Iterator<Item = FactKey> {
    let mut rest = set;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let index = rest.trailing_zeros();
        rest &= rest - 1;
        FactKey::from_bit_index(index)
    })
}

/// The value of one fact, as recorded: `None` inside means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactValue {
    Flag(Option<bool>),
    Date(Option<Date>),
    Years(Option<u8>),
}

impl FactValue {
    /// Whether a value was recorded (`false` for unknown).
    pub const fn is_known(self) -> bool {
        !matches!(
            self,
            FactValue::Flag(None) | FactValue::Date(None) | FactValue::Years(None)
        )
    }
}

impl Serialize for FactValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            FactValue::Flag(Some(value)) => serializer.serialize_bool(value),
            FactValue::Date(Some(date)) => serializer.collect_str(&IsoDate(date)),
            FactValue::Years(Some(years)) => serializer.serialize_u8(years),
            FactValue::Flag(None) | FactValue::Date(None) | FactValue::Years(None) => {
                serializer.serialize_none()
            }
        }
    }
}

/// A date written `YYYY-MM-DD`.
pub(crate) struct IsoDate(pub(crate) Date);

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

/// The recorded facts about one person's situation. `Debug` prints no values: they are personal.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    flags: [Option<bool>; FLAG_COUNT],
    date_of_birth: Option<Date>,
    age_at_first_act: Option<u8>,
    period_from: Option<Date>,
    period_to: Option<Date>,
}

impl Default for Facts {
    fn default() -> Self {
        Self::unknown()
    }
}

impl fmt::Debug for Facts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known = FACT_PATHS
            .iter()
            .filter(|path| self.value(path).is_some_and(FactValue::is_known))
            .count();
        f.debug_struct("Facts")
            .field("known", &known)
            .field("unknown", &(FACT_PATHS.len() - known))
            .finish()
    }
}

impl Facts {
    /// Facts with nothing known.
    pub const fn unknown() -> Self {
        Self {
            flags: [None; FLAG_COUNT],
            date_of_birth: None,
            age_at_first_act: None,
            period_from: None,
            period_to: None,
        }
    }

    /// Parse a facts file (JSON). Strict: unknown fields, wrong types, bad or impossible dates and
    /// dates that contradict each other are errors that name the field.
    pub fn parse_json(text: &str) -> Result<Self, FactsError> {
        let root: Json = serde_json::from_str(text).map_err(|err| FactsError::Syntax {
            line: err.line(),
            column: err.column(),
        })?;
        let mut facts = Facts::unknown();
        let entries = object(root, "(top level)")?;
        let mut seen = 0u32;
        for (key, value) in entries {
            let index = known_key(&key, TOP, "(top level)")?;
            seen = once(seen, index, TOP_PATHS[index])?;
            match index {
                0 => facts.read_person(value)?,
                1 => facts.read_period(value)?,
                2 => facts.read_flags(value, "actions", ACTIONS, ACTION_PATHS)?,
                3 => facts.read_flags(value, "means", MEANS, MEANS_PATHS)?,
                4 => facts.read_flags(value, "purpose", PURPOSE, PURPOSE_PATHS)?,
                _ => {
                    let path = "caregiver_failed_to_protect";
                    facts.set_flag_at(path, flag(value, path)?);
                }
            }
        }
        facts.check_dates()?;
        Ok(facts)
    }

    /// Facts from values by path, as a form gives them, checked like a facts file, with every
    /// problem found (not only the first): a value of the wrong kind for its path, an impossible
    /// age, and each pair of dates (or the age) that contradict each other, each naming its fact.
    pub fn from_values(
        values: impl IntoIterator<Item = (&'static str, FactValue)>,
    ) -> Result<Self, Vec<FactsError>> {
        let mut facts = Facts::unknown();
        let mut problems = Vec::new();
        for (path, value) in values {
            match (FACT_PATHS.iter().position(|p| *p == path), value) {
                (Some(0), FactValue::Date(date)) => facts.date_of_birth = date,
                (Some(1), FactValue::Years(years)) => {
                    if years.is_some_and(|y| u64::from(y) > MAX_AGE) {
                        problems.push(FactsError::field(path, "is not a possible age"));
                    } else {
                        facts.age_at_first_act = years;
                    }
                }
                (Some(2), FactValue::Date(date)) => facts.period_from = date,
                (Some(3), FactValue::Date(date)) => facts.period_to = date,
                (Some(i), FactValue::Flag(flag)) if i >= FIRST_FLAG => {
                    facts.set_flag_at(path, flag)
                }
                (Some(_), _) => {
                    problems.push(FactsError::field(path, "has the wrong kind of value"));
                }
                (None, _) => problems.push(FactsError::field(
                    "(top level)",
                    "names a fact this format does not know",
                )),
            }
        }
        problems.extend(facts.clashes().into_iter().map(FactsError::Clash));
        if problems.is_empty() {
            Ok(facts)
        } else {
            Err(problems)
        }
    }

    /// These facts with the date of birth the client record gives. A date or an age recorded
    /// before that contradicts it is left unknown, and named: the record decides, and a value
    /// carried over never makes a clash the worker did not type.
    pub fn with_date_of_birth(mut self, born: Date) -> (Facts, Vec<&'static str>) {
        self.date_of_birth = Some(born);
        let mut left_out = Vec::new();
        for clash in self.clashes() {
            let path = match clash {
                Clash::BornAfterItStarted => self.period_from.take().map(|_| PERIOD_FROM),
                Clash::BornAfterItEnded => self.period_to.take().map(|_| PERIOD_TO),
                Clash::AgeDisagrees => self.age_at_first_act.take().map(|_| AGE_AT_FIRST_ACT),
                // Not about the date of birth: these facts had no such clash before.
                Clash::EndsBeforeItStarts => None,
            };
            left_out.extend(path.map(FactKey::path));
        }
        (self, left_out)
    }

    /// Every fact with its value, in catalogue order.
    pub fn values(&self) -> impl Iterator<Item = (&'static str, FactValue)> + '_ {
        FACT_PATHS
            .iter()
            .zip(0u8..)
            .map(|(path, index)| (*path, self.value_at(FactKey(index))))
    }

    /// The value recorded at `path` (`None` when no fact has that path).
    pub fn value(&self, path: &str) -> Option<FactValue> {
        let index = FACT_PATHS.iter().position(|p| *p == path)?;
        Some(self.value_at(FactKey(u8::try_from(index).ok()?)))
    }

    pub(crate) fn value_at(&self, key: FactKey) -> FactValue {
        match key {
            DATE_OF_BIRTH => FactValue::Date(self.date_of_birth),
            AGE_AT_FIRST_ACT => FactValue::Years(self.age_at_first_act),
            PERIOD_FROM => FactValue::Date(self.period_from),
            PERIOD_TO => FactValue::Date(self.period_to),
            FactKey(index) => FactValue::Flag(self.flag_at(FactKey(index))),
        }
    }

    pub(crate) fn flag_at(&self, key: FactKey) -> Option<bool> {
        usize::from(key.0)
            .checked_sub(FIRST_FLAG)
            .and_then(|i| self.flags.get(i).copied())
            .flatten()
    }

    fn set_flag_at(&mut self, path: &str, value: Option<bool>) {
        if let Some(slot) = FACT_PATHS
            .iter()
            .position(|p| *p == path)
            .and_then(|i| i.checked_sub(FIRST_FLAG))
            .and_then(|i| self.flags.get_mut(i))
        {
            *slot = value;
        }
    }

    /// The first day of the acts (`period.from`), if known.
    pub fn period_from(&self) -> Option<Date> {
        self.period_from
    }

    /// Whether the person had not yet turned 18 on the day of the earliest act (`period.from`).
    /// Judged from the date of birth when both dates are known, else from
    /// `person.age_at_first_act`; `None` when neither tells.
    pub fn minor_at_first_act(&self) -> Option<bool> {
        match (self.date_of_birth, self.period_from) {
            (Some(born), Some(first)) => Some(age_on(born, first) < 18),
            _ => self.age_at_first_act.map(|years| years < 18),
        }
    }

    /// The facts that would decide [`Facts::minor_at_first_act`] when it is unknown.
    pub(crate) fn age_missing(&self) -> u64 {
        if self.minor_at_first_act().is_some() {
            return 0;
        }
        let mut missing = 0;
        if self.date_of_birth.is_none() {
            missing |= DATE_OF_BIRTH.bit();
        }
        if self.period_from.is_none() {
            missing |= PERIOD_FROM.bit();
        }
        missing
    }

    fn read_person(&mut self, value: Json) -> Result<(), FactsError> {
        let mut seen = 0u32;
        for (key, value) in object(value, "person")? {
            let index = known_key(&key, PERSON, "person")?;
            seen = once(seen, index, PERSON_PATHS[index])?;
            if index == 0 {
                self.date_of_birth = date(value, "person.date_of_birth")?;
            } else {
                self.age_at_first_act = years(value, "person.age_at_first_act")?;
            }
        }
        Ok(())
    }

    fn read_period(&mut self, value: Json) -> Result<(), FactsError> {
        let mut seen = 0u32;
        for (key, value) in object(value, "period")? {
            let index = known_key(&key, PERIOD, "period")?;
            seen = once(seen, index, PERIOD_PATHS[index])?;
            if index == 0 {
                self.period_from = date(value, "period.from")?;
            } else {
                self.period_to = date(value, "period.to")?;
            }
        }
        Ok(())
    }

    fn read_flags(
        &mut self,
        value: Json,
        section: &'static str,
        names: &[&str],
        paths: &[&'static str],
    ) -> Result<(), FactsError> {
        let mut seen = 0u32;
        for (key, value) in object(value, section)? {
            let index = known_key(&key, names, section)?;
            let path = paths[index];
            seen = once(seen, index, path)?;
            self.set_flag_at(path, flag(value, path)?);
        }
        Ok(())
    }

    fn check_dates(&self) -> Result<(), FactsError> {
        match self.clashes().first() {
            Some(clash) => Err(FactsError::Clash(*clash)),
            None => Ok(()),
        }
    }

    /// Every clash among the dates and the age, in a fixed order.
    pub fn clashes(&self) -> Vec<Clash> {
        let mut clashes = Vec::new();
        if let (Some(from), Some(to)) = (self.period_from, self.period_to)
            && to < from
        {
            clashes.push(Clash::EndsBeforeItStarts);
        }
        if let (Some(born), Some(from)) = (self.date_of_birth, self.period_from) {
            if born > from {
                clashes.push(Clash::BornAfterItStarted);
            } else if self
                .age_at_first_act
                .is_some_and(|years| age_on(born, from) != i32::from(years))
            {
                clashes.push(Clash::AgeDisagrees);
            }
        }
        if let (Some(born), Some(to)) = (self.date_of_birth, self.period_to)
            && born > to
        {
            clashes.push(Clash::BornAfterItEnded);
        }
        clashes
    }
}

/// Dates, or an age, that cannot all be true at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// `period.to` is before `period.from`.
    EndsBeforeItStarts,
    /// `person.date_of_birth` is after `period.from`.
    BornAfterItStarted,
    /// `person.age_at_first_act` does not agree with `person.date_of_birth` and `period.from`.
    AgeDisagrees,
    /// `person.date_of_birth` is after `period.to`.
    BornAfterItEnded,
}

impl Clash {
    /// The fact the clash is reported at.
    pub const fn path(self) -> &'static str {
        match self {
            Clash::EndsBeforeItStarts => "period.to",
            Clash::BornAfterItStarted | Clash::BornAfterItEnded => "person.date_of_birth",
            Clash::AgeDisagrees => "person.age_at_first_act",
        }
    }

    /// What is wrong, as the facts file's errors say it.
    const fn problem(self) -> &'static str {
        match self {
            Clash::EndsBeforeItStarts => "is before period.from",
            Clash::BornAfterItStarted => "is after period.from",
            Clash::AgeDisagrees => "does not agree with person.date_of_birth and period.from",
            Clash::BornAfterItEnded => "is after period.to",
        }
    }
}

/// Writes the facts back as a complete facts file (every field present, unknown as `null`).
impl Serialize for Facts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Section<'a>(&'a Facts, &'static [&'static str]);
        impl Serialize for Section<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.1.len()))?;
                for path in self.1 {
                    let name = path.rsplit('.').next().unwrap_or(path);
                    map.serialize_entry(name, &self.0.value(path))?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(TOP.len()))?;
        map.serialize_entry("person", &Section(self, PERSON_PATHS))?;
        map.serialize_entry("period", &Section(self, PERIOD_PATHS))?;
        map.serialize_entry("actions", &Section(self, ACTION_PATHS))?;
        map.serialize_entry("means", &Section(self, MEANS_PATHS))?;
        map.serialize_entry("purpose", &Section(self, PURPOSE_PATHS))?;
        map.serialize_entry(
            "caregiver_failed_to_protect",
            &self.value("caregiver_failed_to_protect"),
        )?;
        map.end()
    }
}

const TOP_PATHS: &[&str] = TOP;
const PERSON_PATHS: &[&str] = &["person.date_of_birth", "person.age_at_first_act"];
const PERIOD_PATHS: &[&str] = &["period.from", "period.to"];
const ACTION_PATHS: &[&str] = sub(4, 18);
const MEANS_PATHS: &[&str] = sub(18, 32);
const PURPOSE_PATHS: &[&str] = sub(32, 39);

const fn sub(from: usize, to: usize) -> &'static [&'static str] {
    let (_, tail) = FACT_PATHS.split_at(from);
    let (mid, _) = tail.split_at(to - from);
    mid
}

/// A facts file that could not be read. The message names the field and the rule, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactsError {
    #[error("the facts file is not valid JSON (line {line}, column {column})")]
    Syntax { line: usize, column: usize },
    #[error("{path}: {problem}")]
    Field { path: &'static str, problem: String },
    #[error("{}: {}", .0.path(), .0.problem())]
    Clash(Clash),
}

impl FactsError {
    pub(super) fn field(path: &'static str, problem: &str) -> Self {
        FactsError::Field {
            path,
            problem: problem.to_owned(),
        }
    }

    /// The path of the field at fault, when the file was valid JSON.
    pub fn path(&self) -> Option<&'static str> {
        match self {
            FactsError::Syntax { .. } => None,
            FactsError::Field { path, .. } => Some(path),
            FactsError::Clash(clash) => Some(clash.path()),
        }
    }
}

/// `YYYY-MM-DD`, exactly, and a day that exists.
pub fn parse_iso_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = bytes.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |acc, d| Some(acc * 10 + u32::from(d - b'0')))
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(digits(5..7)?).ok()?).ok()?;
    let day = u8::try_from(digits(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_line_up_with_the_catalogue() {
        let names = |paths: &[&str], section: &str| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.strip_prefix(section).unwrap_or(p).to_owned())
                .collect()
        };
        assert_eq!(names(ACTION_PATHS, "actions."), ACTIONS);
        assert_eq!(names(MEANS_PATHS, "means."), MEANS);
        assert_eq!(names(PURPOSE_PATHS, "purpose."), PURPOSE);
        assert_eq!(FACT_PATHS[39], "caregiver_failed_to_protect");
    }

    #[test]
    fn dates_are_strict() {
        assert!(parse_iso_date("2008-02-29").is_some());
        assert!(parse_iso_date("2007-02-29").is_none());
        assert!(parse_iso_date("2008-2-29").is_none());
        assert!(parse_iso_date("+008-02-29").is_none());
        assert!(parse_iso_date("2008-02-29T00:00").is_none());
    }

    #[test]
    fn values_from_a_form_are_checked_like_a_file() {
        let born = parse_iso_date("2008-03-02").unwrap();
        let first = parse_iso_date("2023-06-01").unwrap();
        let facts = Facts::from_values([
            ("person.date_of_birth", FactValue::Date(Some(born))),
            ("period.from", FactValue::Date(Some(first))),
            ("means.force", FactValue::Flag(Some(true))),
            ("means.fraud", FactValue::Flag(None)),
        ])
        .unwrap();
        assert_eq!(facts.minor_at_first_act(), Some(true));
        assert_eq!(
            facts.value("means.force"),
            Some(FactValue::Flag(Some(true)))
        );

        let paths = |values: &[(&'static str, FactValue)]| -> Vec<Option<&str>> {
            let problems = Facts::from_values(values.iter().copied()).unwrap_err();
            problems.iter().map(FactsError::path).collect()
        };
        assert_eq!(
            paths(&[("means.force", FactValue::Date(Some(born)))]),
            [Some("means.force")]
        );
        assert_eq!(
            paths(&[("person.age_at_first_act", FactValue::Years(Some(200)))]),
            [Some("person.age_at_first_act")]
        );
        assert_eq!(
            paths(&[
                ("period.from", FactValue::Date(Some(first))),
                ("period.to", FactValue::Date(Some(born))),
            ]),
            [Some("period.to")]
        );
    }

    #[test]
    fn every_problem_of_a_form_is_found_at_once() {
        let date = |text| FactValue::Date(parse_iso_date(text));
        let problems = Facts::from_values([
            ("person.date_of_birth", date("2010-05-01")),
            ("person.age_at_first_act", FactValue::Years(Some(200))),
            ("period.from", date("2023-06-01")),
            ("period.to", date("2009-01-01")),
            ("means.force", date("2023-06-01")),
        ])
        .unwrap_err();
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "person.age_at_first_act: is not a possible age",
                "means.force: has the wrong kind of value",
                "period.to: is before period.from",
                "person.date_of_birth: is after period.to",
            ]
        );
    }

    #[test]
    fn the_date_of_birth_on_the_record_leaves_out_what_contradicts_it() {
        let recorded = Facts::parse_json(
            r#"{"person": {"age_at_first_act": 16}, "period": {"from": "2023-06-01"},
                "actions": {"harboring": true}}"#,
        )
        .unwrap();
        let born = parse_iso_date("2008-03-02").unwrap();
        let (facts, left_out) = recorded.with_date_of_birth(born);
        assert_eq!(left_out, ["person.age_at_first_act"]);
        assert_eq!(
            facts.value("person.age_at_first_act"),
            Some(FactValue::Years(None))
        );
        assert_eq!(facts.minor_at_first_act(), Some(true));
        assert!(facts.clashes().is_empty());
        // An age that fits stays; so does everything else.
        let fits = Facts::parse_json(
            r#"{"person": {"age_at_first_act": 15}, "period": {"from": "2023-06-01"}}"#,
        )
        .unwrap();
        assert_eq!(fits.with_date_of_birth(born).1, Vec::<&str>::new());
        // A start before the birth is left out with whatever depended on it.
        let early =
            Facts::parse_json(r#"{"period": {"from": "2001-01-01", "to": "2002-01-01"}}"#).unwrap();
        let (facts, left_out) = early.with_date_of_birth(born);
        assert_eq!(left_out, ["period.from", "period.to"]);
        assert!(facts.clashes().is_empty());
    }

    #[test]
    fn debug_prints_no_values() {
        let facts = Facts::parse_json(r#"{"person":{"date_of_birth":"2008-03-02"}}"#).unwrap();
        let shown = format!("{facts:?}");
        assert!(!shown.contains("2008"), "{shown}");
    }
}
