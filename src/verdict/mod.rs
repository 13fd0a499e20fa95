//! The verdict: per criterion the two values, their difference, the margin and whether it holds,
//! and a plain-language paragraph built only from those numbers.

mod text;

#[cfg(test)]
mod tests;

use crate::config::Margins;
use crate::criteria::Criterion;
use serde::{Deserialize, Serialize};

pub use text::{difference_text, margin_text};
use text::{list, sentence};

/// One criterion of the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionVerdict {
    /// The figure (its report key in report.json: `reconstruction_mse_test`, `linear_cka`, …).
    pub criterion: Criterion,
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
    criterion: Criterion,
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
        criterion,
        a,
        b,
        difference,
        margin,
        within_margin: difference.map(|d| d <= margin),
    }
}

fn floor(criterion: Criterion, value: Option<f64>, margin: f64) -> CriterionVerdict {
    CriterionVerdict {
        criterion,
        a: None,
        b: None,
        difference: value,
        margin,
        within_margin: value.map(|v| v >= margin),
    }
}

/// Judges the figures against the margins.
pub fn judge(inputs: &VerdictInputs, margins: &Margins) -> Verdict {
    let criteria = vec![
        pair(
            Criterion::ReconstructionMseTest,
            inputs.reconstruction,
            margins.reconstruction,
            true,
        ),
        pair(
            Criterion::KnnAccuracy,
            inputs.knn_accuracy,
            margins.accuracy,
            false,
        ),
        pair(
            Criterion::LinearAccuracy,
            inputs.linear_accuracy,
            margins.accuracy,
            false,
        ),
        pair(
            Criterion::Trustworthiness,
            inputs.trustworthiness,
            margins.neighbourhood,
            false,
        ),
        pair(
            Criterion::Continuity,
            inputs.continuity,
            margins.neighbourhood,
            false,
        ),
        floor(Criterion::LinearCka, inputs.linear_cka, margins.min_cka),
        floor(
            Criterion::KnnJaccardMean,
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
        .map(|c| c.criterion.in_sentence())
        .collect();
    if !skipped.is_empty() {
        let why = if inputs.missing_reasons.is_empty() {
            String::new()
        } else {
            format!(" ({})", inputs.missing_reasons.join("; "))
        };
        notes.push(format!("Not judged: {}{why}.", list(&skipped)));
    }
    let accuracy_judged = criteria.iter().any(|c| {
        matches!(
            c.criterion,
            Criterion::KnnAccuracy | Criterion::LinearAccuracy
        ) && c.within_margin.is_some()
    });
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
