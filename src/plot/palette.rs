//! Colours: the categorical class palette, the viridis scale, and `ColourPlan`, which resolves
//! a [`PointColours`] so that every panel, figure and plot on screen colours the same point the
//! same way (the scatter model's [`super::scatter::RowColours`] is built from it).

use plotters::style::RGBColor;

use super::scatter::PointColours;
use crate::error::{Error, Result};

/// matplotlib's tab10: the de-facto default categorical palette of scientific figures, chosen
/// to stay distinguishable for the common forms of colour-vision deficiency as far as ten hues
/// can.
const TAB10: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Colour of points whose colour value is missing or not finite.
pub const MISSING: RGBColor = RGBColor(190, 190, 190);

/// Colour of points when no colouring was asked for.
pub const PLAIN: RGBColor = TAB10[0];

/// Largest class id accepted; larger ids are almost certainly not class ids.
const MAX_CLASS_ID: u32 = 100_000;

/// Colour of class `k` when there are `n_classes` classes: tab10 up to ten classes, otherwise
/// hues spaced by the golden angle at three alternating lightness levels.
pub fn class_colour(k: usize, n_classes: usize) -> RGBColor {
    if n_classes <= TAB10.len() {
        return TAB10[k % TAB10.len()];
    }
    let hue = (k as f64 * 0.618_033_988_749_895).fract();
    let (sat, light) = match k % 3 {
        0 => (0.70, 0.45),
        1 => (0.65, 0.62),
        _ => (0.75, 0.32),
    };
    hsl(hue, sat, light)
}

/// HSL (all in 0..=1) to RGB.
fn hsl(h: f64, s: f64, l: f64) -> RGBColor {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h * 6.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let to8 = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(to8(r), to8(g), to8(b))
}

/// matplotlib's viridis sampled at nine evenly spaced stops.
const VIRIDIS: [(f64, f64, f64); 9] = [
    (68.0, 1.0, 84.0),
    (71.0, 45.0, 123.0),
    (59.0, 82.0, 139.0),
    (44.0, 114.0, 142.0),
    (33.0, 145.0, 140.0),
    (40.0, 174.0, 128.0),
    (94.0, 201.0, 98.0),
    (173.0, 220.0, 48.0),
    (253.0, 231.0, 37.0),
];

/// Viridis at `t` in 0..=1 (clamped; NaN gives the low end).
pub fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A [`PointColours`] resolved for drawing.
#[derive(Clone, Debug)]
pub(super) enum ColourPlan<'a> {
    /// One colour per class; `legend[k]` is the name and colour of class id `k`.
    Classes {
        ids: &'a [u32],
        legend: Vec<(String, RGBColor)>,
    },
    /// Viridis over `lo..=hi` (the finite range of `values`).
    Continuous {
        values: &'a [f32],
        lo: f64,
        hi: f64,
        label: &'a str,
    },
    /// Everything in one colour.
    Plain,
}

impl<'a> ColourPlan<'a> {
    /// Resolves `colours`; the class count is the larger of the number of names and the
    /// largest id + 1.
    pub(super) fn new(colours: &PointColours<'a>) -> Result<Self> {
        Ok(match *colours {
            PointColours::Classes { ids, names, .. } => {
                let max_id = ids.iter().copied().max();
                if let Some(id) = max_id.filter(|&id| id > MAX_CLASS_ID) {
                    return Err(Error::InvalidInput(format!(
                        "class id {id} is too large for a figure; class ids must be \
                         0..number of classes (at most {MAX_CLASS_ID})"
                    )));
                }
                let n = names.len().max(max_id.map_or(0, |m| m as usize + 1));
                let legend = (0..n)
                    .map(|k| {
                        let name = names
                            .get(k)
                            .filter(|s| !s.trim().is_empty())
                            .cloned()
                            .unwrap_or_else(|| format!("class {k}"));
                        (name, class_colour(k, n))
                    })
                    .collect();
                ColourPlan::Classes { ids, legend }
            }
            PointColours::Continuous { values, label } => {
                let finite = values
                    .iter()
                    .filter(|v| v.is_finite())
                    .map(|&v| f64::from(v));
                let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(v), hi.max(v))
                });
                let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 1.0) };
                ColourPlan::Continuous {
                    values,
                    lo,
                    hi,
                    label,
                }
            }
            PointColours::None => ColourPlan::Plain,
        })
    }

    /// Colour of point `i` (`i` must be < the checked length) and whether it is a "missing"
    /// point that should be drawn beneath the others.
    pub(super) fn colour(&self, i: usize) -> (RGBColor, bool) {
        match self {
            ColourPlan::Classes { ids, legend } => {
                let id = ids.get(i).map_or(0, |&id| id as usize);
                (legend.get(id).map_or(MISSING, |e| e.1), false)
            }
            ColourPlan::Continuous { values, lo, hi, .. } => {
                match values.get(i).map(|&v| f64::from(v)) {
                    Some(v) if v.is_finite() => {
                        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
                        (viridis(t), false)
                    }
                    _ => (MISSING, true),
                }
            }
            ColourPlan::Plain => (PLAIN, false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_palette_is_distinct() {
        let cols: std::collections::HashSet<_> = (0..30)
            .map(|k| class_colour(k, 30))
            .map(|c| (c.0, c.1, c.2))
            .collect();
        assert_eq!(cols.len(), 30);
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(viridis(0.0), RGBColor(68, 1, 84));
        assert_eq!(viridis(1.0), RGBColor(253, 231, 37));
        assert_eq!(viridis(f64::NAN), RGBColor(68, 1, 84));
    }
}
