//! The scatter plot model: what colour each row gets ([`RowColours`], with its [`Legend`]) and
//! where and in which order the rows are drawn ([`ScatterLayout`]: the two latent columns or a
//! 1-D strip with its jitter, the draw order, the opacity).
//!
//! Both renderers draw from here — the PNG figures (the figures module) and the app's scatter
//! plots — so a point has the same place, colour and stacking on screen and in `scatter.png`.
//! Build a [`RowColours`] once per colouring and a [`ScatterLayout`] once per (latents, axes,
//! colours); neither is meant to be rebuilt per frame.

use ndarray::ArrayView2;
use plotters::style::RGBColor;

use super::hash::{jitter, mix64};
use super::palette::{ColourPlan, MISSING, PLAIN};
use crate::error::{Error, Result};

/// Label of the vertical axis of a 1-D latent, whose y is a jitter.
pub const JITTER_LABEL: &str = "jitter (1-D latent)";

/// The y range shown for a 1-D latent's strip (the jitter is in -1..1).
pub const JITTER_RANGE: (f64, f64) = (-1.6, 1.6);

/// How the points of a scatter plot are coloured.
#[derive(Clone, Copy, Debug)]
pub enum PointColours<'a> {
    /// One colour per class id; `names[id]` is the legend text (ids without a name are shown as
    /// "class ID"). Class colours are the same in every panel.
    Classes {
        /// Class id of each point (row).
        ids: &'a [u32],
        /// Class names indexed by id.
        names: &'a [String],
        /// Class ids left out of the plot (and of the figures' legend): the user hid them.
        hidden: &'a [u32],
    },
    /// A continuous value per point on the viridis scale, with a colour bar labelled `label`.
    /// Non-finite values are drawn grey.
    Continuous {
        /// Value of each point (row).
        values: &'a [f32],
        /// What the values are, e.g. "digit stroke width".
        label: &'a str,
    },
    /// All points in one colour, no legend.
    None,
}

/// What the legend of a scatter plot explains.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Legend {
    /// Name and colour of each class id, indexed by id.
    Classes(Vec<(String, RGBColor)>),
    /// The viridis scale from `lo` to `hi` (the finite range of the values).
    Continuous {
        /// Value at the dark end.
        lo: f64,
        /// Value at the bright end.
        hi: f64,
        /// What the values are.
        label: String,
    },
    /// Nothing to explain: one colour for every point.
    #[default]
    None,
}

/// The colour of every row, resolved once per colouring, and the legend that goes with it.
///
/// Rows past the end of the colour values (a colouring shorter than the latents) count as
/// missing; without a colouring every row is [`PLAIN`] and none is missing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowColours {
    /// Colour of row `i`.
    colours: Vec<RGBColor>,
    /// Row `i` has no colour value (a non-finite continuous value): drawn grey and beneath.
    missing: Vec<bool>,
    legend: Legend,
    /// Row `i` is of a hidden class (empty when no class is hidden).
    hidden: Vec<bool>,
    /// The hidden class ids, ascending.
    hidden_ids: Vec<u32>,
}

impl RowColours {
    /// Resolves `colours`; errors with [`Error::InvalidInput`] on class ids too large to be ids.
    pub fn new(colours: &PointColours<'_>) -> Result<Self> {
        let plan = ColourPlan::new(colours)?;
        let (hidden, hidden_ids) = match colours {
            PointColours::Classes { ids, hidden, .. } if !hidden.is_empty() => {
                let mut hidden_ids = hidden.to_vec();
                hidden_ids.sort_unstable();
                hidden_ids.dedup();
                let rows = ids
                    .iter()
                    .map(|id| hidden_ids.binary_search(id).is_ok())
                    .collect();
                (rows, hidden_ids)
            }
            _ => (Vec::new(), Vec::new()),
        };
        let n = match colours {
            PointColours::Classes { ids, .. } => ids.len(),
            PointColours::Continuous { values, .. } => values.len(),
            PointColours::None => 0,
        };
        let (colours, missing) = (0..n).map(|i| plan.colour(i)).unzip();
        let legend = match plan {
            ColourPlan::Classes { legend, .. } => Legend::Classes(legend),
            ColourPlan::Continuous { lo, hi, label, .. } => Legend::Continuous {
                lo,
                hi,
                label: label.to_owned(),
            },
            ColourPlan::Plain => Legend::None,
        };
        Ok(RowColours {
            colours,
            missing,
            legend,
            hidden,
            hidden_ids,
        })
    }

    /// True when row `i` is of a class the user hid: it is not drawn.
    pub fn is_hidden(&self, i: usize) -> bool {
        self.hidden.get(i).copied().unwrap_or(false)
    }

    /// The hidden class ids, ascending.
    pub fn hidden_classes(&self) -> &[u32] {
        &self.hidden_ids
    }

    /// The legend of the drawn classes (the hidden ones left out), as the figures show it.
    pub fn shown_legend(&self) -> Legend {
        match &self.legend {
            Legend::Classes(entries) if !self.hidden_ids.is_empty() => Legend::Classes(
                entries
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| self.hidden_ids.binary_search(&(*k as u32)).is_err())
                    .map(|(_, e)| e.clone())
                    .collect(),
            ),
            legend => legend.clone(),
        }
    }

    /// Number of rows with a colour value (0 without a colouring).
    pub fn len(&self) -> usize {
        self.colours.len()
    }

    /// True when no row has a colour value.
    pub fn is_empty(&self) -> bool {
        self.colours.is_empty()
    }

    /// Colour of row `i`.
    pub fn colour(&self, i: usize) -> RGBColor {
        match self.colours.get(i) {
            Some(&c) => c,
            None if self.colours.is_empty() => PLAIN,
            None => MISSING,
        }
    }

    /// True when row `i` has no colour value: it is drawn grey and beneath the others.
    pub fn is_missing(&self, i: usize) -> bool {
        self.missing
            .get(i)
            .copied()
            .unwrap_or(!self.colours.is_empty())
    }

    /// The legend of these colours.
    pub fn legend(&self) -> &Legend {
        &self.legend
    }

    /// Errors unless there is one colour value per point (always fine without a colouring).
    pub fn check_len(&self, n_points: usize, what: &str) -> Result<()> {
        let kind = match self.legend {
            Legend::Classes(_) => "class ids",
            Legend::Continuous { .. } => "colour values",
            Legend::None => return Ok(()),
        };
        let len = self.len();
        if len == n_points {
            Ok(())
        } else {
            Err(Error::InvalidInput(format!(
                "{what} has {n_points} points but {len} {kind} were given; \
                 pass one per point (row)"
            )))
        }
    }
}

/// Opacity of points when `n_drawn` are drawn: 0.95 for a few hundred, falling on a log scale
/// to 0.45 from 20 000 on, so that dense clouds show their density.
pub fn point_alpha(n_drawn: usize) -> f64 {
    let n = n_drawn.max(1) as f64;
    let t = ((n / 300.0).log10() / (20_000f64 / 300.0).log10()).clamp(0.0, 1.0);
    0.95 - 0.5 * t
}

/// Where the rows of one latent space go in a scatter plot, and in which order they are drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScatterLayout {
    /// (x, y) of every row: latent columns `x_axis` and `y_axis`, or for a 1-D latent z0 and a
    /// fixed jitter in -1..1. Not finite where a coordinate is not.
    pub xy: Vec<(f64, f64)>,
    /// The rows with finite (x, y) in draw order, bottom first: rows whose colour value is
    /// missing first, then a fixed shuffle, so that no class always hides another.
    pub order: Vec<u32>,
    /// Opacity of every point ([`point_alpha`] of the number drawn).
    pub alpha: f64,
    /// The latent is 1-D: y is the jitter (shown over [`JITTER_RANGE`] without ticks).
    pub one_d: bool,
    /// Rows of hidden classes (not drawn, whatever their coordinates).
    pub n_class_hidden: usize,
}

impl ScatterLayout {
    /// The layout of `points` (n × d) in latent columns `(x_axis, y_axis)` (y is ignored for
    /// d = 1) coloured by `colours`. A 0-wide latent or an axis ≥ d gives an empty layout.
    pub fn new(
        points: ArrayView2<'_, f32>,
        (x_axis, y_axis): (usize, usize),
        colours: &RowColours,
    ) -> Self {
        let dim = points.ncols();
        let one_d = dim == 1;
        if dim == 0 || x_axis >= dim || (!one_d && y_axis >= dim) {
            return ScatterLayout {
                one_d,
                alpha: point_alpha(0),
                ..ScatterLayout::default()
            };
        }
        let xy: Vec<(f64, f64)> = points
            .rows()
            .into_iter()
            .enumerate()
            .map(|(i, row)| {
                let x = f64::from(row[x_axis]);
                let y = if one_d {
                    jitter(i)
                } else {
                    f64::from(row[y_axis])
                };
                (x, y)
            })
            .collect();
        let order = draw_order(&xy, colours);
        let n_class_hidden = (0..xy.len()).filter(|&i| colours.is_hidden(i)).count();
        ScatterLayout {
            alpha: point_alpha(order.len()),
            xy,
            order,
            one_d,
            n_class_hidden,
        }
    }

    /// Number of rows of shown classes with a non-finite coordinate (not drawn).
    pub fn n_hidden(&self) -> usize {
        self.xy.len() - self.order.len() - self.n_class_hidden
    }

    /// The drawn rows bottom first: (row, x, y, colour).
    pub fn drawn<'s>(
        &'s self,
        colours: &'s RowColours,
    ) -> impl Iterator<Item = (usize, f64, f64, RGBColor)> + 's {
        self.order.iter().map(move |&row| {
            let row = row as usize;
            let (x, y) = self.xy[row];
            (row, x, y, colours.colour(row))
        })
    }
}

/// The rows of `xy` with finite coordinates and a shown class, bottom first: missing colour
/// values first, then ordered by a hash of the row (a fixed shuffle).
fn draw_order(xy: &[(f64, f64)], colours: &RowColours) -> Vec<u32> {
    // Row numbers fit in u32: the app and the figures draw at most a few million points.
    let mut keys: Vec<(bool, u64, u32)> = xy
        .iter()
        .enumerate()
        .filter(|(i, (x, y))| x.is_finite() && y.is_finite() && !colours.is_hidden(*i))
        .map(|(i, _)| (!colours.is_missing(i), mix64(i as u64 ^ 0x5EED), i as u32))
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|(_, _, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn missing_values_are_drawn_first_and_non_finite_points_not_at_all() {
        let values = [0.5, f32::NAN, 1.0, 2.0, f32::NAN];
        let colours = RowColours::new(&PointColours::Continuous {
            values: &values,
            label: "v",
        })
        .unwrap();
        let pts = array![
            [0.0, 0.0],
            [1.0, 1.0],
            [f32::NAN, 2.0],
            [3.0, 3.0],
            [4.0, 4.0]
        ];
        let layout = ScatterLayout::new(pts.view(), (0, 1), &colours);
        assert_eq!(layout.order.len(), 4);
        assert_eq!(layout.n_hidden(), 1);
        let mut first: Vec<u32> = layout.order[..2].to_vec();
        first.sort_unstable();
        assert_eq!(first, vec![1, 4]);
        assert_eq!(colours.colour(1), MISSING);
        assert!(colours.is_missing(9) && !colours.is_missing(0));
        assert_eq!(layout.alpha, point_alpha(4));
    }

    #[test]
    fn a_one_d_latent_is_a_strip_and_bad_axes_give_nothing() {
        let plain = RowColours::new(&PointColours::None).unwrap();
        let strip = array![[1.0f32], [2.0], [3.0]];
        let layout = ScatterLayout::new(strip.view(), (0, 5), &plain);
        assert!(layout.one_d);
        assert!(layout.xy.iter().all(|p| (-1.0..1.0).contains(&p.1)));
        assert_eq!(layout.xy[2], (3.0, jitter(2)));
        assert_eq!(plain.colour(7), PLAIN);
        let bad = ScatterLayout::new(array![[1.0f32, 2.0]].view(), (0, 2), &plain);
        assert!(bad.order.is_empty() && bad.xy.is_empty());
        assert!(point_alpha(100) > point_alpha(100_000));
        assert_eq!(point_alpha(100_000), point_alpha(20_000));
    }
}
