//! The verdict's words: figures as text (percentages, small differences), criteria as the
//! paragraph and tables name them, one sentence per criterion, and lists ("a, b and c").

use super::{CriterionVerdict, EXACT_RECONSTRUCTION_MSE, VerdictInputs};
use crate::criteria::Criterion;

/// A share as a percentage: whole percent, one decimal below 10 %, "< 0.1 %" below that.
pub(super) fn pct(v: f64) -> String {
    let p = v * 100.0;
    if p == 0.0 {
        "0 %".into()
    } else if p < 0.1 {
        "< 0.1 %".into()
    } else if p < 10.0 {
        format!("{p:.1} %")
    } else {
        format!("{p:.0} %")
    }
}

/// A difference of two figures in [0, 1]: three decimals, more when it would read 0.000.
pub(super) fn diff(d: f64) -> String {
    if d == 0.0 {
        "0".into()
    } else if d < 0.0005 {
        format!("{d:.1e}")
    } else {
        format!("{d:.3}")
    }
}

pub(super) fn sentence(c: &CriterionVerdict, inputs: &VerdictInputs) -> Option<String> {
    let ok = |w: bool| if w { "within" } else { "outside" };
    let (within, d) = (c.within_margin?, c.difference?);
    Some(match c.criterion {
        Criterion::ReconstructionMseTest => {
            let (a, b) = (c.a?, c.b?);
            let (better, worse, bv, wv) = if b < a {
                ("B", "A", b, a)
            } else {
                ("A", "B", a, b)
            };
            if a.max(b) < EXACT_RECONSTRUCTION_MSE {
                format!(
                    "A and B both reconstruct the test rows almost exactly (MSE {a:.1e} and {b:.1e})"
                )
            } else if a == b {
                format!("A and B reconstruct the test rows equally well (MSE {a:.3})")
            } else if bv < EXACT_RECONSTRUCTION_MSE {
                // a ratio to a near-zero MSE says nothing
                format!(
                    "{better} reconstructs the test rows almost exactly (MSE {bv:.1e}) and {worse} does not (MSE {wv:.3}; {} the {} margin)",
                    ok(within),
                    pct(c.margin)
                )
            } else {
                // the margin's convention: the gap relative to the better MSE
                format!(
                    "{better} reconstructs the test rows better than {worse}: {worse}'s MSE is {} above {better}'s ({wv:.3} vs {bv:.3}; {} the {} margin)",
                    pct(d),
                    ok(within),
                    pct(c.margin)
                )
            }
        }
        Criterion::KnnAccuracy | Criterion::LinearAccuracy => {
            let name = if c.criterion == Criterion::KnnAccuracy {
                "5-NN"
            } else {
                "logistic-regression"
            };
            format!(
                "their {name} accuracies are {:.3} and {:.3} (difference {}, {} the {:.2} margin)",
                c.a?,
                c.b?,
                diff(d),
                ok(within),
                c.margin
            )
        }
        Criterion::Trustworthiness | Criterion::Continuity => format!(
            "{} is {:.3} for A and {:.3} for B (difference {}, {} the {:.2} margin)",
            c.criterion,
            c.a?,
            c.b?,
            diff(d),
            ok(within),
            c.margin
        ),
        Criterion::LinearCka => format!(
            "the linear CKA between the two spaces is {d:.3} ({} the {:.2} needed)",
            if within { "meeting" } else { "below" },
            c.margin
        ),
        Criterion::KnnJaccardMean => {
            let k = inputs.neighbors;
            let shared = inputs.knn_shared_mean.map_or(String::new(), |s| {
                format!("on average {} of a point's {k} nearest neighbours are its neighbours in both spaces: ", pct(s))
            });
            format!(
                "{shared}the mean Jaccard index of the two {k}-NN sets is {d:.3} ({} the {:.2} needed)",
                if within { "meeting" } else { "below" },
                c.margin
            )
        }
    })
}

/// A criterion's margin as a table shows it: the largest difference, or the smallest value.
pub fn margin_text(c: &CriterionVerdict) -> String {
    match c.criterion {
        Criterion::ReconstructionMseTest => format!("≤ {}", pct(c.margin)),
        floor if floor.is_floor() => format!("≥ {}", c.margin),
        _ => format!("≤ {}", c.margin),
    }
}

/// A criterion's difference (or value) as a table shows it: a percentage for reconstruction,
/// saying so when both MSEs count as exact.
pub fn difference_text(c: &CriterionVerdict) -> Option<String> {
    let d = c.difference?;
    Some(match (c.criterion, c.a, c.b) {
        (Criterion::ReconstructionMseTest, Some(a), Some(b))
            if a.max(b) < super::EXACT_RECONSTRUCTION_MSE =>
        {
            "0 (both MSEs below 0.001 count as exact)".to_owned()
        }
        (Criterion::ReconstructionMseTest, _, _) => pct(d),
        _ => format!("{d:.4}"),
    })
}

/// "a", "a and b", "a, b and c".
pub(super) fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
