//! Loading a CSV or TSV file as a [`Dataset`].
//!
//! The delimiter (`,` `;` tab `|`) and the header row are detected; a UTF-8 byte order mark is
//! skipped; quoted fields may hold delimiters. Numeric columns become the features, one column
//! may be the labels, text columns are left out (with a note), and rows with missing values are
//! dropped or reported, as [`CsvOptions::missing`] says. Every error names the line and column
//! and says what to do.
//!
//! Tests of the parallel chunked parser reach it through the hidden [`load_csv_tuned`] and
//! [`read_cells`], which take the chunk size ([`ChunkTuning`]); the other functions use the
//! production default.

mod chunked;
mod plain;
mod sniff;
mod source;
mod table;

use std::path::Path;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::columns::{self, check_unique_names, dropped_columns, list_names};
use super::dataset::Dataset;
use super::labels::labels_from_text;
use super::options::LabelColumn;
use crate::error::{Error, Result};
#[doc(hidden)]
pub use chunked::ChunkTuning;
pub(crate) use plain::{count_mismatch, read_label_column, read_latents_csv, read_numeric_matrix};
use source::CsvSource;
use table::{Table, problem_message, read_table};

/// What to do with rows that have a missing value (empty, NA, N/A, NaN, null, None, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MissingPolicy {
    /// Drop those rows and say how many in the dataset's notes.
    #[default]
    Drop,
    /// Stop with an error naming the first missing value's line and column.
    Error,
}

/// How to read a CSV file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvOptions {
    /// The label column: named, automatic (see [`columns::auto_label_column`]) or none.
    pub label_column: LabelColumn,
    /// What to do with rows that have a missing value.
    pub missing: MissingPolicy,
    /// Columns left out (names or 0-based indices): neither features nor checked for missing
    /// values.
    pub drop_columns: Vec<String>,
}

/// Loads a CSV/TSV file: numeric columns become the features, the label column the labels.
///
/// `source_rows` and `source_row_count` record which data rows were kept (0-based, not
/// counting the header).
pub fn load_csv(path: &Path, opts: &CsvOptions) -> Result<Dataset> {
    load_csv_with_progress(path, opts, &|_, _| {})
}

/// [`load_csv`], calling `progress(bytes_read, file_bytes)` as the file is read (from the
/// calling thread, a few times per second on large files).
pub fn load_csv_with_progress(
    path: &Path,
    opts: &CsvOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Dataset> {
    load(path, opts, progress, ChunkTuning::default())
}

/// [`load_csv`] with the data rows cut into chunks as `tuning` says. For tests: the result must
/// be the same for every tuning.
#[doc(hidden)]
pub fn load_csv_tuned(path: &Path, opts: &CsvOptions, tuning: ChunkTuning) -> Result<Dataset> {
    load(path, opts, &|_, _| {}, tuning)
}

/// Every cell of a CSV file as the loader reads it, before columns are chosen: for tests that
/// compare the parser with another CSV reader.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq)]
pub struct Cells {
    /// The detected delimiter.
    pub delimiter: u8,
    /// Whether the first row was taken as the header.
    pub has_header: bool,
    /// The column names (`col0`, `col1`, … where there is no header or a header cell is empty).
    pub names: Vec<String>,
    /// Number of data rows (blank lines are not rows).
    pub n_rows: usize,
    /// `n_rows × names.len()`, row-major: each cell's value when it is a finite number, else NaN.
    pub values: Vec<f32>,
}

/// Reads every cell of `path` (no label column), with the data rows cut into chunks as
/// `tuning` says. For tests; errors are those of [`load_csv`] about the file's structure
/// (empty file, ragged rows, text that is not UTF-8).
#[doc(hidden)]
pub fn read_cells(path: &Path, tuning: ChunkTuning) -> Result<Cells> {
    let mut src = CsvSource::open(path)?;
    let table = read_table(&mut src, None, &|_, _| {}, tuning)?;
    Ok(Cells {
        delimiter: src.delimiter,
        has_header: src.has_header,
        names: src.names,
        n_rows: table.n_rows,
        values: table.values,
    })
}

/// [`load_csv_with_progress`] with the data rows cut into chunks as `tuning` says.
fn load(
    path: &Path,
    opts: &CsvOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
    tuning: ChunkTuning,
) -> Result<Dataset> {
    let mut src = CsvSource::open(path)?;
    let mut notes = Vec::new();
    if src.has_header {
        check_unique_names(path, &src.names)?;
    }
    let label = columns::label_column(path, &src.names, src.has_header, &opts.label_column)?;
    match (&opts.label_column, label) {
        (LabelColumn::Auto, Some(j)) => notes.push(columns::used_label_note(&src.names[j])),
        (LabelColumn::Auto, None) => notes.push(columns::no_label_note()),
        _ => {}
    }
    let left_out = dropped_columns(path, &src.names, &opts.drop_columns)?;
    if let Some(j) = label.filter(|j| left_out.contains(j)) {
        return Err(columns::label_also_left_out(path, &src.names[j]));
    }
    let table = read_table(&mut src, label, progress, tuning)?;
    let names = &src.names;
    if table.n_rows == 0 {
        return Err(Error::bad_file(
            path,
            "the file has a header but no data rows; add one row per sample",
        ));
    }

    // Sort the value columns into kept numeric, text and empty columns.
    let (mut kept, mut text_cols, mut empty_cols) = (Vec::new(), Vec::new(), Vec::new());
    for (k, &j) in table.value_cols.iter().enumerate() {
        if left_out.contains(&j) {
            continue;
        }
        let s = &table.stats[j];
        let present = table.n_rows - s.missing;
        if present == 0 {
            empty_cols.push(names[j].as_str());
        } else if s.text * 2 > present {
            text_cols.push(names[j].as_str());
        } else {
            kept.push(k);
        }
    }
    if !left_out.is_empty() {
        let names: Vec<&str> = left_out.iter().map(|&j| src.names[j].as_str()).collect();
        notes.push(format!("left out {} as asked", list_names(&names)));
    }
    // a row number saved with the data (pandas' "Unnamed: 0", an "id") is not a feature
    let index_cols = row_index_columns(&table, &kept, names);
    if !index_cols.is_empty() && index_cols.len() < kept.len() {
        let left: Vec<&str> = index_cols
            .iter()
            .map(|&k| names[table.value_cols[k]].as_str())
            .collect();
        notes.push(format!(
            "left out {}: it counts the rows (0, 1, 2, … or 1, 2, 3, …), so it is a row number, \
             not a feature",
            list_names(&left)
        ));
        kept.retain(|k| !index_cols.contains(k));
    }
    if kept.is_empty() {
        let mut msg = "no numeric columns were found".to_string();
        if !text_cols.is_empty() {
            msg.push_str(&format!(" (text columns: {})", list_names(&text_cols)));
        }
        msg.push_str("; the features must be numbers, one column per feature");
        return Err(Error::bad_file(path, msg));
    }
    if !text_cols.is_empty() {
        notes.push(format!("left out text columns: {}", list_names(&text_cols)));
        if label.is_none() && opts.label_column == LabelColumn::Auto {
            // a text column is often the class: say how to use it
            notes.push(columns::text_label_hint(text_cols[0]));
        }
    }
    if !empty_cols.is_empty() {
        notes.push(format!(
            "left out empty columns: {}",
            list_names(&empty_cols)
        ));
    }

    let mut checked: Vec<usize> = kept.iter().map(|&k| table.value_cols[k]).collect();
    checked.extend(label);
    let strict = opts.missing == MissingPolicy::Error;
    if let Some((line, j, problem)) = table.first_problem(&checked, strict) {
        let hint = "fill the value, or use --missing drop to drop rows with missing values";
        return Err(Error::bad_file(
            path,
            problem_message(line, &names[j], &problem, hint),
        ));
    }

    let source_rows = kept_rows(&table, &kept, label);
    if source_rows.is_empty() {
        return Err(all_rows_dropped(path, &table, &checked, names));
    }
    let dropped = table.n_rows - source_rows.len();
    if dropped > 0 {
        let rows = if dropped == 1 { "row" } else { "rows" };
        notes.push(format!("dropped {dropped} {rows} with missing values"));
    }
    let labels = table.labels.as_ref().map(|cells| {
        let texts: Vec<String> = source_rows
            .iter()
            .map(|&r| cells.get(r).to_string())
            .collect();
        labels_from_text(&texts)
    });
    if let (Some(super::dataset::Labels::Continuous(_)), Some(j)) = (&labels, label) {
        notes.push(columns::continuous_label_note(&names[j]));
    }
    let feature_names = kept
        .iter()
        .map(|&k| names[table.value_cols[k]].clone())
        .collect();
    let n_rows = table.n_rows;
    let records = gather(path, table, &kept, &source_rows)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut dataset = Dataset::new(name, records, labels, feature_names);
    dataset.notes = notes;
    dataset.columns = src.names;
    dataset.source_rows = source_rows;
    dataset.source_row_count = n_rows;
    Ok(dataset)
}

/// Value columns (indices into `value_cols`, from `kept`) named like a row number (`id`,
/// `index`, `Unnamed: 0`, `row`, an empty first header cell; any case) whose values count the
/// rows from 0 or 1.
fn row_index_columns(table: &Table, kept: &[usize], names: &[String]) -> Vec<usize> {
    const INDEX_NAMES: [&str; 4] = ["id", "index", "unnamed: 0", "row"];
    let width = table.value_cols.len();
    kept.iter()
        .copied()
        .filter(|&k| {
            let j = table.value_cols[k];
            let name = names[j].trim().to_lowercase();
            // an empty first header cell (pandas' index) is named col0
            let index_like = INDEX_NAMES.contains(&name.as_str()) || (j == 0 && name == "col0");
            if !index_like || table.n_rows < 3 {
                return false;
            }
            let column = table.values.iter().skip(k).step_by(width);
            let start = table.values.get(k).copied().unwrap_or(f32::NAN);
            (start == 0.0 || start == 1.0)
                && column
                    .enumerate()
                    .all(|(r, &v)| f64::from(v) == f64::from(start) + r as f64)
        })
        .collect()
}

/// Rows with no missing value in the kept columns nor in the label.
fn kept_rows(table: &Table, kept: &[usize], label: Option<usize>) -> Vec<usize> {
    let width = table.value_cols.len();
    let label_missing = label.is_some_and(|j| table.stats[j].missing > 0);
    let values_missing = kept
        .iter()
        .any(|&k| table.stats[table.value_cols[k]].missing > 0);
    if !label_missing && !values_missing {
        return (0..table.n_rows).collect();
    }
    (0..table.n_rows)
        .filter(|&r| {
            let row = table.values.get(r * width..(r + 1) * width).unwrap_or(&[]);
            let values_ok = kept
                .iter()
                .all(|&k| row.get(k).is_some_and(|v| !v.is_nan()));
            let label_ok = !label_missing
                || table
                    .labels
                    .as_ref()
                    .is_some_and(|c| !sniff::is_missing_marker(c.get(r)));
            values_ok && label_ok
        })
        .collect()
}

/// The records: the kept columns of the kept rows (no copy when everything is kept).
fn gather(path: &Path, table: Table, kept: &[usize], rows: &[usize]) -> Result<Array2<f32>> {
    let width = table.value_cols.len();
    let values = if kept.len() == width && rows.len() == table.n_rows {
        table.values
    } else {
        let mut out = Vec::with_capacity(rows.len() * kept.len());
        for &r in rows {
            let row = table.values.get(r * width..(r + 1) * width).unwrap_or(&[]);
            out.extend(
                kept.iter()
                    .map(|&k| row.get(k).copied().unwrap_or(f32::NAN)),
            );
        }
        out
    };
    Array2::from_shape_vec((rows.len(), kept.len()), values)
        .map_err(|e| Error::Internal(format!("{}: arranging the values: {e}", path.display())))
}

/// The error when every row has a missing value: names the column missing most often.
fn all_rows_dropped(path: &Path, table: &Table, cols: &[usize], names: &[String]) -> Error {
    let worst = cols.iter().copied().max_by_key(|&j| table.stats[j].missing);
    let detail = worst.map_or(String::new(), |j| {
        format!(
            " (column '{}' is missing in {} of {} rows)",
            names[j], table.stats[j].missing, table.n_rows
        )
    });
    Error::bad_file(
        path,
        format!(
            "every row has a missing value{detail}; fill the values or remove the column \
             from the file"
        ),
    )
}
