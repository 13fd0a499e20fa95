//! UMAP against umap-learn's pieces (tests/reference/umap_graph.json, written by
//! scripts/reference/umap_graph.py): the a/b curve and the fuzzy graph; the spectral start
//! against the dense eigenvectors; separated blobs kept apart in 2-D and 3-D; bit-identical
//! repeats; cancellation.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use ndarray::Array2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::graph::{Graph, fuzzy_graph};
use super::*;
use crate::linalg::symmetric_eigen;
use crate::test_support::{blobs, gaussian, kept_apart};

fn reference() -> serde_json::Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/umap_graph.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn reference_x(r: &serde_json::Value) -> Array2<f32> {
    let rows = r["x"].as_array().unwrap();
    let d = rows[0].as_array().unwrap().len();
    Array2::from_shape_fn((rows.len(), d), |(i, j)| {
        rows[i][j].as_f64().unwrap() as f32
    })
}

fn settings(epochs: usize) -> Settings {
    Settings {
        n_neighbors: 15,
        min_dist: 0.1,
        spread: 1.0,
        epochs,
        negative_sample_rate: 5,
        seed: 7,
    }
}

#[test]
fn the_curve_is_umap_learns() {
    for case in reference()["ab"].as_array().unwrap() {
        let (spread, min_dist) = (
            case["spread"].as_f64().unwrap(),
            case["min_dist"].as_f64().unwrap(),
        );
        let (a, b) = fit_ab(spread, min_dist);
        let (want_a, want_b) = (case["a"].as_f64().unwrap(), case["b"].as_f64().unwrap());
        // tolerance: scipy's curve_fit stops at a relative change of 1.5e-8 in the cost
        assert!(
            (a - want_a).abs() < 1e-4 * want_a,
            "a {a} vs {want_a} ({case})"
        );
        assert!(
            (b - want_b).abs() < 1e-4 * want_b,
            "b {b} vs {want_b} ({case})"
        );
    }
}

#[test]
fn the_fast_power_is_within_5e_6_of_libm() {
    let mut worst = 0.0f64;
    for b in [0.79f32, 0.8950609, 1.33, 0.5, 2.0] {
        for i in 0..20_000 {
            let x = 10f32.powf(-8.0 + 16.0 * i as f32 / 20_000.0);
            let (ours, exact) = (power::pow(x, b), f64::from(x).powf(f64::from(b)));
            worst = worst.max((f64::from(ours) - exact).abs() / exact);
        }
    }
    // tolerance: the f32 rounding of b·log₂ x (up to 53 here) alone is 3e-6 of the result
    assert!(worst < 5e-6, "largest relative error {worst}");
    // 0 counts as the smallest normal number (no branch): a power of nearly 0
    assert!(power::pow(0.0, 0.9) < 1e-30);
}

#[test]
fn the_fuzzy_graph_is_umap_learns() {
    let r = reference();
    let x = reference_x(&r);
    let n = x.nrows();
    let k = r["n_neighbors"].as_u64().unwrap() as usize;
    let (neighbours, distances) = crate::neighbours::nearest_neighbours(x.view(), k - 1);
    let graph = fuzzy_graph(&neighbours, &distances, n);
    let g = &r["graph"];
    let want: HashMap<(u64, u64), f64> = g["rows"]
        .as_array()
        .unwrap()
        .iter()
        .zip(g["cols"].as_array().unwrap())
        .zip(g["values"].as_array().unwrap())
        .map(|((i, j), v)| {
            (
                (i.as_u64().unwrap(), j.as_u64().unwrap()),
                v.as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(graph.weights.len(), want.len());
    let mut worst = 0.0f64;
    for i in 0..n {
        let (cols, weights) = graph.row(i);
        for (&j, &w) in cols.iter().zip(weights) {
            let expected = want[&(i as u64, u64::from(j))];
            worst = worst.max((f64::from(w) - expected).abs());
        }
    }
    // tolerance: our distances come from f32 products (‖a‖² + ‖b‖² − 2a·b), umap-learn was
    // given exact ones; memberships agree to 1e-4
    assert!(worst < 1e-4, "largest difference {worst}");
    assert_eq!(
        graph.pruned(500).weights.len() as u64,
        r["pruned_500_count"].as_u64().unwrap()
    );
}

/// The normalized adjacency D^-½ W D^-½ of `graph` as a dense matrix.
fn normalized_dense(graph: &Graph) -> Array2<f64> {
    let n = graph.len();
    let degree: Vec<f64> = (0..n)
        .map(|i| graph.row(i).1.iter().map(|&w| f64::from(w)).sum())
        .collect();
    let mut s = Array2::<f64>::zeros((n, n));
    for i in 0..n {
        let (cols, weights) = graph.row(i);
        for (&j, &w) in cols.iter().zip(weights) {
            s[[i, j as usize]] = f64::from(w) / (degree[i] * degree[j as usize]).sqrt();
        }
    }
    s
}

#[test]
fn the_spectral_start_is_the_laplacians_eigenvectors() {
    let x = gaussian(400, 6, 5);
    let (neighbours, distances) = crate::neighbours::nearest_neighbours(x.view(), 14);
    let graph = fuzzy_graph(&neighbours, &distances, 400).pruned(500);
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let layout = spectral::spectral_layout(&graph, x.view(), 2, &mut rng);
    let (values, vectors) = symmetric_eigen(&normalized_dense(&graph)).unwrap();
    // the largest eigenvalue (1) is the trivial one; the next two span the layout
    assert!((values[0] - 1.0).abs() < 1e-9);
    for c in 0..2 {
        let ours: Vec<f64> = (0..400).map(|i| layout[i * 2 + c]).collect();
        let norm = ours.iter().map(|v| v * v).sum::<f64>().sqrt();
        let along: f64 = (0..400).map(|i| ours[i] * vectors[[i, c + 1]]).sum::<f64>() / norm;
        // tolerance: residual 1e-5 and an eigengap well above it
        assert!(
            (along.abs() - 1.0).abs() < 1e-4,
            "eigenvector {} (λ {}): |cos| {along}",
            c + 2,
            values[c + 1]
        );
    }
}

#[test]
fn separated_blobs_stay_separated_in_2d_and_3d() {
    let never = AtomicBool::new(false);
    // three blobs are three components: the multi-component start, then the layout
    for dim in [2, 3] {
        let (x, ids) = blobs(3, 100, 10);
        let mut losses = Vec::new();
        let y = embed(
            x.view(),
            dim,
            Start::Spectral,
            &settings(200),
            &never,
            &mut |s| {
                if let Some(l) = s.loss {
                    losses.push(l);
                }
            },
        )
        .unwrap();
        assert_eq!(y.dim(), (300, dim));
        let share = kept_apart(&y, &ids);
        assert!(share > 0.99, "{dim}-D: {share} kept among their own");
        assert_eq!(losses.len(), 20);
        assert!(losses.iter().all(|l| l.is_finite() && *l > 0.0));
        assert!(losses[19] < losses[0], "{losses:?}");
    }
}

#[test]
fn a_connected_graph_and_a_given_start_also_keep_blobs_apart() {
    let never = AtomicBool::new(false);
    // blobs close enough to be one component
    let mut x = gaussian(600, 5, 9);
    let ids: Vec<usize> = (0..600).map(|i| i / 200).collect();
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        row[0] += 6.0 * (i / 200) as f32;
    }
    for start in [
        Start::Spectral,
        Start::Given(x.slice(ndarray::s![.., ..2]).to_owned()),
    ] {
        let y = embed(x.view(), 2, start, &settings(200), &never, &mut |_| {}).unwrap();
        let share = kept_apart(&y, &ids);
        assert!(share > 0.95, "{share} kept among their own");
    }
}

#[test]
fn a_seed_gives_the_same_bits_and_another_seed_other_bits() {
    let never = AtomicBool::new(false);
    let x = gaussian(700, 8, 2);
    let run = |seed| {
        let s = Settings {
            seed,
            ..settings(50)
        };
        embed(x.view(), 2, Start::Spectral, &s, &never, &mut |_| {}).unwrap()
    };
    let (first, second, other) = (run(1), run(1), run(2));
    assert!(
        first
            .iter()
            .zip(&second)
            .all(|(a, b)| a.to_bits() == b.to_bits())
    );
    assert!(first.iter().zip(&other).any(|(a, b)| a != b));
}

#[test]
fn cancel_stops_the_layout() {
    let cancel = AtomicBool::new(false);
    let x = gaussian(200, 4, 1);
    let mut seen = 0;
    let result = embed(
        x.view(),
        2,
        Start::Spectral,
        &settings(500),
        &cancel,
        &mut |s| {
            seen = s.epoch;
            if s.epoch == 20 {
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        },
    );
    assert!(matches!(result, Err(Error::Cancelled)));
    assert_eq!(seen, 20);
}
