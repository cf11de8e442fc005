//! The anonymous self-check ("Is my situation safe?", content/self-check.toml). Answers arrive in
//! a POST body, are counted, and are gone: never in a URL, never stored, never logged. The result
//! is gentle, never a verdict, and always ends with ways to get help.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A text in every language, keyed by language code.
type Texts = BTreeMap<String, String>;

// Fields of the file that only editors read (version, notes, the rules in words) are not read here.
#[derive(Debug, Deserialize)]
struct Meta {
    slug: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Choice {
    pub id: String,
    #[serde(flatten)]
    pub label: Texts,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Question {
    pub id: String,
    pub group: String,
    #[serde(flatten)]
    pub label: Texts,
}

#[derive(Debug, Deserialize)]
struct Outcome {
    id: String,
    #[serde(default)]
    priority: Option<u32>,
    #[serde(default)]
    always: bool,
    #[serde(flatten)]
    text: Texts,
}

#[derive(Debug, Deserialize)]
struct File {
    meta: Meta,
    text: BTreeMap<String, Texts>,
    #[serde(rename = "answer")]
    answers: Vec<Choice>,
    #[serde(rename = "question")]
    questions: Vec<Question>,
    #[serde(rename = "result")]
    results: Vec<Outcome>,
}

/// The self-check, loaded and checked.
#[derive(Debug)]
pub struct SelfCheck {
    pub(crate) slug: String,
    text: BTreeMap<String, Texts>,
    pub(crate) answers: Vec<Choice>,
    pub(crate) questions: Vec<Question>,
    results: Vec<Outcome>,
}

/// The result ids the rules below decide between, in priority order.
const RULES: &[&str] = &[
    "young-person",
    "several-signs",
    "some-signs",
    "mostly-private",
    "few-signs",
];
const ANSWERS: &[&str] = &["yes", "no", "not-sure", "rather-not-say"];
const GROUPS: &[&str] = &["action", "means", "purpose", "age"];

pub const SHIPPED: &str = include_str!("../../../../content/self-check.toml");

impl SelfCheck {
    pub fn parse(text: &str, languages: &[&str]) -> Result<Self, String> {
        let file: File =
            toml::from_str(text).map_err(|e| format!("self-check.toml: {}", e.message()))?;
        let answer_ids: Vec<&str> = file.answers.iter().map(|a| a.id.as_str()).collect();
        if answer_ids != ANSWERS {
            return Err(format!(
                "self-check.toml: the answers must be {}",
                ANSWERS.join(", ")
            ));
        }
        if let Some(q) = file
            .questions
            .iter()
            .find(|q| !GROUPS.contains(&q.group.as_str()))
        {
            return Err(format!(
                "self-check.toml: question {} has an unknown group",
                q.id
            ));
        }
        if !file.questions.iter().any(|q| q.id == "under-18") {
            return Err("self-check.toml: the rules need the question \"under-18\"".into());
        }
        let mut ranked: Vec<&Outcome> = file.results.iter().filter(|r| !r.always).collect();
        ranked.sort_by_key(|r| r.priority);
        if ranked.iter().map(|r| r.id.as_str()).collect::<Vec<_>>() != RULES
            || !file.results.iter().any(|r| r.always)
        {
            return Err(format!(
                "self-check.toml: the results must be {} plus one marked always",
                RULES.join(", ")
            ));
        }
        for lang in languages {
            let texts = file
                .text
                .values()
                .chain(file.answers.iter().map(|a| &a.label))
                .chain(file.questions.iter().map(|q| &q.label));
            if texts
                .chain(file.results.iter().map(|r| &r.text))
                .any(|t| !t.contains_key(*lang))
            {
                return Err(format!("self-check.toml: a text has no {lang} version"));
            }
        }
        Ok(Self {
            slug: file.meta.slug,
            text: file.text,
            answers: file.answers,
            questions: file.questions,
            results: file.results,
        })
    }

    pub(crate) fn text(&self, key: &str, lang: &str) -> &str {
        self.text
            .get(key)
            .and_then(|t| t.get(lang))
            .map_or("", String::as_str)
    }

    /// Picks the result for a set of answers (question id to answer id): its number in the
    /// priority order. Only the number leaves this function, never the answers.
    pub(crate) fn pick(&self, answers: &BTreeMap<String, String>) -> u8 {
        let answer = |q: &Question| answers.get(&q.id).map_or("rather-not-say", String::as_str);
        let yes = |group: &str| {
            self.questions
                .iter()
                .filter(|q| q.group == group && answer(q) == "yes")
                .count()
        };
        let not_sure = self
            .questions
            .iter()
            .filter(|q| answer(q) == "not-sure")
            .count();
        let private = self
            .questions
            .iter()
            .filter(|q| answer(q) == "rather-not-say")
            .count();
        let (action, means, purpose, age) =
            (yes("action"), yes("means"), yes("purpose"), yes("age"));
        if age >= 1 && purpose >= 1 {
            0
        } else if (purpose >= 1 && (means >= 1 || action >= 1)) || means >= 2 {
            1
        } else if action + means + purpose >= 1 || not_sure >= 2 {
            2
        } else if private * 2 >= self.questions.len() {
            3
        } else {
            4
        }
    }

    /// The text of result number `picked` (as [`SelfCheck::pick`] gives it), followed by the text
    /// every result ends with; `None` for a number that is no result.
    pub(crate) fn result_text(&self, picked: u8, lang: &str) -> Option<(String, String)> {
        let id = RULES.get(usize::from(picked))?;
        let text_of = |r: Option<&Outcome>| r.and_then(|r| r.text.get(lang)).cloned();
        Some((
            text_of(self.results.iter().find(|r| r.id == *id))?,
            text_of(self.results.iter().find(|r| r.always))?,
        ))
    }

    /// Checks posted answers: only known questions and answers. Says nothing about the values.
    pub(crate) fn read_answers(
        &self,
        posted: &BTreeMap<String, String>,
    ) -> Option<BTreeMap<String, String>> {
        let known = posted.iter().all(|(q, a)| {
            self.questions.iter().any(|question| &question.id == q) && ANSWERS.contains(&a.as_str())
        });
        known.then(|| posted.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check() -> SelfCheck {
        SelfCheck::parse(SHIPPED, &["en", "es"]).unwrap()
    }

    fn result(answers: &[(&str, &str)]) -> String {
        let check = check();
        let map = answers
            .iter()
            .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
            .collect();
        let (chosen, always) = check.result_text(check.pick(&map), "en").unwrap();
        assert!(
            always.contains("tel:") || always.contains("888"),
            "help always follows"
        );
        chosen
    }

    #[test]
    fn the_rules_pick_gentle_results_in_priority_order() {
        let first_line = |r: String| r.lines().next().unwrap_or_default().to_owned();
        let young = first_line(result(&[("under-18", "yes"), ("sex-for-things", "yes")]));
        let several = first_line(result(&[("sex-for-things", "yes"), ("takes-money", "yes")]));
        let some = first_line(result(&[("promises", "yes")]));
        let private = first_line(result(&[]));
        let few = first_line(result(&[
            ("place-to-stay", "no"),
            ("sets-up", "no"),
            ("promises", "no"),
            ("owe-money", "no"),
            ("takes-money", "no"),
            ("keeps-things", "no"),
            ("afraid-to-stop", "no"),
            ("sex-for-things", "no"),
            ("someone-gains", "no"),
            ("under-18", "no"),
        ]));
        let all = [&young, &several, &some, &private, &few];
        for (i, a) in all.iter().enumerate() {
            assert!(!a.is_empty());
            for b in &all[i + 1..] {
                assert_ne!(a, b, "five different results");
            }
        }
        assert_eq!(
            first_line(result(&[("owe-money", "yes"), ("keeps-things", "yes")])),
            several,
            "two means"
        );
        assert_eq!(
            first_line(result(&[
                ("promises", "not-sure"),
                ("owe-money", "not-sure")
            ])),
            some
        );
    }

    #[test]
    fn unknown_questions_or_answers_are_refused() {
        let check = check();
        let mut posted = BTreeMap::new();
        posted.insert("owe-money".to_owned(), "yes".to_owned());
        assert!(check.read_answers(&posted).is_some());
        posted.insert("owe-money".to_owned(), "perhaps".to_owned());
        assert!(check.read_answers(&posted).is_none());
        let mut other = BTreeMap::new();
        other.insert("name".to_owned(), "yes".to_owned());
        assert!(check.read_answers(&other).is_none());
    }
}
