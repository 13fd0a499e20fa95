//! The verdict: per criterion the two values, their difference, the margin and whether it holds,
//! and a plain-language paragraph built only from those numbers.

use serde::{Deserialize, Serialize};

/// How close two methods must be to count as equivalent. Settable by flags and in `[margins]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Margins {
    /// Largest relative difference of test reconstruction MSE, |a − b| / max(min(a, b), 0.001);
    /// two MSEs both below 0.001 count as equal.
    pub reconstruction: f64,
    /// Largest absolute difference of k-NN or logistic-regression accuracy.
    pub accuracy: f64,
    /// Largest absolute difference of trustworthiness or continuity.
    pub neighbourhood: f64,
    /// Smallest linear CKA between the two spaces.
    pub min_cka: f64,
    /// Smallest mean k-NN Jaccard agreement between the two spaces.
    pub min_knn_jaccard: f64,
}

impl Default for Margins {
    fn default() -> Self {
        Margins {
            reconstruction: 0.10,
            accuracy: 0.02,
            neighbourhood: 0.02,
            min_cka: 0.9,
            min_knn_jaccard: 0.5,
        }
    }
}

/// One criterion of the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionVerdict {
    /// Report key of the figure (`reconstruction_mse_test`, `linear_cka`, …).
    pub criterion: String,
    /// Method A's value (`null` for a between-space figure).
    pub a: Option<f64>,
    /// Method B's value (`null` for a between-space figure).
    pub b: Option<f64>,
    /// The compared quantity: |a − b| (relative for reconstruction) or the between-space value.
    pub difference: Option<f64>,
    /// The margin (largest allowed difference, or smallest allowed similarity).
    pub margin: f64,
    /// `true` when within the margin, `null` when the figure does not apply.
    pub within_margin: Option<bool>,
}

/// The verdict of one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// True when every criterion that applies is within its margin.
    pub equivalent: bool,
    /// Every criterion, applicable or not.
    pub criteria: Vec<CriterionVerdict>,
    /// The plain-language paragraph.
    pub summary: String,
}

/// The figures the verdict is made from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VerdictInputs {
    /// Test reconstruction MSE of A and B.
    pub reconstruction: (Option<f64>, Option<f64>),
    /// k-NN accuracy of A and B.
    pub knn_accuracy: (Option<f64>, Option<f64>),
    /// Logistic-regression accuracy of A and B.
    pub linear_accuracy: (Option<f64>, Option<f64>),
    /// Trustworthiness of A and B.
    pub trustworthiness: (Option<f64>, Option<f64>),
    /// Continuity of A and B.
    pub continuity: (Option<f64>, Option<f64>),
    /// Linear CKA between the spaces.
    pub linear_cka: Option<f64>,
    /// Mean k-NN Jaccard between the spaces.
    pub knn_jaccard_mean: Option<f64>,
    /// Mean share of a point's k nearest neighbours found in both spaces (2J / (1 + J) per row,
    /// averaged); the paragraph reads it, the criterion stays the Jaccard index.
    pub knn_shared_mean: Option<f64>,
    /// k of the neighbourhood figures.
    pub neighbors: usize,
    /// Why figures are missing (the evaluation's notes), named when a criterion is not judged.
    pub missing_reasons: Vec<String>,
    /// Seed of the run (named in the paragraph).
    pub seed: u64,
    /// True when at least one method was trained from a random start (its fit depends on the seed).
    pub seeded_fit: bool,
    /// Test rows the accuracies were measured on (0 without a split).
    pub n_test: usize,
    /// Latent widths of A and B.
    pub latent_dims: (usize, usize),
}

/// Below this test MSE (scaled units: a thousandth of a standardized feature's variance) a
/// reconstruction counts as exact, so two near-perfect reconstructions are not called different
/// by a ratio of two rounding errors.
pub const EXACT_RECONSTRUCTION_MSE: f64 = 1e-3;

fn pair(
    criterion: &str,
    (a, b): (Option<f64>, Option<f64>),
    margin: f64,
    relative: bool,
) -> CriterionVerdict {
    let difference = match (a, b) {
        // both exact: no difference; else relative to the better one (at least the exact level)
        (Some(a), Some(b)) if relative && a.max(b) < EXACT_RECONSTRUCTION_MSE => Some(0.0),
        (Some(a), Some(b)) if relative => {
            Some((a - b).abs() / a.min(b).max(EXACT_RECONSTRUCTION_MSE))
        }
        (Some(a), Some(b)) => Some((a - b).abs()),
        _ => None,
    };
    CriterionVerdict {
        criterion: criterion.into(),
        a,
        b,
        difference,
        margin,
        within_margin: difference.map(|d| d <= margin),
    }
}

fn floor(criterion: &str, value: Option<f64>, margin: f64) -> CriterionVerdict {
    CriterionVerdict {
        criterion: criterion.into(),
        a: None,
        b: None,
        difference: value,
        margin,
        within_margin: value.map(|v| v >= margin),
    }
}

/// A share as a percentage: whole percent, one decimal below 10 %, "< 0.1 %" below that.
fn pct(v: f64) -> String {
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
fn diff(d: f64) -> String {
    if d == 0.0 {
        "0".into()
    } else if d < 0.0005 {
        format!("{d:.1e}")
    } else {
        format!("{d:.3}")
    }
}

/// How a criterion is named in the paragraph.
fn display_name(criterion: &str) -> &str {
    match criterion {
        "reconstruction_mse_test" => "test reconstruction",
        "knn_accuracy" => "5-NN accuracy",
        "linear_accuracy" => "logistic-regression accuracy",
        "linear_cka" => "linear CKA",
        "knn_jaccard_mean" => "k-NN Jaccard",
        other => other,
    }
}

fn sentence(c: &CriterionVerdict, inputs: &VerdictInputs) -> Option<String> {
    let ok = |w: bool| if w { "within" } else { "outside" };
    let (within, d) = (c.within_margin?, c.difference?);
    Some(match c.criterion.as_str() {
        "reconstruction_mse_test" => {
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
        "knn_accuracy" | "linear_accuracy" => {
            let name = if c.criterion == "knn_accuracy" {
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
        "trustworthiness" | "continuity" => format!(
            "{} is {:.3} for A and {:.3} for B (difference {}, {} the {:.2} margin)",
            c.criterion,
            c.a?,
            c.b?,
            diff(d),
            ok(within),
            c.margin
        ),
        "linear_cka" => format!(
            "the linear CKA between the two spaces is {d:.3} ({} the {:.2} needed)",
            if within { "meeting" } else { "below" },
            c.margin
        ),
        "knn_jaccard_mean" => {
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
        _ => return None,
    })
}

/// A criterion as a table names it, with what its difference is.
pub fn table_label(criterion: &str) -> &str {
    match criterion {
        "reconstruction_mse_test" => "Test reconstruction MSE (difference relative to the better)",
        "knn_accuracy" => "5-NN accuracy",
        "linear_accuracy" => "Logistic-regression accuracy",
        "trustworthiness" => "Trustworthiness",
        "continuity" => "Continuity",
        "linear_cka" => "Linear CKA between the spaces",
        "knn_jaccard_mean" => "Mean k-NN Jaccard between the spaces",
        other => other,
    }
}

/// A criterion's margin as a table shows it: the largest difference, or the smallest value.
pub fn margin_text(c: &CriterionVerdict) -> String {
    match c.criterion.as_str() {
        "reconstruction_mse_test" => format!("≤ {}", pct(c.margin)),
        "linear_cka" | "knn_jaccard_mean" => format!("≥ {}", c.margin),
        _ => format!("≤ {}", c.margin),
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Judges the figures against the margins.
pub fn judge(inputs: &VerdictInputs, margins: &Margins) -> Verdict {
    let criteria = vec![
        pair(
            "reconstruction_mse_test",
            inputs.reconstruction,
            margins.reconstruction,
            true,
        ),
        pair("knn_accuracy", inputs.knn_accuracy, margins.accuracy, false),
        pair(
            "linear_accuracy",
            inputs.linear_accuracy,
            margins.accuracy,
            false,
        ),
        pair(
            "trustworthiness",
            inputs.trustworthiness,
            margins.neighbourhood,
            false,
        ),
        pair(
            "continuity",
            inputs.continuity,
            margins.neighbourhood,
            false,
        ),
        floor("linear_cka", inputs.linear_cka, margins.min_cka),
        floor(
            "knn_jaccard_mean",
            inputs.knn_jaccard_mean,
            margins.min_knn_jaccard,
        ),
    ];
    let applicable: Vec<&CriterionVerdict> = criteria
        .iter()
        .filter(|c| c.within_margin.is_some())
        .collect();
    let failed = applicable
        .iter()
        .filter(|c| c.within_margin == Some(false))
        .count();
    let equivalent = !applicable.is_empty() && failed == 0;
    let mut parts: Vec<String> = criteria
        .iter()
        .filter_map(|c| sentence(c, inputs))
        .collect();
    if let Some(first) = parts.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = c.to_uppercase().collect::<String>() + chars.as_str();
        }
    }
    let conclusion = if applicable.is_empty() {
        "No criterion applies, so no verdict can be given.".to_string()
    } else if equivalent {
        format!(
            "Verdict: equivalent — all {} criteria that apply are within their margins.",
            applicable.len()
        )
    } else {
        format!(
            "Verdict: not equivalent — {failed} of {} criteria that apply are outside their margins.",
            applicable.len()
        )
    };
    let caveat = if inputs.seeded_fit {
        format!(
            "This is a single run (seed {}); training again with other seeds can move these figures, so treat the verdict as one observation.",
            inputs.seed
        )
    } else {
        format!(
            "Neither method depends on a training seed, but this is a single train/test split (seed {}).",
            inputs.seed
        )
    };
    let mut notes = Vec::new();
    let skipped: Vec<&str> = criteria
        .iter()
        .filter(|c| c.within_margin.is_none())
        .map(|c| display_name(&c.criterion))
        .collect();
    if !skipped.is_empty() {
        let why = if inputs.missing_reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", inputs.missing_reasons.join("; "))
        };
        notes.push(format!("Not judged: {}{why}.", list(&skipped)));
    }
    let accuracy_judged = criteria
        .iter()
        .any(|c| c.criterion.ends_with("accuracy") && c.within_margin.is_some());
    if accuracy_judged && inputs.n_test > 0 && 1.0 / inputs.n_test as f64 > margins.accuracy {
        notes.push(format!(
            "With {} test rows one prediction moves an accuracy by {:.3}, more than the {:.2} margin: a larger test fraction makes the accuracy criteria meaningful.",
            inputs.n_test,
            1.0 / inputs.n_test as f64,
            margins.accuracy
        ));
    }
    let (da, db) = inputs.latent_dims;
    if da != db {
        notes.push(format!(
            "A has {da} latent dimensions and B {db}; CKA and CCA compare them as they are, Procrustes pads the narrower with zeros."
        ));
    }
    notes.push(caveat);
    let summary = format!("{}. {conclusion} {}", parts.join("; "), notes.join(" "));
    Verdict {
        equivalent,
        criteria,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs() -> VerdictInputs {
        VerdictInputs {
            reconstruction: (Some(0.92), Some(0.69)),
            knn_accuracy: (Some(0.60), Some(0.61)),
            linear_accuracy: (None, None),
            trustworthiness: (Some(0.90), Some(0.95)),
            continuity: (Some(0.91), Some(0.92)),
            linear_cka: Some(0.71),
            knn_jaccard_mean: Some(0.12),
            knn_shared_mean: Some(0.2),
            neighbors: 10,
            missing_reasons: vec!["accuracy: no class labels".into()],
            seed: 42,
            seeded_fit: true,
            n_test: 30,
            latent_dims: (2, 3),
        }
    }

    #[test]
    fn each_criterion_is_judged_against_its_margin() {
        let v = judge(&inputs(), &Margins::default());
        let get = |k: &str| {
            v.criteria
                .iter()
                .find(|c| c.criterion == k)
                .unwrap()
                .clone()
        };
        let r = get("reconstruction_mse_test");
        assert!((r.difference.unwrap() - 0.23 / 0.69).abs() < 1e-12);
        assert_eq!(r.within_margin, Some(false));
        assert_eq!(get("knn_accuracy").within_margin, Some(true));
        assert_eq!(get("linear_accuracy").within_margin, None);
        assert_eq!(get("trustworthiness").within_margin, Some(false));
        assert_eq!(get("linear_cka").within_margin, Some(false));
        assert!(!v.equivalent);
        assert!(
            v.summary.starts_with(
                "B reconstructs the test rows better than A: A's MSE is 33 % above B's"
            ),
            "{}",
            v.summary
        );
        assert!(v.summary.contains("4 of 6 criteria"), "{}", v.summary);
        assert!(v.summary.contains("single run (seed 42)"));
        assert!(
            v.summary
                .contains("With 30 test rows one prediction moves an accuracy by 0.033")
        );
        assert!(v.summary.contains("A has 2 latent dimensions and B 3"));
        // the share of neighbours is read from the shares, not from the Jaccard index
        assert!(
            v.summary.contains(
                "on average 20 % of a point's 10 nearest neighbours are its neighbours in both \
                 spaces: the mean Jaccard index of the two 10-NN sets is 0.120"
            ),
            "{}",
            v.summary
        );
        // a criterion without figures is named with the reason
        assert!(
            v.summary
                .contains("Not judged: logistic-regression accuracy (accuracy: no class labels)."),
            "{}",
            v.summary
        );
    }

    #[test]
    fn a_near_exact_reconstruction_is_not_given_a_ratio() {
        let mut one = inputs();
        one.reconstruction = (Some(2e-4), Some(0.341));
        let v = judge(&one, &Margins::default());
        assert_eq!(v.criteria[0].within_margin, Some(false));
        assert!(
            v.summary.starts_with(
                "A reconstructs the test rows almost exactly (MSE 2.0e-4) and B does not (MSE 0.341; outside the 10 % margin)"
            ),
            "{}",
            v.summary
        );
        assert!(!v.summary.contains("above"), "{}", v.summary);
    }

    #[test]
    fn small_figures_keep_their_digits() {
        assert_eq!(pct(0.0), "0 %");
        assert_eq!(pct(0.0004), "< 0.1 %");
        assert_eq!(pct(0.043), "4.3 %");
        assert_eq!(pct(0.33), "33 %");
        assert_eq!(diff(0.0), "0");
        assert_eq!(diff(0.0002), "2.0e-4");
        assert_eq!(diff(0.0123), "0.012");
        assert_eq!(list(&["a", "b", "c"]), "a, b and c");
    }

    #[test]
    fn two_near_exact_reconstructions_are_equivalent() {
        let mut near = inputs();
        near.reconstruction = (Some(7e-33), Some(1.94e-4));
        let v = judge(&near, &Margins::default());
        let r = &v.criteria[0];
        assert_eq!(r.within_margin, Some(true), "{r:?}");
        assert!(
            v.summary
                .starts_with("A and B both reconstruct the test rows almost exactly"),
            "{}",
            v.summary
        );
    }

    #[test]
    fn identical_methods_are_equivalent() {
        let same = VerdictInputs {
            reconstruction: (Some(0.5), Some(0.5)),
            knn_accuracy: (Some(0.9), Some(0.9)),
            linear_accuracy: (Some(0.8), Some(0.8)),
            trustworthiness: (Some(0.9), Some(0.9)),
            continuity: (Some(0.9), Some(0.9)),
            linear_cka: Some(1.0),
            knn_jaccard_mean: Some(1.0),
            knn_shared_mean: Some(1.0),
            neighbors: 10,
            missing_reasons: Vec::new(),
            seed: 1,
            seeded_fit: false,
            n_test: 360,
            latent_dims: (2, 2),
        };
        let v = judge(&same, &Margins::default());
        assert!(v.equivalent, "{}", v.summary);
        assert!(v.summary.contains("all 7 criteria"));
        assert!(
            v.summary.contains("single train/test split (seed 1)"),
            "{}",
            v.summary
        );
    }
}
