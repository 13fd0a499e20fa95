//! The drawing surface shared by every figure: the RGB buffer plotters draws into, PNG
//! encoding, colours of text and the size scale.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::FigureSize;
use super::text::ensure_fonts;
use crate::error::{Error, Result};

/// A drawing area in pixel coordinates relative to its top-left corner.
pub(crate) type Area<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Text colour: near-black.
pub(crate) const INK: RGBColor = RGBColor(25, 25, 25);
/// Secondary text (subtitles, notes).
pub(crate) const INK_SOFT: RGBColor = RGBColor(85, 85, 85);

/// Maps a plotters error to [`Error::Numerical`] with what was being drawn.
pub(crate) fn plot_err<E: std::fmt::Display>(context: &'static str) -> impl Fn(E) -> Error {
    move |e| Error::Numerical(format!("rendering failed while {context}: {e}"))
}

/// Allocates a white RGB canvas of `size`, lets `draw` paint it and encodes the result as PNG.
pub(crate) fn render_png(
    size: FigureSize,
    draw: impl FnOnce(&Area<'_>) -> Result<()>,
) -> Result<Vec<u8>> {
    size.validate()?;
    ensure_fonts()?;
    let (w, h) = (size.width, size.height);
    // At most 8000 × 8000 × 3 bytes, which fits in usize on every supported target.
    let mut rgb = vec![255u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(plot_err("finishing the image"))?;
    }
    encode_png(&rgb, w, h)
}

/// Encodes an 8-bit RGB buffer as PNG.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let err = |e: png::EncodingError| Error::Numerical(format!("PNG encoding failed: {e}"));
    let mut out = Vec::with_capacity(rgb.len() / 10);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// Length scale of a figure: 1.0 at the reference size, so `px(28.0)` is a 28-px title there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Metrics {
    s: f64,
}

impl Metrics {
    /// Scale relative to a reference layout of `ref_w` × `ref_h` pixels (the smaller ratio wins,
    /// so text never outgrows a narrow or flat figure).
    pub(crate) fn new(size: FigureSize, ref_w: f64, ref_h: f64) -> Self {
        let s = (f64::from(size.width) / ref_w).min(f64::from(size.height) / ref_h);
        Metrics {
            s: s.clamp(0.3, 10.0),
        }
    }

    /// A length in (fractional) pixels.
    pub(crate) fn f(&self, v: f64) -> f64 {
        v * self.s
    }

    /// A length in whole pixels, at least 1.
    pub(crate) fn px(&self, v: f64) -> i32 {
        (v * self.s).round().max(1.0) as i32
    }

    /// A font size: scaled, but never below 9 px.
    pub(crate) fn font(&self, v: f64) -> f64 {
        (v * self.s).max(9.0)
    }

    pub(crate) fn title(&self) -> f64 {
        self.font(28.0)
    }
    pub(crate) fn subtitle(&self) -> f64 {
        self.font(20.0)
    }
    pub(crate) fn label(&self) -> f64 {
        self.font(20.0)
    }
    pub(crate) fn tick(&self) -> f64 {
        self.font(16.0)
    }
    pub(crate) fn legend(&self) -> f64 {
        self.font(18.0)
    }
}
