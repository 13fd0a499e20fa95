//! The neighbours of one row (the Embedding Comparator's view, the Projector's "nearest
//! points"): its k nearest rows by Euclidean distance in the input, in A's latents and in B's,
//! and which of them the lists share. Distances are summed in f64; ties go to the lower row;
//! rows with a non-finite coordinate are never neighbours.

use ndarray::ArrayView2;

use crate::error::{Error, Result};

/// The k nearest rows of a row in one space, nearest first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NeighbourList {
    /// Row numbers.
    pub rows: Vec<usize>,
    /// Their Euclidean distances to the row.
    pub distances: Vec<f64>,
}

impl NeighbourList {
    /// True when `row` is in the list.
    pub fn contains(&self, row: usize) -> bool {
        self.rows.contains(&row)
    }
}

/// A row's neighbours in the input and in the two latent spaces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PointNeighbours {
    /// The row whose neighbours these are.
    pub row: usize,
    /// Nearest rows in the input the methods were fitted on.
    pub input: NeighbourList,
    /// Nearest rows in A's latents.
    pub a: NeighbourList,
    /// Nearest rows in B's latents.
    pub b: NeighbourList,
}

impl PointNeighbours {
    /// Every row in any of the three lists, ascending.
    pub fn all_rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = [&self.input, &self.a, &self.b]
            .iter()
            .flat_map(|l| l.rows.iter().copied())
            .collect();
        rows.sort_unstable();
        rows.dedup();
        rows
    }

    /// Rows in all three lists, in the input's order.
    pub fn shared_by_all(&self) -> Vec<usize> {
        (self.input.rows.iter().copied())
            .filter(|&r| self.a.contains(r) && self.b.contains(r))
            .collect()
    }
}

/// The `k` nearest rows of `row` in `input` (n × D) and in the latents `a` and `b` (n rows
/// each). Errors when the row counts differ, `row` is past the end, or `k` is 0.
pub fn point_neighbours(
    row: usize,
    input: ArrayView2<'_, f32>,
    (a, b): (ArrayView2<'_, f32>, ArrayView2<'_, f32>),
    k: usize,
) -> Result<PointNeighbours> {
    let n = input.nrows();
    if a.nrows() != n || b.nrows() != n {
        return Err(Error::InvalidInput(format!(
            "the input has {n} rows but the latents {} and {}",
            a.nrows(),
            b.nrows()
        )));
    }
    if row >= n {
        return Err(Error::InvalidInput(format!(
            "row {row} is past the last row ({})",
            n.saturating_sub(1)
        )));
    }
    if k == 0 {
        return Err(Error::InvalidInput("ask for at least 1 neighbour".into()));
    }
    Ok(PointNeighbours {
        row,
        input: nearest(input, row, k),
        a: nearest(a, row, k),
        b: nearest(b, row, k),
    })
}

/// The `k` rows of `x` nearest to row `row` (itself excluded), nearest first, ties by row.
fn nearest(x: ArrayView2<'_, f32>, row: usize, k: usize) -> NeighbourList {
    let centre = x.row(row);
    let mut found: Vec<(f64, usize)> = x
        .rows()
        .into_iter()
        .enumerate()
        .filter(|&(r, _)| r != row)
        .filter_map(|(r, other)| {
            let d2: f64 = centre
                .iter()
                .zip(other.iter())
                .map(|(&p, &q)| {
                    let d = f64::from(p) - f64::from(q);
                    d * d
                })
                .sum();
            d2.is_finite().then_some((d2, r))
        })
        .collect();
    let k = k.min(found.len());
    if k == 0 {
        return NeighbourList::default();
    }
    let by_distance = |p: &(f64, usize), q: &(f64, usize)| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1));
    if k < found.len() {
        found.select_nth_unstable_by(k - 1, by_distance);
        found.truncate(k);
    }
    found.sort_unstable_by(by_distance);
    NeighbourList {
        rows: found.iter().map(|&(_, r)| r).collect(),
        distances: found.iter().map(|&(d2, _)| d2.sqrt()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn neighbours_of_a_row_in_three_spaces_with_ties_to_the_lower_row() {
        // points on a line: row 2 at 2.0 has rows 1 and 3 at distance 1 (tie → 1 first)
        let input = array![[0.0f32], [1.0], [2.0], [3.0], [5.0], [9.0]];
        // A: the same order; B: row 5 moved next to row 2, row 0 not finite
        let a = array![
            [0.0f32, 0.0],
            [1.0, 0.0],
            [2.0, 0.0],
            [3.0, 0.0],
            [5.0, 0.0],
            [9.0, 0.0]
        ];
        let b = array![
            [f32::NAN, 0.0],
            [1.0, 0.0],
            [2.0, 0.0],
            [3.5, 0.0],
            [5.0, 0.0],
            [2.0, 0.5]
        ];
        let p = point_neighbours(2, input.view(), (a.view(), b.view()), 3).unwrap();
        assert_eq!(p.input.rows, [1, 3, 0]);
        assert_eq!(p.input.distances, [1.0, 1.0, 2.0]);
        assert_eq!(p.a.rows, [1, 3, 0]);
        assert_eq!(p.b.rows, [5, 1, 3]);
        assert_eq!(p.b.distances, [0.5, 1.0, 1.5]);
        assert_eq!(p.shared_by_all(), [1, 3]);
        assert_eq!(p.all_rows(), [0, 1, 3, 5]);
        // k past the rows gives every other (finite) row
        let all = point_neighbours(0, input.view(), (a.view(), b.view()), 50).unwrap();
        assert_eq!(all.input.rows.len(), 5);
        assert!(all.b.rows.is_empty(), "a non-finite row has no distances");
    }

    #[test]
    fn neighbours_match_a_full_sort_and_bad_requests_are_errors() {
        let x = Array2::from_shape_fn((200, 7), |(i, j)| {
            (crate::plot::hash::mix64((i * 7 + j) as u64) % 1000) as f32 / 100.0
        });
        let p = point_neighbours(17, x.view(), (x.view(), x.view()), 12).unwrap();
        let mut all: Vec<(f64, usize)> = (0..200)
            .filter(|&r| r != 17)
            .map(|r| {
                let d: f64 = (0..7)
                    .map(|j| (f64::from(x[[r, j]]) - f64::from(x[[17, j]])).powi(2))
                    .sum();
                (d.sqrt(), r)
            })
            .collect();
        all.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.cmp(&q.1)));
        let want: Vec<usize> = all[..12].iter().map(|&(_, r)| r).collect();
        assert_eq!(p.input.rows, want);
        for (got, (d, _)) in p.input.distances.iter().zip(&all) {
            assert!((got - d).abs() < 1e-12);
        }
        assert_eq!(p.shared_by_all(), want);
        let short = Array2::<f32>::zeros((5, 2));
        assert!(point_neighbours(0, x.view(), (short.view(), x.view()), 3).is_err());
        assert!(point_neighbours(200, x.view(), (x.view(), x.view()), 3).is_err());
        assert!(point_neighbours(0, x.view(), (x.view(), x.view()), 0).is_err());
    }
}
