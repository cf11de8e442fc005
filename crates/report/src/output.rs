//! A report and the bytes it leaves as: the JSON that other tools read (a contract: keep its
//! shape), CSV, and XLSX (in `output/xlsx.rs`).
//!
//! The JSON is the [`Serialize`] impl of [`Report`]:
//!
//! ```text
//! {"report": NAME, "mode": "public"|"exact", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD",
//!  "tables": [{"title", "rows": [labels], "columns": [labels], "cells": [[n or "*"]],
//!              "totals": {"rows": [n or "*"], "columns": [n or "*"], "all": n or "*"},
//!              "counted": text, "small_cells": [[row, column]]}]}
//! ```
//!
//! Consumers may rely on every key but `counted` and `small_cells`, which are extra. The sign-off
//! is not in the JSON: it is shown in the CSV and the XLSX, which people read.

use std::fmt::Write as _;

use serde::{Serialize, Serializer};
use thiserror::Error;
use time::Date;

use crate::release::{Mode, Released, Shown, release_together};
use crate::table::Table;

mod xlsx;

pub use xlsx::{XlsxError, to_xlsx};

/// Why a report could not be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReportError {
    #[error("the period ends ({to}) before it starts ({from})")]
    Period { from: Date, to: Date },
}

/// A named report over a period: its tables, all released in its one mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    #[serde(rename = "report")]
    name: String,
    mode: Mode,
    #[serde(serialize_with = "iso_date")]
    from: Date,
    #[serde(serialize_with = "iso_date")]
    to: Date,
    /// Whose records it counts when not everyone's ("team North"); in the JSON only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    within: Option<String>,
    tables: Vec<Released>,
    #[serde(skip)]
    signed_off_by: Option<String>,
}

impl Report {
    /// Releases every table in `mode`; the period runs from `from` to `to`, both included.
    /// Releasing here, not taking released tables, is what keeps a report's mode true of all of
    /// its tables.
    pub fn new(
        name: impl Into<String>,
        mode: Mode,
        from: Date,
        to: Date,
        tables: &[Table],
    ) -> Result<Report, ReportError> {
        if to < from {
            return Err(ReportError::Period { from, to });
        }
        Ok(Report {
            name: name.into(),
            mode,
            from,
            to,
            within: None,
            tables: release_together(tables, mode),
            signed_off_by: None,
        })
    }

    /// Records that the report counts only some clients' records, as `within` names them
    /// ("program drop-in", "team North").
    pub fn with_within(mut self, within: impl Into<String>) -> Report {
        self.within = Some(within.into());
        self
    }

    /// Records who signed the report off (in exact mode, who acknowledged its small cells).
    pub fn with_sign_off(mut self, who: impl Into<String>) -> Report {
        self.signed_off_by = Some(who.into());
        self
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn from(&self) -> Date {
        self.from
    }

    pub fn to(&self) -> Date {
        self.to
    }

    pub fn tables(&self) -> &[Released] {
        &self.tables
    }

    pub fn signed_off_by(&self) -> Option<&str> {
        self.signed_off_by.as_deref()
    }

    /// Whose records it counts, when not everyone's.
    pub fn within(&self) -> Option<&str> {
        self.within.as_deref()
    }
}

/// `Date`'s `Display` is `YYYY-MM-DD` for the years a report can have.
fn iso_date<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

/// The report as JSON (the shape in the module documentation).
pub fn to_json(report: &Report) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::to_value(report)
}

/// What a `*` means, for readers of the CSV and XLSX of a public report.
pub(crate) const HIDDEN_LEGEND: &str =
    "* = hidden: a number from 1 to 10, or a number that would give one away";

/// The report as CSV (RFC 4180, CRLF line ends): a header block saying what the report is, then
/// per table its title, a header line, a line per row with its total, a `Total` line, and how it
/// was counted, with a blank line between blocks.
pub fn to_csv(report: &Report) -> String {
    let mut out = String::new();
    line(&mut out, ["Report", report.name()]);
    line(&mut out, ["Mode", report.mode().as_str()]);
    line(&mut out, ["From", &report.from().to_string()]);
    line(&mut out, ["To", &report.to().to_string()]);
    if let Some(within) = report.within() {
        line(&mut out, ["Counting only", within]);
    }
    if let Some(who) = report.signed_off_by() {
        line(&mut out, ["Signed off by", who]);
    }
    if report.mode() == Mode::Public {
        line(&mut out, [HIDDEN_LEGEND]);
    }
    for table in report.tables() {
        out.push_str("\r\n");
        table_csv(&mut out, table);
    }
    out
}

fn table_csv(out: &mut String, table: &Released) {
    line(out, [table.title()]);
    let header = std::iter::once("")
        .chain(table.columns().iter().map(String::as_str))
        .chain(["Total"]);
    line(out, header);
    let totals = table.totals();
    for ((label, cells), total) in table.rows().iter().zip(table.cells()).zip(&totals.rows) {
        number_line(out, label, cells.iter().chain([total]));
    }
    number_line(out, "Total", totals.columns.iter().chain([&totals.all]));
    line(out, ["Counted", table.counted()]);
}

fn line<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (k, field) in fields.into_iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        text_field(out, field);
    }
    out.push_str("\r\n");
}

fn number_line<'a>(out: &mut String, label: &str, values: impl Iterator<Item = &'a Shown>) {
    text_field(out, label);
    for value in values {
        // Digits and `*` never need quoting.
        let _ = write!(out, ",{value}");
    }
    out.push_str("\r\n");
}

/// One text field, quoted when RFC 4180 needs it. A field a spreadsheet would read as a formula
/// (starting `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` first, as OWASP advises for CSV
/// injection: labels and titles are typed by staff, and a report is opened by others.
fn text_field(out: &mut String, field: &str) {
    let formula = field.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let field = if formula {
        format!("'{field}")
    } else {
        field.to_string()
    };
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&field);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn report(mode: Mode) -> Report {
        let table = Table::from_cells(
            "Clients by exploitation",
            labels(&["New", "Returning"]),
            labels(&["Sex", "Labour"]),
            vec![vec![12, 3], vec![20, 30]],
            "Clients with a service in the period.",
        )
        .unwrap();
        Report::new(
            "OVC quarterly",
            mode,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
            &[table],
        )
        .unwrap()
    }

    #[test]
    fn json_has_the_contract_shape() {
        let value = to_json(&report(Mode::Public)).unwrap();
        let expected = json!({
            "report": "OVC quarterly",
            "mode": "public",
            "from": "2026-01-01",
            "to": "2026-03-31",
            "tables": [{
                "title": "Clients by exploitation",
                "rows": ["New", "Returning"],
                "columns": ["Sex", "Labour"],
                "cells": [["*", "*"], ["*", "*"]],
                "totals": {"rows": [15, 50], "columns": [32, 33], "all": 65},
                "counted": "Clients with a service in the period.",
                "small_cells": []
            }]
        });
        assert_eq!(value, expected);
    }

    #[test]
    fn exact_json_shows_numbers_and_flags_small_cells() {
        let value = to_json(&report(Mode::Exact).with_sign_off("A. Manager")).unwrap();
        assert_eq!(value["mode"], "exact");
        assert_eq!(value["tables"][0]["cells"], json!([[12, 3], [20, 30]]));
        assert_eq!(
            value["tables"][0]["totals"],
            json!({"rows": [15, 50], "columns": [32, 33], "all": 65})
        );
        assert_eq!(value["tables"][0]["small_cells"], json!([[0, 1]]));
    }

    #[test]
    fn a_period_that_ends_before_it_starts_is_refused() {
        let result = Report::new(
            "r",
            Mode::Exact,
            date!(2026 - 02 - 01),
            date!(2026 - 01 - 31),
            &[],
        );
        assert!(matches!(result, Err(ReportError::Period { .. })));
    }

    #[test]
    fn csv_lays_out_each_table_with_its_totals() {
        let csv = to_csv(&report(Mode::Public).with_sign_off("A. Manager"));
        let expected = "Report,OVC quarterly\r\n\
            Mode,public\r\n\
            From,2026-01-01\r\n\
            To,2026-03-31\r\n\
            Signed off by,A. Manager\r\n\
            \"* = hidden: a number from 1 to 10, or a number that would give one away\"\r\n\
            \r\n\
            Clients by exploitation\r\n\
            ,Sex,Labour,Total\r\n\
            New,*,*,15\r\n\
            Returning,*,*,50\r\n\
            Total,32,33,65\r\n\
            Counted,Clients with a service in the period.\r\n";
        assert_eq!(csv, expected);
    }

    #[test]
    fn csv_quotes_commas_quotes_and_line_breaks_and_defuses_formulas() {
        let table = Table::from_cells(
            "Age, at intake",
            labels(&["Under \"18\"", "=1+1", "two\nlines"]),
            labels(&["-", "plain"]),
            vec![vec![0, 40], vec![0, 50], vec![0, 60]],
            "",
        )
        .unwrap();
        let report = Report::new(
            "r",
            Mode::Exact,
            date!(2026 - 01 - 01),
            date!(2026 - 01 - 01),
            &[table],
        )
        .unwrap();
        let csv = to_csv(&report);
        let block: Vec<&str> = csv.split("\r\n").skip(5).collect();
        assert_eq!(
            block,
            vec![
                "\"Age, at intake\"",
                ",'-,plain,Total",
                "\"Under \"\"18\"\"\",0,40,40",
                "'=1+1,0,50,50",
                "\"two\nlines\",0,60,60",
                "Total,0,150,150",
                "Counted,",
                "",
            ]
        );
    }
}
