"""t-SNE and UMAP fitted on real MNIST (10 000 digits × 784, min-max scaled): our CLI's fit
against scikit-learn's `TSNE(n_jobs=2)` and umap-learn's `UMAP(n_jobs=2)` (its second call on the
rows: the first compiles numba's functions) on the same rows, alternating (ours,
peer, peer, ours), with the trustworthiness (k = 10) of both embeddings computed the same way,
by scikit-learn, on the same rows.

    python bench/embeddings.py OUT_DIR [--methods tsne umap] [--rows 10000] [--rounds 2]

Ours is `target/release/latent-compare compare --data OUT_DIR/mnist_10000.csv --preprocess
minmax --test-fraction 0 --method-a tsne|umap --method-b pca`, and its time is the fit of A as
report.json records it (loading and the metrics excluded, as the peer's time is its
`fit_transform` alone). With --rows below 10 000 both use the first rows of the CSV. Prints one
JSON object and merges it into OUT_DIR/embeddings.json (methods not measured keep their results).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "release" / "latent-compare"
CSV = "mnist_10000.csv"
# set once umap-learn has run in this process
WARMED = []


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def load(csv, rows):
    """The CSV's pixels, min-max scaled per column as our `--preprocess minmax` does on all rows."""
    import pandas as pd

    from sklearn.preprocessing import MinMaxScaler

    frame = pd.read_csv(csv, nrows=rows)
    pixels = frame[[c for c in frame.columns if c.startswith("pixel")]].to_numpy(np.float32)
    return MinMaxScaler().fit_transform(pixels).astype(np.float32)


def ours_once(csv, method):
    """Our fit of `method` on the CSV: (seconds, embedding)."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [BINARY, "compare", "--data", csv, "--preprocess", "minmax", "--test-fraction", "0",
               "--method-a", method, "--method-b", "pca", "--out", out, "--quiet"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        report = json.loads((Path(out) / "report.json").read_text())
        import pandas as pd

        latents = pd.read_csv(Path(out) / "latents_a.csv")
        z = latents[[c for c in latents.columns if c.startswith("z")]].to_numpy(np.float64)
        return report["methods"]["a"]["fit_seconds"], z


def peer_once(x, method):
    """The peer's fit on the same rows: (seconds, embedding)."""
    if method == "tsne":
        from sklearn.manifold import TSNE

        model = TSNE(n_components=2, n_jobs=2, random_state=0)
    else:
        import umap

        if not WARMED:
            # numba compiles on the first call in a process (NN-descent's functions on a size
            # like this): not timed
            umap.UMAP(n_components=2, n_jobs=2).fit_transform(x)
            WARMED.append(True)
        model = umap.UMAP(n_components=2, n_jobs=2)
    started = time.perf_counter()
    z = model.fit_transform(x)
    return time.perf_counter() - started, z


def measure(out_dir, methods, rows, rounds):
    out_dir = Path(out_dir)
    csv = out_dir / CSV
    if not csv.exists():
        subprocess.run([sys.executable, ROOT / "bench" / "mnist.py", out_dir], check=True)
    if rows < 10000:
        import pandas as pd

        small = out_dir / f"mnist_{rows}.csv"
        pd.read_csv(csv, nrows=rows).to_csv(small, index=False)
        csv = small
    x = load(csv, rows)
    from sklearn.manifold import trustworthiness

    result = {}
    for method in methods:
        ours, peer = [], []
        trust = {}
        for r in range(rounds):
            for side in ("ours", "peer") if r % 2 == 0 else ("peer", "ours"):
                say(f"{method} {side} ...")
                seconds, z = ours_once(csv, method) if side == "ours" else peer_once(x, method)
                (ours if side == "ours" else peer).append(seconds)
                if side not in trust:
                    trust[side] = float(trustworthiness(x, z, n_neighbors=10))
        result[method] = {
            "rows": int(x.shape[0]),
            "ours_s": ours,
            "peer_s": peer,
            "ratio": statistics.mean(ours) / statistics.mean(peer),
            "trustworthiness": trust,
        }
        say(json.dumps(result[method]))
    # the methods measured now replace theirs; the others' earlier results are kept
    saved = out_dir / "embeddings.json"
    merged = json.loads(saved.read_text()) if saved.exists() else {}
    merged.update(result)
    saved.write_text(json.dumps(merged, indent=1) + "\n")
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--methods", nargs="*", default=["tsne"])
    ap.add_argument("--rows", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    print(json.dumps(measure(args.out_dir, args.methods, args.rows, args.rounds), indent=1))


if __name__ == "__main__":
    main()
