//! A small L-BFGS minimiser for smooth objectives (Nocedal & Wright, *Numerical Optimization*,
//! 2nd ed., algorithms 7.4 and 7.5) with a backtracking Armijo line search: enough for convex
//! problems such as the logistic regression's, where every Armijo step also keeps sᵀy > 0.
//!
//! Near the minimum f changes by less than its rounding error, so the Armijo test on f can no
//! longer tell a good step from a bad one; there a step is also accepted by the same test on the
//! slope along the direction (Hager & Zhang's approximate Wolfe condition, 2005), which f64 still
//! resolves, so the gradient can be driven far below what f alone allows.

use std::collections::VecDeque;

/// Sufficient-decrease constant of the Armijo condition.
const ARMIJO: f64 = 1e-4;

/// Step halvings (or shorter cuts) tried before the line search gives up.
const MAX_BACKTRACKS: usize = 60;

/// Relative change of f below which f is taken as flat (its rounding error, with room).
const FLAT: f64 = 1e-12;

/// Consecutive iterations with f flat after which the minimiser stops short of the tolerance:
/// the gradient has reached its own rounding floor.
const MAX_FLAT_ITERATIONS: usize = 200;

/// Settings of [`Lbfgs::minimize`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lbfgs {
    /// Step and gradient-change pairs (s, y) kept for the inverse-Hessian estimate.
    pub memory: usize,
    /// Stop when the gradient's largest entry is at most this fraction of its value at the start.
    pub relative_tolerance: f64,
    /// Stop after this many iterations whatever the gradient.
    pub max_iterations: usize,
}

/// Where [`Lbfgs::minimize`] stopped.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The point.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Iterations (accepted steps) taken.
    pub iterations: usize,
    /// Largest gradient entry there over the largest at the start (0 when both are 0).
    pub relative_gradient: f64,
}

/// One remembered step: s = x₊ − x, y = ∇f(x₊) − ∇f(x), ρ = 1 / sᵀy.
struct Pair {
    s: Vec<f64>,
    y: Vec<f64>,
    rho: f64,
}

impl Lbfgs {
    /// Minimises `objective`, which returns f(x) and writes ∇f(x) into its second argument,
    /// starting from `x`. Stops at the tolerance, at the iteration cap, when no step lowers f or
    /// its slope, or after a long run of iterations that left f unchanged but for
    /// rounding (the limits of f64 arithmetic near the minimum).
    pub fn minimize(
        &self,
        mut objective: impl FnMut(&[f64], &mut [f64]) -> f64,
        mut x: Vec<f64>,
    ) -> Minimum {
        let n = x.len();
        let mut gradient = vec![0.0; n];
        let mut value = objective(&x, &mut gradient);
        let start_gradient = max_abs(&gradient);
        let target = self.relative_tolerance * start_gradient;
        let mut pairs: VecDeque<Pair> = VecDeque::with_capacity(self.memory + 1);
        let (mut x_new, mut gradient_new) = (vec![0.0; n], vec![0.0; n]);
        let (mut iterations, mut flat_iterations) = (0, 0);
        while iterations < self.max_iterations && max_abs(&gradient) > target {
            let mut direction = two_loop(&gradient, &pairs);
            let mut slope = dot(&gradient, &direction);
            if slope >= 0.0 || slope.is_nan() {
                // not a descent direction (rounding): forget the curvature and go downhill
                pairs.clear();
                direction = gradient.iter().map(|g| -g).collect();
                slope = -dot(&gradient, &gradient);
            }
            // without curvature pairs the direction is −∇f: a first step of length 1
            let mut step = if pairs.is_empty() {
                1.0 / slope.abs().sqrt()
            } else {
                1.0
            };
            let mut accepted = None;
            for _ in 0..MAX_BACKTRACKS {
                for ((xn, xi), di) in x_new.iter_mut().zip(&x).zip(&direction) {
                    *xn = xi + step * di;
                }
                let value_new = objective(&x_new, &mut gradient_new);
                // NaN fails these tests, so an overflowing step is shortened too
                let armijo = value_new <= value + ARMIJO * step * slope;
                // Armijo for the quadratic model, in terms of the slope at the new point
                let flat = value_new <= value + FLAT * value.abs();
                let slope_new = dot(&gradient_new, &direction);
                if armijo || (flat && slope_new <= (2.0 * ARMIJO - 1.0) * slope) {
                    accepted = Some(value_new);
                    break;
                }
                // the minimum of the parabola through f(x), its slope and f(x + step·d),
                // kept within [0.1, 0.5] of the step
                let curvature = value_new - value - slope * step;
                let parabola = -slope * step * step / (2.0 * curvature);
                step = if parabola.is_finite() {
                    parabola.clamp(0.1 * step, 0.5 * step)
                } else {
                    0.5 * step
                };
            }
            let Some(value_new) = accepted else { break };
            let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
            let y: Vec<f64> = gradient_new
                .iter()
                .zip(&gradient)
                .map(|(a, b)| a - b)
                .collect();
            let sy = dot(&s, &y);
            if sy > f64::EPSILON * dot(&y, &y) {
                if pairs.len() == self.memory {
                    pairs.pop_front();
                }
                pairs.push_back(Pair {
                    s,
                    y,
                    rho: 1.0 / sy,
                });
            }
            std::mem::swap(&mut x, &mut x_new);
            std::mem::swap(&mut gradient, &mut gradient_new);
            if value - value_new <= FLAT * value.abs() {
                flat_iterations += 1;
            } else {
                flat_iterations = 0;
            }
            value = value_new;
            iterations += 1;
            if flat_iterations == MAX_FLAT_ITERATIONS {
                break;
            }
        }
        let relative_gradient = if start_gradient > 0.0 {
            max_abs(&gradient) / start_gradient
        } else {
            0.0
        };
        Minimum {
            x,
            value,
            iterations,
            relative_gradient,
        }
    }
}

/// −H∇f for the L-BFGS inverse-Hessian estimate H of the remembered pairs (newest last), scaled
/// by sᵀy / yᵀy of the newest pair; −∇f when there are none.
fn two_loop(gradient: &[f64], pairs: &VecDeque<Pair>) -> Vec<f64> {
    let mut q = gradient.to_vec();
    let mut alphas = Vec::with_capacity(pairs.len());
    for pair in pairs.iter().rev() {
        let alpha = pair.rho * dot(&pair.s, &q);
        axpy(-alpha, &pair.y, &mut q);
        alphas.push(alpha);
    }
    if let Some(newest) = pairs.back() {
        let gamma = 1.0 / (newest.rho * dot(&newest.y, &newest.y));
        q.iter_mut().for_each(|v| *v *= gamma);
    }
    for (pair, alpha) in pairs.iter().zip(alphas.iter().rev()) {
        let beta = pair.rho * dot(&pair.y, &q);
        axpy(alpha - beta, &pair.s, &mut q);
    }
    q.iter_mut().for_each(|v| *v = -*v);
    q
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIGHT: Lbfgs = Lbfgs {
        memory: 10,
        relative_tolerance: 1e-10,
        max_iterations: 1000,
    };

    #[test]
    fn finds_the_minimum_of_an_ill_conditioned_quadratic() {
        // f = Σ cᵢ (xᵢ − i)² / 2 with curvatures from 1 to 10⁴
        let curvature: Vec<f64> = (0..20).map(|i| 10f64.powf(i as f64 / 19.0 * 4.0)).collect();
        let very_tight = Lbfgs {
            relative_tolerance: 1e-14,
            ..TIGHT
        };
        let min = very_tight.minimize(
            |x, g| {
                let mut f = 0.0;
                for (i, (&xi, gi)) in x.iter().zip(g.iter_mut()).enumerate() {
                    let e = xi - i as f64;
                    *gi = curvature[i] * e;
                    f += 0.5 * curvature[i] * e * e;
                }
                f
            },
            vec![0.0; 20],
        );
        assert!(min.relative_gradient <= 1e-14, "{min:?}");
        for (i, xi) in min.x.iter().enumerate() {
            assert!((xi - i as f64).abs() < 1e-8, "x[{i}] = {xi}");
        }
    }

    #[test]
    fn finds_the_minimum_of_the_rosenbrock_function() {
        let min = TIGHT.minimize(
            |x, g| {
                let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
                g[0] = -2.0 * a - 400.0 * x[0] * b;
                g[1] = 200.0 * b;
                a * a + 100.0 * b * b
            },
            vec![-1.2, 1.0],
        );
        assert!(
            (min.x[0] - 1.0).abs() < 1e-7 && (min.x[1] - 1.0).abs() < 1e-7,
            "{min:?}"
        );
        assert!(min.value < 1e-14);
    }

    #[test]
    fn stops_at_once_where_the_gradient_is_zero() {
        let min = TIGHT.minimize(
            |_, g| {
                g[0] = 0.0;
                1.0
            },
            vec![3.0],
        );
        assert_eq!(
            (min.x, min.iterations, min.relative_gradient),
            (vec![3.0], 0, 0.0)
        );
    }
}
