//! The plot of one similarity's distributions: the pairs of each group as dots, each group's
//! mean and interval as a bar with whiskers, and the dashed line of min(within) − δ.

use egui_plot::{Line, Plot, PlotPoints, Points};

/// The pairs of each group as dots, each group's mean and interval as a bar with whiskers.
/// The dashed line of min(within) − δ.
const THRESHOLD_COLOUR: egui::Color32 = egui::Color32::from_rgb(220, 60, 60);

pub(super) fn distributions_plot(ui: &mut egui::Ui, g: &crate::equivalence::GeometryCriterion) {
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
    let width = (ui.available_width() - super::super::plots::SCROLL_BAR_ROOM).max(200.0);
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
