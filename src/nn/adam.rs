//! The Adam optimiser (Kingma & Ba), with bias correction written exactly as PyTorch's
//! `torch.optim.Adam` does it, and the [`Params`] trait through which a model hands it its
//! (parameter, gradient) pairs.

use ndarray::{ArrayD, ArrayViewD, ArrayViewMutD, Zip};
use serde::{Deserialize, Serialize};

use crate::parallel::for_each_shared;
use crate::widest::widest;

/// Something with trainable parameters: visits every (parameter, gradient) pair, always in the
/// same order, so an optimiser can keep per-tensor state by position.
pub trait Params {
    /// Calls `f(parameter, gradient)` for each parameter tensor.
    fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>));
}

/// Adam's hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AdamConfig {
    /// Step size (the methods' params give it).
    pub learning_rate: f32,
    /// Decay of the first-moment estimate (0.9).
    pub beta1: f32,
    /// Decay of the second-moment estimate (0.999).
    pub beta2: f32,
    /// Added to the denominator (1e-8).
    pub eps: f32,
}

impl AdamConfig {
    /// The paper's betas and eps with the given step size.
    pub fn with_learning_rate(learning_rate: f32) -> Self {
        AdamConfig {
            learning_rate,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
        }
    }
}

/// Elements of one piece of a tensor's update shared between the threads (64 KiB of the four
/// arrays); tensors of two pieces or more are updated on both.
const PIECE: usize = 4096;

/// Moments smaller than this become 0.
const TINY: f32 = 1e-30;

/// `x`, or 0 when |x| < 10⁻³⁰.
///
/// A weight whose gradient is always 0 (an input column that is constant 0, like the border
/// pixels of MNIST) has moments that decay geometrically until they are subnormal numbers,
/// on which x86 arithmetic takes microcode assists (tens of times slower) for as long as
/// training goes on. A moment below 10⁻³⁰ moves its weight by less than 10⁻²⁵ (lr·m/ε), so
/// flushing it changes nothing that can be seen.
#[inline]
fn flush(x: f32) -> f32 {
    if x.abs() < TINY { 0.0 } else { x }
}

/// The constants of one step.
struct Coeffs {
    b1: f32,
    b2: f32,
    eps: f32,
    step_size: f32,
    inv_bc2_sqrt: f32,
}

impl Coeffs {
    /// One element's update (see [`Adam::step`]); no fused multiply-adds, so every CPU and
    /// vector width gives the same bits.
    #[inline(always)]
    fn apply(&self, p: &mut f32, g: f32, m: &mut f32, v: &mut f32) {
        *m = flush(self.b1 * *m + (1.0 - self.b1) * g);
        *v = flush(self.b2 * *v + (1.0 - self.b2) * g * g);
        *p -= self.step_size * *m / (v.sqrt() * self.inv_bc2_sqrt + self.eps);
    }
}

/// [`Coeffs::apply`] over contiguous tensors, in the widest vectors this CPU has (the
/// operations are exact or rounded once each, so the width does not change the results).
fn update(p: &mut [f32], g: &[f32], m: &mut [f32], v: &mut [f32], c: &Coeffs) {
    widest(
        #[inline(always)]
        || {
            for (((p, &g), m), v) in p.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
                c.apply(p, g, m, v);
            }
        },
    )
}

/// Adam with one first/second-moment tensor per parameter tensor, created on the first step.
#[derive(Debug, Clone)]
pub struct Adam {
    cfg: AdamConfig,
    t: u64,
    m: Vec<ArrayD<f32>>,
    v: Vec<ArrayD<f32>>,
}

impl Adam {
    /// Adam with the default betas and eps and the given learning rate.
    pub fn new(learning_rate: f32) -> Self {
        Self::with_config(AdamConfig::with_learning_rate(learning_rate))
    }

    /// Adam with explicit settings.
    pub fn with_config(cfg: AdamConfig) -> Self {
        Adam {
            cfg,
            t: 0,
            m: Vec::new(),
            v: Vec::new(),
        }
    }

    /// The settings.
    pub fn config(&self) -> AdamConfig {
        self.cfg
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.t
    }

    /// One update of every parameter of every group, from the gradients they hold:
    ///
    /// ```text
    /// m ← β1·m + (1−β1)·g          v ← β2·v + (1−β2)·g²
    /// p ← p − (lr / (1−β1^t)) · m / (sqrt(v) / sqrt(1−β2^t) + ε)
    /// ```
    ///
    /// The groups must be passed in the same order on every call.
    pub fn step(&mut self, groups: &mut [&mut dyn Params]) {
        let mut step = self.begin_step();
        for group in groups.iter_mut() {
            group.visit_params(&mut |p, g| step.update_next(p, g));
        }
    }

    /// Starts step t + 1 and returns it, to update the tensors one at a time — each as soon as
    /// its gradient is known, while it is still in the cache (the network's backward pass
    /// updates a layer once it is done with it). Every tensor must be updated once per step,
    /// each under the same index as on every other step ([`Step::update`]); [`Adam::step`] is
    /// this in the order of `visit_params`.
    pub fn begin_step(&mut self) -> Step<'_> {
        self.t += 1;
        let AdamConfig {
            learning_rate: lr,
            beta1: b1,
            beta2: b2,
            eps,
        } = self.cfg;
        // Bias corrections in f64 (β^t for large t), as PyTorch computes them in Python floats.
        let t = i32::try_from(self.t).unwrap_or(i32::MAX);
        let bc1 = 1.0 - (b1 as f64).powi(t);
        let bc2_sqrt = (1.0 - (b2 as f64).powi(t)).sqrt();
        Step {
            coeffs: Coeffs {
                b1,
                b2,
                eps,
                step_size: (lr as f64 / bc1) as f32,
                inv_bc2_sqrt: (1.0 / bc2_sqrt) as f32,
            },
            m: &mut self.m,
            v: &mut self.v,
            next: 0,
        }
    }
}

/// One step of [`Adam`] in progress (see [`Adam::begin_step`]).
pub struct Step<'a> {
    coeffs: Coeffs,
    m: &'a mut Vec<ArrayD<f32>>,
    v: &'a mut Vec<ArrayD<f32>>,
    /// The index [`Step::update_next`] uses.
    next: usize,
}

impl Step<'_> {
    /// Updates tensor `k` (its moments are the k-th; created as zeros on first use).
    pub fn update(&mut self, k: usize, p: ArrayViewMutD<'_, f32>, g: ArrayViewD<'_, f32>) {
        if k >= self.m.len() {
            self.m
                .resize_with(k + 1, || ArrayD::zeros(ndarray::IxDyn(&[0])));
            self.v
                .resize_with(k + 1, || ArrayD::zeros(ndarray::IxDyn(&[0])));
        }
        if self.m[k].shape() != p.shape() {
            self.m[k] = ArrayD::zeros(p.raw_dim());
            self.v[k] = ArrayD::zeros(p.raw_dim());
        }
        let coeffs = &self.coeffs;
        let (m, v) = (&mut self.m[k], &mut self.v[k]);
        let mut p = p;
        match (
            p.as_slice_mut(),
            g.as_slice(),
            m.as_slice_mut(),
            v.as_slice_mut(),
        ) {
            (Some(p), Some(g), Some(m), Some(v)) => {
                // Large tensors (MNIST's first layer: 100 000 weights, 1.6 MB of state) are
                // bound by memory: the two cores share their pieces as they come free.
                if p.len() >= 2 * PIECE {
                    let mut pieces: Vec<_> = p
                        .chunks_mut(PIECE)
                        .zip(g.chunks(PIECE))
                        .zip(m.chunks_mut(PIECE))
                        .zip(v.chunks_mut(PIECE))
                        .collect();
                    for_each_shared(&mut pieces, |(((p, g), m), v)| update(p, g, m, v, coeffs));
                } else {
                    update(p, g, m, v, coeffs);
                }
            }
            // Not reached by our models (all their tensors are contiguous).
            _ => Zip::from(p).and(&g).and(m).and(v).for_each(|p, &g, m, v| {
                coeffs.apply(p, g, m, v);
            }),
        }
    }

    /// Updates the tensor after the last one updated (the first, at the start of a step).
    pub fn update_next(&mut self, p: ArrayViewMutD<'_, f32>, g: ArrayViewD<'_, f32>) {
        let k = self.next;
        self.update(k, p, g);
        self.next = k + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array1, Array2, array};

    /// A bare parameter vector with a gradient slot.
    struct Vector {
        w: Array1<f32>,
        g: Array1<f32>,
    }

    impl Params for Vector {
        fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>)) {
            f(self.w.view_mut().into_dyn(), self.g.view().into_dyn());
        }
    }

    #[test]
    fn first_two_steps_match_hand_computation() {
        let mut p = Vector {
            w: array![1.0, -2.0],
            g: array![0.5, -0.25],
        };
        let mut adam = Adam::new(0.1);
        adam.step(&mut [&mut p]);
        // t = 1: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g).
        let want0 = 1.0 - 0.1 * 0.5 / (0.5 + 1e-8);
        let want1 = -2.0 + 0.1 * 0.25 / (0.25 + 1e-8);
        assert!((p.w[0] as f64 - want0).abs() < 1e-6, "{}", p.w[0]);
        assert!((p.w[1] as f64 - want1).abs() < 1e-6, "{}", p.w[1]);

        // t = 2 with g = -1 on the first coordinate, written out in f64.
        let w_before = p.w[0] as f64;
        p.g = array![-1.0, 0.0];
        adam.step(&mut [&mut p]);
        let g2 = -1.0f64;
        let m: f64 = 0.9 * (0.1 * 0.5) + 0.1 * g2;
        let v: f64 = 0.999 * (0.001 * 0.25) + 0.001 * g2 * g2;
        let (bc1, bc2) = (1.0 - 0.9f64 * 0.9, 1.0 - 0.999f64 * 0.999);
        let want = w_before - (0.1 / bc1) * m / (v.sqrt() / bc2.sqrt() + 1e-8);
        assert!((p.w[0] as f64 - want).abs() < 1e-6, "{} vs {want}", p.w[0]);
        assert_eq!(adam.steps(), 2);
    }

    #[test]
    fn converges_to_least_squares_solution() {
        // minimise ‖A·w − y‖² / n with y = A·w*, so the minimiser is w* = (1, −2, 3).
        let a: Array2<f32> = array![
            [1.0, 0.5, -0.3],
            [0.2, 1.0, 0.4],
            [-0.5, 0.3, 1.0],
            [0.7, -0.6, 0.2],
            [0.1, 0.9, -0.8],
        ];
        let w_star = array![1.0f32, -2.0, 3.0];
        let y = a.dot(&w_star);
        let mut p = Vector {
            w: Array1::zeros(3),
            g: Array1::zeros(3),
        };
        let mut adam = Adam::new(0.05);
        for _ in 0..3000 {
            let r = a.dot(&p.w) - &y;
            p.g = a.t().dot(&r) * (2.0 / a.nrows() as f32);
            adam.step(&mut [&mut p]);
        }
        for (got, want) in p.w.iter().zip(w_star.iter()) {
            assert!((got - want).abs() < 1e-3, "{} vs {}", p.w, w_star);
        }
    }

    #[test]
    fn separable_quadratic_minimum() {
        // f(w) = Σ c_i (w_i − t_i)², minimiser t, for very different curvatures c.
        let c = array![100.0f32, 1.0, 0.01];
        let t = array![0.5f32, -1.5, 2.0];
        let mut p = Vector {
            w: Array1::zeros(3),
            g: Array1::zeros(3),
        };
        let mut adam = Adam::new(0.02);
        for _ in 0..5000 {
            p.g = 2.0 * &c * &(&p.w - &t);
            adam.step(&mut [&mut p]);
        }
        for (got, want) in p.w.iter().zip(t.iter()) {
            assert!((got - want).abs() < 2e-3, "{} vs {}", p.w, t);
        }
    }
}
