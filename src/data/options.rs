//! How to read a data source beyond its name: the label column (or none), a labels file, the
//! missing-value policy, columns to leave out and the image shape. One shape for the CLI, the
//! TOML (its top-level data keys), the app and every loader.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::csv::MissingPolicy;

/// How to read a data source beyond its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LoadOptions {
    /// Which column holds the labels.
    pub label_column: LabelColumn,
    /// Separate labels file (.npy, IDX labels or one-column CSV), one label per data row of the
    /// source.
    pub labels: Option<PathBuf>,
    /// Missing-value policy for tables (CSV, Parquet).
    pub missing: MissingPolicy,
    /// Columns left out of the features (names, or 0-based indices), e.g. a year or an id.
    pub drop_columns: Vec<String>,
    /// The rows are images of this shape; `None` lets the loader decide (IDX, 3-D arrays, and
    /// tables with pixel-named columns are images).
    pub image_shape: Option<ImageShape>,
}

/// Which column of a table holds the labels. Written as text: `auto`, `none`, or a column's
/// name or 0-based index (a column literally named `auto` or `none` is chosen by its index).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum LabelColumn {
    /// A column named label, class, target, species (or `y` when it is not a coordinate beside
    /// `x`/`z`), if there is one.
    #[default]
    Auto,
    /// No labels: every column is data.
    Unlabelled,
    /// This column: a name (matched exactly, then ignoring case) or a 0-based index.
    Named(String),
}

impl LabelColumn {
    /// The column's name or index when one is named.
    pub fn named(&self) -> Option<&str> {
        match self {
            LabelColumn::Named(name) => Some(name),
            _ => None,
        }
    }
}

impl From<String> for LabelColumn {
    fn from(text: String) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" | "" => LabelColumn::Auto,
            "none" => LabelColumn::Unlabelled,
            _ => LabelColumn::Named(text.trim().to_owned()),
        }
    }
}

impl From<LabelColumn> for String {
    fn from(choice: LabelColumn) -> Self {
        choice.to_string()
    }
}

impl FromStr for LabelColumn {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(LabelColumn::from(s.to_owned()))
    }
}

impl fmt::Display for LabelColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelColumn::Auto => f.write_str("auto"),
            LabelColumn::Unlabelled => f.write_str("none"),
            LabelColumn::Named(name) => f.write_str(name),
        }
    }
}

/// Largest side of an image shape anyone gives (a sanity bound, not a memory bound).
const MAX_IMAGE_SIDE: usize = 1 << 16;

/// The shape of each row as an image: `height` × `width` pixels, row-major. Written `HxW`
/// (`28x28`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct ImageShape {
    /// Rows of pixels.
    pub height: usize,
    /// Pixels per row.
    pub width: usize,
}

impl ImageShape {
    /// Number of pixels (the features an image row has).
    pub fn pixels(self) -> usize {
        self.height * self.width
    }

    /// As `(height, width)`, the form a [`Dataset`](super::Dataset) keeps.
    pub fn pair(self) -> (usize, usize) {
        (self.height, self.width)
    }
}

impl FromStr for ImageShape {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || {
            format!(
                "an image shape is HEIGHTxWIDTH in pixels, like 28x28 (got '{s}'); both \
                 between 1 and {MAX_IMAGE_SIDE}"
            )
        };
        let parts: Vec<&str> = s.split(['x', 'X', '×', ',', '*']).map(str::trim).collect();
        let [h, w] = parts[..] else {
            return Err(bad());
        };
        let side = |t: &str| {
            t.parse::<usize>()
                .ok()
                .filter(|v| (1..=MAX_IMAGE_SIDE).contains(v))
        };
        match (side(h), side(w)) {
            (Some(height), Some(width)) => Ok(ImageShape { height, width }),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for ImageShape {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        s.parse()
    }
}

impl From<ImageShape> for String {
    fn from(shape: ImageShape) -> Self {
        shape.to_string()
    }
}

impl fmt::Display for ImageShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.height, self.width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_column_reads_auto_none_and_names() {
        assert_eq!(
            LabelColumn::from("none".to_owned()),
            LabelColumn::Unlabelled
        );
        assert_eq!(
            LabelColumn::from(" NONE ".to_owned()),
            LabelColumn::Unlabelled
        );
        assert_eq!(LabelColumn::from("auto".to_owned()), LabelColumn::Auto);
        assert_eq!(
            LabelColumn::from("species".to_owned()),
            LabelColumn::Named("species".into())
        );
        for choice in [
            LabelColumn::Auto,
            LabelColumn::Unlabelled,
            LabelColumn::Named("Island".into()),
        ] {
            assert_eq!(LabelColumn::from(choice.to_string()), choice);
        }
    }

    #[test]
    fn image_shapes_parse_and_print() {
        let s: ImageShape = "28x28".parse().unwrap();
        assert_eq!((s.pair(), s.pixels()), ((28, 28), 784));
        assert_eq!("32 × 24".parse::<ImageShape>().unwrap().pair(), (32, 24));
        assert_eq!("8,4".parse::<ImageShape>().unwrap().to_string(), "8x4");
        for bad in ["28", "0x28", "28x", "axb", "1x2x3", "99999999x1"] {
            let e = bad.parse::<ImageShape>().unwrap_err();
            assert!(e.contains("HEIGHTxWIDTH"), "{bad}: {e}");
        }
    }

    #[test]
    fn options_round_trip_through_toml() {
        let o = LoadOptions {
            label_column: LabelColumn::Unlabelled,
            drop_columns: vec!["year".into()],
            image_shape: Some(ImageShape {
                height: 28,
                width: 28,
            }),
            ..LoadOptions::default()
        };
        let text = toml::to_string(&o).unwrap();
        assert!(text.contains("label_column = \"none\""), "{text}");
        assert!(text.contains("image_shape = \"28x28\""), "{text}");
        assert_eq!(toml::from_str::<LoadOptions>(&text).unwrap(), o);
    }
}
