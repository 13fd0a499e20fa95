//! Neighbourhood preservation: trustworthiness and continuity (as scikit-learn defines them) and
//! the per-point k-NN Jaccard agreement of two spaces.

use ndarray::{ArrayView2, Axis};

use super::distances::{for_each_distance_block, knn_indices, to_f64};
use crate::error::{Error, Result};

fn check_k(n: usize, k: usize, what: &str) -> Result<()> {
    if k == 0 || 2 * k >= n {
        return Err(Error::InvalidInput(format!(
            "{what} needs 1 ≤ neighbours < n/2 (neighbours {k}, n {n}); lower --neighbors or use more rows"
        )));
    }
    Ok(())
}

/// Trustworthiness and continuity of one low-dimensional space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preservation {
    /// `sklearn.manifold.trustworthiness(high, low, n_neighbors=k)`: are the low-dimensional
    /// neighbours of each point true (high-dimensional) neighbours?
    pub trustworthiness: f64,
    /// The same with the roles swapped, `trustworthiness(low, high)`: are true neighbours kept?
    pub continuity: f64,
}

/// For each query `(d_j, j)`, how many entries `l ≠ me` of `row` come before it in the order by
/// (distance, index). Ties in distance are broken by index so ranks are deterministic.
/// Two comparisons per entry and query, which the compiler vectorises; a second pass over the
/// row only for a query whose distance occurs more than once.
fn counts_before(row: &[f64], me: usize, queries: &[(f64, usize)]) -> Vec<usize> {
    queries
        .iter()
        .map(|&(dq, j)| {
            let (mut less, mut equal) = (0usize, 0usize);
            for &d in row {
                less += usize::from(d < dq);
                equal += usize::from(d == dq);
            }
            let mut before = less;
            if row.get(me).is_some_and(|&d| d < dq) {
                before -= 1;
            }
            if equal > 1 {
                before += row[..j.min(row.len())]
                    .iter()
                    .enumerate()
                    .filter(|&(l, &d)| d == dq && l != me)
                    .count();
            }
            before
        })
        .collect()
}

/// Trustworthiness and continuity of each space in `lows` against `high` with `k` neighbours.
/// The high-dimensional distances (the expensive part) are computed once, by GEMM in row blocks.
pub fn neighbourhood_preservation(
    high: ArrayView2<f32>,
    lows: &[ArrayView2<f32>],
    k: usize,
) -> Result<Vec<Preservation>> {
    preservation(high, lows, k, true)
}

/// Penalty sums per low space: (trustworthiness, continuity).
type Penalties = (Vec<f64>, Vec<f64>);

/// [`neighbourhood_preservation`]; continuity only when `with_continuity` (NaN otherwise).
/// The rows of each distance block are shared between two threads.
fn preservation(
    high: ArrayView2<f32>,
    lows: &[ArrayView2<f32>],
    k: usize,
    with_continuity: bool,
) -> Result<Vec<Preservation>> {
    let n = high.nrows();
    for low in lows {
        if low.nrows() != n {
            return Err(Error::InvalidInput(format!(
                "trustworthiness needs the same rows in both spaces ({n} vs {})",
                low.nrows()
            )));
        }
    }
    check_k(n, k, "trustworthiness")?;
    let lows: Vec<_> = lows.iter().map(|l| to_f64(*l)).collect();
    let low_neighbours: Vec<Vec<Vec<usize>>> =
        lows.iter().map(|l| knn_indices(l.view(), k)).collect();
    let high = to_f64(high);
    let m = lows.len();
    let mut total: Penalties = (vec![0.0; m], vec![0.0; m]);
    let penalty = |before: usize| {
        if before + 1 > k {
            (before + 1 - k) as f64
        } else {
            0.0
        }
    };
    // The penalties of rows `first..` of a block.
    let rows_penalties = |first: usize, block: ArrayView2<f64>| -> Penalties {
        let mut sums: Penalties = (vec![0.0; m], vec![0.0; m]);
        let mut high_order: Vec<usize> = Vec::with_capacity(n);
        let mut low_row: Vec<f64> = Vec::with_capacity(n);
        for (i, row) in block.rows().into_iter().enumerate() {
            let me = first + i;
            // trustworthiness: ranks, in the high space, of each low space's neighbours
            for (t, neighbours) in sums.0.iter_mut().zip(&low_neighbours) {
                let queries: Vec<(f64, usize)> =
                    neighbours[me].iter().map(|&j| (row[j], j)).collect();
                let owned;
                let row = match row.as_slice() {
                    Some(contiguous) => contiguous,
                    None => {
                        owned = row.to_vec();
                        &owned
                    }
                };
                let before = counts_before(row, me, &queries);
                *t += before.into_iter().map(penalty).sum::<f64>();
            }
            if !with_continuity {
                continue;
            }
            // continuity: ranks, in each low space, of the high space's neighbours
            high_order.clear();
            high_order.extend((0..n).filter(|&j| j != me));
            let cmp = |a: &usize, b: &usize| row[*a].total_cmp(&row[*b]).then(a.cmp(b));
            high_order.select_nth_unstable_by(k - 1, cmp);
            for (c, low) in sums.1.iter_mut().zip(&lows) {
                let here = low.row(me);
                let dist = |j: usize| -> f64 {
                    here.iter()
                        .zip(low.row(j))
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum()
                };
                let queries: Vec<(f64, usize)> =
                    high_order[..k].iter().map(|&j| (dist(j), j)).collect();
                low_row.clear();
                low_row.extend((0..n).map(dist));
                let before = counts_before(&low_row, me, &queries);
                *c += before.into_iter().map(penalty).sum::<f64>();
            }
        }
        sums
    };
    for_each_distance_block(high.view(), |start, block| {
        let half = block.nrows() / 2;
        let (top, bottom) = block.split_at(Axis(0), half);
        let (a, b) = crate::parallel::join(
            || rows_penalties(start, top),
            || rows_penalties(start + half, bottom),
        );
        for part in [a, b] {
            for (t, p) in total.0.iter_mut().zip(part.0) {
                *t += p;
            }
            for (c, p) in total.1.iter_mut().zip(part.1) {
                *c += p;
            }
        }
    });
    let (nf, kf) = (n as f64, k as f64);
    let scale = 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0));
    Ok(total
        .0
        .iter()
        .zip(&total.1)
        .map(|(t, c)| Preservation {
            trustworthiness: 1.0 - t * scale,
            continuity: if with_continuity {
                1.0 - c * scale
            } else {
                f64::NAN
            },
        })
        .collect())
}

/// `sklearn.manifold.trustworthiness(high, low, n_neighbors=k)`.
pub fn trustworthiness(high: ArrayView2<f32>, low: ArrayView2<f32>, k: usize) -> Result<f64> {
    Ok(preservation(high, &[low], k, false)?[0].trustworthiness)
}

/// Continuity: trustworthiness with the roles of the spaces swapped (are true neighbours kept?).
pub fn continuity(high: ArrayView2<f32>, low: ArrayView2<f32>, k: usize) -> Result<f64> {
    Ok(neighbourhood_preservation(high, &[low], k)?[0].continuity)
}

/// Per point, |N_A(i) ∩ N_B(i)| / |N_A(i) ∪ N_B(i)| for the `k` nearest other points.
pub fn knn_jaccard(a: ArrayView2<f32>, b: ArrayView2<f32>, k: usize) -> Result<Vec<f64>> {
    let n = a.nrows();
    if b.nrows() != n {
        return Err(Error::InvalidInput(format!(
            "k-NN agreement needs the same rows in both spaces ({n} vs {})",
            b.nrows()
        )));
    }
    if k == 0 || k >= n {
        return Err(Error::InvalidInput(format!(
            "k-NN agreement needs 1 ≤ neighbours < n (neighbours {k}, n {n})"
        )));
    }
    let na = knn_indices(to_f64(a).view(), k);
    let nb = knn_indices(to_f64(b).view(), k);
    Ok(neighbour_jaccard(&na, &nb))
}

/// Per point, the Jaccard index of its neighbour lists in two spaces (as [`knn_indices`] gives
/// them: the same k for every point).
pub fn neighbour_jaccard(na: &[Vec<usize>], nb: &[Vec<usize>]) -> Vec<f64> {
    na.iter()
        .zip(nb)
        .map(|(x, y)| {
            let inter = x.iter().filter(|j| y.contains(j)).count();
            let union = x.len() + y.len() - inter;
            if union == 0 {
                1.0
            } else {
                inter as f64 / union as f64
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn random(n: usize, d: usize, seed: u64) -> Array2<f32> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        Array2::from_shape_fn((n, d), |_| rng.random::<f32>())
    }

    #[test]
    fn identity_embedding_is_perfectly_trustworthy() {
        let x = random(60, 5, 1);
        assert!((trustworthiness(x.view(), x.view(), 5).unwrap() - 1.0).abs() < 1e-12);
        assert!((continuity(x.view(), x.view(), 5).unwrap() - 1.0).abs() < 1e-12);
        let j = knn_jaccard(x.view(), x.view(), 5).unwrap();
        assert!(j.iter().all(|&v| v == 1.0));
    }

    #[test]
    fn random_embedding_is_untrustworthy_and_agreement_low() {
        let x = random(200, 5, 2);
        let z = random(200, 2, 3);
        let t = trustworthiness(x.view(), z.view(), 10).unwrap();
        assert!(t < 0.7, "{t}");
        let j = knn_jaccard(x.view(), z.view(), 10).unwrap();
        assert!(j.iter().sum::<f64>() / 200.0 < 0.15);
    }

    #[test]
    fn continuity_is_trustworthiness_with_roles_swapped() {
        let x = random(120, 6, 5);
        let z = x.slice(ndarray::s![.., ..2]).to_owned();
        let both = neighbourhood_preservation(x.view(), &[z.view(), x.view()], 7).unwrap();
        let swapped = neighbourhood_preservation(z.view(), &[x.view()], 7).unwrap();
        assert!((both[0].continuity - swapped[0].trustworthiness).abs() < 1e-12);
        assert!((both[0].trustworthiness - swapped[0].continuity).abs() < 1e-12);
        assert_eq!(both[1].trustworthiness, 1.0);
        assert!(both[0].trustworthiness < 1.0);
    }

    #[test]
    fn counts_before_matches_a_full_sort() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        for _ in 0..200 {
            let n = rng.random_range(3..60);
            // Few distinct values, so ties are common.
            let row: Vec<f64> = (0..n)
                .map(|_| f64::from(rng.random_range(0..6u8)))
                .collect();
            let me = rng.random_range(0..n);
            let queries: Vec<(f64, usize)> = (0..n)
                .filter(|&j| j != me && rng.random_bool(0.3))
                .map(|j| (row[j], j))
                .collect();
            let mut order: Vec<usize> = (0..n).filter(|&l| l != me).collect();
            order.sort_by(|&a, &b| row[a].total_cmp(&row[b]).then(a.cmp(&b)));
            let expected: Vec<usize> = queries
                .iter()
                .map(|&(_, j)| order.iter().position(|&l| l == j).unwrap())
                .collect();
            assert_eq!(
                counts_before(&row, me, &queries),
                expected,
                "{row:?} me {me}"
            );
        }
    }

    #[test]
    fn counts_before_breaks_ties_by_index() {
        let row = [0.0, 2.0, 1.0, 2.0, 5.0];
        let before = counts_before(&row, 0, &[(2.0, 3), (1.0, 2), (2.0, 1)]);
        assert_eq!(before, vec![2, 0, 1]);
    }

    #[test]
    fn too_many_neighbours_is_an_error() {
        let x = random(10, 2, 4);
        assert!(trustworthiness(x.view(), x.view(), 5).is_err());
        assert!(knn_jaccard(x.view(), x.view(), 10).is_err());
    }
}
