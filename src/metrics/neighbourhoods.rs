//! Neighbourhood preservation: trustworthiness and continuity (as scikit-learn defines them) and
//! the per-point k-NN Jaccard agreement of two spaces.

use ndarray::ArrayView2;

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

/// `sklearn.manifold.trustworthiness(high, low, n_neighbors=k)`: how far the low-dimensional
/// neighbours of each point are from being its true (high-dimensional) neighbours.
pub fn trustworthiness(high: ArrayView2<f32>, low: ArrayView2<f32>, k: usize) -> Result<f64> {
    let n = high.nrows();
    if low.nrows() != n {
        return Err(Error::InvalidInput(format!(
            "trustworthiness needs the same rows in both spaces ({n} vs {})",
            low.nrows()
        )));
    }
    check_k(n, k, "trustworthiness")?;
    let low_neighbours = knn_indices(to_f64(low).view(), k);
    let high = to_f64(high);
    let mut penalty = 0.0f64;
    for_each_distance_block(high.view(), |start, block| {
        for (i, row) in block.rows().into_iter().enumerate() {
            let me = start + i;
            for &j in &low_neighbours[me] {
                let dj = row[j];
                // rank of j among me's neighbours in the high space (1 = nearest)
                let closer = row
                    .iter()
                    .enumerate()
                    .filter(|&(l, &d)| l != me && (d < dj || (d == dj && l < j)))
                    .count();
                let rank = closer + 1;
                if rank > k {
                    penalty += (rank - k) as f64;
                }
            }
        }
    });
    let (nf, kf) = (n as f64, k as f64);
    Ok(1.0 - penalty * 2.0 / (nf * kf * (2.0 * nf - 3.0 * kf - 1.0)))
}

/// Continuity: trustworthiness with the roles of the spaces swapped (are true neighbours kept?).
pub fn continuity(high: ArrayView2<f32>, low: ArrayView2<f32>, k: usize) -> Result<f64> {
    trustworthiness(low, high, k)
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
    Ok(na
        .iter()
        .zip(&nb)
        .map(|(x, y)| {
            let inter = x.iter().filter(|j| y.contains(j)).count();
            inter as f64 / (2 * k - inter) as f64
        })
        .collect())
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
    fn too_many_neighbours_is_an_error() {
        let x = random(10, 2, 4);
        assert!(trustworthiness(x.view(), x.view(), 5).is_err());
        assert!(knn_jaccard(x.view(), x.view(), 10).is_err());
    }
}
