//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the second
//! factor every member of staff enrols (P10). A code is accepted one step early or late, for clock
//! drift, and never twice: the caller stores the last step used and passes it back.

use hmac::{Hmac, Mac};
use sha1::Sha1;

use crate::Rng;

const STEP_SECONDS: i64 = 30;
const DIGITS: u32 = 6;

/// A TOTP secret (160 bits, as RFC 4226 recommends).
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret([u8; 20]);

impl std::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TotpSecret(<redacted>)")
    }
}

impl TotpSecret {
    pub fn generate(rng: &mut impl Rng) -> Self {
        let mut bytes = [0u8; 20];
        rng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    pub fn from_bytes(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }

    pub fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }

    /// The secret in base32 (RFC 4648, no padding), as authenticator apps take it.
    pub fn base32(&self) -> String {
        base32(&self.0)
    }

    /// The `otpauth://` URI an authenticator app reads (usually from a QR code).
    pub fn uri(&self, issuer: &str, account: &str) -> String {
        let issuer = percent(issuer);
        format!(
            "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits=6&period=30",
            percent(account),
            self.base32()
        )
    }

    /// The code for a given step.
    fn code_at(&self, step: i64) -> u32 {
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[19] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        binary % 10u32.pow(DIGITS)
    }

    /// The code an authenticator app shows at `unix_seconds`.
    pub fn code(&self, unix_seconds: i64) -> String {
        format!("{:06}", self.code_at(unix_seconds.div_euclid(STEP_SECONDS)))
    }

    /// The step a code is valid in, if `code` is right for `unix_seconds` (± one step) and newer
    /// than `last_used_step`.
    pub fn verify(
        &self,
        code: &str,
        unix_seconds: i64,
        last_used_step: Option<i64>,
    ) -> Option<i64> {
        self.matching_step(code, unix_seconds, |step| {
            last_used_step.is_none_or(|last| step > last)
        })
    }

    /// Whether `code` is right for `unix_seconds` (± one step) but from a step already used, so
    /// the person can be told to wait for the next code rather than that it is wrong.
    pub fn was_used(&self, code: &str, unix_seconds: i64, last_used_step: Option<i64>) -> bool {
        last_used_step.is_some_and(|last| {
            self.matching_step(code, unix_seconds, |step| step <= last)
                .is_some()
        })
    }

    /// The step within ± one of `unix_seconds`, among those `eligible`, whose code is `code`.
    fn matching_step(
        &self,
        code: &str,
        unix_seconds: i64,
        eligible: impl Fn(i64) -> bool,
    ) -> Option<i64> {
        let code = code.trim();
        if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let wanted: u32 = code.parse().ok()?;
        let now = unix_seconds.div_euclid(STEP_SECONDS);
        (now - 1..=now + 1)
            .filter(|step| eligible(*step))
            .find(|step| constant_time_eq(self.code_at(*step), wanted))
    }
}

fn constant_time_eq(a: u32, b: u32) -> bool {
    (a ^ b) == 0
}

fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer = 0u32;
    let mut bits = 0;
    for byte in bytes {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1, truncated to 6 digits.
    const RFC: TotpSecret = TotpSecret(*b"12345678901234567890");

    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let step = time / 30;
            assert_eq!(RFC.verify(code, time, None), Some(step), "{time}");
        }
    }

    #[test]
    fn accepts_one_step_of_drift_and_never_a_code_twice() {
        let at = 1_111_111_109;
        assert!(
            RFC.verify("081804", at + 30, None).is_some(),
            "one step late"
        );
        assert!(
            RFC.verify("081804", at - 30, None).is_some(),
            "one step early"
        );
        assert!(
            RFC.verify("081804", at + 90, None).is_none(),
            "three steps late"
        );
        let used = RFC.verify("081804", at, None).unwrap();
        assert!(RFC.verify("081804", at, Some(used)).is_none(), "replayed");
        assert!(RFC.was_used("081804", at, Some(used)), "and known as used");
        assert!(!RFC.was_used("081804", at, None), "never used");
        assert!(!RFC.was_used("081804", at, Some(used - 1)), "still fresh");
        assert!(!RFC.was_used("123456", at, Some(used)), "wrong, not used");
        assert!(RFC.verify("81804", at, None).is_none());
        assert!(RFC.verify("08180a", at, None).is_none());
    }

    #[test]
    fn base32_and_uri_are_what_authenticator_apps_expect() {
        assert_eq!(RFC.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(RFC.code(59), "287082");
        let uri = RFC.uri("Safe Harbor", "ana.m");
        assert_eq!(
            uri,
            "otpauth://totp/Safe%20Harbor:ana.m?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Safe%20Harbor&algorithm=SHA1&digits=6&period=30"
        );
        assert!(!format!("{RFC:?}").contains("GEZ"));
    }
}
