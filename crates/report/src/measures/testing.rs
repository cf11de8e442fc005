//! Hand-made people for the counting rules' tests.

use domain::client::{AgeBand, Gender};
use domain::profile::Profile;
use domain::service::ServiceCode;
use time::Date;

use crate::served::{Served, ServiceSet, Who};
use crate::table::Table;

/// A woman of 25 to 34, nothing else recorded, first served on `first` (also her first service of
/// the fiscal year), who received `codes` in the period.
pub(crate) fn person(first: Date, codes: &[&str]) -> Served {
    Served {
        who: Who {
            gender: Some(Gender::Woman),
            age_band: Some(AgeBand::From25To34),
            age_at_intake: None,
            profile: Profile::default(),
        },
        first_service: first,
        first_service_in_year: first,
        services: codes.iter().fold(ServiceSet::default(), |set, code| {
            set.with(ServiceCode::parse(code).unwrap())
        }),
        people: 1,
    }
}

/// The table titled `title`.
pub(crate) fn table<'a>(tables: &'a [Table], title: &str) -> &'a Table {
    tables
        .iter()
        .find(|t| t.title() == title)
        .unwrap_or_else(|| panic!("no table {title:?}"))
}

/// The cell at the row and column with these labels.
pub(crate) fn cell(table: &Table, row: &str, column: &str) -> u64 {
    let r = table.rows().iter().position(|l| l == row);
    let c = table.columns().iter().position(|l| l == column);
    match (r, c) {
        (Some(r), Some(c)) => table.cells()[r][c],
        _ => panic!("{}: no cell {row:?} x {column:?}", table.title()),
    }
}
