//! `compare --sweep`: the points in report.json, the section in report.md, sweep.png, the
//! TOML's `[sweep]`, and the errors of a sweep that cannot run.

use super::{compare, report, stderr};

#[test]
fn a_latent_size_sweep_writes_its_points_summary_section_and_figure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--data",
        "iris",
        "--method-b",
        "ae",
        "--hidden",
        "8",
        "--epochs",
        "10",
        "--sweep",
        "latent_dim=1,2,3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    let s = &r["sweep"];
    assert_eq!(s["parameter"], "latent_dim");
    assert_eq!(s["side"], "both");
    let points = s["points"].as_array().unwrap();
    let values: Vec<u64> = points
        .iter()
        .map(|p| p["value"].as_u64().unwrap())
        .collect();
    assert_eq!(values, [1, 2, 3]);
    for (p, dim) in points.iter().zip(1..) {
        assert!(
            p["a"]["description"]
                .as_str()
                .unwrap()
                .contains(&format!("{dim} component")),
            "{p}"
        );
        assert!(p["b"]["reconstruction_mse_test"].is_number());
        assert!(p["comparison"]["linear_cka"].is_number());
        assert!(p["decision"].is_string());
        assert!(p["equivalence"].is_null(), "no repeats, no protocol");
    }
    // PCA's reconstruction falls as it keeps more components (one fit, cut to each size)
    let mse: Vec<f64> = points
        .iter()
        .map(|p| p["a"]["reconstruction_mse_test"].as_f64().unwrap())
        .collect();
    assert!(mse.windows(2).all(|w| w[1] < w[0]), "{mse:?}");
    assert!(s["missing"].as_array().unwrap().is_empty());
    assert!(s["summary"].as_str().unwrap().contains("latent_dim"), "{s}");
    // --quiet says nothing
    let quiet = dir.path().join("quiet");
    let q = compare(&[
        "--data",
        "iris",
        "--sweep",
        "latent_dim=1,2",
        "--out",
        quiet.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(q.status.success() && q.stderr.is_empty(), "{}", stderr(&q));
    // the report's own methods are the first point's
    assert_eq!(r["methods"]["a"]["latent_dim"], 1);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Sweep of latent_dim"), "{md}");
    assert!(md.contains("![latent_dim: the criteria of A and B and their CKA](sweep.png)"));
    let png = std::fs::read(out.join("sweep.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    // each point said its decision as it finished
    let err = stderr(&o);
    assert!(err.contains("latent_dim = 3: "), "{err}");
    assert!(err.contains("Sweep of latent_dim: "), "{err}");
}

#[test]
fn the_toml_sweep_section_runs_one_side_with_repeats() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("sweep.toml");
    std::fs::write(
        &config,
        "data = \"iris\"\nepochs = 10\nhidden = [8]\n\n[b]\nmethod = \"vae\"\n\n\
         [sweep]\nparameter = \"b.beta\"\nvalues = [0.5, 2]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = compare(&[
        "--config",
        config.to_str().unwrap(),
        "--repeats",
        "2",
        "--bootstrap",
        "40",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = &report(&out)["sweep"];
    assert_eq!(
        (s["parameter"].as_str(), s["side"].as_str()),
        (Some("beta"), Some("b"))
    );
    let points = s["points"].as_array().unwrap();
    assert_eq!(points.len(), 2);
    assert_eq!(points[0]["value"], 0.5);
    for p in points {
        let e = &p["equivalence"];
        assert!(e["decision"].is_string(), "{p}");
        assert!(e["geometry_equivalent"].is_boolean());
        assert!(e["subspace_equivalent"].is_boolean());
        assert_eq!(p["decision"], e["decision"]);
        // A (PCA) is not swept: the same fit at both points
        assert!(p["b"]["description"].as_str().unwrap().contains("β"), "{p}");
    }
    assert_eq!(points[0]["a"]["fit_seconds"], points[1]["a"]["fit_seconds"]);
    // and the same memory; B's fits each have theirs
    assert_eq!(
        points[0]["a"]["peak_memory_bytes"],
        points[1]["a"]["peak_memory_bytes"]
    );
    assert!(
        points
            .iter()
            .all(|p| p["b"]["peak_memory_bytes"].as_u64().unwrap() > 0)
    );
}

#[test]
fn sweeps_that_cannot_run_are_usage_errors_naming_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let out = out.to_str().unwrap();
    for (args, says) in [
        (
            vec!["--sweep", "batch_size=32,64"],
            "cannot sweep 'batch_size'",
        ),
        (vec!["--sweep", "latent_dim"], "PARAMETER=v1,v2"),
        (
            vec!["--sweep", "a.beta=1,2"],
            "method A (pca) has no beta setting",
        ),
        (
            vec!["--data", "iris", "--sweep", "latent_dim=2,9"],
            "latent",
        ),
    ] {
        let mut all = args.clone();
        all.extend(["--out", out, "--quiet"]);
        let o = compare(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!std::path::Path::new(out).join("report.json").exists());
    }
}
