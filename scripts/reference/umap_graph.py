"""Writes tests/reference/umap_graph.json, umap-learn's pieces for tests/reference_umap.rs:

- `x`: 300 x 10 float32 rows (three Gaussian blobs, numpy seed 0), as written.
- `graph`: umap-learn's `fuzzy_simplicial_set(x, n_neighbors=15, random_state=0,
  metric="euclidean", knn_indices=..., knn_dists=...)` given the exact neighbours (brute force in
  float64, each row first with distance 0, as umap-learn's own lists), as COO rows/cols/values,
  and its `sigmas` and `rhos`.
- `ab`: `umap.umap_.find_ab_params(spread, min_dist)` for a few pairs.
- `epochs_auto`: the graph after umap-learn's pruning for 500 epochs (weights < max / 500 dropped).

Run from the crate root (umap-learn 0.5.12, numpy, scipy):

    /work/venv/bin/python scripts/reference/umap_graph.py
"""

import json
from pathlib import Path

import numpy as np
import scipy
import umap
from umap.umap_ import find_ab_params, fuzzy_simplicial_set

rng = np.random.default_rng(0)
centres = np.array([[0.0] * 10, [6.0] * 10, [-6.0] + [0.0] * 9])
x = np.vstack([rng.normal(size=(100, 10)) + c for c in centres]).astype(np.float32)
x64 = x.astype(np.float64)
d = np.sqrt(((x64[:, None, :] - x64[None, :, :]) ** 2).sum(-1))
k = 15
order = np.argsort(d, axis=1, kind="stable")[:, :k]
dists = np.take_along_axis(d, order, axis=1)
assert (order[:, 0] == np.arange(len(x))).all()
graph, sigmas, rhos = fuzzy_simplicial_set(
    x, k, 0, "euclidean", knn_indices=order, knn_dists=dists.astype(np.float32)
)
graph = graph.tocoo()
graph.sum_duplicates()
pruned = graph.copy()
pruned.data[pruned.data < pruned.data.max() / 500.0] = 0.0
pruned.eliminate_zeros()
pairs = [(1.0, 0.1), (1.0, 0.5), (2.0, 0.01), (0.5, 0.05)]
out = {
    "generator": "scripts/reference/umap_graph.py",
    "versions": {"umap-learn": umap.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
    "n_neighbors": k,
    "x": [[float(v) for v in row] for row in x],
    "graph": {
        "rows": graph.row.tolist(),
        "cols": graph.col.tolist(),
        "values": [float(v) for v in graph.data],
    },
    "pruned_500_count": int(pruned.nnz),
    "sigmas": [float(v) for v in sigmas],
    "rhos": [float(v) for v in rhos],
    "ab": [
        {"spread": s, "min_dist": m, "a": float(a), "b": float(b)}
        for s, m in pairs
        for a, b in [find_ab_params(s, m)]
    ],
}
Path("tests/reference/umap_graph.json").write_text(json.dumps(out))
print("wrote tests/reference/umap_graph.json", graph.nnz, "entries")
