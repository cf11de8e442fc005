//! Releases of information (P22): a client's consent to share named parts of their record with
//! one recipient, recorded, listed and withdrawn. What a release allows is decided with every
//! share (`App::share_check`, in `referrals`); this is the record of it.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::case::{format_date, parse_date};
use domain::client::{AgeBand, DateOfBirth};
use domain::policy::Action;
use domain::release::{
    Cosigner, Release, ReleaseMethod, SharedPart, Standing, Terms, Withdrawal, minor_on,
};
use domain::{ClientId, InvalidInput, PartnerId, ReleaseId, Timestamp};
use store::rows::{ReleaseRow, WithdrawalRow};

use crate::notes::actor_names;
use crate::seal::{open, open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "releases";

/// The most releases one request returns.
pub const MAX_RELEASES: i64 = 500;

/// A release, as a client's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseView {
    pub id: ReleaseId,
    /// The partner it names, when the recipient is one in the directory.
    pub partner: Option<PartnerId>,
    pub author: String,
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    pub recipient: String,
    pub purpose: String,
    pub method: ReleaseMethod,
    pub witness: Option<String>,
    pub cosigner: Cosigner,
    pub terms: Terms,
    /// When and how it was withdrawn, if it was.
    pub withdrawn: Option<(Timestamp, Withdrawal)>,
    /// Where it stands now.
    pub standing: Standing,
}

impl App {
    /// Records a release the client gave, to a partner in the directory or to a recipient
    /// outside it. A partner not in the directory is refused, naming `partner`; a minor's release
    /// without a guardian (unless they may consent alone) names `cosigner`.
    pub async fn record_release(
        &self,
        caller: &Caller,
        client: ClientId,
        partner: Option<PartnerId>,
        release: Release,
        purpose: Purpose,
    ) -> Result<ReleaseId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteRelease])
            .await?;
        if let Some(partner) = partner
            && work.tx.partner(partner).await?.is_none()
        {
            return Err(InvalidInput::new("partner", "is not in the directory").into());
        }
        let dek = work.key().await?;
        let row = &work.grant.row;
        let born = open_opt(
            &dek,
            "clients",
            "date_of_birth",
            &row.id.to_string(),
            row.date_of_birth.as_deref(),
        )?
        .and_then(|raw| DateOfBirth::parse(&raw, time::Date::MAX).ok())
        .map(DateOfBirth::date);
        let band = row.age_band.as_deref().and_then(|b| AgeBand::parse(b).ok());
        release.check_signers(minor_on(release.terms.starts_on, born, band))?;
        let id = ReleaseId::from_random(self.entropy().bytes());
        let r = id.to_string();
        let sealed = |column, text: &str| seal(self, &dek, TABLE, column, &r, text);
        work.tx
            .insert_release(&ReleaseRow {
                id,
                client_id: work.grant.client,
                partner_id: partner,
                author: Actor::User(caller.id).encode(),
                created_at: self.now(),
                recipient: Some(sealed("recipient", release.recipient.as_str())),
                purpose: Some(sealed("purpose", release.purpose.as_str())),
                shares: SharedPart::join(&release.terms.shares),
                method: release.method.as_str().to_owned(),
                witness: release
                    .witness
                    .as_ref()
                    .map(|w| sealed("witness", w.as_str())),
                cosigner: release.cosigner.as_str().to_owned(),
                starts_on: format_date(release.terms.starts_on),
                ends_on: format_date(release.terms.ends_on),
                withdrawn: None,
            })
            .await?;
        work.done(AuditAction::ReleaseCreate, purpose).await?;
        Ok(id)
    }

    /// Records that the client withdrew a release: from this moment nothing more is shared under
    /// it. A release withdrawn already keeps its first withdrawal (a conflict).
    pub async fn withdraw_release(
        &self,
        caller: &Caller,
        client: ClientId,
        release: ReleaseId,
        how: Withdrawal,
        purpose: Purpose,
    ) -> Result<()> {
        let part = (Action::WithdrawRelease, AuditAction::ReleaseWithdraw);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let withdrawal = WithdrawalRow {
                at: self.now(),
                by: Actor::User(caller.id).encode(),
                how: how.as_str().to_owned(),
            };
            if tx.withdraw_release(client, release, &withdrawal).await? {
                return Ok(());
            }
            match tx.release_of(client, release).await? {
                Some(_) => Err(AppError::Conflict("the release was already withdrawn")),
                None => Err(AppError::NotFound),
            }
        })
        .await
    }

    /// A page of a client's releases, newest first, each with where it stands now.
    pub async fn releases(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<ReleaseView>> {
        let page = (limit.clamp(1, MAX_RELEASES), offset.max(0));
        let part = (Action::ReadReleases, AuditAction::ReleaseList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.releases_page(client, page).await?;
            let authors: Vec<String> = rows.iter().map(|row| row.author.clone()).collect();
            let authors = actor_names(tx, &authors).await?;
            rows.into_iter()
                .map(|row| self.release_view(&dek, row, &authors))
                .collect()
        })
        .await
    }

    fn release_view(
        &self,
        dek: &crypto::DataKey,
        row: ReleaseRow,
        authors: &HashMap<String, Option<String>>,
    ) -> Result<ReleaseView> {
        let r = row.id.to_string();
        let terms = terms_of(&row)?;
        let withdrawn = row
            .withdrawn
            .as_ref()
            .map(|w| Withdrawal::parse(&w.how).map(|how| (w.at, how)))
            .transpose()
            .map_err(|_| corrupt())?;
        let standing = terms.standing(self.now(), withdrawn.map(|w| w.0), self.time_zone());
        Ok(ReleaseView {
            recipient: open(
                dek,
                TABLE,
                "recipient",
                &r,
                row.recipient.as_deref().unwrap_or_default(),
            )?,
            purpose: open(
                dek,
                TABLE,
                "purpose",
                &r,
                row.purpose.as_deref().unwrap_or_default(),
            )?,
            witness: open_opt(dek, TABLE, "witness", &r, row.witness.as_deref())?,
            method: ReleaseMethod::parse(&row.method).map_err(|_| corrupt())?,
            cosigner: Cosigner::parse(&row.cosigner).map_err(|_| corrupt())?,
            author_name: authors.get(&row.author).cloned().flatten(),
            id: row.id,
            partner: row.partner_id,
            author: row.author,
            created_at: row.created_at,
            terms,
            withdrawn,
            standing,
        })
    }
}

/// What a stored release allows, and when: read in the clear, without the client's key.
pub(crate) fn terms_of(row: &ReleaseRow) -> Result<Terms> {
    Ok(Terms {
        shares: SharedPart::split(&row.shares).map_err(|_| corrupt())?,
        starts_on: parse_date("starts_on", &row.starts_on).map_err(|_| corrupt())?,
        ends_on: parse_date("ends_on", &row.ends_on).map_err(|_| corrupt())?,
    })
}

fn corrupt() -> AppError {
    AppError::Store(store::StoreError::Corrupt("a release"))
}
