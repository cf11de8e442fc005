//! The contact log on a client's page: the "Log a contact" form and the contacts it lists, newest
//! first, attempts shown as attempts, in plain words ("We tried to reach Rosa by phone; not
//! reached this time").

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::contact::{ContactMethod, Minutes, NewContact, RawContact};
use domain::time::ProgramZone;
use domain::{ClientId, InvalidInput, Timestamp};
use serde::Deserialize;

use super::clients::{Returned, client_page};
use super::links;
use super::page::{self, RecordId};
use super::session::StaffForm;
use super::typed::Typed;

/// The form as typed: every box kept as it was, to be shown again beside a problem.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactForm {
    #[serde(default)]
    pub occurred_at: String,
    #[serde(default)]
    pub method: String,
    /// `yes` or `no`.
    #[serde(default)]
    pub reached: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub present: String,
    #[serde(default)]
    pub note: String,
}

impl ContactForm {
    /// Reads the form, its time in the zone the worker reads times in.
    pub(crate) fn parse(
        &self,
        zone: &ProgramZone,
        now: Timestamp,
    ) -> Result<NewContact, InvalidInput> {
        let occurred_at = zone.parse_minute("occurred_at", &self.occurred_at)?;
        let reached = match self.reached.as_str() {
            "yes" => true,
            "no" => false,
            _ => {
                return Err(InvalidInput::new(
                    "reached",
                    "say whether you reached the person (an attempt counts too)",
                ));
            }
        };
        RawContact {
            occurred_at,
            method: &self.method,
            reached,
            minutes: Minutes::parse_typed(&self.minutes)?,
            present: Some(&self.present),
            note: Some(&self.note),
        }
        .parse(now)
    }
}

/// The "Log a contact" form on a client's page: blank but for now (and the first method), or as
/// typed with the problem beside the box it is about.
pub(crate) type ContactFields = Typed<ContactForm>;

/// A blank form, its time now in `zone`.
pub(crate) fn blank(client: ClientId, zone: &ProgramZone, now: Timestamp) -> ContactFields {
    let form = ContactForm {
        occurred_at: zone.minute_input(now),
        ..ContactForm::default()
    };
    typed(client, form, None)
}

fn typed(client: ClientId, form: ContactForm, problem: Option<InvalidInput>) -> ContactFields {
    Typed::new(links::of_client(links::CONTACTS, client), form, problem)
}

/// How a contact was made, after "reach Rosa".
fn how(method: ContactMethod) -> &'static str {
    match method {
        ContactMethod::InPerson => "in person",
        ContactMethod::Phone => "by phone",
        ContactMethod::Text => "by text message",
        ContactMethod::Video => "by video call",
        ContactMethod::Outreach => "on outreach",
    }
}

/// What happened in a contact with `name`, or an attempt at one, in a sentence.
pub(crate) fn summary(name: &str, contact: &app::ContactView) -> String {
    if contact.reached {
        let length = contact
            .minutes
            .map_or(String::new(), |m| format!(" ({m} minutes)"));
        format!("We reached {name} {}{length}.", how(contact.method))
    } else {
        format!(
            "We tried to reach {name} {}; not reached this time.",
            how(contact.method)
        )
    }
}

pub(crate) async fn log_contact(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<ContactForm>,
) -> Response {
    let logged = match form.parse(signed_in.zone(), app.now()) {
        Ok(contact) => {
            app.log_contact(&signed_in.caller, id, contact, app::Purpose::CaseWork)
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match logged {
        Ok(_) => Redirect::to(&links::client_section(id, "contacts")).into_response(),
        // What was typed stays in the boxes, with the problem beside the one it is about.
        Err(app::AppError::Invalid(invalid)) => {
            let fields = typed(id, form, Some(invalid));
            client_page(
                &app,
                &signed_in,
                id,
                Default::default(),
                Returned::Contact(fields),
            )
            .await
        }
        Err(err) => page::failure(err),
    }
}
