//! The "Equivalence over repeated fits" section: its settings (the persisted
//! `Settings::equivalence`, which Experiment ▸ Save writes), a cancellable background run of the
//! protocol with its progress, and the result — the decision, the within/between distributions
//! of a chosen similarity, and the tables of report.md. The numbers come from
//! `crate::equivalence`; this module only lays them out (the tables in `tables.rs`, the plot in
//! `plot.rs`).

mod plot;
mod tables;

use std::sync::Arc;

use crate::equivalence::{Equivalence, EquivalenceProgress};
use crate::evaluate::Evaluation;

use super::LatentApp;
use super::jobs;
use super::worker::JobKind;
use tables::result_ui;

/// The section's own state (its settings live in `Settings::equivalence`, its job in the
/// registry as `JobKind::Equivalence`).
#[derive(Default)]
pub struct EquivalenceView {
    /// The last progress report of the running protocol.
    progress: Option<EquivalenceProgress>,
    /// Why the last run failed.
    error: Option<String>,
    /// Which similarity the plot shows (index into the geometry list).
    metric: usize,
    /// Scroll the progress bar into view on the next frame (a run just started).
    reveal_progress: bool,
}

impl EquivalenceView {
    /// The last progress report of the running protocol.
    pub fn progress(&self) -> Option<&EquivalenceProgress> {
        self.progress.as_ref()
    }

    /// Takes a progress report of the running protocol.
    pub(super) fn set_progress(&mut self, progress: EquivalenceProgress) {
        self.progress = Some(progress);
    }
}

impl LatentApp {
    /// True while the protocol runs.
    pub fn equivalence_running(&self) -> bool {
        self.workers
            .as_ref()
            .is_some_and(|w| w.current(JobKind::Equivalence).is_some())
    }

    /// Stops a running protocol (its result will be ignored).
    pub fn cancel_equivalence(&mut self) {
        if let Some(w) = self.workers.as_mut() {
            w.cancel_kind(JobKind::Equivalence);
        }
        self.equivalence.progress = None;
    }

    pub(super) fn equivalence_done(
        &mut self,
        base: &Arc<Evaluation>,
        result: crate::Result<Box<Equivalence>>,
    ) {
        self.equivalence.progress = None;
        match result {
            Ok(e) => {
                // attach it to the evaluation on screen, if that is still the one it extends
                if let Some(shown) = self.shown.as_mut()
                    && Arc::ptr_eq(&shown.evaluation, base)
                {
                    shown.equivalence = Some(Arc::from(e));
                    self.equivalence.error = None;
                }
            }
            Err(crate::Error::Cancelled) => self.equivalence.error = Some("cancelled".into()),
            Err(e) => self.equivalence.error = Some(format!("the protocol failed: {e}")),
        }
    }

    fn start_equivalence(&mut self) {
        let Some(shown) = &self.shown else { return };
        let Some(workers) = self.workers.as_mut() else {
            return;
        };
        let settings = self.settings.equivalence.clone();
        if let Err(e) = settings.validate() {
            self.equivalence.error = Some(e.to_string());
            return;
        }
        match jobs::equivalence(
            workers,
            shown.run.clone(),
            shown.evaluation.clone(),
            settings,
        ) {
            Ok(_) => {
                self.equivalence.error = None;
                self.equivalence.progress = Some(EquivalenceProgress {
                    stage: "starting".into(),
                    fraction: 0.0,
                });
                self.equivalence.reveal_progress = true;
            }
            Err(e) => self.equivalence.error = Some(format!("cannot start a thread: {e}")),
        }
    }

    pub(super) fn equivalence_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Equivalence over repeated fits");
        ui.label(
            egui::RichText::new(
                "One run of each method cannot tell: train each several times (PCA on bootstrap \
                 resamples), compare the runs within and between methods, and test the criteria.",
            )
            .weak(),
        );
        let Some(shown) = &self.shown else {
            ui.label("Train and evaluate both methods first.");
            return;
        };
        let existing = shown.equivalence.clone();
        let running = self.equivalence_running();
        let view = &mut self.equivalence;
        let settings = &mut self.settings.equivalence;
        let (mut start, mut cancel) = (false, false);
        ui.horizontal_wrapped(|ui| {
            ui.label("Runs per method");
            ui.add_enabled(
                !running,
                egui::DragValue::new(&mut settings.repeats).range(2..=100),
            );
            ui.label("margin δ");
            ui.add_enabled(
                !running,
                egui::DragValue::new(&mut settings.margin)
                    .range(0.0..=0.5)
                    .speed(0.005)
                    .fixed_decimals(3),
            );
            ui.label("stability floor (CKA)")
                .on_hover_text("A method whose runs agree with each other below this linear CKA is too unstable to judge");
            ui.add_enabled(
                !running,
                egui::DragValue::new(&mut settings.stability_floor)
                    .range(0.0..=1.0)
                    .speed(0.01)
                    .fixed_decimals(2),
            );
            ui.label("bootstrap").on_hover_text("Resamples of the rows for the intervals");
            ui.add_enabled(
                !running,
                egui::DragValue::new(&mut settings.resamples).range(20..=100_000),
            );
            if running {
                cancel = ui.button("Cancel").clicked();
                if cancel {
                    // said at once; the job itself is stopped after this section is drawn
                    view.error = Some("cancelled".into());
                    view.progress = None;
                }
            } else {
                start = ui.button("Run equivalence").clicked();
            }
        });
        if let Some(p) = &view.progress {
            let bar = ui.add(egui::ProgressBar::new(p.fraction as f32).text(format!(
                "{} · {:.0} % of the protocol",
                p.stage,
                p.fraction * 100.0
            )));
            if std::mem::take(&mut view.reveal_progress) {
                bar.scroll_to_me(Some(egui::Align::Center));
            }
        }
        if let Some(error) = &view.error {
            ui.colored_label(ui.visuals().warn_fg_color, error);
        }
        if let Some(e) = &existing {
            if running || view.error.is_some() {
                ui.label(
                    egui::RichText::new(format!(
                        "Previous result ({} runs per method), kept until a run finishes:",
                        e.repeats
                    ))
                    .italics(),
                );
            }
            result_ui(ui, e, &mut view.metric);
        }
        if cancel {
            self.cancel_equivalence();
        }
        if start {
            self.start_equivalence();
        }
    }
}
