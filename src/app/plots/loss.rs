//! [`LossView`]: training and validation loss per epoch of each trained method, with the VAE's
//! loss parts, on a linear or log10 scale. The curves — which, their names, tints and points —
//! are the plot model's ([`crate::plot::loss`], the same as `loss.png`'s), all in one plot.

use egui::{Color32, RichText, Ui};
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints, Points};

use super::ticks::{GRID_MIN_POINTS, log_marks, nice_marks, tick_label};
use super::to_color32;
use crate::methods::EpochLoss;
use crate::plot::format;
use crate::plot::loss::{Dash, LossColumns, LossModel, Placement, Weight};

/// Smallest plot height in points.
const MIN_HEIGHT: f32 = 200.0;

/// Height used when the available height is unbounded.
const DEFAULT_HEIGHT: f32 = 320.0;

/// What the y-axis tick labels follow: the scale, and the curves' lowest and highest value (as
/// bits, exactly).
type RangeKey = (bool, u64, u64);

/// Passes after a change of range in which the plot is drawn again: egui_plot fits its view to
/// the new curves in the first, sizes its axes to the new labels in the second, and lays its
/// frame out with them in the third.
const SETTLE_PASSES: u8 = 3;

/// egui_plot sizes its axes from the last pass's tick labels, so new curves whose labels are
/// wider (a loss of 0.5, then of 400 000) would be drawn with clipped labels until the next
/// event: when the range changes the plot is drawn again at once (a discarded pass) and then
/// on the next frames until it has settled.
fn settle_axes(ui: &Ui, range: RangeKey) {
    let id = ui.make_persistent_id("loss-curves-range");
    let (last, passes_left) = ui
        .data_mut(|d| d.get_temp::<(RangeKey, u8)>(id))
        .map_or((None, 0), |(key, left)| (Some(key), left));
    let passes_left = if last.is_some_and(|last| last != range) {
        ui.ctx().request_discard("the loss curves' range changed");
        SETTLE_PASSES
    } else {
        passes_left
    };
    if passes_left > 0 {
        ui.ctx().request_repaint();
    }
    ui.data_mut(|d| d.insert_temp(id, (range, passes_left.saturating_sub(1))));
}

/// The loss plot's id in `ui` (its memory holds the view and the frame).
pub(super) fn plot_id(ui: &Ui) -> egui::Id {
    ui.make_persistent_id("loss-curves")
}

fn range_key(lines: &[Curve], log: bool) -> RangeKey {
    let ys = || lines.iter().flat_map(|c| c.points.iter().map(|p| p[1]));
    let low = ys().fold(f64::INFINITY, f64::min);
    let high = ys().fold(f64::NEG_INFINITY, f64::max);
    (log, low.to_bits(), high.to_bits())
}

/// The loss-curve plot and its scale choice.
#[derive(Clone, Debug, Default)]
pub struct LossView {
    /// Show the losses on a log10 axis.
    pub log_scale: bool,
}

/// One line of the plot, in plot coordinates.
pub(super) struct Curve {
    name: String,
    pub(super) colour: Color32,
    width: f32,
    style: LineStyle,
    points: Vec<[f64; 2]>,
}

impl LossView {
    /// Train (solid) and validation (dashed) loss per epoch of each trained method, VAE parts
    /// (recon, kl) as thinner lines, each method in its own colour, a legend and a log-scale
    /// checkbox; x = epoch (1-based), y = loss. Non-finite values, and values ≤ 0 on the log
    /// scale, are left out and counted under the plot.
    pub fn ui(&mut self, ui: &mut Ui, curves: &[(String, &[EpochLoss])]) {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Training loss").strong().size(15.0));
            ui.add_space(12.0);
            ui.checkbox(&mut self.log_scale, "log scale");
        });
        if curves.iter().all(|(_, history)| history.is_empty()) {
            ui.label(
                RichText::new("No loss curves yet: they appear while an autoencoder or VAE trains (PCA has none).")
                    .weak(),
            );
            return;
        }
        let log = self.log_scale;
        let (lines, n_left_out) = build_curves(curves, log);
        let available = ui.available_height();
        let height = if available.is_finite() {
            (available - 2.0 * ui.spacing().interact_size.y).max(MIN_HEIGHT)
        } else {
            DEFAULT_HEIGHT
        };
        let mut plot = Plot::new("loss-curves")
            .id(plot_id(ui))
            .height(height)
            .legend(
                Legend::default()
                    .position(egui_plot::Corner::RightTop)
                    .follow_insertion_order(true),
            )
            .x_axis_label("epoch")
            .y_axis_label(if log { "loss (log scale)" } else { "loss" })
            .grid_spacing(egui::Rangef::new(GRID_MIN_POINTS, 300.0))
            .x_grid_spacer(|input| nice_marks(input, 90.0, 1.0))
            .x_axis_formatter(|mark, _| format::epoch(mark.value))
            .label_formatter(move |pos| hover_label(pos, log))
            .allow_double_click_reset(true)
            // the wheel scrolls the page; Ctrl + wheel zooms
            .allow_scroll(false);
        plot = if log {
            plot.y_grid_spacer(log_marks)
                .y_axis_formatter(|mark, _| format::significant(10f64.powf(mark.value)))
        } else {
            plot.y_grid_spacer(|input| nice_marks(input, 36.0, 0.0))
                .y_axis_formatter(|mark, _| tick_label(mark))
        };
        // The log scale changes every y value: start from a fitting view.
        let id = ui.make_persistent_id("loss-curves-scale");
        let last_log = ui.data_mut(|d| d.get_temp::<bool>(id));
        if last_log.is_some_and(|l| l != log) {
            plot = plot.reset();
        }
        ui.data_mut(|d| d.insert_temp(id, log));
        settle_axes(ui, range_key(&lines, log));
        plot.show(ui, |plot_ui| {
            for curve in lines {
                if curve.points.len() == 1 {
                    plot_ui.points(
                        Points::new(curve.name.clone(), curve.points.clone())
                            .color(curve.colour)
                            .radius(3.0),
                    );
                }
                plot_ui.line(
                    Line::new(curve.name, PlotPoints::from(curve.points))
                        .color(curve.colour)
                        .width(curve.width)
                        .style(curve.style),
                );
            }
        });
        // a VAE's loss is summed over the features (plus KL), an autoencoder's is per feature
        let summed = curves
            .iter()
            .any(|(_, h)| h.iter().any(|e| !e.parts.is_empty()));
        let per_feature = curves
            .iter()
            .any(|(_, h)| !h.is_empty() && h.iter().all(|e| e.parts.is_empty()));
        if summed && per_feature {
            ui.label(
                RichText::new(
                    "Units differ: the autoencoder's loss is per feature, the VAE's is summed over \
                     the features plus its KL term; compare their shapes, not their heights (the \
                     evaluation's test reconstruction MSE puts both on one scale).",
                )
                .weak(),
            );
        }
        if n_left_out > 0 {
            let why = if log {
                "not finite or ≤ 0"
            } else {
                "not finite"
            };
            ui.label(
                RichText::new(format!("{n_left_out} value(s) {why} not shown"))
                    .small()
                    .weak(),
            );
        }
    }
}

/// The lines of `curves` (the model's, placed in one plot) and the number of values left out.
pub(super) fn build_curves(curves: &[(String, &[EpochLoss])], log: bool) -> (Vec<Curve>, usize) {
    let columns: Vec<LossColumns> = curves
        .iter()
        .map(|(name, history)| LossColumns::from_history(name.as_str(), history))
        .collect();
    let series: Vec<_> = columns.iter().map(LossColumns::series).collect();
    let model = LossModel::new(&series, Placement::Shared);
    let left_out = model.panels.iter().map(|p| p.n_left_out(log)).sum();
    let lines = model
        .panels
        .iter()
        .flat_map(|p| &p.curves)
        .map(|c| Curve {
            name: c.name.clone(),
            colour: to_color32(c.look.colour),
            width: match c.look.weight {
                Weight::Main => 2.0,
                Weight::Part => 1.5,
            },
            style: match c.look.dash {
                Dash::Solid => LineStyle::Solid,
                Dash::Dashed => LineStyle::dashed_dense(),
                Dash::Dotted => LineStyle::dotted_dense(),
            },
            points: c.points(log),
        })
        .collect();
    (lines, left_out)
}

/// Hover text: line name, epoch and the loss in its own units.
fn hover_label(pos: &egui_plot::HoverPosition<'_>, log: bool) -> Option<String> {
    let loss = |y: f64| format::value(if log { 10f64.powf(y) } else { y });
    Some(match pos {
        egui_plot::HoverPosition::NearDataPoint {
            plot_name,
            position,
            ..
        } => format!(
            "{plot_name}\nepoch {}\nloss {}",
            position.x.round(),
            loss(position.y)
        ),
        egui_plot::HoverPosition::Elsewhere { position } => {
            format!("epoch {:.1}\nloss {}", position.x, loss(position.y))
        }
    })
}
