//! Funder reports as tables, and how they are released: exact for mandated submissions, with
//! small cells suppressed for anything public (reporting.md §4), as JSON, CSV or XLSX bytes.
//!
//! Pure code: the counting rules build [`Table`]s, [`release()`] decides what may be shown, and
//! the output functions turn a [`Report`] into bytes; reading and writing them is the caller's.

pub mod figures;
mod joint;
mod linear;
pub mod links;
pub mod measures;
pub mod output;
pub mod period;
pub mod release;
pub mod served;
mod suppress;
pub mod table;

pub use output::{Report, ReportError, XlsxError, to_csv, to_json, to_xlsx};
pub use release::{Mode, Released, Shown, Totals, UnknownMode, release, release_together};
pub use table::{Table, TableError};
