//! Reconstruction losses (squared error, binary cross-entropy from logits) and the VAE's KL term,
//! each with its gradient. Values are accumulated in f64; gradients are written in f32 into
//! caller-owned buffers.

use ndarray::{ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, Axis, Zip};

use crate::parallel::join;
use crate::widest::widest;

/// How a sum of per-entry losses is turned into one number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduction {
    /// Mean over all entries (rows × features): the autoencoder's loss.
    MeanAll,
    /// Sum over features, mean over rows: the VAE's reconstruction term.
    SumFeaturesMeanRows,
}

impl Reduction {
    /// What the per-entry sum is divided by, for a `rows × cols` batch.
    pub fn denominator(self, rows: usize, cols: usize) -> f64 {
        match self {
            Reduction::MeanAll => (rows * cols).max(1) as f64,
            Reduction::SumFeaturesMeanRows => rows.max(1) as f64,
        }
    }
}

/// A reconstruction loss between the network's final pre-output values and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconLoss {
    /// Squared error `(x̂ − x)²` on a linear output.
    Mse,
    /// Binary cross-entropy on a sigmoid output, computed from the pre-sigmoid logits `z`:
    /// `max(z, 0) − z·x + log(1 + exp(−|z|))`, which never overflows.
    Bce,
}

impl ReconLoss {
    /// The loss of `pred` (outputs for `Mse`, logits for `Bce`) against `target`: the bits of
    /// [`ReconLoss::value_and_grad`]'s value (the same row sums added in the same order).
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn value(
        self,
        pred: ArrayView2<'_, f32>,
        target: ArrayView2<'_, f32>,
        red: Reduction,
    ) -> f64 {
        self.summed(pred, target, red, None)
    }

    /// The loss, and its gradient with respect to `pred` written into `grad` (same shape):
    /// `2(x̂ − x)/d` for `Mse`, `(σ(z) − x)/d` for `Bce`, where `d` is the reduction's denominator.
    ///
    /// # Panics
    /// If the shapes differ.
    pub fn value_and_grad(
        self,
        pred: ArrayView2<'_, f32>,
        target: ArrayView2<'_, f32>,
        red: Reduction,
        grad: ArrayViewMut2<'_, f32>,
    ) -> f64 {
        self.summed(pred, target, red, Some(grad))
    }

    /// The loss, and the gradient when `grad` is given.
    fn summed(
        self,
        pred: ArrayView2<'_, f32>,
        target: ArrayView2<'_, f32>,
        red: Reduction,
        grad: Option<ArrayViewMut2<'_, f32>>,
    ) -> f64 {
        let denom = red.denominator(pred.nrows(), pred.ncols());
        let inv = (1.0 / denom) as f32;
        assert_eq!(
            pred.dim(),
            target.dim(),
            "prediction and target shapes differ"
        );
        if let Some(g) = &grad {
            assert_eq!(g.dim(), pred.dim(), "gradient and prediction shapes differ");
        }
        let rows = pred.nrows();
        // One sum per row, added up in row order afterwards: the same value however the rows
        // were shared between the threads.
        let mut row_sums = vec![0.0f64; rows];
        if pred.len() >= SPLIT_ELEMENTS && rows >= 2 {
            let half = rows / 2;
            let (p1, p2) = pred.split_at(Axis(0), half);
            let (t1, t2) = target.split_at(Axis(0), half);
            let (g1, g2) = match grad {
                Some(g) => {
                    let (g1, g2) = g.split_at(Axis(0), half);
                    (Some(g1), Some(g2))
                }
                None => (None, None),
            };
            let (s1, s2) = row_sums.split_at_mut(half);
            join(
                || self.row_sums(p1, t1, inv, g1, s1),
                || self.row_sums(p2, t2, inv, g2, s2),
            );
        } else {
            self.row_sums(pred, target, inv, grad, &mut row_sums);
        }
        row_sums.iter().fold(0.0, |sum, r| sum + r) / denom
    }

    /// Each row's unnormalised loss into `row_sums`, and the gradient scaled by `inv` when
    /// `grad` is given; with eight f64 partial sums per row (entry j of a row into sum j mod 8)
    /// so that the additions do not wait on each other. Compiled for the CPU's widest vectors:
    /// the lanes are the source's, so the bits are the same at every width.
    fn row_sums(
        self,
        pred: ArrayView2<'_, f32>,
        target: ArrayView2<'_, f32>,
        inv: f32,
        grad: Option<ArrayViewMut2<'_, f32>>,
        row_sums: &mut [f64],
    ) {
        widest(
            #[inline(always)]
            || match grad {
                Some(mut grad) => {
                    let rows = grad
                        .rows_mut()
                        .into_iter()
                        .zip(pred.rows())
                        .zip(target.rows());
                    for (((mut g, p), t), row_sum) in rows.zip(row_sums) {
                        *row_sum = match (self, g.as_slice_mut(), p.as_slice(), t.as_slice()) {
                            (ReconLoss::Mse, Some(g), Some(p), Some(t)) => {
                                mse_row(Some(g), p, t, inv)
                            }
                            _ => self.any_row(Some(g), p, t, inv),
                        };
                    }
                }
                None => {
                    for ((p, t), row_sum) in
                        pred.rows().into_iter().zip(target.rows()).zip(row_sums)
                    {
                        *row_sum = match (self, p.as_slice(), t.as_slice()) {
                            (ReconLoss::Mse, Some(p), Some(t)) => mse_row(None, p, t, inv),
                            _ => self.any_row(None, p, t, inv),
                        };
                    }
                }
            },
        )
    }

    /// One row of [`ReconLoss::row_sums`] in any layout, for either loss.
    fn any_row(
        self,
        mut g: Option<ArrayViewMut1<'_, f32>>,
        p: ArrayView1<'_, f32>,
        t: ArrayView1<'_, f32>,
        inv: f32,
    ) -> f64 {
        let mut acc = [0.0f64; 8];
        for (j, (&p, &t)) in p.iter().zip(&t).enumerate() {
            let grad = match self {
                ReconLoss::Mse => {
                    let d = f64::from(p) - f64::from(t);
                    acc[j % 8] += d * d;
                    2.0 * inv * (p - t)
                }
                ReconLoss::Bce => {
                    acc[j % 8] += bce_logit(f64::from(p), f64::from(t));
                    inv * (super::activation::sigmoid(p) - t)
                }
            };
            if let Some(g) = g.as_mut() {
                g[j] = grad;
            }
        }
        acc.iter().sum::<f64>()
    }
}

/// One contiguous row of squared error: `Σ (p − t)²` in eight lanes (as
/// [`ReconLoss::any_row`] sums it) and, when `g` is given, `g = 2·inv·(p − t)`.
#[inline(always)]
fn mse_row(g: Option<&mut [f32]>, p: &[f32], t: &[f32], inv: f32) -> f64 {
    let mut acc = [0.0f64; 8];
    let (p8, p_rest) = p.as_chunks::<8>();
    let (t8, t_rest) = t.as_chunks::<8>();
    for (p, t) in p8.iter().zip(t8) {
        for k in 0..8 {
            let d = f64::from(p[k]) - f64::from(t[k]);
            acc[k] += d * d;
        }
    }
    for (a, (&p, &t)) in acc.iter_mut().zip(p_rest.iter().zip(t_rest)) {
        let d = f64::from(p) - f64::from(t);
        *a += d * d;
    }
    if let Some(g) = g {
        let scale = 2.0 * inv;
        for ((g, &p), &t) in g.iter_mut().zip(p).zip(t) {
            *g = scale * (p - t);
        }
    }
    acc.iter().sum::<f64>()
}

/// Losses over at least this many entries are computed on two threads.
const SPLIT_ELEMENTS: usize = 1 << 14;

/// One entry of binary cross-entropy from a logit.
#[inline(always)]
fn bce_logit(z: f64, t: f64) -> f64 {
    z.max(0.0) - z * t + (-z.abs()).exp().ln_1p()
}

/// KL(N(μ, σ²) ‖ N(0, 1)) = −½ Σ_features (1 + logσ² − μ² − σ²), mean over rows.
///
/// # Panics
/// If the shapes differ.
pub fn kl_normal(mu: ArrayView2<'_, f32>, logvar: ArrayView2<'_, f32>) -> f64 {
    let mut sum = 0.0f64;
    Zip::from(&mu)
        .and(&logvar)
        .for_each(|&m, &lv| sum += kl_entry(m as f64, lv as f64));
    sum / mu.nrows().max(1) as f64
}

/// [`kl_normal`], and `scale` times its gradients written into `grad_mu` (`μ/n`) and
/// `grad_logvar` (`½(exp(logσ²) − 1)/n`), overwriting them.
///
/// # Panics
/// If the shapes differ.
pub fn kl_normal_and_grad(
    mu: ArrayView2<'_, f32>,
    logvar: ArrayView2<'_, f32>,
    scale: f32,
    grad_mu: ArrayViewMut2<'_, f32>,
    grad_logvar: ArrayViewMut2<'_, f32>,
) -> f64 {
    let n = mu.nrows().max(1) as f64;
    let s = (scale as f64 / n) as f32;
    let mut sum = 0.0f64;
    Zip::from(grad_mu)
        .and(grad_logvar)
        .and(&mu)
        .and(&logvar)
        .for_each(|gm, gl, &m, &lv| {
            let var = lv.exp();
            sum += kl_entry(m as f64, lv as f64);
            *gm = s * m;
            *gl = s * 0.5 * (var - 1.0);
        });
    sum / n
}

#[inline(always)]
fn kl_entry(m: f64, lv: f64) -> f64 {
    -0.5 * (1.0 + lv - m * m - lv.exp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::gradcheck::{assert_grads_close, numeric_array_grad};
    use ndarray::{Array2, array};

    fn pattern(rows: usize, cols: usize, k: usize, lo: f32, hi: f32) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            lo + (hi - lo) * ((i * k + j * 3 + 2) % 11) as f32 / 10.0
        })
    }

    #[test]
    fn known_values() {
        let p = array![[1.0f32, 2.0], [3.0, 4.0]];
        let t = array![[0.0f32, 2.0], [3.0, 2.0]];
        assert_eq!(
            ReconLoss::Mse.value(p.view(), t.view(), Reduction::MeanAll),
            5.0 / 4.0
        );
        assert_eq!(
            ReconLoss::Mse.value(p.view(), t.view(), Reduction::SumFeaturesMeanRows),
            5.0 / 2.0
        );
        // BCE at z = 0 is ln 2 whatever the target; large logits stay finite.
        let z = array![[0.0f32, 0.0]];
        let v = ReconLoss::Bce.value(z.view(), array![[0.0f32, 1.0]].view(), Reduction::MeanAll);
        assert!((v - std::f64::consts::LN_2).abs() < 1e-12);
        let big = array![[1e4f32, -1e4]];
        let v = ReconLoss::Bce.value(big.view(), array![[0.0f32, 1.0]].view(), Reduction::MeanAll);
        assert!((v - 1e4).abs() < 1e-6, "{v}");
        // KL of the prior with itself is 0; μ = 1, logσ² = 0 gives ½ per entry.
        assert_eq!(
            kl_normal(Array2::zeros((3, 2)).view(), Array2::zeros((3, 2)).view()),
            0.0
        );
        assert_eq!(
            kl_normal(Array2::ones((3, 2)).view(), Array2::zeros((3, 2)).view()),
            1.0
        );
    }

    #[test]
    fn gradient_check_reconstruction_losses() {
        let target = pattern(4, 3, 5, 0.0, 1.0);
        for loss in [ReconLoss::Mse, ReconLoss::Bce] {
            for red in [Reduction::MeanAll, Reduction::SumFeaturesMeanRows] {
                let pred = pattern(4, 3, 7, -2.0, 2.0);
                let mut grad = Array2::zeros((4, 3));
                let v = loss.value_and_grad(pred.view(), target.view(), red, grad.view_mut());
                assert_eq!(v, loss.value(pred.view(), target.view(), red));
                let num =
                    numeric_array_grad(&pred, |p| loss.value(p.view(), target.view(), red), 1e-2);
                assert_grads_close(
                    &format!("{loss:?} {red:?}"),
                    &[grad.iter().copied().collect()],
                    &[num],
                );
            }
        }
    }

    #[test]
    fn a_batch_split_over_the_threads_sums_to_the_same_bits() {
        // 64 × 784 (a batch of MNIST) is above SPLIT_ELEMENTS, 3 × 784 below it.
        for rows in [64, 3] {
            let target = pattern(rows, 784, 5, 0.0, 1.0);
            let pred = pattern(rows, 784, 7, -0.5, 1.5);
            for loss in [ReconLoss::Mse, ReconLoss::Bce] {
                let mut grad = Array2::zeros((rows, 784));
                let red = Reduction::SumFeaturesMeanRows;
                let v = loss.value_and_grad(pred.view(), target.view(), red, grad.view_mut());
                let mut one_thread = Array2::zeros((rows, 784));
                let mut sums = vec![0.0; rows];
                let inv = (1.0 / rows as f64) as f32;
                let one = Some(one_thread.view_mut());
                loss.row_sums(pred.view(), target.view(), inv, one, &mut sums);
                let want = sums.iter().fold(0.0, |s, r| s + r) / rows as f64;
                assert_eq!(v.to_bits(), want.to_bits(), "{loss:?} {rows} rows");
                assert_eq!(grad, one_thread);
                let alone = loss.value(pred.view(), target.view(), red);
                assert_eq!(v.to_bits(), alone.to_bits(), "{loss:?} value alone");
            }
        }
    }

    #[test]
    fn contiguous_rows_give_the_bits_of_the_general_path() {
        // 45 columns: five whole chunks of 8 lanes and a remainder of 5. The transposed copy read
        // back transposed has the same values in rows that are not contiguous. Errors from 10⁻³
        // to 10⁶, so that the order of the f64 sums shows in their bits; the value alone too.
        let (rows, cols) = (3, 45);
        let target = pattern(rows, cols, 5, 0.0, 1.0);
        let mut state = 12345u32;
        let pred = Array2::from_shape_fn((rows, cols), |_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let digits = (state >> 8) as f32 / (1u32 << 24) as f32;
            digits * 10f32.powi((state % 10) as i32 - 3)
        });
        let (pred_t, target_t) = (pred.t().to_owned(), target.t().to_owned());
        for loss in [ReconLoss::Mse, ReconLoss::Bce] {
            let red = Reduction::MeanAll;
            let mut fast = Array2::zeros((rows, cols));
            let v = loss.value_and_grad(pred.view(), target.view(), red, fast.view_mut());
            let mut general = Array2::zeros((rows, cols));
            let w = loss.value_and_grad(pred_t.t(), target_t.t(), red, general.view_mut());
            assert_eq!(v.to_bits(), w.to_bits(), "{loss:?}");
            assert_eq!(fast, general, "{loss:?}");
            for value in [
                loss.value(pred.view(), target.view(), red),
                loss.value(pred_t.t(), target_t.t(), red),
            ] {
                assert_eq!(v.to_bits(), value.to_bits(), "{loss:?} value alone");
            }
        }
    }

    #[test]
    fn gradient_check_kl() {
        let mu = pattern(5, 2, 3, -1.5, 1.5);
        let lv = pattern(5, 2, 4, -2.0, 1.0);
        let (mut gm, mut gl) = (Array2::zeros((5, 2)), Array2::zeros((5, 2)));
        let v = kl_normal_and_grad(mu.view(), lv.view(), 0.7, gm.view_mut(), gl.view_mut());
        assert!((v - kl_normal(mu.view(), lv.view())).abs() < 1e-12);
        let num_mu = numeric_array_grad(&mu, |m| 0.7 * kl_normal(m.view(), lv.view()), 1e-2);
        let num_lv = numeric_array_grad(&lv, |l| 0.7 * kl_normal(mu.view(), l.view()), 1e-2);
        assert_grads_close(
            "kl",
            &[gm.iter().copied().collect(), gl.iter().copied().collect()],
            &[num_mu, num_lv],
        );
    }
}
