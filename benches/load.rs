//! Loading the 70 000 × 785 `mnist-like` CSV files (integer pixels and 4-decimal floats, the
//! label first) into a dataset, as the app and the CLI do; the peer is `pandas.read_csv`.
//!
//! `cargo bench --bench load` (writes the files into `target/bench-data` first if missing)

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use latent_compare::data::CsvOptions;
use latent_compare::data::csv::load_csv;

fn bench_load(c: &mut Criterion) {
    let (pixels, float) = common::csv_files();
    let mut group = c.benchmark_group("csv_load_70000x785");
    group.sample_size(10);
    for (name, path) in [("pixels", &pixels), ("float4", &float)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let ds = load_csv(path, &CsvOptions::default()).expect("loads");
                assert_eq!(ds.records.dim(), (70_000, 784));
                black_box(ds)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
