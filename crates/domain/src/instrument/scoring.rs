//! Answers and scoring. "declined" and "unknown" never count as yes or no: when the unanswered
//! items could still change the result it is `incomplete`, otherwise it is decided.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Instrument, Response, Scoring};

/// One answer to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// The person chose not to answer.
    Declined,
    /// Not asked yet, or nobody knows.
    Unknown,
    Choice(String),
    Date(time::Date),
    Text(String),
}

impl Answer {
    fn is_unanswered(&self) -> bool {
        matches!(self, Answer::Declined | Answer::Unknown)
    }

    fn code(&self) -> String {
        match self {
            Answer::Yes => "yes".into(),
            Answer::No => "no".into(),
            Answer::Declined => "declined".into(),
            Answer::Unknown => "unknown".into(),
            Answer::Choice(code) => code.clone(),
            Answer::Date(date) => crate::case::format_date(*date),
            Answer::Text(text) => text.clone(),
        }
    }
}

/// Answers that could not be read. Never repeats what was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AnswersError(pub String);

/// Every item's answer, checked against the instrument; items left out are `Unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, Answer>);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    items: BTreeMap<String, String>,
}

impl Answers {
    /// Reads `{"items": {"ITEM_ID": "yes"|"no"|"declined"|"unknown"|...}}` for `instrument`.
    pub fn parse_json(instrument: &Instrument, json: &str) -> Result<Self, AnswersError> {
        let file: AnswersFile = serde_json::from_str(json).map_err(|err| {
            AnswersError(match err.classify() {
                serde_json::error::Category::Data => {
                    "the answers must look like {\"items\": {\"ITEM_ID\": \"yes\"}}, with text values".to_owned()
                }
                _ => format!("the answers are not valid JSON (line {}, column {})", err.line(), err.column()),
            })
        })?;
        Self::from_codes(instrument, &file.items)
    }

    /// Checks each answer code against its item's response type.
    pub fn from_codes(
        instrument: &Instrument,
        codes: &BTreeMap<String, String>,
    ) -> Result<Self, AnswersError> {
        let mut answers = BTreeMap::new();
        for item in &instrument.items {
            answers.insert(item.id.clone(), Answer::Unknown);
        }
        for (id, raw) in codes {
            let Some(item) = instrument.items.iter().find(|i| &i.id == id) else {
                return Err(AnswersError(format!(
                    "an answer names an item that {} does not have; its items are: {}",
                    instrument.id,
                    instrument
                        .items
                        .iter()
                        .map(|i| i.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            let bad = |what: &str| AnswersError(format!("item {}: {what}", item.id));
            let answer = match (raw.as_str(), &item.response) {
                ("declined", _) => Answer::Declined,
                ("unknown", _) => Answer::Unknown,
                ("yes", Response::YesNo) => Answer::Yes,
                ("no", Response::YesNo) => Answer::No,
                (_, Response::YesNo) => return Err(bad("answer yes, no, declined or unknown")),
                (code, Response::Choice { options }) if options.iter().any(|o| o == code) => {
                    Answer::Choice(code.to_owned())
                }
                (_, Response::Choice { options }) => {
                    return Err(bad(&format!(
                        "answer one of {}, declined or unknown",
                        options.join(", ")
                    )));
                }
                (text, Response::Date) => Answer::Date(
                    crate::case::parse_date("answer", text)
                        .map_err(|_| bad("answer a date written YYYY-MM-DD"))?,
                ),
                (text, Response::Text) => {
                    let text = text.trim();
                    if text.is_empty()
                        || text.chars().count() > 200
                        || text.chars().any(char::is_control)
                    {
                        return Err(bad("answer 1 to 200 characters of plain text"));
                    }
                    Answer::Text(text.to_owned())
                }
            };
            answers.insert(id.clone(), answer);
        }
        Ok(Self(answers))
    }

    pub fn get(&self, item: &str) -> Option<&Answer> {
        self.0.get(item)
    }

    /// The answers as codes, as they are stored.
    pub fn codes(&self) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(id, a)| (id.clone(), a.code()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Positive,
    Negative,
    Incomplete,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Positive => "positive",
            Outcome::Negative => "negative",
            Outcome::Incomplete => "incomplete",
        }
    }
}

/// A scored screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Screening {
    pub instrument: String,
    pub version: String,
    /// Yes answers counted (none for an external result).
    pub score: Option<u32>,
    pub result: Outcome,
    pub recommended_action: String,
    /// Items answered yes: the indicators present.
    pub indicators: Vec<String>,
    /// Items declined or unknown.
    pub unanswered: Vec<String>,
}

impl Instrument {
    /// Scores `answers` (which were checked against this instrument).
    pub fn score(&self, answers: &Answers) -> Screening {
        let ids = |keep: fn(&Answer) -> bool| -> Vec<String> {
            self.items
                .iter()
                .filter(|i| answers.get(&i.id).is_some_and(keep))
                .map(|i| i.id.clone())
                .collect()
        };
        let indicators = ids(|a| *a == Answer::Yes);
        let unanswered = ids(Answer::is_unanswered);
        let yes = u32::try_from(indicators.len()).unwrap_or(u32::MAX);
        let open = u32::try_from(unanswered.len()).unwrap_or(u32::MAX);
        let (score, result) = match &self.scoring {
            Scoring::CountYes { positive_at } => (
                Some(yes),
                decide(yes >= *positive_at, yes + open >= *positive_at),
            ),
            Scoring::Indicators => (Some(yes), decide(yes > 0, open > 0)),
            Scoring::External { item, positive, .. } => {
                let result = match answers.get(item) {
                    Some(Answer::Choice(code)) if positive.contains(code) => Outcome::Positive,
                    Some(Answer::Choice(_)) => Outcome::Negative,
                    _ => Outcome::Incomplete,
                };
                (None, result)
            }
        };
        let recommended_action = match result {
            Outcome::Positive => &self.recommendations.positive,
            Outcome::Negative => &self.recommendations.negative,
            Outcome::Incomplete => &self.recommendations.incomplete,
        };
        Screening {
            instrument: self.id.clone(),
            version: self.version.clone(),
            score,
            result,
            recommended_action: recommended_action.clone(),
            indicators,
            unanswered,
        }
    }
}

/// Positive when `reached`; otherwise incomplete when the unanswered items `could` still reach it.
fn decide(reached: bool, could: bool) -> Outcome {
    match (reached, could) {
        (true, _) => Outcome::Positive,
        (false, true) => Outcome::Incomplete,
        (false, false) => Outcome::Negative,
    }
}
