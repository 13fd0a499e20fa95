//! [`ScatterPairView`]: the latents of methods A and B as two scatter plots side by side, with
//! axis pickers, one shared legend, a hover tooltip (row, label, the sample as an image) and the
//! hovered row ringed in both plots; the explorer's marks (selected rows, a picked row) drawn in
//! both, and clicks and box selections reported back (see `marks.rs`).

use std::cell::RefCell;
use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Response, RichText, Stroke, TextureHandle, Ui, vec2};
use egui_plot::{Plot, PlotPoint, PlotTransform};

use super::colours::ColourTable;
use super::legend::{format_value, legend_ui};
use super::marks::{
    DrawnMarks, Marks, OutlineCache, PlotEvent, paint_box, paint_decoded_cross, paint_picked_ring,
};
use super::points::{JITTER_LABEL, PlotData, PointCloud, disc_texture};
use super::sample::sample_ui;
use super::screen::ScreenCache;
use super::ticks::{GRID_MIN_POINTS, nice_marks, tick_label};
use super::{Colouring, ScatterSource};
use crate::data::Dataset;
use crate::explore::{PlotAxes, rows_in_box};

/// A point is hovered when the pointer is at most this far from it, in points.
const HOVER_RADIUS: f32 = 8.0;

/// Smallest plot height in points.
const MIN_PLOT_HEIGHT: f32 = 250.0;

/// Share of the available height each plot takes.
const PLOT_HEIGHT_FRACTION: f32 = 0.45;

/// Radius of the ring around the hovered point, in points.
const RING_RADIUS: f32 = 6.5;

/// One of the two plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The left plot, method A.
    A,
    /// The right plot, method B.
    B,
}

impl Side {
    /// 0 for A, 1 for B.
    pub fn index(self) -> usize {
        match self {
            Side::A => 0,
            Side::B => 1,
        }
    }

    /// "A" or "B".
    pub fn name(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }
}

/// The state of one plot: its axis choice and caches.
#[derive(Debug, Default)]
struct SideState {
    /// Chosen (x, y) latent columns; `None` until a source is first shown.
    axes: Option<(usize, usize)>,
    data: PlotData,
    screen: RefCell<ScreenCache>,
    /// The layout generation of `data` when the plot was last shown, to reset the view when
    /// the latents or axes change.
    shown_layout: u64,
    /// This frame's transform (`None` when the plot is not drawn).
    transform: Option<PlotTransform>,
    /// The latent columns on x and y this frame (y `None` for a 1-D latent's jitter).
    shown_axes: (usize, Option<usize>),
    /// The selection's outlines for the last view.
    outlines: OutlineCache,
}

/// The pointer position and screen cache generation of the last nearest-point search, and
/// its result.
type HoverMemo = (Side, Pos2, u64, Option<usize>);

/// State of the side-by-side view: per-plot axis choice, the hovered row, caches.
#[derive(Default)]
pub struct ScatterPairView {
    sides: [SideState; 2],
    colours: ColourTable,
    hovered: Option<(Side, usize)>,
    hover_memo: Option<HoverMemo>,
    disc: Option<TextureHandle>,
    /// Rows the explorer marks.
    marks: Marks,
    /// A primary drag selects a box instead of panning.
    box_select: bool,
    /// The box being dragged: plot, start and latest screen position.
    box_drag: Option<(Side, Pos2, Pos2)>,
    /// Clicks and boxes since the explorer last took them.
    events: Vec<PlotEvent>,
    /// Marks drawn per plot in the last frame.
    drawn: [DrawnMarks; 2],
}

impl ScatterPairView {
    /// Draws A and B side by side with one shared legend (or colour scale); either may be
    /// `None` ("not trained yet" placeholder). `dataset` gives labels for tooltips and the raw
    /// records and image shape for the sample image.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        a: Option<&ScatterSource>,
        b: Option<&ScatterSource>,
        colouring: &Colouring,
        dataset: &Dataset,
    ) {
        self.colours.update(colouring);
        let texture = self.disc.get_or_insert_with(|| disc_texture(ui.ctx())).id();
        let available = ui.available_height();
        let plot_height = if available.is_finite() {
            (available * PLOT_HEIGHT_FRACTION).max(MIN_PLOT_HEIGHT)
        } else {
            MIN_PLOT_HEIGHT * 1.6
        };
        let sources = [a, b];
        let picker_row = sources.iter().flatten().any(|s| s.latents.ncols() > 2);
        let mut responses: [Option<Response>; 2] = [None, None];
        // Shift turns a drag into a box selection for as long as it is held.
        let selecting = self.box_select || ui.input(|i| i.modifiers.shift);
        ui.columns(2, |cols| {
            for (k, col) in cols.iter_mut().enumerate() {
                let side = if k == 0 { Side::A } else { Side::B };
                let place = (plot_height, picker_row, selecting);
                responses[k] = self.side_ui(col, side, sources[k], texture, place);
            }
        });
        self.update_hover(&responses);
        self.update_clicks_and_box(ui, &responses, selecting);
        self.paint_marks(ui, texture);
        self.paint_rings(ui);
        if let Some((side, row)) = self.hovered
            && let Some(response) = &responses[side.index()]
        {
            egui::Tooltip::for_widget(response)
                .at_pointer()
                .gap(12.0)
                .show(|ui| self.tooltip_ui(ui, row, sources, colouring, dataset));
        }
        ui.add_space(4.0);
        legend_ui(ui, &self.colours.legend);
        if let Some(problem) = &self.colours.problem {
            ui.colored_label(ui.visuals().warn_fg_color, problem);
        }
    }

    /// Row index currently hovered in either plot.
    pub fn hovered(&self) -> Option<usize> {
        self.hovered.map(|(_, row)| row)
    }

    /// The latent columns (x, y) chosen for the plot of `side` (meaningful for latents wider
    /// than 2; a 2-D latent always shows z0 against z1).
    pub fn axes(&self, side: Side) -> (usize, usize) {
        self.sides[side.index()].axes.unwrap_or((0, 1))
    }

    /// Screen position of `row` in the plot of `side` as last drawn, when it is inside the plot
    /// (for tests and automation).
    pub fn point_screen_pos(&self, side: Side, row: usize) -> Option<Pos2> {
        let state = &self.sides[side.index()];
        let pos = state
            .transform?
            .position_from_point(&state.data.point(row)?);
        state.transform?.frame().contains(pos).then_some(pos)
    }

    /// Sets the rows the explorer marks in both plots.
    pub fn set_marks(&mut self, marks: Marks) {
        self.marks = marks;
    }

    /// True when a primary drag selects a box instead of panning.
    pub fn box_select(&self) -> bool {
        self.box_select
    }

    /// Makes a primary drag select a box (true) or pan (false).
    pub fn set_box_select(&mut self, on: bool) {
        self.box_select = on;
        self.box_drag = None;
    }

    /// Clicks and box selections since the last call.
    pub fn take_events(&mut self) -> Vec<PlotEvent> {
        std::mem::take(&mut self.events)
    }

    /// The marks the plot of `side` drew in the last frame.
    pub fn drawn_marks(&self, side: Side) -> DrawnMarks {
        self.drawn[side.index()]
    }

    /// The latent columns the plot of `side` showed in the last frame (`None` when not drawn).
    pub fn plot_axes(&self, side: Side) -> Option<PlotAxes> {
        let state = &self.sides[side.index()];
        state.transform?;
        let (x, y) = state.shown_axes;
        Some(PlotAxes { x, y })
    }

    /// The visible area of the plot of `side` in the last frame, as (x range, y range).
    pub fn visible_range(&self, side: Side) -> Option<([f64; 2], [f64; 2])> {
        let transform = self.sides[side.index()].transform?;
        let b = transform.bounds();
        Some(([b.min()[0], b.max()[0]], [b.min()[1], b.max()[1]]))
    }

    /// The range of the points of `side` as (x range, y range), when it has any.
    pub fn data_range(&self, side: Side) -> Option<([f64; 2], [f64; 2])> {
        let b = self.sides[side.index()].data.bounds;
        b.is_finite()
            .then(|| ([b.min()[0], b.max()[0]], [b.min()[1], b.max()[1]]))
    }

    /// Screen rectangle of the plot of `side` in the last frame.
    pub fn plot_frame(&self, side: Side) -> Option<Rect> {
        Some(*self.sides[side.index()].transform?.frame())
    }

    /// Reports clicks, and follows a box being dragged (reported when it is let go).
    fn update_clicks_and_box(
        &mut self,
        ui: &Ui,
        responses: &[Option<Response>; 2],
        selecting: bool,
    ) {
        for side in [Side::A, Side::B] {
            let Some(response) = &responses[side.index()] else {
                continue;
            };
            let state = &self.sides[side.index()];
            let Some(transform) = state.transform else {
                continue;
            };
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                let point = transform.value_from_position(pos);
                let (x, y) = state.shown_axes;
                self.events.push(PlotEvent::Clicked {
                    side,
                    point: [point.x, point.y],
                    row: self.hovered.filter(|(s, _)| *s == side).map(|(_, r)| r),
                    axes: PlotAxes { x, y },
                });
            }
            if selecting && response.drag_started_by(egui::PointerButton::Primary) {
                let start = ui
                    .input(|i| i.pointer.press_origin())
                    .or(response.interact_pointer_pos());
                self.box_drag = start.map(|p| (side, p, p));
            }
            let Some((drag_side, start, mut end)) = self.box_drag else {
                continue;
            };
            if drag_side != side {
                continue;
            }
            if let Some(pos) = response.interact_pointer_pos() {
                end = pos;
            }
            if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
                self.box_drag = None;
                let (p, q) = (
                    transform.value_from_position(start),
                    transform.value_from_position(end),
                );
                let rows = rows_in_box(&state.data.coords, [p.x, p.y], [q.x, q.y]);
                self.events.push(PlotEvent::BoxSelected { side, rows });
            } else {
                self.box_drag = Some((side, start, end));
                paint_box(ui, *transform.frame(), start, end);
            }
        }
    }

    /// Outlines the selected rows and rings the picked row in both plots; crosses the decoded
    /// plot point in its own.
    fn paint_marks(&mut self, ui: &Ui, texture: egui::TextureId) {
        let ppp = ui.ctx().pixels_per_point();
        for (k, state) in self.sides.iter_mut().enumerate() {
            self.drawn[k] = DrawnMarks::default();
            let Some(transform) = state.transform else {
                continue;
            };
            let frame = *transform.frame();
            if !self.marks.selected.is_empty() {
                let dark = ui.visuals().dark_mode;
                let b = transform.bounds();
                let selected = &self.marks.selected;
                let key = (
                    frame,
                    [b.min()[0], b.min()[1], b.max()[0], b.max()[1]],
                    Arc::as_ptr(selected) as usize,
                    selected.len(),
                    state.data.generation,
                    ppp,
                    dark,
                    texture,
                );
                let (data, colours) = (&state.data, &self.colours);
                let positions = selected.iter().filter_map(|&row| {
                    let pos = transform.position_from_point(&data.point(row)?);
                    Some((pos, colours.colour(row)))
                });
                let (shape, n) = state.outlines.shape(ui.ctx(), key, selected, positions);
                ui.painter().with_clip_rect(frame).add(shape);
                self.drawn[k].outlined = n;
            }
            if let Some(row) = self.marks.picked
                && let Some(point) = state.data.point(row)
            {
                let pos = transform.position_from_point(&point);
                if frame.contains(pos) {
                    paint_picked_ring(ui, frame, pos);
                    self.drawn[k].picked = true;
                }
            }
            if let Some(mark) = self.marks.decoded
                && mark.side.index() == k
                && state.shown_axes == (mark.axes.x, mark.axes.y)
            {
                let [x, y] = mark.point;
                let pos = transform.position_from_point(&PlotPoint::new(x, y));
                if frame.contains(pos) {
                    paint_decoded_cross(ui, frame, pos);
                    self.drawn[k].decoded = true;
                }
            }
        }
    }

    /// Title, axis pickers and plot (or placeholder) of one side; the plot's response. `place`
    /// is the plot height, whether a row of axis pickers is shown, and whether a drag selects.
    fn side_ui(
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
                RichText::new(format!("Method {}", side.name()))
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
        let response = plot.show(ui, |plot_ui| {
            plot_ui.add(PointCloud::new(data, screen, texture));
        });
        state.transform = Some(response.transform);
        Some(response.response)
    }

    /// Finds the row under the pointer; searches only when the pointer or the view moved.
    fn update_hover(&mut self, responses: &[Option<Response>; 2]) {
        let pointer = [Side::A, Side::B].into_iter().find_map(|side| {
            let response = responses[side.index()].as_ref()?;
            Some((side, response.hover_pos()?))
        });
        let Some((side, pos)) = pointer else {
            self.hovered = None;
            self.hover_memo = None;
            return;
        };
        let state = &self.sides[side.index()];
        let generation = state.screen.borrow().generation;
        let row = match self.hover_memo {
            Some((s, p, g, row)) if s == side && p == pos && g == generation => row,
            _ => state
                .transform
                .and_then(|t| state.data.nearest(&t, pos, HOVER_RADIUS)),
        };
        self.hover_memo = Some((side, pos, generation, row));
        self.hovered = row.map(|row| (side, row));
    }

    /// Rings the hovered row in both plots.
    fn paint_rings(&self, ui: &Ui) {
        for (frame, pos) in self.hover_ring_positions() {
            let painter = ui.painter().with_clip_rect(frame);
            painter.circle_stroke(pos, RING_RADIUS, Stroke::new(4.0, Color32::WHITE));
            painter.circle_stroke(pos, RING_RADIUS, Stroke::new(2.0, Color32::BLACK));
        }
    }

    /// Plot frame and screen position of the hovered row in each plot that shows it.
    pub(super) fn hover_ring_positions(&self) -> Vec<(Rect, Pos2)> {
        let Some((_, row)) = self.hovered else {
            return Vec::new();
        };
        self.sides
            .iter()
            .filter_map(|state| {
                let transform = state.transform.as_ref()?;
                let pos = transform.position_from_point(&state.data.point(row)?);
                transform
                    .frame()
                    .contains(pos)
                    .then_some((*transform.frame(), pos))
            })
            .collect()
    }

    /// The points of the plot of `side`.
    #[cfg(test)]
    pub(super) fn plot_data(&self, side: Side) -> &PlotData {
        &self.sides[side.index()].data
    }

    /// Row number, label, coordinates in each plot and, for image data, the sample.
    fn tooltip_ui(
        &self,
        ui: &mut Ui,
        row: usize,
        sources: [Option<&ScatterSource>; 2],
        colouring: &Colouring,
        dataset: &Dataset,
    ) {
        ui.label(RichText::new(format!("row {row}")).strong());
        let own_label = dataset
            .labels
            .as_ref()
            .filter(|labels| row < labels.len())
            .map(|labels| format!("label: {}", labels.display_short(row)));
        let coloured_by = self.colours.describe(colouring, row);
        // the row's own label too when the points are coloured by something else (agreement);
        // `Colouring::from_labels` names a continuous label "label"
        let coloured_by_label = match (colouring, dataset.labels.as_ref()) {
            (Colouring::Classes { .. }, Some(crate::data::Labels::Classes { .. })) => true,
            (Colouring::Continuous { label, .. }, Some(crate::data::Labels::Continuous(_))) => {
                label == "label"
            }
            _ => false,
        };
        for text in [
            coloured_by.clone(),
            own_label.filter(|_| !coloured_by_label || coloured_by.is_none()),
        ]
        .into_iter()
        .flatten()
        {
            ui.label(text);
        }
        for (state, source) in self.sides.iter().zip(sources) {
            if let (Some(source), Some(point)) = (source, state.data.point(row)) {
                let (x_axis, y_axis) = state.shown_axes;
                let mut text = format!("{}: z{x_axis} = {}", source.title, format_value(point.x));
                if let Some(y_axis) = y_axis {
                    text += &format!(", z{y_axis} = {}", format_value(point.y));
                }
                ui.label(RichText::new(text).weak());
            }
        }
        if let Some(shape) = dataset.image_shape
            && row < dataset.records.nrows()
        {
            sample_ui(ui, dataset.records.row(row), shape);
        }
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
            side.name()
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
