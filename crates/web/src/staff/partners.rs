//! The directory of partners (`/app/partners`): the organisations a client may be referred to,
//! what each offers, in which languages, where, and the safe way to reach them. Everyone who
//! works with clients reads it; supervisors and administrators add to it. It names
//! organisations, never a client.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::InvalidInput;
use domain::partner::RawPartner;
use domain::policy::{Action, Relationship, permits};

use super::details::comma_list;
use super::links;
use super::page::{self, Chrome, Place, render};
use super::services::{TypeGroup, type_groups};
use super::session::{SignedIn, StaffForm, bad_form};
use super::typed::Typed;

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::PARTNERS, get(directory).post(add))
}

/// The add form as typed: the services offered are boxes that share a name.
#[derive(Debug, Default)]
struct PartnerForm {
    name: String,
    services: Vec<String>,
    languages: String,
    area: String,
    safe_contact: String,
}

impl PartnerForm {
    fn read(fields: Vec<(String, String)>) -> Option<Self> {
        let mut form = Self::default();
        for (name, value) in fields {
            match name.as_str() {
                "name" => form.name = value,
                "services" => form.services.push(value),
                "languages" => form.languages = value,
                "area" => form.area = value,
                "safe_contact" => form.safe_contact = value,
                _ => return None,
            }
        }
        Some(form)
    }

    fn offers(&self, code: &str) -> bool {
        self.services.iter().any(|s| s == code)
    }
}

struct PartnerLine {
    name: String,
    services: String,
    languages: String,
    area: Option<String>,
    safe_contact: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/partners.html")]
struct DirectoryPage {
    chrome: Option<Chrome>,
    partners: Vec<PartnerLine>,
    service_types: Vec<TypeGroup>,
    /// The form to add a partner, for someone who may.
    add: Option<Typed<PartnerForm>>,
}

async fn directory_page(
    app: &app::App,
    signed_in: &SignedIn,
    returned: Option<(PartnerForm, InvalidInput)>,
) -> Response {
    let caller = &signed_in.caller;
    let partners = match app.partners(caller).await {
        Ok(partners) => partners,
        Err(err) => return page::failure(err),
    };
    let status = if returned.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let add = permits(caller.role, Relationship::NoClient, Action::ManagePartners).then(|| {
        let (form, problem) =
            returned.map_or((PartnerForm::default(), None), |(form, p)| (form, Some(p)));
        Typed::new(links::PARTNERS.to_owned(), form, problem)
    });
    render(
        status,
        &DirectoryPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            partners: partners
                .into_iter()
                .map(|p| PartnerLine {
                    name: p.name,
                    services: p
                        .services
                        .iter()
                        .map(|c| c.kind().label)
                        .collect::<Vec<_>>()
                        .join("; "),
                    languages: p.languages.join(", "),
                    area: p.area,
                    safe_contact: p.safe_contact,
                })
                .collect(),
            service_types: type_groups(),
            add,
        },
    )
}

async fn directory(State(app): State<app::App>, signed_in: SignedIn) -> Response {
    directory_page(&app, &signed_in, None).await
}

async fn add(
    State(app): State<app::App>,
    StaffForm { signed_in, form }: StaffForm<Vec<(String, String)>>,
) -> Response {
    let Some(form) = PartnerForm::read(form) else {
        return bad_form();
    };
    let languages = comma_list(&form.languages);
    let parsed = RawPartner {
        name: &form.name,
        services: &form.services,
        languages: &languages,
        area: Some(&form.area),
        safe_contact: Some(&form.safe_contact),
    }
    .parse();
    let done = match parsed {
        Ok(partner) => app.add_partner(&signed_in.caller, partner).await.map(drop),
        Err(problem) => Err(problem.into()),
    };
    match done {
        Ok(()) => Redirect::to(links::PARTNERS).into_response(),
        Err(app::AppError::Invalid(problem)) => {
            directory_page(&app, &signed_in, Some((form, problem))).await
        }
        Err(err) => page::failure(err),
    }
}
