//! The key file: the organisation's keys, kept outside the database (SECURITY.md P16).
//!
//! It holds the key-encryption keys by version (more than one only while a rotation runs), and the
//! separate keys for blind indexes, the audit chain and backups. It is created with mode 0600 and
//! refused if anyone but its owner can read it. Updates are written to a temporary file, synced
//! and renamed over the old one, so a crash leaves either the old or the new file, never half.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::SecretKey;

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error(
        "the key file {path} can be read by other users (mode {mode:o}); run `chmod 600 {path}` and start again"
    )]
    TooOpen { path: PathBuf, mode: u32 },
    #[error("the key file {path} could not be read or written: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the key file {path} is not a Safe Harbor key file ({problem})")]
    Invalid {
        path: PathBuf,
        problem: &'static str,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDisk {
    format: u32,
    kek_current: u32,
    keks: BTreeMap<u32, String>,
    index_key: String,
    audit_key: String,
    backup_key: String,
}

/// The keys from a key file, in memory.
#[derive(Clone)]
pub struct KeyFile {
    kek_current: u32,
    keks: BTreeMap<u32, SecretKey>,
    index_key: SecretKey,
    audit_key: SecretKey,
    backup_key: SecretKey,
}

impl std::fmt::Debug for KeyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyFile")
            .field("kek_current", &self.kek_current)
            .field("kek_versions", &self.keks.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The file's mode (the permission bits) when anyone but its owner may read or write it, `None`
/// when only its owner may. Used for every file that holds a secret key: this one, and the TLS
/// private key.
pub fn readable_by_others(path: &Path) -> std::io::Result<Option<u32>> {
    let mode = fs::metadata(path)?.permissions().mode();
    Ok((mode & 0o077 != 0).then_some(mode & 0o777))
}

impl KeyFile {
    /// Fresh keys: KEK version 1 and new index, audit and backup keys.
    pub fn generate(rng: &mut dyn RngCore) -> Self {
        let mut keks = BTreeMap::new();
        keks.insert(1, SecretKey::generate(rng));
        Self {
            kek_current: 1,
            keks,
            index_key: SecretKey::generate(rng),
            audit_key: SecretKey::generate(rng),
            backup_key: SecretKey::generate(rng),
        }
    }

    /// Loads the key file at `path`, creating it (mode 0600) if it does not exist yet.
    pub fn load_or_create(path: &Path, rng: &mut dyn RngCore) -> Result<Self, KeyFileError> {
        if path.exists() {
            return Self::load(path);
        }
        let keys = Self::generate(rng);
        keys.save(path)?;
        Ok(keys)
    }

    /// Loads the key file at `path`, refusing one that group or others may read or write.
    pub fn load(path: &Path) -> Result<Self, KeyFileError> {
        if let Some(mode) = readable_by_others(path).map_err(io_error(path))? {
            return Err(KeyFileError::TooOpen {
                path: path.to_owned(),
                mode,
            });
        }
        let text = fs::read_to_string(path).map_err(io_error(path))?;
        let invalid = |problem| KeyFileError::Invalid {
            path: path.to_owned(),
            problem,
        };
        let disk: OnDisk = serde_json::from_str(&text)
            .map_err(|_| invalid("it is not valid JSON of the expected shape"))?;
        if disk.format != 1 {
            return Err(invalid("its format version is not 1"));
        }
        let key = |hex: &str| {
            SecretKey::from_hex(hex).ok_or_else(|| invalid("a key is not 64 hex digits"))
        };
        let mut keks = BTreeMap::new();
        for (version, hex) in &disk.keks {
            keks.insert(*version, key(hex)?);
        }
        if !keks.contains_key(&disk.kek_current) {
            return Err(invalid("the current key-encryption key is missing"));
        }
        Ok(Self {
            kek_current: disk.kek_current,
            keks,
            index_key: key(&disk.index_key)?,
            audit_key: key(&disk.audit_key)?,
            backup_key: key(&disk.backup_key)?,
        })
    }

    /// Writes the key file atomically with mode 0600.
    pub fn save(&self, path: &Path) -> Result<(), KeyFileError> {
        let disk = OnDisk {
            format: 1,
            kek_current: self.kek_current,
            keks: self.keks.iter().map(|(v, k)| (*v, k.to_hex())).collect(),
            index_key: self.index_key.to_hex(),
            audit_key: self.audit_key.to_hex(),
            backup_key: self.backup_key.to_hex(),
        };
        let mut text = serde_json::to_string_pretty(&disk).unwrap_or_default();
        text.push('\n');
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let tmp = path.with_extension("key-new");
        let mut file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io_error(&tmp))?;
        file.write_all(text.as_bytes()).map_err(io_error(&tmp))?;
        file.sync_all().map_err(io_error(&tmp))?;
        fs::rename(&tmp, path).map_err(io_error(path))?;
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io_error(dir))?;
        zeroize::Zeroize::zeroize(&mut text);
        Ok(())
    }

    pub fn current_kek(&self) -> (u32, &SecretKey) {
        (self.kek_current, &self.keks[&self.kek_current])
    }

    pub fn kek(&self, version: u32) -> Option<&SecretKey> {
        self.keks.get(&version)
    }

    pub fn kek_versions(&self) -> Vec<u32> {
        self.keks.keys().copied().collect()
    }

    /// Adds a new KEK and makes it current; older ones stay until `retire_old_keks`.
    pub fn add_kek(&mut self, rng: &mut dyn RngCore) -> u32 {
        let version = self.keks.keys().max().copied().unwrap_or(0) + 1;
        self.keks.insert(version, SecretKey::generate(rng));
        self.kek_current = version;
        version
    }

    /// Forgets every KEK but the current one (after every data key was re-wrapped).
    pub fn retire_old_keks(&mut self) {
        let current = self.kek_current;
        self.keks.retain(|v, _| *v == current);
    }

    pub fn index_key(&self) -> &SecretKey {
        &self.index_key
    }

    pub fn audit_key(&self) -> &SecretKey {
        &self.audit_key
    }

    pub fn backup_key(&self) -> &SecretKey {
        &self.backup_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn created_with_mode_0600_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("safeharbor.key");
        let mut rng = StdRng::seed_from_u64(1);
        let made = KeyFile::load_or_create(&path, &mut rng).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let loaded = KeyFile::load(&path).unwrap();
        assert_eq!(made.current_kek().1, loaded.current_kek().1);
        assert_eq!(made.audit_key(), loaded.audit_key());
    }

    #[test]
    fn refuses_a_key_file_others_can_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("safeharbor.key");
        KeyFile::load_or_create(&path, &mut StdRng::seed_from_u64(2)).unwrap();
        for mode in [0o644, 0o640, 0o604, 0o660] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
            let err = KeyFile::load(&path).unwrap_err();
            assert!(matches!(err, KeyFileError::TooOpen { .. }), "{mode:o}");
            assert!(err.to_string().contains("chmod 600"));
        }
    }

    #[test]
    fn refuses_garbage_and_never_prints_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        fs::write(&path, "{}").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(matches!(
            KeyFile::load(&path),
            Err(KeyFileError::Invalid { .. })
        ));
        let keys = KeyFile::generate(&mut StdRng::seed_from_u64(3));
        let shown = format!("{keys:?}");
        assert!(!shown.contains(&keys.audit_key().to_hex()));
    }

    #[test]
    fn rotation_adds_then_retires() {
        let mut keys = KeyFile::generate(&mut StdRng::seed_from_u64(4));
        let v2 = keys.add_kek(&mut StdRng::seed_from_u64(5));
        assert_eq!(v2, 2);
        assert_eq!(keys.kek_versions(), vec![1, 2]);
        keys.retire_old_keks();
        assert_eq!(keys.kek_versions(), vec![2]);
        assert_eq!(keys.current_kek().0, 2);
    }
}
