//! Referrals to partners, as a closed loop (`domain::referral`): drafted under a release when
//! they share anything, sent only if that release still allows it at the moment of sending
//! (`App::decide_sharing`, P22), then answered and closed, each step dated and audited.

use std::collections::HashMap;

use domain::audit::{Actor, AuditAction};
use domain::audit_words::under_release;
use domain::needs::{NeedDomain, NeedLevel};
use domain::policy::{self, Action, Refusal, Subject};
use domain::referral::{NewReferral, ReferralNote, ReferralStatus, Waiting, is_overdue};
use domain::release::{SharedPart, may_share};
use domain::service::ServiceCode;
use domain::sharing::{self, Sharing, SharingRefused};
use domain::{ClientId, InvalidInput, PartnerId, ReferralId, ReferralStepId, ReleaseId, Timestamp};
use store::Caseload;
use store::rows::{ReferralRow, ReferralStepRow, ReleaseRow};

use crate::access::ClientGrant;
use crate::client_work::ClientWork;
use crate::notes::actor_names;
use crate::releases::terms_of;
use crate::seal::{open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "referrals";
const STEPS: &str = "referral_steps";

/// The most referrals one request returns.
pub const MAX_REFERRALS: i64 = 500;

/// A referral with its history, as a client's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralView {
    pub id: ReferralId,
    pub partner: PartnerId,
    pub partner_name: String,
    pub release: Option<ReleaseId>,
    pub author: String,
    pub author_name: Option<String>,
    pub created_at: Timestamp,
    pub service: ServiceCode,
    pub shares: Vec<SharedPart>,
    pub status: ReferralStatus,
    /// When it came to stand where it stands.
    pub status_at: Timestamp,
    /// Waiting longer than the program allows for an answer or for the service.
    pub overdue: bool,
    pub note: Option<String>,
    /// Every step, the first (drafted) first.
    pub steps: Vec<StepView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepView {
    pub status: ReferralStatus,
    pub at: Timestamp,
    pub author: String,
    pub author_name: Option<String>,
    pub note: Option<String>,
}

/// What a referral shares, as the partner is given it: each part it names, in lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetView {
    pub partner_name: String,
    pub service: ServiceCode,
    pub release: Option<ReleaseId>,
    pub parts: Vec<(SharedPart, Vec<String>)>,
}

/// A referral of the caller's caseload that waits too long, and whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueReferral {
    pub client: ClientId,
    pub client_name: String,
    pub partner_name: String,
    pub service: ServiceCode,
    pub status: ReferralStatus,
    /// Since when it has waited.
    pub since: Timestamp,
}

/// The most overdue referrals one list holds, the longest waiting first.
pub const MAX_OVERDUE: i64 = 200;

/// The most services a sheet lists, newest first.
const SHEET_SERVICES: i64 = 20;

impl App {
    /// The referrals of the caller's caseload that wait too long for the partner's answer or for
    /// the service (`referral::Waiting`), the longest waiting first, each with the client's name:
    /// what to chase today. Audited as one list, as the caseload is.
    pub async fn overdue_referrals(
        &self,
        caller: &Caller,
        purpose: Purpose,
    ) -> Result<Vec<OverdueReferral>> {
        self.grant_role(caller, Action::ListCaseload)?;
        self.waiting_too_long(caller, Caseload::Own, purpose).await
    }

    /// The same for the clients of the teams the caller leads (assigned to someone else there),
    /// for a supervisor to see what their team has waiting.
    pub async fn team_overdue_referrals(&self, caller: &Caller) -> Result<Vec<OverdueReferral>> {
        self.grant_role(caller, Action::ListTeamCaseload)?;
        self.waiting_too_long(caller, Caseload::Led, Purpose::Supervision)
            .await
    }

    async fn waiting_too_long(
        &self,
        caller: &Caller,
        whose: Caseload,
        purpose: Purpose,
    ) -> Result<Vec<OverdueReferral>> {
        let (now, waiting) = (self.now(), Waiting::default());
        let before = (
            now.plus_days(-waiting.for_an_answer),
            now.plus_days(-waiting.for_the_service),
        );
        let mut tx = self.store().write().await?;
        let rows = tx
            .overdue_referrals((caller.id, whose), before, MAX_OVERDUE)
            .await?;
        let mut clients: Vec<ClientId> = rows.iter().map(|r| r.client_id).collect();
        clients.sort();
        clients.dedup();
        let lines = tx.client_lines(&clients).await?;
        let partners: HashMap<PartnerId, String> = tx
            .partners()
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
        let actor = Actor::User(caller.id);
        let listed = AuditAction::ReferralOverdueList;
        self.audit(&mut tx, actor, listed, None, purpose.as_str())
            .await?;
        tx.commit().await?;
        // Opened once the audit event is durable, outside the transaction.
        let names = self.names(&lines).await?;
        rows.into_iter()
            // A client whose name no longer opens is being erased: not listed.
            .filter_map(|row| names.get(&row.client_id).cloned().map(|name| (row, name)))
            .map(|(row, client_name)| {
                Ok(OverdueReferral {
                    client: row.client_id,
                    client_name,
                    partner_name: partners.get(&row.partner_id).cloned().unwrap_or_default(),
                    service: ServiceCode::parse(&row.service).map_err(|_| corrupt())?,
                    status: ReferralStatus::parse(&row.status).map_err(|_| corrupt())?,
                    since: row.status_at,
                })
            })
            .collect()
    }

    /// The referral's sheet: the parts of the record it shares, and nothing else, as the partner
    /// is to be given them (printed, read out, sent by secure mail). Reading it is client data
    /// leaving the program, so it is decided like sending (`decide_sharing`), at this moment:
    /// once the release has ended or was withdrawn, the sheet is refused with the reason. Needs
    /// are shared as levels (a worker's notes are never on it); legal status has no record of
    /// its own yet, so it says so.
    pub async fn referral_sheet(
        &self,
        caller: &Caller,
        client: ClientId,
        referral: ReferralId,
        purpose: Purpose,
    ) -> Result<SheetView> {
        let mut work = self
            .client_work(caller, client, &[Action::ReadReferrals])
            .await?;
        let Some(row) = work.tx.referral_of(client, referral).await? else {
            return Err(AppError::NotFound);
        };
        let shares = SharedPart::split(&row.shares).map_err(|_| corrupt())?;
        let release = match row.release_id {
            Some(id) => Some(release_for(&mut work, id, row.partner_id).await?),
            None => None,
        };
        if let Err(refused) = self.decide_sharing(caller, &work.grant, &shares, release.as_ref()) {
            return work.refuse(refused, row.release_id).await;
        }
        let dek = work.key().await?;
        let person = App::open_client(&work.grant.row, &dek)?;
        let mut parts = Vec::new();
        for part in &shares {
            let lines = match part {
                SharedPart::Name => vec![person.preferred_name.clone()],
                SharedPart::LegalName => person.legal_name.iter().cloned().collect(),
                SharedPart::DateOfBirth => person.date_of_birth.iter().cloned().collect(),
                SharedPart::ContactDetails => person.contact.iter().cloned().collect(),
                SharedPart::Languages => person.languages.clone(),
                SharedPart::Needs => needs_lines(&mut work, client).await?,
                SharedPart::Services => service_lines(&mut work, client).await?,
                SharedPart::Cases => case_lines(&mut work, client).await?,
                SharedPart::LegalStatus => Vec::new(),
            };
            parts.push((*part, lines));
        }
        let partner_name = work
            .tx
            .partner(row.partner_id)
            .await?
            .map(|p| p.name)
            .unwrap_or_default();
        let because = match row.release_id.filter(|_| !shares.is_empty()) {
            Some(id) => under_release(purpose.as_str(), id),
            None => purpose.as_str().to_owned(),
        };
        work.done_because(AuditAction::ReferralSheet, &because)
            .await?;
        Ok(SheetView {
            partner_name,
            service: ServiceCode::parse(&row.service).map_err(|_| corrupt())?,
            release: row.release_id,
            parts,
        })
    }

    /// Drafts a referral. One that shares part of the record names a release of this client's,
    /// given for this partner, that allows it now (it is asked again when the referral is sent).
    pub async fn draft_referral(
        &self,
        caller: &Caller,
        client: ClientId,
        referral: NewReferral,
        purpose: Purpose,
    ) -> Result<ReferralId> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteReferral])
            .await?;
        if work.tx.partner(referral.partner).await?.is_none() {
            return Err(InvalidInput::new("partner", "is not in the directory").into());
        }
        let release = match referral.release {
            Some(id) => Some(release_for(&mut work, id, referral.partner).await?),
            None => None,
        };
        let terms = release.as_ref().map(terms_of).transpose()?;
        let release_now = terms
            .as_ref()
            .zip(release.as_ref())
            .map(|(terms, row)| (terms, row.withdrawn.as_ref().map(|w| w.at)));
        may_share(&referral.shares, release_now, self.now(), self.time_zone())?;
        let dek = work.key().await?;
        let id = ReferralId::from_random(self.entropy().bytes());
        let now = self.now();
        let author = Actor::User(caller.id).encode();
        let note = referral
            .note
            .as_ref()
            .map(|n| seal(self, &dek, TABLE, "note", &id.to_string(), n.as_str()));
        let drafted = ReferralStatus::Drafted.as_str().to_owned();
        let first = ReferralStepRow {
            id: ReferralStepId::from_random(self.entropy().bytes()),
            referral_id: id,
            client_id: work.grant.client,
            status: drafted.clone(),
            at: now,
            author: author.clone(),
            note: None,
        };
        work.tx
            .insert_referral(
                &ReferralRow {
                    id,
                    client_id: work.grant.client,
                    partner_id: referral.partner,
                    release_id: referral.release,
                    author,
                    created_at: now,
                    service: referral.service.as_str().to_owned(),
                    shares: SharedPart::join(&referral.shares),
                    status: drafted,
                    status_at: now,
                    note,
                },
                &first,
            )
            .await?;
        work.done(AuditAction::ReferralCreate, purpose).await?;
        Ok(id)
    }

    /// Moves a referral to its next step (`ReferralStatus::step_to`). Sending it is client data
    /// leaving the program: decided by `decide_sharing` at this moment, so a release that expired
    /// or was withdrawn since the draft stops it, and the refusal is audited naming the release.
    pub async fn step_referral(
        &self,
        caller: &Caller,
        client: ClientId,
        referral: ReferralId,
        to: ReferralStatus,
        note: Option<ReferralNote>,
        purpose: Purpose,
    ) -> Result<()> {
        let mut work = self
            .client_work(caller, client, &[Action::WriteReferral])
            .await?;
        let Some(row) = work.tx.referral_of(client, referral).await? else {
            return Err(AppError::NotFound);
        };
        let from = ReferralStatus::parse(&row.status).map_err(|_| corrupt())?;
        from.step_to(to)?;
        let mut because = purpose.as_str().to_owned();
        if to == ReferralStatus::Sent {
            let shares = SharedPart::split(&row.shares).map_err(|_| corrupt())?;
            let release = match row.release_id {
                Some(id) => Some(release_for(&mut work, id, row.partner_id).await?),
                None => None,
            };
            if let Err(refused) =
                self.decide_sharing(caller, &work.grant, &shares, release.as_ref())
            {
                return work.refuse(refused, row.release_id).await;
            }
            if let Some(id) = row.release_id.filter(|_| !shares.is_empty()) {
                because = under_release(&because, id);
            }
        }
        let dek = work.key().await?;
        let step = ReferralStepId::from_random(self.entropy().bytes());
        let note = note
            .as_ref()
            .map(|n| seal(self, &dek, STEPS, "note", &step.to_string(), n.as_str()));
        let moved = work
            .tx
            .step_referral(
                &row.status,
                &ReferralStepRow {
                    id: step,
                    referral_id: referral,
                    client_id: work.grant.client,
                    status: to.as_str().to_owned(),
                    at: self.now(),
                    author: Actor::User(caller.id).encode(),
                    note,
                },
            )
            .await?;
        if !moved {
            return Err(AppError::Conflict(
                "the referral was moved by someone else meanwhile: look again",
            ));
        }
        let audited = if to == ReferralStatus::Sent {
            AuditAction::ReferralSend
        } else {
            AuditAction::ReferralStep
        };
        work.done_because(audited, &because).await
    }

    /// A page of a client's referrals, newest first, each with its steps and whether it is
    /// overdue now.
    pub async fn referrals(
        &self,
        caller: &Caller,
        client: ClientId,
        (limit, offset): (i64, i64),
        purpose: Purpose,
    ) -> Result<Vec<ReferralView>> {
        let page = (limit.clamp(1, MAX_REFERRALS), offset.max(0));
        let part = (Action::ReadReferrals, AuditAction::ReferralList);
        self.record_part(caller, client, part, purpose, async |tx, client| {
            let dek = self.client_key(client).await?;
            let rows = tx.referrals_page(client, page).await?;
            let ids: Vec<ReferralId> = rows.iter().map(|r| r.id).collect();
            let steps = tx.referral_steps(client, &ids).await?;
            let partners: HashMap<PartnerId, String> = tx
                .partners()
                .await?
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect();
            let mut authors: Vec<String> = rows.iter().map(|r| r.author.clone()).collect();
            authors.extend(steps.iter().map(|s| s.author.clone()));
            let authors = actor_names(tx, &authors).await?;
            let mut steps_of: HashMap<ReferralId, Vec<StepView>> = HashMap::new();
            for step in steps {
                let referral = step.referral_id;
                let view = open_step(&dek, step, &authors)?;
                steps_of.entry(referral).or_default().push(view);
            }
            // Steps recorded in the same instant read in the loop's order, which only goes on.
            for steps in steps_of.values_mut() {
                steps.sort_by_key(|s| {
                    (
                        s.at,
                        ReferralStatus::ALL.iter().position(|x| *x == s.status),
                    )
                });
            }
            rows.into_iter()
                .map(|row| {
                    let status = ReferralStatus::parse(&row.status).map_err(|_| corrupt())?;
                    let r = row.id.to_string();
                    Ok(ReferralView {
                        partner_name: partners.get(&row.partner_id).cloned().unwrap_or_default(),
                        service: ServiceCode::parse(&row.service).map_err(|_| corrupt())?,
                        shares: SharedPart::split(&row.shares).map_err(|_| corrupt())?,
                        overdue: is_overdue(status, row.status_at, self.now(), Waiting::default()),
                        note: open_opt(&dek, TABLE, "note", &r, row.note.as_deref())?,
                        author_name: authors.get(&row.author).cloned().flatten(),
                        steps: steps_of.remove(&row.id).unwrap_or_default(),
                        id: row.id,
                        partner: row.partner_id,
                        release: row.release_id,
                        author: row.author,
                        created_at: row.created_at,
                        status,
                        status_at: row.status_at,
                    })
                })
                .collect()
        })
        .await
    }

    /// The one decision for client data leaving the program (`sharing::decide_sharing`), made in
    /// the transaction that will send it, at this moment, from the facts access was granted on.
    fn decide_sharing(
        &self,
        caller: &Caller,
        grant: &ClientGrant,
        parts: &[SharedPart],
        release: Option<&ReleaseRow>,
    ) -> Result<(), SharingRefused> {
        let terms = release
            .map(terms_of)
            .transpose()
            .map_err(|_| SharingRefused::Consent(InvalidInput::new("release", "is unreadable")))?;
        let release = terms
            .as_ref()
            .zip(release)
            .map(|(terms, row)| (terms, row.withdrawn.as_ref().map(|w| w.at)));
        let sharing = Sharing {
            parts,
            release,
            at: self.now(),
            zone: self.time_zone(),
        };
        sharing::decide_sharing(caller.role, Subject::Client(Some(grant.facts)), sharing)
            .map(|_| ())
    }
}

/// One of the client's releases, given for `partner`: another's, an unknown one or one for
/// another recipient is refused naming `release`.
async fn release_for(
    work: &mut ClientWork<'_>,
    release: ReleaseId,
    partner: PartnerId,
) -> Result<ReleaseRow> {
    match work.tx.release_of(work.grant.client, release).await? {
        Some(row) if row.partner_id == Some(partner) => Ok(row),
        Some(_) => Err(InvalidInput::new("release", "was given for another recipient").into()),
        None => Err(InvalidInput::new("release", "is not one of this client's releases").into()),
    }
}

/// The client's current needs as levels, the most pressing first (never the notes).
async fn needs_lines(work: &mut ClientWork<'_>, client: ClientId) -> Result<Vec<String>> {
    let latest = work.tx.needs_page(client, 1, 0).await?;
    let mut lines: Vec<(usize, String)> = Vec::new();
    for answer in latest.iter().flat_map(|a| &a.answers) {
        let (Ok(domain), Ok(level)) = (
            NeedDomain::parse(&answer.domain),
            NeedLevel::parse(&answer.level),
        ) else {
            return Err(corrupt());
        };
        let rank = match level {
            NeedLevel::Urgent => 0,
            NeedLevel::SomeNeed => 1,
            _ => continue,
        };
        lines.push((rank, format!("{}: {}", domain.label(), level.label())));
    }
    lines.sort();
    Ok(lines.into_iter().map(|(_, line)| line).collect())
}

/// The cases, by their programs' names, with their days.
async fn case_lines(work: &mut ClientWork<'_>, client: ClientId) -> Result<Vec<String>> {
    let programs: HashMap<String, String> = work
        .tx
        .programs()
        .await?
        .into_iter()
        .map(|p| (p.code, p.name))
        .collect();
    let cases = work.tx.cases(client).await?;
    Ok(cases
        .into_iter()
        .map(|c| {
            let program = programs.get(&c.program).unwrap_or(&c.program);
            match c.closed_on {
                Some(closed) => format!("{program}: {} to {closed}", c.opened_on),
                None => format!("{program}: since {}", c.opened_on),
            }
        })
        .collect())
}

/// The services given, newest first: day and type (never the notes).
async fn service_lines(work: &mut ClientWork<'_>, client: ClientId) -> Result<Vec<String>> {
    let rows = work.tx.services_page(client, SHEET_SERVICES, 0).await?;
    rows.into_iter()
        .map(|row| {
            let code = ServiceCode::parse(&row.code).map_err(|_| corrupt())?;
            Ok(format!("{}: {}", row.delivered_on, code.kind().label))
        })
        .collect()
}

impl ClientWork<'_> {
    /// Commits the audit event of a refused share (naming the release it was asked under) and
    /// answers as the decision says: "not found" for a caller who may not share this record at
    /// all, the reason for one whom no release allows.
    async fn refuse<T>(self, refused: SharingRefused, release: Option<ReleaseId>) -> Result<T> {
        let (refusal, answer) = match refused {
            SharingRefused::Access(refusal) => (refusal, AppError::NotFound),
            SharingRefused::Consent(why) => (
                Refusal {
                    reason: policy::Reason::NoConsent,
                    action: Action::ShareOutside,
                },
                AppError::Invalid(why),
            ),
        };
        let code = refusal.audit_code();
        let why = match release {
            Some(id) => under_release(&code, id),
            None => code,
        };
        self.record_refusal(AuditAction::AccessRefused, &why)
            .await?;
        Err(answer)
    }
}

/// Opens one step of a referral, with its author's name (`actor_names`).
pub(crate) fn open_step(
    dek: &crypto::DataKey,
    step: ReferralStepRow,
    authors: &HashMap<String, Option<String>>,
) -> Result<StepView> {
    let id = step.id.to_string();
    Ok(StepView {
        status: ReferralStatus::parse(&step.status).map_err(|_| corrupt())?,
        at: step.at,
        author_name: authors.get(&step.author).cloned().flatten(),
        note: open_opt(dek, STEPS, "note", &id, step.note.as_deref())?,
        author: step.author,
    })
}

fn corrupt() -> AppError {
    AppError::Store(store::StoreError::Corrupt("a referral"))
}
