//! Blind indexes: a keyed HMAC of a normalised value, so equal names or dates of birth can be
//! matched (possible duplicate clients) without storing or revealing the value. Truncated to 128
//! bits: enough to make accidental matches negligible in any one organisation.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::SecretKey;

#[derive(Debug, Clone)]
pub struct BlindIndexer {
    key: SecretKey,
}

impl BlindIndexer {
    pub fn new(key: SecretKey) -> Self {
        Self { key }
    }

    fn index(&self, domain: &[u8], normalised: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.key.expose())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(domain);
        mac.update(&[0]);
        mac.update(normalised.as_bytes());
        hex::encode(&mac.finalize().into_bytes()[..16])
    }

    /// The index of a name: case, accents of spacing and punctuation do not matter.
    pub fn name(&self, name: &str) -> String {
        self.index(b"name", &normalise_name(name))
    }

    /// The index of a date written YYYY-MM-DD.
    pub fn date_of_birth(&self, iso_date: &str) -> String {
        self.index(b"dob", iso_date.trim())
    }

    /// The index sign-in failures are counted under for a username as typed, whether or not
    /// such an account exists (case and surrounding spaces do not matter).
    pub fn username(&self, typed: &str) -> String {
        self.index(b"username", &typed.trim().to_lowercase())
    }

    /// The index sign-in failures are counted under for one trusted browser (`device`).
    pub fn device(&self, nonce: &[u8; 16]) -> String {
        self.index(b"device", &hex::encode(nonce))
    }
}

/// Lower case, letters and digits only, words separated by one space.
pub fn normalise_name(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_match_whatever_their_spacing_and_case() {
        let idx = BlindIndexer::new(SecretKey::from_bytes([1; 32]));
        assert_eq!(
            idx.name("Maria  de la Cruz"),
            idx.name(" maria de-la cruz.")
        );
        assert_ne!(idx.name("Maria"), idx.name("Mario"));
        assert_ne!(idx.name("2001-01-01"), idx.date_of_birth("2001-01-01"));
        let other = BlindIndexer::new(SecretKey::from_bytes([2; 32]));
        assert_ne!(idx.name("Maria"), other.name("Maria"));
        assert!(!idx.name("Maria").contains("aria"));
    }
}
