//! One client's use case in a transaction of its own: find the client and decide access (a
//! refusal is audited and answered as "not found"), act, sealing under the client's key, then
//! append the audit event of what was done and commit, so the action and its record stand or fall
//! together. Every such use case goes through here, so a new kind of client record brings only
//! its own lines.

use crypto::DataKey;
use domain::ClientId;
use domain::audit::{Actor, AuditAction};
use domain::audit_words::purpose_under;
use domain::policy::Action;

use crate::access::{ClientGrant, target};
use crate::group_commit::{Ask, Share};
use crate::{App, AppError, Caller, Purpose, Result};

/// Work on one client, access granted, in the transaction that will commit it.
#[derive(Debug)]
pub(crate) struct ClientWork<'a> {
    app: &'a App,
    caller: &'a Caller,
    pub tx: store::Tx,
    pub grant: ClientGrant,
}

impl App {
    /// One part of a client's record, read or written and audited in a transaction of its own:
    /// `act` gets the transaction and the client once `action` is granted, and `audited` is
    /// recorded with what it did.
    pub(crate) async fn record_part<T>(
        &self,
        caller: &Caller,
        client: ClientId,
        (action, audited): (Action, AuditAction),
        purpose: Purpose,
        act: impl AsyncFnOnce(&mut store::Tx, ClientId) -> Result<T>,
    ) -> Result<T> {
        let mut work = self.client_work(caller, client, &[action]).await?;
        let part = act(&mut work.tx, work.grant.client).await?;
        work.done(audited, purpose).await?;
        Ok(part)
    }

    /// Begins work on `client` for `caller`, who must be allowed every one of `actions`.
    pub(crate) async fn client_work<'a>(
        &'a self,
        caller: &'a Caller,
        client: ClientId,
        actions: &[Action],
    ) -> Result<ClientWork<'a>> {
        let tx = self.store().write().await?;
        let (tx, grant) = self.grant_client_all(tx, caller, client, actions).await?;
        Ok(ClientWork {
            app: self,
            caller,
            tx,
            grant,
        })
    }
}

impl App {
    /// Reads about one client in the shared, group-committed transaction. The client, the facts
    /// of how the caller stands to them and their key come prefetched for the whole batch, with
    /// whatever `with` adds to the ask (`Ask::with`); `decide` grants every one of `actions` or the
    /// refusal is audited and answered "not found"; then each of `audited` is recorded and `read`
    /// takes what it needs from the share. Nothing is answered before the batch is durable.
    #[allow(clippy::too_many_arguments)] // each says what the read is; a struct would only rename them
    pub(crate) async fn read_client<T: Send + 'static>(
        &self,
        caller: &Caller,
        client: ClientId,
        with: impl FnOnce(Ask) -> Ask,
        actions: &'static [Action],
        audited: &'static [AuditAction],
        purpose: Purpose,
        read: impl FnOnce(ClientGrant, &mut Share<'_>) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let caller = caller.clone();
        let ask = with(Ask::client(client, caller.id));
        self.grouped(ask, move |app, mut share| {
            Box::pin(async move {
                let grant =
                    match app.granted(&caller, client, actions, audited, purpose, &mut share) {
                        Ok(grant) => grant,
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                let read = read(grant, &mut share)?;
                Ok(Ok(read))
            })
        })
        .await
    }

    /// Writes to one client in the shared, group-committed transaction, as `read_client` reads:
    /// once every one of `actions` is granted, `plan` plans what to write from the grant and the
    /// client's key, with the value to answer, and `audited` is recorded with it. The batch
    /// writes the plan with every other request's (`GroupCommit::run_planned`); should it fail,
    /// nothing of it is written or recorded. Nothing is answered before the batch is durable.
    pub(crate) async fn write_client<T, F>(
        &self,
        caller: &Caller,
        client: ClientId,
        (actions, audited): (&'static [Action], AuditAction),
        purpose: Purpose,
        plan: F,
    ) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&App, ClientGrant, DataKey) -> Result<(store::Plan, T)> + Send + 'static,
    {
        let caller = caller.clone();
        let ask = Ask::client(client, caller.id);
        let group = &self.inner.group_commit;
        group
            .run_planned(self, ask, move |app, mut share| {
                let audited = std::slice::from_ref(&audited);
                let grant =
                    match app.granted(&caller, client, actions, audited, purpose, &mut share) {
                        Ok(grant) => grant,
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                // Found with no key: erased since.
                let key = share.key.take().ok_or(AppError::NotFound)??;
                Ok(Ok(plan(app, grant, key)?))
            })
            .await
    }

    /// The decision on the share's client: a grant, with each of `audited` recorded, or the
    /// refusal recorded and answered "not found".
    fn granted(
        &self,
        caller: &Caller,
        client: ClientId,
        actions: &[Action],
        audited: &[AuditAction],
        purpose: Purpose,
        share: &mut Share<'_>,
    ) -> Result<ClientGrant> {
        let grant = match self.decide(caller, client, actions, share.found.take()) {
            Ok(grant) => grant,
            Err(refusal) => {
                share.events.push(refusal);
                return Err(AppError::NotFound);
            }
        };
        let why = purpose_under(grant.relationship, purpose.as_str());
        for action in audited {
            let event = self.event(Actor::User(caller.id), *action, Some(target(client)), &why);
            share.events.push(event);
        }
        Ok(grant)
    }
}

impl<'a> ClientWork<'a> {
    /// The client's data key, to seal and open their fields; `NotFound` once they are erased.
    /// (The future holds no borrow of the work: a transaction may not be shared across threads.)
    pub fn key(&self) -> impl Future<Output = Result<DataKey>> + Send + 'a {
        let (app, client) = (self.app, self.grant.client);
        async move { app.client_key(client).await }
    }

    /// Audits what was done to the client, and why (marked as an emergency when that is how the
    /// caller sees the record), and commits it with the work.
    pub async fn done(self, action: AuditAction, purpose: Purpose) -> Result<()> {
        self.done_because(action, purpose.as_str()).await
    }

    /// Audits a refusal made once access was granted (data no release lets leave) and commits
    /// that alone: the work did nothing else before it was refused.
    pub async fn record_refusal(mut self, action: AuditAction, code: &str) -> Result<()> {
        let actor = Actor::User(self.caller.id);
        let client = Some(target(self.grant.client));
        self.app
            .audit(&mut self.tx, actor, action, client, code)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }

    /// `done`, with a purpose of the use case's own (a fixed text, never anything typed).
    pub async fn done_because(mut self, action: AuditAction, purpose: &str) -> Result<()> {
        let actor = Actor::User(self.caller.id);
        let client = Some(target(self.grant.client));
        let why = purpose_under(self.grant.relationship, purpose);
        self.app
            .audit(&mut self.tx, actor, action, client, &why)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }
}
