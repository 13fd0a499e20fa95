//! Downstream task accuracy of a latent space: classifiers trained on the training rows' latents,
//! as they are (no scaling), and scored on the test rows. The definitions are scikit-learn's
//! notebook calls on the same latents `Ztr, ytr, Zte, yte`:
//!
//! - [`knn_accuracy`]: `KNeighborsClassifier(n_neighbors=5).fit(Ztr, ytr).score(Zte, yte)`, by
//!   our exact brute-force search ([`super::knn`]);
//! - [`linear_accuracy`]: `LogisticRegression().fit(Ztr, ytr).score(Zte, yte)` (L2, C = 1,
//!   intercept not penalised), by our L-BFGS fit to the optimum ([`super::logistic`]); scikit-learn
//!   stops its fit sooner, so the two can differ on a test row that sits on a class boundary.
//!
//! Both work in f64 on the exact values of the f32 latents, as scikit-learn does given a float64
//! array of them. (Given a float32 array, its brute-force search, used above 15 columns, takes
//! differences in float32; a CSV read back holds the nearest f64 of each printed decimal. Either
//! can tip an exact or near tie.)
//!
//! Classes are the distinct training labels in increasing order, as scikit-learn's `classes_`;
//! a class missing from training is never predicted. The tests in `tests/reference_downstream.rs`
//! hold both to scikit-learn's predictions.

use ndarray::ArrayView2;

use super::knn;
use super::logistic::Logistic;
use crate::error::{Error, Result};

/// Neighbours of the k-NN classifier.
pub const KNN_K: usize = 5;

/// Inverse penalty strength of the logistic regression (scikit-learn's default C).
pub const LOGISTIC_C: f64 = 1.0;

/// Predicted labels of the test rows by the 5-nearest-neighbour vote (see the module docs).
pub fn knn_predictions(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
) -> Result<Vec<u32>> {
    let classes = Classes::new(train, train_y, test)?;
    let predicted = knn::predict(train, &classes.index, classes.labels.len(), test, KNN_K);
    Ok(classes.labels_of(&predicted))
}

/// Predicted labels of the test rows by the logistic regression (see the module docs).
pub fn linear_predictions(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
) -> Result<Vec<u32>> {
    let classes = Classes::new(train, train_y, test)?;
    if let [only] = classes.labels[..] {
        // one class in training: the only sensible classifier predicts it
        return Ok(vec![only; test.nrows()]);
    }
    let model = Logistic::fit(train, &classes.index, classes.labels.len(), LOGISTIC_C);
    Ok(classes.labels_of(&model.predict(test)))
}

/// Accuracy of the 5-nearest-neighbour classifier on the test rows.
pub fn knn_accuracy(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
    test_y: &[u32],
) -> Result<f64> {
    check_test_labels(test, test_y)?;
    Ok(accuracy(&knn_predictions(train, train_y, test)?, test_y))
}

/// Accuracy of the logistic regression on the test rows.
pub fn linear_accuracy(
    train: ArrayView2<f32>,
    train_y: &[u32],
    test: ArrayView2<f32>,
    test_y: &[u32],
) -> Result<f64> {
    check_test_labels(test, test_y)?;
    Ok(accuracy(&linear_predictions(train, train_y, test)?, test_y))
}

fn check_test_labels(test: ArrayView2<f32>, test_y: &[u32]) -> Result<()> {
    if test.nrows() == test_y.len() {
        Ok(())
    } else {
        Err(Error::InvalidInput(
            "downstream accuracy needs one label per row".into(),
        ))
    }
}

fn accuracy(predicted: &[u32], truth: &[u32]) -> f64 {
    let hits = predicted.iter().zip(truth).filter(|(p, t)| p == t).count();
    hits as f64 / truth.len().max(1) as f64
}

/// The training classes: the distinct labels in increasing order and each row's index into them.
struct Classes {
    labels: Vec<u32>,
    index: Vec<usize>,
}

impl Classes {
    /// Checks the inputs of both classifiers and indexes the training labels.
    fn new(train: ArrayView2<f32>, train_y: &[u32], test: ArrayView2<f32>) -> Result<Classes> {
        if train.nrows() != train_y.len() {
            return Err(Error::InvalidInput(
                "downstream accuracy needs one label per row".into(),
            ));
        }
        if train.nrows() <= KNN_K || test.nrows() == 0 {
            return Err(Error::InvalidInput(format!(
                "downstream accuracy needs more than {KNN_K} training rows and at least one test row"
            )));
        }
        if train.ncols() != test.ncols() {
            return Err(Error::InvalidInput(format!(
                "downstream accuracy needs training and test latents of one width (got {} and {})",
                train.ncols(),
                test.ncols()
            )));
        }
        if !train.iter().chain(test.iter()).all(|v| v.is_finite()) {
            return Err(Error::Numerical(
                "the latents hold a value that is not finite (NaN or infinity)".into(),
            ));
        }
        let mut labels = train_y.to_vec();
        labels.sort_unstable();
        labels.dedup();
        // every training label is among the distinct labels, so the search finds it
        let index = train_y
            .iter()
            .map(|y| labels.binary_search(y).unwrap_or(0))
            .collect();
        Ok(Classes { labels, index })
    }

    fn labels_of(&self, indices: &[usize]) -> Vec<u32> {
        indices.iter().map(|&i| self.labels[i]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, array};
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

    #[test]
    fn predictions_are_the_training_labels_not_their_indices() {
        // labels 7 and 3: sorted classes [3, 7]
        let train = array![[0.0f32], [0.1], [0.2], [5.0], [5.1], [5.2]];
        let y = [3, 3, 3, 7, 7, 7];
        let test = array![[0.05f32], [5.05]];
        assert_eq!(
            knn_predictions(train.view(), &y, test.view()).unwrap(),
            [3, 7]
        );
        assert_eq!(
            linear_predictions(train.view(), &y, test.view()).unwrap(),
            [3, 7]
        );
        let one = [4; 6];
        assert_eq!(
            linear_predictions(train.view(), &one, test.view()).unwrap(),
            [4, 4]
        );
        assert_eq!(
            knn_predictions(train.view(), &one, test.view()).unwrap(),
            [4, 4]
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        let train = Array2::<f32>::zeros((10, 2));
        let y = [0; 10];
        let narrow = Array2::<f32>::zeros((3, 1));
        assert!(knn_accuracy(train.view(), &y, narrow.view(), &[0; 3]).is_err());
        let mut nan = Array2::<f32>::zeros((3, 2));
        nan[[1, 1]] = f32::NAN;
        assert!(linear_accuracy(train.view(), &y, nan.view(), &[0; 3]).is_err());
        assert!(knn_accuracy(train.view(), &y[..9], nan.view(), &[0; 3]).is_err());
        let few = Array2::<f32>::zeros((KNN_K, 2));
        let test = Array2::<f32>::zeros((3, 2));
        assert!(knn_accuracy(few.view(), &y[..KNN_K], test.view(), &[0; 3]).is_err());
    }
}
