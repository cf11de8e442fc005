//! The instrument file format and its checks.

use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A definition that could not be loaded: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct InstrumentError {
    pub file: String,
    pub line: usize,
    pub problem: String,
}

impl InstrumentError {
    pub fn new(file: &str, line: usize, problem: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            line,
            problem: problem.into(),
        }
    }
}

/// How an item is answered. Every item also accepts "declined" and "unknown".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Response {
    YesNo,
    /// One of a fixed list of codes.
    Choice {
        options: Vec<String>,
    },
    /// A date written YYYY-MM-DD.
    Date,
    /// A short free text (at most 200 characters).
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: String,
    /// The question as we put it, in plain words.
    pub text: String,
    pub response: Response,
}

/// How answers become a result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Scoring {
    /// One point per "yes"; `positive_at` or more is positive.
    CountYes { positive_at: u32 },
    /// Reports which indicators are present, with no validated cut-off: any indicator present
    /// means "look further".
    Indicators,
    /// The result of an external (licensed) tool, recorded without its items: the answer to
    /// `item` is positive when it is one of `positive`, negative when one of `negative`.
    External {
        item: String,
        positive: Vec<String>,
        negative: Vec<String>,
    },
}

/// A published study of the instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Study {
    pub citation: String,
    pub participants: Option<u32>,
    pub sensitivity: Option<f64>,
    pub specificity: Option<f64>,
    pub note: Option<String>,
}

/// What each result means and recommends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recommendations {
    pub positive: String,
    pub negative: String,
    pub incomplete: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instrument {
    pub id: String,
    pub version: String,
    pub title: String,
    /// Which published instrument this follows, and that our wording is our own.
    pub follows: String,
    pub population: String,
    pub setting: String,
    pub licence: String,
    pub validated: bool,
    pub studies: Vec<Study>,
    pub scoring: Scoring,
    pub recommendations: Recommendations,
    pub items: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileItem {
    id: Spanned<String>,
    text: String,
    response: Response,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    id: Spanned<String>,
    version: String,
    title: String,
    follows: String,
    population: String,
    setting: String,
    licence: String,
    validated: bool,
    #[serde(default, rename = "study")]
    studies: Vec<Study>,
    scoring: Spanned<Scoring>,
    recommendations: Recommendations,
    #[serde(rename = "item")]
    items: Vec<FileItem>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

impl Instrument {
    /// Parses and checks one instrument file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self, InstrumentError> {
        let raw: File = toml::from_str(text).map_err(|err| {
            let line = err.span().map_or(1, |span| line_of(text, span.start));
            InstrumentError::new(file, line, err.message().trim().to_owned())
        })?;
        let at = |span: std::ops::Range<usize>| line_of(text, span.start);
        let fail = |span: std::ops::Range<usize>, problem: &str| {
            Err(InstrumentError::new(file, at(span), problem))
        };

        if !is_code(raw.id.get_ref()) {
            return fail(
                raw.id.span(),
                "the id must be lower-case letters, digits and dashes",
            );
        }
        if raw.items.is_empty() {
            return Err(InstrumentError::new(
                file,
                1,
                "an instrument needs at least one [[item]]",
            ));
        }
        let mut items: Vec<Item> = Vec::with_capacity(raw.items.len());
        for item in raw.items {
            let id = item.id.get_ref();
            if !is_code(id) {
                return fail(
                    item.id.span(),
                    "an item id must be lower-case letters, digits and dashes",
                );
            }
            if items.iter().any(|i| &i.id == id) {
                return fail(item.id.span(), "two items have the same id");
            }
            if let Response::Choice { options } = &item.response {
                let reserved = options.iter().any(|o| o == "declined" || o == "unknown");
                if options.len() < 2 || options.iter().any(|o| !is_code(o)) || reserved {
                    return fail(
                        item.id.span(),
                        "a choice needs two or more option codes, none of them 'declined' or 'unknown'",
                    );
                }
            }
            items.push(Item {
                id: id.clone(),
                text: item.text.trim().to_owned(),
                response: item.response,
            });
        }
        let scoring_span = raw.scoring.span();
        let scoring = raw.scoring.into_inner();
        match &scoring {
            Scoring::CountYes { positive_at } => {
                if !items.iter().all(|i| i.response == Response::YesNo) {
                    return fail(
                        scoring_span,
                        "count-yes scoring needs every item to be yes-no",
                    );
                }
                if *positive_at == 0 || *positive_at as usize > items.len() {
                    return fail(
                        scoring_span,
                        "positive_at must be between 1 and the number of items",
                    );
                }
            }
            Scoring::Indicators => {
                if !items.iter().all(|i| i.response == Response::YesNo) {
                    return fail(
                        scoring_span,
                        "indicator scoring needs every item to be yes-no",
                    );
                }
            }
            Scoring::External {
                item,
                positive,
                negative,
            } => {
                let Some(Response::Choice { options }) =
                    items.iter().find(|i| &i.id == item).map(|i| &i.response)
                else {
                    return fail(scoring_span, "external scoring must name a choice item");
                };
                let mut covered: Vec<&String> = positive.iter().chain(negative).collect();
                covered.sort();
                let mut all: Vec<&String> = options.iter().collect();
                all.sort();
                if covered != all {
                    return fail(
                        scoring_span,
                        "positive and negative must between them list every option once",
                    );
                }
            }
        }
        Ok(Self {
            id: raw.id.into_inner(),
            version: raw.version,
            title: raw.title,
            follows: raw.follows,
            population: raw.population,
            setting: raw.setting,
            licence: raw.licence,
            validated: raw.validated,
            studies: raw.studies,
            scoring,
            recommendations: raw.recommendations,
            items,
        })
    }
}
