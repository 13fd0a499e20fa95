//! Mean silhouette coefficient (`sklearn.metrics.silhouette_score`, Euclidean).

use ndarray::ArrayView2;

use super::distances::{for_each_distance_block, to_f64};
use crate::error::{Error, Result};

/// Mean over points of (b − a) / max(a, b), where a is the mean distance to the other points of
/// the same class and b the smallest mean distance to another class; points alone in their class
/// score 0, as in scikit-learn.
pub fn silhouette_score(x: ArrayView2<f32>, labels: &[u32]) -> Result<f64> {
    let n = x.nrows();
    if labels.len() != n {
        return Err(Error::InvalidInput(format!(
            "silhouette needs one label per row ({} labels, {n} rows)",
            labels.len()
        )));
    }
    let n_classes = labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![0usize; n_classes];
    for &l in labels {
        sizes[l as usize] += 1;
    }
    let present = sizes.iter().filter(|&&s| s > 0).count();
    if present < 2 || present >= n {
        return Err(Error::InvalidInput(format!(
            "silhouette needs between 2 and n − 1 classes among the rows (found {present} in {n} rows)"
        )));
    }
    let x = to_f64(x);
    let mut total = 0.0;
    let mut sums = vec![0.0f64; n_classes];
    for_each_distance_block(x.view(), |start, block| {
        for (i, row) in block.rows().into_iter().enumerate() {
            let me = start + i;
            sums.iter_mut().for_each(|s| *s = 0.0);
            for (j, &d2) in row.iter().enumerate() {
                sums[labels[j] as usize] += d2.sqrt();
            }
            let own = labels[me] as usize;
            if sizes[own] < 2 {
                continue;
            }
            let a = sums[own] / (sizes[own] - 1) as f64;
            let b = (0..n_classes)
                .filter(|&c| c != own && sizes[c] > 0)
                .map(|c| sums[c] / sizes[c] as f64)
                .fold(f64::INFINITY, f64::min);
            let denom = a.max(b);
            if denom > 0.0 {
                total += (b - a) / denom;
            }
        }
    });
    Ok(total / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn matches_a_hand_computed_value() {
        // two tight pairs far apart: a = 1, b = mean of distances to the other pair
        let x = array![[0.0f32, 0.0], [1.0, 0.0], [10.0, 0.0], [11.0, 0.0]];
        let labels = [0, 0, 1, 1];
        let s = silhouette_score(x.view(), &labels).unwrap();
        let point = |a: f64, b: f64| (b - a) / a.max(b);
        let want = (point(1.0, 10.5) + point(1.0, 9.5) + point(1.0, 9.5) + point(1.0, 10.5)) / 4.0;
        assert!((s - want).abs() < 1e-12, "{s} vs {want}");
    }

    #[test]
    fn singleton_class_scores_zero_and_one_class_is_an_error() {
        let x = array![[0.0f32], [1.0], [5.0]];
        let s = silhouette_score(x.view(), &[0, 0, 1]).unwrap();
        let want = ((4.0 - 1.0) / 4.0 + (5.0 - 1.0) / 5.0) / 3.0;
        assert!((s - want).abs() < 1e-12);
        assert!(silhouette_score(x.view(), &[0, 0, 0]).is_err());
    }
}
