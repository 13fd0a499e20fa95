//! Sweeps end to end on built-in data: a linear autoencoder spans PCA's subspace at every
//! latent size; PCA is fitted once and cut to each size; a point that fails or is cancelled is
//! missing while the others are kept.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use latent_compare::config::{EquivalenceConfig, ExperimentConfig, MethodSettings, Sweep};
use latent_compare::data::Preprocess;
use latent_compare::methods::LatentModel;
use latent_compare::methods::pca::Pca;
use latent_compare::pipeline;
use latent_compare::sweep::summary::SweepReport;
use latent_compare::sweep::{SweepControl, SweepOutcome, point_experiments, run_sweep};

fn method(name: &str) -> MethodSettings {
    MethodSettings {
        method: Some(name.into()),
        ..Default::default()
    }
}

fn sweep(config: &ExperimentConfig, text: &str, ctl: &SweepControl) -> SweepOutcome {
    let sweep = Sweep::parse(text).unwrap();
    let points = point_experiments(config, &sweep).unwrap();
    let base = config.resolve().unwrap();
    let dataset = Arc::new(pipeline::load_dataset(&base).unwrap());
    let prepared = Arc::new(pipeline::prepare(&base, dataset).unwrap());
    run_sweep(&sweep, &points, prepared, ctl).unwrap()
}

#[test]
fn pca_and_a_linear_autoencoder_span_one_subspace_at_every_latent_size() {
    let config = ExperimentConfig {
        data: Some("digits".into()),
        test_fraction: Some(0.0),
        preprocess: Some(Preprocess::Standardize),
        a: method("pca"),
        b: method("linear-ae"),
        equivalence: EquivalenceConfig {
            repeats: Some(3),
            bootstrap: Some(200),
            ..Default::default()
        },
        ..Default::default()
    };
    let outcome = sweep(&config, "latent_dim=2,4,8", &SweepControl::silent());
    assert!(outcome.missing.is_empty(), "{:?}", outcome.missing);
    assert_eq!(outcome.points.len(), 3);
    let first_fit = outcome.points[0].run.a.fitted.fit_seconds;
    for (p, dim) in outcome.points.iter().zip([2, 4, 8]) {
        let e = p.equivalence.as_ref().expect("the protocol ran");
        assert!(e.subspace_equivalent, "latent_dim {dim}: {}", e.summary);
        // A is PCA fitted once at 8 components and cut: what a fit at `dim` gives
        let a = &p.run.a.fitted;
        assert_eq!(a.latents.ncols(), dim);
        assert_eq!(a.fit_seconds, first_fit, "one PCA fit serves every size");
        let direct = Pca::fit(p.run.prepared.train_x().view(), dim).unwrap();
        let z = direct.encode(p.run.prepared.all_x());
        let worst = z
            .iter()
            .zip(a.latents.iter())
            .map(|(x, y)| (x - y).abs())
            .fold(0f32, f32::max);
        assert!(
            worst < 1e-4,
            "latent_dim {dim}: the cut differs from a fit by {worst}"
        );
    }
    let report = SweepReport::new(&outcome);
    assert_eq!(report.points.len(), 3);
    assert!(report.summary.contains("latent_dim"), "{}", report.summary);
}

#[test]
fn a_failed_point_is_missing_and_a_cancel_keeps_the_finished_ones() {
    let config = ExperimentConfig {
        data: Some("iris".into()),
        b: MethodSettings {
            method: Some("ae".into()),
            hidden: Some(vec![8]),
            epochs: Some(10),
            ..Default::default()
        },
        ..Default::default()
    };
    // a step size of 10³⁰ makes the autoencoder's loss overflow: that point fails, the rest run
    let outcome = sweep(
        &config,
        "b.learning_rate=0.001,1e30,0.01",
        &SweepControl::silent(),
    );
    let finished: Vec<String> = outcome.points.iter().map(|p| p.value.to_string()).collect();
    assert_eq!(finished, ["0.001", "0.01"]);
    assert_eq!(outcome.missing.len(), 1);
    assert!(
        outcome.missing[0].reason.contains("diverged"),
        "{:?}",
        outcome.missing
    );
    let report = SweepReport::new(&outcome);
    assert!(
        report.summary.contains("not run: 1e+30 ("),
        "{}",
        report.summary
    );

    // cancelled as the first point finishes: it is kept, the others are missing as cancelled
    let ctl = SweepControl::silent();
    let cancel = ctl.cancel.clone();
    let ctl = SweepControl {
        on_point: Arc::new(move |_| cancel.store(true, Ordering::Relaxed)),
        ..ctl
    };
    let outcome = sweep(&config, "latent_dim=1,2,3", &ctl);
    assert_eq!(outcome.points.len(), 1);
    let reasons: Vec<&str> = outcome.missing.iter().map(|m| m.reason.as_str()).collect();
    assert_eq!(reasons, ["cancelled", "cancelled"]);
}
