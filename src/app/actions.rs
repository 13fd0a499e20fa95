//! What the user's clicks start: loading, preparing and training, evaluating, file dialogs,
//! saving and exporting. Each starts a job; results come back as messages.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::config::{Experiment, ExperimentConfig};
use crate::data::LoadOptions;
use crate::methods::MethodSpec;
use crate::pipeline::Run;

use super::worker::{JobKind, Purpose, Side, Workers};
use super::{LatentApp, SideStatus, Training, jobs};

impl LatentApp {
    fn workers(&mut self) -> Option<&mut Workers> {
        self.workers.as_mut()
    }

    /// Shows `message` in the banner.
    pub(super) fn fail(&mut self, message: impl Into<String>) {
        self.banner = Some(message.into());
    }

    fn spawned(&mut self, what: &str, result: std::io::Result<u64>) -> Option<u64> {
        match result {
            Ok(id) => Some(id),
            Err(e) => {
                self.fail(format!("could not start the {what} job: {e}"));
                None
            }
        }
    }

    /// Starts loading a built-in dataset or a file; the current data stays until it succeeds.
    pub fn request_load(&mut self, source: String) {
        let source = source.trim().to_string();
        if source.is_empty() {
            self.fail("type a file path or pick a built-in dataset");
            return;
        }
        let options = self.settings.load.clone();
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::load(workers, source, options);
        if self.spawned("load", started).is_some() {
            self.load_progress = None;
        }
    }

    /// Loads another source (a built-in name or a file path). The label column, labels file,
    /// left-out columns and image shape belong to one file, so they start from the defaults
    /// (the missing-value policy stays); the same source loads again with its options.
    pub fn open_source(&mut self, source: String) {
        let source = source.trim().to_string();
        if !source.is_empty() && source != self.settings.data {
            self.settings.load = LoadOptions {
                missing: self.settings.load.missing,
                ..LoadOptions::default()
            };
        }
        self.request_load(source);
    }

    /// The source being loaded, if any.
    pub fn loading(&self) -> Option<&str> {
        self.workers.as_ref()?.label(JobKind::Load)
    }

    /// How far the load is (bytes read of a file, rows generated of a built-in), once the loader
    /// has reported it.
    pub fn load_progress(&self) -> Option<crate::data::LoadProgress> {
        self.load_progress
    }

    /// While loading: a bar of the bytes read or rows generated once the loader reports them,
    /// else a spinner.
    pub(super) fn load_progress_ui(&self, ui: &mut egui::Ui) {
        if self.loading().is_none() {
            return;
        }
        match self.load_progress {
            Some(p) => {
                let fraction = p.done as f32 / p.total.max(1) as f32;
                let text = match p.unit {
                    crate::data::LoadUnit::Bytes => {
                        let mb = |b: u64| b as f64 / 1e6;
                        format!("{:.0} / {:.0} MB", mb(p.done), mb(p.total))
                    }
                    crate::data::LoadUnit::Rows => {
                        format!("generating {} / {} rows", p.done, p.total)
                    }
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(200.0)
                        .text(text),
                );
            }
            None => {
                ui.spinner();
            }
        }
    }

    /// Trains one method: prepares the data first when the settings changed it.
    pub fn request_train(&mut self, side: Side) {
        if self.sides[side.index()].is_busy() {
            return;
        }
        let spec = match self.settings.method(side).spec() {
            Ok(spec) => spec,
            Err(e) => {
                self.sides[side.index()].status = SideStatus::Failed(e.to_string());
                return;
            }
        };
        let Some(dataset) = self.dataset.clone() else {
            self.fail("no data loaded yet: pick a dataset or open a file first");
            return;
        };
        self.sides[side.index()].status = SideStatus::Idle;
        let key = self.settings.prep_key();
        if let Some((k, prepared)) = &self.prepared
            && *k == key
        {
            let prepared = prepared.clone();
            self.start_train(side, spec, prepared);
            return;
        }
        self.sides[side.index()].status = SideStatus::WaitingForData(spec);
        // a preparation under way is awaited: if it was made for other settings, its arrival
        // asks for this one
        if self
            .workers
            .as_ref()
            .is_some_and(|w| w.current(JobKind::Prepare).is_some())
        {
            return;
        }
        let experiment = match self.base_experiment() {
            Ok(e) => e,
            Err(e) => {
                self.sides[side.index()].status = SideStatus::Idle;
                self.fail(e.to_string());
                return;
            }
        };
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::prepare(workers, key, dataset, experiment);
        if self.spawned("prepare", started).is_none() {
            self.sides[side.index()].status = SideStatus::Idle;
        }
    }

    /// The experiment of the current data settings (methods default, for preparation).
    fn base_experiment(&self) -> crate::Result<Experiment> {
        let mut config = self.settings.to_config(false);
        config.a = Default::default();
        config.b = Default::default();
        config.equivalence = Default::default();
        config.resolve()
    }

    pub(super) fn start_train(
        &mut self,
        side: Side,
        spec: MethodSpec,
        prepared: Arc<crate::data::Prepared>,
    ) {
        let (epochs, method) = (
            spec.epochs(prepared.all_x().nrows()).unwrap_or(0),
            spec.to_string(),
        );
        let step_word = spec.step_word();
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::train(workers, side, spec, prepared);
        if self.spawned("training", started).is_some() {
            self.sides[side.index()].status = SideStatus::Training(Training {
                started: Instant::now(),
                method,
                epochs_total: epochs,
                step_word,
                live: Vec::new(),
                stage: None,
                live_latents: None,
            });
        }
    }

    /// Trains both methods.
    pub fn request_train_both(&mut self) {
        self.request_train(Side::A);
        self.request_train(Side::B);
    }

    /// Stops a running fit within one batch; the previous result stays.
    pub fn cancel(&mut self, side: Side) {
        let s = &mut self.sides[side.index()];
        if matches!(s.status, SideStatus::WaitingForData(_)) {
            s.status = SideStatus::Idle;
        }
        // the fit stays current until it reports that it stopped
        if let Some(w) = self.workers.as_ref() {
            w.request_cancel(JobKind::Train(side));
        }
    }

    /// Starts the evaluation when A and B are both fitted on the same prepared data.
    pub(super) fn maybe_evaluate(&mut self) {
        let (a, b) = (&self.sides[0], &self.sides[1]);
        let (Some(oa), Some(ob), Some(pa), Some(pb)) =
            (&a.outcome, &b.outcome, &a.prepared, &b.prepared)
        else {
            return;
        };
        if !Arc::ptr_eq(pa, pb) {
            // the one not fitted on the data as now prepared is out of date
            let current = self.prepared.as_ref().map(|(_, p)| p);
            let stale = match (
                current.is_some_and(|p| Arc::ptr_eq(p, pa)),
                current.is_some_and(|p| Arc::ptr_eq(p, pb)),
            ) {
                (true, false) => "B",
                (false, true) => "A",
                _ => "the older one",
            };
            self.eval_note = Some(format!(
                "A and B were fitted on different data, scaling or split; train {stale} again to compare them"
            ));
            return;
        }
        self.eval_note = None;
        let run = Run {
            experiment: Experiment {
                data: self.settings.data.clone(),
                load: self.settings.load.clone(),
                preprocess: pa.preprocess(),
                test_fraction: pa.test_fraction,
                seed: pa.seed,
                a: oa.fitted.spec.clone(),
                b: ob.fitted.spec.clone(),
                eval: self.settings.eval.clone(),
                equivalence: None,
                sweep: None,
            },
            prepared: pa.clone(),
            a: oa.clone(),
            b: ob.clone(),
        };
        let settings = run.experiment.eval.clone();
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::evaluate_run(workers, run, settings);
        self.spawned("evaluation", started);
    }

    /// Opens a native file dialog (off the UI thread).
    pub fn request_dialog(&mut self, purpose: Purpose) {
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::pick(workers, purpose);
        self.spawned("file dialog", started);
    }

    /// The output folder (report, figures, experiment file).
    pub fn out_dir(&self) -> PathBuf {
        let dir = self.settings.out_dir.trim();
        PathBuf::from(if dir.is_empty() {
            crate::output::DEFAULT_OUT_DIR
        } else {
            dir
        })
    }

    /// Back to the defaults (the data is loaded again).
    pub fn reset_settings(&mut self) {
        self.settings = super::state::Settings::default();
        self.loss_view.log_scale = false;
        self.explorer.reset(self.workers.as_mut());
        self.scatter_view.set_box_select(false);
        self.cancel_equivalence();
        self.path_input.clear();
        let source = self.settings.data.clone();
        self.request_load(source);
    }

    /// Writes the current settings as an experiment TOML (creating its folder).
    pub fn save_experiment(&mut self, path: PathBuf) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            self.fail(format!("{}: cannot create the folder ({e})", dir.display()));
            return;
        }
        let protocol_ran = self.shown.as_ref().is_some_and(|s| s.equivalence.is_some());
        match self
            .settings
            .to_config(protocol_ran)
            .with_absolute_paths()
            .to_file(&path)
        {
            Ok(()) => self.status = Some(format!("saved the experiment to {}", path.display())),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Reads an experiment TOML into the settings and loads its data.
    pub fn open_experiment(&mut self, path: PathBuf) {
        let applied =
            ExperimentConfig::from_file(&path).and_then(|c| self.settings.apply_config(&c));
        match applied {
            Ok(()) => {
                self.status = Some(format!("opened the experiment {}", path.display()));
                let source = self.settings.data.clone();
                self.request_load(source);
            }
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Writes report.json, report.md, latents and figures into `dir`.
    pub fn save_report(&mut self, dir: PathBuf) {
        let Some(shown) = &self.shown else {
            self.fail("nothing to save yet: train both methods first");
            return;
        };
        let (run, eval) = (shown.run.clone(), (*shown.evaluation).clone());
        let equivalence = shown.equivalence.clone();
        let figures = crate::output::FigureOptions {
            size: Default::default(),
            log_loss: self.settings.log_loss,
        };
        let Some(workers) = self.workers() else {
            return;
        };
        let started = jobs::save_report(workers, run, eval, equivalence, figures, dir);
        self.spawned("save", started);
    }
}
