//! The evaluation step at the scale the issue names: n = 5000 metric rows, D = 784 input
//! dimensions (synthetic, 10 classes), 2-D latents; and its parts.
//!
//! `trustworthiness_n5000_d784/mnist_like` is the peer benchmark against
//! `sklearn.manifold.trustworthiness` (`bench/peers.py`): the first 5000 rows of `mnist-like`
//! / 255 and their PCA-2 latents, k = 10.
//!
//! `downstream_n8000_m2000/{knn,linear}_d{2,16}`: the two downstream classifiers on 8000 training
//! and 2000 test latents of 2 and 16 dimensions (10 Gaussian classes).
//!
//! `cargo bench --bench metrics`

mod common;

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use latent_compare::config::EvalSettings;
use latent_compare::config::{ExperimentConfig, MethodSettings};
use latent_compare::data::{Dataset, Labels};
use latent_compare::evaluate::evaluate;
use latent_compare::methods::TrainControl;
use latent_compare::metrics::{neighbourhoods, similarity};
use latent_compare::pipeline;
use ndarray::{Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// 10 Gaussian classes whose centres differ in a 20-dimensional subspace of 784 dimensions.
fn synthetic(n: usize, d: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres = Array2::from_shape_fn((10, d), |(_, j)| {
        if j < 20 {
            4.0 * rng.random::<f32>()
        } else {
            0.0
        }
    });
    let ids: Vec<u32> = (0..n).map(|i| (i % 10) as u32).collect();
    let records = Array2::from_shape_fn((n, d), |(i, j)| {
        centres[[ids[i] as usize, j]] + rng.random::<f32>() - 0.5
    });
    let labels = Labels::Classes {
        ids,
        names: (0..10).map(|c| c.to_string()).collect(),
    };
    Dataset::new(
        "synthetic",
        records,
        Some(labels),
        (0..d).map(|j| format!("x{j}")).collect(),
    )
}

fn bench_trustworthiness(c: &mut Criterion) {
    let x = common::mnist_scaled(&latent_compare::data::load_builtin("mnist-like").expect("ok"));
    let (high, low) = common::trust_spaces(&x);
    let mut group = c.benchmark_group("trustworthiness_n5000_d784");
    group.sample_size(10);
    group.bench_function("mnist_like", |b| {
        b.iter(|| {
            black_box(neighbourhoods::trustworthiness(high.view(), low.view(), 10).expect("ok"))
        })
    });
    group.finish();
}

fn bench_metrics(c: &mut Criterion) {
    // 25000 rows, test fraction 0.2 → exactly 5000 metric rows
    let experiment = ExperimentConfig {
        data: Some("synthetic".into()),
        a: MethodSettings {
            method: Some("pca".into()),
            ..Default::default()
        },
        b: MethodSettings {
            method: Some("pca".into()),
            latent_dim: Some(3),
            ..Default::default()
        },
        ..Default::default()
    }
    .resolve()
    .expect("valid experiment");
    let dataset = Arc::new(synthetic(25_000, 784, 1));
    let run = pipeline::run(&experiment, dataset, |_| TrainControl::silent()).expect("PCA fits");
    assert_eq!(run.prepared.split.test.len(), 5000);

    let mut group = c.benchmark_group("evaluate_n5000_d784");
    group.sample_size(10);
    group.bench_function("whole_evaluation", |b| {
        b.iter(|| black_box(evaluate(&run, &EvalSettings::default()).expect("evaluates")))
    });
    let rows = &run.prepared.split.test;
    let x = run.prepared.x.select(Axis(0), rows);
    let za = run.a.fitted.latents.select(Axis(0), rows);
    let zb = run.b.fitted.latents.select(Axis(0), rows);
    group.bench_function("trustworthiness", |b| {
        b.iter(|| black_box(neighbourhoods::trustworthiness(x.view(), za.view(), 10).expect("ok")))
    });
    group.bench_function("knn_jaccard", |b| {
        b.iter(|| black_box(neighbourhoods::knn_jaccard(za.view(), zb.view(), 10).expect("ok")))
    });
    group.bench_function("distance_spearman", |b| {
        b.iter(|| black_box(similarity::distance_spearman(za.view(), zb.view()).expect("ok")))
    });
    let train = &run.prepared.split.train;
    let ids = match &run.prepared.dataset.labels {
        Some(Labels::Classes { ids, .. }) => ids.clone(),
        _ => unreachable!("synthetic data has classes"),
    };
    let ytr: Vec<u32> = train.iter().map(|&r| ids[r]).collect();
    let yte: Vec<u32> = rows.iter().map(|&r| ids[r]).collect();
    let ztr = run.a.fitted.latents.select(Axis(0), train);
    group.bench_function("knn_accuracy", |b| {
        b.iter(|| {
            black_box(
                latent_compare::metrics::downstream::knn_accuracy(
                    ztr.view(),
                    &ytr,
                    za.view(),
                    &yte,
                )
                .expect("ok"),
            )
        })
    });
    group.bench_function("linear_accuracy", |b| {
        b.iter(|| {
            black_box(
                latent_compare::metrics::downstream::linear_accuracy(
                    ztr.view(),
                    &ytr,
                    za.view(),
                    &yte,
                )
                .expect("ok"),
            )
        })
    });
    group.bench_function("silhouette", |b| {
        b.iter(|| {
            black_box(
                latent_compare::metrics::silhouette::silhouette_score(za.view(), &yte).expect("ok"),
            )
        })
    });
    group.finish();
}

/// `n` latents of `d` dimensions in 10 Gaussian classes with unit spread and centres in [0, 3]^d
/// (mostly overlapping in 2-D, about 90 % separable in 16-D).
fn latents(n: usize, d: usize, seed: u64) -> (Array2<f32>, Vec<u32>) {
    let mut centres_rng = ChaCha8Rng::seed_from_u64(99);
    let centres = Array2::from_shape_fn((10, d), |_| 3.0 * centres_rng.random::<f32>());
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let y: Vec<u32> = (0..n).map(|_| rng.random_range(0..10)).collect();
    let z = Array2::from_shape_fn((n, d), |(i, j)| {
        let noise: f32 = rand_distr::Distribution::sample(&rand_distr::StandardNormal, &mut rng);
        centres[[y[i] as usize, j]] + noise
    });
    (z, y)
}

fn bench_downstream(c: &mut Criterion) {
    use latent_compare::metrics::downstream::{knn_accuracy, linear_accuracy};
    let mut group = c.benchmark_group("downstream_n8000_m2000");
    group.sample_size(10);
    for d in [2, 16] {
        let (ztr, ytr) = latents(8000, d, 1);
        let (zte, yte) = latents(2000, d, 2);
        let knn = knn_accuracy(ztr.view(), &ytr, zte.view(), &yte).expect("ok");
        let linear = linear_accuracy(ztr.view(), &ytr, zte.view(), &yte).expect("ok");
        eprintln!("d = {d}: k-NN accuracy {knn:.4}, logistic-regression accuracy {linear:.4}");
        group.bench_function(format!("knn_d{d}"), |b| {
            b.iter(|| black_box(knn_accuracy(ztr.view(), &ytr, zte.view(), &yte).expect("ok")))
        });
        group.bench_function(format!("linear_d{d}"), |b| {
            b.iter(|| black_box(linear_accuracy(ztr.view(), &ytr, zte.view(), &yte).expect("ok")))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_trustworthiness,
    bench_metrics,
    bench_downstream
);
criterion_main!(benches);
