//! Per-row point colours resolved once per [`Colouring`] by the plot model
//! ([`crate::plot::scatter::RowColours`], the same as the exported figures'), the on-screen grey
//! of missing values, and the legend that goes with them.

use std::sync::Arc;

use egui::Color32;

use super::{Colouring, to_color32};
use crate::plot::palette::MISSING;
use crate::plot::scatter::{Legend, PointColours, RowColours};

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

/// The model's colour of every row, rebuilt only when the colouring changes.
#[derive(Debug, Default)]
pub(super) struct ColourTable {
    key: Option<ColourKey>,
    /// Colour of every row (the figures' colours).
    rows: RowColours,
    /// On-screen colour of rows whose colour value is missing.
    missing_colour: Color32,
    /// The legend to show.
    pub legend: LegendSpec,
    /// Why the colouring could not be used, if it could not.
    pub problem: Option<String>,
    /// Bumped on every rebuild so that dependent caches notice.
    pub generation: u64,
    /// The class ids hidden when the table was built (ascending).
    hidden: Vec<u32>,
}

impl ColourTable {
    /// True when the table was built from `colouring` (whatever was hidden).
    pub fn is_for(&self, colouring: &Colouring) -> bool {
        self.key.as_ref().is_some_and(|k| k.matches(colouring))
    }

    /// Rebuilds the table when `colouring` or the `hidden` class ids (ascending) are not the
    /// ones it was built from.
    pub fn update(&mut self, colouring: &Colouring, hidden: &[u32]) {
        if self.key.as_ref().is_some_and(|k| k.matches(colouring)) && self.hidden == hidden {
            return;
        }
        self.key = Some(ColourKey::of(colouring));
        self.hidden = hidden.to_vec();
        self.generation += 1;
        self.problem = None;
        // a reversed scale colours −v: viridis(1 − t), with the legend's ends swapped back
        let negated: Vec<f32>;
        let (point_colours, reversed) = match colouring {
            Colouring::Classes { ids, names } => {
                (PointColours::Classes { ids, names, hidden }, false)
            }
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
        // On screen a value scale's missing values are a dim grey, so that they recede on the
        // black plot (the figures' light grey is for their white background).
        self.missing_colour = if matches!(colouring, Colouring::Continuous { .. }) {
            SCREEN_MISSING
        } else {
            to_color32(MISSING)
        };
        match RowColours::new(&point_colours) {
            Ok(rows) => {
                self.legend = match rows.legend() {
                    Legend::Classes(entries) => LegendSpec::Classes(
                        entries
                            .iter()
                            .map(|(name, c)| (name.clone(), to_color32(*c)))
                            .collect(),
                    ),
                    &Legend::Continuous { lo, hi, ref label } => LegendSpec::Continuous {
                        lo: if reversed { -hi } else { lo },
                        hi: if reversed { -lo } else { hi },
                        label: label.clone(),
                        reversed,
                    },
                    Legend::None => LegendSpec::None,
                };
                self.rows = rows;
            }
            Err(e) => {
                self.rows = RowColours::default();
                self.legend = LegendSpec::None;
                self.problem = Some(format!("colours not shown: {e}"));
            }
        }
    }

    /// The model's colours (what the figures draw; missing values in the figures' grey).
    pub fn rows(&self) -> &RowColours {
        &self.rows
    }

    /// Number of rows that have a colour value.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Colour of row `i` on screen: the model's, except the dim grey of a missing value.
    pub fn colour(&self, i: usize) -> Color32 {
        if self.rows.is_missing(i) {
            self.missing_colour
        } else {
            to_color32(self.rows.colour(i))
        }
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
                    crate::plot::format::value(f64::from(*v))
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
