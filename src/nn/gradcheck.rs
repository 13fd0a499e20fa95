//! Test helpers: central finite differences against analytic gradients, and parameters' bits.
//!
//! The networks run in f32, so the loss is summed in f64 and the actual perturbation
//! `(p + h) − (p − h)` after rounding to f32 is used as the denominator.

use ndarray::Array2;

use super::activation::Activation;
use super::adam::Params;

/// Finite-difference step: small for ReLU networks (a larger step may cross a kink), larger for
/// smooth ones (a smaller step drowns in f32 rounding noise).
pub(crate) fn step_for(act: Activation) -> f32 {
    if act == Activation::Relu { 1e-3 } else { 1e-2 }
}

/// Copies every gradient tensor (in [`Params`] order) into a flat vector.
pub(crate) fn snapshot_grads<P: Params + ?Sized>(p: &mut P) -> Vec<Vec<f32>> {
    let mut out = Vec::new();
    p.visit_params(&mut |_, g| out.push(g.iter().copied().collect()));
    out
}

/// Every parameter (in [`Params`] order), bit for bit.
pub(crate) fn parameter_bits<P: Params + ?Sized>(p: &mut P) -> Vec<u32> {
    let mut out = Vec::new();
    p.visit_params(&mut |w, _| out.extend(w.iter().map(|v| v.to_bits())));
    out
}

/// Sets element `j` of parameter tensor `k` to `value`; returns the value it had.
fn set_param<P: Params + ?Sized>(p: &mut P, k: usize, j: usize, value: f32) -> f32 {
    let mut idx = 0;
    let mut old = 0.0;
    p.visit_params(&mut |mut w, _| {
        if idx == k {
            let v = w.iter_mut().nth(j).unwrap();
            old = *v;
            *v = value;
        }
        idx += 1;
    });
    old
}

/// Central differences of `loss` with respect to every parameter element.
pub(crate) fn numeric_param_grads<P: Params + ?Sized>(
    p: &mut P,
    mut loss: impl FnMut(&mut P) -> f64,
    h: f32,
) -> Vec<Vec<f64>> {
    let sizes: Vec<usize> = snapshot_grads(p).iter().map(Vec::len).collect();
    let mut out = Vec::new();
    for (k, &len) in sizes.iter().enumerate() {
        let mut g = Vec::with_capacity(len);
        for j in 0..len {
            let orig = set_param(p, k, j, 0.0);
            let (hi, lo) = (orig + h, orig - h);
            set_param(p, k, j, hi);
            let f_plus = loss(p);
            set_param(p, k, j, lo);
            let f_minus = loss(p);
            set_param(p, k, j, orig);
            g.push((f_plus - f_minus) / (hi as f64 - lo as f64));
        }
        out.push(g);
    }
    out
}

/// Central differences of `loss` with respect to every element of `x`.
pub(crate) fn numeric_array_grad(
    x: &Array2<f32>,
    mut loss: impl FnMut(&Array2<f32>) -> f64,
    h: f32,
) -> Vec<f64> {
    let mut xp = x.clone();
    let mut out = Vec::with_capacity(x.len());
    for j in 0..x.len() {
        let orig = x.iter().nth(j).copied().unwrap();
        let (hi, lo) = (orig + h, orig - h);
        *xp.iter_mut().nth(j).unwrap() = hi;
        let f_plus = loss(&xp);
        *xp.iter_mut().nth(j).unwrap() = lo;
        let f_minus = loss(&xp);
        *xp.iter_mut().nth(j).unwrap() = orig;
        out.push((f_plus - f_minus) / (hi as f64 - lo as f64));
    }
    out
}

/// Asserts `|analytic − numeric| ≤ 1e-2 · max(|analytic|, |numeric|) + 1e-4` element-wise, i.e.
/// a relative error below 1e-2 except for gradients that are essentially zero.
pub(crate) fn assert_grads_close(name: &str, analytic: &[Vec<f32>], numeric: &[Vec<f64>]) {
    assert_eq!(analytic.len(), numeric.len(), "{name}: tensor count");
    let mut worst = 0.0f64;
    let mut nonzero = 0usize;
    for (k, (a, n)) in analytic.iter().zip(numeric).enumerate() {
        assert_eq!(a.len(), n.len(), "{name}: tensor {k} size");
        for (j, (&a, &n)) in a.iter().zip(n).enumerate() {
            let a = a as f64;
            let scale = a.abs().max(n.abs());
            let err = (a - n).abs();
            assert!(
                err <= 1e-2 * scale + 1e-4,
                "{name}: tensor {k} element {j}: analytic {a} vs numeric {n}"
            );
            if scale > 1e-2 {
                nonzero += 1;
                worst = worst.max(err / scale);
            }
        }
    }
    assert!(
        nonzero > 0,
        "{name}: all gradients are ~0, the check says nothing"
    );
    eprintln!("{name}: worst relative error {worst:.2e} over {nonzero} non-zero gradients");
}
