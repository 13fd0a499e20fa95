//! Data: the [`Dataset`] type, its sources (built-ins, CSV/TSV, NPY), scaling and the
//! train/test split.

pub mod builtin;
pub mod columns;
pub mod csv;
pub mod dataset;
pub mod export;
pub mod images;
mod iris;
pub mod labels;
pub mod mnist_like;
pub mod npy;
pub mod options;
pub mod prepared;
pub mod preprocess;
pub mod split;

use std::path::Path;

pub use self::csv::{CsvOptions, MissingPolicy};
pub use builtin::{BUILTIN_NAMES, is_builtin, load_builtin};
pub use dataset::{Dataset, Labels};
pub use options::{ImageShape, LabelColumn, LoadOptions};
pub use prepared::Prepared;
pub use preprocess::{Preprocess, Scaler};
pub use split::{Split, train_test_split};

use crate::error::{Error, Result};

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
        let mut dataset = load_builtin(source)?;
        leave_out_columns(path, &mut dataset, &options.drop_columns)?;
        dataset
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
            unnamed_columns_note(&mut dataset, &options.label_column, "npy");
            leave_out_columns(path, &mut dataset, &options.drop_columns)?;
            dataset
        } else {
            let csv_options = CsvOptions {
                label_column: options.label_column.clone(),
                missing: options.missing,
                drop_columns: options.drop_columns.clone(),
            };
            csv::load_csv_with_progress(path, &csv_options, progress)?
        }
    };
    if let Some(labels_path) = &options.labels {
        let labels = npy::load_labels_file(labels_path, dataset.source_row_count)?;
        dataset.labels = Some(labels.select(&dataset.source_rows));
    }
    images::apply_image_shape(path, &mut dataset, options.image_shape)?;
    Ok(dataset)
}

/// The note when a label column is named for data without named columns (arrays, IDX).
fn unnamed_columns_note(dataset: &mut Dataset, choice: &LabelColumn, format: &str) {
    if let Some(column) = choice.named() {
        dataset.notes.push(format!(
            "label column '{column}' does not apply to .{format} data (it has no named \
             columns); give the labels as a separate file (--labels FILE)"
        ));
    }
}

/// Removes the features `drop` names (by name or 0-based index) from a dataset read whole
/// (built-ins, arrays); tables leave them out while reading. An image shape that no longer
/// fits is forgotten.
fn leave_out_columns(path: &Path, dataset: &mut Dataset, drop: &[String]) -> Result<()> {
    if drop.is_empty() {
        return Ok(());
    }
    let gone = columns::dropped_columns(path, &dataset.feature_names, drop)?;
    let keep: Vec<usize> = (0..dataset.n_features())
        .filter(|j| gone.binary_search(j).is_err())
        .collect();
    if keep.is_empty() {
        return Err(Error::bad_file(
            path,
            "--drop-columns leaves no column; keep at least one feature",
        ));
    }
    let names: Vec<&str> = gone
        .iter()
        .map(|&j| dataset.feature_names[j].as_str())
        .collect();
    dataset
        .notes
        .push(format!("left out {} as asked", columns::list_names(&names)));
    dataset.records = dataset.records.select(ndarray::Axis(1), &keep);
    dataset.feature_names = keep
        .iter()
        .map(|&j| dataset.feature_names[j].clone())
        .collect();
    dataset.image_shape = None;
    Ok(())
}
