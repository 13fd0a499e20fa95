//! The centre: both latent spaces side by side, the loss curves, and the evaluation table with
//! the verdict. Everything shown here was computed by jobs; this file only lays it out.

use crate::methods::EpochLoss;

use super::evaluation_view::{evaluation_ui, verdict_line};
use super::explorer::{ExploreInputs, fits_of};
use super::worker::{JobKind, Side};
use super::{LatentApp, ScatterSource, SideState, SideStatus, Training};

/// Below this width of the centre the loss curves and the evaluation stack instead of standing
/// side by side (the table needs about 420 points, the curves 340).
const SIDE_BY_SIDE_WIDTH: f32 = 780.0;

/// The loss curves to draw: the live losses of a running fit, else the last fit's history.
/// What a side's scatter plot draws: its latents as they form while it settles (t-SNE), else
/// its last result.
fn shown_source(s: &SideState) -> Option<&ScatterSource> {
    match &s.status {
        SideStatus::Training(Training {
            live_latents: Some(live),
            ..
        }) => Some(live),
        _ => s.source.as_ref(),
    }
}

fn curves_of(sides: &[SideState; 2]) -> Vec<(String, &[EpochLoss])> {
    [Side::A, Side::B]
        .into_iter()
        .filter_map(|side| {
            let s = &sides[side.index()];
            let (name, losses): (String, &[EpochLoss]) = if s.is_training() {
                (format!("{} (training)", side.label()), s.live())
            } else {
                let o = s.outcome.as_ref()?;
                (
                    format!("{}: {}", side.label(), o.fitted.spec.kind()),
                    &o.fitted.loss_history,
                )
            };
            (!losses.is_empty()).then_some((name, losses))
        })
        .collect()
}

impl LatentApp {
    pub(super) fn results_ui(&mut self, ui: &mut egui::Ui) {
        let Some(dataset) = self.dataset.clone() else {
            ui.centered_and_justified(|ui| {
                if let Some(source) = self.loading() {
                    ui.vertical_centered(|ui| {
                        ui.label(format!("Loading {source}…"));
                        self.load_progress_ui(ui);
                    });
                } else {
                    ui.label("Pick a dataset or open a file to begin.");
                }
            });
            return;
        };
        let mut area = egui::ScrollArea::vertical();
        if std::mem::take(&mut self.scroll_to_top) {
            // new data: start at its plots, not where the old data's page was scrolled to
            area = area.vertical_scroll_offset(0.0);
        }
        area.show(ui, |ui| {
            let evaluating = self
                .workers
                .as_ref()
                .is_some_and(|w| w.current(JobKind::Evaluate).is_some());
            let fitting = self.sides.iter().any(SideState::is_busy);
            let waiting = if fitting {
                "fitting…"
            } else if evaluating {
                "evaluating…"
            } else if self.eval_note.is_some() {
                "none (see the evaluation below)"
            } else {
                "train both methods to compare them"
            };
            let verdict = self
                .shown
                .as_ref()
                .map(|s| &s.evaluation.comparison.verdict);
            verdict_line(ui, verdict, waiting);
            let (a, b) = (shown_source(&self.sides[0]), shown_source(&self.sides[1]));
            self.explorer.before_plots(&mut self.scatter_view);
            let n_rows = dataset.n_samples();
            let colouring = self
                .explorer
                .colouring(&self.colouring, self.shown.as_ref(), n_rows);
            self.scatter_view.ui(ui, a, b, colouring, &dataset);
            let inputs = ExploreInputs {
                dataset: &dataset,
                shown: self.shown.as_ref(),
                fits: fits_of(&self.sides),
                out_dir: &self.settings.out_dir,
            };
            // the frame's messages were drained after the workers were made: they exist here
            if let Some(workers) = self.workers.as_mut() {
                self.explorer
                    .after_plots(ui, &mut self.scatter_view, &inputs, workers);
                ui.add_space(6.0);
                // folded at first, so the evaluation stays in view under the plots
                egui::CollapsingHeader::new("Explore: neighbours, morph, 3-D, decoder…")
                    .default_open(false)
                    .show(ui, |ui| {
                        self.explorer
                            .ui(ui, &mut self.scatter_view, &inputs, workers)
                    });
            }
            ui.add_space(8.0);
            ui.separator();
            let curves = curves_of(&self.sides);
            let no_curve_text = if self.settings.a.kind.is_trained()
                || self.settings.b.kind.is_trained()
            {
                "No loss curve yet: train the autoencoder, VAE, t-SNE or UMAP to see its losses."
            } else {
                "No loss curve: PCA and precomputed latents are not trained by epochs."
            };
            let loss_view = &mut self.loss_view;
            let (note, shown) = (&self.eval_note, &self.shown);
            let width = ui.available_width();
            let mut loss_ui = |ui: &mut egui::Ui| {
                ui.heading("Loss");
                if curves.is_empty() {
                    ui.label(no_curve_text);
                } else {
                    loss_view.ui(ui, &curves);
                }
            };
            // while a new evaluation is awaited the old one's height stays reserved, so that
            // the page does not shrink under the pointer and jump back when it arrives
            let reserved = &mut self.evaluation_height;
            let waiting_for_one = shown.is_none() && (evaluating || fitting);
            let mut eval_ui = |ui: &mut egui::Ui| {
                let top = ui.cursor().top();
                egui::ScrollArea::horizontal()
                    .id_salt("evaluation")
                    .show(ui, |ui| {
                        evaluation_ui(ui, note.as_deref(), evaluating, shown.as_ref())
                    });
                let used = ui.cursor().top() - top;
                if shown.is_some() {
                    *reserved = used;
                } else if waiting_for_one && used < *reserved {
                    ui.add_space(*reserved - used);
                }
            };
            if width >= SIDE_BY_SIDE_WIDTH {
                ui.horizontal_top(|ui| {
                    ui.allocate_ui(egui::vec2(width * 0.45, 320.0), |ui| {
                        ui.vertical(loss_ui);
                    });
                    ui.separator();
                    ui.vertical(eval_ui);
                });
            } else {
                loss_ui(ui);
                ui.add_space(8.0);
                ui.separator();
                eval_ui(ui);
            }
            ui.add_space(8.0);
            ui.separator();
            self.equivalence_ui(ui);
            ui.add_space(8.0);
            ui.separator();
            self.sweep_ui(ui);
        });
    }
}
