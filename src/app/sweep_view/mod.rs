//! The "Sweep a setting" section: which setting (of both methods, or of A or B), its values,
//! whether each point repeats its fits (the equivalence protocol, with the section above's
//! settings); a cancellable background run whose points are drawn as they arrive; the summary,
//! the curves (`crate::plot::sweep::SweepModel`, as sweep.png) and a row per point, whose
//! **Show** (or a click on the curves) puts that point's fits in the plots above. The sweep
//! itself is `crate::sweep`, as the command line's `--sweep`.

mod plot;

use std::sync::Arc;

use crate::config::{EquivalenceConfig, Sweep, SweepSide, sweepable_names};
use crate::sweep::summary::{SweepReport, in_sentence, json_text};
use crate::sweep::{MissingPoint, SweepOutcome, SweepPoint, SweepProgress, point_experiments};

use super::jobs;
use super::worker::{JobKind, Side};
use super::{LatentApp, Shown};

/// The section's state.
pub struct SweepView {
    /// Index of the swept setting in [`sweepable_names`].
    pub setting: usize,
    /// Whose setting.
    pub side: SweepSide,
    /// The values as typed ("2,4,8"; hidden widths "64|128,64").
    pub values: String,
    /// Each point runs the equivalence protocol (the settings of the section above).
    pub repeated: bool,
    /// The sweep being run or last run.
    sweep: Option<Sweep>,
    /// Its finished points, in order.
    points: Vec<SweepPoint>,
    /// Its points that did not finish (known once it ends).
    missing: Vec<MissingPoint>,
    /// The report of the points so far (rebuilt as they arrive).
    report: Option<SweepReport>,
    /// The last progress report of the running sweep.
    progress: Option<SweepProgress>,
    /// Why the last sweep could not run.
    error: Option<String>,
    /// The point whose fits are in the plots above.
    shown: Option<usize>,
}

impl Default for SweepView {
    fn default() -> Self {
        SweepView {
            setting: 0,
            side: SweepSide::Both,
            values: "2,4,8,16".into(),
            repeated: false,
            sweep: None,
            points: Vec::new(),
            missing: Vec::new(),
            report: None,
            progress: None,
            error: None,
            shown: None,
        }
    }
}

impl SweepView {
    /// The report of the points finished so far, if any.
    pub fn report(&self) -> Option<&SweepReport> {
        self.report.as_ref()
    }

    /// The last progress report of the running sweep.
    pub fn progress(&self) -> Option<&SweepProgress> {
        self.progress.as_ref()
    }

    /// The point whose fits are in the plots above.
    pub fn shown_point(&self) -> Option<usize> {
        self.shown
    }

    /// Takes a progress report of the running sweep.
    pub(super) fn set_progress(&mut self, progress: SweepProgress) {
        self.progress = Some(progress);
    }

    /// Takes a finished point.
    pub(super) fn add_point(&mut self, point: SweepPoint) {
        self.points.push(point);
        self.rebuild();
    }

    /// Takes the end of the sweep: its missing points, or why it could not run.
    pub(super) fn done(&mut self, result: crate::Result<Vec<MissingPoint>>) {
        self.progress = None;
        match result {
            Ok(missing) => self.missing = missing,
            Err(e) => self.error = Some(format!("the sweep could not run: {e}")),
        }
        self.rebuild();
    }

    fn rebuild(&mut self) {
        self.report = self.sweep.as_ref().map(|sweep| {
            SweepReport::new(&SweepOutcome {
                sweep: sweep.clone(),
                points: self.points.clone(),
                missing: self.missing.clone(),
            })
        });
    }

    /// The sweep as the controls describe it.
    fn parsed(&self) -> crate::Result<Sweep> {
        let names = sweepable_names();
        let name = names.get(self.setting).copied().unwrap_or("latent_dim");
        Sweep::parse(&format!("{}={}", self.side.written(name), self.values))
    }
}

impl LatentApp {
    /// True while a sweep runs.
    pub fn sweep_running(&self) -> bool {
        self.workers
            .as_ref()
            .is_some_and(|w| w.current(JobKind::Sweep).is_some())
    }

    /// Stops a running sweep; the points it finished stay.
    pub fn cancel_sweep(&mut self) {
        if let Some(w) = self.workers.as_mut() {
            w.cancel_kind(JobKind::Sweep);
        }
        self.sweep.progress = None;
        self.sweep.error = Some("cancelled; the points already finished are kept".into());
    }

    /// Starts the sweep the controls describe, on the loaded data with the panels' methods.
    pub fn start_sweep(&mut self) {
        let Some(dataset) = self.dataset.clone() else {
            return;
        };
        let started = self.sweep.parsed().and_then(|sweep| {
            let mut config = self.settings.to_config(false);
            config.equivalence = if self.sweep.repeated {
                EquivalenceConfig::from_settings(&self.settings.equivalence)
            } else {
                EquivalenceConfig::default()
            };
            let points = point_experiments(&config, &sweep)?;
            Ok((sweep, points))
        });
        let (sweep, points) = match started {
            Ok(s) => s,
            Err(e) => {
                self.sweep.error = Some(e.to_string());
                return;
            }
        };
        let Some(workers) = self.workers.as_mut() else {
            return;
        };
        match jobs::sweep(workers, sweep.clone(), points, dataset) {
            Ok(_) => {
                let view = &mut self.sweep;
                view.sweep = Some(sweep);
                view.points.clear();
                view.missing.clear();
                view.shown = None;
                view.error = None;
                view.progress = Some(SweepProgress {
                    stage: "starting".into(),
                    fraction: 0.0,
                });
                view.rebuild();
            }
            Err(e) => self.sweep.error = Some(format!("cannot start a thread: {e}")),
        }
    }

    /// Puts point `k`'s fits, evaluation and protocol in the plots and tables above.
    pub fn show_sweep_point(&mut self, k: usize) {
        let Some(point) = self.sweep.points.get(k).cloned() else {
            return;
        };
        if self.sides.iter().any(|s| s.is_busy()) {
            return;
        }
        for (side, outcome, evaluation) in [
            (Side::A, &point.run.a, &point.evaluation.a),
            (Side::B, &point.run.b, &point.evaluation.b),
        ] {
            let prepared = point.run.prepared.clone();
            self.sides[side.index()].take_fit(side, outcome.clone(), prepared, Some(evaluation));
        }
        self.cancel_equivalence();
        self.shown = Some(Shown {
            run: point.run.clone(),
            evaluation: point.evaluation.clone(),
            equivalence: point.equivalence.clone().map(Arc::new),
        });
        self.sweep.shown = Some(k);
    }

    pub(super) fn sweep_ui(&mut self, ui: &mut egui::Ui) {
        ui.heading("Sweep a setting");
        ui.label(
            egui::RichText::new(
                "Where do the two methods stop being equivalent? Compare them at each value of a \
                 setting (with repeated fits, the protocol above at each), as --sweep does.",
            )
            .weak(),
        );
        if self.dataset.is_none() {
            ui.label("Load data first.");
            return;
        }
        let running = self.sweep_running();
        let (mut start, mut cancel) = (false, false);
        let view = &mut self.sweep;
        ui.horizontal_wrapped(|ui| {
            ui.add_enabled_ui(!running, |ui| {
                let names = sweepable_names();
                let setting = ui.label("Setting");
                egui::ComboBox::from_id_salt("sweep-setting")
                    .selected_text(names.get(view.setting).copied().unwrap_or("?"))
                    .show_ui(ui, |ui| {
                        for (k, name) in names.iter().enumerate() {
                            ui.selectable_value(&mut view.setting, k, *name);
                        }
                    })
                    .response
                    .labelled_by(setting.id);
                let of = ui.label("of");
                egui::ComboBox::from_id_salt("sweep-side")
                    .selected_text(side_text(view.side))
                    .show_ui(ui, |ui| {
                        for side in [SweepSide::Both, SweepSide::A, SweepSide::B] {
                            ui.selectable_value(&mut view.side, side, side_text(side));
                        }
                    })
                    .response
                    .labelled_by(of.id);
                let values = ui.label("values");
                ui.add(
                    egui::TextEdit::singleline(&mut view.values)
                        .desired_width(140.0)
                        .hint_text("2,4,8,16"),
                )
                .labelled_by(values.id)
                .on_hover_text("Comma-separated; hidden widths separated by | (64|128,64)");
                ui.checkbox(&mut view.repeated, "repeated fits")
                    .on_hover_text(
                        "Run the equivalence protocol at each point (its settings are above)",
                    );
            });
            if running {
                cancel = ui.button("Cancel sweep").clicked();
            } else {
                start = ui.button("Run sweep").clicked();
            }
        });
        if let Some(p) = &view.progress {
            ui.add(egui::ProgressBar::new(p.fraction as f32).text(format!(
                "{} · {:.0} %",
                p.stage,
                p.fraction * 100.0
            )));
        }
        if let Some(error) = &view.error {
            ui.colored_label(ui.visuals().warn_fg_color, error);
        }
        let mut show = None;
        if let Some(report) = &view.report {
            if !report.points.is_empty() || !running {
                ui.label(egui::RichText::new(&report.summary).strong());
            }
            let names = [
                self.settings.a.kind.info().name,
                self.settings.b.kind.info().name,
            ];
            if let Some(k) = plot::curves_ui(ui, report, names, view.shown) {
                show = Some(k);
            }
            if let Some(k) = points_table(ui, report, view.shown) {
                show = Some(k);
            }
        }
        if cancel {
            self.cancel_sweep();
        }
        if start {
            self.start_sweep();
        }
        if let Some(k) = show {
            self.show_sweep_point(k);
        }
    }
}

fn side_text(side: SweepSide) -> &'static str {
    match side {
        SweepSide::Both => "both methods",
        SweepSide::A => "method A",
        SweepSide::B => "method B",
    }
}

/// A row per finished point (**Show**, value, decision, what differs) and one per missing
/// point, scrolling sideways where the centre is narrow; returns the point whose **Show** was
/// clicked.
fn points_table(ui: &mut egui::Ui, report: &SweepReport, shown: Option<usize>) -> Option<usize> {
    let mut clicked = None;
    egui::ScrollArea::horizontal()
        .id_salt("sweep-points-scroll")
        .show(ui, |ui| {
            egui::Grid::new("sweep-points")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong("");
                    ui.strong(report.parameter_as_written());
                    ui.strong("Decision");
                    ui.strong("Differs on");
                    ui.end_row();
                    for (k, p) in report.points.iter().enumerate() {
                        if shown == Some(k) {
                            ui.label("shown above");
                        } else if ui
                            .small_button("Show")
                            .on_hover_text("Put this point's fits in the plots and tables above")
                            .clicked()
                        {
                            clicked = Some(k);
                        }
                        ui.label(json_text(&p.value));
                        ui.label(p.decision.to_string());
                        ui.label(if p.differs_on.is_empty() {
                            "–".to_owned()
                        } else {
                            let names: Vec<String> =
                                p.differs_on.iter().map(|k| in_sentence(k)).collect();
                            names.join(", ")
                        });
                        ui.end_row();
                    }
                    for m in &report.missing {
                        ui.label("not run");
                        ui.label(json_text(&m.value));
                        ui.label("");
                        ui.label(&m.reason);
                        ui.end_row();
                    }
                });
            // room for the sideways scroll bar, which would cover the last row's button
            ui.add_space(
                ui.spacing().scroll.bar_width + ui.spacing().scroll.bar_outer_margin + 4.0,
            );
        });
    clicked
}
