//! The repeated fits of one method: trained methods again with seeds seed, seed + 1, …; PCA,
//! being deterministic, refitted on bootstrap resamples of the training rows; precomputed
//! latents once.

use std::sync::Arc;
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::criteria::VariedBy;
use crate::data::Prepared;
use crate::error::Result;
use crate::linalg::Rows;
use crate::memory;
use crate::methods::pca::Pca;
use crate::methods::{FittedMethod, LatentModel, MethodSpec, TrainControl};
use crate::pipeline::{self, MethodOutcome};

/// How a method's runs differ from each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunsInfo {
    /// Number of runs.
    pub count: usize,
    /// `seeds`, `bootstrap` (PCA: resampled training rows) or `single` (precomputed latents).
    pub varied_by: VariedBy,
    /// The seeds of the runs (training seeds, or the seeds of the resamples).
    pub seeds: Vec<u64>,
}

/// How the runs of `spec` vary, for `repeats` requested runs; `split_seed` seeds PCA's resamples.
pub fn plan(spec: &MethodSpec, repeats: usize, split_seed: u64) -> RunsInfo {
    let repeats = repeats.max(1);
    match spec {
        MethodSpec::Precomputed { .. } => RunsInfo {
            count: 1,
            varied_by: VariedBy::Single,
            seeds: Vec::new(),
        },
        MethodSpec::Pca(_) => RunsInfo {
            count: repeats,
            varied_by: VariedBy::Bootstrap,
            seeds: (0..repeats as u64).map(|i| split_seed + i).collect(),
        },
        _ => {
            let base = spec.training_seed().unwrap_or(0);
            RunsInfo {
                count: repeats,
                varied_by: VariedBy::Seeds,
                seeds: (0..repeats as u64).map(|i| base.wrapping_add(i)).collect(),
            }
        }
    }
}

/// PCA fitted on a bootstrap resample (drawn with `seed`) of the training rows; latents of
/// every row; reconstruction measured on the original training and test rows.
fn pca_on_resample(
    spec: &MethodSpec,
    dim: usize,
    prepared: &Prepared,
    seed: u64,
) -> Result<MethodOutcome> {
    let train = &prepared.split.train;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rows: Vec<usize> = (0..train.len())
        .map(|_| train[rng.random_range(0..train.len())])
        .collect();
    let started = Instant::now();
    let (fit, peak) = memory::measure(|| -> Result<_> {
        // the resample read in place (a row drawn twice is read twice)
        let x = Rows::picked(prepared.x.view(), &rows);
        let pca = Pca::fit_observed(x, dim, &TrainControl::silent())?;
        let latents = pca.encode(prepared.all_x());
        Ok((pca, latents))
    });
    let (pca, latents) = fit?;
    let fitted = FittedMethod {
        spec: spec.clone(),
        model: Some(Box::new(pca)),
        latents,
        fit_seconds: started.elapsed().as_secs_f64(),
        peak_memory_bytes: Some(peak),
        loss_history: Vec::new(),
    };
    Ok(pipeline::measure(fitted, prepared))
}

/// Run `index` of the plan. Run 0 of a trained or precomputed method is the fit already made
/// (`first`), when given.
pub fn fit_run(
    spec: &MethodSpec,
    info: &RunsInfo,
    index: usize,
    prepared: &Prepared,
    first: Option<&Arc<MethodOutcome>>,
    ctl: &TrainControl,
) -> Result<Arc<MethodOutcome>> {
    match (spec, first) {
        (MethodSpec::Pca(p), _) => Ok(Arc::new(pca_on_resample(
            spec,
            p.latent_dim,
            prepared,
            info.seeds[index],
        )?)),
        (_, Some(first)) if index == 0 => Ok(first.clone()),
        _ => {
            let spec = info
                .seeds
                .get(index)
                .map_or_else(|| spec.clone(), |&s| spec.with_seed(s));
            let fitted = pipeline::fit_method(&spec, prepared, ctl)?;
            Ok(Arc::new(pipeline::measure(fitted, prepared)))
        }
    }
}
