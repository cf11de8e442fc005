//! A small proof of work for the public contact form (P24): the page's script finds a number that,
//! hashed with a challenge the server signed, gives a SHA-256 digest starting with enough zero
//! bits. A person filling in the form never notices the second or so it takes in the background;
//! a script sending hundreds of requests has to pay it for each, and each challenge is good once.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::{Rng, SecretKey};

/// A challenge the server issued: when, and which one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Challenge {
    pub issued_ms: i64,
    pub id: [u8; 16],
}

fn tag(key: &SecretKey, issued_ms: i64, id: &[u8; 16]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(b"safeharbor proof-of-work challenge v1\0");
    mac.update(&issued_ms.to_be_bytes());
    mac.update(id);
    mac
}

/// A new challenge, signed under `key`, as text for a form field.
pub fn issue(key: &SecretKey, issued_ms: i64, rng: &mut impl Rng) -> String {
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut id);
    let mut bytes = issued_ms.to_be_bytes().to_vec();
    bytes.extend_from_slice(&id);
    bytes.extend_from_slice(&tag(key, issued_ms, &id).finalize().into_bytes()[..16]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The challenge behind `text`, if we issued it under `key`.
pub fn read(key: &SecretKey, text: &str) -> Option<Challenge> {
    let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
    if bytes.len() != 8 + 16 + 16 {
        return None;
    }
    let issued_ms = i64::from_be_bytes(bytes[..8].try_into().ok()?);
    let id: [u8; 16] = bytes[8..24].try_into().ok()?;
    tag(key, issued_ms, &id)
        .verify_truncated_left(&bytes[24..])
        .ok()?;
    Some(Challenge { issued_ms, id })
}

/// Whether `proof` (a decimal number) solves `challenge` to `bits` leading zero bits.
pub fn solved(challenge: &str, proof: &str, bits: u32) -> bool {
    if proof.is_empty() || proof.len() > 16 || !proof.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    leading_zero_bits(&digest(challenge, proof)) >= bits
}

/// What the page's script does: the first number that solves `challenge` to `bits`.
pub fn solve(challenge: &str, bits: u32) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|proof| leading_zero_bits(&digest(challenge, proof)) >= bits)
        .unwrap_or_default()
}

fn digest(challenge: &str, proof: &str) -> [u8; 32] {
    Sha256::new()
        .chain_update(challenge.as_bytes())
        .chain_update(b":")
        .chain_update(proof.as_bytes())
        .finalize()
        .into()
}

fn leading_zero_bits(digest: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in digest {
        bits += byte.leading_zeros();
        if *byte != 0 {
            break;
        }
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn a_signed_challenge_is_solved_and_checked() {
        let key = SecretKey::from_bytes([3; 32]);
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let text = issue(&key, 1_790_000_000_000, &mut rng);
        let challenge = read(&key, &text).expect("our own challenge");
        assert_eq!(challenge.issued_ms, 1_790_000_000_000);
        assert_eq!(read(&SecretKey::from_bytes([4; 32]), &text), None);
        let mut altered = text.clone().into_bytes();
        altered[2] = if altered[2] == b'A' { b'B' } else { b'A' };
        assert_eq!(read(&key, &String::from_utf8(altered).unwrap()), None);
        assert_eq!(read(&key, "not-a-challenge"), None);

        let proof = solve(&text, 12);
        assert!(solved(&text, &proof, 12));
        assert!(!solved(&text, &proof, 40), "not that much work");
        for junk in ["", "-1", "12a", "99999999999999999"] {
            assert!(!solved(&text, junk, 0), "{junk}");
        }
    }

    #[test]
    fn zero_bits_are_counted_across_bytes() {
        assert_eq!(leading_zero_bits(&[0x80, 0]), 0);
        assert_eq!(leading_zero_bits(&[0x01, 0xff]), 7);
        assert_eq!(leading_zero_bits(&[0, 0x10, 0]), 11);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }
}
