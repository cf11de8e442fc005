//! The server's checkpoints of the audit chain (P9): while it runs, and whenever the chain has
//! grown, the server appends a checkpoint line to a file and writes the same line to its log, so
//! that `audit verify --checkpoints` can catch a chain cut short or rewritten by someone who can
//! rewrite the database but not those.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use app::App;
use domain::audit_checkpoint::Checkpoint;

/// Appends `checkpoint` to `path` as one line, durably (readable by the operator only).
pub fn append(path: &Path, checkpoint: &Checkpoint) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("could not open {} to add a checkpoint", path.display()))?;
    writeln!(file, "{}", checkpoint.line())?;
    file.sync_data()?;
    Ok(())
}

/// Writes a checkpoint now and then every `every` while the chain grows, for as long as the
/// server runs. A failure is logged and tried again next time; it never stops the server.
pub async fn keep_writing(app: App, path: PathBuf, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    let mut last_seq = None;
    loop {
        ticks.tick().await;
        let checkpoint = match app.audit_checkpoint().await {
            Ok(checkpoint) => checkpoint,
            Err(err) => {
                tracing::warn!(error = %err, "could not read the audit chain for a checkpoint");
                continue;
            }
        };
        if last_seq == Some(checkpoint.seq) {
            continue;
        }
        tracing::info!("{}", checkpoint.line());
        match append(&path, &checkpoint) {
            Ok(()) => last_seq = Some(checkpoint.seq),
            Err(err) => tracing::warn!(error = %err, "could not write an audit checkpoint"),
        }
    }
}
