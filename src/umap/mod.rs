//! UMAP (McInnes, Healy & Melville, 2018) as umap-learn computes it with its defaults: the fuzzy
//! graph of the `n_neighbors` nearest neighbours (exact here, by our GEMM; umap-learn
//! approximates them by NN-descent), a spectral (or given, e.g. PCA) start scaled so that its
//! largest coordinate is 10 plus seeded noise of 1e-4, then every column stretched to [0, 10],
//! and the curve 1 / (1 + a·d^(2b)) fitted to `min_dist` and `spread` for the layout's
//! stochastic gradient descent (`epochs`: umap-learn's auto is 500 up to 10 000 rows, else 200).
//!
//! The graph is in `graph.rs`, the start in `spectral.rs`, the curve in `curve.rs`, the descent
//! in `layout.rs` (its powers in `power.rs`), the loss curve's number in `objective.rs`. A seed
//! gives the same bits every time, on one core or two.

mod curve;
mod graph;
mod layout;
mod objective;
mod power;
mod spectral;

use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use crate::error::{Error, Result};
use crate::neighbours::nearest_neighbours;
pub use curve::fit_ab;
use graph::fuzzy_graph;
use layout::{Curve, Schedule, run_epoch};
use objective::cross_entropy;

/// How often (in epochs) the cross-entropy is computed for the loss curve.
pub const LOSS_EVERY: usize = 10;
/// Largest coordinate of the scaled start (umap-learn's `max_coord`).
const START_SCALE: f64 = 10.0;
/// Standard deviation of the noise on the scaled start (umap-learn's).
const START_NOISE: f64 = 1e-4;
/// Random pairs per row standing for the non-edges in the loss.
const LOSS_PAIRS_PER_ROW: usize = 5;

/// umap-learn's default epochs for `n` rows: 500 up to 10 000 rows, else 200.
pub fn auto_epochs(n: usize) -> usize {
    if n <= 10_000 { 500 } else { 200 }
}

/// The settings of one run, resolved (the method's params hold the defaults and check ranges).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Neighbours of each row in the graph, the row itself counted (umap-learn's).
    pub n_neighbors: usize,
    /// Smallest distance between points in the embedding's similarity curve.
    pub min_dist: f64,
    /// Scale of the curve's fall.
    pub spread: f64,
    /// Epochs of the layout.
    pub epochs: usize,
    /// Negative samples per edge sample.
    pub negative_sample_rate: usize,
    /// Seed of the start's noise and of the negative samples.
    pub seed: u64,
}

/// Where the layout starts.
#[derive(Debug, Clone)]
pub enum Start {
    /// The graph's Laplacian eigenvectors.
    Spectral,
    /// Given coordinates (one row per row, the embedding's width), e.g. the data's first
    /// principal components; scaled like the spectral start.
    Given(Array2<f32>),
}

/// The state after one epoch, for a watcher.
pub struct Step<'a> {
    /// Epochs done (1-based).
    pub epoch: usize,
    /// The embedding now (row-major n × dim).
    pub embedding: &'a [f32],
    /// The cross-entropy, every [`LOSS_EVERY`] epochs and after the last.
    pub loss: Option<f64>,
}

/// Embeds the rows of `x` in `dim` (2 or 3) columns; `on_step` after every epoch;
/// `Error::Cancelled` once `cancel` is set.
pub fn embed(
    x: ArrayView2<f32>,
    dim: usize,
    start: Start,
    settings: &Settings,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Array2<f32>> {
    let n = x.nrows();
    if !(2..=3).contains(&dim) || n < 2 || settings.n_neighbors < 2 || settings.epochs == 0 {
        return Err(Error::Internal(format!(
            "UMAP of {n} rows in {dim}-D with {} neighbours, {} epochs",
            settings.n_neighbors, settings.epochs
        )));
    }
    let (neighbours, sq_distances) = nearest_neighbours(x, settings.n_neighbors - 1);
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    let graph = fuzzy_graph(&neighbours, &sq_distances, n).pruned(settings.epochs);
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let start = match start {
        Start::Spectral => spectral::spectral_layout(&graph, x, dim, &mut rng),
        Start::Given(given) if given.dim() == (n, dim) => {
            given.iter().map(|&v| f64::from(v)).collect()
        }
        Start::Given(given) => {
            return Err(Error::Internal(format!(
                "UMAP start {:?} for {n} rows in {dim}-D",
                given.dim()
            )));
        }
    };
    let y = scaled_start(&start, dim, &mut rng);
    let (a, b) = fit_ab(settings.spread, settings.min_dist);
    let curve = Curve {
        a: a as f32,
        b: b as f32,
    };
    let pairs: Vec<(u32, u32)> = (0..n * LOSS_PAIRS_PER_ROW)
        .map(|at| {
            (
                (at / LOSS_PAIRS_PER_ROW) as u32,
                rng.random_range(0..n as u32),
            )
        })
        .filter(|&(i, j)| i != j)
        .collect();
    let layout_seed = rng.random::<u64>();
    let run = Run {
        graph: &graph,
        curve,
        pairs: &pairs,
        settings,
        seed: layout_seed,
    };
    let flat = match dim {
        2 => run.layout::<2>(&y, cancel, on_step)?,
        _ => run.layout::<3>(&y, cancel, on_step)?,
    };
    Array2::from_shape_vec((n, dim), flat)
        .map_err(|e| Error::Internal(format!("UMAP result shape: {e}")))
}

/// umap-learn's treatment of a start: scaled so that the largest coordinate is 10, seeded
/// Gaussian noise of 1e-4 added, then each column stretched to [0, 10].
fn scaled_start(start: &[f64], dim: usize, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let largest = start.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let factor = if largest > 0.0 {
        START_SCALE / largest
    } else {
        0.0
    };
    let mut y: Vec<f32> = start
        .iter()
        .map(|&v| {
            let noise: f64 = StandardNormal.sample(rng);
            ((v * factor) as f32) + (noise * START_NOISE) as f32
        })
        .collect();
    for d in 0..dim {
        let column = y.iter().skip(d).step_by(dim);
        let (low, high) = column.fold((f32::INFINITY, f32::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
        let range = if high > low { high - low } else { 1.0 };
        for v in y.iter_mut().skip(d).step_by(dim) {
            *v = 10.0 * (*v - low) / range;
        }
    }
    y
}

/// One layout's fixed inputs.
struct Run<'a> {
    graph: &'a graph::Graph,
    curve: Curve,
    pairs: &'a [(u32, u32)],
    settings: &'a Settings,
    seed: u64,
}

impl Run<'_> {
    fn layout<const D: usize>(
        &self,
        start: &[f32],
        cancel: &AtomicBool,
        on_step: &mut dyn FnMut(&Step),
    ) -> Result<Vec<f32>> {
        let (chunks, _) = start.as_chunks::<D>();
        let mut y: Vec<[f32; D]> = chunks.to_vec();
        let mut previous = Vec::with_capacity(y.len());
        let epochs = self.settings.epochs;
        let rate = self.settings.negative_sample_rate;
        let mut schedule = Schedule::new(self.graph, self.curve, epochs, rate, self.seed);
        for epoch in 0..epochs {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            run_epoch(&mut y, &mut previous, self.graph, &mut schedule, epoch);
            let done = epoch + 1;
            let loss = (done % LOSS_EVERY == 0 || done == epochs)
                .then(|| cross_entropy(&y, self.graph, self.pairs, self.curve, rate));
            if y.iter().flatten().any(|v| !v.is_finite()) {
                return Err(Error::Numerical(format!(
                    "UMAP's layout diverged at epoch {done}"
                )));
            }
            on_step(&Step {
                epoch: done,
                embedding: y.as_flattened(),
                loss,
            });
        }
        Ok(y.into_flattened())
    }
}

#[cfg(test)]
mod tests;
