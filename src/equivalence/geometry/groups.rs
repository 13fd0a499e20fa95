//! The pairs of runs by group (within A, within B, between), the check of the input, and the
//! group means of every similarity under one weighting of the rows.

use crate::criteria::Similarity;
use std::ops::Range;

use ndarray::{Array2, s};

use super::moments::{moments, pair_from_moments, whitening};
use super::{GeometryInput, PairSimilarity};
use crate::error::{Error, Result};

/// Pairs of runs by group: (first, second, group) with group 0 = within A, 1 = within B,
/// 2 = between. Runs of A come first.
pub(super) fn pairs(n_a: usize, n_b: usize) -> Vec<(usize, usize, usize)> {
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

pub(super) fn check(input: &GeometryInput<'_>) -> Result<usize> {
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
pub(super) fn group_means(
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
    // rows in the order of Similarity::ALL
    let mut means = [[1.0; 3]; 4];
    for (row, metric) in means.iter_mut().zip(Similarity::ALL) {
        for (g, mean) in row.iter_mut().enumerate() {
            let vals: Vec<f64> = pair_list
                .iter()
                .zip(&sims)
                .filter(|((_, _, group), _)| *group == g)
                .map(|(_, s)| s.get(metric))
                .collect();
            if !vals.is_empty() {
                *mean = vals.iter().sum::<f64>() / vals.len() as f64;
            }
        }
    }
    Ok((sims, means))
}
