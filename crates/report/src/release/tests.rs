//! Tests of both modes: the worked cases of reporting.md §4.4 and properties of random tables.

use proptest::prelude::*;

use super::*;
use crate::linear::determined;
use crate::suppress::{THRESHOLD, too_weak};

fn labels(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|k| format!("{prefix}{k}")).collect()
}

fn table(cells: Vec<Vec<u64>>) -> Table {
    let rows = labels("r", cells.len());
    let columns = labels("c", cells.first().map_or(0, Vec::len));
    Table::from_cells("t", rows, columns, cells, "counted").unwrap()
}

/// Shorthand for expected lines: `None` is hidden.
fn shown(values: &[Option<u64>]) -> Vec<Shown> {
    values
        .iter()
        .map(|v| v.map_or(Shown::Hidden, Shown::Count))
        .collect()
}

/// The released table as a grid like `release::grid`, hidden members as `None`.
fn released_grid(released: &Released) -> Vec<Vec<Shown>> {
    let totals = released.totals();
    let mut grid: Vec<Vec<Shown>> = released
        .cells()
        .iter()
        .zip(&totals.rows)
        .map(|(line, &total)| line.iter().copied().chain([total]).collect())
        .collect();
    grid.push(totals.columns.iter().copied().chain([totals.all]).collect());
    grid
}

fn hidden_mask(released: &Released) -> Vec<Vec<bool>> {
    released_grid(released)
        .iter()
        .map(|line| line.iter().map(|&s| s == Shown::Hidden).collect())
        .collect()
}

// The worked cases are single rows. A one-row table has, besides its row line, a column line per
// column holding the cell and its column total, which equals it; so whatever is hidden in the
// row is hidden in the row of column totals too, and those pairs cannot grow (suppress.rs).

#[test]
fn case_1_a_lone_small_cell_takes_the_next_smallest_with_it() {
    let released = release(&table(vec![vec![12, 3, 0, 15]]), Mode::Public);
    let row = shown(&[None, None, Some(0), Some(15)]);
    assert_eq!(released.cells(), std::slice::from_ref(&row));
    assert_eq!(released.totals().rows, vec![Shown::Count(30)]);
    assert_eq!(released.totals().columns, row);
    assert_eq!(released.totals().all, Shown::Count(30));
    assert!(released.small_cells().is_empty());
}

#[test]
fn case_2_small_cells_summing_below_eleven_take_one_more() {
    let released = release(&table(vec![vec![5, 2, 20]]), Mode::Public);
    let row = shown(&[None, None, None]);
    assert_eq!(released.cells(), std::slice::from_ref(&row));
    assert_eq!(released.totals().rows, vec![Shown::Count(27)]);
    assert_eq!(released.totals().columns, row);
    assert_eq!(released.totals().all, Shown::Count(27));
}

#[test]
fn case_3_zeros_are_shown_and_nothing_is_hidden() {
    let released = release(&table(vec![vec![0, 0, 40]]), Mode::Public);
    let row = shown(&[Some(0), Some(0), Some(40)]);
    assert_eq!(released.cells(), std::slice::from_ref(&row));
    assert_eq!(released.totals().columns, row);
    assert_eq!(released.totals().all, Shown::Count(40));
}

#[test]
fn case_1_as_a_column_is_the_same_transposed() {
    let released = release(
        &table(vec![vec![12], vec![3], vec![0], vec![15]]),
        Mode::Public,
    );
    let column = shown(&[None, None, Some(0), Some(15)]);
    let cells: Vec<Shown> = released.cells().iter().map(|line| line[0]).collect();
    assert_eq!(cells, column);
    assert_eq!(released.totals().rows, column);
    assert_eq!(released.totals().columns, vec![Shown::Count(30)]);
}

// Case 4 of §4.4 (a percentage of a hidden cell) has no counterpart here: a Table holds counts
// only, and every released format derives nothing from them.

#[test]
fn a_small_total_is_hidden_even_when_its_cells_are_zero_or_hidden() {
    let released = release(&table(vec![vec![4, 0], vec![30, 25]]), Mode::Public);
    assert_eq!(released.totals().rows[0], Shown::Hidden);
    assert!(determined(&hidden_mask(&released)).is_empty());
}

#[test]
fn exact_mode_shows_everything_and_lists_small_cells() {
    let t = table(vec![vec![12, 3, 0], vec![10, 11, 1]]);
    let released = release(&t, Mode::Exact);
    assert_eq!(released.mode(), Mode::Exact);
    assert_eq!(
        released.cells(),
        &[
            shown(&[Some(12), Some(3), Some(0)]),
            shown(&[Some(10), Some(11), Some(1)])
        ]
    );
    assert_eq!(
        released.totals(),
        &Totals {
            rows: shown(&[Some(15), Some(22)]),
            columns: shown(&[Some(22), Some(14), Some(1)]),
            all: Shown::Count(37),
        }
    );
    assert_eq!(released.small_cells(), &[(0, 1), (1, 0), (1, 2)]);
}

#[test]
fn modes_parse_and_print() {
    assert_eq!("exact".parse::<Mode>(), Ok(Mode::Exact));
    assert_eq!("public".parse::<Mode>(), Ok(Mode::Public));
    assert!("Public".parse::<Mode>().is_err());
    assert_eq!(Mode::Public.as_str(), "public");
    assert_eq!(Mode::Exact.to_string(), "exact");
}

#[test]
fn shown_serialises_as_a_number_or_a_star() {
    let json = serde_json::to_string(&[Shown::Count(12), Shown::Hidden]).unwrap();
    assert_eq!(json, r#"[12,"*"]"#);
}

/// Counts biased to what matters: zeros, small counts, counts just past the threshold, and some
/// large ones.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![
        3 => Just(0u64),
        5 => 1..THRESHOLD,
        3 => THRESHOLD..40,
        1 => 40..100_000u64,
    ]
}

fn random_table() -> impl Strategy<Value = Table> {
    (1..=6usize, 1..=6usize)
        .prop_flat_map(|(rows, columns)| {
            proptest::collection::vec(proptest::collection::vec(count(), columns), rows)
        })
        .prop_map(table)
}

/// The grid's lines as suppress.rs forms them: rows, then columns, total last.
fn lines(height: usize, width: usize) -> Vec<Vec<(usize, usize)>> {
    let rows = (0..height).map(|i| (0..width).map(|j| (i, j)).collect());
    let columns = (0..width).map(|j| (0..height).map(|i| (i, j)).collect());
    rows.chain(columns).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn public_release_is_safe(t in random_table()) {
        let released = release(&t, Mode::Public);
        let exact = grid(&t);
        let public = released_grid(&released);
        let hidden = hidden_mask(&released);
        for (exact_line, public_line) in exact.iter().zip(&public) {
            for (&n, &s) in exact_line.iter().zip(public_line) {
                match s {
                    // a. and b.: what is shown is exact and never small.
                    Shown::Count(m) => {
                        prop_assert_eq!(m, n);
                        prop_assert!(!is_small(m));
                    }
                    // Zeros are always shown.
                    Shown::Hidden => prop_assert_ne!(n, 0),
                }
            }
        }
        // c. No hidden member is fixed by the table's equations.
        prop_assert_eq!(determined(&hidden), vec![]);
        // d. Every line passes the CalHHS test, or has nothing visible left to hide.
        for line in lines(exact.len(), exact[0].len()) {
            if too_weak(&exact, &hidden, &line) {
                let hidden_count = line.iter().filter(|&&(i, j)| hidden[i][j]).count();
                prop_assert!(hidden_count >= 2);
                prop_assert!(line.iter().all(|&(i, j)| hidden[i][j] || exact[i][j] == 0));
            }
        }
        prop_assert!(released.small_cells().is_empty());
    }

    #[test]
    fn exact_release_shows_every_count(t in random_table()) {
        let released = release(&t, Mode::Exact);
        let shown: Vec<Vec<Shown>> = grid(&t)
            .iter()
            .map(|line| line.iter().map(|&n| Shown::Count(n)).collect())
            .collect();
        prop_assert_eq!(released_grid(&released), shown);
        let small: Vec<(usize, usize)> = t.cells().iter().enumerate()
            .flat_map(|(i, line)| line.iter().enumerate()
                .filter(|&(_, &n)| (1..=10).contains(&n))
                .map(move |(j, _)| (i, j)))
            .collect();
        prop_assert_eq!(released.small_cells(), &small[..]);
    }

    /// The graph argument of suppress.rs (fixed iff a bridge) agrees with the linear algebra,
    /// on any pattern of hidden members, not only the ones suppression makes.
    #[test]
    fn bridges_are_exactly_the_determined_members(
        (height, width, bits) in (2..=7usize, 2..=7usize)
            .prop_flat_map(|(h, w)| (Just(h), Just(w), proptest::collection::vec(any::<bool>(), h * w)))
    ) {
        let hidden: Vec<Vec<bool>> = bits.chunks(width).map(<[bool]>::to_vec).collect();
        let bridges: Vec<(usize, usize)> = (0..height)
            .flat_map(|i| (0..width).map(move |j| (i, j)))
            .filter(|&(i, j)| hidden[i][j] && crate::suppress::is_bridge(&hidden, (i, j)))
            .collect();
        prop_assert_eq!(bridges, determined(&hidden));
    }

}
