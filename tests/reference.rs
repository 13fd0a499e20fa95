//! PCA against scikit-learn's values in ../shared/reference (see its README for definitions).

use std::path::PathBuf;
use std::sync::Arc;

use latent_compare::data::{self, LoadOptions, Prepared, Preprocess};
use latent_compare::methods::LatentModel;
use latent_compare::methods::pca::Pca;
use serde_json::Value;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/reference")
}

fn expected(name: &str) -> Value {
    let path = reference_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn assert_rel(actual: f64, want: f64, tol: f64, what: &str) {
    let rel = (actual - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    assert!(
        rel <= tol,
        "{what}: got {actual}, scikit-learn {want} (relative error {rel:e} > {tol:e})"
    );
}

/// PCA-2 of the dataset standardized on all rows, checked against the `pca` block.
fn check_pca(dataset: data::Dataset, reference: &Value) -> Pca {
    let prepared = Prepared::new(Arc::new(dataset), Preprocess::Standardize, 0.0, 0).unwrap();
    let pca = Pca::fit(prepared.x.view(), 2).unwrap();
    let evr = pca.explained_variance_ratio().unwrap();
    let want = reference["pca"]["explained_variance_ratio"]
        .as_array()
        .unwrap();
    for (k, w) in want.iter().enumerate() {
        assert_rel(
            evr[k],
            w.as_f64().unwrap(),
            1e-6,
            &format!("explained variance ratio {k}"),
        );
    }
    let mse = pca.reconstruction_mse(prepared.x.view());
    assert_rel(
        mse,
        reference["pca"]["reconstruction_mse"].as_f64().unwrap(),
        1e-6,
        "reconstruction MSE",
    );
    pca
}

#[test]
fn digits_pca_matches_scikit_learn() {
    let reference = expected("digits_pca_expected.json");
    check_pca(data::load_builtin("digits").unwrap(), &reference);
}

#[test]
fn breast_cancer_pca_matches_scikit_learn_including_signs() {
    let reference = expected("breast_cancer_expected.json");
    let x_path = reference_dir().join("breast_cancer_X.csv");
    let dataset = data::load(x_path.to_str().unwrap(), &LoadOptions::default()).unwrap();
    assert_eq!((dataset.n_samples(), dataset.n_features()), (569, 30));
    assert_eq!(dataset.n_classes(), Some(2));
    let all = dataset.records.clone();
    let pca = check_pca(dataset.clone(), &reference);

    // Latents equal scikit-learn's PCA(2).fit_transform, signs included.
    let prepared = Prepared::new(Arc::new(dataset), Preprocess::Standardize, 0.0, 0).unwrap();
    let z = pca.encode(prepared.x.view());
    let a = data::npy::load_matrix(&reference_dir().join("breast_cancer_A.csv")).unwrap();
    assert_eq!(a.dim(), (all.nrows(), 2));
    let scale = a.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    for (ours, theirs) in z.iter().zip(a.iter()) {
        assert!(
            (ours - theirs).abs() <= 1e-5 * scale,
            "latent {ours} vs scikit-learn {theirs}"
        );
    }
}

/// The metrics on the reference latents equal scikit-learn/scipy's (README of shared/reference),
/// through the command a user would run.
#[test]
fn breast_cancer_metrics_match_scikit_learn_and_scipy() {
    let reference = expected("breast_cancer_expected.json");
    let dir = reference_dir();
    let out = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.join(name).display().to_string();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_latent-compare"))
        .args(["compare", "--data", &path("breast_cancer_X.csv")])
        .args([
            "--method-a",
            &format!("file:{}", path("breast_cancer_A.csv")),
        ])
        .args([
            "--method-b",
            &format!("file:{}", path("breast_cancer_B.csv")),
        ])
        .args([
            "--preprocess",
            "none",
            "--test-fraction",
            "0",
            "--quiet",
            "--out",
        ])
        .arg(out.path())
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(out.path().join("report.json")).unwrap();
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["settings"]["metric_rows"]["n"], 569);
    assert_eq!(report["settings"]["metric_rows"]["source"], "all");
    assert_eq!(report["settings"]["neighbors"], reference["neighbors"]);
    for side in ["a", "b"] {
        for key in ["trustworthiness", "continuity", "silhouette"] {
            let got = report["methods"][side][key].as_f64().unwrap();
            let want = reference[side][key].as_f64().unwrap();
            assert_rel(got, want, 1e-6, &format!("{side}.{key}"));
        }
    }
    for (key, want) in reference["comparison"].as_object().unwrap() {
        let got = report["comparison"][key].as_f64().unwrap();
        assert_rel(
            got,
            want.as_f64().unwrap(),
            1e-6,
            &format!("comparison.{key}"),
        );
    }
}
