//! The test application: the whole server on a port of its own, on SQLite (always) or PostgreSQL
//! (when `TEST_DATABASE_URL` is set), with a clock the test controls and staff personas.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};

use app::{App, Clock, Entropy};
use domain::{Role, Timestamp};
use safeharbor::cli::Storage;
pub mod browser;
pub mod process;
pub mod staff;

/// A clock that stands still until the test moves it.
#[derive(Debug)]
pub struct TestClock(AtomicI64);

impl TestClock {
    pub fn advance_days(&self, days: i64) {
        self.0.fetch_add(days * 86_400_000, Ordering::SeqCst);
    }

    pub fn advance_minutes(&self, minutes: i64) {
        self.0.fetch_add(minutes * 60_000, Ordering::SeqCst);
    }

    /// Moves the clock by `seconds`, back as well as forward.
    pub fn advance_seconds(&self, seconds: i64) {
        self.0.fetch_add(seconds * 1000, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        Timestamp::from_unix_millis(self.0.load(Ordering::SeqCst))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engines to test on: SQLite always, PostgreSQL when the test server is configured.
pub fn engines() -> Vec<Engine> {
    let mut engines = vec![Engine::Sqlite];
    if store::conformance::test_database_url().is_some() {
        engines.push(Engine::Postgres);
    }
    engines
}

static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty PostgreSQL database on the test server; returns its URL.
pub async fn fresh_postgres() -> String {
    let admin = store::conformance::test_database_url().expect("TEST_DATABASE_URL");
    sqlx::any::install_default_drivers();
    let name = format!(
        "sh_app_{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
        .await
        .expect("connect");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .expect("create database");
    }
    let (base, _) = admin.rsplit_once('/').expect("URL names a database");
    format!("{base}/{name}")
}

/// The password every enrolled test persona uses.
pub const STAFF_PASSWORD: &str = "lantern orchard tidepool velvet";

pub struct Persona {
    pub token: String,
    pub caller: app::Caller,
}

pub struct TestApp {
    pub app: App,
    pub base: String,
    pub http: reqwest::Client,
    pub clock: Arc<TestClock>,
    pub storage: Storage,
    pub dir: tempfile::TempDir,
    pub engine: Engine,
    /// Each administrator's passkey, by username (administrators prove one on every sign-in).
    pub passkeys: std::sync::Mutex<
        std::collections::HashMap<String, crypto::webauthn::software::Authenticator>,
    >,
}

impl TestApp {
    pub async fn start(engine: Engine) -> Self {
        Self::start_in(engine, domain::time::ProgramZone::default()).await
    }

    /// A server whose staff read times in `zone`.
    pub async fn start_in(engine: Engine, zone: domain::time::ProgramZone) -> Self {
        let database_url = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(fresh_postgres().await),
        };
        Self::start_on(database_url, zone).await
    }

    /// A server on the PostgreSQL database at `database_url`, or on SQLite if `None`.
    pub async fn start_on(database_url: Option<String>, zone: domain::time::ProgramZone) -> Self {
        Self::start_with_clock(database_url, zone, |clock| clock).await
    }

    /// The same, with the app's clock made from the test's by `app_clock` (the demo's holds it).
    pub async fn start_with_clock(
        database_url: Option<String>,
        zone: domain::time::ProgramZone,
        app_clock: impl FnOnce(Arc<TestClock>) -> Arc<dyn Clock>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = match database_url {
            Some(_) => Engine::Postgres,
            None => Engine::Sqlite,
        };
        let storage = Storage {
            data_dir: dir.path().join("data"),
            database_url,
            key_file: None,
            upgrade_backup_dir: None,
        };
        let clock = Arc::new(TestClock(AtomicI64::new(1_790_000_000_000)));
        let app = safeharbor::instance::open_with(
            &storage,
            app_clock(clock.clone()),
            Entropy::seeded(11),
        )
        .await
        .expect("open")
        .with_password_cost(crypto::password::Cost::TEST_ONLY)
        .with_time_zone(zone);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let options = web::Options {
            // Lets a test stand for visitors from many places (contact_requests.rs).
            client_address_header: Some(web::HeaderName::from_static("x-test-visitor")),
        };
        tokio::spawn(web::serve(
            listener,
            app.clone(),
            options,
            std::future::pending(),
        ));
        Self {
            app,
            base,
            http: reqwest::Client::new(),
            clock,
            storage,
            dir,
            engine,
            passkeys: std::sync::Mutex::new(std::collections::HashMap::new()),
        }
    }

    pub async fn persona(&self, username: &str, role: Role) -> Persona {
        let (user, token) = self.app.add_user(username, role).await.expect("add user");
        Persona {
            token: token.secret,
            caller: app::Caller {
                id: user.id,
                username: user.username,
                role,
            },
        }
    }

    /// A member of staff who has set a password and confirmed an authenticator, as a new member
    /// of staff does at enrolment; returns them and their authenticator's secret.
    pub async fn enrolled(
        &self,
        username: &str,
        role: Role,
    ) -> (Persona, crypto::totp::TotpSecret) {
        let persona = self.persona(username, role).await;
        let id = persona.caller.id;
        let password = domain::signin::NewPassword::parse(STAFF_PASSWORD, &[username]).unwrap();
        self.app.set_password(id, &password).await.unwrap();
        let secret = self.app.begin_totp(id).await.unwrap();
        let code = secret.code(self.unix_seconds());
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert!(
            !self.app.confirm_totp(id, wrong).await.unwrap(),
            "a wrong code does not confirm"
        );
        assert!(self.app.confirm_totp(id, &code).await.unwrap());
        (persona, secret)
    }

    /// The test clock's time, in whole seconds, as an authenticator counts it.
    pub fn unix_seconds(&self) -> i64 {
        self.app.now().unix_millis() / 1000
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with only a name, recorded by `by` (who is assigned); the path of their page.
    pub async fn client_page_of(&self, by: &Persona, name: &str) -> String {
        let client = domain::client::RawClient {
            preferred_name: name.to_owned(),
            ..Default::default()
        };
        format!("/app/clients/{}", self.recorded(&by.caller, client).await)
    }

    /// A client as `raw` gives them, recorded by `by` (who is assigned).
    pub async fn recorded(
        &self,
        by: &app::Caller,
        raw: domain::client::RawClient,
    ) -> domain::ClientId {
        let client = raw.parse(self.app.now().date()).unwrap();
        self.app
            .create_client(by, client, app::Purpose::CaseWork)
            .await
            .unwrap()
    }

    /// A client (18 to 24, of `kind` of trafficking) recorded by `by`, with a service of `code`
    /// today.
    pub async fn served_today(&self, by: &app::Caller, kind: &str, code: &str) -> domain::ClientId {
        let raw = domain::client::RawClient {
            preferred_name: "Someone".into(),
            age_band: Some("18-24".into()),
            profile: domain::profile::RawProfile {
                trafficking_type: Some(kind.into()),
                ..domain::profile::RawProfile::default()
            },
            ..domain::client::RawClient::default()
        };
        let id = self.recorded(by, raw).await;
        self.serve(by, id, code).await;
        id
    }

    /// A service of `code` for `client` today, recorded by `by`.
    pub async fn serve(&self, by: &app::Caller, client: domain::ClientId, code: &str) {
        let service = domain::service::RawService {
            delivered_on: self.app.now().date(),
            code,
            mode: "in-person",
            minutes: None,
            units: None,
            note: None,
        }
        .parse(self.app.now())
        .unwrap();
        self.app
            .record_service(by, client, service, app::Purpose::CaseWork)
            .await
            .unwrap();
    }

    /// Sends a referral of `client` to `partner` from `by`, sharing the name under a release given now.
    pub async fn referral_sent(
        &self,
        by: &app::Caller,
        client: domain::ClientId,
        partner: domain::PartnerId,
    ) -> domain::ReferralId {
        let shares = ["name".to_owned()];
        let release = domain::release::RawRelease {
            recipient: "Intake",
            purpose: "A bed",
            shares: &shares,
            method: "signed-on-screen",
            witness: None,
            cosigner: "none",
            cosigner_of_concern: false,
            starts_on: self.app.now().date(),
            ends_on: None,
        }
        .parse(90)
        .unwrap();
        let purpose = app::Purpose::CaseWork;
        let release = self
            .app
            .record_release(by, client, Some(partner), release, purpose)
            .await
            .unwrap();
        let referral = domain::referral::RawReferral {
            partner: &partner.to_string(),
            service: "D1",
            shares: &shares,
            release: Some(&release.to_string()),
            note: None,
        }
        .parse()
        .unwrap();
        let id = self
            .app
            .draft_referral(by, client, referral, purpose)
            .await
            .unwrap();
        let sent = domain::referral::ReferralStatus::Sent;
        self.app
            .step_referral(by, client, id, sent, None, purpose)
            .await
            .unwrap();
        id
    }

    /// Harbor House, a shelter, added to the partner directory by `by` (a supervisor).
    pub async fn harbor_house(&self, by: &app::Caller) -> domain::PartnerId {
        let partner = domain::partner::RawPartner {
            name: "Harbor House",
            services: &["D1".to_owned()],
            languages: &[],
            area: None,
            safe_contact: None,
        };
        let partner = partner.parse().expect("a partner");
        self.app
            .add_partner(by, partner)
            .await
            .expect("add a partner")
    }

    /// A connection of the test's own to the instance's database, beside the server's.
    pub async fn db(&self) -> sqlx::AnyConnection {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let url = match &self.storage.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}",
                self.storage.data_dir.join("records.sqlite").display()
            ),
        };
        sqlx::AnyConnection::connect(&url).await.expect("connect")
    }

    /// Every audit event so far, oldest first.
    pub async fn audit(&self) -> Vec<store::rows::AuditRow> {
        let mut tx = self.app.store().read().await.expect("tx");
        tx.audit_events(0, 1_000_000).await.expect("events")
    }
}

/// An authenticator app's view of a key shown on the sign-up page (base32, spaces ignored).
pub fn totp_from_base32(key: &str) -> crypto::totp::TotpSecret {
    let mut bits = 0u64;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in key.chars().filter(|c| !c.is_whitespace()) {
        let value = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".find(c).expect("base32") as u64;
        bits = (bits << 5) | value;
        count += 5;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    crypto::totp::TotpSecret::from_bytes(bytes.try_into().expect("20 bytes"))
}

/// The headers every response carries (SECURITY.md P14); `what` names the request in failures.
pub fn assert_security_headers(headers: &reqwest::header::HeaderMap, what: &str) {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(get("cache-control"), "no-store", "{what}");
    assert_eq!(get("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(get("referrer-policy"), "no-referrer", "{what}");
    assert_eq!(get("x-frame-options"), "DENY", "{what}");
    assert!(
        get("strict-transport-security").starts_with("max-age="),
        "{what}"
    );
    let csp = get("content-security-policy");
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{what}: {csp}"
    );
}
