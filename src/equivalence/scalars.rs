//! The scalar criteria across repeated fits: per run the figure of A and of B, their paired
//! differences, and a TOST of the mean difference against the verdict's margins.

use serde::{Deserialize, Serialize};

use crate::config::Margins;
use crate::criteria::{Criterion, Outcome};
use crate::evaluate::MethodEvaluation;
use crate::stats::tost::{PairedTost, paired_tost};
use crate::verdict::EXACT_RECONSTRUCTION_MSE;

/// One criterion over the runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScalarCriterion {
    /// `reconstruction_mse_test`, `knn_accuracy`, `linear_accuracy`, `trustworthiness` or
    /// `continuity`.
    pub criterion: Criterion,
    /// Method A's figure per run.
    pub a: Vec<Option<f64>>,
    /// Method B's figure per run.
    pub b: Vec<Option<f64>>,
    /// True when differences are relative (reconstruction: divided by the smaller mean MSE, at
    /// least 0.001).
    pub relative: bool,
    /// The paired differences a − b (run i of A with run i of B; a method run once pairs its one
    /// run with every run of the other).
    pub differences: Vec<f64>,
    /// The TOST (`null` when the criterion does not apply to both methods).
    pub test: Option<PairedTost>,
    /// The TOST's decision (`null` when it cannot be made).
    pub equivalent: Option<bool>,
}

impl ScalarCriterion {
    /// What the test shows: `equivalent` (the interval lies within ±margin), `different` (it
    /// lies wholly outside), `undecided` (neither), or `n/a` (no test).
    pub fn outcome(&self) -> Outcome {
        let Some(t) = &self.test else {
            return Outcome::NotApplicable;
        };
        match (self.equivalent, t.lower, t.upper) {
            (Some(true), _, _) => Outcome::Equivalent,
            (_, Some(lo), Some(hi)) if lo > t.margin || hi < -t.margin => Outcome::Different,
            (_, Some(_), Some(_)) => Outcome::Undecided,
            _ => Outcome::NotApplicable,
        }
    }

    /// A difference in the criterion's units: a signed percentage when relative, else 4
    /// decimals.
    pub fn difference_text(&self, v: f64) -> String {
        if self.relative {
            format!("{:+.1} %", v * 100.0)
        } else {
            format!("{v:+.4}")
        }
    }

    /// The mean difference with its interval, e.g. `+34.4 % [+32.2 %, +36.6 %]`.
    pub fn interval_text(&self) -> String {
        let Some(t) = &self.test else {
            return "–".into();
        };
        let end = |v: Option<f64>| v.map_or("–".into(), |v| self.difference_text(v));
        format!(
            "{} [{}, {}]",
            self.difference_text(t.mean_difference),
            end(t.lower),
            end(t.upper)
        )
    }

    /// The margin, e.g. `±10 %` (relative) or `±0.02`.
    pub fn margin_text(&self) -> String {
        let Some(t) = &self.test else {
            return "–".into();
        };
        if self.relative {
            format!("±{} %", t.margin * 100.0)
        } else {
            format!("±{}", t.margin)
        }
    }

    /// The TOST p-value, `< 0.001` when below.
    pub fn p_text(&self) -> String {
        match self.test.as_ref().and_then(|t| t.p_value) {
            Some(p) if p < 0.001 => "< 0.001".into(),
            Some(p) => format!("{p:.3}"),
            None => "–".into(),
        }
    }
}

/// The per-run figures of one criterion: test MSE and the evaluation's figures.
pub type RunFigures<'a> = (&'a [Option<f64>], &'a [MethodEvaluation]);

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len().max(1) as f64
}

/// Pairs run i of A with run i of B (a single run pairs with all) and tests each criterion.
pub fn compare_scalars(
    a: RunFigures<'_>,
    b: RunFigures<'_>,
    margins: &Margins,
    alpha: f64,
) -> Vec<ScalarCriterion> {
    type Pick = fn(&MethodEvaluation) -> Option<f64>;
    let picks: [(Criterion, Pick, f64); 4] = [
        (Criterion::KnnAccuracy, |e| e.knn_accuracy, margins.accuracy),
        (
            Criterion::LinearAccuracy,
            |e| e.linear_accuracy,
            margins.accuracy,
        ),
        (
            Criterion::Trustworthiness,
            |e| e.trustworthiness,
            margins.neighbourhood,
        ),
        (
            Criterion::Continuity,
            |e| e.continuity,
            margins.neighbourhood,
        ),
    ];
    let mut out = vec![criterion(
        Criterion::ReconstructionMseTest,
        a.0.to_vec(),
        b.0.to_vec(),
        margins.reconstruction,
        true,
        alpha,
    )];
    for (name, pick, margin) in picks {
        let va = a.1.iter().map(pick).collect();
        let vb = b.1.iter().map(pick).collect();
        out.push(criterion(name, va, vb, margin, false, alpha));
    }
    out
}

fn criterion(
    name: Criterion,
    a: Vec<Option<f64>>,
    b: Vec<Option<f64>>,
    margin: f64,
    relative: bool,
    alpha: f64,
) -> ScalarCriterion {
    let mut c = ScalarCriterion {
        criterion: name,
        a,
        b,
        relative,
        differences: Vec::new(),
        test: None,
        equivalent: None,
    };
    let (Some(va), Some(vb)) = (
        c.a.iter().copied().collect::<Option<Vec<f64>>>(),
        c.b.iter().copied().collect::<Option<Vec<f64>>>(),
    ) else {
        return c;
    };
    if va.is_empty() || vb.is_empty() {
        return c;
    }
    let n = va.len().max(vb.len());
    let scale = if relative {
        let (ma, mb) = (mean(&va), mean(&vb));
        if ma.max(mb) < EXACT_RECONSTRUCTION_MSE {
            // both exact: no difference to speak of
            c.differences = vec![0.0; n];
            let test = paired_tost(&c.differences, margin, alpha);
            c.equivalent = test.equivalent;
            c.test = Some(test);
            return c;
        }
        ma.min(mb).max(EXACT_RECONSTRUCTION_MSE)
    } else {
        1.0
    };
    c.differences = (0..n)
        .map(|i| (va[i.min(va.len() - 1)] - vb[i.min(vb.len() - 1)]) / scale)
        .collect();
    let test = paired_tost(&c.differences, margin, alpha);
    c.equivalent = test.equivalent;
    c.test = Some(test);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evals(values: &[f64]) -> Vec<MethodEvaluation> {
        values
            .iter()
            .map(|&v| MethodEvaluation {
                knn_accuracy: Some(v),
                trustworthiness: Some(v),
                ..MethodEvaluation::default()
            })
            .collect()
    }

    #[test]
    fn close_figures_are_equivalent_and_far_ones_are_not() {
        let m = Margins::default();
        let mse_a = [Some(0.50), Some(0.52), Some(0.51)];
        let mse_b = [Some(0.505), Some(0.515), Some(0.50)];
        let ea = evals(&[0.90, 0.91, 0.905]);
        let eb = evals(&[0.80, 0.81, 0.79]);
        let out = compare_scalars((&mse_a, &ea), (&mse_b, &eb), &m, 0.05);
        let get = |name: Criterion| out.iter().find(|c| c.criterion == name).expect("criterion");
        assert_eq!(get(Criterion::ReconstructionMseTest).equivalent, Some(true));
        assert_eq!(get(Criterion::KnnAccuracy).equivalent, Some(false));
        // logistic regression was not measured: the criterion does not apply
        assert_eq!(get(Criterion::LinearAccuracy).test, None);
        let rel = &get(Criterion::ReconstructionMseTest).differences;
        // relative to the smaller mean MSE, B's (0.505 + 0.515 + 0.50) / 3
        assert!(
            (rel[0] - (0.50 - 0.505) / (1.52 / 3.0)).abs() < 1e-12,
            "{rel:?}"
        );
    }

    #[test]
    fn a_single_run_pairs_with_every_run() {
        let m = Margins::default();
        let out = compare_scalars(
            (&[Some(1.0)], &evals(&[0.9])),
            (&[Some(1.0); 3], &evals(&[0.9, 0.901, 0.899])),
            &m,
            0.05,
        );
        let knn = out
            .iter()
            .find(|c| c.criterion == Criterion::KnnAccuracy)
            .expect("knn");
        assert_eq!(knn.differences.len(), 3);
        assert_eq!(knn.equivalent, Some(true));
    }

    #[test]
    fn outcomes_and_texts_tell_a_difference_from_no_evidence() {
        let m = Margins::default();
        let mse = [Some(0.50), Some(0.52), Some(0.51)];
        let mse_worse = [Some(0.70), Some(0.72), Some(0.69)];
        let out = compare_scalars(
            (&mse, &evals(&[0.90, 0.91, 0.905])),
            (&mse_worse, &evals(&[0.88, 0.95, 0.86])),
            &m,
            0.05,
        );
        let get = |name: Criterion| out.iter().find(|c| c.criterion == name).expect("criterion");
        let rec = get(Criterion::ReconstructionMseTest);
        assert_eq!(rec.outcome(), Outcome::Different);
        assert_eq!(rec.margin_text(), "±10 %");
        assert!(
            rec.interval_text().starts_with("-37.9 % ["),
            "{}",
            rec.interval_text()
        );
        // a wide interval around a small difference shows nothing either way
        assert_eq!(get(Criterion::KnnAccuracy).outcome(), Outcome::Undecided);
        assert_eq!(
            get(Criterion::LinearAccuracy).outcome(),
            Outcome::NotApplicable
        );
        assert_eq!(get(Criterion::KnnAccuracy).margin_text(), "±0.02");
    }
}
