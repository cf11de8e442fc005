//! Pages about one client (`/app/clients/{id}...`) or one record of theirs: who is signed in, the
//! ids the address names, and the client read for the page's heading. A malformed id is "not
//! found", like a client the caller may not see (P7).

use std::future::Future;
use std::str::FromStr;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{ClientId, InvalidInput};

use super::links;
use super::page::{self, RecordId, RecordIds};
use super::session::SignedIn;

/// A page about one client (`/app/clients/{id}`, `/app/clients/{id}/safety`).
#[derive(Debug)]
pub(crate) struct OnClient {
    pub app: app::App,
    pub signed_in: SignedIn,
    pub id: ClientId,
}

impl FromRequestParts<app::App> for OnClient {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &app::App) -> Result<Self, Response> {
        let signed_in = <SignedIn as FromRequestParts<_>>::from_request_parts(parts, app).await?;
        let RecordId(id) = RecordId::from_request_parts(parts, app).await?;
        let app = app.clone();
        Ok(Self { app, signed_in, id })
    }
}

impl OnClient {
    /// The client, read (and audited) for `purpose`; else the page that says why not.
    pub async fn client(&self, purpose: app::Purpose) -> Result<app::ClientView, Response> {
        let caller = &self.signed_in.caller;
        let client = self.app.client(caller, self.id, purpose).await;
        client.map_err(page::failure)
    }

    /// The client, read for the form of `change` (a page that needs that allowed as well as
    /// reading the record); else the page that says why not.
    pub async fn client_to(
        &self,
        change: Change,
        purpose: app::Purpose,
    ) -> Result<app::ClientView, Response> {
        client_to(&self.app, &self.signed_in.caller, self.id, change, purpose)
            .await
            .map_err(page::failure)
    }
}

/// A change to a client's record whose form a page shows.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Change {
    Safety,
    Screening,
    Determination,
}

/// The client, read for the form of `change`: only for someone allowed to read the record and to
/// make that change, so that nobody is shown a form they may not send (P6).
pub(crate) async fn client_to(
    app: &app::App,
    caller: &app::Caller,
    id: ClientId,
    change: Change,
    purpose: app::Purpose,
) -> Result<app::ClientView, app::AppError> {
    use domain::policy::Action::{ReadClient, WriteDetermination, WriteSafety, WriteScreening};
    let actions: &'static [_] = match change {
        Change::Safety => &[ReadClient, WriteSafety],
        Change::Screening => &[ReadClient, WriteScreening],
        Change::Determination => &[ReadClient, WriteDetermination],
    };
    app.client_for(caller, id, purpose, actions).await
}

/// A page about one record of a client (`/app/clients/{id}/screenings/{screening}`).
#[derive(Debug)]
pub(crate) struct OnRecord<T> {
    pub app: app::App,
    pub signed_in: SignedIn,
    pub id: ClientId,
    pub record: T,
}

impl<T: FromStr> FromRequestParts<app::App> for OnRecord<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &app::App) -> Result<Self, Response> {
        let signed_in = <SignedIn as FromRequestParts<_>>::from_request_parts(parts, app).await?;
        let RecordIds(id, record) = RecordIds::from_request_parts(parts, app).await?;
        let app = app.clone();
        Ok(Self {
            app,
            signed_in,
            id,
            record,
        })
    }
}

impl<T> OnRecord<T> {
    /// The client (for the page's heading) and then what `records` reads of theirs, each read
    /// and audited for case work whatever the other's answer; else the page that says why not.
    pub async fn client_and<R>(
        &self,
        records: impl Future<Output = Result<R, app::AppError>>,
    ) -> Result<(app::ClientView, R), Response> {
        let caller = &self.signed_in.caller;
        let client = self
            .app
            .client(caller, self.id, app::Purpose::CaseWork)
            .await;
        match (client, records.await) {
            (Ok(client), Ok(records)) => Ok((client, records)),
            (Err(err), _) | (_, Err(err)) => Err(page::failure(err)),
        }
    }
}

/// A form of one client's page that came back refused, with what was typed: the page it is on
/// (one of `links`' `/app/clients/{id}/...`), and that page drawn again with it.
pub(crate) trait CameBack: Sized + Send {
    const PAGE: &'static str;

    fn again(
        self,
        app: &app::App,
        signed_in: &SignedIn,
        id: ClientId,
    ) -> impl Future<Output = Response> + Send;
}

/// After a change made from one client's page: on to the page once it is made; the page again
/// with the form that came back (the problem beside its box) when the input was refused; the
/// error's page otherwise.
pub(crate) async fn after<R: CameBack>(
    app: &app::App,
    signed_in: &SignedIn,
    id: ClientId,
    done: Result<(), app::AppError>,
    returned: impl FnOnce(InvalidInput) -> R,
) -> Response {
    match done {
        Ok(()) => Redirect::to(&links::of_client(R::PAGE, id)).into_response(),
        Err(app::AppError::Invalid(problem)) => returned(problem).again(app, signed_in, id).await,
        Err(err) => page::failure(err),
    }
}
