//! Personal API tokens. The secret is shown once; only its SHA-256 is stored. Tokens carry 256
//! random bits, so a fast hash is enough: there is nothing to guess.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::Rng;

const PREFIX: &str = "sht_";

/// A new token's secret text and the hash to store.
pub fn generate(rng: &mut impl Rng) -> (String, [u8; 32]) {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    let secret = format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash(&secret);
    (secret, hash)
}

/// The stored form of a presented token.
pub fn hash(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether text has the shape of one of our tokens (cheap check before any lookup).
pub fn looks_like_token(text: &str) -> bool {
    text.len() == PREFIX.len() + 43
        && text.starts_with(PREFIX)
        && text[PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn tokens_have_a_shape_and_hash_deterministically() {
        let (secret, stored) = generate(&mut rand::rngs::StdRng::seed_from_u64(1));
        assert!(looks_like_token(&secret));
        assert_eq!(hash(&secret), stored);
        assert!(!looks_like_token("sht_short"));
        assert!(!looks_like_token(&secret.replace("sht_", "xyz_")));
    }
}
