//! One training epoch of the default autoencoder and VAE (64-128-64-2, batch 64, Adam) on the
//! training rows of standardized digits (1437 × 64), and PCA-2 of the same rows.
//!
//! `cargo bench --bench epoch`

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use criterion::{Criterion, criterion_group, criterion_main};
use latent_compare::data::{Prepared, Preprocess, load_builtin};
use latent_compare::methods::pca::Pca;
use latent_compare::nn::{AeConfig, Autoencoder, Vae, VaeConfig};

fn digits_train_rows() -> ndarray::Array2<f32> {
    let digits = Arc::new(load_builtin("digits").expect("built-in digits"));
    Prepared::new(digits, Preprocess::Standardize, 0.2, 42)
        .expect("digits split")
        .train_x()
}

fn one_epoch_config() -> AeConfig {
    AeConfig {
        epochs: 1,
        ..AeConfig::new(64)
    }
}

fn bench_epochs(c: &mut Criterion) {
    let x = digits_train_rows();
    assert_eq!(x.dim(), (1437, 64));
    let stop = AtomicBool::new(false);
    let mut group = c.benchmark_group("digits_epoch");
    group.sample_size(50);

    let mut ae = Autoencoder::new(one_epoch_config()).expect("valid config");
    group.bench_function("autoencoder", |b| {
        b.iter(|| black_box(ae.fit(x.view(), None, &stop, &mut |_| {}).expect("trains")))
    });

    let mut vae = Vae::new(VaeConfig {
        ae: one_epoch_config(),
        beta: 1.0,
    })
    .expect("valid config");
    group.bench_function("vae", |b| {
        b.iter(|| black_box(vae.fit(x.view(), None, &stop, &mut |_| {}).expect("trains")))
    });
    group.finish();

    c.bench_function("pca2_digits", |b| {
        b.iter(|| black_box(Pca::fit(x.view(), 2).expect("fits")))
    });
}

criterion_group!(benches, bench_epochs);
criterion_main!(benches);
