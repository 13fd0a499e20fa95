//! Writes the data files that the peer benchmarks in `bench/` read (see `benches/common`), so
//! PyTorch, scikit-learn and pandas work on exactly the rows our benchmarks use, and our
//! trustworthiness of the benchmark spaces (`trust_ours.txt`) for `bench/run.py` to set beside
//! scikit-learn's.
//!
//! `cargo run --release --no-default-features --example bench_data -- [DIR]`
//! (default `target/bench-data`). Files that exist are kept.

#[path = "../benches/common/mod.rs"]
mod common;

use latent_compare::data::load_builtin;
use latent_compare::error::{Error, Result};
use latent_compare::metrics::neighbourhoods::trustworthiness;

fn main() -> Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(common::data_dir, std::path::PathBuf::from);
    common::write_all(&dir)?;
    let scaled = common::mnist_scaled(&load_builtin("mnist-like")?);
    let (high, low) = common::trust_spaces(&scaled);
    let t = trustworthiness(high.view(), low.view(), 10)?;
    println!("our trustworthiness of the benchmark spaces: {t:.10}");
    let path = dir.join("trust_ours.txt");
    std::fs::write(&path, format!("{t:.12}\n")).map_err(|source| Error::Write { path, source })
}
