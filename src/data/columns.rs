//! Choosing columns of a named table (CSV, Parquet): the label column (named, automatic or
//! none), the columns left out, and the check that no two columns share a name. Shared by every
//! loader of tables so that each treats names the same way.

use std::path::Path;

use super::options::LabelColumn;
use crate::error::{Error, Result};

/// Column names (any case) taken as the labels when no label column is given, by priority.
pub const LABEL_NAMES: [&str; 5] = ["label", "class", "target", "species", "y"];

/// Names that make `y` a coordinate rather than the labels.
const COORDINATE_NAMES: [&str; 2] = ["x", "z"];

/// `names` as a list for messages: the first 20, then how many more.
pub fn list_names<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 20;
    let mut out = names
        .iter()
        .take(SHOWN)
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        out.push_str(&format!(", ... ({} more)", names.len() - SHOWN));
    }
    out
}

/// Most runs of column names [`name_ranges`] lists before "… and N more columns".
pub const MAX_RANGES: usize = 10;

/// Column names with runs of consecutive numbers shortened: `pixel0–pixel11, pixel16, year`.
/// At most `max` runs are listed, then how many columns were not.
pub fn name_ranges(names: &[String], max: usize) -> String {
    // (prefix, number) of a name ending in digits
    fn split(name: &str) -> Option<(&str, u64)> {
        let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        let (prefix, number) = name.split_at(name.len() - digits);
        Some((prefix, number.parse().ok()?))
    }
    let mut runs: Vec<(usize, usize)> = Vec::new(); // [start, end] indices into names
    for (i, name) in names.iter().enumerate() {
        let continues =
            runs.last()
                .is_some_and(|&(_, end)| match (split(&names[end]), split(name)) {
                    (Some((p0, n0)), Some((p1, n1))) => p0 == p1 && n1 == n0 + 1,
                    _ => false,
                });
        match runs.last_mut() {
            Some(run) if continues => run.1 = i,
            _ => runs.push((i, i)),
        }
    }
    let mut parts: Vec<String> = runs
        .iter()
        .take(max)
        .map(|&(start, end)| match end - start {
            0 => names[start].clone(),
            1 => format!("{}, {}", names[start], names[end]),
            _ => format!("{}–{}", names[start], names[end]),
        })
        .collect();
    let shown: usize = runs.iter().take(max).map(|&(s, e)| e - s + 1).sum();
    if shown < names.len() {
        parts.push(format!("… and {} more", names.len() - shown));
    }
    parts.join(", ")
}

/// Stops when two columns share a name (ignoring surrounding spaces): which one is meant by
/// the label or a dropped column would be a guess.
pub fn check_unique_names(path: &Path, names: &[String]) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut repeated: Vec<String> = Vec::new();
    for (j, name) in names.iter().enumerate() {
        match seen.entry(name.trim()) {
            std::collections::hash_map::Entry::Occupied(first) => {
                repeated.push(format!(
                    "'{}' (columns {} and {j})",
                    name.trim(),
                    first.get()
                ));
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(j);
            }
        }
    }
    if repeated.is_empty() {
        return Ok(());
    }
    let shown = repeated
        .iter()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if repeated.len() > 5 {
        format!(" and {} more", repeated.len() - 5)
    } else {
        String::new()
    };
    Err(Error::bad_file(
        path,
        format!(
            "more than one column has the same name: {shown}{more} (0-based); rename them in \
             the header so that each name is used once"
        ),
    ))
}

/// The column `wanted` names: by exact name, by name ignoring case, then as a 0-based index.
/// `what` says what the column is for in the error ("label column", "column to leave out").
pub fn find_column(path: &Path, names: &[String], wanted: &str, what: &str) -> Result<usize> {
    let w = wanted.trim();
    if let Some(j) = names.iter().position(|n| n.trim() == w) {
        return Ok(j);
    }
    let lower = w.to_lowercase();
    if let Some(j) = names.iter().position(|n| n.trim().to_lowercase() == lower) {
        return Ok(j);
    }
    if let Some(j) = w.parse::<usize>().ok().filter(|&j| j < names.len()) {
        return Ok(j);
    }
    Err(Error::bad_file(
        path,
        format!(
            "there is no {what} '{wanted}'; the columns are: {}; give one of these names or a \
             0-based index from 0 to {}",
            list_names(names),
            names.len().saturating_sub(1)
        ),
    ))
}

/// The label column `choice` asks for among `names` (`has_header`: the names are the file's
/// own, not generated ones; only then does [`LabelColumn::Auto`] look for label-like names).
pub fn label_column(
    path: &Path,
    names: &[String],
    has_header: bool,
    choice: &LabelColumn,
) -> Result<Option<usize>> {
    match choice {
        LabelColumn::Named(wanted) => find_column(path, names, wanted, "label column").map(Some),
        LabelColumn::Unlabelled => Ok(None),
        LabelColumn::Auto if has_header => Ok(auto_label_column(names)),
        LabelColumn::Auto => Ok(None),
    }
}

/// A column named like a label; earlier names in [`LABEL_NAMES`] win, so `x,y,label` uses
/// `label`. `y` beside an `x` or `z` column is a coordinate, not the labels.
pub fn auto_label_column(names: &[String]) -> Option<usize> {
    let has = |wanted: &str| names.iter().any(|n| n.trim().eq_ignore_ascii_case(wanted));
    let coordinates = COORDINATE_NAMES.iter().any(|c| has(c));
    LABEL_NAMES
        .iter()
        .filter(|l| !(coordinates && l.eq_ignore_ascii_case("y")))
        .find_map(|l| names.iter().position(|n| n.trim().eq_ignore_ascii_case(l)))
}

/// The note when column `name` was taken as the labels automatically.
pub fn used_label_note(name: &str) -> String {
    format!("used column '{name}' as the labels")
}

/// The note when no label column was found automatically.
pub fn no_label_note() -> String {
    "no label column (none is named label, class, target or species, nor y without x/z \
     beside it): points are not coloured by class and accuracy is not measured; name the \
     label column (--label-column) if there is one"
        .into()
}

/// The error when the label column is also a column to leave out.
pub fn label_also_left_out(path: &Path, name: &str) -> Error {
    Error::bad_file(
        path,
        format!(
            "column '{name}' is the label column and also a column to leave out; leave it out \
             of --drop-columns, or choose another label column (or none)"
        ),
    )
}

/// The note when text columns were left out and no label column was found: the first of them
/// may hold the classes.
pub fn text_label_hint(first_text_column: &str) -> String {
    format!(
        "if '{first_text_column}' holds the classes, make it the label column (--label-column \
         {first_text_column})"
    )
}

/// The note when a label column holds numbers that are not a few whole-number classes.
pub fn continuous_label_note(column: &str) -> String {
    format!(
        "the labels in column '{column}' are read as a continuous value (numbers that are not a \
         few whole-number classes): a colour scale, and no accuracy"
    )
}

/// The columns `drop` names (each by name or 0-based index), sorted and without repeats.
pub fn dropped_columns(path: &Path, names: &[String], drop: &[String]) -> Result<Vec<usize>> {
    let mut columns = drop
        .iter()
        .map(|wanted| find_column(path, names, wanted, "column to leave out"))
        .collect::<Result<Vec<_>>>()?;
    columns.sort_unstable();
    columns.dedup();
    Ok(columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn y_beside_x_or_z_is_a_coordinate() {
        assert_eq!(auto_label_column(&names(&["x", "y", "z"])), None);
        assert_eq!(auto_label_column(&names(&["X", "Y"])), None);
        assert_eq!(auto_label_column(&names(&["a", "b", "y"])), Some(2));
        assert_eq!(auto_label_column(&names(&["x", "y", "label"])), Some(2));
        assert_eq!(auto_label_column(&names(&["Species", "x"])), Some(0));
    }

    #[test]
    fn none_and_named_choices() {
        let p = Path::new("t.csv");
        let n = names(&["a", "label", "b"]);
        assert_eq!(
            label_column(p, &n, true, &LabelColumn::Unlabelled).unwrap(),
            None
        );
        assert_eq!(
            label_column(p, &n, true, &LabelColumn::Auto).unwrap(),
            Some(1)
        );
        assert_eq!(
            label_column(p, &n, false, &LabelColumn::Auto).unwrap(),
            None
        );
        let b = LabelColumn::Named("B".into());
        assert_eq!(label_column(p, &n, true, &b).unwrap(), Some(2));
        let e = label_column(p, &n, true, &LabelColumn::Named("c".into())).unwrap_err();
        assert!(e.to_string().contains("no label column 'c'"), "{e}");
    }

    #[test]
    fn duplicate_names_are_refused_with_both_positions() {
        let p = Path::new("t.csv");
        check_unique_names(p, &names(&["a", "b"])).unwrap();
        let e = check_unique_names(p, &names(&["f0", "label", "f1", "label "])).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("'label' (columns 1 and 3)"), "{text}");
        assert!(text.contains("rename"), "{text}");
    }

    #[test]
    fn dropped_columns_by_name_or_index() {
        let p = Path::new("t.csv");
        let n = names(&["bill", "year", "sex"]);
        let d = dropped_columns(p, &n, &["YEAR".into(), "0".into(), "year".into()]).unwrap();
        assert_eq!(d, [0, 1]);
        let e = dropped_columns(p, &n, &["month".into()]).unwrap_err();
        assert!(
            e.to_string().contains("no column to leave out 'month'"),
            "{e}"
        );
    }

    #[test]
    fn consecutive_column_names_become_ranges() {
        let n = names(&[
            "pixel0", "pixel1", "pixel2", "pixel5", "pixel6", "year", "x9", "y10",
        ]);
        assert_eq!(
            name_ranges(&n, 10),
            "pixel0–pixel2, pixel5, pixel6, year, x9, y10"
        );
        assert_eq!(
            name_ranges(&n, 2),
            "pixel0–pixel2, pixel5, pixel6, … and 3 more"
        );
        let many: Vec<String> = (0..112).map(|j| format!("p{}", j * 2)).collect();
        assert!(name_ranges(&many, MAX_RANGES).ends_with("… and 102 more"));
    }
}
