//! The gradient of t-SNE's objective, KL(P‖Q), at an embedding: exactly over all pairs
//! (scikit-learn's `_kl_divergence`) or by Barnes-Hut (`_kl_divergence_bh`: attraction over the
//! sparse P, repulsion from the tree). Both split the points in two halves on the two cores; each
//! half is summed in a fixed order, so the result does not depend on the threads.

use super::affinities::SparseP;
use super::tree::Tree;
use crate::parallel::join;

/// Below this, probabilities are clamped in the KL divergence (scikit-learn's `FLOAT32_TINY`).
const TINY: f64 = f32::MIN_POSITIVE as f64;

/// The Barnes-Hut gradient at `y` into `grad` (`tree` already built on `y`), and the KL
/// divergence when `want_error`; `repulsion` is scratch space.
#[allow(clippy::too_many_arguments)]
pub(super) fn barnes_hut<const D: usize>(
    p: &SparseP,
    y: &[[f64; D]],
    tree: &Tree<D>,
    theta: f64,
    dof: f64,
    grad: &mut [[f64; D]],
    repulsion: &mut Vec<[f64; D]>,
    want_error: bool,
) -> Option<f64> {
    let n = y.len();
    let half = n / 2;
    let theta_squared = theta * theta;
    // Repulsion and the normalization Z = Σ_{i≠j} w_ij, the points visited in the tree's leaf
    // order (consecutive points read the same cells), into `repulsion` in that order.
    let order = tree.order();
    let repel = |points: &[u32], out: &mut [[f64; D]]| {
        let mut stack = Vec::with_capacity(64);
        let mut z = 0.0;
        for (&i, out) in points.iter().zip(out) {
            let i = i as usize;
            let (force, zi) = tree.repulsion(i, y[i], theta_squared, dof, &mut stack);
            *out = force;
            z += zi;
        }
        z
    };
    repulsion.clear();
    repulsion.resize(n, [0.0; D]);
    let (first, second) = repulsion.split_at_mut(half);
    let (z_a, z_b) = join(
        || repel(&order[..half], first),
        || repel(&order[half..], second),
    );
    let z = (z_a + z_b).max(f64::EPSILON);
    for (&i, force) in order.iter().zip(repulsion.iter()) {
        grad[i as usize] = *force;
    }
    // Attraction, and the total: 4·(attraction − repulsion / Z).
    let exponent = (dof + 1.0) / 2.0;
    let attract = |range: std::ops::Range<usize>, out: &mut [[f64; D]]| {
        let mut kl = 0.0;
        for (i, out) in range.zip(out) {
            let mut force = [0.0; D];
            for slot in p.indptr[i]..p.indptr[i + 1] {
                let (j, pij) = (p.indices[slot] as usize, p.values[slot]);
                let mut delta = [0.0; D];
                let mut d2 = 0.0;
                for a in 0..D {
                    delta[a] = y[i][a] - y[j][a];
                    d2 += delta[a] * delta[a];
                }
                let mut w = dof / (dof + d2);
                if dof != 1.0 {
                    w = w.powf(exponent);
                }
                for a in 0..D {
                    force[a] += pij * w * delta[a];
                }
                if want_error {
                    kl += pij * (pij.max(TINY) / (w / z).max(TINY)).ln();
                }
            }
            for a in 0..D {
                out[a] = 4.0 * (force[a] - out[a] / z);
            }
        }
        kl
    };
    let (first, second) = grad.split_at_mut(half);
    let (kl_a, kl_b) = join(|| attract(0..half, first), || attract(half..n, second));
    want_error.then_some(kl_a + kl_b)
}

/// The exact gradient at `y` into `grad` for the dense joint P (row-major n × n), and the KL
/// divergence when `want_error`.
pub(super) fn exact<const D: usize>(
    p: &[f64],
    y: &[[f64; D]],
    dof: f64,
    grad: &mut [[f64; D]],
    want_error: bool,
) -> Option<f64> {
    let n = y.len();
    let exponent = (dof + 1.0) / -2.0;
    let mut w = vec![0f64; n * n];
    let mut z = 0.0;
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let d2: f64 = (0..D).map(|a| (y[i][a] - y[j][a]).powi(2)).sum();
            let wij = (d2 / dof + 1.0).powf(exponent);
            w[i * n + j] = wij;
            z += wij;
        }
    }
    let z = z.max(f64::EPSILON);
    let c = 2.0 * (dof + 1.0) / dof;
    let mut kl = 0.0;
    for i in 0..n {
        let mut force = [0.0; D];
        for j in 0..n {
            if i == j {
                continue;
            }
            let (pij, wij) = (p[i * n + j], w[i * n + j]);
            let qij = (wij / z).max(f64::EPSILON);
            if want_error {
                kl += pij * (pij.max(f64::EPSILON) / qij).ln();
            }
            let pull = (pij - qij) * wij;
            for a in 0..D {
                force[a] += pull * (y[i][a] - y[j][a]);
            }
        }
        for a in 0..D {
            grad[i][a] = c * force[a];
        }
    }
    want_error.then_some(kl)
}
