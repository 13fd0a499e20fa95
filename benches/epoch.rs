//! One training epoch of the autoencoder and the VAE, and PCA-2, at two sizes:
//!
//! - `digits_epoch`: the default network (64-128-64-2, batch 64, Adam) on the 1437 standardized
//!   training rows of digits;
//! - `mnist_epoch`: 784-256-128-2, batch 256, on the 70 000 rows of `mnist-like` / 255.
//!
//! `…/autoencoder_uncounted` is the autoencoder with the allocator's counting off (what the
//! memory figures of `memory::measure` cost).
//!
//! An epoch is timed inside a longer fit (see `epoch_time`). The peers (`bench/peers.py`) run
//! the same networks in PyTorch and `PCA(2).fit_transform` in scikit-learn on the same rows.
//! `cargo bench --bench epoch`

mod common;

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
use latent_compare::data::load_builtin;
use latent_compare::memory;
use latent_compare::methods::AeParams;
use latent_compare::methods::LatentModel;
use latent_compare::methods::neural::ae_config;
use latent_compare::methods::pca::Pca;
use latent_compare::nn::{AeConfig, Autoencoder, EpochLoss, Vae, VaeConfig};
use ndarray::Array2;

fn one_epoch(input_dim: usize, hidden: &[usize], batch_size: usize) -> AeConfig {
    let params = AeParams {
        hidden: hidden.to_vec(),
        ..AeParams::default()
    };
    AeConfig {
        epochs: 1,
        batch_size,
        ..ae_config(input_dim, &params.train, Some(&params))
    }
}

/// The time of `epochs` training epochs: a fit of `epochs + 1` epochs, timed from the end of
/// the first epoch to the end of the last, so that the once-per-fit work (checking the data,
/// building the model) is left out, as it is from the peers' epoch loops.
fn epoch_time(
    epochs: u64,
    fit: impl FnOnce(AeConfig, &mut dyn FnMut(&EpochLoss)),
    config: &AeConfig,
) -> Duration {
    let config = AeConfig {
        epochs: epochs as usize + 1,
        ..config.clone()
    };
    let mut ends = Vec::with_capacity(config.epochs);
    fit(config, &mut |_| ends.push(Instant::now()));
    match (ends.first(), ends.last()) {
        (Some(first), Some(last)) => *last - *first,
        _ => Duration::ZERO,
    }
}

/// The autoencoder's epochs as the pipeline fits it: inside a memory measure
/// (`memory::measure`), so every allocation is counted for the process and the fit.
fn autoencoder_epochs(x: &Array2<f32>, config: &AeConfig, epochs: u64) -> Duration {
    epoch_time(
        epochs,
        |cfg, on_epoch| {
            let mut ae = Autoencoder::new(cfg).expect("valid config");
            let stop = AtomicBool::new(false);
            let (fit, _peak) = memory::measure(|| ae.fit(x.view(), None, &stop, on_epoch));
            black_box(fit.expect("trains"));
        },
        config,
    )
}

fn bench_models(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    x: &Array2<f32>,
    config: AeConfig,
) {
    group.bench_function("autoencoder", |b| {
        b.iter_custom(|epochs| autoencoder_epochs(x, &config, epochs))
    });
    group.bench_function("vae", |b| {
        b.iter_custom(|epochs| {
            epoch_time(
                epochs,
                |cfg, on_epoch| {
                    let mut vae = Vae::new(VaeConfig { ae: cfg, beta: 1.0 }).expect("valid config");
                    let stop = AtomicBool::new(false);
                    black_box(vae.fit(x.view(), None, &stop, on_epoch).expect("trains"));
                },
                &config,
            )
        })
    });
    group.bench_function("pca2", |b| {
        b.iter(|| {
            let pca = Pca::fit(x.view(), 2).expect("fits");
            black_box(pca.encode(x.view()))
        })
    });
}

fn bench_epochs(c: &mut Criterion) {
    let x = common::digits_train();
    assert_eq!(x.dim(), (1437, 64));
    let mut group = c.benchmark_group("digits_epoch");
    group.sample_size(50);
    let config = one_epoch(64, &[128, 64], 64);
    bench_models(&mut group, &x, config.clone());
    // The same with the allocator counting nothing: what counting costs (issue 19: < 2 %).
    group.bench_function("autoencoder_uncounted", |b| {
        b.iter_custom(|epochs| {
            memory::set_counting(false);
            let time = autoencoder_epochs(&x, &config, epochs);
            memory::set_counting(true);
            time
        })
    });
    group.finish();

    let x = common::mnist_scaled(&load_builtin("mnist-like").expect("built-in"));
    assert_eq!(x.dim(), (70_000, 784));
    let mut group = c.benchmark_group("mnist_epoch");
    group.sample_size(10);
    bench_models(&mut group, &x, one_epoch(784, &[256, 128], 256));
    group.finish();
}

criterion_group!(benches, bench_epochs);
criterion_main!(benches);
