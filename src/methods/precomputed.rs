//! Latents computed elsewhere (`file:PATH`), aligned row by row with the data file.

use std::path::{Path, PathBuf};

use ndarray::{Array2, Axis};

use super::{Fitted, MethodConfig, MethodSpec, TrainControl};
use crate::data::Prepared;
use crate::data::csv::read_latents_csv;
use crate::data::npy::{is_npy, load_matrix};
use crate::error::{Error, Result};

/// The registry's spec of `file:PATH` from a method's settings (an empty path is an error).
pub fn spec(c: &MethodConfig) -> Result<MethodSpec> {
    let path = c.file.trim();
    if path.is_empty() {
        return Err(Error::InvalidInput(
            "file: needs a path, e.g. --method-b file:latents.csv".into(),
        ));
    }
    Ok(MethodSpec::Precomputed {
        path: PathBuf::from(path),
    })
}

/// The registry's read of a `file:PATH` spec into a method's settings.
pub fn read(spec: &MethodSpec, c: &mut MethodConfig) {
    if let MethodSpec::Precomputed { path } = spec {
        c.file = path.display().to_string();
    }
}

/// The registry's fit of `file:PATH`: the file's latents, aligned with the data's rows.
pub fn fit(spec: &MethodSpec, prepared: &Prepared, _: &TrainControl) -> Result<Fitted> {
    let MethodSpec::Precomputed { path } = spec else {
        return Err(Error::InvalidInput(format!(
            "{} is not a latents file",
            spec.kind()
        )));
    };
    Ok(Fitted {
        model: None,
        latents: load_aligned(path, prepared)?,
        loss_history: Vec::new(),
    })
}

/// Reads a latents file (CSV or NPY) with one row per data row of the source, and keeps the rows
/// the dataset kept (rows dropped for missing values are dropped here too). A CSV that records
/// its rows' split (latent-compare's own `latents_*.csv`) must match this run's split.
pub fn load_aligned(path: &Path, prepared: &Prepared) -> Result<Array2<f32>> {
    let dataset = &prepared.dataset;
    let (latents, split) = if is_npy(path)? {
        (load_matrix(path)?, None)
    } else {
        read_latents_csv(path)?
    };
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
    if let Some(cells) = split {
        check_split(path, &cells, prepared)?;
    }
    Ok(latents.select(Axis(0), &dataset.source_rows))
}

/// The `split` cells a latents CSV recorded (one per source row) against this run's split: an
/// error when they differ, since latents fitted on rows this run tests on would score too well.
fn check_split(path: &Path, cells: &[String], prepared: &Prepared) -> Result<()> {
    let dataset = &prepared.dataset;
    let mut is_test = vec![false; dataset.n_samples()];
    for &r in &prepared.split.test {
        if let Some(t) = is_test.get_mut(r) {
            *t = true;
        }
    }
    let differ = dataset
        .source_rows
        .iter()
        .zip(&is_test)
        .filter(|&(&source, &test)| {
            let cell = cells.get(source).map_or("", |c| c.trim());
            let recorded = if cell.eq_ignore_ascii_case("test") {
                Some(true)
            } else if cell.eq_ignore_ascii_case("train") {
                Some(false)
            } else {
                None
            };
            recorded.is_some_and(|t| t != test)
        })
        .count();
    if differ == 0 {
        return Ok(());
    }
    Err(Error::bad_file(
        path,
        format!(
            "its split column puts {differ} rows on the other side of this run's train/test \
             split (seed {}, test fraction {}): the latents were made with another split, and \
             scoring them on rows they were fitted on would flatter them; use the seed and test \
             fraction they were made with, or remove the split column to use them anyway",
            prepared.seed, prepared.test_fraction
        ),
    ))
}
