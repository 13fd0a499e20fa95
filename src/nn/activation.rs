//! Element-wise activation functions: forward in place, and backward computed from the stored
//! outputs (every supported activation's derivative can be written in terms of its output).

use std::fmt;
use std::str::FromStr;

use ndarray::{ArrayView, ArrayViewMut, Dimension, Zip};
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A hidden-layer (or output) non-linearity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    /// `max(x, 0)`.
    Relu,
    /// `tanh(x)`.
    Tanh,
    /// `1 / (1 + exp(-x))`.
    Sigmoid,
    /// The identity.
    Linear,
}

impl Activation {
    /// All variants, in the order used in messages.
    pub const ALL: [Activation; 4] = [
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Linear,
    ];

    /// The lowercase name used in settings files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }

    /// The activation of one value.
    #[inline(always)]
    pub fn apply(self, x: f32) -> f32 {
        match self {
            Activation::Relu => relu(x),
            Activation::Tanh => x.tanh(),
            Activation::Sigmoid => sigmoid(x),
            Activation::Linear => x,
        }
    }

    /// The derivative `f'(x)` expressed through the output `y = f(x)`.
    #[inline(always)]
    pub fn derivative_from_output(self, y: f32) -> f32 {
        match self {
            Activation::Relu => {
                if y > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - y * y,
            Activation::Sigmoid => y * (1.0 - y),
            Activation::Linear => 1.0,
        }
    }

    /// Applies the activation to every element of `a`, in place.
    pub fn forward_inplace<D: Dimension>(self, mut a: ArrayViewMut<'_, f32, D>) {
        match self {
            Activation::Relu => a.mapv_inplace(relu),
            Activation::Tanh => a.mapv_inplace(f32::tanh),
            Activation::Sigmoid => a.mapv_inplace(sigmoid),
            Activation::Linear => {}
        }
    }

    /// Backward pass: multiplies the upstream gradient `grad` (dL/dy) in place by `f'(x)`, computed
    /// from the stored outputs `out` (= y), turning it into dL/dx.
    ///
    /// # Panics
    /// If the shapes of `grad` and `out` differ.
    pub fn backward_inplace<D: Dimension>(
        self,
        grad: ArrayViewMut<'_, f32, D>,
        out: ArrayView<'_, f32, D>,
    ) {
        if self == Activation::Linear {
            return;
        }
        Zip::from(grad)
            .and(&out)
            .for_each(|g, &y| *g *= self.derivative_from_output(y));
    }
}

/// `max(x, 0)` that lets NaN through (unlike `f32::max`), so divergence is never masked.
#[inline(always)]
pub fn relu(x: f32) -> f32 {
    if x < 0.0 { 0.0 } else { x }
}

/// The logistic function, computed without overflow for large `|x|`.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Activation {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Activation::ALL
            .into_iter()
            .find(|a| a.name() == wanted)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown activation '{s}'; allowed: relu, tanh, sigmoid, linear"
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn parses_names_and_rejects_others() {
        for a in Activation::ALL {
            assert_eq!(a.name().parse::<Activation>().unwrap(), a);
            assert_eq!(
                a.to_string().to_uppercase().parse::<Activation>().unwrap(),
                a
            );
        }
        let err = "gelu".parse::<Activation>().unwrap_err().to_string();
        assert!(
            err.contains("'gelu'") && err.contains("relu, tanh, sigmoid, linear"),
            "{err}"
        );
    }

    #[test]
    fn serde_uses_lowercase() {
        use serde::de::value::{Error as DeError, StrDeserializer};
        for a in Activation::ALL {
            let back = Activation::deserialize(StrDeserializer::<DeError>::new(a.name())).unwrap();
            assert_eq!(back, a);
        }
        assert!(Activation::deserialize(StrDeserializer::<DeError>::new("Relu")).is_err());
    }

    #[test]
    fn forward_values() {
        let mut a = array![[-2.0f32, 0.0, 3.0]];
        Activation::Relu.forward_inplace(a.view_mut());
        assert_eq!(a, array![[0.0, 0.0, 3.0]]);
        assert!(relu(f32::NAN).is_nan());
        assert_eq!(sigmoid(0.0), 0.5);
        assert!((sigmoid(-100.0)).abs() < 1e-30 && sigmoid(100.0) == 1.0);
        assert!(sigmoid(-1e30).is_finite() && sigmoid(1e30).is_finite());
    }

    #[test]
    fn derivative_matches_finite_difference() {
        for act in Activation::ALL {
            for &x in &[-1.3f64, -0.4, 0.3, 1.7] {
                let h = 1e-3f64;
                let num = (act.apply((x + h) as f32) as f64 - act.apply((x - h) as f32) as f64)
                    / (2.0 * h);
                let ana = act.derivative_from_output(act.apply(x as f32)) as f64;
                assert!((num - ana).abs() < 1e-3, "{act} at {x}: {num} vs {ana}");
            }
        }
    }

    #[test]
    fn backward_multiplies_by_derivative() {
        let out = array![[0.5f32, 0.25]];
        let mut g = array![[2.0f32, 4.0]];
        Activation::Sigmoid.backward_inplace(g.view_mut(), out.view());
        assert_eq!(g, array![[0.5, 0.75]]);
    }
}
