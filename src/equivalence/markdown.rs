//! The "Equivalence over repeated fits" section of `report.md`.

use std::fmt::Write;

use super::{Equivalence, RunsInfo};
use crate::criteria::{Outcome, VariedBy};

fn runs(r: &RunsInfo) -> String {
    match r.varied_by {
        VariedBy::Seeds => format!(
            "{} runs, seeds {}",
            r.count,
            r.seeds
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        VariedBy::Bootstrap => format!(
            "{} fits on bootstrap resamples of the training rows",
            r.count
        ),
        _ => "one run (fixed latents)".into(),
    }
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "n/a",
    }
}

/// The section, embedding `figure` (a file name beside report.md) when given.
pub fn section(e: &Equivalence, figure: Option<&str>) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "## Equivalence over repeated fits\n");
    let _ = writeln!(md, "**Decision: {}.** {}\n", e.decision, e.summary);
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| A | {} |", runs(&e.runs_a));
    let _ = writeln!(md, "| B | {} |", runs(&e.runs_b));
    let _ = writeln!(
        md,
        "| Geometry | {} rows, {} bootstrap resamples, {:.0} % intervals, margin δ = {} |",
        e.geometry_rows,
        e.settings.resamples,
        e.settings.level * 100.0,
        e.settings.margin
    );
    for (side, s) in [("A", &e.stability_a), ("B", &e.stability_b)] {
        if !s.within_cka.upper.is_finite() {
            let _ = writeln!(
                md,
                "| Stability of {side} | within-method CKA undefined (its runs' latents do not \
                 vary): **not judged** |"
            );
            continue;
        }
        let _ = writeln!(
            md,
            "| Stability of {side} | within-method CKA {:.3} [{:.3}, {:.3}]: {} |",
            s.within_cka.estimate,
            s.within_cka.lower,
            s.within_cka.upper,
            if s.stable {
                "stable enough to judge".to_string()
            } else {
                format!(
                    "**too unstable to judge** (below {})",
                    e.settings.stability_floor
                )
            }
        );
    }
    let _ = writeln!(
        md,
        "\n### Geometry: between-method vs within-method similarity\n"
    );
    let _ = writeln!(
        md,
        "| Similarity | Within A | Within B | Between | Between − min(within) | Equivalent |\n\
         |---|---|---|---|---|---|"
    );
    let judged = e.stability_a.stable && e.stability_b.stable;
    for g in &e.geometry {
        let cell =
            |d: &super::Distribution| format!("{} ({} pairs)", d.mean.text(3, false), d.pairs);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            g.metric.label(),
            cell(&g.within_a),
            cell(&g.within_b),
            cell(&g.between),
            g.difference.text(3, true),
            if judged {
                yes_no(Some(g.equivalent))
            } else {
                "not judged (unstable)"
            }
        );
    }
    if judged {
        let _ = writeln!(
            md,
            "\nGeometry equivalent (CKA, Procrustes, k-NN Jaccard): {}. Same subspace (mean CCA): {}.\n",
            yes_no(Some(e.geometry_equivalent)),
            yes_no(Some(e.subspace_equivalent))
        );
    } else {
        let _ = writeln!(
            md,
            "\nGeometry not judged: a method is too unstable across its own runs (see above).\n"
        );
    }
    if let Some(file) = figure {
        let _ = writeln!(
            md,
            "![Within- and between-method similarity of the runs]({file})\n\n\
             Dots: one per pair of runs. Bars: group means. Whiskers within a method: the \
             bootstrap interval of its mean; between methods: the interval of between − \
             min(within), drawn from min(within) — equivalent when it stays above the dashed \
             line at min(within) − δ. The intervals resample rows with the runs fixed; the \
             spread between runs shows in the dots.\n"
        );
    }
    let _ = writeln!(md, "### Criteria: paired differences and TOST\n");
    let _ = writeln!(
        md,
        "| Criterion | Mean A − B [{:.0} % interval] | p (TOST) | Margin | Outcome |\n\
         |---|---|---|---|---|",
        (1.0 - 2.0 * e.settings.alpha) * 100.0
    );
    for c in &e.criteria {
        if c.test.is_none() {
            let _ = writeln!(
                md,
                "| {} | – | – | – | n/a (not measured for both) |",
                c.criterion.label()
            );
            continue;
        }
        let unit = if c.relative {
            " (relative to the smaller mean)"
        } else {
            ""
        };
        let outcome = match c.outcome() {
            Outcome::Equivalent => "equivalent",
            Outcome::Different => "**different**",
            Outcome::Undecided => "undecided (neither shown)",
            Outcome::NotApplicable => "n/a",
        };
        let _ = writeln!(
            md,
            "| {}{unit} | {} | {} | {} | {outcome} |",
            c.criterion.label(),
            c.interval_text(),
            c.p_text(),
            c.margin_text(),
        );
    }
    md.push('\n');
    md
}
