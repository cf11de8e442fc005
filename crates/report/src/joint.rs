//! Public mode over a whole report: its tables released together. Each table is suppressed as
//! `suppress.rs` does one, and then two rules tie them:
//!
//! 1. a number hidden in one table is hidden wherever it stands (`links.rs`: the same key, the
//!    same people), with what that takes in each table it stands in;
//! 2. no hidden number may be worked out from every table's equations together, the numbers
//!    that stand in several tables being one unknown (`linear.rs`). While one can, the smallest
//!    visible non-zero number of a line it is in is hidden too.
//!
//! Each pass hides at least one more number, so it ends. Once every non-zero number is hidden
//! nothing can be worked out (the equations have no known number left), so it ends safe.

use std::collections::BTreeMap;

use crate::linear::{Equation, determined_unknowns};
use crate::links::Key;
use crate::release::grid;
use crate::suppress::hidden_members_besides;
use crate::table::Table;

type Grid<T> = Vec<Vec<T>>;
/// A number of the report: its table, then its row and column in that table's grid.
type Place = (usize, usize, usize);

/// Which numbers of each table's grid public mode hides, the tables taken together.
pub(crate) fn hidden_together(tables: &[Table]) -> Vec<Grid<bool>> {
    let grids: Vec<Grid<u64>> = tables.iter().map(grid).collect();
    let keys: Vec<Grid<Option<Key>>> = tables
        .iter()
        .zip(&grids)
        .map(|(table, g)| {
            g.iter()
                .enumerate()
                .map(|(i, line)| {
                    (0..line.len())
                        .map(|j| table.links().and_then(|l| l.key((i, j))))
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut also: Vec<Grid<bool>> = grids
        .iter()
        .map(|g| g.iter().map(|line| vec![false; line.len()]).collect())
        .collect();
    loop {
        let hidden: Vec<Grid<bool>> = grids
            .iter()
            .zip(&also)
            .map(|(g, a)| hidden_members_besides(g, a.clone()))
            .collect();
        if hide_everywhere(&keys, &hidden, &mut also) {
            continue;
        }
        let Some(worked_out) = first_worked_out(&grids, &keys, &hidden) else {
            return hidden;
        };
        match beside(&grids, &hidden, worked_out) {
            Some((t, i, j)) => also[t][i][j] = true,
            // Nothing non-zero is left to hide.
            None => return hidden,
        }
    }
}

/// Rule 1: marks in `also` every number visible somewhere that is hidden elsewhere; whether any.
fn hide_everywhere(
    keys: &[Grid<Option<Key>>],
    hidden: &[Grid<bool>],
    also: &mut [Grid<bool>],
) -> bool {
    let hidden_keys: Vec<&Key> = places(hidden)
        .filter(|&(t, i, j)| hidden[t][i][j])
        .filter_map(|(t, i, j)| keys[t][i][j].as_ref())
        .collect();
    let mut grew = false;
    for (t, i, j) in places(hidden) {
        if !hidden[t][i][j]
            && keys[t][i][j]
                .as_ref()
                .is_some_and(|k| hidden_keys.contains(&k))
        {
            also[t][i][j] = true;
            grew = true;
        }
    }
    grew
}

/// Rule 2: the first hidden number (in table, then grid order) that the equations of all the
/// tables together determine. When the arithmetic cannot say, the first hidden number, so that
/// more is hidden rather than less.
fn first_worked_out(
    grids: &[Grid<u64>],
    keys: &[Grid<Option<Key>>],
    hidden: &[Grid<bool>],
) -> Option<Place> {
    // One unknown per hidden number, numbers of one key sharing one.
    let mut unknown_of_key: BTreeMap<&Key, usize> = BTreeMap::new();
    let mut unknowns: BTreeMap<Place, usize> = BTreeMap::new();
    let mut count = 0;
    for place @ (t, i, j) in places(hidden).filter(|&(t, i, j)| hidden[t][i][j]) {
        let unknown = match &keys[t][i][j] {
            Some(key) => *unknown_of_key.entry(key).or_insert_with(|| {
                count += 1;
                count - 1
            }),
            None => {
                count += 1;
                count - 1
            }
        };
        unknowns.insert(place, unknown);
    }
    let mut equations: Vec<Equation> = Vec::new();
    for (t, g) in grids.iter().enumerate() {
        let (height, width) = (g.len(), g.first().map_or(0, Vec::len));
        let rows = (0..height).map(|i| (0..width).map(move |j| (i, j)).collect::<Vec<_>>());
        let columns = (0..width).map(|j| (0..height).map(move |i| (i, j)).collect::<Vec<_>>());
        for line in rows.chain(columns) {
            let last = line.len() - 1;
            equations.push(
                line.iter()
                    .enumerate()
                    .filter_map(|(at, &(i, j))| {
                        let sign = if at == last { -1 } else { 1 };
                        unknowns.get(&(t, i, j)).map(|&k| (k, sign))
                    })
                    .collect(),
            );
        }
    }
    let first_hidden = unknowns.keys().next().copied();
    match determined_unknowns(&equations, count) {
        Some(fixed) => unknowns
            .iter()
            .find(|(_, k)| fixed.binary_search(k).is_ok())
            .map(|(&place, _)| place),
        None => first_hidden,
    }
}

/// The number to hide next for `(t, i, j)`: the smallest visible non-zero number of its row or
/// column in its table, else of its table, else of the report (ties by place).
fn beside(grids: &[Grid<u64>], hidden: &[Grid<bool>], (t, i, j): Place) -> Option<Place> {
    let visible = |&(t, i, j): &Place| !hidden[t][i][j] && grids[t][i][j] > 0;
    let smallest = |candidates: Vec<Place>| {
        candidates
            .into_iter()
            .filter(visible)
            .min_by_key(|&(t, i, j)| (grids[t][i][j], t, i, j))
    };
    let g = &grids[t];
    let lines: Vec<Place> = (0..g[i].len())
        .map(|c| (t, i, c))
        .chain((0..g.len()).map(|r| (t, r, j)))
        .collect();
    let table: Vec<Place> = places(hidden).filter(|p| p.0 == t).collect();
    smallest(lines)
        .or_else(|| smallest(table))
        .or_else(|| smallest(places(hidden).collect()))
}

/// Every number of the report, in order.
fn places(grids: &[Grid<bool>]) -> impl Iterator<Item = Place> + '_ {
    grids.iter().enumerate().flat_map(|(t, g)| {
        g.iter()
            .enumerate()
            .flat_map(move |(i, line)| (0..line.len()).map(move |j| (t, i, j)))
    })
}

#[cfg(test)]
mod tests;
