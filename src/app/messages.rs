//! Applies the jobs' messages to the app state, once per frame before drawing.

use std::sync::Arc;

use crate::data::Dataset;
use crate::error::Error;

use super::plots::{Colouring, ScatterSource};
use super::worker::{Msg, Purpose, Side};
use super::{LatentApp, Shown};

impl LatentApp {
    pub(super) fn handle_messages(&mut self) {
        let Some(workers) = self.workers.as_mut() else {
            return;
        };
        for msg in workers.drain() {
            self.handle(msg);
        }
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::LoadProgress {
                source,
                done,
                total,
            } => {
                if self.loading.as_ref().map(|(s, _)| s) == Some(&source) {
                    self.load_progress = Some((done, total));
                }
            }
            Msg::Loaded { source, result } => {
                if self.loading.as_ref().map(|(s, _)| s) != Some(&source) {
                    return;
                }
                self.loading = None;
                self.load_progress = None;
                match result {
                    Ok(dataset) => self.use_dataset(source, dataset),
                    Err(e) => self.fail(format!("{e} — the data already loaded stays")),
                }
            }
            Msg::Prepared { key, result } => {
                if self.preparing.as_ref() != Some(&key) {
                    return;
                }
                self.preparing = None;
                match result {
                    Ok(prepared) if key == self.settings.prep_key() => {
                        if let Some(note) = &prepared.scaling_note {
                            self.status = Some(note.clone());
                        }
                        self.prepared = Some((key, prepared.clone()));
                        for side in [Side::A, Side::B] {
                            if let Some(spec) = self.sides[side.index()].pending.take() {
                                self.start_train(side, spec, prepared.clone());
                            }
                        }
                    }
                    Ok(_) => {
                        // the settings changed meanwhile: prepare again for the pending fits
                        let pending: Vec<(Side, _)> = [Side::A, Side::B]
                            .into_iter()
                            .filter_map(|s| self.sides[s.index()].pending.take().map(|p| (s, p)))
                            .collect();
                        for (side, _) in pending {
                            self.request_train(side);
                        }
                    }
                    Err(e) => {
                        for s in &mut self.sides {
                            s.pending = None;
                        }
                        self.fail(e.to_string());
                    }
                }
            }
            Msg::Epoch { side, job, loss } => {
                let s = &mut self.sides[side.index()];
                if s.job == Some(job) {
                    s.live.push(loss);
                }
            }
            Msg::Trained {
                side,
                job,
                prepared,
                result,
            } => {
                let s = &mut self.sides[side.index()];
                if s.job != Some(job) {
                    return;
                }
                s.job = None;
                s.started = None;
                match result {
                    Ok(outcome) => {
                        s.source = Some(ScatterSource {
                            title: crate::run_figures::title(side.label(), &outcome),
                            subtitle: crate::run_figures::key_figures(&outcome, None),
                            latents: Arc::new(outcome.fitted.latents.clone()),
                        });
                        s.outcome = Some(outcome);
                        s.prepared = Some(prepared);
                        s.status = None;
                        self.shown = None;
                        self.maybe_evaluate();
                    }
                    Err(Error::Cancelled) => {
                        s.status = Some("cancelled — the previous result (if any) is kept".into());
                    }
                    Err(e) => s.status = Some(e.to_string()),
                }
            }
            Msg::Evaluated { job, result } => {
                let Some((_, run)) = self.eval_job.take_if(|(id, _)| *id == job) else {
                    return;
                };
                match result {
                    Ok(evaluation) => self.show_evaluation(run, *evaluation),
                    Err(e) => self.fail(format!("evaluation failed: {e}")),
                }
            }
            Msg::EquivalenceProgress { job, progress } => {
                self.equivalence_progress(job, progress);
            }
            Msg::EquivalenceDone { job, result } => self.equivalence_done(job, result),
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
        self.preparing = None;
        self.shown = None;
        self.eval_note = None;
        // rows of the old data mean nothing in the new one, nor do fits still running on it
        self.explorer.forget_rows();
        self.equivalence.cancel();
        self.scroll_to_top = true;
        if let Some((id, _)) = self.eval_job.take()
            && let Some(w) = self.workers.as_ref()
        {
            w.cancel(id);
        }
        for side in [Side::A, Side::B] {
            let running = self.sides[side.index()].job.is_some();
            self.cancel(side);
            let s = &mut self.sides[side.index()];
            if running {
                s.status = Some("stopped: other data was loaded; train again".into());
            }
            s.job = None;
            s.started = None;
            s.live.clear();
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
        self.equivalence.cancel();
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
                self.request_load(self.path_input.clone());
            }
            Purpose::LatentsFile(side) => {
                self.settings.method_mut(side).file = path.display().to_string();
            }
            Purpose::OpenExperiment => self.open_experiment(path),
            Purpose::OutputFolder => self.settings.out_dir = path.display().to_string(),
        }
    }
}
