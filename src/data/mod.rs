//! Data: the [`Dataset`] type, its sources (built-ins, CSV/TSV, NPY), scaling and the
//! train/test split.

pub mod builtin;
pub mod csv;
pub mod dataset;
pub mod export;
mod iris;
pub mod labels;
pub mod mnist_like;
pub mod npy;
pub mod prepared;
pub mod preprocess;
pub mod split;

use std::path::{Path, PathBuf};

pub use self::csv::{CsvOptions, MissingPolicy};
pub use builtin::{BUILTIN_NAMES, is_builtin, load_builtin};
pub use dataset::{Dataset, Labels};
pub use prepared::Prepared;
pub use preprocess::{Preprocess, Scaler};
pub use split::{Split, train_test_split};

use crate::error::{Error, Result};

/// How to read a data source beyond its name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadOptions {
    /// CSV label column (name or 0-based index).
    pub label_column: Option<String>,
    /// Separate labels file (.npy or one-column CSV), one label per data row of the source.
    pub labels: Option<PathBuf>,
    /// Missing-value policy for CSV files.
    pub missing: MissingPolicy,
}

/// Loads a built-in dataset by name, or a `.csv`/`.tsv`/`.npy` file by path.
pub fn load(source: &str, options: &LoadOptions) -> Result<Dataset> {
    load_with_progress(source, options, &|_, _| {})
}

/// [`load`], calling `progress(bytes_read, file_bytes)` while a CSV file is read (a few times
/// per second for large files; from the loading thread).
pub fn load_with_progress(
    source: &str,
    options: &LoadOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Dataset> {
    let path = Path::new(source);
    // a folder that happens to be named like a built-in (an --out folder) does not hide it
    let mut dataset = if is_builtin(source) && !path.is_file() {
        load_builtin(source)?
    } else {
        if !path.exists() {
            return Err(Error::InvalidInput(format!(
                "'{source}' is neither a built-in dataset ({}) nor an existing file",
                BUILTIN_NAMES.join(", ")
            )));
        }
        let is_npy = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("npy"));
        if is_npy {
            let mut dataset = npy::load_npy(path)?;
            if let Some(column) = &options.label_column {
                dataset.notes.push(format!(
                    "label column '{column}' does not apply to .npy data (it has no named \
                     columns); give the labels as a separate file (--labels FILE)"
                ));
            }
            dataset
        } else {
            let csv_options = CsvOptions {
                label_column: options.label_column.clone(),
                missing: options.missing,
            };
            csv::load_csv_with_progress(path, &csv_options, progress)?
        }
    };
    if let Some(labels_path) = &options.labels {
        let labels = npy::load_labels_file(labels_path, dataset.source_row_count)?;
        dataset.labels = Some(labels.select(&dataset.source_rows));
    }
    Ok(dataset)
}
