//! Knowing when the rows are images: the shape a user gives (`--image-shape`), or one guessed
//! from a table's column names when they are pixel-like (`p0…`, `pixel0…`, `0…783`,
//! `1x1…28x28`, or a list column `image[0]…`) and their count is a square. IDX files and 3-D arrays carry their shape and
//! set it when they are read.

use std::path::Path;

use super::dataset::Dataset;
use super::options::ImageShape;
use crate::error::{Error, Result};

/// Sets `dataset.image_shape`: the `wanted` shape when given (it must match the number of
/// features), else the loader's own (IDX, 3-D arrays), else one guessed from pixel-like names.
pub fn apply_image_shape(
    source: &Path,
    dataset: &mut Dataset,
    wanted: Option<ImageShape>,
) -> Result<()> {
    let features = dataset.n_features();
    if let Some(shape) = wanted {
        if shape.pixels() != features {
            return Err(Error::bad_file(
                source,
                format!(
                    "the image shape {shape} has {} pixels, but the data has {features} \
                     features per row; give a shape whose height × width is {features}, or \
                     leave --image-shape out",
                    shape.pixels()
                ),
            ));
        }
        dataset.image_shape = Some(shape.pair());
        return Ok(());
    }
    if dataset.image_shape.is_none() {
        dataset.image_shape = guess_from_names(&dataset.feature_names);
        if let Some((h, w)) = dataset.image_shape {
            dataset.notes.push(format!(
                "read the rows as {h} × {w} images (the columns are named like pixels); \
                 --image-shape sets another shape"
            ));
        }
    }
    Ok(())
}

/// A square shape when the names are pixel-like, numbered in order, and their count is a
/// square of a side of at least 4.
pub fn guess_from_names(names: &[String]) -> Option<(usize, usize)> {
    let n = names.len();
    let side = n.isqrt();
    if side < 4 || side * side != n {
        return None;
    }
    let indexed = |first: usize| {
        names
            .iter()
            .enumerate()
            .all(|(j, name)| pixel_index(name.trim()) == Some(j + first))
    };
    let row_col = names.iter().enumerate().all(|(j, name)| {
        row_col_index(name.trim()).is_some_and(|(r, c)| (r, c) == (j / side + 1, j % side + 1))
    });
    let image_list = names
        .iter()
        .enumerate()
        .all(|(j, name)| list_index(name.trim()) == Some(j));
    (indexed(0) || indexed(1) || row_col || image_list).then_some((side, side))
}

/// `image[12]`, `pixels[12]`, `img[12]` (a list column of a table named like an image; any
/// case) → 12.
fn list_index(name: &str) -> Option<usize> {
    let (base, rest) = name.split_once('[')?;
    let base = base.trim().to_ascii_lowercase();
    if !["image", "images", "img", "pixel", "pixels"].contains(&base.as_str()) {
        return None;
    }
    rest.strip_suffix(']')?.parse().ok()
}

/// `p12`, `pixel12`, `px12`, `pix12` or `12` (any case; `_` or `-` may separate) → 12.
fn pixel_index(name: &str) -> Option<usize> {
    let lower = name.to_ascii_lowercase();
    let digits = ["pixel", "pix", "px", "p", ""]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))?;
    let digits = digits.trim_start_matches(['_', '-']);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// `3x14` (Kaggle's MNIST: row × column, from 1) → (3, 14).
fn row_col_index(name: &str) -> Option<(usize, usize)> {
    let (r, c) = name.split_once(['x', 'X'])?;
    Some((r.parse().ok()?, c.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn names(f: impl Fn(usize) -> String, n: usize) -> Vec<String> {
        (0..n).map(f).collect()
    }

    #[test]
    fn pixel_names_of_a_square_count_are_images() {
        assert_eq!(
            guess_from_names(&names(|j| format!("pixel{j}"), 784)),
            Some((28, 28))
        );
        assert_eq!(
            guess_from_names(&names(|j| format!("p{j}"), 64)),
            Some((8, 8))
        );
        assert_eq!(
            guess_from_names(&names(|j| j.to_string(), 784)),
            Some((28, 28))
        );
        assert_eq!(
            guess_from_names(&names(|j| format!("pixel_{}", j + 1), 16)),
            Some((4, 4))
        );
        let kaggle = names(|j| format!("{}x{}", j / 28 + 1, j % 28 + 1), 784);
        assert_eq!(guess_from_names(&kaggle), Some((28, 28)));
        // a list column named like an image (Parquet's vectors)
        assert_eq!(
            guess_from_names(&names(|j| format!("image[{j}]"), 784)),
            Some((28, 28))
        );
        assert_eq!(
            guess_from_names(&names(|j| format!("embedding[{j}]"), 784)),
            None
        );
    }

    #[test]
    fn other_names_or_counts_are_not() {
        // not a square
        assert_eq!(guess_from_names(&names(|j| format!("pixel{j}"), 783)), None);
        // feature names
        assert_eq!(guess_from_names(&names(|j| format!("f{j}"), 784)), None);
        assert_eq!(guess_from_names(&names(|j| format!("col{j}"), 16)), None);
        // out of order
        let mut shuffled = names(|j| format!("p{j}"), 16);
        shuffled.swap(0, 1);
        assert_eq!(guess_from_names(&shuffled), None);
        // too small to be an image
        assert_eq!(guess_from_names(&names(|j| format!("p{j}"), 4)), None);
    }

    #[test]
    fn a_given_shape_must_match_the_features() {
        let records = Array2::<f32>::zeros((3, 12));
        let mut ds = Dataset::new("t", records, None, names(|j| format!("c{j}"), 12));
        let path = Path::new("t.csv");
        apply_image_shape(path, &mut ds, None).unwrap();
        assert_eq!(ds.image_shape, None);
        apply_image_shape(path, &mut ds, Some("3x4".parse().unwrap())).unwrap();
        assert_eq!(ds.image_shape, Some((3, 4)));
        let e = apply_image_shape(path, &mut ds, Some("5x5".parse().unwrap())).unwrap_err();
        assert!(e.to_string().contains("25 pixels"), "{e}");
        assert!(e.to_string().contains("12 features"), "{e}");
    }
}
