"""Time to verdict on real MNIST (10 000 digits): our CLI's whole run against the notebook that
does the same work (bench/notebook.py), best of N wall-clock runs each, and the ratio.

    python bench/verdict.py OUT_DIR [--runs 3] [--python PY] [--wait]

Ours is `target/release/latent-compare compare --data OUT_DIR/mnist_10000.csv --preprocess minmax
--out TMP --quiet`: the default comparison (PCA vs VAE, 2-D latents, seed 42, 80/20 split, the
metrics on the 2000 test rows, report and figures written) with min-max scaling, which pixel
data needs and the notebook uses (the CLI's default scaling is standardize). Timed as a process,
start to exit: loading, fitting, evaluating and writing every file. The notebook is timed inside
its process, imports excluded. The CSV is made by bench/mnist.py when missing; the binary is
built with `cargo build --release` when missing (with --wait: waited for, checked every minute).

Prints one JSON object and writes it to OUT_DIR/verdict.json: ours_s, notebook_s, ratio, every
run's time, the per-stage seconds of both (ours from report.json) and the key figures of both
runs side by side.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "release" / "latent-compare"
CSV = "mnist_10000.csv"
# the figures compared between our report.json and the notebook's
METHOD_KEYS = [
    "reconstruction_mse_train",
    "reconstruction_mse_test",
    "knn_accuracy",
    "linear_accuracy",
    "trustworthiness",
    "continuity",
    "silhouette",
    "fit_seconds",
    "encode_seconds_per_1k",
]
COMPARISON_KEYS = [
    "linear_cka",
    "linear_cka_debiased",
    "procrustes_disparity",
    "mean_cca",
    "knn_jaccard_mean",
    "distance_spearman",
]


def say(*args):
    print(*args, file=sys.stderr, flush=True)


def ensure_binary(wait):
    if BINARY.exists():
        return
    if wait:
        while not BINARY.exists():
            say(f"waiting for {BINARY} ...")
            time.sleep(60)
        return
    cmd = ["cargo", "build", "--release", "--bin", "latent-compare"]
    say("+", " ".join(cmd))
    subprocess.run(cmd, cwd=ROOT, check=True)


def ensure_csv(out_dir, python):
    csv = out_dir / CSV
    if not csv.exists():
        subprocess.run([python, ROOT / "bench" / "mnist.py", out_dir], check=True)
    return csv


def ours_once(csv):
    """One run of our CLI: (wall seconds, report.json)."""
    with tempfile.TemporaryDirectory(prefix="verdict-ours-") as out:
        cmd = [BINARY, "compare", "--data", csv, "--preprocess", "minmax", "--out", out, "--quiet"]
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - t
        report = json.loads((Path(out) / "report.json").read_text())
    return seconds, report


def notebook_once(csv, python):
    out = subprocess.run(
        [python, ROOT / "bench" / "notebook.py", csv], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def ours_parts(seconds, report):
    """Per-stage seconds of our run from its report: the report's own timings when it has them,
    else the two fits and the rest of the wall time (load, evaluation, files, process)."""
    if isinstance(report.get("timings"), dict):
        return report["timings"]
    fit_a = report["methods"]["a"]["fit_seconds"]
    fit_b = report["methods"]["b"]["fit_seconds"]
    return {"fit_a": fit_a, "fit_b": fit_b, "rest": seconds - fit_a - fit_b}


def ours_figures(report):
    out = {}
    for side in ("a", "b"):
        m = report["methods"][side]
        e = m.get("evaluation", {})
        out[side] = {k: m.get(k, e.get(k)) for k in METHOD_KEYS}
    c = report["comparison"]
    between = c.get("between", c)
    out["comparison"] = {k: between.get(k) for k in COMPARISON_KEYS}
    out["equivalent"] = between.get("verdict", {}).get("equivalent")
    return out


def side_by_side(ours, nb):
    rows = {}
    for side in ("a", "b"):
        for k in METHOD_KEYS:
            rows[f"{side}.{k}"] = [ours[side].get(k), nb[side].get(k)]
    for k in COMPARISON_KEYS:
        rows[k] = [ours["comparison"].get(k), nb["comparison"].get(k)]
    rows["equivalent"] = [ours.get("equivalent"), nb.get("equivalent")]
    return rows


def measure(out_dir, runs=3, python=sys.executable, wait=False):
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    csv = ensure_csv(out_dir, python)
    ensure_binary(wait)
    ours_runs, best_report = [], None
    for i in range(runs):
        say(f"ours, run {i + 1} of {runs} ...")
        seconds, report = ours_once(csv)
        if not ours_runs or seconds < min(ours_runs):
            best_report = report
        ours_runs.append(seconds)
    nb_runs, best_nb = [], None
    for i in range(runs):
        say(f"notebook, run {i + 1} of {runs} ...")
        result = notebook_once(csv, python)
        if not nb_runs or result["notebook_s"] < min(nb_runs):
            best_nb = result
        nb_runs.append(result["notebook_s"])
    ours_s, nb_s = min(ours_runs), min(nb_runs)
    nb_metrics = best_nb["metrics"]
    result = {
        "ours_s": ours_s,
        "notebook_s": nb_s,
        "ratio": ours_s / nb_s,
        "ours_runs": ours_runs,
        "notebook_runs": nb_runs,
        "ours_parts": ours_parts(ours_s, best_report),
        "notebook_parts": best_nb["parts"],
        "figures_ours_vs_notebook": side_by_side(
            ours_figures(best_report), {**nb_metrics, "equivalent": nb_metrics.get("equivalent")}
        ),
        "command": f"{BINARY} compare --data {csv} --preprocess minmax --out TMP --quiet",
    }
    (out_dir / "verdict.json").write_text(json.dumps(result, indent=1) + "\n")
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--python", default=sys.executable, help="Python with the notebook's packages")
    ap.add_argument("--wait", action="store_true", help="wait for the binary instead of building it")
    args = ap.parse_args()
    result = measure(args.out_dir, args.runs, args.python, args.wait)
    print(json.dumps(result, indent=1))
    say(
        f"time to verdict: ours {result['ours_s']:.2f} s, notebook {result['notebook_s']:.2f} s, "
        f"ratio {result['ratio']:.3f}"
    )


if __name__ == "__main__":
    main()
