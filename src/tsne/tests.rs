//! t-SNE against its definitions: perplexity reached, P symmetric and summing to 1, the exact
//! gradient against finite differences of the KL divergence, Barnes-Hut with θ = 0 against the
//! exact gradient, separated blobs kept apart, bit-identical repeats and cancellation.

use std::sync::atomic::AtomicBool;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

use super::affinities::{SparseP, conditional_row, joint_exact, joint_from_neighbours};
use super::gradient::{barnes_hut, exact};
use super::tree::Tree;
use super::*;
use crate::neighbours::nearest_neighbours;
use crate::test_support::{blobs, gaussian, kept_apart};

#[test]
fn each_row_reaches_the_perplexity() {
    let d: Vec<f32> = (0..90)
        .map(|i| (i as f32 * 0.37).sin().abs() * 20.0 + 0.1)
        .collect();
    for perplexity in [5.0, 30.0] {
        let mut p = vec![0.0; d.len()];
        conditional_row(&d, perplexity, &mut p);
        let sum: f64 = p.iter().sum();
        let entropy: f64 = -p
            .iter()
            .filter(|&&v| v > 0.0)
            .map(|v| v * v.ln())
            .sum::<f64>();
        // tolerance: the search stops within 1e-5 of the target entropy
        assert!((sum - 1.0).abs() < 1e-12, "{sum}");
        assert!((entropy - f64::ln(perplexity)).abs() < 1e-4, "{entropy}");
    }
}

#[test]
fn neighbours_are_the_nearest_and_p_is_symmetric() {
    let x = gaussian(300, 5, 1);
    let k = 10;
    let (idx, dist) = nearest_neighbours(x.view(), k);
    for i in [0usize, 17, 299] {
        let mut all: Vec<(f64, usize)> = (0..300)
            .filter(|&j| j != i)
            .map(|j| {
                let d: f64 = (0..5)
                    .map(|a| f64::from(x[[i, a]] - x[[j, a]]).powi(2))
                    .sum();
                (d, j)
            })
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        let want: Vec<u32> = all[..k].iter().map(|&(_, j)| j as u32).collect();
        assert_eq!(&idx[i * k..(i + 1) * k], &want[..]);
        // f32 GEMM distances: within 1e-4 relative of the direct ones
        for s in 0..k {
            assert!((f64::from(dist[i * k + s]) - all[s].0).abs() < 1e-4 * all[s].0.max(1.0));
        }
    }
    let p = joint_from_neighbours(&idx, &dist, 300, 5.0);
    let total: f64 = p.values.iter().sum();
    assert!((total - 1.0).abs() < 1e-12, "{total}");
    let at = |i: usize, j: u32| {
        (p.indptr[i]..p.indptr[i + 1])
            .find(|&s| p.indices[s] == j)
            .map(|s| p.values[s])
    };
    for i in 0..300 {
        for s in p.indptr[i]..p.indptr[i + 1] {
            let j = p.indices[s];
            assert_eq!(at(j as usize, i as u32), Some(p.values[s]), "P[{i},{j}]");
        }
    }
}

/// KL(P‖Q) of the exact objective at `y`.
fn kl<const D: usize>(p: &[f64], y: &[[f64; D]]) -> f64 {
    let mut grad = vec![[0.0; D]; y.len()];
    exact(p, y, (D as f64 - 1.0).max(1.0), &mut grad, true).unwrap()
}

#[test]
fn the_exact_gradient_is_the_derivative_of_the_kl_divergence() {
    fn check<const D: usize>() {
        let x = gaussian(9, 4, 5);
        let p = joint_exact(x.view(), 3.0);
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let y: Vec<[f64; D]> = (0..9)
            .map(|_| std::array::from_fn(|_| rng.sample::<f64, _>(StandardNormal)))
            .collect();
        let mut grad = vec![[0.0; D]; 9];
        exact(&p, &y, (D as f64 - 1.0).max(1.0), &mut grad, false);
        let h = 1e-6;
        for i in 0..9 {
            for a in 0..D {
                let (mut up, mut down) = (y.clone(), y.clone());
                up[i][a] += h;
                down[i][a] -= h;
                let numeric = (kl(&p, &up) - kl(&p, &down)) / (2.0 * h);
                // central differences in f64: agreement to 1e-6 of the gradient's scale
                assert!(
                    (numeric - grad[i][a]).abs() < 1e-6 * (1.0 + grad[i][a].abs()),
                    "D {D}, point {i}, axis {a}: numeric {numeric}, analytic {}",
                    grad[i][a]
                );
            }
        }
    }
    // 2-D only: with one degree of freedom scikit-learn's gradient, which this follows, is the
    // derivative; with more (3-D) it weighs each pair by w where the derivative has w^(2/(α+1)).
    check::<2>();
}

/// The dense P as a sparse one with every off-diagonal entry.
fn sparse(p: &[f64], n: usize) -> SparseP {
    let mut s = SparseP {
        indptr: vec![0],
        indices: Vec::new(),
        values: Vec::new(),
    };
    for i in 0..n {
        for j in (0..n).filter(|&j| j != i) {
            s.indices.push(j as u32);
            s.values.push(p[i * n + j]);
        }
        s.indptr.push(s.indices.len());
    }
    s
}

#[test]
fn barnes_hut_with_theta_zero_is_the_exact_gradient_and_half_is_close() {
    fn check<const D: usize>() {
        let n = 200;
        let x = gaussian(n, 6, 7);
        let p = joint_exact(x.view(), 10.0);
        let s = sparse(&p, n);
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let y: Vec<[f64; D]> = (0..n)
            .map(|_| std::array::from_fn(|_| 5.0 * rng.sample::<f64, _>(StandardNormal)))
            .collect();
        let mut tree = Tree::<D>::default();
        tree.build(&y);
        let (mut want, mut bh, mut approx) =
            (vec![[0.0; D]; n], vec![[0.0; D]; n], vec![[0.0; D]; n]);
        let kl_exact = exact(&p, &y, 1.0, &mut want, true).unwrap();
        let mut scratch = Vec::new();
        let kl_bh = barnes_hut(&s, &y, &tree, 0.0, 1.0, &mut bh, &mut scratch, true).unwrap();
        barnes_hut(&s, &y, &tree, 0.5, 1.0, &mut approx, &mut scratch, false);
        let norm: f64 = want.iter().flatten().map(|g| g * g).sum::<f64>().sqrt();
        let diff = |g: &[[f64; D]]| {
            g.iter()
                .flatten()
                .zip(want.iter().flatten())
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>()
                .sqrt()
        };
        // θ = 0 visits every point: the same sums in another order (1e-10 relative);
        // θ = 0.5 approximates (within 5 % of the gradient's norm)
        assert!(diff(&bh) < 1e-10 * norm, "θ 0: {} of {norm}", diff(&bh));
        assert!(
            diff(&approx) < 0.05 * norm,
            "θ 0.5: {} of {norm}",
            diff(&approx)
        );
        assert!((kl_bh - kl_exact).abs() < 1e-9, "{kl_bh} vs {kl_exact}");
    }
    check::<2>();
    check::<3>();
}

fn settings(iterations: usize, n: usize) -> Settings {
    Settings {
        perplexity: 30.0,
        early_exaggeration: 12.0,
        learning_rate: auto_learning_rate(n, 12.0),
        iterations,
        theta: 0.5,
    }
}

/// A start like the method's: small, seeded.
fn start(n: usize, dim: usize, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, dim), |_| 1e-4 * rng.sample::<f64, _>(StandardNormal))
}

/// Share of points whose 5 nearest embedded neighbours are all from their own blob.
#[test]
fn separated_blobs_stay_separated_exactly_and_by_barnes_hut() {
    let never = AtomicBool::new(false);
    // 150 rows: all pairs; 600 rows: Barnes-Hut
    for (per_blob, dim) in [(50, 2), (200, 2), (200, 3)] {
        let (x, ids) = blobs(3, per_blob, 10);
        let n = x.nrows();
        let mut steps = 0;
        let e = embed(
            x.view(),
            start(n, dim, 1).view(),
            &settings(400, n),
            &never,
            &mut |_| steps += 1,
        )
        .unwrap();
        assert_eq!(e.coordinates.dim(), (n, dim));
        assert_eq!(steps, e.iterations);
        let share = kept_apart(&e.coordinates, &ids);
        assert!(
            share > 0.99,
            "{n} rows in {dim}-D: {share} kept among their own"
        );
        assert!(e.kl_divergence.is_finite() && e.kl_divergence > 0.0);
    }
}

#[test]
fn a_seeded_run_gives_the_same_bits_and_cancel_stops_it() {
    let (x, _) = blobs(3, 200, 10);
    let n = x.nrows();
    let never = AtomicBool::new(false);
    let run = || {
        embed(
            x.view(),
            start(n, 2, 4).view(),
            &settings(260, n),
            &never,
            &mut |_| {},
        )
    };
    let (a, b) = (run().unwrap(), run().unwrap());
    assert_eq!(a.coordinates, b.coordinates);
    assert_eq!(a.kl_divergence.to_bits(), b.kl_divergence.to_bits());
    let cancel = AtomicBool::new(true);
    let stopped = embed(
        x.view(),
        start(n, 2, 4).view(),
        &settings(260, n),
        &cancel,
        &mut |_| {},
    );
    assert!(matches!(stopped, Err(Error::Cancelled)));
}
