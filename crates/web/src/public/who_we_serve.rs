//! "Who we serve", on the page "Our work": the figures the server last made
//! (`App::public_figures`, refreshed on a schedule), in the words of
//! `content/who-we-serve.toml`, after the page's opening words. A visit reads only what is in
//! memory: nothing an anonymous visitor does reaches the database.

use askama::Template;
use report::figures::{About, Figures};
use time::Date;

use super::wording::Wording;

pub const SHIPPED: &str = include_str!("../../../../content/who-we-serve.toml");

/// The page the figures are shown on.
pub(crate) const SLUG: &str = "our-work";

/// The texts around the figures; each topic's and each share's key are needed too.
const KEYS: &[&str] = &["served", "counted", "none", "date", "months"];

/// The figures' words, loaded and checked.
#[derive(Debug)]
pub struct FigureWords {
    words: Wording,
}

impl FigureWords {
    pub fn parse(text: &str, languages: &[&str]) -> Result<FigureWords, String> {
        let keys: Vec<&str> = KEYS
            .iter()
            .copied()
            .chain(About::ALL.iter().map(|about| about.key()))
            .chain(About::ALL.iter().flat_map(|about| about.share_keys()))
            .collect();
        let words = Wording::parse("who-we-serve.toml", text, &keys, languages)?;
        for lang in languages {
            if words.text("months", lang).split_whitespace().count() != 12 {
                return Err(format!(
                    "who-we-serve.toml: text.months must name twelve months in {lang}"
                ));
            }
        }
        Ok(FigureWords { words })
    }

    /// The figures in `lang`, or the words that say there are none yet.
    pub(crate) fn html(&self, figures: Option<&Figures>, lang: &str) -> String {
        let text = |key: &str| self.words.text(key, lang);
        let view = match figures {
            None => FiguresView {
                served: super::content::render_markdown(text("none")),
                topics: Vec::new(),
                counted: "",
            },
            Some(figures) => FiguresView {
                served: super::content::render_markdown(
                    &text("served")
                        .replace("{people}", &figures.people.to_string())
                        .replace("{from}", &self.day(figures.from, lang))
                        .replace("{to}", &self.day(figures.to, lang)),
                ),
                topics: figures
                    .topics
                    .iter()
                    .map(|topic| TopicView {
                        heading: text(topic.about.key()),
                        lines: topic
                            .shares
                            .iter()
                            .map(|share| {
                                text(share.key).replace("{percent}", &share.percent.to_string())
                            })
                            .collect(),
                    })
                    .collect(),
                counted: text("counted"),
            },
        };
        view.render().unwrap_or_else(|err| {
            tracing::error!(error = %err, "the public figures could not be rendered");
            String::new()
        })
    }

    /// `day` as the language writes it ("October 1, 2025", "1 de octubre de 2025").
    fn day(&self, day: Date, lang: &str) -> String {
        let month = self
            .words
            .text("months", lang)
            .split_whitespace()
            .nth(usize::from(u8::from(day.month())) - 1)
            .unwrap_or_default();
        self.words
            .text("date", lang)
            .replace("{day}", &day.day().to_string())
            .replace("{month}", month)
            .replace("{year}", &day.year().to_string())
    }
}

#[derive(Template)]
#[template(path = "who_we_serve.html")]
struct FiguresView<'a> {
    /// The opening sentence (Markdown rendered), or the words for no figures.
    served: String,
    topics: Vec<TopicView<'a>>,
    /// How a person was counted; empty with no figures.
    counted: &'a str,
}

struct TopicView<'a> {
    heading: &'a str,
    lines: Vec<String>,
}

#[cfg(test)]
mod tests {
    use report::figures::{Share, Topic};
    use time::macros::date;

    use super::*;

    fn words() -> FigureWords {
        FigureWords::parse(SHIPPED, super::super::content::LANGUAGES).unwrap()
    }

    fn figures() -> Figures {
        Figures {
            from: date!(2025 - 10 - 01),
            to: date!(2026 - 09 - 30),
            people: 45,
            topics: vec![Topic {
                about: About::Age,
                shares: vec![Share {
                    key: "minor",
                    percent: 42,
                }],
            }],
        }
    }

    #[test]
    fn the_shipped_words_have_every_figure_in_every_language() {
        words();
    }

    #[test]
    fn figures_are_put_into_each_language() {
        let english = words().html(Some(&figures()), "en");
        assert!(english.contains("October 1, 2025"), "{english}");
        assert!(english.contains("September 30, 2026"), "{english}");
        assert!(english.contains("<strong>45 people</strong>"), "{english}");
        assert!(
            english.contains("42% were young people under 18."),
            "{english}"
        );
        let spanish = words().html(Some(&figures()), "es");
        assert!(spanish.contains("1 de octubre de 2025"), "{spanish}");
        assert!(
            spanish.contains("<strong>45 personas</strong>"),
            "{spanish}"
        );
        assert!(spanish.contains("El 42 % eran jóvenes"), "{spanish}");
    }

    #[test]
    fn without_figures_the_page_says_why() {
        let html = words().html(None, "en");
        assert!(html.contains("enough people"), "{html}");
        assert!(!html.contains("<h2"), "{html}");
    }

    #[test]
    fn a_missing_text_is_refused_when_the_words_load() {
        let without_minor = SHIPPED.replace("[text.minor]", "[text.not-a-key]");
        let err = FigureWords::parse(&without_minor, &["en", "es"]).unwrap_err();
        assert!(err.contains("text.minor"), "{err}");
    }
}
