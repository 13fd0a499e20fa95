//! Background work: every job (load, prepare, train A, train B, evaluate, equivalence, file
//! dialogs, saves, exports) runs on a named thread that owns its inputs, reports through one
//! channel and asks egui to repaint. The UI drains the channel at the start of each frame and
//! never waits on a job, except when the app closes: then every job is cancelled and joined.
//!
//! The registry is keyed by [`JobKind`]: at most one job of each exclusive kind is current;
//! starting another cancels it, and a message from a job that is no longer current is ignored
//! ([`Workers::finish`] and [`Workers::is_current`] tell).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

pub use crate::pipeline::Side;

/// What a job does: the registry's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Load a built-in dataset or a file.
    Load,
    /// Scale and split the data.
    Prepare,
    /// Fit one method.
    Train(Side),
    /// Evaluate both fits.
    Evaluate,
    /// The equivalence protocol.
    Equivalence,
    /// A sweep of one setting.
    Sweep,
    /// Decode a clicked point, or a grid, with a fitted model.
    Decode(DecodeTarget),
    /// A native file dialog.
    Dialog,
    /// Write the report, an experiment or a figure.
    Save,
}

impl JobKind {
    /// True for the kinds of which only the newest job counts (a new one cancels the old);
    /// dialogs and saves run side by side.
    pub fn is_exclusive(self) -> bool {
        !matches!(self, JobKind::Dialog | JobKind::Save)
    }

    /// The thread's name.
    fn thread_name(self) -> String {
        match self {
            JobKind::Load => "load".into(),
            JobKind::Prepare => "prepare".into(),
            JobKind::Train(side) => format!("train {}", side.label()),
            JobKind::Evaluate => "evaluate".into(),
            JobKind::Equivalence => "equivalence".into(),
            JobKind::Sweep => "sweep".into(),
            JobKind::Decode(DecodeTarget::Point) => "decode point".into(),
            JobKind::Decode(DecodeTarget::Grid) => "decode grid".into(),
            JobKind::Dialog => "file dialog".into(),
            JobKind::Save => "save".into(),
        }
    }
}

/// What a decode job decodes (a point and a grid may be decoded at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecodeTarget {
    /// A clicked point of a latent plot.
    Point,
    /// A grid over a latent plane.
    Grid,
}

/// The current job of an exclusive kind.
struct Current {
    id: u64,
    cancel: Arc<AtomicBool>,
    /// What it works on, for the UI (e.g. the source being loaded).
    label: String,
}

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A data file to load.
    OpenData,
    /// A labels file for the data file loaded.
    LabelsFile,
    /// A latents file for a precomputed method.
    LatentsFile(Side),
    /// An experiment TOML to open.
    OpenExperiment,
    /// The folder for the report, figures and experiment file.
    OutputFolder,
}

pub use super::msg::Msg;

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
    current: HashMap<JobKind, Current>,
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
            current: HashMap::new(),
            next_id: 1,
        }
    }

    /// Starts a job of `kind` working on `label`; an exclusive kind's previous job is cancelled
    /// and this one becomes current. `work` gets the job's id, its cancel flag and the channel.
    pub fn start(
        &mut self,
        kind: JobKind,
        label: impl Into<String>,
        work: impl FnOnce(u64, Arc<AtomicBool>, Reporter) + Send + 'static,
    ) -> std::io::Result<u64> {
        let (id, cancel) = self.spawn(&kind.thread_name(), work)?;
        if kind.is_exclusive() {
            let label = label.into();
            if let Some(old) = self.current.insert(kind, Current { id, cancel, label }) {
                old.cancel.store(true, Ordering::Relaxed);
            }
        }
        Ok(id)
    }

    /// The context the jobs wake.
    pub fn ctx(&self) -> &egui::Context {
        &self.ctx
    }

    /// The current job of `kind`, if one runs.
    pub fn current(&self, kind: JobKind) -> Option<u64> {
        self.current.get(&kind).map(|c| c.id)
    }

    /// What the current job of `kind` works on.
    pub fn label(&self, kind: JobKind) -> Option<&str> {
        self.current.get(&kind).map(|c| c.label.as_str())
    }

    /// True when `id` is the current job of `kind` (its messages count).
    pub fn is_current(&self, kind: JobKind, id: u64) -> bool {
        self.current(kind) == Some(id)
    }

    /// Called with a job's last message: true (and the kind is free again) when `id` was the
    /// current job of `kind`; false for a job that was replaced or cancelled.
    pub fn finish(&mut self, kind: JobKind, id: u64) -> bool {
        let current = self.is_current(kind, id);
        if current {
            self.current.remove(&kind);
        }
        current
    }

    /// Asks the current job of `kind` to stop (it checks its flag every batch); it stays current,
    /// so its last message (e.g. "cancelled") still counts.
    pub fn request_cancel(&self, kind: JobKind) {
        if let Some(c) = self.current.get(&kind) {
            c.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Stops the current job of `kind` and forgets it: its late messages are ignored.
    pub fn cancel_kind(&mut self, kind: JobKind) {
        if let Some(old) = self.current.remove(&kind) {
            old.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Starts a job on a thread named `name`; returns its id and cancel flag.
    fn spawn(
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
        self.current.clear();
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
#[path = "worker_tests.rs"]
mod tests;
