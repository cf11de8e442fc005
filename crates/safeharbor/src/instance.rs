//! Opening an instance: the database (embedded SQLite or PostgreSQL), the key file, and the
//! start-up checks that refuse an unsafe deployment (SECURITY.md P16).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use app::{App, Clock, Entropy, KeyRing, SystemClock};
use crypto::KeyFile;

use crate::cli::{Listen, Storage};

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
    let (store, keys) = match &storage.database_url {
        Some(url) => store_postgres::open(url, None, now)
            .await
            .context("could not open the PostgreSQL database")?,
        None => store_sqlite::open(&storage.data_dir, now)
            .await
            .with_context(|| {
                format!(
                    "could not open the database in {}",
                    storage.data_dir.display()
                )
            })?,
    };
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
            bail!(
                "the key file {} is missing, but the database already holds records: put the key file back \
                 (or point --key-file at it); without it nothing can be read",
                path.display()
            );
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

/// Refuses to listen beyond this machine without TLS, unless a TLS proxy is declared in front.
pub fn check_listen(listen: &Listen) -> anyhow::Result<SocketAddr> {
    if !listen.listen.ip().is_loopback() && !listen.behind_proxy {
        bail!(
            "refusing to listen on {} without TLS: Safe Harbor serves plain HTTP. Put a TLS-terminating proxy in \
             front and pass --behind-proxy, or listen on 127.0.0.1",
            listen.listen
        );
    }
    Ok(listen.listen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listen(addr: &str, behind_proxy: bool) -> Listen {
        Listen {
            listen: addr.parse().unwrap(),
            behind_proxy,
            client_address_header: None,
        }
    }

    #[test]
    fn refuses_open_listeners_without_a_proxy() {
        assert!(check_listen(&listen("127.0.0.1:8080", false)).is_ok());
        assert!(check_listen(&listen("[::1]:8080", false)).is_ok());
        let err = check_listen(&listen("0.0.0.0:8080", false)).unwrap_err();
        assert!(err.to_string().contains("--behind-proxy"));
        assert!(check_listen(&listen("0.0.0.0:8080", true)).is_ok());
    }

    #[tokio::test]
    async fn refuses_a_missing_key_file_for_an_existing_database() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage {
            data_dir: dir.path().join("data"),
            database_url: None,
            key_file: None,
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
        };
        open(&storage).await.unwrap();
        std::fs::set_permissions(storage.key_path(), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let err = open(&storage).await.unwrap_err();
        assert!(format!("{err:#}").contains("chmod 600"), "{err:#}");
    }
}
