//! Mutated IDX (plain and gzip), `.npz` and Parquet files: loading them as data or as labels
//! must give a dataset or an error the user can fix (exit code 2), never a panic.

use std::path::Path;

use latent_compare::data::npy::load_labels_file;
use latent_compare::data::{LoadOptions, load};
use tempfile::TempDir;

use super::fuzz::{Lcg, cases, check_user_error, mutate, no_panic, random_bytes};
use super::{f32_bytes, gzip, idx_bytes, npy_bytes, npz_bytes, write};

/// Loads `path` as data and as labels; checks the outcome.
fn check(path: &Path, bytes: &[u8]) {
    let source = path.to_str().unwrap();
    match no_panic("load", bytes, || load(source, &LoadOptions::default())) {
        Ok(ds) => assert!(ds.records.iter().all(|v| v.is_finite())),
        Err(e) => check_user_error("load", bytes, &e),
    }
    if let Err(e) = no_panic("labels", bytes, || load_labels_file(path, 3)) {
        check_user_error("labels", bytes, &e);
    }
}

/// Mutations of `seeds` (mostly near the start, where headers are; Parquet's is at the end)
/// and random bytes after the first bytes of a seed, written as `name`.
fn fuzz(name: &str, seeds: &[Vec<u8>], salt: u64, at_end: bool) {
    let dir = TempDir::new().unwrap();
    let mut rng = Lcg(salt);
    for i in 0..cases() {
        let seed = &seeds[rng.below(seeds.len())];
        let bytes = if i % 7 == 6 {
            let mut b = seed[..seed.len().min(4)].to_vec();
            b.extend(random_bytes(&mut rng));
            b
        } else if at_end && i % 2 == 0 {
            let cut = seed.len().saturating_sub(200);
            let mut b = seed[..cut].to_vec();
            b.extend(mutate(&mut rng, &seed[cut..]));
            b
        } else {
            let cut = seed.len().min(120);
            let mut b = mutate(&mut rng, &seed[..cut]);
            b.extend_from_slice(&seed[cut..]);
            b
        };
        check(&write(&dir, name, &bytes), &bytes);
    }
}

#[test]
fn idx_files_never_panic() {
    let images = idx_bytes(0x08, &[3, 2, 2], &(0u8..12).collect::<Vec<_>>());
    let floats = idx_bytes(0x0D, &[3, 2], &[0x3f; 24]);
    let labels = idx_bytes(0x08, &[3], &[1, 2, 1]);
    let seeds = vec![images.clone(), floats.clone(), labels.clone()];
    fuzz("f-idx3-ubyte", &seeds, 0x1d3, false);
    let gz: Vec<Vec<u8>> = seeds.iter().map(|s| gzip(s)).collect();
    fuzz("f-idx3-ubyte.gz", &gz, 0x92, false);
}

#[test]
fn npz_files_never_panic() {
    let x = npy_bytes("<f4", false, &[3, 2], &f32_bytes(&[1., 2., 3., 4., 5., 6.]));
    let y = npy_bytes("|u1", false, &[3], &[0, 1, 0]);
    let seeds = vec![
        npz_bytes(&[("x", x.clone()), ("y", y.clone())], false),
        npz_bytes(&[("x", x), ("y", y)], true),
    ];
    fuzz("f.npz", &seeds, 0x2e7, true);
}

#[test]
fn parquet_files_never_panic() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parquet");
    let seeds: Vec<Vec<u8>> = [
        "lists_snappy.parquet",
        "lists_zstd.parquet",
        "pandas_index.parquet",
    ]
    .iter()
    .map(|f| std::fs::read(fixtures.join(f)).unwrap())
    .collect();
    fuzz("f.parquet", &seeds, 0x9a7, true);
}
