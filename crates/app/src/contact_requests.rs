//! Safe-contact requests: taken from the public pages, sealed under a data key of their own,
//! queued for staff, claimed by one person, then turned into a client record or closed. Closing
//! or expiring a request destroys its key, so its details are gone for good (backups included).
//! Only the person who claimed a request reads it; everyone else sees when it came, not what it
//! says.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::contact_request::{
    CLAIM_LASTS_DAYS, EXPIRES_AFTER_DAYS, MAX_WAITING, NewContactRequest, Outcome, PER_HOUR,
    RELEASED_LASTS_DAYS, RawContactRequest,
};
use domain::policy::Action;
use domain::{ClientId, ContactRequestId, Timestamp, UserId};
use serde::{Deserialize, Serialize};
use store::rows::ContactRequestRow;

use crate::access::target;
use crate::seal::{open, seal};
use crate::{App, AppError, Caller, Result};

const TABLE: &str = "contact_requests";
/// The window the hourly limit counts over.
const AN_HOUR_MS: i64 = 60 * 60 * 1000;
/// The most requests the queue page lists (the waiting limit is the real bound).
const QUEUE_PAGE: i64 = MAX_WAITING;

/// What the sealed `details` column holds.
#[derive(Serialize, Deserialize)]
struct Details {
    alias: String,
    reach: String,
    times: Option<String>,
    code_word: Option<String>,
}

/// Whether a request was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    Taken,
    /// The hourly or waiting limit is reached; nothing was stored.
    Busy,
}

/// A line of the queue: when a request came and who has it, never what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRequestSummary {
    pub id: ContactRequestId,
    pub received_at: Timestamp,
    pub expires_at: Timestamp,
    pub language: String,
    pub claimed_by: Option<UserId>,
    pub claimed_by_name: Option<String>,
}

/// A claimed request, opened for the person who claimed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRequestView {
    pub summary: ContactRequestSummary,
    pub alias: String,
    pub reach: String,
    pub times: Option<String>,
    pub code_word: Option<String>,
}

fn request_target(id: ContactRequestId) -> String {
    format!("contact-request:{id}")
}

/// Page languages are short codes; anything else is stored as unknown.
fn language_code(raw: &str) -> String {
    if (2..=8).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        raw.to_owned()
    } else {
        "und".to_owned()
    }
}

impl App {
    /// Takes a request from the public pages. The person is never identified: the audit event's
    /// actor is "public", and nothing about where the request came from is kept.
    pub async fn receive_contact_request(
        &self,
        request: NewContactRequest,
        language: &str,
    ) -> Result<Received> {
        let now = self.now();
        let mut tx = self.store().write().await?;
        let (recent, waiting) = tx
            .contact_request_load(Timestamp::from_unix_millis(now.unix_millis() - AN_HOUR_MS))
            .await?;
        if recent >= PER_HOUR || waiting >= MAX_WAITING {
            tx.rollback().await?;
            tracing::warn!(
                recent,
                waiting,
                "a safe-contact request was turned away: the limit is reached"
            );
            return Ok(Received::Busy);
        }
        let id = ContactRequestId::from_random(self.entropy().bytes());
        let dek = self.new_client_key(id.client_key_slot()).await?;
        let details = Details {
            alias: request.alias.as_str().to_owned(),
            reach: request.reach.as_str().to_owned(),
            times: request.times.as_ref().map(|t| t.as_str().to_owned()),
            code_word: request.code_word.as_ref().map(|c| c.as_str().to_owned()),
        };
        let json = serde_json::to_string(&details)
            .map_err(|_| AppError::Conflict("the request could not be sealed"))?;
        let row = ContactRequestRow {
            id,
            received_at: now,
            expires_at: now.plus_days(EXPIRES_AFTER_DAYS),
            language: language_code(language),
            details: Some(seal(self, &dek, TABLE, "details", &id.to_string(), &json)),
            claimed_by: None,
            claimed_at: None,
            closed_at: None,
            outcome: None,
        };
        tx.insert_contact_request(&row).await?;
        self.audit(
            &mut tx,
            Actor::Public,
            AuditAction::ContactRequestReceive,
            Some(request_target(id)),
            "contact-request",
        )
        .await?;
        tx.commit().await?;
        Ok(Received::Taken)
    }

    /// The waiting requests, oldest first. Expired ones are cleared out first.
    pub async fn contact_requests(&self, caller: &Caller) -> Result<Vec<ContactRequestSummary>> {
        self.grant_role(caller, Action::ListContactRequests)?;
        self.expire_contact_requests().await?;
        let mut tx = self.store().write().await?;
        let rows = tx.waiting_contact_requests(QUEUE_PAGE).await?;
        let holders: Vec<UserId> = rows.iter().filter_map(|r| r.claimed_by).collect();
        let names = tx.usernames_of(&holders).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::ContactRequestList,
            None,
            "intake",
        )
        .await?;
        tx.commit().await?;
        Ok(rows.into_iter().map(|row| summary(row, &names)).collect())
    }

    /// Claims a waiting request. Someone else's claim, a closed request and no request at all are
    /// told apart from success only: the caller learns nothing about other people's requests.
    pub async fn claim_contact_request(&self, caller: &Caller, id: ContactRequestId) -> Result<()> {
        self.grant_role(caller, Action::HandleContactRequest)?;
        let mut tx = self.store().write().await?;
        let already_mine = tx
            .contact_request(id)
            .await?
            .is_some_and(|r| r.closed_at.is_none() && r.claimed_by == Some(caller.id));
        if !already_mine && !tx.claim_contact_request(id, caller.id, self.now()).await? {
            return self.refuse_request(tx, caller, id).await;
        }
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::ContactRequestClaim,
            Some(request_target(id)),
            "intake",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Opens a request for the person who claimed it.
    pub async fn contact_request(
        &self,
        caller: &Caller,
        id: ContactRequestId,
    ) -> Result<ContactRequestView> {
        self.grant_role(caller, Action::HandleContactRequest)?;
        let key = self.client_key(id.client_key_slot()).await;
        let mut tx = self.store().write().await?;
        let Some(row) = claimed_by(&mut tx, caller, id).await? else {
            return self.refuse_request(tx, caller, id).await;
        };
        let details = open_details(&row, &key?)?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::ContactRequestRead,
            Some(request_target(id)),
            "intake",
        )
        .await?;
        tx.commit().await?;
        let names = HashMap::from([(caller.id, caller.username.clone())]);
        Ok(ContactRequestView {
            summary: summary(row, &names),
            alias: details.alias,
            reach: details.reach,
            times: details.times,
            code_word: details.code_word,
        })
    }

    /// Closes a claimed request with its outcome; its details and key are destroyed.
    pub async fn close_contact_request(
        &self,
        caller: &Caller,
        id: ContactRequestId,
        outcome: Outcome,
    ) -> Result<()> {
        self.grant_role(caller, Action::HandleContactRequest)?;
        let mut tx = self.store().write().await?;
        if claimed_by(&mut tx, caller, id).await?.is_none() {
            return self.refuse_request(tx, caller, id).await;
        }
        tx.close_contact_request(id, outcome.as_str(), self.now())
            .await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::ContactRequestClose,
            Some(request_target(id)),
            outcome.as_str(),
        )
        .await?;
        // As in erasure: the key goes before the records commit.
        self.key_store().destroy(id.client_key_slot()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns a claimed request into a client record assigned to the caller: the nickname becomes
    /// the name they are called; the way to reach them, the safe time and the code word, in
    /// their words, their safety flags (`NewContactRequest::into_client`). The request's key
    /// becomes the client's key.
    pub async fn contact_request_to_client(
        &self,
        caller: &Caller,
        id: ContactRequestId,
    ) -> Result<ClientId> {
        self.grant_role(caller, Action::HandleContactRequest)?;
        self.grant_role(caller, Action::CreateClient)?;
        let key = self.client_key(id.client_key_slot()).await;
        let mut tx = self.store().write().await?;
        let Some(row) = claimed_by(&mut tx, caller, id).await? else {
            return self.refuse_request(tx, caller, id).await;
        };
        let dek = key?;
        let details = open_details(&row, &dek)?;
        let request = RawContactRequest {
            alias: details.alias,
            reach: details.reach,
            times: details.times.unwrap_or_default(),
            code_word: details.code_word.unwrap_or_default(),
        }
        .parse()?;
        let client = id.client_key_slot();
        let now = self.now();
        let actor = Actor::User(caller.id);
        tx.insert_client(&self.client_row(
            client,
            &dek,
            (actor, self.now()),
            &request.into_client()?,
        ))
        .await?;
        tx.assign(client, caller.id, now).await?;
        let outcome = Outcome::BecameClient.as_str();
        tx.close_contact_request(id, outcome, now).await?;
        for (action, what) in [
            (AuditAction::ContactRequestClose, request_target(id)),
            (AuditAction::ClientCreate, target(client)),
        ] {
            self.audit(&mut tx, actor, action, Some(what), outcome)
                .await?;
        }
        tx.commit().await?;
        Ok(client)
    }

    /// Closes every unclaimed request past its 30 days, and every claimed one left open for 90,
    /// and destroys their keys. Runs before the queue is shown and on a schedule in `serve`;
    /// returns how many expired.
    pub async fn expire_contact_requests(&self) -> Result<usize> {
        let now = self.now();
        let claimed_before = now.plus_days(-CLAIM_LASTS_DAYS);
        let mut tx = self.store().write().await?;
        let expired = tx.expired_contact_requests(now, claimed_before).await?;
        if expired.is_empty() {
            tx.rollback().await?;
            return Ok(0);
        }
        let mut count = 0;
        for id in &expired {
            // Another server may have expired it a moment ago.
            if !tx
                .close_contact_request(*id, Outcome::Expired.as_str(), now)
                .await?
            {
                continue;
            }
            self.audit(
                &mut tx,
                Actor::System,
                AuditAction::ContactRequestExpire,
                Some(request_target(*id)),
                "retention",
            )
            .await?;
            self.key_store().destroy(id.client_key_slot()).await?;
            count += 1;
        }
        tx.commit().await?;
        Ok(count)
    }

    /// Hands back the open requests `user` claimed, in `tx`, each audited; used when their
    /// account is switched off so that nobody who asked for help waits on someone who left.
    pub(crate) async fn release_claims_of(
        &self,
        tx: &mut store::Tx,
        actor: Actor,
        user: UserId,
    ) -> Result<()> {
        let until = self.now().plus_days(RELEASED_LASTS_DAYS);
        for id in tx.release_contact_claims(user, until).await? {
            self.audit(
                tx,
                actor,
                AuditAction::ContactRequestRelease,
                Some(request_target(id)),
                "claimant switched off",
            )
            .await?;
        }
        Ok(())
    }

    /// Audits a refused look at a request and answers as if there were none (P7).
    async fn refuse_request<T>(
        &self,
        mut tx: store::Tx,
        caller: &Caller,
        id: ContactRequestId,
    ) -> Result<T> {
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::AccessRefused,
            Some(request_target(id)),
            "refused: contact request not claimed by the caller",
        )
        .await?;
        tx.commit().await?;
        Err(AppError::NotFound)
    }
}

/// The request, if it is waiting and the caller claimed it.
async fn claimed_by(
    tx: &mut store::Tx,
    caller: &Caller,
    id: ContactRequestId,
) -> Result<Option<ContactRequestRow>> {
    Ok(tx
        .contact_request(id)
        .await?
        .filter(|r| r.closed_at.is_none() && r.claimed_by == Some(caller.id)))
}

fn open_details(row: &ContactRequestRow, dek: &crypto::DataKey) -> Result<Details> {
    let sealed = row.details.as_deref().ok_or(AppError::NotFound)?;
    let json = open(dek, TABLE, "details", &row.id.to_string(), sealed)?;
    serde_json::from_str(&json)
        .map_err(|_| AppError::Store(store::StoreError::Corrupt("a contact request")))
}

fn summary(row: ContactRequestRow, names: &HashMap<UserId, String>) -> ContactRequestSummary {
    ContactRequestSummary {
        id: row.id,
        received_at: row.received_at,
        expires_at: row.expires_at,
        language: row.language,
        claimed_by_name: row.claimed_by.and_then(|u| names.get(&u).cloned()),
        claimed_by: row.claimed_by,
    }
}
