//! "Ask us to reach you" (content/contact-request.toml): the form near the top of the contact page,
//! and the pages that answer it. What a person types goes, sealed, to the staff queue; it is never
//! put in an address, never logged, and the answer is the same whatever was typed (P5, P7). The
//! answer is a redirect to a plain thank-you page, so the browser's history holds no posted page.

use askama::Template;
use domain::InvalidInput;
use domain::contact_request::RawContactRequest;
use serde::Deserialize;

use super::wording::Wording;

pub const SHIPPED: &str = include_str!("../../../../content/contact-request.toml");

/// Every text the form and its answers use.
const KEYS: &[&str] = &[
    "heading",
    "intro",
    "alias",
    "reach",
    "times",
    "code_word",
    "submit",
    "problem",
    "empty",
    "too_long",
    "unreadable",
    "sent_title",
    "sent",
    "busy",
    "other_site",
];

/// The form's words, loaded and checked.
#[derive(Debug)]
pub struct ContactForm {
    words: Wording,
}

impl ContactForm {
    pub fn parse(text: &str, languages: &[&str]) -> Result<Self, String> {
        let words = Wording::parse("contact-request.toml", text, KEYS, languages)?;
        if !words
            .every_language("sent_title")
            .all(super::content::is_neutral)
        {
            return Err(
                "contact-request.toml: sent_title must stay neutral (browser history keeps it)"
                    .into(),
            );
        }
        Ok(Self { words })
    }

    pub(crate) fn text(&self, key: &str, lang: &str) -> &str {
        self.words.text(key, lang)
    }
}

/// The form as posted. Every field may be missing: the domain decides what is required.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Posted {
    #[serde(default)]
    alias: String,
    #[serde(default)]
    reach: String,
    #[serde(default)]
    times: String,
    #[serde(default)]
    code_word: String,
    /// The challenge the form was shown with, and the page's answer to it (`gate`); both empty
    /// without JavaScript.
    #[serde(default)]
    pub(crate) challenge: String,
    #[serde(default)]
    pub(crate) proof: String,
}

impl Posted {
    pub(crate) fn raw(&self) -> RawContactRequest {
        RawContactRequest {
            alias: self.alias.clone(),
            reach: self.reach.clone(),
            times: self.times.clone(),
            code_word: self.code_word.clone(),
        }
    }
}

struct Field<'a> {
    name: &'static str,
    label: &'a str,
    value: &'a str,
    lines: u32,
    max: usize,
    required: bool,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "contact_form.html")]
struct FormHtml<'a> {
    heading: &'a str,
    intro: String,
    action: &'a str,
    problem: Option<&'a str>,
    fields: Vec<Field<'a>>,
    submit: &'a str,
    challenge: &'a str,
    bits: u32,
}

/// The form's HTML, empty or as posted with the problem beside its field.
pub(crate) fn form_html(
    form: &ContactForm,
    lang: &str,
    action: &str,
    posted: &Posted,
    invalid: Option<&InvalidInput>,
    challenge: &str,
) -> String {
    let t = |key| form.text(key, lang);
    let error = |name: &str| {
        invalid
            .filter(|i| i.field == name)
            .map(|i| match i.problem {
                "must not be empty" => t("empty"),
                "is too long" => t("too_long"),
                _ => t("unreadable"),
            })
    };
    // Limits as in `domain::client`: a name, contact details, safe times, a code word.
    let field = |name, value, lines, max, required| Field {
        name,
        label: t(name),
        value,
        lines,
        max,
        required,
        error: error(name),
    };
    let html = FormHtml {
        heading: t("heading"),
        intro: super::content::render_markdown(t("intro")),
        action,
        problem: invalid.map(|_| t("problem")),
        fields: vec![
            field("alias", &posted.alias, 1, 100, true),
            field("reach", &posted.reach, 3, 2000, true),
            field("times", &posted.times, 2, 1000, false),
            field("code_word", &posted.code_word, 1, 100, false),
        ],
        submit: t("submit"),
        challenge,
        bits: domain::contact_request::PROOF_BITS,
    }
    .render();
    html.unwrap_or_else(|err| {
        tracing::error!(error = %err, "the contact form could not be rendered");
        String::new()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_form_has_every_text_in_every_language() {
        let form = ContactForm::parse(SHIPPED, super::super::content::LANGUAGES).unwrap();
        assert_eq!(form.text("submit", "es"), "Enviar mi pedido");
    }

    #[test]
    fn a_missing_translation_or_a_telling_title_is_refused() {
        let missing = SHIPPED.replace("es = \"Enviar mi pedido\"", "");
        let err = ContactForm::parse(&missing, &["en", "es"]).unwrap_err();
        assert!(err.contains("text.submit has no es version"), "{err}");
        let telling = SHIPPED.replace("en = \"Thank you\"", "en = \"Trafficking help\"");
        assert!(ContactForm::parse(&telling, &["en", "es"]).is_err());
    }

    #[test]
    fn what_was_typed_stays_in_the_form_with_the_problem_beside_it() {
        let form = ContactForm::parse(SHIPPED, &["en", "es"]).unwrap();
        let posted = Posted {
            alias: "Sky <b>".into(),
            ..Posted::default()
        };
        let invalid = posted.raw().parse().unwrap_err();
        let html = form_html(&form, "en", "/contact", &posted, Some(&invalid), "");
        assert!(html.contains("value=\"Sky &#60;b&#62;\""), "{html}");
        assert!(html.contains("id=\"reach-problem\""));
        assert!(html.contains("aria-invalid=\"true\""));
    }
}
