//! The products against an f64 reference, for every kernel this CPU runs, every layout the
//! training uses (plain, transposed, strided) and shapes around the tile and block edges; and the
//! promise that results do not depend on the kernel or the split.

use super::*;
use ndarray::{Array2, s};

fn pattern(r: usize, c: usize, seed: usize) -> Array2<f32> {
    Array2::from_shape_fn((r, c), |(i, j)| {
        ((i * 31 + j * 17 + seed * 7) % 23) as f32 / 7.0 - 1.5
    })
}

fn reference(a: ArrayView2<'_, f32>, b: ArrayView2<'_, f32>) -> Array2<f64> {
    a.mapv(f64::from).dot(&b.mapv(f64::from))
}

/// |got − want| ≤ 1e-5·(1 + Σ|a||b|) elementwise (f32 rounding over k terms).
fn assert_close(got: &Array2<f32>, want: &Array2<f64>, scale: f64, what: &str) {
    for ((i, j), &g) in got.indexed_iter() {
        let w = want[[i, j]];
        assert!(
            (f64::from(g) - w).abs() <= 1e-5 * (1.0 + scale),
            "{what}: ({i}, {j}) = {g}, want {w}"
        );
    }
}

const SHAPES: &[(usize, usize, usize)] = &[
    (1, 1, 1),
    (3, 4, 5),
    (12, 384, 32),
    (13, 385, 33),
    (64, 784, 128),
    (64, 2, 64),
    (784, 64, 4),
    (100, 800, 70),
    (250, 40, 600),
    (2, 1000, 3),
];

#[test]
fn every_kernel_matches_the_reference_in_every_layout() {
    for kernel in kernel::available() {
        for &(m, k, n) in SHAPES {
            let (a, b) = (pattern(m, k, 1), pattern(k, n, 2));
            let want = reference(a.view(), b.view());
            let scale = 2.25 * k as f64;
            let (at, bt) = (a.t().to_owned(), b.t().to_owned());
            for (name, av, bv) in [
                ("plain", a.view(), b.view()),
                ("transposed", at.t(), bt.t()),
                ("mixed", a.view(), bt.t()),
            ] {
                let what = format!("{}×{} {m}×{k}×{n} {name}", kernel.mr, kernel.nr);
                let mut c = Array2::<f32>::from_elem((m, n), 7.0);
                product(kernel, av, bv, false, c.view_mut(), false);
                assert_close(&c, &want, scale, &what);
                product(kernel, av, bv, true, c.view_mut(), false);
                assert_close(
                    &c,
                    &(&want * 2.0),
                    2.0 * scale,
                    &format!("{what} accumulate"),
                );
                // A column-major C goes through the tile buffer.
                let mut ct = Array2::<f32>::zeros((n, m));
                product(kernel, av, bv, false, ct.view_mut().reversed_axes(), false);
                assert_close(&ct.t().to_owned(), &want, scale, &format!("{what} into Cᵀ"));
            }
        }
    }
}

#[test]
fn results_do_not_depend_on_the_kernel_or_the_split() {
    for &(m, k, n) in SHAPES {
        let (a, b) = (pattern(m, k, 3), pattern(k, n, 4));
        let mut first: Option<Array2<f32>> = None;
        for kernel in kernel::available() {
            let mut c = Array2::<f32>::zeros((m, n));
            product(kernel, a.view(), b.view(), false, c.view_mut(), false);
            match &first {
                None => first = Some(c),
                Some(f) => assert_eq!(&c, f, "{}×{} {m}×{k}×{n}", kernel.mr, kernel.nr),
            }
        }
        let mut split = Array2::<f32>::zeros((m, n));
        gemm(a.view(), b.view(), false, split.view_mut());
        assert_eq!(Some(split), first, "split {m}×{k}×{n}");
    }
}

#[test]
fn empty_and_zero_depth_products() {
    let mut c = Array2::<f32>::from_elem((2, 3), 5.0);
    gemm(
        pattern(2, 0, 0).view(),
        pattern(0, 3, 0).view(),
        true,
        c.view_mut(),
    );
    assert!(c.iter().all(|&v| v == 5.0));
    gemm(
        pattern(2, 0, 0).view(),
        pattern(0, 3, 0).view(),
        false,
        c.view_mut(),
    );
    assert!(c.iter().all(|&v| v == 0.0));
    let mut empty = Array2::<f32>::zeros((0, 3));
    gemm(
        pattern(0, 4, 0).view(),
        pattern(4, 3, 0).view(),
        false,
        empty.view_mut(),
    );
}

#[test]
fn strided_slices_multiply() {
    let big = pattern(50, 40, 3);
    let a = big.slice(s![..;2, 1..;3]);
    let b = pattern(a.ncols(), 6, 4);
    let mut c = Array2::<f32>::zeros((25, 6));
    gemm(a, b.view(), false, c.view_mut());
    assert_close(&c, &reference(a, b.view()), 2.25 * 13.0, "strided");
    // B strided both ways (packed by gathers on AVX-512), wider than two panels.
    let wide = pattern(26, 200, 5);
    let b = wide.slice(s![..;2, ..;3]);
    let mut c = Array2::<f32>::zeros((25, b.ncols()));
    gemm(a, b, false, c.view_mut());
    assert_close(&c, &reference(a, b), 2.25 * 13.0, "strided both ways");
}

#[test]
fn lower_triangle_of_a_gram_matrix() {
    for &(d, rows) in &[(5, 3), (40, 100), (784, 50), (33, 400)] {
        let x = pattern(rows, d, 5);
        let want = reference(x.t(), x.view());
        let mut c = Array2::<f32>::from_elem((d, d), f32::NAN);
        gemm_lower(x.t(), x.view(), c.view_mut());
        for i in 0..d {
            for j in 0..=i {
                let (g, w) = (f64::from(c[[i, j]]), want[[i, j]]);
                assert!(
                    (g - w).abs() <= 1e-5 * (1.0 + 2.25 * rows as f64),
                    "{d}/{rows} ({i},{j})"
                );
            }
        }
    }
}

#[test]
#[should_panic(expected = "GEMM shapes do not fit")]
fn wrong_shapes_panic() {
    let a = pattern(2, 3, 0);
    let mut c = Array2::<f32>::zeros((2, 2));
    gemm(a.view(), a.view(), false, c.view_mut());
}

/// Image-like rows: a zero border of columns, zeros (some −0) scattered inside, whole zero rows.
fn with_zeros(r: usize, c: usize, seed: usize) -> Array2<f32> {
    Array2::from_shape_fn((r, c), |(i, j)| {
        let h = (i * 7919 + j * 104_729 + seed * 31) % 97;
        if j < c / 5 || j >= c - c / 7 || i % 11 == 3 || h < 55 {
            if h.is_multiple_of(3) { -0.0 } else { 0.0 }
        } else {
            (h as f32 - 48.0) / 17.0
        }
    })
}

fn bits(x: &Array2<f32>) -> Vec<u32> {
    x.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn skipping_the_zero_steps_of_a_panel_gives_the_same_bits() {
    // Forward (x·W), weight gradient (xᵀ·dz, A transposed) and input gradient (dz·Wᵀ) shapes,
    // wide enough in n for the skipping to run (≥ 4 tiles) with every kernel, and wider than one
    // block of columns (600 > NC: the lists found in the first block serve the others).
    for kernel in kernel::available() {
        for &(m, k, n) in &[(30, 784, 256), (256, 100, 200), (13, 385, 600), (5, 3, 129)] {
            let x = with_zeros(m, k, 1);
            let xt = with_zeros(k, m, 2);
            let w = pattern(k, n, 3);
            for (name, av) in [("x·W", x.view()), ("xᵀ·dz", xt.t())] {
                let mut dense = Array2::<f32>::zeros((m, n));
                let mut skipped = Array2::<f32>::from_elem((m, n), 3.0);
                product_skipping(kernel, av, w.view(), false, dense.view_mut(), false, false);
                product_skipping(kernel, av, w.view(), false, skipped.view_mut(), false, true);
                let what = format!("{}×{} {name} {m}×{k}×{n}", kernel.mr, kernel.nr);
                assert_eq!(bits(&skipped), bits(&dense), "{what}");
                assert_close(&skipped, &reference(av, w.view()), 2.25 * k as f64, &what);
                // Accumulating onto C.
                product_skipping(kernel, av, w.view(), true, dense.view_mut(), false, false);
                product_skipping(kernel, av, w.view(), true, skipped.view_mut(), false, true);
                assert_eq!(bits(&skipped), bits(&dense), "{what} accumulate");
            }
        }
        // The covariance's Gram product over rows with zero columns.
        let x = with_zeros(300, 200, 4);
        let (mut dense, mut skipped) = (Array2::zeros((200, 200)), Array2::zeros((200, 200)));
        product_skipping(
            kernel,
            x.t(),
            x.view(),
            false,
            dense.view_mut(),
            true,
            false,
        );
        product_skipping(
            kernel,
            x.t(),
            x.view(),
            false,
            skipped.view_mut(),
            true,
            true,
        );
        for i in 0..200 {
            for j in 0..=i {
                assert_eq!(
                    skipped[[i, j]].to_bits(),
                    dense[[i, j]].to_bits(),
                    "Gram ({i},{j})"
                );
            }
        }
    }
}

#[test]
fn a_pair_of_products_gives_the_bits_of_each_alone() {
    // A narrow layer's weight and input gradients (one per thread), then a wide one's (each
    // split in halves), as `Dense::backward` asks for them.
    for (batch, n_in, n_out) in [(64, 128, 64), (64, 784, 128)] {
        let (x, dz, w) = (
            pattern(batch, n_in, 1),
            pattern(batch, n_out, 2),
            pattern(n_in, n_out, 3),
        );
        let (mut gw, mut dx) = (
            Array2::<f32>::from_elem((n_in, n_out), 9.0),
            Array2::<f32>::from_elem((batch, n_in), 9.0),
        );
        gemm_pair(
            (x.t(), dz.view(), gw.view_mut()),
            (dz.view(), w.t(), dx.view_mut()),
        );
        let (mut gw_alone, mut dx_alone) = (gw.clone(), dx.clone());
        gemm(x.t(), dz.view(), false, gw_alone.view_mut());
        gemm(dz.view(), w.t(), false, dx_alone.view_mut());
        assert!(gw == gw_alone && dx == dx_alone, "{batch}×{n_in}×{n_out}");
        let scale = 2.25 * batch.max(n_out) as f64;
        assert_close(&gw, &reference(x.t(), dz.view()), scale, "gw");
        assert_close(&dx, &reference(dz.view(), w.t()), scale, "dx");
    }
}
