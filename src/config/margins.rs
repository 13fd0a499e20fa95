//! Verdict margins: the resolved [`Margins`] (one `Default`) and the layer the CLI and the
//! `[margins]` section give (each optional).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How close two methods must be to count as equivalent. Settable by flags and in `[margins]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Margins {
    /// Largest relative difference of test reconstruction MSE, |a − b| / max(min(a, b), 0.001);
    /// two MSEs both below 0.001 count as equal.
    pub reconstruction: f64,
    /// Largest absolute difference of k-NN or logistic-regression accuracy.
    pub accuracy: f64,
    /// Largest absolute difference of trustworthiness or continuity.
    pub neighbourhood: f64,
    /// Smallest linear CKA between the two spaces.
    pub min_cka: f64,
    /// Smallest mean k-NN Jaccard agreement between the two spaces.
    pub min_knn_jaccard: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            reconstruction: 0.10,
            accuracy: 0.02,
            neighbourhood: 0.02,
            min_cka: 0.9,
            min_knn_jaccard: 0.5,
        }
    }
}

/// Verdict margins, each optional so that layers can be merged (`[margins]` in TOML).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarginSettings {
    /// Largest relative difference of test reconstruction MSE.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconstruction: Option<f64>,
    /// Largest difference of accuracies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<f64>,
    /// Largest difference of trustworthiness/continuity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub neighbourhood: Option<f64>,
    /// Smallest linear CKA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cka: Option<f64>,
    /// Smallest mean k-NN Jaccard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_knn_jaccard: Option<f64>,
}

impl MarginSettings {
    pub(super) fn or(&self, f: &MarginSettings) -> MarginSettings {
        MarginSettings {
            reconstruction: self.reconstruction.or(f.reconstruction),
            accuracy: self.accuracy.or(f.accuracy),
            neighbourhood: self.neighbourhood.or(f.neighbourhood),
            min_cka: self.min_cka.or(f.min_cka),
            min_knn_jaccard: self.min_knn_jaccard.or(f.min_knn_jaccard),
        }
    }

    pub(super) fn resolve(&self) -> Result<Margins> {
        let d = Margins::default();
        let m = Margins {
            reconstruction: self.reconstruction.unwrap_or(d.reconstruction),
            accuracy: self.accuracy.unwrap_or(d.accuracy),
            neighbourhood: self.neighbourhood.unwrap_or(d.neighbourhood),
            min_cka: self.min_cka.unwrap_or(d.min_cka),
            min_knn_jaccard: self.min_knn_jaccard.unwrap_or(d.min_knn_jaccard),
        };
        for (name, v) in [
            ("reconstruction", m.reconstruction),
            ("accuracy", m.accuracy),
            ("neighbourhood", m.neighbourhood),
            ("min_cka", m.min_cka),
            ("min_knn_jaccard", m.min_knn_jaccard),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::InvalidInput(format!(
                    "margin {name} must be a number ≥ 0 (got {v})"
                )));
            }
        }
        // similarities are at most 1: a floor above it can never be met
        for (flag, v) in [
            ("--min-cka", m.min_cka),
            ("--min-knn-jaccard", m.min_knn_jaccard),
        ] {
            if v > 1.0 {
                return Err(Error::InvalidInput(format!(
                    "{flag} must be between 0 and 1 (got {v}): the similarity is at most 1, so \
                     no pair of methods could ever meet it"
                )));
            }
        }
        Ok(m)
    }

    /// The layer that sets every margin to `m`'s.
    pub fn from_margins(m: &Margins) -> MarginSettings {
        MarginSettings {
            reconstruction: Some(m.reconstruction),
            accuracy: Some(m.accuracy),
            neighbourhood: Some(m.neighbourhood),
            min_cka: Some(m.min_cka),
            min_knn_jaccard: Some(m.min_knn_jaccard),
        }
    }
}
