//! WebAuthn passkeys, the server's part (W3C Web Authentication Level 2, §7.1 registration and
//! §7.2 authentication), for what we accept: ES256 credentials (ECDSA on P-256 with SHA-256),
//! "none" attestation, and the person verified on the authenticator (PIN or biometric). A passkey
//! is bound to our site by the browser, so a look-alike site cannot use it (phishing-resistant).
//!
//! Registration reads a new credential's id and public key from the attestation object; sign-in
//! checks an assertion's signature over the authenticator data and the hash of the browser's
//! client data, the challenge, origin, relying party and flags, and that the signature counter
//! moved on (else the authenticator may have been copied).

use ciborium::value::Value;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Who we are to the browser: the relying party id (our host name) and the origin pages come from.
#[derive(Debug, Clone, Copy)]
pub struct RelyingParty<'a> {
    pub id: &'a str,
    pub origin: &'a str,
}

/// Why a registration or sign-in was refused. Never carries what was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebAuthnError {
    #[error("the authenticator's answer could not be read")]
    Malformed,
    #[error("the answer is for another step (registration or sign-in)")]
    Ceremony,
    #[error("the answer is not for this challenge")]
    Challenge,
    #[error("the answer came from another page's origin")]
    Origin,
    #[error("the passkey is for another site")]
    RelyingParty,
    #[error("the person was not present and verified on the authenticator")]
    NotVerified,
    #[error("only ES256 (P-256) passkeys are accepted")]
    Algorithm,
    #[error("the signature is not valid")]
    Signature,
    #[error("the authenticator's counter did not move on: it may have been copied")]
    Counter,
}

/// What the browser returns from `navigator.credentials.get`.
#[derive(Debug, Clone, Copy)]
pub struct Assertion<'a> {
    pub credential_id: &'a [u8],
    pub client_data_json: &'a [u8],
    pub authenticator_data: &'a [u8],
    pub signature: &'a [u8],
}

/// A passkey as registration finds it, to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    pub credential_id: Vec<u8>,
    /// The public key, SEC1 uncompressed (65 bytes).
    pub public_key: Vec<u8>,
    pub sign_count: u32,
}

const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const ATTESTED_CREDENTIAL: u8 = 0x40;

/// COSE: key type EC2, algorithm ES256, curve P-256 (RFC 9053).
const COSE_KTY_EC2: i128 = 2;
const COSE_ALG_ES256: i128 = -7;
const COSE_CRV_P256: i128 = 1;

/// Checks a new credential (`navigator.credentials.create`) against the challenge we issued.
pub fn register(
    rp: RelyingParty<'_>,
    challenge: &[u8],
    client_data_json: &[u8],
    attestation_object: &[u8],
) -> Result<NewPasskey, WebAuthnError> {
    check_client_data(client_data_json, "webauthn.create", challenge, rp.origin)?;
    let object: Value =
        ciborium::from_reader(attestation_object).map_err(|_| WebAuthnError::Malformed)?;
    let auth_data = map_get(&object, &Value::Text("authData".into()))
        .and_then(Value::as_bytes)
        .ok_or(WebAuthnError::Malformed)?;
    let data = AuthData::parse(auth_data)?;
    data.check(rp)?;
    let (credential_id, cose_key) = data.attested.ok_or(WebAuthnError::Malformed)?;
    Ok(NewPasskey {
        credential_id: credential_id.to_vec(),
        public_key: cose_p256(&cose_key)?,
        sign_count: data.sign_count,
    })
}

/// Checks a sign-in (`navigator.credentials.get`) with a stored passkey; the new counter to store.
pub fn authenticate(
    rp: RelyingParty<'_>,
    challenge: &[u8],
    public_key: &[u8],
    stored_count: u32,
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature: &[u8],
) -> Result<u32, WebAuthnError> {
    check_client_data(client_data_json, "webauthn.get", challenge, rp.origin)?;
    let data = AuthData::parse(authenticator_data)?;
    data.check(rp)?;
    let key = VerifyingKey::from_sec1_bytes(public_key).map_err(|_| WebAuthnError::Malformed)?;
    let signature = Signature::from_der(signature).map_err(|_| WebAuthnError::Signature)?;
    let mut signed = authenticator_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    key.verify(&signed, &signature)
        .map_err(|_| WebAuthnError::Signature)?;
    // Authenticators that keep no counter send 0 every time; any other must count up.
    if (data.sign_count != 0 || stored_count != 0) && data.sign_count <= stored_count {
        return Err(WebAuthnError::Counter);
    }
    Ok(data.sign_count)
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    ceremony: String,
    challenge: String,
    origin: String,
}

fn check_client_data(
    json: &[u8],
    ceremony: &str,
    challenge: &[u8],
    origin: &str,
) -> Result<(), WebAuthnError> {
    use base64::Engine as _;
    use subtle::ConstantTimeEq;
    let data: ClientData = serde_json::from_slice(json).map_err(|_| WebAuthnError::Malformed)?;
    if data.ceremony != ceremony {
        return Err(WebAuthnError::Ceremony);
    }
    let sent = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data.challenge.trim_end_matches('='))
        .map_err(|_| WebAuthnError::Malformed)?;
    if sent.len() != challenge.len() || !bool::from(sent.ct_eq(challenge)) {
        return Err(WebAuthnError::Challenge);
    }
    if data.origin != origin {
        return Err(WebAuthnError::Origin);
    }
    Ok(())
}

/// The authenticator data (§6.1): relying party hash, flags, counter, and on registration the new
/// credential's id and public key.
struct AuthData<'a> {
    rp_id_hash: &'a [u8],
    flags: u8,
    sign_count: u32,
    attested: Option<(&'a [u8], Value)>,
}

impl<'a> AuthData<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Self, WebAuthnError> {
        let head = bytes.get(..37).ok_or(WebAuthnError::Malformed)?;
        let (rp_id_hash, rest) = head.split_at(32);
        let flags = rest[0];
        let sign_count = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]);
        let attested = if flags & ATTESTED_CREDENTIAL != 0 {
            // aaguid (16 bytes), credential id length (2), credential id, COSE public key.
            let length = bytes.get(53..55).ok_or(WebAuthnError::Malformed)?;
            let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
            let credential_id = bytes.get(55..55 + length).ok_or(WebAuthnError::Malformed)?;
            let mut key_bytes = bytes.get(55 + length..).ok_or(WebAuthnError::Malformed)?;
            let key: Value =
                ciborium::from_reader(&mut key_bytes).map_err(|_| WebAuthnError::Malformed)?;
            Some((credential_id, key))
        } else {
            None
        };
        Ok(Self {
            rp_id_hash,
            flags,
            sign_count,
            attested,
        })
    }

    fn check(&self, rp: RelyingParty<'_>) -> Result<(), WebAuthnError> {
        use subtle::ConstantTimeEq;
        let expected = Sha256::digest(rp.id.as_bytes());
        if !bool::from(self.rp_id_hash.ct_eq(expected.as_slice())) {
            return Err(WebAuthnError::RelyingParty);
        }
        if self.flags & USER_PRESENT == 0 || self.flags & USER_VERIFIED == 0 {
            return Err(WebAuthnError::NotVerified);
        }
        Ok(())
    }
}

fn map_get<'v>(map: &'v Value, key: &Value) -> Option<&'v Value> {
    map.as_map()?.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn cose_int(map: &Value, label: i128) -> Option<&Value> {
    map_get(map, &Value::Integer(label.try_into().ok()?))
}

/// An ES256 COSE key as a SEC1 public key; any other kind of key is refused.
fn cose_p256(key: &Value) -> Result<Vec<u8>, WebAuthnError> {
    let int = |label| {
        cose_int(key, label)
            .and_then(Value::as_integer)
            .map(i128::from)
    };
    if int(1) != Some(COSE_KTY_EC2)
        || int(3) != Some(COSE_ALG_ES256)
        || int(-1) != Some(COSE_CRV_P256)
    {
        return Err(WebAuthnError::Algorithm);
    }
    let coordinate = |label| {
        cose_int(key, label)
            .and_then(Value::as_bytes)
            .filter(|b| b.len() == 32)
            .ok_or(WebAuthnError::Malformed)
    };
    let mut sec1 = vec![0x04];
    sec1.extend_from_slice(coordinate(-2)?);
    sec1.extend_from_slice(coordinate(-3)?);
    VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| WebAuthnError::Malformed)?;
    Ok(sec1)
}

/// A software authenticator, for tests here and in other crates (feature `software-authenticator`):
/// it makes ES256 passkeys and answers challenges the way a browser and a security key together
/// would. Never part of a release build.
#[cfg(any(test, feature = "software-authenticator"))]
#[allow(clippy::expect_used)] // Test support: a failure here is a bug in the test.
pub mod software {
    use ciborium::value::Value;
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::{Signature, SigningKey};
    use sha2::{Digest, Sha256};

    use super::{ATTESTED_CREDENTIAL, RelyingParty, USER_PRESENT, USER_VERIFIED};

    /// What the browser hands the server after `create` or `get`.
    #[derive(Debug)]
    pub struct Response {
        pub client_data_json: Vec<u8>,
        /// The attestation object (registration) or the authenticator data (sign-in).
        pub data: Vec<u8>,
        /// The signature (sign-in only).
        pub signature: Vec<u8>,
    }

    #[derive(Debug)]
    pub struct Authenticator {
        key: SigningKey,
        pub credential_id: Vec<u8>,
        count: u32,
        /// Whether it verifies the person (a PIN or a fingerprint).
        pub verifies: bool,
    }

    impl Authenticator {
        pub fn new(seed: u8) -> Self {
            let mut secret = [seed; 32];
            secret[0] = 1;
            Self {
                key: SigningKey::from_slice(&secret).expect("a valid P-256 scalar"),
                credential_id: vec![seed; 16],
                count: 0,
                verifies: true,
            }
        }

        fn flags(&self) -> u8 {
            USER_PRESENT | if self.verifies { USER_VERIFIED } else { 0 }
        }

        fn client_data(ceremony: &str, challenge: &[u8], origin: &str) -> Vec<u8> {
            use base64::Engine as _;
            let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(challenge);
            format!(
                r#"{{"type":"{ceremony}","challenge":"{challenge}","origin":"{origin}","crossOrigin":false}}"#
            )
            .into_bytes()
        }

        /// A new credential, as `navigator.credentials.create` returns it.
        pub fn create(&mut self, rp: RelyingParty<'_>, challenge: &[u8]) -> Response {
            let point = self.key.verifying_key().to_encoded_point(false);
            let cose = Value::Map(vec![
                (Value::Integer(1.into()), Value::Integer(2.into())),
                (Value::Integer(3.into()), Value::Integer((-7).into())),
                (Value::Integer((-1).into()), Value::Integer(1.into())),
                (
                    Value::Integer((-2).into()),
                    Value::Bytes(point.x().map(|x| x.to_vec()).unwrap_or_default()),
                ),
                (
                    Value::Integer((-3).into()),
                    Value::Bytes(point.y().map(|y| y.to_vec()).unwrap_or_default()),
                ),
            ]);
            let mut auth = Sha256::digest(rp.id.as_bytes()).to_vec();
            auth.push(self.flags() | ATTESTED_CREDENTIAL);
            auth.extend_from_slice(&self.count.to_be_bytes());
            auth.extend_from_slice(&[0; 16]);
            let length = u16::try_from(self.credential_id.len()).unwrap_or(u16::MAX);
            auth.extend_from_slice(&length.to_be_bytes());
            auth.extend_from_slice(&self.credential_id);
            ciborium::into_writer(&cose, &mut auth).expect("a COSE key");
            let object = Value::Map(vec![
                (Value::Text("fmt".into()), Value::Text("none".into())),
                (Value::Text("attStmt".into()), Value::Map(Vec::new())),
                (Value::Text("authData".into()), Value::Bytes(auth)),
            ]);
            let mut data = Vec::new();
            ciborium::into_writer(&object, &mut data).expect("an attestation object");
            Response {
                client_data_json: Self::client_data("webauthn.create", challenge, rp.origin),
                data,
                signature: Vec::new(),
            }
        }

        /// A signed answer to a sign-in challenge, as `navigator.credentials.get` returns it.
        pub fn get(&mut self, rp: RelyingParty<'_>, challenge: &[u8]) -> Response {
            self.count += 1;
            let client_data_json = Self::client_data("webauthn.get", challenge, rp.origin);
            let mut data = Sha256::digest(rp.id.as_bytes()).to_vec();
            data.push(self.flags());
            data.extend_from_slice(&self.count.to_be_bytes());
            let mut signed = data.clone();
            signed.extend_from_slice(&Sha256::digest(&client_data_json));
            let signature: Signature = self.key.sign(&signed);
            Response {
                client_data_json,
                data,
                signature: signature.to_der().as_bytes().to_vec(),
            }
        }
    }

    /// Checks a browser's recorded answers (`navigator.credentials.create` then `get`, at
    /// `origin` for the site `localhost`, fields in base64url as `staff_browser.rs` records
    /// them): they pass, and fail met with another challenge, origin or site, a counter that
    /// went back, the verified flag taken away or a byte altered. Panics on the first that does
    /// not hold.
    pub fn check_recorded_answers(recorded: &serde_json::Value) {
        use base64::Engine as _;

        use super::{WebAuthnError, authenticate, register};
        let text = |name: &str| recorded[name].as_str().expect(name).to_owned();
        let bytes = |name: &str| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(text(name))
                .expect(name)
        };
        let origin = text("origin");
        let rp = RelyingParty {
            id: "localhost",
            origin: &origin,
        };
        let passkey = register(
            rp,
            text("register_challenge").as_bytes(),
            &bytes("register_client_data"),
            &bytes("attestation"),
        )
        .expect("the recorded registration passes");
        assert_eq!(passkey.credential_id, bytes("credential_id"));
        let challenge = text("sign_in_challenge");
        let sign_in = |rp, challenge: &[u8], stored, data: &[u8]| {
            authenticate(
                rp,
                challenge,
                &passkey.public_key,
                stored,
                &bytes("sign_in_client_data"),
                data,
                &bytes("signature"),
            )
        };
        let data = bytes("authenticator_data");
        let count = sign_in(rp, challenge.as_bytes(), passkey.sign_count, &data)
            .expect("the recorded sign-in passes");
        if count > 0 {
            assert_eq!(
                sign_in(rp, challenge.as_bytes(), count, &data),
                Err(WebAuthnError::Counter),
                "the same answer again"
            );
        }
        assert_eq!(
            sign_in(rp, b"another", passkey.sign_count, &data),
            Err(WebAuthnError::Challenge)
        );
        let elsewhere = RelyingParty {
            id: "localhost",
            origin: "https://localhost",
        };
        assert_eq!(
            sign_in(elsewhere, challenge.as_bytes(), passkey.sign_count, &data),
            Err(WebAuthnError::Origin)
        );
        let other_site = RelyingParty {
            id: "harbor.example",
            origin: &origin,
        };
        assert_eq!(
            sign_in(other_site, challenge.as_bytes(), passkey.sign_count, &data),
            Err(WebAuthnError::RelyingParty)
        );
        // The flags byte (after the 32-byte site hash) with "verified" taken away.
        let mut unverified = data.clone();
        unverified[32] &= !USER_VERIFIED;
        assert!(sign_in(rp, challenge.as_bytes(), passkey.sign_count, &unverified).is_err());
        let mut altered = data;
        altered[36] ^= 1;
        assert_eq!(
            sign_in(rp, challenge.as_bytes(), passkey.sign_count, &altered),
            Err(WebAuthnError::Signature)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::software::Authenticator;
    use super::*;

    const RP: RelyingParty<'static> = RelyingParty {
        id: "harbor.example",
        origin: "https://harbor.example",
    };

    #[test]
    fn a_passkey_registers_and_then_signs_in() {
        let mut authenticator = Authenticator::new(7);
        let made = authenticator.create(RP, b"challenge-1");
        let passkey = register(RP, b"challenge-1", &made.client_data_json, &made.data).unwrap();
        assert_eq!(passkey.credential_id, vec![7; 16]);
        assert_eq!(passkey.public_key.len(), 65);

        let answer = authenticator.get(RP, b"challenge-2");
        let count = authenticate(
            RP,
            b"challenge-2",
            &passkey.public_key,
            passkey.sign_count,
            &answer.client_data_json,
            &answer.data,
            &answer.signature,
        )
        .unwrap();
        assert_eq!(count, 1);
        // The same answer again: the counter has not moved on.
        assert_eq!(
            authenticate(
                RP,
                b"challenge-2",
                &passkey.public_key,
                count,
                &answer.client_data_json,
                &answer.data,
                &answer.signature,
            ),
            Err(WebAuthnError::Counter)
        );
    }

    #[test]
    fn registration_refuses_another_challenge_origin_site_or_an_unverified_person() {
        let mut authenticator = Authenticator::new(3);
        let made = authenticator.create(RP, b"issued");
        let check =
            |rp, challenge: &[u8]| register(rp, challenge, &made.client_data_json, &made.data);
        assert_eq!(check(RP, b"another").unwrap_err(), WebAuthnError::Challenge);
        let lookalike = RelyingParty {
            id: "harbor.example",
            origin: "https://harbour.example",
        };
        assert_eq!(
            check(lookalike, b"issued").unwrap_err(),
            WebAuthnError::Origin
        );
        let other_site = RelyingParty {
            id: "other.example",
            origin: "https://harbor.example",
        };
        assert_eq!(
            check(other_site, b"issued").unwrap_err(),
            WebAuthnError::RelyingParty
        );
        assert_eq!(
            register(RP, b"issued", &made.client_data_json, b"\x00").unwrap_err(),
            WebAuthnError::Malformed
        );
        let mut careless = Authenticator::new(4);
        careless.verifies = false;
        let made = careless.create(RP, b"issued");
        assert_eq!(
            register(RP, b"issued", &made.client_data_json, &made.data).unwrap_err(),
            WebAuthnError::NotVerified
        );
    }

    #[test]
    fn a_sign_in_refuses_a_wrong_signature_key_or_ceremony() {
        let mut authenticator = Authenticator::new(5);
        let made = authenticator.create(RP, b"c1");
        let passkey = register(RP, b"c1", &made.client_data_json, &made.data).unwrap();
        let answer = authenticator.get(RP, b"c2");
        let mut forged = answer.data.clone();
        forged[36] ^= 1;
        let verify = |key: &[u8], data: &[u8], client: &[u8]| {
            authenticate(RP, b"c2", key, 0, client, data, &answer.signature)
        };
        assert_eq!(
            verify(&passkey.public_key, &forged, &answer.client_data_json),
            Err(WebAuthnError::Signature)
        );
        let other = register(
            RP,
            b"c3",
            &Authenticator::new(6).create(RP, b"c3").client_data_json,
            &Authenticator::new(6).create(RP, b"c3").data,
        )
        .unwrap();
        assert_eq!(
            verify(&other.public_key, &answer.data, &answer.client_data_json),
            Err(WebAuthnError::Signature)
        );
        // A registration's client data is not a sign-in's.
        assert_eq!(
            verify(&passkey.public_key, &answer.data, &made.client_data_json),
            Err(WebAuthnError::Ceremony)
        );
    }

    #[test]
    fn a_sign_in_refuses_another_challenge_origin_site_or_an_unverified_person() {
        let mut authenticator = Authenticator::new(8);
        let made = authenticator.create(RP, b"c1");
        let passkey = register(RP, b"c1", &made.client_data_json, &made.data).unwrap();
        let answer = authenticator.get(RP, b"c2");
        let check = |rp, challenge: &[u8], answer: &software::Response| {
            authenticate(
                rp,
                challenge,
                &passkey.public_key,
                passkey.sign_count,
                &answer.client_data_json,
                &answer.data,
                &answer.signature,
            )
        };
        assert_eq!(check(RP, b"c1", &answer), Err(WebAuthnError::Challenge));
        let lookalike = RelyingParty {
            id: "harbor.example",
            origin: "https://harbour.example",
        };
        assert_eq!(check(lookalike, b"c2", &answer), Err(WebAuthnError::Origin));
        let other_site = RelyingParty {
            id: "other.example",
            origin: "https://harbor.example",
        };
        assert_eq!(
            check(other_site, b"c2", &answer),
            Err(WebAuthnError::RelyingParty)
        );
        // The same key, no longer checking who holds it.
        authenticator.verifies = false;
        let careless = authenticator.get(RP, b"c3");
        assert_eq!(check(RP, b"c3", &careless), Err(WebAuthnError::NotVerified));
        authenticator.verifies = true;
        assert_eq!(check(RP, b"c4", &authenticator.get(RP, b"c4")), Ok(3));
    }

    /// Answers recorded from Chromium's own virtual authenticator (`staff_browser.rs`
    /// `chromium_passkey_answers_pass_our_checks_and_altered_ones_do_not`, with
    /// `RECORD_WEBAUTHN_FIXTURES=1`), so that a real browser's bytes, not only our software
    /// authenticator's, are checked on every build.
    #[test]
    fn answers_recorded_from_chromium_pass_and_altered_ones_do_not() {
        let recorded: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/chromium-webauthn.json")).unwrap();
        software::check_recorded_answers(&recorded);
    }

    #[test]
    fn only_es256_keys_are_taken() {
        let rsa = Value::Map(vec![
            (Value::Integer(1.into()), Value::Integer(3.into())),
            (Value::Integer(3.into()), Value::Integer((-257).into())),
        ]);
        assert_eq!(cose_p256(&rsa), Err(WebAuthnError::Algorithm));
    }
}
