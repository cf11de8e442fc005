//! The rules of signing in, as pure functions of time (SECURITY.md P11-P13): what makes a
//! password acceptable, when repeated failures slow a sign-in down, and when a session ends.
//! Storage and the web layer apply them; tests drive them with an injected clock.

use crate::Timestamp;

/// A password that meets the policy: at least 12 characters, at most 128, and not a common,
/// breached or easily guessed one. No composition rules (NIST SP 800-63B, 5.1.1.2).
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// Why a password was not accepted, in words for the person choosing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("Use at least 12 characters. A few ordinary words in a row work well.")]
    TooShort,
    #[error("Use at most 128 characters.")]
    TooLong,
    #[error(
        "That password is too common or too easy to guess (it appears in lists of leaked passwords, or follows a pattern). Try a few unrelated words."
    )]
    TooGuessable,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

impl NewPassword {
    /// Checks a chosen password; `context` holds words it must not lean on (username, names).
    pub fn parse(raw: &str, context: &[&str]) -> Result<Self, PasswordProblem> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(PasswordProblem::TooShort);
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(PasswordProblem::TooLong);
        }
        // zxcvbn matches against lists of common and leaked passwords, words, names, keyboard
        // patterns, dates and sequences, including the `context` words; 3 means "safely
        // unguessable: moderate protection from an offline slow-hash scenario".
        let estimate = zxcvbn::zxcvbn(raw, context);
        if (estimate.score() as u8) < 3 {
            return Err(PasswordProblem::TooGuessable);
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// How many failures in a row are forgiven before sign-in slows down.
pub const FREE_FAILURES: u32 = 5;
/// The longest a sign-in is ever held back after failures.
pub const MAX_LOCK_MINUTES: i64 = 15;

/// When the next sign-in attempt may be made after `failures` failed attempts in a row, the last
/// at `last_failure`. The wait doubles from one minute with each failure past the free ones, and
/// never exceeds 15 minutes, so a guesser is slowed to a crawl but nobody can lock a caseworker
/// out for good (P12). A success resets the count.
pub fn next_attempt_allowed(failures: u32, last_failure: Timestamp) -> Option<Timestamp> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10);
    let minutes = (1i64 << doublings).min(MAX_LOCK_MINUTES);
    Some(Timestamp::from_unix_millis(
        last_failure.unix_millis() + minutes * 60_000,
    ))
}

/// Failures are forgotten a day after the last one, so the count kept for a name that belongs to
/// nobody (counted like any other, so that both answer alike) does not grow for ever.
pub const FORGET_FAILURES_AFTER_HOURS: i64 = 24;

/// Failures last recorded before this are no longer counted, as of `now`.
pub fn failures_forgotten_before(now: Timestamp) -> Timestamp {
    Timestamp::from_unix_millis(now.unix_millis() - FORGET_FAILURES_AFTER_HOURS * 3_600_000)
}

/// Until when an attempt is held back, as of `now`, after `failures` failed attempts in a row,
/// the last at `last_failure`; `None` when it may be made now.
pub fn held_back_until(
    failures: u32,
    last_failure: Timestamp,
    now: Timestamp,
) -> Option<Timestamp> {
    if last_failure < failures_forgotten_before(now) {
        return None;
    }
    next_attempt_allowed(failures, last_failure).filter(|until| *until > now)
}

/// A session ends after 15 idle minutes, and after 12 hours whatever happens (P13).
pub const IDLE_MINUTES: i64 = 15;
pub const ABSOLUTE_HOURS: i64 = 12;
/// Sensitive actions (export, break-glass, role changes) need a sign-in this recent.
pub const FRESH_MINUTES: i64 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Active,
    /// No request for 15 minutes.
    Idle,
    /// Started more than 12 hours ago.
    Expired,
}

/// The state of a session started at `created_at`, last used at `last_seen`, as of `now`.
pub fn session_state(created_at: Timestamp, last_seen: Timestamp, now: Timestamp) -> SessionState {
    let ms = |t: Timestamp| t.unix_millis();
    if ms(now) - ms(created_at) >= ABSOLUTE_HOURS * 3_600_000 {
        SessionState::Expired
    } else if ms(now) - ms(last_seen) >= IDLE_MINUTES * 60_000 {
        SessionState::Idle
    } else {
        SessionState::Active
    }
}

/// Whether the person signed in (password and second factor) recently enough for a sensitive action.
pub fn freshly_authenticated(authenticated_at: Timestamp, now: Timestamp) -> bool {
    now.unix_millis() - authenticated_at.unix_millis() < FRESH_MINUTES * 60_000
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: Timestamp = Timestamp::from_unix_millis(1_790_000_000_000);

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_unix_millis(T0.unix_millis() + minutes * 60_000)
    }

    #[test]
    fn passwords_need_length_not_composition_and_must_not_be_common() {
        assert_eq!(
            NewPassword::parse("Sh0rt!pass", &[]),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            NewPassword::parse(&"a".repeat(129), &[]),
            Err(PasswordProblem::TooLong)
        );
        for common in [
            "password1234",
            "123456789012",
            "qwertyuiopasdf",
            "iloveyou12345",
        ] {
            assert_eq!(
                NewPassword::parse(common, &[]),
                Err(PasswordProblem::TooGuessable),
                "{common}"
            );
        }
        assert_eq!(
            NewPassword::parse("ana.martinez2026", &["ana.martinez"]),
            Err(PasswordProblem::TooGuessable),
            "leaning on the username"
        );
        // All lower case, no digits, no symbols: fine when long and unguessable.
        assert!(NewPassword::parse("lantern orchard tidepool velvet", &[]).is_ok());
        assert!(NewPassword::parse("mañana llueve sobre el puerto", &[]).is_ok());
        assert!(
            !format!(
                "{:?}",
                NewPassword::parse("lantern orchard tidepool velvet", &[]).unwrap()
            )
            .contains("lantern")
        );
    }

    #[test]
    fn failures_slow_sign_in_down_but_never_lock_anyone_out_for_good() {
        for failures in 0..FREE_FAILURES {
            assert_eq!(next_attempt_allowed(failures, at(0)), None);
        }
        assert_eq!(next_attempt_allowed(5, at(0)), Some(at(1)));
        assert_eq!(next_attempt_allowed(6, at(0)), Some(at(2)));
        assert_eq!(next_attempt_allowed(8, at(0)), Some(at(8)));
        assert_eq!(next_attempt_allowed(9, at(0)), Some(at(15)));
        assert_eq!(
            next_attempt_allowed(1_000_000, at(0)),
            Some(at(MAX_LOCK_MINUTES)),
            "capped, never permanent"
        );
    }

    #[test]
    fn a_hold_ends_with_its_wait_and_failures_are_forgotten_after_a_day() {
        assert_eq!(held_back_until(4, at(0), at(0)), None, "still free");
        assert_eq!(held_back_until(5, at(0), at(0)), Some(at(1)));
        assert_eq!(held_back_until(5, at(0), at(1)), None, "the wait is over");
        assert_eq!(held_back_until(20, at(0), at(14)), Some(at(15)));
        assert_eq!(failures_forgotten_before(at(24 * 60)), at(0));
        assert_eq!(
            held_back_until(20, at(0), at(24 * 60 + 1)),
            None,
            "a day later nothing counts"
        );
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        assert_eq!(session_state(at(0), at(0), at(14)), SessionState::Active);
        assert_eq!(session_state(at(0), at(0), at(15)), SessionState::Idle);
        assert_eq!(session_state(at(0), at(700), at(714)), SessionState::Active);
        assert_eq!(
            session_state(at(0), at(719), at(720)),
            SessionState::Expired,
            "12 hours, however busy"
        );
        assert!(freshly_authenticated(at(0), at(4)));
        assert!(!freshly_authenticated(at(0), at(5)));
    }
}
