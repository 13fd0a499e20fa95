//! What the explorer adds to the scatter pair: rows it marks (a box selection, drawn as outlined
//! discs, and one picked row, ringed like the hovered one) in both plots, the decoded plot point
//! (a cross in its own plot), and what the user did in a plot (a click, a box dragged out)
//! handed back as [`PlotEvent`]s.

use std::sync::Arc;

use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Shape, Stroke, TextureHandle, TextureOptions, Ui, pos2, vec2};

use super::points::DISC_FRACTION;
use super::raster::{DiscStamps, rasterize};
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
    /// The plot point the decoder view shows, crossed in its plot while it shows those axes.
    pub decoded: Option<DecodedMark>,
}

/// A plot point (not a data point) the decoder decoded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DecodedMark {
    /// The plot it was clicked in.
    pub side: super::Side,
    /// The latent columns that plot showed.
    pub axes: PlotAxes,
    /// The plot coordinates.
    pub point: [f64; 2],
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
    /// A double-click in a plot: its view was reset, and what the double-click's first click
    /// asked for (a decoded point) is taken back.
    DoubleClicked {
        /// Which plot.
        side: super::Side,
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
    /// True when the decoded point was crossed.
    pub decoded: bool,
}

/// What the outlines were built for: frame, view bounds, selection (address and length), plot
/// data generation, pixels per point, dark mode, texture.
pub(super) type OutlineKey = (
    Rect,
    [f64; 4],
    usize,
    usize,
    u64,
    f32,
    bool,
    egui::TextureId,
);

/// The selection's outlines in one plot, built like the points (`screen.rs`): while the view
/// moves, a mesh rebuilt only when the view, the selection or the colours change; on the first
/// frame the view is the same as in the previous one, the outlines are drawn into two images
/// (the outline discs, then the coloured discs over them) and the plot shows those, so a still
/// frame with 50 000 outlines costs what one without does.
#[derive(Default)]
pub(super) struct OutlineCache {
    key: Option<OutlineKey>,
    /// Outline positions (one per physical pixel) with their row's colour; rows inside the
    /// frame.
    discs: Vec<(Pos2, Color32)>,
    counted: usize,
    mesh: Option<Shape>,
    /// The selection the outlines were built for, held so that its address (in the key) cannot
    /// be reused by another selection while cached.
    held: Option<Arc<Vec<usize>>>,
    /// The two layers drawn into images for `key`, when the view has rested.
    images: Option<(OutlineKey, [TextureHandle; 2], [Rect; 2])>,
    stamps: [DiscStamps; 2],
}

impl std::fmt::Debug for OutlineCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutlineCache")
            .field("key", &self.key)
            .field("discs", &self.discs.len())
            .field("rested", &self.images.is_some())
            .finish_non_exhaustive()
    }
}

/// Colour of the outline disc: light on the dark theme's black plots, dark on the light theme's.
fn outline_colour(dark_mode: bool) -> Color32 {
    if dark_mode {
        Color32::from_gray(240)
    } else {
        Color32::from_gray(20)
    }
}

impl OutlineCache {
    /// The outlines for `key` (whose selection is `selection` and whose rows are at
    /// `positions`, screen position and colour) and the number of selected rows inside the
    /// frame.
    pub(super) fn shape(
        &mut self,
        ctx: &egui::Context,
        key: OutlineKey,
        selection: &Arc<Vec<usize>>,
        positions: impl Iterator<Item = (Pos2, Color32)>,
    ) -> (Shape, usize) {
        let (frame, _, _, _, _, ppp, dark, texture) = key;
        if self.key != Some(key) {
            self.counted = outline_discs(positions, frame, ppp, &mut self.discs);
            self.mesh = Some(outline_mesh(&self.discs, texture, dark));
            self.key = Some(key);
            self.held = Some(selection.clone());
            return (self.mesh.clone().unwrap_or(Shape::Noop), self.counted);
        }
        // the same view as in the last frame: draw the outlines into images once
        if self.images.as_ref().is_none_or(|(k, _, _)| *k != key) {
            let layers = [
                (OUTLINE_RADIUS, Some(outline_colour(dark))),
                (INNER_RADIUS, None),
            ];
            let mut handles = Vec::new();
            let mut rects = [Rect::NOTHING; 2];
            for (i, (radius, colour)) in layers.into_iter().enumerate() {
                let discs = self.discs.iter().map(|&(p, c)| (p, colour.unwrap_or(c)));
                let (image, rect) = rasterize(discs, frame, ppp, radius, &mut self.stamps[i]);
                rects[i] = rect;
                match self.images.as_mut() {
                    Some((_, old, _)) => {
                        old[i].set(image, TextureOptions::NEAREST);
                        handles.push(old[i].clone());
                    }
                    None => handles.push(ctx.load_texture(
                        format!("latent-selection-{i}"),
                        image,
                        TextureOptions::NEAREST,
                    )),
                }
            }
            if let Ok(handles) = <[TextureHandle; 2]>::try_from(handles) {
                self.images = Some((key, handles, rects));
            }
        }
        let Some((_, handles, rects)) = &self.images else {
            return (self.mesh.clone().unwrap_or(Shape::Noop), self.counted);
        };
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        let layers = (0..2)
            .map(|i| Shape::image(handles[i].id(), rects[i], uv, Color32::WHITE))
            .collect();
        (Shape::Vec(layers), self.counted)
    }
}

/// The outline positions of the rows at `positions` inside `frame`, one per physical pixel
/// (rows in one pixel would draw the same discs), into `discs`; returns the number of rows
/// inside the frame (at most [`MAX_OUTLINED`]).
fn outline_discs(
    positions: impl Iterator<Item = (Pos2, Color32)>,
    frame: Rect,
    pixels_per_point: f32,
    discs: &mut Vec<(Pos2, Color32)>,
) -> usize {
    discs.clear();
    let ppp = if pixels_per_point > 0.0 {
        pixels_per_point
    } else {
        1.0
    };
    let cols = (frame.width() * ppp).ceil().max(1.0) as usize + 1;
    let rows = (frame.height() * ppp).ceil().max(1.0) as usize + 1;
    // one bit per physical pixel of the frame: is an outline there already?
    let mut taken = vec![0u64; (cols * rows).div_ceil(64)];
    let mut n = 0;
    for (pos, colour) in positions {
        if !frame.contains(pos) || n >= MAX_OUTLINED {
            continue;
        }
        n += 1;
        let col = ((pos.x - frame.left()) * ppp) as usize;
        let row = ((pos.y - frame.top()) * ppp) as usize;
        let pixel = row.min(rows - 1) * cols + col.min(cols - 1);
        let (word, bit) = (pixel / 64, 1u64 << (pixel % 64));
        if taken[word] & bit == 0 {
            taken[word] |= bit;
            discs.push((pos, colour));
        }
    }
    n
}

/// Each outline as a disc in the outline colour with a smaller disc in the row's colour over
/// it, so the selection stands out in any colouring.
fn outline_mesh(discs: &[(Pos2, Color32)], texture: egui::TextureId, dark_mode: bool) -> Shape {
    let outline = outline_colour(dark_mode);
    let mut mesh = Mesh::with_texture(texture);
    let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    for &(pos, colour) in discs {
        for (radius, c) in [(OUTLINE_RADIUS, outline), (INNER_RADIUS, colour)] {
            let half = radius / DISC_FRACTION;
            mesh.add_rect_with_uv(Rect::from_center_size(pos, vec2(2.0, 2.0) * half), uv, c);
        }
    }
    Shape::mesh(mesh)
}

/// Rings the picked row.
pub(super) fn paint_picked_ring(ui: &Ui, frame: Rect, pos: Pos2) {
    let painter = ui.painter().with_clip_rect(frame);
    painter.circle_stroke(pos, PICKED_RING_RADIUS, Stroke::new(5.0, Color32::WHITE));
    painter.circle_stroke(pos, PICKED_RING_RADIUS, Stroke::new(2.5, PICKED_COLOUR));
}

/// Half the arm length of the decoded point's cross, in points.
const DECODED_CROSS_RADIUS: f32 = 7.0;

/// The decoded plot point: a cross in the picked colour, haloed to show on any point colour.
pub(super) fn paint_decoded_cross(ui: &Ui, frame: Rect, pos: Pos2) {
    let painter = ui.painter().with_clip_rect(frame);
    let r = DECODED_CROSS_RADIUS;
    for (width, colour) in [(5.0, Color32::WHITE), (2.5, PICKED_COLOUR)] {
        for d in [vec2(r, r), vec2(r, -r)] {
            painter.line_segment([pos - d, pos + d], Stroke::new(width, colour));
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(frame: Rect, selection: &Arc<Vec<usize>>) -> OutlineKey {
        (
            frame,
            [0.0, 0.0, 1.0, 1.0],
            Arc::as_ptr(selection) as usize,
            selection.len(),
            1,
            1.0,
            true,
            egui::TextureId::default(),
        )
    }

    #[test]
    fn outlines_are_a_mesh_while_the_view_moves_and_images_once_it_rests() {
        let ctx = egui::Context::default();
        let frame = Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 80.0));
        let selection = Arc::new(vec![0, 1, 2]);
        // rows 0 and 1 in one pixel, row 2 elsewhere, a fourth outside the frame
        let points = [
            (pos2(10.2, 10.2), Color32::RED),
            (pos2(10.4, 10.6), Color32::RED),
            (pos2(50.0, 40.0), Color32::BLUE),
            (pos2(500.0, 40.0), Color32::BLUE),
        ];
        let mut cache = OutlineCache::default();
        let k = key(frame, &selection);
        let (shape, n) = cache.shape(&ctx, k, &selection, points.into_iter());
        assert_eq!(n, 3);
        let Shape::Mesh(mesh) = shape else {
            panic!("a moving view draws a mesh")
        };
        // two outlines (one per pixel), two rectangles each
        assert_eq!(mesh.vertices.len(), 2 * 2 * 4);
        // the same key again: the view rested, two image layers
        let (shape, n) = cache.shape(&ctx, k, &selection, std::iter::empty());
        assert_eq!(n, 3);
        let Shape::Vec(layers) = shape else {
            panic!("a rested view draws images")
        };
        assert_eq!(layers.len(), 2);
        assert!(
            layers
                .iter()
                .all(|l| matches!(l, Shape::Rect(_) | Shape::Mesh(_)))
        );
        // another view rebuilds the mesh
        let moved = Rect::from_min_size(pos2(5.0, 0.0), vec2(100.0, 80.0));
        let (shape, _) = cache.shape(&ctx, key(moved, &selection), &selection, points.into_iter());
        assert!(matches!(shape, Shape::Mesh(_)));
    }
}
