//! The decoder's output kind (linear with MSE, sigmoid with BCE) and its names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use ndarray::Array2;

use super::activation::sigmoid;
use super::loss::ReconLoss;
use crate::error::{Error, Result};

/// The decoder's output layer, which also fixes the reconstruction loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputKind {
    /// Linear output, squared-error loss: for standardised data.
    #[default]
    Linear,
    /// Sigmoid output, binary cross-entropy loss: for data scaled to [0, 1].
    Sigmoid,
}

impl OutputKind {
    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Linear => "linear",
            OutputKind::Sigmoid => "sigmoid",
        }
    }

    /// The reconstruction loss that goes with this output.
    pub fn loss(self) -> ReconLoss {
        match self {
            OutputKind::Linear => ReconLoss::Mse,
            OutputKind::Sigmoid => ReconLoss::Bce,
        }
    }

    /// Turns the decoder's last-layer values into outputs (applies the sigmoid, if any).
    pub(crate) fn finish(self, mut logits: Array2<f32>) -> Array2<f32> {
        if self == OutputKind::Sigmoid {
            logits.mapv_inplace(sigmoid);
        }
        logits
    }
}

impl fmt::Display for OutputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OutputKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "linear" => Ok(OutputKind::Linear),
            "sigmoid" => Ok(OutputKind::Sigmoid),
            _ => Err(Error::InvalidInput(format!(
                "unknown output '{s}'; allowed: linear (MSE loss), sigmoid (BCE loss)"
            ))),
        }
    }
}
