//! Envelope encryption: per-client data keys wrapped by the KEK, and fields sealed under them.
//!
//! Sealed field, format 1:  `0x01 | dek_version u32 BE | nonce (24) | ciphertext and tag`.
//! Wrapped key, format 1:   `0x01 | kek_version u32 BE | nonce (24) | ciphertext and tag`.
//! The version in each blob is also in its associated data, so it cannot be altered.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::{CryptoError, Rng, SecretKey};

const FORMAT: u8 = 1;
const HEADER: usize = 1 + 4 + 24;

/// A client's data key. Only ever held in memory, unwrapped, for the length of one request.
#[derive(Debug, Clone)]
pub struct DataKey {
    key: SecretKey,
    version: u32,
}

impl DataKey {
    pub fn generate(rng: &mut impl Rng, version: u32) -> Self {
        Self {
            key: SecretKey::generate(rng),
            version,
        }
    }

    /// A data key made from a server-held key (for staff secrets rather than a client's data).
    pub fn from_key(key: SecretKey, version: u32) -> Self {
        Self { key, version }
    }

    pub fn version(&self) -> u32 {
        self.version
    }
}

/// Where a sealed value lives. A value sealed for one place does not open in another.
#[derive(Debug, Clone, Copy)]
pub struct FieldAad<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row_id: &'a str,
}

fn aad_bytes(kind: &[u8], parts: &[&str], version: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(kind);
    for part in parts {
        out.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        out.extend_from_slice(part.as_bytes());
    }
    out.extend_from_slice(&version.to_be_bytes());
    out
}

fn seal(
    key: &SecretKey,
    version: u32,
    aad: &[u8],
    plaintext: &[u8],
    rng: &mut impl Rng,
) -> Vec<u8> {
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let mut nonce = [0u8; 24];
    rng.fill_bytes(&mut nonce);
    // Encryption with a valid key and nonce cannot fail; an empty result would fail to open.
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .unwrap_or_default();
    let mut out = Vec::with_capacity(HEADER + sealed.len());
    out.push(FORMAT);
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    out
}

/// Reads the key version from a blob's header without opening it.
pub fn blob_version(blob: &[u8]) -> Result<u32, CryptoError> {
    if blob.len() < HEADER + 16 || blob[0] != FORMAT {
        return Err(CryptoError::Malformed);
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&blob[1..5]);
    Ok(u32::from_be_bytes(version))
}

fn open(key: &SecretKey, aad: &[u8], blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
    blob_version(blob)?;
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    cipher
        .decrypt(
            XNonce::from_slice(&blob[5..HEADER]),
            Payload {
                msg: &blob[HEADER..],
                aad,
            },
        )
        .map_err(|_| CryptoError::Authentication)
}

/// Seals one field of one row under the client's data key.
pub fn seal_field(
    dek: &DataKey,
    place: FieldAad<'_>,
    plaintext: &[u8],
    rng: &mut impl Rng,
) -> Vec<u8> {
    let aad = aad_bytes(
        b"sh-field-v1",
        &[place.table, place.column, place.row_id],
        dek.version,
    );
    seal(&dek.key, dek.version, &aad, plaintext, rng)
}

/// Opens a sealed field; fails if the key, the place or any byte differs from when it was sealed.
pub fn open_field(dek: &DataKey, place: FieldAad<'_>, blob: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let version = blob_version(blob)?;
    if version != dek.version {
        return Err(CryptoError::UnknownKeyVersion(version));
    }
    let aad = aad_bytes(
        b"sh-field-v1",
        &[place.table, place.column, place.row_id],
        version,
    );
    open(&dek.key, &aad, blob)
}

/// Wraps a client's data key under a KEK, bound to the client and both key versions.
pub fn wrap_data_key(
    kek: &SecretKey,
    kek_version: u32,
    client_id: &str,
    dek: &DataKey,
    rng: &mut impl Rng,
) -> Vec<u8> {
    let aad = aad_bytes(
        b"sh-dek-v1",
        &[client_id, &dek.version.to_string()],
        kek_version,
    );
    seal(kek, kek_version, &aad, dek.key.expose(), rng)
}

/// Unwraps a client's data key; `kek_for` gives the KEK of the version named in the blob.
pub fn unwrap_data_key(
    kek_for: impl FnOnce(u32) -> Option<SecretKey>,
    client_id: &str,
    dek_version: u32,
    blob: &[u8],
) -> Result<DataKey, CryptoError> {
    let kek_version = blob_version(blob)?;
    let kek = kek_for(kek_version).ok_or(CryptoError::UnknownKeyVersion(kek_version))?;
    let aad = aad_bytes(
        b"sh-dek-v1",
        &[client_id, &dek_version.to_string()],
        kek_version,
    );
    let mut bytes = open(&kek, &aad, blob)?;
    let key: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| CryptoError::Malformed)?;
    zeroize::Zeroize::zeroize(&mut bytes);
    Ok(DataKey {
        key: SecretKey::from_bytes(key),
        version: dek_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    const HERE: FieldAad<'static> = FieldAad {
        table: "clients",
        column: "legal_name",
        row_id: "r1",
    };

    #[test]
    fn a_sealed_field_opens_only_in_its_place() {
        let mut rng = StdRng::seed_from_u64(1);
        let dek = DataKey::generate(&mut rng, 1);
        let blob = seal_field(&dek, HERE, b"Canary", &mut rng);
        assert_eq!(open_field(&dek, HERE, &blob).unwrap(), b"Canary");
        for other in [
            FieldAad {
                table: "notes",
                ..HERE
            },
            FieldAad {
                column: "contact",
                ..HERE
            },
            FieldAad {
                row_id: "r2",
                ..HERE
            },
        ] {
            assert_eq!(
                open_field(&dek, other, &blob),
                Err(CryptoError::Authentication)
            );
        }
        let other_key = DataKey::generate(&mut rng, 1);
        assert_eq!(
            open_field(&other_key, HERE, &blob),
            Err(CryptoError::Authentication)
        );
    }

    #[test]
    fn the_key_version_is_in_the_blob_and_bound() {
        let mut rng = StdRng::seed_from_u64(2);
        let dek = DataKey::generate(&mut rng, 7);
        let mut blob = seal_field(&dek, HERE, b"x", &mut rng);
        assert_eq!(blob_version(&blob).unwrap(), 7);
        blob[4] = 8;
        assert_eq!(
            open_field(&dek, HERE, &blob).unwrap_err(),
            CryptoError::UnknownKeyVersion(8),
            "the header is read first"
        );
        // The same key under the version the header now claims: the version check passes, so
        // only the binding of the version in the associated data can refuse it.
        let same_key_as_8 = DataKey::from_key(dek.key.clone(), 8);
        assert_eq!(
            open_field(&same_key_as_8, HERE, &blob).unwrap_err(),
            CryptoError::Authentication
        );
        blob[4] = 7;
        assert_eq!(open_field(&dek, HERE, &blob).unwrap(), b"x");
    }

    #[test]
    fn a_wrapped_keys_kek_version_is_bound_too() {
        let mut rng = StdRng::seed_from_u64(4);
        let kek = SecretKey::generate(&mut rng);
        let dek = DataKey::generate(&mut rng, 1);
        let mut wrapped = wrap_data_key(&kek, 3, "client-a", &dek, &mut rng);
        wrapped[4] = 4;
        // The same KEK offered for the claimed version: only the binding can refuse it.
        assert_eq!(
            unwrap_data_key(|_| Some(kek.clone()), "client-a", 1, &wrapped).unwrap_err(),
            CryptoError::Authentication
        );
    }

    #[test]
    fn wrapped_keys_are_bound_to_their_client() {
        let mut rng = StdRng::seed_from_u64(3);
        let kek = SecretKey::generate(&mut rng);
        let dek = DataKey::generate(&mut rng, 1);
        let wrapped = wrap_data_key(&kek, 3, "client-a", &dek, &mut rng);
        let back =
            unwrap_data_key(|v| (v == 3).then(|| kek.clone()), "client-a", 1, &wrapped).unwrap();
        let blob = seal_field(&dek, HERE, b"x", &mut rng);
        assert_eq!(open_field(&back, HERE, &blob).unwrap(), b"x");
        assert!(unwrap_data_key(|_| Some(kek.clone()), "client-b", 1, &wrapped).is_err());
        assert_eq!(
            unwrap_data_key(|_| None, "client-a", 1, &wrapped).unwrap_err(),
            CryptoError::UnknownKeyVersion(3)
        );
    }

    proptest::proptest! {
        #[test]
        fn any_flipped_bit_is_detected(text in proptest::collection::vec(proptest::num::u8::ANY, 0..200), bit in 0usize..8) {
            let mut rng = StdRng::seed_from_u64(4);
            let dek = DataKey::generate(&mut rng, 1);
            let blob = seal_field(&dek, HERE, &text, &mut rng);
            for i in 0..blob.len() {
                let mut bad = blob.clone();
                bad[i] ^= 1 << bit;
                proptest::prop_assert!(open_field(&dek, HERE, &bad).is_err());
            }
        }
    }
}
