//! The decoder view's drawing helpers: the note on held latent columns, a decoded sample as a
//! gray image or as bars per feature, and a decoded grid as one gray texture or as small bar
//! charts.

use egui::{Color32, ColorImage, Rect, RichText, Sense, TextureHandle, Ui, vec2};
use ndarray::ArrayView1;

use super::super::plots::format_value;
use super::decode_job::{DecodedSample, GridOutput, overall_range};
use crate::data::Dataset;
use crate::explore::{gray_levels, grid_mosaic};

/// Largest number of features drawn as bars.
const MAX_BARS: usize = 64;

/// "z2, z3 held at the data's mean latent".
pub(super) fn held_note(held: &[usize]) -> String {
    let names: Vec<String> = held.iter().map(|k| format!("z{k}")).collect();
    format!(
        "{} held at the data's mean latent (the plot shows only two columns)",
        names.join(", ")
    )
}

/// The grid as one gray texture, for image data (`None` otherwise).
pub(super) fn grid_texture(ctx: &egui::Context, g: &GridOutput) -> Option<TextureHandle> {
    let range = overall_range(&g.column_ranges);
    let (w, h, gray) = grid_mosaic(&g.grid, g.image_shape?, range, 1)?;
    let image = ColorImage::from_gray([w, h], &gray);
    Some(ctx.load_texture("decoded-grid", image, egui::TextureOptions::NEAREST))
}

/// A sample as an `h × w` gray image on the data's scale.
pub(super) fn image_ui(
    ui: &mut Ui,
    values: &[f32],
    (h, w): (usize, usize),
    range: (f32, f32),
    side: f32,
) {
    if h == 0 || w == 0 || values.len() != h * w {
        return;
    }
    let cell = side / h.max(w) as f32;
    let levels = gray_levels(ArrayView1::from(values), range);
    crate::app::plots::gray_cells_ui(ui, &levels, (h, w), cell, 0.5);
}

/// Share of a feature's data range that `v` reaches (0 at its minimum, 1 at its maximum).
fn share(v: f32, (lo, hi): (f32, f32)) -> f32 {
    if hi > lo && v.is_finite() {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The decoded values (and the row's) as a bar per feature, each bar spanning the feature's
/// range in the data, with the value in original units.
pub(super) fn bars_ui(ui: &mut Ui, dataset: &Dataset, s: &DecodedSample) {
    let n = s.values.len().min(MAX_BARS);
    ui.label(RichText::new("bars: where the value lies in the feature's range in the data").weak());
    egui::ScrollArea::vertical()
        .id_salt("decoded_bars")
        .max_height(320.0)
        .show(ui, |ui| {
            egui::Grid::new("decoded_bars_table")
                .num_columns(4)
                .spacing([8.0, 2.0])
                .show(ui, |ui| {
                    ui.strong("feature");
                    ui.strong("decoded");
                    ui.strong("");
                    ui.strong(if s.original.is_some() { "the row" } else { "" });
                    ui.end_row();
                    for j in 0..n {
                        let name = dataset
                            .feature_names
                            .get(j)
                            .cloned()
                            .unwrap_or_else(|| format!("x{j}"));
                        ui.label(name);
                        let range = s.column_ranges.get(j).copied().unwrap_or((0.0, 0.0));
                        let (rect, _) = ui.allocate_exact_size(vec2(120.0, 10.0), Sense::hover());
                        let painter = ui.painter_at(rect);
                        painter.rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
                        let bar = |v: f32, colour: Color32, shrink: f32| {
                            let mut r = rect.shrink2(vec2(0.0, shrink));
                            r.set_width(rect.width() * share(v, range));
                            painter.rect_filled(r, 0.0, colour);
                        };
                        bar(s.values[j], Color32::from_rgb(0xff, 0x7f, 0x0e), 0.0);
                        if let Some(original) = &s.original
                            && let Some(&v) = original.get(j)
                        {
                            bar(v, Color32::from_rgb(0x1f, 0x77, 0xb4), 3.5);
                        }
                        ui.label(format_value(f64::from(s.values[j])));
                        let original = s.original.as_ref().and_then(|o| o.get(j));
                        ui.label(original.map_or(String::new(), |v| format_value(f64::from(*v))));
                        ui.end_row();
                    }
                });
            if s.values.len() > n {
                ui.label(format!("… {} more features", s.values.len() - n));
            }
        });
}

/// A grid of non-image samples: each cell a small bar chart of the features (each bar the share
/// of the feature's range in the data).
pub(super) fn bar_grid_ui(ui: &mut Ui, g: &GridOutput, dataset: &Dataset, width: f32) {
    let grid = &g.grid;
    let cell = (width / grid.nx.max(1) as f32).min(60.0);
    let (rect, _) = ui.allocate_exact_size(
        vec2(cell * grid.nx as f32, cell * grid.ny as f32),
        Sense::hover(),
    );
    let painter = ui.painter_at(rect);
    let n_features = grid.samples.ncols().min(MAX_BARS);
    for (k, sample) in grid.samples.rows().into_iter().enumerate() {
        let origin = rect.min + vec2((k % grid.nx) as f32 * cell, (k / grid.nx) as f32 * cell);
        let inner = Rect::from_min_size(origin, vec2(cell, cell)).shrink(2.0);
        painter.rect_filled(inner, 0.0, ui.visuals().faint_bg_color);
        let bar_w = inner.width() / n_features.max(1) as f32;
        for j in 0..n_features {
            let range = g.column_ranges.get(j).copied().unwrap_or((0.0, 0.0));
            let h = inner.height() * share(sample[j], range);
            let bar = Rect::from_min_max(
                egui::pos2(inner.left() + j as f32 * bar_w, inner.bottom() - h),
                egui::pos2(inner.left() + (j as f32 + 1.0) * bar_w, inner.bottom()),
            );
            painter.rect_filled(bar, 0.0, Color32::from_rgb(0xff, 0x7f, 0x0e));
        }
    }
    let names: Vec<&str> = dataset
        .feature_names
        .iter()
        .take(n_features)
        .map(String::as_str)
        .collect();
    ui.label(
        RichText::new(format!(
            "each cell: one bar per feature, left to right ({}), height = share of the feature's range",
            names.join(", ")
        ))
        .weak(),
    );
}
