//! Column scaling (standardize / min-max), fitted on the training rows only and applied to all rows.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How columns are scaled before fitting a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preprocess {
    /// Zero mean, unit population standard deviation (ddof = 0).
    #[default]
    Standardize,
    /// Each column mapped to [0, 1] by its training min and max.
    Minmax,
    /// Data used as given.
    None,
}

impl Preprocess {
    /// The name used on the command line and in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Preprocess::Standardize => "standardize",
            Preprocess::Minmax => "minmax",
            Preprocess::None => "none",
        }
    }
}

impl fmt::Display for Preprocess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Preprocess {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "standardize" | "standard" => Ok(Preprocess::Standardize),
            "minmax" | "min-max" => Ok(Preprocess::Minmax),
            "none" => Ok(Preprocess::None),
            other => Err(format!(
                "unknown preprocessing '{other}'; use standardize, minmax or none"
            )),
        }
    }
}

/// A fitted per-column affine map `x ↦ (x − offset) · factor`.
#[derive(Debug, Clone, PartialEq)]
pub struct Scaler {
    /// The kind that was fitted.
    pub kind: Preprocess,
    offset: Vec<f64>,
    factor: Vec<f64>,
    /// Columns that were constant on the training rows (they map to 0 there).
    pub constant_columns: Vec<usize>,
}

impl Scaler {
    /// Fits the scaler on the given rows of `x` (all rows when `rows` is empty is *not* implied:
    /// pass every index to use every row). Sums are taken in f64.
    pub fn fit(kind: Preprocess, x: ArrayView2<f32>, rows: &[usize]) -> Scaler {
        let d = x.ncols();
        let mut offset = vec![0.0; d];
        let mut factor = vec![1.0; d];
        let mut constant_columns = Vec::new();
        if kind == Preprocess::None || rows.is_empty() {
            return Scaler {
                kind,
                offset,
                factor,
                constant_columns,
            };
        }
        // Row by row along memory (a column's values lie a row apart: walking columns read the
        // whole matrix once per column), each column's values summed in the rows' order.
        let picked = || rows.iter().map(|&r| x.row(r));
        match kind {
            Preprocess::Standardize => {
                let n = rows.len() as f64;
                let mut sums = vec![0.0f64; d];
                for row in picked() {
                    for (s, &v) in sums.iter_mut().zip(row) {
                        *s += f64::from(v);
                    }
                }
                let means: Vec<f64> = sums.iter().map(|s| s / n).collect();
                let mut squares = vec![0.0f64; d];
                for row in picked() {
                    for ((s, &v), m) in squares.iter_mut().zip(row).zip(&means) {
                        let c = f64::from(v) - m;
                        *s += c * c;
                    }
                }
                for (j, (mean, sq)) in means.iter().zip(&squares).enumerate() {
                    let var = sq / n;
                    offset[j] = *mean;
                    if var > 0.0 {
                        factor[j] = 1.0 / var.sqrt();
                    } else {
                        constant_columns.push(j);
                    }
                }
            }
            Preprocess::Minmax => {
                let mut lo = vec![f64::INFINITY; d];
                let mut hi = vec![f64::NEG_INFINITY; d];
                for row in picked() {
                    for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row) {
                        let v = f64::from(v);
                        (*l, *h) = (l.min(v), h.max(v));
                    }
                }
                for (j, (l, h)) in lo.iter().zip(&hi).enumerate() {
                    offset[j] = *l;
                    if h > l {
                        factor[j] = 1.0 / (h - l);
                    } else {
                        constant_columns.push(j);
                    }
                }
            }
            Preprocess::None => {}
        }
        Scaler {
            kind,
            offset,
            factor,
            constant_columns,
        }
    }

    /// Applies the map to every row of `x`.
    pub fn transform(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.map_columns(x, |v, offset, factor| (v - offset) * factor)
    }

    /// Maps scaled rows back to the original units (`x ↦ x / factor + offset`), e.g. a decoder's
    /// output. A column that was constant on the training rows comes back as that constant when
    /// its scaled value is 0.
    pub fn inverse_transform(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.map_columns(x, |v, offset, factor| v / factor + offset)
    }

    /// `f(value, offset, factor)` in f64 on every entry (a copy of `x` when not scaling).
    fn map_columns(&self, x: ArrayView2<f32>, f: impl Fn(f64, f64, f64) -> f64) -> Array2<f32> {
        let mut out = x.to_owned();
        if self.kind == Preprocess::None {
            return out;
        }
        for mut row in out.rows_mut() {
            for ((v, &o), &k) in row.iter_mut().zip(&self.offset).zip(&self.factor) {
                *v = f(f64::from(*v), o, k) as f32;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn standardize_uses_population_std_and_training_rows_only() {
        let x = array![[1.0f32, 5.0], [3.0, 5.0], [100.0, 7.0]];
        let s = Scaler::fit(Preprocess::Standardize, x.view(), &[0, 1]);
        let z = s.transform(x.view());
        assert_eq!(z[[0, 0]], -1.0);
        assert_eq!(z[[1, 0]], 1.0);
        assert_eq!(z[[2, 0]], 98.0);
        // column 1 is constant on the training rows: 0 there, reported
        assert_eq!(s.constant_columns, vec![1]);
        assert_eq!(z[[0, 1]], 0.0);
        assert_eq!(z[[2, 1]], 2.0);
    }

    #[test]
    fn each_column_is_summed_in_the_rows_order_as_a_column_walk_would() {
        // the row-wise pass gives the bits of the plain two-pass formula per column
        let x = Array2::from_shape_fn((57, 9), |(i, j)| ((i * 31 + j * 17) % 23) as f32 / 7.0);
        let rows: Vec<usize> = (0..57).rev().step_by(2).collect();
        let s = Scaler::fit(Preprocess::Standardize, x.view(), &rows);
        for (j, col) in x.columns().into_iter().enumerate() {
            let n = rows.len() as f64;
            let mean = rows.iter().map(|&r| f64::from(col[r])).sum::<f64>() / n;
            let var = rows
                .iter()
                .map(|&r| (f64::from(col[r]) - mean).powi(2))
                .sum::<f64>()
                / n;
            assert_eq!((s.offset[j], s.factor[j]), (mean, 1.0 / var.sqrt()));
        }
        let m = Scaler::fit(Preprocess::Minmax, x.view(), &rows);
        let lo = rows
            .iter()
            .map(|&r| f64::from(x[[r, 4]]))
            .fold(f64::INFINITY, f64::min);
        assert_eq!(m.offset[4], lo);
    }

    #[test]
    fn minmax_maps_training_range_to_unit_interval() {
        let x = array![[2.0f32], [4.0], [6.0]];
        let s = Scaler::fit(Preprocess::Minmax, x.view(), &[0, 1, 2]);
        assert_eq!(s.transform(x.view()), array![[0.0f32], [0.5], [1.0]]);
    }

    #[test]
    fn inverse_transform_undoes_transform() {
        let x = array![[1.0f32, 5.0, -2.0], [3.0, 5.0, 0.5], [100.0, 7.0, 4.0]];
        for kind in [
            Preprocess::Standardize,
            Preprocess::Minmax,
            Preprocess::None,
        ] {
            let s = Scaler::fit(kind, x.view(), &[0, 1, 2]);
            let back = s.inverse_transform(s.transform(x.view()).view());
            for (a, b) in back.iter().zip(x.iter()) {
                assert!(
                    (a - b).abs() <= 1e-4 * b.abs().max(1.0),
                    "{kind}: {a} vs {b}"
                );
            }
        }
        // a column constant on the training rows: scaled 0 is that constant
        let s = Scaler::fit(Preprocess::Standardize, x.view(), &[0, 1]);
        assert_eq!(
            s.inverse_transform(array![[0.0f32, 0.0, 0.0]].view())[[0, 1]],
            5.0
        );
        // minmax: 0 and 1 are the training min and max
        let s = Scaler::fit(Preprocess::Minmax, x.view(), &[0, 1, 2]);
        assert_eq!(
            s.inverse_transform(array![[0.0f32, 0.0, 0.0], [1.0, 1.0, 1.0]].view()),
            array![[1.0f32, 5.0, -2.0], [100.0, 7.0, 4.0]]
        );
    }

    #[test]
    fn none_is_identity_and_names_parse() {
        let x = array![[2.0f32, -1.0]];
        let s = Scaler::fit(Preprocess::None, x.view(), &[0]);
        assert_eq!(s.transform(x.view()), x);
        assert_eq!("MinMax".parse::<Preprocess>(), Ok(Preprocess::Minmax));
        assert!(
            "zscore"
                .parse::<Preprocess>()
                .unwrap_err()
                .contains("standardize")
        );
    }
}
