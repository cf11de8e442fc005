//! The upgrade path. Migrations run forward only, at start; before a newer version migrates a
//! database that holds records, it writes a backup of the records (proven to restore, as
//! `safeharbor backup` does) and of the key store as they are, at the old schema, into the upgrade
//! backup folder, and says where. If that fails, nothing is migrated and the start fails. A new
//! or empty database needs no backup.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use app::Entropy;
use crypto::KeyFile;
use domain::Timestamp;
use store::migrate::{Schema, Unmigrated};

use crate::cli::Storage;
use crate::instance;
use crate::sealed::{SealedFile, restore_drill};

impl Storage {
    /// Where upgrade backups go: `--upgrade-backup-dir`, or `upgrade-backups` in the data folder.
    pub fn upgrade_backup_dir(&self) -> PathBuf {
        self.upgrade_backup_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("upgrade-backups"))
    }
}

/// The two files of one upgrade backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpgradeBackup {
    pub records: PathBuf,
    pub keys: PathBuf,
}

impl UpgradeBackup {
    /// The files for a backup at `schema`, taken at `now`: the records' schema and the time in
    /// their names, so that upgrades never write over each other.
    fn named(dir: &Path, schema: &Schema, now: Timestamp) -> Self {
        let stamp = now.rfc3339().replace(':', "-");
        let stem = format!("schema-{}-{stamp}", schema.records);
        Self {
            records: dir.join(format!("records-{stem}.shb")),
            keys: dir.join(format!("keys-{stem}.shk")),
        }
    }
}

/// Backs up the database before it is upgraded from `schema`; returns whether it wrote a backup
/// (not for a database that holds nothing).
pub async fn back_up(
    storage: &Storage,
    database: &Unmigrated,
    schema: &Schema,
    now: Timestamp,
    entropy: &Entropy,
) -> anyhow::Result<bool> {
    let failed = || {
        format!(
            "could not back up the database before upgrading it from schema {} to {}; nothing was \
             migrated (the backup folder is set with --upgrade-backup-dir)",
            schema.records, schema.newest_records
        )
    };
    let empty = store::backup::is_empty(database.store())
        .await
        .with_context(failed)?
        && database
            .key_store()
            .count_by_kek()
            .await
            .with_context(failed)?
            .is_empty();
    if empty {
        return Ok(false);
    }
    let written = write(storage, database, schema, now, entropy)
        .await
        .with_context(failed)?;
    tracing::info!(
        records = %written.records.display(),
        keys = %written.keys.display(),
        from = schema.records,
        to = schema.newest_records,
        "backed up the database before upgrading its schema; to go back to the version before, \
         restore these with it (docs/operations.md, Upgrades)"
    );
    Ok(true)
}

async fn write(
    storage: &Storage,
    database: &Unmigrated,
    schema: &Schema,
    now: Timestamp,
    entropy: &Entropy,
) -> anyhow::Result<UpgradeBackup> {
    let key_path = storage.key_path();
    if !key_path.exists() {
        bail!(instance::missing_key_file(&key_path));
    }
    let key_file = KeyFile::load(&key_path)?;
    let dir = storage.upgrade_backup_dir();
    private_dir(&dir)?;
    let files = UpgradeBackup::named(&dir, schema, now);

    let mut sealed = SealedFile::create(key_file.backup_key(), entropy, &files.records)?;
    let written = store::backup::write(
        database.store(),
        &mut sealed.writer,
        now.unix_millis(),
        |_| (),
    )
    .await;
    if let Err(err) = written {
        sealed.abandon();
        return Err(err.into());
    }
    sealed.finish()?;
    restore_drill(
        key_file.backup_key(),
        key_file.audit_key(),
        &files.records,
        now.unix_millis(),
    )
    .await
    .with_context(|| {
        format!(
            "the backup {} did not restore into a scratch database",
            files.records.display()
        )
    })?;

    let mut sealed = SealedFile::create(key_file.backup_key(), entropy, &files.keys)?;
    if let Err(err) = database.key_store().export(&mut sealed.writer).await {
        sealed.abandon();
        return Err(err.into());
    }
    sealed.finish()?;
    Ok(files)
}

/// Makes the folder (mode 0700) if it is not there; refuses one that others can read or write.
fn private_dir(dir: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("could not make the folder {}", dir.display()))?;
    }
    if let Some(mode) = crypto::keyfile::readable_by_others(dir)
        .with_context(|| format!("could not read the folder {}", dir.display()))?
    {
        bail!(
            "the upgrade backup folder {} can be read by other users (mode {mode:o}); run `chmod 700 {}`",
            dir.display(),
            dir.display()
        );
    }
    Ok(())
}
