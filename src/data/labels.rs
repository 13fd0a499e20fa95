//! Turning raw label values (CSV cells, integer arrays) into [`Labels`].
//!
//! The rule, shared by every loader:
//! - integers with few distinct values (at most [`MAX_CLASSES`] and fewer than half the number of
//!   rows, or at most two) are classes, named by the integer and ordered numerically;
//! - other numbers are a continuous label;
//! - anything non-numeric makes the column classes named by the sorted distinct strings.

use super::dataset::Labels;

/// Largest number of distinct integer values still read as classes.
pub const MAX_CLASSES: usize = 50;

/// True when `n_distinct` integer values over `n_rows` rows should be read as classes.
pub fn few_enough_classes(n_distinct: usize, n_rows: usize) -> bool {
    n_distinct <= 2 || (n_distinct <= MAX_CLASSES && n_distinct * 2 < n_rows)
}

/// Labels from text cells (surrounding whitespace is ignored).
///
/// All integers: classes when few (see [`few_enough_classes`]), else continuous. All finite
/// numbers: continuous. Otherwise: classes named by the sorted distinct strings.
pub fn labels_from_text(values: &[String]) -> Labels {
    let trimmed: Vec<&str> = values.iter().map(|v| v.trim()).collect();
    if let Some(ints) = parse_all(&trimmed, |s| s.parse::<i64>().ok()) {
        return labels_from_ints(&ints);
    }
    let finite = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    if let Some(floats) = parse_all(&trimmed, finite) {
        return Labels::Continuous(floats.into_iter().map(|v| v as f32).collect());
    }
    classes_from_strings(&trimmed)
}

/// Labels from integers: classes when few distinct values, else continuous.
pub fn labels_from_ints(values: &[i64]) -> Labels {
    let mut distinct = values.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    if !few_enough_classes(distinct.len(), values.len()) {
        return Labels::Continuous(values.iter().map(|&v| v as f32).collect());
    }
    let ids = values
        .iter()
        .map(|v| distinct.binary_search(v).map_or(0, |i| i as u32))
        .collect();
    let names = distinct.iter().map(i64::to_string).collect();
    Labels::Classes { ids, names }
}

/// Classes named by the sorted distinct strings, whatever they look like.
pub fn classes_from_strings<S: AsRef<str>>(values: &[S]) -> Labels {
    let mut distinct: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let ids = values
        .iter()
        .map(|v| distinct.binary_search(&v.as_ref()).map_or(0, |i| i as u32))
        .collect();
    let names = distinct.into_iter().map(str::to_owned).collect();
    Labels::Classes { ids, names }
}

/// `Some` of every value parsed, or `None` as soon as one does not parse.
fn parse_all<T>(values: &[&str], parse: impl Fn(&str) -> Option<T>) -> Option<Vec<T>> {
    values.iter().map(|v| parse(v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn integer_classes_are_sorted_numerically() {
        let l = labels_from_text(&strings(&["10", "2", "2", "10", "2", "10", " 2 "]));
        assert_eq!(
            l,
            Labels::Classes {
                ids: vec![1, 0, 0, 1, 0, 1, 0],
                names: strings(&["2", "10"])
            }
        );
    }

    #[test]
    fn two_values_are_classes_even_with_few_rows() {
        let l = labels_from_text(&strings(&["0", "1"]));
        assert_eq!(l.n_classes(), Some(2));
    }

    #[test]
    fn many_distinct_integers_are_continuous() {
        let v: Vec<String> = (0..10).map(|i| i.to_string()).collect();
        assert_eq!(
            labels_from_text(&v),
            Labels::Continuous((0..10).map(|i| i as f32).collect())
        );
        let ints: Vec<i64> = (0..200).map(|i| i % 60).collect();
        assert_eq!(labels_from_ints(&ints).n_classes(), None);
        let ints: Vec<i64> = (0..200).map(|i| i % 50).collect();
        assert_eq!(labels_from_ints(&ints).n_classes(), Some(50));
    }

    #[test]
    fn floats_are_continuous() {
        let l = labels_from_text(&strings(&["0.5", "1", "1", "1"]));
        assert_eq!(l, Labels::Continuous(vec![0.5, 1.0, 1.0, 1.0]));
    }

    #[test]
    fn text_makes_sorted_classes() {
        let l = labels_from_text(&strings(&["b", "a", "1", "b"]));
        assert_eq!(
            l,
            Labels::Classes {
                ids: vec![2, 1, 0, 2],
                names: strings(&["1", "a", "b"])
            }
        );
        // `inf` and `nan` are not finite numbers, so the column is text.
        assert_eq!(
            labels_from_text(&strings(&["1.5", "inf"])).n_classes(),
            Some(2)
        );
    }

    #[test]
    fn empty_input_gives_empty_classes() {
        assert!(labels_from_text(&[]).is_empty());
        assert!(labels_from_ints(&[]).is_empty());
    }
}
