//! Hand-made people for the counting rules' tests.

use domain::client::{AgeBand, Gender};
use domain::profile::Profile;
use domain::service::ServiceCode;

use crate::served::{Served, ServiceSet, Who};
use crate::table::Table;

/// A person first served in the period (ever, and so in the fiscal year), for `person`.
pub(crate) const NEW: bool = true;
/// A person served before the period (in an earlier fiscal year too), for `person`.
pub(crate) const CONTINUING: bool = false;

/// A woman of 25 to 34, nothing else recorded, `NEW` or `CONTINUING`, who received `codes` in the
/// period.
pub(crate) fn person(new: bool, codes: &[&str]) -> Served {
    Served {
        who: Who {
            gender: Some(Gender::Woman),
            age_band: Some(AgeBand::From25To34),
            age_at_intake: None,
            profile: Profile::default(),
        },
        new_client: new,
        new_this_year: new,
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
