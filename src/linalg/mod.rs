//! Small dense linear-algebra helpers shared by PCA and the metrics: f64 centring, Gram matrices
//! by GEMM, and bridges to faer's decompositions.

use faer::{Mat, Side};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, linalg::general_mat_mul};

use crate::error::{Error, Result};
use crate::widest::widest;

mod rows;
pub use rows::Rows;

/// Column means of `x` (a matrix or some of its rows), summed in f64 row by row (the two halves
/// of the rows on two threads, in the widest vectors: one lane per column, so the same bits).
pub fn column_means<'a>(x: impl Into<Rows<'a>>) -> Array1<f64> {
    let x: Rows<'a> = x.into();
    let n = x.len().max(1) as f64;
    let column_sums = |rows: Rows<'_>| {
        let mut sums = vec![0f64; x.ncols()];
        widest(
            #[inline(always)]
            || {
                for row in rows.iter() {
                    match row.as_slice() {
                        Some(row) => add_f32(&mut sums, row),
                        None => sums
                            .iter_mut()
                            .zip(row)
                            .for_each(|(s, &v)| *s += f64::from(v)),
                    }
                }
            },
        );
        Array1::from(sums)
    };
    let half = x.len() / 2;
    let (a, b) = crate::parallel::join_if_large(
        x.len() * x.ncols(),
        || column_sums(x.slice(0, half)),
        || column_sums(x.slice(half, x.len())),
    );
    (a + b) / n
}

/// `sums[j] += row[j]` in f64.
#[inline(always)]
fn add_f32(sums: &mut [f64], row: &[f32]) {
    for (s, &v) in sums.iter_mut().zip(row) {
        *s += f64::from(v);
    }
}

/// Call after faer's matrix kernels: marks the upper halves of the vector registers clean
/// (`vzeroupper`).
///
/// faer's hand-written AVX-512 kernels return with them dirty, and the SSE code compiled for the
/// baseline x86-64 target that runs next then pays a state-transition penalty on every
/// instruction: measured, Adam's update took 45 % of a digits epoch instead of 7 %, and the epoch
/// ran 1.6× slower than with matrixmultiply; PCA's centring loop likewise.
#[inline]
pub(crate) fn after_faer_kernels() {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: `vzeroupper` only needs AVX, checked just above; it changes no state that
            // compiled code relies on (the upper halves are dead between calls by the ABI).
            unsafe { std::arch::x86_64::_mm256_zeroupper() };
        }
    }
}

/// Above this many multiply-adds (n·d²) the covariance is summed from f32 products.
const F32_COVARIANCE_WORK: f64 = 1e9;
/// Rows per block of the f32 covariance; each block's product is added into f64.
const COVARIANCE_BLOCK: usize = 8192;

/// The population covariance `(x − mean)ᵀ(x − mean) / n`, in f64.
///
/// Small inputs are centred and multiplied in f64. Large ones (n·d² above 10⁹, e.g. 70 000 ×
/// 784) are centred in f64, rounded to f32, and multiplied in blocks of 8192 rows by our f32
/// GEMM, computing only the lower triangle; the blocks are summed in f64 and the two halves of
/// the rows run on two threads. The relative error is then about 10⁻⁶, the precision that
/// scikit-learn's PCA has for float32 data, which it computes in float32 throughout.
pub fn covariance(x: ArrayView2<f32>, mean: &Array1<f64>) -> Array2<f64> {
    // Invariant: a block callback that always goes on never stops the sum.
    covariance_observed(x, mean, &|_| true).expect("never stopped")
}

/// [`covariance`], calling `each_block(rows)` after each block of rows (from either thread; the
/// rows of all calls add up to `n`); `None` as soon as a call returns false (the caller asked
/// to stop). Small inputs are one block.
pub fn covariance_observed<'a>(
    x: impl Into<Rows<'a>>,
    mean: &Array1<f64>,
    each_block: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Array2<f64>> {
    let x: Rows<'a> = x.into();
    let (n, d) = (x.len(), x.ncols());
    let mut cov = if !f32_covariance(n, d) {
        // small (n·d² ≤ 10⁹): a copy of picked rows costs little
        let centered = match x.as_view() {
            Some(view) => centered_f64(view, mean),
            None => centered_f64(x.to_owned().view(), mean),
        };
        let cov = at_b(&centered, &centered);
        each_block(n).then_some(cov)?
    } else {
        scatter_f32_blocks(x, mean, each_block)?
    };
    cov /= n.max(1) as f64;
    Some(cov)
}

/// Whether [`covariance`] sums f32 products for `n` rows of `d` features (precise to about
/// 10⁻⁶ relative) rather than f64 ones.
pub fn f32_covariance(n: usize, d: usize) -> bool {
    (n as f64) * (d as f64) * (d as f64) > F32_COVARIANCE_WORK
}

/// `(x − mean)ᵀ(x − mean)` from f32 products of blocks of rows, summed in f64 (see
/// [`covariance`]).
fn scatter_f32_blocks(
    x: Rows<'_>,
    mean: &Array1<f64>,
    each_block: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Array2<f64>> {
    let (n, d) = (x.len(), x.ncols());
    {
        // Each thread sums the blocks of one half of the rows.
        let sum_blocks = |from: usize, to: usize| {
            let mut acc = Array2::<f64>::zeros((d, d));
            // Row-major rows × d: row r is the centred row `start + r` (no larger than the
            // half: a small input does not take a whole block's memory).
            let mut xc = vec![0f32; d * COVARIANCE_BLOCK.min(to - from)];
            let mut product = Array2::<f32>::zeros((d, d));
            let mean = mean.to_vec();
            for start in (from..to).step_by(COVARIANCE_BLOCK) {
                let rows = COVARIANCE_BLOCK.min(to - start);
                widest(
                    #[inline(always)]
                    || {
                        for (r, dst_row) in xc.chunks_exact_mut(d).take(rows).enumerate() {
                            centre_row(x.row(start + r), &mean, dst_row, |v| v as f32);
                        }
                    },
                );
                // Invariant: `xc[..d * rows]` holds exactly rows · d floats.
                let block = ArrayView2::from_shape((rows, d), &xc[..d * rows])
                    .expect("rows · d floats make a rows × d block");
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
}

/// `dst[j] ← to(row[j] − mean[j])`, the difference taken in f64. A contiguous row (the usual
/// case) goes through a slice, in a loop the compiler vectorises (inlined, so that a caller
/// inside `widest` gets the widest vectors).
#[inline(always)]
pub fn centre_row<T>(row: ArrayView1<'_, f32>, mean: &[f64], dst: &mut [T], to: impl Fn(f64) -> T) {
    let put = |(d, &v): (&mut T, &f32), &m: &f64| *d = to(f64::from(v) - m);
    match row.as_slice() {
        Some(row) => dst
            .iter_mut()
            .zip(row)
            .zip(mean)
            .for_each(|(d, m)| put(d, m)),
        None => dst
            .iter_mut()
            .zip(row)
            .zip(mean)
            .for_each(|(d, m)| put(d, m)),
    }
}

/// `x − mean` as an f64 matrix.
pub fn centered_f64(x: ArrayView2<f32>, mean: &Array1<f64>) -> Array2<f64> {
    let mut out = x.mapv(f64::from);
    out -= &mean.view().insert_axis(Axis(0));
    out
}

/// Column-centres an f64 matrix in place.
pub fn center_columns(x: &mut Array2<f64>) {
    if let Some(mean) = x.mean_axis(Axis(0)) {
        *x -= &mean.insert_axis(Axis(0));
    }
}

/// `aᵀ·b` by GEMM (no intermediate transpose copies).
pub fn at_b(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::<f64>::zeros((a.ncols(), b.ncols()));
    general_mat_mul(1.0, &a.t(), b, 0.0, &mut out);
    out
}

fn to_faer(a: &Array2<f64>) -> Mat<f64> {
    Mat::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]])
}

/// Eigen-decomposition of a symmetric matrix: eigenvalues in *descending* order and the matching
/// eigenvectors as columns.
pub fn symmetric_eigen(a: &Array2<f64>) -> Result<(Vec<f64>, Array2<f64>)> {
    descending_eigen(to_faer(a), |v| v)
}

/// [`symmetric_eigen`] computed in f32 (about twice as fast; results to f32 precision): for a
/// matrix that is itself only that precise, like the covariance of large inputs (see
/// [`f32_covariance`]). scikit-learn's PCA decomposes float32 data's covariance in float32 too.
pub fn symmetric_eigen_f32(a: &Array2<f64>) -> Result<(Vec<f64>, Array2<f64>)> {
    descending_eigen(
        Mat::<f32>::from_fn(a.nrows(), a.ncols(), |i, j| a[[i, j]] as f32),
        f64::from,
    )
}

fn descending_eigen<T: faer::traits::RealField + Copy>(
    a: Mat<T>,
    to_f64: impl Fn(T) -> f64,
) -> Result<(Vec<f64>, Array2<f64>)> {
    let n = a.nrows();
    let evd = a
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| Error::Numerical(format!("eigendecomposition did not converge ({e:?})")))?;
    after_faer_kernels();
    let values = evd.S().column_vector();
    let vectors = evd.U();
    // faer sorts ascending; we want the largest first.
    let order: Vec<usize> = (0..n).rev().collect();
    let eigenvalues = order.iter().map(|&i| to_f64(values[i])).collect();
    let eigenvectors = Array2::from_shape_fn((n, n), |(r, c)| to_f64(vectors[(r, order[c])]));
    Ok((eigenvalues, eigenvectors))
}

/// Thin SVD: `(U, singular values descending)`.
pub fn thin_svd_u(a: &Array2<f64>) -> Result<(Array2<f64>, Vec<f64>)> {
    let svd = to_faer(a)
        .thin_svd()
        .map_err(|e| Error::Numerical(format!("SVD did not converge ({e:?})")))?;
    after_faer_kernels();
    let s = svd.S().column_vector();
    let k = a.nrows().min(a.ncols());
    let u = svd.U();
    let u = Array2::from_shape_fn((a.nrows(), k), |(r, c)| u[(r, c)]);
    Ok((u, (0..k).map(|i| s[i]).collect()))
}

/// Full SVD of a small matrix: `(U, singular values descending, Vᵀ)` with `U` m×k, `Vᵀ` k×n,
/// k = min(m, n).
pub fn svd_full(a: &Array2<f64>) -> Result<(Array2<f64>, Vec<f64>, Array2<f64>)> {
    let svd = to_faer(a)
        .thin_svd()
        .map_err(|e| Error::Numerical(format!("SVD did not converge ({e:?})")))?;
    after_faer_kernels();
    let k = a.nrows().min(a.ncols());
    let (u, v, s) = (svd.U(), svd.V(), svd.S().column_vector());
    Ok((
        Array2::from_shape_fn((a.nrows(), k), |(r, c)| u[(r, c)]),
        (0..k).map(|i| s[i]).collect(),
        Array2::from_shape_fn((k, a.ncols()), |(r, c)| v[(c, r)]),
    ))
}

/// Singular values (descending) of a small matrix.
pub fn singular_values(a: &Array2<f64>) -> Result<Vec<f64>> {
    let mut values = to_faer(a)
        .singular_values()
        .map_err(|e| Error::Numerical(format!("SVD did not converge ({e:?})")))?;
    after_faer_kernels();
    values.sort_by(|x, y| y.total_cmp(x));
    Ok(values)
}

#[cfg(test)]
mod tests;
