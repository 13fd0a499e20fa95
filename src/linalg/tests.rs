//! Linear-algebra helpers against f64 references: covariance paths, picked rows, decompositions.

use super::covariance::{
    COVARIANCE_BLOCK, UNSHIFTED_RATIO, blocks_covariance, scatter_f32_blocks, shifts,
};
use super::*;
use ndarray::array;

#[test]
fn f32_block_covariance_matches_f64_to_single_precision() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
    // More rows than two blocks, a large offset (centring matters) and unequal scales.
    let (n, d) = (2 * COVARIANCE_BLOCK + 1234, 48);
    let x = Array2::from_shape_fn((n, d), |(_, j)| {
        100.0 + (j as f32 + 1.0) * (rng.random::<f32>() - 0.5)
    });
    let mean = column_moments(x.view()).mean;
    let centered = centered_f64(x.view(), &mean);
    let exact = at_b(&centered, &centered);
    let fast = scatter_f32_blocks(x.view().into(), mean.as_slice().unwrap(), &|_| true).unwrap();
    let scale = exact.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for (e, f) in exact.iter().zip(fast.iter()) {
        assert!((e - f).abs() <= 1e-5 * scale, "{e} vs {f}");
    }
    for i in 0..d {
        for j in 0..d {
            assert_eq!(fast[[i, j]], fast[[j, i]]);
        }
    }
}

#[test]
fn columns_are_shifted_only_where_their_offset_would_cancel_digits() {
    use ndarray::Array1;
    // Mean squares 11, 8 (at the bound), 2 times the variance; all zeros; a constant; sparse.
    let moments = ColumnMoments {
        mean: Array1::from(vec![1.0, 7.0, 1.0, 0.0, 3.0, 0.1]),
        mean_square: Array1::from(vec![1.1, 56.0, 2.0, 0.0, 9.0, 0.05]),
    };
    assert_eq!(UNSHIFTED_RATIO, 8.0);
    assert_eq!(shifts(&moments), vec![1.0, 0.0, 0.0, 0.0, 3.0, 0.0]);
}

#[test]
fn image_like_offset_and_constant_columns_give_the_f64_covariance() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
    // Columns by j % 4: pixels (70 % exact zeros: unshifted), a large offset (shifted), a
    // constant (shifted), all zeros (unshifted).
    let (n, d) = (2 * COVARIANCE_BLOCK + 1234, 48);
    let x = Array2::from_shape_fn((n, d), |(_, j)| match j % 4 {
        0 if rng.random::<f32>() < 0.7 => 0.0,
        0 => rng.random::<f32>(),
        1 => 100.0 + (j as f32 + 1.0) * (rng.random::<f32>() - 0.5),
        2 => 3.0,
        _ => 0.0,
    });
    let moments = column_moments(x.view());
    let shift = shifts(&moments);
    for (j, s) in shift.iter().enumerate() {
        assert_eq!(*s == 0.0, j % 4 == 0 || j % 4 == 3, "column {j}");
    }
    let centered = centered_f64(x.view(), &moments.mean);
    let exact = at_b(&centered, &centered) / n as f64;
    let fast = blocks_covariance(x.view().into(), &moments, &|_| true).unwrap();
    let scale = exact.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    for ((i, j), e) in exact.indexed_iter() {
        let f = fast[[i, j]];
        assert!((e - f).abs() <= 1e-5 * scale, "({i}, {j}): {e} vs {f}");
        assert_eq!(f, fast[[j, i]]);
    }
    // A constant column's covariances are exactly zero (shifted, it is all zeros).
    assert!(fast.row(2).iter().all(|&v| v == 0.0));
    // Some rows picked (copied into blocks) give the bits of their copy (read in place).
    let picked: Vec<usize> = (0..n).rev().step_by(2).collect();
    let copy = x.select(Axis(0), &picked);
    let rows = Rows::picked(x.view(), &picked);
    let moments = column_moments(rows);
    assert_eq!(
        blocks_covariance(rows, &moments, &|_| true),
        blocks_covariance(copy.view().into(), &moments, &|_| true)
    );
}

#[test]
fn picked_rows_give_the_same_bits_as_their_copy() {
    // both paths: f64 products (small) and f32 blocks (n·d² over the threshold)
    for (n, d) in [(300, 20), (3 * COVARIANCE_BLOCK / 2, 300)] {
        let x = Array2::from_shape_fn((n, d), |(i, j)| ((i * 13 + j * 5) % 17) as f32 - 3.0);
        let picked: Vec<usize> = (0..n).rev().step_by(3).chain([1, 1, 2]).collect();
        let copy = x.select(Axis(0), &picked);
        let rows = Rows::picked(x.view(), &picked);
        let moments = column_moments(rows);
        assert_eq!(moments, column_moments(copy.view()));
        assert_eq!(
            covariance_observed(rows, &moments, &|_| true),
            Some(covariance(copy.view(), &moments))
        );
    }
}

#[test]
fn observed_covariance_reports_every_row_once_and_stops_when_asked() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    // f32 blocks (n·d² above the threshold): several blocks per thread
    let (n, d) = (5 * COVARIANCE_BLOCK + 77, 400);
    assert!(f32_covariance(n, d));
    let x = Array2::from_shape_fn((n, d), |(i, j)| ((i * 7 + j * 3) % 11) as f32);
    let moments = column_moments(x.view());
    let (rows, calls) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let cov = covariance_observed(x.view(), &moments, &|r| {
        rows.fetch_add(r, Ordering::Relaxed);
        calls.fetch_add(1, Ordering::Relaxed);
        true
    })
    .unwrap();
    assert_eq!(rows.into_inner(), n);
    // each half of the rows in blocks of COVARIANCE_BLOCK
    assert_eq!(calls.into_inner(), 2 * (n / 2).div_ceil(COVARIANCE_BLOCK));
    assert_eq!(cov, covariance(x.view(), &moments));
    // asked to stop after the first block: no covariance, and no block after the stop
    let calls = AtomicUsize::new(0);
    let stopped = covariance_observed(x.view(), &moments, &|_| {
        calls.fetch_add(1, Ordering::Relaxed);
        false
    });
    assert!(stopped.is_none());
    assert_eq!(calls.into_inner(), 2, "one block on each thread");
    // small inputs: one report of all rows
    let small = x.slice(ndarray::s![..100, ..8]);
    let seen = AtomicUsize::new(0);
    let m = column_moments(small);
    covariance_observed(small, &m, &|r| {
        seen.fetch_add(r, Ordering::Relaxed);
        true
    })
    .unwrap();
    assert_eq!(seen.into_inner(), 100);
}

#[test]
fn eigen_of_known_matrix_is_descending() {
    let a = array![[2.0, 1.0], [1.0, 2.0]];
    let (values, vectors) = symmetric_eigen(&a).unwrap();
    assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
    // A v = λ v for the leading vector
    let v = vectors.column(0).to_owned();
    let av = a.dot(&v);
    for i in 0..2 {
        assert!((av[i] - 3.0 * v[i]).abs() < 1e-12);
    }
}

#[test]
fn f32_eigen_agrees_with_f64_to_single_precision() {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
    // A covariance-like matrix with a clear spectrum: BᵀB for 200 × 40 with unequal scales.
    let b = Array2::from_shape_fn((200, 40), |(_, j)| {
        (rng.random::<f64>() - 0.5) * (40.0 - j as f64)
    });
    let a = at_b(&b, &b);
    let (v64, u64) = symmetric_eigen(&a).unwrap();
    let (v32, u32) = symmetric_eigen_f32(&a).unwrap();
    for (x, y) in v64.iter().zip(&v32) {
        assert!((x - y).abs() <= 1e-5 * v64[0], "{x} vs {y}");
    }
    // The leading vectors, up to sign (their eigenvalues are well separated).
    for c in 0..3 {
        let dot: f64 = u64.column(c).dot(&u32.column(c));
        assert!(
            (dot.abs() - 1.0).abs() < 1e-5,
            "vector {c}: |cos| = {}",
            dot.abs()
        );
    }
}

#[test]
fn gram_and_svd_agree() {
    let a = array![[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]];
    assert_eq!(at_b(&a, &a), array![[1.0, 0.0], [0.0, 4.0]]);
    let (u, s) = thin_svd_u(&a).unwrap();
    assert_eq!(u.dim(), (3, 2));
    assert!((s[0] - 2.0).abs() < 1e-12 && (s[1] - 1.0).abs() < 1e-12);
    let sv = singular_values(&a).unwrap();
    assert!((sv[0] - 2.0).abs() < 1e-12);
}
