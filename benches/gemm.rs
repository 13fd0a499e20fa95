//! The f32 products of training and PCA, shape by shape, in FLOP/s (criterion's "elem/s" here
//! count floating-point operations, 2·m·k·n): our kernel (`crate::gemm`) against faer and
//! matrixmultiply on the same two threads' worth of cores.
//!
//! Shapes: the digits network at batch 64 (64-128-64-2), the default network at batch 64 (784-128-64-2 on MNIST) and the benchmark network at
//! batch 256 (784-256-128-2), forward (`x·W`), weight gradient (`xᵀ·dz`) and input gradient
//! (`dz·Wᵀ`); and one block of PCA's covariance (8192 rows of 784 features, lower triangle).
//!
//! `images`: the first layer of the benchmark network (784 → 256, batch 256) on a batch of
//! `mnist-like` images (63 % of pixels exactly 0): forward and weight gradient, where our
//! product leaves out the steps at which a panel of A is all zero, or runs over A's non-zero
//! elements alone; the decoder's last layer (256 → 784) on a ReLU layer's output (43 % of it
//! non-zero, scattered); and PCA's covariance block on 8192 such rows.
//! `cargo bench --bench gemm`

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};
use latent_compare::gemm::{gemm, gemm_lower};
use ndarray::{Array2, ArrayView2, ArrayViewMut2};

fn pattern(r: usize, c: usize, seed: usize) -> Array2<f32> {
    Array2::from_shape_fn((r, c), |(i, j)| {
        ((i * 31 + j * 17 + seed) % 23) as f32 / 23.0 - 0.5
    })
}

/// How the operands are laid out in training.
#[derive(Clone, Copy)]
enum Layout {
    /// `x·W`: both row-major.
    Forward,
    /// `xᵀ·dz`: A is a transposed row-major matrix.
    WeightGrad,
    /// `dz·Wᵀ`: B is a transposed row-major matrix.
    InputGrad,
}

fn faer_product(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>, mut c: ArrayViewMut2<'_, f32>) {
    use faer::{Accum, MatMut, MatRef, Par};
    let (m, n) = c.dim();
    // SAFETY: the views' pointers and strides describe valid elements for their lifetimes.
    let (a, b, c) = unsafe {
        (
            MatRef::from_raw_parts(
                a.as_ptr(),
                a.nrows(),
                a.ncols(),
                a.strides()[0],
                a.strides()[1],
            ),
            MatRef::from_raw_parts(
                b.as_ptr(),
                b.nrows(),
                b.ncols(),
                b.strides()[0],
                b.strides()[1],
            ),
            MatMut::from_raw_parts_mut(c.as_mut_ptr(), m, n, c.strides()[0], c.strides()[1]),
        )
    };
    faer::linalg::matmul::matmul(c, Accum::Replace, a, b, 1.0f32, Par::Seq);
}

fn bench_shapes(c: &mut Criterion) {
    let shapes: &[(&str, usize, usize, usize, Layout)] = &[
        ("digits_fwd_64x64x128", 64, 64, 128, Layout::Forward),
        ("digits_dw_64x64x128", 64, 64, 128, Layout::WeightGrad),
        ("digits_dx_64x128x64", 64, 128, 64, Layout::InputGrad),
        ("b64_fwd_64x784x128", 64, 784, 128, Layout::Forward),
        ("b64_fwd_64x128x784", 64, 128, 784, Layout::Forward),
        ("b64_dw_784x64x128", 784, 64, 128, Layout::WeightGrad),
        ("b64_dw_128x64x784", 128, 64, 784, Layout::WeightGrad),
        ("b64_dx_64x784x128", 64, 784, 128, Layout::InputGrad),
        ("b256_fwd_256x784x256", 256, 784, 256, Layout::Forward),
        ("b256_fwd_256x256x784", 256, 256, 784, Layout::Forward),
        ("b256_dw_784x256x256", 784, 256, 256, Layout::WeightGrad),
        ("b256_dw_256x256x784", 256, 256, 784, Layout::WeightGrad),
        ("b256_dx_256x784x256", 256, 784, 256, Layout::InputGrad),
    ];
    let mut group = c.benchmark_group("gemm");
    group.sample_size(30);
    for &(name, m, k, n, layout) in shapes {
        let (a, b) = match layout {
            Layout::Forward => (pattern(m, k, 1), pattern(k, n, 2)),
            Layout::WeightGrad => (pattern(k, m, 1).reversed_axes(), pattern(k, n, 2)),
            Layout::InputGrad => (pattern(m, k, 1), pattern(n, k, 2).reversed_axes()),
        };
        let mut out = Array2::<f32>::zeros((m, n));
        group.throughput(Throughput::Elements((2 * m * k * n) as u64));
        group.bench_function(format!("{name}/ours"), |bch| {
            bch.iter(|| gemm(a.view(), b.view(), false, black_box(out.view_mut())))
        });
        group.bench_function(format!("{name}/faer"), |bch| {
            bch.iter(|| faer_product(a.view(), b.view(), black_box(out.view_mut())))
        });
        group.bench_function(format!("{name}/matrixmultiply"), |bch| {
            bch.iter(|| {
                ndarray::linalg::general_mat_mul(1.0, &a.view(), &b.view(), 0.0, &mut out);
                black_box(&out);
            })
        });
    }
    // One block of the covariance: xᵀx for 8192 rows of 784, lower triangle (half the FLOPs).
    gram_lower(
        &mut group,
        "gram_lower_784x8192/ours",
        &pattern(8192, 784, 3),
    );
    group.finish();
}

/// PCA's covariance block `xᵀx` (lower triangle), the rows' halves on the two threads as PCA
/// computes it.
fn gram_lower(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, x: &Array2<f32>) {
    let (rows, d) = x.dim();
    let mut cov = Array2::<f32>::zeros((d, d));
    group.throughput(Throughput::Elements((d * (d + 1) * rows) as u64));
    group.bench_function(name, |bch| {
        bch.iter(|| {
            let (top, bottom) = x.view().split_at(ndarray::Axis(0), rows / 2);
            let mut other = Array2::<f32>::zeros((d, d));
            latent_compare::parallel::join(
                || gemm_lower(top.t(), top, cov.view_mut()),
                || gemm_lower(bottom.t(), bottom, other.view_mut()),
            );
            black_box((&cov, &other));
        })
    });
}

fn bench_images(c: &mut Criterion) {
    let digits = latent_compare::data::load_builtin("digits").expect("built-in");
    let images = latent_compare::data::mnist_like::mnist_like(&digits, 8192, 7).records / 255.0;
    let x = images.slice(ndarray::s![..256, ..]).to_owned();
    let (m, k, n) = (256, 784, 256);
    let (w, dz) = (pattern(k, n, 2), pattern(m, n, 4));
    let mut out = Array2::<f32>::zeros((m, n));
    let mut gw = Array2::<f32>::zeros((k, n));
    let mut group = c.benchmark_group("images");
    group.sample_size(30);
    group.throughput(Throughput::Elements((2 * m * k * n) as u64));
    group.bench_function("fwd_256x784x256", |bch| {
        bch.iter(|| gemm(x.view(), w.view(), false, black_box(out.view_mut())))
    });
    group.bench_function("dw_784x256x256", |bch| {
        bch.iter(|| gemm(x.t(), dz.view(), false, black_box(gw.view_mut())))
    });
    // The decoder's last layer (256 → 784) on a ReLU layer's output (45 % non-zero).
    let relu = pattern(m, n, 5).mapv(|v| if v > 0.05 { v } else { 0.0 });
    let w_out = pattern(n, k, 6);
    let mut recon = Array2::<f32>::zeros((m, k));
    group.bench_function("relu_fwd_256x256x784", |bch| {
        bch.iter(|| {
            gemm(
                relu.view(),
                w_out.view(),
                false,
                black_box(recon.view_mut()),
            )
        })
    });
    let dz_out = pattern(m, k, 7);
    let mut gw_out = Array2::<f32>::zeros((n, k));
    group.bench_function("relu_dw_256x256x784", |bch| {
        bch.iter(|| gemm(relu.t(), dz_out.view(), false, black_box(gw_out.view_mut())))
    });
    // PCA's covariance block on the same kind of rows.
    gram_lower(&mut group, "gram_lower_784x8192", &images);
    group.finish();
}

criterion_group!(benches, bench_shapes, bench_images);
criterion_main!(benches);
