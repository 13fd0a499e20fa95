"""The peer of "time to verdict": what a practitioner's notebook does for the comparison that
`latent-compare compare --data mnist_10000.csv --preprocess minmax` makes, with pandas,
scikit-learn, PyTorch (two threads), scipy and matplotlib, timed end to end (imports excluded).

    python bench/notebook.py DATA.csv [--out DIR] [--split-from latents_a.csv]

The same work as the CLI's default run (`src/pipeline.rs`, `src/evaluate`, `src/output`):

- load the CSV (label column + 784 pixels); a seeded, stratified 80/20 split (2000 test rows);
  min-max scaling fitted on the training rows;
- A: PCA(2) fitted on the training rows, every row encoded;
- B: the VAE of `src/nn/vae.rs`: 784-128-64 ReLU trunk, μ and logσ² heads (2-D), mirrored
  decoder with a linear output; He-normal weights before a ReLU, Glorot-uniform otherwise, zero
  biases; loss = squared error summed over pixels (mean over rows) + β·KL, β = 1; Adam(lr 1e-3),
  batch 64, 50 epochs, the rows reshuffled every epoch, the loss read back every batch; after
  every epoch the validation loss on the test rows with z = μ; then every row encoded (μ);
- reconstruction MSE of both on the training and the test rows;
- on the test rows: encode time per 1000 rows (best of 3), trustworthiness and continuity
  (k = 10, scikit-learn's `trustworthiness`, continuity with the spaces swapped), silhouette by
  class, 5-NN and logistic-regression accuracy (trained on the training rows' latents);
- between the spaces (test rows): linear CKA and its debiased form, scipy's Procrustes
  disparity, mean canonical correlation, mean k-NN Jaccard (k = 10), Spearman correlation of the
  pairwise distances; the verdict's margins;
- written out: report.json, report.md, scatter.png (both spaces, every row), loss.png (the VAE's
  train / validation / recon / KL curves), aligned.png (B rotated onto A, test rows) and
  latents_a.csv / latents_b.csv, figures 1600 × 800 px as the CLI's.

The split is scikit-learn's `train_test_split(stratify=y, random_state=42)`: the same sizes as
ours, other rows (ours shuffles with ChaCha8). `--split-from` takes the split from our
latents_a.csv instead (read before the clock starts) so that the figures can be checked against
our report.json row for row. Prints one JSON object: {"notebook_s", "parts", "metrics", ...}.
"""

import argparse
import json
import math
import sys
import tempfile
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import torch  # noqa: E402
from scipy.linalg import subspace_angles  # noqa: E402
from scipy.spatial import procrustes  # noqa: E402
from scipy.spatial.distance import pdist  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.manifold import trustworthiness  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors  # noqa: E402
from sklearn.preprocessing import MinMaxScaler, StandardScaler  # noqa: E402
from torch import nn  # noqa: E402

SEED = 42
HIDDEN = [128, 64]
LATENT = 2
EPOCHS = 50
BATCH = 64
LR = 1e-3
BETA = 1.0
K = 10
MARGINS = {"reconstruction": 0.1, "accuracy": 0.02, "neighbourhood": 0.02, "min_cka": 0.9, "min_knn_jaccard": 0.5}
FIGSIZE, DPI = (16, 8), 100  # 1600 × 800 px


class Vae(nn.Module):
    def __init__(self, d, hidden, latent):
        super().__init__()
        layers, w = [], d
        for h in hidden:
            layers += [nn.Linear(w, h), nn.ReLU()]
            w = h
        self.trunk = nn.Sequential(*layers)
        self.mu = nn.Linear(w, latent)
        self.logvar = nn.Linear(w, latent)
        layers, w = [], latent
        for h in reversed(hidden):
            layers += [nn.Linear(w, h), nn.ReLU()]
            w = h
        layers.append(nn.Linear(w, d))
        self.decoder = nn.Sequential(*layers)
        # as src/nn/dense.rs: He normal before a ReLU, Glorot uniform otherwise, zero biases
        for seq in (self.trunk, self.decoder):
            mods = list(seq)
            for i, m in enumerate(mods):
                if isinstance(m, nn.Linear):
                    relu = i + 1 < len(mods) and isinstance(mods[i + 1], nn.ReLU)
                    if relu:
                        nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                    else:
                        nn.init.xavier_uniform_(m.weight)
                    nn.init.zeros_(m.bias)
        for head in (self.mu, self.logvar):
            nn.init.xavier_uniform_(head.weight)
            nn.init.zeros_(head.bias)

    def encode(self, x):
        h = self.trunk(x)
        return self.mu(h), self.logvar(h)


def vae_losses(model, x, sample):
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if sample else mu
    recon = ((model.decoder(z) - x) ** 2).sum(dim=1).mean()
    kl = (-0.5 * (1 + logvar - mu**2 - logvar.exp())).sum(dim=1).mean()
    return recon + BETA * kl, recon, kl


def train_vae(x_train, x_val, epochs):
    torch.manual_seed(SEED)
    model = Vae(x_train.shape[1], HIDDEN, LATENT)
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    n = x_train.shape[0]
    history = []
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        sums = np.zeros(3)
        for idx in torch.randperm(n).split(BATCH):
            xb = x_train[idx]
            loss, recon, kl = vae_losses(model, xb, sample=True)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            values = torch.stack([loss, recon, kl]).detach().tolist()
            if not math.isfinite(values[0]):
                raise SystemExit(f"VAE diverged at epoch {epoch}")
            sums += np.array(values) * len(idx)
        with torch.no_grad():
            val = vae_losses(model, x_val, sample=False)[0].item()
        train, recon, kl = sums / n
        seconds = time.perf_counter() - started
        history.append({"epoch": epoch, "train": train, "val": val, "recon": recon, "kl": kl, "seconds": seconds})
    return model, history


def encode_vae(model, x):
    with torch.no_grad():
        return model.encode(x)[0].numpy().astype(np.float64)


def vae_mse(model, x):
    with torch.no_grad():
        return float(((model.decoder(model.encode(x)[0]) - x) ** 2).mean())


def best_of_3_per_1k(fn, rows):
    best = math.inf
    for _ in range(3):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1000 / rows


def linear_cka(a, b, debiased=False):
    a, b = a - a.mean(0), b - b.mean(0)
    n = a.shape[0]
    xy, xx, yy = (np.linalg.norm(b.T @ a) ** 2, np.linalg.norm(a.T @ a) ** 2, np.linalg.norm(b.T @ b) ** 2)
    if debiased:
        ra, rb = (a * a).sum(1), (b * b).sum(1)

        def unbiased(dot, r1, r2):
            return dot - n / (n - 2) * (r1 @ r2) + r1.sum() * r2.sum() / ((n - 1) * (n - 2))

        xy, xx, yy = unbiased(xy, ra, rb), unbiased(xx, ra, ra), unbiased(yy, rb, rb)
    return float(xy / math.sqrt(xx * yy))


def knn_jaccard(a, b, k):
    na = NearestNeighbors(n_neighbors=k).fit(a).kneighbors(return_distance=False)
    nb = NearestNeighbors(n_neighbors=k).fit(b).kneighbors(return_distance=False)
    out = np.empty(len(a))
    for i, (x, y) in enumerate(zip(na, nb)):
        inter = len(np.intersect1d(x, y, assume_unique=True))
        out[i] = inter / (2 * k - inter)
    return out


def accuracies(z, y, tr, te):
    knn = KNeighborsClassifier(n_neighbors=5).fit(z[tr], y[tr]).score(z[te], y[te])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        lr = LogisticRegression().fit(z[tr], y[tr])
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    return float(knn), float(lr.score(z[te], y[te])), converged


def verdict(m):
    def pair(a, b, margin, relative=False):
        if relative:
            d = 0.0 if max(a, b) < 1e-3 else abs(a - b) / max(min(a, b), 1e-3)
        else:
            d = abs(a - b)
        return {"a": a, "b": b, "difference": d, "margin": margin, "within_margin": d <= margin}

    a, b = m["a"], m["b"]
    c = {
        "reconstruction_mse_test": pair(a["reconstruction_mse_test"], b["reconstruction_mse_test"], MARGINS["reconstruction"], True),
        "knn_accuracy": pair(a["knn_accuracy"], b["knn_accuracy"], MARGINS["accuracy"]),
        "linear_accuracy": pair(a["linear_accuracy"], b["linear_accuracy"], MARGINS["accuracy"]),
        "trustworthiness": pair(a["trustworthiness"], b["trustworthiness"], MARGINS["neighbourhood"]),
        "continuity": pair(a["continuity"], b["continuity"], MARGINS["neighbourhood"]),
        "linear_cka": {"value": m["comparison"]["linear_cka"], "margin": MARGINS["min_cka"],
                       "within_margin": m["comparison"]["linear_cka"] >= MARGINS["min_cka"]},
        "knn_jaccard_mean": {"value": m["comparison"]["knn_jaccard_mean"], "margin": MARGINS["min_knn_jaccard"],
                             "within_margin": m["comparison"]["knn_jaccard_mean"] >= MARGINS["min_knn_jaccard"]},
    }
    failed = [name for name, v in c.items() if not v["within_margin"]]
    return {"equivalent": not failed, "failed": failed, "criteria": c}


def scatter_figure(path, za, zb, y, titles):
    fig, axes = plt.subplots(1, 2, figsize=FIGSIZE, dpi=DPI)
    for ax, z, title in zip(axes, (za, zb), titles):
        points = ax.scatter(z[:, 0], z[:, 1], c=y, cmap="tab10", s=3, vmin=-0.5, vmax=9.5)
        ax.set_title(title)
        ax.set_xlabel("z0")
        ax.set_ylabel("z1")
    fig.colorbar(points, ax=axes, ticks=range(10), label="label")
    fig.savefig(path)
    plt.close(fig)


def loss_figure(path, history, title):
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    epochs = [h["epoch"] for h in history]
    for key, style in [("train", "-"), ("val", "--"), ("recon", ":"), ("kl", "-.")]:
        ax.plot(epochs, [h[key] for h in history], style, label=key)
    ax.set_title(title)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


def aligned_figure(path, za, zb_aligned, y, disparity):
    fig, ax = plt.subplots(figsize=FIGSIZE, dpi=DPI)
    ax.scatter(za[:, 0], za[:, 1], c=y, cmap="tab10", s=6, marker="o", vmin=-0.5, vmax=9.5, label="A")
    ax.scatter(zb_aligned[:, 0], zb_aligned[:, 1], c=y, cmap="tab10", s=6, marker="x", vmin=-0.5, vmax=9.5, label="B aligned")
    ax.set_title(f"B rotated onto A by Procrustes (disparity {disparity:.3f}, {len(za)} test rows)")
    ax.legend()
    fig.savefig(path)
    plt.close(fig)


def latents_frame(z, split, y, jaccard_rows, jaccard):
    df = pd.DataFrame(z, columns=[f"z{j}" for j in range(z.shape[1])])
    df["split"] = split
    df["label"] = y
    j = np.full(len(z), np.nan)
    j[jaccard_rows] = jaccard
    df["knn_jaccard"] = j
    return df


def report_md(report):
    lines = ["# PCA vs VAE on " + report["data"], "", "| | A: PCA | B: VAE |", "|---|---|---|"]
    for key in ["fit_seconds", "reconstruction_mse_train", "reconstruction_mse_test", "knn_accuracy",
                "linear_accuracy", "trustworthiness", "continuity", "silhouette", "encode_seconds_per_1k"]:
        lines.append(f"| {key} | {report['a'][key]:.4g} | {report['b'][key]:.4g} |")
    lines += ["", "| between | value |", "|---|---|"]
    lines += [f"| {k} | {v:.4f} |" for k, v in report["comparison"].items()]
    v = report["verdict"]
    lines += ["", "Verdict: " + ("equivalent" if v["equivalent"] else "not equivalent (" + ", ".join(v["failed"]) + ")")]
    lines += ["", "![scatter](scatter.png)", "![loss](loss.png)", "![aligned](aligned.png)", ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--out", type=Path, help="folder for the notebook's files [a temporary one]")
    ap.add_argument("--split-from", type=Path, help="our latents_a.csv: use its train/test split")
    ap.add_argument("--preprocess", choices=["minmax", "standardize"], default="minmax")
    ap.add_argument("--epochs", type=int, default=EPOCHS, help="(for trying the script out)")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    given_split = None
    if args.split_from:
        given_split = pd.read_csv(args.split_from, usecols=["split"])["split"].to_numpy()
    tmp = None
    out = args.out
    if out is None:
        tmp = tempfile.TemporaryDirectory(prefix="notebook-")
        out = Path(tmp.name)
    out.mkdir(parents=True, exist_ok=True)

    parts = {}
    start = last = time.perf_counter()

    def lap(name):
        nonlocal last
        now = time.perf_counter()
        parts[name] = now - last
        last = now

    # ---- load, split, scale
    df = pd.read_csv(args.data)
    y = df["label"].to_numpy()
    x = df.drop(columns="label").to_numpy(dtype=np.float64)
    lap("load")
    n = len(x)
    if given_split is None:
        tr, te = train_test_split(np.arange(n), test_size=0.2, stratify=y, random_state=SEED)
        tr, te = np.sort(tr), np.sort(te)
    else:
        tr, te = np.flatnonzero(given_split == "train"), np.flatnonzero(given_split == "test")
    scaler = MinMaxScaler() if args.preprocess == "minmax" else StandardScaler()
    xs = scaler.fit(x[tr]).transform(x)
    x_train, x_test = xs[tr], xs[te]
    t_train = torch.from_numpy(x_train.astype(np.float32))
    t_test = torch.from_numpy(x_test.astype(np.float32))
    t_all = torch.from_numpy(xs.astype(np.float32))
    lap("prepare")

    # ---- A: PCA
    t = time.perf_counter()
    pca = PCA(n_components=LATENT).fit(x_train)
    za = pca.transform(xs)
    fit_a = time.perf_counter() - t
    lap("fit_a")

    # ---- B: VAE
    t = time.perf_counter()
    vae, history = train_vae(t_train, t_test, args.epochs)
    zb = encode_vae(vae, t_all)
    fit_b = time.perf_counter() - t
    lap("fit_b")

    # ---- reconstruction
    a = {"fit_seconds": fit_a}
    b = {"fit_seconds": fit_b}
    a["reconstruction_mse_train"] = float(((pca.inverse_transform(za[tr]) - x_train) ** 2).mean())
    a["reconstruction_mse_test"] = float(((pca.inverse_transform(za[te]) - x_test) ** 2).mean())
    b["reconstruction_mse_train"] = vae_mse(vae, t_train)
    b["reconstruction_mse_test"] = vae_mse(vae, t_test)
    lap("reconstruction")

    # ---- evaluation on the test rows
    a["encode_seconds_per_1k"] = best_of_3_per_1k(lambda: pca.transform(x_test), len(te))
    b["encode_seconds_per_1k"] = best_of_3_per_1k(lambda: encode_vae(vae, t_test), len(te))
    a["explained_variance_ratio"] = pca.explained_variance_ratio_.tolist()
    za_t, zb_t, y_t = za[te], zb[te], y[te]
    for m, z, z_t in ((a, za, za_t), (b, zb, zb_t)):
        m["trustworthiness"] = float(trustworthiness(x_test, z_t, n_neighbors=K))
        m["continuity"] = float(trustworthiness(z_t, x_test, n_neighbors=K))
        m["silhouette"] = float(silhouette_score(z_t, y_t))
        m["knn_accuracy"], m["linear_accuracy"], m["logistic_converged"] = accuracies(z, y, tr, te)
    lap("evaluate_methods")

    mtx_a, mtx_b, disparity = procrustes(za_t, zb_t)
    b_aligned = mtx_b * np.linalg.norm(za_t - za_t.mean(0)) + za_t.mean(0)
    jaccard = knn_jaccard(za_t, zb_t, K)
    comparison = {
        "linear_cka": linear_cka(za_t, zb_t),
        "linear_cka_debiased": linear_cka(za_t, zb_t, debiased=True),
        "procrustes_disparity": float(disparity),
        "mean_cca": float(np.cos(subspace_angles(za_t - za_t.mean(0), zb_t - zb_t.mean(0))).mean()),
        "knn_jaccard_mean": float(jaccard.mean()),
        "distance_spearman": float(spearmanr(pdist(za_t), pdist(zb_t)).statistic),
    }
    report = {"data": str(args.data), "n_train": len(tr), "n_test": len(te), "preprocess": args.preprocess,
              "a": a, "b": b, "comparison": comparison, "loss_history": history}
    report["verdict"] = verdict(report)
    lap("compare")

    # ---- files
    scatter_figure(out / "scatter.png", za, zb, y, ["A: PCA (2 components)", "B: VAE (128-64, latent 2)"])
    loss_figure(out / "loss.png", history, "B: VAE")
    aligned_figure(out / "aligned.png", za_t, b_aligned, y_t, disparity)
    (out / "report.json").write_text(json.dumps(report, indent=2))
    (out / "report.md").write_text(report_md(report))
    split = np.where(np.isin(np.arange(n), te), "test", "train")
    latents_frame(za, split, y, te, jaccard).to_csv(out / "latents_a.csv", index=False)
    latents_frame(zb, split, y, te, jaccard).to_csv(out / "latents_b.csv", index=False)
    lap("write")
    total = time.perf_counter() - start

    metrics = {"a": {k: v for k, v in a.items()}, "b": {k: v for k, v in b.items()}, "comparison": comparison,
               "equivalent": report["verdict"]["equivalent"], "failed": report["verdict"]["failed"],
               "final_loss": history[-1], "epoch_seconds": [round(h["seconds"], 3) for h in history]}
    print(json.dumps({"notebook_s": total, "parts": parts, "metrics": metrics,
                      "split": "from " + str(args.split_from) if given_split is not None else "sklearn train_test_split",
                      "threads": torch.get_num_threads(), "out": str(out) if tmp is None else None}, indent=1))
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
