//! The dense autoencoder: encoder `input → hidden… → latent` (hidden layers with the chosen
//! activation, linear latent), decoder mirrored `latent → reversed hidden… → input` with a linear
//! output (MSE loss) or a sigmoid output (BCE loss, computed from the logits).
//! A linear autoencoder is `hidden = []` with `activation = linear`.

use std::sync::atomic::AtomicBool;

use ndarray::{Array2, ArrayView2, ArrayViewD, ArrayViewMutD, s};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::activation::Activation;
use super::adam::{Adam, Params};
use super::loss::{ReconLoss, Reduction};
use super::mlp::Mlp;
use super::train::{self, BatchLoss, EpochLoss, TrainSettings, Trainable};
use crate::error::{Error, Result};
use crate::linalg::Rows;

pub use super::output::OutputKind;

/// Settings of an autoencoder (and, with `beta`, of a VAE). Every field is set by the caller:
/// the defaults are the methods' params (`AeParams` in the methods module), turned into this by
/// its `neural::ae_config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AeConfig {
    /// Columns of the data (no default: must be set).
    pub input_dim: usize,
    /// Hidden widths on the encoder side, input side first; the decoder mirrors them.
    pub hidden: Vec<usize>,
    /// Width of the latent code.
    pub latent_dim: usize,
    /// Activation of the hidden layers.
    pub activation: Activation,
    /// Output layer and loss.
    pub output: OutputKind,
    /// Adam's learning rate.
    pub learning_rate: f32,
    /// Rows per batch.
    pub batch_size: usize,
    /// Passes over the training rows.
    pub epochs: usize,
    /// Seed of the initialisation, shuffling and (VAE) sampling RNGs.
    pub seed: u64,
}

#[cfg(test)]
impl AeConfig {
    /// The network the layer tests use (the app's default shape).
    pub(crate) fn new(input_dim: usize) -> Self {
        AeConfig {
            input_dim,
            hidden: vec![128, 64],
            latent_dim: 2,
            activation: Activation::Relu,
            output: OutputKind::Linear,
            learning_rate: 1e-3,
            batch_size: 64,
            epochs: 50,
            seed: 42,
        }
    }
}

impl AeConfig {
    /// Checks every setting.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the first bad setting and its allowed range.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidInput(msg));
        if self.input_dim == 0 {
            return bad("input_dim must be at least 1 (got 0)".into());
        }
        if let Some(i) = self.hidden.iter().position(|&h| h == 0) {
            return bad(format!(
                "hidden layer sizes must each be at least 1 (got 0 at position {} of {:?}); \
                 use an empty list for no hidden layer",
                i + 1,
                self.hidden
            ));
        }
        if self.latent_dim == 0 {
            return bad("latent_dim must be at least 1 (got 0)".into());
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return bad(format!(
                "learning_rate must be a finite number greater than 0 (got {})",
                self.learning_rate
            ));
        }
        if self.batch_size == 0 {
            return bad("batch_size must be at least 1 (got 0)".into());
        }
        if self.epochs == 0 {
            return bad("epochs must be at least 1 (got 0)".into());
        }
        Ok(())
    }

    pub(crate) fn train_settings(&self) -> TrainSettings {
        TrainSettings {
            learning_rate: self.learning_rate,
            batch_size: self.batch_size,
            epochs: self.epochs,
            seed: self.seed,
            input_dim: self.input_dim,
        }
    }

    /// The decoder: `latent → reversed hidden… → input`, hidden activation as configured, and a
    /// linear last layer (its values are logits when the output is a sigmoid).
    pub(crate) fn build_decoder(&self, rng: &mut ChaCha8Rng) -> Mlp {
        let mut sizes = vec![self.latent_dim];
        sizes.extend(self.hidden.iter().rev());
        sizes.push(self.input_dim);
        Mlp::new(&sizes, self.activation, Activation::Linear, 0, rng)
    }
}

/// Mean over all entries of `(a − b)²`, in f64.
pub(crate) fn mean_squared_error(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>) -> f64 {
    ReconLoss::Mse.value(a, b, Reduction::MeanAll)
}

/// A dense autoencoder trained with Adam.
#[derive(Debug, Clone)]
pub struct Autoencoder {
    cfg: AeConfig,
    enc: Mlp,
    dec: Mlp,
    adam: Adam,
    /// dL/d(decoder output) for the current batch, `max_batch × input_dim`.
    grad_out: Array2<f32>,
}

impl Autoencoder {
    /// A freshly initialised autoencoder.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when a setting is out of range (see [`AeConfig::validate`]).
    pub fn new(cfg: AeConfig) -> Result<Self> {
        cfg.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        let mut sizes = vec![cfg.input_dim];
        sizes.extend(&cfg.hidden);
        sizes.push(cfg.latent_dim);
        let enc = Mlp::new(&sizes, cfg.activation, Activation::Linear, 0, &mut rng);
        let dec = cfg.build_decoder(&mut rng);
        Ok(Autoencoder {
            adam: Adam::new(cfg.learning_rate),
            grad_out: Array2::zeros((0, cfg.input_dim)),
            cfg,
            enc,
            dec,
        })
    }

    /// The settings.
    pub fn config(&self) -> &AeConfig {
        &self.cfg
    }

    /// The encoder network.
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

    /// Latent codes of the rows of `x`.
    ///
    /// # Panics
    /// If `x` does not have `input_dim` columns.
    pub fn encode(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        self.enc.predict(x)
    }

    /// Reconstructions from latent codes.
    ///
    /// # Panics
    /// If `z` does not have `latent_dim` columns.
    pub fn decode(&self, z: ArrayView2<'_, f32>) -> Array2<f32> {
        self.cfg.output.finish(self.dec.predict(z))
    }

    /// Mean over all entries of the squared reconstruction error of the final outputs (after the
    /// sigmoid for a sigmoid output), whatever loss the model was trained with.
    pub fn reconstruction_mse(&self, x: ArrayView2<'_, f32>) -> f64 {
        mean_squared_error(self.decode(self.encode(x).view()).view(), x)
    }

    #[cfg(test)]
    /// Runs forward and backward on `x`, leaving its gradients in the layers (no parameter
    /// update).
    pub(crate) fn loss_and_grad(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        self.loss_and_step(x, false)
    }

    /// [`Autoencoder::loss_and_grad`], and with `update` Adam's step taken layer by layer as
    /// the backward pass leaves each (the same values as after it).
    fn loss_and_step(&mut self, x: ArrayView2<'_, f32>, update: bool) -> BatchLoss {
        let n = x.nrows();
        let first_dec = self.enc.n_tensors();
        let mut step = update.then(|| self.adam.begin_step());
        let latent = self.enc.forward(x);
        let out = self.dec.forward(latent);
        let total = self.cfg.output.loss().value_and_grad(
            out,
            x,
            Reduction::MeanAll,
            self.grad_out.slice_mut(s![..n, ..]),
        );
        let Some(d_latent) = self.dec.backward_and_update(
            self.enc.output(),
            self.grad_out.slice(s![..n, ..]),
            true,
            step.as_mut().map(|s| (s, first_dec)),
        ) else {
            unreachable!("the input gradient was asked for")
        };
        self.enc
            .backward_and_update(x, d_latent, false, step.as_mut().map(|s| (s, 0)));
        BatchLoss {
            total,
            parts: [0.0; train::MAX_PARTS],
        }
    }
}

impl Trainable for Autoencoder {
    fn train_settings(&self) -> TrainSettings {
        self.cfg.train_settings()
    }

    fn part_names(&self) -> &'static [&'static str] {
        &[]
    }

    fn prepare(&mut self, max_batch: usize) {
        self.enc.set_max_batch(max_batch);
        self.dec.set_max_batch(max_batch);
        if self.grad_out.nrows() != max_batch {
            self.grad_out = Array2::zeros((max_batch, self.cfg.input_dim));
        }
    }

    fn train_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        self.loss_and_step(x, true)
    }

    fn eval_batch(&mut self, x: ArrayView2<'_, f32>) -> BatchLoss {
        let latent = self.enc.forward(x);
        let out = self.dec.forward(latent);
        BatchLoss {
            total: self.cfg.output.loss().value(out, x, Reduction::MeanAll),
            parts: [0.0; train::MAX_PARTS],
        }
    }
}

impl Params for Autoencoder {
    fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>)) {
        self.enc.visit_params(f);
        self.dec.visit_params(f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::gradcheck::{
        assert_grads_close, numeric_param_grads, parameter_bits, snapshot_grads, step_for,
    };

    fn data(rows: usize, cols: usize) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            ((i * 7 + j * 3 + 1) % 10) as f32 / 10.0
        })
    }

    #[test]
    fn the_step_taken_during_backward_equals_the_step_after_it() {
        let mut during = Autoencoder::new(AeConfig {
            hidden: vec![5, 3],
            ..AeConfig::new(6)
        })
        .unwrap();
        during.prepare(8);
        let mut after = during.clone();
        let x = data(8, 6);
        for _ in 0..3 {
            let a = during.train_batch(x.view());
            let b = after.loss_and_grad(x.view());
            after.adam.step(&mut [&mut after.enc, &mut after.dec]);
            assert_eq!(a.total.to_bits(), b.total.to_bits());
            assert_eq!(parameter_bits(&mut during), parameter_bits(&mut after));
        }
    }

    #[test]
    fn gradient_check_whole_loss() {
        for (act, output) in [
            (Activation::Tanh, OutputKind::Linear),
            (Activation::Relu, OutputKind::Sigmoid),
            (Activation::Linear, OutputKind::Linear),
        ] {
            let cfg = AeConfig {
                hidden: vec![5, 3],
                activation: act,
                output,
                ..AeConfig::new(4)
            };
            let mut ae = Autoencoder::new(cfg).unwrap();
            let x = data(6, 4);
            ae.prepare(6);
            ae.loss_and_grad(x.view());
            let analytic = snapshot_grads(&mut ae);
            let numeric =
                numeric_param_grads(&mut ae, |m| m.eval_batch(x.view()).total, step_for(act));
            assert_grads_close(&format!("ae {act}/{output}"), &analytic, &numeric);
        }
    }

    #[test]
    fn shapes_counts_and_inference() {
        let ae = Autoencoder::new(AeConfig::new(64)).unwrap();
        // 64·128+128 + 128·64+64 + 64·2+2, mirrored: 2·64+64 + 64·128+128 + 128·64+64.
        assert_eq!(ae.n_parameters(), (8320 + 8256 + 130) + (192 + 8320 + 8256));
        let x = data(10, 64);
        let z = ae.encode(x.view());
        assert_eq!(z.dim(), (10, 2));
        let r = ae.decode(z.view());
        assert_eq!(r.dim(), (10, 64));
        let mse = ae.reconstruction_mse(x.view());
        let by_hand = (&r - &x).mapv(|v| (v as f64) * (v as f64)).mean().unwrap();
        assert!((mse - by_hand).abs() < 1e-6 * by_hand, "{mse} vs {by_hand}");

        let sig = Autoencoder::new(AeConfig {
            output: OutputKind::Sigmoid,
            ..AeConfig::new(5)
        })
        .unwrap();
        let r = sig.decode(sig.encode(data(3, 5).view()).view());
        assert!(r.iter().all(|&v| (0.0..=1.0).contains(&v)));
    }

    #[test]
    fn output_kind_parses() {
        assert_eq!(
            "Sigmoid".parse::<OutputKind>().unwrap(),
            OutputKind::Sigmoid
        );
        let err = "softmax".parse::<OutputKind>().unwrap_err().to_string();
        assert!(err.contains("linear") && err.contains("sigmoid"), "{err}");
    }
}
