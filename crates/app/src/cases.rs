//! Cases: a program's work with a client, opened (and later closed), assigned to staff.

use domain::InvalidInput;
use domain::audit::AuditAction;
use domain::case::{CaseDates, CaseStatus, ProgramCode, format_date, parse_date};
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
}

pub(crate) fn view(row: CaseRow) -> Result<CaseView> {
    let corrupt = || AppError::Store(store::StoreError::Corrupt("a case date"));
    let opened = parse_date("opened_on", &row.opened_on).map_err(|_| corrupt())?;
    let closed = row
        .closed_on
        .as_deref()
        .map(|d| parse_date("closed_on", d))
        .transpose()
        .map_err(|_| corrupt())?;
    let dates = CaseDates::new(opened, closed).map_err(|_| corrupt())?;
    Ok(CaseView {
        id: row.id,
        program: row.program,
        status: dates.status(),
        opened_on: row.opened_on,
        closed_on: row.closed_on,
        assigned_to: row.assigned_to,
    })
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
            if !tx.program_exists(case.program.as_str()).await? {
                return Err(InvalidInput::new(
                    "program",
                    "is not one of this organisation's programs (an administrator lists them with `safeharbor programs list`)",
                )
                .into());
            }
            let id = CaseId::from_random(self.entropy().bytes());
            tx.insert_case(&CaseRow {
                id,
                client_id: client,
                program: case.program.as_str().to_owned(),
                opened_on: format_date(case.dates.opened_on()),
                closed_on: case.dates.closed_on().map(format_date),
                assigned_to: Some(caller.id),
                created_at: self.now(),
            })
            .await?;
            Ok(id)
        })
        .await
    }

    pub async fn cases(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<CaseView>> {
        let part = (Action::ReadCases, AuditAction::CaseList);
        let rows = self
            .record_part(caller, client, part, purpose, async |tx, client| {
                Ok(tx.cases(client).await?)
            })
            .await?;
        rows.into_iter().map(view).collect()
    }
}
