//! Safe Harbor's use cases. Each one takes the caller's identity, decides access from the policy
//! table inside its transaction, acts, and appends the audit event in that same transaction, so an
//! action and its record commit or vanish together (SECURITY.md P6, P9).

mod access;
pub mod access_log;
pub mod audit;
pub mod bulk;
mod cases;
mod client_edits;
mod client_work;
mod clients;
mod closures;
pub mod contact_requests;
mod contacts;
pub mod determinations;
mod drafts;
pub mod emergency;
pub mod enrolment;
mod group_commit;
pub mod keyring;
pub mod keys;
mod needs;
mod notes;
pub mod outcomes;
mod partners;
pub mod passkeys;
mod plans;
mod programs;
mod public_figures;
mod record;
mod referrals;
mod releases;
pub mod reports;
mod safety;
pub mod screenings;
mod seal;
mod services;
pub mod signin;
pub mod staff_admin;
pub mod teams;
pub mod timeline;
pub mod users;
mod work;

use std::sync::{Arc, Mutex};

use domain::audit::{Actor, AuditAction, NewAuditEvent};
use domain::{Role, Timestamp, UserId};
use rand::{CryptoRng, RngCore, SeedableRng};
use store::{KeyStore, Store, StoreError};

pub use cases::{CaseTransfer, CaseView, NewCase};
pub use client_edits::{ClientChangeView, MAX_CHANGES};
pub use clients::{CaseloadQuery, ClientSummary, ClientView, MAX_PAGE, PossibleDuplicate};
pub use closures::{ClosureView, Due, DueItem, FollowUpView};
pub use contacts::{ContactView, MAX_CONTACTS};
pub use determinations::DeterminationView;
pub use drafts::Draft;
pub use keyring::KeyRing;
pub use needs::{MAX_ASSESSMENTS, NeedAnswerView, NeedsAssessmentView, NeedsPage};
pub use notes::{MAX_NOTES, NoteView};
pub use outcomes::{DomainProgress, MAX_OUTCOMES, OutcomeAssessmentView};
pub use partners::PartnerView;
pub use plans::{GoalView, PlanView, ReviewView, StepView as PlanStepView};
pub use record::{ClientRecord, ScreeningSummary};
pub use referrals::{MAX_REFERRALS, OverdueReferral, ReferralView, SheetView, StepView};
pub use releases::{MAX_RELEASES, ReleaseView};
pub use safety::SafetyView;
pub use screenings::ScreeningView;
pub use services::{MAX_SERVICES, ServiceView};
pub use store::Unavailable;
pub use store::rows::ProgramRow;
pub use work::{DueWork, MAX_DUE, Task};

/// Whether this is the benchmark-only build that reads clients without audit or decryption.
pub const BENCH_BASELINE: bool = cfg!(feature = "bench-baseline");

/// Where "now" comes from. Production reads the system clock; tests set it.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Timestamp;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // The one place the real clock is read.
    fn now(&self) -> Timestamp {
        let since = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp::from_unix_millis(i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A clock that reads another one, unless it is held at a time. The demo holds it at the
/// moments of a made-up year of case work (the app dates every record by its clock, and refuses
/// one dated before its client was recorded), then lets go, so it serves in real time.
#[derive(Debug)]
pub struct HeldClock {
    inner: Arc<dyn Clock>,
    held: Mutex<Option<Timestamp>>,
}

impl HeldClock {
    pub fn new(inner: Arc<dyn Clock>) -> Self {
        Self {
            inner,
            held: Mutex::new(None),
        }
    }

    /// Stands at `at` until held elsewhere or let go.
    pub fn hold_at(&self, at: Timestamp) {
        *self.slot() = Some(at);
    }

    /// Reads the inner clock again.
    pub fn let_go(&self) {
        *self.slot() = None;
    }

    /// The inner clock's time, held or not.
    pub fn real_now(&self) -> Timestamp {
        self.inner.now()
    }

    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Timestamp>> {
        // Only a `Timestamp` is kept: a panic elsewhere cannot leave it half-written.
        self.held
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Clock for HeldClock {
    fn now(&self) -> Timestamp {
        self.slot().unwrap_or_else(|| self.inner.now())
    }
}

/// Where randomness comes from: the operating system, or a seeded generator in tests and demos.
#[derive(Debug)]
pub enum Entropy {
    Os,
    Seeded(Box<Mutex<rand::rngs::StdRng>>),
}

impl Entropy {
    pub fn seeded(seed: u64) -> Self {
        Entropy::Seeded(Box::new(Mutex::new(rand::rngs::StdRng::seed_from_u64(
            seed,
        ))))
    }

    /// A generator for one operation.
    pub fn rng(&self) -> EntropyRng<'_> {
        EntropyRng(self)
    }

    pub fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut out = [0u8; N];
        self.rng().fill_bytes(&mut out);
        out
    }
}

#[derive(Debug)]
pub struct EntropyRng<'a>(&'a Entropy);

impl RngCore for EntropyRng<'_> {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        match self.0 {
            Entropy::Os => rand::rngs::OsRng.fill_bytes(dest),
            Entropy::Seeded(rng) => match rng.lock() {
                Ok(mut rng) => rng.fill_bytes(dest),
                Err(poisoned) => poisoned.into_inner().fill_bytes(dest),
            },
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for EntropyRng<'_> {}

/// A signed-in member of staff, as established from a token or session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub id: UserId,
    pub username: String,
    pub role: Role,
}

/// Why the caller is looking, recorded with each audit event. A fixed list, so that no free text
/// (which might carry personal data) reaches the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    #[default]
    CaseWork,
    Safety,
    Supervision,
    Legal,
    DataQuality,
}

impl Purpose {
    pub const ALL: [Purpose; 5] = [
        Purpose::CaseWork,
        Purpose::Safety,
        Purpose::Supervision,
        Purpose::Legal,
        Purpose::DataQuality,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::CaseWork => "case-work",
            Purpose::Safety => "safety",
            Purpose::Supervision => "supervision",
            Purpose::Legal => "legal",
            Purpose::DataQuality => "data-quality",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such record, or one the caller may not see: the two are never told apart (P7).
    #[error("not found")]
    NotFound,
    /// The caller's role may not do this at all (no particular record involved).
    #[error("your role does not allow this")]
    Forbidden,
    #[error(transparent)]
    Invalid(#[from] domain::InvalidInput),
    #[error("{0}")]
    Conflict(&'static str),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("a sealed value could not be opened: {0}")]
    Crypto(#[from] crypto::CryptoError),
    #[error(transparent)]
    KeyFile(#[from] crypto::KeyFileError),
}

impl AppError {
    /// Why the database cannot serve now, when that is what went wrong: the request was fine and
    /// may be tried again in a moment.
    pub fn unavailable(&self) -> Option<store::Unavailable> {
        match self {
            Self::Store(StoreError::Unavailable(why)) => Some(*why),
            _ => None,
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The application: storage, keys, clock and randomness, shared by every request.
#[derive(Debug, Clone)]
pub struct App {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    store: Store,
    keys: KeyStore,
    keyring: KeyRing,
    clock: Arc<dyn Clock>,
    entropy: Entropy,
    /// Where audited reads queue to share one durable commit.
    group_commit: group_commit::GroupCommit,
    password_cost: crypto::password::Cost,
    /// Woken after each erasure, for whatever advances the key epoch (P3).
    erasures: tokio::sync::Notify,
    /// The zone staff read times in.
    time_zone: domain::time::ProgramZone,
    /// The program's own numbers of days.
    rules: ProgramRules,
    /// The "who we serve" figures the public pages show, as last made (`public_figures`).
    figures: std::sync::RwLock<Option<Arc<report::figures::Figures>>>,
}

/// The numbers of days a program sets for itself (`serve --release-days --review-days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgramRules {
    /// How many days a release of information without an end date lasts.
    pub release_days: u16,
    /// How many days after a plan's first goal, or its last review, the next review is due.
    pub review_days: u16,
}

impl Default for ProgramRules {
    fn default() -> Self {
        Self {
            release_days: domain::release::DEFAULT_DAYS,
            review_days: domain::plan::DEFAULT_REVIEW_DAYS,
        }
    }
}

impl App {
    pub fn new(
        store: Store,
        keys: KeyStore,
        keyring: KeyRing,
        clock: Arc<dyn Clock>,
        entropy: Entropy,
    ) -> Self {
        let group_commit = group_commit::GroupCommit::new(store.dialect());
        Self {
            inner: Arc::new(Inner {
                store,
                keys,
                keyring,
                clock,
                entropy,
                group_commit,
                password_cost: crypto::password::Cost::PRODUCTION,
                erasures: tokio::sync::Notify::new(),
                time_zone: domain::time::ProgramZone::default(),
                rules: ProgramRules::default(),
                figures: std::sync::RwLock::new(None),
            }),
        }
    }

    /// Uses another Argon2id cost (tests: `Cost::TEST_ONLY`). Call right after `new`.
    pub fn with_password_cost(mut self, cost: crypto::password::Cost) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.password_cost = cost;
        }
        self
    }

    /// Shows staff times in `zone` (UTC unless told). Call right after `new`.
    pub fn with_time_zone(mut self, zone: domain::time::ProgramZone) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.time_zone = zone;
        }
        self
    }

    /// Follows the program's own numbers of days (each at least one). Call right after `new`.
    pub fn with_rules(mut self, rules: ProgramRules) -> Self {
        if let Some(inner) = Arc::get_mut(&mut self.inner) {
            inner.rules = ProgramRules {
                release_days: rules.release_days.max(1),
                review_days: rules.review_days.max(1),
            };
        }
        self
    }

    /// The program's own numbers of days.
    pub fn rules(&self) -> ProgramRules {
        self.inner.rules
    }

    /// The zone staff read and type times in.
    pub fn time_zone(&self) -> &domain::time::ProgramZone {
        &self.inner.time_zone
    }

    /// Runs the transactional part of a request in a shared, group-committed transaction (see
    /// `group_commit`), and returns once that transaction is durable.
    pub(crate) async fn grouped<T, F>(&self, ask: group_commit::Ask, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: for<'a> FnOnce(&'a App, group_commit::Share<'a>) -> group_commit::Work<'a, T>
            + Send
            + 'static,
    {
        self.inner.group_commit.run(self, ask, work).await
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// Completes after a client is erased (one waiter; an erasure before it waited counts).
    pub async fn erased(&self) {
        self.inner.erasures.notified().await;
    }

    pub fn key_store(&self) -> &KeyStore {
        &self.inner.keys
    }

    pub fn keyring(&self) -> &KeyRing {
        &self.inner.keyring
    }

    pub fn now(&self) -> Timestamp {
        self.inner.clock.now()
    }

    pub fn entropy(&self) -> &Entropy {
        &self.inner.entropy
    }

    pub(crate) fn event(
        &self,
        actor: Actor,
        action: AuditAction,
        target: Option<String>,
        purpose: &str,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at: self.now(),
            actor,
            action,
            target,
            purpose: purpose.to_owned(),
        }
    }

    /// Appends an audit event in `tx`.
    async fn audit(
        &self,
        tx: &mut store::Tx,
        actor: Actor,
        action: AuditAction,
        target: Option<String>,
        purpose: &str,
    ) -> Result<()> {
        let event = self.event(actor, action, target, purpose);
        tx.append_audit(&event, &self.inner.keyring.audit_key())
            .await?;
        Ok(())
    }

    /// Records that a server started serving. Besides saying when, it moves the audit chain's head
    /// under this version's tag at once (a database upgraded from before head tags would
    /// otherwise read as unverified until its first audited request).
    pub async fn audit_server_start(&self) -> Result<()> {
        let mut tx = self.store().write().await?;
        self.audit(
            &mut tx,
            Actor::System,
            AuditAction::ServerStart,
            None,
            "operations",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an operator action (from the command line) in its own transaction.
    pub async fn audit_operator(&self, action: AuditAction, target: Option<String>) -> Result<()> {
        let mut tx = self.store().write().await?;
        self.audit(&mut tx, Actor::Operator, action, target, "administration")
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Fixed(Timestamp);

    impl Clock for Fixed {
        fn now(&self) -> Timestamp {
            self.0
        }
    }

    #[test]
    fn a_held_clock_stands_where_held_and_runs_again_when_let_go() {
        let real = Timestamp::from_unix_millis(1_790_000_000_000);
        let clock = HeldClock::new(Arc::new(Fixed(real)));
        assert_eq!(clock.now(), real);
        let past = real.plus_days(-300);
        clock.hold_at(past);
        assert_eq!((clock.now(), clock.real_now()), (past, real));
        clock.let_go();
        assert_eq!(clock.now(), real);
    }
}
