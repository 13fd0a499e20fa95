//! What the app remembers across restarts (eframe storage) and saves as an experiment TOML: the
//! data source, preprocessing, both methods' forms and the view options. Forms keep every setting
//! of every method kind, so switching kind and back loses nothing.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::EvalSettings;
use crate::config::Margins;
use crate::config::{Experiment, ExperimentConfig, MarginSettings, MethodSettings};
use crate::data::{MissingPolicy, Preprocess};
use crate::error::Result;
use crate::methods::MethodSpec;
use crate::nn::{Activation, OutputKind};

/// The kinds of method a panel can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MethodKind {
    /// PCA.
    Pca,
    /// Dense autoencoder.
    Autoencoder,
    /// Variational autoencoder.
    Vae,
    /// Linear autoencoder.
    LinearAutoencoder,
    /// Latents from a file.
    Precomputed,
}

impl MethodKind {
    /// Every kind, in the order the picker lists them.
    pub const ALL: [MethodKind; 5] = [
        MethodKind::Pca,
        MethodKind::Autoencoder,
        MethodKind::Vae,
        MethodKind::LinearAutoencoder,
        MethodKind::Precomputed,
    ];

    /// Display name.
    pub fn label(self) -> &'static str {
        match self {
            MethodKind::Pca => "PCA",
            MethodKind::Autoencoder => "Autoencoder",
            MethodKind::Vae => "VAE",
            MethodKind::LinearAutoencoder => "Linear AE",
            MethodKind::Precomputed => "Precomputed file",
        }
    }

    /// True for the kinds trained by gradient descent.
    pub fn is_trained(self) -> bool {
        matches!(
            self,
            MethodKind::Autoencoder | MethodKind::Vae | MethodKind::LinearAutoencoder
        )
    }

    fn spec_name(self) -> &'static str {
        match self {
            MethodKind::Pca => "pca",
            MethodKind::Autoencoder => "ae",
            MethodKind::Vae => "vae",
            MethodKind::LinearAutoencoder => "linear-ae",
            MethodKind::Precomputed => "file",
        }
    }
}

/// One side panel's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MethodForm {
    /// Which method.
    pub kind: MethodKind,
    /// Latent width (2–16 in the GUI).
    pub latent_dim: usize,
    /// Encoder hidden widths.
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
    /// Seed.
    pub seed: u64,
    /// Latents file for `Precomputed`.
    pub file: String,
}

impl Default for MethodForm {
    fn default() -> Self {
        MethodForm {
            kind: MethodKind::Pca,
            latent_dim: 2,
            hidden: vec![128, 64],
            activation: Activation::Relu,
            output: OutputKind::Linear,
            epochs: 50,
            batch_size: 64,
            learning_rate: 1e-3,
            beta: 1.0,
            seed: 42,
            file: String::new(),
        }
    }
}

impl MethodForm {
    /// A form of the given kind with default settings.
    pub fn of_kind(kind: MethodKind) -> Self {
        MethodForm {
            kind,
            ..MethodForm::default()
        }
    }

    /// The method settings this form stands for (what the TOML `[a]`/`[b]` sections hold).
    pub fn settings(&self) -> MethodSettings {
        let method = if self.kind == MethodKind::Precomputed {
            format!("file:{}", self.file.trim())
        } else {
            self.kind.spec_name().to_string()
        };
        MethodSettings {
            method: Some(method),
            latent_dim: Some(self.latent_dim),
            hidden: Some(self.hidden.clone()),
            activation: Some(self.activation),
            output: Some(self.output),
            epochs: Some(self.epochs),
            batch_size: Some(self.batch_size),
            learning_rate: Some(self.learning_rate),
            beta: Some(self.beta),
            seed: Some(self.seed),
        }
    }

    /// The spec to fit (errors name what is wrong, e.g. an empty file path).
    pub fn spec(&self) -> Result<MethodSpec> {
        self.settings().to_spec("pca")
    }

    /// Fills the form from a spec, keeping the settings the spec does not have.
    pub fn set_from(&mut self, spec: &MethodSpec) {
        let s = MethodSettings::from_spec(spec);
        self.kind = match spec {
            MethodSpec::Pca(_) => MethodKind::Pca,
            MethodSpec::Autoencoder(_) => MethodKind::Autoencoder,
            MethodSpec::Vae(_) => MethodKind::Vae,
            MethodSpec::LinearAutoencoder(_) => MethodKind::LinearAutoencoder,
            MethodSpec::Precomputed { path } => {
                self.file = path.display().to_string();
                MethodKind::Precomputed
            }
        };
        self.latent_dim = s.latent_dim.unwrap_or(self.latent_dim);
        self.hidden = s.hidden.unwrap_or_else(|| self.hidden.clone());
        self.activation = s.activation.unwrap_or(self.activation);
        self.output = s.output.unwrap_or(self.output);
        self.epochs = s.epochs.unwrap_or(self.epochs);
        self.batch_size = s.batch_size.unwrap_or(self.batch_size);
        self.learning_rate = s.learning_rate.unwrap_or(self.learning_rate);
        self.beta = s.beta.unwrap_or(self.beta);
        self.seed = s.seed.unwrap_or(self.seed);
    }
}

/// Everything persisted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Built-in name or file path.
    pub data: String,
    /// CSV label column (name or index).
    pub label_column: Option<String>,
    /// Separate labels file.
    pub labels: Option<PathBuf>,
    /// Scaling.
    pub preprocess: Preprocess,
    /// Missing values in CSV files.
    pub missing: MissingPolicy,
    /// Held-out share.
    pub test_fraction: f64,
    /// Split seed.
    pub seed: u64,
    /// Method A's form.
    pub a: MethodForm,
    /// Method B's form.
    pub b: MethodForm,
    /// Neighbourhood size of the metrics.
    pub neighbors: usize,
    /// Rows the metrics use at most.
    pub metric_sample: usize,
    /// Verdict margins.
    pub margins: Margins,
    /// Loss curves on a log scale.
    pub log_loss: bool,
    /// Folder the report, figures and experiment file are written to.
    pub out_dir: String,
}

impl Default for Settings {
    fn default() -> Self {
        let eval = EvalSettings::default();
        Settings {
            data: crate::config::DEFAULT_DATA.into(),
            label_column: None,
            labels: None,
            preprocess: Preprocess::Standardize,
            missing: MissingPolicy::Drop,
            test_fraction: crate::config::DEFAULT_TEST_FRACTION,
            seed: crate::config::DEFAULT_SEED,
            a: MethodForm::of_kind(MethodKind::Pca),
            b: MethodForm::of_kind(MethodKind::Vae),
            neighbors: eval.neighbors,
            metric_sample: eval.metric_sample,
            margins: eval.margins,
            log_loss: false,
            out_dir: "latent-compare-out".into(),
        }
    }
}

impl Settings {
    /// The experiment config these settings stand for (what "Save experiment" writes).
    pub fn to_config(&self) -> ExperimentConfig {
        ExperimentConfig {
            data: Some(self.data.clone()),
            labels: self.labels.clone(),
            label_column: self.label_column.clone(),
            preprocess: Some(self.preprocess),
            missing: Some(self.missing),
            test_fraction: Some(self.test_fraction),
            seed: Some(self.seed),
            neighbors: Some(self.neighbors),
            metric_sample: Some(self.metric_sample),
            a: self.a.settings(),
            b: self.b.settings(),
            margins: MarginSettings {
                reconstruction: Some(self.margins.reconstruction),
                accuracy: Some(self.margins.accuracy),
                neighbourhood: Some(self.margins.neighbourhood),
                min_cka: Some(self.margins.min_cka),
                min_knn_jaccard: Some(self.margins.min_knn_jaccard),
            },
            ..ExperimentConfig::default()
        }
    }

    /// The resolved experiment (fails when a form is incomplete, e.g. no latents file).
    pub fn experiment(&self) -> Result<Experiment> {
        self.to_config().resolve()
    }

    /// Takes over an opened experiment config; unset values get the defaults, as on the CLI.
    pub fn apply_config(&mut self, config: &ExperimentConfig) -> Result<()> {
        let e = config.resolve()?;
        self.data = e.data;
        self.labels = e.labels;
        self.label_column = e.label_column;
        self.preprocess = e.preprocess;
        self.missing = e.missing;
        self.test_fraction = e.test_fraction;
        self.seed = e.seed;
        self.a.set_from(&e.a);
        self.b.set_from(&e.b);
        self.neighbors = e.eval.neighbors;
        self.metric_sample = e.eval.metric_sample;
        self.margins = e.eval.margins;
        Ok(())
    }

    /// The key of the data preparation these settings ask for; a fit is comparable with another
    /// only when both were made from the same key.
    pub fn prep_key(&self) -> PrepKey {
        PrepKey {
            data: self.data.clone(),
            label_column: self.label_column.clone(),
            labels: self.labels.clone(),
            preprocess: self.preprocess,
            test_fraction_bits: self.test_fraction.to_bits(),
            seed: self.seed,
        }
    }
}

/// Identity of a prepared dataset (source, scaling, split).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrepKey {
    data: String,
    label_column: Option<String>,
    labels: Option<PathBuf>,
    preprocess: Preprocess,
    test_fraction_bits: u64,
    seed: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_an_experiment_file() {
        let mut s = Settings {
            data: "blobs".into(),
            a: MethodForm::of_kind(MethodKind::Autoencoder),
            ..Default::default()
        };
        s.a.hidden = vec![32, 16];
        s.a.activation = Activation::Tanh;
        s.b.beta = 0.25;
        s.margins.min_cka = 0.8;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("exp.toml");
        s.to_config().to_file(&path).unwrap();
        let mut back = Settings::default();
        back.apply_config(&ExperimentConfig::from_file(&path).unwrap())
            .unwrap();
        assert_eq!(back.experiment().unwrap(), s.experiment().unwrap());
        assert_eq!(back.a.hidden, vec![32, 16]);
        assert_eq!(back.b.kind, MethodKind::Vae);
    }

    #[test]
    fn switching_kind_keeps_the_other_settings() {
        let mut form = MethodForm::of_kind(MethodKind::Vae);
        form.beta = 3.0;
        form.kind = MethodKind::Pca;
        assert_eq!(form.spec().unwrap().kind(), "pca");
        form.kind = MethodKind::Vae;
        let MethodSpec::Vae(p) = form.spec().unwrap() else {
            panic!()
        };
        assert_eq!(p.beta, 3.0);
    }

    #[test]
    fn an_empty_file_path_is_an_error() {
        let form = MethodForm::of_kind(MethodKind::Precomputed);
        assert!(
            form.spec()
                .unwrap_err()
                .to_string()
                .contains("file: needs a path")
        );
    }
}
