//! The `latent-compare compare` command as a user runs it: files written, report keys, exit codes
//! and error messages.

use std::path::Path;
use std::process::{Command, Output};

fn compare(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_latent-compare"))
        .arg("compare")
        .args(args)
        .output()
        .expect("run latent-compare")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn report(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn compare_writes_report_and_latents() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--data",
        "blobs",
        "--method-b",
        "ae",
        "--hidden",
        "16",
        "--epochs",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    assert_eq!(r["dataset"]["name"], "blobs");
    assert_eq!(r["dataset"]["n_samples"], 100);
    assert_eq!(r["dataset"]["n_features"], 10);
    assert_eq!(r["dataset"]["n_classes"], 3);
    assert_eq!(r["dataset"]["preprocess"], "standardize");
    assert_eq!(r["settings"]["seed"], 42);
    assert_eq!(r["settings"]["test_fraction"], 0.2);
    let a = &r["methods"]["a"];
    let b = &r["methods"]["b"];
    assert_eq!(a["kind"], "pca");
    assert_eq!(a["latent_dim"], 2);
    assert_eq!(a["explained_variance_ratio"].as_array().unwrap().len(), 2);
    assert!(a["loss_history"].as_array().unwrap().is_empty());
    assert_eq!(b["kind"], "ae");
    assert!(b["explained_variance_ratio"].is_null());
    assert_eq!(b["loss_history"].as_array().unwrap().len(), 5);
    for m in [a, b] {
        assert!(m["fit_seconds"].as_f64().unwrap() >= 0.0);
        assert!(m["n_parameters"].as_u64().unwrap() > 0);
        assert!(m["reconstruction_mse_train"].as_f64().unwrap() > 0.0);
        assert!(m["reconstruction_mse_test"].as_f64().unwrap() > 0.0);
    }
    assert!(r["command"].as_str().unwrap().contains("--method-b ae"));

    let latents = std::fs::read_to_string(out.join("latents_b.csv")).unwrap();
    let lines: Vec<&str> = latents.lines().collect();
    assert_eq!(lines[0], "z0,z1,split,label,knn_jaccard");
    assert_eq!(lines.len(), 101);
    assert_eq!(lines.iter().filter(|l| l.contains(",test,")).count(), 20);
}

#[test]
fn config_file_sections_set_each_method() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("exp.toml");
    std::fs::write(
        &cfg,
        "data = \"iris\"\ntest_fraction = 0\nepochs = 4\n[a]\nmethod = \"vae\"\nbeta = 0.5\nhidden = [8]\n[b]\nmethod = \"linear-ae\"\nepochs = 2\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    assert_eq!(r["dataset"]["name"], "iris");
    assert_eq!(r["methods"]["a"]["spec"]["beta"], 0.5);
    assert_eq!(
        r["methods"]["a"]["loss_history"].as_array().unwrap().len(),
        4
    );
    assert_eq!(
        r["methods"]["b"]["loss_history"].as_array().unwrap().len(),
        2
    );
    assert!(r["methods"]["a"]["reconstruction_mse_test"].is_null());
}

#[test]
fn npy_data_with_separate_labels() {
    let dir = tempfile::tempdir().unwrap();
    let x = ndarray::Array2::from_shape_fn((30, 4), |(i, j)| (i * (j + 1)) as f64 % 7.0);
    let y = ndarray::Array1::from_shape_fn(30, |i| (i % 3) as i64);
    let x_path = dir.path().join("x.npy");
    let y_path = dir.path().join("y.npy");
    ndarray_npy::write_npy(&x_path, &x).unwrap();
    ndarray_npy::write_npy(&y_path, &y).unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--data",
        x_path.to_str().unwrap(),
        "--labels",
        y_path.to_str().unwrap(),
        "--method-b",
        "pca",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    assert_eq!(r["dataset"]["n_classes"], 3);
    assert_eq!(r["dataset"]["n_samples"], 30);
}

#[test]
fn bad_input_exits_2_with_a_message_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "a,b\n1,2\n3,oops\n5,6\n").unwrap();
    let out = dir.path().join("out");
    let cases: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["--data", bad.to_str().unwrap()],
            vec!["bad.csv", "line 3", "oops"],
        ),
        (vec!["--data", "mnist"], vec!["mnist", "digits"]),
        (vec!["--data", "iris", "--method-a", "tsne"], vec!["tsne"]),
        (
            vec!["--data", "iris", "--latent-dim", "9", "--method-b", "pca"],
            vec!["latent dimension 9"],
        ),
        (
            vec!["--data", "iris", "--test-fraction", "1.5"],
            vec!["test fraction"],
        ),
        (
            vec!["--data", "iris", "--method-b", "file:/nonexistent/z.csv"],
            vec!["z.csv"],
        ),
        (vec!["--hidden", "12,x"], vec!["hidden widths"]),
        (vec!["--no-such-flag"], vec!["--no-such-flag"]),
    ];
    for (args, needles) in cases {
        let mut all = args.clone();
        all.extend(["--out", out.to_str().unwrap(), "--quiet"]);
        let o = compare(&all);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: '{n}' not in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
}
