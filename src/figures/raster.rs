//! Anti-aliased markers and lines in absolute pixel coordinates.
//!
//! plotters rasterises circles and thick lines without anti-aliasing, which looks jagged at the
//! 2–3 px point sizes that dense scatter plots need. These layers compute per-pixel coverage
//! themselves and blend pixels through the root drawing area, clipped to a plotting rectangle.

use plotters::prelude::*;

use super::canvas::{Area, plot_err};
use crate::error::Result;

/// A half-open pixel rectangle `x0..x1` × `y0..y1` in backend coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Clip {
    pub x0: i32,
    pub y0: i32,
    pub x1: i32,
    pub y1: i32,
}

/// How a marker is drawn.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Marker {
    /// A filled disc.
    Filled,
    /// A circle outline of the given stroke width.
    Ring(f64),
}

/// Round markers of one size, each with its own colour, blended with `alpha`.
pub(crate) struct Discs {
    /// Centres in backend pixels (pixel `(i, j)` covers `i..i+1` × `j..j+1`) and colours.
    pub items: Vec<(f64, f64, RGBColor)>,
    pub radius: f64,
    pub alpha: f64,
    pub marker: Marker,
    pub clip: Clip,
}

/// Polylines (each a run of connected points) in one colour, optionally dashed.
pub(crate) struct Lines {
    pub runs: Vec<Vec<(f64, f64)>>,
    pub colour: RGBColor,
    pub width: f64,
    /// Dash and gap length in pixels.
    pub dash: Option<(f64, f64)>,
    pub clip: Clip,
}

/// Blends `rgb` at coverage `alpha` into pixel (`x`, `y`) of the root area.
fn blend(root: &Area<'_>, x: i32, y: i32, rgb: RGBColor, alpha: f64) -> Result<()> {
    if alpha <= 0.002 {
        return Ok(());
    }
    root.draw_pixel((x, y), &rgb.mix(alpha.min(1.0)))
        .map_err(plot_err("drawing markers"))
}

impl Discs {
    /// Draws the markers on `root` (the whole figure, so coordinates are absolute).
    pub(crate) fn draw(&self, root: &Area<'_>) -> Result<()> {
        let c = self.clip;
        let reach = self.radius
            + match self.marker {
                Marker::Filled => 1.0,
                Marker::Ring(w) => w / 2.0 + 1.0,
            };
        for &(cx, cy, rgb) in &self.items {
            if !(cx.is_finite() && cy.is_finite()) {
                continue;
            }
            let x0 = ((cx - reach).floor() as i32).max(c.x0);
            let x1 = ((cx + reach).ceil() as i32).min(c.x1);
            let y0 = ((cy - reach).floor() as i32).max(c.y0);
            let y1 = ((cy + reach).ceil() as i32).min(c.y1);
            for y in y0..y1 {
                for x in x0..x1 {
                    let d = (f64::from(x) + 0.5 - cx).hypot(f64::from(y) + 0.5 - cy);
                    let cover = match self.marker {
                        Marker::Filled => self.radius + 0.5 - d,
                        Marker::Ring(w) => w / 2.0 + 0.5 - (d - self.radius).abs(),
                    };
                    blend(root, x, y, rgb, self.alpha * cover.clamp(0.0, 1.0))?;
                }
            }
        }
        Ok(())
    }
}

impl Lines {
    /// Draws the lines on `root` (the whole figure, so coordinates are absolute).
    pub(crate) fn draw(&self, root: &Area<'_>) -> Result<()> {
        let c = self.clip;
        let half = self.width / 2.0;
        let reach = half + 1.0;
        // Coverage per pixel (keyed row-major) is merged as a maximum and blended once, so
        // joints and overlapping segments are not darker.
        let mut cover: Vec<((i32, i32), f32)> = Vec::new();
        for run in &self.runs {
            let mut along = 0.0;
            for seg in run.windows(2) {
                let ((ax, ay), (bx, by)) = (seg[0], seg[1]);
                if !(ax.is_finite() && ay.is_finite() && bx.is_finite() && by.is_finite()) {
                    continue;
                }
                let (dx, dy) = (bx - ax, by - ay);
                let len2 = dx * dx + dy * dy;
                let len = len2.sqrt();
                let y0 = ((ay.min(by) - reach).floor() as i32).max(c.y0);
                let y1 = ((ay.max(by) + reach).ceil() as i32).min(c.y1);
                for y in y0..y1 {
                    // Only the part of the segment within `reach` of this row can cover it.
                    let (t0, t1) = if dy.abs() > 1e-9 {
                        let a = (f64::from(y) - reach - ay) / dy;
                        let b = (f64::from(y) + 1.0 + reach - ay) / dy;
                        (a.min(b).clamp(0.0, 1.0), a.max(b).clamp(0.0, 1.0))
                    } else {
                        (0.0, 1.0)
                    };
                    let (xa, xb) = (ax + t0 * dx, ax + t1 * dx);
                    let x0 = ((xa.min(xb) - reach).floor() as i32).max(c.x0);
                    let x1 = ((xa.max(xb) + reach).ceil() as i32).min(c.x1);
                    for x in x0..x1 {
                        let (px, py) = (f64::from(x) + 0.5, f64::from(y) + 0.5);
                        let t = if len2 > 0.0 {
                            (((px - ax) * dx + (py - ay) * dy) / len2).clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        if let Some((on, off)) = self.dash
                            && (along + t * len) % (on + off) > on
                        {
                            continue;
                        }
                        let d = (px - ax - t * dx).hypot(py - ay - t * dy);
                        let v = (half + 0.5 - d).clamp(0.0, 1.0) as f32;
                        if v > 0.0 {
                            cover.push(((y, x), v));
                        }
                    }
                }
                along += len;
            }
        }
        cover.sort_unstable_by_key(|e| e.0);
        let mut k = 0;
        while k < cover.len() {
            let (at, mut v) = cover[k];
            k += 1;
            while k < cover.len() && cover[k].0 == at {
                v = v.max(cover[k].1);
                k += 1;
            }
            blend(root, at.1, at.0, self.colour, f64::from(v))?;
        }
        Ok(())
    }
}
