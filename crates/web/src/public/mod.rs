//! The public pages (DESIGN.md "Public pages"): education, where to get help, and a quick exit on
//! every page. They set no cookies, load nothing from anyone else, and keep neutral addresses and
//! titles, because the person reading may be on a phone someone else checks (SECURITY.md P20).

pub mod check;
pub mod contact;
pub mod content;
mod gate;
mod once;
#[cfg(test)]
mod readability;
pub mod who_we_serve;
mod wording;

use std::sync::Arc;

use askama::Template;
use axum::Router;
use std::collections::BTreeMap;

use axum::extract::rejection::FormRejection;
use axum::extract::{ConnectInfo, Extension, Form, Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

pub use content::Site;

use crate::middleware::Policy;

/// Where the quick exit goes: an everyday site with nothing to explain.
pub const EXIT_URL: &str = "https://www.weather.gov/";

/// The words around every page, per language.
#[derive(Debug)]
struct Words {
    skip: &'static str,
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
    skip: "Skip to main content",
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
    skip: "Ir al contenido principal",
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
    icon: String,
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

/// What the public routes share: the pages, the self-check and the contact form.
#[derive(Debug)]
pub(crate) struct Public {
    site: Site,
    check: Option<check::SelfCheck>,
    contact: Option<contact::ContactForm>,
    /// The words of the "who we serve" figures.
    figures: Option<who_we_serve::FigureWords>,
    /// The self-check results already shown once (see `once`).
    shown: once::Shown,
    icon: Icon,
    /// What keeps the contact form open during a flood.
    gate: gate::Gate,
}

/// The tab's icon, at a new address on every page. A page one of whose requests is answered
/// `no-store` after the page has loaded (as the icon is, like every answer here) is not kept in
/// Chromium's back/forward cache when it is left, and Chromium fetches an icon only once per
/// address. Without that, Back could bring a page back from memory, answers chosen and typed
/// and all, for minutes after Quick exit when JavaScript is off (issue 17, item 1; the test
/// `quick_exit_leaves_no_page_of_ours_to_go_back_to` proves it).
#[derive(Debug, Default)]
struct Icon {
    key: std::hash::RandomState,
    pages: std::sync::atomic::AtomicU64,
}

impl Icon {
    /// An address no page has used: a count, hashed under a key drawn when the process starts.
    fn address(&self) -> String {
        use std::hash::BuildHasher;
        let page = self
            .pages
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("/assets/icon.svg?{:016x}", self.key.hash_one(page))
    }
}

/// The page that carries the contact form ("Ask us to reach you").
const CONTACT_SLUG: &str = "contact";

/// The body of one page, ready to wrap in the site's chrome.
struct Body<'a> {
    status: StatusCode,
    slug: &'a str,
    title: &'a str,
    heading: &'a str,
    html: &'a str,
}

fn words(lang: &str) -> (&'static Words, &'static str) {
    if lang == "es" {
        (&SPANISH, "en")
    } else {
        (&ENGLISH, "es")
    }
}

/// Wraps a body in the site's chrome: quick exit, navigation, language switch, help numbers.
fn chrome(public: &Public, lang: &str, body: Body<'_>) -> Response {
    let (words, other_lang) = words(lang);
    let mut nav: Vec<NavLink> = public
        .site
        .pages(lang)
        .into_iter()
        .map(|p| NavLink {
            href: href(lang, &p.slug),
            label: p.title.clone(),
            current: p.slug == body.slug,
        })
        .collect();
    if let Some(check) = &public.check {
        nav.push(NavLink {
            href: href(lang, &check.slug),
            label: check.text("title", lang).to_owned(),
            current: check.slug == body.slug,
        });
    }
    let other_slug = if body.status == StatusCode::OK {
        body.slug
    } else {
        "home"
    };
    let html = PublicPage {
        lang,
        title: body.title,
        heading: body.heading,
        body: body.html,
        nav,
        words,
        exit_url: EXIT_URL,
        icon: public.icon.address(),
        other_lang,
        other_language_href: href(other_lang, other_slug),
    }
    .render();
    match html {
        Ok(html) => (body.status, Policy::Page, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "a public page could not be rendered");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn render(public: &Public, lang: &str, slug: &str) -> Response {
    if public.check.as_ref().is_some_and(|c| c.slug == slug) {
        return check_form(public, lang);
    }
    let (words, _) = words(lang);
    match public.site.page(lang, slug) {
        Some(p) => chrome(
            public,
            lang,
            Body {
                status: StatusCode::OK,
                slug,
                title: &p.title,
                heading: &p.heading,
                html: &p.html,
            },
        ),
        None => chrome(
            public,
            lang,
            Body {
                status: StatusCode::NOT_FOUND,
                slug,
                title: words.not_found_title,
                heading: words.not_found_title,
                html: words.not_found,
            },
        ),
    }
}

/// The contact page with the form after the page's opening words, before the rest (numbers to
/// call, privacy): empty, or as posted with the problem marked.
fn contact_page(
    app: &app::App,
    public: &Public,
    lang: &str,
    posted: &contact::Posted,
    invalid: Option<&domain::InvalidInput>,
) -> Response {
    let (words, _) = words(lang);
    let Some(page) = public.site.page(lang, CONTACT_SLUG) else {
        return chrome(
            public,
            lang,
            Body {
                status: StatusCode::NOT_FOUND,
                slug: CONTACT_SLUG,
                title: words.not_found_title,
                heading: words.not_found_title,
                html: words.not_found,
            },
        );
    };
    let form = public.contact.as_ref().map_or_else(String::new, |form| {
        let challenge = public.gate.challenge(app);
        contact::form_html(
            form,
            lang,
            &href(lang, CONTACT_SLUG),
            posted,
            invalid,
            &challenge,
        )
    });
    chrome(
        public,
        lang,
        Body {
            status: if invalid.is_some() {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            },
            slug: CONTACT_SLUG,
            title: &page.title,
            heading: &page.heading,
            html: &after_opening(&page.html, &form),
        },
    )
}

/// A page's `html` with `inserted` after its opening words, before its first section.
fn after_opening(html: &str, inserted: &str) -> String {
    let (opening, rest) = html.find("<h2").map_or((html, ""), |at| html.split_at(at));
    format!("{opening}{inserted}{rest}")
}

/// The page "Our work" with the "who we serve" figures after its opening words.
fn figures_page(app: &app::App, public: &Public, lang: &str) -> Response {
    let Some(page) = public.site.page(lang, who_we_serve::SLUG) else {
        return render(public, lang, who_we_serve::SLUG);
    };
    let figures = public.figures.as_ref().map_or_else(String::new, |words| {
        words.html(app.public_figures().as_deref(), lang)
    });
    chrome(
        public,
        lang,
        Body {
            status: StatusCode::OK,
            slug: who_we_serve::SLUG,
            title: &page.title,
            heading: &page.heading,
            html: &after_opening(&page.html, &figures),
        },
    )
}

async fn english_figures(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
) -> Response {
    figures_page(&app, &public, "en")
}

async fn spanish_figures(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
) -> Response {
    figures_page(&app, &public, "es")
}

/// A posted contact request, with where it came from.
struct Posting<'a> {
    headers: &'a HeaderMap,
    connected: Option<&'a ConnectInfo<std::net::SocketAddr>>,
    form: Result<Form<contact::Posted>, FormRejection>,
}

/// Takes a contact request. The answer depends only on whether it could be taken, never on what
/// was typed; nothing of it is logged. A post from another website is refused, and a flood is
/// held back at its source (`gate`), so genuine requests keep getting through.
async fn contact_request(
    app: &app::App,
    public: &Public,
    lang: &str,
    posting: Posting<'_>,
) -> Response {
    if !crate::staff::same_origin(posting.headers) {
        return contact_answer(public, lang, StatusCode::FORBIDDEN, "other_site");
    }
    let posted = posting.form.map(|Form(p)| p).unwrap_or_default();
    let request = match posted.raw().parse() {
        Ok(request) => request,
        Err(invalid) => return contact_page(app, public, lang, &posted, Some(&invalid)),
    };
    let source = public.gate.source(posting.headers, posting.connected);
    if let gate::Verdict::HoldBack { retry_after_secs } =
        public
            .gate
            .admit(app, source, &posted.challenge, &posted.proof)
    {
        return busy(
            public,
            lang,
            StatusCode::TOO_MANY_REQUESTS,
            retry_after_secs,
        );
    }
    match app.receive_contact_request(request, lang).await {
        Ok(app::contact_requests::Received::Taken) => {
            Redirect::to(&format!("{}/sent", href(lang, CONTACT_SLUG))).into_response()
        }
        Ok(app::contact_requests::Received::Busy) => {
            busy(public, lang, StatusCode::SERVICE_UNAVAILABLE, AN_HOUR_SECS)
        }
        Err(err) => {
            tracing::error!(error = %err, "a contact request could not be stored");
            // A database that cannot serve this moment may well be back in a minute.
            let retry = match err.unavailable() {
                Some(_) => A_MINUTE_SECS,
                None => AN_HOUR_SECS,
            };
            busy(public, lang, StatusCode::SERVICE_UNAVAILABLE, retry)
        }
    }
}

/// The instance's hourly room frees up within the hour.
const AN_HOUR_SECS: u64 = 60 * 60;
const A_MINUTE_SECS: u64 = 60;

/// "We cannot take it now, call the hotline", saying when to try again.
fn busy(public: &Public, lang: &str, status: StatusCode, retry_after_secs: u64) -> Response {
    let mut response = contact_answer(public, lang, status, "busy");
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    response
}

/// The page after a request: thanks, or "we cannot take it now, call the hotline".
fn contact_answer(public: &Public, lang: &str, status: StatusCode, key: &str) -> Response {
    let Some(form) = &public.contact else {
        return render(public, lang, "");
    };
    chrome(
        public,
        lang,
        Body {
            status,
            slug: CONTACT_SLUG,
            title: form.text("sent_title", lang),
            heading: form.text("heading", lang),
            html: &content::render_markdown(form.text(key, lang)),
        },
    )
}

async fn english_contact(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    connected: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<contact::Posted>, FormRejection>,
) -> Response {
    let connected = connected.as_ref().map(|Extension(c)| c);
    let posting = Posting {
        headers: &headers,
        connected,
        form,
    };
    contact_request(&app, &public, "en", posting).await
}

async fn spanish_contact(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    connected: Option<Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    form: Result<Form<contact::Posted>, FormRejection>,
) -> Response {
    let connected = connected.as_ref().map(|Extension(c)| c);
    let posting = Posting {
        headers: &headers,
        connected,
        form,
    };
    contact_request(&app, &public, "es", posting).await
}

async fn english_contact_form(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
) -> Response {
    contact_page(&app, &public, "en", &contact::Posted::default(), None)
}

async fn spanish_contact_form(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
) -> Response {
    contact_page(&app, &public, "es", &contact::Posted::default(), None)
}

async fn english_contact_sent(Extension(public): Extension<Arc<Public>>) -> Response {
    contact_answer(&public, "en", StatusCode::OK, "sent")
}

async fn spanish_contact_sent(Extension(public): Extension<Arc<Public>>) -> Response {
    contact_answer(&public, "es", StatusCode::OK, "sent")
}

#[derive(Template)]
#[template(path = "check_form.html")]
struct CheckForm<'a> {
    intro: String,
    action: String,
    hint: &'a str,
    questions: Vec<Labelled<'a>>,
    answers: Vec<Labelled<'a>>,
    submit: &'a str,
    sources: String,
}

#[derive(Template)]
#[template(path = "check_result.html")]
struct CheckResult<'a> {
    heading: &'a str,
    chosen: String,
    help: String,
    disclaimer: &'a str,
    again: String,
    start_over: &'a str,
}

struct Labelled<'a> {
    id: &'a str,
    label: &'a str,
}

fn labelled<'a>(id: &'a str, label: &'a BTreeMap<String, String>, lang: &str) -> Labelled<'a> {
    Labelled {
        id,
        label: label.get(lang).map_or("", String::as_str),
    }
}

fn rendered(template: Result<String, askama::Error>) -> String {
    template.unwrap_or_else(|err| {
        tracing::error!(error = %err, "a self-check template could not be rendered");
        String::new()
    })
}

fn check_form(public: &Public, lang: &str) -> Response {
    let Some(check) = &public.check else {
        return render(public, lang, "");
    };
    let form = CheckForm {
        intro: content::render_markdown(check.text("intro", lang)),
        action: href(lang, &check.slug),
        hint: check.text("question_hint", lang),
        questions: check
            .questions
            .iter()
            .map(|q| labelled(&q.id, &q.label, lang))
            .collect(),
        answers: check
            .answers
            .iter()
            .map(|a| labelled(&a.id, &a.label, lang))
            .collect(),
        submit: check.text("submit", lang),
        sources: content::sources_line(lang, check.text("sources", lang)),
    };
    let html = rendered(form.render());
    chrome(
        public,
        lang,
        Body {
            status: StatusCode::OK,
            slug: &check.slug,
            title: check.text("title", lang),
            heading: check.text("heading", lang),
            html: &html,
        },
    )
}

/// Scores posted answers and sends the browser to the result's own address, which opens once
/// (`once`). Nothing of the answers is logged or kept: they exist only while this runs.
fn check_answers(
    app: &app::App,
    public: &Public,
    lang: &str,
    posted: &BTreeMap<String, String>,
) -> Response {
    let Some(check) = &public.check else {
        return render(public, lang, "");
    };
    let Some(answers) = check.read_answers(posted) else {
        return check_form(public, lang);
    };
    let token = once::seal(app, lang, check.pick(&answers));
    Redirect::to(&format!("{}/{token}", href(lang, &check.slug))).into_response()
}

/// The result behind a self-check address, the first time it is opened; after that (Back, Reload,
/// the history), or for an address that is not one, the empty questions.
fn check_result(app: &app::App, public: &Public, lang: &str, token: &str) -> Response {
    let Some(check) = &public.check else {
        return render(public, lang, "");
    };
    let Some((chosen, help)) = public
        .shown
        .open(app, lang, token)
        .and_then(|picked| check.result_text(picked, lang))
    else {
        return check_form(public, lang);
    };
    let result = CheckResult {
        heading: check.text("result_heading", lang),
        chosen: content::render_markdown(&chosen),
        help: content::render_markdown(&help),
        disclaimer: check.text("disclaimer", lang),
        again: href(lang, &check.slug),
        start_over: check.text("start_over", lang),
    };
    let html = rendered(result.render());
    chrome(
        public,
        lang,
        Body {
            status: StatusCode::OK,
            slug: &check.slug,
            title: check.text("title", lang),
            heading: check.text("heading", lang),
            html: &html,
        },
    )
}

async fn english_check_form(Extension(public): Extension<Arc<Public>>) -> Response {
    check_form(&public, "en")
}

async fn spanish_check_form(Extension(public): Extension<Arc<Public>>) -> Response {
    check_form(&public, "es")
}

async fn english_check(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    Form(posted): Form<BTreeMap<String, String>>,
) -> Response {
    check_answers(&app, &public, "en", &posted)
}

async fn spanish_check(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    Form(posted): Form<BTreeMap<String, String>>,
) -> Response {
    check_answers(&app, &public, "es", &posted)
}

async fn english_check_result(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    Path(token): Path<String>,
) -> Response {
    check_result(&app, &public, "en", &token)
}

async fn spanish_check_result(
    State(app): State<app::App>,
    Extension(public): Extension<Arc<Public>>,
    Path(token): Path<String>,
) -> Response {
    check_result(&app, &public, "es", &token)
}

async fn english_home(Extension(public): Extension<Arc<Public>>) -> Response {
    render(&public, "en", "home")
}

async fn english(Extension(public): Extension<Arc<Public>>, Path(slug): Path<String>) -> Response {
    render(&public, "en", &slug)
}

async fn spanish_home(Extension(public): Extension<Arc<Public>>) -> Response {
    render(&public, "es", "home")
}

async fn spanish(Extension(public): Extension<Arc<Public>>, Path(slug): Path<String>) -> Response {
    render(&public, "es", &slug)
}

/// A plain square for the tab (see [`Icon`]).
async fn icon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml")],
        include_str!("../../assets/icon.svg"),
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

/// The public routes, for `site`; `client_address_header` names the header a trusted reverse
/// proxy puts the visitor's address in, if there is one.
pub(crate) fn routes(site: Site, client_address_header: Option<HeaderName>) -> Router<app::App> {
    let check = check::SelfCheck::parse(check::SHIPPED, content::LANGUAGES)
        .inspect_err(|problem| tracing::error!(problem, "the self-check could not be loaded"))
        .ok();
    let slug = check
        .as_ref()
        .map_or_else(|| "check".to_owned(), |c| c.slug.clone());
    let contact = contact::ContactForm::parse(contact::SHIPPED, content::LANGUAGES)
        .inspect_err(|problem| tracing::error!(problem, "the contact form could not be loaded"))
        .ok();
    let figures = who_we_serve::FigureWords::parse(who_we_serve::SHIPPED, content::LANGUAGES)
        .inspect_err(|problem| {
            tracing::error!(problem, "the public figures' words could not be loaded")
        })
        .ok();
    Router::new()
        .route("/", get(english_home))
        .route(
            &format!("/{CONTACT_SLUG}"),
            get(english_contact_form).post(english_contact),
        )
        .route(&format!("/{CONTACT_SLUG}/sent"), get(english_contact_sent))
        .route(
            &format!("/es/{CONTACT_SLUG}"),
            get(spanish_contact_form).post(spanish_contact),
        )
        .route(
            &format!("/es/{CONTACT_SLUG}/sent"),
            get(spanish_contact_sent),
        )
        .route(&format!("/{}", who_we_serve::SLUG), get(english_figures))
        .route(&format!("/es/{}", who_we_serve::SLUG), get(spanish_figures))
        .route("/{slug}", get(english))
        .route(
            &format!("/{slug}"),
            get(english_check_form).post(english_check),
        )
        .route("/es", get(spanish_home))
        .route("/es/", get(spanish_home))
        .route("/es/{slug}", get(spanish))
        .route(
            &format!("/es/{slug}"),
            get(spanish_check_form).post(spanish_check),
        )
        .route(&format!("/{slug}/{{token}}"), get(english_check_result))
        .route(&format!("/es/{slug}/{{token}}"), get(spanish_check_result))
        .route(
            crate::assets::QUICK_EXIT.path,
            get(|| async { crate::assets::QUICK_EXIT.response() }),
        )
        .route("/assets/site.css", get(stylesheet))
        .route("/assets/icon.svg", get(icon))
        .layer(Extension(Arc::new(Public {
            site,
            check,
            contact,
            figures,
            shown: once::Shown::default(),
            icon: Icon::default(),
            gate: gate::Gate::new(client_address_header),
        })))
}
