//! [`ScatterPairView`]: the latents of methods A and B as two scatter plots side by side, with
//! axis pickers, one shared legend, a hover tooltip (row, label, the sample as an image) and the
//! hovered row ringed in both plots; the explorer's marks (selected rows, a picked row) drawn in
//! both, and clicks and box selections reported back (see `marks.rs`).
//!
//! Split by topic: one side's title, axis pickers and plot in `scatter_side.rs`; the hovered row
//! (search, rings, tooltip) in `scatter_hover.rs`; clicks, boxes and painted marks in
//! `scatter_marks.rs`.

use std::cell::RefCell;

use egui::{Pos2, Rect, Response, TextureHandle, Ui};
use egui_plot::PlotTransform;

use super::colours::ColourTable;
use super::gpu_points::GpuPoints;
use super::legend::legend_ui;
use super::marks::{DrawnMarks, Marks, OutlineCache, PlotEvent};
use super::points::{PlotData, disc_texture};
use super::screen::ScreenCache;
use super::{Colouring, ScatterSource};
use crate::data::Dataset;
use crate::explore::PlotAxes;

/// Smallest plot height in points.
const MIN_PLOT_HEIGHT: f32 = 250.0;

/// Share of the available height each plot takes.
const PLOT_HEIGHT_FRACTION: f32 = 0.45;

/// One of the two plots: method A's (left) or B's (right).
pub use crate::pipeline::Side;

/// The state of one plot: its axis choice and caches.
#[derive(Debug, Default)]
pub(super) struct SideState {
    /// Chosen (x, y) latent columns; `None` until a source is first shown.
    pub(super) axes: Option<(usize, usize)>,
    pub(super) data: PlotData,
    pub(super) screen: RefCell<ScreenCache>,
    /// The layout generation of `data` when the plot was last shown, to reset the view when
    /// the latents or axes change.
    pub(super) shown_layout: u64,
    /// This frame's transform (`None` when the plot is not drawn).
    pub(super) transform: Option<PlotTransform>,
    /// The latent columns on x and y this frame (y `None` for a 1-D latent's jitter).
    pub(super) shown_axes: (usize, Option<usize>),
    /// The selection's outlines for the last view.
    pub(super) outlines: OutlineCache,
    /// The points drawn by the GPU (when the view draws there).
    pub(super) gpu: GpuPoints,
}

/// The pointer position and screen cache generation of the last nearest-point search, and
/// its result.
pub(super) type HoverMemo = (Side, Pos2, u64, Option<usize>);

/// State of the side-by-side view: per-plot axis choice, the hovered row, caches.
#[derive(Default)]
pub struct ScatterPairView {
    pub(super) sides: [SideState; 2],
    pub(super) colours: ColourTable,
    pub(super) hovered: Option<(Side, usize)>,
    pub(super) hover_memo: Option<HoverMemo>,
    pub(super) disc: Option<TextureHandle>,
    /// Rows the explorer marks.
    pub(super) marks: Marks,
    /// A primary drag selects a box instead of panning.
    pub(super) box_select: bool,
    /// The box being dragged: plot, start and latest screen position.
    pub(super) box_drag: Option<(Side, Pos2, Pos2)>,
    /// Clicks and boxes since the explorer last took them.
    pub(super) events: Vec<PlotEvent>,
    /// Marks drawn per plot in the last frame.
    pub(super) drawn: [DrawnMarks; 2],
    /// The points are drawn by the GPU (an OpenGL paint callback) rather than as a mesh.
    pub(super) gpu_drawing: bool,
    /// Class ids hidden in both plots through the legend (ascending).
    pub(super) hidden: Vec<u32>,
}

impl ScatterPairView {
    /// The class ids hidden through the legend (ascending): the exported figures leave them
    /// out too.
    pub fn hidden_classes(&self) -> &[u32] {
        &self.hidden
    }

    /// Draws the points on the GPU (needs eframe's OpenGL renderer with GLSL 1.40 or ES 3.00,
    /// see `plots::gpu_points_supported`) instead of as a CPU-built mesh.
    pub fn set_gpu_drawing(&mut self, on: bool) {
        self.gpu_drawing = on;
    }

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
        if !self.colours.is_for(colouring) {
            // other classes (or none): nothing stays hidden
            self.hidden.clear();
        }
        self.colours.update(colouring, &self.hidden);
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
        // plot B's right edge stays clear of the page's scroll bar
        let width = (ui.available_width() - super::SCROLL_BAR_ROOM).max(200.0);
        ui.scope(|ui| {
            ui.set_max_width(width);
            ui.columns(2, |cols| {
                for (k, col) in cols.iter_mut().enumerate() {
                    let side = if k == 0 { Side::A } else { Side::B };
                    let place = (plot_height, picker_row, selecting);
                    responses[k] = self.side_ui(col, side, sources[k], texture, place);
                }
            });
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
        legend_ui(ui, &self.colours.legend, &mut self.hidden);
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

    /// The colour row `row` has in the plots (the plot model's, with the screen's grey for a
    /// missing value).
    pub fn row_colour(&self, row: usize) -> egui::Color32 {
        self.colours.colour(row)
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
}
