//! Progress shown while the app loads a large file, generates a large built-in and fits PCA on
//! it, driven headlessly with egui_kittest (real background jobs).
#![cfg(feature = "gui")]

mod app_harness;

use std::time::{Duration, Instant};

use app_harness::{small_settings, step_until};
use latent_compare::app::worker::Side;
use latent_compare::data::LoadUnit;

#[test]
fn loading_a_large_csv_shows_its_progress() {
    use std::fmt::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.csv");
    let mut text = String::from("label");
    for j in 0..40 {
        write!(text, ",x{j}").unwrap();
    }
    text.push('\n');
    for i in 0..100_000 {
        write!(text, "{}", i % 3).unwrap();
        for j in 0..40 {
            write!(text, ",{}.{:03}", (i * 7 + j) % 50, (i + j * 13) % 1000).unwrap();
        }
        text.push('\n');
    }
    assert!(text.len() > 24 << 20, "{} bytes", text.len());
    std::fs::write(&path, &text).unwrap();

    let mut h = app_harness::app_sized(small_settings("blobs"), 1400.0, 900.0);
    step_until(&mut h, "blobs to load", |a| a.dataset.is_some());
    h.state_mut().request_load(path.display().to_string());
    let mut seen = Vec::new();
    let started = Instant::now();
    while h.state().loading().is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "load timed out"
        );
        if let Some(p) = h.state().load_progress() {
            seen.push(p);
        }
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    h.step();
    assert_eq!(h.state().dataset.as_ref().unwrap().n_samples(), 100_000);
    assert!(h.state().load_progress().is_none());
    let size = text.len() as u64;
    assert!(
        seen.iter()
            .any(|p| p.unit == LoadUnit::Bytes && p.total == size && p.done < size),
        "no partial progress seen: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");
    eprintln!("progress seen in {} frames", seen.len());
}

#[test]
fn generating_mnist_like_and_fitting_pca_on_it_show_their_progress() {
    let mut h = app_harness::app_sized(small_settings("iris"), 1400.0, 900.0);
    step_until(&mut h, "iris to load", |a| a.dataset.is_some());
    h.state_mut().request_load("mnist-like".into());
    let mut seen = Vec::new();
    let started = Instant::now();
    while h.state().loading().is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "generation timed out"
        );
        if let Some(p) = h.state().load_progress() {
            seen.push(p);
        }
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    h.step();
    assert_eq!(h.state().dataset.as_ref().unwrap().n_samples(), 70_000);
    assert!(
        seen.iter()
            .any(|p| p.unit == LoadUnit::Rows && p.total == 70_000 && p.done < 70_000),
        "no partial progress seen: {seen:?}"
    );
    assert!(seen.windows(2).all(|w| w[0].done <= w[1].done), "{seen:?}");

    // PCA (method A) on its 56 000 training rows × 784: the bar follows its stages
    h.state_mut().request_train(Side::A);
    let mut texts: Vec<(f32, String)> = Vec::new();
    let started = Instant::now();
    while h.state().sides[0].is_busy() {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "PCA timed out"
        );
        if let Some(progress) = h.state().progress_text(Side::A)
            && texts.last() != Some(&progress)
        {
            texts.push(progress);
        }
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    assert!(h.state().sides[0].outcome.is_some(), "PCA failed");
    assert!(
        texts
            .iter()
            .any(|(f, t)| t.starts_with("covariance…") && *f > 0.0 && *f < 0.8),
        "no part of the covariance seen: {texts:?}"
    );
    assert!(texts.windows(2).all(|w| w[0].0 <= w[1].0), "{texts:?}");
    eprintln!("PCA progress: {texts:?}");
}
