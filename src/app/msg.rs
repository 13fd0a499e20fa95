//! The messages jobs send to the UI: one variant per thing a job reports (progress, a result,
//! a failure), each with the id of the job that sent it so that the UI can ignore a job that is
//! no longer current.

use std::path::PathBuf;
use std::sync::Arc;

use crate::data::{Dataset, LoadOptions, Prepared};
use crate::error::Result;
use crate::evaluate::Evaluation;
use crate::methods::EpochLoss;
use crate::pipeline::MethodOutcome;

use super::state::PrepKey;
use super::worker::{DecodeTarget, Purpose, Side};

/// A message from a job to the UI.
pub enum Msg {
    /// A dataset finished loading (`source` is what was asked for).
    Loaded {
        /// The job's id.
        job: u64,
        /// Built-in name or path.
        source: String,
        /// How it was read.
        options: LoadOptions,
        /// The dataset or why not.
        result: Result<Arc<Dataset>>,
    },
    /// Part of a file was read.
    LoadProgress {
        /// The job's id.
        job: u64,
        /// Bytes read or rows generated.
        progress: crate::data::LoadProgress,
    },
    /// The data was scaled and split.
    Prepared {
        /// The job's id.
        job: u64,
        /// What it was prepared from.
        key: PrepKey,
        /// The prepared data or why not.
        result: Result<Arc<Prepared>>,
    },
    /// One epoch of a fit finished.
    /// A fit without epochs (PCA) moved on.
    Stage {
        /// Which method.
        side: Side,
        /// The job's id.
        job: u64,
        /// Where it stands.
        stage: crate::methods::FitStage,
    },
    Epoch {
        /// Which method.
        side: Side,
        /// The job's id.
        job: u64,
        /// Its losses.
        loss: EpochLoss,
    },
    /// A fit's latents as they form (t-SNE).
    Latents {
        /// Which method.
        side: Side,
        /// The job's id.
        job: u64,
        /// Latents of every row.
        latents: ndarray::Array2<f32>,
        /// The iteration they are from.
        iteration: usize,
    },
    /// A fit finished.
    Trained {
        /// Which method.
        side: Side,
        /// The job's id.
        job: u64,
        /// The data it was fitted on.
        prepared: Arc<Prepared>,
        /// The fit, or why not.
        result: Result<Arc<MethodOutcome>>,
    },
    /// An evaluation finished.
    Evaluated {
        /// The job's id.
        job: u64,
        /// The run it evaluated (boxed: it holds the whole experiment).
        run: Box<crate::pipeline::Run>,
        /// The evaluation, or why not (boxed: it is much larger than the other messages).
        result: Result<Box<Evaluation>>,
    },
    /// The equivalence protocol advanced.
    EquivalenceProgress {
        /// The job's id.
        job: u64,
        /// Where it is.
        progress: crate::equivalence::EquivalenceProgress,
    },
    /// A sweep moved on.
    SweepProgress {
        /// The job's id.
        job: u64,
        /// Where it stands.
        progress: crate::sweep::SweepProgress,
    },
    /// A sweep finished a point.
    SweepPoint {
        /// The job's id.
        job: u64,
        /// The point (boxed: it holds both fits).
        point: Box<crate::sweep::SweepPoint>,
    },
    /// A sweep finished: its points that did not finish, or why it could not run.
    SweepDone {
        /// The job's id.
        job: u64,
        /// The points that did not finish, or the error.
        result: Result<Vec<crate::sweep::MissingPoint>>,
    },
    /// The equivalence protocol finished.
    EquivalenceDone {
        /// The job's id.
        job: u64,
        /// The evaluation it extends.
        base: Arc<Evaluation>,
        /// The outcome (boxed: it is much larger than the other messages), or why not.
        result: Result<Box<crate::equivalence::Equivalence>>,
    },
    /// A decode job finished.
    Decoded {
        /// The job's id.
        job: u64,
        /// What it decoded.
        target: DecodeTarget,
        /// The decoded point or grid (boxed: it is large), or why not.
        result: Result<Box<crate::app::explorer::DecodeOutput>>,
    },
    /// A file dialog closed (`None`: the user cancelled it).
    Picked {
        /// Why it was opened.
        purpose: Purpose,
        /// The chosen path.
        path: Option<PathBuf>,
    },
    /// A file was written (or not).
    Saved {
        /// What was saved, for the status line.
        what: String,
        /// Where, or why not.
        result: Result<PathBuf>,
    },
}
