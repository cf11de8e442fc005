//! The self-check's result at an address that opens once (issue 17, item 1).
//!
//! Without JavaScript the answers are posted as a form. A page that answers a post stays in the
//! tab's history with the answers, on disk, and Back or Reload can send them again. So the post is
//! answered with a redirect to the result's own address, which names the result only sealed (the
//! answers never leave the request), opens once, and only for a minute. A second look (Back after
//! Quick exit, Reload, the address from the history) finds the empty questions.
//!
//! The seal makes the address work on every server process that shares the key file; "once" is
//! kept by the process that showed it, so behind several processes the minute is the bound.

use std::collections::VecDeque;
use std::sync::Mutex;

use base64::Engine as _;
use crypto::{DataKey, FieldAad};

/// How long after the post the address opens: far more than a redirect takes.
const OPEN_FOR_MS: i64 = 60_000;
/// At most this many addresses remembered as shown; the oldest go first.
const REMEMBERED: usize = 10_000;

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Addresses already shown, with when each stops opening anyway, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Shown(Mutex<VecDeque<(i64, String)>>);

/// What is sealed into an address: which result, and until when it opens.
fn plaintext(result: u8, until: i64) -> Vec<u8> {
    let mut bytes = vec![result];
    bytes.extend_from_slice(&until.to_be_bytes());
    bytes
}

/// The sealing key: derived from the index key, which every process with the key file has and
/// which never rotates.
fn key(app: &app::App) -> DataKey {
    DataKey::from_key(
        app.keyring()
            .index_key()
            .derive(b"safeharbor self-check result v1"),
        1,
    )
}

/// A result sealed for one language, so that an address does not open in the other.
fn place(lang: &str) -> FieldAad<'_> {
    FieldAad {
        table: "self-check",
        column: "result",
        row_id: lang,
    }
}

/// An address segment that opens to result number `result` once, within the next minute.
pub(crate) fn seal(app: &app::App, lang: &str, result: u8) -> String {
    let until = app.now().unix_millis().saturating_add(OPEN_FOR_MS);
    let sealed = crypto::seal_field(
        &key(app),
        place(lang),
        &plaintext(result, until),
        &mut app.entropy().rng(),
    );
    BASE64.encode(sealed)
}

impl Shown {
    /// The result number behind `token`, if it is genuine, still open and not shown before; from
    /// now on it is shown.
    pub(crate) fn open(&self, app: &app::App, lang: &str, token: &str) -> Option<u8> {
        let sealed = BASE64.decode(token).ok()?;
        let bytes = crypto::open_field(&key(app), place(lang), &sealed).ok()?;
        let (&result, until) = bytes.split_first()?;
        let until = i64::from_be_bytes(until.try_into().ok()?);
        let now = app.now().unix_millis();
        (now <= until && self.first_look(now, until, token)).then_some(result)
    }

    /// Records `token` as shown; false if it was already.
    fn first_look(&self, now: i64, until: i64, token: &str) -> bool {
        let mut shown = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while shown
            .front()
            .is_some_and(|(closes, _)| *closes < now || shown.len() >= REMEMBERED)
        {
            shown.pop_front();
        }
        if shown.iter().any(|(_, seen)| seen == token) {
            return false;
        }
        shown.push_back((until, token.to_owned()));
        true
    }
}
