//! The sweep's sentence for the shapes a sweep takes: all equivalent, none, a threshold either
//! way on ascending values, a mixed or unordered sweep, and points that did not finish.

use super::*;
use crate::verdict::Verdict;

fn point(value: serde_json::Value, decision: Decision, differs_on: &[&str]) -> PointReport {
    let method = PointMethod {
        description: String::new(),
        fit_seconds: 0.0,
        peak_memory_bytes: None,
        reconstruction_mse_test: None,
        evaluation: MethodEvaluation::default(),
    };
    PointReport {
        value,
        a: method.clone(),
        b: method,
        comparison: Comparison {
            linear_cka: None,
            linear_cka_debiased: None,
            procrustes_disparity: None,
            mean_cca: None,
            knn_jaccard_mean: None,
            distance_spearman: None,
            verdict: Verdict {
                equivalent: decision == Decision::Equivalent,
                criteria: Vec::new(),
                summary: String::new(),
            },
            notes: Vec::new(),
            knn_jaccard: Vec::new(),
            b_aligned: None,
        },
        equivalence: None,
        decision,
        differs_on: differs_on.iter().map(|s| s.to_string()).collect(),
    }
}

fn dims(decisions: &[(usize, Decision, &[&str])]) -> Vec<PointReport> {
    decisions
        .iter()
        .map(|&(v, d, on)| point(serde_json::Value::from(v), d, on))
        .collect()
}

use Decision::{Equivalent as E, NotEquivalent as D, Undecided as U};

#[test]
fn a_threshold_on_ascending_values_reads_as_one() {
    let recon: &[&str] = &["reconstruction_mse_test"];
    let points = dims(&[
        (2, E, &[]),
        (4, E, &[]),
        (8, D, recon),
        (16, D, &["knn_accuracy"]),
    ]);
    assert_eq!(
        summary("latent_dim", &points, &[]),
        "Equivalent for latent_dim ≤ 4; different from 8 on: test reconstruction, 5-NN accuracy."
    );
    let points = dims(&[(2, D, recon), (4, E, &[]), (8, E, &[])]);
    assert_eq!(
        summary("b.beta", &points, &[]),
        "Different for b.beta ≤ 2 (on: test reconstruction); equivalent from 4."
    );
}

#[test]
fn all_one_way_and_mixed_sweeps() {
    let points = dims(&[(2, E, &[]), (4, E, &[]), (8, E, &[])]);
    assert_eq!(
        summary("latent_dim", &points, &[]),
        "Equivalent at every latent_dim tried (2, 4 and 8)."
    );
    let points = dims(&[(2, D, &["linear_cka"]), (4, D, &["linear_cka"])]);
    assert_eq!(
        summary("latent_dim", &points, &[]),
        "Different at every latent_dim tried (2 and 4), on: linear CKA."
    );
    // not a single threshold: each decision's values listed
    let points = dims(&[
        (2, E, &[]),
        (4, D, &["continuity"]),
        (8, E, &[]),
        (16, U, &[]),
    ]);
    assert_eq!(
        summary("latent_dim", &points, &[]),
        "Equivalent at latent_dim = 2 and 8; different at 4 (on: continuity); undecided at 16."
    );
    // text values (activations) are never read as a threshold
    let points = dims(&[(2, D, &["continuity"]), (4, U, &[])]);
    assert_eq!(
        summary("latent_dim", &points, &[]),
        "Different at latent_dim = 2 (on: continuity); undecided at 4."
    );
    let acts = vec![
        point("relu".into(), E, &[]),
        point("tanh".into(), D, &["trustworthiness"]),
    ];
    assert_eq!(
        summary("b.activation", &acts, &[]),
        "Equivalent at b.activation = relu; different at tanh (on: trustworthiness)."
    );
}

#[test]
fn points_that_did_not_finish_are_named() {
    let points = dims(&[(2, E, &[])]);
    let missing = [MissingReport {
        value: serde_json::Value::from(4),
        reason: "cancelled".into(),
    }];
    assert_eq!(
        summary("latent_dim", &points, &missing),
        "Equivalent at every latent_dim tried (2); not run: 4 (cancelled)."
    );
    assert_eq!(
        summary("latent_dim", &[], &missing),
        "No point of the latent_dim sweep finished; not run: 4 (cancelled)."
    );
}
