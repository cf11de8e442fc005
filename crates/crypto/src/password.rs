//! Staff passwords: Argon2id, stored as self-describing PHC strings, re-hashed when the parameters
//! change (STYLE.md 9). Hashing is deliberately slow: run it off the async executor.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::Rng;

/// Argon2id cost: memory in KiB, passes, lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    pub memory_kib: u32,
    pub passes: u32,
    pub lanes: u32,
}

impl Cost {
    /// The production cost: OWASP's first recommended Argon2id setting (19 MiB, 2 passes, 1
    /// lane). Its time on our 2-core machine is in BENCHMARKS.md.
    pub const PRODUCTION: Cost = Cost {
        memory_kib: 19 * 1024,
        passes: 2,
        lanes: 1,
    };

    /// A cheap cost, for tests only: the policy is the same, the work is not.
    pub const TEST_ONLY: Cost = Cost {
        memory_kib: 64,
        passes: 1,
        lanes: 1,
    };

    fn argon2(self) -> Option<Argon2<'static>> {
        let params = Params::new(self.memory_kib, self.passes, self.lanes, None).ok()?;
        Some(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`).
pub fn hash(password: &str, cost: Cost, rng: &mut impl Rng) -> Option<String> {
    let mut salt = [0u8; 16];
    rng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).ok()?;
    cost.argon2()?
        .hash_password(password.as_bytes(), &salt)
        .ok()
        .map(|h| h.to_string())
}

/// Whether `password` matches the stored PHC string. A malformed string never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// Does one Argon2id computation at `cost`, the same work as checking a real password, so that
/// an unknown username takes as long as a wrong password (STYLE.md 8). Always false.
pub fn verify_nobody(password: &str, cost: Cost) -> bool {
    let _ = hash(password, cost, &mut rand::rngs::OsRng);
    false
}

/// Whether a stored hash was made with other parameters (or another algorithm) than `cost`, and
/// should be re-hashed at the next successful sign-in.
pub fn needs_rehash(phc: &str, cost: Cost) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    parsed.algorithm.as_str() != "argon2id"
        || params.m_cost() != cost.memory_kib
        || params.t_cost() != cost.passes
        || params.p_cost() != cost.lanes
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn hashes_are_argon2id_phc_strings_that_verify() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let phc = hash("correct horse battery staple", Cost::TEST_ONLY, &mut rng).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(verify("correct horse battery staple", &phc));
        assert!(!verify("correct horse battery stapler", &phc));
        assert!(!verify("anything", "not a hash"));
        let again = hash("correct horse battery staple", Cost::TEST_ONLY, &mut rng).unwrap();
        assert_ne!(phc, again, "every hash has its own salt");
    }

    #[test]
    fn the_production_cost_is_what_the_stored_string_says() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(2);
        let phc = hash("a long enough passphrase", Cost::PRODUCTION, &mut rng).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!needs_rehash(&phc, Cost::PRODUCTION));
        assert!(needs_rehash(&phc, Cost::TEST_ONLY));
        assert!(needs_rehash("$2b$12$bcryptlooking", Cost::PRODUCTION));
        assert!(!verify_nobody("a long enough passphrase", Cost::TEST_ONLY));
    }
}
