//! Which people each number of a table stands for, so that the tables of one report can be
//! released together: two numbers with the same key count the same people, in whichever tables
//! they stand, and must be shown or hidden alike (reporting.md §4.2, "linked tables").
//!
//! A key is a set of *facets*, each a restriction such as `served` or `trafficking=0` (the first
//! value of the axis `trafficking`): the people a number counts are those meeting every facet of
//! its table's universe, of its row and of its column. A total has a key only when the people it
//! adds up are each counted once: a row total when the columns divide people (each is in one
//! column), a column total when the rows do. A total of (person, row) pairs has none.

use std::collections::BTreeSet;

/// A table's links: its universe and each row's and column's facet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    /// The facets every number of the table meets.
    pub universe: Vec<String>,
    /// Each row's facet; `None` for a row of everyone in the universe.
    pub rows: Vec<Option<String>>,
    pub columns: Vec<Option<String>>,
    /// Whether each person is in at most one row (so a column total counts people).
    pub rows_divide: bool,
    /// Whether each person is in at most one column (so a row total counts people).
    pub columns_divide: bool,
}

/// The people a number counts, as a sorted set of facets.
pub(crate) type Key = BTreeSet<String>;

impl Links {
    /// The key of member `(i, j)` of the table's grid (cells, then totals in the last row and
    /// column, as `suppress.rs` lays them out); `None` for a total of pairs.
    pub(crate) fn key(&self, (i, j): (usize, usize)) -> Option<Key> {
        let (height, width) = (self.rows.len(), self.columns.len());
        let row = match i.cmp(&height) {
            std::cmp::Ordering::Less => Some(self.rows[i].as_ref()),
            // The row of column totals: everyone down the rows, counted once if rows divide.
            _ => self.rows_divide.then_some(None),
        }?;
        let column = match j.cmp(&width) {
            std::cmp::Ordering::Less => Some(self.columns[j].as_ref()),
            _ => self.columns_divide.then_some(None),
        }?;
        Some(
            self.universe
                .iter()
                .chain(row)
                .chain(column)
                .cloned()
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(rows_divide: bool) -> Links {
        Links {
            universe: vec!["served".into()],
            rows: vec![Some("kind=0".into()), Some("kind=1".into())],
            columns: vec![Some("new=0".into()), Some("new=1".into())],
            rows_divide,
            columns_divide: true,
        }
    }

    fn key(facets: &[&str]) -> Option<Key> {
        Some(facets.iter().map(|f| (*f).to_owned()).collect())
    }

    #[test]
    fn a_number_stands_for_its_universe_row_and_column() {
        let l = links(true);
        assert_eq!(l.key((1, 0)), key(&["served", "kind=1", "new=0"]));
        assert_eq!(l.key((0, 2)), key(&["served", "kind=0"]), "a row total");
        assert_eq!(l.key((2, 1)), key(&["served", "new=1"]), "a column total");
        assert_eq!(l.key((2, 2)), key(&["served"]), "the grand total");
    }

    #[test]
    fn a_total_of_pairs_stands_for_no_one() {
        let l = links(false);
        assert_eq!(l.key((0, 2)), key(&["served", "kind=0"]));
        assert_eq!(l.key((2, 1)), None);
        assert_eq!(l.key((2, 2)), None);
    }
}
