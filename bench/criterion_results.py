"""Where the benchmarks write (target/, its bench-data and criterion folders) and how to read a
criterion result's median (and its fastest sample), shared by bench/run.py and bench/gemm_table.py."""

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
DATA = TARGET / "bench-data"
CRITERION = TARGET / "criterion"


def criterion_folder(bench_id):
    """Criterion's folder for an id: `group/function`, where a function id `a/b` given as one
    string is stored as `a_b`."""
    path = CRITERION / bench_id
    if not path.exists():
        group, _, function = bench_id.partition("/")
        path = CRITERION / group / function.replace("/", "_")
    return path


def criterion_median(bench_id):
    path = criterion_folder(bench_id) / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e9


def criterion_fastest(bench_id):
    """The fastest sample of a criterion result: the least time per iteration among its samples
    (sample.json), in seconds."""
    path = criterion_folder(bench_id) / "new" / "sample.json"
    if not path.exists():
        return None
    sample = json.loads(path.read_text())
    return min(t / i for t, i in zip(sample["times"], sample["iters"]) if i > 0) / 1e9
