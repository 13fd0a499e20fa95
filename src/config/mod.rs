//! Experiment settings as the CLI and the TOML config give them (every field optional), and their
//! resolution into one [`Experiment`]: per-method sections `[a]`/`[b]` override the shared
//! settings, command-line flags override the file's shared settings, defaults fill the rest.
//! The GUI saves and opens the same TOML.

mod equivalence;
mod evaluation;
mod margins;
mod method;
mod paths;
mod sweep;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use equivalence::{EquivalenceConfig, EquivalenceSettings};
pub use evaluation::EvalSettings;
pub use margins::{MarginSettings, Margins};
pub use method::{MethodConfig, MethodSettings, parse_hidden_widths};
pub use sweep::{
    MAX_POINTS, Sweep, SweepConfig, SweepItem, SweepSide, SweepValue, sweepable_names,
};

use crate::data::{ImageShape, LabelColumn, LoadOptions, MissingPolicy, Preprocess};
use crate::error::{Error, Result};
use crate::methods::{MethodKind, MethodSpec, UmapInit};
use crate::nn::{Activation, OutputKind};

/// Default dataset.
pub const DEFAULT_DATA: &str = "digits";
/// Default seed (split, initialisation, shuffling).
pub use crate::methods::DEFAULT_SEED;
/// Default test fraction.
pub const DEFAULT_TEST_FRACTION: f64 = 0.2;

/// The experiment as a TOML file or the command line gives it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExperimentConfig {
    /// Built-in name or file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// Labels file for NPY (or CSV) data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub labels: Option<PathBuf>,
    /// Label column of a table: name, 0-based index, or `none` [default: auto].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_column: Option<LabelColumn>,
    /// Columns of a table left out of the features (names or 0-based indices).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drop_columns: Option<Vec<String>>,
    /// Each row is an image of this shape (`"28x28"`) [default: as the source says].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_shape: Option<ImageShape>,
    /// Column scaling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preprocess: Option<Preprocess>,
    /// What to do with missing values in a CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingPolicy>,
    /// Share of rows held out for testing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_fraction: Option<f64>,
    /// Settings shared by both methods (a method's own section wins).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Shared latent width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latent_dim: Option<usize>,
    /// Shared hidden widths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Vec<usize>>,
    /// Shared activation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// Shared output layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<OutputKind>,
    /// Shared epochs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
    /// Shared batch size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Shared learning rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_rate: Option<f32>,
    /// Shared β.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Option<f32>,
    /// Shared t-SNE perplexity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perplexity: Option<f32>,
    /// Shared t-SNE early exaggeration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_exaggeration: Option<f32>,
    /// Shared t-SNE iterations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// Shared t-SNE Barnes-Hut θ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta: Option<f32>,
    /// Shared t-SNE step size (unset: auto).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsne_learning_rate: Option<f32>,
    /// Shared UMAP neighbours per row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_neighbors: Option<usize>,
    /// Shared UMAP smallest embedded distance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_dist: Option<f32>,
    /// Shared UMAP curve scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread: Option<f32>,
    /// Shared UMAP epochs (unset: auto).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_epochs: Option<usize>,
    /// Shared UMAP negative samples per sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_sample_rate: Option<usize>,
    /// Shared UMAP start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<UmapInit>,
    /// k of the neighbourhood metrics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbors: Option<usize>,
    /// Largest number of rows the metrics use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric_sample: Option<usize>,
    /// Method A's own settings.
    pub a: MethodSettings,
    /// Method B's own settings.
    pub b: MethodSettings,
    /// Verdict margins.
    pub margins: MarginSettings,
    /// The equivalence protocol over repeated fits (runs only with `repeats`).
    #[serde(skip_serializing_if = "EquivalenceConfig::is_empty")]
    pub equivalence: EquivalenceConfig,
    /// A sweep: one setting stepped through values, a comparison at each.
    #[serde(skip_serializing_if = "SweepConfig::is_empty")]
    pub sweep: SweepConfig,
}

/// A fully resolved experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    /// Built-in name or file path.
    pub data: String,
    /// How to read it: labels, missing values, columns left out, image shape.
    pub load: LoadOptions,
    /// Scaling.
    pub preprocess: Preprocess,
    /// Test fraction.
    pub test_fraction: f64,
    /// Split seed.
    pub seed: u64,
    /// Method A.
    pub a: MethodSpec,
    /// Method B.
    pub b: MethodSpec,
    /// Metric settings and verdict margins.
    pub eval: EvalSettings,
    /// The equivalence protocol, when asked for.
    pub equivalence: Option<EquivalenceSettings>,
    /// The sweep, when asked for: the methods above are its base, changed point by point.
    pub sweep: Option<Sweep>,
}

impl ExperimentConfig {
    /// Reads a TOML config; errors name the file and the line.
    pub fn from_file(path: &Path) -> Result<ExperimentConfig> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let config: ExperimentConfig = toml::from_str(&text).map_err(|e| {
            Error::bad_file(
                path,
                format!(
                    "not a valid experiment config: {}",
                    e.to_string().trim_end()
                ),
            )
        })?;
        let folder = path.parent().unwrap_or(Path::new(""));
        Ok(config.paths_from(folder))
    }

    /// This config as TOML text.
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string_pretty(self)
            .map_err(|e| Error::Internal(format!("cannot serialise the config: {e}")))
    }

    /// Writes this config as TOML, whole (a previous file stays until the new one is written).
    pub fn to_file(&self, path: &Path) -> Result<()> {
        crate::fsio::write_whole(path, self.to_toml()?.as_bytes())
    }

    /// Field by field: `self` where set, else `fallback` (sections merged the same way).
    pub fn or(&self, fallback: &ExperimentConfig) -> ExperimentConfig {
        ExperimentConfig {
            data: self.data.clone().or_else(|| fallback.data.clone()),
            labels: self.labels.clone().or_else(|| fallback.labels.clone()),
            label_column: self
                .label_column
                .clone()
                .or_else(|| fallback.label_column.clone()),
            drop_columns: self
                .drop_columns
                .clone()
                .or_else(|| fallback.drop_columns.clone()),
            image_shape: self.image_shape.or(fallback.image_shape),
            preprocess: self.preprocess.or(fallback.preprocess),
            missing: self.missing.or(fallback.missing),
            test_fraction: self.test_fraction.or(fallback.test_fraction),
            seed: self.seed.or(fallback.seed),
            latent_dim: self.latent_dim.or(fallback.latent_dim),
            hidden: self.hidden.clone().or_else(|| fallback.hidden.clone()),
            activation: self.activation.or(fallback.activation),
            output: self.output.or(fallback.output),
            epochs: self.epochs.or(fallback.epochs),
            batch_size: self.batch_size.or(fallback.batch_size),
            learning_rate: self.learning_rate.or(fallback.learning_rate),
            beta: self.beta.or(fallback.beta),
            perplexity: self.perplexity.or(fallback.perplexity),
            early_exaggeration: self.early_exaggeration.or(fallback.early_exaggeration),
            iterations: self.iterations.or(fallback.iterations),
            theta: self.theta.or(fallback.theta),
            tsne_learning_rate: self.tsne_learning_rate.or(fallback.tsne_learning_rate),
            n_neighbors: self.n_neighbors.or(fallback.n_neighbors),
            min_dist: self.min_dist.or(fallback.min_dist),
            spread: self.spread.or(fallback.spread),
            n_epochs: self.n_epochs.or(fallback.n_epochs),
            negative_sample_rate: self.negative_sample_rate.or(fallback.negative_sample_rate),
            init: self.init.or(fallback.init),
            neighbors: self.neighbors.or(fallback.neighbors),
            metric_sample: self.metric_sample.or(fallback.metric_sample),
            a: self.a.or(&fallback.a),
            b: self.b.or(&fallback.b),
            margins: self.margins.or(&fallback.margins),
            equivalence: self.equivalence.or(&fallback.equivalence),
            sweep: self.sweep.or(&fallback.sweep),
        }
    }

    fn shared(&self) -> MethodSettings {
        MethodSettings {
            method: None,
            latent_dim: self.latent_dim,
            hidden: self.hidden.clone(),
            activation: self.activation,
            output: self.output,
            epochs: self.epochs,
            batch_size: self.batch_size,
            learning_rate: self.learning_rate,
            beta: self.beta,
            seed: self.seed,
            perplexity: self.perplexity,
            early_exaggeration: self.early_exaggeration,
            iterations: self.iterations,
            theta: self.theta,
            tsne_learning_rate: self.tsne_learning_rate,
            n_neighbors: self.n_neighbors,
            min_dist: self.min_dist,
            spread: self.spread,
            n_epochs: self.n_epochs,
            negative_sample_rate: self.negative_sample_rate,
            init: self.init,
        }
    }

    /// The data keys that reproduce `load` (defaults left unset, so files stay short).
    pub fn from_load_options(load: &LoadOptions) -> ExperimentConfig {
        ExperimentConfig {
            labels: load.labels.clone(),
            label_column: (load.label_column != LabelColumn::Auto)
                .then(|| load.label_column.clone()),
            missing: Some(load.missing),
            drop_columns: (!load.drop_columns.is_empty()).then(|| load.drop_columns.clone()),
            image_shape: load.image_shape,
            ..ExperimentConfig::default()
        }
    }

    /// Resolves into an experiment with defaults (digits, PCA vs VAE, seed 42, …).
    pub fn resolve(&self) -> Result<Experiment> {
        let shared = self.shared();
        Ok(Experiment {
            data: self.data.clone().unwrap_or_else(|| DEFAULT_DATA.into()),
            load: LoadOptions {
                label_column: self.label_column.clone().unwrap_or_default(),
                labels: self.labels.clone(),
                missing: self.missing.unwrap_or_default(),
                drop_columns: self.drop_columns.clone().unwrap_or_default(),
                image_shape: self.image_shape,
            },
            preprocess: self.preprocess.unwrap_or_default(),
            test_fraction: self.test_fraction.unwrap_or(DEFAULT_TEST_FRACTION),
            seed: self.seed.unwrap_or(DEFAULT_SEED),
            a: self.a.or(&shared).to_spec(MethodKind::Pca)?,
            b: self.b.or(&shared).to_spec(MethodKind::Vae)?,
            eval: EvalSettings {
                neighbors: self.neighbors.unwrap_or(EvalSettings::default().neighbors),
                metric_sample: self
                    .metric_sample
                    .unwrap_or(EvalSettings::default().metric_sample),
                margins: self.margins.resolve()?,
            },
            equivalence: self.equivalence.resolve()?,
            sweep: self.sweep.resolve()?,
        })
    }

    /// The config that reproduces `experiment` exactly (what the GUI saves).
    pub fn from_experiment(e: &Experiment) -> ExperimentConfig {
        ExperimentConfig {
            data: Some(e.data.clone()),
            preprocess: Some(e.preprocess),
            test_fraction: Some(e.test_fraction),
            seed: Some(e.seed),
            a: MethodSettings::from_spec(&e.a),
            b: MethodSettings::from_spec(&e.b),
            neighbors: Some(e.eval.neighbors),
            metric_sample: Some(e.eval.metric_sample),
            margins: MarginSettings::from_margins(&e.eval.margins),
            equivalence: e
                .equivalence
                .as_ref()
                .map(EquivalenceConfig::from_settings)
                .unwrap_or_default(),
            sweep: e.sweep.as_ref().map(Sweep::to_config).unwrap_or_default(),
            ..ExperimentConfig::from_load_options(&e.load)
        }
    }
}

#[cfg(test)]
mod tests;
