//! The audit chain MAC: each event's MAC covers the previous event's MAC and the event's canonical
//! bytes, under a key that is not in the database. Editing, deleting, inserting or reordering any
//! event breaks every MAC after it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::SecretKey;

/// The MAC that precedes the first event.
pub const GENESIS: [u8; 32] = [0; 32];

pub fn chain_mac(key: &SecretKey, previous: &[u8], canonical: &[u8]) -> [u8; 32] {
    mac(key, previous, canonical).finalize().into_bytes().into()
}

/// Constant-time check of a stored MAC.
pub fn verify(key: &SecretKey, previous: &[u8], canonical: &[u8], stored: &[u8]) -> bool {
    mac(key, previous, canonical).verify_slice(stored).is_ok()
}

fn mac(key: &SecretKey, previous: &[u8], canonical: &[u8]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(previous);
    mac.update(canonical);
    mac
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_macs_depend_on_key_predecessor_and_content() {
        let key = SecretKey::from_bytes([9; 32]);
        let first = chain_mac(&key, &GENESIS, b"event one");
        assert!(verify(&key, &GENESIS, b"event one", &first));
        assert!(!verify(&key, &GENESIS, b"event 1", &first));
        assert!(!verify(&key, &[1; 32], b"event one", &first));
        assert!(!verify(
            &SecretKey::from_bytes([8; 32]),
            &GENESIS,
            b"event one",
            &first
        ));
    }
}
