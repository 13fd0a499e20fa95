//! Per-method settings as the CLI and the `[a]`/`[b]` sections give them, and their conversion
//! to and from a [`MethodSpec`].

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::DEFAULT_SEED;
use crate::error::{Error, Result};
use crate::methods::spec::TrainParams;
use crate::methods::{AeParams, LinearAeParams, MethodSpec, PcaParams, VaeParams};
use crate::nn::{Activation, OutputKind};

/// Method settings, each optional so that layers can be merged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MethodSettings {
    /// `pca`, `ae`, `vae`, `linear-ae` or `file:PATH`.
    #[serde(skip_serializing_if = "Option::is_none")]
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
        }
    }

    /// Builds the spec, filling unset values with the defaults (`default_method` when no method
    /// is named).
    pub fn to_spec(&self, default_method: &str) -> Result<MethodSpec> {
        let method = self.method.as_deref().unwrap_or(default_method).trim();
        let train = TrainParams {
            latent_dim: self.latent_dim.unwrap_or(2),
            epochs: self.epochs.unwrap_or(50),
            batch_size: self.batch_size.unwrap_or(64),
            learning_rate: self.learning_rate.unwrap_or(1e-3),
            seed: self.seed.unwrap_or(DEFAULT_SEED),
        };
        let ae = AeParams {
            train: train.clone(),
            hidden: self.hidden.clone().unwrap_or_else(|| vec![128, 64]),
            activation: self.activation.unwrap_or(Activation::Relu),
            output: self.output.unwrap_or(OutputKind::Linear),
        };
        if let Some(path) = method.strip_prefix("file:") {
            if path.trim().is_empty() {
                return Err(Error::InvalidInput(
                    "file: needs a path, e.g. --method-b file:latents.csv".into(),
                ));
            }
            return Ok(MethodSpec::Precomputed {
                path: PathBuf::from(path.trim()),
            });
        }
        Ok(match method.to_ascii_lowercase().as_str() {
            "pca" => MethodSpec::Pca(PcaParams {
                latent_dim: train.latent_dim,
            }),
            "ae" | "autoencoder" => MethodSpec::Autoencoder(ae),
            "vae" => MethodSpec::Vae(VaeParams {
                ae,
                beta: self.beta.unwrap_or(1.0),
            }),
            "linear-ae" | "linear_ae" | "linearae" => {
                MethodSpec::LinearAutoencoder(LinearAeParams { train })
            }
            other => {
                return Err(Error::InvalidInput(format!(
                    "unknown method '{other}'; use pca, ae, vae, linear-ae or file:PATH"
                )));
            }
        })
    }

    /// The settings that reproduce `spec` exactly.
    pub fn from_spec(spec: &MethodSpec) -> MethodSettings {
        let mut s = MethodSettings {
            method: Some(match spec {
                MethodSpec::Precomputed { path } => format!("file:{}", path.display()),
                other => other.kind().to_string(),
            }),
            ..MethodSettings::default()
        };
        let set_train = |s: &mut MethodSettings, t: &TrainParams| {
            s.latent_dim = Some(t.latent_dim);
            s.epochs = Some(t.epochs);
            s.batch_size = Some(t.batch_size);
            s.learning_rate = Some(t.learning_rate);
            s.seed = Some(t.seed);
        };
        let set_ae = |s: &mut MethodSettings, ae: &AeParams| {
            s.hidden = Some(ae.hidden.clone());
            s.activation = Some(ae.activation);
            s.output = Some(ae.output);
        };
        match spec {
            MethodSpec::Pca(p) => s.latent_dim = Some(p.latent_dim),
            MethodSpec::Autoencoder(ae) => {
                set_train(&mut s, &ae.train);
                set_ae(&mut s, ae);
            }
            MethodSpec::Vae(v) => {
                set_train(&mut s, &v.ae.train);
                set_ae(&mut s, &v.ae);
                s.beta = Some(v.beta);
            }
            MethodSpec::LinearAutoencoder(l) => set_train(&mut s, &l.train),
            MethodSpec::Precomputed { .. } => {}
        }
        s
    }
}
