//! The sweep's section of report.md: the summary, a row per point (each method's criteria, the
//! CKA between them, the decision and what differs), the points that did not finish, and the
//! figure.

use std::fmt::Write;

use crate::plot::format::metric;
use crate::sweep::summary::{PointReport, SweepReport};

/// The file name of the sweep figure beside report.md.
pub const SWEEP_FIGURE: &str = "sweep.png";

use crate::sweep::summary::json_text as value_text;

/// The differing criteria of a point, or a dash.
fn differs(p: &PointReport) -> String {
    if p.differs_on.is_empty() {
        "–".into()
    } else {
        p.differs_on.join(", ")
    }
}

/// The section, with `figure` embedded when it was written.
pub fn section(s: &SweepReport, figure: Option<&str>) -> String {
    let mut md = String::new();
    let name = s.parameter_as_written();
    let _ = writeln!(md, "## Sweep of {name}\n");
    let _ = writeln!(md, "{}\n", s.summary);
    let repeated = s.points.iter().any(|p| p.equivalence.is_some());
    let _ = writeln!(
        md,
        "Each point is a whole comparison{}; the rest of this report is the first point's.\n",
        if repeated {
            " with the equivalence protocol over repeated fits (its decision in the table)"
        } else {
            " (one fit per method; the decision is the single run's verdict)"
        }
    );
    let _ = writeln!(
        md,
        "| {name} | Test MSE A | Test MSE B | k-NN acc. A | k-NN acc. B | Trust. A | Trust. B | CKA | Decision | Differs on |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|---|");
    for p in &s.points {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            value_text(&p.value),
            metric(p.a.reconstruction_mse_test),
            metric(p.b.reconstruction_mse_test),
            metric(p.a.evaluation.knn_accuracy),
            metric(p.b.evaluation.knn_accuracy),
            metric(p.a.evaluation.trustworthiness),
            metric(p.b.evaluation.trustworthiness),
            metric(p.comparison.linear_cka),
            p.decision,
            differs(p)
        );
    }
    if !s.missing.is_empty() {
        let _ = writeln!(md, "\nNot run:\n");
        for m in &s.missing {
            let _ = writeln!(md, "- {name} = {}: {}", value_text(&m.value), m.reason);
        }
    }
    md.push('\n');
    if let Some(file) = figure {
        let _ = writeln!(
            md,
            "![{name}: the criteria of A and B and their CKA]({file})\n"
        );
    }
    md
}
