"""The README's memory table, measured with the CLI (issue 19).

    python bench/memory.py [--bin target/release/latent-compare] [--work target/bench-data/memory]

1. Each method's fit on digits and on mnist-like (70 000 × 784): `peak_memory_bytes` and
   `model_bytes` from report.json (PCA against the AE, then PCA against the VAE).
2. The whole process on random 784-feature data of growing row counts (NumPy files, 10 classes),
   the method fitted as both A and B: `run.peak_resident_bytes` and `run.peak_heap_bytes`, a
   line fitted through them (bytes = fixed + per_row · rows), and the rows at which it reaches
   8 GiB: the largest such dataset the method handles in 8 GiB of RAM.

Networks train 2 epochs: a fit's peak does not depend on how many (its buffers are made once).
Prints markdown; writes memory.json beside the runs.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
GIB = 1 << 30
MIB = 1 << 20
METHODS = ["pca", "ae", "vae"]
ROWS = [35_000, 70_000, 140_000, 280_000]
FEATURES = 784


def compare(binary, out, *args):
    cmd = [str(binary), "compare", "--out", str(out), "--quiet", "--epochs", "2", *map(str, args)]
    print("+", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True)
    return json.loads((out / "report.json").read_text())


def mib(b):
    return "–" if b is None else f"{b / MIB:.1f} MiB"


def fits(binary, work):
    """(data, method) → (peak_memory_bytes, model_bytes, fit_seconds)."""
    table = {}
    for data in ["digits", "mnist-like"]:
        for b in ["ae", "vae"]:
            r = compare(binary, work / f"fit-{data}-{b}", "--data", data, "--method-a", "pca", "--method-b", b)
            for side in ["a", "b"]:
                m = r["methods"][side]
                table[(data, m["kind"])] = (m["peak_memory_bytes"], m["model_bytes"], m["fit_seconds"])
    return table


def scaling(binary, work):
    """method → [(rows, resident peak, heap peak)]."""
    rng = np.random.default_rng(0)
    points = {m: [] for m in METHODS}
    for rows in ROWS:
        x_path, y_path = work / f"x{rows}.npy", work / f"y{rows}.npy"
        np.save(x_path, rng.random((rows, FEATURES), dtype=np.float32))
        np.save(y_path, rng.integers(0, 10, rows).astype(np.int64))
        for method in METHODS:
            r = compare(binary, work / f"scale-{method}-{rows}", "--data", x_path, "--labels", y_path,
                        "--method-a", method, "--method-b", method)
            points[method].append((rows, r["run"]["peak_resident_bytes"], r["run"]["peak_heap_bytes"]))
        x_path.unlink()
        y_path.unlink()
    return points


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=ROOT / "target" / "release" / "latent-compare", type=Path)
    ap.add_argument("--work", default=ROOT / "target" / "bench-data" / "memory", type=Path)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    table = fits(args.bin, args.work)
    points = scaling(args.bin, args.work)

    print("| method | fit's peak, digits (1437 × 64) | fit's peak, 70 000 × 784 | model, 70 000 × 784 "
          "| process per 1000 rows of 784 | largest 784-feature dataset in 8 GiB |")
    print("|---|---|---|---|---|---|")
    lines = {}
    for method in METHODS:
        rows = np.array([p[0] for p in points[method]], dtype=float)
        resident = np.array([p[1] for p in points[method]], dtype=float)
        per_row, fixed = np.polyfit(rows, resident, 1)
        largest = (8 * GIB - fixed) / per_row
        lines[method] = {"fixed_bytes": fixed, "per_row_bytes": per_row, "largest_rows_in_8_gib": largest,
                         "points": points[method]}
        digits, mnist = table[("digits", method)], table[("mnist-like", method)]
        print(f"| {method} | {mib(digits[0])} | {mib(mnist[0])} | {mnist[1] / 1024:.0f} KiB "
              f"| {per_row * 1000 / MIB:.2f} MiB | {largest / 1e6:.2f} M rows |")
    print()
    for method in METHODS:
        pts = ", ".join(f"{r}: {res / MIB:.0f} MiB resident, {heap / MIB:.0f} MiB heap"
                        for r, res, heap in points[method])
        print(f"- {method}: {pts}")
    (args.work / "memory.json").write_text(json.dumps(
        {"fits": {f"{d}/{m}": v for (d, m), v in table.items()}, "scaling": lines}, indent=1) + "\n")


if __name__ == "__main__":
    main()
