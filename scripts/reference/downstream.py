"""Writes the scikit-learn reference fixtures of tests/reference_downstream.rs into tests/reference/.

- iris_pca.json: explained-variance ratios of PCA with 2 and 4 components of `load_iris()`
  standardized with the population std (ddof = 0) on all rows.
- downstream_<case>.json: training and test latents with their labels, and what scikit-learn's
  notebook calls predict on them, the latents as they are (no scaling):
    knn:      KNeighborsClassifier(n_neighbors=5).fit(Ztr, ytr).predict(Zte)   (and .score)
    logistic: LogisticRegression().fit(Ztr, ytr).predict(Zte)                  (and .score)
  plus `logistic_optimum`, the same model fitted to tol=1e-12 (max_iter=100000), the optimum that
  the default fit (tol=1e-4, max_iter=100) approaches, with its coef_ and intercept_ polished by
  Newton's method until the gradient of scikit-learn's objective is at its rounding floor
  (L-BFGS leaves the weights off by up to 1e-3 where the objective is flat), and `knn_brute`, the k-NN predictions with
  algorithm="brute", which break exact distance ties by training row order (the default picks a
  KD tree for up to 15 columns, which breaks them by tree order).

Latents are float32 (what the crate computes), written as their shortest decimal form and given to
scikit-learn as float64 arrays holding exactly those float32 values, as a notebook reading the
crate's latents would.

Run from the crate root (written with scikit-learn 1.9.1, numpy 2.4.6, scipy 1.17.1):

    /work/venv/bin/python scripts/reference/downstream.py
"""

import json
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

OUT = Path(__file__).resolve().parents[2] / "tests" / "reference"
VERSIONS = {"scikit-learn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__}


def f32_text(x):
    """float32 values as shortest decimals that read back (decimal → f64 → f32) to themselves."""
    x = np.asarray(x, dtype=np.float32)
    # integers without ".0": the pixel case is a third smaller
    text = [str(v).removesuffix(".0") for v in x.ravel()]
    back = np.array([np.float32(float(t)) for t in text], dtype=np.float32)
    assert (back == x.ravel()).all()
    return text


def matrix_json(x):
    text = f32_text(x)
    d = x.shape[1]
    return "[" + ",".join("[" + ",".join(text[i * d:(i + 1) * d]) + "]" for i in range(x.shape[0])) + "]"


def iris_pca():
    x = StandardScaler().fit_transform(load_iris().data)
    ratios = {k: PCA(n_components=k).fit(x).explained_variance_ratio_.tolist() for k in (2, 4)}
    write("iris_pca.json", json.dumps({
        "generator": "scripts/reference/downstream.py", "versions": VERSIONS,
        "definition": "PCA(n_components=k).fit(StandardScaler().fit_transform(load_iris().data))"
                      ".explained_variance_ratio_",
        "explained_variance_ratio": {str(k): v for k, v in ratios.items()},
    }, indent=1))


def pca_latents(x, y, k, seed):
    """Stratified 80/20 split; scaler and PCA fitted on the training rows; float32 latents."""
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.2, stratify=y, random_state=seed)
    scaler = StandardScaler().fit(xtr)
    pca = PCA(n_components=k).fit(scaler.transform(xtr))
    z = lambda a: pca.transform(scaler.transform(a)).astype(np.float32)
    return z(xtr), ytr, z(xte), yte


def newton_polish(x, y, coef, intercept, c=1.0):
    """Newton steps on scikit-learn's objective (mean cross-entropy + ||coef||^2 / (2 C n)) from
    its fit; the binary model for two classes. Returns coef, intercept, largest gradient entry."""
    n, d = x.shape
    xa = np.hstack([x, np.ones((n, 1))])
    w = np.hstack([coef, intercept[:, None]])
    k = w.shape[0]
    target = (y == 1).astype(float)[:, None] if k == 1 else np.eye(k)[y]
    penalty = np.r_[np.full(d, 1.0 / (c * n)), 0.0]

    def gradient_and_hessian(w):
        z = xa @ w.T
        if k == 1:
            prob = 1.0 / (1.0 + np.exp(-z))
            weight = (prob * (1.0 - prob))[:, :, None] * np.ones((1, 1, 1))
        else:
            prob = np.exp(z - z.max(axis=1, keepdims=True))
            prob /= prob.sum(axis=1, keepdims=True)
            weight = np.einsum("ik,kl->ikl", prob, np.eye(k)) - np.einsum("ik,il->ikl", prob, prob)
        g = (prob - target).T @ xa / n + penalty * w
        h = np.einsum("ikl,ia,ib->kalb", weight, xa, xa) / n
        h += np.einsum("kl,ab->kalb", np.eye(k), np.diag(penalty))
        return g, h.reshape(k * (d + 1), k * (d + 1))

    for _ in range(20):
        g, h = gradient_and_hessian(w)
        # least squares: the multinomial model does not change when all intercepts shift alike,
        # and the minimum-norm step keeps their sum where the fit left it
        w = w - np.linalg.lstsq(h, g.ravel(), rcond=1e-13)[0].reshape(w.shape)
    g, _ = gradient_and_hessian(w)
    return w[:, :d], w[:, d], float(abs(g).max())


def case(name, description, ztr, ytr, zte, yte):
    ztr, zte = np.asarray(ztr, np.float32), np.asarray(zte, np.float32)
    # what a notebook holds after reading the float32 latents: float64 arrays of the same values
    xtr, xte = ztr.astype(np.float64), zte.astype(np.float64)
    knn = KNeighborsClassifier(n_neighbors=5).fit(xtr, ytr)
    brute = KNeighborsClassifier(n_neighbors=5, algorithm="brute").fit(xtr, ytr)
    logistic = LogisticRegression().fit(xtr, ytr)
    optimum = LogisticRegression(tol=1e-12, max_iter=100_000).fit(xtr, ytr)
    knn_pred, brute_pred = knn.predict(xte), brute.predict(xte)
    logistic_pred, optimum_pred = logistic.predict(xte), optimum.predict(xte)
    coef, intercept, max_gradient = newton_polish(xtr, np.searchsorted(optimum.classes_, ytr),
                                                  optimum.coef_, optimum.intercept_)
    assert max_gradient < 1e-12, max_gradient
    print(f"{name}: train {ztr.shape}, test {zte.shape}, kNN ({knn._fit_method}) accuracy "
          f"{knn.score(xte, yte):.4f}, rows where brute force differs "
          f"{int((knn_pred != brute_pred).sum())}; logistic accuracy {logistic.score(xte, yte):.4f} "
          f"({int(logistic.n_iter_.max())} iterations), rows where the optimum differs "
          f"{int((logistic_pred != optimum_pred).sum())} ({int(optimum.n_iter_.max())} iterations, "
          f"Newton moved the weights by up to {abs(coef - optimum.coef_).max():.1e})")
    ints = lambda v: "[" + ",".join(str(int(i)) for i in v) + "]"
    fields = [
        ("name", json.dumps(name)),
        ("description", json.dumps(description)),
        ("generator", json.dumps("scripts/reference/downstream.py")),
        ("versions", json.dumps(VERSIONS)),
        ("train_x", matrix_json(ztr)),
        ("train_y", ints(ytr)),
        ("test_x", matrix_json(zte)),
        ("test_y", ints(yte)),
        ("knn", json.dumps({"algorithm": knn._fit_method, "predicted": knn_pred.tolist(),
                            "accuracy": knn.score(xte, yte)})),
        ("knn_brute", json.dumps({"predicted": brute_pred.tolist(),
                                  "accuracy": brute.score(xte, yte)})),
        ("logistic", json.dumps({"predicted": logistic_pred.tolist(),
                                 "accuracy": logistic.score(xte, yte),
                                 "n_iter": int(logistic.n_iter_.max())})),
        ("logistic_optimum", json.dumps({
            "predicted": optimum_pred.tolist(), "accuracy": optimum.score(xte, yte),
            "n_iter": int(optimum.n_iter_.max()),
            "coef": coef.tolist(), "intercept": intercept.tolist(),
            "max_gradient": max_gradient})),
    ]
    write(f"downstream_{name}.json",
          "{\n" + ",\n".join(f"{json.dumps(k)}: {v}" for k, v in fields) + "\n}\n")


def write(name, text):
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / name).write_text(text if text.endswith("\n") else text + "\n")


def main():
    iris_pca()
    digits = load_digits()
    for k in (2, 5):
        case(f"digits_pca{k}",
             f"load_digits(): stratified 80/20 split (random_state=0), StandardScaler and PCA({k}) "
             "fitted on the training rows",
             *pca_latents(digits.data, digits.target, k, seed=0))
    # 16 integer-valued columns (the highest-variance pixels): 16 > 15 columns, so scikit-learn
    # searches by brute force, and integer distances tie often
    variance = digits.data.var(axis=0)
    pixels = np.sort(np.argsort(-variance, kind="stable")[:16])
    xtr, xte, ytr, yte = train_test_split(digits.data[:, pixels], digits.target, test_size=0.2,
                                          stratify=digits.target, random_state=1)
    case("digits_pixels16",
         "16 highest-variance pixels of load_digits() as they are (integers 0-16: many exact "
         "distance ties); stratified 80/20 split (random_state=1)", xtr, ytr, xte, yte)
    # exact duplicates and ties in 2 columns: points on a coarse grid, labels partly random
    rng = np.random.default_rng(7)
    grid = rng.integers(0, 6, size=(500, 2)).astype(np.float32)
    label = ((grid[:, 0] + grid[:, 1]) // 4).astype(int)
    flip = rng.random(500) < 0.3
    label[flip] = rng.integers(0, 3, size=flip.sum())
    case("grid_ties",
         "integer points of a 6 × 6 grid (exact duplicates, many equal distances), 3 classes "
         "with 30 % of labels random; rows 0-399 train, 400-499 test",
         grid[:400], label[:400], grid[400:], label[400:])
    cancer = load_breast_cancer()
    case("breast_cancer_pca3",
         "load_breast_cancer() (2 classes): stratified 80/20 split (random_state=2), "
         "StandardScaler and PCA(3) fitted on the training rows",
         *pca_latents(cancer.data, cancer.target, 3, seed=2))
    sizes = {p.name: p.stat().st_size for p in sorted(OUT.glob("*.json"))}
    print("written:", sizes, "total", sum(sizes.values()), "bytes")


if __name__ == "__main__":
    main()
