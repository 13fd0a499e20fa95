//! The legend shared by the two scatter plots: a colour chip and name per class (wrapping to
//! rows), or a viridis colour bar with its range and label. A class entry is a switch: a click
//! hides the class in both plots (and in the exported figures) or shows it again; a
//! double-click shows that class alone (or everything again when it was already alone).

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

/// Draws `legend`; nothing for [`LegendSpec::None`]. Clicks on class entries change `hidden`
/// (class ids, kept ascending).
pub(super) fn legend_ui(ui: &mut Ui, legend: &LegendSpec, hidden: &mut Vec<u32>) {
    match legend {
        LegendSpec::Classes(entries) => {
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                for (id, (name, colour)) in entries.iter().enumerate() {
                    let id = id as u32;
                    let shown = hidden.binary_search(&id).is_err();
                    match class_entry_ui(ui, name, *colour, shown) {
                        Some(Toggle::Flip) if shown => {
                            hidden.push(id);
                            hidden.sort_unstable();
                        }
                        Some(Toggle::Flip) => hidden.retain(|&h| h != id),
                        Some(Toggle::Alone) => {
                            // (the double-click's first click has already flipped this class)
                            let others_hidden = (0..entries.len() as u32)
                                .filter(|&k| k != id)
                                .all(|k| hidden.binary_search(&k).is_ok());
                            hidden.clear();
                            if !others_hidden {
                                hidden.extend((0..entries.len() as u32).filter(|&k| k != id));
                            }
                        }
                        None => {}
                    }
                    ui.add_space(8.0);
                }
                if !hidden.is_empty() && ui.small_button("show all").clicked() {
                    hidden.clear();
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

/// What a click on a class entry asks for.
enum Toggle {
    /// Hide a shown class, show a hidden one.
    Flip,
    /// Show this class alone (a double-click).
    Alone,
}

/// One class entry: a chip (hollow when hidden) and the name (dimmed when hidden), clickable.
fn class_entry_ui(ui: &mut Ui, name: &str, colour: Color32, shown: bool) -> Option<Toggle> {
    let (rect, chip) = ui.allocate_exact_size(vec2(CHIP, CHIP), Sense::click());
    if shown {
        ui.painter().rect_filled(rect, 2.0, colour);
    } else {
        let stroke = egui::Stroke::new(1.5, colour.gamma_multiply(0.7));
        ui.painter()
            .rect_stroke(rect.shrink(1.0), 2.0, stroke, egui::StrokeKind::Inside);
    }
    let text = if shown {
        egui::RichText::new(name)
    } else {
        egui::RichText::new(name).weak().strikethrough()
    };
    let label = ui.add(egui::Label::new(text).sense(Sense::click()));
    let response = (chip | label).on_hover_text(if shown {
        "click: hide this class in both plots · double-click: show it alone"
    } else {
        "click: show this class again · double-click: show it alone"
    });
    // (egui counts a double-click soon after a click elsewhere as a triple-click)
    if response.double_clicked() || response.triple_clicked() {
        Some(Toggle::Alone)
    } else if response.clicked() {
        Some(Toggle::Flip)
    } else {
        None
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
