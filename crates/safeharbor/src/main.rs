//! The `safeharbor` command. Everything it does is in the library; this only parses and reports.

use std::process::ExitCode;

use clap::Parser;

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
