//! The listed product against the blocked one: the same bits on every shape around its edges
//! (k over several blocks, chunks of columns partly full, strided rows, A's rows or columns
//! along memory), and no run where it
//! should not.

use super::super::{kernel, product_skipping};
use super::*;
use ndarray::{Array2, s};

/// A matrix with about `density` of its elements non-zero (some zeros −0, one NaN when
/// `nan`), the rest spread over ±3.
fn sparse(r: usize, c: usize, density: f64, seed: u64, nan: bool) -> Array2<f32> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut x = Array2::from_shape_fn((r, c), |_| {
        let (keep, v) = (next(), next());
        if keep < density {
            (v * 6.0 - 3.0) as f32
        } else if v < 0.3 {
            -0.0
        } else {
            0.0
        }
    });
    if nan {
        x[[r / 2, c / 3]] = f32::NAN;
    }
    x
}

fn bits(x: ArrayView2<'_, f32>) -> Vec<u32> {
    x.iter().map(|v| v.to_bits()).collect()
}

fn avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    return std::arch::is_x86_feature_detected!("avx512f");
    #[cfg(not(target_arch = "x86_64"))]
    false
}

#[test]
fn the_listed_product_gives_the_blocked_products_bits() {
    // k over 1, 2 and 3 blocks; n one vector, a partial vector, chunks of 256 with a partial
    // last one; B and C strided (column slices of wider matrices).
    for &(m, k, n, density) in &[
        (30, 784, 256, 0.37),
        (128, 256, 784, 0.45),
        (7, 1000, 300, 0.1),
        (100, 50, 16, 0.3),
        (33, 385, 13, 0.2),
        (300, 64, 40, 0.05),
    ] {
        for nan in [false, true] {
            let rows = sparse(m, k, density, (m * k + n) as u64, nan);
            // The same A with its columns along memory (a weight gradient's xᵀ).
            let columns = rows.t().as_standard_layout().into_owned();
            let wide_b = sparse(k, n + 9, 1.0, 7, false);
            let b = wide_b.slice(s![.., 4..4 + n]);
            for (layout, a) in [("rows", rows.view()), ("columns", columns.t())] {
                for accumulate in [false, true] {
                    let mut wide_c = sparse(m, n + 5, 1.0, 3, false);
                    let (before, mut want) = (wide_c.clone(), wide_c.clone());
                    let ran = product(&a, &b, accumulate, &mut wide_c.slice_mut(s![.., 2..2 + n]));
                    let what =
                        format!("{m}×{k}×{n} {layout} at {density}, NaN {nan}, add {accumulate}");
                    let listed = layout == "rows" || n >= MIN_COLUMNS_TRANSPOSED;
                    assert_eq!(ran, avx512() && listed, "{what}");
                    product_skipping(
                        kernel::best(),
                        a,
                        b,
                        accumulate,
                        want.slice_mut(s![.., 2..2 + n]),
                        false,
                        false,
                    );
                    let want = if ran { want } else { before };
                    assert!(bits(wide_c.view()) == bits(want.view()), "{what}");
                }
            }
        }
    }
}

#[test]
fn dense_small_or_strided_products_are_left_to_the_blocked_one() {
    let b = sparse(784, 256, 1.0, 2, false);
    let before = sparse(64, 256, 1.0, 3, false);
    let mut c = before.clone();
    // More than half of A non-zero.
    let dense = sparse(64, 784, 0.55, 4, false);
    assert!(!product(&dense.view(), &b.view(), false, &mut c.view_mut()));
    // Neither A's rows nor its columns along memory.
    let strided = sparse(128, 1568, 0.1, 5, false);
    let strided = strided.slice(s![..;2, ..;2]);
    assert!(!product(&strided, &b.view(), false, &mut c.view_mut()));
    // A's columns along memory, but C too narrow for their listing to pay.
    let at = sparse(784, 64, 0.1, 5, false);
    assert!(!product(
        &at.t(),
        &b.slice(s![.., ..128]),
        false,
        &mut c.slice_mut(s![.., ..128])
    ));
    // Too small to be worth listing.
    let tiny = sparse(2, 784, 0.1, 6, false);
    let mut small_c = Array2::zeros((2, 16));
    assert!(!product(
        &tiny.view(),
        &b.slice(s![.., ..16]),
        false,
        &mut small_c.view_mut()
    ));
    // A's columns along memory and C wide, but A more than half non-zero: the listing stops
    // partway through A's rows.
    let dense_t = sparse(784, 64, 0.55, 10, false);
    assert!(!product(&dense_t.t(), &b.view(), false, &mut c.view_mut()));
    assert_eq!(bits(c.view()), bits(before.view()), "C untouched");
    // Sparse enough, and so listed where the CPU has AVX-512.
    let a = sparse(64, 784, 0.35, 7, false);
    assert_eq!(
        product(&a.view(), &b.view(), false, &mut c.view_mut()),
        avx512()
    );
}

#[test]
fn columns_are_listed_when_a_sample_of_them_is_sparse_and_c_is_wide() {
    // A = xᵀ of a batch of 64 rows of 784 features (a weight gradient's A).
    let x = sparse(64, 784, 0.35, 8, false);
    assert_eq!(lists_columns(&x.t(), 256), avx512());
    // Too dense, C too narrow, or A's rows along memory instead.
    assert!(!lists_columns(&sparse(64, 784, 0.8, 9, false).t(), 256));
    assert!(!lists_columns(&x.t(), 128));
    assert!(!lists_columns(&x.view(), 256));
}

#[test]
fn rows_of_a_zero_in_every_column_are_listed_empty() {
    // A = xᵀ where some features are 0 in every row of x (an image's border pixels): whole
    // blocks of 16 of A's rows without an element, blocks with a few, and a last partial block.
    let mut x = sparse(300, 70, 0.3, 11, true);
    for feature in (0..20).chain(33..35).chain(48..64).chain(69..70) {
        x.column_mut(feature).fill(0.0);
    }
    let b = sparse(300, 260, 1.0, 12, false);
    let mut got = sparse(70, 260, 1.0, 13, false);
    let mut want = got.clone();
    let ran = product(&x.t(), &b.view(), false, &mut got.view_mut());
    assert_eq!(ran, avx512());
    if ran {
        product_skipping(
            kernel::best(),
            x.t(),
            b.view(),
            false,
            want.view_mut(),
            false,
            false,
        );
        assert!(bits(got.view()) == bits(want.view()));
        assert!(got.row(50).iter().all(|&v| v == 0.0) && got.row(19).iter().all(|&v| v == 0.0));
    }
}
