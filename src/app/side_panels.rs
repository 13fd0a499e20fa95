//! The method panels at the window's sides: resizable between [`MIN_WIDTH`] and [`MAX_WIDTH`],
//! first sized to the window (narrower on a laptop screen), and collapsible to a strip that
//! still shows whether the method is fitting. A panel collapses from its heading's button, by
//! dragging its edge past the narrowest width or by double-clicking the edge; the strip's button,
//! a double-click on its edge or a drag outwards opens it again.

use super::LatentApp;
use super::worker::Side;

/// Narrowest open panel (dragging the edge further collapses it), in points.
const MIN_WIDTH: f32 = 190.0;
/// Widest panel, in points.
const MAX_WIDTH: f32 = 480.0;
/// A panel's first width on a wide window.
const DEFAULT_WIDTH: f32 = 270.0;
/// Share of the window's width a panel first takes on a narrow window (1024 points: 236).
const DEFAULT_SHARE: f32 = 0.23;
/// Width of a collapsed panel's strip.
const STRIP_WIDTH: f32 = 34.0;

impl LatentApp {
    /// Both method panels, open or collapsed.
    pub(super) fn side_panels_ui(&mut self, ui: &mut egui::Ui) {
        let window = ui.ctx().content_rect().width();
        let default = (window * DEFAULT_SHARE).clamp(MIN_WIDTH, DEFAULT_WIDTH);
        for side in Side::BOTH {
            let (open, strip) = match side {
                Side::A => (
                    egui::Panel::left("method_a"),
                    egui::Panel::left("method_a_strip"),
                ),
                Side::B => (
                    egui::Panel::right("method_b"),
                    egui::Panel::right("method_b_strip"),
                ),
            };
            let open = open
                .resizable(true)
                .default_size(default)
                .size_range(MIN_WIDTH..=MAX_WIDTH);
            let strip = strip.resizable(true).exact_size(STRIP_WIDTH);
            let mut expanded = self.panels_open[side.index()];
            egui::Panel::show_switched(ui, &mut expanded, strip, open, |ui, shown| {
                if shown {
                    self.method_panel_ui(ui, side);
                } else {
                    self.strip_ui(ui, side);
                }
            });
            // the heading's or the strip's button asked in this frame, else the edge's gesture
            let asked = &mut self.panel_toggle[side.index()];
            self.panels_open[side.index()] = asked.take().unwrap_or(expanded);
        }
    }

    /// The heading of an open panel, with the button that collapses it.
    pub(super) fn panel_heading_ui(&mut self, ui: &mut egui::Ui, side: Side) {
        ui.horizontal(|ui| {
            let arrow = match side {
                Side::A => "◀",
                Side::B => "▶",
            };
            if side == Side::B && collapse_button(ui, arrow, side).clicked() {
                self.panel_toggle[side.index()] = Some(false);
            }
            ui.heading(format!("Method {}", side.label()));
            if side == Side::A && collapse_button(ui, arrow, side).clicked() {
                self.panel_toggle[side.index()] = Some(false);
            }
        });
    }

    /// A collapsed panel: the button that opens it, its letter, and a spinner while it fits.
    fn strip_ui(&mut self, ui: &mut egui::Ui, side: Side) {
        ui.vertical_centered(|ui| {
            ui.add_space(4.0);
            let arrow = match side {
                Side::A => "▶",
                Side::B => "◀",
            };
            if ui
                .button(arrow)
                .on_hover_text(format!("Show method {}'s settings", side.label()))
                .clicked()
            {
                self.panel_toggle[side.index()] = Some(true);
            }
            ui.strong(side.label());
            if self.side(side).is_busy() {
                ui.spinner();
            }
        });
    }
}

fn collapse_button(ui: &mut egui::Ui, arrow: &str, side: Side) -> egui::Response {
    ui.small_button(arrow).on_hover_text(format!(
        "Hide method {}'s settings (or drag the panel's edge to its side)",
        side.label()
    ))
}
