//! Clients' histories written in bulk, each record at its own moment: how the synthetic data that
//! the benchmarks and the demo at scale are made of is loaded (`safeharbor synthetic`), a million
//! clients in minutes rather than days.
//!
//! Every record is made by the same code the forms use: sealed under the client's own key, the
//! key wrapped under the current KEK, each act audited in the chain as done by the worker at its
//! moment. Only the writing differs: a batch of clients is one transaction, its keys stored just
//! before it, its audit events appended in one statement.

use std::collections::BTreeMap;

use domain::audit::{Actor, AuditAction, NewAuditEvent};
use domain::case::{ProgramCode, format_date};
use domain::client::NewClient;
use domain::closure::Closure;
use domain::service::NewService;
use domain::{CaseId, ClientId, InvalidInput, Timestamp, UserId};
use store::rows::CaseRow;

use crate::access::target;
use crate::screenings::checked_answers;
use crate::{App, Purpose, Result};

/// One client's history: recorded by a worker (who is assigned to them and does all the work),
/// a case opened in a program that day, then what happened, each at its moment.
#[derive(Debug, Clone)]
pub struct History {
    pub client: NewClient,
    pub recorded_at: Timestamp,
    pub worker: UserId,
    pub program: ProgramCode,
    pub screening: Option<ScreeningTaken>,
    pub services: Vec<(Timestamp, NewService)>,
    /// The case closed, recorded at the moment given.
    pub closure: Option<(Timestamp, Closure)>,
    /// Moments the worker opened the client's record again.
    pub reads: Vec<Timestamp>,
}

/// A screening as taken: the instrument's id and the answers' codes, as the form sends them.
#[derive(Debug, Clone)]
pub struct ScreeningTaken {
    pub at: Timestamp,
    pub instrument: String,
    pub answers: BTreeMap<String, String>,
}

/// What a load wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loaded {
    pub clients: u64,
    pub services: u64,
    pub screenings: u64,
    pub closures: u64,
    pub audit_events: u64,
}

impl std::ops::AddAssign for Loaded {
    fn add_assign(&mut self, other: Self) {
        self.clients += other.clients;
        self.services += other.services;
        self.screenings += other.screenings;
        self.closures += other.closures;
        self.audit_events += other.audit_events;
    }
}

/// A batch's rows and events, made before anything is written.
#[derive(Default)]
struct Batch {
    keys: Vec<(ClientId, store::WrappedKey, Timestamp)>,
    clients: Vec<(store::rows::ClientRow, UserId)>,
    cases: Vec<CaseRow>,
    screenings: Vec<store::rows::ScreeningRow>,
    services: Vec<store::rows::ServiceRow>,
    closures: Vec<store::rows::ClosureRow>,
    events: Vec<NewAuditEvent>,
}

impl App {
    /// Writes `histories` (a batch): all of them or none. A history that does not hold together
    /// (a service or closure before the client was recorded, an unknown program, a screening that
    /// does not fit its instrument) is refused, naming the field, and nothing of the batch is
    /// written.
    pub async fn load_histories(&self, histories: &[History]) -> Result<Loaded> {
        let batch = self.batch(histories)?;
        let mut tx = self.store().write().await?;
        let mut programs: Vec<&ProgramCode> = histories.iter().map(|h| &h.program).collect();
        programs.sort_by_key(|p| p.as_str());
        programs.dedup();
        for program in programs {
            crate::cases::known_program(&mut tx, "program", program).await?;
        }
        // Keys first, as a form does: a key with no record is nothing, a record without its key
        // could never be read.
        self.key_store().put_many(&batch.keys).await?;
        for (row, worker) in &batch.clients {
            tx.insert_client(row).await?;
            tx.assign(row.id, *worker, row.created_at).await?;
        }
        for row in &batch.cases {
            tx.insert_case(row).await?;
        }
        for row in &batch.screenings {
            tx.insert_screening(row).await?;
        }
        tx.insert_services_then_recount(&batch.services).await?;
        for row in &batch.closures {
            tx.insert_closure(row).await?;
        }
        tx.append_audit_events(&batch.events, &self.keyring().audit_key())
            .await?;
        tx.commit().await?;
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        Ok(Loaded {
            clients: count(batch.clients.len()),
            services: count(batch.services.len()),
            screenings: count(batch.screenings.len()),
            closures: count(batch.closures.len()),
            audit_events: count(batch.events.len()),
        })
    }

    /// Every row and audit event of `histories`, sealed, with the events in the order of time.
    fn batch(&self, histories: &[History]) -> Result<Batch> {
        let kek = self.keyring().current_kek();
        let mut batch = Batch::default();
        for history in histories {
            let id = ClientId::from_random(self.entropy().bytes());
            let (dek, key) = self.make_client_key(id, &kek);
            let worker = Actor::User(history.worker);
            let recorded = (worker, history.recorded_at);
            let mut event = |at, action, purpose: Purpose| {
                batch.events.push(NewAuditEvent {
                    at,
                    actor: worker,
                    action,
                    target: Some(target(id)),
                    purpose: purpose.as_str().to_owned(),
                });
            };
            event(
                history.recorded_at,
                AuditAction::ClientCreate,
                Purpose::CaseWork,
            );
            event(
                history.recorded_at,
                AuditAction::CaseCreate,
                Purpose::CaseWork,
            );
            for at in &history.reads {
                event(*at, AuditAction::ClientRead, Purpose::CaseWork);
            }
            let mut case = CaseRow {
                id: CaseId::from_random(self.entropy().bytes()),
                client_id: id,
                program: history.program.as_str().to_owned(),
                opened_on: format_date(self.time_zone().date(history.recorded_at)),
                closed_on: None,
                assigned_to: Some(history.worker),
                created_at: history.recorded_at,
                transferred_from: None,
            };
            if let Some(taken) = &history.screening {
                let (instrument, answers) = checked_answers(&taken.instrument, &taken.answers)?;
                let screening = instrument.score(&answers);
                let by = (worker, taken.at);
                let row = self.screening_row((id, &dek), (instrument, &answers, &screening), by);
                batch.screenings.push(row);
                event(taken.at, AuditAction::ScreeningCreate, Purpose::CaseWork);
            }
            for (at, service) in &history.services {
                service.check_after(history.recorded_at)?;
                batch
                    .services
                    .push(self.service_row((id, &dek), service, (worker, *at)));
                event(*at, AuditAction::ServiceCreate, Purpose::CaseWork);
            }
            if let Some((at, closure)) = &history.closure {
                if closure.closed_on < self.time_zone().date(history.recorded_at) {
                    return Err(InvalidInput::new(
                        "closed_on",
                        "must not be before the case was opened",
                    )
                    .into());
                }
                case.closed_on = Some(format_date(closure.closed_on));
                let row = self.closure_row((id, case.id, Some(&dek)), closure, (worker, *at));
                batch.closures.push(row);
                event(*at, AuditAction::CaseClose, Purpose::CaseWork);
            }
            batch.cases.push(case);
            batch.clients.push((
                self.client_row(id, &dek, recorded, &history.client),
                history.worker,
            ));
            batch.keys.push((id, key, history.recorded_at));
        }
        batch.events.sort_by_key(|event| event.at);
        Ok(batch)
    }
}
