//! Unit tests of the verdict and its wording.

use super::text::{diff, list, pct};
use super::*;
use crate::criteria::Criterion;

fn inputs() -> VerdictInputs {
    VerdictInputs {
        reconstruction: (Some(0.92), Some(0.69)),
        knn_accuracy: (Some(0.60), Some(0.61)),
        linear_accuracy: (None, None),
        trustworthiness: (Some(0.90), Some(0.95)),
        continuity: (Some(0.91), Some(0.92)),
        linear_cka: Some(0.71),
        knn_jaccard_mean: Some(0.12),
        knn_shared_mean: Some(0.2),
        neighbors: 10,
        missing_reasons: vec!["accuracy: no class labels".into()],
        seed: 42,
        seeded_fit: true,
        n_test: 30,
        latent_dims: (2, 3),
    }
}

#[test]
fn each_criterion_is_judged_against_its_margin() {
    let v = judge(&inputs(), &Margins::default());
    let get = |k: Criterion| {
        v.criteria
            .iter()
            .find(|c| c.criterion == k)
            .unwrap()
            .clone()
    };
    let r = get(Criterion::ReconstructionMseTest);
    assert!((r.difference.unwrap() - 0.23 / 0.69).abs() < 1e-12);
    assert_eq!(r.within_margin, Some(false));
    assert_eq!(get(Criterion::KnnAccuracy).within_margin, Some(true));
    assert_eq!(get(Criterion::LinearAccuracy).within_margin, None);
    assert_eq!(get(Criterion::Trustworthiness).within_margin, Some(false));
    assert_eq!(get(Criterion::LinearCka).within_margin, Some(false));
    assert!(!v.equivalent);
    assert!(
        v.summary
            .starts_with("B reconstructs the test rows better than A: A's MSE is 33 % above B's"),
        "{}",
        v.summary
    );
    assert!(v.summary.contains("4 of 6 criteria"), "{}", v.summary);
    assert!(v.summary.contains("single run (seed 42)"));
    assert!(
        v.summary
            .contains("With 30 test rows one prediction moves an accuracy by 0.033")
    );
    assert!(v.summary.contains("A has 2 latent dimensions and B 3"));
    // the share of neighbours is read from the shares, not from the Jaccard index
    assert!(
        v.summary.contains(
            "on average 20 % of a point's 10 nearest neighbours are its neighbours in both \
             spaces: the mean Jaccard index of the two 10-NN sets is 0.120"
        ),
        "{}",
        v.summary
    );
    // a criterion without figures is named with the reason
    assert!(
        v.summary
            .contains("Not judged: logistic-regression accuracy (accuracy: no class labels)."),
        "{}",
        v.summary
    );
}

#[test]
fn a_near_exact_reconstruction_is_not_given_a_ratio() {
    let mut one = inputs();
    one.reconstruction = (Some(2e-4), Some(0.341));
    let v = judge(&one, &Margins::default());
    assert_eq!(v.criteria[0].within_margin, Some(false));
    assert!(
        v.summary.starts_with(
            "A reconstructs the test rows almost exactly (MSE 2.0e-4) and B does not (MSE 0.341; outside the 10 % margin)"
        ),
        "{}",
        v.summary
    );
    assert!(!v.summary.contains("above"), "{}", v.summary);
}

#[test]
fn small_figures_keep_their_digits() {
    assert_eq!(pct(0.0), "0 %");
    assert_eq!(pct(0.0004), "< 0.1 %");
    assert_eq!(pct(0.043), "4.3 %");
    assert_eq!(pct(0.33), "33 %");
    assert_eq!(diff(0.0), "0");
    assert_eq!(diff(0.0002), "2.0e-4");
    assert_eq!(diff(0.0123), "0.012");
    assert_eq!(list(&["a", "b", "c"]), "a, b and c");
}

#[test]
fn two_near_exact_reconstructions_are_equivalent() {
    let mut near = inputs();
    near.reconstruction = (Some(7e-33), Some(1.94e-4));
    let v = judge(&near, &Margins::default());
    let r = &v.criteria[0];
    assert_eq!(r.within_margin, Some(true), "{r:?}");
    assert!(
        v.summary
            .starts_with("A and B both reconstruct the test rows almost exactly"),
        "{}",
        v.summary
    );
}

#[test]
fn identical_methods_are_equivalent() {
    let same = VerdictInputs {
        reconstruction: (Some(0.5), Some(0.5)),
        knn_accuracy: (Some(0.9), Some(0.9)),
        linear_accuracy: (Some(0.8), Some(0.8)),
        trustworthiness: (Some(0.9), Some(0.9)),
        continuity: (Some(0.9), Some(0.9)),
        linear_cka: Some(1.0),
        knn_jaccard_mean: Some(1.0),
        knn_shared_mean: Some(1.0),
        neighbors: 10,
        missing_reasons: Vec::new(),
        seed: 1,
        seeded_fit: false,
        n_test: 360,
        latent_dims: (2, 2),
    };
    let v = judge(&same, &Margins::default());
    assert!(v.equivalent, "{}", v.summary);
    assert!(v.summary.contains("all 7 criteria"));
    assert!(
        v.summary.contains("single train/test split (seed 1)"),
        "{}",
        v.summary
    );
}

#[test]
fn the_table_gives_the_reconstruction_difference_as_a_percentage() {
    let v = judge(&inputs(), &Margins::default());
    let rec = &v.criteria[0];
    assert_eq!(difference_text(rec).as_deref(), Some("33 %"));
    assert_eq!(margin_text(rec), "≤ 10 %");
    let mut exact = inputs();
    exact.reconstruction = (Some(7e-33), Some(2.1e-4));
    let v = judge(&exact, &Margins::default());
    assert_eq!(
        difference_text(&v.criteria[0]).as_deref(),
        Some("0 (both MSEs below 0.001 count as exact)")
    );
    assert_eq!(difference_text(&v.criteria[1]).as_deref(), Some("0.0100"));
}
