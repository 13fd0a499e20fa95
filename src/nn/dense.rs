//! A fully connected layer `y = act(x·W + b)` with `W` stored `in × out`, and its preallocated
//! training buffers (sized for the largest batch; smaller batches use the leading rows).
//!
//! All matrix products go through [`crate::gemm::gemm`] into existing buffers, so
//! the training loop allocates nothing per batch.

use ndarray::{
    Array1, Array2, ArrayView1, ArrayView2, ArrayViewD, ArrayViewMut2, ArrayViewMutD, s,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};

use super::activation::Activation;
use super::adam::Params;
use super::bias::{bias_act, dz_and_bias_grad};
use crate::gemm::{gemm, gemm_pair};

/// Rows of a layer's dz buffer: none for a linear layer, whose dz is its output gradient.
fn dz_rows(act: Activation, max_batch: usize) -> usize {
    if act == Activation::Linear {
        0
    } else {
        max_batch
    }
}

/// A dense layer with its parameters, gradients and batch buffers.
#[derive(Debug, Clone)]
pub struct Dense {
    /// Weights, `in × out`.
    pub(crate) w: Array2<f32>,
    /// Bias, `out`.
    pub(crate) b: Array1<f32>,
    /// dL/dW of the last backward pass.
    pub(crate) gw: Array2<f32>,
    /// dL/db of the last backward pass.
    pub(crate) gb: Array1<f32>,
    act: Activation,
    /// Outputs of the last training forward pass, `max_batch × out`.
    out: Array2<f32>,
    /// dL/d(pre-activation) of the last backward pass, `max_batch × out` (no rows in a linear
    /// layer, whose dz is its output gradient).
    dz: Array2<f32>,
    /// dL/d(input) of the last backward pass, `max_batch × in`.
    dx: Array2<f32>,
}

/// He (Kaiming) normal initialisation, `N(0, 2 / fan_in)`: the usual choice in front of a ReLU.
pub fn he_normal(n_in: usize, n_out: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
    let std = (2.0 / n_in.max(1) as f64).sqrt() as f32;
    match Normal::new(0.0f32, std) {
        Ok(dist) => Array2::from_shape_simple_fn((n_in, n_out), || dist.sample(rng)),
        // Only reachable for a non-finite std, which `max(1)` above rules out.
        Err(_) => Array2::zeros((n_in, n_out)),
    }
}

/// Xavier/Glorot uniform initialisation, `U(±sqrt(6 / (fan_in + fan_out)))`.
pub fn glorot_uniform(n_in: usize, n_out: usize, rng: &mut ChaCha8Rng) -> Array2<f32> {
    let limit = (6.0 / (n_in + n_out).max(1) as f64).sqrt() as f32;
    match Uniform::new_inclusive(-limit, limit) {
        Ok(dist) => Array2::from_shape_simple_fn((n_in, n_out), || rng.sample(dist)),
        // Only reachable for a non-finite limit, which `max(1)` above rules out.
        Err(_) => Array2::zeros((n_in, n_out)),
    }
}

impl Dense {
    /// A new layer with He init for ReLU and Glorot uniform otherwise, zero bias, and buffers for
    /// batches of up to `max_batch` rows.
    pub fn new(
        n_in: usize,
        n_out: usize,
        act: Activation,
        max_batch: usize,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let w = match act {
            Activation::Relu => he_normal(n_in, n_out, rng),
            _ => glorot_uniform(n_in, n_out, rng),
        };
        Self::from_params(w, Array1::zeros(n_out), act, max_batch)
    }

    /// A layer with the given weights (`in × out`) and bias (`out`).
    ///
    /// # Panics
    /// If `b.len() != w.ncols()`.
    pub fn from_params(w: Array2<f32>, b: Array1<f32>, act: Activation, max_batch: usize) -> Self {
        let (n_in, n_out) = w.dim();
        assert_eq!(
            b.len(),
            n_out,
            "bias length must equal the layer's output width"
        );
        // Row-major storage, whatever the caller built (`concatenate!` may not give it).
        let w = if w.is_standard_layout() {
            w
        } else {
            w.as_standard_layout().into_owned()
        };
        Dense {
            gw: Array2::zeros((n_in, n_out)),
            gb: Array1::zeros(n_out),
            w,
            b,
            act,
            out: Array2::zeros((max_batch, n_out)),
            dz: Array2::zeros((dz_rows(act, max_batch), n_out)),
            dx: Array2::zeros((max_batch, n_in)),
        }
    }

    /// Input width.
    pub fn n_in(&self) -> usize {
        self.w.nrows()
    }

    /// Output width.
    pub fn n_out(&self) -> usize {
        self.w.ncols()
    }

    /// The activation.
    pub fn activation(&self) -> Activation {
        self.act
    }

    /// Largest batch the training buffers hold.
    pub fn max_batch(&self) -> usize {
        self.out.nrows()
    }

    /// Resizes the batch buffers for up to `max_batch` rows; a no-op when they already fit
    /// exactly.
    pub fn set_max_batch(&mut self, max_batch: usize) {
        if self.out.nrows() != max_batch {
            let (n_in, n_out) = self.w.dim();
            self.out = Array2::zeros((max_batch, n_out));
            self.dz = Array2::zeros((dz_rows(self.act, max_batch), n_out));
            self.dx = Array2::zeros((max_batch, n_in));
        }
    }

    /// Number of trainable scalars.
    pub fn n_parameters(&self) -> usize {
        self.w.len() + self.b.len()
    }

    /// Weights, `in × out`.
    pub fn weights(&self) -> ArrayView2<'_, f32> {
        self.w.view()
    }

    /// Bias.
    pub fn bias(&self) -> ArrayView1<'_, f32> {
        self.b.view()
    }

    /// Inference: `out ← act(x·W + b)` into a caller-owned buffer (needs no `&mut self`).
    ///
    /// # Panics
    /// If the shapes do not fit.
    pub fn forward_into(&self, x: ArrayView2<'_, f32>, mut out: ArrayViewMut2<'_, f32>) {
        gemm(x, self.w.view(), false, out.view_mut());
        bias_act(out, self.b.view(), self.act);
    }

    /// Training forward pass into the layer's own buffer; read it with [`Dense::output`].
    ///
    /// # Panics
    /// If `x` has more rows than the buffers hold or the wrong width.
    pub fn forward(&mut self, x: ArrayView2<'_, f32>) {
        let n = x.nrows();
        assert!(
            n <= self.max_batch(),
            "batch of {n} rows exceeds the layer's buffers"
        );
        let mut out = self.out.slice_mut(s![..n, ..]);
        gemm(x, self.w.view(), false, out.view_mut());
        bias_act(out, self.b.view(), self.act);
    }

    /// The first `n` rows of the last training forward pass.
    pub fn output(&self, n: usize) -> ArrayView2<'_, f32> {
        self.out.slice(s![..n, ..])
    }

    /// The first `n` rows of dL/d(input) from the last backward pass with `need_dx`.
    pub fn grad_input(&self, n: usize) -> ArrayView2<'_, f32> {
        self.dx.slice(s![..n, ..])
    }

    /// Training backward pass. `x` is the input of the last [`Dense::forward`] and `grad_out` is
    /// dL/dy for its rows. Writes dL/dW and dL/db into the gradient buffers (each layer is used
    /// once per step, so nothing needs adding up: no zeroing pass over them) and, when
    /// `need_dx`, dL/dx into the buffer read by [`Dense::grad_input`].
    ///
    /// # Panics
    /// If the shapes do not match the last forward pass.
    pub fn backward(
        &mut self,
        x: ArrayView2<'_, f32>,
        grad_out: ArrayView2<'_, f32>,
        need_dx: bool,
    ) {
        let n = x.nrows();
        assert_eq!(
            grad_out.dim(),
            (n, self.n_out()),
            "gradient shape must match the output"
        );
        let y = self.out.slice(s![..n, ..]);
        // One pass: dz = dL/dy ⊙ f'(y), and db = Σ_rows dz; one loop per activation. A linear
        // layer's dz is dL/dy itself (·1, exact): the products read it where it is.
        self.gb.fill(0.0);
        let dz = if self.act == Activation::Linear {
            dz_and_bias_grad(None, grad_out, y, self.gb.view_mut(), self.act);
            grad_out
        } else {
            let dz = self.dz.slice_mut(s![..n, ..]);
            dz_and_bias_grad(Some(dz), grad_out, y, self.gb.view_mut(), self.act);
            self.dz.slice(s![..n, ..])
        };
        if need_dx {
            let dx = self.dx.slice_mut(s![..n, ..]);
            gemm_pair((x.t(), dz, self.gw.view_mut()), (dz, self.w.t(), dx));
        } else {
            gemm(x.t(), dz, false, self.gw.view_mut());
        }
    }
}

impl Dense {
    /// Parameter tensors a layer visits: its weights and its bias.
    pub const TENSORS: usize = 2;
}

impl Params for Dense {
    fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>)) {
        f(self.w.view_mut().into_dyn(), self.gw.view().into_dyn());
        f(self.b.view_mut().into_dyn(), self.gb.view().into_dyn());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::gradcheck::{
        assert_grads_close, numeric_array_grad, numeric_param_grads, snapshot_grads, step_for,
    };
    use rand::SeedableRng;

    fn weighted_sum(y: ArrayView2<'_, f32>, c: &Array2<f32>) -> f64 {
        y.iter()
            .zip(c.iter())
            .map(|(&a, &b)| a as f64 * b as f64)
            .sum()
    }

    #[test]
    fn init_is_seeded_and_scaled() {
        let mut r1 = ChaCha8Rng::seed_from_u64(1);
        let mut r2 = ChaCha8Rng::seed_from_u64(1);
        assert_eq!(
            glorot_uniform(50, 30, &mut r1),
            glorot_uniform(50, 30, &mut r2)
        );
        let w = glorot_uniform(50, 30, &mut r1);
        let lim = (6.0f32 / 80.0).sqrt();
        assert!(w.iter().all(|v| v.abs() <= lim));
        let h = he_normal(400, 100, &mut r1);
        let var = h.iter().map(|v| (v * v) as f64).sum::<f64>() / h.len() as f64;
        assert!((var - 2.0 / 400.0).abs() < 0.1 * 2.0 / 400.0, "{var}");
    }

    #[test]
    fn forward_matches_definition_and_inference_path() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut layer = Dense::new(3, 2, Activation::Tanh, 8, &mut rng);
        layer.b = ndarray::array![0.1, -0.2];
        let x = ndarray::array![[1.0f32, 2.0, -1.0], [0.5, 0.0, 0.25]];
        layer.forward(x.view());
        let want = (x.dot(&layer.w) + &layer.b).mapv(f32::tanh);
        let got = layer.output(2).to_owned();
        assert!(
            got.iter()
                .zip(want.iter())
                .all(|(a, b)| (a - b).abs() < 1e-6)
        );
        let mut out = Array2::zeros((2, 2));
        layer.forward_into(x.view(), out.view_mut());
        assert_eq!(out, got);
    }

    #[test]
    fn gradient_check_each_activation() {
        for act in Activation::ALL {
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            let mut layer = Dense::new(4, 3, act, 6, &mut rng);
            layer.b = ndarray::array![0.05, -0.1, 0.2];
            let x =
                Array2::from_shape_fn((5, 4), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 5.0 - 1.0);
            let c =
                Array2::from_shape_fn((5, 3), |(i, j)| ((i * 5 + j * 2) % 7) as f32 / 3.0 - 1.0);

            layer.forward(x.view());
            layer.backward(x.view(), c.view(), true);
            let analytic = snapshot_grads(&mut layer);
            let dx = layer.grad_input(5).to_owned();

            let loss = |l: &Dense, x: &Array2<f32>| {
                let mut y = Array2::zeros((x.nrows(), l.n_out()));
                l.forward_into(x.view(), y.view_mut());
                weighted_sum(y.view(), &c)
            };
            let numeric = numeric_param_grads(&mut layer, |l| loss(l, &x), step_for(act));
            assert_grads_close(&format!("dense {act} params"), &analytic, &numeric);
            let num_dx = numeric_array_grad(&x, |xp| loss(&layer, xp), step_for(act));
            assert_grads_close(
                &format!("dense {act} input"),
                &[dx.iter().copied().collect()],
                &[num_dx],
            );
        }
    }

    #[test]
    fn backward_writes_the_gradients_of_its_own_batch() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let mut layer = Dense::new(2, 2, Activation::Linear, 4, &mut rng);
        let x = ndarray::array![[1.0f32, 2.0]];
        let g = ndarray::array![[1.0f32, -1.0]];
        layer.gw.fill(7.0);
        layer.gb.fill(7.0);
        layer.forward(x.view());
        layer.backward(x.view(), g.view(), false);
        layer.backward(x.view(), g.view(), false);
        assert_eq!(layer.gb, ndarray::array![1.0, -1.0]);
        assert_eq!(layer.gw, ndarray::array![[1.0, -1.0], [2.0, -2.0]]);
    }
}
