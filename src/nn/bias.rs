//! The elementwise passes of a dense layer around its products: `act(x·W + b)` forward, and
//! `dz = dL/dy ⊙ act'(y)` with the bias gradient `Σ_rows dz` backward. Large ones are split over
//! the two threads by halves that depend on the shape alone, so one thread or two give the same
//! bits.

use std::cell::RefCell;

use ndarray::{ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2, Axis, Zip};

use super::activation::Activation;
use crate::parallel::join;
use crate::widest::widest;

/// `out ← act(out + b)` row by row, in one pass; the match is outside the loop so each
/// activation gets its own vectorisable loop. Large outputs are done in two halves of rows on
/// the two threads.
pub(super) fn bias_act(out: ArrayViewMut2<'_, f32>, b: ArrayView1<'_, f32>, act: Activation) {
    if out.len() >= SPLIT_ELEMENTS && out.nrows() >= 2 {
        let half = out.nrows() / 2;
        let (top, bottom) = out.split_at(Axis(0), half);
        join(|| bias_act(top, b, act), || bias_act(bottom, b, act));
        return;
    }
    match act {
        Activation::Relu => bias_map(out, b, super::activation::relu),
        Activation::Tanh => bias_map(out, b, f32::tanh),
        Activation::Sigmoid => bias_map(out, b, super::activation::sigmoid),
        Activation::Linear => bias_map(out, b, |v| v),
    }
}

/// Outputs of at least this many values get their bias and activation on two threads.
const SPLIT_ELEMENTS: usize = 1 << 14;

/// `out ← f(out + b)` row by row, compiled for the CPU's widest vectors (elementwise, so the
/// same bits at every width).
#[inline(always)]
fn bias_map(mut out: ArrayViewMut2<'_, f32>, b: ArrayView1<'_, f32>, f: impl Fn(f32) -> f32) {
    widest(
        #[inline(always)]
        || {
            for mut row in out.rows_mut() {
                match (row.as_slice_mut(), b.as_slice()) {
                    (Some(row), Some(b)) => {
                        for (y, &bi) in row.iter_mut().zip(b) {
                            *y = f(*y + bi);
                        }
                    }
                    _ => Zip::from(&mut row)
                        .and(&b)
                        .for_each(|y, &bi| *y = f(*y + bi)),
                }
            }
        },
    )
}

/// `dz ← g ⊙ act'(y)` and `gb += Σ_rows dz`; with `dz = None` only the sums (a linear layer's
/// dz is g itself: its caller reads g instead of a copy).
///
/// Large gradients are done in two halves of rows on the two threads, and `gb` is the sum of
/// the top half's column sums and the bottom half's, each summed row by row: the same bits on
/// one thread or two (the halves depend on the shape alone). Halves of rows, not of columns:
/// the products on either side of this pass split their rows the same way, so each thread reads
/// mostly what it wrote itself; with halves of columns, half of every row came from the other
/// core's cache, and this pass took 7.9 % of a 70000×784 autoencoder epoch's samples; the
/// epoch was 4–5 % slower (medians 741–762 against 709–728 ms, the VAE's 765–777 against
/// 723–728, alternating the binaries on an Intel Xeon).
pub(super) fn dz_and_bias_grad(
    dz: Option<ArrayViewMut2<'_, f32>>,
    g: ArrayView2<'_, f32>,
    y: ArrayView2<'_, f32>,
    mut gb: ArrayViewMut1<'_, f32>,
    act: Activation,
) {
    if g.len() < SPLIT_ELEMENTS || g.nrows() < 2 {
        return one_pass(dz, g, y, gb, act);
    }
    let half = g.nrows() / 2;
    let (dz_top, dz_bottom) = match dz {
        Some(dz) => {
            let (top, bottom) = dz.split_at(Axis(0), half);
            (Some(top), Some(bottom))
        }
        None => (None, None),
    };
    let (g_top, g_bottom) = g.split_at(Axis(0), half);
    let (y_top, y_bottom) = y.split_at(Axis(0), half);
    let with_sums = |bottom_sums: &mut [f32]| {
        bottom_sums.fill(0.0);
        let bottom_gb = ArrayViewMut1::from(&mut *bottom_sums);
        join(
            || one_pass(dz_top, g_top, y_top, gb.view_mut(), act),
            || one_pass(dz_bottom, g_bottom, y_bottom, bottom_gb, act),
        );
        Zip::from(&mut gb)
            .and(&*bottom_sums)
            .for_each(|gb, &b| *gb += b);
    };
    BOTTOM_SUMS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut sums) => {
            sums.resize(g.ncols(), 0.0);
            with_sums(&mut sums)
        }
        // Already borrowed (a split pass inside another on this thread, which the layers never
        // start): room of its own.
        Err(_) => with_sums(&mut vec![0.0; g.ncols()]),
    });
}

thread_local! {
    /// Room for the column sums of the bottom half of a split [`dz_and_bias_grad`], kept
    /// between batches so that training allocates nothing per batch.
    static BOTTOM_SUMS: RefCell<Vec<f32>> = const { RefCell::new(Vec::new()) };
}

/// [`dz_and_bias_grad`] on this thread, in one pass.
fn one_pass(
    dz: Option<ArrayViewMut2<'_, f32>>,
    g: ArrayView2<'_, f32>,
    y: ArrayView2<'_, f32>,
    gb: ArrayViewMut1<'_, f32>,
    act: Activation,
) {
    match act {
        Activation::Relu => grad_bias(dz, g, y, gb, |y| Activation::Relu.derivative_from_output(y)),
        Activation::Tanh => grad_bias(dz, g, y, gb, |y| Activation::Tanh.derivative_from_output(y)),
        Activation::Sigmoid => grad_bias(dz, g, y, gb, |y| {
            Activation::Sigmoid.derivative_from_output(y)
        }),
        Activation::Linear => grad_bias(dz, g, y, gb, |_| 1.0),
    }
}

/// `dz ← g ⊙ df(y)` and `gb += Σ_rows dz`, row by row, compiled for the CPU's widest vectors
/// (each column's sum still goes row by row, so the same bits at every width).
#[inline(always)]
fn grad_bias(
    dz: Option<ArrayViewMut2<'_, f32>>,
    g: ArrayView2<'_, f32>,
    y: ArrayView2<'_, f32>,
    mut gb: ArrayViewMut1<'_, f32>,
    df: impl Fn(f32) -> f32,
) {
    let Some(mut dz) = dz else {
        return bias_sums(g, y, gb, df);
    };
    let entry = |dz: &mut f32, g: f32, y: f32, gb: &mut f32| {
        let d = g * df(y);
        *dz = d;
        *gb += d;
    };
    widest(
        #[inline(always)]
        || {
            for ((mut dz_row, g_row), y_row) in
                dz.rows_mut().into_iter().zip(g.rows()).zip(y.rows())
            {
                match (
                    dz_row.as_slice_mut(),
                    g_row.as_slice(),
                    y_row.as_slice(),
                    gb.as_slice_mut(),
                ) {
                    (Some(dz), Some(g), Some(y), Some(gb)) => {
                        for (((dz, &g), &y), gb) in dz.iter_mut().zip(g).zip(y).zip(gb.iter_mut()) {
                            entry(dz, g, y, gb);
                        }
                    }
                    _ => Zip::from(&mut dz_row)
                        .and(&g_row)
                        .and(&y_row)
                        .and(&mut gb)
                        .for_each(|dz, &g, &y, gb| entry(dz, g, y, gb)),
                }
            }
        },
    )
}

/// [`grad_bias`] without storing dz: `gb += Σ_rows g ⊙ df(y)`, the same sums.
#[inline(always)]
fn bias_sums(
    g: ArrayView2<'_, f32>,
    y: ArrayView2<'_, f32>,
    mut gb: ArrayViewMut1<'_, f32>,
    df: impl Fn(f32) -> f32,
) {
    widest(
        #[inline(always)]
        || {
            for (g_row, y_row) in g.rows().into_iter().zip(y.rows()) {
                match (g_row.as_slice(), y_row.as_slice(), gb.as_slice_mut()) {
                    (Some(g), Some(y), Some(gb)) => {
                        for ((&g, &y), gb) in g.iter().zip(y).zip(gb.iter_mut()) {
                            *gb += g * df(y);
                        }
                    }
                    _ => Zip::from(&g_row)
                        .and(&y_row)
                        .and(&mut gb)
                        .for_each(|&g, &y, gb| *gb += g * df(y)),
                }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn split_gradients_equal_the_one_pass_definition() {
        // 64 × 784 and 40 × 500 are split by rows (the output layer of MNIST at batch 64); 3 × 5
        // is not.
        for (rows, cols) in [(64, 784), (3, 5), (40, 500)] {
            let g =
                Array2::from_shape_fn((rows, cols), |(i, j)| ((i * 7 + j * 3) % 11) as f32 - 5.0);
            let y = Array2::from_shape_fn((rows, cols), |(i, j)| ((i + 2 * j) % 5) as f32 / 5.0);
            for act in Activation::ALL {
                let mut dz = Array2::<f32>::zeros((rows, cols));
                let mut gb = ndarray::Array1::<f32>::zeros(cols);
                dz_and_bias_grad(Some(dz.view_mut()), g.view(), y.view(), gb.view_mut(), act);
                let mut sums_only = ndarray::Array1::<f32>::zeros(cols);
                dz_and_bias_grad(None, g.view(), y.view(), sums_only.view_mut(), act);
                let bits = |v: &ndarray::Array1<f32>| v.mapv(f32::to_bits);
                assert_eq!(bits(&gb), bits(&sums_only), "{act}: the sums without dz");
                let half = if rows * cols >= SPLIT_ELEMENTS {
                    rows / 2
                } else {
                    rows
                };
                for j in 0..cols {
                    let (mut top, mut bottom) = (0.0f32, 0.0f32);
                    for i in 0..rows {
                        let want = g[[i, j]] * act.derivative_from_output(y[[i, j]]);
                        assert_eq!(dz[[i, j]].to_bits(), want.to_bits(), "{act} ({i}, {j})");
                        if i < half {
                            top += want;
                        } else {
                            bottom += want;
                        }
                    }
                    let sum = if half < rows { top + bottom } else { top };
                    assert_eq!(gb[j].to_bits(), sum.to_bits(), "{act} bias {j} of {cols}");
                }
            }
        }
    }
}
