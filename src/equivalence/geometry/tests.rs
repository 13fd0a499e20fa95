//! Unit tests of the geometry comparison.

use ndarray::{Array2, s};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::moments::{moments, pair_from_moments, whitening};
use super::*;
use crate::metrics::similarity;

fn random(n: usize, d: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.random::<f32>() - 0.5)
}

#[test]
fn observed_pair_figures_match_the_metrics() {
    let a = random(300, 2, 1);
    let b = random(300, 3, 2).mapv(|v| v * 3.0) + &a.slice(s![.., 0..1]).mapv(|v| v * 2.0);
    let (z, blocks) = side_by_side(&[a.view(), b.view()]);
    let c = moments(&z, None);
    let w: Vec<_> = blocks
        .iter()
        .map(|bl| whitening(&c.slice(s![bl.clone(), bl.clone()]).to_owned()).expect("eig"))
        .collect();
    let [cka, procrustes, cca] =
        pair_from_moments(&c, (blocks[0].clone(), blocks[1].clone()), (&w[0], &w[1]))
            .expect("pair");
    let want_cka = similarity::linear_cka(a.view(), b.view(), false).expect("cka");
    let want_proc = similarity::procrustes(a.view(), b.view()).expect("procrustes");
    let want_cca = similarity::mean_cca(a.view(), b.view()).expect("cca");
    assert!((cka - want_cka).abs() < 1e-9, "{cka} vs {want_cka}");
    assert!((1.0 - procrustes - want_proc.disparity).abs() < 1e-9);
    assert!((cca - want_cca).abs() < 1e-9, "{cca} vs {want_cca}");
}

#[test]
fn unit_counts_are_the_observed_moments() {
    let a = random(50, 3, 4);
    let (z, _) = side_by_side(&[a.view()]);
    let ones = vec![1u32; 50];
    let d = moments(&z, Some(&ones)) - moments(&z, None);
    assert!(d.iter().all(|v| v.abs() < 1e-14));
}

#[test]
fn same_method_is_equivalent_and_a_different_one_is_not() {
    // A: noisy copies of one 2-D space; B: noisy copies of an unrelated one
    let base = random(400, 2, 10);
    let other = random(400, 2, 11);
    let noisy = |m: &Array2<f32>, seed| m + &random(400, 2, seed).mapv(|v| v * 0.05);
    let a: Vec<Array2<f32>> = (0..4).map(|s| noisy(&base, 100 + s)).collect();
    let a2: Vec<Array2<f32>> = (0..4).map(|s| noisy(&base, 200 + s)).collect();
    let b: Vec<Array2<f32>> = (0..4).map(|s| noisy(&other, 300 + s)).collect();
    let run = |x: &[Array2<f32>], y: &[Array2<f32>]| {
        let input = GeometryInput {
            a: x.iter().map(|m| m.view()).collect(),
            b: y.iter().map(|m| m.view()).collect(),
            neighbors: 10,
            resamples: 200,
            level: 0.95,
            margin: 0.05,
            seed: 5,
        };
        compare_geometry(&input, &|_, _| {}, &|| false).expect("geometry")
    };
    let same = run(&a, &a2);
    assert_eq!(same.len(), 4);
    for c in &same {
        assert!(c.equivalent, "{} {:?}", c.metric, c.difference);
        assert_eq!((c.within_a.pairs, c.between.pairs), (6, 16));
        assert!(c.difference.lower <= c.difference.estimate);
        assert!(c.difference.estimate <= c.difference.upper);
    }
    let different = run(&a, &b);
    for c in different.iter().filter(|c| c.metric != Similarity::MeanCca) {
        assert!(!c.equivalent, "{} {:?}", c.metric, c.difference);
    }
}

#[test]
fn a_non_orthogonal_map_keeps_the_subspace_but_not_the_geometry() {
    // B's runs are A's runs through a shear and an uneven stretch: the same subspace (CCA
    // 1) but not the same shape (Procrustes allows only rotation and uniform scale)
    let base = random(400, 2, 20);
    let a: Vec<Array2<f32>> = (0..4)
        .map(|s| &base + &random(400, 2, 400 + s).mapv(|v| v * 0.02))
        .collect();
    let map = ndarray::arr2(&[[6.0f32, 0.0], [4.0, 0.3]]);
    let b: Vec<Array2<f32>> = a.iter().map(|z| z.dot(&map)).collect();
    let input = GeometryInput {
        a: a.iter().map(|m| m.view()).collect(),
        b: b.iter().map(|m| m.view()).collect(),
        neighbors: 10,
        resamples: 200,
        level: 0.95,
        margin: 0.05,
        seed: 9,
    };
    let out = compare_geometry(&input, &|_, _| {}, &|| false).expect("geometry");
    let get = |m: Similarity| out.iter().find(|c| c.metric == m).expect("metric");
    assert!(
        get(Similarity::MeanCca).equivalent,
        "{:?}",
        get(Similarity::MeanCca)
    );
    assert!(
        !get(Similarity::ProcrustesSimilarity).equivalent,
        "{:?}",
        get(Similarity::ProcrustesSimilarity)
    );
}

#[test]
fn one_run_counts_as_perfectly_stable() {
    let a = random(100, 2, 1);
    let input = GeometryInput {
        a: vec![a.view()],
        b: vec![a.view()],
        neighbors: 5,
        resamples: 20,
        level: 0.95,
        margin: 0.05,
        seed: 1,
    };
    let out = compare_geometry(&input, &|_, _| {}, &|| false).expect("geometry");
    for c in &out {
        assert_eq!(c.within_a.pairs, 0);
        assert_eq!(c.within_a.mean.estimate, 1.0);
        assert!((c.between.mean.estimate - 1.0).abs() < 1e-9, "{c:?}");
        assert!(c.equivalent);
    }
    let bad = GeometryInput { a: vec![], ..input };
    assert!(compare_geometry(&bad, &|_, _| {}, &|| false).is_err());
}
