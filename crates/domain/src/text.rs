//! Text a person typed: the one rule every free-text field follows, and the same rule written as
//! a regular expression for the OpenAPI document, so that the schema accepts exactly what the
//! server does.
//!
//! The rule: at most `max_chars` characters as sent; no control characters (a field that keeps
//! lines allows line breaks and tabs); not blank. Surrounding whitespace is dropped when stored.
//! An optional field left blank is "not given".

use crate::InvalidInput;

/// What `str::trim` removes (Unicode White_Space), as the body of a regular-expression class.
pub const WHITESPACE: &str =
    r"\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
/// The control characters (Unicode Cc: what `char::is_control` is true for).
const CONTROLS: &str = r"\u0000-\u001F\u007F-\u009F";
/// The control characters but line breaks and tabs.
const CONTROLS_BUT_LINES: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";
/// The whitespace that is not a control character.
const SPACES: &str = r" \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// The rule of one free-text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub field: &'static str,
    pub max_chars: usize,
    /// Line breaks and tabs are allowed (a note, contact details), not only one line.
    pub lines: bool,
}

impl TextRule {
    /// The text, trimmed, if it keeps the rule; else what is wrong (never the text itself).
    pub fn clean(self, raw: &str) -> Result<String, InvalidInput> {
        if raw.chars().count() > self.max_chars {
            return Err(InvalidInput::new(self.field, "is too long"));
        }
        let allowed = |c: char| !c.is_control() || (self.lines && matches!(c, '\n' | '\t' | '\r'));
        if !raw.chars().all(allowed) {
            return Err(InvalidInput::new(self.field, "contains control characters"));
        }
        let text = raw.trim();
        if text.is_empty() {
            return Err(InvalidInput::new(self.field, "must not be empty"));
        }
        Ok(text.to_owned())
    }

    /// `clean` for an optional field: blank (or absent) is `None`, "not given".
    pub fn clean_optional(self, raw: Option<&str>) -> Result<Option<String>, InvalidInput> {
        match raw {
            Some(raw) if raw.chars().count() > self.max_chars => {
                Err(InvalidInput::new(self.field, "is too long"))
            }
            Some(raw) if !raw.trim().is_empty() => self.clean(raw).map(Some),
            _ => Ok(None),
        }
    }

    /// A regular expression (ECMA-262, as JSON Schema reads it) matching exactly the texts
    /// `clean` accepts, or `clean_optional` when `optional`; the length goes in `maxLength`.
    pub fn pattern(self, optional: bool) -> String {
        let controls = if self.lines {
            CONTROLS_BUT_LINES
        } else {
            CONTROLS
        };
        let given = format!("[^{controls}]*[^{CONTROLS}{SPACES}][^{controls}]*");
        if optional {
            format!("^([{WHITESPACE}]*|{given})$")
        } else {
            format!("^{given}$")
        }
    }
}

/// A regular expression (as JSON Schema reads it) matching exactly the real dates from 1900-01-01
/// to `last`, written YYYY-MM-DD, with whitespace around (dates are trimmed); and blank too when
/// `optional` (a blank answer is "not given"). With it the OpenAPI document says what JSON
/// Schema's `format: date` cannot: a date of birth not before 1900 nor in the future
/// (`DateOfBirth::parse`), a case's dates from 1900 to 2100 (`case::parse_case_date`).
pub fn dates_pattern(last: time::Date, optional: bool) -> String {
    let years = |leap: bool| -> String {
        let listed: Vec<String> = (1900..last.year())
            .filter(|y| time::util::is_leap_year(*y) == leap)
            .map(|y| y.to_string())
            .collect();
        listed.join("|")
    };
    const ANY_YEAR: &str =
        "(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31";
    let mut ways = vec![
        format!("({})-({ANY_YEAR})", years(false)),
        format!("({})-({ANY_YEAR}|02-29)", years(true)),
    ];
    // The last year, day by day up to the last day.
    let mut day = time::Date::from_ordinal_date(last.year(), 1).unwrap_or(last);
    let mut days = Vec::new();
    while day <= last {
        days.push(format!("{:02}-{:02}", u8::from(day.month()), day.day()));
        match day.next_day() {
            Some(next) => day = next,
            None => break,
        }
    }
    ways.push(format!("{}-({})", last.year(), days.join("|")));
    let ws = WHITESPACE;
    let date = format!("[{ws}]*({})[{ws}]*", ways.join("|"));
    if optional {
        format!("^([{ws}]*|{date})$")
    } else {
        format!("^{date}$")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts at the edges of the rule: whitespace of every kind, controls, lines.
    const SAMPLES: &[&str] = &[
        "",
        " ",
        "\t",
        "\n",
        "\r\n",
        "\u{85}",
        "\u{a0}",
        "\u{3000}",
        "\u{feff}",
        "\u{180e}",
        "a",
        " a ",
        "a\nb",
        "\na\n",
        "a\tb",
        "a\u{0}b",
        "a\u{7f}",
        "\u{1c}",
        "a\u{1c}",
        "\u{9f}a",
        "a\u{b}b",
        "\u{c}",
        "é",
        "名前",
        "a\u{200b}",
        "\u{2028}a",
        "Rosa Example",
    ];

    #[test]
    fn the_pattern_accepts_exactly_what_cleaning_accepts() {
        for lines in [false, true] {
            let rule = TextRule {
                field: "f",
                max_chars: 100,
                lines,
            };
            for optional in [false, true] {
                let pattern = regex::Regex::new(&rule.pattern(optional)).unwrap();
                for sample in SAMPLES {
                    let cleaned = if optional {
                        rule.clean_optional(Some(sample)).is_ok()
                    } else {
                        rule.clean(sample).is_ok()
                    };
                    assert_eq!(
                        pattern.is_match(sample),
                        cleaned,
                        "{sample:?} lines {lines} optional {optional}"
                    );
                }
            }
        }
    }

    #[test]
    fn length_counts_what_was_sent() {
        let rule = TextRule {
            field: "name",
            max_chars: 4,
            lines: false,
        };
        assert_eq!(rule.clean(" ab ").as_deref(), Ok("ab"));
        assert!(rule.clean(" abc ").is_err(), "five characters sent");
        assert!(
            rule.clean_optional(Some("     ")).is_err(),
            "blank, but too long"
        );
        assert_eq!(rule.clean_optional(Some("    ")), Ok(None));
        assert_eq!(rule.clean_optional(None), Ok(None));
        let err = rule.clean("a\u{0}").unwrap_err();
        assert_eq!(
            (err.field, err.problem),
            ("name", "contains control characters")
        );
    }
}
