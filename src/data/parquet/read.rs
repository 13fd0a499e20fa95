//! Reading the columns a table needs from one row group, through Parquet's column API: the
//! stored values with their definition and repetition levels, turned into a block of `f32`
//! per feature column (NaN where a value is missing) or the label cells.

use std::path::Path;

use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::DataType;
use parquet::file::reader::RowGroupReader;

use super::schema::{ListLevels, Numbers};
use crate::error::{Error, Result};

/// A feature column's values for the rows of one row group: `width` values per row, row after
/// row, NaN where missing (a null, a NaN, a null list or list element).
#[derive(Debug)]
pub(super) struct Block {
    pub values: Vec<f32>,
    pub width: usize,
}

/// A label column's cells for the rows of one row group.
#[derive(Debug)]
pub(super) enum Cells {
    Numbers(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

/// Where a column is read: for messages.
pub(super) struct Place<'a> {
    pub path: &'a Path,
    /// The column's name.
    pub column: &'a str,
    /// Index of the row group's first row in the file.
    pub first_row: usize,
    /// Rows in the row group.
    pub rows: usize,
}

impl Place<'_> {
    fn error(&self, msg: String) -> Error {
        Error::bad_file(self.path, msg)
    }
}

/// A leaf's stored values (non-null ones only) with their levels.
struct Leaf<V> {
    values: Vec<V>,
    defs: Vec<i16>,
    reps: Vec<i16>,
}

/// One number per row.
pub(super) fn scalar_block(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Numbers,
    at: &Place,
) -> Result<Block> {
    let (data, overflow) = feature_leaf(rg, leaf, numbers, at)?;
    let max_def = rg.metadata().column(leaf).column_descr().max_def_level();
    if data.defs.is_empty() || max_def == 0 {
        if let Some((k, v)) = overflow {
            return Err(too_large(at, k, v));
        }
        return Ok(Block {
            values: data.values,
            width: 1,
        });
    }
    let mut values = Vec::with_capacity(at.rows);
    let mut k = 0;
    for (r, &def) in data.defs.iter().enumerate() {
        if def < max_def {
            values.push(f32::NAN);
            continue;
        }
        if overflow.is_some_and(|(o, _)| o == k) {
            return Err(too_large(at, r, overflow.map_or(0.0, |(_, v)| v)));
        }
        values.push(data.values.get(k).copied().unwrap_or(f32::NAN));
        k += 1;
    }
    Ok(Block { values, width: 1 })
}

/// A list of numbers per row; every row's list must have the length of the first one in the
/// file (`width`: that length and the row it was found in, set by the first list met). Until
/// then, rows of null lists are one missing value each (they are dropped or reported).
pub(super) fn list_block(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Numbers,
    levels: ListLevels,
    width: &mut Option<(usize, usize)>,
    at: &Place,
) -> Result<Block> {
    let (data, overflow) = feature_leaf(rg, leaf, numbers, at)?;
    let starts = |i: usize| data.reps.get(i).is_none_or(|&r| r == 0);
    // first pass, levels only: each record's length (None: a null list)
    let mut lengths: Vec<Option<usize>> = Vec::with_capacity(at.rows);
    for (i, &def) in data.defs.iter().enumerate() {
        if starts(i) {
            lengths.push((def >= levels.null_below).then_some(0));
        }
        if def >= levels.empty_below
            && let Some(Some(len)) = lengths.last_mut()
        {
            *len += 1;
        }
    }
    if lengths.len() != at.rows {
        return Err(short(at, lengths.len()));
    }
    if width.is_none() {
        *width = lengths
            .iter()
            .enumerate()
            .find_map(|(r, len)| len.map(|len| (len, at.first_row + r)));
    }
    let Some((w, first)) = *width else {
        return Ok(Block {
            values: vec![f32::NAN; at.rows],
            width: 1,
        });
    };
    for (r, len) in lengths.iter().enumerate() {
        let row = at.first_row + r;
        match *len {
            Some(0) => {
                return Err(at.error(format!(
                    "list column '{}' holds an empty list in row {row} (counting from 0); \
                     every row needs the same number of values, at least one",
                    at.column
                )));
            }
            Some(len) if len != w => {
                return Err(at.error(format!(
                    "list column '{}' holds {len} values in row {row} but {w} in row {first} \
                     (counting from 0); every row needs the same number of values: pad or \
                     cut the lists before saving",
                    at.column
                )));
            }
            _ => {}
        }
    }
    // second pass: the values, NaN for a null list or element
    let mut values = Vec::with_capacity(at.rows.saturating_mul(w));
    let (mut k, mut r) = (0, 0);
    for (i, &def) in data.defs.iter().enumerate() {
        if starts(i) {
            r += 1;
            if def < levels.null_below {
                values.extend(std::iter::repeat_n(f32::NAN, w));
            }
        }
        if def < levels.empty_below {
            continue;
        }
        if def < levels.max_def {
            values.push(f32::NAN);
            continue;
        }
        if overflow.is_some_and(|(o, _)| o == k) {
            return Err(too_large(at, r - 1, overflow.map_or(0.0, |(_, v)| v)));
        }
        values.push(data.values.get(k).copied().unwrap_or(f32::NAN));
        k += 1;
    }
    Ok(Block { values, width: w })
}

/// The label column's cells.
pub(super) fn label_cells(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Option<Numbers>,
    at: &Place,
) -> Result<Cells> {
    let max_def = rg.metadata().column(leaf).column_descr().max_def_level();
    let present = |defs: &[i16], r: usize| defs.get(r).is_none_or(|&d| d >= max_def);
    if let Some(numbers) = numbers {
        let data = number_leaf(rg, leaf, numbers, at, |v| v)?;
        let mut next = data.values.into_iter();
        let cells = (0..at.rows)
            .map(|r| {
                if present(&data.defs, r) {
                    next.next().filter(|v| !v.is_nan())
                } else {
                    None
                }
            })
            .collect();
        return Ok(Cells::Numbers(cells));
    }
    let reader = rg.get_column_reader(leaf).map_err(|e| damaged(at, e))?;
    let ColumnReader::ByteArrayColumnReader(reader) = reader else {
        return Err(Error::Internal(format!(
            "{}: column '{}' is not text",
            at.path.display(),
            at.column
        )));
    };
    let data = read_leaf(reader, at)?;
    let mut next = data.values.into_iter();
    let cells = (0..at.rows)
        .map(|r| {
            if present(&data.defs, r) {
                next.next()
                    .map(|b| String::from_utf8_lossy(b.data()).into_owned())
            } else {
                None
            }
        })
        .collect();
    Ok(Cells::Text(cells))
}

/// The leaf's values as `f32`, and the first float64 value (by index among the values) that
/// is finite but too large for `f32`.
type FeatureLeaf = (Leaf<f32>, Option<(usize, f64)>);

fn feature_leaf(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Numbers,
    at: &Place,
) -> Result<FeatureLeaf> {
    let (mut k, mut overflow) = (0, None);
    let data = number_leaf(rg, leaf, numbers, at, |v| {
        let x = v as f32;
        if overflow.is_none() && v.is_finite() && !x.is_finite() {
            overflow = Some((k, v));
        }
        k += 1;
        x
    })?;
    Ok((data, overflow))
}

/// The leaf's values as numbers, each passed through `out`.
fn number_leaf<O>(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Numbers,
    at: &Place,
    mut out: impl FnMut(f64) -> O,
) -> Result<Leaf<O>> {
    let reader = rg.get_column_reader(leaf).map_err(|e| damaged(at, e))?;
    let divisor = |scale: i32| 10f64.powi(scale);
    Ok(match (reader, numbers) {
        (ColumnReader::BoolColumnReader(r), Numbers::Bool) => {
            convert(read_leaf(r, at)?, |b| out(f64::from(u8::from(b))))
        }
        (ColumnReader::Int32ColumnReader(r), Numbers::Int32 { unsigned, scale }) => {
            let d = divisor(scale);
            convert(read_leaf(r, at)?, |v| {
                let v = if unsigned {
                    f64::from(v as u32)
                } else {
                    f64::from(v)
                };
                out(if scale == 0 { v } else { v / d })
            })
        }
        (ColumnReader::Int64ColumnReader(r), Numbers::Int64 { unsigned, scale }) => {
            let d = divisor(scale);
            convert(read_leaf(r, at)?, |v| {
                let v = if unsigned { v as u64 as f64 } else { v as f64 };
                out(if scale == 0 { v } else { v / d })
            })
        }
        (ColumnReader::FloatColumnReader(r), Numbers::Float) => {
            convert(read_leaf(r, at)?, |v| out(f64::from(v)))
        }
        (ColumnReader::DoubleColumnReader(r), Numbers::Double) => convert(read_leaf(r, at)?, out),
        _ => {
            return Err(Error::Internal(format!(
                "{}: column '{}' is not stored as {numbers:?}",
                at.path.display(),
                at.column
            )));
        }
    })
}

fn convert<V: Copy, O>(leaf: Leaf<V>, f: impl FnMut(V) -> O) -> Leaf<O> {
    Leaf {
        values: leaf.values.into_iter().map(f).collect(),
        defs: leaf.defs,
        reps: leaf.reps,
    }
}

/// Every record of the row group for this leaf.
fn read_leaf<T: DataType>(mut reader: ColumnReaderImpl<T>, at: &Place) -> Result<Leaf<T::T>> {
    let mut leaf = Leaf {
        values: Vec::new(),
        defs: Vec::new(),
        reps: Vec::new(),
    };
    // in batches: for a column without lists the reader sizes its buffers by the records asked
    // for, and the row group's count is only a claim until the data is read
    const BATCH_RECORDS: usize = 1 << 16;
    let mut records = 0;
    while records < at.rows {
        let (read, _, levels) = reader
            .read_records(
                (at.rows - records).min(BATCH_RECORDS),
                Some(&mut leaf.defs),
                Some(&mut leaf.reps),
                &mut leaf.values,
            )
            .map_err(|e| damaged(at, e))?;
        if read == 0 && levels == 0 {
            break;
        }
        records += read;
    }
    if records != at.rows {
        return Err(short(at, records));
    }
    Ok(leaf)
}

/// The error for a finite value too large for f32 in row `r` of the row group.
fn too_large(at: &Place, r: usize, v: f64) -> Error {
    at.error(format!(
        "row {} (counting from 0), column '{}' holds {v:e}, which is too large for a 32-bit \
         float; scale the column before saving",
        at.first_row + r,
        at.column
    ))
}

fn short(at: &Place, found: usize) -> Error {
    at.error(format!(
        "column '{}' holds {found} rows where its row group has {}; the file is damaged, \
         write it again",
        at.column, at.rows
    ))
}

fn damaged(at: &Place, e: parquet::errors::ParquetError) -> Error {
    at.error(format!(
        "column '{}' cannot be read ({e}); the file is damaged or uses a feature this tool \
         does not read (compression: snappy, zstd, gzip and none are read), write it again",
        at.column
    ))
}
