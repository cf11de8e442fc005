//! Contact notes: what happened, in the worker's words. Always encrypted at rest.

use crate::InvalidInput;
use crate::text::TextRule;

/// The longest note we accept, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

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
    fn notes_keep_layout_but_not_emptiness() {
        assert_eq!(NoteText::parse(" a\nb ").unwrap().as_str(), "a\nb");
        assert!(NoteText::parse(" \n ").is_err());
        assert!(NoteText::parse(&"n".repeat(MAX_NOTE_CHARS + 1)).is_err());
    }
}
