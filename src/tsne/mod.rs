//! t-SNE (van der Maaten & Hinton, 2008) as scikit-learn's `TSNE` computes it: perplexity-based
//! input similarities over the 3·perplexity + 1 nearest neighbours (over all pairs below
//! [`EXACT_BELOW`] rows), a Student-t kernel with max(dim − 1, 1) degrees of freedom in the
//! embedding, Barnes-Hut repulsion (θ) from a quadtree or octree, and the same schedule: 250
//! iterations with P exaggerated and momentum 0.5, then momentum 0.8 up to the iteration count;
//! the learning rate `auto` is max(n / exaggeration / 4, 50).
//!
//! The starting embedding is the caller's (the method uses PCA, scaled so that the first
//! coordinate's standard deviation is 1e-4, as scikit-learn). Everything runs in f64 from the
//! f32 data; the two halves of the points go to the two cores in fixed halves, so a seeded run
//! gives the same bits every time.

mod affinities;
mod gradient;
mod optimize;
mod tree;

use std::sync::atomic::AtomicBool;

use ndarray::{Array2, ArrayView2};

use crate::error::{Error, Result};
pub use optimize::Step;
use optimize::{Phase, descend};
use tree::Tree;

/// Below this many rows t-SNE uses all pairs (exact P and gradient) instead of Barnes-Hut.
pub const EXACT_BELOW: usize = 500;
/// Iterations with the input similarities exaggerated (scikit-learn's `_EXPLORATION_MAX_ITER`).
pub const EXPLORATION_ITERATIONS: usize = 250;
/// Iterations without a better KL divergence after which the second phase stops
/// (scikit-learn's `n_iter_without_progress`).
const PATIENCE: usize = 300;

/// The settings of one run, resolved (the method's params hold the defaults and check ranges).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The effective number of neighbours each point's similarities spread over.
    pub perplexity: f64,
    /// Factor on the similarities during the first 250 iterations.
    pub early_exaggeration: f64,
    /// Step size.
    pub learning_rate: f64,
    /// Iterations in all (at least the 250 of the exaggerated phase).
    pub iterations: usize,
    /// Barnes-Hut accuracy (scikit-learn's `angle`).
    pub theta: f64,
}

/// scikit-learn's `auto` learning rate for `n` rows: max(n / early_exaggeration / 4, 50).
pub fn auto_learning_rate(n: usize, early_exaggeration: f64) -> f64 {
    (n as f64 / early_exaggeration / 4.0).max(50.0)
}

/// A finished embedding.
#[derive(Debug, Clone)]
pub struct Embedding {
    /// One row per input row.
    pub coordinates: Array2<f32>,
    /// KL(P‖Q) at the end (with P no longer exaggerated).
    pub kl_divergence: f64,
    /// Iterations run (fewer than asked when the KL divergence stopped improving).
    pub iterations: usize,
}

/// The input similarities: dense for the exact method, sparse for Barnes-Hut.
enum Similarities {
    Dense(Vec<f64>),
    Sparse(affinities::SparseP),
}

/// Embeds the rows of `x` starting from `start` (one row per row of `x`, 2 or 3 columns: the
/// embedding's width); `on_step` after every iteration; `Error::Cancelled` once `cancel` is set.
pub fn embed(
    x: ArrayView2<f32>,
    start: ArrayView2<f64>,
    settings: &Settings,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Embedding> {
    let (n, dim) = start.dim();
    if n != x.nrows() || !(2..=3).contains(&dim) || n < 2 {
        return Err(Error::Internal(format!(
            "t-SNE start {:?} for {} rows",
            start.dim(),
            x.nrows()
        )));
    }
    let perplexity = settings.perplexity;
    let similarities = if n < EXACT_BELOW {
        Similarities::Dense(affinities::joint_exact(x, perplexity))
    } else {
        let k = ((3.0 * perplexity + 1.0) as usize).min(n - 1);
        let (neighbours, distances) = crate::neighbours::nearest_neighbours(x, k);
        Similarities::Sparse(affinities::joint_from_neighbours(
            &neighbours,
            &distances,
            n,
            perplexity,
        ))
    };
    let mut y: Vec<f64> = start.iter().copied().collect();
    let (kl_divergence, iterations) = match dim {
        2 => optimise::<2>(&mut y, similarities, settings, cancel, on_step)?,
        _ => optimise::<3>(&mut y, similarities, settings, cancel, on_step)?,
    };
    let coordinates = Array2::from_shape_vec((n, dim), y)
        .map_err(|e| Error::Internal(format!("t-SNE result shape: {e}")))?
        .mapv(|v| v as f32);
    Ok(Embedding {
        coordinates,
        kl_divergence,
        iterations,
    })
}

/// The two phases of the schedule on `y` (n × D, flattened); the final KL divergence and the
/// iterations run.
fn optimise<const D: usize>(
    y: &mut [f64],
    mut similarities: Similarities,
    settings: &Settings,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&Step),
) -> Result<(f64, usize)> {
    let dof = (D as f64 - 1.0).max(1.0);
    let (theta, learning_rate) = (settings.theta, settings.learning_rate);
    let scale = |s: &mut Similarities, factor: f64| match s {
        Similarities::Dense(p) => p.iter_mut().for_each(|v| *v *= factor),
        Similarities::Sparse(p) => p.values.iter_mut().for_each(|v| *v *= factor),
    };
    let mut tree = Tree::<D>::default();
    let mut repulsion = Vec::new();
    let mut run = |s: &Similarities, y: &mut [f64], phase: Phase| {
        let mut objective = |y: &[f64], grad: &mut [f64], want_error: bool| {
            let (points, _) = y.as_chunks::<D>();
            let (grad, _) = grad.as_chunks_mut::<D>();
            match s {
                Similarities::Dense(p) => gradient::exact(p, points, dof, grad, want_error),
                Similarities::Sparse(p) => {
                    tree.build(points);
                    gradient::barnes_hut(
                        p,
                        points,
                        &tree,
                        theta,
                        dof,
                        grad,
                        &mut repulsion,
                        want_error,
                    )
                }
            }
        };
        descend(
            y,
            phase,
            settings.iterations,
            &mut objective,
            cancel,
            &mut *on_step,
        )
    };
    let exaggeration = settings.early_exaggeration;
    scale(&mut similarities, exaggeration);
    let explored = run(
        &similarities,
        y,
        Phase {
            start: 0,
            end: EXPLORATION_ITERATIONS.min(settings.iterations),
            momentum: 0.5,
            learning_rate,
            patience: EXPLORATION_ITERATIONS,
        },
    )?;
    scale(&mut similarities, 1.0 / exaggeration);
    let mut ended = explored;
    if settings.iterations > EXPLORATION_ITERATIONS
        || explored.iteration + 1 < EXPLORATION_ITERATIONS
    {
        ended = run(
            &similarities,
            y,
            Phase {
                start: explored.iteration + 1,
                end: settings.iterations,
                momentum: 0.8,
                learning_rate,
                patience: PATIENCE,
            },
        )?;
    }
    Ok((ended.error, ended.iteration + 1))
}

#[cfg(test)]
mod tests;
