//! The "Equivalence over repeated fits" section: settings, a cancellable background run of the
//! protocol with its progress, and the result — the decision, the within/between distributions
//! of a chosen similarity, and the tables of report.md. The numbers come from
//! `crate::equivalence`; this file only lays them out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui_plot::{Line, Plot, PlotPoints, Points};

use crate::equivalence::{Equivalence, EquivalenceProgress, EquivalenceSettings, label};
use crate::evaluate::Evaluation;

use super::LatentApp;
use super::jobs;

/// The section's own state.
pub struct EquivalenceView {
    /// Runs per method.
    pub repeats: usize,
    /// δ.
    pub margin: f64,
    /// Smallest within-method CKA at which a method is judged.
    pub stability_floor: f64,
    /// Bootstrap resamples of the rows.
    pub resamples: usize,
    /// The running protocol: job id, cancel flag and the evaluation it extends.
    job: Option<(u64, Arc<AtomicBool>, Arc<Evaluation>)>,
    /// The last progress report of the running job.
    progress: Option<EquivalenceProgress>,
    /// Why the last run failed.
    error: Option<String>,
    /// Which similarity the plot shows (index into the geometry list).
    metric: usize,
    /// Scroll the progress bar into view on the next frame (a run just started).
    reveal_progress: bool,
}

impl Default for EquivalenceView {
    fn default() -> Self {
        EquivalenceView {
            repeats: 5,
            margin: 0.05,
            stability_floor: EquivalenceSettings::default().stability_floor,
            resamples: EquivalenceSettings::default().resamples,
            job: None,
            progress: None,
            error: None,
            metric: 0,
            reveal_progress: false,
        }
    }
}

impl EquivalenceView {
    /// True while the protocol runs.
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    /// The last progress report of the running protocol.
    pub fn progress(&self) -> Option<&EquivalenceProgress> {
        self.progress.as_ref()
    }

    /// Takes the settings of an opened experiment's `[equivalence]` section.
    pub fn use_settings(&mut self, s: &EquivalenceSettings) {
        self.repeats = s.repeats;
        self.margin = s.margin;
        self.stability_floor = s.stability_floor;
        self.resamples = s.resamples;
    }

    /// Stops a running protocol (its result will be ignored).
    pub fn cancel(&mut self) {
        if let Some((_, flag, _)) = self.job.take() {
            flag.store(true, Ordering::Relaxed);
        }
        self.progress = None;
    }
}

impl LatentApp {
    pub(super) fn equivalence_progress(&mut self, job: u64, progress: EquivalenceProgress) {
        if self
            .equivalence
            .job
            .as_ref()
            .is_some_and(|(id, _, _)| *id == job)
        {
            self.equivalence.progress = Some(progress);
        }
    }

    pub(super) fn equivalence_done(&mut self, job: u64, result: crate::Result<Box<Equivalence>>) {
        let Some((_, _, base)) = self.equivalence.job.take_if(|(id, _, _)| *id == job) else {
            return;
        };
        self.equivalence.progress = None;
        match result {
            Ok(e) => {
                // attach it to the evaluation on screen, if that is still the one it extends
                if let Some(shown) = self.shown.as_mut()
                    && Arc::ptr_eq(&shown.evaluation, &base)
                {
                    let mut evaluation = (*base).clone();
                    evaluation.comparison.equivalence = Some(*e);
                    shown.evaluation = Arc::new(evaluation);
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
        let settings = EquivalenceSettings {
            repeats: self.equivalence.repeats,
            margin: self.equivalence.margin,
            stability_floor: self.equivalence.stability_floor,
            resamples: self.equivalence.resamples,
            ..EquivalenceSettings::default()
        };
        if let Err(e) = settings.validate() {
            self.equivalence.error = Some(e.to_string());
            return;
        }
        let eval_settings = shown.evaluation.settings.clone();
        match jobs::equivalence(workers, shown.run.clone(), eval_settings, settings) {
            Ok((id, flag)) => {
                self.equivalence.job = Some((id, flag, shown.evaluation.clone()));
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
        let existing = shown.evaluation.comparison.equivalence.clone();
        let view = &mut self.equivalence;
        let mut start = false;
        ui.horizontal_wrapped(|ui| {
            ui.label("Runs per method");
            ui.add_enabled(
                !view.running(),
                egui::DragValue::new(&mut view.repeats).range(2..=100),
            );
            ui.label("margin δ");
            ui.add_enabled(
                !view.running(),
                egui::DragValue::new(&mut view.margin)
                    .range(0.0..=0.5)
                    .speed(0.005)
                    .fixed_decimals(3),
            );
            ui.label("stability floor (CKA)")
                .on_hover_text("A method whose runs agree with each other below this linear CKA is too unstable to judge");
            ui.add_enabled(
                !view.running(),
                egui::DragValue::new(&mut view.stability_floor)
                    .range(0.0..=1.0)
                    .speed(0.01)
                    .fixed_decimals(2),
            );
            ui.label("bootstrap").on_hover_text("Resamples of the rows for the intervals");
            ui.add_enabled(
                !view.running(),
                egui::DragValue::new(&mut view.resamples).range(20..=100_000),
            );
            if view.running() {
                if ui.button("Cancel").clicked() {
                    view.cancel();
                    view.error = Some("cancelled".into());
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
            if view.running() || view.error.is_some() {
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
        if start {
            self.start_equivalence();
        }
    }
}

fn decision_colour(ui: &egui::Ui, decision: &str) -> egui::Color32 {
    match decision {
        "equivalent" => egui::Color32::from_rgb(0x2c, 0xa0, 0x2c),
        "undecided" | "n/a" => ui.visuals().text_color(),
        _ => ui.visuals().warn_fg_color,
    }
}

fn result_ui(ui: &mut egui::Ui, e: &Equivalence, metric: &mut usize) {
    ui.add_space(4.0);
    ui.label(
        egui::RichText::new(format!("Equivalence: {}", e.decision))
            .strong()
            .size(16.0)
            .color(decision_colour(ui, &e.decision)),
    );
    ui.label(&e.summary);
    if e.geometry.is_empty() {
        return;
    }
    *metric = (*metric).min(e.geometry.len() - 1);
    ui.horizontal(|ui| {
        ui.label("Show");
        egui::ComboBox::from_id_salt("equivalence-metric")
            .selected_text(label(&e.geometry[*metric].metric))
            .show_ui(ui, |ui| {
                for (i, g) in e.geometry.iter().enumerate() {
                    ui.selectable_value(metric, i, label(&g.metric));
                }
            });
    });
    distributions_plot(ui, &e.geometry[*metric]);
    ui.label(
        egui::RichText::new(
            "Dots: one per pair of runs. Whiskers within a method: the bootstrap interval of its \
             mean; between methods: the interval of between − min(within), drawn from \
             min(within), which must stay above the dashed line. Rows are resampled with the \
             runs fixed.",
        )
        .weak(),
    );
    let judged = e.stability_a.stable && e.stability_b.stable;
    egui::Grid::new("equivalence-geometry")
        .striped(true)
        .num_columns(5)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Similarity",
                "Within A",
                "Within B",
                "Between",
                "Between − within",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for g in &e.geometry {
                ui.label(label(&g.metric));
                for d in [&g.within_a, &g.within_b, &g.between] {
                    ui.label(format!(
                        "{:.3} [{:.3}, {:.3}]",
                        d.mean.estimate, d.mean.lower, d.mean.upper
                    ));
                }
                let text = format!(
                    "{:+.3} [{:+.3}, {:+.3}]",
                    g.difference.estimate, g.difference.lower, g.difference.upper
                );
                if judged {
                    let key = if g.equivalent { "equivalent" } else { "" };
                    ui.colored_label(decision_colour(ui, key), text);
                } else {
                    ui.label(egui::RichText::new(text).weak())
                        .on_hover_text("not judged: a method is too unstable across its runs");
                }
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    egui::Grid::new("equivalence-criteria")
        .striped(true)
        .num_columns(5)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for h in [
                "Criterion",
                "Mean A − B [90 % interval]",
                "Margin",
                "p (TOST)",
                "Outcome",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for c in &e.criteria {
                if c.test.is_none() {
                    continue;
                }
                if c.relative {
                    ui.label(format!("{} (relative)", label(&c.criterion)))
                        .on_hover_text("A − B as a share of the smaller of the two mean MSEs");
                } else {
                    ui.label(label(&c.criterion));
                }
                ui.label(c.interval_text());
                ui.label(c.margin_text());
                ui.label(c.p_text());
                let outcome = c.outcome();
                let hover = match outcome {
                    "equivalent" => "the interval lies within ±margin (TOST)",
                    "different" => "the interval lies wholly outside ±margin: a difference",
                    _ => "the interval crosses the margin: neither shown; more runs narrow it",
                };
                ui.colored_label(decision_colour(ui, outcome), outcome)
                    .on_hover_text(hover);
                ui.end_row();
            }
        });
}

/// The pairs of each group as dots, each group's mean and interval as a bar with whiskers.
/// The dashed line of min(within) − δ.
const THRESHOLD_COLOUR: egui::Color32 = egui::Color32::from_rgb(220, 60, 60);

fn distributions_plot(ui: &mut egui::Ui, g: &crate::equivalence::GeometryCriterion) {
    let groups = [
        ("within A", &g.within_a),
        ("within B", &g.within_b),
        ("between", &g.between),
    ];
    let ui_ink = ui.visuals().strong_text_color();
    // every dot and whisker in view, with a little room (a CKA of 1 sits on the top edge)
    let (lo, hi) = groups
        .iter()
        .flat_map(|(_, d)| d.values.iter().copied().chain([d.mean.lower, d.mean.upper]))
        .chain([g.threshold(), g.tested_between().lower])
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let pad = ((hi - lo) * 0.06).max(0.01);
    // the threshold's label sits just above its line
    let label_lift = pad * 0.2;
    // the page's scroll bar floats over its right edge
    let width = (ui.available_width() - 14.0).max(200.0);
    // the groups are named on the x axis and the dashed line is labelled: no legend to cover dots
    Plot::new("equivalence-distributions")
        .height(240.0)
        .width(width)
        .include_y(lo - pad)
        .include_y(hi + pad)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .show_x(false)
        .x_axis_formatter(|mark, _| match mark.value.round() as i64 {
            0 => "within A".into(),
            1 => "within B".into(),
            2 => "between".into(),
            _ => String::new(),
        })
        // room on the left for the dashed line's label
        .include_x(-1.0)
        .include_x(2.6)
        .show(ui, |plot| {
            for (i, (name, d)) in groups.iter().enumerate() {
                let n = d.values.len();
                let pts: Vec<[f64; 2]> = d
                    .values
                    .iter()
                    .enumerate()
                    .map(|(k, &v)| {
                        let jitter = if n > 1 {
                            (k as f64 / (n - 1) as f64 - 0.5) * 0.36
                        } else {
                            0.0
                        };
                        [i as f64 + jitter, v]
                    })
                    .collect();
                // the colours of equivalence.png
                let c = crate::figures::palette::class_colour(i, 3);
                let colour = egui::Color32::from_rgb(c.0, c.1, c.2);
                plot.points(
                    Points::new(*name, PlotPoints::from(pts))
                        .radius(3.0)
                        .color(colour.gamma_multiply(0.7)),
                );
                let x = i as f64;
                // between: the tested interval, between − min(within), drawn from min(within)
                let iv = if i == 2 { g.tested_between() } else { d.mean };
                let ink = ui_ink;
                plot.line(
                    Line::new(
                        "",
                        PlotPoints::from(vec![[x - 0.3, iv.estimate], [x + 0.3, iv.estimate]]),
                    )
                    .color(ink)
                    .width(2.5),
                );
                for segment in [
                    vec![[x, iv.lower], [x, iv.upper]],
                    vec![[x - 0.08, iv.lower], [x + 0.08, iv.lower]],
                    vec![[x - 0.08, iv.upper], [x + 0.08, iv.upper]],
                ] {
                    plot.line(
                        Line::new("", PlotPoints::from(segment))
                            .color(ink)
                            .width(1.5),
                    );
                }
            }
            let floor = g.threshold();
            plot.line(
                Line::new(
                    "min(within) − δ",
                    PlotPoints::from(vec![[-0.95, floor], [2.5, floor]]),
                )
                .color(THRESHOLD_COLOUR)
                .style(egui_plot::LineStyle::dashed_loose()),
            );
            plot.text(
                egui_plot::Text::new(
                    "",
                    egui_plot::PlotPoint::new(-0.95, floor + label_lift),
                    egui::RichText::new("min(within) − δ").color(THRESHOLD_COLOUR),
                )
                .anchor(egui::Align2::LEFT_BOTTOM),
            );
        });
}
