//! 256-bit secret keys that wipe themselves and never print.

use rand::RngCore;
use zeroize::{Zeroize, ZeroizeOnDrop};

#[derive(Clone, Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn generate(rng: &mut dyn RngCore) -> Self {
        let mut bytes = [0u8; 32];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub const fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A separate key for another purpose, derived with HKDF-SHA256: knowing the derived key
    /// reveals nothing of this one, and different `purpose` strings give unrelated keys.
    pub fn derive(&self, purpose: &[u8]) -> SecretKey {
        let mut out = [0u8; 32];
        let hk = hkdf::Hkdf::<sha2::Sha256>::new(None, &self.0);
        // 32 bytes is far below HKDF-SHA256's limit, so expansion cannot fail.
        let _ = hk.expand(purpose, &mut out);
        SecretKey(out)
    }

    /// Exposes the key bytes at the point of use only.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }

    pub(crate) fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub(crate) fn from_hex(text: &str) -> Option<Self> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).ok()?;
        Some(Self(bytes))
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}
