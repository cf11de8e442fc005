//! The report as an XLSX workbook, for the people who open reports in a spreadsheet: an "About"
//! sheet saying what the report is, then one sheet per table with its title, how it was counted,
//! and the table with its totals. Counts are numbers, so they add up in the spreadsheet; a hidden
//! member is the text `*`.

use rust_xlsxwriter::{ColNum, Format, FormatAlign, RowNum, Workbook, Worksheet};
use thiserror::Error;

use super::{HIDDEN_LEGEND, Report};
use crate::release::{Mode, Released, Shown};

/// Why a workbook could not be written.
#[derive(Debug, Error)]
pub enum XlsxError {
    #[error("a table has more rows or columns than a worksheet can hold")]
    TooLarge,
    #[error("the workbook could not be written: {0}")]
    Writer(#[from] rust_xlsxwriter::XlsxError),
}

/// Excel's limit on a sheet name, in UTF-16 units.
const SHEET_NAME_LIMIT: usize = 31;

/// The report as the bytes of an .xlsx file.
///
/// Counts are written as spreadsheet numbers (64-bit floats): exact up to 2^53, far past any
/// count a report holds.
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let formats = Formats::new();
    write_about(
        workbook.add_worksheet().set_name("About")?,
        report,
        &formats,
    )?;
    // Excel compares sheet names ignoring case and reserves "History".
    let mut taken = vec!["about".to_string(), "history".to_string()];
    for (k, table) in report.tables().iter().enumerate() {
        let name = sheet_name(table.title(), k, &mut taken);
        write_table(workbook.add_worksheet().set_name(name)?, table, &formats)?;
    }
    Ok(workbook.save_to_buffer()?)
}

struct Formats {
    bold: Format,
    hidden: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            // A `*` in a column of numbers lines up with them.
            hidden: Format::new().set_align(FormatAlign::Right),
        }
    }
}

fn write_about(sheet: &mut Worksheet, report: &Report, formats: &Formats) -> Result<(), XlsxError> {
    let mut facts = vec![
        ("Report", report.name().to_string()),
        ("Mode", report.mode().as_str().to_string()),
        ("From", report.from().to_string()),
        ("To", report.to().to_string()),
    ];
    if let Some(within) = report.within() {
        facts.push(("Counting only", within.to_string()));
    }
    if let Some(who) = report.signed_off_by() {
        facts.push(("Signed off by", who.to_string()));
    }
    for (r, (key, value)) in facts.iter().enumerate() {
        let r = row(r)?;
        sheet.write_string_with_format(r, 0, *key, &formats.bold)?;
        sheet.write_string(r, 1, value)?;
    }
    if report.mode() == Mode::Public {
        sheet.write_string(row(facts.len() + 1)?, 0, HIDDEN_LEGEND)?;
    }
    sheet.set_column_width(0, 16)?;
    sheet.set_column_width(1, 40)?;
    Ok(())
}

/// Title in A1, how it was counted in A2, a blank row, then the table from row 4.
fn write_table(
    sheet: &mut Worksheet,
    table: &Released,
    formats: &Formats,
) -> Result<(), XlsxError> {
    const HEADER: usize = 3;
    sheet.write_string_with_format(0, 0, table.title(), &formats.bold)?;
    sheet.write_string(1, 0, table.counted())?;
    let labels = table.columns().iter().map(String::as_str).chain(["Total"]);
    for (j, label) in labels.enumerate() {
        sheet.write_string_with_format(row(HEADER)?, column(j + 1)?, label, &formats.bold)?;
    }
    let totals = table.totals();
    let lines = table
        .rows()
        .iter()
        .zip(table.cells())
        .zip(&totals.rows)
        .map(|((label, cells), total)| {
            let values: Vec<&Shown> = cells.iter().chain([total]).collect();
            (label.as_str(), values)
        })
        .chain([(
            "Total",
            totals.columns.iter().chain([&totals.all]).collect(),
        )]);
    for (i, (label, values)) in lines.enumerate() {
        let r = row(HEADER + 1 + i)?;
        sheet.write_string_with_format(r, 0, label, &formats.bold)?;
        for (j, value) in values.into_iter().enumerate() {
            let c = column(j + 1)?;
            match *value {
                Shown::Count(n) => sheet.write_number(r, c, n as f64)?,
                Shown::Hidden => {
                    sheet.write_string_with_format(r, c, Shown::HIDDEN, &formats.hidden)?
                }
            };
        }
    }
    sheet.set_column_width(0, 30)?;
    Ok(())
}

fn row(i: usize) -> Result<RowNum, XlsxError> {
    RowNum::try_from(i).map_err(|_| XlsxError::TooLarge)
}

fn column(j: usize) -> Result<ColNum, XlsxError> {
    ColNum::try_from(j).map_err(|_| XlsxError::TooLarge)
}

/// A sheet name for table number `index` from its title, valid for Excel (no `[]:*?/\`, not
/// blank, no apostrophe at either end, at most 31 UTF-16 units) and not in `taken`, which it is
/// added to (lower-cased).
fn sheet_name(title: &str, index: usize, taken: &mut Vec<String>) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if "[]:*?/\\".contains(c) || c.is_control() {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_matches('\'').trim();
    let base = if cleaned.is_empty() {
        format!("Table {}", index + 1)
    } else {
        cleaned.to_string()
    };
    let mut suffix = String::new();
    let mut n = 1;
    loop {
        let room = SHEET_NAME_LIMIT - suffix.encode_utf16().count();
        let name = format!("{}{suffix}", cut(&base, room));
        if !taken.contains(&name.to_lowercase()) {
            taken.push(name.to_lowercase());
            return name;
        }
        n += 1;
        suffix = format!(" ({n})");
    }
}

/// `text` cut to at most `room` UTF-16 units, on a character boundary, without trailing spaces
/// or apostrophes.
fn cut(text: &str, room: usize) -> &str {
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|&(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(at, _)| at);
    text[..end].trim_end_matches([' ', '\''])
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read};

    use time::macros::date;

    use super::*;
    use crate::table::Table;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = vec!["about".to_string(), "history".to_string()];
        let mut name = |title: &str, k| sheet_name(title, k, &mut taken);
        assert_eq!(
            name("Q5a: Clients [all] / served?", 0),
            "Q5a  Clients  all    served"
        );
        assert_eq!(name("", 1), "Table 2");
        assert_eq!(name("'quoted'", 2), "quoted");
        assert_eq!(name("About", 3), "About (2)");
        assert_eq!(name("HISTORY", 4), "HISTORY (2)");
        let long = "Clients by type of exploitation and age at intake";
        assert_eq!(name(long, 5), "Clients by type of exploitation");
        assert_eq!(name(long, 6), "Clients by type of exploita (2)");
        assert_eq!(
            name("clients BY type of exploitation", 7),
            "clients BY type of exploita (3)"
        );
        assert_eq!(name(&"é".repeat(40), 8).chars().count(), 31);
    }

    fn read(bytes: &[u8], path: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn workbook_has_an_about_sheet_and_a_sheet_per_table() {
        let table = Table::from_cells(
            "Clients by exploitation",
            vec!["New".into(), "Returning".into()],
            vec!["Sex".into(), "Labour".into()],
            vec![vec![12, 3], vec![20, 30]],
            "Clients with a service in the period.",
        )
        .unwrap();
        let report = Report::new(
            "OVC quarterly",
            Mode::Public,
            date!(2026 - 01 - 01),
            date!(2026 - 03 - 31),
            &[table],
        )
        .unwrap()
        .with_sign_off("A. Manager");
        let bytes = to_xlsx(&report).unwrap();
        assert!(bytes.starts_with(b"PK"));

        let workbook = read(&bytes, "xl/workbook.xml");
        assert!(workbook.contains(r#"name="About""#));
        assert!(workbook.contains(r#"name="Clients by exploitation""#));
        let strings = read(&bytes, "xl/sharedStrings.xml");
        for text in [
            "OVC quarterly",
            "public",
            "2026-03-31",
            "A. Manager",
            "*",
            "Labour",
        ] {
            assert!(strings.contains(&format!(">{text}<")), "{text} missing");
        }
        // Public: every cell is hidden here, the totals are numbers, in reading order.
        let sheet = read(&bytes, "xl/worksheets/sheet2.xml");
        assert_eq!(numbers(&sheet), vec!["15", "50", "32", "33", "65"]);
    }

    /// The values of the numeric cells of a sheet's XML (string cells carry `t="s"`).
    fn numbers(sheet: &str) -> Vec<&str> {
        sheet
            .split("<c ")
            .skip(1)
            .filter(|cell| !cell.split('>').next().unwrap().contains("t=\"s\""))
            .filter_map(|cell| cell.split("<v>").nth(1)?.split("</v>").next())
            .collect()
    }
}
