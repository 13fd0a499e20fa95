//! What the explorer adds to the scatter pair: rows it marks (a box selection, drawn as outlined
//! discs, and one picked row, ringed like the hovered one) in both plots, and what the user did
//! in a plot (a click, a box dragged out) handed back as [`PlotEvent`]s.

use std::sync::Arc;

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Shape, Stroke, Ui, pos2, vec2};

use super::points::DISC_FRACTION;
use crate::explore::PlotAxes;

/// Largest number of selected rows outlined per plot (beyond it the selection still counts; the
/// outlines would only cover the plot).
pub const MAX_OUTLINED: usize = 50_000;

/// Radius of a selected point's dark outline disc, and of the coloured disc over it, in points.
const OUTLINE_RADIUS: f32 = 4.5;
const INNER_RADIUS: f32 = 2.8;

/// Radius of the ring around the picked row, in points.
const PICKED_RING_RADIUS: f32 = 9.0;

/// Colour of the picked row's ring (a magenta no class colour uses).
pub const PICKED_COLOUR: Color32 = Color32::from_rgb(0xe0, 0x10, 0x90);

/// Rows the explorer marks in both plots.
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// The selected rows (data order, ascending).
    pub selected: Arc<Vec<usize>>,
    /// The picked row, ringed.
    pub picked: Option<usize>,
}

/// Something the user did in one of the plots.
#[derive(Clone, Debug, PartialEq)]
pub enum PlotEvent {
    /// A click (not a drag) in a plot.
    Clicked {
        /// Which plot.
        side: super::Side,
        /// The plot point under the click.
        point: [f64; 2],
        /// The row under the click, if a point was there.
        row: Option<usize>,
        /// The latent columns the plot showed.
        axes: PlotAxes,
    },
    /// A box dragged out in a plot, with the rows inside it.
    BoxSelected {
        /// Which plot.
        side: super::Side,
        /// The rows inside the box (ascending).
        rows: Vec<usize>,
    },
}

/// How many marks one plot drew in the last frame (for tests and automation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DrawnMarks {
    /// Selected rows outlined.
    pub outlined: usize,
    /// True when the picked row was ringed.
    pub picked: bool,
}

/// Outlines the selected rows at `positions` (screen, with their colour) inside `frame`: a disc
/// in the text colour with the point's colour over it, so the selection stands out in any
/// colouring.
pub(super) fn outline_shape(
    positions: impl Iterator<Item = (Pos2, Color32)>,
    frame: Rect,
    texture: egui::TextureId,
    dark_mode: bool,
) -> (Shape, usize) {
    // A light outline on the dark theme's black plots, a dark one on the light theme's.
    let outline = if dark_mode {
        Color32::from_gray(240)
    } else {
        Color32::from_gray(20)
    };
    let mut mesh = Mesh::with_texture(texture);
    let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    let mut n = 0;
    for (pos, colour) in positions {
        if !frame.contains(pos) || n >= MAX_OUTLINED {
            continue;
        }
        n += 1;
        for (radius, c) in [(OUTLINE_RADIUS, outline), (INNER_RADIUS, colour)] {
            let half = radius / DISC_FRACTION;
            mesh.add_rect_with_uv(Rect::from_center_size(pos, vec2(2.0, 2.0) * half), uv, c);
        }
    }
    (Shape::mesh(mesh), n)
}

/// Rings the picked row.
pub(super) fn paint_picked_ring(ui: &Ui, frame: Rect, pos: Pos2) {
    let painter = ui.painter().with_clip_rect(frame);
    painter.circle_stroke(pos, PICKED_RING_RADIUS, Stroke::new(5.0, Color32::WHITE));
    painter.circle_stroke(pos, PICKED_RING_RADIUS, Stroke::new(2.5, PICKED_COLOUR));
}

/// The box being dragged, drawn as a translucent rectangle.
pub(super) fn paint_box(ui: &Ui, frame: Rect, a: Pos2, b: Pos2) {
    let painter = ui.painter().with_clip_rect(frame);
    let rect = Rect::from_two_pos(a, b);
    painter.rect(
        rect,
        0.0,
        Color32::from_rgba_unmultiplied(0x30, 0x80, 0xe0, 40),
        Stroke::new(1.5, Color32::from_rgb(0x30, 0x80, 0xe0)),
        egui::StrokeKind::Inside,
    );
}
