//! The rows the metrics use (the test rows, or all, subsampled to `metric_sample`) and the
//! checks that keep figures from meaning nothing: too few rows for a similarity, or a k that
//! puts most rows in every neighbourhood.

use rand::SeedableRng;
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::RowSource;
use crate::config::EvalSettings;
use crate::data::Prepared;
use crate::error::{Error, Result};

/// Which rows the metrics used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRows {
    /// `test` (the held-out rows) or `all`.
    pub source: RowSource,
    /// Rows used after subsampling.
    pub n: usize,
    /// True when the rows were subsampled to `metric_sample`.
    pub subsampled: bool,
    /// The row indices (data order).
    #[serde(skip)]
    pub rows: Vec<usize>,
}

/// The metric rows: test rows (or all), subsampled with `seed` when more than `limit`.
pub fn metric_rows(prepared: &Prepared, limit: usize, seed: u64) -> MetricRows {
    let (source, mut rows) = if prepared.split.test.is_empty() {
        (RowSource::All, (0..prepared.x.nrows()).collect::<Vec<_>>())
    } else {
        (RowSource::Test, prepared.split.test.clone())
    };
    let subsampled = limit > 0 && rows.len() > limit;
    if subsampled {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut picked: Vec<usize> = sample(&mut rng, rows.len(), limit)
            .into_iter()
            .map(|i| rows[i])
            .collect();
        picked.sort_unstable();
        rows = picked;
    }
    MetricRows {
        source,
        n: rows.len(),
        subsampled,
        rows,
    }
}

/// Fewest metric rows whose similarities mean something: below it, two spaces of a few points
/// agree trivially (CKA of 2 points is 1).
pub const MIN_METRIC_ROWS: usize = 10;

/// The metric rows, after checking the settings that choose them.
pub(super) fn checked_rows(prepared: &Prepared, settings: &EvalSettings) -> Result<MetricRows> {
    if settings.neighbors == 0 {
        return Err(Error::InvalidInput("--neighbors must be at least 1".into()));
    }
    if (1..MIN_METRIC_ROWS).contains(&settings.metric_sample) {
        return Err(Error::InvalidInput(format!(
            "--metric-sample must be 0 (every row) or at least {MIN_METRIC_ROWS} (got {}): the \
             similarities of fewer points are trivially high",
            settings.metric_sample
        )));
    }
    Ok(metric_rows(prepared, settings.metric_sample, prepared.seed))
}

/// Why a neighbourhood metric cannot be measured on `n` rows with k neighbours (`None` when it
/// can). Trustworthiness and continuity need k below n / 2, as scikit-learn's do; the k-NN
/// Jaccard needs k at most n / 2 (`strict` = false). Beyond that every neighbourhood holds
/// most rows and the figures are trivially high.
pub(super) fn neighbourhood_problem(k: usize, n: usize, strict: bool) -> Option<String> {
    let too_many = if strict {
        k.saturating_mul(2) >= n
    } else {
        k.saturating_mul(2) > n
    };
    let most = if strict {
        n.saturating_sub(1) / 2
    } else {
        n / 2
    };
    too_many.then(|| {
        format!(
            "k = {k} neighbours is too many for {n} metric rows (every neighbourhood would hold \
             most rows); not measured: use --neighbors {} or fewer, or more rows",
            most.max(1)
        )
    })
}
