//! Draws the discs of a scatter mesh into an image on the CPU, so that a plot whose view has
//! come to rest is one textured rectangle (the tessellator then copies 4 vertices per frame
//! instead of 3 per drawn pixel). The discs are drawn in mesh order with the look the GPU gives
//! the mesh: the same radius, a one-pixel anti-aliased edge, premultiplied "over" blending.

use egui::{Color32, ColorImage, Pos2, Rect};

/// Sub-pixel positions per axis for which a disc's coverage is precomputed.
const PHASES: usize = 8;

/// Coverage of a disc of one radius (in pixels) at each sub-pixel phase.
#[derive(Debug, Default)]
pub(super) struct DiscStamps {
    radius_px: f32,
    /// Pixels from the centre pixel to the edge of a stamp; a stamp is `(2 reach + 1)²`.
    reach: usize,
    /// `PHASES²` stamps of coverage 0..=256, row-major.
    coverage: Vec<u16>,
}

impl DiscStamps {
    /// Stamps of a disc with `radius_px`, reused while the radius stays the same.
    fn for_radius(&mut self, radius_px: f32) -> &DiscStamps {
        if self.radius_px == radius_px && !self.coverage.is_empty() {
            return self;
        }
        let reach = (radius_px + 1.0).ceil() as usize;
        let side = 2 * reach + 1;
        let mut coverage = Vec::with_capacity(PHASES * PHASES * side * side);
        for phase_y in 0..PHASES {
            for phase_x in 0..PHASES {
                // Disc centre inside the centre pixel, which spans [reach, reach + 1).
                let cx = reach as f32 + (phase_x as f32 + 0.5) / PHASES as f32;
                let cy = reach as f32 + (phase_y as f32 + 0.5) / PHASES as f32;
                for y in 0..side {
                    for x in 0..side {
                        let d = (x as f32 + 0.5 - cx).hypot(y as f32 + 0.5 - cy);
                        let c = (radius_px + 0.5 - d).clamp(0.0, 1.0);
                        coverage.push((c * 256.0).round() as u16);
                    }
                }
            }
        }
        *self = DiscStamps {
            radius_px,
            reach,
            coverage,
        };
        self
    }
}

/// `c` (premultiplied RGBA8 packed little-endian) times `f / 256`, per channel.
#[inline]
fn scale(c: u32, f: u32) -> u32 {
    let rb = (((c & 0x00FF_00FF) * f) >> 8) & 0x00FF_00FF;
    let ga = (((c >> 8) & 0x00FF_00FF) * f) & 0xFF00_FF00;
    rb | ga
}

/// Draws discs of `radius` points centred at `discs` (in order, later on top) into an image of
/// the physical pixels that `rect` touches at `pixels_per_point`; returns the image and the
/// rectangle (in points) that it covers.
pub(super) fn rasterize(
    discs: impl Iterator<Item = (Pos2, Color32)>,
    rect: Rect,
    pixels_per_point: f32,
    radius: f32,
    stamps: &mut DiscStamps,
) -> (ColorImage, Rect) {
    let ppp = pixels_per_point;
    let (x0, y0) = ((rect.left() * ppp).floor(), (rect.top() * ppp).floor());
    let (x1, y1) = ((rect.right() * ppp).ceil(), (rect.bottom() * ppp).ceil());
    let width = (x1 - x0).max(1.0) as usize;
    let height = (y1 - y0).max(1.0) as usize;
    let covered = Rect::from_min_max(
        Pos2::new(x0 / ppp, y0 / ppp),
        Pos2::new((x0 + width as f32) / ppp, (y0 + height as f32) / ppp),
    );
    let mut pixels = vec![0u32; width * height];
    let stamps = stamps.for_radius(radius * ppp);
    let reach = stamps.reach as isize;
    let side = 2 * stamps.reach + 1;
    for (centre, colour) in discs {
        let (px, py) = (centre.x * ppp - x0, centre.y * ppp - y0);
        if !(px.is_finite() && py.is_finite()) {
            continue;
        }
        let (ix, iy) = (px.floor(), py.floor());
        let phase_x = (((px - ix) * PHASES as f32) as usize).min(PHASES - 1);
        let phase_y = (((py - iy) * PHASES as f32) as usize).min(PHASES - 1);
        let (ix, iy) = (ix as isize, iy as isize);
        let stamp_start = (phase_y * PHASES + phase_x) * side * side;
        let stamp = &stamps.coverage[stamp_start..stamp_start + side * side];
        let src = u32::from_le_bytes(colour.to_array());
        // The part of the stamp inside the image.
        let sx0 = (reach - ix).max(0) as usize;
        let sx1 = ((width as isize - ix + reach).min(side as isize)).max(0) as usize;
        let sy0 = (reach - iy).max(0) as usize;
        let sy1 = ((height as isize - iy + reach).min(side as isize)).max(0) as usize;
        if sx0 >= sx1 {
            continue;
        }
        for sy in sy0..sy1 {
            let row = (iy - reach + sy as isize) as usize * width;
            let out_start = row + (ix - reach + sx0 as isize) as usize;
            let out = &mut pixels[out_start..out_start + (sx1 - sx0)];
            let cov = &stamp[sy * side + sx0..sy * side + sx1];
            for (dst, &c) in out.iter_mut().zip(cov) {
                if c == 0 {
                    continue;
                }
                let s = scale(src, u32::from(c));
                *dst = s + scale(*dst, 256 - (s >> 24));
            }
        }
    }
    let pixels = pixels
        .into_iter()
        .map(|p| {
            let [r, g, b, a] = p.to_le_bytes();
            Color32::from_rgba_premultiplied(r, g, b, a)
        })
        .collect();
    (ColorImage::new([width, height], pixels), covered)
}
