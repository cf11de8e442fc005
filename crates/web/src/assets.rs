//! Our own scripts, served from the binary, and the script policy built from their hashes: a page
//! may run these files and nothing else, not even another file from this server, and each
//! `<script>` tag carries the hash as its `integrity` (P14).

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// A script we serve.
pub(crate) struct Script {
    pub path: &'static str,
    body: &'static str,
}

/// The quick exit on every public page, which also keeps a visit to one entry of the tab's
/// history and sends the public forms in requests of their own.
pub(crate) const QUICK_EXIT: Script = Script {
    path: "/assets/quick-exit.js",
    body: include_str!("../assets/quick-exit.js"),
};

/// Saves a staff form (a screening, the determination worksheet) as it is filled in.
pub(crate) const AUTOSAVE: Script = Script {
    path: "/assets/screening.js",
    body: include_str!("../assets/screening.js"),
};

/// An administrator's passkey step (WebAuthn in the browser).
pub(crate) const PASSKEY: Script = Script {
    path: "/assets/passkey.js",
    body: include_str!("../assets/passkey.js"),
};

const SCRIPTS: [&Script; 3] = [&QUICK_EXIT, &AUTOSAVE, &PASSKEY];

impl Script {
    /// `sha256-<base64>`: the tag's `integrity`, and the source the policy allows.
    fn hash(&self) -> String {
        let digest = Sha256::digest(self.body.as_bytes());
        format!(
            "sha256-{}",
            base64::engine::general_purpose::STANDARD.encode(digest)
        )
    }

    pub(crate) fn response(&self) -> Response {
        (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
            self.body,
        )
            .into_response()
    }
}

/// Each script's path and hash, worked out once: pages ask for them on every render.
static HASHES: LazyLock<Vec<(&'static str, String)>> =
    LazyLock::new(|| SCRIPTS.iter().map(|s| (s.path, s.hash())).collect());

/// The integrity of the script at `path` (for templates); empty for a path we do not serve.
pub(crate) fn integrity(path: &str) -> &'static str {
    HASHES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or("", |(_, hash)| hash.as_str())
}

/// `script-src` with the hash of each of our scripts, for the pages' policy (set in
/// `middleware`).
pub(crate) static SCRIPT_SRC: LazyLock<String> = LazyLock::new(|| {
    let hashes: Vec<String> = HASHES.iter().map(|(_, hash)| format!("'{hash}'")).collect();
    format!("script-src {}", hashes.join(" "))
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_sources_are_every_script_by_its_hash_and_nothing_else() {
        for script in SCRIPTS {
            let integrity = script.hash();
            assert!(integrity.starts_with("sha256-") && integrity.len() == 7 + 44);
            assert!(
                SCRIPT_SRC.contains(&format!("'{integrity}'")),
                "{}",
                script.path
            );
            assert_eq!(self::integrity(script.path), integrity);
        }
        assert_eq!(SCRIPT_SRC.matches("'sha256-").count(), SCRIPTS.len());
        assert!(!SCRIPT_SRC.contains("'self'") && !SCRIPT_SRC.contains("unsafe"));
        assert_eq!(integrity("/assets/elsewhere.js"), "");
    }
}
