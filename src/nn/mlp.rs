//! A stack of dense layers with the buffers for training on batches of up to `max_batch` rows,
//! plus an allocating, `&self` inference path that works in chunks.

use ndarray::{Array2, ArrayView2, ArrayViewD, ArrayViewMutD, s};
use rand_chacha::ChaCha8Rng;

use super::activation::Activation;
use super::adam::{Params, Step};
use super::dense::Dense;

/// Rows per chunk in [`Mlp::predict`].
const PREDICT_CHUNK: usize = 512;

/// A multi-layer perceptron: `layers[0]` reads the input, the last layer gives the output.
#[derive(Debug, Clone)]
pub struct Mlp {
    /// Never empty (checked in [`Mlp::from_layers`]), so indexing the first and last layer
    /// cannot fail.
    layers: Vec<Dense>,
    /// Rows in the last training forward pass.
    rows: usize,
}

impl Mlp {
    /// An MLP through the widths `sizes = [input, hidden…, output]`, with `hidden` after every
    /// layer but the last and `output` after the last one.
    ///
    /// # Panics
    /// If `sizes` has fewer than two entries.
    pub fn new(
        sizes: &[usize],
        hidden: Activation,
        output: Activation,
        max_batch: usize,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        assert!(
            sizes.len() >= 2,
            "an MLP needs an input and an output width"
        );
        let last = sizes.len() - 2;
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(i, w)| {
                let act = if i == last { output } else { hidden };
                Dense::new(w[0], w[1], act, max_batch, rng)
            })
            .collect();
        Self::from_layers(layers)
    }

    /// An MLP from ready-made layers.
    ///
    /// # Panics
    /// If `layers` is empty, consecutive widths do not match, or the batch buffers differ.
    pub fn from_layers(layers: Vec<Dense>) -> Self {
        assert!(!layers.is_empty(), "an MLP needs at least one layer");
        for pair in layers.windows(2) {
            assert_eq!(pair[0].n_out(), pair[1].n_in(), "layer widths must chain");
            assert_eq!(
                pair[0].max_batch(),
                pair[1].max_batch(),
                "batch buffers must agree"
            );
        }
        Mlp { layers, rows: 0 }
    }

    /// The layers, input side first.
    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }

    /// Input width.
    pub fn input_dim(&self) -> usize {
        self.layers[0].n_in()
    }

    /// Output width.
    pub fn output_dim(&self) -> usize {
        self.layers[self.layers.len() - 1].n_out()
    }

    /// Largest training batch.
    pub fn max_batch(&self) -> usize {
        self.layers[0].max_batch()
    }

    /// Resizes every batch buffer for up to `max_batch` rows (no-op when they already fit).
    pub fn set_max_batch(&mut self, max_batch: usize) {
        self.layers
            .iter_mut()
            .for_each(|l| l.set_max_batch(max_batch));
    }

    /// Number of trainable scalars.
    pub fn n_parameters(&self) -> usize {
        self.layers.iter().map(Dense::n_parameters).sum()
    }

    /// Training forward pass through the preallocated buffers; returns the output rows.
    ///
    /// # Panics
    /// If `x` has more than [`Mlp::max_batch`] rows or the wrong width.
    pub fn forward(&mut self, x: ArrayView2<'_, f32>) -> ArrayView2<'_, f32> {
        let n = x.nrows();
        assert!(
            n <= self.max_batch(),
            "batch of {n} rows exceeds the buffers"
        );
        self.rows = n;
        for i in 0..self.layers.len() {
            let (below, rest) = self.layers.split_at_mut(i);
            let cur = &mut rest[0];
            match below.last() {
                Some(prev) => cur.forward(prev.output(n)),
                None => cur.forward(x),
            }
        }
        self.layers[self.layers.len() - 1].output(n)
    }

    /// The output rows of the last [`Mlp::forward`].
    pub fn output(&self) -> ArrayView2<'_, f32> {
        self.layers[self.layers.len() - 1].output(self.rows)
    }

    /// Training backward pass for the last [`Mlp::forward`], whose input `x` must be passed
    /// again (it is not copied: the first layer's weight gradient reads it): writes every layer's
    /// parameter gradients from `grad_out` (dL/d output) and, when `need_grad_input`, returns
    /// dL/d input.
    ///
    /// # Panics
    /// If `grad_out`'s shape differs from the last forward pass's output.
    pub fn backward(
        &mut self,
        x: ArrayView2<'_, f32>,
        grad_out: ArrayView2<'_, f32>,
        need_grad_input: bool,
    ) -> Option<ArrayView2<'_, f32>> {
        self.backward_and_update(x, grad_out, need_grad_input, None)
    }

    /// [`Mlp::backward`], and with `update = Some((step, first))` each layer's parameters
    /// updated by the optimiser step as soon as the layer has written its gradients and the
    /// gradient of its input (nothing of the step reads them afterwards), while they are still
    /// in the cache; the MLP's tensors are the step's `first..first + n_tensors()`, in
    /// `visit_params` order. The same values as a backward pass followed by the whole step.
    pub fn backward_and_update(
        &mut self,
        x: ArrayView2<'_, f32>,
        grad_out: ArrayView2<'_, f32>,
        need_grad_input: bool,
        mut update: Option<(&mut Step<'_>, usize)>,
    ) -> Option<ArrayView2<'_, f32>> {
        let n = self.rows;
        assert_eq!(grad_out.dim(), (n, self.output_dim()), "gradient shape");
        assert_eq!(x.dim(), (n, self.input_dim()), "input shape");
        for i in (0..self.layers.len()).rev() {
            let (below, rest) = self.layers.split_at_mut(i);
            let (cur, above) = rest.split_at_mut(1);
            let x = match below.last() {
                Some(prev) => prev.output(n),
                None => x,
            };
            let g = match above.first() {
                Some(next) => next.grad_input(n),
                None => grad_out.view(),
            };
            cur[0].backward(x, g, i > 0 || need_grad_input);
            if let Some((step, first)) = update.as_mut() {
                let mut k = *first + i * Dense::TENSORS;
                cur[0].visit_params(&mut |p, g| {
                    step.update(k, p, g);
                    k += 1;
                });
            }
        }
        need_grad_input.then(|| self.layers[0].grad_input(n))
    }

    /// Number of parameter tensors (`visit_params` calls).
    pub fn n_tensors(&self) -> usize {
        self.layers.len() * Dense::TENSORS
    }

    /// Inference on any number of rows, in chunks, without touching the training buffers.
    ///
    /// # Panics
    /// If `x` has the wrong width.
    pub fn predict(&self, x: ArrayView2<'_, f32>) -> Array2<f32> {
        let n = x.nrows();
        let mut out = Array2::zeros((n, self.output_dim()));
        let width = self.layers.iter().map(Dense::n_out).max().unwrap_or(0);
        let chunk = PREDICT_CHUNK.min(n).max(1);
        let mut a = Array2::zeros((chunk, width));
        let mut b = Array2::zeros((chunk, width));
        let last = self.layers.len() - 1;
        for start in (0..n).step_by(chunk) {
            let end = (start + chunk).min(n);
            let r = end - start;
            let xc = x.slice(s![start..end, ..]);
            for (i, layer) in self.layers.iter().enumerate() {
                let src = if i == 0 {
                    xc.view()
                } else {
                    a.slice(s![..r, ..layer.n_in()])
                };
                if i == last {
                    layer.forward_into(src, out.slice_mut(s![start..end, ..]));
                } else {
                    layer.forward_into(src, b.slice_mut(s![..r, ..layer.n_out()]));
                    std::mem::swap(&mut a, &mut b);
                }
            }
        }
        out
    }
}

impl Params for Mlp {
    fn visit_params(&mut self, f: &mut dyn FnMut(ArrayViewMutD<'_, f32>, ArrayViewD<'_, f32>)) {
        for layer in &mut self.layers {
            layer.visit_params(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::gradcheck::{
        assert_grads_close, numeric_array_grad, numeric_param_grads, snapshot_grads, step_for,
    };
    use rand::SeedableRng;

    fn data(rows: usize, cols: usize, k: usize) -> Array2<f32> {
        Array2::from_shape_fn((rows, cols), |(i, j)| {
            ((i * k + j * 5 + 1) % 13) as f32 / 6.0 - 1.0
        })
    }

    fn weighted_sum(y: &Array2<f32>, c: &Array2<f32>) -> f64 {
        y.iter()
            .zip(c.iter())
            .map(|(&a, &b)| a as f64 * b as f64)
            .sum()
    }

    #[test]
    fn gradient_check_two_hidden_layers() {
        for (hidden, output) in [
            (Activation::Tanh, Activation::Linear),
            (Activation::Relu, Activation::Sigmoid),
            (Activation::Sigmoid, Activation::Tanh),
        ] {
            let mut rng = ChaCha8Rng::seed_from_u64(5);
            let mut mlp = Mlp::new(&[3, 5, 4, 2], hidden, output, 8, &mut rng);
            let x = data(6, 3, 7);
            let c = data(6, 2, 3);
            mlp.forward(x.view());
            let dx = mlp.backward(x.view(), c.view(), true).unwrap().to_owned();
            let analytic = snapshot_grads(&mut mlp);
            let name = format!("mlp {hidden}/{output}");
            let h = step_for(hidden);
            let numeric =
                numeric_param_grads(&mut mlp, |m| weighted_sum(&m.predict(x.view()), &c), h);
            assert_grads_close(&format!("{name} params"), &analytic, &numeric);
            let num_dx = numeric_array_grad(&x, |xp| weighted_sum(&mlp.predict(xp.view()), &c), h);
            assert_grads_close(
                &format!("{name} input"),
                &[dx.iter().copied().collect()],
                &[num_dx],
            );
        }
    }

    #[test]
    fn predict_matches_training_forward_across_chunks() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let mut mlp = Mlp::new(
            &[4, 6, 3],
            Activation::Relu,
            Activation::Linear,
            1200,
            &mut rng,
        );
        let x = data(1100, 4, 3);
        let trained = mlp.forward(x.view()).to_owned();
        let predicted = mlp.predict(x.view());
        assert_eq!(predicted.dim(), (1100, 3));
        let max_diff = trained
            .iter()
            .zip(predicted.iter())
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        assert!(max_diff < 1e-5, "{max_diff}");
        assert_eq!(mlp.predict(x.slice(s![..0, ..])).dim(), (0, 3));
    }

    #[test]
    fn backward_without_input_gradient_and_counts() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut mlp = Mlp::new(
            &[3, 4, 2],
            Activation::Tanh,
            Activation::Linear,
            4,
            &mut rng,
        );
        assert_eq!(mlp.n_parameters(), 3 * 4 + 4 + 4 * 2 + 2);
        assert_eq!(
            (mlp.input_dim(), mlp.output_dim(), mlp.max_batch()),
            (3, 2, 4)
        );
        let x = data(2, 3, 1);
        mlp.forward(x.view());
        assert!(
            mlp.backward(x.view(), data(2, 2, 2).view(), false)
                .is_none()
        );
    }
}
