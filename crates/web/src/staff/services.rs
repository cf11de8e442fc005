//! Services on a client's page: the quick "Record a service" form (a type, today, in person: one
//! click for the common case) and the services given, newest first.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::case::parse_case_date;
use domain::service::{
    Minutes, NewService, RawService, SERVICE_TYPES, ServiceCategory, ServiceType, Units,
};
use domain::time::ProgramZone;
use domain::{ClientId, InvalidInput, Timestamp};
use serde::Deserialize;

use super::choices::{SERVICE_MODES, labelled};
use super::clients::{Returned, client_page};
use super::links;
use super::page::{self, RecordId};
use super::session::StaffForm;
use super::typed::Typed;

/// The form as typed: every box kept as it was, to be shown again beside a problem.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServiceForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub delivered_on: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub units: String,
    #[serde(default)]
    pub note: String,
}

impl ServiceForm {
    fn parse(&self, now: Timestamp) -> Result<NewService, InvalidInput> {
        RawService {
            delivered_on: parse_case_date("delivered_on", &self.delivered_on)?,
            code: &self.code,
            mode: &self.mode,
            minutes: Minutes::parse_typed(&self.minutes)?,
            units: Units::parse_typed(&self.units)?,
            note: Some(&self.note),
        }
        .parse(now)
    }
}

/// The "Record a service" form: blank but for today and in person, or as typed.
pub(crate) type ServiceFields = Typed<ServiceForm>;

/// A blank form, its day today in `zone`.
pub(crate) fn blank(client: ClientId, zone: &ProgramZone, now: Timestamp) -> ServiceFields {
    let form = ServiceForm {
        delivered_on: zone.day(now),
        mode: "in-person".to_owned(),
        ..ServiceForm::default()
    };
    typed(client, form, None)
}

fn typed(client: ClientId, form: ServiceForm, problem: Option<InvalidInput>) -> ServiceFields {
    Typed::new(links::of_client(links::SERVICES, client), form, problem)
}

/// The types of service a form offers, grouped by category in the order of the taxonomy.
pub(crate) struct TypeGroup {
    pub label: &'static str,
    pub types: Vec<&'static ServiceType>,
}

pub(crate) fn type_groups() -> Vec<TypeGroup> {
    ServiceCategory::ALL
        .iter()
        .map(|category| TypeGroup {
            label: category.label(),
            types: SERVICE_TYPES
                .iter()
                .filter(|kind| kind.category == *category)
                .collect(),
        })
        .collect()
}

/// How a service was given, and how much: "in person, 50 minutes".
pub(crate) fn how(service: &app::ServiceView) -> String {
    let mut how = vec![labelled(SERVICE_MODES, service.mode.as_str()).to_lowercase()];
    how.extend(service.minutes.map(|m| format!("{m} minutes")));
    how.extend(service.units.map(|u| format!("{u} units")));
    how.join(", ")
}

pub(crate) async fn record_service(
    State(app): State<app::App>,
    RecordId(id): RecordId<ClientId>,
    StaffForm { signed_in, form }: StaffForm<ServiceForm>,
) -> Response {
    let recorded = match form.parse(app.now()) {
        Ok(service) => {
            app.record_service(&signed_in.caller, id, service, app::Purpose::CaseWork)
                .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match recorded {
        Ok(_) => Redirect::to(&links::client_section(id, "services")).into_response(),
        // What was typed stays in the boxes, with the problem beside the one it is about.
        Err(app::AppError::Invalid(invalid)) => {
            let fields = typed(id, form, Some(invalid));
            client_page(
                &app,
                &signed_in,
                id,
                Default::default(),
                Returned::Service(fields),
            )
            .await
        }
        Err(err) => page::failure(err),
    }
}
