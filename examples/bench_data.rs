//! Writes the data files that the peer benchmarks in `bench/` read (see `benches/common`), so
//! PyTorch, scikit-learn and pandas work on exactly the rows our benchmarks use.
//!
//! `cargo run --release --no-default-features --example bench_data -- [DIR]`
//! (default `target/bench-data`). Files that exist are kept.

#[path = "../benches/common/mod.rs"]
mod common;

fn main() -> latent_compare::error::Result<()> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(common::data_dir, std::path::PathBuf::from);
    common::write_all(&dir)
}
