//! A file of words in every language (`content/contact-request.toml`, `content/who-we-serve.toml`):
//! `[text.KEY]` tables, each with one text per language code. Loading checks that every key the
//! server uses has a text in every language, so no page ever shows an empty line.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    text: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug)]
pub(crate) struct Wording {
    text: BTreeMap<String, BTreeMap<String, String>>,
}

impl Wording {
    /// Parses `text`, the file named `file`, which must have each of `keys` in each of
    /// `languages`.
    pub(crate) fn parse(
        file: &str,
        text: &str,
        keys: &[&str],
        languages: &[&str],
    ) -> Result<Wording, String> {
        let parsed: File = toml::from_str(text).map_err(|e| format!("{file}: {}", e.message()))?;
        for key in keys {
            for lang in languages {
                if parsed.text.get(*key).and_then(|t| t.get(*lang)).is_none() {
                    return Err(format!("{file}: text.{key} has no {lang} version"));
                }
            }
        }
        Ok(Wording { text: parsed.text })
    }

    /// The text `key` in `lang`; empty for a key or language the file was not checked for.
    pub(crate) fn text(&self, key: &str, lang: &str) -> &str {
        self.text
            .get(key)
            .and_then(|t| t.get(lang))
            .map_or("", String::as_str)
    }

    /// The text `key` in every language.
    pub(crate) fn every_language(&self, key: &str) -> impl Iterator<Item = &str> {
        self.text
            .get(key)
            .into_iter()
            .flat_map(|t| t.values())
            .map(String::as_str)
    }
}
