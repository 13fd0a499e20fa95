"""Writes src/data/iris.rs: scikit-learn's copy of Fisher's iris as a Rust constant.

scikit-learn's iris is Fisher's, "not as in the UCI Machine Learning Repository, which has two
wrong data points" (its DESCR): rows 35 and 38 (1-based). smartcore ships the UCI file, so the
built-in `iris` takes its values from here.

Run from the crate root (written with scikit-learn 1.9.1, numpy 2.4.6):

    /work/venv/bin/python scripts/reference/iris_rs.py && cargo fmt
"""

from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_iris

iris = load_iris()
x, y = iris.data, iris.target
# The loader assigns classes by row blocks of 50; check that this still holds.
assert x.shape == (150, 4)
assert (y == np.repeat([0, 1, 2], 50)).all()
assert list(iris.target_names) == ["setosa", "versicolor", "virginica"]

rows = "\n".join(
    "    [" + ", ".join(repr(float(v)) for v in row) + "]," for row in x
)
text = f'''//! Fisher's iris as scikit-learn ships it (`sklearn.datasets.load_iris().data`, scikit-learn
//! {sklearn.__version__}), written by `scripts/reference/iris_rs.py`; do not edit by hand.
//!
//! The UCI file (and smartcore's copy of it) has two errors in rows 35 and 38 (1-based), which
//! scikit-learn corrects; with these values the PCA of the standardized data gives scikit-learn's
//! explained-variance ratios (0.7296, 0.2285) rather than the UCI file's (0.7277, 0.2303).

/// Feature names, as `load_iris().feature_names`.
pub const IRIS_FEATURES: [&str; 4] = {[str(n) for n in iris.feature_names]!r};

/// Class names, as `load_iris().target_names`.
pub const IRIS_CLASSES: [&str; 3] = {[str(n) for n in iris.target_names]!r};

/// Rows of each class: rows `50 c .. 50 (c + 1)` are class `c`, as `load_iris().target`.
pub const IRIS_ROWS_PER_CLASS: usize = 50;

/// The 150 × 4 measurements (cm).
pub const IRIS: [[f32; 4]; 150] = [
{rows}
];
'''.replace("['", '["').replace("']", '"]').replace("', '", '", "')
out = Path(__file__).resolve().parents[2] / "src" / "data" / "iris.rs"
out.write_text(text)
print(f"wrote {out}")
