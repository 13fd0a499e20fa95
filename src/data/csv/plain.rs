//! Plain CSV files that are not datasets: a purely numeric matrix (precomputed latents) and a
//! single column of labels. They share the dataset loader's dialect detection and parsing.

use std::path::Path;

use ndarray::Array2;

use super::chunked::ChunkTuning;
use super::sniff::is_missing_marker;
use super::source::CsvSource;
use super::table::{Problem, problem_message, read_table};
use crate::data::dataset::Labels;
use crate::data::labels::labels_from_text;
use crate::error::{Error, Result};

/// Reads a CSV file of latents: numbers only (an optional header is skipped). When the header
/// names latent columns `z0`, `z1`, … (as latent-compare's own `latents_*.csv` do), those
/// columns are read and the others (split, label, agreement) are left out.
///
/// Text, missing and infinite cells are errors naming the line and column.
pub(crate) fn read_numeric_matrix(path: &Path) -> Result<Array2<f32>> {
    read_latents_csv(path).map(|(latents, _)| latents)
}

/// [`read_numeric_matrix`], with the cells of the `split` column when the file names its latent
/// columns and has one (the split the latents were made with).
pub(crate) fn read_latents_csv(path: &Path) -> Result<(Array2<f32>, Option<Vec<String>>)> {
    let mut src = CsvSource::open(path)?;
    let latent_cols: Vec<usize> = if src.has_header {
        (0..src.n_fields())
            .filter(|&j| src.names.get(j).is_some_and(|n| is_latent_name(n)))
            .collect()
    } else {
        Vec::new()
    };
    // the split column is kept as text beside named latent columns
    let split_col = (!latent_cols.is_empty())
        .then(|| {
            src.names
                .iter()
                .position(|n| n.eq_ignore_ascii_case("split"))
        })
        .flatten();
    let table = read_table(&mut src, split_col, &|_, _| {}, ChunkTuning::default())?;
    if table.n_rows == 0 {
        return Err(Error::bad_file(
            path,
            "the file has a header but no data rows; give one row of numbers per sample",
        ));
    }
    let cols: Vec<usize> = if latent_cols.is_empty() {
        table.value_cols.clone()
    } else {
        latent_cols
    };
    if let Some((line, j, problem)) = table.first_problem(&cols, true) {
        let hint = "this file must hold a number in every cell; fill the value, or keep only \
                    the latent columns (or name them z0, z1, …, and the others are left out)";
        let name = src.names.get(j).map_or("?", String::as_str);
        return Err(Error::bad_file(
            path,
            problem_message(line, name, &problem, hint),
        ));
    }
    // where each wanted file column sits among the table's value columns (all but the split)
    let at: Vec<usize> = cols
        .iter()
        .filter_map(|j| table.value_cols.iter().position(|c| c == j))
        .collect();
    let width = table.value_cols.len();
    let mut values = Vec::with_capacity(table.n_rows * at.len());
    for row in table.values.chunks_exact(width) {
        values.extend(at.iter().map(|&k| row[k]));
    }
    let split = table
        .labels
        .map(|cells| (0..table.n_rows).map(|r| cells.get(r).to_owned()).collect());
    let latents = Array2::from_shape_vec((table.n_rows, at.len()), values)
        .map_err(|e| Error::Internal(format!("{}: arranging the values: {e}", path.display())))?;
    Ok((latents, split))
}

/// `z` followed by digits: a latent column as latent-compare names them.
fn is_latent_name(name: &str) -> bool {
    let name = name.trim();
    name.len() > 1 && name.starts_with(['z', 'Z']) && name[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Reads a one-column CSV file of labels (an optional header is skipped) and checks that it
/// has `expected_rows` labels.
///
/// With text labels, a first row that would make one label too many is the header, otherwise
/// it is a label. A missing label is an error naming the line.
pub(crate) fn read_label_column(path: &Path, expected_rows: usize) -> Result<Labels> {
    let mut src = CsvSource::open(path)?;
    if src.n_fields() != 1 {
        return Err(Error::bad_file(
            path,
            format!(
                "a label file must have one column, but this one has {} ({}); \
                 keep only the label column",
                src.n_fields(),
                crate::data::columns::list_names(&src.names)
            ),
        ));
    }
    let table = read_table(&mut src, Some(0), &|_, _| {}, ChunkTuning::default())?;
    let cells = table.labels.unwrap_or_default();
    let mut texts: Vec<&str> = (0..table.n_rows).map(|i| cells.get(i)).collect();
    // A first row of text above text labels looks like a header; when keeping it as a label
    // makes the count right, it was a label.
    let is_text = |t: &&str| t.parse::<f64>().is_err() && !is_missing_marker(t);
    let first = src.names.first().map_or("", String::as_str);
    if src.has_header
        && texts.len() + 1 == expected_rows
        && is_text(&first)
        && texts.iter().all(is_text)
    {
        texts.insert(0, first);
    }
    if let Some(line) = table.stats.first().and_then(|s| s.first_missing) {
        let hint = "every row needs a label; fill it in";
        let msg = problem_message(line, &src.names[0], &Problem::Missing, hint);
        return Err(Error::bad_file(path, msg));
    }
    if texts.len() != expected_rows {
        return Err(count_mismatch(path, texts.len(), expected_rows));
    }
    let owned: Vec<String> = texts.into_iter().map(str::to_string).collect();
    Ok(labels_from_text(&owned))
}

/// The error for a label file whose length does not match the data.
pub(crate) fn count_mismatch(path: &Path, found: usize, expected: usize) -> Error {
    Error::bad_file(
        path,
        format!(
            "the file has {found} labels but the data has {expected} rows; give exactly one \
             label per data row, in the same order"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::is_latent_name;

    #[test]
    fn latent_column_names() {
        for name in ["z0", "z12", "Z3", " z1 "] {
            assert!(is_latent_name(name), "{name}");
        }
        for name in ["z", "zz1", "z1a", "split", "x0", ""] {
            assert!(!is_latent_name(name), "{name}");
        }
    }
}
