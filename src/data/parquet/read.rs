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
    let data = number_leaf(rg, leaf, numbers, at)?;
    let mut values = Vec::with_capacity(at.rows);
    let mut next = data.values.iter();
    let max_def = rg.metadata().column(leaf).column_descr().max_def_level();
    for r in 0..at.rows {
        let present = data.defs.get(r).is_none_or(|&d| d >= max_def);
        let v = if present {
            next.next().copied().unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        values.push(to_f32(v, r, at)?);
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
    let data = number_leaf(rg, leaf, numbers, at)?;
    // each record: None for a null list, else (start, length) in `elements`
    let mut records: Vec<Option<(usize, usize)>> = Vec::with_capacity(at.rows);
    let mut elements: Vec<f32> = Vec::new();
    let mut next = data.values.iter();
    for (i, &def) in data.defs.iter().enumerate() {
        if data.reps.get(i).is_none_or(|&r| r == 0) {
            records.push((def >= levels.null_below).then_some((elements.len(), 0)));
        }
        if def < levels.empty_below {
            continue; // a null or empty list
        }
        let v = if def >= levels.max_def {
            next.next().copied().unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        elements.push(to_f32(v, records.len().saturating_sub(1), at)?);
        if let Some(Some((_, len))) = records.last_mut() {
            *len += 1;
        }
    }
    if records.len() != at.rows {
        return Err(short(at, records.len()));
    }
    if width.is_none() {
        *width = records
            .iter()
            .enumerate()
            .find_map(|(r, s)| s.map(|(_, len)| (len, at.first_row + r)));
    }
    let Some((w, first)) = *width else {
        return Ok(Block {
            values: vec![f32::NAN; at.rows],
            width: 1,
        });
    };
    let mut values = Vec::with_capacity(at.rows.saturating_mul(w));
    for (r, record) in records.iter().enumerate() {
        let Some((start, len)) = *record else {
            values.extend(std::iter::repeat_n(f32::NAN, w));
            continue;
        };
        let row = at.first_row + r;
        if len == 0 {
            return Err(at.error(format!(
                "list column '{}' holds an empty list in row {row} (counting from 0); every \
                 row needs the same number of values, at least one",
                at.column
            )));
        }
        if len != w {
            return Err(at.error(format!(
                "list column '{}' holds {len} values in row {row} but {w} in row {first} \
                 (counting from 0); every row needs the same number of values: pad or cut \
                 the lists before saving",
                at.column
            )));
        }
        values.extend_from_slice(&elements[start..start + len]);
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
        let data = number_leaf(rg, leaf, numbers, at)?;
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

/// The leaf's values as numbers.
fn number_leaf(
    rg: &dyn RowGroupReader,
    leaf: usize,
    numbers: Numbers,
    at: &Place,
) -> Result<Leaf<f64>> {
    let reader = rg.get_column_reader(leaf).map_err(|e| damaged(at, e))?;
    let scaled = |v: f64, scale: i32| {
        if scale == 0 { v } else { v / 10f64.powi(scale) }
    };
    Ok(match (reader, numbers) {
        (ColumnReader::BoolColumnReader(r), Numbers::Bool) => {
            convert(read_leaf(r, at)?, |b| f64::from(u8::from(b)))
        }
        (ColumnReader::Int32ColumnReader(r), Numbers::Int32 { unsigned, scale }) => {
            convert(read_leaf(r, at)?, |v| {
                let v = if unsigned {
                    f64::from(v as u32)
                } else {
                    f64::from(v)
                };
                scaled(v, scale)
            })
        }
        (ColumnReader::Int64ColumnReader(r), Numbers::Int64 { unsigned, scale }) => {
            convert(read_leaf(r, at)?, |v| {
                let v = if unsigned { v as u64 as f64 } else { v as f64 };
                scaled(v, scale)
            })
        }
        (ColumnReader::FloatColumnReader(r), Numbers::Float) => {
            convert(read_leaf(r, at)?, f64::from)
        }
        (ColumnReader::DoubleColumnReader(r), Numbers::Double) => convert(read_leaf(r, at)?, |v| v),
        _ => {
            return Err(Error::Internal(format!(
                "{}: column '{}' is not stored as {numbers:?}",
                at.path.display(),
                at.column
            )));
        }
    })
}

fn convert<V: Copy>(leaf: Leaf<V>, f: impl Fn(V) -> f64) -> Leaf<f64> {
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
    let mut records = 0;
    while records < at.rows {
        let (read, _, levels) = reader
            .read_records(
                at.rows - records,
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

/// A value as f32; a finite value too large for f32 is an error naming the row.
fn to_f32(v: f64, r: usize, at: &Place) -> Result<f32> {
    let x = v as f32;
    if v.is_finite() && !x.is_finite() {
        return Err(at.error(format!(
            "row {} (counting from 0), column '{}' holds {v:e}, which is too large for a \
             32-bit float; scale the column before saving",
            at.first_row + r,
            at.column
        )));
    }
    Ok(x)
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
