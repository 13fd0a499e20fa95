//! One method's settings, every one resolved: what an `[a]`/`[b]` section holds once the defaults
//! are filled in, and what the app's method panel edits and persists. It keeps the settings of
//! every kind, so switching kind and back loses nothing; each kind's file turns it into that
//! kind's params (the registry's `spec` and `read`). The section as an optional layer is
//! `MethodSettings` in the experiment model (the config module).

use serde::{Deserialize, Serialize};

use super::{MethodKind, MethodSpec, PcaParams, TsneParams, UmapInit, UmapParams, VaeParams};
use crate::error::Result;
use crate::nn::{Activation, OutputKind};

/// One method's settings, every one resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MethodConfig {
    /// Which method.
    pub kind: MethodKind,
    /// Latent width.
    pub latent_dim: usize,
    /// Encoder hidden widths (the decoder mirrors them).
    pub hidden: Vec<usize>,
    /// Hidden activation.
    pub activation: Activation,
    /// Output layer.
    pub output: OutputKind,
    /// Epochs.
    pub epochs: usize,
    /// Batch size.
    pub batch_size: usize,
    /// Adam learning rate.
    pub learning_rate: f32,
    /// VAE β.
    pub beta: f32,
    /// t-SNE's perplexity.
    pub perplexity: f32,
    /// t-SNE's early exaggeration.
    pub early_exaggeration: f32,
    /// t-SNE's iterations.
    pub iterations: usize,
    /// t-SNE's Barnes-Hut θ.
    pub theta: f32,
    /// t-SNE's step size; `None` is auto, max(n / early_exaggeration / 4, 50).
    pub tsne_learning_rate: Option<f32>,
    /// UMAP's neighbours per row (the row counted).
    pub n_neighbors: usize,
    /// UMAP's smallest embedded distance.
    pub min_dist: f32,
    /// UMAP's curve scale.
    pub spread: f32,
    /// UMAP's epochs; `None` is auto (500 up to 10 000 rows, else 200).
    pub n_epochs: Option<usize>,
    /// UMAP's negative samples per edge sample.
    pub negative_sample_rate: usize,
    /// UMAP's start.
    pub init: UmapInit,
    /// Seed of initialisation and shuffling.
    pub seed: u64,
    /// Latents file for `Precomputed`.
    pub file: String,
}

impl Default for MethodConfig {
    fn default() -> Self {
        let vae = VaeParams::default();
        let (ae, train) = (&vae.ae, &vae.ae.train);
        let tsne = TsneParams::default();
        let umap = UmapParams::default();
        MethodConfig {
            kind: MethodKind::Pca,
            latent_dim: PcaParams::default().latent_dim,
            hidden: ae.hidden.clone(),
            activation: ae.activation,
            output: ae.output,
            epochs: train.epochs,
            batch_size: train.batch_size,
            learning_rate: train.learning_rate,
            beta: vae.beta,
            perplexity: tsne.perplexity,
            early_exaggeration: tsne.early_exaggeration,
            iterations: tsne.iterations,
            theta: tsne.theta,
            tsne_learning_rate: tsne.learning_rate,
            n_neighbors: umap.n_neighbors,
            min_dist: umap.min_dist,
            spread: umap.spread,
            n_epochs: umap.n_epochs,
            negative_sample_rate: umap.negative_sample_rate,
            init: umap.init,
            seed: train.seed,
            file: String::new(),
        }
    }
}

impl MethodConfig {
    /// A method of the given kind with default settings.
    pub fn of_kind(kind: MethodKind) -> Self {
        MethodConfig {
            kind,
            ..MethodConfig::default()
        }
    }

    /// The spec to fit (errors name what is wrong, e.g. an empty file path).
    pub fn spec(&self) -> Result<MethodSpec> {
        (self.kind.info().spec)(self)
    }

    /// Takes the kind and settings of a spec, keeping the settings the spec does not have.
    pub fn set_from(&mut self, spec: &MethodSpec) {
        self.kind = spec.kind();
        (self.kind.info().read)(spec, self);
    }
}
