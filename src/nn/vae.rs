//! The variational autoencoder: an encoder trunk (`input → hidden…` with the activation), two
//! linear heads for μ and logσ² (stored as one `hidden → 2·latent` layer whose column halves are
//! initialised exactly like two separate heads), the reparameterisation
//! `z = μ + exp(½ logσ²)·ε` with `ε ~ N(0, 1)` from the model's seeded ChaCha8 RNG, and the
//! autoencoder's mirrored decoder.
//!
//! Loss = reconstruction (summed over features, mean over rows; squared error for a linear
//! output, BCE for a sigmoid output) + β·KL(N(μ, σ²) ‖ N(0, 1)).

use std::sync::atomic::AtomicBool;

use ndarray::{Array1, Array2, ArrayView2, ArrayViewD, ArrayViewMutD, Axis, Zip, concatenate, s};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::adam::{Adam, Params};
use super::autoencoder::{AeConfig, mean_squared_error};
use super::dense::{Dense, glorot_uniform};
use super::loss::{Reduction, kl_normal, kl_normal_and_grad};
use super::mlp::Mlp;
use super::train::{self, BatchLoss, EpochLoss, TrainSettings, Trainable};
use crate::error::{Error, Result};
use crate::linalg::Rows;

/// Settings of a VAE: the autoencoder's, plus the weight of the KL term.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaeConfig {
    /// Network shape and training settings, as for the autoencoder.
    #[serde(flatten)]
    pub ae: AeConfig,
    /// Weight of the KL term (1 = the standard VAE; β-VAE otherwise).
    pub beta: f32,
}

#[cfg(test)]
impl VaeConfig {
    /// The network the layer tests use.
    pub(crate) fn new(input_dim: usize) -> Self {
        VaeConfig {
            ae: AeConfig::new(input_dim),
            beta: 1.0,
        }
    }
}

impl VaeConfig {
    /// Checks every setting.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad setting and its allowed range.
    pub fn validate(&self) -> Result<()> {
        self.ae.validate()?;
        if !(self.beta.is_finite() && self.beta >= 0.0) {
            return Err(Error::InvalidInput(format!(
                "beta must be a finite number of at least 0 (got {})",
                self.beta
            )));
        }
        Ok(())
    }
}

/// A VAE trained with Adam.
#[derive(Debug, Clone)]
pub struct Vae {
    cfg: VaeConfig,
    /// `input → hidden… → 2·latent`; output columns `[..latent]` are μ, `[latent..]` logσ².
    enc: Mlp,
    dec: Mlp,
    adam: Adam,
    /// Initialisation, then ε for every training batch.
    rng: ChaCha8Rng,
    /// Batch buffers: ε and z (`max_batch × latent`), dL/d output (`max_batch × input`),
    /// dL/d(μ | logσ²) (`max_batch × 2·latent`).
    eps: Array2<f32>,
    z: Array2<f32>,
    grad_out: Array2<f32>,
    grad_h: Array2<f32>,
}

impl Vae {
    /// A freshly initialised VAE.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a setting is out of range (see [`VaeConfig::validate`]).
    pub fn new(cfg: VaeConfig) -> Result<Self> {
        cfg.validate()?;
        let ae = &cfg.ae;
        let mut rng = ChaCha8Rng::seed_from_u64(ae.seed);
        let mut layers = Vec::with_capacity(ae.hidden.len() + 1);
        let mut width = ae.input_dim;
        for &h in &ae.hidden {
            layers.push(Dense::new(width, h, ae.activation, 0, &mut rng));
            width = h;
        }
        let w_mu = glorot_uniform(width, ae.latent_dim, &mut rng);
        let w_logvar = glorot_uniform(width, ae.latent_dim, &mut rng);
        let head_w = concatenate![Axis(1), w_mu, w_logvar];
        let head_b = Array1::zeros(2 * ae.latent_dim);
        layers.push(Dense::from_params(head_w, head_b, Activation::Linear, 0));
        let enc = Mlp::from_layers(layers);
        let dec = ae.build_decoder(&mut rng);
        Ok(Vae {
            adam: Adam::new(ae.learning_rate),
            eps: Array2::zeros((0, ae.latent_dim)),
            z: Array2::zeros((0, ae.latent_dim)),
            grad_out: Array2::zeros((0, ae.input_dim)),
            grad_h: Array2::zeros((0, 2 * ae.latent_dim)),
            enc,
            dec,
            rng,
            cfg,
        })
    }

    /// The settings.
    pub fn config(&self) -> &VaeConfig {
        &self.cfg
    }

    /// The encoder network (its last layer's outputs are `[μ | logσ²]`).
    pub fn encoder(&self) -> &Mlp {
        &self.enc
    }

    /// The decoder network (its last layer gives logits when the output is a sigmoid).
    pub fn decoder(&self) -> &Mlp {
        &self.dec
    }

    /// Number of trainable scalars.
    pub fn n_parameters(&self) -> usize {
        self.enc.n_parameters() + self.dec.n_parameters()
    }

    /// Trains with [`train::fit`]; see there for the errors.
    pub fn fit(
        &mut self,
        train: ArrayView2<'_, f32>,
        val: Option<ArrayView2<'_, f32>>,
        cancel: &AtomicBool,
        on_epoch: &mut dyn FnMut(&EpochLoss),
    ) -> Result<Vec<EpochLoss>> {
        // (some rows of a matrix, read in place: `train::fit` with `Rows::picked`)
        train::fit(self, train.into(), val.map(Rows::all), cancel, on_epoch)
    }

    /// The posterior means μ of the rows of `x`: the VAE's latent codes.
    ///
    /// # Panics
    /// If `x` does not have `input_dim` columns.
    pub fn encode(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        let l = self.cfg.ae.latent_dim;
        self.enc.predict(x).slice(s![.., ..l]).to_owned()
    }

    /// The posterior means μ and log-variances logσ² of the rows of `x`.
    pub fn encode_distribution(&self, x: ArrayView2<'_, f32>) -> (Array2<f32>, Array2<f32>) {
        let l = self.cfg.ae.latent_dim;
        let h = self.enc.predict(x);
        (
            h.slice(s![.., ..l]).to_owned(),
            h.slice(s![.., l..]).to_owned(),
        )
    }

    /// Reconstructions (decoder means) from latent codes.
    ///
    /// # Panics
    /// If `z` does not have `latent_dim` columns.
    pub fn decode(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        self.cfg.ae.output.finish(self.dec.predict(z))
    }

    /// Mean over all entries of the squared error of `decode(μ)` (after the sigmoid, if any).
    pub fn reconstruction_mse(&self, x: ArrayView2<'_, f32>) -> f64 {
        mean_squared_error(self.decode(self.encode(x).view()).view(), x)
    }

    #[cfg(test)]
    /// Runs forward and backward on `x` with the ε already in the first `x.nrows()` rows of
    /// `self.eps`, leaving the gradients in the layers (no parameter update).
    fn loss_and_grad(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        self.loss_and_step(x, false)
    }

    /// [`Vae::loss_and_grad`], and with `update` Adam's step taken layer by layer as the
    /// backward pass leaves each (the same values as after it).
    fn loss_and_step(&mut self, x: ArrayView2<'_, f32>, update: bool) -> BatchLoss {
        let n = x.nrows();
        let first_dec = self.enc.n_tensors();
        let mut step = update.then(|| self.adam.begin_step());
        let l = self.cfg.ae.latent_dim;
        let beta = self.cfg.beta;

        let h = self.enc.forward(x);
        let (mu, logvar) = (h.slice(s![.., ..l]), h.slice(s![.., l..]));
        let eps = self.eps.slice(s![..n, ..]);
        Zip::from(self.z.slice_mut(s![..n, ..]))
            .and(&mu)
            .and(&logvar)
            .and(&eps)
            .for_each(|z, &m, &lv, &e| *z = m + (0.5 * lv).exp() * e);
        let out = self.dec.forward(self.z.slice(s![..n, ..]));
        let recon = self.cfg.ae.output.loss().value_and_grad(
            out,
            x,
            Reduction::SumFeaturesMeanRows,
            self.grad_out.slice_mut(s![..n, ..]),
        );
        let Some(dz) = self.dec.backward_and_update(
            self.z.slice(s![..n, ..]),
            self.grad_out.slice(s![..n, ..]),
            true,
            step.as_mut().map(|s| (s, first_dec)),
        ) else {
            unreachable!("the input gradient was asked for")
        };

        let (mut g_mu, mut g_logvar) = self.grad_h.multi_slice_mut((s![..n, ..l], s![..n, l..]));
        let kl = kl_normal_and_grad(mu, logvar, beta, g_mu.view_mut(), g_logvar.view_mut());
        // Through z = μ + exp(½ logσ²)·ε: dz/dμ = 1, dz/dlogσ² = ½ exp(½ logσ²)·ε.
        Zip::from(&mut g_mu)
            .and(&mut g_logvar)
            .and(&dz)
            .and(&logvar)
            .and(&eps)
            .for_each(|gm, gl, &d, &lv, &e| {
                *gm += d;
                *gl += d * e * 0.5 * (0.5 * lv).exp();
            });
        self.enc.backward_and_update(
            x,
            self.grad_h.slice(s![..n, ..]),
            false,
            step.as_mut().map(|s| (s, 0)),
        );
        BatchLoss {
            total: recon + beta as f64 * kl,
            parts: [recon, kl],
        }
    }
}

impl Trainable for Vae {
    fn train_settings(&self) -> TrainSettings {
        self.cfg.ae.train_settings()
    }

    fn part_names(&self) -> &'static [&'static str] {
        &["recon", "kl"]
    }

    fn prepare(&mut self, max_batch: usize) {
        self.enc.set_max_batch(max_batch);
        self.dec.set_max_batch(max_batch);
        if self.eps.nrows() != max_batch {
            let (l, d) = (self.cfg.ae.latent_dim, self.cfg.ae.input_dim);
            self.eps = Array2::zeros((max_batch, l));
            self.z = Array2::zeros((max_batch, l));
            self.grad_out = Array2::zeros((max_batch, d));
            self.grad_h = Array2::zeros((max_batch, 2 * l));
        }
    }

    fn train_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        let n = x.nrows();
        for e in self.eps.slice_mut(s![..n, ..]).iter_mut() {
            *e = self.rng.sample(StandardNormal);
        }
        self.loss_and_step(x, true)
    }

    /// Validation uses z = μ (no sampling), so the validation loss is deterministic and does not
    /// advance the model's RNG: recon(decode(μ)) + β·KL.
    fn eval_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        let l = self.cfg.ae.latent_dim;
        let h = self.enc.forward(x);
        let (mu, logvar) = (h.slice(s![.., ..l]), h.slice(s![.., l..]));
        let kl = kl_normal(mu, logvar);
        let out = self.dec.forward(mu);
        let recon = self
            .cfg
            .ae
            .output
            .loss()
            .value(out, x, Reduction::SumFeaturesMeanRows);
        BatchLoss {
            total: recon + self.cfg.beta as f64 * kl,
            parts: [recon, kl],
        }
    }
}

impl Params for Vae {
    fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>)) {
        self.enc.visit_params(f);
        self.dec.visit_params(f);
    }
}

#[cfg(test)]
#[path = "vae_tests.rs"]
mod tests;
