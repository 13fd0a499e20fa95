//! The paragraph of an equivalence outcome, built only from its numbers.

use super::{Equivalence, RunsInfo};
use crate::criteria::{Decision, Outcome, VariedBy};

fn runs_text(r: &RunsInfo) -> String {
    match r.varied_by {
        VariedBy::Seeds => format!("{} runs with different seeds", r.count),
        VariedBy::Bootstrap => format!(
            "{} fits on bootstrap resamples of the training rows",
            r.count
        ),
        VariedBy::Single => "one run (fixed latents)".into(),
    }
}

pub(super) fn summary(e: &Equivalence) -> String {
    let unstable = !(e.stability_a.stable && e.stability_b.stable);
    let mut parts = vec![format!(
        "A: {}; B: {}.",
        runs_text(&e.runs_a),
        runs_text(&e.runs_b)
    )];
    for (label, s) in [("A", &e.stability_a), ("B", &e.stability_b)] {
        if !s.within_cka.estimate.is_finite() {
            parts.push(format!(
                "Method {label}'s geometry cannot be judged: the similarity of its runs is \
                 undefined (their latents do not vary; a lower learning rate may help)."
            ));
        } else if !s.stable {
            parts.push(format!(
                "Method {label} is too unstable across its own runs for its geometry to be judged: its runs agree \
                 with each other at a linear CKA of {}, below {:.2}.",
                s.within_cka.text(2, false),
                e.settings.stability_floor
            ));
        }
    }
    // only what failed is spelled out with its numbers; what passed is named
    let pct = (e.settings.level * 100.0).round();
    if !unstable {
        let mut passed = Vec::new();
        for g in &e.geometry {
            if g.equivalent {
                passed.push(g.metric.label());
                continue;
            }
            let within = g.min_within();
            parts.push(format!(
                "{}: between {:.3} vs within {:.3}; between − within {:+.3}, {pct} % interval \
                 [{:+.3}, {:+.3}] reaches below −{:.2}.",
                g.metric.label(),
                g.between.mean.estimate,
                within,
                g.difference.estimate,
                g.difference.lower,
                g.difference.upper,
                g.margin
            ));
        }
        if !passed.is_empty() {
            parts.push(format!(
                "Between-method similarity within δ of within-method: {}.",
                passed.join(", ")
            ));
        }
    }
    let mut shown = Vec::new();
    for c in &e.criteria {
        let Some(t) = &c.test else { continue };
        let (Some(lo), Some(hi)) = (t.lower, t.upper) else {
            parts.push(format!("{}: too few runs to test.", c.criterion.label()));
            continue;
        };
        if c.equivalent == Some(true) {
            shown.push(c.criterion.label());
            continue;
        }
        let unit = if c.relative {
            " of the smaller mean"
        } else {
            ""
        };
        let verdict = if c.outcome() == Outcome::Different {
            "a difference"
        } else {
            "neither a difference nor equivalence shown"
        };
        parts.push(format!(
            "{}: A − B {}{unit}, {:.0} % interval [{}, {}] against {}: {verdict}.",
            c.criterion.label(),
            c.difference_text(t.mean_difference),
            (1.0 - 2.0 * t.alpha) * 100.0,
            c.difference_text(lo),
            c.difference_text(hi),
            c.margin_text(),
        ));
    }
    if !shown.is_empty() {
        parts.push(format!("Shown equivalent (TOST): {}.", shown.join(", ")));
    }
    parts.push(match e.decision {
        Decision::Equivalent => "Verdict: equivalent in geometry and on every criterion.".into(),
        Decision::Undecided if unstable => {
            "Verdict: undecided: no criterion shows a difference, and the geometry of an unstable \
             method cannot be judged."
                .into()
        }
        Decision::Undecided => {
            "Verdict: undecided: no criterion or similarity shows a difference, but \
                        not every one is shown equivalent; more runs (--repeats) narrow the \
                        intervals."
                .into()
        }
        _ if unstable => "Verdict: not equivalent (criteria above show a difference); the \
                          geometry is not judged."
            .into(),
        _ => {
            let sub = if e.subspace_equivalent && !e.geometry_equivalent {
                " (they span the same subspace: mean CCA is equivalent, but the spaces differ \
                 beyond a rotation)"
            } else {
                ""
            };
            format!("Verdict: not equivalent{sub}.")
        }
    });
    parts.join(" ")
}
