//! Summaries of latent and data values that skip non-finite entries: column means, value and
//! column ranges, and quantile ranges.

use ndarray::{ArrayView2, Axis};

/// Column means over the finite values (0 for a column without any).
pub fn mean_latent(latents: ArrayView2<f32>) -> Vec<f32> {
    latents
        .axis_iter(Axis(1))
        .map(|col| {
            let (sum, n) = col
                .iter()
                .filter(|v| v.is_finite())
                .fold((0.0f64, 0usize), |(s, n), &v| (s + f64::from(v), n + 1));
            if n == 0 { 0.0 } else { (sum / n as f64) as f32 }
        })
        .collect()
}

/// Finite minimum and maximum of `values`; `None` when there is no finite value.
pub fn value_range<'a>(values: impl IntoIterator<Item = &'a f32>) -> Option<(f32, f32)> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    (lo <= hi).then_some((lo, hi))
}

/// Finite minimum and maximum of each column of `x` (`(0, 0)` for a column without a finite
/// value); one pass over the rows, so that a row-major array is read in order.
pub fn column_ranges(x: ArrayView2<f32>) -> Vec<(f32, f32)> {
    let mut lo = vec![f32::INFINITY; x.ncols()];
    let mut hi = vec![f32::NEG_INFINITY; x.ncols()];
    for row in x.rows() {
        for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row.iter()) {
            if v.is_finite() {
                *l = l.min(v);
                *h = h.max(v);
            }
        }
    }
    lo.into_iter()
        .zip(hi)
        .map(|(l, h)| if l <= h { (l, h) } else { (0.0, 0.0) })
        .collect()
}

/// The `lo_q` and `hi_q` quantiles (nearest rank) of the finite `values`, e.g. 0.05 and 0.95 for
/// the central 90 %; `None` without a finite value or when the quantiles are out of order.
pub fn quantile_range(values: impl Iterator<Item = f32>, lo_q: f64, hi_q: f64) -> Option<[f64; 2]> {
    if !(0.0..=1.0).contains(&lo_q) || !(lo_q..=1.0).contains(&hi_q) {
        return None;
    }
    let mut finite: Vec<f32> = values.filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    finite.sort_by(f32::total_cmp);
    let at = |q: f64| f64::from(finite[((finite.len() - 1) as f64 * q).round() as usize]);
    Some([at(lo_q), at(hi_q)])
}
