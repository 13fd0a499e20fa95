//! The built-in datasets: classic small sets (iris as scikit-learn ships it, the others from
//! smartcore), and seeded generators.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use smartcore::dataset as sc;

use super::dataset::{Dataset, Labels};
use super::iris::{IRIS, IRIS_CLASSES, IRIS_FEATURES, IRIS_ROWS_PER_CLASS};
use super::mnist_like::{MNIST_LIKE_ROWS, mnist_like_with_progress};
use crate::error::{Error, Result};

/// Names accepted by [`load_builtin`], in the order the GUI lists them.
pub const BUILTIN_NAMES: [&str; 8] = [
    "digits",
    "iris",
    "breast-cancer",
    "blobs",
    "moons",
    "circles",
    "swiss-roll",
    "mnist-like",
];

/// Seed of every generated built-in (the classic examples use 42).
const GENERATOR_SEED: u64 = 42;

/// True when `name` is a built-in dataset (`breast_cancer` is accepted for `breast-cancer`).
pub fn is_builtin(name: &str) -> bool {
    BUILTIN_NAMES.contains(&canonical(name).as_str())
}

fn canonical(name: &str) -> String {
    name.trim().to_ascii_lowercase().replace('_', "-")
}

/// Loads a built-in dataset by name.
pub fn load_builtin(name: &str) -> Result<Dataset> {
    load_builtin_with_progress(name, &|_, _| {})
}

/// [`load_builtin`], calling `progress(rows_done, rows)` while a large built-in (mnist-like)
/// is generated, once per block of rows.
pub fn load_builtin_with_progress(
    name: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Dataset> {
    let dataset = match canonical(name).as_str() {
        "digits" => digits(),
        "iris" => iris(),
        "breast-cancer" => from_smartcore(
            "breast-cancer",
            sc::breast_cancer::load_dataset(),
            |y| y,
            names(&["malignant", "benign"]),
        ),
        "blobs" => from_smartcore(
            "blobs",
            sc::generator::make_blobs_with_seed(100, 10, 3, Some(GENERATOR_SEED)),
            |y: f32| y as u32,
            names(&["0", "1", "2"]),
        ),
        "moons" => from_smartcore(
            "moons",
            sc::generator::make_moons_with_seed(1000, 0.1, Some(GENERATOR_SEED)),
            |y| y,
            names(&["0", "1"]),
        ),
        "circles" => from_smartcore(
            "circles",
            sc::generator::make_circles_with_seed(1000, 0.5, 0.1, Some(GENERATOR_SEED)),
            |y| y,
            names(&["outer", "inner"]),
        ),
        "swiss-roll" => swiss_roll(1500, 0.0, GENERATOR_SEED),
        "mnist-like" => {
            mnist_like_with_progress(&digits(), MNIST_LIKE_ROWS, GENERATOR_SEED, progress)
        }
        _ => {
            return Err(Error::InvalidInput(format!(
                "unknown dataset '{name}'; built-in datasets are {}, or give the path of a data file (.csv, .tsv, .npy, .npz, .parquet, or IDX such as train-images-idx3-ubyte[.gz])",
                BUILTIN_NAMES.join(", ")
            )));
        }
    };
    Ok(dataset)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_string()).collect()
}

fn from_smartcore<Y: Copy>(
    name: &str,
    ds: sc::Dataset<f32, Y>,
    class_of: impl Fn(Y) -> u32,
    class_names: Vec<String>,
) -> Dataset {
    let records = Array2::from_shape_vec((ds.num_samples, ds.num_features), ds.data)
        // smartcore's bundled files hold exactly num_samples × num_features values.
        .expect("smartcore dataset shape matches its data");
    let ids: Vec<u32> = ds.target.iter().map(|&y| class_of(y)).collect();
    let feature_names = if ds.feature_names.len() == ds.num_features {
        ds.feature_names
    } else {
        (0..ds.num_features).map(|j| format!("x{j}")).collect()
    };
    Dataset::new(
        name,
        records,
        Some(Labels::Classes {
            ids,
            names: class_names,
        }),
        feature_names,
    )
}

/// Fisher's iris with scikit-learn's values (smartcore's UCI copy has two wrong rows).
fn iris() -> Dataset {
    let records = Array2::from_shape_fn((IRIS.len(), 4), |(i, j)| IRIS[i][j]);
    let ids = (0..IRIS.len())
        .map(|i| (i / IRIS_ROWS_PER_CLASS) as u32)
        .collect();
    Dataset::new(
        "iris",
        records,
        Some(Labels::Classes {
            ids,
            names: names(&IRIS_CLASSES),
        }),
        names(&IRIS_FEATURES),
    )
}

/// The 8×8 handwritten digits; smartcore's copy carries iris's feature names, so name pixels here.
fn digits() -> Dataset {
    let mut ds = from_smartcore(
        "digits",
        sc::digits::load_dataset(),
        |y: f32| y as u32,
        (0..10).map(|d| d.to_string()).collect(),
    );
    ds.feature_names = (0..8)
        .flat_map(|r| (0..8).map(move |c| format!("px_{r}_{c}")))
        .collect();
    ds.image_shape = Some((8, 8));
    ds
}

/// The swiss roll as scikit-learn draws it: t = 1.5π(1 + 2u), (t cos t, 21v, t sin t) + noise;
/// the continuous label is t, the position along the roll.
pub fn swiss_roll(n_samples: usize, noise: f32, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut records = Array2::<f32>::zeros((n_samples, 3));
    let mut position = Vec::with_capacity(n_samples);
    for mut row in records.rows_mut() {
        let t = 1.5 * std::f32::consts::PI * (1.0 + 2.0 * rng.random::<f32>());
        let height = 21.0 * rng.random::<f32>();
        let mut jitter = || -> f32 {
            let e: f32 = StandardNormal.sample(&mut rng);
            noise * e
        };
        row[0] = t * t.cos() + jitter();
        row[1] = height + jitter();
        row[2] = t * t.sin() + jitter();
        position.push(t);
    }
    Dataset::new(
        "swiss-roll",
        records,
        Some(Labels::Continuous(position)),
        names(&["x", "y", "z"]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_with_expected_shape() {
        let expected = [
            ("digits", 1797, 64, Some(10)),
            ("iris", 150, 4, Some(3)),
            ("breast-cancer", 569, 30, Some(2)),
            ("blobs", 100, 10, Some(3)),
            ("moons", 1000, 2, Some(2)),
            ("circles", 1000, 2, Some(2)),
            ("swiss-roll", 1500, 3, None),
        ];
        for (name, n, d, classes) in expected {
            let ds = load_builtin(name).unwrap();
            assert_eq!((ds.n_samples(), ds.n_features()), (n, d), "{name}");
            assert_eq!(ds.n_classes(), classes, "{name}");
            assert_eq!(ds.feature_names.len(), d, "{name}");
            assert!(ds.records.iter().all(|v| v.is_finite()), "{name}");
            let labels = ds.labels.as_ref().unwrap();
            assert_eq!(labels.len(), n, "{name}");
            if let Labels::Classes { ids, names } = labels {
                assert!(ids.iter().all(|&i| (i as usize) < names.len()), "{name}");
                // every class is present
                for c in 0..names.len() as u32 {
                    assert!(ids.contains(&c), "{name} lacks class {c}");
                }
            }
        }
    }

    #[test]
    fn digits_has_pixel_names_and_image_shape() {
        let ds = load_builtin("digits").unwrap();
        assert_eq!(ds.feature_names[0], "px_0_0");
        assert_eq!(ds.feature_names[63], "px_7_7");
        assert_eq!(ds.image_shape, Some((8, 8)));
        assert!(ds.records.iter().all(|&v| (0.0..=16.0).contains(&v)));
    }

    #[test]
    fn iris_is_scikit_learns_the_uci_copy_with_rows_35_and_38_corrected() {
        let ours = load_builtin("iris").unwrap();
        let uci = sc::iris::load_dataset();
        let uci = Array2::from_shape_vec((150, 4), uci.data).unwrap();
        let differing: Vec<usize> = (0..150)
            .filter(|&i| ours.records.row(i) != uci.row(i))
            .collect();
        assert_eq!(differing, [34, 37]);
        assert_eq!(ours.records.row(34).to_vec(), [4.9, 3.1, 1.5, 0.2]);
        assert_eq!(uci.row(34).to_vec(), [4.9, 3.1, 1.5, 0.1]);
        assert_eq!(ours.records.row(37).to_vec(), [4.9, 3.6, 1.4, 0.1]);
        assert_eq!(uci.row(37).to_vec(), [4.9, 3.1, 1.5, 0.1]);
        assert_eq!(ours.feature_names[0], "sepal length (cm)");
        let Some(Labels::Classes { ids, names }) = &ours.labels else {
            panic!("iris has classes")
        };
        assert_eq!(names, &["setosa", "versicolor", "virginica"]);
        assert_eq!((ids[49], ids[50], ids[99], ids[100]), (0, 1, 1, 2));
    }

    #[test]
    fn generators_are_deterministic() {
        let a = load_builtin("blobs").unwrap();
        let b = load_builtin("blobs").unwrap();
        assert_eq!(a.records, b.records);
        let a = load_builtin("swiss-roll").unwrap();
        let b = load_builtin("swiss_roll").unwrap();
        assert_eq!(a.records, b.records);
    }

    #[test]
    fn swiss_roll_label_is_position_along_the_roll() {
        let ds = swiss_roll(200, 0.0, 7);
        let Some(Labels::Continuous(t)) = &ds.labels else {
            panic!("continuous labels expected")
        };
        for (row, &t) in ds.records.rows().into_iter().zip(t) {
            assert!((1.5 * std::f32::consts::PI..=4.5 * std::f32::consts::PI).contains(&t));
            let radius = (row[0] * row[0] + row[2] * row[2]).sqrt();
            assert!((radius - t).abs() < 1e-3);
        }
    }

    #[test]
    fn unknown_name_lists_the_builtins() {
        let err = load_builtin("mnist").unwrap_err().to_string();
        assert!(
            err.contains("digits") && err.contains("swiss-roll"),
            "{err}"
        );
    }
}
