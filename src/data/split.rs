//! Seeded train/test split, stratified by class when the labels are classes.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use super::dataset::Labels;
use crate::error::{Error, Result};

/// Row indices of the training and test parts, each sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Rows used to fit scalers and methods.
    pub train: Vec<usize>,
    /// Held-out rows (empty when the test fraction is 0).
    pub test: Vec<usize>,
}

/// Splits `n` rows, putting about `test_fraction` of them (of each class, when `labels` are
/// classes) in the test part. `test_fraction` 0 puts every row in training.
pub fn train_test_split(
    n: usize,
    labels: Option<&Labels>,
    test_fraction: f64,
    seed: u64,
) -> Result<Split> {
    if !(0.0..1.0).contains(&test_fraction) {
        return Err(Error::InvalidInput(format!(
            "test fraction must be at least 0 and below 1 (got {test_fraction})"
        )));
    }
    if test_fraction == 0.0 {
        return Ok(Split {
            train: (0..n).collect(),
            test: Vec::new(),
        });
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let groups: Vec<Vec<usize>> = match labels {
        Some(Labels::Classes { ids, names }) => {
            let mut groups = vec![Vec::new(); names.len().max(1)];
            for (row, &id) in ids.iter().enumerate() {
                let g = (id as usize).min(groups.len() - 1);
                groups[g].push(row);
            }
            groups
        }
        _ => vec![(0..n).collect()],
    };
    let counts = test_counts(&groups, test_fraction);
    let mut train = Vec::with_capacity(n);
    let mut test = Vec::new();
    for (mut group, n_test) in groups.into_iter().zip(counts) {
        group.shuffle(&mut rng);
        test.extend_from_slice(&group[..n_test]);
        train.extend_from_slice(&group[n_test..]);
    }
    if train.len() < 2 {
        return Err(Error::InvalidInput(format!(
            "only {} after the split; lower the test fraction (now {test_fraction})",
            if train.len() == 1 {
                "1 training row remains".to_owned()
            } else {
                format!("{} training rows remain", train.len())
            }
        )));
    }
    if test.is_empty() {
        let classes = counts_len(labels);
        return Err(Error::InvalidInput(format!(
            "a test fraction of {test_fraction} gives no test rows: {}; use --test-fraction 0 \
             to measure on the training rows, or choose labels with fewer classes \
             (--label-column, or none)",
            match classes {
                Some(k) => format!(
                    "each class keeps at least one training row, and the {k} classes of {n} \
                     rows leave none over"
                ),
                None => format!("{n} rows are too few"),
            }
        )));
    }
    train.sort_unstable();
    test.sort_unstable();
    Ok(Split { train, test })
}

/// Number of classes when the labels are classes.
fn counts_len(labels: Option<&Labels>) -> Option<usize> {
    labels.and_then(Labels::n_classes)
}

/// Test rows per group: the total is ⌈n · fraction⌉ and each group gets its share, the
/// rounding remainder going to the groups with the largest fractional parts (largest-remainder
/// allocation); every group keeps at least one training row.
fn test_counts(groups: &[Vec<usize>], fraction: f64) -> Vec<usize> {
    let n: usize = groups.iter().map(Vec::len).sum();
    // ceil, as scikit-learn's train_test_split: 1797 digits at 0.2 → 360 test, 1437 train
    let total = ((n as f64 * fraction).ceil() as usize).min(n);
    let shares: Vec<f64> = groups.iter().map(|g| g.len() as f64 * fraction).collect();
    let mut counts: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let mut by_remainder: Vec<usize> = (0..groups.len()).collect();
    by_remainder.sort_by(|&i, &j| {
        let (ri, rj) = (shares[i] - shares[i].floor(), shares[j] - shares[j].floor());
        rj.total_cmp(&ri).then(i.cmp(&j))
    });
    let mut missing = total.saturating_sub(counts.iter().sum());
    for &g in by_remainder.iter().cycle().take(groups.len() * 2) {
        if missing == 0 {
            break;
        }
        if counts[g] + 1 < groups[g].len() {
            counts[g] += 1;
            missing -= 1;
        }
    }
    for (c, g) in counts.iter_mut().zip(groups) {
        *c = (*c).min(g.len().saturating_sub(1));
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stratified_split_keeps_class_proportions() {
        let ids: Vec<u32> = (0..100).map(|i| if i < 80 { 0 } else { 1 }).collect();
        let labels = Labels::Classes {
            ids: ids.clone(),
            names: vec!["a".into(), "b".into()],
        };
        let s = train_test_split(100, Some(&labels), 0.25, 1).unwrap();
        assert_eq!(s.test.len(), 25);
        assert_eq!(s.test.iter().filter(|&&r| ids[r] == 1).count(), 5);
        let mut all: Vec<usize> = s.train.iter().chain(&s.test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn one_row_per_class_leaves_no_test_row_and_says_why() {
        let labels = Labels::Classes {
            ids: (0..50).collect(),
            names: (0..50).map(|i| format!("c{i}")).collect(),
        };
        let e = train_test_split(50, Some(&labels), 0.2, 1).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("gives no test rows"), "{text}");
        assert!(text.contains("the 50 classes of 50 rows"), "{text}");
        assert!(text.contains("--test-fraction 0"), "{text}");
        assert!(train_test_split(50, Some(&labels), 0.0, 1).is_ok());
    }

    #[test]
    fn total_test_rows_is_the_fraction_of_all_rows_rounded_up() {
        let ids: Vec<u32> = (0..100).map(|i| i % 3).collect();
        let labels = Labels::Classes {
            ids,
            names: vec!["a".into(), "b".into(), "c".into()],
        };
        let s = train_test_split(100, Some(&labels), 0.2, 1).unwrap();
        assert_eq!(s.test.len(), 20);
    }

    #[test]
    fn split_is_seeded() {
        let a = train_test_split(50, None, 0.2, 3).unwrap();
        let b = train_test_split(50, None, 0.2, 3).unwrap();
        let c = train_test_split(50, None, 0.2, 4).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.test.len(), 10);
    }

    #[test]
    fn zero_fraction_means_no_split_and_bad_fraction_is_an_error() {
        let s = train_test_split(5, None, 0.0, 0).unwrap();
        assert_eq!((s.train.len(), s.test.len()), (5, 0));
        assert!(train_test_split(5, None, 1.0, 0).is_err());
        assert!(train_test_split(5, None, -0.1, 0).is_err());
    }
}
