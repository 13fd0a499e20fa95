//! Data: the [`Dataset`] type, its sources (built-ins, CSV/TSV, NPY, NPZ, IDX, Parquet),
//! scaling and the train/test split.

mod arrays;
mod bounded;
pub mod builtin;
pub mod columns;
pub mod csv;
pub mod dataset;
mod elements;
pub mod export;
pub mod format;
pub mod idx;
pub mod images;
mod iris;
pub mod labels;
pub mod mnist_like;
pub mod npy;
pub mod npz;
pub mod options;
pub mod parquet;
pub mod prepared;
pub mod preprocess;
pub mod split;

use std::path::Path;

/// How far a load is: bytes of a file read, or rows of a built-in generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadProgress {
    /// Bytes read or rows generated so far.
    pub done: u64,
    /// Bytes in the file or rows to generate.
    pub total: u64,
    /// What `done` and `total` count.
    pub unit: LoadUnit,
}

/// What a [`LoadProgress`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadUnit {
    /// Bytes of a file read.
    Bytes,
    /// Rows of a built-in generated.
    Rows,
}

pub use self::csv::{CsvOptions, MissingPolicy};
pub use builtin::{BUILTIN_NAMES, is_builtin, load_builtin, load_builtin_with_progress};
pub use dataset::{Dataset, Labels};
pub use options::{ImageShape, LabelColumn, LoadOptions};
pub use prepared::Prepared;
pub use preprocess::{Preprocess, Scaler};
pub use split::{Split, train_test_split};

use crate::error::{Error, Result};
use format::Format;

/// Loads a built-in dataset by name, or a file by path: CSV/TSV, `.npy`, `.npz`, IDX (plain or
/// gzip) or Parquet, told apart by [`Format::of`].
pub fn load(source: &str, options: &LoadOptions) -> Result<Dataset> {
    load_with_progress(source, options, &|_| {})
}

/// [`load`], calling `progress` while a table (CSV, Parquet) is read (bytes: a few times per
/// second, or per row group, for large files) or a large built-in is generated (rows, per block
/// of rows, from either of two threads).
pub fn load_with_progress(
    source: &str,
    options: &LoadOptions,
    progress: &(dyn Fn(LoadProgress) + Sync),
) -> Result<Dataset> {
    let bytes = |done, total| {
        progress(LoadProgress {
            done,
            total,
            unit: LoadUnit::Bytes,
        })
    };
    let path = Path::new(source);
    // a bare built-in name is the built-in, even beside a file or folder of that name
    // (`./iris` is the file)
    let mut dataset = if is_builtin(source) && !source.contains(['/', '\\']) {
        let rows = |done, total| {
            progress(LoadProgress {
                done,
                total,
                unit: LoadUnit::Rows,
            })
        };
        let mut dataset = load_builtin_with_progress(source, &rows)?;
        if path.is_file() {
            dataset.notes.push(format!(
                "used the built-in '{source}', not the file of that name in the working \
                 folder; give ./{source} to load the file"
            ));
        }
        leave_out_columns(path, &mut dataset, &options.drop_columns)?;
        dataset
    } else {
        if !path.exists() {
            return Err(Error::InvalidInput(format!(
                "'{}' is neither a built-in dataset ({}) nor an existing file",
                shortened(source),
                BUILTIN_NAMES.join(", ")
            )));
        }
        match Format::of(path)? {
            Format::Npy => {
                let mut dataset = npy::load_npy(path)?;
                unnamed_columns_note(&mut dataset, &options.label_column, ".npy data");
                leave_out_columns(path, &mut dataset, &options.drop_columns)?;
                dataset
            }
            Format::Idx => {
                let mut dataset = idx::load_idx(path)?;
                unnamed_columns_note(&mut dataset, &options.label_column, "IDX data");
                if options.labels.is_none() && options.label_column != LabelColumn::Unlabelled {
                    labels_beside(path, &mut dataset)?;
                }
                leave_out_columns(path, &mut dataset, &options.drop_columns)?;
                dataset
            }
            Format::Npz => {
                let labels_elsewhere = options.labels.is_some();
                let mut dataset = npz::load_npz(path, &options.label_column, labels_elsewhere)?;
                leave_out_columns(path, &mut dataset, &options.drop_columns)?;
                dataset
            }
            Format::Parquet => parquet::load_parquet(path, &table_options(options), &bytes)?,
            Format::Csv => csv::load_csv_with_progress(path, &table_options(options), &bytes)?,
        }
    };
    if let Some(labels_path) = &options.labels {
        let labels = npy::load_labels_file(labels_path, dataset.source_row_count)?;
        dataset.labels = Some(labels.select(&dataset.source_rows));
        // a column the table took as its labels is left out, and the note says whose they are
        let table_columns = &dataset.columns;
        for note in &mut dataset.notes {
            if let Some(name) = table_columns
                .iter()
                .find(|c| columns::used_label_note(c) == *note)
            {
                *note = format!(
                    "left out column '{name}' (it is named like labels); the labels come from \
                     {} (--labels)",
                    labels_path.display()
                );
            }
        }
    }
    images::apply_image_shape(path, &mut dataset, options.image_shape)?;
    Ok(dataset)
}

/// `text` for a message: whole when short, else its start and its length (a 10 MB `--data`
/// string is not echoed back).
fn shortened(text: &str) -> String {
    const SHOWN: usize = 200;
    if text.chars().count() <= SHOWN {
        return text.to_owned();
    }
    let start: String = text.chars().take(SHOWN).collect();
    format!("{start}… ({} characters)", text.chars().count())
}

/// How a table (CSV, Parquet) is read.
fn table_options(options: &LoadOptions) -> CsvOptions {
    CsvOptions {
        label_column: options.label_column.clone(),
        missing: options.missing,
        drop_columns: options.drop_columns.clone(),
    }
}

/// The note when a label column is named for data without named columns (`what`: ".npy data").
fn unnamed_columns_note(dataset: &mut Dataset, choice: &LabelColumn, what: &str) {
    if let Some(column) = choice.named() {
        dataset.notes.push(format!(
            "label column '{column}' does not apply to {what} (it has no named columns); give \
             the labels as a separate file (--labels FILE)"
        ));
    }
}

/// Labels from the IDX labels file beside an IDX images file named like MNIST's, if any.
fn labels_beside(images: &Path, dataset: &mut Dataset) -> Result<()> {
    let Some(labels_path) = idx::sibling_labels(images) else {
        return Ok(());
    };
    let labels = npy::load_labels_file(&labels_path, dataset.source_row_count)?;
    dataset.labels = Some(labels.select(&dataset.source_rows));
    let name = labels_path.file_name().map_or_else(
        || labels_path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    dataset.notes.push(format!(
        "used the labels file beside the images: {name} (--labels FILE gives others; \
         --label-column none leaves them out)"
    ));
    Ok(())
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
