//! The decisions of [`super::conclude`] and the settings' checks.

use super::*;
use crate::criteria::{Criterion, Decision, Similarity, VariedBy};
use crate::stats::tost::paired_tost;

fn interval(estimate: f64, lower: f64, upper: f64) -> Interval {
    Interval {
        estimate,
        lower,
        upper,
    }
}

fn geometry(within_b: Interval, equivalent: bool) -> Vec<GeometryCriterion> {
    let dist = |mean: Interval| Distribution {
        pairs: 10,
        values: vec![mean.estimate; 10],
        mean,
    };
    Similarity::ALL
        .into_iter()
        .map(|metric| GeometryCriterion {
            metric,
            within_a: dist(interval(0.97, 0.96, 0.98)),
            within_b: dist(within_b),
            between: dist(interval(0.5, 0.45, 0.55)),
            difference: interval(0.0, -0.04, 0.04),
            margin: 0.05,
            equivalent,
        })
        .collect()
}

fn scalar(differences: &[f64]) -> ScalarCriterion {
    let test = paired_tost(differences, 0.02, 0.05);
    ScalarCriterion {
        criterion: Criterion::KnnAccuracy,
        a: vec![],
        b: vec![],
        relative: false,
        differences: differences.to_vec(),
        equivalent: test.equivalent,
        test: Some(test),
    }
}

fn runs() -> RunsInfo {
    RunsInfo {
        count: 5,
        varied_by: VariedBy::Seeds,
        seeds: vec![1, 2, 3, 4, 5],
    }
}

#[test]
fn an_unstable_method_is_never_called_equivalent() {
    let settings = EquivalenceSettings::default();
    // A and B each with five runs, 300 geometry rows
    let judge = |geometry, scalars, settings: &EquivalenceSettings| {
        conclude(runs(), runs(), geometry, scalars, settings, 300)
    };
    let close = || vec![scalar(&[0.001, -0.002, 0.0, 0.001, -0.001])];
    let unstable = interval(0.45, 0.40, 0.55);
    // geometry passes on its numbers and the criteria agree: still undecided
    let e = judge(geometry(unstable, true), close(), &settings);
    assert!(!e.stability_b.stable && e.stability_a.stable);
    assert!(!e.equivalent && !e.geometry_equivalent);
    assert_eq!(e.decision, Decision::Undecided);
    assert!(e.summary.contains("too unstable"), "{}", e.summary);
    // a lower floor (--stability-floor) lets the same runs be judged
    let lenient = EquivalenceSettings {
        stability_floor: 0.3,
        ..EquivalenceSettings::default()
    };
    let e = judge(geometry(unstable, true), close(), &lenient);
    assert!(e.stability_b.stable);
    assert_eq!((e.decision, e.equivalent), (Decision::Equivalent, true));
    // a criterion whose interval lies wholly outside its margin shows a difference
    let far = vec![scalar(&[0.10, 0.11, 0.09, 0.10, 0.12])];
    let e = judge(geometry(unstable, true), far, &settings);
    assert_eq!(e.decision, Decision::NotEquivalent);
    // stable methods that pass everything are equivalent
    let stable = interval(0.95, 0.93, 0.97);
    let e = judge(geometry(stable, true), close(), &settings);
    assert_eq!((e.decision, e.equivalent), (Decision::Equivalent, true));
    // a wide interval around 0 fails TOST without showing a difference: undecided
    let wide = vec![scalar(&[0.03, -0.03, 0.02, -0.025, 0.01])];
    let e = judge(geometry(stable, true), wide, &settings);
    assert_eq!(e.decision, Decision::Undecided);
    assert!(e.summary.contains("--repeats"), "{}", e.summary);
    // between worse than within by more than δ over the whole interval: not equivalent
    let mut apart = geometry(stable, false);
    apart[0].difference = interval(-0.3, -0.35, -0.25);
    let e = judge(apart, close(), &settings);
    assert_eq!(e.decision, Decision::NotEquivalent);
}

#[test]
fn an_undefined_within_method_similarity_is_never_stable_nor_printed_as_nan() {
    let settings = EquivalenceSettings::default();
    let close = vec![scalar(&[0.001, -0.002, 0.0, 0.001, -0.001])];
    let undefined = interval(f64::NAN, f64::NAN, f64::NAN);
    let e = conclude(
        runs(),
        runs(),
        geometry(undefined, true),
        close,
        &settings,
        300,
    );
    assert!(!e.stability_b.stable);
    assert!(!e.equivalent && !e.geometry_equivalent);
    let md = super::markdown::section(&e, None);
    assert!(md.contains("within-method CKA undefined"), "{md}");
    assert!(!md.contains("NaN"), "{md}");
    assert!(md.contains("latents do not vary"), "{md}");
}

#[test]
fn settings_are_checked_with_the_flag_to_fix() {
    let bad = EquivalenceSettings {
        repeats: 0,
        ..EquivalenceSettings::default()
    };
    let err = bad.validate().expect_err("0 repeats").to_string();
    assert!(err.contains("--repeats"), "{err}");
    let bad = EquivalenceSettings {
        margin: -0.1,
        ..EquivalenceSettings::default()
    };
    assert!(bad.validate().is_err());
    let bad = EquivalenceSettings {
        stability_floor: 1.5,
        ..EquivalenceSettings::default()
    };
    let err = bad.validate().expect_err("floor above 1").to_string();
    assert!(err.contains("--stability-floor"), "{err}");
    assert!(EquivalenceSettings::default().validate().is_ok());
}
