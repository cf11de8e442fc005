//! The `safeharbor` command. Everything it does is in the library; this only parses and reports.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system allocator: a request allocates and frees many small values
/// across threads (rows copied on the database's threads, dropped on the runtime's), which
/// glibc's allocator serves with locks and consolidation. Measured in turns with the system
/// allocator, it took about 10% less CPU a request on the caseload page and the protected read
/// (BENCHMARKS.md, session 6). Its `override` feature also takes over `malloc` and `free`, so
/// the SQLite library linked in, which allocates through them, uses it too (BENCHMARKS.md,
/// session 7).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = safeharbor::cli::Cli::parse();
    safeharbor::logging::init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(safeharbor::commands::run(cli)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
