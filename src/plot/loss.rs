//! The loss-curve model: which curves a trained method has (train, validation, the parts of its
//! loss such as a VAE's recon and kl), what they are called, their tint, dash and weight, and
//! their points on a linear or log10 axis.
//!
//! The PNG figure ([`Placement::PanelPerMethod`]: one panel per method, one legend for all) and
//! the app's plot ([`Placement::Shared`]: every method in one plot, each curve in the legend)
//! both draw a [`LossModel`]; the placement is the one thing that differs, and the tint rule for
//! both lives in [`look`].

use plotters::style::RGBColor;

pub use super::loss_columns::LossColumns;
use super::palette::class_colour;

/// Loss curves of one trained method, one value per epoch (epoch 1 first).
#[derive(Clone, Debug)]
pub struct LossSeries<'a> {
    /// Panel title, e.g. "A: VAE".
    pub method: String,
    /// The epoch (t-SNE: iteration) of each value.
    pub steps: &'a [u32],
    /// Training loss per epoch.
    pub train: &'a [f32],
    /// Validation loss per epoch, when a validation split was used.
    pub val: Option<&'a [f32]>,
    /// Parts of the training loss per epoch, e.g. `("recon", ..)` and `("kl", ..)` for a VAE.
    pub parts: Vec<(String, &'a [f32])>,
}

/// Where the methods' curves are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// One panel per method (the PNG): every method's training loss has the same tint, and a
    /// loss part has the same tint in every panel; one legend names the kinds of curve.
    PanelPerMethod,
    /// All methods in one plot (the app): each method has its own tints and every curve is a
    /// legend entry of its own; methods without epochs are left out (but keep their tints).
    Shared,
}

/// What a curve shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CurveRole {
    /// The training loss.
    Train,
    /// The validation loss.
    Validation,
    /// The `k`-th part of the training loss (a VAE's recon, kl).
    Part(usize),
}

/// How a curve's line is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dash {
    /// A solid line.
    Solid,
    /// Long dashes (validation).
    Dashed,
    /// Dots (the second and later loss parts on screen).
    Dotted,
}

/// How heavy a curve's line is; each renderer turns it into a width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weight {
    /// Training and validation loss.
    Main,
    /// The parts of the loss.
    Part,
}

/// Colour, dash and weight of a curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Look {
    /// Line colour.
    pub colour: RGBColor,
    /// Line pattern.
    pub dash: Dash,
    /// Line weight.
    pub weight: Weight,
}

/// One curve of a method.
#[derive(Clone, Debug, PartialEq)]
pub struct LossCurve<'a> {
    /// What it shows.
    pub role: CurveRole,
    /// What the legend calls it ("train loss" in the PNG, "A: VAE train" on screen).
    pub name: String,
    /// How it is drawn.
    pub look: Look,
    /// The loss per epoch, epoch 1 first.
    pub values: &'a [f32],
    /// The epoch (t-SNE: iteration) of each value.
    pub steps: &'a [u32],
}

/// The curves of one method, in legend order: train, validation, parts.
#[derive(Clone, Debug, PartialEq)]
pub struct LossPanel<'a> {
    /// What the method is called, e.g. "A: VAE".
    pub method: String,
    /// Its curves.
    pub curves: Vec<LossCurve<'a>>,
}

/// A legend entry of the PNG's shared legend.
#[derive(Clone, Debug, PartialEq)]
pub struct LossKey {
    /// e.g. "validation loss", "recon (train)".
    pub label: String,
    /// The look of the curves it stands for.
    pub look: Look,
}

/// The loss curves of some methods, ready to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct LossModel<'a> {
    /// One per method.
    pub panels: Vec<LossPanel<'a>>,
    /// The shared legend ([`Placement::PanelPerMethod`]; empty for [`Placement::Shared`],
    /// whose curves name themselves).
    pub keys: Vec<LossKey>,
}

impl<'a> LossModel<'a> {
    /// The curves of `series` placed by `placement`.
    pub fn new(series: &[LossSeries<'a>], placement: Placement) -> Self {
        // Part tints by name, so "recon" has the same tint in every panel of the PNG.
        let mut part_names: Vec<&str> = Vec::new();
        for s in series {
            for (name, _) in &s.parts {
                if !part_names.contains(&name.as_str()) {
                    part_names.push(name);
                }
            }
        }
        let part_slot = |name: &str| part_names.iter().position(|p| *p == name).unwrap_or(0);
        let mut panels = Vec::new();
        for (k, s) in series.iter().enumerate() {
            if placement == Placement::Shared && s.train.is_empty() {
                continue;
            }
            let mut curves = vec![LossCurve {
                role: CurveRole::Train,
                name: curve_name(&s.method, CurveRole::Train, "", placement),
                look: look(placement, k, CurveRole::Train, 0),
                values: s.train,
                steps: s.steps,
            }];
            if let Some(val) = s.val {
                curves.push(LossCurve {
                    role: CurveRole::Validation,
                    name: curve_name(&s.method, CurveRole::Validation, "", placement),
                    look: look(placement, k, CurveRole::Validation, 0),
                    values: val,
                    steps: s.steps,
                });
            }
            for (j, (part, values)) in s.parts.iter().enumerate() {
                curves.push(LossCurve {
                    role: CurveRole::Part(j),
                    name: curve_name(&s.method, CurveRole::Part(j), part, placement),
                    look: look(placement, k, CurveRole::Part(j), part_slot(part)),
                    values,
                    steps: s.steps,
                });
            }
            panels.push(LossPanel {
                method: s.method.clone(),
                curves,
            });
        }
        let keys = match placement {
            Placement::Shared => Vec::new(),
            Placement::PanelPerMethod => {
                let key = |role| LossKey {
                    label: curve_name("", role, "", placement),
                    look: look(placement, 0, role, 0),
                };
                let mut keys = vec![key(CurveRole::Train)];
                if series.iter().any(|s| s.val.is_some()) {
                    keys.push(key(CurveRole::Validation));
                }
                keys.extend(part_names.iter().enumerate().map(|(slot, name)| LossKey {
                    label: curve_name("", CurveRole::Part(slot), name, placement),
                    look: look(placement, 0, CurveRole::Part(0), slot),
                }));
                keys
            }
        };
        LossModel { panels, keys }
    }
}

impl LossPanel<'_> {
    /// The last epoch (t-SNE: iteration) of any curve.
    pub fn epochs(&self) -> usize {
        self.curves
            .iter()
            .map(|c| (0..c.values.len()).map(|i| c.step(i)).max().unwrap_or(0) as usize)
            .max()
            .unwrap_or(0)
    }

    /// The curves bottom first: the parts, validation, then training on top.
    pub fn bottom_to_top(&self) -> impl Iterator<Item = &LossCurve<'_>> {
        let rank = |c: &&LossCurve<'_>| match c.role {
            CurveRole::Part(_) => 0,
            CurveRole::Validation => 1,
            CurveRole::Train => 2,
        };
        let mut curves: Vec<&LossCurve<'_>> = self.curves.iter().collect();
        curves.sort_by_key(rank);
        curves.into_iter()
    }

    /// Number of values that cannot be drawn (see [`drawable`]).
    pub fn n_left_out(&self, log_scale: bool) -> usize {
        self.curves.iter().map(|c| c.n_left_out(log_scale)).sum()
    }
}

impl LossCurve<'_> {
    /// The epoch (t-SNE: iteration) of the `i`-th value (`i + 1` when not recorded).
    pub fn step(&self, i: usize) -> u32 {
        self.steps
            .get(i)
            .copied()
            .unwrap_or_else(|| u32::try_from(i + 1).unwrap_or(u32::MAX))
    }

    /// (epoch, y) of every drawable value, y in log10 units on a log axis.
    pub fn points(&self, log_scale: bool) -> Vec<[f64; 2]> {
        self.values
            .iter()
            .enumerate()
            .filter(|(_, v)| drawable(**v, log_scale))
            .map(|(i, &v)| {
                let v = f64::from(v);
                [
                    f64::from(self.step(i)),
                    if log_scale { v.log10() } else { v },
                ]
            })
            .collect()
    }

    /// Number of values that cannot be drawn.
    pub fn n_left_out(&self, log_scale: bool) -> usize {
        self.values
            .iter()
            .filter(|v| !drawable(**v, log_scale))
            .count()
    }
}

/// Whether a loss value can be drawn: finite, and positive on a log axis.
pub fn drawable(v: f32, log_scale: bool) -> bool {
    v.is_finite() && (!log_scale || v > 0.0)
}

/// The legend name of a curve of `method`; `part` names a [`CurveRole::Part`].
fn curve_name(method: &str, role: CurveRole, part: &str, placement: Placement) -> String {
    match (placement, role) {
        (Placement::PanelPerMethod, CurveRole::Train) => "train loss".to_owned(),
        (Placement::PanelPerMethod, CurveRole::Validation) => "validation loss".to_owned(),
        (Placement::PanelPerMethod, CurveRole::Part(_)) => format!("{part} (train)"),
        (Placement::Shared, CurveRole::Train) => format!("{method} train"),
        (Placement::Shared, CurveRole::Validation) => format!("{method} val"),
        (Placement::Shared, CurveRole::Part(_)) => format!("{method} {part}"),
    }
}

/// The look of a curve of the `method`-th series; `part_slot` is the part's place among all
/// part names (the PNG tints a part by name).
pub fn look(placement: Placement, method: usize, role: CurveRole, part_slot: usize) -> Look {
    match placement {
        // one panel per method: one tint for training and validation (dashed), the parts by name
        Placement::PanelPerMethod => match role {
            CurveRole::Train | CurveRole::Validation => Look {
                colour: class_colour(0, 10),
                dash: if role == CurveRole::Train {
                    Dash::Solid
                } else {
                    Dash::Dashed
                },
                weight: Weight::Main,
            },
            CurveRole::Part(_) => Look {
                colour: class_colour(part_slot + 1, 10),
                dash: Dash::Solid,
                weight: Weight::Part,
            },
        },
        // one plot for all: each method takes four palette colours, train and validation the
        // first (validation a lighter tint, dashed), its parts the next ones, so that every
        // legend entry has its own colour
        Placement::Shared => {
            let base = class_colour(4 * method, 10);
            match role {
                CurveRole::Train => Look {
                    colour: base,
                    dash: Dash::Solid,
                    weight: Weight::Main,
                },
                CurveRole::Validation => Look {
                    colour: towards_white(base, 0.45),
                    dash: Dash::Dashed,
                    weight: Weight::Main,
                },
                CurveRole::Part(j) => Look {
                    colour: class_colour((4 * method + 1 + j) % 10, 10),
                    dash: if j == 0 { Dash::Solid } else { Dash::Dotted },
                    weight: Weight::Part,
                },
            }
        }
    }
}

/// `c` moved a fraction `t` of the way to white (in gamma space, rounded as egui rounds).
fn towards_white(c: RGBColor, t: f32) -> RGBColor {
    let mix = |v: u8| ((1.0 - t) * f32::from(v) + t * 255.0 + 0.5) as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

#[cfg(test)]
#[path = "loss_tests.rs"]
mod tests;
