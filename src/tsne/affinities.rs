//! t-SNE's input similarities, as scikit-learn computes them: per row a Gaussian over the other
//! rows (or its nearest neighbours) whose width gives the chosen perplexity, found by binary
//! search on its precision (`_binary_search_perplexity`), then made joint and symmetric:
//! P = (P_cond + P_condᵀ) / Σ(P_cond + P_condᵀ).

use ndarray::ArrayView2;

use crate::parallel::join;

/// Steps and entropy tolerance of the binary search (scikit-learn's).
const SEARCH_STEPS: usize = 100;
const ENTROPY_TOLERANCE: f64 = 1e-5;
/// Floor of a row's sum of weights (scikit-learn's `EPSILON_DBL`).
const MIN_ROW_SUM: f64 = 1e-8;

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
