//! Screenings recorded on a client: the instrument and version, the answers (sealed), score,
//! result, who and when. A screening says "look further", never more.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use domain::audit::{Actor, AuditAction};
use domain::instrument::{Answers, Instrument, InstrumentError, Screening};
use domain::policy::Action;
use domain::{ClientId, ScreeningId, Timestamp};
use store::rows::ScreeningRow;

use crate::drafts::{Draft, Form};
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "screenings";

/// The shipped instruments, parsed once.
pub fn instruments() -> Result<&'static [Instrument]> {
    static SHIPPED: OnceLock<Result<Vec<Instrument>, InstrumentError>> = OnceLock::new();
    match SHIPPED.get_or_init(domain::instrument::shipped) {
        Ok(all) => Ok(all),
        Err(err) => {
            tracing::error!(error = %err, "a shipped instrument does not load");
            Err(AppError::Conflict(
                "the screening instruments could not be loaded",
            ))
        }
    }
}

/// The instrument named, and answers that fit it; items not answered are unknown.
pub(crate) fn checked_answers(
    instrument: &str,
    codes: &BTreeMap<String, String>,
) -> Result<(&'static Instrument, Answers)> {
    let instrument =
        instruments()?
            .iter()
            .find(|i| i.id == instrument)
            .ok_or(domain::InvalidInput::new(
                "instrument",
                "is not one of the instruments (see /api/v1/instruments)",
            ))?;
    let answers = Answers::from_codes(instrument, codes).map_err(|_| {
        domain::InvalidInput::new(
            "answers",
            "do not fit the instrument's items and answer types",
        )
    })?;
    Ok((instrument, answers))
}

/// A screening as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningView {
    pub id: ScreeningId,
    pub instrument: String,
    pub instrument_version: String,
    pub score: Option<i64>,
    pub result: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub screened_by: String,
    pub created_at: Timestamp,
}

impl App {
    /// Scores and records a screening of a client.
    pub async fn record_screening(
        &self,
        caller: &Caller,
        client: ClientId,
        instrument: &str,
        codes: &BTreeMap<String, String>,
        purpose: Purpose,
    ) -> Result<(ScreeningId, Screening)> {
        let (instrument, answers) = checked_answers(instrument, codes)?;
        let screening = instrument.score(&answers);
        let mut work = self
            .client_work(caller, client, &[Action::WriteScreening])
            .await?;
        let dek = work.key().await?;
        let row = self.screening_row(
            (work.grant.client, &dek),
            (instrument, &answers, &screening),
            (Actor::User(caller.id), self.now()),
        );
        let id = row.id;
        work.tx.insert_screening(&row).await?;
        work.tx
            .delete_draft(
                work.grant.client,
                caller.id,
                &Form::Screening(&instrument.id).key(),
            )
            .await?;
        work.done(AuditAction::ScreeningCreate, purpose).await?;
        Ok((id, screening))
    }

    /// A new screening's row for `client` (the answers sealed under the client's key), made by
    /// `actor` at `now`.
    pub(crate) fn screening_row(
        &self,
        (client, dek): (ClientId, &crypto::DataKey),
        (instrument, answers, screening): (&Instrument, &Answers, &Screening),
        (actor, now): (Actor, Timestamp),
    ) -> ScreeningRow {
        let id = ScreeningId::from_random(self.entropy().bytes());
        let sealed = serde_json::to_string(&answers.codes()).unwrap_or_default();
        ScreeningRow {
            id,
            client_id: client,
            instrument: instrument.id.clone(),
            instrument_version: instrument.version.clone(),
            answers: Some(seal(self, dek, TABLE, "answers", &id.to_string(), &sealed)),
            score: screening.score.map(i64::from),
            result: Some(screening.result.as_str().to_owned()),
            screened_by: actor.encode(),
            created_at: now,
        }
    }

    /// A client's screenings, newest first.
    pub async fn screenings(
        &self,
        caller: &Caller,
        client: ClientId,
        purpose: Purpose,
    ) -> Result<Vec<ScreeningView>> {
        let mut work = self
            .client_work(caller, client, &[Action::ReadScreenings])
            .await?;
        let dek = work.key().await?;
        let rows = work.tx.screenings(work.grant.client).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let answers = match open_opt(
                &dek,
                TABLE,
                "answers",
                &row.id.to_string(),
                row.answers.as_deref(),
            )? {
                Some(json) => serde_json::from_str(&json)
                    .map_err(|_| store::StoreError::Corrupt("screening answers"))?,
                None => BTreeMap::new(),
            };
            views.push(ScreeningView {
                id: row.id,
                instrument: row.instrument,
                instrument_version: row.instrument_version,
                score: row.score,
                result: row.result,
                answers,
                screened_by: row.screened_by,
                created_at: row.created_at,
            });
        }
        work.done(AuditAction::ScreeningList, purpose).await?;
        Ok(views)
    }

    /// Saves a screening in progress (answers checked against the instrument, sealed like the
    /// recorded ones), so that nothing is lost if the session ends before it is finished.
    pub async fn save_screening_draft(
        &self,
        caller: &Caller,
        client: ClientId,
        instrument: &str,
        codes: &BTreeMap<String, String>,
    ) -> Result<Timestamp> {
        let (instrument, answers) = checked_answers(instrument, codes)?;
        let form = Form::Screening(&instrument.id);
        self.save_draft(caller, client, form, &answers.codes())
            .await
    }

    /// The caller's screening in progress of this client with this instrument, if any.
    pub async fn screening_draft(
        &self,
        caller: &Caller,
        client: ClientId,
        instrument: &str,
    ) -> Result<Option<Draft>> {
        let (instrument, _) = checked_answers(instrument, &BTreeMap::new())?;
        self.read_draft(caller, client, Form::Screening(&instrument.id))
            .await
    }
}
