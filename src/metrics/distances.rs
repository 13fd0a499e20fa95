//! Pairwise Euclidean distances by GEMM (‖x‖² + ‖y‖² − 2x·y), in row blocks so that memory stays
//! bounded, and k-nearest-neighbour lists built from them.
//!
//! Many features (the input space of trustworthiness, 784 pixels) take the f32 path: the columns
//! centred in f64 (distances do not change), rounded to f32, and the dot products summed by our
//! f32 GEMM in slices of `K_SLICE` (256) features, each slice's product added in f64. The error
//! of a distance is then about 10⁻⁷ of the two rows' squared norms (a test holds it under 10⁻⁶;
//! a distance far smaller than the norms, between near-duplicates, is that much less precise).
//! f64 products with matrixmultiply took 60 % of trustworthiness on 5000 × 784 on an Intel Xeon;
//! scikit-learn keeps float32 distances for float32 input, and its trustworthiness of the
//! benchmark spaces and ours now differ by 2·10⁻⁸.

use ndarray::{Array2, ArrayView2, Axis, linalg::general_mat_mul, s};

use crate::gemm::gemm;

/// Rows per block: 256 rows × n columns of f64 stays small even for n in the tens of thousands.
const BLOCK_ROWS: usize = 256;
/// From this many features (and [`F32_WORK`] multiply-adds) the dot products are f32 sums.
const F32_FEATURES: usize = 32;
const F32_WORK: f64 = 1e8;
/// Features per f32 product whose result is added in f64.
const K_SLICE: usize = 256;

/// Calls `f(first_row, block)` for consecutive blocks of the squared-distance matrix of the rows
/// of `x` against themselves; `block[(i, j)]` is ‖x_{first_row+i} − x_j‖², clamped at 0.
pub fn for_each_distance_block(x: ArrayView2<f64>, mut f: impl FnMut(usize, ArrayView2<f64>)) {
    let (n, d) = x.dim();
    let f32_dots = d >= F32_FEATURES && (n as f64) * (n as f64) * (d as f64) >= F32_WORK;
    let centred = f32_dots.then(|| {
        let mut c = x.to_owned();
        for mut column in c.columns_mut() {
            let mean = column.sum() / n.max(1) as f64;
            column.mapv_inplace(|v| v - mean);
        }
        c
    });
    let x = centred.as_ref().map_or(x, |c| c.view());
    let x32 = centred.as_ref().map(|c| c.mapv(|v| v as f32));
    let mut slice_product = Array2::<f32>::zeros((if f32_dots { BLOCK_ROWS.min(n) } else { 0 }, n));
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut block = Array2::<f64>::zeros((BLOCK_ROWS.min(n), n));
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK_ROWS).min(n);
        let rows = end - start;
        let mut out = block.slice_mut(s![..rows, ..]);
        match &x32 {
            Some(x32) => {
                out.fill(0.0);
                for k in (0..d).step_by(K_SLICE) {
                    let k_end = (k + K_SLICE).min(d);
                    let mut product = slice_product.slice_mut(s![..rows, ..]);
                    gemm(
                        x32.slice(s![start..end, k..k_end]),
                        x32.slice(s![.., k..k_end]).t(),
                        false,
                        product.view_mut(),
                    );
                    out.zip_mut_with(&product, |o, &p| *o -= 2.0 * f64::from(p));
                }
            }
            None => general_mat_mul(-2.0, &x.slice(s![start..end, ..]), &x.t(), 0.0, &mut out),
        }
        for (i, mut row) in out.axis_iter_mut(Axis(0)).enumerate() {
            let ni = norms[start + i];
            for (j, v) in row.iter_mut().enumerate() {
                *v = (*v + ni + norms[j]).max(0.0);
            }
            // exact zero on the diagonal (rounding may leave a tiny positive value)
            row[start + i] = 0.0;
        }
        f(start, block.slice(s![..rows, ..]));
        start = end;
    }
}

/// Indices of the `k` nearest other rows of each row (self excluded), nearest first; ties are
/// broken by index so results are deterministic.
pub fn knn_indices(x: ArrayView2<f64>, k: usize) -> Vec<Vec<usize>> {
    let n = x.nrows();
    let k = k.min(n.saturating_sub(1));
    let mut result = vec![Vec::new(); n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    for_each_distance_block(x, |start, block| {
        for (i, row) in block.rows().into_iter().enumerate() {
            let me = start + i;
            order.clear();
            order.extend((0..n).filter(|&j| j != me));
            let cmp = |a: &usize, b: &usize| row[*a].total_cmp(&row[*b]).then(a.cmp(b));
            if k < order.len() {
                order.select_nth_unstable_by(k, cmp);
                order.truncate(k);
            }
            order.sort_unstable_by(cmp);
            result[me] = order.clone();
        }
    });
    result
}

/// Converts f32 rows to f64 for distance work.
pub fn to_f64(x: ArrayView2<f32>) -> Array2<f64> {
    x.mapv(f64::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn many_features_take_f32_products_within_1e_6_of_the_rows_scale() {
        // 1200 × 100: n²·d = 1.44e8, the f32 path; values like pixels, far from the origin
        let (n, d) = (1200, 100);
        let x = Array2::from_shape_fn((n, d), |(i, j)| {
            5.0 + ((i * 7919 + j * 104_729) % 1000) as f64 / 1000.0
        });
        assert!(d >= F32_FEATURES && (n * n * d) as f64 >= F32_WORK);
        // the scale of a distance's rounding: the squared norms of the centred rows
        let means: Vec<f64> = x
            .columns()
            .into_iter()
            .map(|c| c.sum() / n as f64)
            .collect();
        let norm = |i: usize| -> f64 {
            x.row(i)
                .iter()
                .zip(&means)
                .map(|(v, m)| (v - m).powi(2))
                .sum()
        };
        let mut worst = 0.0f64;
        for_each_distance_block(x.view(), |start, block| {
            for i in (0..block.nrows()).step_by(97) {
                for j in (0..n).step_by(13) {
                    let direct: f64 = x
                        .row(start + i)
                        .iter()
                        .zip(x.row(j))
                        .map(|(a, b)| (a - b).powi(2))
                        .sum();
                    let scale = norm(start + i) + norm(j);
                    worst = worst.max((block[[i, j]] - direct).abs() / scale);
                }
            }
        });
        // f32 products of 256 features summed in f64: about 1e-7 of the scale
        assert!(
            worst < 1e-6,
            "worst error {worst} of the rows' squared norms"
        );
    }

    #[test]
    fn gemm_distances_equal_direct_ones() {
        let x = array![[0.0, 0.0], [3.0, 4.0], [1.0, 1.0], [-2.0, 5.0]];
        let mut seen = 0;
        for_each_distance_block(x.view(), |start, block| {
            for i in 0..block.nrows() {
                for j in 0..4 {
                    let d = &x.row(start + i) - &x.row(j);
                    assert!((block[[i, j]] - d.dot(&d)).abs() < 1e-12);
                }
                seen += 1;
            }
        });
        assert_eq!(seen, 4);
    }

    #[test]
    fn knn_excludes_self_and_sorts_by_distance() {
        let x = array![[0.0], [1.0], [3.0], [7.0]];
        let nn = knn_indices(x.view(), 2);
        assert_eq!(nn[0], vec![1, 2]);
        assert_eq!(nn[3], vec![2, 1]);
        assert_eq!(nn[1], vec![0, 2]);
    }
}
