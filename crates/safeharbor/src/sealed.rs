//! Files sealed under the backup key (`crypto::backup_stream`): backups of the records and of the
//! key store, written whole or not at all, readable by their owner only, and the restore drill
//! that proves a records backup loads.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::Entropy;
use crypto::SecretKey;
use crypto::backup_stream::{BackupReader, BackupWriter};

/// A file being written under the backup key: to a temporary name, renamed into place when whole.
pub struct SealedFile {
    pub writer: BackupWriter<std::io::BufWriter<std::fs::File>>,
    tmp: PathBuf,
    path: PathBuf,
}

impl SealedFile {
    pub fn create(backup_key: &SecretKey, entropy: &Entropy, path: &Path) -> anyhow::Result<Self> {
        if path.exists() {
            bail!("{} already exists; choose a new file name", path.display());
        }
        let tmp = path.with_extension("partial");
        // Readable by the operator only, like the data folder.
        use std::os::unix::fs::OpenOptionsExt;
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)
            .with_context(|| format!("could not create {}", tmp.display()))?;
        let writer = BackupWriter::new(
            std::io::BufWriter::new(file),
            backup_key,
            &mut entropy.rng(),
        )?;
        Ok(Self {
            writer,
            tmp,
            path: path.to_owned(),
        })
    }

    /// Seals the last chunk, syncs the file and renames it into place.
    pub fn finish(self) -> anyhow::Result<()> {
        let file = self
            .writer
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&self.tmp, &self.path)?;
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }

    pub fn abandon(self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

impl std::fmt::Debug for SealedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

pub fn open_sealed(
    backup_key: &SecretKey,
    path: &Path,
) -> anyhow::Result<BufReader<BackupReader<std::fs::File>>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("could not open {}", path.display()))?;
    Ok(BufReader::new(BackupReader::new(file, backup_key)?))
}

/// The schema version the records backup at `path` was made at.
pub fn schema_of(backup_key: &SecretKey, path: &Path) -> anyhow::Result<i64> {
    Ok(store::backup::schema_version(open_sealed(
        backup_key, path,
    )?)?)
}

/// Restores the records backup at `path` into a scratch SQLite database, brought to the schema the
/// backup was made at, and checks it against its digest (P17).
pub async fn restore_drill(
    backup_key: &SecretKey,
    audit_key: &SecretKey,
    path: &Path,
    now_ms: i64,
) -> anyhow::Result<store::backup::Summary> {
    let at = schema_of(backup_key, path)?;
    let scratch = tempfile::tempdir()?;
    let target = store_sqlite::connect(scratch.path()).await?;
    target.migrate_to(at, now_ms).await?;
    let summary = store::backup::restore(
        target.store(),
        open_sealed(backup_key, path)?,
        audit_key,
        |_| (),
    )
    .await;
    target.store().close().await;
    Ok(summary?)
}
