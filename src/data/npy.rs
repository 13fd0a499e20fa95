//! Loading NumPy `.npy` arrays (datasets, label vectors, precomputed latents), and the labels
//! and matrix files of every format.
//!
//! Supported dtypes: float32, float64 and the 8- to 64-bit integers, either byte order, C or
//! Fortran order; everything is converted to f32. A 2-D array is samples × features, a 3-D
//! one `(n, h, w)` (or grey 4-D) is images. The header is checked first, so a wrong dtype or
//! rank, or a truncated file, is reported with what was found before anything is allocated.

mod header;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use ndarray::Array2;

use super::arrays::{
    byte_count, data_layout, dataset_from_values, describe_shape, display_name, labels_from_values,
    labels_shape_problem, records, shape_text,
};
use super::csv::{read_label_column, read_numeric_matrix};
use super::dataset::{Dataset, Labels};
use super::elements::{self, Element};
use super::format::Format;
use super::{idx, npz, parquet};
use crate::error::{Error, Result};
use header::MAGIC;
pub(crate) use header::{NpyHeader, read_header};

/// An array's header, checked: a dtype that can be loaded and a shape whose data fills the
/// bytes after the header exactly.
#[derive(Debug, Clone)]
pub(crate) struct ArrayInfo {
    /// The stored element type.
    pub element: Element,
    /// The array's shape.
    pub shape: Vec<usize>,
    /// Stored column-major.
    pub fortran_order: bool,
    /// Number of elements.
    pub count: usize,
}

/// Loads a `.npy` array as a dataset without labels: 2-D as samples × features (named `col0`,
/// `col1`, ...), 3-D `(n, h, w)` as images. NaN or infinite values are an error naming the row
/// and column.
pub fn load_npy(path: &Path) -> Result<Dataset> {
    let (info, layout, mut reader) = open_npy(path, data_layout)?;
    let decoded = elements::read_f32(&mut reader, info.element, info.count, info.count)
        .map_err(|source| Error::io(path, source))?;
    dataset_from_values(
        path,
        display_name(path),
        &info.shape,
        info.fortran_order,
        layout,
        decoded,
    )
}

/// Loads a label file with one label per data row; `expected_rows` is the number of data rows
/// in the data file (before rows with missing values were dropped).
///
/// A `.npy` file, an IDX file (plain or gzip) or an array of an `.npz` archive holds a 1-D (or
/// n×1) array: integers are read as classes (when few distinct values) and floats as a
/// continuous label. A Parquet file's label column is read like a table's. Any other file is a
/// one-column CSV file with an optional header, read like a CSV label column.
pub fn load_labels_file(path: &Path, expected_rows: usize) -> Result<Labels> {
    let (labels, found) = match Format::of(path)? {
        Format::Csv => return read_label_column(path, expected_rows),
        Format::Idx => idx::load_idx_labels(path)?,
        Format::Npz => npz::load_npz_labels(path)?,
        Format::Parquet => parquet::load_parquet_labels(path)?,
        Format::Npy => {
            let (info, (), mut reader) =
                open_npy(path, |shape| match labels_shape_problem(shape) {
                    Some(problem) => Err(problem),
                    None => Ok(()),
                })?;
            let values = elements::read_f64(&mut reader, info.element, info.count, info.count)
                .map_err(|source| Error::io(path, source))?;
            let labels = labels_from_values(path, &values, info.element.is_integer())?;
            (labels, info.shape.first().copied().unwrap_or(0))
        }
    };
    if found != expected_rows {
        return Err(super::csv::count_mismatch(path, found, expected_rows));
    }
    Ok(labels)
}

/// Loads a purely numeric matrix (e.g. precomputed latents): a 2-D `.npy` array, or a CSV file
/// of numbers with an optional header (no missing values allowed).
pub fn load_matrix(path: &Path) -> Result<Array2<f32>> {
    super::bounded::check_readable_file(path)?;
    if !is_npy(path)? {
        return read_numeric_matrix(path);
    }
    let (info, layout, mut reader) = open_npy(path, |shape| match shape {
        [_, _] => data_layout(shape),
        _ => Err(format!(
            "expected a 2-D array (samples × features), found {}; reshape it to 2-D before \
             saving, e.g. numpy.save(path, x.reshape(len(x), -1))",
            describe_shape(shape)
        )),
    })?;
    let decoded = elements::read_f32(&mut reader, info.element, info.count, info.count)
        .map_err(|source| Error::io(path, source))?;
    records(path, &info.shape, info.fortran_order, layout, decoded)
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
    let file = File::open(path).map_err(|source| Error::io(path, source))?;
    file.take(MAGIC.len() as u64)
        .read_to_end(&mut start)
        .map_err(|source| Error::io(path, source))?;
    Ok(start == MAGIC)
}

/// Opens a `.npy` file and checks its header: dtype, a shape that `check_shape` accepts, and
/// exactly as many data bytes as the shape needs. The reader is left at the first value.
fn open_npy<T>(
    path: &Path,
    check_shape: impl FnOnce(&[usize]) -> std::result::Result<T, String>,
) -> Result<(ArrayInfo, T, impl Read)> {
    let bad = |msg: String| Error::bad_file(path, msg);
    let (file, file_len) = super::bounded::open_sized(path)?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let header = read_header(&mut reader, file_len).map_err(bad)?;
    let data_len = file_len.saturating_sub(header.data_offset);
    let (info, checked) = check_array(header, data_len, check_shape).map_err(bad)?;
    Ok((info, checked, reader))
}

/// Checks a header against `data_len` bytes of data after it: a dtype that can be loaded, a
/// shape `check_shape` accepts, then the size. The error is a message for the user.
pub(crate) fn check_array<T>(
    header: NpyHeader,
    data_len: u64,
    check_shape: impl FnOnce(&[usize]) -> std::result::Result<T, String>,
) -> std::result::Result<(ArrayInfo, T), String> {
    let element = header.dtype.map_err(|found| {
        format!(
            "found dtype {found}, which cannot be loaded; save the array as float32 or float64 \
             (e.g. numpy.save(path, x.astype('float32'))); integer types work too"
        )
    })?;
    let checked = check_shape(&header.shape)?;
    let shape = header.shape;
    let too_large = || format!("the shape {} is too large", shape_text(&shape));
    let expected = byte_count(&shape, element.size()).ok_or_else(too_large)?;
    let count = usize::try_from(expected / element.size() as u64).map_err(|_| too_large())?;
    if data_len < expected {
        return Err(format!(
            "the data ends early: expected {expected} bytes of data for shape {}, found \
             {data_len}; the file is truncated, save it again",
            shape_text(&shape)
        ));
    }
    if data_len > expected {
        return Err(format!(
            "there are {} bytes after the data of shape {}; the file is corrupt, save it again",
            data_len - expected,
            shape_text(&shape)
        ));
    }
    let info = ArrayInfo {
        element,
        shape,
        fortran_order: header.fortran_order,
        count,
    };
    Ok((info, checked))
}
