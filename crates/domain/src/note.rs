//! Notes: what happened, in the worker's words, always encrypted at rest; each of a kind, so that
//! a worker finds the safety notes or the legal ones among years of them. The kind is coded and
//! says nothing of the person.

use serde::{Deserialize, Serialize};

use crate::InvalidInput;
use crate::client::coded_field;
use crate::text::TextRule;

coded_field!(
    /// What a note is about.
    NoteKind, "kind", "must be one of general, safety, legal, health, housing, supervision",
    {
        General => "general",
        Safety => "safety",
        Legal => "legal",
        Health => "health",
        Housing => "housing",
        Supervision => "supervision",
    },
    default = General
);

impl NoteKind {
    /// What the kind is called on the page.
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::General => "Case note",
            NoteKind::Safety => "Safety",
            NoteKind::Legal => "Legal",
            NoteKind::Health => "Health and well-being",
            NoteKind::Housing => "Housing",
            NoteKind::Supervision => "Supervision",
        }
    }

    /// A kind as typed: blank (or left out) is a case note (`General`).
    pub fn parse_or_default(raw: Option<&str>) -> Result<Self, InvalidInput> {
        match raw.map(str::trim) {
            None | Some("") => Ok(Self::default()),
            Some(code) => Self::parse(code),
        }
    }
}

/// The longest note we accept, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// A note to add: its kind and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub kind: NoteKind,
    pub text: NoteText,
}

/// Words alone make a case note.
impl From<NoteText> for NewNote {
    fn from(text: NoteText) -> Self {
        Self {
            kind: NoteKind::default(),
            text,
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct NoteText(String);

impl NoteText {
    /// What a note takes: its own layout (lines and tabs) is kept; only surrounding blank space
    /// goes.
    pub const RULE: TextRule = TextRule {
        field: "text",
        max_chars: MAX_NOTE_CHARS,
        lines: true,
    };

    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        Self::RULE.clean(raw).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NoteText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NoteText(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_a_case_note_unless_another_kind_is_chosen() {
        assert_eq!(NoteKind::parse_or_default(None), Ok(NoteKind::General));
        assert_eq!(NoteKind::parse_or_default(Some(" ")), Ok(NoteKind::General));
        assert_eq!(
            NoteKind::parse_or_default(Some("safety")),
            Ok(NoteKind::Safety)
        );
        let wrong = NoteKind::parse_or_default(Some("Safety")).unwrap_err();
        assert_eq!(wrong.field, "kind");
    }

    #[test]
    fn notes_keep_layout_but_not_emptiness() {
        assert_eq!(NoteText::parse(" a\nb ").unwrap().as_str(), "a\nb");
        assert!(NoteText::parse(" \n ").is_err());
        assert!(NoteText::parse(&"n".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
