//! The exact k nearest neighbours of every row (Euclidean), for the neighbour graphs of t-SNE
//! and UMAP: squared distances by our f32 GEMM in blocks of rows (‖a‖² + ‖b‖² − 2a·b, clamped at
//! 0), so that memory stays at `BLOCK_ROWS × n`, each block's rows split between the two cores.

use ndarray::{Array2, ArrayView2, Axis, s};

use crate::gemm::gemm;
use crate::parallel::join;

/// Rows of the distance matrix computed at once.
const BLOCK_ROWS: usize = 512;

/// The `k` nearest other rows of every row of `x` and their squared Euclidean distances, nearest
/// first (ties by index), as `n × k` arrays in row order. Distances by GEMM in row blocks
/// (‖a‖² + ‖b‖² − 2a·b, clamped at 0), so that memory stays at `BLOCK_ROWS × n`.
pub fn nearest_neighbours(x: ArrayView2<f32>, k: usize) -> (Vec<u32>, Vec<f32>) {
    let n = x.nrows();
    let k = k.min(n.saturating_sub(1));
    let norms: Vec<f32> = x
        .rows()
        .into_iter()
        .map(|r| r.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() as f32)
        .collect();
    let (mut indices, mut distances) = (vec![0u32; n * k], vec![0f32; n * k]);
    let mut block = Array2::<f32>::zeros((BLOCK_ROWS.min(n), n));
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK_ROWS).min(n);
        let mut dots = block.slice_mut(s![..end - start, ..]);
        gemm(x.slice(s![start..end, ..]), x.t(), false, dots.view_mut());
        let dots = dots.view();
        let (idx, dist) = (
            &mut indices[start * k..end * k],
            &mut distances[start * k..end * k],
        );
        let half = (end - start) / 2;
        let (dots_a, dots_b) = dots.split_at(Axis(0), half);
        let (idx_a, idx_b) = idx.split_at_mut(half * k);
        let (dist_a, dist_b) = dist.split_at_mut(half * k);
        let norms = &norms[..];
        join(
            || select_rows(dots_a, start, norms, k, idx_a, dist_a),
            || select_rows(dots_b, start + half, norms, k, idx_b, dist_b),
        );
        start = end;
    }
    (indices, distances)
}

/// For rows `first..` of the dot products `dots`, the `k` nearest other rows into `idx`/`dist`,
/// nearest first, ties by index. One pass over each row keeping the k best so far in order: a
/// row's distance enters only when below the k-th best (rows come in index order, so an equal
/// distance never displaces an earlier row), which after the first few hundred is rare.
fn select_rows(
    dots: ArrayView2<f32>,
    first: usize,
    norms: &[f32],
    k: usize,
    idx: &mut [u32],
    dist: &mut [f32],
) {
    if k == 0 {
        return;
    }
    let mut best: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
    for (r, row) in dots.rows().into_iter().enumerate() {
        let me = first + r;
        let own = norms[me];
        best.clear();
        let mut worst = f32::INFINITY;
        for (j, (&dot, &norm)) in row.iter().zip(norms).enumerate() {
            let d = (own + norm - 2.0 * dot).max(0.0);
            if j == me || (best.len() == k && d >= worst) {
                continue;
            }
            let at = best.partition_point(|b| b.0 <= d);
            best.insert(at, (d, j as u32));
            if best.len() > k {
                best.pop();
            }
            if best.len() == k {
                worst = best[k - 1].0;
            }
        }
        for (slot, &(d, j)) in best.iter().enumerate() {
            idx[r * k + slot] = j;
            dist[r * k + slot] = d;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_distances_go_to_the_earlier_row() {
        let x = Array2::from_shape_vec((6, 1), vec![0.0f32, 1.0, -1.0, 2.0, -2.0, 1.0]).unwrap();
        let (idx, dist) = nearest_neighbours(x.view(), 3);
        assert_eq!(&idx[..3], &[1, 2, 5]);
        assert_eq!(&dist[..3], &[1.0, 1.0, 1.0]);
        // row 1: itself excluded, its twin (row 5) at 0 first
        assert_eq!(&idx[3..6], &[5, 0, 3]);
        assert_eq!(&dist[3..6], &[0.0, 1.0, 1.0]);
    }
}
