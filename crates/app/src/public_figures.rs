//! The "who we serve" figures of the public pages (`report::figures`), made by the server on a
//! schedule and kept in memory, so that an anonymous visitor's request never reaches the
//! database: the page shows what the last making left.

use std::sync::Arc;

use domain::audit::{Actor, AuditAction};
use report::figures::{self, Figures, public_period, who_we_serve};

use crate::{App, Result};

impl App {
    /// Makes the figures afresh from the records of the period they cover today, audited as the
    /// server's own public report, and keeps them for the public pages; none are kept when the
    /// period served too few people to show anything.
    pub async fn refresh_public_figures(&self) -> Result<()> {
        let period = public_period(self.time_zone().date(self.now()));
        let records = self
            .records(period, store::Within::Everyone, figures::PARTS)
            .await?;
        // A table is refused only for counts past what a table holds: a corrupt dimension.
        let figures = who_we_serve(period, &records).map_err(|_| crate::reports::corrupt())?;
        let mut tx = self.store().write().await?;
        self.audit(
            &mut tx,
            Actor::System,
            AuditAction::ReportExport,
            Some(format!(
                "report:who-we-serve:{}..{}:public:page",
                period.from(),
                period.to()
            )),
            "reporting",
        )
        .await?;
        tx.commit().await?;
        *self
            .inner
            .figures
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = figures.map(Arc::new);
        Ok(())
    }

    /// The figures the public pages show, as last made: none before the first making, or when
    /// the period served too few people.
    pub fn public_figures(&self) -> Option<Arc<Figures>> {
        self.inner
            .figures
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
