//! Applies the jobs' messages to the app state, once per frame before drawing.

use std::sync::Arc;

use crate::data::Dataset;
use crate::error::Error;

use super::plots::{Colouring, ScatterSource};
use super::worker::{JobKind, Msg, Purpose, Side};
use super::{LatentApp, Shown, SideStatus};

/// The end of a failed load's banner (a later successful load clears that banner).
const LOAD_FAILED: &str = " — the data already loaded stays";

impl LatentApp {
    pub(super) fn handle_messages(&mut self) {
        let Some(workers) = self.workers.as_mut() else {
            return;
        };
        let ctx = workers.ctx().clone();
        for msg in workers.drain() {
            self.handle(msg, &ctx);
        }
    }

    /// True (and the kind is free again) when `job` is the current job of `kind`: a message
    /// from a job that was replaced or cancelled is ignored.
    fn finish(&mut self, kind: JobKind, job: u64) -> bool {
        self.workers.as_mut().is_some_and(|w| w.finish(kind, job))
    }

    fn is_current(&self, kind: JobKind, job: u64) -> bool {
        self.workers
            .as_ref()
            .is_some_and(|w| w.is_current(kind, job))
    }

    /// The spec a side waits to fit once the data is prepared (the side is idle again).
    fn take_waiting(&mut self, side: Side) -> Option<crate::methods::MethodSpec> {
        let s = &mut self.sides[side.index()];
        match std::mem::take(&mut s.status) {
            SideStatus::WaitingForData(spec) => Some(spec),
            other => {
                s.status = other;
                None
            }
        }
    }

    fn handle(&mut self, msg: Msg, ctx: &egui::Context) {
        match msg {
            Msg::LoadProgress { job, progress } => {
                if self.is_current(JobKind::Load, job) {
                    self.load_progress = Some(progress);
                }
            }
            Msg::Loaded {
                job,
                source,
                options,
                result,
            } => {
                if !self.finish(JobKind::Load, job) {
                    return;
                }
                self.load_progress = None;
                match result {
                    Ok(dataset) => {
                        // a load error in the banner is answered by this load
                        if self
                            .banner
                            .as_deref()
                            .is_some_and(|b| b.ends_with(LOAD_FAILED))
                        {
                            self.banner = None;
                        }
                        self.loaded = Some((source.clone(), options));
                        self.data_options.set_problem(None);
                        self.use_dataset(source, dataset);
                    }
                    Err(e) => {
                        // the settings go back to what the data on screen was read with, so
                        // that the options shown, the next fit and a saved experiment match it
                        if let Some((data, load)) = self.loaded.clone() {
                            self.settings.data = data;
                            self.settings.load = load;
                        }
                        self.data_options.set_problem(Some(e.to_string()));
                        self.fail(format!("{e}{LOAD_FAILED}"));
                    }
                }
            }
            Msg::Prepared { job, key, result } => {
                if !self.finish(JobKind::Prepare, job) {
                    return;
                }
                match result {
                    Ok(prepared) if key == self.settings.prep_key() => {
                        // the note about the last scaling goes when the new one has none
                        let old_note = self
                            .prepared
                            .as_ref()
                            .and_then(|(_, p)| p.scaling_note.clone());
                        if prepared.scaling_note.is_some() || self.status == old_note {
                            self.status = prepared.scaling_note.clone();
                        }
                        self.prepared = Some((key, prepared.clone()));
                        for side in Side::BOTH {
                            if let Some(spec) = self.take_waiting(side) {
                                self.start_train(side, spec, prepared.clone());
                            }
                        }
                    }
                    Ok(_) => {
                        // the settings changed meanwhile: prepare again for the waiting fits
                        for side in Side::BOTH {
                            if self.take_waiting(side).is_some() {
                                self.request_train(side);
                            }
                        }
                    }
                    Err(e) => {
                        for side in Side::BOTH {
                            self.take_waiting(side);
                        }
                        self.fail(e.to_string());
                    }
                }
            }
            Msg::Stage { side, job, stage } => {
                if self.is_current(JobKind::Train(side), job)
                    && let SideStatus::Training(t) = &mut self.sides[side.index()].status
                {
                    // the covariance's two threads may report out of order: the bar never goes back
                    if t.stage.is_none_or(|s| stage.done >= s.done) {
                        t.stage = Some(stage);
                    }
                }
            }
            Msg::Epoch { side, job, loss } => {
                if self.is_current(JobKind::Train(side), job)
                    && let SideStatus::Training(t) = &mut self.sides[side.index()].status
                {
                    t.live.push(loss);
                }
            }
            Msg::Latents {
                side,
                job,
                latents,
                iteration,
            } => {
                if self.is_current(JobKind::Train(side), job)
                    && let SideStatus::Training(t) = &mut self.sides[side.index()].status
                {
                    t.live_latents = Some(ScatterSource {
                        title: format!("{}: {}, settling", side.label(), t.method),
                        subtitle: format!("{} {iteration} of {}", t.step_word, t.epochs_total),
                        latents: Arc::new(latents),
                    });
                }
            }
            Msg::Trained {
                side,
                job,
                prepared,
                result,
            } => {
                if !self.finish(JobKind::Train(side), job) {
                    return;
                }
                let s = &mut self.sides[side.index()];
                match result {
                    Ok(outcome) => {
                        s.take_fit(side, outcome, prepared, None);
                        self.shown = None;
                        self.maybe_evaluate();
                    }
                    Err(Error::Cancelled) => {
                        s.status = SideStatus::Failed(
                            "cancelled — the previous result (if any) is kept".into(),
                        );
                    }
                    Err(e) => s.status = SideStatus::Failed(e.to_string()),
                }
            }
            Msg::Evaluated { job, run, result } => {
                if !self.finish(JobKind::Evaluate, job) {
                    return;
                }
                match result {
                    Ok(evaluation) => self.show_evaluation(*run, *evaluation),
                    Err(e) => self.fail(format!("evaluation failed: {e}")),
                }
            }
            Msg::EquivalenceProgress { job, progress } => {
                if self.is_current(JobKind::Equivalence, job) {
                    self.equivalence.set_progress(progress);
                }
            }
            Msg::SweepProgress { job, progress } => {
                if self.is_current(JobKind::Sweep, job) {
                    self.sweep.set_progress(progress);
                }
            }
            Msg::SweepPoint { job, point } => {
                if self.is_current(JobKind::Sweep, job) {
                    self.sweep.add_point(*point);
                }
            }
            Msg::SweepDone { job, result } => {
                if self.finish(JobKind::Sweep, job) {
                    self.sweep.done(result);
                }
            }
            Msg::EquivalenceDone { job, base, result } => {
                if self.finish(JobKind::Equivalence, job) {
                    self.equivalence_done(&base, result);
                }
            }
            Msg::Decoded {
                job,
                target,
                result,
            } => {
                if self.finish(JobKind::Decode(target), job) {
                    self.explorer.decoded(ctx, result);
                }
            }
            Msg::Picked { purpose, path } => match path {
                Some(path) => self.picked(purpose, path),
                None => {
                    self.status = Some(
                        "nothing chosen (if no dialog appeared, your desktop has no file-dialog service: type the path instead)".into(),
                    );
                }
            },
            Msg::Saved { what, result } => match result {
                Ok(path) => self.status = Some(format!("saved the {what} to {}", path.display())),
                Err(e) => self.fail(format!("could not save the {what}: {e}")),
            },
        }
    }

    fn use_dataset(&mut self, source: String, dataset: Arc<Dataset>) {
        self.settings.data = source;
        self.colouring = Colouring::from_labels(dataset.labels.as_ref());
        self.status = (!dataset.notes.is_empty()).then(|| dataset.notes.join("; "));
        self.dataset = Some(dataset);
        self.prepared = None;
        self.shown = None;
        self.eval_note = None;
        // rows of the old data mean nothing in the new one, nor do fits still running on it
        self.explorer.forget_rows(self.workers.as_mut());
        self.cancel_equivalence();
        self.scroll_to_top = true;
        if let Some(w) = self.workers.as_mut() {
            w.cancel_kind(JobKind::Prepare);
            w.cancel_kind(JobKind::Evaluate);
        }
        for side in Side::BOTH {
            let running = self.sides[side.index()].is_busy();
            // forgotten, not just stopped: its last message must not replace what is said here
            if let Some(w) = self.workers.as_mut() {
                w.cancel_kind(JobKind::Train(side));
            }
            let s = &mut self.sides[side.index()];
            s.status = if running {
                SideStatus::Failed("stopped: other data was loaded; train again".into())
            } else {
                SideStatus::Idle
            };
            s.outcome = None;
            s.prepared = None;
            s.source = None;
        }
    }

    fn show_evaluation(
        &mut self,
        run: crate::pipeline::Run,
        evaluation: crate::evaluate::Evaluation,
    ) {
        for (side, outcome, e) in [
            (Side::A, &run.a, &evaluation.a),
            (Side::B, &run.b, &evaluation.b),
        ] {
            if let Some(source) = self.sides[side.index()].source.as_mut() {
                source.subtitle = crate::run_figures::key_figures(outcome, Some(e));
            }
        }
        // a protocol running for the previous fits no longer applies
        self.cancel_equivalence();
        self.shown = Some(Shown {
            run,
            evaluation: Arc::new(evaluation),
            equivalence: None,
        });
    }

    fn picked(&mut self, purpose: Purpose, path: std::path::PathBuf) {
        match purpose {
            Purpose::OpenData => {
                self.path_input = path.display().to_string();
                self.open_source(self.path_input.clone());
            }
            Purpose::LabelsFile => self.set_labels_file(Some(path)),
            Purpose::LatentsFile(side) => {
                self.settings.method_mut(side).file = path.display().to_string();
            }
            Purpose::OpenExperiment => self.open_experiment(path),
            Purpose::OutputFolder => self.settings.out_dir = path.display().to_string(),
        }
    }
}
