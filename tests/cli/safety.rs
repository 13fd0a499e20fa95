//! Nothing lost: a run killed while it writes, or one that meets a full disk, leaves the
//! previous run's files whole; the output folder is checked and locked before any work.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{binary, compare, stderr};

/// A quick run (iris, PCA vs a 3-epoch autoencoder) into `out`.
fn quick_run(out: &Path, seed: &str) -> Output {
    compare(&[
        "--data",
        "iris",
        "--method-b",
        "ae",
        "--epochs",
        "3",
        "--seed",
        seed,
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ])
}

/// The report in `out` parses and is the run with `seed`.
fn assert_whole_report(out: &Path, seed: u64) {
    let text = std::fs::read_to_string(out.join("report.json")).expect("report.json is there");
    let r: serde_json::Value = serde_json::from_str(&text).expect("report.json is whole");
    assert_eq!(r["settings"]["seed"], seed);
    for file in ["report.md", "latents_a.csv", "latents_b.csv", "scatter.png"] {
        assert!(out.join(file).exists(), "{file}");
    }
}

#[test]
fn a_run_killed_while_writing_leaves_the_previous_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert!(quick_run(&out, "1").status.success());
    let mut caught_writing = 0;
    for trial in 0..5 {
        let mut child = binary()
            .args([
                "compare",
                "--data",
                "iris",
                "--method-b",
                "ae",
                "--epochs",
                "3",
            ])
            .args(["--seed", "2", "--quiet", "--out"])
            .arg(&out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // kill it as soon as it starts writing (a temporary file appears), or at a time in
        // its run when it is too quick to be seen writing
        let started = Instant::now();
        let deadline = Duration::from_millis(40 * (trial + 1));
        loop {
            let writing = std::fs::read_dir(&out)
                .unwrap()
                .flatten()
                .any(|e| e.file_name().to_string_lossy().contains(".partial-"));
            if writing {
                caught_writing += 1;
                break;
            }
            if started.elapsed() > deadline {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        // either the previous report or the new one, each whole
        let text = std::fs::read_to_string(out.join("report.json")).unwrap();
        let r: serde_json::Value = serde_json::from_str(&text).expect("whole JSON");
        let seed = r["settings"]["seed"].as_u64().unwrap();
        assert!(seed == 1 || seed == 2, "{seed}");
        assert_whole_report(&out, seed);
        // the killed run's lock does not block the next run
        assert!(quick_run(&out, "1").status.success());
    }
    eprintln!("{caught_writing} of 5 runs were killed while writing");
}

#[test]
fn a_full_disk_keeps_the_previous_report() {
    // a small tmpfs needs root and the right to mount; without them there is nothing to test
    let dir = tempfile::tempdir().unwrap();
    let mount = dir.path().join("small");
    std::fs::create_dir(&mount).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mount)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a tmpfs here (not root, or no mount rights)");
        return;
    }
    let out = mount.join("out");
    let first = quick_run(&out, "1");
    let result = std::panic::catch_unwind(|| {
        assert!(first.status.success(), "{}", stderr(&first));
        // fill the disk, leaving a few kilobytes
        let mut filler = Vec::new();
        for i in 0.. {
            let chunk = mount.join(format!("filler{i}"));
            let size = if i < 60 { 64 << 10 } else { 4 << 10 };
            if std::fs::write(&chunk, vec![7u8; size]).is_err() {
                let _ = std::fs::remove_file(&chunk);
                break;
            }
            filler.push(chunk);
            if i > 5000 {
                break;
            }
        }
        let second = quick_run(&out, "2");
        assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
        assert!(
            stderr(&second).contains("cannot write"),
            "{}",
            stderr(&second)
        );
        assert_whole_report(&out, 1);
        // no temporary file is left behind
        let stray: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".partial-"))
            .collect();
        assert!(stray.is_empty(), "{stray:?}");
    });
    let _ = Command::new("umount").arg(&mount).status();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

#[test]
fn the_output_folder_is_checked_and_locked_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out");
    std::fs::write(&file, "not a folder").unwrap();
    // 300 epochs would take a while: the refusal comes first
    let started = Instant::now();
    let o = compare(&[
        "--data",
        "digits",
        "--method-b",
        "ae",
        "--epochs",
        "300",
        "--out",
        file.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a file, not a folder"),
        "{}",
        stderr(&o)
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // a folder another live run holds (pid 1 always runs) is busy
    let out = dir.path().join("busy");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join(".latent-compare.lock"), "1").unwrap();
    let o = quick_run(&out, "1");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("another latent-compare run"),
        "{}",
        stderr(&o)
    );
    assert!(!out.join("report.json").exists());
}

#[test]
fn pipes_devices_and_huge_names_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("data.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let out = dir.path().join("out");
    let long = dir.path().join("long.toml");
    std::fs::write(&long, format!("data = \"{}\"\n", "x".repeat(10 << 20))).unwrap();
    let mut cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["--data".into(), "/dev/zero".into()],
            "not a regular file",
        ),
        (
            vec![
                "--data".into(),
                "iris".into(),
                "--method-b".into(),
                "file:/dev/zero".into(),
            ],
            "not a regular file",
        ),
        // a 10 MB `data` (too long for a command line: in a config file)
        (
            vec!["--config".into(), long.to_str().unwrap().into()],
            "characters)' is neither a built-in",
        ),
    ];
    if made.is_ok_and(|s| s.success()) {
        let f = fifo.to_str().unwrap().to_owned();
        cases.push((vec!["--data".into(), f.clone()], "not a regular file"));
        cases.push((
            vec!["--data".into(), "iris".into(), "--labels".into(), f],
            "not a regular file",
        ));
    }
    for (args, needle) in cases {
        let started = Instant::now();
        let mut all: Vec<String> = vec![
            "--out".into(),
            out.to_str().unwrap().into(),
            "--quiet".into(),
        ];
        all.extend(args.iter().cloned());
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let o = compare(&all);
        let err = stderr(&o);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {err}",
            &args[1][..args[1].len().min(40)]
        );
        assert!(
            err.contains(needle),
            "'{needle}' not in {}",
            &err[..err.len().min(400)]
        );
        assert!(
            err.len() < 2000,
            "the message echoes the input: {} bytes",
            err.len()
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[test]
fn notes_say_where_the_labels_and_the_data_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = "a,b,label\n".to_string();
    let mut y = String::new();
    for i in 0..40 {
        text.push_str(&format!("{},{},{}\n", i % 7, (i * 3) % 5, i % 2));
        y.push_str(&format!("{}\n", i % 4));
    }
    std::fs::write(dir.path().join("d.csv"), text).unwrap();
    std::fs::write(dir.path().join("y.csv"), y).unwrap();
    let o = binary()
        .current_dir(dir.path())
        .args([
            "compare",
            "--data",
            "d.csv",
            "--labels",
            "y.csv",
            "--method-b",
            "pca",
        ])
        .args(["--out", "out"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("used column 'label' as the labels"), "{err}");
    assert!(
        err.contains("left out column 'label'") && err.contains("y.csv"),
        "{err}"
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/report.json")).unwrap())
            .unwrap();
    assert_eq!(r["dataset"]["n_classes"], 4);
    // a file named like a built-in does not replace it silently
    std::fs::copy(dir.path().join("d.csv"), dir.path().join("iris")).unwrap();
    let o = binary()
        .current_dir(dir.path())
        .args([
            "compare",
            "--data",
            "iris",
            "--method-b",
            "pca",
            "--out",
            "out2",
        ])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("used the built-in 'iris'") && err.contains("./iris"),
        "{err}"
    );
}

#[test]
fn a_very_wide_table_finishes_in_bounded_memory() {
    // 6 rows × 200 000 columns (8.7 MB): PCA's covariance would need 320 GB
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("wide.csv");
    let mut text: String = (0..200_000)
        .map(|j| format!("f{j}"))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for i in 0..6 {
        let row: Vec<String> = (0..200_000)
            .map(|j| format!("{}", (i * 7 + j * 13) % 10))
            .collect();
        text.push_str(&row.join(","));
        text.push('\n');
    }
    std::fs::write(&data, text).unwrap();
    let out = dir.path().join("out");
    // under a 4 GiB address-space limit, through the shell's ulimit
    let script = format!(
        "ulimit -v 4194304 && exec '{}' compare --data '{}' --method-b pca --test-fraction 0 \
         --out '{}' --quiet",
        env!("CARGO_BIN_EXE_latent-compare"),
        data.display(),
        out.display()
    );
    let started = Instant::now();
    let o = Command::new("sh").args(["-c", &script]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(started.elapsed() < Duration::from_secs(60));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert_eq!(r["dataset"]["n_features"], 200_000);
}

#[test]
fn a_divergence_inside_repeats_is_a_user_error_naming_the_method_and_run() {
    let o = compare(&[
        "--data",
        "iris",
        "--method-b",
        "ae",
        "--learning-rate",
        "1000000",
        "--epochs",
        "3",
        "--repeats",
        "2",
        "--quiet",
        "--out",
        tempfile::tempdir()
            .unwrap()
            .path()
            .join("o")
            .to_str()
            .unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("training diverged"), "{err}");
    assert!(err.contains("method B") || err.contains("B, run"), "{err}");
}
