//! The evaluation under the plots: per method the criteria (reconstruction, downstream
//! accuracy, information preservation, cost), the between-space similarities, and the verdict
//! as one line with a ✓/✗ line per criterion. The figures come from the evaluation job; this
//! file lays them out.

use super::Shown;
use crate::evaluate::{Evaluation, MethodEvaluation};
use crate::memory::format_bytes;
use crate::plot::format::metric;
use crate::verdict::{Verdict, difference_text, margin_text};

/// The colour of "equivalent" and of a criterion within its margin.
const EQUIVALENT_COLOUR: egui::Color32 = egui::Color32::from_rgb(0x2c, 0xa0, 0x2c);

type Row = (&'static str, fn(&MethodEvaluation) -> Option<f64>);

const METHOD_ROWS: [Row; 6] = [
    ("k-NN accuracy (k = 5)", |e| e.knn_accuracy),
    ("Logistic-regression accuracy", |e| e.linear_accuracy),
    ("Trustworthiness", |e| e.trustworthiness),
    ("Continuity", |e| e.continuity),
    ("Silhouette (by class)", |e| e.silhouette),
    ("Encode s / 1000 rows", |e| e.encode_seconds_per_1k),
];

pub(super) fn evaluation_ui(
    ui: &mut egui::Ui,
    note: Option<&str>,
    evaluating: bool,
    shown: Option<&Shown>,
) {
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

/// The verdict in one line at the top, so it is seen without scrolling; always one line (what
/// is under way when there is no verdict yet), so that nothing below moves when one arrives.
pub(super) fn verdict_line(ui: &mut egui::Ui, verdict: Option<&Verdict>, waiting: &str) {
    ui.horizontal(|ui| {
        let Some(verdict) = verdict else {
            ui.label(egui::RichText::new("Verdict:").strong().size(16.0).weak());
            ui.label(egui::RichText::new(waiting).weak());
            return;
        };
        let judged: Vec<_> = verdict
            .criteria
            .iter()
            .filter_map(|c| c.within_margin)
            .collect();
        let outside = judged.iter().filter(|w| !**w).count();
        let (text, colour) = verdict_words(ui, verdict);
        ui.label(egui::RichText::new(text).strong().size(16.0).color(colour));
        let more = format!(
            "— {outside} of {} criteria outside their margins; the evaluation below lists them",
            judged.len()
        );
        ui.add(egui::Label::new(more).truncate());
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
            ui.label("Peak memory of the fit").on_hover_text(
                "the most bytes the fit had allocated at once, above what was allocated when it \
                 started, on its own threads",
            );
            for o in [&run.a, &run.b] {
                ui.label(o.fitted.peak_memory_bytes.map_or("–".into(), format_bytes));
            }
            ui.end_row();
            ui.label("Model size").on_hover_text(
                "what the fitted model keeps to encode and decode (its parameters as stored)",
            );
            for o in [&run.a, &run.b] {
                ui.label(
                    o.fitted
                        .model
                        .as_ref()
                        .map_or("–".into(), |m| format_bytes(m.model_bytes() as u64)),
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
    verdict_list(ui, &c.verdict);
}

/// The verdict as its one line and a ✓/✗ line per criterion (the paragraph is in report.md).
fn verdict_list(ui: &mut egui::Ui, verdict: &Verdict) {
    let (text, colour) = verdict_words(ui, verdict);
    ui.label(egui::RichText::new(text).strong().size(16.0).color(colour));
    for c in &verdict.criteria {
        let (mark, colour) = match c.within_margin {
            Some(true) => ("✓", EQUIVALENT_COLOUR),
            Some(false) => ("✗", ui.visuals().warn_fg_color),
            None => ("–", ui.visuals().weak_text_color()),
        };
        let detail = match difference_text(c) {
            Some(d) if c.criterion.is_floor() => format!("{d} (needs {})", margin_text(c)),
            Some(d) => format!("differ by {d} (margin {})", margin_text(c)),
            None => "does not apply".to_owned(),
        };
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new(mark).strong().color(colour));
            ui.add(egui::Label::new(format!("{}: {detail}", c.criterion.label())).wrap());
        });
    }
}

/// "Verdict: equivalent" in green, or "Verdict: not equivalent" in the warning colour.
fn verdict_words(ui: &egui::Ui, verdict: &Verdict) -> (&'static str, egui::Color32) {
    if verdict.equivalent {
        ("Verdict: equivalent", EQUIVALENT_COLOUR)
    } else {
        ("Verdict: not equivalent", ui.visuals().warn_fg_color)
    }
}
