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
            path, features, blocks, cells, label, missing, rows, &mut out,
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

/// Appends the complete rows of one row group to `out`: a row with a missing value (a NaN in a
/// block, a missing label) is dropped, or reported when `missing` says so; an infinite value is
/// always reported. Blocks are copied column by column into the rows.
#[allow(clippy::too_many_arguments)]
fn keep_rows(
    path: &Path,
    features: &[&Field],
    blocks: Vec<Block>,
    cells: Option<Cells>,
    label: Option<LabelSource>,
    missing: MissingPolicy,
    rows: usize,
    out: &mut Rows,
) -> Result<()> {
    /// Stands for the label column in `gaps`.
    const LABEL: usize = usize::MAX;
    // each row's first gap: (block, position in the block's row)
    let mut gaps: Vec<Option<(usize, usize)>> = vec![None; rows];
    let mut infinite: Option<(usize, usize, usize)> = None;
    for (b, block) in blocks.iter().enumerate() {
        if block.values.iter().all(|v| v.is_finite()) {
            continue;
        }
        for (r, row) in block.values.chunks_exact(block.width.max(1)).enumerate() {
            for (i, v) in row.iter().enumerate().filter(|(_, v)| !v.is_finite()) {
                if v.is_infinite() && infinite.is_none_or(|(ir, ..)| r < ir) {
                    infinite = Some((r, b, i));
                }
                if let Some(gap) = gaps.get_mut(r).filter(|g| g.is_none()) {
                    *gap = Some((b, i));
                }
            }
        }
    }
    let column = |b: usize, i: usize| match (b, features.get(b), label) {
        (LABEL, _, Some(l)) => l.name.to_owned(),
        (_, Some(f), _) if matches!(f.kind, Kind::List { .. }) => format!("{}[{i}]", f.name),
        (_, Some(f), _) => f.name.clone(),
        _ => String::new(),
    };
    if let Some((r, b, i)) = infinite {
        return Err(Error::bad_file(
            path,
            format!(
                "row {} (counting from 0), column '{}' holds an infinite value; every value \
                 must be a finite number",
                out.n_rows + r,
                column(b, i)
            ),
        ));
    }
    let label_missing = |r: usize| match &cells {
        Some(Cells::Numbers(c)) => c[r].is_none(),
        Some(Cells::Text(c)) => c[r].is_none(),
        None => false,
    };
    for (r, gap) in gaps.iter_mut().enumerate() {
        if gap.is_none() && label_missing(r) {
            *gap = Some((LABEL, 0));
        }
    }
    if missing == MissingPolicy::Error
        && let Some((r, Some((b, i)))) = gaps.iter().enumerate().find(|(_, g)| g.is_some())
    {
        return Err(Error::bad_file(
            path,
            format!(
                "row {} (counting from 0), column '{}' has no value (null or NaN); fill the \
                 value, or use --missing drop to drop rows with missing values",
                out.n_rows + r,
                column(*b, *i)
            ),
        ));
    }
    let kept: Vec<usize> = (0..rows).filter(|&r| gaps[r].is_none()).collect();
    let width: usize = blocks.iter().map(|b| b.width).sum();
    if kept.len() == rows && blocks.len() == 1 && out.values.is_empty() {
        out.values = blocks
            .into_iter()
            .next()
            .map_or_else(Vec::new, |b| b.values);
    } else if !kept.is_empty() {
        let start = out.values.len();
        out.values.resize(start + kept.len() * width, 0.0);
        let mut offset = start;
        for block in &blocks {
            let w = block.width;
            if w == 1 {
                for (slot, &r) in kept.iter().enumerate() {
                    out.values[offset + slot * width] = block.values[r];
                }
            } else {
                for (slot, &r) in kept.iter().enumerate() {
                    let at = offset + slot * width;
                    out.values[at..at + w].copy_from_slice(&block.values[r * w..(r + 1) * w]);
                }
            }
            offset += w;
        }
    }
    match (&mut out.labels, cells) {
        (Some(LabelValues::Numbers(v)), Some(Cells::Numbers(c))) => {
            v.extend(kept.iter().filter_map(|&r| c[r]));
        }
        (Some(LabelValues::Text(v)), Some(Cells::Text(mut c))) => {
            v.extend(kept.iter().filter_map(|&r| c[r].take()));
        }
        _ => {}
    }
    let first = out.n_rows;
    out.kept.extend(kept.iter().map(|&r| first + r));
    out.n_rows += rows;
    Ok(())
}
