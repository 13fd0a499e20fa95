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

use super::pixel_sums::{PixelSum, PixelSums};
use super::points::{DISC_FRACTION, POINT_RADIUS, PlotData};
use super::raster::{DiscStamps, rasterize};

/// Stack heights whose opacity is tabulated; higher stacks are drawn as this high (at the
/// smallest opacity, 0.45, it is opaque to 1e-68).
const STACK_TABLE: usize = 256;

/// Corner offsets of a disc's triangle in units of the texture's half side (see `emit`).
const TRIANGLE: [(f32, f32); 3] = [(0.0, -2.0), (1.732_050_8, 1.0), (-1.732_050_8, 1.0)];

/// What a mesh was built for: frame, view bounds, pixels per point, data generation, texture.
type ViewKey = (Rect, [f64; 4], f32, u64, egui::TextureId);

/// The screen-space mesh of the last view.
#[derive(Default)]
pub(super) struct ScreenCache {
    key: Option<ViewKey>,
    mesh: Arc<Mesh>,
    /// The points summed per pixel for the last view.
    pixels: PixelSums,
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
        let (sums, origin) = self.pixels.sum(&data.ranked, transform, pixels_per_point);
        emit(&mut mesh, sums, origin, data.alpha);
        self.mesh = Arc::new(mesh);
        self.mesh.clone()
    }
}

/// A disc per filled pixel into `mesh`, in the order of `sums` (positions relative to
/// `origin`), at the opacity of as many discs of opacity `alpha` as fell into the pixel.
fn emit(mesh: &mut Mesh, sums: &[PixelSum], origin: Pos2, alpha: f32) {
    // Opacity of k stacked discs, 1 - (1 - alpha)^k, for k up to STACK_TABLE, and that
    // opacity over k: the factor from a pixel's colour sums to its premultiplied colour.
    let mut stacked = [0f32; STACK_TABLE];
    let mut per_point = [0f32; STACK_TABLE];
    let mut transparency = 1.0;
    for (k, (s, f)) in stacked.iter_mut().zip(&mut per_point).enumerate() {
        *s = 1.0 - transparency;
        *f = if k == 0 { 0.0 } else { *s / k as f32 };
        transparency *= 1.0 - alpha;
    }
    // An equilateral triangle around the texture's inscribed circle: vertices at twice the
    // half side from the centre; texels outside the texture clamp to its transparent edge.
    let half = POINT_RADIUS / DISC_FRACTION;
    let corners = TRIANGLE.map(|(dx, dy)| {
        (
            vec2(dx * half, dy * half),
            pos2(0.5 + dx * 0.5, 0.5 + dy * 0.5),
        )
    });
    mesh.vertices.reserve(3 * sums.len());
    mesh.indices.reserve(3 * sums.len());
    for pixel in sums {
        let k = pixel.count as usize;
        // The mean colour at the opacity of k stacked discs (gamma_multiply of the mean),
        // in one product per channel; k = 1 is exactly `gamma_multiply(alpha)`.
        let (opacity, factor) = if k < STACK_TABLE {
            (stacked[k], per_point[k])
        } else {
            let top = stacked[STACK_TABLE - 1];
            (top, top / k as f32)
        };
        let channel = |sum: u32| (sum as f32 * factor + 0.5) as u8;
        let color = Color32::from_rgba_premultiplied(
            channel(pixel.rgb[0]),
            channel(pixel.rgb[1]),
            channel(pixel.rgb[2]),
            (255.0 * opacity + 0.5) as u8,
        );
        let inv = 1.0 / k as f32;
        let centre = pos2(origin.x + pixel.x * inv, origin.y + pixel.y * inv);
        let first = mesh.vertices.len() as u32;
        mesh.vertices.extend(corners.map(|(offset, uv)| Vertex {
            pos: centre + offset,
            uv,
            color,
        }));
        mesh.indices
            .extend_from_slice(&[first, first + 1, first + 2]);
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
