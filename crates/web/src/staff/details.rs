//! A client's details (`/app/clients/{id}/details`): the form to change them, filled in with what
//! the record holds, and the history of every change (who, when, and what each field held
//! before), newest first.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use domain::ClientId;
use domain::client::{AgeBand, DetailField, Gender, RawEdit};
use domain::policy::Action;
use domain::profile::{Citizenship, ReferralSource, TraffickingType};
use serde::Deserialize;

use super::choices::{Choice, ProfileChoices, age_bands, genders};
use super::links;
use super::on_client::OnClient;
use super::page::{self, Chrome, Place, RecordId, render, when};
use super::session::{SignedIn, StaffForm};

pub(crate) fn routes() -> Router<app::App> {
    Router::new().route(links::DETAILS, get(details).post(save))
}

/// The details as typed: the boxes the intake form has, safety aside. Blank clears.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DetailsForm {
    pub preferred_name: String,
    #[serde(default)]
    pub legal_name: String,
    /// One a line.
    #[serde(default)]
    pub aliases: String,
    #[serde(default)]
    pub date_of_birth: String,
    #[serde(default)]
    pub contact: String,
    /// Separated by commas.
    #[serde(default)]
    pub languages: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub age_band: String,
    #[serde(default)]
    pub trafficking_type: String,
    #[serde(default)]
    pub citizenship: String,
    #[serde(default)]
    pub referral_source: String,
}

/// The languages box: names separated by commas, blanks left out.
pub(crate) fn comma_list(typed: &str) -> Vec<String> {
    listed(typed.split(','))
}

/// The other names box: one a line, blank lines left out.
pub(crate) fn line_list(typed: &str) -> Vec<String> {
    listed(typed.lines())
}

fn listed<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
    items
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

impl DetailsForm {
    /// What the record holds, in the boxes.
    fn of(client: &app::ClientView) -> Self {
        let code = |v: Option<&str>| v.unwrap_or_default().to_owned();
        Self {
            preferred_name: client.preferred_name.clone(),
            legal_name: client.legal_name.clone().unwrap_or_default(),
            aliases: client.aliases.join("\n"),
            date_of_birth: client.date_of_birth.clone().unwrap_or_default(),
            contact: client.contact.clone().unwrap_or_default(),
            languages: client.languages.join(", "),
            gender: client
                .gender
                .map(|g| g.as_str().to_owned())
                .unwrap_or_default(),
            age_band: client
                .age_band
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            trafficking_type: code(client.profile.trafficking_type.map(|t| t.as_str())),
            citizenship: code(client.profile.citizenship.map(|c| c.as_str())),
            referral_source: code(client.profile.referral_source.map(|r| r.as_str())),
        }
    }

    /// The change the form asks for: every box is sent. With a date of birth, the age follows
    /// it (as at intake: "age, if not the date of birth").
    fn raw(&self) -> RawEdit {
        let text = |v: &str| Some(Some(v.to_owned()));
        let age_band = if self.date_of_birth.trim().is_empty() {
            text(&self.age_band)
        } else {
            None
        };
        RawEdit {
            preferred_name: Some(self.preferred_name.clone()),
            legal_name: text(&self.legal_name),
            aliases: Some(line_list(&self.aliases)),
            date_of_birth: text(&self.date_of_birth),
            contact: text(&self.contact),
            languages: Some(comma_list(&self.languages)),
            gender: text(&self.gender),
            age_band,
            trafficking_type: text(&self.trafficking_type),
            citizenship: text(&self.citizenship),
            referral_source: text(&self.referral_source),
        }
    }
}

/// One change, as the history lists it.
struct ChangeLine {
    at: String,
    by: String,
    /// The fields changed, in words.
    fields: String,
    /// Each field's label and what it held before ("nothing" for a blank).
    before: Vec<(&'static str, String)>,
}

fn change_lines(signed_in: &SignedIn, changes: Vec<app::ClientChangeView>) -> Vec<ChangeLine> {
    let zone = signed_in.zone();
    changes
        .into_iter()
        .map(|change| {
            let labels: Vec<&str> = change.before.iter().map(|(f, _)| f.label()).collect();
            ChangeLine {
                at: when(zone, change.changed_at),
                by: change
                    .author_name
                    .unwrap_or_else(|| "an administrator".to_owned()),
                fields: labels.join(", "),
                before: change
                    .before
                    .into_iter()
                    .map(|(field, value)| (field.label(), shown(field, &value)))
                    .collect(),
            }
        })
        .collect()
}

/// A value the history kept, in words: a list one item a line, a code by its label.
fn shown(field: DetailField, value: &serde_json::Value) -> String {
    use serde_json::Value;
    let label = |code: &str| match field {
        DetailField::Gender => {
            Gender::parse(code).map_or(code.to_owned(), |v| v.label().to_owned())
        }
        DetailField::AgeBand => {
            AgeBand::parse(code).map_or(code.to_owned(), |v| v.label().to_owned())
        }
        DetailField::TraffickingType => {
            TraffickingType::parse(code).map_or(code.to_owned(), |v| v.label().to_owned())
        }
        DetailField::Citizenship => {
            Citizenship::parse(code).map_or(code.to_owned(), |v| v.label().to_owned())
        }
        DetailField::ReferralSource => {
            ReferralSource::parse(code).map_or(code.to_owned(), |v| v.label().to_owned())
        }
        _ => code.to_owned(),
    };
    match value {
        Value::String(text) => label(text),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => "nothing".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "staff/details.html")]
struct DetailsPage<'a> {
    chrome: Option<Chrome>,
    name: &'a str,
    action: String,
    back: String,
    /// The form, for someone who may change the details.
    form: Option<&'a DetailsForm>,
    genders: Vec<Choice>,
    age_bands: Vec<Choice>,
    profile_choices: ProfileChoices,
    history: Vec<ChangeLine>,
    problem: Option<String>,
}

/// The page: the client read for its heading and the history of changes, each audited.
async fn details_page(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    typed: Option<&DetailsForm>,
    problem: Option<String>,
) -> Response {
    let caller = &signed_in.caller;
    let purpose = app::Purpose::CaseWork;
    let reading = app.client_standing(caller, id, purpose, &[Action::ReadClient]);
    let (client, standing) = match reading.await {
        Ok(read) => read,
        Err(err) => return page::failure(err),
    };
    let changes = match app.client_changes(caller, id, purpose).await {
        Ok(changes) => changes,
        Err(err) => return page::failure(err),
    };
    let may_edit = domain::policy::permits(caller.role, standing, Action::EditClient);
    let current = DetailsForm::of(&client);
    let form = may_edit.then(|| typed.unwrap_or(&current));
    render(
        page::status_for(problem.as_ref()),
        &DetailsPage {
            chrome: Some(signed_in.chrome(Place::Elsewhere)),
            name: &client.preferred_name,
            action: links::of_client(links::DETAILS, id),
            back: links::client(id),
            form,
            genders: genders(),
            age_bands: age_bands(),
            profile_choices: ProfileChoices::new(),
            history: change_lines(signed_in, changes),
            problem,
        },
    )
}

async fn details(at: OnClient) -> Response {
    details_page(&at.app, &at.signed_in, at.id, None, None).await
}

async fn save(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<DetailsForm>,
) -> Response {
    let caller = &signed_in.caller;
    let edit = match form.raw().parse(app.now().date()) {
        Ok(edit) => edit,
        // Everything typed stays in the boxes, with the problem above them.
        Err(invalid) => {
            let problem = Some(invalid.to_string());
            return details_page(&app, &signed_in, id, Some(&form), problem).await;
        }
    };
    match app
        .edit_client(caller, id, &edit, app::Purpose::CaseWork)
        .await
    {
        Ok(_) => Redirect::to(&links::client(id)).into_response(),
        Err(err) => page::failure(err),
    }
}
