//! Logs go to stderr as plain lines. Nothing logged carries personal data: handlers log route
//! templates and statuses only, and sqlx's statement log (SQL text, never values) is kept to
//! warnings. `RUST_LOG` adjusts the filter.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr)
        .try_init();
}
