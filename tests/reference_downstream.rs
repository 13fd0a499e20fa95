//! The built-in iris and the downstream classifiers against scikit-learn's values in
//! tests/reference/ (written by scripts/reference/downstream.py, whose docstring defines them).

use std::path::PathBuf;
use std::sync::Arc;

use latent_compare::data::{self, Prepared, Preprocess};
use latent_compare::methods::LatentModel;
use latent_compare::methods::pca::Pca;
use latent_compare::metrics::downstream::{
    LOGISTIC_C, knn_accuracy, knn_predictions, linear_accuracy, linear_predictions,
};
use latent_compare::metrics::logistic::Logistic;
use ndarray::Array2;
use serde_json::Value;

/// The downstream cases, each `tests/reference/downstream_<name>.json`.
const CASES: [&str; 5] = [
    "digits_pca2",
    "digits_pca5",
    "digits_pixels16",
    "grid_ties",
    "breast_cancer_pca3",
];

/// scikit-learn's default iteration cap of `LogisticRegression()`.
const SKLEARN_MAX_ITER: u64 = 100;

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn matrix(value: &Value) -> Array2<f64> {
    let rows = value.as_array().unwrap();
    let d = rows[0].as_array().unwrap().len();
    let values: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .collect();
    Array2::from_shape_vec((rows.len(), d), values).unwrap()
}

/// Latents: written as the shortest decimals of f32 values, so decimal → f64 → f32 restores them.
fn latents(value: &Value) -> Array2<f32> {
    matrix(value).mapv(|v| v as f32)
}

fn labels(value: &Value) -> Vec<u32> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect()
}

struct Case {
    name: &'static str,
    train_x: Array2<f32>,
    train_y: Vec<u32>,
    test_x: Array2<f32>,
    test_y: Vec<u32>,
    expected: Value,
}

fn cases() -> Vec<Case> {
    CASES
        .iter()
        .map(|&name| {
            let expected = fixture(&format!("downstream_{name}.json"));
            Case {
                name,
                train_x: latents(&expected["train_x"]),
                train_y: labels(&expected["train_y"]),
                test_x: latents(&expected["test_x"]),
                test_y: labels(&expected["test_y"]),
                expected,
            }
        })
        .collect()
}

fn differing(a: &[u32], b: &[u32]) -> Vec<usize> {
    assert_eq!(a.len(), b.len());
    (0..a.len()).filter(|&i| a[i] != b[i]).collect()
}

#[test]
fn iris_pca_ratios_match_scikit_learn() {
    let reference = fixture("iris_pca.json");
    let iris = Arc::new(data::load_builtin("iris").unwrap());
    let prepared = Prepared::new(iris, Preprocess::Standardize, 0.0, 0).unwrap();
    for k in [2, 4] {
        let pca = Pca::fit(prepared.x.view(), k).unwrap();
        let ours = pca.explained_variance_ratio().unwrap();
        let want = reference["explained_variance_ratio"][k.to_string()]
            .as_array()
            .unwrap();
        assert_eq!(ours.len(), want.len());
        for (i, (o, w)) in ours.iter().zip(want).enumerate() {
            let w = w.as_f64().unwrap();
            assert!(
                (o - w).abs() <= 1e-6,
                "PCA-{k} ratio {i}: ours {o}, scikit-learn {w}"
            );
        }
    }
}

#[test]
fn knn_predictions_equal_scikit_learns() {
    for case in cases() {
        let ours = knn_predictions(case.train_x.view(), &case.train_y, case.test_x.view()).unwrap();
        for key in ["knn", "knn_brute"] {
            let theirs = labels(&case.expected[key]["predicted"]);
            assert_eq!(
                differing(&ours, &theirs),
                Vec::<usize>::new(),
                "{}: test rows where scikit-learn's {key} predicts otherwise",
                case.name
            );
        }
        let accuracy = knn_accuracy(
            case.train_x.view(),
            &case.train_y,
            case.test_x.view(),
            &case.test_y,
        )
        .unwrap();
        let want = case.expected["knn"]["accuracy"].as_f64().unwrap();
        // scikit-learn's mean of 0/1 and our hits / n may differ in the last bit
        assert!(
            (accuracy - want).abs() <= 1e-12,
            "{}: {accuracy} vs {want}",
            case.name
        );
    }
}

/// Our fit is the optimum of scikit-learn's model: its predictions are those of scikit-learn
/// fitted to tol=1e-12, and within one test row of `LogisticRegression()`'s wherever that
/// default fit converged within its 100 iterations.
#[test]
fn logistic_predictions_are_scikit_learns_within_one_row() {
    for case in cases() {
        let ours =
            linear_predictions(case.train_x.view(), &case.train_y, case.test_x.view()).unwrap();
        let optimum = labels(&case.expected["logistic_optimum"]["predicted"]);
        let off = differing(&ours, &optimum);
        assert!(
            off.len() <= 1,
            "{}: rows {off:?} differ from the optimum",
            case.name
        );
        let default = &case.expected["logistic"];
        let off_default = differing(&ours, &labels(&default["predicted"]));
        let converged = default["n_iter"].as_u64().unwrap() < SKLEARN_MAX_ITER;
        if converged {
            assert!(
                off_default.len() <= 1,
                "{}: rows {off_default:?} differ from LogisticRegression()",
                case.name
            );
            let accuracy = linear_accuracy(
                case.train_x.view(),
                &case.train_y,
                case.test_x.view(),
                &case.test_y,
            )
            .unwrap();
            let want = default["accuracy"].as_f64().unwrap();
            let one_row = 1.0 / case.test_y.len() as f64;
            assert!(
                (accuracy - want).abs() <= one_row + 1e-12,
                "{}: accuracy {accuracy}, scikit-learn {want}",
                case.name
            );
        }
        eprintln!(
            "{}: {} rows differ from scikit-learn's optimum, {} from LogisticRegression() \
             (which {} in {} iterations)",
            case.name,
            off.len(),
            off_default.len(),
            if converged {
                "converged"
            } else {
                "stopped unconverged"
            },
            default["n_iter"]
        );
    }
}

/// The weights themselves are scikit-learn's model's at its optimum (`coef_`, `intercept_` of
/// the tight fit, polished by Newton's method in the generator), to 3e-5 of the largest weight
/// (the fit stops at a relative gradient of 1e-8; the pixel case's flat directions leave 6e-6).
#[test]
fn logistic_weights_equal_scikit_learns_optimum() {
    for case in cases() {
        let mut classes = case.train_y.clone();
        classes.sort_unstable();
        classes.dedup();
        let index: Vec<usize> = case
            .train_y
            .iter()
            .map(|y| classes.binary_search(y).unwrap())
            .collect();
        let model = Logistic::fit(case.train_x.view(), &index, classes.len(), LOGISTIC_C);
        let optimum = &case.expected["logistic_optimum"];
        let coef = matrix(&optimum["coef"]);
        let intercept = optimum["intercept"].as_array().unwrap();
        let weights = model.weights();
        assert_eq!(weights.dim(), (coef.nrows(), coef.ncols() + 1));
        let (mut scale, mut off) = (0.0f64, 0.0f64);
        for k in 0..coef.nrows() {
            for j in 0..=coef.ncols() {
                let theirs = if j < coef.ncols() {
                    coef[[k, j]]
                } else {
                    intercept[k].as_f64().unwrap()
                };
                scale = scale.max(theirs.abs());
                off = off.max((weights[[k, j]] - theirs).abs());
            }
        }
        eprintln!(
            "{}: {} iterations, relative gradient {:.1e}, weights off by {:.1e} of the largest",
            case.name,
            model.iterations,
            model.relative_gradient,
            off / scale
        );
        assert!(
            off <= 1e-5 * scale,
            "{}: off by {off}, largest {scale}",
            case.name
        );
    }
}
