"""Peer timings for `bench/run.py`: PyTorch, scikit-learn and pandas on exactly the rows our
benchmarks use (the files `examples/bench_data.rs` writes). Prints one JSON object:
{name: {"median_s": seconds, "fastest_s": seconds, "runs": n, "value": optional result to
cross-check}}.

    python bench/peers.py DATA_DIR [--only NAME ...] [--threads 2]
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def timed(fn, runs, warmup=1):
    for _ in range(warmup):
        fn()
    times = []
    value = None
    for _ in range(runs):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "fastest_s": min(times), "runs": runs, "value": value}


# ---------------------------------------------------------------- PyTorch: one training epoch


def torch_epoch(x_np, hidden, batch, vae, runs, warmup, flush_denormal=False):
    """One epoch of our autoencoder/VAE in PyTorch: ReLU hidden layers, linear latent and
    output, Adam(lr=1e-3), reshuffled every epoch, the loss read back every batch as our loop
    does. AE: MSE averaged over all entries; VAE: squared error summed over features + KL.

    As a notebook runs it, subnormal numbers are computed with (slow on x86) unless
    `flush_denormal`: then `torch.set_flush_denormal(True)` makes them zero, what our Adam does
    to its moments below 1e-30 (the moments of weights whose gradient stays 0 — always-zero
    pixels, ReLU units that never fire — decay into subnormals within the third epoch)."""
    import torch
    from torch import nn

    torch.set_flush_denormal(flush_denormal)

    torch.manual_seed(42)
    x = torch.from_numpy(x_np)
    n, d = x.shape
    latent = 2

    def mlp(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)

    if vae:
        trunk = mlp([d, *hidden])
        trunk = nn.Sequential(trunk, nn.ReLU())
        heads = nn.Linear(hidden[-1], 2 * latent)
        decoder = mlp([latent, *reversed(hidden), d])
        params = [*trunk.parameters(), *heads.parameters(), *decoder.parameters()]
    else:
        encoder = mlp([d, *hidden, latent])
        decoder = mlp([latent, *reversed(hidden), d])
        params = [*encoder.parameters(), *decoder.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)

    def epoch():
        total = 0.0
        order = torch.randperm(n)
        for start in range(0, n, batch):
            xb = x[order[start : start + batch]]
            if vae:
                stats = heads(trunk(xb))
                mu, logvar = stats[:, :latent], stats[:, latent:]
                z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
                recon = ((decoder(z) - xb) ** 2).sum(dim=1).mean()
                kl = (-0.5 * (1 + logvar - mu**2 - logvar.exp()).sum(dim=1)).mean()
                loss = recon + kl
            else:
                loss = ((decoder(encoder(xb)) - xb) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.item() * xb.shape[0]
        return total / n

    return timed(epoch, runs, warmup)


# ---------------------------------------------------------------- scikit-learn and pandas


def sklearn_pca(x, runs):
    from sklearn.decomposition import PCA

    def fit():
        pca = PCA(n_components=2)
        pca.fit_transform(x)
        return float(pca.explained_variance_ratio_[0])

    return timed(fit, runs)


def sklearn_trustworthiness(high, low, runs):
    from sklearn.manifold import trustworthiness

    return timed(lambda: float(trustworthiness(high, low, n_neighbors=10)), runs)


def pandas_read(path, runs):
    import pandas as pd

    return timed(lambda: list(pd.read_csv(path).shape), runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--only", nargs="*", default=None)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    d = args.data_dir

    import torch

    torch.set_num_threads(args.threads)
    digits = np.load(d / "digits_train.npy")
    mnist = None

    def mnist_x():
        nonlocal mnist
        if mnist is None:
            mnist = np.load(d / "mnist_like.npy")
        return mnist

    jobs = {
        "torch_digits_ae_epoch": lambda: torch_epoch(digits, [128, 64], 64, False, 30, 3),
        "torch_digits_vae_epoch": lambda: torch_epoch(digits, [128, 64], 64, True, 30, 3),
        "torch_mnist_ae_epoch": lambda: torch_epoch(mnist_x(), [256, 128], 256, False, 5, 1),
        "torch_mnist_vae_epoch": lambda: torch_epoch(mnist_x(), [256, 128], 256, True, 5, 1),
        "torch_mnist_ae_epoch_ftz": lambda: torch_epoch(mnist_x(), [256, 128], 256, False, 5, 1, True),
        "torch_mnist_vae_epoch_ftz": lambda: torch_epoch(mnist_x(), [256, 128], 256, True, 5, 1, True),
        "sklearn_pca2_digits": lambda: sklearn_pca(digits, 50),
        "sklearn_pca2_mnist": lambda: sklearn_pca(mnist_x(), 10),
        "sklearn_trustworthiness": lambda: sklearn_trustworthiness(
            np.load(d / "trust_high.npy"), np.load(d / "trust_low.npy"), 5
        ),
        "pandas_csv_pixels": lambda: pandas_read(d / "mnist_like_pixels.csv", 5),
        "pandas_csv_float4": lambda: pandas_read(d / "mnist_like_float.csv", 5),
    }
    out = {}
    for name, job in jobs.items():
        if args.only and name not in args.only:
            continue
        print(f"peer: {name} ...", file=sys.stderr, flush=True)
        out[name] = job()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
