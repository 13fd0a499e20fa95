//! The compare pipeline end to end on built-in data: the acceptance figures of the core.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use latent_compare::Error;
use latent_compare::config::{Experiment, ExperimentConfig, MethodSettings};
use latent_compare::data::{self, Preprocess};
use latent_compare::methods::{MethodSpec, TrainControl};
use latent_compare::metrics::similarity::mean_cca;
use latent_compare::pipeline::{self, fit_method, measure, prepare};

fn experiment(data: &str, a: &str, b: &str) -> Experiment {
    ExperimentConfig {
        data: Some(data.into()),
        a: MethodSettings {
            method: Some(a.into()),
            ..Default::default()
        },
        b: MethodSettings {
            method: Some(b.into()),
            ..Default::default()
        },
        ..Default::default()
    }
    .resolve()
    .unwrap()
}

fn run(e: &Experiment) -> pipeline::Run {
    let dataset = Arc::new(pipeline::load_dataset(e).unwrap());
    pipeline::run(e, dataset, |_| TrainControl::silent()).unwrap()
}

#[test]
fn on_digits_with_defaults_ae_and_vae_reconstruct_better_than_pca() {
    let pca_vs_vae = run(&experiment("digits", "pca", "vae"));
    let pca = pca_vs_vae.a.reconstruction_mse_test.unwrap();
    let vae = pca_vs_vae.b.reconstruction_mse_test.unwrap();
    let ae_run = run(&experiment("digits", "ae", "pca"));
    let ae = ae_run.a.reconstruction_mse_test.unwrap();
    assert!(
        vae < pca,
        "VAE test MSE {vae} should be below PCA-2's {pca}"
    );
    assert!(ae < pca, "AE test MSE {ae} should be below PCA-2's {pca}");
    // the default VAE trains 50 epochs and records recon and KL for each
    let history = &pca_vs_vae.b.fitted.loss_history;
    assert_eq!(history.len(), 50);
    assert!(
        history
            .iter()
            .all(|e| e.val.is_some() && e.parts.len() == 2)
    );
    assert!(history[49].train < history[0].train);
    assert_eq!(pca_vs_vae.b.fitted.latents.dim(), (1797, 2));
}

#[test]
fn linear_autoencoder_spans_the_pca_subspace_on_standardized_digits() {
    let e = ExperimentConfig {
        test_fraction: Some(0.0),
        preprocess: Some(Preprocess::Standardize),
        a: MethodSettings {
            method: Some("pca".into()),
            ..Default::default()
        },
        b: MethodSettings {
            method: Some("linear-ae".into()),
            ..Default::default()
        },
        ..Default::default()
    }
    .resolve()
    .unwrap();
    let r = run(&e);
    let cca = mean_cca(r.a.fitted.latents.view(), r.b.fitted.latents.view()).unwrap();
    assert!(cca >= 0.99, "mean canonical correlation {cca} < 0.99");
}

#[test]
fn same_seed_gives_bit_identical_latents_and_another_seed_does_not() {
    let e = experiment("iris", "vae", "ae");
    let (r1, r2) = (run(&e), run(&e));
    assert_eq!(r1.a.fitted.latents, r2.a.fitted.latents);
    assert_eq!(r1.b.fitted.latents, r2.b.fitted.latents);
    let mut other = e.clone();
    if let MethodSpec::Vae(p) = &mut other.a {
        p.ae.train.seed = 7;
    }
    let r3 = run(&other);
    assert_ne!(r1.a.fitted.latents, r3.a.fitted.latents);
}

#[test]
fn cancel_stops_training_and_progress_is_reported_each_epoch() {
    let e = experiment("digits", "pca", "ae");
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let epochs_seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = epochs_seen.clone();
    let ctl = TrainControl {
        cancel,
        on_epoch: Box::new(move |loss| {
            seen.lock().unwrap().push(loss.epoch);
            if loss.epoch == 3 {
                flag.store(true, Ordering::Relaxed);
            }
        }),
        on_stage: Box::new(|_| {}),
        on_latents: None,
    };
    let err = fit_method(&e.b, &prepared, &ctl).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    assert_eq!(*epochs_seen.lock().unwrap(), vec![1, 2, 3]);
}

/// Fits `spec` (a method placing all rows at once) and cancels once it reports its loss at step
/// `stop_at`; checks what it reported: its loss steps (returned), each loss finite and positive,
/// and the latents shown as they formed (every row, two columns, steps in order).
fn watch_then_cancel(spec: &MethodSpec, prepared: &data::Prepared, stop_at: usize) -> Vec<usize> {
    let n = prepared.dataset.n_samples();
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (losses, shapes) = (seen.clone(), Arc::new(std::sync::Mutex::new(Vec::new())));
    let shown = shapes.clone();
    let ctl = TrainControl {
        cancel,
        on_epoch: Box::new(move |loss| {
            losses.lock().unwrap().push((loss.epoch, loss.train));
            if loss.epoch == stop_at {
                flag.store(true, Ordering::Relaxed);
            }
        }),
        on_stage: Box::new(|_| {}),
        on_latents: Some(Box::new(move |latents, step| {
            shown.lock().unwrap().push((latents.dim(), step));
        })),
    };
    let err = fit_method(spec, prepared, &ctl).unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err}");
    let losses = seen.lock().unwrap().clone();
    assert!(
        losses.iter().all(|l| l.1.is_finite() && l.1 > 0.0),
        "{losses:?}"
    );
    let shapes = shapes.lock().unwrap().clone();
    assert!(!shapes.is_empty());
    assert!(shapes.iter().all(|&(dim, _)| dim == (n, 2)), "{shapes:?}");
    assert!(shapes.windows(2).all(|w| w[0].1 < w[1].1), "{shapes:?}");
    losses.iter().map(|l| l.0).collect()
}

#[test]
fn tsne_reports_its_kl_shows_its_latents_as_they_form_and_cancels() {
    let e = experiment("digits", "pca", "tsne");
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    // the KL divergence every 50 iterations
    let iterations = watch_then_cancel(&e.b, &prepared, 300);
    assert_eq!(iterations, vec![50, 100, 150, 200, 250, 300]);
}

#[test]
fn umap_reports_its_loss_every_10_epochs_shows_its_latents_and_cancels() {
    let e = experiment("digits", "pca", "umap");
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let n = prepared.dataset.n_samples();
    // auto: 500 epochs for digits' 1797 rows, which progress counts
    assert_eq!(e.b.epochs(n), Some(500));
    let epochs = watch_then_cancel(&e.b, &prepared, 60);
    assert_eq!(epochs, vec![10, 20, 30, 40, 50, 60]);
    // a finished fit: every row placed, finite, and the same bits from the same seed
    let mut short = e.b.clone();
    if let MethodSpec::Umap(p) = &mut short {
        p.n_epochs = Some(30);
    }
    let fit = |spec: &MethodSpec| fit_method(spec, &prepared, &TrainControl::silent()).unwrap();
    let (first, second) = (fit(&short), fit(&short));
    assert_eq!(first.latents.dim(), (n, 2));
    assert!(first.latents.iter().all(|v| v.is_finite()));
    assert_eq!(first.latents, second.latents);
    assert_eq!(first.loss_history.len(), 3);
}

#[test]
fn divergence_is_reported_with_epoch_and_learning_rate() {
    let mut e = experiment("digits", "pca", "ae");
    if let MethodSpec::Autoencoder(p) = &mut e.b {
        p.train.learning_rate = 1e6;
    }
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let err = fit_method(&e.b, &prepared, &TrainControl::silent()).unwrap_err();
    let text = err.to_string();
    // the message names the method that diverged
    assert!(
        text.starts_with(&format!("{}: training diverged at epoch ", e.b))
            && text.ends_with("lower the learning rate (now 1000000)"),
        "{text}"
    );
}

#[test]
fn specs_are_validated_before_fitting() {
    let e = experiment("iris", "pca", "ae");
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let too_wide = MethodSpec::Pca(latent_compare::methods::PcaParams { latent_dim: 5 });
    let err = fit_method(&too_wide, &prepared, &TrainControl::silent())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("latent dimension 5") && err.contains("4 features"),
        "{err}"
    );
    let mut bce = e.b.clone();
    if let MethodSpec::Autoencoder(p) = &mut bce {
        p.output = latent_compare::nn::OutputKind::Sigmoid;
    }
    let err = fit_method(&bce, &prepared, &TrainControl::silent())
        .unwrap_err()
        .to_string();
    assert!(err.contains("--preprocess minmax"), "{err}");
}

#[test]
fn network_sizes_are_checked_before_anything_is_allocated() {
    let e = experiment("iris", "pca", "ae");
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    // the count validation uses is the count of the network that is built
    for kind in ["ae", "vae", "linear-ae"] {
        let mut spec = experiment("iris", "pca", kind).b;
        if let Some(t) = spec.train_mut() {
            t.epochs = 1;
        }
        let fitted = fit_method(&spec, &prepared, &TrainControl::silent()).unwrap();
        let built = fitted.model.as_ref().unwrap().n_parameters() as u128;
        assert_eq!(spec.network_parameters(4), built, "{kind}");
    }
    let huge = |set: &dyn Fn(&mut MethodSpec)| {
        let mut spec = e.b.clone();
        set(&mut spec);
        fit_method(&spec, &prepared, &TrainControl::silent())
            .unwrap_err()
            .to_string()
    };
    let err = huge(&|s| s.train_mut().unwrap().latent_dim = 100_000_000);
    assert!(
        err.contains("parameters") && err.contains("--latent-dim"),
        "{err}"
    );
    let err = huge(&|s| s.train_mut().unwrap().latent_dim = usize::MAX);
    assert!(err.contains("parameters"), "{err}");
    let err = huge(&|s| {
        if let MethodSpec::Autoencoder(p) = s {
            p.hidden = vec![100_000, 100_000];
        }
    });
    assert!(err.contains("--hidden"), "{err}");
    let err = huge(&|s| s.train_mut().unwrap().epochs = usize::MAX);
    assert!(err.contains("epochs must be at most 1000000"), "{err}");
}

#[test]
fn sigmoid_output_trains_on_minmax_data() {
    let mut e = experiment("digits", "pca", "vae");
    e.preprocess = Preprocess::Minmax;
    if let MethodSpec::Vae(p) = &mut e.b {
        p.ae.output = latent_compare::nn::OutputKind::Sigmoid;
        p.ae.train.epochs = 5;
    }
    let r = run(&e);
    let recon =
        r.b.fitted
            .model
            .as_ref()
            .unwrap()
            .decode(r.b.fitted.latents.view());
    assert!(recon.iter().all(|&v| (0.0..=1.0).contains(&v)));
    assert!(r.b.reconstruction_mse_test.unwrap().is_finite());
}

#[test]
fn precomputed_latents_are_aligned_with_rows_kept_after_dropping_missing_values() {
    let dir = tempfile::tempdir().unwrap();
    let data_path = dir.path().join("d.csv");
    let mut text = String::from("a,b,c,label\n");
    for i in 0..40 {
        let missing = if i == 5 || i == 17 { "" } else { "1.5" };
        text.push_str(&format!("{i},{},{missing},{}\n", (i * 7) % 11, i % 2));
    }
    std::fs::write(&data_path, text).unwrap();
    let latents_path = dir.path().join("z.csv");
    let rows: Vec<String> = (0..40).map(|i| format!("{i},{}", -i)).collect();
    std::fs::write(&latents_path, format!("z0,z1\n{}\n", rows.join("\n"))).unwrap();

    let e = experiment(
        data_path.to_str().unwrap(),
        "pca",
        &format!("file:{}", latents_path.display()),
    );
    let r = run(&e);
    assert_eq!(r.prepared.dataset.n_samples(), 38);
    let z = &r.b.fitted.latents;
    assert_eq!(z.nrows(), 38);
    // row 5 and 17 are gone: the 6th kept row is source row 6
    assert_eq!(z[[5, 0]], 6.0);
    assert_eq!(z[[16, 0]], 18.0);
    assert!(r.b.reconstruction_mse_test.is_none() && r.b.fitted.model.is_none());
    // reading a file of latents is not a fit: no memory figure
    assert!(r.b.fitted.peak_memory_bytes.is_none() && r.a.fitted.peak_memory_bytes.is_some());

    std::fs::write(&latents_path, "1,2\n3,4\n").unwrap();
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let err = fit_method(&e.b, &prepared, &TrainControl::silent())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("has 2 rows") && err.contains("40 rows"),
        "{err}"
    );
}

#[test]
fn reconstruction_is_measured_on_train_and_test_rows() {
    let e = experiment("breast-cancer", "pca", "ae");
    let dataset = Arc::new(data::load_builtin("breast-cancer").unwrap());
    let prepared = prepare(&e, dataset).unwrap();
    let fitted = fit_method(&e.a, &prepared, &TrainControl::silent()).unwrap();
    let outcome = measure(fitted, &prepared);
    assert!(outcome.reconstruction_mse_train.unwrap() > 0.0);
    assert!(outcome.reconstruction_mse_test.unwrap() > 0.0);
    assert_eq!(prepared.split.test.len() + prepared.split.train.len(), 569);
}

#[test]
fn a_collapsed_vae_is_flagged_by_its_active_units() {
    use latent_compare::evaluate::evaluate;
    // β = 500 pulls every latent's mean onto the prior: posterior collapse
    let mut e = experiment("iris", "pca", "vae");
    if let MethodSpec::Vae(p) = &mut e.b {
        p.beta = 500.0;
        p.ae.train.epochs = 30;
    }
    let dataset = Arc::new(pipeline::load_dataset(&e).unwrap());
    let run = pipeline::run(&e, dataset.clone(), |_| TrainControl::silent()).unwrap();
    let eval = evaluate(&run, &e.eval).unwrap();
    assert_eq!(eval.a.active_units, None);
    let active = eval.b.active_units.unwrap();
    assert!(active < 2, "{active} active units");
    let hint = eval
        .b
        .hints
        .iter()
        .find(|h| h.starts_with("posterior collapse"));
    let expected =
        format!("{active} of 2 latent units are active (their mean varies by more than 0.01");
    assert!(
        hint.is_some_and(|h| h.contains(&expected) && h.contains("β (now 500)")),
        "{:?}",
        eval.b.hints
    );
    // a hint, not a reason for a missing figure: the verdict does not list it as not judged
    assert!(!eval.comparison.verdict.summary.contains("posterior"));
    // an ordinary VAE keeps its units
    let e = experiment("iris", "pca", "vae");
    let run = pipeline::run(&e, dataset, |_| TrainControl::silent()).unwrap();
    let eval = evaluate(&run, &e.eval).unwrap();
    assert_eq!(eval.b.active_units, Some(2), "{:?}", eval.b.notes);
    assert!(eval.b.hints.is_empty(), "{:?}", eval.b.hints);
}
