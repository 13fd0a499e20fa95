//! The data options of `latent-compare compare` as a user gives them: the label column (or
//! none), columns left out, the image shape, and the data the run refuses (duplicate column
//! names, every feature constant).

use std::path::Path;
use std::process::Command;

use super::{compare, report, stderr};

/// Runs PCA against PCA (fast) on `data` with `extra` flags into `dir/out`; the report.
fn run(dir: &Path, data: &Path, extra: &[&str]) -> serde_json::Value {
    let out = dir.join("out");
    let mut args = vec![
        "--data",
        data.to_str().unwrap(),
        "--method-b",
        "pca",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend(extra);
    let o = compare(&args);
    assert!(o.status.success(), "{extra:?}: {}", stderr(&o));
    report(&out)
}

/// A penguins-like table: two text columns besides the species, and a year.
fn penguins(dir: &Path) -> std::path::PathBuf {
    let islands = ["Biscoe", "Dream", "Torgersen"];
    let species = ["Adelie", "Chinstrap", "Gentoo"];
    let mut text =
        "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,year\n"
            .to_string();
    for i in 0..60 {
        let s = i % 3;
        text.push_str(&format!(
            "{},{},{:.1},{:.1},{},{},{},{}\n",
            species[s],
            islands[(i / 3) % 3],
            38.0 + 4.0 * s as f64 + (i % 7) as f64 * 0.3,
            18.0 - s as f64 + (i % 5) as f64 * 0.2,
            190 + 10 * s + i % 9,
            3700 + 300 * s + (i * 37) % 200,
            if i % 2 == 0 { "male" } else { "female" },
            2007 + i % 3
        ));
    }
    let path = dir.join("penguins.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn penguins_label_column_island_and_year_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let data = penguins(dir.path());
    // by default species is the label and the five numeric columns (year included) features
    let r = run(dir.path(), &data, &[]);
    assert_eq!(r["dataset"]["n_classes"], 3);
    assert_eq!(r["dataset"]["n_features"], 5);
    let r = run(
        dir.path(),
        &data,
        &["--label-column", "island", "--drop-columns", "year"],
    );
    assert_eq!(r["dataset"]["n_classes"], 3);
    assert_eq!(r["dataset"]["n_features"], 4);
    assert_eq!(r["dataset"]["image_shape"], serde_json::Value::Null);
    let notes = r["dataset"]["notes"].to_string();
    assert!(notes.contains("left out year as asked"), "{notes}");
}

#[test]
fn label_column_none_makes_every_column_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("xyz.csv");
    let mut text = "x,y,z\n".to_string();
    for i in 0..40 {
        text.push_str(&format!("{},{},{}\n", i % 7, (i * 3) % 11, i % 2));
    }
    std::fs::write(&data, text).unwrap();
    // y beside x and z is a coordinate: three features, no labels
    let r = run(dir.path(), &data, &[]);
    assert_eq!(r["dataset"]["n_features"], 3);
    assert_eq!(r["dataset"]["labels"], "none");
    // z would be a label if named; `none` keeps it as data
    let r = run(dir.path(), &data, &["--label-column", "z"]);
    assert_eq!(r["dataset"]["n_classes"], 2);
    let r = run(dir.path(), &data, &["--label-column", "none"]);
    assert_eq!(r["dataset"]["n_features"], 3);
    assert_eq!(r["dataset"]["labels"], "none");
    // and in a config file
    let config = dir.path().join("e.toml");
    std::fs::write(&config, "label_column = \"none\"\ndrop_columns = [\"z\"]\n").unwrap();
    let r = run(dir.path(), &data, &["--config", config.to_str().unwrap()]);
    assert_eq!(r["dataset"]["n_features"], 2);
    assert_eq!(r["dataset"]["labels"], "none");
}

#[test]
fn pixel_columns_are_images_and_the_shape_can_be_set() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("pixels.csv");
    let header: Vec<String> = (0..16).map(|j| format!("pixel{j}")).collect();
    let mut text = format!("label,{}\n", header.join(","));
    for i in 0..30 {
        let row: Vec<String> = (0..16)
            .map(|j| ((i * 7 + j * 3) % 17).to_string())
            .collect();
        text.push_str(&format!("{},{}\n", i % 2, row.join(",")));
    }
    std::fs::write(&data, text).unwrap();
    let r = run(dir.path(), &data, &[]);
    assert_eq!(r["dataset"]["image_shape"], serde_json::json!([4, 4]));
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).unwrap();
    assert!(md.contains("images of 4 × 4 pixels"), "{md}");
    let r = run(dir.path(), &data, &["--image-shape", "2x8"]);
    assert_eq!(r["dataset"]["image_shape"], serde_json::json!([2, 8]));
    // a built-in takes a shape too; a wrong one is refused naming both counts
    let out = dir.path().join("bad");
    let o = compare(&[
        "--data",
        data.to_str().unwrap(),
        "--image-shape",
        "5x5",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for needle in ["pixels.csv", "25 pixels", "16 features", "--image-shape"] {
        assert!(err.contains(needle), "'{needle}' not in {err}");
    }
    let o = compare(&["--data", "iris", "--image-shape", "28", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("HEIGHTxWIDTH"), "{}", stderr(&o));
}

#[test]
fn refused_data_exits_2_naming_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let dup = dir.path().join("dup.csv");
    std::fs::write(&dup, "f0,f1,label,label\n1,2,0.5,a\n3,4,0.7,b\n5,6,0.1,a\n").unwrap();
    let flat = dir.path().join("flat.csv");
    let mut text = "a,b,label\n".to_string();
    for i in 0..20 {
        text.push_str(&format!("1.5,0,{}\n", i % 2));
    }
    std::fs::write(&flat, text).unwrap();
    let out = dir.path().join("out");
    let cases: [(&Path, &[&str]); 3] = [
        (&dup, &["dup.csv", "'label' (columns 2 and 3)", "rename"]),
        (
            &flat,
            &["flat.csv", "every feature (2 columns) has one value"],
        ),
        (&dup, &["no column to leave out 'nope'"]),
    ];
    for (i, (data, needles)) in cases.iter().enumerate() {
        let mut args = vec![
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ];
        if i == 2 {
            // the duplicate check comes first; name a column that does not exist on a good file
            args[1] = "iris";
            args.extend(["--drop-columns", "nope"]);
        }
        let o = compare(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for n in needles.iter() {
            assert!(err.contains(n), "{args:?}: '{n}' not in: {err}");
        }
    }
    assert!(!out.join("report.json").exists());
}

#[test]
fn a_closed_or_full_stderr_does_not_change_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for stderr in [
        std::process::Stdio::null(),
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .map_or(std::process::Stdio::null(), Into::into),
    ] {
        let status = Command::new(env!("CARGO_BIN_EXE_latent-compare"))
            .args(["compare", "--data", "iris", "--method-b", "pca", "--out"])
            .arg(&out)
            .stderr(stderr)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(0));
        assert!(out.join("report.json").exists());
    }
    // a user error still exits 2 when it cannot be said
    let status = Command::new(env!("CARGO_BIN_EXE_latent-compare"))
        .args(["compare", "--data", "nope.csv", "--out"])
        .arg(&out)
        .stderr(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        )
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
}

#[test]
fn a_config_file_reads_its_paths_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("experiments");
    std::fs::create_dir(&sub).unwrap();
    let mut text = "a,b,label\n".to_string();
    for i in 0..30 {
        text.push_str(&format!("{},{},{}\n", i % 5, (i * 7) % 3, i % 2));
    }
    std::fs::write(sub.join("d.csv"), text).unwrap();
    std::fs::write(
        sub.join("e.toml"),
        "data = \"d.csv\"\n[b]\nmethod = \"pca\"\n",
    )
    .unwrap();
    // run from the parent folder: d.csv is found beside e.toml
    let o = Command::new(env!("CARGO_BIN_EXE_latent-compare"))
        .current_dir(dir.path())
        .args([
            "compare",
            "--config",
            "experiments/e.toml",
            "--out",
            "out",
            "--quiet",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(report(&dir.path().join("out"))["dataset"]["n_samples"], 30);
}

#[test]
fn impossible_settings_are_refused_with_where_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("e.toml");
    std::fs::write(&config, "data = \"iris\"\n\n[b]\nmethod = \"nonsense\"\n").unwrap();
    let cases: [(&[&str], &[&str]); 4] = [
        (
            &["--config", config.to_str().unwrap()],
            &["e.toml", "line 4", "unknown method 'nonsense'", "pca"],
        ),
        (
            &["--min-cka", "2"],
            &["--min-cka must be between 0 and 1", "could ever meet it"],
        ),
        (&["--repeats", "100000000"], &["2 to 100", "take hours"]),
        (&["--repeats", "1"], &["no spread"]),
    ];
    for (args, needles) in cases {
        let mut all = vec!["--data", "iris", "--quiet"];
        all.extend(args);
        let o = compare(&all);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: '{n}' not in: {err}");
        }
    }
}

#[test]
fn trivial_figures_from_too_few_rows_or_one_class_are_not_measured() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = compare(&["--data", "iris", "--metric-sample", "2", "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--metric-sample must be 0"),
        "{}",
        stderr(&o)
    );
    // 30 test rows, k = 29: every neighbourhood is nearly every row
    let o = compare(&[
        "--data",
        "iris",
        "--method-b",
        "pca",
        "--neighbors",
        "29",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    assert!(
        r["methods"]["a"]["trustworthiness"].is_null(),
        "{}",
        r["methods"]["a"]
    );
    assert!(r["comparison"]["knn_jaccard_mean"].is_null());
    assert!(r.to_string().contains("use --neighbors 14 or fewer"));
    // one class: no accuracy
    let data = dir.path().join("one.csv");
    let mut text = "a,b,label\n".to_string();
    for i in 0..60 {
        text.push_str(&format!("{},{},x\n", i % 7, (i * 5) % 11));
    }
    std::fs::write(&data, text).unwrap();
    let r = run(dir.path(), &data, &[]);
    assert!(r["methods"]["a"]["knn_accuracy"].is_null());
    assert!(r.to_string().contains("all of one class"), "{r}");
}
