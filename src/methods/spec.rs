//! What to fit: [`MethodSpec`] and its parameters (serde, validated before any fitting), each
//! with its one `Default`: the CLI, the TOML and the app read the defaults from here.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{MethodKind, TsneParams, UmapParams};
use crate::data::Preprocess;
use crate::error::{Error, Result};
use crate::nn::{Activation, OutputKind};

/// The seed of every random choice unless one is given (split, initialisation, shuffling).
pub const DEFAULT_SEED: u64 = 42;

/// Width of the latent space unless one is given.
pub const DEFAULT_LATENT_DIM: usize = 2;
/// Most epochs a trained method may run (a bound on what a typo can cost).
pub const MAX_EPOCHS: usize = 1_000_000;
/// Most weights a network may have: with gradients and Adam's two moments, 16 bytes each, so
/// 1.6 GB.
pub const MAX_PARAMETERS: u64 = 100_000_000;

/// PCA parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PcaParams {
    /// Number of components.
    pub latent_dim: usize,
}

impl Default for PcaParams {
    fn default() -> Self {
        PcaParams {
            latent_dim: DEFAULT_LATENT_DIM,
        }
    }
}

/// Settings every trained method shares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainParams {
    /// Width of the latent space.
    pub latent_dim: usize,
    /// Passes over the training rows.
    pub epochs: usize,
    /// Rows per Adam step.
    pub batch_size: usize,
    /// Adam's step size.
    pub learning_rate: f32,
    /// Seed of initialisation, shuffling and sampling.
    pub seed: u64,
}

impl Default for TrainParams {
    fn default() -> Self {
        TrainParams {
            latent_dim: DEFAULT_LATENT_DIM,
            epochs: 50,
            batch_size: 64,
            learning_rate: 1e-3,
            seed: DEFAULT_SEED,
        }
    }
}

/// Dense autoencoder parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AeParams {
    /// Shared training settings.
    #[serde(flatten)]
    pub train: TrainParams,
    /// Encoder hidden widths; the decoder mirrors them.
    pub hidden: Vec<usize>,
    /// Hidden-layer activation.
    pub activation: Activation,
    /// Output layer: linear with MSE, or sigmoid with binary cross-entropy.
    pub output: OutputKind,
}

impl Default for AeParams {
    fn default() -> Self {
        AeParams {
            train: TrainParams::default(),
            hidden: vec![128, 64],
            activation: Activation::Relu,
            output: OutputKind::Linear,
        }
    }
}

/// Variational autoencoder parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeParams {
    /// The autoencoder trunk.
    #[serde(flatten)]
    pub ae: AeParams,
    /// Weight of the KL term.
    pub beta: f32,
}

impl Default for VaeParams {
    fn default() -> Self {
        VaeParams {
            ae: AeParams::default(),
            beta: 1.0,
        }
    }
}

/// Linear autoencoder: one linear layer each way, no hidden layer, MSE.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LinearAeParams {
    /// Shared training settings.
    #[serde(flatten)]
    pub train: TrainParams,
}

/// A method to fit, with all its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "method")]
pub enum MethodSpec {
    /// Principal component analysis.
    #[serde(rename = "pca")]
    Pca(PcaParams),
    /// Dense autoencoder.
    #[serde(rename = "ae")]
    Autoencoder(AeParams),
    /// Variational autoencoder.
    #[serde(rename = "vae")]
    Vae(VaeParams),
    /// Linear autoencoder (spans PCA's subspace when trained to convergence).
    #[serde(rename = "linear-ae")]
    LinearAutoencoder(LinearAeParams),
    /// t-SNE: all rows embedded together, no encoder or decoder.
    #[serde(rename = "tsne")]
    Tsne(TsneParams),
    /// UMAP: all rows embedded together, no encoder or decoder.
    #[serde(rename = "umap")]
    Umap(UmapParams),
    /// Latents precomputed elsewhere, one row per data row.
    #[serde(rename = "file")]
    Precomputed {
        /// CSV or NPY file of latents.
        path: PathBuf,
    },
}

impl MethodSpec {
    /// The training settings of a trained method (`None` for PCA and precomputed latents).
    pub fn train(&self) -> Option<&TrainParams> {
        match self {
            MethodSpec::Autoencoder(p) => Some(&p.train),
            MethodSpec::Vae(p) => Some(&p.ae.train),
            MethodSpec::LinearAutoencoder(p) => Some(&p.train),
            MethodSpec::Pca(_)
            | MethodSpec::Tsne(_)
            | MethodSpec::Umap(_)
            | MethodSpec::Precomputed { .. } => None,
        }
    }

    /// The training settings to change, for a trained method.
    pub fn train_mut(&mut self) -> Option<&mut TrainParams> {
        match self {
            MethodSpec::Autoencoder(p) => Some(&mut p.train),
            MethodSpec::Vae(p) => Some(&mut p.ae.train),
            MethodSpec::LinearAutoencoder(p) => Some(&mut p.train),
            MethodSpec::Pca(_)
            | MethodSpec::Tsne(_)
            | MethodSpec::Umap(_)
            | MethodSpec::Precomputed { .. } => None,
        }
    }

    /// Epochs of a trained method, iterations of t-SNE, UMAP's epochs for `rows` rows (its
    /// `auto` depends on them): the steps its progress counts (`None` for PCA and precomputed
    /// latents).
    pub fn epochs(&self, rows: usize) -> Option<usize> {
        match self {
            MethodSpec::Tsne(p) => Some(p.iterations),
            MethodSpec::Umap(p) => Some(p.epochs_for(rows)),
            other => other.train().map(|t| t.epochs),
        }
    }

    /// What its progress counts: "iteration" for t-SNE, "epoch" for the others.
    pub fn step_word(&self) -> &'static str {
        match self {
            MethodSpec::Tsne(_) => "iteration",
            _ => "epoch",
        }
    }

    /// The seed of a method whose runs vary with one: a network's initialisation and
    /// shuffling, t-SNE's start (`None` for PCA and precomputed latents).
    pub fn training_seed(&self) -> Option<u64> {
        match self {
            MethodSpec::Tsne(p) => Some(p.seed),
            MethodSpec::Umap(p) => Some(p.seed),
            other => other.train().map(|t| t.seed),
        }
    }

    /// This spec with its seed set to `seed` (unchanged for methods without one).
    pub fn with_seed(&self, seed: u64) -> MethodSpec {
        let mut spec = self.clone();
        if let MethodSpec::Tsne(p) = &mut spec {
            p.seed = seed;
        } else if let MethodSpec::Umap(p) = &mut spec {
            p.seed = seed;
        } else if let Some(train) = spec.train_mut() {
            train.seed = seed;
        }
        spec
    }

    /// The kind (its name, as on the command line: `pca`, `ae`, `vae`, `linear-ae`, `file`).
    pub fn kind(&self) -> MethodKind {
        match self {
            MethodSpec::Pca(_) => MethodKind::Pca,
            MethodSpec::Autoencoder(_) => MethodKind::Autoencoder,
            MethodSpec::Vae(_) => MethodKind::Vae,
            MethodSpec::LinearAutoencoder(_) => MethodKind::LinearAutoencoder,
            MethodSpec::Tsne(_) => MethodKind::Tsne,
            MethodSpec::Umap(_) => MethodKind::Umap,
            MethodSpec::Precomputed { .. } => MethodKind::Precomputed,
        }
    }

    /// The latent width this spec asks for (`None` for a file: its width is its column count).
    pub fn latent_dim(&self) -> Option<usize> {
        match self {
            MethodSpec::Pca(p) => Some(p.latent_dim),
            MethodSpec::Tsne(p) => Some(p.latent_dim),
            MethodSpec::Umap(p) => Some(p.latent_dim),
            other => other.train().map(|t| t.latent_dim),
        }
    }

    /// Weights and biases of the network a trained method builds on `n_features` inputs (the
    /// decoder mirrors the encoder; a VAE's last encoder layer gives a mean and a log-variance),
    /// in u128 so that no size a user types can overflow; 0 for PCA and precomputed latents.
    pub fn network_parameters(&self, n_features: usize) -> u128 {
        let dense = |from: u128, to: u128| from.saturating_mul(to).saturating_add(to);
        let (train, hidden, heads): (&TrainParams, &[usize], u128) = match self {
            MethodSpec::Autoencoder(p) => (&p.train, &p.hidden, 1),
            MethodSpec::Vae(p) => (&p.ae.train, &p.ae.hidden, 2),
            MethodSpec::LinearAutoencoder(p) => (&p.train, &[], 1),
            MethodSpec::Pca(_)
            | MethodSpec::Tsne(_)
            | MethodSpec::Umap(_)
            | MethodSpec::Precomputed { .. } => {
                return 0;
            }
        };
        let latent = train.latent_dim as u128;
        let mut widths: Vec<u128> = vec![n_features as u128];
        widths.extend(hidden.iter().map(|&w| w as u128));
        let mut total: u128 = 0;
        for pair in widths.windows(2) {
            // the encoder's layer and its mirror in the decoder
            total = total
                .saturating_add(dense(pair[0], pair[1]))
                .saturating_add(dense(pair[1], pair[0]));
        }
        let last = widths[widths.len() - 1];
        total
            .saturating_add(dense(last, latent.saturating_mul(heads)))
            .saturating_add(dense(latent, last))
    }

    /// Checks every parameter against the data it will be fitted on; the error names the
    /// setting, the allowed range and what was given.
    pub fn validate(
        &self,
        n_features: usize,
        n_train: usize,
        preprocess: Preprocess,
    ) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidInput(format!("{}: {msg}", self.kind())));
        if let MethodSpec::Tsne(p) = self {
            // t-SNE embeds all rows; the training rows are the fewest it can be given.
            return p.validate(n_train);
        }
        if let MethodSpec::Umap(p) = self {
            // UMAP embeds all rows; the training rows are the fewest it can be given.
            return p.validate(n_train);
        }
        if let Some(dim) = self.latent_dim() {
            if dim == 0 {
                return bad("latent dimension must be at least 1".into());
            }
            if matches!(self, MethodSpec::Pca(_)) && dim > n_features.min(n_train) {
                return bad(format!(
                    "latent dimension {dim} is more than PCA can give here ({} = the smaller of {n_features} features and {n_train} training rows)",
                    n_features.min(n_train)
                ));
            }
        }
        let train = match self {
            MethodSpec::Autoencoder(p) => Some((&p.train, Some(p))),
            MethodSpec::Vae(p) => Some((&p.ae.train, Some(&p.ae))),
            MethodSpec::LinearAutoencoder(p) => Some((&p.train, None)),
            _ => None,
        };
        if let Some((t, ae)) = train {
            if t.epochs == 0 {
                return bad("epochs must be at least 1".into());
            }
            if t.epochs > MAX_EPOCHS {
                return bad(format!(
                    "epochs must be at most {MAX_EPOCHS} (got {}); more is almost surely a typo \
                     (a million passes over the data)",
                    t.epochs
                ));
            }
            let parameters = self.network_parameters(n_features);
            if parameters > MAX_PARAMETERS as u128 {
                return bad(format!(
                    "the network would have {parameters} parameters (latent dimension {}, hidden \
                     widths {}, {n_features} features), more than the {MAX_PARAMETERS} that fit \
                     in memory with their gradients and Adam's state (16 bytes each); use \
                     smaller --hidden widths or --latent-dim",
                    t.latent_dim,
                    ae.map_or("none".into(), |a| format!("{:?}", a.hidden))
                ));
            }
            if t.batch_size == 0 {
                return bad("batch size must be at least 1".into());
            }
            if !(t.learning_rate.is_finite() && t.learning_rate > 0.0) {
                return bad(format!(
                    "learning rate must be a positive number (got {})",
                    t.learning_rate
                ));
            }
            if let Some(ae) = ae {
                if ae.hidden.contains(&0) {
                    return bad("hidden layer widths must be at least 1".into());
                }
                if ae.output == OutputKind::Sigmoid && preprocess != Preprocess::Minmax {
                    return bad(format!(
                        "sigmoid output with binary cross-entropy needs data in [0, 1]; use --preprocess minmax (now {preprocess}) or --output linear"
                    ));
                }
            }
        }
        if let MethodSpec::Vae(p) = self
            && !(p.beta.is_finite() && p.beta >= 0.0)
        {
            return bad(format!("beta must be 0 or more (got {})", p.beta));
        }
        Ok(())
    }
}

impl fmt::Display for MethodSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MethodSpec::Pca(p) => write!(f, "PCA ({} components)", p.latent_dim),
            MethodSpec::Autoencoder(p) => write!(
                f,
                "autoencoder ({}, latent {})",
                hidden_text(&p.hidden),
                p.train.latent_dim
            ),
            MethodSpec::Vae(p) => write!(
                f,
                "VAE ({}, latent {}, β {})",
                hidden_text(&p.ae.hidden),
                p.ae.train.latent_dim,
                p.beta
            ),
            MethodSpec::LinearAutoencoder(p) => {
                write!(f, "linear autoencoder (latent {})", p.train.latent_dim)
            }
            MethodSpec::Tsne(p) => write!(
                f,
                "t-SNE (perplexity {}, {} iterations, {}-D)",
                p.perplexity, p.iterations, p.latent_dim
            ),
            MethodSpec::Umap(p) => write!(
                f,
                "UMAP ({} neighbours, min_dist {}, {} start, {}-D)",
                p.n_neighbors, p.min_dist, p.init, p.latent_dim
            ),
            MethodSpec::Precomputed { path } => write!(f, "precomputed ({})", path.display()),
        }
    }
}

fn hidden_text(hidden: &[usize]) -> String {
    if hidden.is_empty() {
        "no hidden layer".into()
    } else {
        let widths: Vec<String> = hidden.iter().map(usize::to_string).collect();
        format!("hidden {}", widths.join("-"))
    }
}
