//! t-SNE as a method: its params (scikit-learn's defaults), the registry's spec, read and fit.
//! Non-parametric: it places all rows at once (training and test rows together, unsupervised),
//! so there is no model to encode new rows or decode (reconstruction does not apply). The start
//! is PCA of all rows scaled to a standard deviation of 1e-4 in the first coordinate (as
//! scikit-learn's `init="pca"`), each coordinate moved by seeded noise of 1e-4 of that: t-SNE's
//! result depends on such small differences, so different seeds are different runs (for the
//! equivalence protocol) while one seed gives the same bits every time.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::{Deserialize, Serialize};

use super::pca::Pca;
use super::spec::MAX_EPOCHS;
use super::watch::Watch;
use super::{DEFAULT_SEED, Fitted, LatentModel, MethodConfig, MethodSpec, TrainControl};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::tsne::{EXPLORATION_ITERATIONS, Settings, Step, auto_learning_rate, embed};

/// Standard deviation of the starting embedding's first coordinate (scikit-learn's).
const START_SPREAD: f64 = 1e-4;
/// The seeded noise on the start, as a share of its spread.
const JITTER: f64 = 1e-4;

/// t-SNE parameters, with scikit-learn's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TsneParams {
    /// Width of the embedding (2 or 3).
    pub latent_dim: usize,
    /// The effective number of neighbours each point's similarities spread over.
    pub perplexity: f32,
    /// Factor on the similarities during the first 250 iterations.
    pub early_exaggeration: f32,
    /// Step size; `None` is scikit-learn's `auto`, max(n / early_exaggeration / 4, 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_rate: Option<f32>,
    /// Iterations in all (at least the 250 of the exaggerated phase).
    pub iterations: usize,
    /// Barnes-Hut accuracy, scikit-learn's `angle` (0 sums every pair).
    pub theta: f32,
    /// Seed of the noise on the starting embedding.
    pub seed: u64,
}

impl Default for TsneParams {
    fn default() -> Self {
        TsneParams {
            latent_dim: 2,
            perplexity: 30.0,
            early_exaggeration: 12.0,
            learning_rate: None,
            iterations: 1000,
            theta: 0.5,
            seed: DEFAULT_SEED,
        }
    }
}

impl TsneParams {
    /// Checks the settings for `n` rows; the error names the setting, its range and the value.
    pub fn validate(&self, n: usize) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidInput(format!("tsne: {msg}")));
        if !(2..=3).contains(&self.latent_dim) {
            return bad(format!(
                "latent dimension must be 2 or 3 (got {})",
                self.latent_dim
            ));
        }
        if n < 4 {
            return bad(format!("needs at least 4 rows (got {n})"));
        }
        if !(self.perplexity.is_finite()
            && self.perplexity > 0.0
            && f64::from(self.perplexity) < n as f64)
        {
            return bad(format!(
                "perplexity must be more than 0 and less than the {n} rows (got {}); 5 to 50 is usual",
                self.perplexity
            ));
        }
        if !(self.early_exaggeration.is_finite() && self.early_exaggeration >= 1.0) {
            return bad(format!(
                "early exaggeration must be at least 1 (got {})",
                self.early_exaggeration
            ));
        }
        if let Some(rate) = self.learning_rate
            && !(rate.is_finite() && rate > 0.0)
        {
            return bad(format!(
                "learning rate must be a positive number or auto (got {rate})"
            ));
        }
        if !(EXPLORATION_ITERATIONS..=MAX_EPOCHS).contains(&self.iterations) {
            return bad(format!(
                "iterations must be from {EXPLORATION_ITERATIONS} (the exaggerated phase) to {MAX_EPOCHS} (got {})",
                self.iterations
            ));
        }
        if !(self.theta.is_finite() && (0.0..=1.0).contains(&self.theta)) {
            return bad(format!(
                "theta must be from 0 (every pair) to 1 (got {})",
                self.theta
            ));
        }
        Ok(())
    }

    /// The algorithm's settings for `n` rows (the learning rate `auto` resolved).
    pub fn settings(&self, n: usize) -> Settings {
        let early_exaggeration = f64::from(self.early_exaggeration);
        Settings {
            perplexity: f64::from(self.perplexity),
            early_exaggeration,
            learning_rate: self
                .learning_rate
                .map_or_else(|| auto_learning_rate(n, early_exaggeration), f64::from),
            iterations: self.iterations,
            theta: f64::from(self.theta),
        }
    }
}

/// The registry's spec of t-SNE from a method's settings.
pub fn spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::Tsne(TsneParams {
        latent_dim: c.latent_dim,
        perplexity: c.perplexity,
        early_exaggeration: c.early_exaggeration,
        learning_rate: c.tsne_learning_rate,
        iterations: c.iterations,
        theta: c.theta,
        seed: c.seed,
    }))
}

/// The registry's read of a t-SNE spec into a method's settings.
pub fn read(spec: &MethodSpec, c: &mut MethodConfig) {
    if let MethodSpec::Tsne(p) = spec {
        c.latent_dim = p.latent_dim;
        c.perplexity = p.perplexity;
        c.early_exaggeration = p.early_exaggeration;
        c.iterations = p.iterations;
        c.tsne_learning_rate = p.learning_rate;
        c.theta = p.theta;
        c.seed = p.seed;
    }
}

/// The registry's fit of t-SNE: all rows embedded together; the KL divergence every 50
/// iterations as the loss history (and to `ctl`), the iteration count as progress, and the
/// embedding as it forms to a watcher, every 0.1 s.
pub fn fit(spec: &MethodSpec, prepared: &Prepared, ctl: &TrainControl) -> Result<Fitted> {
    let MethodSpec::Tsne(p) = spec else {
        return Err(Error::InvalidInput(format!("{} is not t-SNE", spec.kind())));
    };
    let x = prepared.all_x();
    p.validate(x.nrows())?;
    let start = start(x, p)?;
    let mut watch = Watch::new(ctl);
    let (n, dim) = start.dim();
    let embedding = embed(
        x,
        start.view(),
        &p.settings(x.nrows()),
        &ctl.cancel,
        &mut |step: &Step| {
            if let Some(kl) = step.kl_divergence {
                watch.loss(step.iteration, kl);
            }
            watch.show(step.iteration, n, dim, || {
                step.embedding.iter().map(|&v| v as f32).collect()
            });
        },
    )?;
    Ok(Fitted {
        model: None,
        latents: embedding.coordinates,
        loss_history: watch.into_history(),
    })
}

/// The starting embedding: PCA of all rows, scaled so that the first coordinate's standard
/// deviation is 1e-4, plus seeded Gaussian noise of 1e-4 of that.
fn start(x: ArrayView2<f32>, p: &TsneParams) -> Result<Array2<f64>> {
    let dim = p.latent_dim.min(x.ncols()).min(x.nrows());
    let pca = Pca::fit(x, dim)?;
    let projected = pca.encode(x).mapv(f64::from);
    let mut start = Array2::<f64>::zeros((x.nrows(), p.latent_dim));
    start.slice_mut(ndarray::s![.., ..dim]).assign(&projected);
    let first = start.column(0);
    let mean = first.sum() / first.len() as f64;
    let sd = (first.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / first.len() as f64).sqrt();
    // Constant data has no spread to scale: start from the noise alone.
    let factor = if sd > 0.0 { START_SPREAD / sd } else { 0.0 };
    let mut rng = ChaCha8Rng::seed_from_u64(p.seed);
    for v in start.iter_mut() {
        let noise: f64 = StandardNormal.sample(&mut rng);
        *v = *v * factor + noise * START_SPREAD * JITTER;
    }
    Ok(start)
}
