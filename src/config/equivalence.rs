//! The equivalence protocol's settings: the resolved [`EquivalenceSettings`] (runs, resamples, δ,
//! levels, the stability floor; one `Default`, checked with the flag to fix) and the layer the CLI
//! flags and the `[equivalence]` section give (each optional, so that layers merge); no `repeats`
//! means no protocol.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Settings of the protocol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EquivalenceSettings {
    /// Runs per method (precomputed latents: one).
    pub repeats: usize,
    /// Bootstrap resamples of the rows for the geometry intervals.
    pub resamples: usize,
    /// δ: how much less similar than a method to itself the two methods may be.
    pub margin: f64,
    /// Level of the bootstrap intervals.
    pub level: f64,
    /// Level of each one-sided test of the TOST (its interval is 1 − 2·alpha).
    pub alpha: f64,
    /// A method whose within-method CKA interval lies entirely below this is too unstable for
    /// its geometry to be judged.
    pub stability_floor: f64,
    /// Largest number of metric rows the geometry uses (cost grows with rows × runs²).
    pub geometry_rows: usize,
}

impl Default for EquivalenceSettings {
    fn default() -> Self {
        EquivalenceSettings {
            repeats: 5,
            resamples: 500,
            margin: 0.05,
            level: 0.95,
            alpha: 0.05,
            stability_floor: 0.8,
            geometry_rows: 2000,
        }
    }
}

impl EquivalenceSettings {
    /// Checks the settings, naming the flag to fix.
    pub fn validate(&self) -> Result<()> {
        let bad = |what: String| Err(Error::InvalidInput(what));
        if !(2..=100).contains(&self.repeats) {
            return bad(format!(
                "--repeats must be 2 to 100 (got {}): {}",
                self.repeats,
                if self.repeats < 2 {
                    "one run per method has no spread to judge"
                } else {
                    "more runs than 100 take hours and narrow the intervals little"
                }
            ));
        }
        if !(20..=100_000).contains(&self.resamples) {
            return bad(format!(
                "--bootstrap must be 20 to 100000 resamples (got {})",
                self.resamples
            ));
        }
        if !(self.margin.is_finite() && (0.0..1.0).contains(&self.margin)) {
            return bad(format!(
                "--equivalence-margin must be in [0, 1) (got {})",
                self.margin
            ));
        }
        if !(self.stability_floor.is_finite() && (0.0..=1.0).contains(&self.stability_floor)) {
            return bad(format!(
                "--stability-floor must be a linear CKA in [0, 1] (got {}); 0 judges every \
                 method however much its runs disagree",
                self.stability_floor
            ));
        }
        if !(self.level > 0.5 && self.level < 1.0 && self.alpha > 0.0 && self.alpha < 0.5) {
            return bad("interval level must be in (0.5, 1) and alpha in (0, 0.5)".into());
        }
        if self.geometry_rows < 20 {
            return bad(format!(
                "geometry rows must be at least 20 (got {})",
                self.geometry_rows
            ));
        }
        Ok(())
    }
}

/// `[equivalence]` in TOML; `--repeats`, `--bootstrap`, `--equivalence-margin`,
/// `--stability-floor` on the command line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EquivalenceConfig {
    /// Runs per method; the protocol runs only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeats: Option<usize>,
    /// Bootstrap resamples of the rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<usize>,
    /// δ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<f64>,
    /// Smallest within-method CKA at which a method is stable enough to judge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stability_floor: Option<f64>,
}

impl EquivalenceConfig {
    /// True when nothing is set (the section is then left out of a saved file).
    pub fn is_empty(&self) -> bool {
        *self == EquivalenceConfig::default()
    }

    pub(super) fn or(&self, f: &EquivalenceConfig) -> EquivalenceConfig {
        EquivalenceConfig {
            repeats: self.repeats.or(f.repeats),
            bootstrap: self.bootstrap.or(f.bootstrap),
            margin: self.margin.or(f.margin),
            stability_floor: self.stability_floor.or(f.stability_floor),
        }
    }

    /// The protocol's settings, checked (`None` without `repeats`).
    pub fn resolve(&self) -> Result<Option<EquivalenceSettings>> {
        let Some(repeats) = self.repeats else {
            if self.bootstrap.is_some() || self.margin.is_some() || self.stability_floor.is_some() {
                return Err(Error::InvalidInput(
                    "--bootstrap, --equivalence-margin and --stability-floor (bootstrap, margin, \
                     stability_floor in [equivalence]) apply to the equivalence protocol; add \
                     --repeats (e.g. --repeats 5)"
                        .into(),
                ));
            }
            return Ok(None);
        };
        let d = EquivalenceSettings::default();
        let settings = EquivalenceSettings {
            repeats,
            resamples: self.bootstrap.unwrap_or(d.resamples),
            margin: self.margin.unwrap_or(d.margin),
            stability_floor: self.stability_floor.unwrap_or(d.stability_floor),
            ..d
        };
        settings.validate()?;
        Ok(Some(settings))
    }

    /// The section that asks for `s` again.
    pub fn from_settings(s: &EquivalenceSettings) -> EquivalenceConfig {
        EquivalenceConfig {
            repeats: Some(s.repeats),
            bootstrap: Some(s.resamples),
            margin: Some(s.margin),
            stability_floor: Some(s.stability_floor),
        }
    }
}
