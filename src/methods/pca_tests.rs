//! Tests of PCA: exact reconstruction, orthonormal sorted axes, the Gram path for wide data,
//! the projection by dot products against the GEMM one.

use super::*;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random(n: usize, d: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |(_, j)| rng.random::<f32>() * (j + 1) as f32)
}

#[test]
fn all_components_reconstruct_exactly_and_ratios_sum_to_one() {
    let x = random(50, 5, 1);
    let pca = Pca::fit(x.view(), 5).unwrap();
    assert!(pca.reconstruction_mse(x.view()) < 1e-20);
    let sum: f64 = pca.explained_variance_ratio().unwrap().iter().sum();
    assert!((sum - 1.0).abs() < 1e-12);
    let back = pca.decode(pca.encode(x.view()).view());
    for (a, b) in x.iter().zip(back.iter()) {
        assert!((a - b).abs() < 1e-4);
    }
}

#[test]
fn components_are_orthonormal_sorted_and_sign_fixed() {
    let x = random(80, 6, 2);
    let pca = Pca::fit(x.view(), 3).unwrap();
    let c = pca.components();
    let gram = c.dot(&c.t());
    for i in 0..3 {
        for j in 0..3 {
            let want = if i == j { 1.0 } else { 0.0 };
            assert!((gram[[i, j]] - want).abs() < 1e-10);
        }
        let row = c.row(i);
        let max = row
            .iter()
            .copied()
            .fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
        assert!(max > 0.0);
    }
    let ev = pca.explained_variance();
    assert!(ev[0] >= ev[1] && ev[1] >= ev[2]);
    // latents are centred on the training rows and their variance equals the eigenvalues
    let z = pca.project(x.view());
    for (k, &ev_k) in ev.iter().enumerate() {
        let col = z.column(k);
        let mean = col.sum() / 80.0;
        let var = col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 80.0;
        assert!(mean.abs() < 1e-10);
        assert!((var - ev_k).abs() < 1e-9 * ev_k.max(1.0));
    }
}

#[test]
fn few_components_by_dot_products_equal_the_gemm_projection() {
    // 3 components are projected row by row, 20 by GEMM: the leading 3 latents agree.
    let x = random(300, 40, 4);
    let few = Pca::fit(x.view(), 3).unwrap();
    let many = Pca::fit(x.view(), 20).unwrap();
    assert!(few.latent_dim() <= DOT_COMPONENTS && many.latent_dim() > DOT_COMPONENTS);
    let (a, b) = (few.project(x.view()), many.project(x.view()));
    for (i, row) in a.rows().into_iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            assert!(
                (v - b[[i, j]]).abs() < 1e-10 * (1.0 + v.abs()),
                "{v} vs {}",
                b[[i, j]]
            );
        }
    }
    // And a strided (transposed-then-transposed) view gives the same as a contiguous one.
    let xt = x.t().to_owned();
    assert_eq!(few.project(xt.t()), a);
}

#[test]
fn too_many_components_is_an_error() {
    let x = random(10, 3, 3);
    let err = Pca::fit(x.view(), 4).unwrap_err().to_string();
    assert!(err.contains("between 1 and 3"), "{err}");
}

#[test]
fn fewer_rows_than_features_uses_the_gram_matrix_with_the_same_result() {
    // 12 rows × 30 features: the Gram path; its transpose-free twin via the covariance is
    // the same data with the rows repeated (same mean and covariance, more rows than
    // features)
    let x = random(12, 30, 4);
    let wide = Pca::fit(x.view(), 4).unwrap();
    let mut tall = Array2::<f32>::zeros((36, 30));
    for r in 0..36 {
        tall.row_mut(r).assign(&x.row(r % 12));
    }
    let cov = Pca::fit(tall.view(), 4).unwrap();
    for (a, b) in wide
        .explained_variance()
        .iter()
        .zip(cov.explained_variance())
    {
        assert!((a - b).abs() < 1e-9 * b.max(1.0), "{a} vs {b}");
    }
    for (a, b) in wide.components().iter().zip(cov.components()) {
        assert!((a - b).abs() < 1e-8, "{a} vs {b}");
    }
    let (ra, rb) = (
        wide.explained_variance_ratio().unwrap(),
        cov.explained_variance_ratio().unwrap(),
    );
    for (a, b) in ra.iter().zip(rb) {
        assert!((a - b).abs() < 1e-12);
    }
}

#[test]
fn very_wide_data_fits_in_little_memory() {
    // 6 rows × 200 000 columns: the covariance would need 320 GB
    let x = random(6, 200_000, 5);
    let pca = Pca::fit(x.view(), 2).unwrap();
    assert_eq!(pca.components().dim(), (2, 200_000));
    let norm: f64 = pca.components().row(0).iter().map(|v| v * v).sum();
    assert!((norm - 1.0).abs() < 1e-9);
    // six centred rows span five directions: the sixth axis carries nothing
    let all = Pca::fit(x.view(), 6).unwrap();
    assert!(all.explained_variance()[5].abs() < 1e-9 * all.explained_variance()[0]);
    assert!(all.reconstruction_mse(x.view()) < 1e-12 * all.explained_variance()[0]);
}

/// A control that records the stages it is told and cancels once `stop_after` of them came.
fn recording(
    stop_after: usize,
) -> (
    TrainControl,
    std::sync::Arc<std::sync::Mutex<Vec<FitStage>>>,
) {
    use std::sync::atomic::Ordering;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (list, cancel) = (seen.clone(), std::sync::Arc::new(Default::default()));
    let flag: std::sync::Arc<std::sync::atomic::AtomicBool> = std::sync::Arc::clone(&cancel);
    let ctl = TrainControl {
        cancel,
        on_stage: Box::new(move |s| {
            let mut list = list.lock().unwrap();
            list.push(s);
            if list.len() >= stop_after {
                flag.store(true, Ordering::Relaxed);
            }
        }),
        ..TrainControl::silent()
    };
    (ctl, seen)
}

#[test]
fn a_large_fit_reports_its_stages_in_order_and_stops_between_blocks_when_cancelled() {
    // n·d² above the f32 threshold: the covariance is summed in blocks on two threads
    let x = random(20_000, 240, 3);
    assert!(crate::linalg::f32_covariance(20_000, 240));
    let (ctl, seen) = recording(usize::MAX);
    let pca = Pca::fit_observed(x.view(), 2, &ctl).unwrap();
    let seen = seen.lock().unwrap().clone();
    let words: Vec<&str> = seen.iter().map(|s| s.what).collect();
    // the start, one report per block of the covariance, then the eigenvectors
    let blocks = words.iter().filter(|&&w| w == "covariance").count();
    assert_eq!(blocks, 1 + 2 * 10_000usize.div_ceil(8192), "{words:?}");
    assert_eq!(words.last(), Some(&"eigenvectors"), "{words:?}");
    let covariance: Vec<f32> = seen
        .iter()
        .filter(|s| s.what == "covariance")
        .map(|s| s.done)
        .collect();
    assert_eq!(covariance.first(), Some(&0.0));
    assert!(
        covariance
            .iter()
            .all(|d| (0.0..=COVARIANCE_DONE).contains(d)),
        "{covariance:?}"
    );
    assert!(
        covariance
            .iter()
            .any(|&d| (d - COVARIANCE_DONE).abs() < 1e-6),
        "{covariance:?}"
    );
    // the same components as without a watcher
    let quiet = Pca::fit(x.view(), 2).unwrap();
    assert_eq!(pca.components(), quiet.components());

    // cancelled after the first block: no PCA, and no stage after the covariance
    let (ctl, seen) = recording(2);
    let err = Pca::fit_observed(x.view(), 2, &ctl).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert!(seen.lock().unwrap().iter().all(|s| s.what == "covariance"));
}

#[test]
fn the_registry_fit_reports_projecting_after_the_eigenvectors() {
    let x = random(300, 6, 4);
    let names = (0..6).map(|j| format!("x{j}")).collect();
    let dataset = crate::data::Dataset::new("random", x, None, names);
    let prepared = Prepared::new(
        std::sync::Arc::new(dataset),
        crate::data::Preprocess::None,
        0.2,
        1,
    )
    .unwrap();
    let (ctl, seen) = recording(usize::MAX);
    let spec = MethodSpec::Pca(PcaParams { latent_dim: 2 });
    fit(&spec, &prepared, &ctl).unwrap();
    let words: Vec<&str> = seen.lock().unwrap().iter().map(|s| s.what).collect();
    assert_eq!(
        words,
        ["covariance", "covariance", "eigenvectors", "projecting"]
    );
}
