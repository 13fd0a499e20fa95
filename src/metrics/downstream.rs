//! Downstream task accuracy of a latent space: k-NN (k = 5) and logistic regression trained on
//! the training rows' latents and scored on the test rows (smartcore).

use ndarray::ArrayView2;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};
use smartcore::neighbors::knn_classifier::{KNNClassifier, KNNClassifierParameters};

use crate::error::{Error, Result};

/// Neighbours of the k-NN classifier.
pub const KNN_K: usize = 5;

fn dense(x: ArrayView2<f32>, mean: &[f64], scale: &[f64]) -> Result<DenseMatrix<f64>> {
    let (n, d) = x.dim();
    let mut values = Vec::with_capacity(n * d);
    for row in x.rows() {
        for (j, &v) in row.iter().enumerate() {
            values.push((f64::from(v) - mean[j]) * scale[j]);
        }
    }
    DenseMatrix::new(n, d, values, false)
        .map_err(|e| Error::Numerical(format!("cannot build a matrix for smartcore: {e}")))
}

/// Column means and inverse standard deviations of the training latents (constant columns keep
/// scale 1), so both classifiers see latents of comparable scale whatever the method.
fn standardizer(x: ArrayView2<f32>) -> (Vec<f64>, Vec<f64>) {
    let n = x.nrows().max(1) as f64;
    x.columns()
        .into_iter()
        .map(|c| {
            let mean = c.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
            let var = c
                .iter()
                .map(|&v| (f64::from(v) - mean).powi(2))
                .sum::<f64>()
                / n;
            (mean, if var > 0.0 { 1.0 / var.sqrt() } else { 1.0 })
        })
        .unzip()
}

fn accuracy(predicted: &[u32], truth: &[u32]) -> f64 {
    let hits = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    hits as f64 / truth.len().max(1) as f64
}

/// The inputs of both classifiers, checked and standardized on the training rows.
struct Task {
    train_x: DenseMatrix<f64>,
    train_y: Vec<u32>,
    test_x: DenseMatrix<f64>,
}

impl Task {
    fn new(
        train: ArrayView2<f32>,
        train_y: &[u32],
        test: ArrayView2<f32>,
        test_y: &[u32],
    ) -> Result<Task> {
        if train.nrows() != train_y.len() || test.nrows() != test_y.len() {
            return Err(Error::InvalidInput(
                "downstream accuracy needs one label per row".into(),
            ));
        }
        if train.nrows() <= KNN_K || test.nrows() == 0 {
            return Err(Error::InvalidInput(format!(
                "downstream accuracy needs more than {KNN_K} training rows and at least one test row"
            )));
        }
        let (mean, scale) = standardizer(train);
        Ok(Task {
            train_x: dense(train, &mean, &scale)?,
            train_y: train_y.to_vec(),
            test_x: dense(test, &mean, &scale)?,
        })
    }
}

/// Accuracy of a 5-nearest-neighbour classifier (Euclidean, standardized latents).
pub fn knn_accuracy(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
    test_y: &[u32],
) -> Result<f64> {
    let task = Task::new(train, train_y, test, test_y)?;
    let params = KNNClassifierParameters::default().with_k(KNN_K);
    let model = KNNClassifier::fit(&task.train_x, &task.train_y, params)
        .map_err(|e| Error::Numerical(format!("k-NN classifier failed: {e}")))?;
    let predicted = model
        .predict(&task.test_x)
        .map_err(|e| Error::Numerical(format!("k-NN prediction failed: {e}")))?;
    Ok(accuracy(&predicted, test_y))
}

/// Accuracy of an L2-regularised logistic regression (α = 1, i.e. scikit-learn's C = 1) on
/// standardized latents.
pub fn linear_accuracy(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
    test_y: &[u32],
) -> Result<f64> {
    let task = Task::new(train, train_y, test, test_y)?;
    let mut distinct = task.train_y.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if let [only] = distinct[..] {
        // one class in training: the only sensible classifier predicts it
        return Ok(accuracy(&vec![only; test_y.len()], test_y));
    }
    let params = LogisticRegressionParameters::default().with_alpha(1.0);
    let model = LogisticRegression::fit(&task.train_x, &task.train_y, params)
        .map_err(|e| Error::Numerical(format!("logistic regression failed: {e}")))?;
    let predicted: Vec<u32> = model
        .predict(&task.test_x)
        .map_err(|e| Error::Numerical(format!("logistic regression prediction failed: {e}")))?;
    Ok(accuracy(&predicted, test_y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn clusters(n: usize, seed: u64, spread: f32) -> (Array2<f32>, Vec<u32>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let y: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
        let x = Array2::from_shape_fn((n, 2), |(i, j)| {
            let centre = if j == 0 { y[i] as f32 * 10.0 } else { 0.0 };
            centre + spread * (rng.random::<f32>() - 0.5)
        });
        (x, y)
    }

    #[test]
    fn separable_clusters_are_classified_perfectly() {
        let (xtr, ytr) = clusters(90, 1, 1.0);
        let (xte, yte) = clusters(30, 2, 1.0);
        assert_eq!(
            knn_accuracy(xtr.view(), &ytr, xte.view(), &yte).unwrap(),
            1.0
        );
        assert_eq!(
            linear_accuracy(xtr.view(), &ytr, xte.view(), &yte).unwrap(),
            1.0
        );
    }

    #[test]
    fn random_labels_give_chance_accuracy() {
        let (xtr, _) = clusters(300, 3, 50.0);
        let (xte, _) = clusters(300, 4, 50.0);
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let ytr: Vec<u32> = (0..300).map(|_| rng.random_range(0..3)).collect();
        let yte: Vec<u32> = (0..300).map(|_| rng.random_range(0..3)).collect();
        let knn = knn_accuracy(xtr.view(), &ytr, xte.view(), &yte).unwrap();
        assert!((0.2..0.5).contains(&knn), "{knn}");
    }
}
