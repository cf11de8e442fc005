//! Safe Harbor's cryptography, in one place so it can be reviewed in one sitting.
//!
//! The hierarchy: a key-encryption key (KEK) kept in a key file outside the database wraps one
//! data key (DEK) per client; each client's fields are sealed with XChaCha20-Poly1305 under that
//! client's DEK, bound by their associated data to table, column, row id and key version, so a
//! sealed value cannot be moved to another row or column. Destroying a client's wrapped DEK erases
//! the client everywhere at once (crypto-shredding). Separate keys, also in the key file, make
//! blind indexes, chain the audit log and encrypt backups.

pub mod audit_mac;
pub mod backup_stream;
pub mod blind_index;
pub mod device;
pub mod envelope;
pub mod keyfile;
pub mod password;
pub mod proof_of_work;
pub mod secret;
pub mod token;
pub mod totp;
pub mod webauthn;

pub use envelope::{DataKey, FieldAad, open_field, seal_field, unwrap_data_key, wrap_data_key};
pub use keyfile::{KeyFile, KeyFileError};
pub use secret::SecretKey;

/// The random source every operation that needs randomness takes as a parameter.
pub trait Rng: rand::RngCore + rand::CryptoRng + Send {}
impl<T: rand::RngCore + rand::CryptoRng + Send> Rng for T {}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// The blob is not something we wrote, or was written for another place, or was altered.
    #[error("sealed value failed authentication")]
    Authentication,
    #[error("sealed value is malformed")]
    Malformed,
    #[error("no key with version {0} is available")]
    UnknownKeyVersion(u32),
}
