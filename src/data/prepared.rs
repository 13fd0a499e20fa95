//! A dataset made ready for fitting: split into train/test rows and scaled by a scaler fitted on
//! the training rows only.

use std::sync::Arc;

use ndarray::{Array2, ArrayView2, Axis};

use super::dataset::Dataset;
use super::preprocess::{Preprocess, Scaler};
use super::split::{Split, train_test_split};
use crate::error::{Error, Result};

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
        let scaler = Scaler::fit(preprocess, dataset.records.view(), &split.train);
        let x = scaler.transform(dataset.records.view());
        Ok(Prepared {
            dataset,
            x,
            split,
            scaler,
            test_fraction,
            seed,
        })
    }

    /// The scaled training rows.
    pub fn train_x(&self) -> Array2<f32> {
        self.x.select(Axis(0), &self.split.train)
    }

    /// The scaled test rows (`None` without a split).
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
