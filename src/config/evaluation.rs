//! Settings of the evaluation: the neighbourhood size, the metric sample and the verdict's
//! margins, with their one `Default`.

use serde::{Deserialize, Serialize};

use super::Margins;

/// Settings of the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EvalSettings {
    /// k of trustworthiness, continuity and the k-NN Jaccard.
    pub neighbors: usize,
    /// Largest number of rows the metrics use.
    pub metric_sample: usize,
    /// Margins of the verdict.
    pub margins: Margins,
}

impl Default for EvalSettings {
    fn default() -> Self {
        EvalSettings {
            neighbors: 10,
            metric_sample: 5000,
            margins: Margins::default(),
        }
    }
}
