//! The `latent-compare compare` command as a user runs it: files written, report keys, exit
//! codes and error messages (`compare.rs`), the data formats end to end (`formats.rs`), the data
//! options (`data.rs`), nothing lost under kills, full disks and hostile input (`safety.rs`), and
//! sweeps (`sweep.rs`).
//! One test binary for all of them: each binary costs a link in CI.

mod compare;
mod data;
mod formats;
mod safety;
mod sweep;

use std::path::Path;
use std::process::{Command, Output};

/// The binary, to run with any arguments.
pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_latent-compare"))
}

/// `latent-compare compare ARGS`, waited for.
pub fn compare(args: &[&str]) -> Output {
    binary()
        .arg("compare")
        .args(args)
        .output()
        .expect("run latent-compare")
}

/// What it said on stderr.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The report.json in `dir`.
pub fn report(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("report.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}
