//! The keys in memory, and where they came from. While `safeharbor keys rotate` runs, data keys are
//! re-wrapped under a new KEK that this process has not loaded yet: meeting an unknown KEK version,
//! the ring re-reads the key file once, so serving goes on through a rotation.

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crypto::{KeyFile, SecretKey};

#[derive(Debug)]
pub struct KeyRing {
    path: Option<PathBuf>,
    keys: RwLock<KeyFile>,
}

impl KeyRing {
    /// Keys read from (and re-read from) the key file at `path`.
    pub fn from_file(path: &Path, keys: KeyFile) -> Self {
        Self {
            path: Some(path.to_owned()),
            keys: RwLock::new(keys),
        }
    }

    /// Keys held only in memory (tests).
    pub fn in_memory(keys: KeyFile) -> Self {
        Self {
            path: None,
            keys: RwLock::new(keys),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, KeyFile> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The KEK to wrap new data keys with. The key file is read again first (it is small, and new clients are rare), so a new
    /// client's key is never wrapped under a KEK that a rotation has just replaced.
    pub fn current_kek(&self) -> (u32, SecretKey) {
        self.reload_if_changed();
        let keys = self.read();
        let (version, key) = keys.current_kek();
        (version, key.clone())
    }

    /// The KEK of `version`, re-reading the key file if this process does not know it yet.
    pub fn kek(&self, version: u32) -> Option<SecretKey> {
        if let Some(key) = self.read().kek(version) {
            return Some(key.clone());
        }
        let path = self.path.as_ref()?;
        let fresh = KeyFile::load(path).ok()?;
        let key = fresh.kek(version).cloned();
        *self
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        key
    }

    fn reload_if_changed(&self) {
        let Some(path) = &self.path else { return };
        let Ok(fresh) = KeyFile::load(path) else {
            return;
        };
        let newer = fresh.current_kek().0 != self.read().current_kek().0;
        if newer {
            *self
                .keys
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = fresh;
        }
    }

    pub fn index_key(&self) -> SecretKey {
        self.read().index_key().clone()
    }

    /// The key that seals staff secrets (TOTP seeds), derived from the index key, which never
    /// rotates, so every server with the key file derives the same one.
    pub fn staff_key(&self) -> crypto::DataKey {
        crypto::DataKey::from_key(
            self.read()
                .index_key()
                .derive(b"safeharbor staff secrets v1"),
            1,
        )
    }

    /// The key that signs device cookies (`crypto::device`): derived from the index key like the
    /// staff key, so every server with the key file accepts the same browsers.
    pub fn device_key(&self) -> SecretKey {
        self.read()
            .index_key()
            .derive(b"safeharbor trusted browsers v1")
    }

    /// The key that signs the public contact form's proof-of-work challenges, derived from the
    /// index key so every server with the key file accepts the same challenges.
    pub fn public_form_key(&self) -> SecretKey {
        self.read()
            .index_key()
            .derive(b"safeharbor contact form challenges v1")
    }

    pub fn audit_key(&self) -> SecretKey {
        self.read().audit_key().clone()
    }

    pub fn backup_key(&self) -> SecretKey {
        self.read().backup_key().clone()
    }

    /// Replaces the keys in memory (after this process rotated them).
    pub fn replace(&self, keys: KeyFile) {
        *self
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = keys;
    }
}
