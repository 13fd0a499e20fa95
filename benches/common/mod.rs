//! Data shared by the benchmarks and by `examples/bench_data.rs`, which writes the same rows to
//! files for the peer benchmarks in `bench/` (PyTorch, scikit-learn, pandas):
//!
//! - `digits_train.npy`: the 1437 standardized training rows of digits (seed 42, 20 % test);
//! - `mnist_like.npy`: the built-in `mnist-like`, 70 000 × 784, pixels / 255;
//! - `trust_high.npy`, `trust_low.npy`: its first 5000 rows and their PCA-2 projection, the
//!   trustworthiness benchmark's two spaces;
//! - `mnist_like_pixels.csv` (integer pixels, about 110 MB) and `mnist_like_float.csv`
//!   (pixels / 255 with 4 decimals, about 384 MB): 70 000 × 785 with the label first.

#![allow(dead_code)] // each benchmark uses a part

use std::path::{Path, PathBuf};
use std::sync::Arc;

use latent_compare::data::export::{CsvNumbers, write_csv, write_npy};
use latent_compare::data::{Dataset, Prepared, Preprocess, load_builtin};
use latent_compare::error::{Error, Result};
use latent_compare::methods::LatentModel;
use latent_compare::methods::pca::Pca;
use ndarray::{Array2, s};

/// Rows of the trustworthiness benchmark.
pub const TRUST_ROWS: usize = 5000;

/// Where the data files go: `target/bench-data` beside the crate's own target directory.
pub fn data_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        )
        .join("bench-data")
}

/// The standardized training rows of digits (1437 × 64).
pub fn digits_train() -> Array2<f32> {
    let digits = Arc::new(load_builtin("digits").expect("built-in digits"));
    Prepared::new(digits, Preprocess::Standardize, 0.2, 42)
        .expect("digits split")
        .train_x()
}

/// The built-in `mnist-like` with its pixels divided by 255.
pub fn mnist_scaled(ds: &Dataset) -> Array2<f32> {
    ds.records.mapv(|v| v / 255.0)
}

/// The trustworthiness benchmark's spaces: the first 5000 scaled rows and their PCA-2 latents.
pub fn trust_spaces(scaled: &Array2<f32>) -> (Array2<f32>, Array2<f32>) {
    let high = scaled.slice(s![..TRUST_ROWS, ..]).to_owned();
    let low = Pca::fit(high.view(), 2)
        .expect("PCA fits")
        .encode(high.view());
    (high, low)
}

/// The CSV files `(integer pixels, 4-decimal floats)`, written first if missing.
pub fn csv_files() -> (PathBuf, PathBuf) {
    let dir = data_dir();
    let pixels = dir.join("mnist_like_pixels.csv");
    let float = dir.join("mnist_like_float.csv");
    if !pixels.exists() || !float.exists() {
        write_all(&dir).expect("bench data written");
    }
    (pixels, float)
}

/// Writes every file into `dir`, keeping those that exist.
pub fn write_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let train = digits_train();
    write_new(dir, "digits_train.npy", |p| write_npy(p, train.view()))?;
    let mnist = load_builtin("mnist-like")?;
    let scaled = mnist_scaled(&mnist);
    write_new(dir, "mnist_like.npy", |p| write_npy(p, scaled.view()))?;
    let (high, low) = trust_spaces(&scaled);
    write_new(dir, "trust_high.npy", |p| write_npy(p, high.view()))?;
    write_new(dir, "trust_low.npy", |p| write_npy(p, low.view()))?;
    let labels: Vec<String> = (0..mnist.n_samples())
        .map(|i| {
            mnist
                .labels
                .as_ref()
                .map_or_else(String::new, |l| l.display(i))
        })
        .collect();
    let names = &mnist.feature_names;
    write_new(dir, "mnist_like_pixels.csv", |p| {
        write_csv(
            p,
            mnist.records.view(),
            Some(&labels),
            names,
            CsvNumbers::Integers,
        )
    })?;
    write_new(dir, "mnist_like_float.csv", |p| {
        write_csv(
            p,
            scaled.view(),
            Some(&labels),
            names,
            CsvNumbers::Decimals(4),
        )
    })
}

/// Runs `write` for `dir/name` unless that file exists.
fn write_new(dir: &Path, name: &str, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let path = dir.join(name);
    if path.exists() {
        println!("kept   {}", path.display());
        return Ok(());
    }
    write(&path)?;
    println!("wrote  {}", path.display());
    Ok(())
}
