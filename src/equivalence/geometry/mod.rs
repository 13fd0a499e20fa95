//! Geometry across repeated fits: how similar are the runs of one method to each other (within
//! A, within B), and how similar are runs of A to runs of B (between)? For each similarity — linear
//! CKA, Procrustes similarity (1 − scipy's disparity), mean k-NN Jaccard and mean CCA — the mean
//! over the pairs of each group, with percentile bootstrap intervals from resampled rows.
//!
//! A resample is a vector of row counts. CKA, Procrustes and CCA of every pair follow from the
//! weighted, centred second moments of all runs side by side (one product per resample), so no
//! rows are copied; the k-NN Jaccard of a pair is a per-row value, averaged with the same counts
//! (neighbour lists are found once, on the observed rows: a resample with repeated rows has no
//! sensible neighbour lists of its own).
//!
//! A method fitted once (precomputed latents) is deterministic: its within-method similarity is
//! 1 by definition.

use std::ops::Range;

use ndarray::{Array2, ArrayView2, Axis, s};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::linalg;
use crate::metrics::distances::{knn_indices, to_f64};
use crate::metrics::neighbourhoods::neighbour_jaccard;
use crate::stats::bootstrap::{Interval, percentile_interval, resample_counts};

/// Report keys of the similarities, in the order of [`PairSimilarity`]'s fields.
pub const METRICS: [&str; 4] = [
    "linear_cka",
    "procrustes_similarity",
    "knn_jaccard",
    "mean_cca",
];

/// The similarities judged for geometric equivalence (mean CCA judges the subspace).
pub const GEOMETRY_METRICS: [&str; 3] = ["linear_cka", "procrustes_similarity", "knn_jaccard"];

/// The pairs of one group: their observed similarities and the bootstrap interval of their mean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Number of pairs (0 for a method fitted once: its similarity is 1 by definition).
    pub pairs: usize,
    /// The similarity of each pair on the observed rows.
    pub values: Vec<f64>,
    /// The mean over the pairs, with its bootstrap interval.
    pub mean: Interval,
}

/// One similarity across the runs of A and B.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeometryCriterion {
    /// `linear_cka`, `procrustes_similarity`, `knn_jaccard` or `mean_cca`.
    pub metric: String,
    /// Pairs of A's runs.
    pub within_a: Distribution,
    /// Pairs of B's runs.
    pub within_b: Distribution,
    /// Pairs of one run of A and one of B.
    pub between: Distribution,
    /// between − min(within A, within B), with its bootstrap interval.
    pub difference: Interval,
    /// How much worse than the smaller within-method similarity the between-method one may be.
    pub margin: f64,
    /// True when the interval's lower end is at least −margin.
    pub equivalent: bool,
}

impl GeometryCriterion {
    /// The smaller of the two within-method means.
    pub fn min_within(&self) -> f64 {
        self.within_a.mean.estimate.min(self.within_b.mean.estimate)
    }

    /// min(within) − margin: the level the tested interval must stay above, in similarity units.
    pub fn threshold(&self) -> f64 {
        self.min_within() - self.margin
    }

    /// The between-method mean with the tested interval (between − min(within)) drawn from
    /// min(within), so that it reads against [`GeometryCriterion::threshold`] in the figures.
    pub fn tested_between(&self) -> Interval {
        let base = self.min_within();
        Interval {
            estimate: self.between.mean.estimate,
            lower: base + self.difference.lower,
            upper: base + self.difference.upper,
        }
    }
}

/// What the geometry comparison needs.
pub struct GeometryInput<'a> {
    /// Latents of each run of A on the metric rows.
    pub a: Vec<ArrayView2<'a, f32>>,
    /// Latents of each run of B on the same rows.
    pub b: Vec<ArrayView2<'a, f32>>,
    /// k of the k-NN Jaccard.
    pub neighbors: usize,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Level of the intervals (0.95).
    pub level: f64,
    /// The margin δ.
    pub margin: f64,
    /// Seed of the resamples.
    pub seed: u64,
}

/// Similarities of one pair of runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairSimilarity {
    /// Linear CKA.
    pub cka: f64,
    /// 1 − Procrustes disparity.
    pub procrustes: f64,
    /// Mean k-NN Jaccard.
    pub jaccard: f64,
    /// Mean canonical correlation.
    pub cca: f64,
}

impl PairSimilarity {
    fn get(&self, metric: usize) -> f64 {
        [self.cka, self.procrustes, self.jaccard, self.cca][metric]
    }
}

/// Weighted, centred second moments of `z` (rows weighted by `counts`, or all 1).
fn moments(z: &Array2<f64>, counts: Option<&[u32]>) -> Array2<f64> {
    let n = z.nrows().max(1) as f64;
    let weighted = match counts {
        Some(w) => {
            let mut zw = z.clone();
            for (mut row, &k) in zw.axis_iter_mut(Axis(0)).zip(w) {
                row *= f64::from(k);
            }
            zw
        }
        None => z.clone(),
    };
    let mean = weighted.sum_axis(Axis(0)) / n;
    let mut c = linalg::at_b(&weighted, z) / n;
    for i in 0..c.nrows() {
        for j in 0..c.ncols() {
            c[[i, j]] -= mean[i] * mean[j];
        }
    }
    c
}

/// `U Λ^{-1/2}` over the eigenvalues above rounding (the whitening of one run's block).
fn whitening(c: &Array2<f64>) -> Result<Array2<f64>> {
    let (values, vectors) = linalg::symmetric_eigen(c)?;
    let top = values.first().copied().unwrap_or(0.0).max(0.0);
    let kept: Vec<usize> = (0..values.len())
        .filter(|&i| values[i] > 1e-10 * top && values[i] > 0.0)
        .collect();
    Ok(Array2::from_shape_fn((c.nrows(), kept.len()), |(r, j)| {
        vectors[[r, kept[j]]] / values[kept[j]].sqrt()
    }))
}

/// CKA, Procrustes similarity and mean CCA of blocks `x` and `y` of the moments `c`.
fn pair_from_moments(
    c: &Array2<f64>,
    (x, y): (Range<usize>, Range<usize>),
    (wx, wy): (&Array2<f64>, &Array2<f64>),
) -> Result<[f64; 3]> {
    let cxx = c.slice(s![x.clone(), x.clone()]);
    let cyy = c.slice(s![y.clone(), y.clone()]);
    let cxy = c.slice(s![x.clone(), y.clone()]).to_owned();
    let frob = |m: ArrayView2<f64>| m.iter().map(|v| v * v).sum::<f64>();
    let cka = frob(cxy.view()) / (frob(cxx).sqrt() * frob(cyy).sqrt());
    let nuclear: f64 = linalg::singular_values(&cxy)?.iter().sum();
    let procrustes = nuclear * nuclear / (cxx.diag().sum() * cyy.diag().sum());
    let cca = if wx.ncols() == 0 || wy.ncols() == 0 {
        f64::NAN
    } else {
        let k = wx.t().dot(&cxy).dot(wy);
        let canonical: f64 = linalg::singular_values(&k)?
            .iter()
            .map(|v| v.min(1.0))
            .sum();
        canonical / x.len().min(y.len()) as f64
    };
    Ok([cka, procrustes, cca])
}

/// The runs side by side, as f64 centred on their observed means, and each run's columns.
fn side_by_side(spaces: &[ArrayView2<'_, f32>]) -> (Array2<f64>, Vec<Range<usize>>) {
    let n = spaces.first().map_or(0, |z| z.nrows());
    let width: usize = spaces.iter().map(|z| z.ncols()).sum();
    let mut z = Array2::<f64>::zeros((n, width));
    let mut blocks = Vec::new();
    let mut start = 0;
    for space in spaces {
        let end = start + space.ncols();
        let mut part = z.slice_mut(s![.., start..end]);
        part.assign(&space.mapv(f64::from));
        let mean = part.mean_axis(Axis(0)).unwrap_or_default();
        part -= &mean;
        blocks.push(start..end);
        start = end;
    }
    (z, blocks)
}

/// Pairs of runs by group: (first, second, group) with group 0 = within A, 1 = within B,
/// 2 = between. Runs of A come first.
fn pairs(n_a: usize, n_b: usize) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for i in 0..n_a {
        for j in i + 1..n_a {
            out.push((i, j, 0));
        }
    }
    for i in 0..n_b {
        for j in i + 1..n_b {
            out.push((n_a + i, n_a + j, 1));
        }
    }
    for i in 0..n_a {
        for j in 0..n_b {
            out.push((i, n_a + j, 2));
        }
    }
    out
}

fn check(input: &GeometryInput<'_>) -> Result<usize> {
    let (Some(first), false) = (input.a.first(), input.b.is_empty()) else {
        return Err(Error::InvalidInput(
            "equivalence needs at least one run of each method".into(),
        ));
    };
    let n = first.nrows();
    for (side, runs) in [("A", &input.a), ("B", &input.b)] {
        for (r, z) in runs.iter().enumerate() {
            if z.nrows() != n {
                return Err(Error::InvalidInput(format!(
                    "run {} of method {side} has {} rows, expected {n}",
                    r + 1,
                    z.nrows()
                )));
            }
            if z.ncols() == 0 || z.iter().any(|v| !v.is_finite()) {
                return Err(Error::Numerical(format!(
                    "run {} of method {side} has empty or non-finite latents; lower the \
                     learning rate or train longer",
                    r + 1
                )));
            }
        }
    }
    if input.neighbors == 0 || n < input.neighbors + 2 {
        return Err(Error::InvalidInput(format!(
            "equivalence needs more rows than neighbours + 1 (rows {n}, neighbours {})",
            input.neighbors
        )));
    }
    Ok(n)
}

/// Group means of every metric under one weighting: `[metric][group]`.
fn group_means(
    z: &Array2<f64>,
    blocks: &[Range<usize>],
    pair_list: &[(usize, usize, usize)],
    jaccard: &[Vec<f64>],
    counts: Option<&[u32]>,
) -> Result<(Vec<PairSimilarity>, [[f64; 3]; 4])> {
    let c = moments(z, counts);
    let white: Vec<Array2<f64>> = blocks
        .iter()
        .map(|b| whitening(&c.slice(s![b.clone(), b.clone()]).to_owned()))
        .collect::<Result<_>>()?;
    let n = z.nrows() as f64;
    let mut sims = Vec::with_capacity(pair_list.len());
    for (p, &(i, j, _)) in pair_list.iter().enumerate() {
        let [cka, procrustes, cca] = pair_from_moments(
            &c,
            (blocks[i].clone(), blocks[j].clone()),
            (&white[i], &white[j]),
        )?;
        let jac = match counts {
            Some(w) => {
                jaccard[p]
                    .iter()
                    .zip(w)
                    .map(|(v, &k)| v * f64::from(k))
                    .sum::<f64>()
                    / n
            }
            None => jaccard[p].iter().sum::<f64>() / n,
        };
        sims.push(PairSimilarity {
            cka,
            procrustes,
            jaccard: jac,
            cca,
        });
    }
    let mut means = [[1.0; 3]; 4];
    for (m, row) in means.iter_mut().enumerate() {
        for (g, mean) in row.iter_mut().enumerate() {
            let vals: Vec<f64> = pair_list
                .iter()
                .zip(&sims)
                .filter(|((_, _, group), _)| *group == g)
                .map(|(_, s)| s.get(m))
                .collect();
            if !vals.is_empty() {
                *mean = vals.iter().sum::<f64>() / vals.len() as f64;
            }
        }
    }
    Ok((sims, means))
}

/// Compares the runs; `tick(done, total)` after each resample, `cancelled()` checked between
/// them.
pub fn compare_geometry(
    input: &GeometryInput<'_>,
    tick: &dyn Fn(usize, usize),
    cancelled: &dyn Fn() -> bool,
) -> Result<Vec<GeometryCriterion>> {
    let n = check(input)?;
    let spaces: Vec<ArrayView2<'_, f32>> = input.a.iter().chain(&input.b).copied().collect();
    let (z, blocks) = side_by_side(&spaces);
    let pair_list = pairs(input.a.len(), input.b.len());
    let neighbours: Vec<Vec<Vec<usize>>> = spaces
        .iter()
        .map(|s| knn_indices(to_f64(*s).view(), input.neighbors))
        .collect();
    let jaccard: Vec<Vec<f64>> = pair_list
        .iter()
        .map(|&(i, j, _)| neighbour_jaccard(&neighbours[i], &neighbours[j]))
        .collect();
    let (observed, estimate) = group_means(&z, &blocks, &pair_list, &jaccard, None)?;
    let mut rng = ChaCha8Rng::seed_from_u64(input.seed);
    let mut replicates: Vec<[[f64; 3]; 4]> = Vec::with_capacity(input.resamples);
    for r in 0..input.resamples {
        if cancelled() {
            return Err(Error::Cancelled);
        }
        let counts = resample_counts(&mut rng, n);
        replicates.push(group_means(&z, &blocks, &pair_list, &jaccard, Some(&counts))?.1);
        tick(r + 1, input.resamples);
    }
    let difference = |m: [f64; 3]| m[2] - m[0].min(m[1]);
    Ok((0..METRICS.len())
        .map(|m| {
            let group = |g: usize| {
                let values: Vec<f64> = pair_list
                    .iter()
                    .zip(&observed)
                    .filter(|((_, _, group), _)| *group == g)
                    .map(|(_, s)| s.get(m))
                    .collect();
                let reps: Vec<f64> = replicates.iter().map(|r| r[m][g]).collect();
                Distribution {
                    pairs: values.len(),
                    values,
                    mean: percentile_interval(estimate[m][g], &reps, input.level),
                }
            };
            let reps: Vec<f64> = replicates.iter().map(|r| difference(r[m])).collect();
            let diff = percentile_interval(difference(estimate[m]), &reps, input.level);
            GeometryCriterion {
                metric: METRICS[m].into(),
                within_a: group(0),
                within_b: group(1),
                between: group(2),
                difference: diff,
                margin: input.margin,
                equivalent: diff.lower.is_finite() && diff.lower >= -input.margin,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

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
        for c in different.iter().filter(|c| c.metric != "mean_cca") {
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
        let get = |m: &str| out.iter().find(|c| c.metric == m).expect("metric");
        assert!(get("mean_cca").equivalent, "{:?}", get("mean_cca"));
        assert!(
            !get("procrustes_similarity").equivalent,
            "{:?}",
            get("procrustes_similarity")
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
}
