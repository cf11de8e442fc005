//! Emergency access ("break the glass", P8): a member of staff opens a record that is not theirs,
//! with a reason and their password and a fresh code, for an hour, to read it and add notes. The
//! access and its reason are audited in the transaction that grants it, and wait in a queue until
//! a lead of the holder's teams (or, if they have none, any supervisor) has reviewed them.

use crate::signin::{Proof, SignInError};
use domain::audit::{Actor, AuditAction};
use domain::client::DateOfBirth;
use domain::emergency::{EmergencyReason, ReviewComment, ReviewOutcome, expires_at};
use domain::policy::{Action, Facts, Refusal, Subject, decide, reviews_emergency_access};
use domain::{ClientId, EmergencyAccessId, Timestamp, UserId};
use store::rows::{EmergencyAccessRow, ReviewedAccessRow};

use crate::access::target;
use crate::access_log::{LogLine, LogQuery, log_page};
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Result};

const TABLE: &str = "emergency_access";

/// An emergency access waiting for review, as a supervisor sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyView {
    pub id: EmergencyAccessId,
    pub client: ClientId,
    /// The name the client is called, when the reviewer may see the client themselves.
    pub name: Option<String>,
    pub by: String,
    pub by_id: UserId,
    /// `None` when the client has since been erased.
    pub reason: Option<String>,
    pub granted_at: Timestamp,
    pub expires_at: Timestamp,
    /// What they did with the record in their hour, a visit to a line.
    pub opened: Vec<LogLine>,
}

/// How the worker names the record they need in an emergency.
#[derive(Debug, Clone, Copy)]
pub enum Whom<'a> {
    /// The record's reference, as a colleague or a referral gives it.
    Reference(ClientId),
    /// The person's name (legal or used) and date of birth, both exactly as recorded: found
    /// through the blind indexes, and only when one record alone matches.
    Identity {
        name: &'a str,
        date_of_birth: DateOfBirth,
    },
}

/// How far back the reviews page shows reviews already made, and how many at most.
const RECENT_REVIEW_DAYS: i64 = 30;
const RECENT_REVIEWS_SHOWN: usize = 50;

/// An emergency access already reviewed, as the reviews page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedView {
    pub client: ClientId,
    pub by: String,
    /// `None` when the client has since been erased.
    pub reason: Option<String>,
    pub granted_at: Timestamp,
    pub outcome: ReviewOutcome,
    pub reviewer: String,
    pub reviewed_at: Timestamp,
    pub comment: Option<String>,
}

fn emergency_target(id: EmergencyAccessId) -> String {
    format!("emergency:{id}")
}

impl App {
    /// Opens a client's record to the caller for an hour, and says which. Needs the caller's
    /// password and a fresh code (checked like a sign-in, soft lock included) and a reason; the
    /// record is looked for only once they are proven, and every look is audited. A record the
    /// caller may already read needs no emergency; one that does not exist, is not the only
    /// match, or may not be opened in an emergency is "not found", and the attempt is audited.
    pub async fn break_glass(
        &self,
        token: &str,
        caller: &Caller,
        whom: Whom<'_>,
        reason: &EmergencyReason,
        proof: Proof<'_>,
    ) -> Result<std::result::Result<ClientId, SignInError>> {
        self.grant_role(caller, Action::BreakGlass)?;
        let (mut tx, _) = match self.proven(caller, proof).await? {
            Ok(checked) => checked,
            Err(refused) => return Ok(Err(refused)),
        };
        self.mark_reauthenticated(&mut tx, token, caller).await?;
        let client = match whom {
            Whom::Reference(client) => client,
            Whom::Identity {
                name,
                date_of_birth,
            } => {
                let indexer = self.indexer();
                let found = tx
                    .clients_by_identity(
                        &indexer.name(name),
                        &indexer.date_of_birth(&date_of_birth.iso()),
                    )
                    .await?;
                let only = match found.as_slice() {
                    [only] => Some(*only),
                    _ => None,
                };
                let actor = Actor::User(caller.id);
                let look = AuditAction::EmergencyLookup;
                self.audit(&mut tx, actor, look, only.map(target), "emergency")
                    .await?;
                let Some(client) = only else {
                    tx.commit().await?;
                    return Err(AppError::NotFound);
                };
                client
            }
        };
        let now = self.now();
        let facts = tx
            .client_for(client, caller.id, now)
            .await?
            .map(|(_, facts)| facts);
        // A record the caller may read already needs no emergency.
        if decide(caller.role, Subject::Client(facts), &[Action::ReadClient]).is_ok() {
            tx.commit().await?;
            return Ok(Ok(client));
        }
        // What an emergency would open (never a restricted record, nor one that is not there).
        let opened = Subject::Client(facts.map(Facts::with_emergency_access));
        if let Err(refusal) = decide(caller.role, opened, &[Action::ReadClient]) {
            let refusal = Refusal {
                action: Action::BreakGlass,
                ..refusal
            };
            tx.append_audit(
                &self.refusal(caller, client, refusal),
                &self.keyring().audit_key(),
            )
            .await?;
            tx.commit().await?;
            return Err(AppError::NotFound);
        }
        let dek = self.client_key(client).await?;
        let id = EmergencyAccessId::from_random(self.entropy().bytes());
        tx.insert_emergency_access(&EmergencyAccessRow {
            id,
            client_id: client,
            user_id: caller.id,
            reason: Some(seal(
                self,
                &dek,
                TABLE,
                "reason",
                &id.to_string(),
                reason.as_str(),
            )),
            granted_at: now,
            expires_at: expires_at(now),
        })
        .await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::EmergencyAccess,
            Some(target(client)),
            &format!("emergency; review {}", emergency_target(id)),
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(client))
    }

    /// Emergency accesses waiting for review, oldest first, with their reasons and what was
    /// opened: those the caller reviews (`reviews_emergency_access`), and their own, which
    /// someone else must review. The client's name is shown (and its reading audited) only to a
    /// reviewer the policy lets read the record.
    pub async fn emergency_reviews(&self, caller: &Caller) -> Result<Vec<EmergencyView>> {
        self.grant_role(caller, Action::ReviewEmergencyAccess)?;
        let now = self.now();
        let mut tx = self.store().write().await?;
        let rows = awaiting_review_by(&mut tx, caller.id).await?;
        let holders: Vec<UserId> = rows.iter().map(|r| r.user_id).collect();
        let names = tx.usernames_of(&holders).await?;
        let mut seen = Vec::with_capacity(rows.len());
        let mut opened = Vec::with_capacity(rows.len());
        for row in &rows {
            let found = tx.client_for(row.client_id, caller.id, now).await?;
            let client = found.and_then(|(client, facts)| {
                let subject = Subject::Client(Some(facts));
                decide(caller.role, subject, &[Action::ReadClient])
                    .is_ok()
                    .then_some(client)
            });
            if client.is_some() {
                let about = Some(target(row.client_id));
                let actor = Actor::User(caller.id);
                let read = AuditAction::ClientRead;
                self.audit(&mut tx, actor, read, about, "supervision")
                    .await?;
            }
            seen.push(client);
            let during = LogQuery {
                username: names.get(&row.user_id).cloned(),
                record: Some(row.client_id),
                from: Some(row.granted_at),
                until: Some(row.expires_at),
                ..LogQuery::default()
            };
            opened.push(log_page(&mut tx, &during).await?.lines);
        }
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::EmergencyReviewList,
            None,
            "supervision",
        )
        .await?;
        tx.commit().await?;
        let ids: Vec<ClientId> = rows.iter().map(|r| r.client_id).collect();
        let keys = self.client_keys(&ids).await?;
        rows.into_iter()
            .zip(seen.into_iter().zip(opened))
            .map(|(row, (client, opened))| {
                // An erased client's key is gone, and the reason with it.
                let reason = match keys.get(&row.client_id) {
                    Some(dek) => open_opt(
                        dek,
                        TABLE,
                        "reason",
                        &row.id.to_string(),
                        row.reason.as_deref(),
                    )?,
                    None => None,
                };
                let name = match (client, keys.get(&row.client_id)) {
                    (Some(client), Some(dek)) => {
                        Some(Self::open_client(&client, dek)?.preferred_name)
                    }
                    _ => None,
                };
                Ok(EmergencyView {
                    id: row.id,
                    client: row.client_id,
                    name,
                    opened,
                    by: names.get(&row.user_id).cloned().unwrap_or_default(),
                    by_id: row.user_id,
                    reason,
                    granted_at: row.granted_at,
                    expires_at: row.expires_at,
                })
            })
            .collect()
    }

    /// The emergency accesses reviewed in the last 30 days that the caller reviews, reviewed or
    /// held, the latest review first, with the decision and the reviewer's comment (opened
    /// under the client's key: none for a client since erased). Looking is audited.
    pub async fn recent_reviews(&self, caller: &Caller) -> Result<Vec<ReviewedView>> {
        self.grant_role(caller, Action::ReviewEmergencyAccess)?;
        let since = self.now().plus_days(-RECENT_REVIEW_DAYS);
        let mut tx = self.store().write().await?;
        let rows = tx.reviewed_emergency_access(since, 200).await?;
        let reviewed_by = |row: &ReviewedAccessRow| row.reviewed_by;
        let mine: Vec<ReviewedAccessRow> = rows
            .iter()
            .filter(|row| reviewed_by(row) == caller.id)
            .cloned()
            .collect();
        let others = rows
            .into_iter()
            .filter(|row| reviewed_by(row) != caller.id)
            .collect();
        let mut rows = seen_by(&mut tx, caller.id, others, |row| row.access.user_id).await?;
        rows.extend(mine);
        rows.sort_by(|a, b| {
            b.reviewed_at
                .cmp(&a.reviewed_at)
                .then(a.access.id.cmp(&b.access.id))
        });
        rows.truncate(RECENT_REVIEWS_SHOWN);
        let people: Vec<UserId> = rows
            .iter()
            .flat_map(|r| [r.access.user_id, r.reviewed_by])
            .collect();
        let names = tx.usernames_of(&people).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::EmergencyReviewList,
            None,
            "supervision",
        )
        .await?;
        tx.commit().await?;
        let ids: Vec<ClientId> = rows.iter().map(|r| r.access.client_id).collect();
        let keys = self.client_keys(&ids).await?;
        rows.into_iter()
            .map(|row| {
                let id = row.access.id.to_string();
                let dek = keys.get(&row.access.client_id);
                let opened = |column, blob: Option<&[u8]>| match dek {
                    Some(dek) => open_opt(dek, TABLE, column, &id, blob),
                    None => Ok(None),
                };
                let name = |user| names.get(&user).cloned().unwrap_or_default();
                Ok(ReviewedView {
                    client: row.access.client_id,
                    by: name(row.access.user_id),
                    reason: opened("reason", row.access.reason.as_deref())?,
                    granted_at: row.access.granted_at,
                    outcome: ReviewOutcome::parse(&row.outcome)
                        .map_err(|_| store::StoreError::Corrupt("a review's outcome"))?,
                    reviewer: name(row.reviewed_by),
                    reviewed_at: row.reviewed_at,
                    comment: opened("review_comment", row.comment.as_deref())?,
                })
            })
            .collect()
    }

    /// Records a supervisor's review of an emergency access, with their comment sealed under the
    /// client's key (none is kept for a client since erased). Nobody reviews their own.
    pub async fn review_emergency(
        &self,
        caller: &Caller,
        id: EmergencyAccessId,
        outcome: ReviewOutcome,
        comment: Option<&ReviewComment>,
    ) -> Result<()> {
        self.grant_role(caller, Action::ReviewEmergencyAccess)?;
        let mut tx = self.store().write().await?;
        let pending = awaiting_review_by(&mut tx, caller.id).await?;
        let Some(access) = pending.iter().find(|a| a.id == id) else {
            return Err(AppError::NotFound);
        };
        if access.user_id == caller.id {
            return Err(AppError::Conflict(
                "another supervisor must review your own emergency access",
            ));
        }
        let sealed = match (comment, self.client_key(access.client_id).await) {
            (Some(comment), Ok(dek)) => Some(seal(
                self,
                &dek,
                TABLE,
                "review_comment",
                &id.to_string(),
                comment.as_str(),
            )),
            (None, _) | (Some(_), Err(AppError::NotFound)) => None,
            (Some(_), Err(err)) => return Err(err),
        };
        tx.review_emergency_access(id, caller.id, outcome.as_str(), sealed, self.now())
            .await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::EmergencyReview,
            Some(emergency_target(id)),
            outcome.as_str(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The unreviewed emergency accesses `reviewer` sees: those they review, and their own.
async fn awaiting_review_by(
    tx: &mut store::Tx,
    reviewer: UserId,
) -> Result<Vec<EmergencyAccessRow>> {
    let rows = tx.unreviewed_emergency_access().await?;
    seen_by(tx, reviewer, rows, |row| row.user_id).await
}

/// Those of `rows` (emergency accesses, held by `holder`) that `viewer` reviews or holds.
async fn seen_by<T>(
    tx: &mut store::Tx,
    viewer: UserId,
    rows: Vec<T>,
    holder: impl Fn(&T) -> UserId,
) -> Result<Vec<T>> {
    let holders: Vec<UserId> = rows.iter().map(&holder).collect();
    let leads = tx.team_leads_of(&holders).await?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            let held_by = holder(row);
            let holders_leads = leads.get(&held_by).map_or(&[][..], Vec::as_slice);
            held_by == viewer || reviews_emergency_access(&viewer, holders_leads)
        })
        .collect())
}
