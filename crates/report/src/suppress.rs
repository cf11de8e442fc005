//! Which members of a table (cells and totals) public mode hides: reporting.md §4.4 with T = 11.
//!
//! The table and its totals are one grid of `(rows + 1) × (columns + 1)` members: the last row
//! holds the column totals, the last column the row totals, the corner the grand total. Each row
//! and each column of the grid is a *line*, whose last member is the sum of the others. So
//! there are four kinds of line, as the brief lists them: a row with its total, a column with its
//! total, the column totals with the grand total, and the row totals with the grand total.
//!
//! The steps, repeated until nothing changes:
//!
//! 1. primary: every member of 1..=10 is hidden (zeros are always shown);
//! 2. lines (CalHHS): in a line with hidden members, while only one member is hidden, or all hidden
//!    values are ≤ 3, or they sum to less than 11, the smallest visible non-zero member is hidden
//!    too; the line's own total last, then the smaller value, then the earlier position;
//! 3. exact check: a hidden member can be worked back from the visible ones exactly when it is a
//!    *bridge* of the graph of hidden members (below). The first such member, in row-major order,
//!    is joined into a cycle of hidden members by the cheapest path of non-zero members; then back
//!    to step 2.
//!
//! Why a bridge. Negate the totals (keep the grand total): then every line of the grid sums to
//! zero, and the grid is the incidence structure of the complete bipartite graph whose nodes are
//! its rows and columns and whose edges are its members. With the visible members substituted,
//! the hidden ones satisfy "at every node, the hidden edges sum to a known number"; the solutions
//! differ by the flows on the hidden graph, which are spanned by its cycles (alternating ±1
//! round a cycle, which is even because the graph is bipartite). So a hidden member is fixed
//! exactly when no cycle of hidden members runs through it: when it is a bridge. And when it is
//! not fixed, adding ±1 round a cycle keeps every member ≥ 0 (hidden members are never 0), so
//! not even the fact that counts are non-negative whole numbers pins it down. Each member can
//! still be bounded (a hidden 12 in a line whose visible members leave 15 is at most 15): that is
//! interval disclosure, which this check does not measure; the CalHHS rule of step 2 is what keeps
//! those intervals from being tight.
//!
//! Why a path always exists in step 3: a hidden member is non-zero, so its row total, column
//! total and the grand total are non-zero too, and those close a cycle of at most four members
//! through it (for a total, through a non-zero cell of its line). Every pass hides at least one
//! more member, so the loop ends; every choice is by a fixed order, so the result is
//! deterministic.
//!
//! When a line cannot grow: step 2 stops when the line has no visible non-zero member left; its
//! hidden values may then be few and small (in a one-row table each column total is its one cell,
//! so a column line is a pair of equal values). That line is still not differencing: with every
//! visible member zero, its equation only says that the hidden members balance each other, and
//! step 3 has made sure none of them is fixed by it together with the other lines.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// Values 1..THRESHOLD are small; 0 is not.
pub(crate) const THRESHOLD: u64 = 11;

/// CalHHS: hidden values that are all this small pin each other down too tightly.
const WEAK: u64 = 3;

/// Whether `n` is a small count, 1..=10, which may not be shown in public.
pub(crate) fn is_small(n: u64) -> bool {
    (1..THRESHOLD).contains(&n)
}

/// Which members of `grid` are hidden in public mode. `grid` is a table with its totals as
/// described in the module documentation: at least 2 × 2, every line summing to its last member.
pub(crate) fn hidden_members(grid: &[Vec<u64>]) -> Vec<Vec<bool>> {
    let none = grid.iter().map(|line| vec![false; line.len()]).collect();
    hidden_members_besides(grid, none)
}

/// The same, with `also` hidden from the start (members another table of the report hides):
/// whatever else their hiding takes in this table is hidden too. A zero is never hidden.
pub(crate) fn hidden_members_besides(grid: &[Vec<u64>], also: Vec<Vec<bool>>) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = grid
        .iter()
        .zip(also)
        .map(|(line, also)| {
            line.iter()
                .zip(also)
                .map(|(&n, also)| is_small(n) || (also && n > 0))
                .collect()
        })
        .collect();
    loop {
        protect_lines(grid, &mut hidden);
        match first_bridge(&hidden) {
            Some(bridge) => join_into_cycle(grid, &mut hidden, bridge),
            None => return hidden,
        }
    }
}

type Member = (usize, usize);

/// Every line of the grid, its total last: the rows, then the columns.
fn lines(height: usize, width: usize) -> Vec<Vec<Member>> {
    let rows = (0..height).map(|i| (0..width).map(|j| (i, j)).collect());
    let columns = (0..width).map(|j| (0..height).map(|i| (i, j)).collect());
    rows.chain(columns).collect()
}

fn is_total(grid: &[Vec<u64>], (i, j): Member) -> bool {
    i + 1 == grid.len() || grid.first().is_some_and(|line| j + 1 == line.len())
}

/// Step 2, until no line changes.
fn protect_lines(grid: &[Vec<u64>], hidden: &mut [Vec<bool>]) {
    let width = grid.first().map_or(0, Vec::len);
    let lines = lines(grid.len(), width);
    let mut changed = true;
    while changed {
        changed = false;
        for line in &lines {
            while too_weak(grid, hidden, line) {
                let Some((i, j)) = weakest_visible(grid, hidden, line) else {
                    break;
                };
                hidden[i][j] = true;
                changed = true;
            }
        }
    }
}

/// The CalHHS test: a line whose hidden values are one alone, all ≤ 3, or summing below T.
pub(crate) fn too_weak(grid: &[Vec<u64>], hidden: &[Vec<bool>], line: &[Member]) -> bool {
    let values: Vec<u64> = line
        .iter()
        .filter(|&&(i, j)| hidden[i][j])
        .map(|&(i, j)| grid[i][j])
        .collect();
    // A line's members sum to twice its total, which may pass u64::MAX.
    let sum: u128 = values.iter().map(|&n| u128::from(n)).sum();
    !values.is_empty()
        && (values.len() == 1 || values.iter().all(|&n| n <= WEAK) || sum < u128::from(THRESHOLD))
}

fn weakest_visible(grid: &[Vec<u64>], hidden: &[Vec<bool>], line: &[Member]) -> Option<Member> {
    line.iter()
        .copied()
        .enumerate()
        .filter(|&(_, (i, j))| !hidden[i][j] && grid[i][j] != 0)
        .min_by_key(|&(position, (i, j))| (position + 1 == line.len(), grid[i][j], position))
        .map(|(_, member)| member)
}

/// Nodes of the bipartite graph: grid rows are `0..height`, grid columns `height..`.
fn column_node(hidden: &[Vec<bool>], j: usize) -> usize {
    hidden.len() + j
}

/// The first hidden member, row-major, on no cycle of hidden members.
fn first_bridge(hidden: &[Vec<bool>]) -> Option<Member> {
    let mut members = hidden.iter().enumerate().flat_map(|(i, line)| {
        line.iter()
            .enumerate()
            .filter(|&(_, &h)| h)
            .map(move |(j, _)| (i, j))
    });
    members.find(|&member| is_bridge(hidden, member))
}

/// Whether hidden member `skip` is on no cycle of hidden members: its two ends are not joined by
/// other hidden members.
pub(crate) fn is_bridge(hidden: &[Vec<bool>], skip: Member) -> bool {
    let width = hidden.first().map_or(0, Vec::len);
    let target = column_node(hidden, skip.1);
    let mut seen = vec![false; hidden.len() + width];
    let mut stack = vec![skip.0];
    seen[skip.0] = true;
    while let Some(node) = stack.pop() {
        if node == target {
            return false;
        }
        for (next, member) in neighbours(hidden.len(), width, node) {
            if member != skip && hidden[member.0][member.1] && !seen[next] {
                seen[next] = true;
                stack.push(next);
            }
        }
    }
    true
}

/// The nodes next to `node` in the complete bipartite graph, with the member joining them.
fn neighbours(height: usize, width: usize, node: usize) -> impl Iterator<Item = (usize, Member)> {
    let (rows, columns) = if node < height {
        (node..node + 1, 0..width)
    } else {
        (0..height, node - height..node - height + 1)
    };
    rows.flat_map(move |i| columns.clone().map(move |j| (i, j)))
        .map(move |(i, j)| {
            let other = if node < height { height + j } else { i };
            (other, (i, j))
        })
}

/// What it costs to hide a path: new members, then new totals among them, then their sum.
type Cost = (usize, usize, u128);

/// Step 3: hide the visible members of the cheapest path of non-zero members that closes a
/// cycle through `bridge`.
fn join_into_cycle(grid: &[Vec<u64>], hidden: &mut [Vec<bool>], bridge: Member) {
    let height = grid.len();
    let width = grid.first().map_or(0, Vec::len);
    let start = column_node(hidden, bridge.1);
    let goal = bridge.0;
    let mut best: Vec<Option<Cost>> = vec![None; height + width];
    let mut came_by: Vec<Option<(usize, Member)>> = vec![None; height + width];
    let mut queue = BinaryHeap::new();
    best[start] = Some((0, 0, 0));
    queue.push(Reverse(((0, 0, 0), start)));
    while let Some(Reverse((cost, node))) = queue.pop() {
        if node == goal {
            break;
        }
        if best[node].is_some_and(|known| known < cost) {
            continue;
        }
        for (next, member) in neighbours(height, width, node) {
            let value = grid[member.0][member.1];
            if member == bridge || value == 0 {
                continue;
            }
            let step: Cost = if hidden[member.0][member.1] {
                (0, 0, 0)
            } else {
                (1, usize::from(is_total(grid, member)), u128::from(value))
            };
            let through = (cost.0 + step.0, cost.1 + step.1, cost.2 + step.2);
            if best[next].is_none_or(|known| through < known) {
                best[next] = Some(through);
                came_by[next] = Some((node, member));
                queue.push(Reverse((through, next)));
            }
        }
    }
    if best[goal].is_none() {
        // Cannot happen (module documentation: the totals always close a cycle). Should it
        // happen all the same, fail safe: hide every non-zero member.
        for (line, values) in hidden.iter_mut().zip(grid) {
            for (h, &n) in line.iter_mut().zip(values) {
                *h = *h || n != 0;
            }
        }
        return;
    }
    let mut node = goal;
    while let Some((previous, (i, j))) = came_by[node] {
        hidden[i][j] = true;
        node = previous;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_is_one_to_ten() {
        assert!(!is_small(0));
        assert!(is_small(1));
        assert!(is_small(10));
        assert!(!is_small(11));
    }

    #[test]
    fn neighbours_of_a_row_are_the_columns_and_back() {
        let from_row: Vec<_> = neighbours(2, 3, 1).collect();
        assert_eq!(from_row, vec![(2, (1, 0)), (3, (1, 1)), (4, (1, 2))]);
        let from_column: Vec<_> = neighbours(2, 3, 3).collect();
        assert_eq!(from_column, vec![(0, (0, 1)), (1, (1, 1))]);
    }

    #[test]
    fn a_bridge_is_found_and_a_cycle_is_not() {
        // Two hidden cells in a row share a row node but nothing else joins their columns.
        let mut hidden = vec![vec![false; 3]; 3];
        hidden[0][0] = true;
        hidden[0][1] = true;
        assert_eq!(first_bridge(&hidden), Some((0, 0)));
        hidden[1][0] = true;
        hidden[1][1] = true;
        assert_eq!(first_bridge(&hidden), None);
    }

    #[test]
    fn a_small_cell_among_zeros_takes_its_totals_and_more() {
        // The 3 is alone in its row and column, so its totals are 3 too. Showing the 40 in any
        // place would give the 3 as 43 - 40, so every non-zero member but the grand total goes.
        let grid = vec![vec![3, 0, 3], vec![0, 40, 40], vec![3, 40, 43]];
        let hidden = hidden_members(&grid);
        let expected = vec![
            vec![true, false, true],
            vec![false, true, true],
            vec![true, true, false],
        ];
        assert_eq!(hidden, expected);
    }
}
