//! Pairwise Euclidean distances by GEMM (‖x‖² + ‖y‖² − 2x·y), in row blocks so that memory stays
//! bounded, and k-nearest-neighbour lists built from them.

use ndarray::{Array2, ArrayView2, Axis, linalg::general_mat_mul, s};

/// Rows per block: 256 rows × n columns of f64 stays small even for n in the tens of thousands.
const BLOCK_ROWS: usize = 256;

/// Calls `f(first_row, block)` for consecutive blocks of the squared-distance matrix of the rows
/// of `x` against themselves; `block[(i, j)]` is ‖x_{first_row+i} − x_j‖², clamped at 0.
pub fn for_each_distance_block(x: ArrayView2<f64>, mut f: impl FnMut(usize, ArrayView2<f64>)) {
    let n = x.nrows();
    let norms: Vec<f64> = x.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut block = Array2::<f64>::zeros((BLOCK_ROWS.min(n), n));
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK_ROWS).min(n);
        let rows = end - start;
        let mut out = block.slice_mut(s![..rows, ..]);
        general_mat_mul(-2.0, &x.slice(s![start..end, ..]), &x.t(), 0.0, &mut out);
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
