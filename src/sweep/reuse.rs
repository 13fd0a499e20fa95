//! The fits a sweep shares between its points: a method whose settings a point does not change
//! is fitted once, and PCA in a latent-size sweep is fitted once at the largest size and cut to
//! each smaller one.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::config::{Experiment, Sweep};
use crate::data::Prepared;
use crate::error::Result;
use crate::memory;
use crate::methods::pca::Pca;
use crate::methods::{FittedMethod, LatentModel, MethodSpec, Setting, TrainControl};
use crate::pipeline::{MethodOutcome, fit_and_measure, measure};

/// The fits made so far.
pub(super) struct Fits {
    done: Vec<(MethodSpec, Arc<MethodOutcome>)>,
    /// In a latent-size sweep, the largest latent size of a PCA point.
    pca_widest: Option<usize>,
    /// PCA fitted at that size, how long the fit took and its peak memory.
    pca: Option<(Arc<Pca>, f64, u64)>,
}

impl Fits {
    /// Nothing fitted yet for the sweep's `points`.
    pub fn new(sweep: &Sweep, points: &[Experiment]) -> Fits {
        let pca_widest = (sweep.setting == Setting::LatentDim)
            .then(|| {
                points
                    .iter()
                    .flat_map(|p| [&p.a, &p.b])
                    .filter_map(|spec| match spec {
                        MethodSpec::Pca(p) => Some(p.latent_dim),
                        _ => None,
                    })
                    .max()
            })
            .flatten();
        Fits {
            done: Vec::new(),
            pca_widest,
            pca: None,
        }
    }

    /// `spec` fitted and measured on `prepared`: an earlier fit of the same spec, a cut of the
    /// widest PCA, or a new fit (stopped by `cancel`).
    pub fn outcome(
        &mut self,
        spec: &MethodSpec,
        prepared: &Prepared,
        cancel: &Arc<AtomicBool>,
    ) -> Result<Arc<MethodOutcome>> {
        if let Some((_, outcome)) = self.done.iter().find(|(s, _)| s == spec) {
            return Ok(outcome.clone());
        }
        let ctl = TrainControl {
            cancel: cancel.clone(),
            ..TrainControl::silent()
        };
        let outcome = match (spec, self.pca_widest) {
            (MethodSpec::Pca(p), Some(widest)) if p.latent_dim <= widest => {
                let (pca, seconds, peak) = match &self.pca {
                    Some(fit) => fit.clone(),
                    None => {
                        let started = Instant::now();
                        let (pca, peak) = memory::measure(|| {
                            Pca::fit_observed(prepared.train_rows(), widest, &ctl)
                        });
                        let fit = (Arc::new(pca?), started.elapsed().as_secs_f64(), peak);
                        self.pca = Some(fit.clone());
                        fit
                    }
                };
                let cut = pca.leading(p.latent_dim);
                let latents = cut.encode(prepared.all_x());
                let fitted = FittedMethod {
                    spec: spec.clone(),
                    model: Some(Box::new(cut)),
                    latents,
                    fit_seconds: seconds,
                    peak_memory_bytes: Some(peak),
                    loss_history: Vec::new(),
                };
                measure(fitted, prepared)
            }
            _ => fit_and_measure(spec, prepared, &ctl)?,
        };
        let outcome = Arc::new(outcome);
        self.done.push((spec.clone(), outcome.clone()));
        Ok(outcome)
    }
}
