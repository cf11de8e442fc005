//! Releasing a table in one of two modes (reporting.md §4.3): *exact* for mandated funder
//! submissions, which must add up, and *public* for everything else, with small cells and
//! whatever would give them away hidden.
//!
//! A [`Released`] table can only be made by [`release`], so a table that says it is public has
//! been through suppression. How public mode chooses what to hide is in `suppress.rs`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};
use thiserror::Error;

use crate::suppress::{hidden_members, is_small};
use crate::table::Table;

/// How a report is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Every count as it is; small cells are listed for a named person to sign off.
    Exact,
    /// Small counts, and any count that would give one away, hidden as `*`.
    Public,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Exact => "exact",
            Mode::Public => "public",
        }
    }
}

/// A mode name other than `exact` or `public`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown report mode {0:?}: expected \"exact\" or \"public\"")]
pub struct UnknownMode(String);

impl FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Mode, UnknownMode> {
        match s {
            "exact" => Ok(Mode::Exact),
            "public" => Ok(Mode::Public),
            other => Err(UnknownMode(other.to_string())),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Mode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One released number: the count, or hidden. Every hidden number looks the same, so a reader
/// cannot tell a small count from one hidden to protect it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shown {
    Count(u64),
    Hidden,
}

impl Shown {
    /// What a hidden number is shown as, in every format.
    pub const HIDDEN: &'static str = "*";
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Count(n) => write!(f, "{n}"),
            Shown::Hidden => f.write_str(Shown::HIDDEN),
        }
    }
}

/// A count serialises as a number, a hidden one as the string `"*"`.
impl Serialize for Shown {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Shown::Count(n) => serializer.serialize_u64(*n),
            Shown::Hidden => serializer.serialize_str(Shown::HIDDEN),
        }
    }
}

/// The released totals of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// One per row.
    pub rows: Vec<Shown>,
    /// One per column.
    pub columns: Vec<Shown>,
    /// The grand total.
    pub all: Shown,
}

/// A table as it may leave the system in its mode. Serialises as the table object of the
/// report JSON (`output.rs`), without the mode, which the report carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Released {
    #[serde(skip)]
    mode: Mode,
    title: String,
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<Shown>>,
    totals: Totals,
    counted: String,
    small_cells: Vec<(usize, usize)>,
}

impl Released {
    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// `cells()[row][column]`.
    pub fn cells(&self) -> &[Vec<Shown>] {
        &self.cells
    }

    pub fn totals(&self) -> &Totals {
        &self.totals
    }

    /// How the table was counted, in plain words.
    pub fn counted(&self) -> &str {
        &self.counted
    }

    /// In exact mode, the `(row, column)` of every cell of 1..=10, row-major, for the sign-off
    /// screen; empty in public mode, where none is shown. Totals are not listed: a total of
    /// 1..=10 is a sum of cells of 1..=10 and zeros, so its line already has a listed cell.
    pub fn small_cells(&self) -> &[(usize, usize)] {
        &self.small_cells
    }
}

/// Releases `table` in `mode`.
///
/// In public mode the totals are protected like the cells: a total of 1..=10 is hidden, and so
/// is any total that would give a hidden cell away. A one-row table's column totals repeat its
/// cells (and a one-column table's row totals), so they are shown or hidden alike.
pub fn release(table: &Table, mode: Mode) -> Released {
    let hidden = match mode {
        Mode::Exact => nothing_hidden(table),
        Mode::Public => hidden_members(&grid(table)),
    };
    released(table, mode, &hidden)
}

/// Releases the tables of one report in `mode`. In public mode they are released together
/// (`joint.rs`): a number they share is shown or hidden alike, and nothing hidden in one can be
/// worked out with the help of another. A report's tables should always leave this way.
pub fn release_together(tables: &[Table], mode: Mode) -> Vec<Released> {
    let hidden: Vec<Vec<Vec<bool>>> = match mode {
        Mode::Exact => tables.iter().map(nothing_hidden).collect(),
        Mode::Public => crate::joint::hidden_together(tables),
    };
    tables
        .iter()
        .zip(&hidden)
        .map(|(table, hidden)| released(table, mode, hidden))
        .collect()
}

fn nothing_hidden(table: &Table) -> Vec<Vec<bool>> {
    vec![vec![false; table.columns().len() + 1]; table.rows().len() + 1]
}

/// `table` with the members of its grid that `hidden` marks hidden.
fn released(table: &Table, mode: Mode, hidden: &[Vec<bool>]) -> Released {
    let grid = grid(table);
    let shown = |i: usize, j: usize| {
        if hidden[i][j] {
            Shown::Hidden
        } else {
            Shown::Count(grid[i][j])
        }
    };
    // The grid's last row and last column are the totals.
    let (height, width) = (table.rows().len(), table.columns().len());
    let cells = (0..height)
        .map(|i| (0..width).map(|j| shown(i, j)).collect())
        .collect();
    let totals = Totals {
        rows: (0..height).map(|i| shown(i, width)).collect(),
        columns: (0..width).map(|j| shown(height, j)).collect(),
        all: shown(height, width),
    };
    let small_cells = match mode {
        Mode::Exact => small_cells(table),
        Mode::Public => Vec::new(),
    };
    Released {
        mode,
        title: table.title().to_string(),
        rows: table.rows().to_vec(),
        columns: table.columns().to_vec(),
        cells,
        totals,
        counted: table.counted().to_string(),
        small_cells,
    }
}

/// The table with its totals as one grid: row totals in a last column, column totals and the
/// grand total in a last row.
pub(crate) fn grid(table: &Table) -> Vec<Vec<u64>> {
    let mut grid: Vec<Vec<u64>> = table
        .cells()
        .iter()
        .zip(table.row_totals())
        .map(|(line, total)| line.iter().copied().chain([total]).collect())
        .collect();
    grid.push(
        table
            .column_totals()
            .into_iter()
            .chain([table.total()])
            .collect(),
    );
    grid
}

fn small_cells(table: &Table) -> Vec<(usize, usize)> {
    table
        .cells()
        .iter()
        .enumerate()
        .flat_map(|(i, line)| {
            line.iter()
                .enumerate()
                .filter(|&(_, &n)| is_small(n))
                .map(move |(j, _)| (i, j))
        })
        .collect()
}

#[cfg(test)]
mod tests;
