//! The autoencoder, VAE and linear autoencoder as [`LatentModel`]s: specs become `nn` configs,
//! training reports each epoch through the [`TrainControl`].

use ndarray::{Array2, ArrayView2};

use super::{Fitted, LatentModel, MethodSpec, TrainControl};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::methods::spec::{AeParams, TrainParams};
use crate::nn::{Activation, AeConfig, Autoencoder, EpochLoss, OutputKind, Vae, VaeConfig};

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
    let train = prepared.train_x();
    let val = prepared.test_x();
    let mut on_epoch = |e: &EpochLoss| (ctl.on_epoch)(e);
    match spec {
        MethodSpec::Autoencoder(p) => {
            let mut model = Autoencoder::new(ae_config(input_dim, &p.train, Some(p)))?;
            let history = model.fit(
                train.view(),
                val.as_ref().map(|v| v.view()),
                &ctl.cancel,
                &mut on_epoch,
            )?;
            Ok((Box::new(model), history))
        }
        MethodSpec::LinearAutoencoder(p) => {
            let mut model = Autoencoder::new(ae_config(input_dim, &p.train, None))?;
            let history = model.fit(
                train.view(),
                val.as_ref().map(|v| v.view()),
                &ctl.cancel,
                &mut on_epoch,
            )?;
            Ok((Box::new(model), history))
        }
        MethodSpec::Vae(p) => {
            let config = VaeConfig {
                ae: ae_config(input_dim, &p.ae.train, Some(&p.ae)),
                beta: p.beta,
            };
            let mut model = Vae::new(config)?;
            let history = model.fit(
                train.view(),
                val.as_ref().map(|v| v.view()),
                &ctl.cancel,
                &mut on_epoch,
            )?;
            Ok((Box::new(model), history))
        }
        other => Err(Error::InvalidInput(format!(
            "{} is not a neural method",
            other.kind()
        ))),
    }
}
