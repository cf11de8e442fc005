//! An exact cross-tabulation of counts, as the counting rules build it.
//!
//! Totals are derived from the cells every time they are asked for, never stored, so a table
//! cannot disagree with itself. The shape is checked once, when the table is made; after that
//! every row has one cell per column, and no sum can overflow (the grand total is kept within
//! `u64` by [`Table::add`] and [`Table::from_cells`]).

use thiserror::Error;

use crate::links::Links;

/// Why a table could not be made or added to.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TableError {
    #[error("a table needs at least one row and one column")]
    Empty,
    #[error("the {0} label {1:?} appears more than once")]
    DuplicateLabel(&'static str, String),
    #[error("{cells} rows of cells were given for {rows} row labels")]
    RowCount { rows: usize, cells: usize },
    #[error("row {row} has {cells} cells for {columns} column labels")]
    ColumnCount {
        row: usize,
        columns: usize,
        cells: usize,
    },
    #[error("there is no cell at row {row}, column {column}")]
    NoSuchCell { row: usize, column: usize },
    #[error("the table's total would not fit in 64 bits")]
    Overflow,
    #[error("the links name {rows} rows and {columns} columns for a table of {height} by {width}")]
    Links {
        rows: usize,
        columns: usize,
        height: usize,
        width: usize,
    },
}

/// A cross-tabulation of counts: every total is the sum of its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    title: String,
    rows: Vec<String>,
    columns: Vec<String>,
    cells: Vec<Vec<u64>>,
    counted: String,
    links: Option<Links>,
}

impl Table {
    /// A table of zeros, to be filled with [`Table::add`].
    pub fn new(
        title: impl Into<String>,
        rows: Vec<String>,
        columns: Vec<String>,
        counted: impl Into<String>,
    ) -> Result<Table, TableError> {
        check_labels(&rows, &columns)?;
        let cells = vec![vec![0; columns.len()]; rows.len()];
        Ok(Table {
            title: title.into(),
            rows,
            columns,
            cells,
            counted: counted.into(),
            links: None,
        })
    }

    /// A table from its cells, `cells[row][column]`; an error when the shape does not match the
    /// labels.
    pub fn from_cells(
        title: impl Into<String>,
        rows: Vec<String>,
        columns: Vec<String>,
        cells: Vec<Vec<u64>>,
        counted: impl Into<String>,
    ) -> Result<Table, TableError> {
        check_labels(&rows, &columns)?;
        if cells.len() != rows.len() {
            return Err(TableError::RowCount {
                rows: rows.len(),
                cells: cells.len(),
            });
        }
        if let Some((row, line)) = cells
            .iter()
            .enumerate()
            .find(|(_, line)| line.len() != columns.len())
        {
            return Err(TableError::ColumnCount {
                row,
                columns: columns.len(),
                cells: line.len(),
            });
        }
        cells
            .iter()
            .flatten()
            .try_fold(0u64, |sum, &n| sum.checked_add(n))
            .ok_or(TableError::Overflow)?;
        Ok(Table {
            title: title.into(),
            rows,
            columns,
            cells,
            counted: counted.into(),
            links: None,
        })
    }

    /// Adds `n` to one cell.
    pub fn add(&mut self, row: usize, column: usize, n: u64) -> Result<(), TableError> {
        // Checking the grand total keeps every row, column and grand sum within u64.
        self.total().checked_add(n).ok_or(TableError::Overflow)?;
        let cell = self
            .cells
            .get_mut(row)
            .and_then(|line| line.get_mut(column))
            .ok_or(TableError::NoSuchCell { row, column })?;
        *cell += n;
        Ok(())
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

    /// The cells, `cells()[row][column]`.
    pub fn cells(&self) -> &[Vec<u64>] {
        &self.cells
    }

    /// How the table was counted, in plain words, shown with it.
    pub fn counted(&self) -> &str {
        &self.counted
    }

    /// Which people each of its numbers stands for, when the counting rules say.
    pub fn links(&self) -> Option<&Links> {
        self.links.as_ref()
    }

    /// The table with its links (`links.rs`); an error when they do not fit its shape.
    pub fn with_links(mut self, links: Links) -> Result<Table, TableError> {
        if links.rows.len() != self.rows.len() || links.columns.len() != self.columns.len() {
            return Err(TableError::Links {
                rows: links.rows.len(),
                columns: links.columns.len(),
                height: self.rows.len(),
                width: self.columns.len(),
            });
        }
        self.links = Some(links);
        Ok(self)
    }

    pub fn row_totals(&self) -> Vec<u64> {
        self.cells.iter().map(|line| line.iter().sum()).collect()
    }

    pub fn column_totals(&self) -> Vec<u64> {
        (0..self.columns.len())
            .map(|column| self.cells.iter().map(|line| line[column]).sum())
            .collect()
    }

    pub fn total(&self) -> u64 {
        self.cells.iter().flatten().sum()
    }
}

fn check_labels(rows: &[String], columns: &[String]) -> Result<(), TableError> {
    if rows.is_empty() || columns.is_empty() {
        return Err(TableError::Empty);
    }
    // Two rows with one label would read as one category counted twice.
    for (kind, labels) in [("row", rows), ("column", columns)] {
        if let Some(label) = labels
            .iter()
            .enumerate()
            .find_map(|(i, label)| labels[..i].contains(label).then_some(label))
        {
            return Err(TableError::DuplicateLabel(kind, label.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn totals_are_sums_of_cells() {
        let table = Table::from_cells(
            "t",
            labels(&["a", "b"]),
            labels(&["x", "y", "z"]),
            vec![vec![1, 2, 3], vec![4, 0, 6]],
            "c",
        )
        .unwrap();
        assert_eq!(table.row_totals(), vec![6, 10]);
        assert_eq!(table.column_totals(), vec![5, 2, 9]);
        assert_eq!(table.total(), 16);
    }

    #[test]
    fn add_counts_into_a_cell_and_refuses_a_missing_one() {
        let mut table = Table::new("t", labels(&["a"]), labels(&["x", "y"]), "c").unwrap();
        table.add(0, 1, 3).unwrap();
        table.add(0, 1, 2).unwrap();
        assert_eq!(table.cells(), &[vec![0, 5]]);
        assert_eq!(
            table.add(1, 0, 1),
            Err(TableError::NoSuchCell { row: 1, column: 0 })
        );
        assert_eq!(
            table.add(0, 2, 1),
            Err(TableError::NoSuchCell { row: 0, column: 2 })
        );
    }

    #[test]
    fn add_refuses_a_total_past_u64() {
        let mut table = Table::new("t", labels(&["a", "b"]), labels(&["x"]), "c").unwrap();
        table.add(0, 0, u64::MAX).unwrap();
        assert_eq!(table.add(1, 0, 1), Err(TableError::Overflow));
        assert_eq!(table.total(), u64::MAX);
    }

    #[test]
    fn wrong_shapes_are_errors() {
        let rows = labels(&["a", "b"]);
        let columns = labels(&["x", "y"]);
        assert_eq!(
            Table::from_cells("t", rows.clone(), columns.clone(), vec![vec![1, 2]], "c"),
            Err(TableError::RowCount { rows: 2, cells: 1 })
        );
        assert_eq!(
            Table::from_cells("t", rows, columns, vec![vec![1, 2], vec![3]], "c"),
            Err(TableError::ColumnCount {
                row: 1,
                columns: 2,
                cells: 1
            })
        );
        assert_eq!(
            Table::new("t", vec![], labels(&["x"]), "c"),
            Err(TableError::Empty)
        );
        assert_eq!(
            Table::new("t", labels(&["a", "a"]), labels(&["x"]), "c"),
            Err(TableError::DuplicateLabel("row", "a".into()))
        );
        assert_eq!(
            Table::from_cells(
                "t",
                labels(&["a", "b"]),
                labels(&["x"]),
                vec![vec![u64::MAX], vec![1]],
                "c"
            ),
            Err(TableError::Overflow)
        );
    }
}
