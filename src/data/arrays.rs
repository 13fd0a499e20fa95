//! What the shape of an array (NPY, NPZ, IDX) makes of it, shared by those loaders: 2-D is
//! samples × features, 3-D `(n, h, w)` and grey 4-D `(n, h, w, 1)` / `(n, 1, h, w)` are
//! images, 1-D is labels. Also the checks every array gets: finite values, labels that fit.

use std::path::Path;

use ndarray::{Array2, ArrayD, IxDyn, ShapeBuilder};

use super::dataset::{Dataset, Labels};
use super::elements::Decoded;
use super::labels::labels_from_ints;
use crate::error::{Error, Result};

/// How the rows of a data array are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Samples × features, named `col0`, `col1`, ….
    Table { rows: usize, cols: usize },
    /// `rows` images of `height` × `width` pixels, named `px_{r}_{c}`.
    Images {
        rows: usize,
        height: usize,
        width: usize,
    },
}

impl Layout {
    fn rows_cols(self) -> (usize, usize) {
        match self {
            Layout::Table { rows, cols } => (rows, cols),
            Layout::Images {
                rows,
                height,
                width,
            } => (rows, height * width),
        }
    }
}

/// The layout of a data array of this shape, or a message saying why it cannot be data.
pub(crate) fn data_layout(shape: &[usize]) -> std::result::Result<Layout, String> {
    if shape.len() >= 2 && shape.contains(&0) {
        return Err(format!(
            "the array has shape {} and so no values; save a non-empty samples × features array",
            shape_text(shape)
        ));
    }
    match *shape {
        [rows, cols] => Ok(Layout::Table { rows, cols }),
        [rows, height, width] | [rows, height, width, 1] | [rows, 1, height, width] => {
            Ok(Layout::Images {
                rows,
                height,
                width,
            })
        }
        [_, _, _, channels @ (3 | 4)] | [_, channels @ (3 | 4), _, _] => Err(format!(
            "the array has shape {}: colour images ({channels} channels) are not read; make \
             them grey first (e.g. x.mean(axis=-1) for channels last), or flatten each image \
             to one row (x.reshape(len(x), -1))",
            shape_text(shape)
        )),
        [_] => Err(format!(
            "expected a 2-D array (samples × features) or 3-D images, found {}; a 1-D array \
             looks like labels: give it as the labels file (--labels) and the data separately",
            describe_shape(shape)
        )),
        _ => Err(format!(
            "expected a 2-D array (samples × features) or 3-D images (n, height, width), found \
             {}; reshape it before saving, e.g. numpy.save(path, x.reshape(len(x), -1))",
            describe_shape(shape)
        )),
    }
}

/// A dataset named `name` from decoded `values` of an array of `shape` read as `layout`
/// (`fortran_order`: stored column-major). Non-finite values are an error naming the row and
/// column.
pub(crate) fn dataset_from_values(
    path: &Path,
    name: String,
    shape: &[usize],
    fortran_order: bool,
    layout: Layout,
    decoded: Decoded,
) -> Result<Dataset> {
    let records = records(path, shape, fortran_order, layout, decoded)?;
    let feature_names = match layout {
        Layout::Table { cols, .. } => (0..cols).map(|j| format!("col{j}")).collect(),
        Layout::Images { height, width, .. } => (0..height)
            .flat_map(|r| (0..width).map(move |c| format!("px_{r}_{c}")))
            .collect(),
    };
    let mut dataset = Dataset::new(name, records, None, feature_names);
    if let Layout::Images { height, width, .. } = layout {
        dataset.image_shape = Some((height, width));
    }
    Ok(dataset)
}

/// The values as a row-major `rows × cols` matrix, every value finite.
pub(crate) fn records(
    path: &Path,
    shape: &[usize],
    fortran_order: bool,
    layout: Layout,
    decoded: Decoded,
) -> Result<Array2<f32>> {
    let (rows, cols) = layout.rows_cols();
    let internal = |e: ndarray::ShapeError| {
        Error::Internal(format!(
            "{}: shape {}: {e}",
            path.display(),
            shape_text(shape)
        ))
    };
    let Decoded {
        values,
        first_overflow,
    } = decoded;
    let values = if fortran_order && shape.len() > 1 {
        let a = ArrayD::from_shape_vec(IxDyn(shape).f(), values).map_err(internal)?;
        a.as_standard_layout()
            .into_owned()
            .into_raw_vec_and_offset()
            .0
    } else {
        values
    };
    let records = Array2::from_shape_vec((rows, cols), values).map_err(internal)?;
    let Some(at) = records.iter().position(|v| !v.is_finite()) else {
        return Ok(records);
    };
    let overflow = first_overflow
        .map(|(stored, v)| (row_major_index(shape, fortran_order, stored), v))
        .filter(|&(index, _)| index == at);
    let what = match overflow {
        Some((_, v)) => format!("{v:e}, which is too large for a 32-bit float"),
        None => describe_non_finite(records.as_slice().map_or(f32::NAN, |s| s[at])),
    };
    Err(non_finite_error(path, at / cols, at % cols, &what))
}

/// The row-major position of the value stored at `stored` in an array of `shape`.
fn row_major_index(shape: &[usize], fortran_order: bool, stored: usize) -> usize {
    if !fortran_order {
        return stored;
    }
    let (mut rest, mut index, mut stride) = (stored, 0, 1);
    let mut strides = vec![0; shape.len()];
    for k in (0..shape.len()).rev() {
        strides[k] = stride;
        stride *= shape[k];
    }
    for (k, &d) in shape.iter().enumerate() {
        index += (rest % d.max(1)) * strides[k];
        rest /= d.max(1);
    }
    index
}

/// The error for a value that is not a finite number.
pub(crate) fn non_finite_error(path: &Path, row: usize, col: usize, what: &str) -> Error {
    Error::bad_file(
        path,
        format!(
            "row {row}, column {col} (counting from 0) holds {what}; every value must be a \
             finite number: fill or drop missing values before saving (e.g. numpy.nan_to_num)"
        ),
    )
}

/// "NaN (a missing value)" or "inf (an infinite value)".
pub(crate) fn describe_non_finite(v: f32) -> String {
    if v.is_nan() {
        "NaN (a missing value)".to_string()
    } else {
        format!("{v} (an infinite value)")
    }
}

/// The message when a labels array does not have one label per row.
pub(crate) fn labels_shape_problem(shape: &[usize]) -> Option<String> {
    match shape {
        [_] | [_, 1] => None,
        _ => Some(format!(
            "labels must be a 1-D array (or shape (n, 1)), but this one is {}; save one label \
             per row, e.g. numpy.save(path, labels.ravel())",
            describe_shape(shape)
        )),
    }
}

/// Labels from the values of a 1-D array: integers are classes when few (see
/// [`labels_from_ints`]), floats a continuous label; NaN or infinite labels are an error.
pub(crate) fn labels_from_values(path: &Path, values: &[f64], integers: bool) -> Result<Labels> {
    if integers {
        let ints: Vec<i64> = values.iter().map(|&v| v as i64).collect();
        return Ok(labels_from_ints(&ints));
    }
    let mut out = Vec::with_capacity(values.len());
    for (i, &orig) in values.iter().enumerate() {
        let v = orig as f32;
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
pub(crate) fn describe_shape(shape: &[usize]) -> String {
    match shape.len() {
        0 => "a 0-D array (a single value)".to_string(),
        n => format!("a {n}-D array of shape {}", shape_text(shape)),
    }
}

/// A shape written as Python does: `(5,)`, `(2, 3, 4)`.
pub(crate) fn shape_text(shape: &[usize]) -> String {
    match shape {
        [one] => format!("({one},)"),
        _ => {
            let parts: Vec<String> = shape.iter().map(usize::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// Bytes of `shape` elements of `size` bytes, or `None` when that overflows.
pub(crate) fn byte_count(shape: &[usize], size: usize) -> Option<u64> {
    shape
        .iter()
        .try_fold(size as u64, |acc, &d| acc.checked_mul(d as u64))
}

/// The file name for display (`x.npy`), or the whole path when it has none.
pub(crate) fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_make_tables_images_or_messages() {
        assert_eq!(data_layout(&[4, 3]), Ok(Layout::Table { rows: 4, cols: 3 }));
        let images = Ok(Layout::Images {
            rows: 5,
            height: 2,
            width: 3,
        });
        assert_eq!(data_layout(&[5, 2, 3]), images);
        assert_eq!(data_layout(&[5, 2, 3, 1]), images);
        assert_eq!(data_layout(&[5, 1, 2, 3]), images);
        assert!(data_layout(&[5, 2, 3, 3]).unwrap_err().contains("colour"));
        assert!(data_layout(&[5]).unwrap_err().contains("--labels"));
        assert!(data_layout(&[0, 3]).unwrap_err().contains("(0, 3)"));
        assert!(data_layout(&[2, 2, 2, 2, 2]).unwrap_err().contains("5-D"));
    }

    #[test]
    fn fortran_positions_map_to_row_major() {
        // shape (2, 3) column-major: storage 0..6 holds (0,0) (1,0) (0,1) (1,1) (0,2) (1,2)
        let got: Vec<usize> = (0..6).map(|s| row_major_index(&[2, 3], true, s)).collect();
        assert_eq!(got, [0, 3, 1, 4, 2, 5]);
        assert_eq!(row_major_index(&[2, 3], false, 4), 4);
    }

    #[test]
    fn sizes_overflow_to_none() {
        assert_eq!(byte_count(&[2, 3], 4), Some(24));
        assert_eq!(byte_count(&[usize::MAX, 3], 4), None);
    }
}
