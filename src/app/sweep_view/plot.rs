//! The sweep's curves on screen: the panels of the [`SweepModel`] (the same model sweep.png
//! draws) two to a row, each an egui plot with a line per method, whiskers over the runs, the
//! within-method band, the equivalent points shaded and the shown point marked. A click in a
//! panel picks the nearest point.

use egui::Color32;
use egui_plot::{Line, Plot, PlotPoints, Points, Polygon, VLine};

use crate::plot::palette::class_colour;
use crate::plot::sweep::{SweepModel, SweepPanel};
use crate::sweep::summary::SweepReport;

/// Height of one panel in points.
const PANEL_HEIGHT: f32 = 190.0;

fn colour(k: usize) -> Color32 {
    let c = class_colour(k, 3);
    Color32::from_rgb(c.0, c.1, c.2)
}

/// Draws the curves; returns the point clicked (its index among the finished points).
pub(super) fn curves_ui(
    ui: &mut egui::Ui,
    report: &SweepReport,
    names: [&str; 2],
    shown: Option<usize>,
) -> Option<usize> {
    let model = SweepModel::new(report, names);
    if model.panels.is_empty() {
        return None;
    }
    // which colour is which: the model's series, each named once
    ui.horizontal_wrapped(|ui| {
        let mut named: Vec<&str> = Vec::new();
        for s in model.panels.iter().flat_map(|p| &p.series) {
            if !named.contains(&s.name.as_str()) {
                named.push(&s.name);
                ui.label(egui::RichText::new(format!("● {}", s.name)).color(colour(s.colour)));
            }
        }
        if !model.equivalent.is_empty() {
            ui.label(egui::RichText::new("▮ equivalent").color(Color32::from_rgb(120, 200, 120)));
        }
    });
    let mut clicked = None;
    let width = (ui.available_width() - super::super::plots::SCROLL_BAR_ROOM).max(240.0);
    let columns = if width >= 560.0 { 2 } else { 1 };
    let panel_width = width / columns as f32 - 8.0;
    for row in model.panels.chunks(columns) {
        ui.horizontal(|ui| {
            for panel in row {
                ui.vertical(|ui| {
                    ui.set_width(panel_width);
                    ui.strong(&panel.title);
                    if let Some(k) = panel_ui(ui, &model, panel, panel_width, shown) {
                        clicked = Some(k);
                    }
                });
            }
        });
    }
    if let Some(note) = &model.note {
        ui.label(egui::RichText::new(note).small().weak());
    }
    clicked
}

/// One panel; returns the point nearest a click.
fn panel_ui(
    ui: &mut egui::Ui,
    model: &SweepModel,
    panel: &SweepPanel,
    width: f32,
    shown: Option<usize>,
) -> Option<usize> {
    let ticks = model.ticks.clone();
    let half = model.shade_half_width();
    let (lo, hi) = y_range(panel);
    let response = Plot::new(("sweep-panel", panel.title.as_str()))
        .height(PANEL_HEIGHT)
        .width(width)
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_boxed_zoom(false)
        .include_y(lo)
        .include_y(hi)
        .include_x(model.ticks[0].0 - half * 1.4)
        .include_x(model.ticks[model.ticks.len() - 1].0 + half * 1.4)
        .x_axis_label(model.parameter.clone())
        .x_grid_spacer(move |_| {
            ticks
                .iter()
                .map(|(x, _)| egui_plot::GridMark {
                    value: *x,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter({
            let ticks = model.ticks.clone();
            move |mark, _| {
                ticks
                    .iter()
                    .find(|(x, _)| (x - mark.value).abs() < 1e-9)
                    .map(|(_, label)| label.clone())
                    .unwrap_or_default()
            }
        })
        .show(ui, |plot| {
            for &x in &model.equivalent {
                let shade = vec![
                    [x - half, lo],
                    [x + half, lo],
                    [x + half, hi],
                    [x - half, hi],
                ];
                plot.polygon(
                    Polygon::new("equivalent", PlotPoints::from(shade))
                        .fill_color(Color32::from_rgba_unmultiplied(120, 200, 120, 50))
                        .stroke(egui::Stroke::NONE),
                );
            }
            if panel.band.len() > 1 {
                let mut outline: Vec<[f64; 2]> =
                    panel.band.iter().map(|&(x, _, top)| [x, top]).collect();
                outline.extend(panel.band.iter().rev().map(|&(x, low, _)| [x, low]));
                plot.polygon(
                    Polygon::new("within-method band", PlotPoints::from(outline))
                        .fill_color(Color32::from_rgba_unmultiplied(150, 150, 150, 50))
                        .stroke(egui::Stroke::NONE),
                );
            }
            if let Some(x) = shown.and_then(|k| model.ticks.get(k)).map(|t| t.0) {
                plot.vline(VLine::new("shown above", x).color(Color32::from_gray(140)));
            }
            for s in &panel.series {
                let c = colour(s.colour);
                let line: Vec<[f64; 2]> = s.marks.iter().map(|m| [m.x, m.y]).collect();
                plot.line(
                    Line::new(s.name.clone(), PlotPoints::from(line.clone()))
                        .color(c)
                        .width(2.0),
                );
                plot.points(Points::new(s.name.clone(), line).color(c).radius(3.5));
                for m in &s.marks {
                    if let Some((low, top)) = m.range {
                        let whisker = vec![[m.x, low], [m.x, top]];
                        plot.line(
                            Line::new(s.name.clone(), PlotPoints::from(whisker))
                                .color(c)
                                .width(1.2),
                        );
                    }
                }
            }
        });
    if !response.response.clicked() {
        return None;
    }
    let pointer = response.response.interact_pointer_pos()?;
    let at = response.transform.value_from_position(pointer).x;
    model
        .ticks
        .iter()
        .enumerate()
        .min_by(|(_, p), (_, q)| (p.0 - at).abs().total_cmp(&(q.0 - at).abs()))
        .map(|(k, _)| k)
}

/// Every mark, whisker and band in view, with a little room.
fn y_range(panel: &SweepPanel) -> (f64, f64) {
    let (lo, hi) = panel
        .values()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    let pad = ((hi - lo) * 0.08).max(1e-3);
    (lo - pad, hi + pad)
}
