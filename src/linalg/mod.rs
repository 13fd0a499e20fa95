//! Small dense linear-algebra helpers shared by PCA and the metrics: f64 centring, Gram matrices
//! by GEMM, and bridges to faer's decompositions.

use faer::{Mat, Side};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis, linalg::general_mat_mul};

use crate::error::{Error, Result};
use crate::widest::widest;

mod covariance;
mod rows;
pub use covariance::{covariance, covariance_observed, f32_covariance};
pub use rows::Rows;

/// The means and mean squares of the columns of a matrix (or of some of its rows), in f64.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMoments {
    pub mean: Array1<f64>,
    /// The mean of each column's squares.
    pub mean_square: Array1<f64>,
}

/// The column means and mean squares of `x` (a matrix or some of its rows), in one pass, summed
/// in f64 row by row (the two halves of the rows on two threads, in the widest vectors: one lane
/// per column, so the same bits).
pub fn column_moments<'a>(x: impl Into<Rows<'a>>) -> ColumnMoments {
    let x: Rows<'a> = x.into();
    let n = x.len().max(1) as f64;
    let column_sums = |rows: Rows<'_>| {
        let (mut sums, mut squared) = (vec![0f64; x.ncols()], vec![0f64; x.ncols()]);
        widest(
            #[inline(always)]
            || {
                for row in rows.iter() {
                    match row.as_slice() {
                        Some(row) => add_f32_squared(&mut sums, &mut squared, row),
                        None => {
                            for (j, &v) in row.iter().enumerate() {
                                sums[j] += f64::from(v);
                                squared[j] += f64::from(v) * f64::from(v);
                            }
                        }
                    }
                }
            },
        );
        (Array1::from(sums), Array1::from(squared))
    };
    let half = x.len() / 2;
    let ((a, a2), (b, b2)) = crate::parallel::join_if_large(
        x.len() * x.ncols(),
        || column_sums(x.slice(0, half)),
        || column_sums(x.slice(half, x.len())),
    );
    ColumnMoments {
        mean: (a + b) / n,
        mean_square: (a2 + b2) / n,
    }
}

/// `sums[j] += row[j]` and `squared[j] += row[j]²` in f64.
#[inline(always)]
fn add_f32_squared(sums: &mut [f64], squared: &mut [f64], row: &[f32]) {
    for ((s, q), &v) in sums.iter_mut().zip(squared.iter_mut()).zip(row) {
        let v = f64::from(v);
        *s += v;
        *q += v * v;
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
