//! Key epochs (P3): erasure destroys a client's key in the live key store, but a copy of the
//! database taken before (`pg_dump`, a file copy of the data folder, an old key-store backup)
//! still holds that key, wrapped by the key-encryption key (KEK) of its time. So the server
//! advances the KEK: shortly after every erasure, and every `--key-epoch-days` anyway. Each
//! advance re-wraps every live client key under a new KEK and destroys the old one in the key
//! file, after which no copy from before can be unwrapped, for anyone, with this key file. Old
//! copies of the key file itself must go too (README, "Keys").

use std::path::PathBuf;
use std::time::Duration;

use app::App;

/// Erasures that come close together share one advance.
const AFTER_ERASURE: Duration = Duration::from_secs(5);
/// How often the schedule is looked at.
const CHECK_EVERY: Duration = Duration::from_secs(60 * 60);
/// How long the rotation waits for other servers to see the new key file (`App::rotate_keys`).
const GRACE: Duration = Duration::from_secs(2);

/// Advances the key epoch shortly after each erasure, and when the last advance is older than
/// `max_age`, for as long as the server runs. A failure is logged and tried again later.
pub async fn keep_advancing(app: App, key_file: PathBuf, max_age: Duration) {
    let mut schedule =
        tokio::time::interval_at(tokio::time::Instant::now() + CHECK_EVERY, CHECK_EVERY);
    loop {
        let why = tokio::select! {
            () = app.erased() => {
                tokio::time::sleep(AFTER_ERASURE).await;
                "a client was erased"
            }
            _ = schedule.tick() => {
                match app.last_key_epoch().await {
                    Ok(Some(at)) if app.now().unix_millis() - at.unix_millis() < millis(max_age) => continue,
                    Ok(_) => "the key epoch is due",
                    Err(err) => {
                        tracing::warn!(error = %err, "could not tell when the key epoch last advanced");
                        continue;
                    }
                }
            }
        };
        match app.rotate_keys(&key_file, GRACE, |_| ()).await {
            Ok(rotation) => tracing::info!(
                kek = rotation.new_version,
                rewrapped = rotation.rewrapped,
                why,
                "the key epoch advanced: copies of the database from before can no longer be unwrapped"
            ),
            Err(err) => {
                tracing::error!(error = %err, why, "the key epoch could not advance; will try again")
            }
        }
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
