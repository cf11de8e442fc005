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

/// What the chain's head is tagged under, apart from every event's MAC.
const HEAD: &[u8] = b"safeharbor audit head v1";

/// The head's tag: binds the chain's last sequence number and that event's MAC under the audit
/// key, so that nobody without the key can move the head back to an earlier event.
pub fn head_tag(key: &SecretKey, seq: i64, last_mac: &[u8]) -> [u8; 32] {
    mac(key, HEAD, &head_bytes(seq, last_mac))
        .finalize()
        .into_bytes()
        .into()
}

/// Constant-time check of a stored head tag.
pub fn verify_head(key: &SecretKey, seq: i64, last_mac: &[u8], tag: &[u8]) -> bool {
    mac(key, HEAD, &head_bytes(seq, last_mac))
        .verify_slice(tag)
        .is_ok()
}

fn head_bytes(seq: i64, last_mac: &[u8]) -> Vec<u8> {
    [&seq.to_be_bytes()[..], last_mac].concat()
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

    #[test]
    fn a_head_tag_holds_only_for_its_own_place_in_the_chain() {
        let key = SecretKey::from_bytes([9; 32]);
        let tag = head_tag(&key, 38, &[7; 32]);
        assert!(verify_head(&key, 38, &[7; 32], &tag));
        assert!(!verify_head(&key, 37, &[7; 32], &tag), "moved back");
        assert!(!verify_head(&key, 38, &[6; 32], &tag), "another event");
        assert!(!verify_head(
            &SecretKey::from_bytes([8; 32]),
            38,
            &[7; 32],
            &tag
        ));
    }
}
