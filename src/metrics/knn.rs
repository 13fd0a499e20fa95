//! Brute-force k-nearest-neighbour classification, as scikit-learn's
//! `KNeighborsClassifier(n_neighbors=k)` (uniform weights, Euclidean) predicts:
//!
//! - squared distances are exact, Σⱼ (tⱼ − xⱼ)² in f64 summed in column order, as scikit-learn's
//!   KD tree and brute-force search compute them (no ‖t‖² + ‖x‖² − 2t·x shortcut, whose rounding
//!   would reorder near ties);
//! - the k nearest training rows by (distance, row index): of training rows at exactly the same
//!   distance the earlier row counts, as in scikit-learn's brute-force search (its KD tree, which
//!   it picks for up to 15 columns, breaks such exact ties by its tree order instead);
//! - majority vote among them; a tie between classes goes to the smallest class index, as
//!   scikit-learn's mode over its sorted `classes_` does.
//!
//! Memory: a repacked f64 copy of the training rows and, per thread, the k best so far; never a
//! test × train matrix.

use ndarray::{ArrayView2, Axis};

use crate::parallel;

/// Up to this many columns (latent widths 1 to 3) and from [`SORTED_MIN_ROWS`] training rows,
/// the search goes through [`SortedRows`]: on 224 000 2-D rows it measures about a thousand
/// rows per query instead of all (a 280 000-row run's k-NN accuracy took 14 s measuring all).
const SORTED_MAX_COLUMNS: usize = 3;
/// Fewer training rows are all measured (the sort would cost more than it saves).
const SORTED_MIN_ROWS: usize = 4096;

/// Training rows whose distances are computed together, in registers (one vector loop).
const LANES: usize = 8;

/// Class index predicted for each row of `test` by a vote of its `k` nearest rows of `train`.
///
/// `train_class[i] < n_classes` is the class index of training row `i`; inputs are finite (the
/// caller checks), `k ≥ 1` and `train` has at least `k` rows.
pub fn predict(
    train: ArrayView2<f32>,
    train_class: &[usize],
    n_classes: usize,
    test: ArrayView2<f32>,
    k: usize,
) -> Vec<usize> {
    Voter::new(train, train_class, n_classes, k).predict_rows(test)
}

struct Voter<'a> {
    /// The training rows in groups of [`LANES`]: group g holds, for each column j, the values
    /// of rows `g·LANES ..` in column j side by side; the last group is padded with +∞.
    packed: Vec<f64>,
    n_train: usize,
    n_columns: usize,
    train_class: &'a [usize],
    n_classes: usize,
    k: usize,
    /// For few columns and many rows: the rows sorted by their first column, searched outward
    /// from the query (`None`: every row is measured).
    sorted: Option<SortedRows>,
}

/// The training rows ordered by (first column, row): a query's nearest rows lie among those
/// whose first column is near the query's, so the search stops once the gap in that column
/// alone exceeds the k-th distance found. Exact: the same distances, the same k rows.
struct SortedRows {
    /// Row index of each sorted row.
    row: Vec<usize>,
    /// Its first column.
    first: Vec<f64>,
    /// Its values, row-major (`n_columns` per row).
    values: Vec<f64>,
}

impl<'a> Voter<'a> {
    fn new(train: ArrayView2<f32>, train_class: &'a [usize], n_classes: usize, k: usize) -> Self {
        let (n_train, d) = train.dim();
        let groups = n_train.div_ceil(LANES);
        let mut packed = vec![f64::INFINITY; groups * d * LANES];
        for (i, row) in train.rows().into_iter().enumerate() {
            let (group, lane) = (i / LANES, i % LANES);
            for (j, &v) in row.iter().enumerate() {
                packed[(group * d + j) * LANES + lane] = f64::from(v);
            }
        }
        let sorted = (d <= SORTED_MAX_COLUMNS && n_train >= SORTED_MIN_ROWS && d > 0)
            .then(|| SortedRows::new(train));
        Voter {
            packed,
            n_train,
            n_columns: d,
            train_class,
            n_classes,
            k,
            sorted,
        }
    }

    /// Splits the rows in two halves on the two threads while the work is large.
    fn predict_rows(&self, test: ArrayView2<f32>) -> Vec<usize> {
        let work = test.nrows() * self.packed.len();
        if test.nrows() >= 2 && work >= parallel::LARGE {
            let (top, bottom) = test.split_at(Axis(0), test.nrows() / 2);
            let (mut a, b) =
                parallel::join(|| self.predict_rows(top), || self.predict_rows(bottom));
            a.extend(b);
            return a;
        }
        let mut nearest = Vec::with_capacity(self.k + 1);
        let mut row = Vec::with_capacity(test.ncols());
        test.rows()
            .into_iter()
            .map(|t| {
                row.clear();
                row.extend(t.iter().map(|&v| f64::from(v)));
                self.find_nearest(&row, &mut nearest);
                self.vote(&nearest)
            })
            .collect()
    }

    /// Fills `nearest` with the k nearest training rows of `t` as (squared distance, row),
    /// ordered by distance then row.
    fn find_nearest(&self, t: &[f64], nearest: &mut Vec<(f64, usize)>) {
        match &self.sorted {
            Some(sorted) => sorted.find_nearest(t, self.k, nearest),
            None => self.measure_all(t, nearest),
        }
    }

    /// [`Self::find_nearest`] by measuring every training row.
    fn measure_all(&self, t: &[f64], nearest: &mut Vec<(f64, usize)>) {
        nearest.clear();
        // the k-th smallest distance so far; +∞ until there are k (padding never gets in)
        let mut worst = f64::INFINITY;
        let group_len = self.n_columns * LANES;
        for (group, values) in self.packed.chunks_exact(group_len.max(1)).enumerate() {
            let mut d2 = [0.0f64; LANES];
            for (column, &tj) in values.chunks_exact(LANES).zip(t) {
                for (sum, &x) in d2.iter_mut().zip(column) {
                    let diff = tj - x;
                    *sum += diff * diff;
                }
            }
            if !d2.iter().any(|&d| d < worst) {
                continue;
            }
            for (lane, &d) in d2.iter().enumerate() {
                // rows come in increasing order, so a row at the k-th distance stays out, and
                // among equal distances a new row goes last
                if d < worst {
                    if nearest.len() == self.k {
                        nearest.pop();
                    }
                    let at = nearest.partition_point(|&(e, _)| e <= d);
                    nearest.insert(at, (d, group * LANES + lane));
                    if nearest.len() == self.k {
                        worst = nearest[self.k - 1].0;
                    }
                }
            }
        }
        debug_assert!(nearest.iter().all(|&(_, row)| row < self.n_train));
    }

    /// The class with the most votes among `nearest`; the smallest class index on a tie.
    fn vote(&self, nearest: &[(f64, usize)]) -> usize {
        let mut votes = vec![0usize; self.n_classes];
        for &(_, row) in nearest {
            votes[self.train_class[row]] += 1;
        }
        let mut best = 0;
        for (class, &count) in votes.iter().enumerate() {
            if count > votes[best] {
                best = class;
            }
        }
        best
    }
}

impl SortedRows {
    fn new(train: ArrayView2<f32>) -> SortedRows {
        let mut row: Vec<usize> = (0..train.nrows()).collect();
        row.sort_by(|&a, &b| train[[a, 0]].total_cmp(&train[[b, 0]]).then(a.cmp(&b)));
        let first = row.iter().map(|&r| f64::from(train[[r, 0]])).collect();
        let values = row
            .iter()
            .flat_map(|&r| train.row(r).into_iter().map(|&v| f64::from(v)))
            .collect();
        SortedRows { row, first, values }
    }

    /// The k nearest rows of `t` by (squared distance, row), measured outward from where `t`'s
    /// first column falls, the nearer side first, until neither side can hold a nearer row.
    fn find_nearest(&self, t: &[f64], k: usize, nearest: &mut Vec<(f64, usize)>) {
        nearest.clear();
        let d = t.len();
        let t0 = t[0];
        let (mut below, mut above) = {
            let at = self.first.partition_point(|&v| v < t0);
            (at, at)
        };
        // the k-th (distance, row) so far; (+∞, max) until there are k
        let mut worst = (f64::INFINITY, usize::MAX);
        loop {
            // Squared gap in the first column: a lower bound of the whole squared distance
            // (the sum starts with this term and adds terms ≥ 0, which rounding cannot lower).
            let gap = |i: usize| {
                let diff = t0 - self.first[i];
                diff * diff
            };
            let down = (below > 0).then(|| gap(below - 1));
            let up = (above < self.first.len()).then(|| gap(above));
            let i = match (down, up) {
                (Some(g), Some(h)) if g.min(h) <= worst.0 => {
                    if g <= h {
                        below -= 1;
                        below
                    } else {
                        above += 1;
                        above - 1
                    }
                }
                (Some(g), None) if g <= worst.0 => {
                    below -= 1;
                    below
                }
                (None, Some(h)) if h <= worst.0 => {
                    above += 1;
                    above - 1
                }
                _ => break,
            };
            // the sum in column order, as the measure of every row computes it
            let mut d2 = 0.0f64;
            for (&tj, &x) in t.iter().zip(&self.values[i * d..(i + 1) * d]) {
                let diff = tj - x;
                d2 += diff * diff;
            }
            let key = (d2, self.row[i]);
            if key < worst {
                if nearest.len() == k {
                    nearest.pop();
                }
                let at = nearest.partition_point(|&e| e < key);
                nearest.insert(at, key);
                if nearest.len() == k {
                    worst = nearest[k - 1];
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};

    #[test]
    fn nearest_are_ordered_by_distance_then_row() {
        // rows 1 and 3 are at distance 1 from the origin, row 0 at 0, row 2 at 2
        let train = array![[0.0f32, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, -1.0]];
        let voter = Voter::new(train.view(), &[0, 1, 0, 1], 2, 2);
        let mut nearest = Vec::new();
        voter.find_nearest(&[0.0, 0.0], &mut nearest);
        assert_eq!(nearest, [(0.0, 0), (1.0, 1)]);
        voter.find_nearest(&[0.0, -0.5], &mut nearest);
        assert_eq!(nearest, [(0.25, 0), (0.25, 3)]);
    }

    #[test]
    fn the_sorted_search_finds_the_rows_measuring_all_finds() {
        // integer coordinates in a small range: many exact ties in distance and in the first
        // column; 1 to 3 columns, k from 1 to 7, queries inside and outside the rows' range
        for d in 1..=SORTED_MAX_COLUMNS {
            let n = SORTED_MIN_ROWS + 37;
            let train =
                Array2::from_shape_fn((n, d), |(i, j)| ((i * 7 + j * 13) % (19 + j)) as f32);
            let test =
                Array2::from_shape_fn((300, d), |(i, j)| ((i * 11 + j * 3) % 31) as f32 - 5.5);
            let class: Vec<usize> = (0..n).map(|i| (i * 5) % 4).collect();
            for k in [1, 5, 7] {
                let voter = Voter::new(train.view(), &class, 4, k);
                assert!(voter.sorted.is_some());
                let (mut fast, mut all) = (Vec::new(), Vec::new());
                for t in test.rows() {
                    let t: Vec<f64> = t.iter().map(|&v| f64::from(v)).collect();
                    voter.find_nearest(&t, &mut fast);
                    voter.measure_all(&t, &mut all);
                    assert_eq!(fast, all, "d {d}, k {k}, query {t:?}");
                }
            }
        }
    }

    #[test]
    fn a_tied_vote_goes_to_the_smallest_class() {
        // k = 2: one neighbour of class 1 (nearer) and one of class 0
        let train = array![[0.0f32], [1.0], [10.0]];
        let got = predict(train.view(), &[1, 0, 2], 3, array![[0.2f32]].view(), 2);
        assert_eq!(got, [0]);
        // k = 3: one vote each; class 0 wins though class 1 is nearest
        let got = predict(train.view(), &[1, 0, 2], 3, array![[0.2f32]].view(), 3);
        assert_eq!(got, [0]);
    }

    #[test]
    fn a_padded_last_group_and_both_threads_give_a_full_sort_s_answer() {
        let n = 100 * LANES + 5;
        let train = Array2::from_shape_fn((n, 3), |(i, j)| ((i * 7 + j * 13) % 29) as f32);
        let class: Vec<usize> = (0..n).map(|i| (i * 5) % 4).collect();
        let test = Array2::from_shape_fn((600, 3), |(i, j)| ((i * 11 + j * 3) % 31) as f32 - 1.0);
        let got = predict(train.view(), &class, 4, test.view(), 5);
        // a plain sort of all distances, by (distance, row)
        for (t, &want_class) in test.rows().into_iter().zip(&got) {
            let mut all: Vec<(f64, usize)> = train
                .rows()
                .into_iter()
                .enumerate()
                .map(|(i, x)| {
                    let d2 = t
                        .iter()
                        .zip(x)
                        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                        .fold(0.0, |s, v| s + v);
                    (d2, i)
                })
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut votes = [0; 4];
            for &(_, i) in &all[..5] {
                votes[class[i]] += 1;
            }
            let best = (0..4).fold(0, |b, c| if votes[c] > votes[b] { c } else { b });
            assert_eq!(want_class, best);
        }
    }
}
