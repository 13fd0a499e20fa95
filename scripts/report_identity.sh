#!/usr/bin/env bash
# Runs the README's command-line examples with two builds of latent-compare and compares what they
# write: report.json (timings masked), report.md (timing rows left out), the latents CSVs and the
# figures. A redesign that changes no behaviour prints only "same" lines.
#
#   cargo build && cp target/debug/latent-compare /tmp/lc-new
#   git worktree add /tmp/old <rev> && (cd /tmp/old && cargo build) && cp /tmp/old/target/debug/latent-compare /tmp/lc-old
#   scripts/report_identity.sh /tmp/lc-old /tmp/lc-new
#
# The inputs (a CSV with a missing value, an .npy with its labels, latents computed elsewhere,
# the README's experiment.toml) are made here with python3's standard library.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
python3 - <<'PY'
import csv, random, struct
random.seed(1)
species = ['setosa', 'versicolor', 'virginica']
with open('measurements.csv', 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'])
    for i in range(150):
        s = i % 3
        row = [round(random.gauss(5 + s, 0.5), 2), round(random.gauss(3 + 0.2 * s, 0.4), 2),
               round(random.gauss(1.5 + 2 * s, 0.5), 2), round(random.gauss(0.3 + 0.9 * s, 0.2), 2)]
        if i == 7:
            row[1] = ''
        w.writerow(row + [species[s]])
def npy(path, dtype, shape, values):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (dtype, shape)
    header += ' ' * (64 - (10 + len(header) + 1) % 64) + '\n'
    with open(path, 'wb') as f:
        f.write(b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header.encode())
        f.write(struct.pack('<%d%s' % (len(values), {'<f4': 'f', '<i8': 'q'}[dtype]), *values))
x, y = [], []
for i in range(200):
    y.append(i % 4)
    x += [random.gauss((i % 4) * 2.0, 1.0) for _ in range(5)]
npy('X.npy', '<f4', '(200, 5)', x)
npy('y.npy', '<i8', '(200,)', y)
with open('umap.csv', 'w') as f:
    f.write('u0,u1\n')
    for i in range(200):
        f.write('%.5f,%.5f\n' % (random.gauss(y[i], 0.3), random.gauss(-y[i], 0.3)))
with open('experiment.toml', 'w') as f:
    f.write('data = "digits"\npreprocess = "standardize"\ntest_fraction = 0.2\nseed = 42\n'
            'latent_dim = 2\n\n[a]\nmethod = "pca"\n\n[b]\nmethod = "vae"\nhidden = [128, 64]\n'
            'activation = "relu"\noutput = "linear"\nepochs = 50\nbatch_size = 64\n'
            'learning_rate = 0.001\nbeta = 1.0\n\n[equivalence]\nrepeats = 5\nbootstrap = 500\n'
            'margin = 0.05\nstability_floor = 0.8\n')
PY
run() { # BINARY DEST: the same argv[0] and --out paths for both builds (report.json records them)
    mkdir -p bin; cp "$1" bin/latent-compare; local b="$work/bin/latent-compare" o="$work/out"
    rm -rf "$o"
    $b compare --quiet --out "$o/digits"
    $b compare --quiet --data swiss-roll --method-a ae --method-b vae --latent-dim 3 --epochs 100 --out "$o/swiss"
    $b compare --quiet --data measurements.csv --label-column species --missing drop --out "$o/csv"
    $b compare --quiet --data X.npy --labels y.npy --method-a pca --method-b file:umap.csv --out "$o/npy"
    $b compare --quiet --config experiment.toml --out "$o/toml"
    $b compare --quiet --data iris --method-a linear-ae --method-b ae --repeats 3 --bootstrap 50 --epochs 20 --out "$o/iris-rep"
    mv "$o" "$2"
}
run "$old" before
run "$new" after
status=0
for dir in before/*; do
    name=$(basename "$dir")
    for file in "$dir"/*; do
        f=$(basename "$file"); a="$file"; b="after/$name/$f"
        case "$f" in
            report.json) same=$(cmp -s <(sed -E 's/"(fit_seconds|encode_seconds_per_1k)": [^,]+/"\1": T/' "$a") \
                                       <(sed -E 's/"(fit_seconds|encode_seconds_per_1k)": [^,]+/"\1": T/' "$b") && echo y || echo n) ;;
            report.md) same=$(cmp -s <(grep -v "Fit time\|Encode time" "$a") <(grep -v "Fit time\|Encode time" "$b") && echo y || echo n) ;;
            *) same=$(cmp -s "$a" "$b" && echo y || echo n) ;;
        esac
        if [ "$same" = y ]; then echo "same $name/$f"; else echo "DIFFERENT $name/$f"; status=1; fi
    done
done
exit $status
