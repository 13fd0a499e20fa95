//! UMAP as a method: its params (umap-learn's defaults), the registry's spec, read and fit.
//! Non-parametric like t-SNE: all rows (training and test together, unsupervised) are embedded
//! at once, with no model for new rows and no decoder. The start is the graph's spectral layout
//! or the data's first principal components; a seed fixes the start's noise and the negative
//! samples, so different seeds are different runs (for the equivalence protocol) and one seed
//! gives the same bits every time.

use std::fmt;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::pca::Pca;
use super::spec::MAX_EPOCHS;
use super::watch::Watch;
use super::{DEFAULT_SEED, Fitted, LatentModel, MethodConfig, MethodSpec, TrainControl};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::umap::{Settings, Start, Step, auto_epochs, embed};

/// Most neighbours a row may have in the graph.
pub const MAX_NEIGHBORS: usize = 200;
/// Most negative samples per edge sample.
pub const MAX_NEGATIVE_RATE: usize = 100;

/// Where UMAP's layout starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UmapInit {
    /// The neighbour graph's Laplacian eigenvectors (umap-learn's default).
    #[default]
    Spectral,
    /// The data's first principal components.
    Pca,
}

impl UmapInit {
    /// Both, in the order menus list them.
    pub const ALL: [UmapInit; 2] = [UmapInit::Spectral, UmapInit::Pca];

    /// The lowercase name (CLI, TOML, report).
    pub fn name(self) -> &'static str {
        match self {
            UmapInit::Spectral => "spectral",
            UmapInit::Pca => "pca",
        }
    }

    /// The start a name stands for (any case).
    pub fn from_name(name: &str) -> Option<UmapInit> {
        let name = name.trim().to_ascii_lowercase();
        UmapInit::ALL.into_iter().find(|i| i.name() == name)
    }
}

impl fmt::Display for UmapInit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// UMAP parameters, with umap-learn's defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UmapParams {
    /// Width of the embedding (2 or 3).
    pub latent_dim: usize,
    /// Neighbours of each row in the graph, the row itself counted (umap-learn's).
    pub n_neighbors: usize,
    /// Smallest distance between points in the embedding's similarity curve.
    pub min_dist: f32,
    /// Scale of the curve's fall (at least `min_dist`).
    pub spread: f32,
    /// Epochs of the layout; `None` is umap-learn's auto: 500 up to 10 000 rows, else 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_epochs: Option<usize>,
    /// Negative samples per edge sample.
    pub negative_sample_rate: usize,
    /// Where the layout starts.
    pub init: UmapInit,
    /// Seed of the start's noise and the negative samples.
    pub seed: u64,
}

impl Default for UmapParams {
    fn default() -> Self {
        UmapParams {
            latent_dim: 2,
            n_neighbors: 15,
            min_dist: 0.1,
            spread: 1.0,
            n_epochs: None,
            negative_sample_rate: 5,
            init: UmapInit::Spectral,
            seed: DEFAULT_SEED,
        }
    }
}

impl UmapParams {
    /// Checks the settings for `n` rows; the error names the setting, its range and the value.
    pub fn validate(&self, n: usize) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidInput(format!("umap: {msg}")));
        if !(2..=3).contains(&self.latent_dim) {
            return bad(format!(
                "latent dimension must be 2 or 3 (got {})",
                self.latent_dim
            ));
        }
        if n < 4 {
            return bad(format!("needs at least 4 rows (got {n})"));
        }
        if !(2..=MAX_NEIGHBORS).contains(&self.n_neighbors) || self.n_neighbors >= n {
            return bad(format!(
                "n_neighbors must be from 2 to {} and less than the {n} rows (got {}); 5 to 50 is usual",
                MAX_NEIGHBORS, self.n_neighbors
            ));
        }
        if !(self.min_dist.is_finite() && self.min_dist >= 0.0) {
            return bad(format!(
                "min_dist must be 0 or more (got {})",
                self.min_dist
            ));
        }
        if !(self.spread.is_finite() && self.spread > 0.0 && self.spread >= self.min_dist) {
            return bad(format!(
                "spread must be positive and at least min_dist {} (got {})",
                self.min_dist, self.spread
            ));
        }
        if let Some(epochs) = self.n_epochs
            && !(1..=MAX_EPOCHS).contains(&epochs)
        {
            return bad(format!(
                "epochs must be from 1 to {MAX_EPOCHS} or auto (got {epochs})"
            ));
        }
        if self.negative_sample_rate > MAX_NEGATIVE_RATE {
            return bad(format!(
                "negative sample rate must be from 0 to {MAX_NEGATIVE_RATE} (got {})",
                self.negative_sample_rate
            ));
        }
        Ok(())
    }

    /// The epochs for `n` rows (auto resolved).
    pub fn epochs_for(&self, n: usize) -> usize {
        self.n_epochs.unwrap_or_else(|| auto_epochs(n))
    }

    /// The algorithm's settings for `n` rows.
    pub fn settings(&self, n: usize) -> Settings {
        Settings {
            n_neighbors: self.n_neighbors,
            min_dist: f64::from(self.min_dist),
            spread: f64::from(self.spread),
            epochs: self.epochs_for(n),
            negative_sample_rate: self.negative_sample_rate,
            seed: self.seed,
        }
    }
}

/// The registry's spec of UMAP from a method's settings.
pub fn spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::Umap(UmapParams {
        latent_dim: c.latent_dim,
        n_neighbors: c.n_neighbors,
        min_dist: c.min_dist,
        spread: c.spread,
        n_epochs: c.n_epochs,
        negative_sample_rate: c.negative_sample_rate,
        init: c.init,
        seed: c.seed,
    }))
}

/// The registry's read of a UMAP spec into a method's settings.
pub fn read(spec: &MethodSpec, c: &mut MethodConfig) {
    if let MethodSpec::Umap(p) = spec {
        c.latent_dim = p.latent_dim;
        c.n_neighbors = p.n_neighbors;
        c.min_dist = p.min_dist;
        c.spread = p.spread;
        c.n_epochs = p.n_epochs;
        c.negative_sample_rate = p.negative_sample_rate;
        c.init = p.init;
        c.seed = p.seed;
    }
}

/// The registry's fit of UMAP: all rows embedded together; the layout's objective every 10
/// epochs as the loss history (and to `ctl`), and the embedding as it forms to a watcher,
/// every 0.1 s.
pub fn fit(spec: &MethodSpec, prepared: &Prepared, ctl: &TrainControl) -> Result<Fitted> {
    let MethodSpec::Umap(p) = spec else {
        return Err(Error::InvalidInput(format!("{} is not UMAP", spec.kind())));
    };
    let x = prepared.all_x();
    let n = x.nrows();
    p.validate(n)?;
    let start = match p.init {
        UmapInit::Spectral => Start::Spectral,
        UmapInit::Pca => {
            let dim = p.latent_dim.min(x.ncols());
            let projected = Pca::fit(x, dim)?.encode(x);
            let mut start = Array2::<f32>::zeros((n, p.latent_dim));
            start.slice_mut(ndarray::s![.., ..dim]).assign(&projected);
            Start::Given(start)
        }
    };
    let mut watch = Watch::new(ctl);
    let latents = embed(
        x,
        p.latent_dim,
        start,
        &p.settings(n),
        &ctl.cancel,
        &mut |step: &Step| {
            if let Some(loss) = step.loss {
                watch.loss(step.epoch, loss);
            }
            watch.show(step.epoch, n, p.latent_dim, || step.embedding.to_vec());
        },
    )?;
    Ok(Fitted {
        model: None,
        latents,
        loss_history: watch.into_history(),
    })
}
