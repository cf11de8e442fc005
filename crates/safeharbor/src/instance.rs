//! Opening an instance: the database (embedded SQLite or PostgreSQL), the key file, and the
//! start-up checks that refuse an unsafe deployment (SECURITY.md P16).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use app::{App, Clock, Entropy, KeyRing, SystemClock};
use crypto::KeyFile;
use domain::audit::AuditAction;
use store::migrate::Unmigrated;

use crate::cli::{Listen, Storage};
use crate::upgrade;

impl Storage {
    pub fn key_path(&self) -> PathBuf {
        self.key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("safeharbor.key"))
    }
}

/// Opens the instance `storage` describes, with the real clock and the operating system's entropy.
pub async fn open(storage: &Storage) -> anyhow::Result<App> {
    open_with(storage, Arc::new(SystemClock), Entropy::Os).await
}

pub async fn open_with(
    storage: &Storage,
    clock: Arc<dyn Clock>,
    entropy: Entropy,
) -> anyhow::Result<App> {
    let now = clock.now();
    let database = connect(storage).await?;
    let schema = database.schema().await.context(where_(storage))?;
    if schema.records > 0 {
        refuse_another_instances(storage, database.store()).await?;
    }
    // Before an upgrade, the database as it is goes to a backup; nothing is migrated without one.
    let backed_up = if schema.is_upgrade() {
        upgrade::back_up(storage, &database, &schema, now, &entropy).await?
    } else {
        false
    };
    let (store, keys) = database
        .migrate(now.unix_millis())
        .await
        .context(where_(storage))?;
    let app = with_key_file(storage, store, keys, clock, entropy).await?;
    if backed_up {
        app.audit_operator(AuditAction::BackupCreate, None).await?;
    }
    Ok(app)
}

/// Opens the instance `storage` describes to restore a records backup made at schema `at` into
/// it: a new database is brought to that schema only, for the caller to restore into and then
/// finish migrating (`Unmigrated::migrate_to`); a database already there must be at that schema.
pub async fn open_for_restore(storage: &Storage, at: i64) -> anyhow::Result<(App, Unmigrated)> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let database = connect(storage).await?;
    let schema = database.schema().await.context(where_(storage))?;
    if at > schema.newest_records {
        bail!(
            "the backup was made by a newer Safe Harbor (schema {at}; this version knows up to {}): \
             restore it with that version",
            schema.newest_records
        );
    }
    if schema.records != 0 && schema.records != at {
        bail!(
            "the backup was made at schema {at}, and {} is at schema {}: restore it into a new, empty \
             data folder (or PostgreSQL database), where it is loaded at its own schema and then upgraded",
            where_(storage),
            schema.records
        );
    }
    database
        .migrate_to(at, clock.now().unix_millis())
        .await
        .context(where_(storage))?;
    let (store, keys) = (database.store().clone(), database.key_store().clone());
    let app = with_key_file(storage, store, keys, clock, Entropy::Os).await?;
    Ok((app, database))
}

/// The database `storage` names, connected to and checked, not yet migrated.
async fn connect(storage: &Storage) -> anyhow::Result<Unmigrated> {
    match &storage.database_url {
        Some(url) => store_postgres::connect(url, None).await,
        None => store_sqlite::connect(&storage.data_dir).await,
    }
    .with_context(|| where_(storage))
}

/// What an error opening the database is about.
fn where_(storage: &Storage) -> String {
    match &storage.database_url {
        Some(_) => "could not open the PostgreSQL database".to_owned(),
        None => format!(
            "could not open the database in {}",
            storage.data_dir.display()
        ),
    }
}

/// The application on an opened database, with the key file (made for a new database).
async fn with_key_file(
    storage: &Storage,
    store: store::Store,
    keys: store::KeyStore,
    clock: Arc<dyn Clock>,
    entropy: Entropy,
) -> anyhow::Result<App> {
    let path = storage.key_path();
    let key_file = if path.exists() {
        KeyFile::load(&path)?
    } else {
        // A new key file only for a new database: with records already there, a fresh key
        // would read none of them.
        let mut tx = store.read().await?;
        let events = tx.audit_head().await?.map_or(0, |head| head.seq);
        let users = tx.users().await?;
        tx.commit().await?;
        if events > 0 || !users.is_empty() {
            bail!(missing_key_file(&path));
        }
        let created = KeyFile::load_or_create(&path, &mut entropy.rng())?;
        tracing::info!(path = %path.display(), "created a new key file; keep a copy somewhere safe, apart from backups");
        created
    };
    Ok(App::new(
        store,
        keys,
        KeyRing::from_file(&path, key_file),
        clock,
        entropy,
    ))
}

/// Refuses a key file that is not the database's own, before anything is migrated or written. The
/// audit chain's first event carries a MAC made with the instance's audit key; started with
/// another instance's key file, the instance would seal and audit under keys its records do not
/// know, breaking the chain. (A moved or cut-short head is not this check's business: `audit
/// verify` names it. A missing key file is `with_key_file`'s.)
async fn refuse_another_instances(storage: &Storage, store: &store::Store) -> anyhow::Result<()> {
    let path = storage.key_path();
    if !path.exists() {
        return Ok(());
    }
    let key_file = KeyFile::load(&path)?;
    let mut tx = store.read().await?;
    // Missing audit tables are `audit verify`'s to name, not a key file's fault.
    let first = if tx.audit_tables_present().await? {
        tx.audit_events(0, 1).await?
    } else {
        Vec::new()
    };
    tx.commit().await?;
    let Some(first) = first.first() else {
        return Ok(());
    };
    let genesis = crypto::audit_mac::GENESIS;
    if !crypto::audit_mac::verify(
        key_file.audit_key(),
        &genesis,
        &first.canonical_bytes(),
        &first.mac,
    ) {
        bail!(
            "the key file {} does not verify this database's first audit event: it is another \
             instance's key file (or that event was altered). Point --key-file at the key file \
             this instance was made with; nothing was changed",
            path.display()
        );
    }
    Ok(())
}

/// What to say when the key file is missing for a database that holds records.
pub fn missing_key_file(path: &std::path::Path) -> String {
    format!(
        "the key file {} is missing, but the database already holds records: put the key file back \
         (or point --key-file at it); without it nothing can be read",
        path.display()
    )
}

/// Refuses to listen beyond this machine without TLS, unless a TLS proxy is declared in front.
pub fn check_listen(listen: &Listen) -> anyhow::Result<SocketAddr> {
    if !listen.listen.ip().is_loopback() && !listen.behind_proxy && listen.tls().is_none() {
        bail!(
            "refusing to listen on {} without TLS: pass --tls-cert and --tls-key to serve HTTPS, or put a \
             TLS-terminating proxy in front and pass --behind-proxy, or listen on 127.0.0.1",
            listen.listen
        );
    }
    Ok(listen.listen)
}

impl Listen {
    /// The certificate files, when the server is to speak TLS itself.
    pub fn tls(&self) -> Option<web::tls::TlsFiles> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => Some(web::tls::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        }
    }

    /// How the server is reached: `https` with built-in TLS, else `http`.
    pub fn scheme(&self) -> &'static str {
        if self.tls().is_some() {
            "https"
        } else {
            "http"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(addr: &str, behind_proxy: bool) -> Listen {
        Listen {
            listen: addr.parse().unwrap(),
            behind_proxy,
            client_address_header: None,
            tls_cert: None,
            tls_key: None,
        }
    }

    #[test]
    fn refuses_open_listeners_without_a_proxy_or_tls() {
        assert!(check_listen(&listen("127.0.0.1:8080", false)).is_ok());
        assert!(check_listen(&listen("[::1]:8080", false)).is_ok());
        let err = check_listen(&listen("0.0.0.0:8080", false)).unwrap_err();
        assert!(err.to_string().contains("--behind-proxy"));
        assert!(err.to_string().contains("--tls-cert"));
        assert!(check_listen(&listen("0.0.0.0:8080", true)).is_ok());
        let tls = Listen {
            tls_cert: Some("cert.pem".into()),
            tls_key: Some("key.pem".into()),
            ..listen("0.0.0.0:443", false)
        };
        assert!(check_listen(&tls).is_ok());
        assert_eq!(tls.scheme(), "https");
    }

    #[tokio::test]
    async fn refuses_a_missing_key_file_for_an_existing_database() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage {
            data_dir: dir.path().join("data"),
            database_url: None,
            key_file: None,
            upgrade_backup_dir: None,
        };
        let app = open(&storage).await.unwrap();
        app.add_user("ana.m", domain::Role::CaseManager)
            .await
            .unwrap();
        app.store().close().await;
        std::fs::remove_file(storage.key_path()).unwrap();
        let err = open(&storage).await.unwrap_err();
        assert!(err.to_string().contains("key file"), "{err}");
    }

    #[tokio::test]
    async fn refuses_a_key_file_others_can_read() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage {
            data_dir: dir.path().join("data"),
            database_url: None,
            key_file: None,
            upgrade_backup_dir: None,
        };
        open(&storage).await.unwrap();
        std::fs::set_permissions(storage.key_path(), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let err = open(&storage).await.unwrap_err();
        assert!(format!("{err:#}").contains("chmod 600"), "{err:#}");
    }
}
