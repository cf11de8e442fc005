//! Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a browser that
//! has signed in to an account holds a token naming the account and a random nonce, signed by the
//! server. Sign-in failures from such a browser are counted against that browser alone, so an
//! attacker guessing elsewhere cannot hold the account's owner back. Nothing is stored: the
//! signature is the proof, and the nonce names the browser.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Rng, SecretKey};

const VERSION: &str = "d1";

/// What a valid device token says: the account it signed in to, and which browser it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceClaim {
    pub account: String,
    pub nonce: [u8; 16],
}

fn signature(key: &SecretKey, account: &str, nonce: &[u8; 16]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(VERSION.as_bytes());
    mac.update(&[0]);
    mac.update(account.as_bytes());
    mac.update(&[0]);
    mac.update(nonce);
    mac
}

/// A new device token for `account` (which must not contain `.`), safe to use as a cookie value.
pub fn issue(key: &SecretKey, account: &str, rng: &mut impl Rng) -> String {
    let mut nonce = [0u8; 16];
    rng.fill_bytes(&mut nonce);
    let tag = signature(key, account, &nonce).finalize().into_bytes();
    format!(
        "{VERSION}.{account}.{}.{}",
        URL_SAFE_NO_PAD.encode(nonce),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

/// The claim of a token we issued under `key`; `None` for anything else, including a token whose
/// any part was changed.
pub fn read(key: &SecretKey, token: &str) -> Option<DeviceClaim> {
    let mut parts = token.split('.');
    let (version, account, nonce, tag) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if version != VERSION || parts.next().is_some() || account.is_empty() {
        return None;
    }
    let nonce: [u8; 16] = URL_SAFE_NO_PAD.decode(nonce).ok()?.try_into().ok()?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    signature(key, account, &nonce).verify_slice(&tag).ok()?;
    Some(DeviceClaim {
        account: account.to_owned(),
        nonce,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn key(byte: u8) -> SecretKey {
        SecretKey::from_bytes([byte; 32])
    }

    #[test]
    fn a_token_names_its_account_and_browser_and_cannot_be_altered() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let token = issue(&key(1), "0b6f-ana", &mut rng);
        let claim = read(&key(1), &token).expect("our own token");
        assert_eq!(claim.account, "0b6f-ana");
        let other = read(&key(1), &issue(&key(1), "0b6f-ana", &mut rng)).unwrap();
        assert_ne!(claim.nonce, other.nonce, "each browser is told apart");

        assert_eq!(read(&key(2), &token), None, "another server's key");
        let renamed = token.replacen("0b6f-ana", "0b6f-ben", 1);
        assert_eq!(read(&key(1), &renamed), None, "the account changed");
        let mut flipped = token.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(read(&key(1), &String::from_utf8(flipped).unwrap()), None);
        for junk in ["", "d1", "d1...", "d2.a.b.c", &format!("{token}.x")] {
            assert_eq!(read(&key(1), junk), None, "{junk}");
        }
    }
}
