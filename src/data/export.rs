//! Writing a matrix (and labels) to a `.npy` or `.csv` file that NumPy and pandas read back:
//! the files the peer benchmarks and notebooks load, in the same shapes our loaders accept.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use ndarray::ArrayView2;
use ndarray_npy::WriteNpyExt;

use crate::error::{Error, Result};

/// Writes `x` as a little-endian f32 `.npy` file.
///
/// # Errors
/// [`Error::Write`] when the file cannot be created or written.
pub fn write_npy(path: &Path, x: ArrayView2<'_, f32>) -> Result<()> {
    let file = File::create(path).map_err(|e| write_error(path, e))?;
    x.write_npy(BufWriter::new(file))
        .map_err(|e| write_error(path, std::io::Error::other(e)))
}

/// How [`write_csv`] prints numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvNumbers {
    /// Rounded to integers (pixels 0–255).
    Integers,
    /// With this many decimals, always printed (`0.0000`).
    Decimals(usize),
}

/// Writes a header (`label` first when `labels` are given, then `names`) and one row per row of
/// `x`, comma-separated.
///
/// # Errors
/// [`Error::InvalidInput`] when the lengths disagree; [`Error::Write`] on a write failure.
pub fn write_csv(
    path: &Path,
    x: ArrayView2<'_, f32>,
    labels: Option<&[String]>,
    names: &[String],
    numbers: CsvNumbers,
) -> Result<()> {
    if names.len() != x.ncols() || labels.is_some_and(|l| l.len() != x.nrows()) {
        return Err(Error::InvalidInput(format!(
            "cannot write {}: {} names and {} labels for a {}×{} matrix",
            path.display(),
            names.len(),
            labels.map_or(0, <[String]>::len),
            x.nrows(),
            x.ncols()
        )));
    }
    let file = File::create(path).map_err(|e| write_error(path, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut line = String::new();
    let mut header: Vec<&str> = Vec::with_capacity(names.len() + 1);
    if labels.is_some() {
        header.push("label");
    }
    header.extend(names.iter().map(String::as_str));
    line.push_str(&header.join(","));
    line.push('\n');
    for (i, row) in x.rows().into_iter().enumerate() {
        let mut first = true;
        if let Some(labels) = labels {
            line.push_str(&labels[i]);
            first = false;
        }
        for &v in row {
            if !first {
                line.push(',');
            }
            first = false;
            push_number(&mut line, v, numbers);
        }
        line.push('\n');
        if line.len() > 1 << 16 {
            out.write_all(line.as_bytes())
                .map_err(|e| write_error(path, e))?;
            line.clear();
        }
    }
    out.write_all(line.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| write_error(path, e))
}

fn push_number(line: &mut String, v: f32, numbers: CsvNumbers) {
    use std::fmt::Write as _;
    // Writing into a String cannot fail.
    let _ = match numbers {
        CsvNumbers::Integers => write!(line, "{}", v.round() as i64),
        CsvNumbers::Decimals(d) => write!(line, "{v:.d$}"),
    };
}

fn write_error(path: &Path, source: std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{CsvOptions, load_builtin};
    use crate::data::{csv::load_csv, npy::load_npy};

    #[test]
    fn csv_and_npy_round_trip_through_our_loaders() {
        let dir = tempfile::tempdir().unwrap();
        let iris = load_builtin("iris").unwrap();
        let labels: Vec<String> = (0..iris.n_samples())
            .map(|i| iris.labels.as_ref().unwrap().display(i))
            .collect();
        let csv = dir.path().join("iris.csv");
        write_csv(
            &csv,
            iris.records.view(),
            Some(&labels),
            &iris.feature_names,
            CsvNumbers::Decimals(4),
        )
        .unwrap();
        let back = load_csv(&csv, &CsvOptions::default()).unwrap();
        assert_eq!(back.records.dim(), iris.records.dim());
        let err = (&back.records - &iris.records)
            .iter()
            .fold(0f32, |m, v| m.max(v.abs()));
        assert!(err <= 5e-5, "max error {err}");
        assert_eq!(back.n_classes(), Some(3));
        let text = std::fs::read_to_string(&csv).unwrap();
        assert!(text.starts_with("label,"), "{}", &text[..40]);

        let npy = dir.path().join("iris.npy");
        write_npy(&npy, iris.records.view()).unwrap();
        let back = load_npy(&npy).unwrap();
        assert_eq!(back.records, iris.records);
    }

    #[test]
    fn integers_are_rounded_and_lengths_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.csv");
        let x = ndarray::array![[0.4f32, 254.6], [3.0, 0.0]];
        let names = vec!["a".to_string(), "b".to_string()];
        write_csv(&path, x.view(), None, &names, CsvNumbers::Integers).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n0,255\n3,0\n");
        let err = write_csv(&path, x.view(), None, &names[..1], CsvNumbers::Integers);
        assert!(err.unwrap_err().to_string().contains("1 names"));
    }
}
