//! scikit-learn's `_gradient_descent` for t-SNE: momentum, per-coordinate gains (delta-bar-delta:
//! +0.2 where the gradient's sign flips against the last update, ×0.8 where it does not, at least
//! 0.01), the KL divergence every 50 iterations and on the last, and a stop when it has not
//! improved for a phase's patience or the gradient's norm falls below 1e-7.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// Iterations between checks of the KL divergence (scikit-learn's `_N_ITER_CHECK`).
pub(super) const CHECK_EVERY: usize = 50;
const MIN_GAIN: f64 = 0.01;
const MIN_GRAD_NORM: f64 = 1e-7;

/// One phase of the schedule.
#[derive(Debug, Clone, Copy)]
pub(super) struct Phase {
    /// First iteration (0-based) and one past the last.
    pub start: usize,
    pub end: usize,
    pub momentum: f64,
    pub learning_rate: f64,
    /// Iterations without a better KL divergence after which the phase stops.
    pub patience: usize,
}

/// Where a phase ended: its last iteration (0-based) and the last KL divergence computed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ended {
    pub iteration: usize,
    pub error: f64,
}

/// What the optimizer reports after each iteration.
pub struct Step<'a> {
    /// 1-based iteration and the planned total.
    pub iteration: usize,
    pub iterations: usize,
    /// The KL divergence, on the iterations it was computed.
    pub kl_divergence: Option<f64>,
    /// The embedding after this iteration, row-major.
    pub embedding: &'a [f64],
}

/// The objective: `objective(y, grad, want_error)` writes the gradient at `y` into `grad` and
/// gives the KL divergence when asked.
pub(super) type Objective<'a> = dyn FnMut(&[f64], &mut [f64], bool) -> Option<f64> + 'a;

/// Runs `phase` from `y` (flattened, n·D values): `objective(y, grad, want_error)` writes the
/// gradient and gives the KL divergence when asked. Stops with `Error::Cancelled` when
/// `cancel` is set.
pub(super) fn descend(
    y: &mut [f64],
    phase: Phase,
    total: usize,
    objective: &mut Objective,
    cancel: &AtomicBool,
    on_step: &mut dyn FnMut(&Step),
) -> Result<Ended> {
    let mut update = vec![0f64; y.len()];
    let mut gains = vec![1f64; y.len()];
    let mut grad = vec![0f64; y.len()];
    let (mut error, mut best_error, mut best_iteration) = (f64::MAX, f64::MAX, phase.start);
    let mut last = phase.start;
    for i in phase.start..phase.end {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Cancelled);
        }
        last = i;
        let check = (i + 1) % CHECK_EVERY == 0;
        let computed = objective(&*y, &mut grad, check || i + 1 == phase.end);
        if let Some(e) = computed {
            if !e.is_finite() {
                return Err(Error::Diverged {
                    epoch: i + 1,
                    learning_rate: phase.learning_rate as f32,
                    method: None,
                });
            }
            error = e;
        }
        for (((g, u), gain), p) in grad
            .iter_mut()
            .zip(&mut update)
            .zip(&mut gains)
            .zip(&mut *y)
        {
            *gain = (if *u * *g < 0.0 {
                *gain + 0.2
            } else {
                *gain * 0.8
            })
            .max(MIN_GAIN);
            *g *= *gain;
            *u = phase.momentum * *u - phase.learning_rate * *g;
            *p += *u;
        }
        on_step(&Step {
            iteration: i + 1,
            iterations: total,
            kl_divergence: computed,
            embedding: &*y,
        });
        if check {
            if error < best_error {
                (best_error, best_iteration) = (error, i);
            } else if i - best_iteration > phase.patience {
                break;
            }
            let norm = grad.iter().map(|g| g * g).sum::<f64>().sqrt();
            if norm <= MIN_GRAD_NORM {
                break;
            }
        }
    }
    Ok(Ended {
        iteration: last,
        error,
    })
}
