//! L2-penalised logistic regression with the model scikit-learn's `LogisticRegression()` fits
//! (penalty L2, C = 1, solver lbfgs, intercept fitted and not penalised): the minimiser of
//!
//!   Σᵢ cross-entropyᵢ + ‖W‖² / (2C)    (W without the intercepts)
//!
//! over the classes seen in training: with two classes the binary model (one weight vector,
//! sigmoid), as scikit-learn uses for two; with more, the multinomial one (softmax over one weight
//! vector per class). Fitted in f64 by [`Lbfgs`], in centred and scaled variables (the same model),
//! until the gradient's largest entry is [`RELATIVE_TOLERANCE`] of its value at zero.
//! scikit-learn stops sooner (gradient 1e-4, at most 100 iterations), so its predictions can
//! differ where a test row sits on a class boundary, or more widely when its fit stops
//! unconverged (nearly separable classes).

use ndarray::{Array2, ArrayView2, Axis};

use super::lbfgs::Lbfgs;

/// Stop when the gradient's largest entry is at most this fraction of its value at W = 0.
pub const RELATIVE_TOLERANCE: f64 = 1e-8;

/// Iteration cap of the fit (nearly separable classes, whose weights grow large under the weak
/// penalty, converge slowest: 600 iterations on 16 digit pixels).
pub const MAX_ITERATIONS: usize = 2000;

/// A fitted model: one row of weights per output, the intercept last; one output (the second
/// class's log-odds) for two classes, one per class otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    weights: Array2<f64>,
    /// Iterations the fit took.
    pub iterations: usize,
    /// Largest gradient entry at the fit over the largest at W = 0.
    pub relative_gradient: f64,
}

impl Logistic {
    /// Fits the model to rows `x` of classes `class` (indices below `n_classes`, at least two
    /// classes; finite inputs), with inverse penalty strength `c`.
    pub fn fit(x: ArrayView2<f32>, class: &[usize], n_classes: usize, c: f64) -> Logistic {
        let n_outputs = if n_classes == 2 { 1 } else { n_classes };
        Self::fit_outputs(x, class, n_outputs, c)
    }

    /// [`Logistic::fit`] with `n_outputs` weight vectors (1: binary; else one per class).
    fn fit_outputs(x: ArrayView2<f32>, class: &[usize], n_outputs: usize, c: f64) -> Logistic {
        let (n, d) = x.dim();
        let centring = Centring::of(x);
        let penalty = 1.0 / (c * n.max(1) as f64);
        let objective = Objective {
            x: centring.apply(x),
            class,
            n_outputs,
            // ‖W‖² = Σⱼ vⱼ² / σⱼ² in the centred variables; the intercept is not penalised
            penalty: (0..=d)
                .map(|j| {
                    if j < d {
                        penalty / centring.scale[j].powi(2)
                    } else {
                        0.0
                    }
                })
                .collect(),
        };
        let settings = Lbfgs {
            memory: 10,
            relative_tolerance: RELATIVE_TOLERANCE,
            max_iterations: MAX_ITERATIONS,
        };
        let start = vec![0.0; n_outputs * (d + 1)];
        let min = settings.minimize(|v, g| objective.value_and_gradient(v, g), start);
        let weights = centring.weights_of(&min.x, n_outputs);
        Logistic {
            weights,
            iterations: min.iterations,
            relative_gradient: min.relative_gradient,
        }
    }

    /// Weights: one row per output, the intercept last (scikit-learn's `coef_` beside
    /// `intercept_`).
    pub fn weights(&self) -> ArrayView2<'_, f64> {
        self.weights.view()
    }

    /// The predicted class index of each row: the sign of the log-odds (0 on a tie) for two
    /// classes, else the class of the largest score (the first on a tie), as scikit-learn.
    pub fn predict(&self, x: ArrayView2<f32>) -> Vec<usize> {
        let scores = with_ones(x).dot(&self.weights.t());
        scores
            .rows()
            .into_iter()
            .map(|z| {
                if z.len() == 1 {
                    usize::from(z[0] > 0.0)
                } else {
                    (0..z.len()).fold(0, |best, k| if z[k] > z[best] { k } else { best })
                }
            })
            .collect()
    }
}

/// The rows in f64 with a column of ones for the intercept.
fn with_ones(x: ArrayView2<f32>) -> Array2<f64> {
    let d = x.ncols();
    Array2::from_shape_fn((x.nrows(), d + 1), |(i, j)| {
        if j < d { f64::from(x[[i, j]]) } else { 1.0 }
    })
}

/// Column means μ and standard deviations σ of the training rows (σ = 1 for a constant column).
/// The fit runs in the variables of the centred and scaled columns, vⱼ = σⱼwⱼ and
/// c = b + Σⱼ wⱼμⱼ: the same model and optimum, but far better conditioned when the latents are
/// off-centre or of unequal scales (L-BFGS then needs tens of iterations instead of thousands).
struct Centring {
    mean: Vec<f64>,
    scale: Vec<f64>,
}

impl Centring {
    fn of(x: ArrayView2<f32>) -> Centring {
        let n = x.nrows().max(1) as f64;
        let (mean, scale) = x
            .columns()
            .into_iter()
            .map(|column| {
                let mean = column.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
                let var = column
                    .iter()
                    .map(|&v| (f64::from(v) - mean).powi(2))
                    .sum::<f64>()
                    / n;
                (mean, if var > 0.0 { var.sqrt() } else { 1.0 })
            })
            .unzip();
        Centring { mean, scale }
    }

    /// (x − μ) / σ with a column of ones.
    fn apply(&self, x: ArrayView2<f32>) -> Array2<f64> {
        let d = x.ncols();
        Array2::from_shape_fn((x.nrows(), d + 1), |(i, j)| {
            if j < d {
                (f64::from(x[[i, j]]) - self.mean[j]) / self.scale[j]
            } else {
                1.0
            }
        })
    }

    /// The weights on the raw columns (intercept last) of the fitted variables `v`.
    fn weights_of(&self, v: &[f64], n_outputs: usize) -> Array2<f64> {
        let d = self.mean.len();
        let mut weights = Array2::zeros((n_outputs, d + 1));
        for (mut w, v) in weights.rows_mut().into_iter().zip(v.chunks(d + 1)) {
            let mut intercept = v[d];
            for j in 0..d {
                w[j] = v[j] / self.scale[j];
                intercept -= w[j] * self.mean[j];
            }
            w[d] = intercept;
        }
        weights
    }
}

/// scikit-learn's scaling of the objective: the mean cross-entropy plus ‖W‖² / (2Cn), which has
/// the same minimiser and a gradient whose size does not grow with n.
struct Objective<'a> {
    /// Rows with a last column of ones.
    x: Array2<f64>,
    class: &'a [usize],
    n_outputs: usize,
    /// Penalty of each column's weights (1 / (C n) on raw columns; 0 for the intercept).
    penalty: Vec<f64>,
}

impl Objective<'_> {
    fn value_and_gradient(&self, w: &[f64], gradient: &mut [f64]) -> f64 {
        let (n, d1) = self.x.dim();
        let w = Array2::from_shape_fn((self.n_outputs, d1), |(k, j)| w[k * d1 + j]);
        // scores, then ∂loss/∂score: predicted probability minus the 0/1 target
        let mut residual = self.x.dot(&w.t());
        let mut loss = 0.0;
        for (mut z, &y) in residual.rows_mut().into_iter().zip(self.class) {
            if self.n_outputs == 1 {
                let target = if y == 1 { 1.0 } else { 0.0 };
                loss += softplus(z[0]) - target * z[0];
                z[0] = sigmoid(z[0]) - target;
            } else {
                let max = z.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                let log_sum = max + z.iter().map(|&v| (v - max).exp()).sum::<f64>().ln();
                loss += log_sum - z[y];
                z.mapv_inplace(|v| (v - log_sum).exp());
                z[y] -= 1.0;
            }
        }
        let n = n.max(1) as f64;
        let mut grad = residual.t().dot(&self.x);
        let mut penalty = 0.0;
        grad.mapv_inplace(|g| g / n);
        for (mut g, wk) in grad.axis_iter_mut(Axis(0)).zip(w.rows()) {
            for j in 0..d1 {
                g[j] += self.penalty[j] * wk[j];
                penalty += self.penalty[j] * wk[j] * wk[j];
            }
        }
        for (out, g) in gradient.iter_mut().zip(grad.iter()) {
            *out = *g;
        }
        loss / n + 0.5 * penalty
    }
}

/// ln(1 + eᶻ) without overflow.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn data(n: usize, d: usize, classes: usize, seed: u64) -> (Array2<f32>, Vec<usize>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let class: Vec<usize> = (0..n).map(|i| i % classes).collect();
        let x = Array2::from_shape_fn((n, d), |(i, j)| {
            (class[i] * (j + 1)) as f32 * 0.7 + (rng.random::<f32>() - 0.5)
        });
        (x, class)
    }

    #[test]
    fn gradient_matches_central_differences() {
        for n_outputs in [1, 3] {
            let (x, class) = data(40, 3, n_outputs.max(2), 1);
            let objective = Objective {
                x: with_ones(x.view()),
                class: &class,
                n_outputs,
                penalty: vec![0.3, 0.2, 0.1, 0.0],
            };
            let mut rng = ChaCha8Rng::seed_from_u64(2);
            let w: Vec<f64> = (0..n_outputs * 4)
                .map(|_| rng.random::<f64>() - 0.5)
                .collect();
            let mut gradient = vec![0.0; w.len()];
            objective.value_and_gradient(&w, &mut gradient);
            let mut scratch = gradient.clone();
            for i in 0..w.len() {
                let h = 1e-6;
                let (mut up, mut down) = (w.clone(), w.clone());
                up[i] += h;
                down[i] -= h;
                let numeric = (objective.value_and_gradient(&up, &mut scratch)
                    - objective.value_and_gradient(&down, &mut scratch))
                    / (2.0 * h);
                assert!(
                    (numeric - gradient[i]).abs() < 1e-7,
                    "outputs {n_outputs}, w[{i}]: {numeric} vs {}",
                    gradient[i]
                );
            }
        }
    }

    #[test]
    fn centred_variables_give_the_same_scores_on_raw_rows() {
        let (mut x, _) = data(30, 3, 2, 5);
        x.column_mut(1).mapv_inplace(|v| 100.0 + 50.0 * v);
        x.column_mut(2).fill(7.0); // constant: σ = 1
        let centring = Centring::of(x.view());
        let v = [0.3, -1.2, 0.5, 2.0, -0.7, 0.1, 0.9, 0.4];
        let weights = centring.weights_of(&v, 2);
        let raw = with_ones(x.view()).dot(&weights.t());
        let v = Array2::from_shape_vec((2, 4), v.to_vec()).unwrap();
        let centred = centring.apply(x.view()).dot(&v.t());
        for (a, b) in raw.iter().zip(&centred) {
            assert!((a - b).abs() < 1e-9 * (1.0 + b.abs()), "{a} vs {b}");
        }
    }

    /// Two classes as a softmax over two weight vectors w₀, w₁ with penalty ‖w₀‖² + ‖w₁‖² is the
    /// binary model in w₁ − w₀ with half the penalty (at the minimum w₀ = −w₁): C doubles.
    #[test]
    fn binary_model_is_the_two_class_softmax_with_twice_the_c() {
        let (x, class) = data(200, 2, 2, 3);
        let binary = Logistic::fit_outputs(x.view(), &class, 1, 2.0);
        let softmax = Logistic::fit_outputs(x.view(), &class, 2, 1.0);
        for j in 0..3 {
            let difference = softmax.weights[[1, j]] - softmax.weights[[0, j]];
            assert!(
                (binary.weights[[0, j]] - difference).abs() < 1e-6,
                "{j}: {} vs {difference}",
                binary.weights[[0, j]]
            );
        }
        assert_eq!(binary.predict(x.view()), softmax.predict(x.view()));
    }

    #[test]
    fn fit_converges_and_predicts_separable_classes() {
        let (x, class) = data(300, 2, 3, 4);
        let model = Logistic::fit(x.view(), &class, 3, 1.0);
        assert!(model.relative_gradient <= RELATIVE_TOLERANCE, "{model:?}");
        let hits = model
            .predict(x.view())
            .iter()
            .zip(&class)
            .filter(|(p, c)| p == c)
            .count();
        assert!(hits > 250, "{hits} of 300");
    }
}
