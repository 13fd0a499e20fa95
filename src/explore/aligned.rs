//! B aligned onto A as pairs of points: each metric row's point in A and its aligned point in
//! B, in A's plot coordinates.

use ndarray::ArrayView2;

use super::PlotAxes;
use crate::plot::hash::jitter;

/// One metric row with its point in A and B's aligned point, both in A's plot coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignedPair {
    /// The row (data order).
    pub row: usize,
    /// A's point.
    pub a: [f64; 2],
    /// B's point after rotating B onto A.
    pub b: [f64; 2],
}

/// The metric rows' points in A and in B aligned onto A (`b_aligned[k]` is row `metric_rows[k]`,
/// A's width), in the plot columns `axes` of A; a 1-D latent gets a fixed jitter on y (the same
/// for both ends, so a pair's line is horizontal). Pairs with a non-finite coordinate are left
/// out, as are rows outside `a`.
pub fn aligned_pairs(
    a: ArrayView2<f32>,
    metric_rows: &[usize],
    b_aligned: ArrayView2<f32>,
    axes: PlotAxes,
) -> Vec<AlignedPair> {
    let width = a.ncols().min(b_aligned.ncols());
    if axes.x >= width || axes.y.is_some_and(|y| y >= width) {
        return Vec::new();
    }
    metric_rows
        .iter()
        .zip(b_aligned.rows())
        .filter(|(row, _)| **row < a.nrows())
        .filter_map(|(&row, b)| {
            let ar = a.row(row);
            let (ay, by) = match axes.y {
                Some(y) => (f64::from(ar[y]), f64::from(b[y])),
                None => {
                    let j = jitter(row);
                    (j, j)
                }
            };
            let pair = AlignedPair {
                row,
                a: [f64::from(ar[axes.x]), ay],
                b: [f64::from(b[axes.x]), by],
            };
            pair.a
                .iter()
                .chain(&pair.b)
                .all(|v| v.is_finite())
                .then_some(pair)
        })
        .collect()
}
