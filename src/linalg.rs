//! Small dense linear-algebra helpers shared by PCA and the metrics: f64 centring, Gram matrices
//! by GEMM, and bridges to faer's decompositions.

use faer::{Mat, Side};
use ndarray::{Array1, Array2, ArrayView2, Axis, linalg::general_mat_mul};

use crate::error::{Error, Result};

/// Column means of `x`, summed in f64.
pub fn column_means(x: ArrayView2<f32>) -> Array1<f64> {
    let n = x.nrows().max(1) as f64;
    let mut sums = Array1::<f64>::zeros(x.ncols());
    for row in x.rows() {
        for (s, &v) in sums.iter_mut().zip(row) {
            *s += f64::from(v);
        }
    }
    sums / n
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
    let n = a.nrows();
    let evd = to_faer(a)
        .self_adjoint_eigen(Side::Lower)
        .map_err(|e| Error::Numerical(format!("eigendecomposition did not converge ({e:?})")))?;
    let values = evd.S().column_vector();
    let vectors = evd.U();
    // faer sorts ascending; we want the largest first.
    let order: Vec<usize> = (0..n).rev().collect();
    let eigenvalues = order.iter().map(|&i| values[i]).collect();
    let eigenvectors = Array2::from_shape_fn((n, n), |(r, c)| vectors[(r, order[c])]);
    Ok((eigenvalues, eigenvectors))
}

/// Thin SVD: `(U, singular values descending)`.
pub fn thin_svd_u(a: &Array2<f64>) -> Result<(Array2<f64>, Vec<f64>)> {
    let svd = to_faer(a)
        .thin_svd()
        .map_err(|e| Error::Numerical(format!("SVD did not converge ({e:?})")))?;
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
    values.sort_by(|x, y| y.total_cmp(x));
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn eigen_of_known_matrix_is_descending() {
        let a = array![[2.0, 1.0], [1.0, 2.0]];
        let (values, vectors) = symmetric_eigen(&a).unwrap();
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        // A v = λ v for the leading vector
        let v = vectors.column(0).to_owned();
        let av = a.dot(&v);
        for i in 0..2 {
            assert!((av[i] - 3.0 * v[i]).abs() < 1e-12);
        }
    }

    #[test]
    fn gram_and_svd_agree() {
        let a = array![[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]];
        assert_eq!(at_b(&a, &a), array![[1.0, 0.0], [0.0, 4.0]]);
        let (u, s) = thin_svd_u(&a).unwrap();
        assert_eq!(u.dim(), (3, 2));
        assert!((s[0] - 2.0).abs() < 1e-12 && (s[1] - 1.0).abs() < 1e-12);
        let sv = singular_values(&a).unwrap();
        assert!((sv[0] - 2.0).abs() < 1e-12);
    }
}
