//! What a sweep steps through: one setting, the method(s) it applies to and its values, read
//! from `--sweep [a.|b.]NAME=v1,v2,…` or the TOML's `[sweep]` section, and applied to an
//! experiment's config one value at a time.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{ExperimentConfig, MethodSettings};
use crate::error::{Error, Result};
use crate::methods::Setting;
use crate::nn::Activation;

/// Most values one sweep steps through (each is a whole comparison).
pub const MAX_POINTS: usize = 64;

/// The settings a sweep can step through, by their names in the TOML and on the command line.
const SWEEPABLE: [(&str, Setting); 8] = [
    ("latent_dim", Setting::LatentDim),
    ("beta", Setting::Beta),
    ("epochs", Setting::Epochs),
    ("learning_rate", Setting::LearningRate),
    ("hidden", Setting::Hidden),
    ("activation", Setting::Activation),
    ("perplexity", Setting::Perplexity),
    ("n_neighbors", Setting::NNeighbors),
];

/// The names of the settings a sweep can step through, in the order menus list them.
pub fn sweepable_names() -> Vec<&'static str> {
    SWEEPABLE.iter().map(|(name, _)| *name).collect()
}

/// Which method's setting a sweep changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SweepSide {
    /// Both methods' (each that has the setting).
    Both,
    /// Method A's only.
    A,
    /// Method B's only.
    B,
}

impl SweepSide {
    /// `name` as the command line writes it for this side: `latent_dim`, `a.latent_dim`,
    /// `b.beta`.
    pub fn written(self, name: &str) -> String {
        match self {
            SweepSide::Both => name.to_owned(),
            SweepSide::A => format!("a.{name}"),
            SweepSide::B => format!("b.{name}"),
        }
    }
}

/// One value of a swept setting.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepValue {
    /// A count: latent_dim, epochs, n_neighbors.
    Count(usize),
    /// A positive real: beta, learning_rate, perplexity.
    Real(f32),
    /// Hidden widths (empty: no hidden layer).
    Layers(Vec<usize>),
    /// A hidden activation.
    Activation(Activation),
}

impl SweepValue {
    /// The value as a number on a sweep's axis (a count or a real; the others have none and are
    /// placed by their order).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            SweepValue::Count(n) => Some(*n as f64),
            SweepValue::Real(v) => Some(f64::from(*v)),
            SweepValue::Layers(_) | SweepValue::Activation(_) => None,
        }
    }
}

impl fmt::Display for SweepValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepValue::Count(n) => write!(f, "{n}"),
            SweepValue::Real(v) => write!(f, "{v}"),
            SweepValue::Layers(l) if l.is_empty() => f.write_str("none"),
            SweepValue::Layers(l) => {
                let widths: Vec<String> = l.iter().map(usize::to_string).collect();
                f.write_str(&widths.join(","))
            }
            SweepValue::Activation(a) => write!(f, "{a}"),
        }
    }
}

/// A resolved sweep: the setting, where it applies, its values in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The swept setting.
    pub setting: Setting,
    /// The method(s) whose setting changes.
    pub side: SweepSide,
    /// Its values, in the order given (at least one, at most [`MAX_POINTS`], none twice).
    pub values: Vec<SweepValue>,
}

/// `[sweep]` as the TOML gives it: `parameter = "b.beta"`, `values = [0.1, 1, 4]` (hidden
/// widths as strings: `values = ["64", "128,64"]`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SweepConfig {
    /// The setting, `a.` or `b.` before it for one method only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Its values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<SweepItem>>,
}

/// One value as the TOML writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SweepItem {
    /// An integer.
    Integer(i64),
    /// A real.
    Real(f64),
    /// Text: an activation, hidden widths, or a number written as text.
    Text(String),
}

impl fmt::Display for SweepItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SweepItem::Integer(v) => write!(f, "{v}"),
            SweepItem::Real(v) => write!(f, "{v}"),
            SweepItem::Text(t) => f.write_str(t),
        }
    }
}

impl SweepConfig {
    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.parameter.is_none() && self.values.is_none()
    }

    /// `self` where set, else `fallback`: a sweep is given whole by one layer.
    pub fn or(&self, fallback: &SweepConfig) -> SweepConfig {
        if self.is_empty() {
            fallback.clone()
        } else {
            self.clone()
        }
    }

    /// The sweep it describes; `None` when empty.
    pub fn resolve(&self) -> Result<Option<Sweep>> {
        match (&self.parameter, &self.values) {
            (None, None) => Ok(None),
            (Some(parameter), Some(values)) => {
                let texts: Vec<String> = values.iter().map(SweepItem::to_string).collect();
                Sweep::from_parts(parameter, &texts).map(Some)
            }
            (Some(_), None) => Err(Error::InvalidInput(
                "[sweep] names a parameter but no values; add values = [v1, v2, …]".into(),
            )),
            (None, Some(_)) => Err(Error::InvalidInput(
                "[sweep] has values but no parameter; add parameter = \"latent_dim\" (or \"b.beta\", …)"
                    .into(),
            )),
        }
    }
}

impl Sweep {
    /// Reads `[a.|b.]NAME=v1,v2,…` (hidden widths are separated by `|`: `hidden=64|128,64`).
    pub fn parse(text: &str) -> Result<Sweep> {
        let Some((parameter, values)) = text.split_once('=') else {
            return Err(Error::InvalidInput(format!(
                "--sweep takes PARAMETER=v1,v2,… (e.g. latent_dim=2,4,8 or b.beta=0.1,1,4), got '{text}'"
            )));
        };
        let separator = if parameter.trim().ends_with("hidden") {
            '|'
        } else {
            ','
        };
        let values: Vec<String> = values.split(separator).map(str::to_owned).collect();
        Sweep::from_parts(parameter, &values)
    }

    /// The sweep of `parameter` (`NAME`, `a.NAME` or `b.NAME`) over `values` as text.
    fn from_parts(parameter: &str, values: &[String]) -> Result<Sweep> {
        let parameter = parameter.trim();
        let (side, name) = match parameter.split_once('.') {
            Some((side, name)) if side.eq_ignore_ascii_case("a") => (SweepSide::A, name),
            Some((side, name)) if side.eq_ignore_ascii_case("b") => (SweepSide::B, name),
            Some((side, _)) => {
                return Err(Error::InvalidInput(format!(
                    "sweep parameter '{parameter}': '{side}.' is not a method; use a. or b. (or no prefix for both)"
                )));
            }
            None => (SweepSide::Both, parameter),
        };
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        let Some(&(_, setting)) = SWEEPABLE.iter().find(|(n, _)| *n == wanted) else {
            let names: Vec<&str> = SWEEPABLE.iter().map(|(n, _)| *n).collect();
            return Err(Error::InvalidInput(format!(
                "cannot sweep '{name}'; the parameters a sweep can step through are {}",
                names.join(", ")
            )));
        };
        if values.is_empty() || values.iter().all(|v| v.trim().is_empty()) {
            return Err(Error::InvalidInput(format!(
                "sweep of {wanted}: no values; give them as {wanted}=v1,v2,…"
            )));
        }
        if values.len() > MAX_POINTS {
            return Err(Error::InvalidInput(format!(
                "sweep of {wanted}: {} values; at most {MAX_POINTS}",
                values.len()
            )));
        }
        let mut parsed: Vec<SweepValue> = Vec::with_capacity(values.len());
        for text in values {
            let value = parse_value(setting, &wanted, text)?;
            if parsed.contains(&value) {
                return Err(Error::InvalidInput(format!(
                    "sweep of {wanted}: the value {value} is given twice"
                )));
            }
            parsed.push(value);
        }
        Ok(Sweep {
            setting,
            side,
            values: parsed,
        })
    }

    /// The swept setting's name (`latent_dim`, `beta`, …).
    pub fn name(&self) -> &'static str {
        name_of(self.setting)
    }

    /// The parameter as written: `latent_dim`, `a.latent_dim`, `b.beta`.
    pub fn parameter(&self) -> String {
        self.side.written(self.name())
    }

    /// The config of point `k`: `base` with the setting set to `values[k]` in the sections of
    /// the swept method(s) (a section's own value would override a shared one).
    pub fn apply(&self, base: &ExperimentConfig, k: usize) -> ExperimentConfig {
        let mut config = base.clone();
        let value = &self.values[k];
        if self.side != SweepSide::B {
            set(&mut config.a, self.setting, value);
        }
        if self.side != SweepSide::A {
            set(&mut config.b, self.setting, value);
        }
        config
    }

    /// This sweep as the TOML's `[sweep]` section.
    pub fn to_config(&self) -> SweepConfig {
        let values = self
            .values
            .iter()
            .map(|v| match v {
                SweepValue::Count(n) => SweepItem::Integer(*n as i64),
                SweepValue::Real(r) => SweepItem::Real(f64::from(*r)),
                other => SweepItem::Text(other.to_string()),
            })
            .collect();
        SweepConfig {
            parameter: Some(self.parameter()),
            values: Some(values),
        }
    }
}

/// The name of a sweepable setting.
fn name_of(setting: Setting) -> &'static str {
    SWEEPABLE
        .iter()
        .find(|(_, s)| *s == setting)
        .map_or("?", |(n, _)| n)
}

/// One value of `setting` from its text.
fn parse_value(setting: Setting, name: &str, text: &str) -> Result<SweepValue> {
    let text = text.trim();
    let bad = |what: &str| Error::InvalidInput(format!("sweep of {name}: '{text}' is not {what}"));
    match setting {
        Setting::LatentDim | Setting::Epochs | Setting::NNeighbors => match text.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(SweepValue::Count(n)),
            _ => Err(bad("a positive whole number")),
        },
        Setting::Beta | Setting::LearningRate | Setting::Perplexity => match text.parse::<f32>() {
            Ok(v) if v.is_finite() && v > 0.0 => Ok(SweepValue::Real(v)),
            _ => Err(bad("a positive number")),
        },
        Setting::Hidden => super::parse_hidden_widths(text)
            .map(SweepValue::Layers)
            .map_err(|_| bad("hidden widths like 128,64 (or none)")),
        Setting::Activation => text
            .parse::<Activation>()
            .map(SweepValue::Activation)
            .map_err(|_| bad("an activation (relu, tanh, sigmoid, linear)")),
        _ => Err(bad("a value of a sweepable setting")),
    }
}

/// Sets `setting` to `value` in one method's section (a value of the setting's own kind).
fn set(section: &mut MethodSettings, setting: Setting, value: &SweepValue) {
    match (setting, value) {
        (Setting::LatentDim, SweepValue::Count(n)) => section.latent_dim = Some(*n),
        (Setting::Epochs, SweepValue::Count(n)) => section.epochs = Some(*n),
        (Setting::NNeighbors, SweepValue::Count(n)) => section.n_neighbors = Some(*n),
        (Setting::Beta, SweepValue::Real(v)) => section.beta = Some(*v),
        (Setting::LearningRate, SweepValue::Real(v)) => section.learning_rate = Some(*v),
        (Setting::Perplexity, SweepValue::Real(v)) => section.perplexity = Some(*v),
        (Setting::Hidden, SweepValue::Layers(l)) => section.hidden = Some(l.clone()),
        (Setting::Activation, SweepValue::Activation(a)) => section.activation = Some(*a),
        // a value of another kind than the setting takes (never made by `Sweep::parse`)
        // changes nothing
        _ => {}
    }
}

#[cfg(test)]
#[path = "sweep_tests.rs"]
mod tests;
