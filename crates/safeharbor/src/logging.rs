//! Logs go to stderr as plain lines. Nothing logged carries personal data: handlers log route
//! templates and statuses only, and sqlx's statement log (SQL text, never values) is kept to
//! warnings. `RUST_LOG` adjusts the filter.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

pub fn init() {
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    // As `fmt().try_init()` would: with `log` records (some crates' own) passed on too.
    let _ = subscriber(std::io::stderr, ansi).try_init();
}

/// The logger, writing to `writer`. A line it cannot write is dropped in silence: by default the
/// logger would report that on stderr with `eprintln!`, which panics when stderr fails too (a
/// full disk under a redirected log), and so would fail the request, or stop the task, that was
/// logging (`cli.rs` `a_log_on_a_full_disk_fails_no_request`).
fn subscriber<W>(writer: W, ansi: bool) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(writer)
        .log_internal_errors(false)
        .finish()
}
