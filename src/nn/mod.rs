//! The neural-network core: dense layers, MLPs, Adam, reconstruction/KL losses, the autoencoder
//! and the VAE, and one shared training loop. Everything is f32; loss sums are accumulated in f64.

pub mod activation;
pub mod adam;
pub mod autoencoder;
mod bias;
pub mod dense;
pub mod loss;
pub mod mlp;
pub mod output;
pub mod train;
pub mod vae;

#[cfg(test)]
mod gradcheck;
#[cfg(test)]
mod train_tests;
#[cfg(test)]
mod validation_tests;

pub use activation::Activation;
pub use autoencoder::{AeConfig, Autoencoder, OutputKind};
pub use train::{EpochLoss, Trainable, fit};
pub use vae::{Vae, VaeConfig};
