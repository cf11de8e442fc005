//! Which hidden numbers can be worked back from the visible ones, by exact linear algebra.
//!
//! A system is a list of equations, each "these members sum to zero" once the visible members are
//! moved to the other side: an unknown is a hidden member (or several, known to be equal, sharing
//! one unknown), its coefficient `1` or `-1`. An unknown is determined iff its unit vector lies
//! in the row space of the coefficient matrix. The matrix is reduced to reduced row echelon form
//! in exact integer arithmetic (every row kept divided by its gcd), where that holds iff the
//! unknown's column is a pivot and its pivot row has no other non-zero entry.
//!
//! Used two ways: by the joint release of a report's tables (`joint.rs`), whose tables share
//! numbers, and in the tests as an oracle for the graph argument of `suppress.rs`.

/// An equation: `(unknown, coefficient)` pairs summing to a known number.
pub(crate) type Equation = Vec<(usize, i128)>;

/// The unknowns of `unknowns` that the equations determine, in increasing order; `None` when the
/// arithmetic would overflow (the caller must then assume the worst).
pub(crate) fn determined_unknowns(equations: &[Equation], unknowns: usize) -> Option<Vec<usize>> {
    let mut matrix: Vec<Vec<i128>> = equations
        .iter()
        .map(|equation| {
            let mut row = vec![0i128; unknowns];
            for &(k, a) in equation {
                if let Some(x) = row.get_mut(k) {
                    *x += a;
                }
            }
            row
        })
        .collect();
    let pivots = reduce(&mut matrix, unknowns)?;
    let mut fixed: Vec<usize> = pivots
        .into_iter()
        .filter(|&(row, column)| {
            matrix[row]
                .iter()
                .enumerate()
                .all(|(k, &a)| k == column || a == 0)
        })
        .map(|(_, column)| column)
        .collect();
    fixed.sort_unstable();
    Some(fixed)
}

/// The hidden members, `(row, column)` of one table's grid, that its visible ones determine.
#[cfg(test)]
pub(crate) fn determined(hidden: &[Vec<bool>]) -> Vec<(usize, usize)> {
    let height = hidden.len();
    let width = hidden.first().map_or(0, Vec::len);
    let unknowns: Vec<(usize, usize)> = (0..height)
        .flat_map(|i| (0..width).map(move |j| (i, j)))
        .filter(|&(i, j)| hidden[i][j])
        .collect();
    let index = |member: (usize, usize)| unknowns.iter().position(|&m| m == member);
    let row_lines = (0..height).map(|i| (0..width).map(move |j| (i, j)).collect::<Vec<_>>());
    let column_lines = (0..width).map(|j| (0..height).map(move |i| (i, j)).collect::<Vec<_>>());
    let equations: Vec<Equation> = row_lines
        .chain(column_lines)
        .map(|line| {
            line.iter()
                .enumerate()
                .filter_map(|(position, &member)| {
                    let sign = if position + 1 == line.len() { -1 } else { 1 };
                    index(member).map(|k| (k, sign))
                })
                .collect()
        })
        .collect();
    determined_unknowns(&equations, unknowns.len())
        .unwrap_or_default()
        .into_iter()
        .map(|k| unknowns[k])
        .collect()
}

/// Reduced row echelon form in place; returns `(row, column)` of each pivot.
fn reduce(matrix: &mut [Vec<i128>], columns: usize) -> Option<Vec<(usize, usize)>> {
    let mut pivots = Vec::new();
    let mut next_row = 0;
    for column in 0..columns {
        let Some(found) = (next_row..matrix.len()).find(|&r| matrix[r][column] != 0) else {
            continue;
        };
        matrix.swap(next_row, found);
        let pivot_row = matrix[next_row].clone();
        let p = pivot_row[column];
        for (r, row) in matrix.iter_mut().enumerate() {
            if r == next_row || row[column] == 0 {
                continue;
            }
            let a = row[column];
            for (x, &y) in row.iter_mut().zip(&pivot_row) {
                *x = x.checked_mul(p)?.checked_sub(y.checked_mul(a)?)?;
            }
            normalise(row);
        }
        pivots.push((next_row, column));
        next_row += 1;
    }
    Some(pivots)
}

fn normalise(row: &mut [i128]) {
    let g = row.iter().fold(0i128, |g, &x| gcd(g, x.abs()));
    if g > 1 {
        row.iter_mut().for_each(|x| *x /= g);
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_hidden_cell_in_a_row_is_determined() {
        let mut hidden = vec![vec![false; 3]; 3];
        hidden[0][0] = true;
        assert_eq!(determined(&hidden), vec![(0, 0)]);
    }

    #[test]
    fn a_rectangle_of_hidden_cells_is_not() {
        let mut hidden = vec![vec![false; 3]; 3];
        for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
            hidden[i][j] = true;
        }
        assert!(determined(&hidden).is_empty());
    }

    #[test]
    fn two_hidden_in_a_row_are_determined_by_their_columns() {
        let mut hidden = vec![vec![false; 3]; 3];
        hidden[0][0] = true;
        hidden[0][1] = true;
        assert_eq!(determined(&hidden), vec![(0, 0), (0, 1)]);
    }

    #[test]
    fn a_hidden_total_is_an_unknown_too() {
        // Cell, its row total, the column total and the grand total: a cycle of four.
        let mut hidden = vec![vec![false; 2]; 2];
        hidden[0][0] = true;
        hidden[0][1] = true;
        assert_eq!(determined(&hidden), vec![(0, 0), (0, 1)]);
        hidden[1][0] = true;
        hidden[1][1] = true;
        assert!(determined(&hidden).is_empty());
    }
}
