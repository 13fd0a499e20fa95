//! The autoencoder, VAE and linear autoencoder as [`LatentModel`]s: specs become `nn` configs,
//! training reports each epoch through the [`TrainControl`].

use ndarray::{Array2, ArrayView2};

use super::{
    Fitted, LatentModel, LinearAeParams, MethodConfig, MethodSpec, TrainControl, VaeParams,
};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::methods::spec::{AeParams, TrainParams};
use crate::nn::{self, Activation, AeConfig, Autoencoder, EpochLoss, OutputKind, Vae, VaeConfig};

/// The network settings of a trained method on data with `input_dim` columns (`ae` is `None` for
/// a linear autoencoder: no hidden layer, linear activation and output).
pub fn ae_config(input_dim: usize, train: &TrainParams, ae: Option<&AeParams>) -> AeConfig {
    AeConfig {
        input_dim,
        hidden: ae.map_or_else(Vec::new, |a| a.hidden.clone()),
        latent_dim: train.latent_dim,
        activation: ae.map_or(Activation::Linear, |a| a.activation),
        output: ae.map_or(OutputKind::Linear, |a| a.output),
        learning_rate: train.learning_rate,
        batch_size: train.batch_size,
        epochs: train.epochs,
        seed: train.seed,
    }
}

impl LatentModel for Autoencoder {
    fn encode(&self, x: ArrayView2<f32>) -> Array2<f32> {
        Autoencoder::encode(self, x)
    }
    fn decode(&self, z: ArrayView2<f32>) -> Array2<f32> {
        Autoencoder::decode(self, z)
    }
    fn reconstruction_mse(&self, x: ArrayView2<f32>) -> f64 {
        Autoencoder::reconstruction_mse(self, x)
    }
    fn latent_dim(&self) -> usize {
        self.config().latent_dim
    }
    fn n_parameters(&self) -> usize {
        Autoencoder::n_parameters(self)
    }
    fn model_bytes(&self) -> usize {
        Autoencoder::n_parameters(self) * std::mem::size_of::<f32>()
    }
}

impl LatentModel for Vae {
    fn encode(&self, x: ArrayView2<f32>) -> Array2<f32> {
        Vae::encode(self, x)
    }
    fn decode(&self, z: ArrayView2<f32>) -> Array2<f32> {
        Vae::decode(self, z)
    }
    fn reconstruction_mse(&self, x: ArrayView2<f32>) -> f64 {
        Vae::reconstruction_mse(self, x)
    }
    fn latent_dim(&self) -> usize {
        self.config().ae.latent_dim
    }
    fn n_parameters(&self) -> usize {
        Vae::n_parameters(self)
    }
    fn model_bytes(&self) -> usize {
        Vae::n_parameters(self) * std::mem::size_of::<f32>()
    }
}

fn train_params(c: &MethodConfig) -> TrainParams {
    TrainParams {
        latent_dim: c.latent_dim,
        epochs: c.epochs,
        batch_size: c.batch_size,
        learning_rate: c.learning_rate,
        seed: c.seed,
    }
}

fn ae_params(c: &MethodConfig) -> AeParams {
    AeParams {
        train: train_params(c),
        hidden: c.hidden.clone(),
        activation: c.activation,
        output: c.output,
    }
}

/// The registry's spec of an autoencoder from a method's settings.
pub fn ae_spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::Autoencoder(ae_params(c)))
}

/// The registry's spec of a VAE from a method's settings.
pub fn vae_spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::Vae(VaeParams {
        ae: ae_params(c),
        beta: c.beta,
    }))
}

/// The registry's spec of a linear autoencoder from a method's settings.
pub fn linear_ae_spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::LinearAutoencoder(LinearAeParams {
        train: train_params(c),
    }))
}

/// The registry's read of a trained kind's spec into a method's settings.
pub fn read(spec: &MethodSpec, c: &mut MethodConfig) {
    if let Some(t) = spec.train() {
        c.latent_dim = t.latent_dim;
        c.epochs = t.epochs;
        c.batch_size = t.batch_size;
        c.learning_rate = t.learning_rate;
        c.seed = t.seed;
    }
    let ae = match spec {
        MethodSpec::Autoencoder(ae) => Some(ae),
        MethodSpec::Vae(v) => Some(&v.ae),
        _ => None,
    };
    if let Some(ae) = ae {
        c.hidden = ae.hidden.clone();
        c.activation = ae.activation;
        c.output = ae.output;
    }
    if let MethodSpec::Vae(v) = spec {
        c.beta = v.beta;
    }
}

/// The registry's fit of the trained kinds: the network `spec` describes, trained on the
/// training rows (validation on the test rows), encoding every row.
pub fn fit(spec: &MethodSpec, prepared: &Prepared, ctl: &TrainControl) -> Result<Fitted> {
    let (model, loss_history) = train(spec, prepared, ctl)?;
    let latents = model.encode(prepared.all_x());
    Ok(Fitted {
        model: Some(model),
        latents,
        loss_history,
    })
}

/// Trains the network `spec` describes on the training rows, with validation on the test rows.
pub fn train(
    spec: &MethodSpec,
    prepared: &Prepared,
    ctl: &TrainControl,
) -> Result<(Box<dyn LatentModel>, Vec<EpochLoss>)> {
    let input_dim = prepared.dataset.n_features();
    let train = prepared.train_rows();
    let val = prepared.test_rows();
    let mut on_epoch = |e: &EpochLoss| (ctl.on_epoch)(e);
    match spec {
        MethodSpec::Autoencoder(p) => {
            let mut model = Autoencoder::new(ae_config(input_dim, &p.train, Some(p)))?;
            let history = nn::fit(&mut model, train, val, &ctl.cancel, &mut on_epoch)?;
            Ok((Box::new(model), history))
        }
        MethodSpec::LinearAutoencoder(p) => {
            let mut model = Autoencoder::new(ae_config(input_dim, &p.train, None))?;
            let history = nn::fit(&mut model, train, val, &ctl.cancel, &mut on_epoch)?;
            Ok((Box::new(model), history))
        }
        MethodSpec::Vae(p) => {
            let config = VaeConfig {
                ae: ae_config(input_dim, &p.ae.train, Some(&p.ae)),
                beta: p.beta,
            };
            let mut model = Vae::new(config)?;
            let history = nn::fit(&mut model, train, val, &ctl.cancel, &mut on_epoch)?;
            Ok((Box::new(model), history))
        }
        other => Err(Error::InvalidInput(format!(
            "{} is not a neural method",
            other.kind()
        ))),
    }
}
