//! The equivalence protocol's sanity cases, end to end on built-in data: a method against itself
//! is equivalent; a linear autoencoder spans PCA's subspace (equivalent in subspace) even where
//! the spaces differ beyond a rotation; PCA and a VAE on the swiss roll are not equivalent.

use std::sync::Arc;

use latent_compare::config::{EquivalenceSettings, EvalSettings, ExperimentConfig, MethodSettings};
use latent_compare::criteria::{Decision, Similarity, VariedBy};
use latent_compare::data::Preprocess;
use latent_compare::equivalence::{Equivalence, EquivalenceControl, run_equivalence};
use latent_compare::methods::TrainControl;
use latent_compare::pipeline;

fn method(name: &str) -> MethodSettings {
    MethodSettings {
        method: Some(name.into()),
        ..Default::default()
    }
}

fn protocol(config: ExperimentConfig, repeats: usize) -> Equivalence {
    let e = config.resolve().expect("valid experiment");
    let dataset = Arc::new(pipeline::load_dataset(&e).expect("built-in data"));
    let run = pipeline::run(&e, dataset, |_| TrainControl::silent()).expect("both fits");
    let settings = EquivalenceSettings {
        repeats,
        resamples: 300,
        ..EquivalenceSettings::default()
    };
    let out = run_equivalence(
        &run,
        &EvalSettings::default(),
        &settings,
        &EquivalenceControl::silent(),
    )
    .expect("protocol");
    eprintln!("{}", out.summary);
    out
}

fn criterion(
    e: &Equivalence,
    metric: Similarity,
) -> &latent_compare::equivalence::GeometryCriterion {
    e.geometry
        .iter()
        .find(|g| g.metric == metric)
        .expect("metric present")
}

#[test]
fn pca_against_pca_is_equivalent() {
    let e = protocol(
        ExperimentConfig {
            data: Some("digits".into()),
            a: method("pca"),
            b: method("pca"),
            ..Default::default()
        },
        5,
    );
    assert!(e.equivalent, "{}", e.summary);
    assert_eq!(e.decision, Decision::Equivalent);
    assert_eq!(
        (e.runs_a.count, e.runs_a.varied_by),
        (5, VariedBy::Bootstrap)
    );
    let cka = criterion(&e, Similarity::LinearCka);
    assert_eq!((cka.within_a.pairs, cka.between.pairs), (10, 25));
    // PCA's own resamples agree closely (2-D digits: its third eigenvalue is near the second)
    assert!(cka.within_a.mean.estimate > 0.9, "{cka:?}");
    // every scalar criterion with a test is equivalent
    assert!(
        e.criteria
            .iter()
            .filter(|c| c.test.is_some())
            .all(|c| c.equivalent == Some(true))
    );
}

#[test]
fn linear_autoencoder_is_equivalent_to_pca_in_subspace() {
    let e = protocol(
        ExperimentConfig {
            data: Some("digits".into()),
            test_fraction: Some(0.0),
            preprocess: Some(Preprocess::Standardize),
            a: method("pca"),
            b: method("linear-ae"),
            ..Default::default()
        },
        4,
    );
    let cca = criterion(&e, Similarity::MeanCca);
    // against PCA refitted on resamples of the rows; against the full-data fit it is ≥ 0.99
    // (tests/pipeline.rs)
    assert!(cca.between.mean.estimate > 0.97, "{cca:?}");
    assert!(e.subspace_equivalent, "{}", e.summary);
    assert_eq!(e.runs_b.varied_by, VariedBy::Seeds);
    assert_eq!(e.runs_b.count, 4);
}

#[test]
fn pca_and_vae_on_the_swiss_roll_are_not_equivalent() {
    let e = protocol(
        ExperimentConfig {
            data: Some("swiss-roll".into()),
            a: method("pca"),
            b: method("vae"),
            ..Default::default()
        },
        4,
    );
    assert!(!e.equivalent, "{}", e.summary);
    assert_ne!(e.decision, Decision::Equivalent);
}
