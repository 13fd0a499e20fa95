//! The population covariance of a matrix's columns (or of some of its rows): f64 products for
//! small inputs, f32 products of blocks of rows summed in f64 for large ones.
//!
//! The f32 path multiplies columns as they are where that costs little precision, so that the
//! zeros of images stay zeros and the product leaves them out (`gemm`'s `zeros.rs`): with
//! `s` a shift per column, `cov = (x − s)ᵀ(x − s)/n − (mean − s)(mean − s)ᵀ` for any `s`.
//! scikit-learn's PCA (`covariance_eigh`) takes `s = 0` for every column; here a column is
//! shifted by its mean when its mean square is more than [`UNSHIFTED_RATIO`] times its variance
//! (a large offset: there the subtraction would cancel most of the product's digits).

use ndarray::{Array2, ArrayView2};

use super::{ColumnMoments, Rows, at_b, centered_f64, centre_row};
use crate::widest::widest;

/// Above this many multiply-adds (n·d²) the covariance is summed from f32 products.
const F32_COVARIANCE_WORK: f64 = 1e9;
/// Rows per block of the f32 covariance; each block's product is added into f64.
pub(super) const COVARIANCE_BLOCK: usize = 8192;
/// A column whose mean square is at most this many times its variance is multiplied as it is
/// (unshifted), losing at most log2 of this many bits of the f32 products' 24 to the
/// subtraction of its mean's square: 3. A column that is at least half zeros is always one
/// (its mean square is at most twice its variance); every column of `mnist-like` is (at most
/// 7.04 times), and so is a column of standardised data.
pub(super) const UNSHIFTED_RATIO: f64 = 8.0;

/// The population covariance `(x − mean)ᵀ(x − mean) / n`, in f64, from the columns' moments
/// ([`super::column_moments`] of `x`).
///
/// Small inputs are centred and multiplied in f64. Large ones (n·d² above 10⁹, e.g. 70 000 ×
/// 784) are multiplied in blocks of 8192 rows by our f32 GEMM, computing only the lower
/// triangle, each column as it is or shifted by its mean (see the module); the blocks are summed
/// in f64 and the two halves of the rows run on two threads. The relative error is then about
/// 10⁻⁶ (at most 8 times that for an unshifted column), the precision that
/// scikit-learn's PCA has for float32 data, which it computes in float32 throughout.
pub fn covariance(x: ArrayView2<f32>, moments: &ColumnMoments) -> Array2<f64> {
    // Invariant: a block callback that always goes on never stops the sum.
    covariance_observed(x, moments, &|_| true).expect("never stopped")
}

/// [`covariance`], calling `each_block(rows)` after each block of rows (from either thread; the
/// rows of all calls add up to `n`); `None` as soon as a call returns false (the caller asked
/// to stop). Small inputs are one block.
pub fn covariance_observed<'a>(
    x: impl Into<Rows<'a>>,
    moments: &ColumnMoments,
    each_block: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Array2<f64>> {
    let x: Rows<'a> = x.into();
    let (n, d) = (x.len(), x.ncols());
    if !f32_covariance(n, d) {
        let mean = &moments.mean;
        // small (n·d² ≤ 10⁹): a copy of picked rows costs little
        let centered = match x.as_view() {
            Some(view) => centered_f64(view, mean),
            None => centered_f64(x.to_owned().view(), mean),
        };
        let mut cov = at_b(&centered, &centered);
        each_block(n).then_some(())?;
        cov /= n.max(1) as f64;
        return Some(cov);
    }
    blocks_covariance(x, moments, each_block)
}

/// The f32 path of [`covariance_observed`] (whatever the size).
pub(super) fn blocks_covariance(
    x: Rows<'_>,
    moments: &ColumnMoments,
    each_block: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Array2<f64>> {
    let (n, mean) = (x.len(), &moments.mean);
    let shift = shifts(moments);
    let mut cov = scatter_f32_blocks(x, &shift, each_block)?;
    cov /= n.max(1) as f64;
    // The mean of the shifted columns, mean − shift: zero where a column was shifted.
    let offset: Vec<f64> = mean.iter().zip(&shift).map(|(m, s)| m - s).collect();
    for (i, mut row) in cov.rows_mut().into_iter().enumerate() {
        for (c, &o) in row.iter_mut().zip(&offset) {
            *c -= offset[i] * o;
        }
    }
    Some(cov)
}

/// Whether [`covariance`] sums f32 products for `n` rows of `d` features (precise to about
/// 10⁻⁶ relative) rather than f64 ones.
pub fn f32_covariance(n: usize, d: usize) -> bool {
    (n as f64) * (d as f64) * (d as f64) > F32_COVARIANCE_WORK
}

/// Each column's shift before the f32 products: 0 where its mean square is at most
/// [`UNSHIFTED_RATIO`] times its variance (an all-zero column too: 0 ≤ 0), its mean otherwise (a
/// constant column among them).
pub(super) fn shifts(moments: &ColumnMoments) -> Vec<f64> {
    moments
        .mean
        .iter()
        .zip(&moments.mean_square)
        .map(|(&m, &ms)| {
            let variance = ms - m * m;
            if ms <= UNSHIFTED_RATIO * variance {
                0.0
            } else {
                m
            }
        })
        .collect()
}

/// `(x − shift)ᵀ(x − shift)` from f32 products of blocks of rows, summed in f64 (see
/// [`covariance`]). With no column shifted and `x` a matrix, the blocks are its own rows, read
/// in place.
pub(super) fn scatter_f32_blocks(
    x: Rows<'_>,
    shift: &[f64],
    each_block: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Array2<f64>> {
    let (n, d) = (x.len(), x.ncols());
    let in_place = x.as_view().filter(|_| shift.iter().all(|&s| s == 0.0));
    // Each thread sums the blocks of one half of the rows.
    let sum_blocks = |from: usize, to: usize| {
        let mut acc = Array2::<f64>::zeros((d, d));
        // Row-major rows × d: row r is the shifted row `start + r` (no larger than the half: a
        // small input does not take a whole block's memory). Unused when read in place.
        let copy_len = if in_place.is_some() {
            0
        } else {
            d * COVARIANCE_BLOCK.min(to - from)
        };
        let mut xc = vec![0f32; copy_len];
        let mut product = Array2::<f32>::zeros((d, d));
        for start in (from..to).step_by(COVARIANCE_BLOCK) {
            let rows = COVARIANCE_BLOCK.min(to - start);
            let block = match in_place {
                Some(view) => view.slice_move(ndarray::s![start..start + rows, ..]),
                None => {
                    widest(
                        #[inline(always)]
                        || {
                            for (r, dst_row) in xc.chunks_exact_mut(d).take(rows).enumerate() {
                                centre_row(x.row(start + r), shift, dst_row, |v| v as f32);
                            }
                        },
                    );
                    // Invariant: `xc[..d * rows]` holds exactly rows · d floats.
                    ArrayView2::from_shape((rows, d), &xc[..d * rows])
                        .expect("rows · d floats make a rows × d block")
                }
            };
            crate::gemm::gemm_lower(block.t(), block, product.view_mut());
            // Row by row along memory: the lower triangle.
            for (i, (mut acc_row, p_row)) in
                acc.rows_mut().into_iter().zip(product.rows()).enumerate()
            {
                for (a, &p) in acc_row.iter_mut().zip(p_row).take(i + 1) {
                    *a += f64::from(p);
                }
            }
            if !each_block(rows) {
                return None;
            }
        }
        Some(acc)
    };
    let (a, b) = crate::parallel::join(|| sum_blocks(0, n / 2), || sum_blocks(n / 2, n));
    let mut cov = a? + b?;
    for j in 0..d {
        for i in j + 1..d {
            cov[[j, i]] = cov[[i, j]];
        }
    }
    Some(cov)
}
