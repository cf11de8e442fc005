//! Closing a case with a coded reason, re-opening it (each closure kept), the follow-up contacts
//! the person agreed to at 3, 6 and 12 months (each a contact in the log), the withdrawal of that
//! consent, and what is due in a caseload: the follow-ups and the six-month outcome reviews.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::closure::{
    Closure, ClosureReason, FollowUp, FollowUpAt, FollowUpConsent, FollowUpState, ReachMethod,
    check_follow_up, check_reopening, follow_up_state, six_month_review_due,
};
use domain::contact::NewContact;
use domain::policy::Action;
use domain::{CaseId, ClientId, ClosureId, ContactId, FollowUpId, InvalidInput, Timestamp};
use store::Caseload;
use store::rows::{ClosureRow, FollowUpRow, Reopening};

use crate::cases::case_of;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "case_closures";

/// One closure of a case, as the cases page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureView {
    pub id: ClosureId,
    pub closed_on: time::Date,
    pub reason: ClosureReason,
    pub note: Option<String>,
    pub follow_up: FollowUpConsent,
    pub reach_method: Option<ReachMethod>,
    /// The safe way to reach the person, in their words.
    pub reach_how: Option<String>,
    /// Who closed it, as recorded ("user:ID").
    pub closed_by: String,
    pub created_at: Timestamp,
    /// The day the case re-opened, who re-opened it and when, once it was.
    pub reopened: Option<(time::Date, String, Timestamp)>,
    /// When the person withdrew their consent to follow-ups, if they did.
    pub withdrawn_at: Option<Timestamp>,
    /// The three follow-ups when the person agreed to them, each where it stands today; none
    /// otherwise.
    pub follow_ups: Vec<FollowUpView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpView {
    pub at: FollowUpAt,
    pub due_on: time::Date,
    pub state: FollowUpState,
    /// The contact in the log it was, once made.
    pub contact: Option<ContactId>,
}

/// One thing due in a caseload: a follow-up after a closure, or a six-month outcome review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub client: ClientId,
    pub client_name: String,
    pub case: CaseId,
    pub what: Due,
    pub due_on: time::Date,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    FollowUp(FollowUpAt),
    SixMonthReview,
}

impl Due {
    /// What is due, in a code the API and the pages use (`follow-up-3-months`,
    /// `six-month-review`).
    pub fn code(self) -> &'static str {
        match self {
            Due::FollowUp(FollowUpAt::ThreeMonths) => "follow-up-3-months",
            Due::FollowUp(FollowUpAt::SixMonths) => "follow-up-6-months",
            Due::FollowUp(FollowUpAt::TwelveMonths) => "follow-up-12-months",
            Due::SixMonthReview => "six-month-review",
        }
    }
}

fn corrupt(what: &'static str) -> AppError {
    AppError::Store(store::StoreError::Corrupt(what))
}

fn day(raw: &str) -> Result<time::Date> {
    parse_date("day", raw).map_err(|_| corrupt("a closure's day"))
}

/// Whether a closure's follow-ups still go on: agreed, not withdrawn, the case not re-opened.
fn active(row: &ClosureRow) -> bool {
    row.follow_up == FollowUpConsent::Yes.as_str()
        && row.withdrawn.is_none()
        && row.reopened.is_none()
}

/// Opens the closures read, by case, each with its follow-ups where they stand on `today`.
pub(crate) fn open_closures(
    dek: Option<&crypto::DataKey>,
    rows: Vec<ClosureRow>,
    made: &[FollowUpRow],
    today: time::Date,
) -> Result<HashMap<CaseId, Vec<ClosureView>>> {
    let mut by_case: HashMap<CaseId, Vec<ClosureView>> = HashMap::new();
    for row in rows {
        let case = row.case_id;
        let active = active(&row);
        let mut view = open_closure(dek, row)?;
        if view.follow_up == FollowUpConsent::Yes {
            view.follow_ups = FollowUpAt::ALL
                .iter()
                .map(|at| {
                    let done = made
                        .iter()
                        .find(|f| f.closure_id == view.id && f.at == at.as_str());
                    let reached = done.map(|f| f.reached);
                    FollowUpView {
                        at: *at,
                        due_on: at.due_on(view.closed_on),
                        state: follow_up_state(*at, view.closed_on, reached, active, today),
                        contact: done.map(|f| f.contact_id),
                    }
                })
                .collect();
        }
        by_case.entry(case).or_default().push(view);
    }
    Ok(by_case)
}

/// Opens one closure, without its follow-ups; its sealed words stay shut without `dek`.
pub(crate) fn open_closure(dek: Option<&crypto::DataKey>, row: ClosureRow) -> Result<ClosureView> {
    let id = row.id.to_string();
    let opened = |column, blob: &Option<Vec<u8>>| match (dek, blob) {
        (Some(dek), Some(_)) => open_opt(dek, TABLE, column, &id, blob.as_deref()),
        _ => Ok(None),
    };
    Ok(ClosureView {
        id: row.id,
        closed_on: day(&row.closed_on)?,
        reason: ClosureReason::parse(&row.reason).map_err(|_| corrupt("a closure's reason"))?,
        note: opened("note", &row.note)?,
        follow_up: FollowUpConsent::parse(&row.follow_up)
            .map_err(|_| corrupt("a closure's consent"))?,
        reach_method: row
            .reach_method
            .as_deref()
            .map(ReachMethod::parse)
            .transpose()
            .map_err(|_| corrupt("a closure's method"))?,
        reach_how: opened("reach_how", &row.reach_how)?,
        closed_by: row.closed_by,
        created_at: row.created_at,
        reopened: match row.reopened {
            Some(r) => Some((day(&r.on)?, r.by, r.at)),
            None => None,
        },
        withdrawn_at: row.withdrawn.map(|(_, at)| at),
        follow_ups: Vec::new(),
    })
}

/// The latest closure of `case`, which a re-opening, a follow-up or a withdrawal is about.
async fn latest_closure(
    tx: &mut store::Tx,
    client: ClientId,
    case: CaseId,
) -> Result<Option<ClosureRow>> {
    Ok(tx
        .closures(client)
        .await?
        .into_iter()
        .rev()
        .find(|k| k.case_id == case))
}

impl App {
    /// Records `closure` of `case` (already closed on its day), its note and the safe way to
    /// reach the person sealed under the client's key.
    pub(crate) async fn insert_closure(
        &self,
        tx: &mut store::Tx,
        (client, case): (ClientId, CaseId),
        closure: &Closure,
        caller: &Caller,
    ) -> Result<()> {
        let needs_key = closure.note.is_some()
            || matches!(&closure.follow_up, FollowUp::Agreed { how: Some(_), .. });
        let dek = if needs_key {
            Some(self.client_key(client).await?)
        } else {
            None
        };
        let row = self.closure_row(
            (client, case, dek.as_ref()),
            closure,
            (Actor::User(caller.id), self.now()),
        );
        tx.insert_closure(&row).await?;
        Ok(())
    }

    /// A new closure's row for a client's case, recorded by `actor` at `now`. Its note and the way
    /// to reach the person are sealed under the client's key, which must be given when it has
    /// either.
    pub(crate) fn closure_row(
        &self,
        (client, case, dek): (ClientId, CaseId, Option<&crypto::DataKey>),
        closure: &Closure,
        (actor, now): (Actor, Timestamp),
    ) -> ClosureRow {
        let id = ClosureId::from_random(self.entropy().bytes());
        let row = id.to_string();
        let (method, how) = match &closure.follow_up {
            FollowUp::Agreed { method, how } => (Some(*method), how.as_ref().map(|h| h.as_str())),
            FollowUp::Declined | FollowUp::NotAsked => (None, None),
        };
        let sealed = |column, text: Option<&str>| match (dek, text) {
            (Some(dek), Some(text)) => Some(seal(self, dek, TABLE, column, &row, text)),
            _ => None,
        };
        ClosureRow {
            id,
            client_id: client,
            case_id: case,
            closed_on: format_date(closure.closed_on),
            reason: closure.reason.as_str().to_owned(),
            note: sealed("note", closure.note.as_ref().map(|n| n.as_str())),
            follow_up: closure.follow_up.consent().as_str().to_owned(),
            reach_method: method.map(|m| m.as_str().to_owned()),
            reach_how: sealed("reach_how", how),
            closed_by: actor.encode(),
            created_at: now,
            reopened: None,
            withdrawn: None,
        }
    }

    /// Closes one of a client's open cases: on a day not before it opened (nor before it was
    /// last re-opened), not in the future, with a coded reason, a note and what the person
    /// agreed to about follow-ups.
    pub async fn close_case(
        &self,
        caller: &Caller,
        client: ClientId,
        case: CaseId,
        closure: Closure,
        purpose: Purpose,
    ) -> Result<()> {
        let part = (Action::WriteCase, AuditAction::CaseClose);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let (_, dates) = case_of(tx, client, case).await?;
            dates.close("closed_on", closure.closed_on, self.now())?;
            if let Some(reopened) = latest_closure(tx, client, case)
                .await?
                .and_then(|k| k.reopened)
                && closure.closed_on < day(&reopened.on)?
            {
                return Err(InvalidInput::new(
                    "closed_on",
                    "must not be before the case was re-opened",
                )
                .into());
            }
            tx.close_case(client, case, &format_date(closure.closed_on))
                .await?;
            self.insert_closure(tx, (client, case), &closure, caller)
                .await
        })
        .await
    }

    /// Re-opens one of a client's closed cases on `on`: not before it closed, not in the future.
    /// Its closure is kept, ended by the re-opening; follow-ups after it stop.
    pub async fn reopen_case(
        &self,
        caller: &Caller,
        client: ClientId,
        case: CaseId,
        on: time::Date,
        purpose: Purpose,
    ) -> Result<()> {
        let part = (Action::WriteCase, AuditAction::CaseReopen);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let (_, dates) = case_of(tx, client, case).await?;
            let Some(closed_on) = dates.closed_on() else {
                return Err(
                    InvalidInput::new("reopened_on", "cannot re-open a case that is open").into(),
                );
            };
            check_reopening(closed_on, on, self.now())?;
            let reopening = Reopening {
                on: format_date(on),
                by: Actor::User(caller.id).encode(),
                at: self.now(),
            };
            tx.reopen_case((client, case), &reopening).await?;
            Ok(())
        })
        .await
    }

    /// Records the follow-up `at` after the latest closure of `case`: `contact` is written into
    /// the contact log (reached, or an attempt) and the follow-up names it. Refused, naming `at`,
    /// when the person did not agree, withdrew, or the case was re-opened; when this one was
    /// made already or has lapsed.
    pub async fn record_follow_up(
        &self,
        caller: &Caller,
        client: ClientId,
        case: CaseId,
        (at, contact): (FollowUpAt, NewContact),
        purpose: Purpose,
    ) -> Result<FollowUpId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteFollowUp])
            .await?;
        let client = work.grant.client;
        case_of(&mut work.tx, client, case).await?;
        contact.check_after(work.grant.row.created_at)?;
        let closure =
            latest_closure(&mut work.tx, client, case)
                .await?
                .ok_or(InvalidInput::new(
                    "at",
                    "cannot be recorded: the case has no closure to follow up",
                ))?;
        let made = work.tx.follow_ups(client).await?;
        let done = made
            .iter()
            .find(|f| f.closure_id == closure.id && f.at == at.as_str())
            .map(|f| f.reached);
        let closed_on = day(&closure.closed_on)?;
        let today = self.time_zone().date(self.now());
        check_follow_up(at, closed_on, done, active(&closure), today)?;
        let dek = work.key().await?;
        let contact_id = self
            .insert_contact(&mut work.tx, &dek, (client, caller), &contact)
            .await?;
        let id = FollowUpId::from_random(self.entropy().bytes());
        work.tx
            .insert_follow_up(&FollowUpRow {
                id,
                client_id: client,
                closure_id: closure.id,
                at: at.as_str().to_owned(),
                reached: contact.reached,
                contact_id,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
            })
            .await?;
        work.done(AuditAction::FollowUpCreate, purpose).await?;
        Ok(id)
    }

    /// Records that the person withdrew their consent to follow-ups after the latest closure of
    /// `case`: no more are due, from now. Anyone who may log a contact with them may record it.
    pub async fn withdraw_follow_ups(
        &self,
        caller: &Caller,
        client: ClientId,
        case: CaseId,
        purpose: Purpose,
    ) -> Result<()> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteFollowUp])
            .await?;
        let client = work.grant.client;
        case_of(&mut work.tx, client, case).await?;
        let closure = latest_closure(&mut work.tx, client, case).await?;
        let Some(closure) = closure.filter(active) else {
            return Err(AppError::Conflict(
                "there are no follow-ups to stop: the person did not agree to them, withdrew already, or the case was re-opened",
            ));
        };
        let by = Actor::User(caller.id).encode();
        work.tx
            .withdraw_follow_ups((client, closure.id), &by, self.now())
            .await?;
        work.done(AuditAction::FollowUpWithdraw, purpose).await
    }

    /// The follow-ups and six-month outcome reviews due on or before `on` in the caller's
    /// caseload (a follow-up not yet lapsed that day), the earliest due first, each with the
    /// client's name: what to do today. Audited as one list, as the caseload is.
    pub async fn due_work(
        &self,
        caller: &Caller,
        on: time::Date,
        purpose: Purpose,
    ) -> Result<Vec<DueItem>> {
        self.grant_role(caller, Action::ListCaseload)?;
        self.case_work_in(caller, Caseload::Own, on, purpose).await
    }

    /// The same for the clients of the teams the caller leads (assigned to someone else there),
    /// for a supervisor to see what their team has due.
    pub async fn team_due_work(&self, caller: &Caller, on: time::Date) -> Result<Vec<DueItem>> {
        self.grant_role(caller, Action::ListTeamCaseload)?;
        self.case_work_in(caller, Caseload::Led, on, Purpose::Supervision)
            .await
    }

    async fn case_work_in(
        &self,
        caller: &Caller,
        whose: Caseload,
        on: time::Date,
        purpose: Purpose,
    ) -> Result<Vec<DueItem>> {
        let mut tx = self.store().write().await?;
        let rows = tx.due_rows((caller.id, whose)).await?;
        let latest: HashMap<ClientId, time::Date> = rows
            .latest_reviews
            .iter()
            .map(|(client, latest)| Ok((*client, day(latest)?)))
            .collect::<Result<_>>()?;
        let mut due: Vec<(ClientId, CaseId, Due, time::Date)> = Vec::new();
        for (client, case, opened_on) in &rows.open_cases {
            let review = six_month_review_due(day(opened_on)?, latest.get(client).copied());
            if review <= on {
                due.push((*client, *case, Due::SixMonthReview, review));
            }
        }
        for (client, case, closure, closed_on) in &rows.closures {
            let closed_on = day(closed_on)?;
            for at in FollowUpAt::ALL {
                let made = rows
                    .made
                    .iter()
                    .any(|(k, done)| k == closure && done == at.as_str());
                let state = follow_up_state(*at, closed_on, None, true, on);
                if !made && state == FollowUpState::Due {
                    due.push((*client, *case, Due::FollowUp(*at), at.due_on(closed_on)));
                }
            }
        }
        due.sort_by_key(|(client, case, what, on)| (*on, *client, *case, what.code()));
        let mut clients: Vec<ClientId> = due.iter().map(|(client, ..)| *client).collect();
        clients.sort();
        clients.dedup();
        let lines = tx.client_lines(&clients).await?;
        let actor = Actor::User(caller.id);
        self.audit(&mut tx, actor, AuditAction::DueList, None, purpose.as_str())
            .await?;
        tx.commit().await?;
        // Opened once the audit event is durable, outside the transaction.
        let names = self.names(&lines).await?;
        Ok(due
            .into_iter()
            // A client whose name no longer opens is being erased: not listed.
            .filter_map(|(client, case, what, due_on)| {
                let client_name = names.get(&client)?.clone();
                Some(DueItem {
                    client,
                    client_name,
                    case,
                    what,
                    due_on,
                })
            })
            .collect())
    }
}
