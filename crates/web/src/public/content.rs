//! The public pages' content: one Markdown file per page and language, with TOML front matter
//! (content/README.md). Parsed once at start-up; a page that breaks a safety rule (a sensitive
//! word in its slug or title, raw HTML, a missing translation) stops the start with a message.

use std::collections::BTreeMap;

use pulldown_cmark::{Event, Options, Parser, html};
use serde::Deserialize;

/// The languages the site is written in; the first is the default, served at `/`.
pub const LANGUAGES: &[&str] = &["en", "es"];

/// The heading of a page's citations, per language (content/README.md, "Cited"). The section it
/// starts, at the end of a page, is shown as one line in small print.
pub(crate) fn sources_label(lang: &str) -> &'static str {
    match lang {
        "es" => "Fuentes",
        _ => "Sources",
    }
}

/// A Markdown list of citations as one line in small print: "Sources: one; two; three."
pub(crate) fn sources_line(lang: &str, list: &str) -> String {
    let items: Vec<&str> = list
        .lines()
        .filter_map(|line| line.trim().strip_prefix("- "))
        .map(|item| item.trim_end_matches('.'))
        .collect();
    if items.is_empty() {
        return String::new();
    }
    let line = format!("**{}:** {}.", sources_label(lang), items.join("; "));
    format!("<div class=\"sources\">{}</div>\n", render_markdown(&line))
}

/// A page's text without its citations, and the citations as a line in small print.
fn split_sources(lang: &str, body: &str) -> (String, String) {
    let heading = format!("\n## {}\n", sources_label(lang));
    match body.rsplit_once(&heading) {
        Some((text, list)) => (render_markdown(text), sources_line(lang, list)),
        None => (render_markdown(body), String::new()),
    }
}

/// Words that must never appear in a page's address or title: browser history keeps both, and
/// someone else may read it (SECURITY.md P20).
const SENSITIVE: &[&str] = &[
    "traffick",
    "trata",
    "abuse",
    "abuso",
    "exploit",
    "explota",
    "sex",
    "prostitu",
    "escape",
    "escapar",
    "rescue",
    "rescate",
    "pimp",
    "proxeneta",
    "victim",
    "víctima",
    "violencia",
    "violence",
];

/// The shipped content, compiled in; an organisation can serve its own folder instead.
pub const SHIPPED: &[(&str, &str)] = &[
    ("en/home.md", include_str!("../../../../content/en/home.md")),
    (
        "en/learn.md",
        include_str!("../../../../content/en/learn.md"),
    ),
    (
        "en/myths.md",
        include_str!("../../../../content/en/myths.md"),
    ),
    (
        "en/recruitment.md",
        include_str!("../../../../content/en/recruitment.md"),
    ),
    (
        "en/signs.md",
        include_str!("../../../../content/en/signs.md"),
    ),
    (
        "en/leaving.md",
        include_str!("../../../../content/en/leaving.md"),
    ),
    (
        "en/services.md",
        include_str!("../../../../content/en/services.md"),
    ),
    (
        "en/contact.md",
        include_str!("../../../../content/en/contact.md"),
    ),
    (
        "en/safety.md",
        include_str!("../../../../content/en/safety.md"),
    ),
    (
        "en/resources.md",
        include_str!("../../../../content/en/resources.md"),
    ),
    (
        "en/our-work.md",
        include_str!("../../../../content/en/our-work.md"),
    ),
    ("es/home.md", include_str!("../../../../content/es/home.md")),
    (
        "es/learn.md",
        include_str!("../../../../content/es/learn.md"),
    ),
    (
        "es/myths.md",
        include_str!("../../../../content/es/myths.md"),
    ),
    (
        "es/recruitment.md",
        include_str!("../../../../content/es/recruitment.md"),
    ),
    (
        "es/signs.md",
        include_str!("../../../../content/es/signs.md"),
    ),
    (
        "es/leaving.md",
        include_str!("../../../../content/es/leaving.md"),
    ),
    (
        "es/services.md",
        include_str!("../../../../content/es/services.md"),
    ),
    (
        "es/contact.md",
        include_str!("../../../../content/es/contact.md"),
    ),
    (
        "es/safety.md",
        include_str!("../../../../content/es/safety.md"),
    ),
    (
        "es/resources.md",
        include_str!("../../../../content/es/resources.md"),
    ),
    (
        "es/our-work.md",
        include_str!("../../../../content/es/our-work.md"),
    ),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: String,
    title: String,
    heading: String,
    summary: String,
    order: u32,
}

/// One page in one language, rendered.
#[derive(Debug, Clone)]
pub struct Page {
    pub lang: &'static str,
    pub slug: String,
    pub title: String,
    pub heading: String,
    pub summary: String,
    pub order: u32,
    pub html: String,
}

/// Every page, by language and slug.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pages: BTreeMap<(&'static str, String), Page>,
}

pub(crate) fn is_neutral(text: &str) -> bool {
    let lower = text.to_lowercase();
    !SENSITIVE.iter().any(|word| lower.contains(word))
}

/// Markdown to HTML with raw HTML shown as text, never passed through.
pub(crate) fn render_markdown(body: &str) -> String {
    let events = Parser::new_ext(body, Options::ENABLE_TABLES).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut out = String::with_capacity(body.len() * 2);
    html::push_html(&mut out, events);
    out
}

impl Page {
    /// Parses `+++` TOML front matter and a Markdown body; `file` names it in errors.
    pub fn parse(file: &str, lang: &'static str, text: &str) -> Result<Self, String> {
        let rest = text
            .strip_prefix("+++\n")
            .ok_or_else(|| format!("{file}: must start with a +++ line"))?;
        let (front, body) = rest
            .split_once("\n+++\n")
            .ok_or_else(|| format!("{file}: the front matter has no closing +++"))?;
        let front: FrontMatter =
            toml::from_str(front).map_err(|e| format!("{file}: front matter: {}", e.message()))?;
        let slug_ok = !front.slug.is_empty()
            && front
                .slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !slug_ok {
            return Err(format!(
                "{file}: the slug must be lower-case letters, digits and dashes"
            ));
        }
        for (what, value) in [("slug", &front.slug), ("title", &front.title)] {
            if !is_neutral(value) {
                return Err(format!(
                    "{file}: the {what} must stay neutral (browser history keeps it)"
                ));
            }
        }
        let (text, sources) = split_sources(lang, body);
        Ok(Self {
            lang,
            slug: front.slug,
            title: front.title,
            heading: front.heading,
            summary: front.summary,
            order: front.order,
            html: text + &sources,
        })
    }
}

impl Site {
    /// Builds the site from `(path, text)` pairs such as `("en/home.md", ...)`.
    pub fn from_files(files: &[(impl AsRef<str>, impl AsRef<str>)]) -> Result<Self, String> {
        let mut site = Site::default();
        for (path, text) in files {
            let path = path.as_ref();
            let lang = LANGUAGES
                .iter()
                .copied()
                .find(|l| path.starts_with(&format!("{l}/")))
                .ok_or_else(|| {
                    format!("{path}: pages live in a folder named after their language")
                })?;
            let page = Page::parse(path, lang, text.as_ref())?;
            site.pages.insert((lang, page.slug.clone()), page);
        }
        for (lang, slug) in site.pages.keys() {
            for other in LANGUAGES {
                if !site.pages.contains_key(&(*other, slug.clone())) {
                    return Err(format!(
                        "{lang}/{slug}: there is no {other} version of this page"
                    ));
                }
            }
        }
        if !site.pages.contains_key(&(LANGUAGES[0], "home".to_owned())) {
            return Err("there is no home page (slug \"home\")".to_owned());
        }
        Ok(site)
    }

    /// The shipped content.
    pub fn shipped() -> Result<Self, String> {
        Self::from_files(SHIPPED)
    }

    pub fn page(&self, lang: &str, slug: &str) -> Option<&Page> {
        let lang = LANGUAGES.iter().copied().find(|l| *l == lang)?;
        self.pages.get(&(lang, slug.to_owned()))
    }

    /// A language's pages in navigation order.
    pub fn pages(&self, lang: &str) -> Vec<&Page> {
        let mut pages: Vec<&Page> = self.pages.values().filter(|p| p.lang == lang).collect();
        pages.sort_by_key(|p| p.order);
        pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_site_loads_in_every_language() {
        let site = Site::shipped().unwrap();
        for lang in LANGUAGES {
            assert_eq!(site.pages(lang).len(), 11, "{lang}");
        }
        assert!(site.page("es", "learn").unwrap().html.contains("<h2"));
    }

    #[test]
    fn citations_at_the_end_of_a_page_become_one_line_in_small_print() {
        let site = Site::shipped().unwrap();
        for (lang, label) in [("en", "Sources"), ("es", "Fuentes")] {
            let html = &site.page(lang, "learn").unwrap().html;
            assert!(!html.contains(&format!("<h2>{label}</h2>")), "{html}");
            let line = html.split("<div class=\"sources\">").nth(1).unwrap();
            assert!(
                line.starts_with(&format!("<p><strong>{label}:</strong> ")),
                "{line}"
            );
            assert!(
                line.matches("; ").count() >= 2 && !line.contains("<li>"),
                "{line}"
            );
        }
        let plain = Page::parse("en/p.md", "en", "+++\nslug = \"p\"\ntitle = \"P\"\nheading = \"H\"\nsummary = \"S\"\norder = 1\n+++\nNo citations.\n").unwrap();
        assert!(!plain.html.contains("sources"));
    }

    #[test]
    fn raw_html_is_shown_as_text_and_sensitive_titles_are_refused() {
        let page = Page::parse("en/x.md", "en", "+++\nslug = \"x\"\ntitle = \"X\"\nheading = \"H\"\nsummary = \"S\"\norder = 1\n+++\nHi <script>alert(1)</script>\n").unwrap();
        assert!(!page.html.contains("<script>") && page.html.contains("&lt;script&gt;"));
        let err = Page::parse("en/y.md", "en", "+++\nslug = \"y\"\ntitle = \"Trafficking help\"\nheading = \"H\"\nsummary = \"S\"\norder = 1\n+++\nx").unwrap_err();
        assert!(err.contains("neutral"), "{err}");
        let err = Page::parse("en/z.md", "en", "+++\nslug = \"sex-work\"\ntitle = \"Z\"\nheading = \"H\"\nsummary = \"S\"\norder = 1\n+++\nx").unwrap_err();
        assert!(err.contains("slug must stay neutral"), "{err}");
        let missing = Site::from_files(&[("en/home.md", "+++\nslug = \"home\"\ntitle = \"W\"\nheading = \"H\"\nsummary = \"S\"\norder = 1\n+++\nx")]).unwrap_err();
        assert!(missing.contains("no es version"), "{missing}");
    }
}
