//! The public pages (DESIGN.md "Public pages"): education, where to get help, and a quick exit on
//! every page. They set no cookies, load nothing from anyone else, and keep neutral addresses and
//! titles, because the person reading may be on a phone someone else checks (SECURITY.md P20).

pub mod content;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::{Extension, Path};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub use content::Site;

/// Where the quick exit goes: an everyday site with nothing to explain.
pub const EXIT_URL: &str = "https://www.weather.gov/";

/// The policy for public pages: our own script and style only, nothing inline, nothing from others.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The words around every page, per language.
#[derive(Debug)]
struct Words {
    quick_exit: &'static str,
    menu: &'static str,
    other_language: &'static str,
    help_now: &'static str,
    text: &'static str,
    escape_hint: &'static str,
    not_found_title: &'static str,
    not_found: &'static str,
}

const ENGLISH: Words = Words {
    quick_exit: "Quick exit",
    menu: "Pages",
    other_language: "Español",
    help_now: "Help now, any time:",
    text: "text",
    escape_hint: "Press Esc or the Quick exit button to leave this site at once.",
    not_found_title: "Page not found",
    not_found: "There is no page here. The links above lead to every page.",
};

const SPANISH: Words = Words {
    quick_exit: "Salida rápida",
    menu: "Páginas",
    other_language: "English",
    help_now: "Ayuda ahora, a cualquier hora:",
    text: "mensaje de texto al",
    escape_hint: "Presiona Esc o el botón Salida rápida para salir de este sitio enseguida.",
    not_found_title: "Página no encontrada",
    not_found: "Aquí no hay ninguna página. Los enlaces de arriba llevan a todas las páginas.",
};

#[derive(Debug)]
struct NavLink {
    href: String,
    label: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "public.html")]
struct PublicPage<'a> {
    lang: &'a str,
    title: &'a str,
    heading: &'a str,
    body: &'a str,
    nav: Vec<NavLink>,
    words: &'a Words,
    exit_url: &'a str,
    other_lang: &'a str,
    other_language_href: String,
}

fn href(lang: &str, slug: &str) -> String {
    match (lang, slug) {
        ("en", "home") => "/".to_owned(),
        ("en", slug) => format!("/{slug}"),
        (lang, "home") => format!("/{lang}/"),
        (lang, slug) => format!("/{lang}/{slug}"),
    }
}

fn render(site: &Site, lang: &str, slug: &str) -> Response {
    let (words, other_lang) = if lang == "es" {
        (&SPANISH, "en")
    } else {
        (&ENGLISH, "es")
    };
    let page = site.page(lang, slug);
    let nav = site
        .pages(lang)
        .into_iter()
        .map(|p| NavLink {
            href: href(lang, &p.slug),
            label: p.title.clone(),
            current: p.slug == slug,
        })
        .collect();
    let (status, title, heading, body) = match page {
        Some(p) => (
            StatusCode::OK,
            p.title.as_str(),
            p.heading.as_str(),
            p.html.as_str(),
        ),
        None => (
            StatusCode::NOT_FOUND,
            words.not_found_title,
            words.not_found_title,
            words.not_found,
        ),
    };
    let other_slug = if page.is_some() { slug } else { "home" };
    let html = PublicPage {
        lang,
        title,
        heading,
        body,
        nav,
        words,
        exit_url: EXIT_URL,
        other_lang,
        other_language_href: href(other_lang, other_slug),
    }
    .render();
    match html {
        Ok(html) => (status, [(header::CONTENT_SECURITY_POLICY, CSP)], Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "a public page could not be rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn english_home(Extension(site): Extension<Arc<Site>>) -> Response {
    render(&site, "en", "home")
}

async fn english(Extension(site): Extension<Arc<Site>>, Path(slug): Path<String>) -> Response {
    render(&site, "en", &slug)
}

async fn spanish_home(Extension(site): Extension<Arc<Site>>) -> Response {
    render(&site, "es", "home")
}

async fn spanish(Extension(site): Extension<Arc<Site>>, Path(slug): Path<String>) -> Response {
    render(&site, "es", &slug)
}

async fn quick_exit_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("../../assets/quick-exit.js"),
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("../../assets/site.css"),
    )
        .into_response()
}

/// The public routes, for `site`.
pub(crate) fn routes(site: Site) -> Router<app::App> {
    Router::new()
        .route("/", get(english_home))
        .route("/{slug}", get(english))
        .route("/es", get(spanish_home))
        .route("/es/", get(spanish_home))
        .route("/es/{slug}", get(spanish))
        .route("/assets/quick-exit.js", get(quick_exit_script))
        .route("/assets/site.css", get(stylesheet))
        .layer(Extension(Arc::new(site)))
}
