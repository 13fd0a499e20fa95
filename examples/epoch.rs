//! Times one training epoch of a 64-128-64-2 autoencoder and VAE on random 1437×64 data
//! (the size of the digits data set), batch 64: best of 20 epochs, in milliseconds.
//!
//! `cargo run --release --example epoch`

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use latent_compare::error::Result;
use latent_compare::nn::autoencoder::{AeConfig, Autoencoder};
use latent_compare::nn::train::{EpochLoss, Trainable, fit};
use latent_compare::nn::vae::{Vae, VaeConfig};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const EPOCHS: usize = 20;

/// Trains for `EPOCHS` epochs and returns the fastest epoch in ms and the last loss.
fn best_epoch<M: Trainable>(model: &mut M, x: &Array2<f32>) -> Result<(f64, f32)> {
    let mut times = Vec::with_capacity(EPOCHS);
    let mut last = Instant::now();
    let stop = AtomicBool::new(false);
    let hist: Vec<EpochLoss> = fit(model, x.view(), None, &stop, &mut |_| {
        let now = Instant::now();
        times.push((now - last).as_secs_f64() * 1e3);
        last = now;
    })?;
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    Ok((best, hist.last().map_or(f32::NAN, |e| e.train)))
}

fn main() -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let x = Array2::from_shape_simple_fn((1437, 64), || rng.random::<f32>());
    let cfg = AeConfig {
        hidden: vec![128, 64],
        latent_dim: 2,
        batch_size: 64,
        epochs: EPOCHS,
        ..AeConfig::new(64)
    };

    let mut ae = Autoencoder::new(cfg.clone())?;
    let (ms, loss) = best_epoch(&mut ae, &x)?;
    println!(
        "autoencoder 64-128-64-2, {} params: best epoch {ms:.3} ms (loss {loss:.4})",
        ae.n_parameters()
    );

    let mut vae = Vae::new(VaeConfig { ae: cfg, beta: 1.0 })?;
    let (ms, loss) = best_epoch(&mut vae, &x)?;
    println!(
        "vae         64-128-64-2, {} params: best epoch {ms:.3} ms (loss {loss:.4})",
        vae.n_parameters()
    );

    let z = vae.encode(x.view());
    let checksum = z.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, v| {
        (h ^ v.to_bits() as u64).wrapping_mul(0x0100_0000_01b3)
    });
    println!("latent checksum {checksum:016x}");
    Ok(())
}
