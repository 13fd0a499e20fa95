//! Sweeps: one setting stepped through its values, a whole comparison at each — both methods
//! fitted and measured, and with repeats the equivalence protocol — to show where two methods
//! stop being equivalent.
//!
//! The data is prepared once for all points. A method a point does not change is fitted once
//! and shared (a `b.beta` sweep fits A once); PCA in a latent-size sweep is fitted once at the
//! largest size and cut to each smaller one (its components are nested, so the cut is what a fit
//! at that size gives). Points run in order with progress and cancel; a point that fails is
//! recorded as missing and the sweep goes on, and a cancel keeps the points already finished.

mod reuse;
pub mod summary;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::config::{Experiment, ExperimentConfig, Sweep, SweepSide, SweepValue};
use crate::data::Prepared;
use crate::equivalence::{Equivalence, EquivalenceControl, run_equivalence};
use crate::error::{Error, Result};
use crate::evaluate::{Evaluation, evaluate};
use crate::pipeline::{Run, validate};

/// One finished point.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// The swept setting's value here.
    pub value: SweepValue,
    /// Both fits.
    pub run: Run,
    /// Their evaluation.
    pub evaluation: Arc<Evaluation>,
    /// The equivalence protocol's outcome, when the sweep repeats fits.
    pub equivalence: Option<Equivalence>,
}

/// A point that did not finish, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct MissingPoint {
    /// The swept setting's value there.
    pub value: SweepValue,
    /// The error, or "cancelled".
    pub reason: String,
    /// The error was the user's to fix (a setting, the data), not a failure of the tool.
    pub user_error: bool,
}

/// What a sweep produced: its finished points in order, and those that did not finish.
#[derive(Debug, Clone)]
pub struct SweepOutcome {
    /// The sweep.
    pub sweep: Sweep,
    /// Finished points, in the sweep's order.
    pub points: Vec<SweepPoint>,
    /// Points that failed or were not reached (cancelled), in the sweep's order.
    pub missing: Vec<MissingPoint>,
}

/// Where a sweep stands, for progress bars.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepProgress {
    /// E.g. "latent_dim = 8 (3 of 5): fitting B, run 2 of 5".
    pub stage: String,
    /// Share done, 0 to 1.
    pub fraction: f64,
}

/// Lets a caller follow and stop a sweep.
#[derive(Clone)]
pub struct SweepControl {
    /// Set to stop after the current fit (finished points are kept).
    pub cancel: Arc<AtomicBool>,
    /// Called as the sweep advances.
    pub on_progress: Arc<dyn Fn(&SweepProgress) + Send + Sync>,
    /// Called with each point as it finishes (the app draws it at once).
    pub on_point: Arc<dyn Fn(&SweepPoint) + Send + Sync>,
}

impl SweepControl {
    /// A control that never cancels and ignores progress.
    pub fn silent() -> Self {
        SweepControl {
            cancel: Arc::new(AtomicBool::new(false)),
            on_progress: Arc::new(|_| {}),
            on_point: Arc::new(|_| {}),
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// The experiment of every point of `sweep` over `config`, checked before anything is fitted:
/// each resolves, and the swept method(s) have the setting (a `b.beta` sweep needs B to be a
/// VAE; a sweep of both needs one of them to have it).
pub fn point_experiments(config: &ExperimentConfig, sweep: &Sweep) -> Result<Vec<Experiment>> {
    let points = (0..sweep.values.len())
        .map(|k| {
            sweep.apply(config, k).resolve().map_err(|e| {
                e.in_context(&format!(
                    "sweep point {} = {}",
                    sweep.parameter(),
                    sweep.values[k]
                ))
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let Some(first) = points.first() else {
        return Err(Error::InvalidInput(
            "a sweep needs at least one value".into(),
        ));
    };
    let has =
        |spec: &crate::methods::MethodSpec| spec.kind().info().settings.contains(&sweep.setting);
    let (a, b) = (has(&first.a), has(&first.b));
    let missing = match sweep.side {
        SweepSide::A if !a => Some(format!("method A ({})", first.a.kind())),
        SweepSide::B if !b => Some(format!("method B ({})", first.b.kind())),
        SweepSide::Both if !a && !b => Some(format!(
            "neither method ({} and {})",
            first.a.kind(),
            first.b.kind()
        )),
        _ => None,
    };
    if let Some(which) = missing {
        return Err(Error::InvalidInput(format!(
            "cannot sweep {}: {which} has no {} setting",
            sweep.parameter(),
            sweep.name()
        )));
    }
    Ok(points)
}

/// Runs every point of `sweep` (experiments from [`point_experiments`]) on `prepared`.
/// Returns an error only when a point's settings do not suit the data (checked before any fit).
pub fn run_sweep(
    sweep: &Sweep,
    points: &[Experiment],
    prepared: Arc<Prepared>,
    ctl: &SweepControl,
) -> Result<SweepOutcome> {
    for (point, value) in points.iter().zip(&sweep.values) {
        for spec in [&point.a, &point.b] {
            validate(spec, &prepared).map_err(|e| {
                e.in_context(&format!("sweep point {} = {value}", sweep.parameter()))
            })?;
        }
    }
    let mut fits = reuse::Fits::new(sweep, points);
    let mut outcome = SweepOutcome {
        sweep: sweep.clone(),
        points: Vec::new(),
        missing: Vec::new(),
    };
    let n = points.len();
    for (k, (point, value)) in points.iter().zip(&sweep.values).enumerate() {
        if ctl.cancelled() {
            outcome.missing.push(MissingPoint {
                value: value.clone(),
                reason: "cancelled".into(),
                user_error: true,
            });
            continue;
        }
        let name = format!("{} = {value} ({} of {n})", sweep.parameter(), k + 1);
        let progress = ctl.on_progress.clone();
        let report: Report = Arc::new(move |stage: &str, within: f64| {
            progress(&SweepProgress {
                stage: format!("{name}: {stage}"),
                fraction: (k as f64 + within.clamp(0.0, 1.0)) / n as f64,
            });
        });
        match run_point(point, value, &prepared, &mut fits, ctl, report) {
            Ok(done) => {
                (ctl.on_point)(&done);
                outcome.points.push(done);
            }
            Err(e) => outcome.missing.push(MissingPoint {
                value: value.clone(),
                user_error: e.is_user_error(),
                reason: match e {
                    Error::Cancelled => "cancelled".into(),
                    other => other.to_string(),
                },
            }),
        }
    }
    Ok(outcome)
}

/// Reports a point's stage and the share of the point done.
type Report = Arc<dyn Fn(&str, f64) + Send + Sync>;

/// One point: both fits (shared where they can be), the evaluation, the protocol when asked.
fn run_point(
    point: &Experiment,
    value: &SweepValue,
    prepared: &Arc<Prepared>,
    fits: &mut reuse::Fits,
    ctl: &SweepControl,
    report: Report,
) -> Result<SweepPoint> {
    let protocol = point.equivalence.is_some();
    // without the protocol, fitting is most of a point's time; with it, the repeats are
    let (fit_share, eval_share) = if protocol { (0.1, 0.05) } else { (0.8, 0.2) };
    report("fitting A", 0.0);
    let a = fits.outcome(&point.a, prepared, &ctl.cancel)?;
    report("fitting B", fit_share / 2.0);
    let b = fits.outcome(&point.b, prepared, &ctl.cancel)?;
    report("evaluating", fit_share);
    let run = Run {
        experiment: point.clone(),
        prepared: prepared.clone(),
        a,
        b,
    };
    let evaluation = Arc::new(evaluate(&run, &point.eval)?);
    let equivalence = match &point.equivalence {
        Some(settings) => {
            let start = fit_share + eval_share;
            report("equivalence", start);
            let protocol_ctl = EquivalenceControl {
                cancel: ctl.cancel.clone(),
                on_progress: Arc::new(move |p| {
                    report(&p.stage, start + (1.0 - start) * p.fraction)
                }),
            };
            Some(run_equivalence(&run, &point.eval, settings, &protocol_ctl)?)
        }
        None => None,
    };
    Ok(SweepPoint {
        value: value.clone(),
        run,
        evaluation,
        equivalence,
    })
}
