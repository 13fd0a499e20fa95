//! Loading Apache Parquet tables (pandas, pyarrow, polars, Spark…) as a [`Dataset`].
//!
//! Columns are chosen as for CSV ([`super::columns`]): the label column (named, automatic or
//! none), the columns left out, unique names. Numeric columns (booleans, integers, decimals,
//! floats) are features; a list column of numbers (Arrow's list, large_list or
//! fixed_size_list) is a vector, one feature per position (`emb[0]`, `emb[1]`, …), every row
//! the same length. Text columns are left out with a note (one may be the labels), as are
//! columns of other types and pandas' saved index. Nulls and NaN are missing values, dropped
//! or reported as [`MissingPolicy`] says.
//!
//! The file is read one row group at a time through Parquet's column API (no Arrow), so memory
//! holds the records plus one row group's columns; `progress` is called after each row group.
//! A panic of the Parquet reader on a damaged file becomes an error (`parquet/guard.rs`).

mod guard;
mod read;
mod rows;
mod schema;

use std::fs::File;
use std::path::Path;

use ndarray::Array2;
use parquet::file::reader::{FileReader, SerializedFileReader};

use super::columns::{self, check_unique_names, dropped_columns, list_names};
use super::csv::{CsvOptions, MissingPolicy};
use super::dataset::{Dataset, Labels};
use super::labels::{labels_from_ints, labels_from_text};
use super::options::LabelColumn;
use crate::error::{Error, Result};
use rows::{LabelValues, read_rows};
use schema::{Field, Kind, Numbers};

/// The label column as read: numbers or text.
#[derive(Debug, Clone, Copy)]
struct LabelSource<'a> {
    name: &'a str,
    leaf: usize,
    /// `None` for text.
    numbers: Option<Numbers>,
}

/// Loads a Parquet file: numeric and list-of-number columns become the features, the label
/// column the labels (see the module docs).
pub fn load_parquet(
    path: &Path,
    opts: &CsvOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Dataset> {
    guard::guarded(path, || read_parquet(path, opts, progress))
}

fn read_parquet(
    path: &Path,
    opts: &CsvOptions,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Dataset> {
    let reader = open(path)?;
    let fields = schema::fields(reader.metadata().file_metadata().schema_descr());
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    check_unique_names(path, &names)?;
    let mut notes = Vec::new();
    let label = columns::label_column(path, &names, true, &opts.label_column)?;
    match (&opts.label_column, label) {
        (LabelColumn::Auto, Some(j)) => {
            notes.push(columns::used_label_note(&names[j]));
        }
        (LabelColumn::Auto, None) => notes.push(columns::no_label_note()),
        _ => {}
    }
    let left_out = dropped_columns(path, &names, &opts.drop_columns)?;
    if let Some(j) = label.filter(|j| left_out.contains(j)) {
        return Err(columns::label_also_left_out(path, &names[j]));
    }
    let label = label.map(|j| label_source(path, &fields[j])).transpose()?;
    let (mut features, mut text, mut other, mut index) = (vec![], vec![], vec![], vec![]);
    for (j, field) in fields.iter().enumerate() {
        if label.is_some_and(|l| l.name == field.name) || left_out.contains(&j) {
            continue;
        }
        match &field.kind {
            _ if field.name.starts_with("__index_level_") => index.push(field.name.as_str()),
            Kind::Numbers { .. } | Kind::List { .. } => features.push(field),
            Kind::Text { .. } => text.push(field.name.as_str()),
            Kind::Other(what) => other.push(format!("{} ({what})", field.name)),
        }
    }
    if !left_out.is_empty() {
        let gone: Vec<&str> = left_out.iter().map(|&j| names[j].as_str()).collect();
        notes.push(format!("left out {} as asked", list_names(&gone)));
    }
    if !index.is_empty() {
        notes.push(format!(
            "left out {}: pandas' saved index (row names), not a feature",
            list_names(&index)
        ));
    }
    if features.is_empty() {
        let mut msg = "no numeric columns were found".to_string();
        if !text.is_empty() {
            msg.push_str(&format!(" (text columns: {})", list_names(&text)));
        }
        if !other.is_empty() {
            msg.push_str(&format!(" (not read: {})", list_names(&other)));
        }
        msg.push_str(
            "; the features must be numbers: one column per feature, or a list column of \
             numbers",
        );
        return Err(Error::bad_file(path, msg));
    }
    if !text.is_empty() {
        notes.push(format!("left out text columns: {}", list_names(&text)));
        if label.is_none() && opts.label_column == LabelColumn::Auto {
            notes.push(columns::text_label_hint(text[0]));
        }
    }
    if !other.is_empty() {
        notes.push(format!(
            "left out columns of types that are not numbers: {}",
            list_names(&other)
        ));
    }
    let rows = read_rows(path, &reader, &features, label, opts.missing, progress)?;
    let dropped = rows.n_rows - rows.kept.len();
    if dropped > 0 {
        let word = if dropped == 1 { "row" } else { "rows" };
        notes.push(format!("dropped {dropped} {word} with missing values"));
    }
    let labels = match (&rows.labels, label) {
        (Some(values), Some(l)) => Some(to_labels(path, values, l)?),
        _ => None,
    };
    if let (Some(Labels::Continuous(_)), Some(l)) = (&labels, label) {
        notes.push(columns::continuous_label_note(l.name));
    }
    let feature_names: Vec<String> = features
        .iter()
        .zip(&rows.widths)
        .flat_map(|(f, &w)| match f.kind {
            Kind::List { .. } => (0..w).map(|i| format!("{}[{i}]", f.name)).collect(),
            _ => vec![f.name.clone()],
        })
        .collect();
    let records = Array2::from_shape_vec((rows.kept.len(), feature_names.len()), rows.values)
        .map_err(|e| Error::Internal(format!("{}: arranging the values: {e}", path.display())))?;
    let mut dataset = Dataset::new(
        super::arrays::display_name(path),
        records,
        labels,
        feature_names,
    );
    dataset.notes = notes;
    dataset.columns = names;
    dataset.source_rows = rows.kept;
    dataset.source_row_count = rows.n_rows;
    Ok(dataset)
}

/// The labels in a Parquet labels file: its column named like labels, or its only column.
/// Returns the labels and their count; a missing label is an error.
pub(crate) fn load_parquet_labels(path: &Path) -> Result<(Labels, usize)> {
    guard::guarded(path, || read_parquet_labels(path))
}

fn read_parquet_labels(path: &Path) -> Result<(Labels, usize)> {
    let reader = open(path)?;
    let fields = schema::fields(reader.metadata().file_metadata().schema_descr());
    let names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    let j = match (columns::auto_label_column(&names), fields.len()) {
        (Some(j), _) => j,
        (None, 1) => 0,
        _ => {
            return Err(Error::bad_file(
                path,
                format!(
                    "a labels file needs one column, or a column named label, class, target, \
                     species or y; this one has {}",
                    list_names(&names)
                ),
            ));
        }
    };
    let label = label_source(path, &fields[j])?;
    let rows = read_rows(
        path,
        &reader,
        &[],
        Some(label),
        MissingPolicy::Error,
        &|_, _| {},
    )?;
    let values = rows
        .labels
        .ok_or_else(|| Error::Internal(format!("{}: the labels were not read", path.display())))?;
    Ok((to_labels(path, &values, label)?, rows.n_rows))
}

fn open(path: &Path) -> Result<SerializedFileReader<File>> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    SerializedFileReader::new(file).map_err(|e| {
        Error::bad_file(
            path,
            format!(
                "this is not a readable Parquet file ({e}); write it again, e.g. with \
                 pandas.DataFrame.to_parquet"
            ),
        )
    })
}

/// How the label column is read; lists and other types cannot be labels.
fn label_source<'a>(path: &Path, field: &'a Field) -> Result<LabelSource<'a>> {
    let (leaf, numbers) = match &field.kind {
        Kind::Numbers { leaf, numbers } => (*leaf, Some(*numbers)),
        Kind::Text { leaf } => (*leaf, None),
        Kind::List { .. } => return Err(not_a_label(path, &field.name, "a list")),
        Kind::Other(what) => return Err(not_a_label(path, &field.name, what)),
    };
    Ok(LabelSource {
        name: &field.name,
        leaf,
        numbers,
    })
}

fn not_a_label(path: &Path, name: &str, what: &str) -> Error {
    Error::bad_file(
        path,
        format!(
            "column '{name}' holds {what}, so it cannot be the labels; choose a column of \
             numbers or text (--label-column), or none"
        ),
    )
}

/// Labels as CSV makes them: whole numbers are classes when few, other numbers continuous,
/// text classes (or numbers, when every cell is one).
fn to_labels(path: &Path, values: &LabelValues, label: LabelSource) -> Result<Labels> {
    match values {
        LabelValues::Text(texts) => Ok(labels_from_text(texts)),
        LabelValues::Numbers(v) if label.numbers.is_some_and(Numbers::is_integer) => Ok(
            labels_from_ints(&v.iter().map(|&x| x as i64).collect::<Vec<_>>()),
        ),
        LabelValues::Numbers(v) => super::arrays::labels_from_values(path, v, false),
    }
}
