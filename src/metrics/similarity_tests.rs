//! The similarity measures against known transforms, ties and their memory.

use super::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[test]
fn ranking_the_distances_takes_at_most_24_bytes_a_pair_on_each_thread() {
    // 2000 rows: 1 999 000 pairs. Each thread holds its keys and indices and their
    // sorting copies (24 bytes a pair), then the sorted ones and the ranks (20); the f64
    // distances and 16-byte (key, index) pairs took 40. The measure sees the calling
    // thread's side (the other side runs on a thread of its own).
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let a = Array2::from_shape_fn((2000, 2), |_| rng.random::<f32>());
    let b = Array2::from_shape_fn((2000, 2), |_| rng.random::<f32>());
    let pairs = 2000 * 1999 / 2;
    let (r, peak) = crate::memory::measure(|| distance_spearman(a.view(), b.view()));
    assert!(r.unwrap().abs() < 0.1);
    assert!(peak >= 24 * pairs as u64, "peak {peak}");
    assert!(
        peak < 26 * pairs as u64,
        "peak {peak}: {} bytes a pair",
        peak / pairs as u64
    );
}

#[test]
fn invertible_linear_map_gives_cca_one() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let a = Array2::from_shape_fn((200, 3), |_| rng.random::<f32>() - 0.5);
    let m = ndarray::array![[2.0f32, 0.5, 0.0], [0.0, 1.0, -1.0], [1.0, 0.0, 3.0]];
    let b = a.dot(&m) + 7.0;
    let c = canonical_correlations(a.view(), b.view()).unwrap();
    assert_eq!(c.len(), 3);
    assert!(c.iter().all(|&v| (v - 1.0).abs() < 1e-5), "{c:?}");
}

#[test]
fn independent_noise_gives_low_cca_and_constant_column_is_ignored() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let a = Array2::from_shape_fn((2000, 2), |_| rng.random::<f32>());
    let mut b = Array2::from_shape_fn((2000, 2), |_| rng.random::<f32>());
    assert!(mean_cca(a.view(), b.view()).unwrap() < 0.1);
    b.column_mut(1).fill(3.0);
    let c = canonical_correlations(a.view(), b.view()).unwrap();
    assert_eq!(c.len(), 1);
}

fn random(n: usize, d: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.random::<f32>() - 0.5)
}

/// A 3-D rotation (orthogonal Q).
fn rotation() -> Array2<f32> {
    let (c, s) = (0.6f32, 0.8f32);
    let rz = ndarray::array![[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]];
    let rx = ndarray::array![[1.0, 0.0, 0.0], [0.0, s, -c], [0.0, c, s]];
    rz.dot(&rx)
}

#[test]
fn cka_of_an_orthogonal_transform_is_one() {
    let x = random(150, 3, 7);
    let xq = x.dot(&rotation());
    assert!((linear_cka(x.view(), xq.view(), false).unwrap() - 1.0).abs() < 1e-6);
    assert!((linear_cka(x.view(), xq.view(), true).unwrap() - 1.0).abs() < 1e-6);
    // and isotropic scaling plus a shift changes nothing
    let moved = xq.mapv(|v| 3.0 * v + 2.0);
    assert!((linear_cka(x.view(), moved.view(), false).unwrap() - 1.0).abs() < 1e-6);
    // unrelated noise is far from 1
    let noise = random(150, 3, 8);
    assert!(linear_cka(x.view(), noise.view(), false).unwrap() < 0.2);
}

#[test]
fn procrustes_of_a_rotated_scaled_copy_is_zero_and_aligns_it_back() {
    let x = random(100, 3, 9);
    let copy = x.dot(&rotation()).mapv(|v| 0.5 * v - 1.0);
    let p = procrustes(x.view(), copy.view()).unwrap();
    assert!(p.disparity < 1e-10, "{}", p.disparity);
    for (a, b) in x.iter().zip(p.b_aligned.iter()) {
        assert!((a - b).abs() < 1e-5);
    }
    // a narrower space is padded: a 2-D projection of x against x
    let narrow = x.slice(ndarray::s![.., ..2]).to_owned();
    let p = procrustes(x.view(), narrow.view()).unwrap();
    assert!(p.disparity > 0.0 && p.disparity < 1.0);
    assert_eq!(p.b_aligned.dim(), (100, 3));
}

#[test]
fn distance_spearman_is_one_for_a_similarity_transform_and_ranks_ties() {
    let x = random(60, 2, 10);
    let y = x.mapv(|v| 4.0 * v);
    assert!((distance_spearman(x.view(), y.view()).unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(
        average_ranks(&[3.0, 1.0, 3.0, 2.0]),
        vec![3.5, 1.0, 3.5, 2.0]
    );
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let values: Vec<f64> = (0..5000)
        .map(|_| rng.random::<f64>() * 100.0 - 50.0)
        .collect();
    let ranks = average_ranks(&values);
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    for (v, r) in values.iter().zip(&ranks) {
        assert_eq!(sorted[*r as usize - 1], *v);
    }
}
