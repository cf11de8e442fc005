//! Contact notes: what happened, in the worker's words. Always encrypted at rest.

use crate::InvalidInput;

/// The longest note we accept, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

#[derive(Clone, PartialEq, Eq)]
pub struct NoteText(String);

impl NoteText {
    pub fn parse(raw: &str) -> Result<Self, InvalidInput> {
        // Notes keep their own layout; only surrounding blank space goes.
        let text = raw.trim();
        if text.is_empty() {
            return Err(InvalidInput::new("text", "must not be empty"));
        }
        if text.chars().count() > MAX_NOTE_CHARS {
            return Err(InvalidInput::new(
                "text",
                "is too long (at most 20,000 characters)",
            ));
        }
        if text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(InvalidInput::new("text", "contains control characters"));
        }
        Ok(Self(text.to_owned()))
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
