//! The directory of partners a client may be referred to: kept by supervisors and
//! administrators, seen by everyone who works with clients.

use domain::audit::{Actor, AuditAction};
use domain::partner::NewPartner;
use domain::policy::Action;
use domain::service::ServiceCode;
use domain::{InvalidInput, PartnerId};
use store::rows::PartnerRow;

use crate::{App, AppError, Caller, Result};

/// A partner, as the directory lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerView {
    pub id: PartnerId,
    pub name: String,
    pub services: Vec<ServiceCode>,
    pub languages: Vec<String>,
    pub area: Option<String>,
    pub safe_contact: Option<String>,
}

impl App {
    /// Adds a partner to the directory. A name already there is refused, naming `name`.
    pub async fn add_partner(&self, caller: &Caller, partner: NewPartner) -> Result<PartnerId> {
        self.grant_role(caller, Action::ManagePartners)?;
        let id = PartnerId::from_random(self.entropy().bytes());
        let codes: Vec<&str> = partner.services.iter().map(|c| c.as_str()).collect();
        let languages: Vec<&str> = partner.languages.iter().map(|l| l.as_str()).collect();
        let mut tx = self.store().write().await?;
        let added = tx
            .insert_partner(&PartnerRow {
                id,
                name: partner.name.as_str().to_owned(),
                services: codes.join(","),
                languages: languages.join("\n"),
                area: partner.area.map(|a| a.as_str().to_owned()),
                safe_contact: partner.safe_contact.map(|c| c.as_str().to_owned()),
                created_by: Actor::User(caller.id).encode(),
                created_at: self.now(),
            })
            .await?;
        if !added {
            return Err(InvalidInput::new("name", "is already in the directory").into());
        }
        let target = Some(format!("partner:{id}"));
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::PartnerCreate,
            target,
            "case-work",
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every partner in the directory, by name.
    pub async fn partners(&self, caller: &Caller) -> Result<Vec<PartnerView>> {
        self.grant_role(caller, Action::ListPartners)?;
        let mut tx = self.store().read().await?;
        let rows = tx.partners().await?;
        tx.commit().await?;
        rows.into_iter().map(partner_view).collect()
    }
}

pub(crate) fn partner_view(row: PartnerRow) -> Result<PartnerView> {
    let services = row
        .services
        .split(',')
        .filter(|c| !c.is_empty())
        .map(ServiceCode::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| AppError::Store(store::StoreError::Corrupt("a partner's services")))?;
    Ok(PartnerView {
        id: row.id,
        name: row.name,
        services,
        languages: row
            .languages
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        area: row.area,
        safe_contact: row.safe_contact,
    })
}
