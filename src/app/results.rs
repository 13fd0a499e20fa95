//! The centre: both latent spaces side by side, the loss curves, and the evaluation table with
//! the verdict. Everything shown here was computed by jobs; this file only lays it out.

use crate::evaluate::{Evaluation, MethodEvaluation};
use crate::methods::EpochLoss;

use super::explorer::{ExploreInputs, fits_of};
use super::worker::{JobKind, Side};
use super::{LatentApp, ScatterSource, Shown, SideState, SideStatus, Training};

use crate::plot::format::metric;

type Row = (&'static str, fn(&MethodEvaluation) -> Option<f64>);

const METHOD_ROWS: [Row; 6] = [
    ("k-NN accuracy (k = 5)", |e| e.knn_accuracy),
    ("Logistic-regression accuracy", |e| e.linear_accuracy),
    ("Trustworthiness", |e| e.trustworthiness),
    ("Continuity", |e| e.continuity),
    ("Silhouette (by class)", |e| e.silhouette),
    ("Encode s / 1000 rows", |e| e.encode_seconds_per_1k),
];

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
            if let Some(shown) = &self.shown {
                verdict_line(ui, &shown.evaluation.comparison.verdict);
            }
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
            };
            // the frame's messages were drained after the workers were made: they exist here
            if let Some(workers) = self.workers.as_mut() {
                self.explorer
                    .after_plots(ui, &mut self.scatter_view, &inputs, workers);
                ui.add_space(6.0);
                // folded at first, so the evaluation stays in view under the plots
                egui::CollapsingHeader::new("Explore: agreement · selection · aligned · decoder")
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
            let evaluating = self
                .workers
                .as_ref()
                .is_some_and(|w| w.current(JobKind::Evaluate).is_some());
            let (note, shown) = (&self.eval_note, &self.shown);
            let width = ui.available_width();
            ui.horizontal_top(|ui| {
                ui.allocate_ui(egui::vec2(width * 0.48, 320.0), |ui| {
                    ui.vertical(|ui| {
                        ui.heading("Loss");
                        if curves.is_empty() {
                            ui.label(no_curve_text);
                        } else {
                            loss_view.ui(ui, &curves);
                        }
                    });
                });
                ui.separator();
                ui.vertical(|ui| evaluation_ui(ui, note.as_deref(), evaluating, shown.as_ref()));
            });
            ui.add_space(8.0);
            ui.separator();
            self.equivalence_ui(ui);
        });
    }
}

fn evaluation_ui(ui: &mut egui::Ui, note: Option<&str>, evaluating: bool, shown: Option<&Shown>) {
    ui.heading("Evaluation");
    if let Some(note) = note {
        ui.colored_label(ui.visuals().warn_fg_color, note);
    }
    if evaluating {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("evaluating…");
        });
    }
    let Some(shown) = shown else {
        if !evaluating && note.is_none() {
            ui.label("Train both methods to compare them.");
        }
        return;
    };
    evaluation_table(ui, &shown.run, &shown.evaluation);
}

/// The verdict in one line at the top, so it is seen without scrolling.
fn verdict_line(ui: &mut egui::Ui, verdict: &crate::verdict::Verdict) {
    let judged: Vec<_> = verdict
        .criteria
        .iter()
        .filter_map(|c| c.within_margin)
        .collect();
    let outside = judged.iter().filter(|w| !**w).count();
    let (text, colour) = if verdict.equivalent {
        (
            "Verdict: equivalent".to_string(),
            egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
        )
    } else {
        (
            "Verdict: not equivalent".to_string(),
            ui.visuals().warn_fg_color,
        )
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(text).strong().size(16.0).color(colour));
        ui.label(format!(
            "— {outside} of {} criteria outside their margins; the evaluation below gives every figure",
            judged.len()
        ));
    });
    ui.add_space(4.0);
}

fn evaluation_table(ui: &mut egui::Ui, run: &crate::pipeline::Run, e: &Evaluation) {
    ui.label(
        egui::RichText::new(format!(
            "metrics on {} {} rows, k = {}",
            e.rows.n, e.rows.source, e.settings.neighbors
        ))
        .weak(),
    );
    egui::Grid::new("evaluation_table")
        .striped(true)
        .num_columns(3)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.strong("Criterion");
            ui.strong("A");
            ui.strong("B");
            ui.end_row();
            ui.label("Reconstruction MSE (test)");
            ui.label(metric(run.a.reconstruction_mse_test));
            ui.label(metric(run.b.reconstruction_mse_test));
            ui.end_row();
            for (label, get) in METHOD_ROWS {
                ui.label(label);
                ui.label(metric(get(&e.a)));
                ui.label(metric(get(&e.b)));
                ui.end_row();
            }
            ui.label("Fit time (s)");
            ui.label(format!("{:.3}", run.a.fitted.fit_seconds));
            ui.label(format!("{:.3}", run.b.fitted.fit_seconds));
            ui.end_row();
            ui.label("Parameters");
            for o in [&run.a, &run.b] {
                ui.label(
                    o.fitted
                        .model
                        .as_ref()
                        .map_or("–".into(), |m| m.n_parameters().to_string()),
                );
            }
            ui.end_row();
            if e.a.active_units.is_some() || e.b.active_units.is_some() {
                ui.label("Active latent units").on_hover_text(
                    "a VAE's latent units whose mean varies over the rows by more than 0.01; \
                     fewer than the latent width is posterior collapse",
                );
                for (m, o) in [(&e.a, &run.a), (&e.b, &run.b)] {
                    let width = o.fitted.latents.ncols();
                    ui.label(
                        m.active_units
                            .map_or("–".into(), |u| format!("{u} of {width}")),
                    );
                }
                ui.end_row();
            }
        });
    for (side, m) in [("A", &e.a), ("B", &e.b)] {
        for hint in &m.hints {
            let text =
                egui::RichText::new(format!("{side}: {hint}")).color(ui.visuals().warn_fg_color);
            ui.add(egui::Label::new(text).wrap());
        }
    }
    ui.add_space(6.0);
    let c = &e.comparison;
    egui::Grid::new("comparison_table")
        .striped(true)
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.strong("A vs B");
            ui.strong("value");
            ui.end_row();
            for (label, v) in [
                ("Linear CKA", c.linear_cka),
                ("Linear CKA (debiased)", c.linear_cka_debiased),
                ("Procrustes disparity", c.procrustes_disparity),
                ("Mean canonical correlation", c.mean_cca),
                ("Mean k-NN Jaccard", c.knn_jaccard_mean),
                ("Distance Spearman", c.distance_spearman),
            ] {
                ui.label(label);
                ui.label(metric(v));
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    let verdict = &c.verdict;
    let (text, colour) = if verdict.equivalent {
        (
            "Verdict: equivalent",
            egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
        )
    } else {
        ("Verdict: not equivalent", ui.visuals().warn_fg_color)
    };
    ui.label(egui::RichText::new(text).strong().size(16.0).color(colour));
    ui.label(&verdict.summary);
}
