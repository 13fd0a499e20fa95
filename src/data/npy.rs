//! Loading NumPy `.npy` arrays (datasets, label vectors, precomputed latents) and the plain-CSV
//! equivalents of label and latent files.
//!
//! Supported dtypes: float32, float64, int32, int64 and uint8, either byte order, C or Fortran
//! order; everything is converted to f32. The header is checked first, so a wrong dtype or
//! rank, or a truncated file, is reported with what was found.

mod header;

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use ndarray::{Array2, ArrayD, Ix2};
use ndarray_npy::{ReadNpyError, ReadNpyExt};

use super::csv::{read_label_column, read_numeric_matrix};
use super::dataset::{Dataset, Labels};
use super::labels::labels_from_ints;
use crate::error::{Error, Result};
use header::{Dtype, MAGIC, read_header, shape_text};

/// A whole array as stored.
enum NpyData {
    F32(ArrayD<f32>),
    F64(ArrayD<f64>),
    I32(ArrayD<i32>),
    I64(ArrayD<i64>),
    U8(ArrayD<u8>),
}

/// Loads a 2-D `.npy` array (samples × features) as a dataset without labels.
///
/// Features are named `col0`, `col1`, ...; NaN or infinite values are an error naming the
/// row and column.
pub fn load_npy(path: &Path) -> Result<Dataset> {
    let records = load_npy_matrix(path)?;
    let feature_names = (0..records.ncols()).map(|j| format!("col{j}")).collect();
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Dataset::new(name, records, None, feature_names))
}

/// Loads a label file with one label per data row; `expected_rows` is the number of data rows
/// in the data file (before rows with missing values were dropped).
///
/// A `.npy` file holds a 1-D (or n×1) array: integers are read as classes (when few distinct
/// values) and floats as a continuous label. Any other file is a one-column CSV file with an
/// optional header, read like a CSV label column.
pub fn load_labels_file(path: &Path, expected_rows: usize) -> Result<Labels> {
    if !is_npy(path)? {
        return read_label_column(path, expected_rows);
    }
    let (shape, data) = read_npy_file(path, |shape| match shape {
        [_] | [_, 1] => Ok(()),
        _ => Err(format!(
            "a label file must hold a 1-D array (or shape (n, 1)), but this one holds {}; \
             save one label per row, e.g. numpy.save(path, labels.ravel())",
            describe_shape(shape)
        )),
    })?;
    let found = shape.first().copied().unwrap_or(0);
    if found != expected_rows {
        return Err(super::csv::count_mismatch(path, found, expected_rows));
    }
    let ints = |v: Vec<i64>| Ok(labels_from_ints(&v));
    match data {
        NpyData::I32(a) => ints(a.iter().map(|&x| i64::from(x)).collect()),
        NpyData::I64(a) => ints(a.iter().copied().collect()),
        NpyData::U8(a) => ints(a.iter().map(|&x| i64::from(x)).collect()),
        NpyData::F32(a) => continuous(path, a.iter().map(|&x| (x, f64::from(x)))),
        NpyData::F64(a) => continuous(path, a.iter().map(|&x| (x as f32, x))),
    }
}

/// Loads a purely numeric matrix (e.g. precomputed latents): a 2-D `.npy` array, or a CSV file
/// of numbers with an optional header (no missing values allowed).
pub fn load_matrix(path: &Path) -> Result<Array2<f32>> {
    if is_npy(path)? {
        load_npy_matrix(path)
    } else {
        read_numeric_matrix(path)
    }
}

/// True for a `.npy` extension or a file starting with the `.npy` signature.
pub(crate) fn is_npy(path: &Path) -> Result<bool> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("npy"))
    {
        return Ok(true);
    }
    let mut start = Vec::with_capacity(MAGIC.len());
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    file.take(MAGIC.len() as u64)
        .read_to_end(&mut start)
        .map_err(|source| io_error(path, source))?;
    Ok(start == MAGIC)
}

/// A 2-D array converted to f32 in standard (row-major) layout, every value finite.
fn load_npy_matrix(path: &Path) -> Result<Array2<f32>> {
    let (shape, data) = read_npy_file(path, |shape| match shape {
        [rows, cols] if *rows > 0 && *cols > 0 => Ok(()),
        [_, _] => Err(format!(
            "the array has shape {} and so no values; save a non-empty samples × features array",
            shape_text(shape)
        )),
        _ => Err(format!(
            "expected a 2-D array (samples × features), found {}; reshape it to 2-D before \
             saving, e.g. numpy.save(path, x.reshape(len(x), -1))",
            describe_shape(shape)
        )),
    })?;
    let bad_shape = || Error::Internal(format!("{}: shape {}", path.display(), shape_text(&shape)));
    let records = match data {
        NpyData::F32(a) => to_2d(a, |x| x),
        NpyData::F64(a) => {
            let a = a.into_dimensionality::<Ix2>().map_err(|_| bad_shape())?;
            let too_large = |x: f64| !x.is_finite() || x.abs() > f64::from(f32::MAX);
            if let Some(((i, j), &x)) = a.indexed_iter().find(|(_, x)| too_large(**x)) {
                let what = if x.is_finite() {
                    format!("{x:e}, which is too large for a 32-bit float")
                } else {
                    describe_non_finite(x as f32)
                };
                return Err(non_finite_error(path, i, j, &what));
            }
            to_2d(a.into_dyn(), |x| x as f32)
        }
        NpyData::I32(a) => to_2d(a, |x| x as f32),
        NpyData::I64(a) => to_2d(a, |x| x as f32),
        NpyData::U8(a) => to_2d(a, f32::from),
    }
    .ok_or_else(bad_shape)?;
    if !records.iter().all(|v| v.is_finite())
        && let Some(((i, j), &v)) = records.indexed_iter().find(|(_, v)| !v.is_finite())
    {
        return Err(non_finite_error(path, i, j, &describe_non_finite(v)));
    }
    Ok(records)
}

fn non_finite_error(path: &Path, row: usize, col: usize, what: &str) -> Error {
    Error::bad_file(
        path,
        format!(
            "row {row}, column {col} (counting from 0) holds {what}; every value must be a \
             finite number: fill or drop missing values before saving (e.g. numpy.nan_to_num)"
        ),
    )
}

/// A 2-D array converted to f32 in standard (row-major) layout; no copy for C-order f32.
fn to_2d<T: Copy + 'static>(a: ArrayD<T>, f: impl Fn(T) -> f32) -> Option<Array2<f32>> {
    let a = a.into_dimensionality::<Ix2>().ok()?;
    let converted = a.mapv_into_any(f);
    Some(if converted.is_standard_layout() {
        converted
    } else {
        converted.as_standard_layout().into_owned()
    })
}

fn describe_non_finite(v: f32) -> String {
    if v.is_nan() {
        "NaN (a missing value)".to_string()
    } else {
        format!("{v} (an infinite value)")
    }
}

/// Continuous labels from (f32, original) pairs; NaN or infinite labels are an error.
fn continuous(path: &Path, values: impl Iterator<Item = (f32, f64)>) -> Result<Labels> {
    let mut out = Vec::new();
    for (i, (v, orig)) in values.enumerate() {
        if !v.is_finite() {
            let what = if orig.is_finite() {
                format!("{orig:e}, which is too large for a 32-bit float")
            } else {
                describe_non_finite(v)
            };
            return Err(Error::bad_file(
                path,
                format!("label {i} (counting from 0) is {what}; every row needs a finite label"),
            ));
        }
        out.push(v);
    }
    Ok(Labels::Continuous(out))
}

/// "a 3-D array of shape (2, 3, 4)".
fn describe_shape(shape: &[usize]) -> String {
    match shape.len() {
        0 => "a 0-D array (a single value)".to_string(),
        n => format!("a {n}-D array of shape {}", shape_text(shape)),
    }
}

/// Reads a whole `.npy` file after checking its header: supported dtype, a shape that
/// `check_shape` accepts, and exactly as many data bytes as the shape needs.
fn read_npy_file(
    path: &Path,
    check_shape: impl Fn(&[usize]) -> std::result::Result<(), String>,
) -> Result<(Vec<usize>, NpyData)> {
    let bad = |msg: String| Error::bad_file(path, msg);
    let file = File::open(path).map_err(|source| io_error(path, source))?;
    let file_len = file
        .metadata()
        .map_err(|source| io_error(path, source))?
        .len();
    let mut reader = BufReader::new(&file);
    let header = read_header(&mut reader, file_len).map_err(bad)?;
    let dtype = header.dtype.map_err(|found| {
        bad(format!(
            "found dtype {found}, which cannot be loaded; save the array as float32 or float64 \
             (e.g. numpy.save(path, x.astype('float32'))); int32, int64 and uint8 work too"
        ))
    })?;
    check_shape(&header.shape).map_err(bad)?;
    let expected = header
        .shape
        .iter()
        .try_fold(dtype.size() as u64, |acc, &d| acc.checked_mul(d as u64))
        .ok_or_else(|| {
            bad(format!(
                "the shape {} is too large",
                shape_text(&header.shape)
            ))
        })?;
    let found = file_len.saturating_sub(header.data_offset);
    if found < expected {
        return Err(bad(format!(
            "the file ends early: expected {expected} bytes of data for shape {}, found {found}; \
             the file is truncated, save it again",
            shape_text(&header.shape)
        )));
    }
    if found > expected {
        return Err(bad(format!(
            "the file has {} bytes after the data of shape {}; the file is corrupt, save it again",
            found - expected,
            shape_text(&header.shape)
        )));
    }
    drop(reader);
    let mut file = file;
    file.seek(SeekFrom::Start(0))
        .map_err(|source| io_error(path, source))?;
    let reader = BufReader::with_capacity(1 << 20, file);
    let map = |e: ReadNpyError| npy_error(path, e);
    let data = match dtype {
        Dtype::F32 => NpyData::F32(ArrayD::read_npy(reader).map_err(map)?),
        Dtype::F64 => NpyData::F64(ArrayD::read_npy(reader).map_err(map)?),
        Dtype::I32 => NpyData::I32(ArrayD::read_npy(reader).map_err(map)?),
        Dtype::I64 => NpyData::I64(ArrayD::read_npy(reader).map_err(map)?),
        Dtype::U8 => NpyData::U8(ArrayD::read_npy(reader).map_err(map)?),
    };
    Ok((header.shape, data))
}

fn npy_error(path: &Path, e: ReadNpyError) -> Error {
    match e {
        ReadNpyError::Io(source) => io_error(path, source),
        other => Error::bad_file(
            path,
            format!("the .npy file cannot be read ({other}); save the array again with numpy.save"),
        ),
    }
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io {
        path: path.to_path_buf(),
        source,
    }
}
