//! Latents computed elsewhere (`file:PATH`), aligned row by row with the data file.

use std::path::Path;

use ndarray::{Array2, Axis};

use crate::data::Dataset;
use crate::data::npy::load_matrix;
use crate::error::{Error, Result};

/// Reads a latents file (CSV or NPY) with one row per data row of the source, and keeps the rows
/// the dataset kept (rows dropped for missing values are dropped here too).
pub fn load_aligned(path: &Path, dataset: &Dataset) -> Result<Array2<f32>> {
    let latents = load_matrix(path)?;
    if latents.nrows() != dataset.source_row_count {
        let dropped = dataset.source_row_count - dataset.n_samples();
        let note = if dropped > 0 {
            format!(
                " ({} before {dropped} rows with missing values were dropped)",
                dataset.source_row_count
            )
        } else {
            String::new()
        };
        return Err(Error::bad_file(
            path,
            format!(
                "has {} rows of latents but the data '{}' has {} rows{note}; the latents must have one row per data row, in the same order",
                latents.nrows(),
                dataset.name,
                dataset.source_row_count,
            ),
        ));
    }
    if latents.ncols() == 0 {
        return Err(Error::bad_file(path, "has no latent columns"));
    }
    Ok(latents.select(Axis(0), &dataset.source_rows))
}
