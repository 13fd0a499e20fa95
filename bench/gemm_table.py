"""The GEMM table of `bench/run.py`: GFLOP/s of our matrix product against faer and
matrixmultiply, shape by shape, from the criterion results of `cargo bench --bench gemm`."""

import json
import re

from criterion_results import CRITERION, ROOT, criterion_folder, criterion_median

# the criterion ids of `cargo bench --bench gemm`: gemm/<shape>/<impl>
GEMM_IMPLS = ["ours", "faer", "matrixmultiply"]


def gemm_shapes():
    """The shapes of benches/gemm.rs in its order, then any others criterion has results for."""
    shapes = []
    source = ROOT / "benches" / "gemm.rs"
    if source.exists():
        # The dense shapes come before `fn bench_images` (whose ids are the `images` group's).
        text = source.read_text().split("fn bench_images")[0]
        for name in re.findall(r'"([a-z0-9_]+_\d+x\d+(?:x\d+)?)', text):
            if name not in shapes:
                shapes.append(name)
    folder = CRITERION / "gemm"
    if folder.is_dir():
        for d in sorted(folder.iterdir()):
            # Only shape folders (criterion names a `shape/impl` id's folder `shape_impl` when
            # the id is given as one string).
            if d.is_dir() and re.fullmatch(r"[a-z0-9_]+_\d+x\d+(?:x\d+)?", d.name) and d.name not in shapes:
                shapes.append(d.name)
    return shapes


def gemm_flops(bench_id, shape):
    """FLOPs of one product: criterion's recorded throughput, else from the name: 2·m·k·n for
    `…_MxKxN`, d(d+1)·rows for `gram_lower_DxROWS` (the lower triangle of xᵀx)."""
    meta = criterion_folder(bench_id) / "new" / "benchmark.json"
    if meta.exists():
        elements = (json.loads(meta.read_text()).get("throughput") or {}).get("Elements")
        if elements:
            return float(elements)
    dims = [int(v) for v in shape.rsplit("_", 1)[-1].split("x")]
    if shape.startswith("gram_lower") and len(dims) == 2:
        d, rows = dims
        return float(d * (d + 1) * rows)
    if len(dims) == 3:
        m, k, n = dims
        return 2.0 * m * k * n
    return None


def gemm_table(cpu_text):
    lines = [
        f"Matrix products (f32, `cargo bench --bench gemm`) on {cpu_text}: GFLOP/s of the median.",
        "",
        "| shape (m × k × n) | " + " | ".join(GEMM_IMPLS) + " | ours / best other |",
        "|---|" + "---|" * (len(GEMM_IMPLS) + 1),
    ]
    for shape in gemm_shapes():
        rates = {}
        for impl in GEMM_IMPLS:
            seconds = criterion_median(f"gemm/{shape}/{impl}")
            flops = gemm_flops(f"gemm/{shape}/{impl}", shape)
            rates[impl] = flops / seconds / 1e9 if seconds and flops else None
        others = [r for i, r in rates.items() if i != "ours" and r]
        rel = f"{rates['ours'] / max(others):.2f}" if rates.get("ours") and others else "–"
        cells = " | ".join("–" if r is None else f"{r:.1f}" for r in rates.values())
        lines.append(f"| {shape} | {cells} | {rel} |")
    # The `images` group: ours on mnist-like rows (zero background) and on a ReLU layer's output
    # (`relu_*`: 43 % non-zero, scattered), where a panel skips the steps of k whose rows are all
    # zero or the product runs over A's non-zero elements alone; the same shapes on dense values
    # are above. Rates count every multiply-add of the dense product.
    folder = CRITERION / "images"
    if folder.is_dir():
        for d in sorted(folder.iterdir()):
            seconds = criterion_median(f"images/{d.name}")
            flops = gemm_flops(f"images/{d.name}", d.name)
            if seconds and flops:
                rate = flops / seconds / 1e9
                rows = "a ReLU output" if d.name.startswith("relu") else "mnist-like rows"
                lines.append(f"| {d.name}, {rows} (zeros left out) | {rate:.1f} | – | – | – |")
    return lines
