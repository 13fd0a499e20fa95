//! The networks' matrix products: faer's f32 GEMM (its AVX-512 kernels are chosen at run time)
//! on ndarray views.
//!
//! Measured on the 2-core target against matrixmultiply (threaded) at the shapes we train: for
//! digits-sized products (64 × 64 × 128) faer on one thread takes 4.5 µs against 5.5–8.7 µs; for
//! MNIST-sized ones (256 × 784 × 256) faer on two halves takes 250–290 µs against 350–570 µs.
//! So small products run on the calling thread and large ones are split into two halves of the
//! output (rows, or columns when there are few rows) computed by a pool of two threads. The
//! split depends only on the shapes, so results do not depend on the number of threads.
//!
//! The split runs on [`crate::parallel`], on which the training loop runs each epoch.

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};
use ndarray::{ArrayView2, ArrayViewMut2, Axis};

use crate::parallel::join;

/// Multiply-adds (m·k·n) from which a product is split over two threads.
const PARALLEL_WORK: usize = 1 << 22;

/// `c ← a·b` (`accumulate = false`) or `c ← c + a·b` (`accumulate = true`).
///
/// # Panics
/// If the shapes do not fit (`a` m×k, `b` k×n, `c` m×n).
pub fn gemm(
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    accumulate: bool,
    c: ArrayViewMut2<'_, f32>,
) {
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert!(
        k == k2 && c.dim() == (m, n),
        "GEMM shapes do not fit: {m}×{k} · {k2}×{n} into {:?}",
        c.dim()
    );
    if m.saturating_mul(k).saturating_mul(n) < PARALLEL_WORK {
        product(a, b, accumulate, c);
    } else if m >= n {
        let half = m / 2;
        let (a_top, a_bottom) = a.split_at(Axis(0), half);
        let (c_top, c_bottom) = c.split_at(Axis(0), half);
        join(
            || product(a_top, b, accumulate, c_top),
            || product(a_bottom, b, accumulate, c_bottom),
        );
    } else {
        let half = n / 2;
        let (b_left, b_right) = b.split_at(Axis(1), half);
        let (c_left, c_right) = c.split_at(Axis(1), half);
        join(
            || product(a, b_left, accumulate, c_left),
            || product(a, b_right, accumulate, c_right),
        );
    }
}

/// One product on this thread.
fn product(
    a: ArrayView2<'_, f32>,
    b: ArrayView2<'_, f32>,
    accumulate: bool,
    mut c: ArrayViewMut2<'_, f32>,
) {
    if c.is_empty() {
        return;
    }
    if a.ncols() == 0 {
        if !accumulate {
            c.fill(0.0);
        }
        return;
    }
    let accum = if accumulate {
        Accum::Add
    } else {
        Accum::Replace
    };
    matmul(
        as_faer_mut(c),
        accum,
        as_faer(a),
        as_faer(b),
        1.0f32,
        Par::Seq,
    );
    crate::linalg::after_faer_kernels();
}

/// The same elements as a faer view.
fn as_faer<'a>(a: ArrayView2<'a, f32>) -> MatRef<'a, f32> {
    let (rows, cols) = a.dim();
    let (rs, cs) = (a.strides()[0], a.strides()[1]);
    // SAFETY: an ndarray view guarantees that `ptr + i·rs + j·cs` is a valid, initialised f32
    // for every i < rows, j < cols, for the view's lifetime 'a, and that nothing mutates it
    // meanwhile; faer reads exactly those elements.
    unsafe { MatRef::from_raw_parts(a.as_ptr(), rows, cols, rs, cs) }
}

/// The same elements as a mutable faer view.
fn as_faer_mut<'a>(mut c: ArrayViewMut2<'a, f32>) -> MatMut<'a, f32> {
    let (rows, cols) = c.dim();
    let (rs, cs) = (c.strides()[0], c.strides()[1]);
    // SAFETY: a mutable ndarray view is the only access to its elements for 'a, and every
    // `ptr + i·rs + j·cs` (i < rows, j < cols) is a valid f32; the view is consumed here, so the
    // faer view is the only way left to reach them. Distinct (i, j) are distinct elements,
    // because a mutable view cannot alias itself.
    unsafe { MatMut::from_raw_parts_mut(c.as_mut_ptr(), rows, cols, rs, cs) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, s};

    fn pattern(r: usize, c: usize, seed: usize) -> Array2<f32> {
        Array2::from_shape_fn((r, c), |(i, j)| {
            ((i * 31 + j * 17 + seed) % 23) as f32 / 7.0 - 1.5
        })
    }

    #[test]
    fn matches_ndarray_for_every_layout_and_size() {
        // Small (one thread), tall and wide (split over rows or columns), transposed views
        // and a strided slice.
        for &(m, k, n) in &[
            (3, 4, 5),
            (64, 64, 128),
            (300, 200, 90),
            (40, 300, 500),
            (0, 3, 2),
            (2, 0, 3),
        ] {
            let a = pattern(m, k, 1);
            let b = pattern(k, n, 2);
            let want = a.dot(&b);
            let at = a.t().to_owned();
            let bt = b.t().to_owned();
            let mut c = Array2::<f32>::from_elem((m, n), 7.0);
            gemm(at.t(), bt.t(), false, c.view_mut());
            let close = |c: &Array2<f32>, w: &Array2<f32>| {
                c.iter()
                    .zip(w)
                    .all(|(x, y)| (x - y).abs() <= 1e-3 * (1.0 + y.abs()))
            };
            assert!(close(&c, &want), "{m}×{k}×{n}");
            gemm(a.view(), b.view(), true, c.view_mut());
            assert!(close(&c, &(&want * 2.0)), "{m}×{k}×{n} accumulate");
        }
        let big = pattern(50, 40, 3);
        let a = big.slice(s![..;2, 1..;3]);
        let b = pattern(a.ncols(), 6, 4);
        let mut c = Array2::<f32>::zeros((25, 6));
        gemm(a, b.view(), false, c.view_mut());
        let want = a.dot(&b);
        assert!(c.iter().zip(&want).all(|(x, y)| (x - y).abs() < 1e-4));
    }

    #[test]
    #[should_panic(expected = "GEMM shapes do not fit")]
    fn wrong_shapes_panic() {
        let a = pattern(2, 3, 0);
        let mut c = Array2::<f32>::zeros((2, 2));
        gemm(a.view(), a.view(), false, c.view_mut());
    }
}
