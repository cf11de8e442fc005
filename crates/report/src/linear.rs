//! Test-only: which hidden members of a table can be worked back from the visible ones, by exact
//! linear algebra, independent of the graph argument that `suppress.rs` relies on.
//!
//! The unknowns are the hidden members of the grid (table plus totals, as in `suppress.rs`); each
//! line gives one equation, "its other members sum to its last", with the visible values moved to
//! the right-hand side. A hidden member is determined iff its unit vector lies in the row space
//! of the coefficient matrix. The matrix is reduced to reduced row echelon form in exact integer
//! arithmetic (every row kept divided by its gcd), where that holds iff the member's column is a
//! pivot and its pivot row has no other non-zero entry.

/// The hidden members, `(row, column)` of the grid, that the visible ones determine.
pub(crate) fn determined(hidden: &[Vec<bool>]) -> Vec<(usize, usize)> {
    let height = hidden.len();
    let width = hidden.first().map_or(0, Vec::len);
    let unknowns: Vec<(usize, usize)> = (0..height)
        .flat_map(|i| (0..width).map(move |j| (i, j)))
        .filter(|&(i, j)| hidden[i][j])
        .collect();
    let index = |member: (usize, usize)| unknowns.iter().position(|&m| m == member);
    let mut matrix: Vec<Vec<i128>> = Vec::new();
    let row_lines = (0..height).map(|i| (0..width).map(move |j| (i, j)).collect::<Vec<_>>());
    let column_lines = (0..width).map(|j| (0..height).map(move |i| (i, j)).collect::<Vec<_>>());
    for line in row_lines.chain(column_lines) {
        let mut equation = vec![0i128; unknowns.len()];
        for (position, &member) in line.iter().enumerate() {
            if let Some(k) = index(member) {
                equation[k] = if position + 1 == line.len() { -1 } else { 1 };
            }
        }
        matrix.push(equation);
    }
    let pivots = reduce(&mut matrix, unknowns.len());
    pivots
        .into_iter()
        .filter(|&(row, column)| {
            matrix[row]
                .iter()
                .enumerate()
                .all(|(k, &a)| k == column || a == 0)
        })
        .map(|(_, column)| unknowns[column])
        .collect()
}

/// Reduced row echelon form in place; returns `(row, column)` of each pivot.
fn reduce(matrix: &mut [Vec<i128>], columns: usize) -> Vec<(usize, usize)> {
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
                *x = x.checked_mul(p).unwrap() - y.checked_mul(a).unwrap();
            }
            normalise(row);
        }
        pivots.push((next_row, column));
        next_row += 1;
    }
    pivots
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
