//! Equivalence with evidence: each method fitted several times, the geometry of the runs compared
//! within and between methods with bootstrap intervals, and the scalar criteria compared run by
//! run with a two one-sided test. One run of each method cannot say whether two methods are
//! equivalent: an autoencoder trained twice gives two different spaces.
//!
//! The protocol:
//! - trained methods run `repeats` times with seeds seed, seed + 1, …; PCA is refitted on
//!   bootstrap resamples of the training rows; precomputed latents count as one run;
//! - geometry (linear CKA, Procrustes similarity, mean k-NN Jaccard): A and B are equivalent when
//!   the between-method similarity is not worse than the smaller within-method similarity by more
//!   than δ, judged on the lower end of the difference's bootstrap interval; mean CCA judges the
//!   subspace alone the same way;
//! - scalar criteria: paired differences per run and a TOST against the verdict's margins;
//! - a method whose own runs disagree (within-method CKA interval entirely below the stability
//!   floor) is reported as too unstable to judge, never as equivalent.

pub mod geometry;
pub mod markdown;
pub mod replicates;
pub mod scalars;
mod summary;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use ndarray::{Array2, Axis};
use serde::{Deserialize, Serialize};

use crate::config::{EquivalenceSettings, EvalSettings};
use crate::criteria::{Decision, Outcome, Similarity};
use crate::error::{Error, Result};
use crate::evaluate::{evaluate_methods, metric_rows};
use crate::methods::TrainControl;
use crate::pipeline::{MethodOutcome, Run};
use crate::stats::bootstrap::Interval;
pub use geometry::{Distribution, GeometryCriterion};
pub use replicates::RunsInfo;
pub use scalars::ScalarCriterion;
use summary::summary;

/// Whether a method's runs agree with each other enough to judge it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stability {
    /// Mean linear CKA between the method's runs, with its interval (1 for a single run).
    pub within_cka: Interval,
    /// False when the interval lies entirely below the floor.
    pub stable: bool,
}

/// The outcome of the protocol (`comparison.equivalence` in report.json).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Equivalence {
    /// Geometry equivalent, every applicable scalar criterion equivalent, both methods stable.
    pub equivalent: bool,
    /// Every geometry similarity (CKA, Procrustes, k-NN Jaccard) equivalent, both methods
    /// stable.
    pub geometry_equivalent: bool,
    /// Mean CCA equivalent (both methods stable): the same subspace, whatever the basis.
    pub subspace_equivalent: bool,
    /// `equivalent` (every test passes); `not equivalent` (an interval lies wholly outside its
    /// margin: a difference is shown); or `undecided` (no difference shown, but not every test
    /// passes, or a method is too unstable to judge).
    pub decision: Decision,
    /// Runs requested per method.
    pub repeats: usize,
    /// How A's runs were made.
    pub runs_a: RunsInfo,
    /// How B's runs were made.
    pub runs_b: RunsInfo,
    /// Stability of A.
    pub stability_a: Stability,
    /// Stability of B.
    pub stability_b: Stability,
    /// Within/between distributions and decisions per similarity.
    pub geometry: Vec<GeometryCriterion>,
    /// Per-run figures, intervals and TOST per scalar criterion.
    pub criteria: Vec<ScalarCriterion>,
    /// The protocol's settings.
    pub settings: EquivalenceSettings,
    /// Rows the geometry used.
    pub geometry_rows: usize,
    /// A paragraph built from the numbers above.
    pub summary: String,
}

/// What the protocol is doing, for progress bars.
#[derive(Debug, Clone, PartialEq)]
pub struct EquivalenceProgress {
    /// E.g. "fitting B, run 3 of 5".
    pub stage: String,
    /// Share done, 0 to 1.
    pub fraction: f64,
}

/// Lets a caller follow and stop the protocol.
pub struct EquivalenceControl {
    /// Set to stop (the protocol returns `Error::Cancelled`).
    pub cancel: Arc<AtomicBool>,
    /// Called as the protocol advances.
    pub on_progress: Arc<dyn Fn(&EquivalenceProgress) + Send + Sync>,
}

impl EquivalenceControl {
    /// A control that never cancels and ignores progress.
    pub fn silent() -> Self {
        EquivalenceControl {
            cancel: Arc::new(AtomicBool::new(false)),
            on_progress: Arc::new(|_| {}),
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// Share of the progress bar the fits take; the evaluation and the bootstrap share the rest.
const FIT_SHARE: f64 = 0.7;
const EVAL_SHARE: f64 = 0.1;

/// Runs the protocol on a fitted run (its fits are run 0 of trained and precomputed methods).
pub fn run_equivalence(
    run: &Run,
    eval: &EvalSettings,
    settings: &EquivalenceSettings,
    ctl: &EquivalenceControl,
) -> Result<Equivalence> {
    settings.validate()?;
    let prepared = &run.prepared;
    let specs = [&run.experiment.a, &run.experiment.b];
    let plans = specs.map(|s| replicates::plan(s, settings.repeats, prepared.seed));
    let firsts = [&run.a, &run.b];
    let total_fits = plans[0].count + plans[1].count;
    let mut runs: [Vec<Arc<MethodOutcome>>; 2] = [Vec::new(), Vec::new()];
    let mut done = 0;
    for side in 0..2 {
        for index in 0..plans[side].count {
            if ctl.cancelled() {
                return Err(Error::Cancelled);
            }
            let label = ["A", "B"][side];
            let stage = format!(
                "fitting {label}, run {} of {}",
                index + 1,
                plans[side].count
            );
            let at = done as f64 / total_fits as f64;
            (ctl.on_progress)(&EquivalenceProgress {
                stage: stage.clone(),
                fraction: FIT_SHARE * at,
            });
            let epochs = specs[side]
                .epochs(prepared.all_x().nrows())
                .unwrap_or(1)
                .max(1) as f64;
            let on_progress = ctl.on_progress.clone();
            let fit_ctl = TrainControl {
                cancel: ctl.cancel.clone(),
                on_epoch: Box::new(move |e| {
                    let within = (e.epoch as f64 / epochs).min(1.0) / total_fits as f64;
                    on_progress(&EquivalenceProgress {
                        stage: stage.clone(),
                        fraction: FIT_SHARE * (at + within),
                    });
                }),
                on_stage: Box::new(|_| {}),
                on_latents: None,
            };
            let outcome = replicates::fit_run(
                specs[side],
                &plans[side],
                index,
                prepared,
                Some(firsts[side]),
                &fit_ctl,
            )
            .map_err(|e| e.in_context(&format!("{label}, run {}", index + 1)))?;
            runs[side].push(outcome);
            done += 1;
        }
    }
    (ctl.on_progress)(&EquivalenceProgress {
        stage: "measuring every run".into(),
        fraction: FIT_SHARE,
    });
    let all: Vec<&MethodOutcome> = runs.iter().flatten().map(|o| o.as_ref()).collect();
    let (_, evaluations) = evaluate_methods(&all, prepared, eval)?;
    let (eval_a, eval_b) = evaluations.split_at(runs[0].len());
    let mse = |side: usize| -> Vec<Option<f64>> {
        runs[side]
            .iter()
            .map(|o| o.reconstruction_mse_test)
            .collect()
    };
    let (mse_a, mse_b) = (mse(0), mse(1));
    let criteria = scalars::compare_scalars(
        (&mse_a, eval_a),
        (&mse_b, eval_b),
        &eval.margins,
        settings.alpha,
    );
    if ctl.cancelled() {
        return Err(Error::Cancelled);
    }
    let rows = metric_rows(
        prepared,
        settings.geometry_rows.min(eval.metric_sample.max(1)),
        prepared.seed,
    );
    let pick = |side: usize| -> Vec<Array2<f32>> {
        runs[side]
            .iter()
            .map(|o| o.fitted.latents.select(Axis(0), &rows.rows))
            .collect()
    };
    let (za, zb) = (pick(0), pick(1));
    let on_progress = ctl.on_progress.clone();
    let input = geometry::GeometryInput {
        a: za.iter().map(|z| z.view()).collect(),
        b: zb.iter().map(|z| z.view()).collect(),
        neighbors: eval.neighbors,
        resamples: settings.resamples,
        level: settings.level,
        margin: settings.margin,
        seed: prepared.seed,
    };
    let geometry = geometry::compare_geometry(
        &input,
        &move |d, t| {
            if d % 25 == 0 || d == t {
                on_progress(&EquivalenceProgress {
                    stage: format!("bootstrap, resample {d} of {t}"),
                    fraction: FIT_SHARE
                        + EVAL_SHARE
                        + (1.0 - FIT_SHARE - EVAL_SHARE) * d as f64 / t as f64,
                });
            }
        },
        &|| ctl.cancelled(),
    )?;
    let [runs_a, runs_b] = plans;
    Ok(conclude(
        runs_a, runs_b, geometry, criteria, settings, rows.n,
    ))
}

fn stability(geometry: &[GeometryCriterion], side: usize, floor: f64) -> Stability {
    let cka = geometry.iter().find(|g| g.metric == Similarity::LinearCka);
    let within_cka = cka.map_or(
        Interval {
            estimate: f64::NAN,
            lower: f64::NAN,
            upper: f64::NAN,
        },
        |g| {
            if side == 0 {
                g.within_a.mean
            } else {
                g.within_b.mean
            }
        },
    );
    Stability {
        within_cka,
        // an undefined CKA (a method's runs are constant) is never called stable
        stable: within_cka.upper >= floor,
    }
}

/// The decisions and the paragraph, from the measured pieces.
pub fn conclude(
    runs_a: RunsInfo,
    runs_b: RunsInfo,
    geometry: Vec<GeometryCriterion>,
    criteria: Vec<ScalarCriterion>,
    settings: &EquivalenceSettings,
    geometry_rows: usize,
) -> Equivalence {
    let stability_a = stability(&geometry, 0, settings.stability_floor);
    let stability_b = stability(&geometry, 1, settings.stability_floor);
    let judged = |metric: Similarity| {
        geometry
            .iter()
            .find(|g| g.metric == metric)
            .map(|g| g.equivalent)
    };
    let geometry_equivalent = Similarity::GEOMETRY
        .into_iter()
        .all(|m| judged(m) == Some(true));
    let subspace_equivalent = judged(Similarity::MeanCca) == Some(true);
    let applicable: Vec<&ScalarCriterion> = criteria.iter().filter(|c| c.test.is_some()).collect();
    let undecidable = applicable.iter().any(|c| c.equivalent.is_none());
    let scalars_equivalent = applicable.iter().all(|c| c.equivalent == Some(true));
    // a criterion whose whole interval lies outside the margin shows a difference, whatever
    // the stability of the geometry
    let shown_different = applicable.iter().any(|c| c.outcome() == Outcome::Different);
    let stable = stability_a.stable && stability_b.stable;
    // an unstable method's geometry cannot be judged: never "equivalent" in geometry
    let geometry_equivalent = geometry_equivalent && stable;
    let subspace_equivalent = subspace_equivalent && stable;
    // the between-method similarity is worse than the within-method one by more than δ over
    // its whole interval
    let geometry_different = stable
        && geometry
            .iter()
            .any(|g| Similarity::GEOMETRY.contains(&g.metric) && g.difference.upper < -g.margin);
    let equivalent = stable && !undecidable && geometry_equivalent && scalars_equivalent;
    // failing to show equivalence is not showing a difference: without a difference shown the
    // answer is "undecided" (more runs narrow the intervals)
    let decision = if equivalent {
        Decision::Equivalent
    } else if shown_different || geometry_different {
        Decision::NotEquivalent
    } else {
        Decision::Undecided
    };
    let mut e = Equivalence {
        equivalent,
        geometry_equivalent,
        subspace_equivalent,
        decision,
        repeats: settings.repeats,
        runs_a,
        runs_b,
        stability_a,
        stability_b,
        geometry,
        criteria,
        settings: settings.clone(),
        geometry_rows,
        summary: String::new(),
    };
    e.summary = summary(&e);
    e
}

#[cfg(test)]
mod tests;
