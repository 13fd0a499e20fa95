//! Reading the chosen columns of every row group and keeping the complete rows: the records
//! row after row, the label cells, and which rows of the file they are.

use std::fs::File;
use std::path::Path;

use parquet::file::reader::{FileReader, SerializedFileReader};

use super::LabelSource;
use super::read::{Block, Cells, Place, label_cells, list_block, scalar_block};
use super::schema::{Field, Kind};
use crate::data::bounded::{MAX_DECOMPRESSED_BYTES, bytes_text};
use crate::data::csv::MissingPolicy;
use crate::error::{Error, Result};

/// The kept rows of a table.
pub(super) struct Rows {
    /// Row-major records of the kept rows.
    pub values: Vec<f32>,
    /// Values per row of each feature column.
    pub widths: Vec<usize>,
    pub labels: Option<LabelValues>,
    /// The kept rows' indices in the file.
    pub kept: Vec<usize>,
    pub n_rows: usize,
}

/// Label cells of the kept rows.
pub(super) enum LabelValues {
    Numbers(Vec<f64>),
    Text(Vec<String>),
}

/// Reads `features` and the label of every row group; keeps the complete rows.
pub(super) fn read_rows(
    path: &Path,
    reader: &SerializedFileReader<File>,
    features: &[&Field],
    label: Option<LabelSource>,
    missing: MissingPolicy,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Rows> {
    let file_len = std::fs::metadata(path).map_or(0, |m| m.len());
    let max_values = (MAX_DECOMPRESSED_BYTES / 4) as usize;
    let mut list_widths: Vec<Option<(usize, usize)>> = vec![None; features.len()];
    let mut out = Rows {
        values: Vec::new(),
        widths: Vec::new(),
        labels: label.map(|l| match l.numbers {
            Some(_) => LabelValues::Numbers(Vec::new()),
            None => LabelValues::Text(Vec::new()),
        }),
        kept: Vec::new(),
        n_rows: 0,
    };
    let (mut done, metadata) = (0u64, reader.metadata());
    progress(0, file_len);
    for g in 0..metadata.num_row_groups() {
        let group = metadata.row_group(g);
        let rows = usize::try_from(group.num_rows()).map_err(|_| {
            Error::bad_file(
                path,
                "a row group has a negative row count; the file is damaged",
            )
        })?;
        let rg = reader.get_row_group(g).map_err(|e| {
            Error::bad_file(
                path,
                format!("row group {g} cannot be read ({e}); the file is damaged"),
            )
        })?;
        let mut blocks = Vec::with_capacity(features.len());
        for (field, width) in features.iter().zip(list_widths.iter_mut()) {
            let at = place(path, &field.name, out.n_rows, rows);
            blocks.push(match field.kind {
                Kind::Numbers { leaf, numbers } => scalar_block(rg.as_ref(), leaf, numbers, &at)?,
                Kind::List {
                    leaf,
                    numbers,
                    levels,
                } => list_block(rg.as_ref(), leaf, numbers, levels, width, &at)?,
                _ => return Err(Error::Internal("a feature column is not numeric".into())),
            });
        }
        let cells = label
            .map(|l| {
                label_cells(
                    rg.as_ref(),
                    l.leaf,
                    l.numbers,
                    &place(path, l.name, out.n_rows, rows),
                )
            })
            .transpose()?;
        keep_rows(
            path, features, &blocks, cells, label, missing, rows, &mut out,
        )?;
        if out.values.len() > max_values {
            return Err(Error::bad_file(
                path,
                format!(
                    "the table holds more than {} of 32-bit values; read a sample of its rows \
                     (e.g. a few row groups) into a smaller file",
                    bytes_text(MAX_DECOMPRESSED_BYTES)
                ),
            ));
        }
        done = done.saturating_add(u64::try_from(group.compressed_size()).unwrap_or(0));
        progress(done.min(file_len), file_len);
    }
    if out.n_rows == 0 {
        return Err(Error::bad_file(
            path,
            "the table has no rows; add one row per sample",
        ));
    }
    if out.kept.is_empty() {
        return Err(Error::bad_file(
            path,
            "every row has a missing value (a null or NaN); fill the values, or leave out the \
             column that is missing (--drop-columns)",
        ));
    }
    out.widths = features
        .iter()
        .zip(&list_widths)
        .map(|(f, w)| match f.kind {
            Kind::List { .. } => w.map_or(0, |(w, _)| w),
            _ => 1,
        })
        .collect();
    Ok(out)
}

fn place<'a>(path: &'a Path, column: &'a str, first_row: usize, rows: usize) -> Place<'a> {
    Place {
        path,
        column,
        first_row,
        rows,
    }
}

/// Appends the complete rows of one row group to `out` (or reports the first missing value).
#[allow(clippy::too_many_arguments)]
fn keep_rows(
    path: &Path,
    features: &[&Field],
    blocks: &[Block],
    cells: Option<Cells>,
    label: Option<LabelSource>,
    missing: MissingPolicy,
    rows: usize,
    out: &mut Rows,
) -> Result<()> {
    for r in 0..rows {
        let row_index = out.n_rows + r;
        let mut gap: Option<String> = None;
        for (field, block) in features.iter().zip(blocks) {
            let values = &block.values[r * block.width..(r + 1) * block.width];
            if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                let column = match field.kind {
                    Kind::List { .. } => format!("{}[{i}]", field.name),
                    _ => field.name.clone(),
                };
                if values[i].is_infinite() {
                    return Err(Error::bad_file(
                        path,
                        format!(
                            "row {row_index} (counting from 0), column '{column}' holds an \
                             infinite value; every value must be a finite number"
                        ),
                    ));
                }
                gap = Some(column);
                break;
            }
        }
        let label_missing = match &cells {
            Some(Cells::Numbers(c)) => c[r].is_none(),
            Some(Cells::Text(c)) => c[r].is_none(),
            None => false,
        };
        if gap.is_none() && label_missing {
            gap = label.map(|l| l.name.to_owned());
        }
        if let Some(column) = gap {
            if missing == MissingPolicy::Error {
                return Err(Error::bad_file(
                    path,
                    format!(
                        "row {row_index} (counting from 0), column '{column}' has no value \
                         (null or NaN); fill the value, or use --missing drop to drop rows \
                         with missing values"
                    ),
                ));
            }
            continue;
        }
        for block in blocks {
            out.values
                .extend_from_slice(&block.values[r * block.width..(r + 1) * block.width]);
        }
        match (&mut out.labels, &cells) {
            (Some(LabelValues::Numbers(v)), Some(Cells::Numbers(c))) => v.extend(c[r]),
            (Some(LabelValues::Text(v)), Some(Cells::Text(c))) => v.extend(c[r].clone()),
            _ => {}
        }
        out.kept.push(row_index);
    }
    out.n_rows += rows;
    Ok(())
}
