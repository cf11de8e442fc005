//! My caseload: the people a worker works with, a page at a time, found by any part of a name,
//! sorted and filtered, each line with what tells two people of the same name apart.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use domain::caseload::{AgeFilter, CaseFilter, CaseloadOrder, NameQuery};
use domain::policy::Action;
use serde::Deserialize;

use super::choices::Choice;
use super::links;
use super::page::{self, Chrome, Place, render};
use super::paging::Paging;
use super::session::{SignedIn, StaffForm};

/// The addresses these pages answer.
pub(crate) fn routes() -> Router<app::App> {
    Router::new()
        .route(
            links::APP,
            get(|| async { Redirect::permanent(links::HOME) }),
        )
        .route(links::HOME, get(caseload))
        .route(links::SEARCH, post(search))
}

/// How many clients the caseload page lists at once: a screenful, and little work per page.
const PAGE_SIZE: i64 = 25;

/// How many people a search by name shows: enough for a common name, few enough to read.
const FOUND_AT_MOST: i64 = 100;

/// A person as the caseload lists them: what tells two people of the same name apart.
pub(crate) struct Line {
    pub(crate) href: String,
    pub(crate) name: String,
    /// The legal name, when it is not the name used.
    pub(crate) also_called: Option<String>,
    /// Month and year of birth, or else the age band, in words.
    pub(crate) born: String,
    pub(crate) cases: String,
    pub(crate) last_note: String,
    /// The others who work with them.
    pub(crate) with: String,
    pub(crate) added: String,
}

pub(crate) fn lines(signed_in: &SignedIn, clients: Vec<app::ClientSummary>) -> Vec<Line> {
    let (me, zone) = (&signed_in.caller.username, signed_in.zone());
    clients
        .into_iter()
        .map(|c| Line {
            href: links::client(c.id),
            also_called: c.legal_name.filter(|legal| *legal != c.preferred_name),
            name: c.preferred_name,
            born: match (c.date_of_birth, c.age_band) {
                (Some(born), _) => format!("Born {} {}", born.date().month(), born.date().year()),
                (None, Some(domain::client::AgeBand::PrefersNotToAnswer)) => {
                    "Age not shared".to_owned()
                }
                (None, Some(band)) => format!("Age {}", band.label()),
                (None, None) => String::new(),
            },
            cases: match c.open_cases {
                0 => "None open".to_owned(),
                1 => "1 open".to_owned(),
                n => format!("{n} open"),
            },
            last_note: c
                .last_note_at
                .map_or_else(|| "None yet".to_owned(), |at| zone.day(at)),
            with: c
                .workers
                .into_iter()
                .filter(|w| w != me)
                .collect::<Vec<_>>()
                .join(", "),
            added: zone.day(c.created_at),
        })
        .collect()
}

/// A choice a list offers, as the page's selects show it.
struct Option_ {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

fn options(choices: &[Choice], selected: &str) -> Vec<Option_> {
    choices
        .iter()
        .map(|c| Option_ {
            value: c.value,
            label: c.label,
            selected: c.value == selected,
        })
        .collect()
}

const ORDERS: &[Choice] = &[
    Choice {
        value: "newest",
        label: "Newest to me first",
    },
    Choice {
        value: "name",
        label: "Name, A to Z",
    },
    Choice {
        value: "last-note",
        label: "Most recent note first",
    },
    Choice {
        value: "oldest",
        label: "With me longest first",
    },
];

const CASE_FILTERS: &[Choice] = &[
    Choice {
        value: "any",
        label: "Everyone",
    },
    Choice {
        value: "open",
        label: "With a case open",
    },
    Choice {
        value: "none",
        label: "With no case open",
    },
];

const AGE_FILTERS: &[Choice] = &[
    Choice {
        value: "any",
        label: "Any age",
    },
    Choice {
        value: "minor",
        label: "Under 18",
    },
    Choice {
        value: "adult",
        label: "18 or older",
    },
    Choice {
        value: "unknown",
        label: "Age not recorded",
    },
];

#[derive(Template)]
#[template(path = "staff/caseload.html")]
struct CaseloadPage {
    chrome: Option<Chrome>,
    clients: Vec<Line>,
    orders: Vec<Option_>,
    case_filters: Vec<Option_>,
    age_filters: Vec<Option_>,
    /// Set after a search: what was searched for is not repeated (it may be a name), only this.
    searched: bool,
    /// Set when a filter hides part of the caseload.
    filtered: bool,
    /// Set when a search found more than it shows.
    more_found: bool,
    /// Links to the newer and older pages of the caseload, when there are such pages.
    newer: Option<String>,
    older: Option<String>,
    problem: Option<String>,
}

/// How the caseload is sorted and filtered, as a page's address or form gives it.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    page: Option<u32>,
    sort: Option<String>,
    case: Option<String>,
    age: Option<String>,
}

impl ListQuery {
    /// The choices made, `None` if one is not a choice the page offers.
    fn parse(&self) -> Option<app::CaseloadQuery> {
        fn or_default<T: Default>(
            raw: Option<&String>,
            parse: fn(&str) -> Result<T, domain::InvalidInput>,
        ) -> Option<T> {
            raw.filter(|r| !r.is_empty())
                .map_or(Ok(T::default()), |r| parse(r))
                .ok()
        }
        Some(app::CaseloadQuery {
            find: None,
            order: or_default(self.sort.as_ref(), CaseloadOrder::parse)?,
            case: or_default(self.case.as_ref(), CaseFilter::parse)?,
            age: or_default(self.age.as_ref(), AgeFilter::parse)?,
        })
    }
}

/// The query of a caseload address that shows `query`: only the choices that are not the default.
fn address_query(query: &app::CaseloadQuery) -> String {
    let mut parts = Vec::new();
    if query.order != CaseloadOrder::default() {
        parts.push(format!("sort={}", query.order.as_str()));
    }
    if query.case != CaseFilter::default() {
        parts.push(format!("case={}", query.case.as_str()));
    }
    if query.age != AgeFilter::default() {
        parts.push(format!("age={}", query.age.as_str()));
    }
    parts.join("&")
}

fn caseload_page(
    signed_in: &SignedIn,
    query: &app::CaseloadQuery,
    clients: Vec<Line>,
    links: (Option<String>, Option<String>),
    more_found: bool,
) -> Response {
    let (newer, older) = links;
    render(
        StatusCode::OK,
        &CaseloadPage {
            chrome: Some(signed_in.chrome(Place::Caseload)),
            clients,
            orders: options(ORDERS, query.order.as_str()),
            case_filters: options(CASE_FILTERS, query.case.as_str()),
            age_filters: options(AGE_FILTERS, query.age.as_str()),
            searched: query.find.is_some(),
            filtered: query.case != CaseFilter::default() || query.age != AgeFilter::default(),
            more_found,
            newer,
            older,
            problem: None,
        },
    )
}

async fn caseload(
    State(app): State<app::App>,
    signed_in: SignedIn,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Response {
    if !signed_in.may(Action::ListCaseload) {
        return page::no_caseload(signed_in.chrome(Place::Caseload));
    }
    let Some((asked, list)) = query.ok().and_then(|Query(q)| Some((q.parse()?, q))) else {
        return page::not_found();
    };
    let paging = Paging::at(list.page, PAGE_SIZE, links::HOME).keeping(address_query(&asked));
    let mut clients = match app
        .find_in_caseload(
            &signed_in.caller,
            &asked,
            paging.limit(),
            paging.offset(),
            app::Purpose::CaseWork,
        )
        .await
    {
        Ok(clients) => clients,
        Err(err) => return page::failure(err),
    };
    let links = paging.links(&mut clients);
    caseload_page(&signed_in, &asked, lines(&signed_in, clients), links, false)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SearchForm {
    name: String,
    sort: Option<String>,
    case: Option<String>,
    age: Option<String>,
}

/// Finds clients in the caller's caseload by any part of a name. Posted, so that the name never
/// appears in an address, a log or the browser history (P5); without a name, the sorted and
/// filtered list is shown at its own address.
async fn search(
    State(app): State<app::App>,
    StaffForm { signed_in, form }: StaffForm<SearchForm>,
) -> Response {
    let list = ListQuery {
        page: None,
        sort: form.sort,
        case: form.case,
        age: form.age,
    };
    let Some(mut asked) = list.parse() else {
        return page::not_found();
    };
    let Some(find) = NameQuery::parse(&form.name) else {
        let query = address_query(&asked);
        let to = if query.is_empty() {
            links::HOME.to_owned()
        } else {
            format!("{}?{query}", links::HOME)
        };
        return Redirect::to(&to).into_response();
    };
    asked.find = Some(find);
    let mut clients = match app
        .find_in_caseload(
            &signed_in.caller,
            &asked,
            FOUND_AT_MOST + 1,
            0,
            app::Purpose::CaseWork,
        )
        .await
    {
        Ok(found) => found,
        Err(err) => return page::failure(err),
    };
    let more_found = clients.len() > usize::try_from(FOUND_AT_MOST).unwrap_or(usize::MAX);
    clients.truncate(usize::try_from(FOUND_AT_MOST).unwrap_or(usize::MAX));
    caseload_page(
        &signed_in,
        &asked,
        lines(&signed_in, clients),
        (None, None),
        more_found,
    )
}
