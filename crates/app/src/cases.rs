//! Cases: a program's work with a client, opened (and later closed), assigned to staff.

use domain::InvalidInput;
use domain::audit::AuditAction;
use domain::case::{CaseDates, CaseStatus, ProgramCode, format_date, parse_date};
use domain::closure::{Closure, ClosureReason, FollowUp, six_month_review_due};
use domain::policy::Action;
use domain::{CaseId, ClientId, UserId};
use store::rows::CaseRow;

use crate::{App, AppError, Caller, Purpose, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    pub program: ProgramCode,
    pub dates: CaseDates,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub id: CaseId,
    pub program: String,
    pub status: CaseStatus,
    pub opened_on: String,
    pub closed_on: Option<String>,
    pub assigned_to: Option<UserId>,
    /// The case this one continues, when the work moved here from another program.
    pub transferred_from: Option<CaseId>,
    /// Every closure of the case and its re-opening, the earliest first; a case closed before
    /// closures were recorded has none (its reason was not recorded). Read by `App::cases`; a
    /// client's page leaves it empty.
    pub closures: Vec<crate::closures::ClosureView>,
    /// When the next six-month outcome review of an open case is due (`App::cases` only).
    pub review_due_on: Option<time::Date>,
}

/// A case moved to another program: the old one closes on `on` and a new one opens that day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTransfer {
    pub program: ProgramCode,
    pub on: time::Date,
}

/// A case's dates as stored (written by us, so a bad one is corruption, not input).
fn dates_of(row: &CaseRow) -> Result<CaseDates> {
    let corrupt = |_| AppError::Store(store::StoreError::Corrupt("a case date"));
    let opened = parse_date("opened_on", &row.opened_on).map_err(corrupt)?;
    let closed = row
        .closed_on
        .as_deref()
        .map(|d| parse_date("closed_on", d))
        .transpose()
        .map_err(corrupt)?;
    CaseDates::new(opened, closed).map_err(corrupt)
}

pub(crate) fn view(row: CaseRow) -> Result<CaseView> {
    let status = dates_of(&row)?.status();
    Ok(CaseView {
        id: row.id,
        program: row.program,
        status,
        opened_on: row.opened_on,
        closed_on: row.closed_on,
        assigned_to: row.assigned_to,
        transferred_from: row.transferred_from,
        closures: Vec::new(),
        review_due_on: None,
    })
}

/// Refuses a program that is not on the organisation's list, naming `field`.
pub(crate) async fn known_program(
    tx: &mut store::Tx,
    field: &'static str,
    program: &ProgramCode,
) -> Result<()> {
    if tx.program_exists(program.as_str()).await? {
        return Ok(());
    }
    Err(InvalidInput::new(
        field,
        "is not one of this organisation's programs (an administrator lists them with `safeharbor programs list`)",
    )
    .into())
}

/// The client's case `id` with its dates, or `NotFound` (a case of another client is not found
/// either: the caller was granted this client only).
pub(crate) async fn case_of(
    tx: &mut store::Tx,
    client: ClientId,
    id: CaseId,
) -> Result<(CaseRow, CaseDates)> {
    let row = tx
        .cases(client)
        .await?
        .into_iter()
        .find(|case| case.id == id)
        .ok_or(AppError::NotFound)?;
    let dates = dates_of(&row)?;
    Ok((row, dates))
}

impl App {
    /// Opens a case for a client in one of the organisation's programs; the person who opens it
    /// is the assigned worker.
    pub async fn open_case(
        &self,
        caller: &Caller,
        client: ClientId,
        case: NewCase,
        purpose: Purpose,
    ) -> Result<CaseId> {
        let part = (Action::WriteCase, AuditAction::CaseCreate);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            known_program(tx, "program", &case.program).await?;
            let id = CaseId::from_random(self.entropy().bytes());
            tx.insert_case(&CaseRow {
                id,
                client_id: client,
                program: case.program.as_str().to_owned(),
                opened_on: format_date(case.dates.opened_on()),
                closed_on: case.dates.closed_on().map(format_date),
                assigned_to: Some(caller.id),
                created_at: self.now(),
                transferred_from: None,
            })
            .await?;
            Ok(id)
        })
        .await
    }

    /// Moves one of a client's open cases to another program: it closes on the day of the move
    /// and a case in the other program opens that day, naming the one it continues, with the
    /// same worker assigned.
    pub async fn transfer_case(
        &self,
        caller: &Caller,
        client: ClientId,
        case: CaseId,
        to: CaseTransfer,
        purpose: Purpose,
    ) -> Result<CaseId> {
        let part = (Action::WriteCase, AuditAction::CaseTransfer);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let (old, dates) = case_of(tx, client, case).await?;
            dates.close("transferred_on", to.on, self.now())?;
            known_program(tx, "program", &to.program).await?;
            if old.program == to.program.as_str() {
                return Err(InvalidInput::new(
                    "program",
                    "must be another program than the case's own",
                )
                .into());
            }
            let on = format_date(to.on);
            tx.close_case(client, case, &on).await?;
            let closure = Closure {
                closed_on: to.on,
                reason: ClosureReason::Transferred,
                note: None,
                follow_up: FollowUp::NotAsked,
            };
            self.insert_closure(tx, (client, case), &closure, caller)
                .await?;
            let id = CaseId::from_random(self.entropy().bytes());
            tx.insert_case(&CaseRow {
                id,
                client_id: client,
                program: to.program.as_str().to_owned(),
                opened_on: on,
                closed_on: None,
                assigned_to: old.assigned_to,
                created_at: self.now(),
                transferred_from: Some(case),
            })
            .await?;
            Ok(id)
        })
        .await
    }

    /// A client's cases, the most recently opened first, each with its closures (their notes
    /// and the safe way to reach the person opened) and, while open, its next six-month review.
    pub async fn cases(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<CaseView>> {
        let part = (Action::ReadCases, AuditAction::CaseList);
        let (rows, closures, made, latest_review) = self
            .record_part(caller, client, part, purpose, async |tx, client| {
                let rows = tx.cases(client).await?;
                let closures = tx.closures(client).await?;
                let made = tx.follow_ups(client).await?;
                let latest_review = tx.latest_review(client).await?;
                Ok((rows, closures, made, latest_review))
            })
            .await?;
        let dek = if closures
            .iter()
            .any(|k| k.note.is_some() || k.reach_how.is_some())
        {
            Some(self.client_key(client).await?)
        } else {
            None
        };
        let latest_review = latest_review
            .map(|day| parse_date("assessed_on", &day))
            .transpose()
            .map_err(|_| AppError::Store(store::StoreError::Corrupt("a review's day")))?;
        // Where each follow-up stands is told by the day in the program's zone.
        let today = self.time_zone().date(self.now());
        let mut closures = crate::closures::open_closures(dek.as_ref(), closures, &made, today)?;
        rows.into_iter()
            .map(|row| {
                let mut case = view(row)?;
                case.closures = closures.remove(&case.id).unwrap_or_default();
                if case.status == CaseStatus::Open {
                    let opened = parse_date("opened_on", &case.opened_on)
                        .map_err(|_| AppError::Store(store::StoreError::Corrupt("a case date")))?;
                    case.review_due_on = Some(six_month_review_due(opened, latest_review));
                }
                Ok(case)
            })
            .collect()
    }
}
