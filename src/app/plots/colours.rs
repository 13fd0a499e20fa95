//! Per-row point colours resolved once per [`Colouring`] with the exported figures' palette, and
//! the legend that goes with them.

use std::sync::Arc;

use egui::Color32;

use super::{Colouring, to_color32};
use crate::figures::PointColours;
use crate::figures::palette::{ColourPlan, MISSING, PLAIN};

/// Colour of a missing value on a continuous scale, on screen.
const SCREEN_MISSING: Color32 = Color32::from_gray(80);

/// What the shared legend shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) enum LegendSpec {
    /// Name and colour of each class id.
    Classes(Vec<(String, Color32)>),
    /// A viridis bar from `lo` to `hi` (bright at `lo` when reversed).
    Continuous {
        lo: f64,
        hi: f64,
        label: String,
        reversed: bool,
    },
    /// Nothing to explain.
    #[default]
    None,
}

/// Identifies a [`Colouring`] by its `Arc`s; holding clones keeps the addresses from being
/// reused while they are compared.
#[derive(Clone, Debug)]
enum ColourKey {
    Classes(Arc<Vec<u32>>, Arc<Vec<String>>),
    Continuous(Arc<Vec<f32>>, String, bool),
    None,
}

impl ColourKey {
    fn of(colouring: &Colouring) -> ColourKey {
        match colouring {
            Colouring::Classes { ids, names } => ColourKey::Classes(ids.clone(), names.clone()),
            Colouring::Continuous {
                values,
                label,
                reversed,
            } => ColourKey::Continuous(values.clone(), label.clone(), *reversed),
            Colouring::None => ColourKey::None,
        }
    }

    fn matches(&self, colouring: &Colouring) -> bool {
        match (self, colouring) {
            (ColourKey::Classes(i, n), Colouring::Classes { ids, names }) => {
                Arc::ptr_eq(i, ids) && Arc::ptr_eq(n, names)
            }
            (
                ColourKey::Continuous(v, l, r),
                Colouring::Continuous {
                    values,
                    label,
                    reversed,
                },
            ) => Arc::ptr_eq(v, values) && l == label && r == reversed,
            (ColourKey::None, Colouring::None) => true,
            _ => false,
        }
    }
}

/// Opaque colour of every row, rebuilt only when the colouring changes.
#[derive(Debug, Default)]
pub(super) struct ColourTable {
    key: Option<ColourKey>,
    /// Colour of row `i`; rows past the end get [`ColourTable::fallback`].
    colours: Vec<Color32>,
    /// Rows drawn beneath the others (missing values), same length as `colours` or empty.
    missing: Vec<bool>,
    /// Colour of rows without a colour value.
    fallback: Color32,
    /// The legend to show.
    pub legend: LegendSpec,
    /// Why the colouring could not be used, if it could not.
    pub problem: Option<String>,
    /// Bumped on every rebuild so that dependent caches notice.
    pub generation: u64,
}

impl ColourTable {
    /// Rebuilds the table when `colouring` is not the one it was built from.
    pub fn update(&mut self, colouring: &Colouring) {
        if self.key.as_ref().is_some_and(|k| k.matches(colouring)) {
            return;
        }
        self.key = Some(ColourKey::of(colouring));
        self.generation += 1;
        self.problem = None;
        // a reversed scale colours −v: viridis(1 − t), with the legend's ends swapped back
        let negated: Vec<f32>;
        let (point_colours, reversed) = match colouring {
            Colouring::Classes { ids, names } => (PointColours::Classes { ids, names }, false),
            Colouring::Continuous {
                values,
                label,
                reversed: true,
            } => {
                negated = values.iter().map(|v| -v).collect();
                let values = negated.as_slice();
                (PointColours::Continuous { values, label }, true)
            }
            Colouring::Continuous { values, label, .. } => {
                (PointColours::Continuous { values, label }, false)
            }
            Colouring::None => (PointColours::None, false),
        };
        let n = match colouring {
            Colouring::Classes { ids, .. } => ids.len(),
            Colouring::Continuous { values, .. } => values.len(),
            Colouring::None => 0,
        };
        // On screen a value scale's missing values are a dim grey, so that they recede on the
        // black plot (the figures' light grey is for their white background).
        let continuous = matches!(colouring, Colouring::Continuous { .. });
        let missing_colour = if continuous {
            SCREEN_MISSING
        } else {
            to_color32(MISSING)
        };
        match ColourPlan::new(&point_colours) {
            Ok(plan) => {
                let (colours, missing): (Vec<Color32>, Vec<bool>) = (0..n)
                    .map(|i| {
                        let (c, missing) = plan.colour(i);
                        let c = if missing {
                            missing_colour
                        } else {
                            to_color32(c)
                        };
                        (c, missing)
                    })
                    .unzip();
                self.colours = colours;
                self.missing = missing;
                self.fallback = if n == 0 {
                    to_color32(PLAIN)
                } else {
                    missing_colour
                };
                self.legend = match plan {
                    ColourPlan::Classes { legend, .. } => LegendSpec::Classes(
                        legend
                            .into_iter()
                            .map(|(name, c)| (name, to_color32(c)))
                            .collect(),
                    ),
                    ColourPlan::Continuous { lo, hi, label, .. } => LegendSpec::Continuous {
                        lo: if reversed { -hi } else { lo },
                        hi: if reversed { -lo } else { hi },
                        label: label.to_owned(),
                        reversed,
                    },
                    ColourPlan::Plain => LegendSpec::None,
                };
            }
            Err(e) => {
                self.colours.clear();
                self.missing.clear();
                self.fallback = to_color32(PLAIN);
                self.legend = LegendSpec::None;
                self.problem = Some(format!("colours not shown: {e}"));
            }
        }
    }

    /// Number of rows that have a colour value.
    pub fn len(&self) -> usize {
        self.colours.len()
    }

    /// Colour of row `i`.
    pub fn colour(&self, i: usize) -> Color32 {
        self.colours.get(i).copied().unwrap_or(self.fallback)
    }

    /// True when row `i` should be drawn beneath the others (its colour value is missing).
    pub fn is_missing(&self, i: usize) -> bool {
        self.missing
            .get(i)
            .copied()
            .unwrap_or(!self.colours.is_empty())
    }

    /// Text of row `i`'s colour value for a tooltip, e.g. "class: 3" or "label: 0.52".
    pub fn describe(&self, colouring: &Colouring, i: usize) -> Option<String> {
        match colouring {
            Colouring::Classes { ids, .. } => {
                let id = *ids.get(i)?;
                let name = match &self.legend {
                    LegendSpec::Classes(entries) => entries.get(id as usize).map(|e| e.0.clone()),
                    _ => None,
                };
                Some(format!("class: {}", name.unwrap_or_else(|| id.to_string())))
            }
            Colouring::Continuous { values, label, .. } => {
                let v = values.get(i)?;
                let text = if v.is_finite() {
                    super::legend::format_value(f64::from(*v))
                } else {
                    "no value".to_owned()
                };
                // the legend's label may carry a note after " · " (what grey means)
                let name = label.split(" · ").next().unwrap_or(label);
                Some(format!("{name}: {text}"))
            }
            Colouring::None => None,
        }
    }
}

/// Opacity of points when `n` are drawn: the figures' rule (0.95 for a few hundred points,
/// down to 0.45 from 20 000 on).
pub(super) fn point_alpha(n: usize) -> f32 {
    let n = n.max(1) as f64;
    let t = ((n / 300.0).log10() / (20_000f64 / 300.0).log10()).clamp(0.0, 1.0);
    (0.95 - 0.5 * t) as f32
}

/// splitmix64, the same hash the figures use for their draw order, so the same point lies on
/// top on screen and in the PNG.
pub(super) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
