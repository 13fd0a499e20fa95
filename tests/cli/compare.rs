//! Files written, report keys, exit codes and messages of `compare`.

use std::path::Path;

use super::{compare, report, stderr};

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
    // the cost criterion's memory: PCA of 10 features keeps its 10 × 10 f64 covariance at
    // least; the network its weights, gradients and Adam moments; the model its parameters
    let peak = |m: &serde_json::Value| m["peak_memory_bytes"].as_u64().unwrap();
    assert!(peak(a) >= 10 * 10 * 8, "{}", a["peak_memory_bytes"]);
    let params = b["n_parameters"].as_u64().unwrap();
    assert!(peak(b) >= 4 * params * 4, "{}", b["peak_memory_bytes"]);
    assert_eq!(b["model_bytes"].as_u64().unwrap(), params * 4);
    assert_eq!(
        a["model_bytes"].as_u64().unwrap(),
        (10 + 2 * 10 + 2 + 2) * 8
    );
    let process = r["run"]["peak_heap_bytes"].as_u64().unwrap();
    assert!(process >= peak(a).max(peak(b)), "process peak {process}");
    let resident = r["run"]["peak_resident_bytes"].as_u64();
    assert!(resident.is_some_and(|v| v > 1 << 20) || !cfg!(target_os = "linux"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("| Peak memory of the fit |") && md.contains("| Model size |"));

    let latents = std::fs::read_to_string(out.join("latents_b.csv")).unwrap();
    let lines: Vec<&str> = latents.lines().collect();
    assert_eq!(lines[0], "z0,z1,split,label,knn_jaccard");
    assert_eq!(lines.len(), 101);
    assert_eq!(lines.iter().filter(|l| l.contains(",test,")).count(), 20);

    // the written latents come back in as a method (their z columns; split and label left out)
    let again = dir.path().join("again");
    let file = format!("file:{}", out.join("latents_b.csv").display());
    let o = compare(&[
        "--data",
        "blobs",
        "--method-b",
        &file,
        "--out",
        again.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r2 = report(&again);
    assert_eq!(r2["methods"]["b"]["kind"], "file");
    assert!(r2["methods"]["b"]["peak_memory_bytes"].is_null());
    assert!(r2["methods"]["b"]["model_bytes"].is_null());
    // with another split the file's test rows would be training rows here: refused
    let o = compare(&[
        "--data",
        "blobs",
        "--seed",
        "7",
        "--method-b",
        &file,
        "--out",
        again.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("latents_b.csv") && stderr(&o).contains("split column"),
        "{}",
        stderr(&o)
    );
    // neither PCA nor a file has loss curves: no empty loss figure
    assert!(!again.join("loss.png").exists());
    let md = std::fs::read_to_string(again.join("report.md")).unwrap();
    assert!(!md.contains("loss.png"), "{md}");
    for key in ["linear_cka", "knn_jaccard_mean"] {
        let (x, y) = (&r["comparison"][key], &r2["comparison"][key]);
        let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
        // the CSV holds the f32 latents to their shortest round-trip text
        assert!((x - y).abs() < 1e-6, "{key}: {x} vs {y}");
    }
}

fn png_size(path: &Path) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let reader = decoder.read_info().unwrap();
    let info = reader.info();
    (info.width, info.height)
}

#[test]
fn digits_with_defaults_writes_every_file_with_a_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&["--out", out.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["scatter.png", "loss.png", "aligned.png"] {
        assert_eq!(png_size(&out.join(name)), (1600, 800), "{name}");
    }
    let r = report(&out);
    assert_eq!(r["dataset"]["name"], "digits");
    assert_eq!(r["settings"]["metric_rows"]["source"], "test");
    assert_eq!(r["settings"]["metric_rows"]["n"], 360);
    for m in [&r["methods"]["a"], &r["methods"]["b"]] {
        for key in [
            "knn_accuracy",
            "linear_accuracy",
            "trustworthiness",
            "continuity",
            "silhouette",
            "encode_seconds_per_1k",
        ] {
            assert!(m[key].as_f64().is_some(), "{key} missing: {m}");
        }
    }
    let c = &r["comparison"];
    for key in [
        "linear_cka",
        "linear_cka_debiased",
        "procrustes_disparity",
        "mean_cca",
        "knn_jaccard_mean",
        "distance_spearman",
    ] {
        assert!(c[key].as_f64().is_some(), "{key} missing");
    }
    let verdict = &c["verdict"];
    assert!(verdict["equivalent"].is_boolean());
    assert_eq!(verdict["criteria"].as_array().unwrap().len(), 7);
    let summary = verdict["summary"].as_str().unwrap();
    assert!(summary.contains("single run (seed 42)"), "{summary}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for needle in [
        "## A vs B",
        "![Latent spaces of A and B](scatter.png)",
        "(aligned.png)",
        "## Reproduce",
        summary,
    ] {
        assert!(md.contains(needle), "report.md lacks {needle}");
    }
    // the per-point agreement is filled for the 360 metric rows only
    let latents = std::fs::read_to_string(out.join("latents_a.csv")).unwrap();
    let filled = latents
        .lines()
        .skip(1)
        .filter(|l| !l.ends_with(','))
        .count();
    assert_eq!(filled, 360);
}

#[test]
fn figure_size_and_log_scale_flags() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--data",
        "moons",
        "--method-b",
        "ae",
        "--epochs",
        "3",
        "--figure-size",
        "800x500",
        "--log-loss",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(png_size(&out.join("scatter.png")), (800, 500));
    assert_eq!(png_size(&out.join("loss.png")), (800, 500));
    let o = compare(&["--figure-size", "1600by800", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("WIDTHxHEIGHT"), "{}", stderr(&o));
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
        (
            vec!["--data", "iris", "--method-a", "isomap"],
            vec!["isomap", "umap"],
        ),
        (
            vec!["--data", "iris", "--method-b", "umap", "--n-neighbors", "1"],
            vec!["umap: n_neighbors must be from 2 to 200", "(got 1)"],
        ),
        (
            vec!["--data", "iris", "--method-b", "umap", "--min-dist", "2"],
            vec!["spread must be positive and at least min_dist 2 (got 1)"],
        ),
        (
            vec![
                "--data",
                "iris",
                "--method-b",
                "tsne",
                "--tsne-learning-rate",
                "0",
            ],
            vec!["tsne: learning rate must be a positive number or auto (got 0)"],
        ),
        (
            vec!["--data", "iris", "--method-b", "umap", "--init", "random"],
            vec!["unknown UMAP start 'random'; use spectral or pca"],
        ),
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
        // negative numbers are values, checked like any other
        (
            vec!["--data", "iris", "--test-fraction", "-0.1"],
            vec!["test fraction must be at least 0", "-0.1"],
        ),
        (
            vec!["--data", "iris", "--learning-rate", "-1"],
            vec!["learning rate must be a positive number"],
        ),
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

#[test]
fn repeats_add_the_equivalence_section_figure_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--data",
        "iris",
        "--method-a",
        "pca",
        "--method-b",
        "ae",
        "--hidden",
        "8",
        "--epochs",
        "20",
        "--repeats",
        "3",
        "--bootstrap",
        "60",
        "--stability-floor",
        "0.7",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    let e = &r["comparison"]["equivalence"];
    assert!(e["equivalent"].is_boolean(), "{e}");
    assert!(e["geometry_equivalent"].is_boolean());
    assert_eq!(e["repeats"], 3);
    assert_eq!(e["settings"]["stability_floor"], 0.7);
    assert_eq!(e["runs_a"]["varied_by"], "bootstrap");
    assert_eq!(e["runs_b"]["seeds"], serde_json::json!([42, 43, 44]));
    let geometry = e["geometry"].as_array().unwrap();
    let metrics: Vec<&str> = geometry
        .iter()
        .map(|g| g["metric"].as_str().unwrap())
        .collect();
    assert_eq!(
        metrics,
        [
            "linear_cka",
            "procrustes_similarity",
            "knn_jaccard",
            "mean_cca"
        ]
    );
    let cka = &geometry[0];
    assert_eq!(cka["within_a"]["values"].as_array().unwrap().len(), 3);
    assert_eq!(cka["between"]["pairs"], 9);
    let lo = cka["difference"]["lower"].as_f64().unwrap();
    let hi = cka["difference"]["upper"].as_f64().unwrap();
    assert!(lo <= hi);
    let knn = e["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == "knn_accuracy")
        .unwrap();
    assert_eq!(knn["a"].as_array().unwrap().len(), 3);
    assert!(knn["test"]["p_value"].as_f64().is_some());
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Equivalence over repeated fits"));
    // the repeated fits' decision leads the report, before the single run's verdict
    let lead = md
        .find("**Over 3 repeated fits: ")
        .expect("the decision up front");
    assert!(
        lead < md
            .find("**Verdict of the single run: ")
            .expect("the single run's verdict")
    );
    assert!(md.contains("](equivalence.png)"));
    assert!(out.join("equivalence.png").is_file());

    // without --repeats the key is null and no figure is written
    let plain = dir.path().join("plain");
    let o = compare(&[
        "--data",
        "iris",
        "--out",
        plain.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(report(&plain)["comparison"]["equivalence"].is_null());
    assert!(!plain.join("equivalence.png").exists());
}

#[test]
fn equivalence_flags_without_repeats_or_out_of_range_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&["--bootstrap", "100", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--repeats"), "{}", stderr(&o));
    let o = compare(&["--repeats", "1", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--repeats must be"), "{}", stderr(&o));
    let o = compare(&[
        "--repeats",
        "--stability-floor",
        "1.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--stability-floor must be"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_folder_named_like_a_built_in_does_not_hide_it() {
    // e.g. the output of an earlier `--out moons`
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("moons")).unwrap();
    let o = super::binary()
        .current_dir(dir.path())
        .args(["compare", "--data", "moons", "--method-b", "pca"])
        .args(["--out", "run", "--quiet"])
        .output()
        .expect("run latent-compare");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(report(&dir.path().join("run"))["dataset"]["name"], "moons");
}
