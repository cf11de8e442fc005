//! Key rotation: a new key-encryption key, every client's data key re-wrapped under it, the old one
//! retired, while servers keep serving (they re-read the key file when they meet the new version).

use std::path::Path;
use std::time::Duration;

use crypto::KeyFile;
use domain::audit::AuditAction;

use crate::{App, AppError, Result};

const BATCH: i64 = 500;

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotation {
    pub new_version: u32,
    pub rewrapped: u64,
}

impl App {
    /// Rotates the KEK in the key file at `path`. `progress` hears the count re-wrapped so far.
    /// `grace` is how long to wait before the last sweep, for servers that wrapped a new client's
    /// key under the old KEK just before they saw the new key file.
    pub async fn rotate_keys(
        &self,
        path: &Path,
        grace: Duration,
        mut progress: impl FnMut(u64),
    ) -> Result<Rotation> {
        let mut file = KeyFile::load(path)?;
        let new_version = file.add_kek(&mut self.entropy().rng());
        file.save(path)?;
        self.keyring().replace(file.clone());
        let mut rewrapped = self.rewrap_all(new_version, &mut progress).await?;
        tokio::time::sleep(grace).await;
        rewrapped += self.rewrap_all(new_version, &mut progress).await?;
        file.retire_old_keks();
        file.save(path)?;
        self.keyring().replace(file);
        self.audit_operator(AuditAction::KeysRotate, Some(format!("kek:{new_version}")))
            .await?;
        Ok(Rotation {
            new_version,
            rewrapped,
        })
    }

    /// When the key epoch last advanced (the newest rotation in the audit log), if it ever did.
    pub async fn last_key_epoch(&self) -> Result<Option<domain::Timestamp>> {
        let mut tx = self.store().read().await?;
        let rotations = store::AuditFilter {
            action: Some(AuditAction::KeysRotate.as_str().to_owned()),
            ..store::AuditFilter::default()
        };
        let newest = tx.audit_events_matching(&rotations, 1).await?;
        tx.commit().await?;
        Ok(newest.first().map(|event| event.at))
    }

    async fn rewrap_all(&self, new_version: u32, progress: &mut impl FnMut(u64)) -> Result<u64> {
        let kek = self.keyring().kek(new_version).ok_or(AppError::Crypto(
            crypto::CryptoError::UnknownKeyVersion(new_version),
        ))?;
        let mut done = 0u64;
        loop {
            let batch = self.key_store().not_under(new_version, BATCH).await?;
            if batch.is_empty() {
                return Ok(done);
            }
            for (client, old) in batch {
                let client_id = client.to_string();
                let dek = crypto::unwrap_data_key(
                    |v| self.keyring().kek(v),
                    &client_id,
                    old.dek_version,
                    &old.wrapped,
                )?;
                let wrapped = crypto::wrap_data_key(
                    &kek,
                    new_version,
                    &client_id,
                    &dek,
                    &mut self.entropy().rng(),
                );
                let new = store::WrappedKey {
                    kek_version: new_version,
                    wrapped,
                    ..old.clone()
                };
                // If the key changed meanwhile (erased, or another rotation), the next pass sees it.
                if self.key_store().replace(client, &old, &new).await? {
                    done += 1;
                    progress(done);
                }
            }
        }
    }
}
