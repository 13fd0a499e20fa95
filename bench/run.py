"""One command for the peer comparison: runs our criterion benchmarks and the PyTorch,
scikit-learn and pandas peers on the same data, on this machine, and prints the ratios.

    python bench/run.py            # everything (about 10 minutes)
    python bench/run.py --quick    # reuse criterion results already in target/criterion

Needs: cargo; a Python with the packages in bench/requirements.txt. Writes the table to
target/bench-data/ratios.md as well. Run it on an otherwise idle machine: both sides use two
threads, and the figures are medians of repeated runs.
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
DATA = TARGET / "bench-data"
CRITERION = TARGET / "criterion"

# (what, our criterion id, peer name, target ratio (ours / peer) or None)
PAIRS = [
    ("digits AE epoch (64-128-64-2, batch 64)", "digits_epoch/autoencoder", "torch_digits_ae_epoch", 1 / 6),
    ("digits VAE epoch", "digits_epoch/vae", "torch_digits_vae_epoch", 1 / 6),
    ("70000×784 AE epoch (784-256-128-2, batch 256)", "mnist_epoch/autoencoder", "torch_mnist_ae_epoch", 1 / 2),
    ("70000×784 VAE epoch", "mnist_epoch/vae", "torch_mnist_vae_epoch", 1 / 2),
    ("PCA-2 of digits (fit + transform)", "digits_epoch/pca2", "sklearn_pca2_digits", 2.0),
    ("PCA-2 of 70000×784 (fit + transform)", "mnist_epoch/pca2", "sklearn_pca2_mnist", 1.0),
    ("trustworthiness, n = 5000, D = 784, k = 10", "trustworthiness_n5000_d784/mnist_like", "sklearn_trustworthiness", 1.0),
    ("CSV load 70000×785, integer pixels", "csv_load_70000x785/pixels", "pandas_csv_pixels", 1.0),
    ("CSV load 70000×785, 4-decimal floats", "csv_load_70000x785/float4", "pandas_csv_float4", 1.0),
]

# (what, our criterion id, target in seconds): no peer, absolute targets (headless UI frames)
ABSOLUTE = [
    ("scatter frame, 2×100k points, still", "scatter_frame/100k_still", 0.002),
    ("scatter frame, 2×100k points, zooming", "scatter_frame/100k_zoom", 0.002),
    ("scatter frame, 2×100k points, hovering", "scatter_frame/100k_hover", 0.002),
    ("scatter frame, 2×100k points, all selected, still", "scatter_frame/100k_selected", 0.002),
    ("scatter frame, 2×1M points, still", "scatter_frame/1m_still", 0.016),
    ("scatter frame, 2×1M points, zooming", "scatter_frame/1m_zoom", 0.016),
    ("loss plot frame, 2 curves × 1000 epochs", "scatter_frame/loss_1000", 0.002),
]


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def criterion_median(bench_id):
    path = CRITERION / bench_id / "new" / "estimates.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["median"]["point_estimate"] / 1e9


def fmt_time(s):
    if s is None:
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="reuse existing criterion results")
    ap.add_argument("--python", default=sys.executable, help="Python with the peer packages")
    args = ap.parse_args()

    run(["cargo", "run", "--release", "--no-default-features", "--example", "bench_data", "--", DATA])
    if not args.quick:
        for bench in ["epoch", "metrics", "load", "scatter"]:
            run(["cargo", "bench", "--bench", bench])
    peers = json.loads(run([args.python, ROOT / "bench" / "peers.py", DATA], capture_output=True, text=True).stdout)

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    lines = [
        f"Measured {datetime.date.today()} on {os.cpu_count()} cores ({cpu}), medians; ratio = ours / peer.",
        "",
        "| work | ours | peer | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for what, ours_id, peer_name, target in PAIRS:
        ours = criterion_median(ours_id)
        peer = peers.get(peer_name, {}).get("median_s")
        ratio = ours / peer if ours and peer else None
        met = "–" if ratio is None else ("yes" if ratio <= target else "no")
        lines.append(
            f"| {what} | {fmt_time(ours)} | {fmt_time(peer)} ({peer_name.split('_')[0]}) | "
            f"{'–' if ratio is None else f'{ratio:.2f}'} | ≤ {target:.2f} | {met} |"
        )
    lines += ["", "| UI frame (headless, UI + tessellation) | ours | target | met |", "|---|---|---|---|"]
    for what, ours_id, target in ABSOLUTE:
        ours = criterion_median(ours_id)
        met = "–" if ours is None else ("yes" if ours <= target else "no")
        lines.append(f"| {what} | {fmt_time(ours)} | ≤ {fmt_time(target)} | {met} |")
    trust = peers.get("sklearn_trustworthiness", {}).get("value")
    ours_path = DATA / "trust_ours.txt"
    if trust is not None and ours_path.exists():
        ours = float(ours_path.read_text())
        lines += ["", f"Trustworthiness of the benchmark spaces: ours {ours:.10f}, scikit-learn {trust:.10f}."]
    table = "\n".join(lines)
    print(table)
    (DATA / "ratios.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
