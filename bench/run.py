"""One command for the peer comparison: runs our criterion benchmarks and the PyTorch,
scikit-learn and pandas peers on the same data, on this machine, and prints the ratios; the time
to verdict on real MNIST against a notebook doing the same work (bench/verdict.py); and the
GFLOP/s of our matrix product against faer and matrixmultiply, shape by shape.

Each pair is measured side by side, ours and the peer alternating (ours, peer, peer, ours: A B B
A), and its ratio is that of the means of the medians, so that a machine whose speed drifts
during the run (shared hosts do, by a third within minutes) moves both sides alike. Beside it, the
ratio of each side's fastest sample over its runs: a host that flips between a fast and a slow
phase within seconds can catch one side's runs in one phase and the other's in the other.

    python bench/run.py            # everything (about 40 minutes)
    python bench/run.py --rounds 4 # more alternations per pair (A B B A A B B A)
    python bench/run.py --quick    # reuse the pairs in target/bench-data/pairs.json, criterion
                                   # results in target/criterion, and the time to verdict in
                                   # target/bench-data/verdict.json
    python bench/run.py --only torch_mnist_ae_epoch_ftz   # measure these pairs again (peer
                                   # names), the rest as --quick

Needs: cargo; a Python with the packages in bench/requirements.txt. Writes the tables to
target/bench-data/ratios.md and the CPU they were measured on (model, cores, vendor, the SIMD
and matrix flags that matter) to target/bench-data/cpu.json. Run it on an otherwise idle
machine: both sides use two threads, and the figures are medians of repeated runs (best of
three for the time to verdict).
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import verdict  # noqa: E402
from criterion_results import DATA, ROOT, criterion_fastest, criterion_median  # noqa: E402
from gemm_table import gemm_table  # noqa: E402

# (what, our criterion id, peer name, target ratio (ours / peer) or None)
PAIRS = [
    ("digits AE epoch (64-128-64-2, batch 64)", "digits_epoch/autoencoder", "torch_digits_ae_epoch", 1 / 6),
    ("digits VAE epoch", "digits_epoch/vae", "torch_digits_vae_epoch", 1 / 6),
    ("70000×784 AE epoch (784-256-128-2, batch 256)", "mnist_epoch/autoencoder", "torch_mnist_ae_epoch", 1 / 2),
    ("70000×784 VAE epoch", "mnist_epoch/vae", "torch_mnist_vae_epoch", 1 / 2),
    # PyTorch with subnormals flushed to zero, as our Adam flushes its moments (information)
    ("70000×784 AE epoch, PyTorch with set_flush_denormal(True)", "mnist_epoch/autoencoder", "torch_mnist_ae_epoch_ftz", None),
    ("70000×784 VAE epoch, PyTorch with set_flush_denormal(True)", "mnist_epoch/vae", "torch_mnist_vae_epoch_ftz", None),
    ("PCA-2 of digits (fit + transform)", "digits_epoch/pca2", "sklearn_pca2_digits", 2.0),
    ("PCA-2 of 70000×784 (fit + transform)", "mnist_epoch/pca2", "sklearn_pca2_mnist", 1.0),
    ("trustworthiness, n = 5000, D = 784, k = 10", "trustworthiness_n5000_d784/mnist_like", "sklearn_trustworthiness", 1.0),
    ("CSV load 70000×785, integer pixels", "csv_load_70000x785/pixels", "pandas_csv_pixels", 1.0),
    ("CSV load 70000×785, 4-decimal floats", "csv_load_70000x785/float4", "pandas_csv_float4", 1.0),
]

# the bench file of each pair's criterion group
BENCH_OF_GROUP = {
    "digits_epoch": "epoch",
    "mnist_epoch": "epoch",
    "trustworthiness_n5000_d784": "metrics",
    "csv_load_70000x785": "load",
}

# (what, our criterion id, target in seconds): no peer, absolute targets (headless UI frames)
ABSOLUTE = [
    ("scatter frame, 2×100k points, zooming (GPU drawing, the app with OpenGL)", "scatter_frame/100k_zoom_gpu", 0.002),
    ("scatter frame, 2×100k points, hovering (GPU drawing)", "scatter_frame/100k_hover_gpu", 0.002),
    ("scatter frame, 2×1M points, zooming (GPU drawing)", "scatter_frame/1m_zoom_gpu", 0.016),
    ("scatter frame, 2×100k points, still (CPU drawing, no OpenGL)", "scatter_frame/100k_still", 0.002),
    ("scatter frame, 2×100k points, zooming (CPU drawing)", "scatter_frame/100k_zoom", 0.002),
    ("scatter frame, 2×100k points, hovering (CPU drawing)", "scatter_frame/100k_hover", 0.002),
    ("scatter frame, 2×100k points, all selected, still (CPU drawing)", "scatter_frame/100k_selected", 0.002),
    ("scatter frame, 2×1M points, still (CPU drawing)", "scatter_frame/1m_still", 0.016),
    ("scatter frame, 2×1M points, zooming (CPU drawing)", "scatter_frame/1m_zoom", 0.016),
    ("loss plot frame, 2 curves × 1000 epochs", "scatter_frame/loss_1000", 0.002),
]


# (method, what, peer, target ratio, largest trustworthiness gap): fits on real MNIST
# (bench/embeddings.py)
EMBEDDINGS = [
    ("tsne", "t-SNE fit, real MNIST 10 000 × 784 (perplexity 30, 1000 iterations)", "sklearn TSNE(n_jobs=2)", 0.5, 0.02),
    ("umap", "UMAP fit, real MNIST 10 000 × 784 (15 neighbours, 500 epochs)", "umap-learn UMAP(n_jobs=2), 2nd call", 0.5, 0.02),
]

# (what, our criterion id, the same without a cost, target ratio): what a cost of ours costs,
# measured against ourselves alternating A B B A (issue 19: counting allocations)
OVERHEADS = [
    ("counting allocations for the memory figures: digits AE epoch, counted / not counted",
     "digits_epoch/autoencoder", "digits_epoch/autoencoder_uncounted", 1.02),
]

# (what, target ratio): our whole CLI run vs the notebook (bench/verdict.py)
VERDICT = ("time to verdict, real MNIST 10 000 × 784 (PCA vs VAE, 50 epochs, report + figures)", 0.25)

# /proc/cpuinfo flags that decide which kernels run
CPU_FLAGS = [
    "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
    "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8", "neon", "asimd", "sve",
]


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, cwd=ROOT, check=True, **kw)


def fmt_time(s):
    if s is None:
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"


def cpu_info():
    """Model, cores, vendor and the flags of CPU_FLAGS this CPU has."""
    info = {"model": platform.processor() or platform.machine(), "cores": os.cpu_count(), "vendor": None, "flags": []}
    try:
        text = Path("/proc/cpuinfo").read_text()
        for line in text.splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key == "model name":
                info["model"] = value.strip()
            elif key in ("flags", "Features") and not info["flags"]:
                have = set(value.split())
                info["flags"] = [f for f in CPU_FLAGS if f in have]
            elif key == "vendor_id" and not info["vendor"]:
                info["vendor"] = value.strip()
    except OSError:
        pass
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Vendor ID":
                info["vendor"] = value.strip()
            elif key.strip() == "Model name" and info["model"] in (platform.machine(), ""):
                info["model"] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    return info


def cpu_line(cpu):
    flags = " ".join(cpu["flags"]) or "no flags read"
    return f"{cpu['cores']} cores, {cpu['model']} ({cpu['vendor'] or 'vendor unknown'}; {flags})"


def bench_executables(benches):
    """Builds the criterion benches and gives each one's executable, so that the pairs run the
    binaries built at the start (sources edited during the run change nothing measured)."""
    cmd = ["cargo", "bench", "--no-run", "--message-format=json"]
    for bench in benches:
        cmd += ["--bench", bench]
    out = run(cmd, capture_output=True, text=True).stdout
    executables = {}
    for line in out.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        target = message.get("target") or {}
        if message.get("executable") and "bench" in target.get("kind", []):
            # a copy: a build during the run would overwrite the file cargo made
            copy = DATA / "bench-bin" / target["name"]
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(message["executable"], copy)
            executables[target["name"]] = str(copy)
    return executables


def ours_once(bench_id, executables):
    """The median of one criterion run of exactly `bench_id` (its fastest sample is then
    `criterion_fastest(bench_id)`)."""
    bench = BENCH_OF_GROUP[bench_id.partition("/")[0]]
    run([executables[bench], "--bench", "--exact", bench_id])
    return criterion_median(bench_id)


def peer_once(name, python):
    """One run of the peer `name` of bench/peers.py: {"median_s": …, "value": …}."""
    out = run([python, ROOT / "bench" / "peers.py", DATA, "--only", name], capture_output=True, text=True).stdout
    return json.loads(out)[name]


def measure_pairs(python, rounds, only=None):
    """Every pair (or those whose peer is in `only`, the others kept from pairs.json), ours and
    the peer alternating A B B A … for `rounds` rounds: per peer name, the medians of our runs
    and of the peer's, the fastest sample of each run, and the peer's result value. Saved to
    pairs.json."""
    executables = bench_executables(sorted(set(BENCH_OF_GROUP.values())))
    saved = DATA / "pairs.json"
    pairs = json.loads(saved.read_text()) if only and saved.exists() else {}
    for _, ours_id, peer_name, _ in PAIRS:
        if only and peer_name not in only:
            continue
        ours, peer, ours_fastest, peer_fastest, value = [], [], [], [], None
        for r in range(rounds):
            for step in ("ours", "peer") if r % 2 == 0 else ("peer", "ours"):
                if step == "ours":
                    ours.append(ours_once(ours_id, executables))
                    ours_fastest.append(criterion_fastest(ours_id))
                else:
                    result = peer_once(peer_name, python)
                    peer.append(result["median_s"])
                    peer_fastest.append(result.get("fastest_s"))
                    value = result.get("value", value)
        pairs[peer_name] = {
            "ours_s": ours,
            "peer_s": peer,
            "ours_fastest_s": ours_fastest,
            "peer_fastest_s": peer_fastest,
            "value": value,
        }
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "pairs.json").write_text(json.dumps(pairs, indent=1) + "\n")
    return pairs


def saved_pairs(python):
    """--quick: the pairs of the last full run, else criterion's last results and one peer run."""
    saved = DATA / "pairs.json"
    if saved.exists():
        return json.loads(saved.read_text())
    peers = json.loads(run([python, ROOT / "bench" / "peers.py", DATA], capture_output=True, text=True).stdout)
    return {
        peer_name: {
            "ours_s": [m] if (m := criterion_median(ours_id)) else [],
            "peer_s": [peers[peer_name]["median_s"]] if peer_name in peers else [],
            "value": peers.get(peer_name, {}).get("value"),
        }
        for _, ours_id, peer_name, _ in PAIRS
    }


def measure_overheads(rounds, executables=None):
    """Each overhead's two criterion ids alternating A B B A: their medians. Saved to overheads.json."""
    executables = executables or bench_executables(sorted(set(BENCH_OF_GROUP.values())))
    out = {}
    for _, with_id, without_id, _ in OVERHEADS:
        runs = {with_id: [], without_id: []}
        for r in range(rounds):
            for bench_id in (with_id, without_id) if r % 2 == 0 else (without_id, with_id):
                runs[bench_id].append(ours_once(bench_id, executables))
        out[with_id] = runs
    (DATA / "overheads.json").write_text(json.dumps(out, indent=1) + "\n")
    return out


def saved_overheads():
    """--quick: the overheads of the last full run, if any."""
    saved = DATA / "overheads.json"
    return json.loads(saved.read_text()) if saved.exists() else {}


def mean(values):
    return sum(values) / len(values) if values else None


def least(values):
    """The smallest of the values that were measured (None where a run left none)."""
    values = [v for v in values if v]
    return min(values) if values else None


def embedding_timing(quick, python):
    """bench/embeddings.py's result: measured now (ours and the peer alternating), or with
    --quick the last one when there is one."""
    saved = DATA / "embeddings.json"
    if quick and saved.exists():
        return json.loads(saved.read_text())
    try:
        out = run(
            [python, ROOT / "bench" / "embeddings.py", DATA, "--methods", *[e[0] for e in EMBEDDINGS]],
            capture_output=True,
            text=True,
        ).stdout
        return json.loads(out)
    except (subprocess.CalledProcessError, OSError, ValueError) as e:
        print(f"embeddings not measured: {e}", file=sys.stderr)
        return None


def verdict_timing(quick, python):
    """bench/verdict.py's result: measured now, or with --quick the last one when there is one."""
    saved = DATA / "verdict.json"
    if quick and saved.exists():
        return json.loads(saved.read_text())
    try:
        return verdict.measure(DATA, runs=3, python=python)
    except (subprocess.CalledProcessError, OSError, KeyError, ValueError) as e:
        print(f"time to verdict not measured: {e}", file=sys.stderr)
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="reuse existing criterion results and verdict.json")
    ap.add_argument("--python", default=sys.executable, help="Python with the peer packages")
    ap.add_argument("--rounds", type=int, default=2, help="alternations per pair (2: A B B A)")
    ap.add_argument("--only", nargs="+", metavar="PEER", help="measure only these pairs (peer names, "
                    "e.g. torch_mnist_ae_epoch); the rest of the table as --quick")
    args = ap.parse_args()
    unknown = set(args.only or []) - {peer_name for _, _, peer_name, _ in PAIRS}
    if unknown:
        ap.error(f"--only: no pair with peer {', '.join(sorted(unknown))}")
    # --only measures its pairs and reuses everything else, as --quick does
    quick = args.quick or bool(args.only)

    run(["cargo", "run", "--release", "--no-default-features", "--example", "bench_data", "--", DATA])
    if args.only:
        pairs = measure_pairs(args.python, max(1, args.rounds), set(args.only))
        overheads = saved_overheads()
    elif quick:
        pairs = saved_pairs(args.python)
        overheads = saved_overheads()
    else:
        for bench in ["scatter", "gemm"]:
            run(["cargo", "bench", "--bench", bench])
        pairs = measure_pairs(args.python, max(1, args.rounds))
        # a ratio near 1 within this host's ±5 % noise: three times the alternations (each run
        # is a few seconds)
        overheads = measure_overheads(3 * max(1, args.rounds))
        # the time to verdict runs the release binary: built from the sources being measured
        run(["cargo", "build", "--release", "--bin", "latent-compare"])

    ttv = verdict_timing(quick, args.python)
    fits = embedding_timing(quick, args.python)

    cpu = cpu_info()
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "cpu.json").write_text(json.dumps(cpu, indent=1) + "\n")
    lines = [
        f"Measured {datetime.date.today()} on {cpu_line(cpu)}; each side is the mean of the medians "
        f"of {max((len(p['ours_s']) for p in pairs.values()), default=0)} runs, ours and the peer "
        "alternating (A B B A); ratio = ours / peer. Fastest = the ratio of each side's fastest "
        "sample over all its runs (a criterion sample, a peer's repetition): on a host whose speed "
        "flips between phases within a run it shows the code rather than the phases; the target "
        "is on the ratio. PyTorch's fastest 70000×784 epoch is the one before its Adam moments turn "
        "subnormal (slow on x86): the set_flush_denormal rows show its speed without them.",
        "",
        "| work | ours | peer | ratio | fastest | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for what, ours_id, peer_name, target in PAIRS:
        pair = pairs.get(peer_name, {})
        ours, peer = mean(pair.get("ours_s", [])), mean(pair.get("peer_s", []))
        ratio = ours / peer if ours and peer else None
        ours_fastest, peer_fastest = (least(pair.get(side, [])) for side in ("ours_fastest_s", "peer_fastest_s"))
        fastest_ratio = ours_fastest / peer_fastest if ours_fastest and peer_fastest else None
        met = "–" if ratio is None or target is None else ("yes" if ratio <= target else "no")
        lines.append(
            f"| {what} | {fmt_time(ours)} | {fmt_time(peer)} ({peer_name.split('_')[0]}) | "
            f"{'–' if ratio is None else f'{ratio:.2f}'} | "
            f"{'–' if fastest_ratio is None else f'{fastest_ratio:.2f}'} | "
            f"{'–' if target is None else f'≤ {target:.2f}'} | {met} |"
        )
    what, target = VERDICT
    if ttv:
        ratio = ttv["ratio"]
        met = "yes" if ratio <= target else "no"
        lines.append(
            f"| {what} | {fmt_time(ttv['ours_s'])} | {fmt_time(ttv['notebook_s'])} (notebook) | "
            f"{ratio:.2f} | ≤ {target:.2f} | {met} |"
        )
    else:
        lines.append(f"| {what} | – | – (notebook) | – | ≤ {target:.2f} | – |")
    for method, what, peer_name, target, gap in EMBEDDINGS:
        fit = (fits or {}).get(method)
        if not fit:
            lines.append(f"| {what} | – | – ({peer_name}) | – | ≤ {target:.2f} | – |")
            continue
        ours, peer = mean(fit["ours_s"]), mean(fit["peer_s"])
        trust = fit["trustworthiness"]
        close = abs(trust["ours"] - trust["peer"]) <= gap
        met = "yes" if fit["ratio"] <= target and close else "no"
        lines.append(
            f"| {what}; trustworthiness {trust['ours']:.4f} vs {trust['peer']:.4f} | {fmt_time(ours)} | "
            f"{fmt_time(peer)} ({peer_name}) | {fit['ratio']:.2f} | ≤ {target:.2f}, trust. within {gap} | {met} |"
        )
    lines += [
        "",
        f"UI frames measured on {cpu_line(cpu)}.",
        "",
        "| UI frame (headless, UI + tessellation) | ours | target | met |",
        "|---|---|---|---|",
    ]
    for what, ours_id, target in ABSOLUTE:
        ours = criterion_median(ours_id)
        met = "–" if ours is None else ("yes" if ours <= target else "no")
        lines.append(f"| {what} | {fmt_time(ours)} | ≤ {fmt_time(target)} | {met} |")
    lines += ["", "| cost of ours | with | without | ratio | target | met |", "|---|---|---|---|---|---|"]
    for what, with_id, without_id, target in OVERHEADS:
        runs = overheads.get(with_id, {})
        with_s, without_s = mean(runs.get(with_id, [])), mean(runs.get(without_id, []))
        ratio = with_s / without_s if with_s and without_s else None
        met = "–" if ratio is None else ("yes" if ratio <= target else "no")
        lines.append(
            f"| {what} | {fmt_time(with_s)} | {fmt_time(without_s)} | "
            f"{'–' if ratio is None else f'{ratio:.3f}'} | ≤ {target:.2f} | {met} |"
        )
    trust = pairs.get("sklearn_trustworthiness", {}).get("value")
    ours_path = DATA / "trust_ours.txt"
    if trust is not None and ours_path.exists():
        ours = float(ours_path.read_text())
        lines += ["", f"Trustworthiness of the benchmark spaces: ours {ours:.10f}, scikit-learn {trust:.10f}."]
    if ttv:
        def stages(parts):
            return ", ".join(f"{k} {v:.2f} s" for k, v in parts.items())

        lines += [
            "",
            "Time to verdict, best of 3 wall-clock runs each (bench/verdict.py; ours is the whole process, "
            "the notebook is timed inside Python without its imports):",
            f"ours: {stages(ttv['ours_parts'])}; notebook: {stages(ttv['notebook_parts'])}.",
        ]
    lines += [""] + gemm_table(cpu_line(cpu))
    table = "\n".join(lines)
    print(table)
    (DATA / "ratios.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
