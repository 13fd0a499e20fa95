//! Text: the embedded DejaVu Sans, measured and rasterised with ab_glyph and blended into the
//! figure by baseline, horizontally or rotated to read bottom to top.
//!
//! plotters' own ab_glyph text drops each glyph's left side bearing, which spaces letters
//! unevenly ("di git"), so every text in the figures is drawn here. The font is also
//! registered with plotters so any plotters text (none is drawn today) would use it.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;
use plotters::style::{FontStyle, register_font};

use super::canvas::{Area, plot_err};
use crate::error::{Error, Result};

/// Family name the embedded font is registered under with plotters.
const FAMILY: &str = "latent-compare-sans";

pub(crate) static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The parsed regular and bold faces, loaded (and registered with plotters) once per process.
fn faces() -> Result<&'static (FontRef<'static>, FontRef<'static>)> {
    static FACES: OnceLock<Result<(FontRef<'static>, FontRef<'static>), String>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            let parse = |bytes: &'static [u8], name: &str| {
                FontRef::try_from_slice(bytes)
                    .map_err(|e| format!("the embedded font {name} cannot be read: {e}"))
            };
            let faces = (
                parse(REGULAR, "DejaVuSans")?,
                parse(BOLD, "DejaVuSans-Bold")?,
            );
            for (family, style, bytes) in [
                (FAMILY, FontStyle::Normal, REGULAR),
                (FAMILY, FontStyle::Bold, BOLD),
                ("sans-serif", FontStyle::Normal, REGULAR),
            ] {
                register_font(family, style, bytes)
                    .map_err(|_| format!("plotters rejected the embedded font {family}"))?;
            }
            Ok(faces)
        })
        .as_ref()
        .map_err(|e| Error::Numerical(e.clone()))
}

/// Makes sure the font is usable before anything is drawn.
pub(crate) fn ensure_fonts() -> Result<()> {
    faces().map(|_| ())
}

/// Size (pixel height from descender to ascender), weight and colour of a text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub size: f64,
    pub bold: bool,
    pub colour: RGBColor,
}

/// A text style of the embedded font.
pub(crate) fn font(size: f64, bold: bool, colour: RGBColor) -> Style {
    Style { size, bold, colour }
}

/// Pen positions of the glyphs of `text` and its total advance, in pixels.
fn layout(text: &str, style: &Style) -> Result<(Vec<(char, f32)>, f64)> {
    let (regular, bold) = faces()?;
    let face = if style.bold { bold } else { regular };
    let scaled = face.as_scaled(PxScale::from(style.size as f32));
    let mut pen = 0f32;
    let mut prev = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        glyphs.push((c, pen));
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    Ok((glyphs, f64::from(pen)))
}

/// Width in pixels of `text` drawn in `style`.
pub(crate) fn text_width(text: &str, style: &Style) -> Result<i32> {
    Ok(layout(text, style)?.1.ceil() as i32)
}

/// `text`, shortened with "…" until it is at most `max_width` pixels wide.
pub(crate) fn fit_text(text: &str, style: &Style, max_width: i32) -> Result<String> {
    if text_width(text, style)? <= max_width {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    // Binary search for the longest prefix that fits with the ellipsis.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&candidate, style)? <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    Ok(format!("{}…", prefix.trim_end()))
}

/// Rasterises `text` with its baseline starting at the origin and hands each covered pixel
/// (offset along the text, offset below the baseline, coverage) to `put`.
fn rasterise(
    text: &str,
    style: &Style,
    x0: f64,
    mut put: impl FnMut(i32, i32, f32) -> Result<()>,
) -> Result<()> {
    let (glyphs, _) = layout(text, style)?;
    let (regular, bold) = faces()?;
    let face = if style.bold { bold } else { regular };
    let scale = PxScale::from(style.size as f32);
    // The fractional start goes into the glyph positions, so placement is sub-pixel exact.
    let (base, frac) = (x0.floor(), (x0 - x0.floor()) as f32);
    for (c, pen) in glyphs {
        let glyph = face
            .glyph_id(c)
            .with_scale_and_position(scale, point(pen + frac, 0.0));
        if let Some(outline) = face.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let mut result = Ok(());
            outline.draw(|gx, gy, cover| {
                if result.is_ok() && cover > 0.004 {
                    let x = base as i32 + bounds.min.x as i32 + gx as i32;
                    let y = bounds.min.y as i32 + gy as i32;
                    result = put(x, y, cover);
                }
            });
            result?;
        }
    }
    Ok(())
}

fn blend(area: &Area<'_>, x: i32, y: i32, colour: RGBColor, cover: f32) -> Result<()> {
    area.draw_pixel((x, y), &colour.mix(f64::from(cover.min(1.0))))
        .map_err(plot_err("drawing text"))
}

/// Draws `text` with its baseline at `baseline` (area coordinates), aligned at `x` by `h`.
pub(crate) fn draw_text(
    area: &Area<'_>,
    text: &str,
    style: &Style,
    x: i32,
    baseline: i32,
    h: HPos,
) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let width = layout(text, style)?.1;
    let start = f64::from(x)
        - match h {
            HPos::Left => 0.0,
            HPos::Center => width / 2.0,
            HPos::Right => width,
        };
    rasterise(text, style, start, |dx, dy, cover| {
        blend(area, dx, baseline + dy, style.colour, cover)
    })
}

/// Draws `text` rotated to read bottom to top, centred on (`cx`, `cy`), where `cx` is the
/// middle of the lower-case letters.
pub(crate) fn draw_vertical_text(
    area: &Area<'_>,
    text: &str,
    style: &Style,
    cx: i32,
    cy: i32,
) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    let width = layout(text, style)?.1;
    // Rotated, "up" from the baseline points left; the x-height middle is ~0.27 size up.
    let baseline_x = cx + (0.27 * style.size).round() as i32;
    let start = -width / 2.0;
    rasterise(text, style, start, |along, below, cover| {
        blend(area, baseline_x + below, cy - along, style.colour, cover)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_shortens_text() {
        let style = font(20.0, false, RGBColor(0, 0, 0));
        let bold = font(20.0, true, RGBColor(0, 0, 0));
        let w = text_width("digit 0", &style).unwrap();
        assert!((50..90).contains(&w), "{w}");
        assert!(text_width("digit 0", &bold).unwrap() > w);
        assert_eq!(text_width("", &style).unwrap(), 0);
        let short = fit_text("a rather long class name", &style, 80).unwrap();
        assert!(
            short.ends_with('…') && text_width(&short, &style).unwrap() <= 80,
            "{short}"
        );
        assert_eq!(fit_text("x", &style, 80).unwrap(), "x");
        // Glyphs the font lacks measure as its fallback glyph instead of failing.
        assert!(text_width("漢字", &style).unwrap() > 0);
    }
}
