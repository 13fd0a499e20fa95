//! A dataset made ready for fitting: split into train/test rows and scaled by a scaler fitted on
//! the training rows only.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, Axis};

use super::dataset::Dataset;
use super::preprocess::{Preprocess, Scaler};
use super::split::{Split, train_test_split};
use crate::error::{Error, Result};
use crate::linalg::Rows;

/// The scaled data (every row, in data order) with its split.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The dataset as loaded.
    pub dataset: Arc<Dataset>,
    /// Scaled records, same rows as `dataset.records`.
    pub x: Array2<f32>,
    /// Which rows train and which test.
    pub split: Split,
    /// The fitted scaler.
    pub scaler: Scaler,
    /// The test fraction and seed that made `split`.
    pub test_fraction: f64,
    /// Seed of the split.
    pub seed: u64,
    /// Why the scaling may not suit this data (standardized values far out), for the user.
    pub scaling_note: Option<String>,
}

/// Standardized values beyond this many standard deviations make a column "far out".
const FAR_OUT_SD: f32 = 50.0;

/// A note when standardizing put training values more than [`FAR_OUT_SD`] standard deviations
/// out: columns that are nearly always one value (an image's border pixels) then dominate the
/// loss and the distances.
fn far_out_note(x: ArrayView2<'_, f32>, train: &[usize]) -> Option<String> {
    let mut largest = vec![0f32; x.ncols()];
    for &r in train {
        for (m, v) in largest.iter_mut().zip(x.row(r)) {
            *m = m.max(v.abs());
        }
    }
    let far = largest.iter().filter(|&&m| m > FAR_OUT_SD).count();
    let top = largest.iter().copied().fold(0f32, f32::max);
    (far > 0).then(|| {
        format!(
            "standardizing puts values up to {top:.0} standard deviations out ({far} of {} \
             columns beyond {FAR_OUT_SD:.0}): columns that are nearly always one value, like \
             the border pixels of images; they dominate the loss and the distances, and minmax \
             scaling (Preprocess: minmax; --preprocess minmax) suits such data better",
            x.ncols()
        )
    })
}

/// True when each column has a single value over `rows` (NaN never occurs: loaders refuse it).
fn every_column_constant(x: ArrayView2<'_, f32>, rows: &[usize]) -> bool {
    let Some(&first) = rows.first() else {
        return false;
    };
    let first = x.row(first);
    rows.iter()
        .all(|&r| x.row(r).iter().zip(first.iter()).all(|(a, b)| a == b))
}

impl Prepared {
    /// Splits `dataset` and scales it with a scaler fitted on the training rows.
    pub fn new(
        dataset: Arc<Dataset>,
        preprocess: Preprocess,
        test_fraction: f64,
        seed: u64,
    ) -> Result<Prepared> {
        let n = dataset.n_samples();
        if n < 3 {
            return Err(Error::InvalidInput(format!(
                "{}: only {n} row{}; at least 3 are needed",
                dataset.name,
                if n == 1 { "" } else { "s" }
            )));
        }
        if dataset.n_features() == 0 {
            return Err(Error::InvalidInput(format!(
                "{}: no numeric columns to embed",
                dataset.name
            )));
        }
        let split = train_test_split(n, dataset.labels.as_ref(), test_fraction, seed)?;
        if every_column_constant(dataset.records.view(), &split.train) {
            return Err(Error::InvalidInput(format!(
                "{}: every feature ({} column{}) has one value on all {} training rows, so \
                 there is nothing to embed and any comparison would be meaningless; check that \
                 the right file and columns were read (--label-column, --drop-columns)",
                dataset.name,
                dataset.n_features(),
                if dataset.n_features() == 1 { "" } else { "s" },
                split.train.len()
            )));
        }
        let scaler = Scaler::fit(preprocess, dataset.records.view(), &split.train);
        let x = scaler.transform(dataset.records.view());
        let scaling_note = (preprocess == Preprocess::Standardize)
            .then(|| far_out_note(x.view(), &split.train))
            .flatten();
        Ok(Prepared {
            dataset,
            x,
            split,
            scaler,
            test_fraction,
            seed,
            scaling_note,
        })
    }

    /// The scaled training rows, read in place (what the fits use).
    pub fn train_rows(&self) -> Rows<'_> {
        Rows::picked(self.x.view(), &self.split.train)
    }

    /// The scaled test rows, read in place (`None` without a split).
    pub fn test_rows(&self) -> Option<Rows<'_>> {
        (!self.split.test.is_empty()).then(|| Rows::picked(self.x.view(), &self.split.test))
    }

    /// The scaled training rows, copied.
    pub fn train_x(&self) -> Array2<f32> {
        self.x.select(Axis(0), &self.split.train)
    }

    /// The scaled test rows, copied (`None` without a split).
    pub fn test_x(&self) -> Option<Array2<f32>> {
        (!self.split.test.is_empty()).then(|| self.x.select(Axis(0), &self.split.test))
    }

    /// All scaled rows.
    pub fn all_x(&self) -> ArrayView2<'_, f32> {
        self.x.view()
    }

    /// Names of the columns that were constant on the training rows.
    pub fn constant_column_names(&self) -> Vec<String> {
        self.scaler
            .constant_columns
            .iter()
            .map(|&j| {
                self.dataset
                    .feature_names
                    .get(j)
                    .cloned()
                    .unwrap_or_else(|| format!("col{j}"))
            })
            .collect()
    }

    /// The preprocessing that was applied.
    pub fn preprocess(&self) -> Preprocess {
        self.scaler.kind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 5000 rows: a normal-ish column, and a "border pixel" inked in one row only.
    fn rare_pixel() -> Arc<Dataset> {
        let n = 5000;
        let records = Array2::from_shape_fn((n, 2), |(r, c)| match c {
            0 => ((r * 37) % 100) as f32,
            _ => f32::from(u8::from(r == 17)) * 255.0,
        });
        Arc::new(Dataset::new(
            "rare",
            records,
            None,
            vec!["a".into(), "b".into()],
        ))
    }

    #[test]
    fn data_with_every_feature_constant_is_refused() {
        let records = Array2::from_shape_fn((10, 3), |(_, c)| c as f32);
        let ds = Arc::new(Dataset::new("flat", records, None, vec!["a".into(); 3]));
        for preprocess in [Preprocess::None, Preprocess::Standardize] {
            let e = Prepared::new(ds.clone(), preprocess, 0.2, 1).unwrap_err();
            assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
            let text = e.to_string();
            assert!(
                text.contains("every feature (3 columns) has one value"),
                "{text}"
            );
        }
        // one varying value is enough
        let mut records = Array2::from_shape_fn((10, 3), |(_, c)| c as f32);
        records[[4, 2]] = 7.0;
        let ds = Arc::new(Dataset::new("almost", records, None, vec!["a".into(); 3]));
        Prepared::new(ds, Preprocess::Standardize, 0.0, 1).unwrap();
    }

    #[test]
    fn standardizing_a_rarely_set_column_is_noted_and_minmax_is_not() {
        let p = Prepared::new(rare_pixel(), Preprocess::Standardize, 0.0, 1).unwrap();
        let note = p.scaling_note.expect("a note");
        assert!(note.contains("1 of 2 columns beyond 50"), "{note}");
        assert!(note.contains("--preprocess minmax"), "{note}");
        let p = Prepared::new(rare_pixel(), Preprocess::Minmax, 0.0, 1).unwrap();
        assert_eq!(p.scaling_note, None);
        let digits = Arc::new(crate::data::load("digits", &Default::default()).unwrap());
        let p = Prepared::new(digits, Preprocess::Standardize, 0.2, 42).unwrap();
        assert_eq!(p.scaling_note, None);
    }
}
