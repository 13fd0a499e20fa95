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

mod groups;
mod moments;

#[cfg(test)]
mod tests;

use ndarray::ArrayView2;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::criteria::Similarity;
use crate::error::{Error, Result};
use crate::metrics::distances::{knn_indices, to_f64};
use crate::metrics::neighbourhoods::neighbour_jaccard;
use crate::stats::bootstrap::{Interval, percentile_interval, resample_counts};
use groups::{check, group_means, pairs};
use moments::side_by_side;

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
    /// The similarity (`linear_cka`, `procrustes_similarity`, `knn_jaccard` or `mean_cca`).
    pub metric: Similarity,
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
    fn get(&self, metric: Similarity) -> f64 {
        match metric {
            Similarity::LinearCka => self.cka,
            Similarity::ProcrustesSimilarity => self.procrustes,
            Similarity::KnnJaccard => self.jaccard,
            Similarity::MeanCca => self.cca,
        }
    }
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
    // group_means lists the similarities in the order of Similarity::ALL
    Ok(Similarity::ALL
        .into_iter()
        .enumerate()
        .map(|(m, metric)| {
            let group = |g: usize| {
                let values: Vec<f64> = pair_list
                    .iter()
                    .zip(&observed)
                    .filter(|((_, _, group), _)| *group == g)
                    .map(|(_, s)| s.get(metric))
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
                metric,
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
