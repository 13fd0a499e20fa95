//! One side of the scatter view: its title, subtitle, axis pickers and plot (or a placeholder
//! when there is nothing to show).

use egui::{Rect, Response, RichText, Ui, vec2};
use egui_plot::Plot;

use super::ScatterSource;
use super::colours::ColourTable;
use super::points::{PlotData, PointCloud};
use super::scatter::{ScatterPairView, Side};
use super::ticks::{GRID_MIN_POINTS, nice_marks, tick_label};
use crate::plot::scatter::JITTER_LABEL;

impl ScatterPairView {
    /// Title, axis pickers and plot (or placeholder) of one side; the plot's response. `place`
    /// is the plot height, whether a row of axis pickers is shown, and whether a drag selects.
    pub(super) fn side_ui(
        &mut self,
        ui: &mut Ui,
        side: Side,
        source: Option<&ScatterSource>,
        texture: egui::TextureId,
        (plot_height, picker_row, selecting): (f32, bool, bool),
    ) -> Option<Response> {
        let state = &mut self.sides[side.index()];
        state.transform = None;
        let size = vec2(ui.available_width(), plot_height);
        let Some(source) = source else {
            ui.label(
                RichText::new(format!("Method {}", side.label()))
                    .strong()
                    .size(16.0),
            );
            ui.label(RichText::new(" "));
            if picker_row {
                ui.add_space(ui.spacing().interact_size.y + ui.spacing().item_spacing.y);
            }
            placeholder_ui(ui, size, "not trained yet");
            return None;
        };
        ui.label(RichText::new(&source.title).strong().size(16.0));
        let dim = source.latents.ncols();
        let mut axes = match dim {
            0 | 1 => (0, 0),
            2 => (0, 1),
            _ => {
                let (x, y) = state.axes.unwrap_or((0, 1));
                (x.min(dim - 1), y.min(dim - 1))
            }
        };
        state.data.update(&source.latents, axes, &self.colours);
        ui.label(RichText::new(subtitle(source, &state.data, &self.colours)).weak());
        if dim > 2 {
            ui.horizontal(|ui| {
                axis_combo_ui(ui, (side, 'x'), &mut axes.0, dim);
                axis_combo_ui(ui, (side, 'y'), &mut axes.1, dim);
            });
            state.axes = Some(axes);
            state.data.update(&source.latents, axes, &self.colours);
        } else if picker_row {
            ui.add_space(ui.spacing().interact_size.y + ui.spacing().item_spacing.y);
        }
        if dim == 0 {
            placeholder_ui(ui, size, "the latent has 0 dimensions");
            return None;
        }
        let (x_axis, y_axis) = axes;
        state.shown_axes = (x_axis, (dim > 1).then_some(y_axis));
        let reset = state.shown_layout != state.data.layout_generation;
        state.shown_layout = state.data.layout_generation;
        let mut plot = Plot::new(("latent-scatter", side))
            .width(size.x)
            .height(size.y)
            .x_axis_label(format!("z{x_axis}"))
            .y_axis_label(if dim == 1 {
                JITTER_LABEL.to_owned()
            } else {
                format!("z{y_axis}")
            })
            .show_x(false)
            .show_y(false)
            .allow_double_click_reset(true)
            // the wheel scrolls the page; Ctrl + wheel zooms
            .allow_scroll(false)
            .grid_spacing(egui::Rangef::new(GRID_MIN_POINTS, 300.0))
            .x_grid_spacer(|input| nice_marks(input, 70.0, 0.0))
            .y_grid_spacer(|input| nice_marks(input, 36.0, 0.0))
            .x_axis_formatter(|mark, _| tick_label(mark));
        plot = if dim == 1 {
            plot.y_axis_formatter(|_, _| String::new())
        } else {
            plot.y_axis_formatter(|mark, _| tick_label(mark))
        };
        if reset {
            plot = plot.reset();
        }
        if selecting {
            plot = plot.allow_drag(false);
        }
        let (data, screen) = (&state.data, &state.screen);
        let gpu = (self.gpu_drawing && state.gpu.failed().is_none()).then_some(&state.gpu);
        let response = plot.show(ui, |plot_ui| {
            plot_ui.add(PointCloud::new(data, screen, texture, gpu));
        });
        state.transform = Some(response.transform);
        Some(response.response)
    }
}

/// The source's subtitle with notes about points that cannot be shown.
fn subtitle(source: &ScatterSource, data: &PlotData, colours: &ColourTable) -> String {
    let mut parts = Vec::new();
    if !source.subtitle.is_empty() {
        parts.push(source.subtitle.clone());
    }
    if data.n_hidden > 0 && !data.coords.is_empty() {
        parts.push(format!("{} non-finite point(s) not shown", data.n_hidden));
    }
    let n = source.latents.nrows();
    if colours.len() != 0 && colours.len() != n {
        parts.push(format!("{} colour values for {n} rows", colours.len()));
    }
    if parts.is_empty() {
        " ".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// A small "x: z0" picker over the latent columns.
fn axis_combo_ui(ui: &mut Ui, id_salt: (Side, char), axis: &mut usize, dim: usize) {
    let (side, letter) = id_salt;
    egui::ComboBox::from_id_salt(id_salt)
        .selected_text(format!("{letter}: z{axis}"))
        .width(70.0)
        .show_ui(ui, |ui| {
            for k in 0..dim {
                ui.selectable_value(axis, k, format!("z{k}"));
            }
        })
        .response
        .on_hover_text(format!(
            "latent column on the {letter} axis of {}",
            side.label()
        ));
}

/// A framed empty area of `size` with `text` in the middle.
fn placeholder_ui(ui: &mut Ui, size: egui::Vec2, text: &str) {
    let rect = Rect::from_min_size(ui.cursor().min, size);
    ui.painter().rect(
        rect,
        4.0,
        ui.visuals().faint_bg_color,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    ui.put(rect, egui::Label::new(RichText::new(text).weak()));
}
