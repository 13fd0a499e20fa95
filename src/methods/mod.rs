//! Latent methods: the validated, serialisable [`MethodSpec`] (what to fit) and the fitted
//! [`LatentModel`] (what was fitted), after linfa's params/model split.

mod kind;
pub mod neural;
pub mod pca;
pub mod precomputed;
mod settings;
pub mod spec;
pub mod tsne;
pub mod umap;
mod watch;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, ArrayView2};

use crate::data::Prepared;
use crate::linalg::Rows;

pub use crate::nn::EpochLoss;
pub use kind::{MethodInfo, MethodKind, Setting};
pub use settings::MethodConfig;
pub use spec::{
    AeParams, DEFAULT_LATENT_DIM, DEFAULT_SEED, LinearAeParams, MethodSpec, PcaParams, TrainParams,
    VaeParams,
};
pub use tsne::TsneParams;
pub use umap::{UmapInit, UmapParams};

/// A fitted method that maps rows of the (scaled) data to latent vectors and back.
pub trait LatentModel: Send + Sync {
    /// Latent vectors of the rows of `x` (VAE: the mean μ).
    fn encode(&self, x: ArrayView2<f32>) -> Array2<f32>;
    /// Reconstructions of latent vectors `z`.
    fn decode(&self, z: ArrayView2<f32>) -> Array2<f32>;
    /// Mean over all entries of (x − decode(encode(x)))², summed in f64.
    fn reconstruction_mse(&self, x: ArrayView2<f32>) -> f64 {
        let recon = self.decode(self.encode(x).view());
        mean_squared_difference(x, recon.view())
    }
    /// Width of the latent space.
    fn latent_dim(&self) -> usize;
    /// Number of learned parameters (PCA: the components and the mean).
    fn n_parameters(&self) -> usize;
    /// Bytes of what the model needs to encode and decode, as it stores them (its parameters
    /// and fitted statistics); not the state training used (optimizer moments, batch buffers).
    fn model_bytes(&self) -> usize;
    /// PCA only: the share of the variance each component explains.
    fn explained_variance_ratio(&self) -> Option<&[f64]> {
        None
    }
}

/// Rows per block of [`reconstruction_mse_of`].
const MSE_BLOCK: usize = 4096;

/// [`LatentModel::reconstruction_mse`] of some rows of a matrix, read in place: the rows of one
/// matrix at once, picked rows a block at a time (so no copy of them all is made).
pub fn reconstruction_mse_of(model: &dyn LatentModel, x: Rows<'_>) -> f64 {
    if let Some(view) = x.as_view() {
        return model.reconstruction_mse(view);
    }
    let n = x.len();
    let mut block = Array2::<f32>::zeros((MSE_BLOCK.min(n), x.ncols()));
    let mut sum = 0.0;
    for start in (0..n).step_by(MSE_BLOCK) {
        let end = (start + MSE_BLOCK).min(n);
        x.copy_range_into(start, end, block.view_mut());
        let rows = block.slice(ndarray::s![..end - start, ..]);
        sum += model.reconstruction_mse(rows) * (end - start) as f64;
    }
    sum / n.max(1) as f64
}

/// Mean over all entries of (a − b)², summed in f64.
pub fn mean_squared_difference(a: ArrayView2<f32>, b: ArrayView2<f32>) -> f64 {
    let n = a.len().max(1) as f64;
    a.iter()
        .zip(b.iter())
        .map(|(&p, &q)| {
            let d = f64::from(p) - f64::from(q);
            d * d
        })
        .sum::<f64>()
        / n
}

/// What a method's fit gives, before it is timed and measured.
pub struct Fitted {
    /// The model (`None` for precomputed latents, which have no encoder or decoder).
    pub model: Option<Box<dyn LatentModel>>,
    /// Latent vectors of every row, in data order.
    pub latents: Array2<f32>,
    /// Per-epoch losses (empty for methods that do not train).
    pub loss_history: Vec<EpochLoss>,
}

/// A kind's fit: `spec` (of that kind) on the training rows of `prepared`, encoding every row;
/// progress and cancel through `ctl`.
pub type FitFn = fn(&MethodSpec, &Prepared, &TrainControl) -> crate::error::Result<Fitted>;

/// A kind's spec from a method's resolved settings.
pub type SpecFn = fn(&MethodConfig) -> crate::error::Result<MethodSpec>;

/// A kind's params (from a spec of that kind) back into a method's resolved settings.
pub type ReadFn = fn(&MethodSpec, &mut MethodConfig);

/// Called with the latents of every row as they form, and the iteration they are from.
pub type LatentsFn = Box<dyn Fn(Array2<f32>, usize) + Send + Sync>;

/// Where a fit that has no epochs stands (PCA): what it is doing and the share of the fit done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitStage {
    /// What it is doing, as read in "covariance 40 %".
    pub what: &'static str,
    /// The share of the whole fit done, 0 to 1.
    pub done: f32,
}

/// Lets a caller follow and stop a fit: a cancel flag checked every batch and a callback per epoch.
pub struct TrainControl {
    /// Set to true to stop the fit (it returns `Error::Cancelled`).
    pub cancel: Arc<AtomicBool>,
    /// Called after every epoch with that epoch's losses.
    pub on_epoch: Box<dyn Fn(&EpochLoss) + Send + Sync>,
    /// Called as a fit without epochs (PCA) moves on, a few dozen times at most; from any of
    /// the fit's threads.
    pub on_stage: Box<dyn Fn(FitStage) + Send + Sync>,
    /// For a watcher of the latents while they form (t-SNE, a few times a second); `None` when
    /// nobody watches, and then no copies are made.
    pub on_latents: Option<LatentsFn>,
}

impl TrainControl {
    /// A control that never cancels and ignores progress.
    pub fn silent() -> Self {
        TrainControl {
            cancel: Arc::new(AtomicBool::new(false)),
            on_epoch: Box::new(|_| {}),
            on_stage: Box::new(|_| {}),
            on_latents: None,
        }
    }

    /// True once cancellation was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The outcome of fitting one method on prepared data.
pub struct FittedMethod {
    /// What was fitted.
    pub spec: MethodSpec,
    /// The model (`None` for precomputed latents, which have no encoder or decoder).
    pub model: Option<Box<dyn LatentModel>>,
    /// Latent vectors of every row, in data order.
    pub latents: Array2<f32>,
    /// Wall time of the fit.
    pub fit_seconds: f64,
    /// Peak bytes the fit had allocated at once above what was allocated when it started, on
    /// its own threads ([`crate::memory::measure`]); `None` for precomputed latents.
    pub peak_memory_bytes: Option<u64>,
    /// Per-epoch losses (empty for PCA and precomputed latents).
    pub loss_history: Vec<EpochLoss>,
}

impl std::fmt::Debug for FittedMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FittedMethod")
            .field("spec", &self.spec)
            .field("latents", &self.latents.dim())
            .field("fit_seconds", &self.fit_seconds)
            .field("peak_memory_bytes", &self.peak_memory_bytes)
            .field("epochs", &self.loss_history.len())
            .finish()
    }
}
