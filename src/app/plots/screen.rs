//! [`ScreenCache`]: the mesh of one scatter plot for the current view — a triangle around the
//! anti-aliased disc texture per point — rebuilt only when the view or the data changes.
//!
//! Points that fall into the same physical pixel are drawn as one disc at their mean position,
//! in their mean colour, with the opacity of that many discs stacked (`1 - (1 - a)^k`). No point
//! is left out: a pixel with one point is drawn exactly as before, a pixel with many looks as
//! the stack did (up to the order of different colours inside one pixel), and the mesh — which
//! the tessellator copies every frame — never has more triangles than the plot has pixels.
//!
//! While the view moves, the plot is that mesh (the GPU draws the discs). On the first frame
//! the view is the same as in the previous one, the discs are drawn into an image on the CPU
//! (`raster.rs`) and from then on the plot is one textured rectangle, which costs next to
//! nothing per frame.

use std::sync::Arc;

use egui::epaint::{Mesh, Vertex};
use egui::{Color32, Pos2, Rect, Shape, TextureHandle, TextureOptions, pos2, vec2};
use egui_plot::PlotTransform;

use super::points::{DISC_FRACTION, POINT_RADIUS, PlotData};
use super::raster::{DiscStamps, rasterize};

/// Stack heights whose opacity is tabulated; higher stacks are drawn as this high (at the
/// smallest opacity, 0.45, it is opaque to 1e-68).
const STACK_TABLE: usize = 256;

/// Corner offsets of a disc's triangle in units of the texture's half side (see `emit`).
const TRIANGLE: [(f32, f32); 3] = [(0.0, -2.0), (1.732_050_8, 1.0), (-1.732_050_8, 1.0)];

/// What a mesh was built for: frame, view bounds, pixels per point, data generation, texture.
type ViewKey = (Rect, [f64; 4], f32, u64, egui::TextureId);

/// The points that fell into one pixel while building a mesh.
#[derive(Clone, Copy, Debug, Default)]
struct PixelSum {
    count: u32,
    /// Lowest draw rank among the points.
    first: u32,
    x: f32,
    y: f32,
    rgb: [u32; 3],
}

/// The screen-space mesh of the last view.
#[derive(Default)]
pub(super) struct ScreenCache {
    key: Option<ViewKey>,
    mesh: Arc<Mesh>,
    /// Per pixel, 1 + the pixel's place in `sums` when points fell into it, else 0 (all zero
    /// between builds; four bytes a pixel, so the scattered writes stay in cache).
    slots: Vec<u32>,
    /// The pixels with points, in the order they were first hit, and their pixel index.
    sums: Vec<(PixelSum, u32)>,
    /// The disc of each filled pixel, in the order of `sums`.
    discs: Vec<(Pos2, Color32)>,
    /// Bit `r` is set when a filled pixel's lowest point has draw rank `r`; with `by_rank`,
    /// emits the discs in draw order without visiting every rank.
    ranks: Vec<u64>,
    /// At the draw rank of a filled pixel's lowest point, the pixel's place in `discs`
    /// (stale elsewhere: read only where `ranks` has a bit).
    by_rank: Vec<u32>,
    /// Screen position of the corner of pixel (0, 0) of `pixels`.
    origin: Pos2,
    /// The mesh drawn into an image, when the view has rested; the key it was drawn for.
    image: Option<(ViewKey, TextureHandle, Rect)>,
    stamps: DiscStamps,
    /// Bumped on every rebuild.
    pub generation: u64,
}

impl std::fmt::Debug for ScreenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenCache")
            .field("key", &self.key)
            .field("triangles", &(self.mesh.indices.len() / 3))
            .field("image", &self.image.as_ref().map(|(_, h, r)| (h.id(), *r)))
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

impl ScreenCache {
    /// The shape of the points under `transform`: the mesh, rebuilt when the view or the data
    /// changed; the mesh drawn into a texture once the view is the same as in the last call.
    pub fn shape_for(
        &mut self,
        ctx: &egui::Context,
        data: &PlotData,
        transform: &PlotTransform,
        pixels_per_point: f32,
        texture: egui::TextureId,
    ) -> Option<Shape> {
        let rested = self.key == Some(view_key(data, transform, pixels_per_point, texture));
        let mesh = self.mesh_for(data, transform, pixels_per_point, texture);
        if mesh.is_empty() {
            return None;
        }
        if !rested {
            return Some(Shape::Mesh(mesh));
        }
        let key = self.key?;
        if self.image.as_ref().is_none_or(|(k, _, _)| *k != key) {
            let half = POINT_RADIUS / DISC_FRACTION;
            let discs = mesh
                .vertices
                .chunks_exact(3)
                .map(|t| (t[0].pos + vec2(0.0, 2.0 * half), t[0].color));
            let frame = *transform.frame();
            let (image, rect) = rasterize(
                discs,
                frame,
                pixels_per_point,
                POINT_RADIUS,
                &mut self.stamps,
            );
            match &mut self.image {
                Some((k, handle, r)) => {
                    handle.set(image, TextureOptions::NEAREST);
                    (*k, *r) = (key, rect);
                }
                None => {
                    let handle =
                        ctx.load_texture("latent-scatter-points", image, TextureOptions::NEAREST);
                    self.image = Some((key, handle, rect));
                }
            }
        }
        let (_, handle, rect) = self.image.as_ref()?;
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        Some(Shape::image(handle.id(), *rect, uv, Color32::WHITE))
    }

    /// The mesh for `transform` at `pixels_per_point`, rebuilt when the view or the data
    /// changed.
    pub fn mesh_for(
        &mut self,
        data: &PlotData,
        transform: &PlotTransform,
        pixels_per_point: f32,
        texture: egui::TextureId,
    ) -> Arc<Mesh> {
        let key = view_key(data, transform, pixels_per_point, texture);
        if self.key == Some(key) {
            return self.mesh.clone();
        }
        self.key = Some(key);
        self.generation += 1;
        // Reuse the old buffers when no painter holds the previous mesh any more.
        let mut mesh = Arc::try_unwrap(std::mem::take(&mut self.mesh)).unwrap_or_default();
        mesh.clear();
        mesh.texture_id = texture;
        self.sum_pixels(data, transform, pixels_per_point);
        self.emit(&mut mesh, data.alpha, data.draw.len());
        self.mesh = Arc::new(mesh);
        self.mesh.clone()
    }

    /// Adds every point that overlaps the frame to the pixel it falls into; records the
    /// pixels in the order they are first hit.
    fn sum_pixels(&mut self, data: &PlotData, transform: &PlotTransform, pixels_per_point: f32) {
        self.sums.clear();
        let keep = transform.frame().expand(POINT_RADIUS);
        if !(keep.is_positive() && keep.is_finite() && pixels_per_point > 0.0) {
            return;
        }
        let cols = (keep.width() * pixels_per_point).ceil().max(1.0) as usize;
        let rows = (keep.height() * pixels_per_point).ceil().max(1.0) as usize;
        if self.slots.len() != cols * rows {
            self.slots.clear();
            self.slots.resize(cols * rows, 0);
        }
        // position_from_point, with the constants hoisted out of the loop.
        let (b, frame) = (transform.bounds(), transform.frame());
        let [dx, dy] = transform.dpos_dvalue();
        let (x0, y0) = (b.min()[0], b.min()[1]);
        let origin = pos2(
            if dx >= 0.0 {
                frame.left()
            } else {
                frame.right()
            },
            if dy <= 0.0 {
                frame.bottom()
            } else {
                frame.top()
            },
        );
        let (left, top) = (f64::from(keep.left()), f64::from(keep.top()));
        // In f32 relative to the view's corner rounded to f32; the rounding is moved into the
        // offset, so the error is that of the f32 coordinates themselves.
        let (x0f, y0f) = (x0 as f32, y0 as f32);
        let ox = (f64::from(origin.x) - left + (f64::from(x0f) - x0) * dx) as f32;
        let oy = (f64::from(origin.y) - top + (f64::from(y0f) - y0) * dy) as f32;
        let (dx, dy) = (dx as f32, dy as f32);
        let (width, height) = (keep.width(), keep.height());
        let ppp = pixels_per_point;
        for p in &data.draw {
            let sx = ox + (p.x - x0f) * dx;
            let sy = oy + (p.y - y0f) * dy;
            // `keep.contains`, written so that NaN fails.
            if !(sx >= 0.0 && sx <= width && sy >= 0.0 && sy <= height) {
                continue;
            }
            let col = ((sx * ppp) as usize).min(cols - 1);
            let row = ((sy * ppp) as usize).min(rows - 1);
            let index = row * cols + col;
            let slot = &mut self.slots[index];
            if *slot == 0 {
                self.sums.push((
                    PixelSum {
                        first: p.rank,
                        ..PixelSum::default()
                    },
                    index as u32,
                ));
                *slot = self.sums.len() as u32;
            }
            let pixel = &mut self.sums[*slot as usize - 1].0;
            pixel.first = pixel.first.min(p.rank);
            pixel.count += 1;
            pixel.x += sx;
            pixel.y += sy;
            let [r, g, b, _] = p.colour.to_array();
            pixel.rgb[0] += u32::from(r);
            pixel.rgb[1] += u32::from(g);
            pixel.rgb[2] += u32::from(b);
        }
        self.origin = pos2(keep.left(), keep.top());
    }

    /// A disc per filled pixel, in the draw order of the pixels' lowest points (and clears the
    /// pixel sums).
    fn emit(&mut self, mesh: &mut Mesh, alpha: f32, n_points: usize) {
        // Opacity of k stacked discs, 1 - (1 - alpha)^k, for k up to STACK_TABLE.
        let mut stacked = [0f32; STACK_TABLE];
        let mut transparency = 1.0;
        for s in &mut stacked {
            *s = 1.0 - transparency;
            transparency *= 1.0 - alpha;
        }
        if self.by_rank.len() != n_points {
            self.by_rank.clear();
            self.by_rank.resize(n_points, 0);
            self.ranks.clear();
            self.ranks.resize(n_points.div_ceil(64), 0);
        }
        self.discs.clear();
        for (place, &(pixel, index)) in self.sums.iter().enumerate() {
            self.slots[index as usize] = 0;
            let k = pixel.count;
            let colour = if k == 1 {
                let [r, g, b] = pixel.rgb;
                Color32::from_rgb(r as u8, g as u8, b as u8).gamma_multiply(alpha)
            } else {
                let mean = |s: u32| ((s + k / 2) / k) as u8;
                Color32::from_rgb(mean(pixel.rgb[0]), mean(pixel.rgb[1]), mean(pixel.rgb[2]))
                    .gamma_multiply(stacked[(k as usize).min(STACK_TABLE - 1)])
            };
            let inv = 1.0 / k as f32;
            let centre = pos2(self.origin.x + pixel.x * inv, self.origin.y + pixel.y * inv);
            self.discs.push((centre, colour));
            let rank = pixel.first as usize;
            self.by_rank[rank] = place as u32;
            self.ranks[rank / 64] |= 1 << (rank % 64);
        }
        // An equilateral triangle around the texture's inscribed circle: vertices at twice the
        // half side from the centre; texels outside the texture clamp to its transparent edge.
        let half = POINT_RADIUS / DISC_FRACTION;
        let n = self.sums.len();
        mesh.vertices.reserve(3 * n);
        mesh.indices.reserve(3 * n);
        for (w, word) in self.ranks.iter_mut().enumerate() {
            let mut bits = std::mem::take(word);
            while bits != 0 {
                let rank = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let (centre, colour) = self.discs[self.by_rank[rank] as usize];
                let first = mesh.vertices.len() as u32;
                mesh.vertices.extend(TRIANGLE.map(|(dx, dy)| Vertex {
                    pos: pos2(centre.x + dx * half, centre.y + dy * half),
                    uv: pos2(0.5 + dx * 0.5, 0.5 + dy * 0.5),
                    color: colour,
                }));
                mesh.indices
                    .extend_from_slice(&[first, first + 1, first + 2]);
            }
        }
    }
}

/// The view a mesh is built for.
fn view_key(
    data: &PlotData,
    transform: &PlotTransform,
    pixels_per_point: f32,
    texture: egui::TextureId,
) -> ViewKey {
    let (b, frame) = (transform.bounds(), *transform.frame());
    let view = [b.min()[0], b.min()[1], b.max()[0], b.max()[1]];
    (frame, view, pixels_per_point, data.generation, texture)
}
