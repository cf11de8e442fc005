//! The `safeharbor` binary as a library: configuration, wiring and subcommands, so tests can build
//! the whole application on a port of their choosing (STYLE.md 1).

pub mod audit_checkpoints;
pub mod cli;
pub mod commands;
pub mod demo;
pub mod instance;
pub mod key_epochs;
pub mod logging;
pub mod progress;
pub mod reports;
pub mod screening;
pub mod sealed;
pub mod synthetic;
pub mod upgrade;
