//! The pipeline the CLI and the GUI share: load → prepare → fit A and B → measure.

use std::sync::Arc;
use std::time::Instant;

use crate::config::Experiment;
use crate::data::{self, Dataset, Prepared};
use crate::error::{Error, Result};
use crate::memory;
use crate::methods::{FittedMethod, MethodKind, MethodSpec, TrainControl, reconstruction_mse_of};

/// A fitted method with the figures measured on it.
#[derive(Debug)]
pub struct MethodOutcome {
    /// The fit.
    pub fitted: FittedMethod,
    /// Reconstruction MSE on the training rows (`None` without a decoder).
    pub reconstruction_mse_train: Option<f64>,
    /// Reconstruction MSE on the test rows (`None` without a decoder or a split).
    pub reconstruction_mse_test: Option<f64>,
}

/// Everything one comparison produced. Shared pieces are `Arc`s so that the GUI can hand a run to
/// its evaluation thread while keeping it on screen.
#[derive(Debug, Clone)]
pub struct Run {
    /// The resolved settings.
    pub experiment: Experiment,
    /// The scaled, split data.
    pub prepared: Arc<Prepared>,
    /// Method A.
    pub a: Arc<MethodOutcome>,
    /// Method B.
    pub b: Arc<MethodOutcome>,
}

/// Method A or B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Method A (the left panel in the app).
    A,
    /// Method B (the right panel in the app).
    B,
}

impl Side {
    /// A, then B.
    pub const BOTH: [Side; 2] = [Side::A, Side::B];

    /// "A" or "B".
    pub fn label(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }

    /// 0 for A, 1 for B.
    pub fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }
}

impl Experiment {
    /// The method of one side.
    pub fn spec(&self, side: Side) -> &MethodSpec {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

impl Run {
    /// The fitted method of one side.
    pub fn outcome(&self, side: Side) -> &Arc<MethodOutcome> {
        match side {
            Side::A => &self.a,
            Side::B => &self.b,
        }
    }
}

/// Loads the experiment's dataset.
pub fn load_dataset(experiment: &Experiment) -> Result<Dataset> {
    load_dataset_with_progress(experiment, &|_| {})
}

/// [`load_dataset`] with `progress` while a large file is read or a large built-in generated.
pub fn load_dataset_with_progress(
    experiment: &Experiment,
    progress: &(dyn Fn(data::LoadProgress) + Sync),
) -> Result<Dataset> {
    data::load_with_progress(&experiment.data, &experiment.load, progress)
}

/// Scales and splits a dataset as the experiment says.
pub fn prepare(experiment: &Experiment, dataset: Arc<Dataset>) -> Result<Prepared> {
    Prepared::new(
        dataset,
        experiment.preprocess,
        experiment.test_fraction,
        experiment.seed,
    )
}

/// Checks a spec against prepared data without fitting anything.
pub fn validate(spec: &MethodSpec, prepared: &Prepared) -> Result<()> {
    spec.validate(
        prepared.dataset.n_features(),
        prepared.split.train.len(),
        prepared.preprocess(),
    )
}

/// Fits one method on the training rows and encodes every row.
pub fn fit_method(
    spec: &MethodSpec,
    prepared: &Prepared,
    ctl: &TrainControl,
) -> Result<FittedMethod> {
    validate(spec, prepared)?;
    let started = Instant::now();
    let (fitted, peak) = memory::measure(|| (spec.kind().info().fit)(spec, prepared, ctl));
    let fit_seconds = started.elapsed().as_secs_f64();
    let fitted = fitted.map_err(|e| match e {
        e @ Error::Diverged { .. } => e.in_context(&spec.to_string()),
        e => e,
    })?;
    Ok(FittedMethod {
        spec: spec.clone(),
        model: fitted.model,
        latents: fitted.latents,
        fit_seconds,
        // Reading a file of latents is not a fit.
        peak_memory_bytes: (spec.kind() != MethodKind::Precomputed).then_some(peak),
        loss_history: fitted.loss_history,
    })
}

/// Measures reconstruction on the training and test rows.
pub fn measure(fitted: FittedMethod, prepared: &Prepared) -> MethodOutcome {
    let (train, test) = match &fitted.model {
        Some(model) => (
            Some(reconstruction_mse_of(model.as_ref(), prepared.train_rows())),
            prepared
                .test_rows()
                .map(|x| reconstruction_mse_of(model.as_ref(), x)),
        ),
        None => (None, None),
    };
    MethodOutcome {
        fitted,
        reconstruction_mse_train: train,
        reconstruction_mse_test: test,
    }
}

/// Fits one method and measures it: what the app's training job and [`fit_both`] run.
pub fn fit_and_measure(
    spec: &MethodSpec,
    prepared: &Prepared,
    ctl: &TrainControl,
) -> Result<MethodOutcome> {
    let fitted = fit_method(spec, prepared, ctl)?;
    (ctl.on_stage)(crate::methods::FitStage {
        what: "measuring",
        done: 1.0,
    });
    Ok(measure(fitted, prepared))
}

/// Fits A, then B, on prepared data; both specs are validated before either is fitted.
/// `control(side)` is called just before that side's fit and follows it (progress, cancel).
pub fn fit_both(
    experiment: &Experiment,
    prepared: Arc<Prepared>,
    mut control: impl FnMut(Side) -> TrainControl,
) -> Result<Run> {
    for side in Side::BOTH {
        validate(experiment.spec(side), &prepared)?;
    }
    let fit = |side: Side, ctl: TrainControl| {
        fit_and_measure(experiment.spec(side), &prepared, &ctl)
            .map_err(|e| e.in_context(&format!("method {}", side.label())))
    };
    let a = fit(Side::A, control(Side::A))?;
    let b = fit(Side::B, control(Side::B))?;
    Ok(Run {
        experiment: experiment.clone(),
        prepared,
        a: Arc::new(a),
        b: Arc::new(b),
    })
}

/// Runs a whole comparison on a loaded dataset: prepare, then [`fit_both`].
pub fn run(
    experiment: &Experiment,
    dataset: Arc<Dataset>,
    control: impl FnMut(Side) -> TrainControl,
) -> Result<Run> {
    let prepared = Arc::new(prepare(experiment, dataset)?);
    fit_both(experiment, prepared, control)
}
