//! Background work: every job (load, prepare, train A, train B, evaluate, equivalence, file dialogs, exports)
//! runs on a named thread that owns its inputs, reports through one channel and asks egui to
//! repaint. The UI drains the channel at the start of each frame and never waits on a job,
//! except when the app closes: then every job is cancelled and joined.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::data::{Dataset, Prepared};
use crate::error::Result;
use crate::evaluate::Evaluation;
use crate::methods::EpochLoss;
use crate::pipeline::MethodOutcome;

use super::state::PrepKey;

pub use crate::pipeline::Side;

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A data file to load.
    OpenData,
    /// A latents file for a precomputed method.
    LatentsFile(Side),
    /// An experiment TOML to open.
    OpenExperiment,
    /// The folder for the report, figures and experiment file.
    OutputFolder,
}

/// A message from a job to the UI.
pub enum Msg {
    /// A dataset finished loading (`source` is what was asked for).
    Loaded {
        /// Built-in name or path.
        source: String,
        /// The dataset or why not.
        result: Result<Arc<Dataset>>,
    },
    /// Part of a file was read.
    LoadProgress {
        /// Built-in name or path.
        source: String,
        /// Bytes read.
        done: u64,
        /// Bytes in the file.
        total: u64,
    },
    /// The data was scaled and split.
    Prepared {
        /// What it was prepared from.
        key: PrepKey,
        /// The prepared data or why not.
        result: Result<Arc<Prepared>>,
    },
    /// One epoch of a fit finished.
    Epoch {
        /// Which method.
        side: Side,
        /// The job's id.
        job: u64,
        /// Its losses.
        loss: EpochLoss,
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
    /// The equivalence protocol finished.
    EquivalenceDone {
        /// The job's id.
        job: u64,
        /// The outcome (boxed: it is much larger than the other messages), or why not.
        result: Result<Box<crate::equivalence::Equivalence>>,
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

/// The sending half a job uses; every send asks egui for a repaint.
#[derive(Clone)]
pub struct Reporter {
    tx: Sender<Msg>,
    ctx: egui::Context,
}

impl Reporter {
    /// Sends a message (ignored when the app is gone) and wakes the UI.
    pub fn send(&self, msg: Msg) {
        let _ = self.tx.send(msg);
        self.ctx.request_repaint();
    }
}

struct Job {
    id: u64,
    cancel: Arc<AtomicBool>,
    handle: JoinHandle<()>,
}

/// Owns the job threads and the channel.
pub struct Workers {
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    ctx: egui::Context,
    jobs: Vec<Job>,
    next_id: u64,
}

impl Workers {
    /// A worker pool that wakes `ctx` on every message.
    pub fn new(ctx: egui::Context) -> Self {
        let (tx, rx) = channel();
        Workers {
            tx,
            rx,
            ctx,
            jobs: Vec::new(),
            next_id: 1,
        }
    }

    /// Starts a job on a thread named `name`; returns its id and cancel flag. A thread that cannot
    /// be started is reported through `on_spawn_error`'s message.
    pub fn spawn(
        &mut self,
        name: &str,
        work: impl FnOnce(u64, Arc<AtomicBool>, Reporter) + Send + 'static,
    ) -> std::io::Result<(u64, Arc<AtomicBool>)> {
        let id = self.next_id;
        self.next_id += 1;
        let cancel = Arc::new(AtomicBool::new(false));
        let reporter = Reporter {
            tx: self.tx.clone(),
            ctx: self.ctx.clone(),
        };
        let flag = cancel.clone();
        let handle = std::thread::Builder::new()
            .name(format!("latent-compare {name}"))
            .spawn(move || work(id, flag, reporter))?;
        self.jobs.push(Job {
            id,
            cancel: cancel.clone(),
            handle,
        });
        Ok((id, cancel))
    }

    /// Every message that arrived since the last call; finished threads are joined.
    pub fn drain(&mut self) -> Vec<Msg> {
        let messages: Vec<Msg> = self.rx.try_iter().collect();
        let (done, running): (Vec<Job>, Vec<Job>) =
            self.jobs.drain(..).partition(|j| j.handle.is_finished());
        self.jobs = running;
        for job in done {
            let _ = job.handle.join();
        }
        messages
    }

    /// Asks the job with this id to stop (it checks its flag every batch).
    pub fn cancel(&self, id: u64) {
        if let Some(job) = self.jobs.iter().find(|j| j.id == id) {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// True while the job with this id is running.
    pub fn is_running(&self, id: u64) -> bool {
        self.jobs
            .iter()
            .any(|j| j.id == id && !j.handle.is_finished())
    }

    /// Number of jobs still running.
    pub fn running(&self) -> usize {
        self.jobs.iter().filter(|j| !j.handle.is_finished()).count()
    }

    /// Cancels every job and waits for all of them.
    pub fn shutdown(&mut self) {
        for job in &self.jobs {
            job.cancel.store(true, Ordering::Relaxed);
        }
        for job in self.jobs.drain(..) {
            let _ = job.handle.join();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn jobs_report_through_the_channel_and_shutdown_cancels_and_joins() {
        let mut workers = Workers::new(egui::Context::default());
        let (id, _) = workers
            .spawn("test", |_, cancel, reporter| {
                while !cancel.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                reporter.send(Msg::Saved {
                    what: "stopped".into(),
                    result: Ok(PathBuf::new()),
                });
            })
            .unwrap();
        assert!(workers.is_running(id));
        workers.cancel(id);
        let started = Instant::now();
        let mut got = Vec::new();
        while got.is_empty() && started.elapsed() < Duration::from_secs(5) {
            got = workers.drain();
        }
        assert!(matches!(&got[..], [Msg::Saved { what, .. }] if what == "stopped"));
        let (id, _) = workers
            .spawn("forever", |_, cancel, _| {
                while !cancel.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(1));
                }
            })
            .unwrap();
        assert!(workers.is_running(id));
        workers.shutdown();
        assert_eq!(workers.running(), 0);
    }
}
