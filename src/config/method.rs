//! One method's settings in two shapes of the same `[a]`/`[b]` section: [`MethodSettings`], each
//! setting optional (a layer: the CLI, the file's shared keys, its section), and [`MethodConfig`],
//! every setting resolved (what the app's method panel edits and persists). A `MethodConfig`
//! keeps the settings of every kind, so switching kind and back loses nothing. Defaults come from
//! the params' `Default`s in `crate::methods`.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
pub use crate::methods::MethodConfig;
use crate::methods::{MethodKind, MethodSpec, Setting, UmapInit};
use crate::nn::{Activation, OutputKind};

/// Hidden widths from text: positive integers separated by commas (`128,64`), or `none` (or
/// nothing) for no hidden layer.
pub fn parse_hidden_widths(s: &str) -> std::result::Result<Vec<usize>, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("none") {
        return Ok(Vec::new());
    }
    s.split(',')
        .map(|w| match w.trim().parse::<usize>() {
            Ok(0) | Err(_) => Err(format!(
                "hidden widths must be positive integers separated by commas, like 128,64 (got '{w}')"
            )),
            Ok(v) => Ok(v),
        })
        .collect()
}

/// Method settings, each optional so that layers can be merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MethodSettings {
    /// `pca`, `ae`, `vae`, `linear-ae`, `tsne`, `umap` or `file:PATH` (checked as the file is read, so that an
    /// unknown name is reported with its line).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "known_method"
    )]
    pub method: Option<String>,
    /// Latent width.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latent_dim: Option<usize>,
    /// Encoder hidden widths.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hidden: Option<Vec<usize>>,
    /// Hidden activation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// Output layer kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<OutputKind>,
    /// Training epochs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epochs: Option<usize>,
    /// Batch size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Adam learning rate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_rate: Option<f32>,
    /// VAE KL weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Option<f32>,
    /// Seed of this method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// t-SNE perplexity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perplexity: Option<f32>,
    /// t-SNE early exaggeration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub early_exaggeration: Option<f32>,
    /// t-SNE iterations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterations: Option<usize>,
    /// t-SNE Barnes-Hut θ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub theta: Option<f32>,
    /// t-SNE step size (unset: auto).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tsne_learning_rate: Option<f32>,
    /// UMAP neighbours per row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_neighbors: Option<usize>,
    /// UMAP smallest embedded distance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_dist: Option<f32>,
    /// UMAP curve scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spread: Option<f32>,
    /// UMAP epochs (unset: auto).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_epochs: Option<usize>,
    /// UMAP negative samples per sample.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negative_sample_rate: Option<usize>,
    /// UMAP start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init: Option<UmapInit>,
}

/// A method name as written, refused when it names no method.
fn known_method<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    let name = Option::<String>::deserialize(d)?;
    if let Some(name) = &name {
        let trimmed = name.trim();
        if !trimmed.starts_with("file:") && MethodKind::from_name(trimmed).is_none() {
            return Err(serde::de::Error::custom(format!(
                "unknown method '{}'; use {}",
                trimmed.to_ascii_lowercase(),
                MethodKind::choices()
            )));
        }
    }
    Ok(name)
}

impl MethodSettings {
    /// Field by field: `self` where set, else `fallback`.
    pub fn or(&self, fallback: &MethodSettings) -> MethodSettings {
        MethodSettings {
            method: self.method.clone().or_else(|| fallback.method.clone()),
            latent_dim: self.latent_dim.or(fallback.latent_dim),
            hidden: self.hidden.clone().or_else(|| fallback.hidden.clone()),
            activation: self.activation.or(fallback.activation),
            output: self.output.or(fallback.output),
            epochs: self.epochs.or(fallback.epochs),
            batch_size: self.batch_size.or(fallback.batch_size),
            learning_rate: self.learning_rate.or(fallback.learning_rate),
            beta: self.beta.or(fallback.beta),
            seed: self.seed.or(fallback.seed),
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
        }
    }

    /// Builds the spec, filling unset values with the defaults (`default_kind` when no method is
    /// named).
    pub fn to_spec(&self, default_kind: MethodKind) -> Result<MethodSpec> {
        let mut config = MethodConfig::of_kind(default_kind);
        config.apply(self)?;
        config.spec()
    }

    /// The settings that reproduce `spec` exactly: the method and the settings its kind reads.
    pub fn from_spec(spec: &MethodSpec) -> MethodSettings {
        let mut config = MethodConfig::default();
        config.set_from(spec);
        let all = config.settings();
        let kind = spec.kind();
        let keep = |setting: Setting| kind.uses(setting);
        MethodSettings {
            method: all.method,
            latent_dim: all.latent_dim.filter(|_| keep(Setting::LatentDim)),
            hidden: all.hidden.filter(|_| keep(Setting::Hidden)),
            activation: all.activation.filter(|_| keep(Setting::Activation)),
            output: all.output.filter(|_| keep(Setting::Output)),
            epochs: all.epochs.filter(|_| keep(Setting::Epochs)),
            batch_size: all.batch_size.filter(|_| keep(Setting::BatchSize)),
            learning_rate: all.learning_rate.filter(|_| keep(Setting::LearningRate)),
            beta: all.beta.filter(|_| keep(Setting::Beta)),
            seed: all.seed.filter(|_| keep(Setting::Seed)),
            perplexity: all.perplexity.filter(|_| keep(Setting::Perplexity)),
            early_exaggeration: all
                .early_exaggeration
                .filter(|_| keep(Setting::EarlyExaggeration)),
            iterations: all.iterations.filter(|_| keep(Setting::Iterations)),
            theta: all.theta.filter(|_| keep(Setting::Theta)),
            tsne_learning_rate: all
                .tsne_learning_rate
                .filter(|_| keep(Setting::TsneLearningRate)),
            n_neighbors: all.n_neighbors.filter(|_| keep(Setting::NNeighbors)),
            min_dist: all.min_dist.filter(|_| keep(Setting::MinDist)),
            spread: all.spread.filter(|_| keep(Setting::Spread)),
            n_epochs: all.n_epochs.filter(|_| keep(Setting::NEpochs)),
            negative_sample_rate: all
                .negative_sample_rate
                .filter(|_| keep(Setting::NegativeSampleRate)),
            init: all.init.filter(|_| keep(Setting::Init)),
        }
    }
}

impl MethodConfig {
    /// Takes every setting `layer` sets; an unknown method name is an error naming the choices.
    pub fn apply(&mut self, layer: &MethodSettings) -> Result<()> {
        if let Some(method) = &layer.method {
            let method = method.trim();
            if let Some(path) = method.strip_prefix("file:") {
                self.kind = MethodKind::Precomputed;
                self.file = path.trim().to_string();
            } else {
                self.kind = MethodKind::from_name(method).ok_or_else(|| {
                    Error::InvalidInput(format!(
                        "unknown method '{}'; use {}",
                        method.to_ascii_lowercase(),
                        MethodKind::choices()
                    ))
                })?;
            }
        }
        let s = layer;
        self.latent_dim = s.latent_dim.unwrap_or(self.latent_dim);
        self.hidden = s.hidden.clone().unwrap_or_else(|| self.hidden.clone());
        self.activation = s.activation.unwrap_or(self.activation);
        self.output = s.output.unwrap_or(self.output);
        self.epochs = s.epochs.unwrap_or(self.epochs);
        self.batch_size = s.batch_size.unwrap_or(self.batch_size);
        self.learning_rate = s.learning_rate.unwrap_or(self.learning_rate);
        self.beta = s.beta.unwrap_or(self.beta);
        self.seed = s.seed.unwrap_or(self.seed);
        self.perplexity = s.perplexity.unwrap_or(self.perplexity);
        self.early_exaggeration = s.early_exaggeration.unwrap_or(self.early_exaggeration);
        self.iterations = s.iterations.unwrap_or(self.iterations);
        self.theta = s.theta.unwrap_or(self.theta);
        self.n_neighbors = s.n_neighbors.unwrap_or(self.n_neighbors);
        self.min_dist = s.min_dist.unwrap_or(self.min_dist);
        self.spread = s.spread.unwrap_or(self.spread);
        self.negative_sample_rate = s.negative_sample_rate.unwrap_or(self.negative_sample_rate);
        self.init = s.init.unwrap_or(self.init);
        self.n_epochs = s.n_epochs.or(self.n_epochs);
        self.tsne_learning_rate = s.tsne_learning_rate.or(self.tsne_learning_rate);
        Ok(())
    }

    /// Every setting as a section layer (what "Save experiment" writes for a side).
    pub fn settings(&self) -> MethodSettings {
        let method = if self.kind == MethodKind::Precomputed {
            format!("file:{}", self.file.trim())
        } else {
            self.kind.name().to_string()
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
            perplexity: Some(self.perplexity),
            early_exaggeration: Some(self.early_exaggeration),
            iterations: Some(self.iterations),
            theta: Some(self.theta),
            n_neighbors: Some(self.n_neighbors),
            min_dist: Some(self.min_dist),
            spread: Some(self.spread),
            negative_sample_rate: Some(self.negative_sample_rate),
            init: Some(self.init),
            n_epochs: self.n_epochs,
            tsne_learning_rate: self.tsne_learning_rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{PcaParams, VaeParams};

    #[test]
    fn switching_kind_keeps_the_other_settings() {
        let mut form = MethodConfig::of_kind(MethodKind::Vae);
        form.beta = 3.0;
        form.kind = MethodKind::Pca;
        assert_eq!(form.spec().unwrap().kind(), MethodKind::Pca);
        form.kind = MethodKind::Vae;
        let MethodSpec::Vae(p) = form.spec().unwrap() else {
            panic!()
        };
        assert_eq!(p.beta, 3.0);
    }

    #[test]
    fn the_tsne_step_size_is_auto_unless_set() {
        let layer = MethodSettings {
            method: Some("tsne".into()),
            ..Default::default()
        };
        let auto = layer.to_spec(MethodKind::Pca).unwrap();
        let set = MethodSettings {
            tsne_learning_rate: Some(80.0),
            ..layer
        }
        .to_spec(MethodKind::Pca)
        .unwrap();
        let (MethodSpec::Tsne(auto), MethodSpec::Tsne(set)) = (auto, set) else {
            panic!()
        };
        assert_eq!((auto.learning_rate, set.learning_rate), (None, Some(80.0)));
        // 1797 rows: auto is max(1797 / 12 / 4, 50) = 50; set is 80
        assert_eq!(auto.settings(1797).learning_rate, 50.0);
        assert_eq!(set.settings(1797).learning_rate, 80.0);
    }

    #[test]
    fn an_empty_file_path_is_an_error() {
        let form = MethodConfig::of_kind(MethodKind::Precomputed);
        assert!(
            form.spec()
                .unwrap_err()
                .to_string()
                .contains("file: needs a path")
        );
    }

    #[test]
    fn defaults_are_the_params_defaults() {
        let MethodSpec::Vae(v) = MethodConfig::of_kind(MethodKind::Vae).spec().unwrap() else {
            panic!()
        };
        assert_eq!(v, VaeParams::default());
        let MethodSpec::Pca(p) = MethodConfig::default().spec().unwrap() else {
            panic!()
        };
        assert_eq!(p, PcaParams::default());
    }

    #[test]
    fn a_spec_round_trips_through_its_settings() {
        for kind in MethodKind::ALL {
            let mut config = MethodConfig::of_kind(kind);
            config.file = "z.csv".into();
            config.latent_dim = 3;
            config.seed = 7;
            let spec = config.spec().unwrap();
            assert_eq!(spec.kind(), kind);
            let back = MethodSettings::from_spec(&spec)
                .to_spec(MethodKind::Pca)
                .unwrap();
            assert_eq!(back, spec, "{kind}");
        }
    }
}
