//! Data the unit tests of several modules share: seeded Gaussian rows, well-separated blobs,
//! and how well an embedding keeps the blobs apart.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// `n × d` standard normal values, seeded.
pub fn gaussian(n: usize, d: usize, seed: u64) -> Array2<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Array2::from_shape_fn((n, d), |_| rng.sample::<f32, _>(StandardNormal))
}

/// `per_blob` points around each of `blobs` centres 30 apart (unit spread) in `d` dimensions.
pub fn blobs(blobs: usize, per_blob: usize, d: usize) -> (Array2<f32>, Vec<usize>) {
    let mut x = gaussian(blobs * per_blob, d, 3);
    let mut ids = Vec::new();
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        let b = i / per_blob;
        row[b % d] += 30.0;
        ids.push(b);
    }
    (x, ids)
}

/// The share of rows whose 5 nearest others in `y` are all of their own blob.
pub fn kept_apart(y: &Array2<f32>, ids: &[usize]) -> f64 {
    let n = y.nrows();
    let kept = (0..n)
        .filter(|&i| {
            let mut d: Vec<(f32, usize)> = (0..n)
                .filter(|&j| j != i)
                .map(|j| {
                    let d = (0..y.ncols())
                        .map(|a| (y[[i, a]] - y[[j, a]]).powi(2))
                        .sum();
                    (d, j)
                })
                .collect();
            d.sort_by(|a, b| a.0.total_cmp(&b.0));
            d[..5].iter().all(|&(_, j)| ids[j] == ids[i])
        })
        .count();
    kept as f64 / n as f64
}
