//! Funder reports, produced from the report dimensions alone (`store::Reads::served`): no client's
//! key is opened. Every report produced is audited, and an exact one (whose small numbers could
//! point at someone) only with a named member of staff's sign-off, audited as theirs.

use domain::audit::{Actor, AuditAction};
use domain::client::{AgeBand, Gender};
use domain::profile::{Citizenship, Profile, ReferralSource, TraffickingType};
use domain::service::SERVICE_TYPES;
use report::measures::Measure;
use report::period::Period;
use report::served::{Served, ServiceSet};
use report::{Mode, Report};
use store::rows::ServedRow;
use time::Date;

use crate::{App, AppError, Result};

/// A report asked for.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    pub measure: Measure,
    pub period: Period,
    pub mode: Mode,
    /// The username of who signs it off: needed for an exact report.
    pub signed_off_by: Option<String>,
}

/// Why a report was not produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportRefused {
    #[error("an exact report names who signs off its small numbers: give --signed-off-by USERNAME")]
    NoSignOff,
    #[error("there is no active member of staff {0:?} to sign the report off")]
    NoSuchSigner(String),
    #[error(
        "{username} may not sign reports off: that is for an administrator, a supervisor or a \
         data analyst"
    )]
    MayNotSign { username: String },
    #[error(transparent)]
    Measure(#[from] report::measures::MeasureError),
    #[error(transparent)]
    Report(#[from] report::ReportError),
    #[error(transparent)]
    App(#[from] AppError),
}

impl App {
    /// A report, produced by the operator (the command line): its sign-off checked before
    /// anything is read, and the export (and the sign-off) audited once it is made.
    pub async fn report_as_operator(
        &self,
        request: &ReportRequest,
    ) -> std::result::Result<Report, ReportRefused> {
        let signer = self.signer(request).await?;
        let served = self.served(request.period).await?;
        let tables = request.measure.tables(request.period, &served)?;
        let mut report = Report::new(
            request.measure.name(),
            request.mode,
            request.period.from(),
            request.period.to(),
            &tables,
        )?;
        let target = format!(
            "report:{}:{}..{}:{}",
            request.measure.name(),
            request.period.from(),
            request.period.to(),
            request.mode.as_str()
        );
        let mut tx = self.store().write().await.map_err(AppError::from)?;
        self.audit(
            &mut tx,
            Actor::Operator,
            AuditAction::ReportExport,
            Some(target.clone()),
            "reporting",
        )
        .await?;
        if let Some((id, username)) = signer {
            self.audit(
                &mut tx,
                Actor::User(id),
                AuditAction::ReportSignOff,
                Some(target),
                "reporting",
            )
            .await?;
            report = report.with_sign_off(username);
        }
        tx.commit().await.map_err(AppError::from)?;
        Ok(report)
    }

    /// Who signs the report off: required for an exact report, checked whenever given.
    async fn signer(
        &self,
        request: &ReportRequest,
    ) -> std::result::Result<Option<(domain::UserId, String)>, ReportRefused> {
        let Some(username) = &request.signed_off_by else {
            return match request.mode {
                Mode::Exact => Err(ReportRefused::NoSignOff),
                Mode::Public => Ok(None),
            };
        };
        let mut tx = self.store().read().await.map_err(AppError::from)?;
        let user = tx
            .user_by_username(username)
            .await
            .map_err(AppError::from)?;
        tx.commit().await.map_err(AppError::from)?;
        match user {
            Some(user) if user.disabled_at.is_none() => {
                if user.role.may_sign_reports() {
                    Ok(Some((user.id, user.username)))
                } else {
                    Err(ReportRefused::MayNotSign {
                        username: user.username,
                    })
                }
            }
            _ => Err(ReportRefused::NoSuchSigner(username.clone())),
        }
    }

    /// The people served in `period`, as the counting rules take them.
    async fn served(&self, period: Period) -> Result<Vec<Served>> {
        let bits: Vec<(&str, i64)> = SERVICE_TYPES
            .iter()
            .enumerate()
            .map(|(place, kind)| (kind.code, 1_i64 << place))
            .collect();
        let day = |d: Date| domain::case::format_date(d);
        let mut tx = self.store().read().await?;
        let rows = tx
            .served(
                &day(period.from()),
                &day(period.to()),
                &day(period.fiscal_year_start()),
                &bits,
            )
            .await?;
        tx.commit().await?;
        rows.iter().map(served).collect()
    }
}

/// A row of the store as the counting rules take it.
fn served(row: &ServedRow) -> Result<Served> {
    fn coded<T>(
        raw: Option<&str>,
        parse: fn(&str) -> Result<T, domain::InvalidInput>,
    ) -> Result<Option<T>> {
        raw.map(|r| parse(r).map_err(|_| corrupt())).transpose()
    }
    fn corrupt() -> AppError {
        AppError::Store(store::StoreError::Corrupt("a report dimension"))
    }
    let day = |raw: &str| domain::case::parse_date("day", raw).map_err(|_| corrupt());
    Ok(Served {
        gender: coded(row.gender.as_deref(), Gender::parse)?,
        age_band: coded(row.age_band.as_deref(), AgeBand::parse)?,
        profile: Profile {
            trafficking_type: coded(row.trafficking_type.as_deref(), TraffickingType::parse)?,
            citizenship: coded(row.citizenship.as_deref(), Citizenship::parse)?,
            referral_source: coded(row.referral_source.as_deref(), ReferralSource::parse)?,
        },
        first_service: day(&row.first_service)?,
        first_service_in_year: day(&row.first_in_year)?,
        services: ServiceSet::from_bits(u64::try_from(row.mask).map_err(|_| corrupt())?),
        people: u64::try_from(row.people).map_err(|_| corrupt())?,
    })
}
