//! The bodies of the background jobs. Each takes owned inputs (`Arc` clones), does its work off
//! the UI thread with the same core functions the CLI calls, and reports through a [`Reporter`].

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::config::EvalSettings;
use crate::config::Experiment;
use crate::data::{self, LoadOptions, Prepared};
use crate::equivalence::Equivalence;
use crate::evaluate::Evaluation;
use crate::evaluate::evaluate;
use crate::methods::{MethodSpec, TrainControl};
use crate::output::{self, FigureOptions};
use crate::pipeline::{self, Run};
use crate::report::Report;

use super::state::PrepKey;
use super::worker::{JobKind, Msg, Purpose, Side, Workers};

/// Loads a built-in dataset or a file.
pub fn load(workers: &mut Workers, source: String, options: LoadOptions) -> std::io::Result<u64> {
    let label = source.clone();
    workers.start(JobKind::Load, label, move |job, _, reporter| {
        // At most one message per percent read.
        let last_percent = AtomicU64::new(u64::MAX);
        let progress = |progress: data::LoadProgress| {
            let percent = progress.done.saturating_mul(100) / progress.total.max(1);
            if last_percent.swap(percent, Ordering::Relaxed) != percent {
                reporter.send(Msg::LoadProgress { job, progress });
            }
        };
        let result = data::load_with_progress(&source, &options, &progress).map(Arc::new);
        reporter.send(Msg::Loaded {
            job,
            source,
            options,
            result,
        });
    })
}

/// Scales and splits a dataset.
pub fn prepare(
    workers: &mut Workers,
    key: PrepKey,
    dataset: Arc<data::Dataset>,
    experiment: Experiment,
) -> std::io::Result<u64> {
    workers.start(JobKind::Prepare, "", move |job, _, reporter| {
        let result = pipeline::prepare(&experiment, dataset).map(Arc::new);
        reporter.send(Msg::Prepared { job, key, result });
    })
}

/// Fits one method; reports every epoch, checks the cancel flag every batch.
pub fn train(
    workers: &mut Workers,
    side: Side,
    spec: MethodSpec,
    prepared: Arc<Prepared>,
) -> std::io::Result<u64> {
    let label = spec.to_string();
    workers.start(JobKind::Train(side), label, move |job, cancel, reporter| {
        let (progress, watcher) = (reporter.clone(), reporter.clone());
        let staged = reporter.clone();
        let ctl = TrainControl {
            cancel,
            on_epoch: Box::new(move |loss| {
                progress.send(Msg::Epoch {
                    side,
                    job,
                    loss: loss.clone(),
                });
            }),
            on_stage: Box::new(move |stage| staged.send(Msg::Stage { side, job, stage })),
            on_latents: Some(Box::new(move |latents, iteration| {
                watcher.send(Msg::Latents {
                    side,
                    job,
                    latents,
                    iteration,
                });
            })),
        };
        let result = pipeline::fit_and_measure(&spec, &prepared, &ctl).map(Arc::new);
        reporter.send(Msg::Trained {
            side,
            job,
            prepared,
            result,
        });
    })
}

/// Evaluates both fitted methods.
pub fn evaluate_run(
    workers: &mut Workers,
    run: Run,
    settings: EvalSettings,
) -> std::io::Result<u64> {
    workers.start(JobKind::Evaluate, "", move |job, _, reporter| {
        let result = evaluate(&run, &settings).map(Box::new);
        reporter.send(Msg::Evaluated {
            job,
            run: Box::new(run),
            result,
        });
    })
}

/// Runs the equivalence protocol on a fitted run and the evaluation it extends.
pub fn equivalence(
    workers: &mut Workers,
    run: Run,
    base: Arc<Evaluation>,
    settings: crate::config::EquivalenceSettings,
) -> std::io::Result<u64> {
    workers.start(JobKind::Equivalence, "", move |job, cancel, reporter| {
        let progress = reporter.clone();
        let ctl = crate::equivalence::EquivalenceControl {
            cancel,
            on_progress: std::sync::Arc::new(move |p| {
                progress.send(Msg::EquivalenceProgress {
                    job,
                    progress: p.clone(),
                });
            }),
        };
        let result = crate::equivalence::run_equivalence(&run, &base.settings, &settings, &ctl)
            .map(Box::new);
        reporter.send(Msg::EquivalenceDone { job, base, result });
    })
}

/// Runs a sweep: the data prepared for its first point, then every point; each finished point
/// and the progress are reported as they come.
pub fn sweep(
    workers: &mut Workers,
    sweep: crate::config::Sweep,
    points: Vec<Experiment>,
    dataset: Arc<data::Dataset>,
) -> std::io::Result<u64> {
    workers.start(JobKind::Sweep, "", move |job, cancel, reporter| {
        let (progress, finished) = (reporter.clone(), reporter.clone());
        let ctl = crate::sweep::SweepControl {
            cancel,
            on_progress: Arc::new(move |p| {
                progress.send(Msg::SweepProgress {
                    job,
                    progress: p.clone(),
                })
            }),
            on_point: Arc::new(move |p| {
                finished.send(Msg::SweepPoint {
                    job,
                    point: Box::new(p.clone()),
                })
            }),
        };
        let result = match points.first() {
            Some(first) => pipeline::prepare(first, dataset).and_then(|prepared| {
                crate::sweep::run_sweep(&sweep, &points, Arc::new(prepared), &ctl)
            }),
            None => Err(crate::Error::InvalidInput("the sweep has no values".into())),
        };
        reporter.send(Msg::SweepDone {
            job,
            result: result.map(|o| o.missing),
        });
    })
}

/// Opens a native file dialog off the UI thread.
pub fn pick(workers: &mut Workers, purpose: Purpose) -> std::io::Result<u64> {
    workers.start(JobKind::Dialog, "", move |_, _, reporter| {
        let dialog = rfd::FileDialog::new();
        let path = match purpose {
            Purpose::OpenData => dialog
                .add_filter(
                    "Data (CSV, TSV, NPY, NPZ, IDX, Parquet, .gz)",
                    &[
                        "csv",
                        "tsv",
                        "txt",
                        "npy",
                        "npz",
                        "idx",
                        "idx3-ubyte",
                        "idx1-ubyte",
                        "ubyte",
                        "parquet",
                        "pq",
                        "gz",
                    ],
                )
                .add_filter("All files", &["*"])
                .pick_file(),
            Purpose::LabelsFile => dialog
                .add_filter(
                    "Labels (NPY, CSV, IDX)",
                    &["npy", "csv", "tsv", "txt", "idx1-ubyte"],
                )
                .add_filter("All files", &["*"])
                .pick_file(),
            Purpose::LatentsFile(_) => dialog
                .add_filter("Latents (CSV, NPY)", &["csv", "tsv", "npy"])
                .pick_file(),
            Purpose::OpenExperiment => dialog.add_filter("Experiment", &["toml"]).pick_file(),
            Purpose::OutputFolder => dialog.pick_folder(),
        };
        reporter.send(Msg::Picked { purpose, path });
    })
}

/// Writes the report (JSON, Markdown, latents and figures) into `dir`.
pub fn save_report(
    workers: &mut Workers,
    run: Run,
    eval: crate::evaluate::Evaluation,
    equivalence: Option<Arc<Equivalence>>,
    figures: FigureOptions,
    dir: PathBuf,
) -> std::io::Result<u64> {
    workers.start(JobKind::Save, "report", move |_, _, reporter| {
        // the experiment is saved beside the report, so the run can be repeated headless
        // with absolute paths: the file is read from its own folder, not where the app runs
        let mut config =
            crate::config::ExperimentConfig::from_experiment(&run.experiment).with_absolute_paths();
        // an equivalence run in the app is part of what the saved experiment repeats
        if let Some(e) = &equivalence {
            config.equivalence = crate::config::EquivalenceConfig::from_settings(&e.settings);
        }
        let config_path = dir.join("experiment.toml");
        let command = format!(
            "latent-compare compare --config '{}' --out '{}'",
            config_path.display(),
            dir.display()
        );
        let report_value = Report::new(&run, &eval, equivalence.as_deref(), Some(command));
        let result = config.to_toml().and_then(|toml| {
            let folder = output::OutputFolder::open(&dir)?;
            let extra = vec![("experiment.toml", toml.into_bytes())];
            output::write_outputs(&run, &eval, &report_value, &folder, figures, extra)
        });
        let result = result.map(|_| dir);
        reporter.send(Msg::Saved {
            what: "report".into(),
            result,
        });
    })
}

/// Renders files on a job thread and writes them into `dir` (made when missing) as one set:
/// all of them or, on an error, none.
pub fn write_files(
    workers: &mut Workers,
    what: String,
    dir: PathBuf,
    render: impl FnOnce() -> crate::error::Result<Vec<(String, Vec<u8>)>> + Send + 'static,
) -> std::io::Result<u64> {
    workers.start(JobKind::Save, "export", move |_, _, reporter| {
        let result = render().and_then(|files| {
            std::fs::create_dir_all(&dir).map_err(|source| crate::error::Error::Write {
                path: dir.clone(),
                source,
            })?;
            let named: Vec<(&str, &[u8])> = files
                .iter()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .collect();
            crate::fsio::write_set(&dir, &named)
        });
        reporter.send(Msg::Saved {
            what,
            result: result.map(|_| dir),
        });
    })
}

/// Renders bytes on a job thread and writes them to `path`.
pub fn write_bytes(
    workers: &mut Workers,
    what: String,
    path: PathBuf,
    render: impl FnOnce() -> crate::error::Result<Vec<u8>> + Send + 'static,
) -> std::io::Result<u64> {
    workers.start(JobKind::Save, "export", move |_, _, reporter| {
        // written whole: an earlier export stays until the new one is complete
        let result = render().and_then(|bytes| crate::fsio::write_whole(&path, &bytes));
        reporter.send(Msg::Saved {
            what,
            result: result.map(|()| path),
        });
    })
}
