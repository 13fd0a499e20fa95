//! Find rows by what the user types: a row number picks that row (ringed in both plots); a
//! class name selects every row of that class (outlined in both plots and listed). Names match
//! whole and without regard to case first; failing that, every class whose name contains the
//! text matches.

use crate::data::{Dataset, Labels};

/// What a search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// A row number within the data.
    Row(usize),
    /// The rows (ascending) of the classes named (in id order).
    Rows {
        classes: Vec<String>,
        rows: Vec<usize>,
    },
    /// Nothing: why, to show the user.
    Nothing(String),
}

/// Searches `dataset` for `query` (see the module doc).
pub(super) fn find(dataset: &Dataset, query: &str) -> Found {
    let query = query.trim();
    if query.is_empty() {
        return Found::Nothing("type a class name or a row number".to_owned());
    }
    let n = dataset.records.nrows();
    let row_number = query.strip_prefix('#').unwrap_or(query).parse::<usize>();
    let classes = match &dataset.labels {
        Some(Labels::Classes { ids, names }) => Some((ids, names)),
        _ => None,
    };
    // a class named like a number ("3" in digits) wins over the row of that number
    if let Some((ids, names)) = classes {
        let wanted = query.to_lowercase();
        let exact: Vec<u32> = matching(names, |name| name == wanted);
        let chosen = if exact.is_empty() {
            matching(names, |name| name.contains(&wanted))
        } else {
            exact
        };
        if !chosen.is_empty() {
            let rows = (0..ids.len())
                .filter(|&r| chosen.binary_search(&ids[r]).is_ok())
                .collect();
            let classes = chosen.iter().map(|&k| names[k as usize].clone()).collect();
            return Found::Rows { classes, rows };
        }
    }
    match row_number {
        Ok(row) if row < n => Found::Row(row),
        Ok(row) => Found::Nothing(format!(
            "row {row} is past the data's last row ({})",
            n.saturating_sub(1)
        )),
        Err(_) if classes.is_some() => Found::Nothing(format!(
            "no class name contains \"{query}\" and it is not a row number"
        )),
        Err(_) => Found::Nothing(format!(
            "\"{query}\" is not a row number (these data have no class names to search)"
        )),
    }
}

/// The class ids (ascending) whose lower-cased name passes `test`.
fn matching(names: &[String], test: impl Fn(&str) -> bool) -> Vec<u32> {
    names
        .iter()
        .enumerate()
        .filter(|(_, name)| test(&name.to_lowercase()))
        .map(|(k, _)| k as u32)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn dataset(labels: Option<Labels>) -> Dataset {
        Dataset::new("t", Array2::zeros((6, 1)), labels, vec![])
    }

    fn animals() -> Dataset {
        dataset(Some(Labels::Classes {
            ids: vec![0, 1, 2, 0, 1, 2],
            names: vec!["Cat".into(), "dog".into(), "hotdog".into()],
        }))
    }

    #[test]
    fn find_by_class_name_whole_before_part_and_by_row_number() {
        let data = animals();
        // whole name, any case: only "dog", not "hotdog"
        assert_eq!(
            find(&data, " DOG "),
            Found::Rows {
                classes: vec!["dog".into()],
                rows: vec![1, 4]
            }
        );
        // part of names: both dogs
        assert_eq!(
            find(&data, "do"),
            Found::Rows {
                classes: vec!["dog".into(), "hotdog".into()],
                rows: vec![1, 2, 4, 5]
            }
        );
        assert_eq!(find(&data, "5"), Found::Row(5));
        assert_eq!(find(&data, "#3"), Found::Row(3));
        assert!(matches!(find(&data, "6"), Found::Nothing(m) if m.contains("last row (5)")));
        assert!(matches!(find(&data, "bird"), Found::Nothing(m) if m.contains("no class")));
        assert!(matches!(find(&data, "  "), Found::Nothing(_)));
    }

    #[test]
    fn find_prefers_a_class_named_like_a_number_and_works_without_labels() {
        let digits = dataset(Some(Labels::Classes {
            ids: vec![3, 1, 3, 0, 2, 1],
            names: (0..4).map(|k| k.to_string()).collect(),
        }));
        assert_eq!(
            find(&digits, "3"),
            Found::Rows {
                classes: vec!["3".into()],
                rows: vec![0, 2]
            }
        );
        // "#3" is always the row
        assert_eq!(find(&digits, "#3"), Found::Row(3));
        let plain = dataset(None);
        assert_eq!(find(&plain, "2"), Found::Row(2));
        assert!(matches!(find(&plain, "cat"), Found::Nothing(m) if m.contains("no class names")));
    }
}
