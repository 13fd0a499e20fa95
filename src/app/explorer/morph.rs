//! Morph A → B (Emblaze's view): the metric rows at their places between A (t = 0) and B
//! aligned onto A by Procrustes (t = 1), coloured as the scatter plots; a slider and a play
//! button move t, the rows that move most are listed (a click picks one), and the frames can be
//! exported as PNGs. The places come from the core (`explore::morph_at`, `most_moved`).

use std::ops::RangeInclusive;
use std::sync::Arc;

use egui::{Color32, RichText, Shape, Ui};
use egui_plot::{
    MarkerShape, Plot, PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint, PlotTransform,
    Points,
};

use super::super::Shown;
use super::super::plots::{PICKED_COLOUR, ScatterPairView, Side, format_value};
use super::aligned::shown_pairs;
use crate::evaluate::Evaluation;
use crate::explore::{AlignedPair, PlotAxes, morph_at, morph_range, most_moved};

/// Seconds a play from t = 0 to 1 takes.
const PLAY_SECONDS: f64 = 2.5;

/// Rows listed as moving most.
const LISTED: usize = 10;

/// Frames an export writes (t = 0, 0.1, …, 1).
pub(super) const EXPORT_FRAMES: usize = 11;

/// What the user asked for in the view.
pub(super) enum MorphAction {
    /// Pick this row.
    Pick(usize),
    /// Write the frames (in these columns of A).
    Export(PlotAxes),
}

/// The pairs of one (evaluation, axes) and the rows moving most.
type MorphCache = (
    Arc<Evaluation>,
    PlotAxes,
    Vec<AlignedPair>,
    Vec<(usize, f64)>,
);

/// The morph's t, its play state and the pairs of the shown evaluation.
#[derive(Default)]
pub(super) struct MorphView {
    /// 0: A; 1: B aligned onto A.
    pub t: f64,
    /// While playing: the time and t it started from.
    playing: Option<(f64, f64)>,
    /// The pairs and the rows moving most, per (evaluation, axes).
    cache: Option<MorphCache>,
}

impl MorphView {
    fn pairs(&mut self, shown: &Shown, axes: PlotAxes) -> (&[AlignedPair], &[(usize, f64)]) {
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|(e, a, _, _)| Arc::ptr_eq(e, &shown.evaluation) && *a == axes);
        if !fresh {
            let pairs = shown_pairs(shown, axes);
            let moved = most_moved(&pairs, LISTED);
            self.cache = Some((shown.evaluation.clone(), axes, pairs, moved));
        }
        self.cache
            .as_ref()
            .map_or((&[], &[]), |(_, _, p, m)| (p.as_slice(), m.as_slice()))
    }

    /// Moves t on while playing (asks for the next frame); stops at 1.
    fn advance(&mut self, ui: &Ui) {
        let Some((start, from)) = self.playing else {
            return;
        };
        let now = ui.input(|i| i.time);
        self.t = (from + (now - start) / PLAY_SECONDS).min(1.0);
        if self.t >= 1.0 {
            self.playing = None;
        } else {
            ui.ctx().request_repaint();
        }
    }

    /// The slider, play button, plot and list.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shown: Option<&Shown>,
        view: &ScatterPairView,
        picked: Option<usize>,
    ) -> Option<MorphAction> {
        let Some(shown) = shown else {
            ui.label("The morph from A to B comes with the evaluation: train both methods.");
            return None;
        };
        if shown.evaluation.comparison.b_aligned.is_none() {
            ui.label("Procrustes could not align B onto A (see the evaluation's notes).");
            return None;
        }
        let axes = view
            .plot_axes(Side::A)
            .unwrap_or(PlotAxes { x: 0, y: Some(1) });
        self.advance(ui);
        let mut action = None;
        ui.horizontal_wrapped(|ui| {
            let playing = self.playing.is_some();
            if ui
                .button(if playing { "■ pause" } else { "▶ play" })
                .clicked()
            {
                self.playing = if playing {
                    None
                } else {
                    let from = if self.t >= 1.0 { 0.0 } else { self.t };
                    Some((ui.input(|i| i.time), from))
                };
                ui.ctx().request_repaint();
            }
            let slider =
                egui::Slider::new(&mut self.t, 0.0..=1.0).text("t (0: A, 1: B aligned onto A)");
            let response = ui.add(slider);
            // the user's hand on the slider stops the play (not the play's own steps)
            if response.dragged() || response.clicked() || response.has_focus() {
                self.playing = None;
            }
            if ui
                .button(format!("Export {EXPORT_FRAMES} frames (PNG)"))
                .on_hover_text("morph_00.png … into a folder \"morph\" in the save folder")
                .clicked()
            {
                action = Some(MorphAction::Export(axes));
            }
        });
        let t = self.t;
        let (pairs, moved) = self.pairs(shown, axes);
        if pairs.is_empty() {
            ui.label("No row has finite coordinates in both spaces.");
            return action;
        }
        let points: Vec<([f64; 2], Color32)> = pairs
            .iter()
            .map(|p| (morph_at(p, t), view.row_colour(p.row)))
            .collect();
        let range = morph_range(pairs);
        let picked_at = picked.and_then(|row| pairs.iter().find(|p| p.row == row));
        let y_label = axes
            .y
            .map_or("jitter (1-D latent)".to_owned(), |y| format!("A z{y}"));
        Plot::new("morph_a_to_b")
            .height(360.0)
            .width((ui.available_width() - super::super::plots::SCROLL_BAR_ROOM).max(200.0))
            .x_axis_label(format!("A z{}", axes.x))
            .y_axis_label(y_label)
            .allow_scroll(false)
            .allow_double_click_reset(true)
            .show(ui, |plot_ui| {
                let radius = if points.len() > 2000 { 1.8 } else { 2.8 };
                plot_ui.add(ColouredPoints {
                    base: PlotItemBase::new("rows".into()),
                    points,
                    radius,
                    range,
                });
                if let Some(p) = picked_at {
                    plot_ui.add(
                        Points::new(format!("row {} (picked)", p.row), vec![morph_at(p, t)])
                            .radius(7.0)
                            .shape(MarkerShape::Circle)
                            .filled(false)
                            .color(PICKED_COLOUR),
                    );
                }
            });
        ui.label(
            RichText::new("The rows that move most from A to aligned B (click to pick):").weak(),
        );
        ui.horizontal_wrapped(|ui| {
            for &(row, distance) in moved {
                let text = format!("row {row}: {}", format_value(distance));
                if ui.selectable_label(picked == Some(row), text).clicked() {
                    action = Some(MorphAction::Pick(row));
                }
            }
        });
        action
    }
}

/// Discs of one colour each (the plot model's row colours), drawn in order; their bounds are
/// those of both ends of the morph, so that the axes stay still while the points move.
struct ColouredPoints {
    base: PlotItemBase,
    points: Vec<([f64; 2], Color32)>,
    radius: f32,
    range: Option<([f64; 2], [f64; 2])>,
}

impl PlotItem for ColouredPoints {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let frame = transform.frame().expand(self.radius);
        for &([x, y], colour) in &self.points {
            let at = transform.position_from_point(&PlotPoint::new(x, y));
            if frame.contains(at) {
                shapes.push(Shape::circle_filled(
                    at,
                    self.radius,
                    colour.gamma_multiply(0.85),
                ));
            }
        }
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        Color32::TRANSPARENT
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        self.range.map_or(PlotBounds::NOTHING, |(x, y)| {
            PlotBounds::from_min_max([x[0], y[0]], [x[1], y[1]])
        })
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}
