//! Clients: intake, reading a record, the caseload, possible duplicates and erasure.

use std::collections::HashMap;

use crypto::blind_index::BlindIndexer;
use domain::audit::{Actor, AuditAction};
use domain::caseload::{AgeFilter, CaseFilter, CaseloadOrder, NameQuery};
use domain::client::{
    AgeBand, Alias, ClientDetails, DateOfBirth, Gender, Language, NewClient, age_on,
};
use domain::policy::{Action, Relationship};
use domain::profile::{AgeAtIntake, Citizenship, Profile, ReferralSource, TraffickingType};
use domain::{ClientId, Timestamp};
use store::rows::{CaseloadPage, ClientDetailsRow, ClientLine, ClientRow};

use crate::access::target;
use crate::group_commit::{Ask, BatchRead};
use crate::safety::{SafetyView, open_safety, seal_safety};
use crate::seal::{open, open_opt, seal};
use crate::{App, AppError, Caller, Purpose, Result};

const TABLE: &str = "clients";

/// A client record, opened for someone allowed to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientView {
    pub id: ClientId,
    pub preferred_name: String,
    pub legal_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub contact: Option<String>,
    pub languages: Vec<String>,
    /// Other names the person is known by.
    pub aliases: Vec<String>,
    pub gender: Option<Gender>,
    pub age_band: Option<AgeBand>,
    pub profile: Profile,
    pub safety: SafetyView,
    pub created_at: Timestamp,
    /// Seen only by the people assigned.
    pub restricted: bool,
}

/// A line of a caseload, with what tells two people of the same name apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSummary {
    pub id: ClientId,
    pub preferred_name: String,
    pub legal_name: Option<String>,
    pub date_of_birth: Option<DateOfBirth>,
    /// Today's, from the date of birth when there is one.
    pub age_band: Option<AgeBand>,
    pub created_at: Timestamp,
    pub last_note_at: Option<Timestamp>,
    pub open_cases: u32,
    /// Everyone assigned, earliest first (filled in for the lines of a caseload page).
    pub workers: Vec<String>,
}

/// A client in the caller's caseload who may be the person being recorded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleDuplicate {
    pub client: ClientSummary,
    /// The same name, legal or used.
    pub same_name: bool,
    pub same_date_of_birth: bool,
}

/// The most clients one caseload page holds.
pub const MAX_PAGE: i64 = 200;

/// The most clients a caseload is searched, sorted or filtered over, in memory. A worker's
/// caseload is tens of people, a busy one hundreds; beyond this it is a program's whole list.
pub const MAX_CASELOAD: i64 = 5_000;

/// How a worker asked to see their own caseload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadQuery {
    pub find: Option<NameQuery>,
    pub order: CaseloadOrder,
    pub case: CaseFilter,
    pub age: AgeFilter,
}

impl CaseloadQuery {
    /// The plain list, newest first, which the database pages by itself.
    fn is_plain(&self) -> bool {
        *self == Self::default()
    }

    fn admits(&self, client: &ClientSummary) -> bool {
        self.case.admits(client.open_cases)
            && self.age.admits(client.age_band)
            && self.find.as_ref().is_none_or(|find| {
                find.matches(
                    std::iter::once(client.preferred_name.as_str())
                        .chain(client.legal_name.as_deref()),
                )
            })
    }

    /// Puts `clients` (newest assignment first) in the order asked; ties keep that order.
    fn sort(&self, clients: &mut [ClientSummary]) {
        match self.order {
            CaseloadOrder::Newest => {}
            CaseloadOrder::Oldest => clients.reverse(),
            CaseloadOrder::Name => {
                clients.sort_by_cached_key(|c| c.preferred_name.to_lowercase());
            }
            CaseloadOrder::LastNote => {
                clients.sort_by_key(|c| std::cmp::Reverse(c.last_note_at));
            }
        }
    }
}

fn coded<T>(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, domain::InvalidInput>,
) -> Result<Option<T>> {
    raw.map(|r| {
        parse(r).map_err(|_| AppError::Store(store::StoreError::Corrupt("a coded client field")))
    })
    .transpose()
}

/// The report dimensions a client's row holds in the clear.
fn profile_of(row: &ClientRow) -> Result<Profile> {
    Ok(Profile {
        trafficking_type: coded(row.trafficking_type.as_deref(), TraffickingType::parse)?,
        citizenship: coded(row.citizenship.as_deref(), Citizenship::parse)?,
        referral_source: coded(row.referral_source.as_deref(), ReferralSource::parse)?,
    })
}

impl App {
    pub(crate) fn indexer(&self) -> BlindIndexer {
        BlindIndexer::new(self.keyring().index_key())
    }

    /// Records a new client; the person who records them is assigned to them.
    pub async fn create_client(
        &self,
        caller: &Caller,
        client: NewClient,
        purpose: Purpose,
    ) -> Result<ClientId> {
        self.grant_role(caller, Action::CreateClient)?;
        self.insert_client(
            Actor::User(caller.id),
            Some(caller),
            client,
            purpose.as_str(),
        )
        .await
    }

    /// Records a new client as the operator (demo data, imports), assigned to `assignee`.
    pub async fn create_client_as_operator(
        &self,
        assignee: &Caller,
        client: NewClient,
    ) -> Result<ClientId> {
        self.insert_client(Actor::Operator, Some(assignee), client, "administration")
            .await
    }

    async fn insert_client(
        &self,
        actor: Actor,
        assignee: Option<&Caller>,
        client: NewClient,
        purpose: &str,
    ) -> Result<ClientId> {
        let id = ClientId::from_random(self.entropy().bytes());
        let dek = self.new_client_key(id).await?;
        let row = self.client_row(id, &dek, (actor, self.now()), &client);
        let now = row.created_at;
        let mut tx = self.store().write().await?;
        tx.insert_client(&row).await?;
        if let Some(assignee) = assignee {
            tx.assign(id, assignee.id, now).await?;
        }
        self.audit(
            &mut tx,
            actor,
            AuditAction::ClientCreate,
            Some(target(id)),
            purpose,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A new client's row, every personal field sealed under `dek`, recorded by `actor` at `now`.
    pub(crate) fn client_row(
        &self,
        id: ClientId,
        dek: &crypto::DataKey,
        (actor, now): (Actor, Timestamp),
        client: &NewClient,
    ) -> ClientRow {
        let details = ClientDetails {
            preferred_name: client.preferred_name.clone(),
            personal: client.personal.clone(),
            gender: client.gender,
            age_band: client.effective_age_band(now.date()),
            profile: client.profile,
        };
        let sealed = self.sealed_details(id, dek, &details, now.date());
        ClientRow {
            id,
            created_at: now,
            created_by: actor.encode(),
            preferred_name: sealed.preferred_name,
            legal_name: sealed.legal_name,
            date_of_birth: sealed.date_of_birth,
            contact: sealed.contact,
            languages: sealed.languages,
            aliases: sealed.aliases,
            gender: sealed.gender,
            age_band: sealed.age_band,
            trafficking_type: sealed.trafficking_type,
            citizenship: sealed.citizenship,
            referral_source: sealed.referral_source,
            age_at_intake: sealed.age_at_intake,
            name_index: sealed.name_index,
            dob_index: sealed.dob_index,
            safety: seal_safety(self, dek, id, &client.safety),
            alias_index: sealed.alias_index,
            erased_at: None,
            restricted: false,
        }
    }

    /// A client's details sealed under `dek`, with the blind indexes duplicate search and
    /// emergency access find them by, and their age on `intake` (the day they were recorded) for
    /// reports: what intake stores and what an edit replaces.
    pub(crate) fn sealed_details(
        &self,
        id: ClientId,
        dek: &crypto::DataKey,
        details: &ClientDetails,
        intake: time::Date,
    ) -> ClientDetailsRow {
        let row_id = id.to_string();
        let sealed = |column, text: &str| seal(self, dek, TABLE, column, &row_id, text);
        let list = |column, items: Vec<&str>| {
            (!items.is_empty())
                .then(|| sealed(column, &serde_json::to_string(&items).unwrap_or_default()))
        };
        let p = &details.personal;
        let indexer = self.indexer();
        // The name index covers the legal name when there is one, else the name used; the other
        // names index covers the name used and every alias, each once.
        let indexed_name = p
            .legal_name
            .as_ref()
            .map_or(details.preferred_name.as_str(), |n| n.as_str());
        let mut other_names: Vec<String> = Vec::with_capacity(1 + p.aliases.len());
        let names = std::iter::once(details.preferred_name.as_str())
            .chain(p.aliases.iter().map(Alias::as_str));
        for index in names.map(|name| indexer.name(name)) {
            if !other_names.contains(&index) {
                other_names.push(index);
            }
        }
        ClientDetailsRow {
            id,
            preferred_name: Some(sealed("preferred_name", details.preferred_name.as_str())),
            legal_name: p
                .legal_name
                .as_ref()
                .map(|v| sealed("legal_name", v.as_str())),
            date_of_birth: p.date_of_birth.map(|v| sealed("date_of_birth", &v.iso())),
            contact: p.contact.as_ref().map(|v| sealed("contact", v.as_str())),
            languages: list(
                "languages",
                p.languages.iter().map(Language::as_str).collect(),
            ),
            aliases: list("aliases", p.aliases.iter().map(Alias::as_str).collect()),
            gender: details.gender.map(|g| g.as_str().to_owned()),
            age_band: details.age_band.map(|a| a.as_str().to_owned()),
            trafficking_type: details
                .profile
                .trafficking_type
                .map(|t| t.as_str().to_owned()),
            citizenship: details.profile.citizenship.map(|c| c.as_str().to_owned()),
            referral_source: details
                .profile
                .referral_source
                .map(|r| r.as_str().to_owned()),
            age_at_intake: p.date_of_birth.map(|born| {
                AgeAtIntake::for_age(age_on(born.date(), intake))
                    .as_str()
                    .to_owned()
            }),
            name_index: Some(indexer.name(indexed_name)),
            dob_index: p.date_of_birth.map(|d| indexer.date_of_birth(&d.iso())),
            alias_index: Some(other_names.join(" ")),
        }
    }

    /// Opens a client's record for someone allowed to read it.
    #[cfg(not(feature = "bench-baseline"))]
    pub async fn client(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
    ) -> Result<ClientView> {
        self.client_for(caller, id, purpose, &[Action::ReadClient])
            .await
    }

    /// Opens a client's record for a page that needs every one of `actions` allowed, such as the
    /// form of a change (reading the record, and making that change): nobody is shown a form they
    /// may not send. A refusal is audited and answered "not found", as for `client`.
    pub async fn client_for(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
        actions: &'static [Action],
    ) -> Result<ClientView> {
        let (client, _) = self.client_standing(caller, id, purpose, actions).await?;
        Ok(client)
    }

    /// A client's record, and how the caller stands to them: what else they may do there
    /// follows from it (`domain::policy::permits`), so a page offers only what it may.
    pub async fn client_standing(
        &self,
        caller: &Caller,
        id: ClientId,
        purpose: Purpose,
        actions: &'static [Action],
    ) -> Result<(ClientView, Relationship)> {
        // The client, their assignment and their key come with the shared transaction (a few
        // queries for the whole batch) and the fields are opened after it, to keep that short.
        let (row, key, standing) = self
            .read_client(
                caller,
                id,
                |ask| ask,
                actions,
                &[AuditAction::ClientRead],
                purpose,
                |grant, share| Ok((grant.row, share.key.take(), grant.relationship)),
            )
            .await?;
        // A client allowed but without a key is being erased: not found.
        let client = Self::open_client(&row, &key.ok_or(AppError::NotFound)??)?;
        Ok((client, standing))
    }

    /// Benchmark-only: the same lookup and access check with no audit event and no decryption,
    /// as the baseline the protected read is measured against (BENCHMARKS.md). Never ship it.
    #[cfg(feature = "bench-baseline")]
    pub async fn client(&self, caller: &Caller, id: ClientId, _: Purpose) -> Result<ClientView> {
        let mut tx = self.store().read().await?;
        let found = tx.client_for(id, caller.id, self.now()).await?;
        tx.commit().await?;
        let grant = self
            .decide(caller, id, &[Action::ReadClient], found)
            .map_err(|_| AppError::NotFound)?;
        let row = grant.row;
        let sealed = |blob: Option<&Vec<u8>>| blob.map(|b| format!("({} sealed bytes)", b.len()));
        Ok(ClientView {
            id: row.id,
            preferred_name: sealed(row.preferred_name.as_ref()).unwrap_or_default(),
            legal_name: sealed(row.legal_name.as_ref()),
            date_of_birth: sealed(row.date_of_birth.as_ref()),
            contact: sealed(row.contact.as_ref()),
            languages: Vec::new(),
            aliases: Vec::new(),
            gender: coded(row.gender.as_deref(), Gender::parse)?,
            age_band: coded(row.age_band.as_deref(), AgeBand::parse)?,
            profile: profile_of(&row)?,
            safety: SafetyView::default(),
            created_at: row.created_at,
            restricted: row.restricted,
        })
    }

    pub(crate) fn open_client(row: &ClientRow, dek: &crypto::DataKey) -> Result<ClientView> {
        let r = row.id.to_string();
        let list = |column, sealed: Option<&[u8]>| -> Result<Vec<String>> {
            match open_opt(dek, TABLE, column, &r, sealed)? {
                Some(json) => Ok(serde_json::from_str(&json).map_err(|_| {
                    store::StoreError::Corrupt("a client's list of names or languages")
                })?),
                None => Ok(Vec::new()),
            }
        };
        let languages = list("languages", row.languages.as_deref())?;
        let aliases = list("aliases", row.aliases.as_deref())?;
        Ok(ClientView {
            id: row.id,
            preferred_name: open(
                dek,
                TABLE,
                "preferred_name",
                &r,
                row.preferred_name.as_deref().unwrap_or_default(),
            )?,
            legal_name: open_opt(dek, TABLE, "legal_name", &r, row.legal_name.as_deref())?,
            date_of_birth: open_opt(
                dek,
                TABLE,
                "date_of_birth",
                &r,
                row.date_of_birth.as_deref(),
            )?,
            contact: open_opt(dek, TABLE, "contact", &r, row.contact.as_deref())?,
            languages,
            aliases,
            gender: coded(row.gender.as_deref(), Gender::parse)?,
            age_band: coded(row.age_band.as_deref(), AgeBand::parse)?,
            profile: profile_of(row)?,
            safety: open_safety(dek, row.id, row.safety.as_deref())?,
            created_at: row.created_at,
            restricted: row.restricted,
        })
    }

    /// The caller's caseload, most recently assigned first, one page.
    pub async fn caseload(
        &self,
        caller: &Caller,
        limit: i64,
        offset: i64,
        purpose: Purpose,
    ) -> Result<Vec<ClientSummary>> {
        let rows = self
            .caseload_rows(
                caller,
                Self::page_of(caller, limit, offset),
                AuditAction::CaseloadList,
                purpose,
            )
            .await?;
        // Opened once the audit event is durable, outside the shared transaction.
        self.summaries(&rows).await
    }

    fn page_of(caller: &Caller, limit: i64, offset: i64) -> CaseloadPage {
        CaseloadPage {
            user: caller.id,
            limit: limit.clamp(1, MAX_PAGE),
            offset: offset.max(0),
        }
    }

    /// One page of the caller's caseload as they asked to see it, with who works with each
    /// person. Finding by part of a name, sorting and filtering open the whole caseload's names
    /// in memory, for its own worker only: nothing is ever indexed letter by letter (P5).
    pub async fn find_in_caseload(
        &self,
        caller: &Caller,
        query: &CaseloadQuery,
        limit: i64,
        offset: i64,
        purpose: Purpose,
    ) -> Result<Vec<ClientSummary>> {
        let (mut found, workers) = if query.is_plain() {
            let page = WithWorkers(Self::page_of(caller, limit, offset));
            let (rows, workers) = self
                .caseload_rows(caller, page, AuditAction::CaseloadList, purpose)
                .await?;
            (self.summaries(&rows).await?, workers)
        } else {
            let whole = WithWorkers(CaseloadPage {
                user: caller.id,
                limit: MAX_CASELOAD,
                offset: 0,
            });
            let action = if query.find.is_some() {
                AuditAction::CaseloadSearch
            } else {
                AuditAction::CaseloadList
            };
            let (rows, workers) = self.caseload_rows(caller, whole, action, purpose).await?;
            let mut clients = self.summaries(&rows).await?;
            clients.retain(|c| query.admits(c));
            query.sort(&mut clients);
            let skip = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
            let take = usize::try_from(limit.clamp(1, MAX_PAGE)).unwrap_or(0);
            (clients.into_iter().skip(skip).take(take).collect(), workers)
        };
        for (client, worker) in workers {
            if let Some(line) = found.iter_mut().find(|c| c.id == client) {
                line.workers.push(worker);
            }
        }
        Ok(found)
    }

    /// What a caseload reading (`CaseloadPage`, `WithWorkers`) read, with the batch's other
    /// readings of its kind, and its audit event.
    async fn caseload_rows<R: BatchRead>(
        &self,
        caller: &Caller,
        reading: R,
        action: AuditAction,
        purpose: Purpose,
    ) -> Result<R::Output> {
        self.grant_role(caller, Action::ListCaseload)?;
        let user = caller.id;
        self.grouped(Ask::nothing().with(reading), move |app, mut share| {
            Box::pin(async move {
                let Some(read) = share.more::<R>() else {
                    return Err(AppError::Conflict("the caseload was not read; try again"));
                };
                share
                    .events
                    .push(app.event(Actor::User(user), action, None, purpose.as_str()));
                Ok(Ok(read))
            })
        })
        .await
    }

    /// Opens the caseload line of each row, with every key fetched in one query.
    /// The names the clients of `rows` are called by (a client whose key is gone, being
    /// erased, is left out).
    pub(crate) async fn names(&self, rows: &[ClientLine]) -> Result<HashMap<ClientId, String>> {
        Ok(self
            .summaries(rows)
            .await?
            .into_iter()
            .map(|s| (s.id, s.preferred_name))
            .collect())
    }

    pub(crate) async fn summaries(&self, rows: &[ClientLine]) -> Result<Vec<ClientSummary>> {
        let ids: Vec<ClientId> = rows.iter().map(|r| r.id).collect();
        let keys = self.client_keys(&ids).await?;
        let today = self.now().date();
        rows.iter()
            // A client whose key is already gone is being erased: not listed.
            .filter_map(|row| keys.get(&row.id).map(|dek| (row, dek)))
            .map(|(row, dek)| {
                let r = row.id.to_string();
                let sealed = |column, blob: Option<&Vec<u8>>| {
                    open_opt(dek, TABLE, column, &r, blob.map(Vec::as_slice))
                };
                let date_of_birth = sealed("date_of_birth", row.date_of_birth.as_ref())?
                    .map(|iso| DateOfBirth::parse(&iso, today))
                    .transpose()
                    .map_err(|_| store::StoreError::Corrupt("a date of birth"))?;
                let age_band = match date_of_birth {
                    Some(born) => Some(AgeBand::for_age(age_on(born.date(), today))),
                    None => coded(row.age_band.as_deref(), AgeBand::parse)?,
                };
                Ok(ClientSummary {
                    id: row.id,
                    preferred_name: sealed("preferred_name", row.preferred_name.as_ref())?
                        .unwrap_or_default(),
                    legal_name: sealed("legal_name", row.legal_name.as_ref())?,
                    date_of_birth,
                    age_band,
                    created_at: row.created_at,
                    last_note_at: row.last_note_at,
                    open_cases: u32::try_from(row.open_cases).unwrap_or(u32::MAX),
                    workers: Vec::new(),
                })
            })
            .collect()
    }

    /// Clients in the caller's caseload with the same name or date of birth, found through the
    /// blind indexes without decrypting anyone else, each with why it matched.
    pub async fn possible_duplicates(
        &self,
        caller: &Caller,
        name: Option<&str>,
        date_of_birth: Option<DateOfBirth>,
    ) -> Result<Vec<PossibleDuplicate>> {
        self.grant_role(caller, Action::FindDuplicates)?;
        let indexer = self.indexer();
        let name_index = name.map(|n| indexer.name(n));
        let dob_index = date_of_birth.map(|d| indexer.date_of_birth(&d.iso()));
        let mut tx = self.store().write().await?;
        let matched = tx
            .matching_clients(caller.id, name_index.as_deref(), dob_index.as_deref())
            .await?;
        let ids: Vec<ClientId> = matched.iter().map(|row| row.id).collect();
        let lines = tx.client_lines(&ids).await?;
        self.audit(
            &mut tx,
            Actor::User(caller.id),
            AuditAction::DuplicateCheck,
            None,
            Purpose::CaseWork.as_str(),
        )
        .await?;
        tx.commit().await?;
        let mut summaries = self.summaries(&lines).await?;
        Ok(matched
            .iter()
            .filter_map(|row| {
                let at = summaries.iter().position(|s| s.id == row.id)?;
                let same = |index: &Option<String>, typed: &Option<String>| {
                    typed.is_some() && index == typed
                };
                Some(PossibleDuplicate {
                    client: summaries.swap_remove(at),
                    same_name: same(&row.name_index, &name_index)
                        || name_index.as_ref().is_some_and(|typed| {
                            row.alias_index
                                .as_deref()
                                .is_some_and(|others| others.split(' ').any(|i| i == typed))
                        }),
                    same_date_of_birth: same(&row.dob_index, &dob_index),
                })
            })
            .collect())
    }

    /// Erases a client at a staff member's request (P3).
    pub async fn erase_client(&self, caller: &Caller, id: ClientId) -> Result<()> {
        let (tx, grant) = self
            .grant_client(self.store().write().await?, caller, id, Action::EraseClient)
            .await?;
        self.erase(tx, Actor::User(caller.id), grant.client).await
    }

    /// Erases a client from the command line.
    pub async fn erase_client_as_operator(&self, id: ClientId) -> Result<()> {
        let mut tx = self.store().write().await?;
        let live = tx
            .client(id)
            .await?
            .is_some_and(|row| row.erased_at.is_none());
        if !live {
            return Err(AppError::NotFound);
        }
        self.erase(tx, Actor::Operator, id).await
    }

    /// Wipes the record and destroys the client's key. The key goes before the records commit: if
    /// anything fails after that, the client is already unreadable and erasing again finishes.
    async fn erase(&self, mut tx: store::Tx, actor: Actor, id: ClientId) -> Result<()> {
        tx.erase_client(id, self.now()).await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::ClientErase,
            Some(target(id)),
            "erasure",
        )
        .await?;
        self.key_store().destroy(id).await?;
        tx.commit().await?;
        self.inner.erasures.notify_one();
        Ok(())
    }
}

/// A page of a caseload is read with every other caseload page of its batch, in one statement.
impl BatchRead for CaseloadPage {
    type Output = Vec<ClientLine>;

    async fn read_all(reads: &mut store::Reads, pages: Vec<Self>) -> Result<Vec<Vec<ClientLine>>> {
        Ok(reads.caseloads(&pages).await?)
    }
}

/// A caseload page as the staff page shows it: with who works with each person, read for the
/// whole batch's pages in one more statement, in the batch's transaction.
struct WithWorkers(CaseloadPage);

impl BatchRead for WithWorkers {
    type Output = (Vec<ClientLine>, Vec<(ClientId, String)>);

    async fn read_all(reads: &mut store::Reads, pages: Vec<Self>) -> Result<Vec<Self::Output>> {
        let pages: Vec<CaseloadPage> = pages.into_iter().map(|WithWorkers(page)| page).collect();
        let lines = reads.caseloads(&pages).await?;
        let ids: Vec<ClientId> = lines.iter().flatten().map(|line| line.id).collect();
        let mut workers: HashMap<ClientId, Vec<String>> = HashMap::new();
        for (client, worker) in reads.workers_of(&ids).await? {
            workers.entry(client).or_default().push(worker);
        }
        Ok(lines
            .into_iter()
            .map(|page| {
                let theirs = page
                    .iter()
                    .flat_map(|line| {
                        let of = workers.get(&line.id).into_iter().flatten();
                        of.map(|worker| (line.id, worker.clone()))
                    })
                    .collect();
                (page, theirs)
            })
            .collect())
    }
}
