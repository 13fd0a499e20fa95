//! `report.md`: the report as a document a person reads — dataset and settings, A vs B per
//! criterion, the between-space figures, the verdict, the figures, and the command to rerun.

use std::fmt::Write as _;

use crate::report::{MethodReport, Report};

use crate::data::columns::{MAX_RANGES, name_ranges};
use crate::memory::format_bytes;
use crate::plot::format::metric;

fn count(v: Option<usize>) -> String {
    v.map_or("–".into(), |v| v.to_string())
}

fn bytes(v: Option<u64>) -> String {
    v.map_or("–".into(), format_bytes)
}

/// Rows of the A vs B table: label, A's text, B's text.
fn method_rows(a: &MethodReport, b: &MethodReport) -> Vec<(String, String, String)> {
    let both = |label: &str, f: &dyn Fn(&MethodReport) -> String| (label.to_string(), f(a), f(b));
    let evr = |m: &MethodReport| {
        m.explained_variance_ratio.as_ref().map_or("–".into(), |v| {
            let total: f64 = v.iter().sum();
            format!(
                "{} (total {total:.4})",
                v.iter()
                    .map(|x| format!("{x:.4}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    };
    vec![
        both("Method", &|m| m.description.clone()),
        both("Latent dimension", &|m| m.latent_dim.to_string()),
        both("Reconstruction MSE, train", &|m| {
            metric(m.reconstruction_mse_train)
        }),
        both("Reconstruction MSE, test", &|m| {
            metric(m.reconstruction_mse_test)
        }),
        both("k-NN accuracy (k = 5)", &|m| {
            metric(m.evaluation.knn_accuracy)
        }),
        both("Logistic-regression accuracy", &|m| {
            metric(m.evaluation.linear_accuracy)
        }),
        both("Trustworthiness", &|m| metric(m.evaluation.trustworthiness)),
        both("Continuity", &|m| metric(m.evaluation.continuity)),
        both("Silhouette (by class)", &|m| {
            metric(m.evaluation.silhouette)
        }),
        both("Fit time (s)", &|m| format!("{:.3}", m.fit_seconds)),
        both("Encode time per 1000 rows (s)", &|m| {
            metric(m.evaluation.encode_seconds_per_1k)
        }),
        both("Parameters", &|m| count(m.n_parameters)),
        both("Peak memory of the fit", &|m| bytes(m.peak_memory_bytes)),
        both("Model size", &|m| bytes(m.model_bytes)),
        both("Active latent units (VAE)", &|m| {
            m.evaluation
                .active_units
                .map_or("–".into(), |u| format!("{u} of {}", m.latent_dim))
        }),
        both("Epochs trained", &|m| {
            if m.loss_history.is_empty() {
                "–".into()
            } else {
                m.loss_history.len().to_string()
            }
        }),
        both("Explained variance ratio", &evr),
    ]
}

/// File name of the equivalence figure (embedded in its own section).
pub const EQUIVALENCE_FIGURE: &str = "equivalence.png";

pub use super::sweep_markdown::SWEEP_FIGURE;

/// Renders `report.md`. `figures` are the file names written beside it (embedded by relative path).
pub fn render(report: &Report, figures: &[(&str, &str)]) -> String {
    let mut md = String::new();
    let (a, b) = (&report.methods.a, &report.methods.b);
    let d = &report.dataset;
    let s = &report.settings;
    let _ = writeln!(
        md,
        "# latent-compare: {} vs {} on {}\n",
        a.kind, b.kind, d.name
    );
    if let Some(s) = &report.sweep {
        let _ = writeln!(
            md,
            "**Sweep of {}: {}** (see [the sweep](#sweep-of-{})).\n",
            s.parameter_as_written(),
            s.summary.trim_end_matches('.'),
            s.parameter_as_written().replace('.', "")
        );
    }
    let verdict = &report.comparison.between.verdict;
    // with repeated fits, their decision leads: the single run is one observation of it
    if let Some(e) = &report.comparison.equivalence {
        let _ = writeln!(
            md,
            "**Over {} repeated fits: {}** (see [Equivalence over repeated fits]\
             (#equivalence-over-repeated-fits)); the verdict below is of one run.\n",
            e.repeats, e.decision
        );
    }
    let _ = writeln!(
        md,
        "**Verdict{}: {}.** {}\n",
        if report.comparison.equivalence.is_some() {
            " of the single run"
        } else {
            ""
        },
        if verdict.equivalent {
            "equivalent"
        } else {
            "not equivalent"
        },
        verdict.summary
    );

    let _ = writeln!(md, "## Data and settings\n");
    let _ = writeln!(md, "| | |\n|---|---|");
    let classes = d
        .n_classes
        .map_or(d.labels.to_string(), |c| format!("{c} classes"));
    let images = d.image_shape.map_or(String::new(), |[h, w]| {
        format!(", images of {h} × {w} pixels")
    });
    let _ = writeln!(
        md,
        "| Dataset | {} ({} rows × {} features{images}, labels: {classes}) |",
        d.name, d.n_samples, d.n_features
    );
    let _ = writeln!(
        md,
        "| Preprocessing | {} (fitted on the training rows) |",
        d.preprocess
    );
    let _ = writeln!(
        md,
        "| Split | {} training rows, {} test rows (test fraction {}, seed {}) |",
        s.n_train, s.n_test, s.test_fraction, s.seed
    );
    let _ = writeln!(
        md,
        "| Metric rows | {} {} rows{} |",
        s.metric_rows.n,
        s.metric_rows.source,
        if s.metric_rows.subsampled {
            format!(", subsampled to at most {}", s.metric_sample)
        } else {
            String::new()
        }
    );
    let _ = writeln!(md, "| Neighbours (k) | {} |", s.neighbors);
    if !d.constant_columns.is_empty() {
        let _ = writeln!(
            md,
            "| Constant columns | {} of {}: {} (all in report.json) |",
            d.constant_columns.len(),
            d.n_features,
            name_ranges(&d.constant_columns, MAX_RANGES)
        );
    }
    for note in &d.notes {
        let _ = writeln!(md, "| Note | {note} |");
    }
    if let Some(run) = &report.run {
        let resident = run
            .peak_resident_bytes
            .map_or(String::new(), |r| format!(", {} resident", format_bytes(r)));
        let _ = writeln!(
            md,
            "| Memory of the run | peak {} allocated{resident} (the whole process) |",
            format_bytes(run.peak_heap_bytes)
        );
    }

    let _ = writeln!(md, "\n## A vs B\n");
    let _ = writeln!(md, "| Criterion | A | B |\n|---|---|---|");
    for (label, va, vb) in method_rows(a, b) {
        let _ = writeln!(md, "| {label} | {va} | {vb} |");
    }

    let c = &report.comparison.between;
    let _ = writeln!(md, "\n## The two spaces compared\n");
    let _ = writeln!(md, "| Measure | Value | Reads as |\n|---|---|---|");
    let rows = [
        (
            "Linear CKA",
            c.linear_cka,
            "1 = same geometry up to rotation and scale",
        ),
        (
            "Linear CKA (debiased)",
            c.linear_cka_debiased,
            "the same, without small-sample bias",
        ),
        (
            "Procrustes disparity",
            c.procrustes_disparity,
            "0 = B is a rotated, scaled copy of A",
        ),
        (
            "Mean canonical correlation",
            c.mean_cca,
            "1 = same subspace up to any linear map",
        ),
        (
            "Mean k-NN Jaccard",
            c.knn_jaccard_mean,
            "overlap of each point's k-NN sets in the two spaces (1 = the same neighbours)",
        ),
        (
            "Distance Spearman",
            c.distance_spearman,
            "1 = pairwise distances in the same order",
        ),
    ];
    for (label, v, meaning) in rows {
        let _ = writeln!(md, "| {label} | {} | {meaning} |", metric(v));
    }

    let _ = writeln!(md, "\n## Verdict\n");
    let _ = writeln!(
        md,
        "| Criterion | A | B | Difference / value | Margin | Within |\n|---|---|---|---|---|---|"
    );
    for cv in &verdict.criteria {
        let within = match cv.within_margin {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "n/a",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {within} |",
            cv.criterion.table_label(),
            metric(cv.a),
            metric(cv.b),
            crate::verdict::difference_text(cv).unwrap_or_else(|| "–".into()),
            crate::verdict::margin_text(cv)
        );
    }
    md.push('\n');

    if let Some(e) = &report.comparison.equivalence {
        let figure = figures
            .iter()
            .find(|(f, _)| *f == EQUIVALENCE_FIGURE)
            .map(|(f, _)| *f);
        md.push_str(&crate::equivalence::markdown::section(e, figure));
    }
    if let Some(s) = &report.sweep {
        let figure = figures
            .iter()
            .find(|(f, _)| *f == SWEEP_FIGURE)
            .map(|(f, _)| *f);
        md.push_str(&super::sweep_markdown::section(s, figure));
    }
    let figures: Vec<&(&str, &str)> = figures
        .iter()
        .filter(|(f, _)| *f != EQUIVALENCE_FIGURE && *f != SWEEP_FIGURE)
        .collect();
    if !figures.is_empty() {
        let _ = writeln!(md, "## Figures\n");
        for (file, caption) in figures {
            let _ = writeln!(md, "![{caption}]({file})\n");
        }
    }
    let hints: Vec<String> = a
        .evaluation
        .hints
        .iter()
        .map(|h| format!("A — {h}"))
        .chain(b.evaluation.hints.iter().map(|h| format!("B — {h}")))
        .collect();
    if !hints.is_empty() {
        let _ = writeln!(md, "## About the fits\n");
        for h in hints {
            let _ = writeln!(md, "- {h}");
        }
        let _ = writeln!(md);
    }
    let notes: Vec<String> = a
        .evaluation
        .notes
        .iter()
        .map(|n| format!("A — {n}"))
        .chain(b.evaluation.notes.iter().map(|n| format!("B — {n}")))
        .chain(c.notes.iter().cloned())
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(md, "## Figures not computed\n");
        for n in notes {
            let _ = writeln!(md, "- {n}");
        }
        md.push('\n');
    }
    if let Some(cmd) = &report.command {
        let _ = writeln!(md, "## Reproduce\n\n```sh\n{cmd}\n```\n");
    }
    let _ = writeln!(md, "_Written by latent-compare {}._", report.version);
    md
}
