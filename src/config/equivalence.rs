//! The equivalence protocol as the CLI flags and the `[equivalence]` section give it (each
//! optional, so that layers merge); no `repeats` means no protocol.

use serde::{Deserialize, Serialize};

use crate::equivalence::EquivalenceSettings;
use crate::error::{Error, Result};

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
