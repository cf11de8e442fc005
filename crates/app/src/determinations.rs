//! Determinations recorded on a client: the worksheet of facts, each known fact with its source,
//! who recorded it and when, sealed under the client's key as one document. What the law makes of
//! the facts is applied again from the rule packs whenever a determination is shown, so an outcome
//! can always be traced to the facts and the rule text behind it; what it made of them on the day
//! is kept beside, coded, for the dashboard to count.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use domain::audit::{Actor, AuditAction};
use domain::legal::{
    FactSource, Facts, Jurisdiction, RuleError, RulePacks, Worksheet, WorksheetError,
};
use domain::policy::Action;
use domain::{ClientId, DeterminationId, Timestamp};
use store::StoreError;
use store::rows::DeterminationRow;

use crate::drafts::{Draft, Form};
use crate::notes::actor_names;
use crate::seal::{open, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "determinations";

/// The most determinations a client's history shows (far more than a case ever has).
pub(crate) const MAX_DETERMINATIONS: i64 = 500;

/// The shipped rule packs, parsed once.
pub fn rule_packs() -> Result<&'static RulePacks> {
    static SHIPPED: OnceLock<Result<RulePacks, RuleError>> = OnceLock::new();
    match SHIPPED.get_or_init(RulePacks::shipped) {
        Ok(packs) => Ok(packs),
        Err(err) => {
            tracing::error!(error = %err, "a shipped rule pack does not load");
            Err(AppError::Conflict(
                "the legal rule packs could not be loaded",
            ))
        }
    }
}

/// A determination as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeterminationView {
    pub id: DeterminationId,
    pub worksheet: Worksheet,
    /// Who recorded it, as the audit names actors (`user:<id>`).
    pub recorded_by: String,
    pub created_at: Timestamp,
}

/// A client's determinations and who recorded what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Determinations {
    /// Newest first.
    pub list: Vec<DeterminationView>,
    /// Usernames by actor (`user:<id>`), for `recorded_by` and each fact's provenance.
    pub staff: HashMap<String, Option<String>>,
}

impl App {
    /// Records the facts with their sources as the client's newest determination. Facts whose
    /// value and source are as the last determination had them keep who recorded them and when.
    pub async fn record_determination(
        &self,
        caller: &Caller,
        client: ClientId,
        facts: Facts,
        sources: &BTreeMap<&'static str, FactSource>,
        purpose: Purpose,
    ) -> Result<DeterminationId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteDetermination])
            .await?;
        let dek = work.key().await?;
        let latest = match work
            .tx
            .determinations(work.grant.client, 1)
            .await?
            .into_iter()
            .next()
        {
            Some(row) => opened(&dek, row)?.map(|view| view.worksheet),
            None => None,
        };
        let now = self.now();
        let worksheet = Worksheet::revise(latest.as_ref(), facts, sources, caller.id, now)
            .map_err(|err| match err {
                WorksheetError::MissingSource(path) => {
                    AppError::Invalid(domain::InvalidInput::new(
                        path,
                        "needs a source: say how we know it, or mark it unknown",
                    ))
                }
                WorksheetError::Facts(_) | WorksheetError::Damaged => {
                    AppError::Store(StoreError::Corrupt("determination worksheet"))
                }
            })?;
        let id = DeterminationId::from_random(self.entropy().bytes());
        let sealed = seal(
            self,
            &dek,
            TABLE,
            "worksheet",
            &id.to_string(),
            &worksheet.to_json(),
        );
        let row = DeterminationRow {
            id,
            client_id: work.grant.client,
            worksheet: Some(sealed),
            recorded_by: Actor::User(caller.id).encode(),
            created_at: now,
        };
        work.tx.insert_determination(&row).await?;
        // What the law made of the facts today, kept for the dashboard's counts only: the
        // worksheet page applies the rule packs again whenever it is shown.
        let decided = rule_packs()?.evaluate(worksheet.facts(), Jurisdiction::All);
        let outcomes: Vec<(&str, &str)> = decided
            .iter()
            .map(|result| (result.rule_id(), result.outcome().as_str()))
            .collect();
        work.tx
            .insert_determination_outcomes(&row, &outcomes)
            .await?;
        work.tx
            .delete_draft(work.grant.client, caller.id, &Form::Worksheet.key())
            .await?;
        work.done(AuditAction::DeterminationCreate, purpose).await?;
        Ok(id)
    }

    /// A client's determinations, newest first (an erased client's are gone), with the names of
    /// the staff who recorded them and their facts.
    pub async fn determinations(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Determinations> {
        let mut work = self
            .client_work(caller, client, &[Action::ReadDeterminations])
            .await?;
        let dek = work.key().await?;
        let mut views = Vec::new();
        for row in work
            .tx
            .determinations(work.grant.client, MAX_DETERMINATIONS)
            .await?
        {
            views.extend(opened(&dek, row)?);
        }
        let actors: Vec<String> = views
            .iter()
            .flat_map(|view| {
                let facts_by = view
                    .worksheet
                    .recorded_by()
                    .map(|u| Actor::User(u).encode());
                std::iter::once(view.recorded_by.clone()).chain(facts_by)
            })
            .collect();
        let staff = actor_names(&mut work.tx, &actors).await?;
        work.done(AuditAction::DeterminationList, purpose).await?;
        Ok(Determinations { list: views, staff })
    }

    /// Saves the worksheet as it is being filled in (the form's fields, checked or not).
    pub async fn save_worksheet_draft(
        &self,
        caller: &Caller,
        client: ClientId,
        fields: &BTreeMap<String, String>,
    ) -> Result<Timestamp> {
        self.save_draft(caller, client, Form::Worksheet, fields)
            .await
    }

    /// The caller's worksheet in progress for this client, if any.
    pub async fn worksheet_draft(
        &self,
        caller: &Caller,
        client: ClientId,
    ) -> Result<Option<Draft>> {
        self.read_draft(caller, client, Form::Worksheet).await
    }
}

/// A stored determination, opened; `None` when its worksheet was wiped.
pub(crate) fn opened(
    dek: &crypto::DataKey,
    row: DeterminationRow,
) -> Result<Option<DeterminationView>> {
    let Some(blob) = row.worksheet else {
        return Ok(None);
    };
    let json = open(dek, TABLE, "worksheet", &row.id.to_string(), &blob)?;
    let worksheet =
        Worksheet::from_json(&json).map_err(|_| StoreError::Corrupt("determination worksheet"))?;
    Ok(Some(DeterminationView {
        id: row.id,
        worksheet,
        recorded_by: row.recorded_by,
        created_at: row.created_at,
    }))
}
