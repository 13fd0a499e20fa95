//! The in-memory dataset every source produces: f32 records, optional labels, names.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// Labels attached to the rows of a dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Labels {
    /// Class ids `0..names.len()` per row, with a display name per class.
    Classes {
        /// One id per row.
        ids: Vec<u32>,
        /// Class names, indexed by id.
        names: Vec<String>,
    },
    /// A continuous value per row (e.g. position along the swiss roll).
    Continuous(Vec<f32>),
}

impl Labels {
    /// Number of labelled rows.
    pub fn len(&self) -> usize {
        match self {
            Labels::Classes { ids, .. } => ids.len(),
            Labels::Continuous(v) => v.len(),
        }
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of classes, or `None` for continuous labels.
    pub fn n_classes(&self) -> Option<usize> {
        match self {
            Labels::Classes { names, .. } => Some(names.len()),
            Labels::Continuous(_) => None,
        }
    }

    /// The labels of the given rows, in that order.
    pub fn select(&self, rows: &[usize]) -> Labels {
        match self {
            Labels::Classes { ids, names } => Labels::Classes {
                ids: rows.iter().map(|&r| ids[r]).collect(),
                names: names.clone(),
            },
            Labels::Continuous(v) => Labels::Continuous(rows.iter().map(|&r| v[r]).collect()),
        }
    }

    /// The label of one row as display text (class name or number).
    pub fn display(&self, row: usize) -> String {
        match self {
            Labels::Classes { ids, names } => names
                .get(ids[row] as usize)
                .cloned()
                .unwrap_or_else(|| ids[row].to_string()),
            Labels::Continuous(v) => format!("{}", v[row]),
        }
    }

    /// The label of `row` for the screen: a class name, or a continuous value to four
    /// significant digits (`display` keeps every digit, for files).
    pub fn display_short(&self, row: usize) -> String {
        match self {
            Labels::Continuous(v) => significant(f64::from(v[row]), 4),
            Labels::Classes { .. } => self.display(row),
        }
    }
}

/// `v` to `digits` significant digits, without trailing zeros; scientific when very large or
/// small.
fn significant(v: f64, digits: i32) -> String {
    let a = v.abs();
    if !v.is_finite() || a == 0.0 {
        return format!("{v}");
    }
    if !(1e-3..1e6).contains(&a) {
        return format!("{v:.prec$e}", prec = (digits - 1) as usize);
    }
    let decimals = (digits - 1 - a.log10().floor() as i32).max(0) as usize;
    let text = format!("{v:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A dataset: `records` is n_samples × n_features.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The data, one row per sample.
    pub records: Array2<f32>,
    /// Optional labels, one per row.
    pub labels: Option<Labels>,
    /// One name per column of `records`.
    pub feature_names: Vec<String>,
    /// Display name (built-in name or file name).
    pub name: String,
    /// `(height, width)` when each row is an image (digits: `(8, 8)`).
    pub image_shape: Option<(usize, usize)>,
    /// Every column of a source table in file order (features, the label, text and left-out
    /// columns), for choosing the label and the columns to leave out; empty for arrays and
    /// built-ins.
    pub columns: Vec<String>,
    /// Things the user should know about how the data was read (dropped rows, left-out columns).
    pub notes: Vec<String>,
    /// For each row of `records`, its index among the data rows of the source before rows with
    /// missing values were dropped; used to align precomputed latents with the data.
    pub source_rows: Vec<usize>,
    /// Number of data rows in the source before dropping.
    pub source_row_count: usize,
}

impl Dataset {
    /// Builds a dataset whose rows are exactly the source's rows (nothing dropped).
    pub fn new(
        name: impl Into<String>,
        records: Array2<f32>,
        labels: Option<Labels>,
        feature_names: Vec<String>,
    ) -> Self {
        let n = records.nrows();
        Dataset {
            records,
            labels,
            feature_names,
            name: name.into(),
            image_shape: None,
            columns: Vec::new(),
            notes: Vec::new(),
            source_rows: (0..n).collect(),
            source_row_count: n,
        }
    }

    /// Number of rows.
    pub fn n_samples(&self) -> usize {
        self.records.nrows()
    }

    /// Number of columns.
    pub fn n_features(&self) -> usize {
        self.records.ncols()
    }

    /// Number of classes, if the labels are classes.
    pub fn n_classes(&self) -> Option<usize> {
        self.labels.as_ref().and_then(Labels::n_classes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuous_labels_show_four_significant_digits_on_screen() {
        let labels = Labels::Continuous(vec![8.832517, 0.000_012_5, 123_456.7, 2.0, -0.5]);
        let shown: Vec<String> = (0..5).map(|r| labels.display_short(r)).collect();
        assert_eq!(shown, ["8.833", "1.250e-5", "123457", "2", "-0.5"]);
        // files keep every digit
        assert_eq!(labels.display(0), "8.832517");
    }
}
