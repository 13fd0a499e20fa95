//! The legend shared by the two scatter plots: a colour chip and name per class (wrapping to
//! rows), or a viridis colour bar with its range and label.

use egui::epaint::Mesh;
use egui::{Color32, Sense, Ui, vec2};

use super::colours::LegendSpec;
use super::to_color32;
use crate::plot::format;
use crate::plot::palette::viridis;

/// Side of a class chip in points.
const CHIP: f32 = 11.0;

/// Size of the continuous colour bar in points.
const BAR_SIZE: egui::Vec2 = vec2(220.0, 12.0);

/// Draws `legend`; nothing for [`LegendSpec::None`].
pub(super) fn legend_ui(ui: &mut Ui, legend: &LegendSpec) {
    match legend {
        LegendSpec::Classes(entries) => {
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for (name, colour) in entries {
                    let (rect, _) = ui.allocate_exact_size(vec2(CHIP, CHIP), Sense::hover());
                    ui.painter().rect_filled(rect, 2.0, *colour);
                    ui.label(name);
                    ui.add_space(8.0);
                }
            });
        }
        LegendSpec::Continuous {
            lo,
            hi,
            label,
            reversed,
        } => {
            ui.horizontal(|ui| {
                ui.label(label);
                ui.add_space(6.0);
                ui.label(format::value(*lo));
                colour_bar_ui(ui, *reversed);
                ui.label(format::value(*hi));
            });
        }
        LegendSpec::None => {}
    }
}

/// A horizontal viridis gradient from low (left) to high (right); reversed, bright on the left.
fn colour_bar_ui(ui: &mut Ui, reversed: bool) {
    let (rect, _) = ui.allocate_exact_size(BAR_SIZE, Sense::hover());
    const STOPS: usize = 32;
    let mut mesh = Mesh::default();
    for k in 0..=STOPS {
        let t = k as f64 / STOPS as f64;
        let x = rect.left() + rect.width() * t as f32;
        let colour = to_color32(viridis(if reversed { 1.0 - t } else { t }));
        mesh.colored_vertex(egui::pos2(x, rect.top()), colour);
        mesh.colored_vertex(egui::pos2(x, rect.bottom()), colour);
        if k > 0 {
            let i = 2 * k as u32;
            mesh.add_triangle(i - 2, i - 1, i);
            mesh.add_triangle(i - 1, i, i + 1);
        }
    }
    ui.painter().add(mesh);
    ui.painter().rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, Color32::from_gray(120)),
        egui::StrokeKind::Outside,
    );
}
