//! t-SNE's input similarities, as scikit-learn computes them: per row a Gaussian over the other
//! rows (or its nearest neighbours) whose width gives the chosen perplexity, found by binary
//! search on its precision (`_binary_search_perplexity`), then made joint and symmetric:
//! P = (P_cond + P_condᵀ) / Σ(P_cond + P_condᵀ).

use ndarray::{Array2, ArrayView2, Axis, s};

use crate::gemm::gemm;
use crate::parallel::join;

/// Steps and entropy tolerance of the binary search (scikit-learn's).
const SEARCH_STEPS: usize = 100;
const ENTROPY_TOLERANCE: f64 = 1e-5;
/// Floor of a row's sum of weights (scikit-learn's `EPSILON_DBL`).
const MIN_ROW_SUM: f64 = 1e-8;
/// Rows of the distance matrix computed at once for the neighbour search.
const BLOCK_ROWS: usize = 512;

/// The conditional probabilities p_{j|i} of one row from its squared distances to the other
/// rows, `out[j] ∝ exp(−β·d_j)` with β such that the distribution's perplexity is `perplexity`.
pub(super) fn conditional_row(sq_distances: &[f32], perplexity: f64, out: &mut [f64]) {
    let desired = perplexity.ln();
    let (mut beta, mut low, mut high) = (1.0f64, f64::NEG_INFINITY, f64::INFINITY);
    for _ in 0..SEARCH_STEPS {
        let mut sum = 0.0;
        for (p, &d) in out.iter_mut().zip(sq_distances) {
            *p = (-f64::from(d) * beta).exp();
            sum += *p;
        }
        if sum == 0.0 {
            sum = MIN_ROW_SUM;
        }
        let mut weighted = 0.0;
        for (p, &d) in out.iter_mut().zip(sq_distances) {
            *p /= sum;
            weighted += f64::from(d) * *p;
        }
        let excess = sum.ln() + beta * weighted - desired;
        if excess.abs() <= ENTROPY_TOLERANCE {
            break;
        }
        if excess > 0.0 {
            low = beta;
            beta = if high == f64::INFINITY {
                beta * 2.0
            } else {
                (beta + high) / 2.0
            };
        } else {
            high = beta;
            beta = if low == f64::NEG_INFINITY {
                beta / 2.0
            } else {
                (beta + low) / 2.0
            };
        }
    }
}

/// The `k` nearest other rows of every row of `x` and their squared Euclidean distances, nearest
/// first (ties by index), as `n × k` arrays in row order. Distances by GEMM in row blocks
/// (‖a‖² + ‖b‖² − 2a·b, clamped at 0), so that memory stays at `BLOCK_ROWS × n`.
pub(super) fn nearest_neighbours(x: ArrayView2<f32>, k: usize) -> (Vec<u32>, Vec<f32>) {
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

/// For rows `first..` of the dot products `dots`, the `k` nearest other rows into `idx`/`dist`.
fn select_rows(
    dots: ArrayView2<f32>,
    first: usize,
    norms: &[f32],
    k: usize,
    idx: &mut [u32],
    dist: &mut [f32],
) {
    let mut candidates: Vec<(f32, u32)> = Vec::with_capacity(norms.len());
    for (r, row) in dots.rows().into_iter().enumerate() {
        let me = first + r;
        let own = norms[me];
        candidates.clear();
        candidates.extend(
            row.iter()
                .zip(norms)
                .enumerate()
                .filter(|&(j, _)| j != me)
                .map(|(j, (&dot, &norm))| ((own + norm - 2.0 * dot).max(0.0), j as u32)),
        );
        let order = |a: &(f32, u32), b: &(f32, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
        if k < candidates.len() {
            candidates.select_nth_unstable_by(k, order);
            candidates.truncate(k);
        }
        candidates.sort_unstable_by(order);
        for (slot, &(d, j)) in candidates.iter().enumerate() {
            idx[r * k + slot] = j;
            dist[r * k + slot] = d;
        }
    }
}

/// A symmetric sparse matrix in compressed rows: row `i`'s entries are
/// `indices[indptr[i]..indptr[i + 1]]` (columns, increasing) with `values` alike.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SparseP {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f64>,
}

/// The joint P of the k-nearest-neighbour graph (`neighbours`/`sq_distances` as
/// [`nearest_neighbours`] gives them): conditional rows over each row's neighbours,
/// symmetrized and normalized to sum 1 (scikit-learn's `_joint_probabilities_nn`).
pub(super) fn joint_from_neighbours(
    neighbours: &[u32],
    sq_distances: &[f32],
    n: usize,
    perplexity: f64,
) -> SparseP {
    let k = neighbours.len().checked_div(n).unwrap_or(0);
    let mut conditional = vec![0f64; n * k];
    if k > 0 {
        let half = n / 2;
        let (first, second) = conditional.split_at_mut(half * k);
        let rows = |d: &[f32], out: &mut [f64]| {
            for (d, out) in d.chunks_exact(k).zip(out.chunks_exact_mut(k)) {
                conditional_row(d, perplexity, out);
            }
        };
        join(
            || rows(&sq_distances[..half * k], first),
            || rows(&sq_distances[half * k..], second),
        );
    }
    // Each conditional entry (i, j) lands in row i and, transposed, in row j.
    let mut counts = vec![0usize; n + 1];
    for (i, row) in neighbours.chunks_exact(k.max(1)).enumerate().take(n) {
        counts[i + 1] += row.len();
        for &j in row {
            counts[j as usize + 1] += 1;
        }
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    let total = counts[n];
    let mut fill = counts.clone();
    let mut entries = vec![(0u32, 0f64); total];
    for i in 0..n {
        for slot in i * k..(i + 1) * k {
            let (j, p) = (neighbours[slot] as usize, conditional[slot]);
            entries[fill[i]] = (j as u32, p);
            fill[i] += 1;
            entries[fill[j]] = (i as u32, p);
            fill[j] += 1;
        }
    }
    let mut sparse = SparseP {
        indptr: Vec::with_capacity(n + 1),
        indices: Vec::with_capacity(total),
        values: Vec::with_capacity(total),
    };
    sparse.indptr.push(0);
    for i in 0..n {
        let row = &mut entries[counts[i]..counts[i + 1]];
        row.sort_unstable_by_key(|&(j, _)| j);
        for &(j, p) in row.iter() {
            if sparse.indices.last() == Some(&j) && sparse.indices.len() > sparse.indptr[i] {
                if let Some(last) = sparse.values.last_mut() {
                    *last += p;
                }
            } else {
                sparse.indices.push(j);
                sparse.values.push(p);
            }
        }
        sparse.indptr.push(sparse.indices.len());
    }
    let sum = sparse.values.iter().sum::<f64>().max(f64::EPSILON);
    for v in &mut sparse.values {
        *v /= sum;
    }
    sparse
}

/// The dense joint P over all pairs (scikit-learn's exact `_joint_probabilities`): row-major
/// n × n, zero on the diagonal, other entries at least `f64::EPSILON`.
pub(super) fn joint_exact(x: ArrayView2<f32>, perplexity: f64) -> Vec<f64> {
    let n = x.nrows();
    let mut conditional = vec![0f64; n * n];
    let mut others = vec![0f32; n.saturating_sub(1)];
    let mut row_p = vec![0f64; n.saturating_sub(1)];
    for i in 0..n {
        let xi = x.row(i);
        for (slot, j) in (0..n).filter(|&j| j != i).enumerate() {
            let d: f64 = xi
                .iter()
                .zip(x.row(j))
                .map(|(&a, &b)| {
                    let t = f64::from(a) - f64::from(b);
                    t * t
                })
                .sum();
            others[slot] = d as f32;
        }
        conditional_row(&others, perplexity, &mut row_p);
        for (slot, j) in (0..n).filter(|&j| j != i).enumerate() {
            conditional[i * n + j] = row_p[slot];
        }
    }
    let mut joint = vec![0f64; n * n];
    let mut sum = 0.0;
    for i in 0..n {
        for j in 0..n {
            let v = conditional[i * n + j] + conditional[j * n + i];
            joint[i * n + j] = v;
            sum += v;
        }
    }
    let sum = sum.max(f64::EPSILON);
    for i in 0..n {
        for j in 0..n {
            joint[i * n + j] = if i == j {
                0.0
            } else {
                (joint[i * n + j] / sum).max(f64::EPSILON)
            };
        }
    }
    joint
}
