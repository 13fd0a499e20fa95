//! A sweep in report.json (`sweep`): per point the value, each method's criteria, the
//! between-method figures and the verdict, and with repeats the protocol's decision; and the
//! sentence that says where the two methods stop being equivalent.

use serde::{Deserialize, Serialize};

use super::{SweepOutcome, SweepPoint};
use crate::config::{SweepSide, SweepValue};
use crate::criteria::{Criterion, Decision, Similarity};
use crate::equivalence::{GeometryCriterion, ScalarCriterion};
use crate::evaluate::{Comparison, MethodEvaluation};

/// `sweep` in report.json.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    /// The swept setting (`latent_dim`, `beta`, …).
    pub parameter: String,
    /// Whose setting: `both`, `a` or `b`.
    pub side: SweepSide,
    /// The finished points, in the sweep's order.
    pub points: Vec<PointReport>,
    /// Points that did not finish, and why.
    pub missing: Vec<MissingReport>,
    /// One sentence: where the methods are equivalent and where they differ, on what.
    pub summary: String,
}

/// One finished point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointReport {
    /// The value: a number, or text (hidden widths `"128,64"`, an activation).
    pub value: serde_json::Value,
    /// Method A here.
    pub a: PointMethod,
    /// Method B here.
    pub b: PointMethod,
    /// The two spaces compared (CKA, Procrustes, CCA, k-NN Jaccard) and the single-run verdict.
    pub comparison: Comparison,
    /// The protocol's outcome, when the sweep repeats fits.
    pub equivalence: Option<PointEquivalence>,
    /// `equivalent`, `not equivalent` or `undecided`: the protocol's decision with repeats, else
    /// the single run's verdict.
    pub decision: Decision,
    /// The criteria that differ here (report keys).
    pub differs_on: Vec<String>,
}

/// One method at one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointMethod {
    /// The method as fitted.
    pub description: String,
    /// Seconds its fit took (a fit shared with other points counts at each).
    pub fit_seconds: f64,
    /// Peak bytes its fit allocated at once (as `methods.a|b.peak_memory_bytes`; a shared fit's
    /// at each point).
    #[serde(default)]
    pub peak_memory_bytes: Option<u64>,
    /// Test reconstruction MSE (`null` without a decoder).
    pub reconstruction_mse_test: Option<f64>,
    /// Downstream accuracy, neighbourhood preservation, cost.
    #[serde(flatten)]
    pub evaluation: MethodEvaluation,
}

/// The protocol at one point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointEquivalence {
    /// `equivalent`, `not equivalent` or `undecided`.
    pub decision: Decision,
    /// Every geometry similarity equivalent.
    pub geometry_equivalent: bool,
    /// The same subspace (mean CCA).
    pub subspace_equivalent: bool,
    /// Per criterion: the runs' figures, the interval of the difference, the TOST.
    pub criteria: Vec<ScalarCriterion>,
    /// Per similarity: within- and between-method distributions and the test.
    pub geometry: Vec<GeometryCriterion>,
}

/// A point that did not finish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingReport {
    /// Its value.
    pub value: serde_json::Value,
    /// Why: the error, or "cancelled".
    pub reason: String,
}

/// A value as report.json holds it.
pub fn value_json(v: &SweepValue) -> serde_json::Value {
    match v {
        SweepValue::Count(n) => serde_json::Value::from(*n),
        // through the shortest decimal text, so that 0.1 stays 0.1 rather than its f32 digits
        SweepValue::Real(r) => r
            .to_string()
            .parse::<f64>()
            .map_or(serde_json::Value::Null, serde_json::Value::from),
        other => serde_json::Value::from(other.to_string()),
    }
}

impl SweepReport {
    /// The report of a sweep's outcome.
    pub fn new(outcome: &SweepOutcome) -> SweepReport {
        let points: Vec<PointReport> = outcome.points.iter().map(PointReport::new).collect();
        let missing: Vec<MissingReport> = outcome
            .missing
            .iter()
            .map(|m| MissingReport {
                value: value_json(&m.value),
                reason: m.reason.clone(),
            })
            .collect();
        let summary = summary(&outcome.sweep.parameter(), &points, &missing);
        SweepReport {
            parameter: outcome.sweep.name().to_owned(),
            side: outcome.sweep.side,
            points,
            missing,
            summary,
        }
    }
}

impl SweepReport {
    /// The parameter as the command line writes it: `latent_dim`, `a.latent_dim`, `b.beta`.
    pub fn parameter_as_written(&self) -> String {
        self.side.written(&self.parameter)
    }
}

impl PointMethod {
    fn new(point: &SweepPoint, side: crate::pipeline::Side) -> PointMethod {
        let outcome = point.run.outcome(side);
        let evaluation = match side {
            crate::pipeline::Side::A => &point.evaluation.a,
            crate::pipeline::Side::B => &point.evaluation.b,
        };
        PointMethod {
            description: outcome.fitted.spec.to_string(),
            fit_seconds: outcome.fitted.fit_seconds,
            peak_memory_bytes: outcome.fitted.peak_memory_bytes,
            reconstruction_mse_test: outcome.reconstruction_mse_test,
            evaluation: evaluation.clone(),
        }
    }
}

impl PointReport {
    fn new(point: &SweepPoint) -> PointReport {
        let comparison = point.evaluation.comparison.clone();
        let (decision, differs_on) = match &point.equivalence {
            Some(e) => (e.decision, protocol_differences(&e.criteria, &e.geometry)),
            None => {
                let differs: Vec<String> = comparison
                    .verdict
                    .criteria
                    .iter()
                    .filter(|c| c.within_margin == Some(false))
                    .map(|c| c.criterion.key().to_owned())
                    .collect();
                let decision = if comparison.verdict.equivalent {
                    Decision::Equivalent
                } else {
                    Decision::NotEquivalent
                };
                (decision, differs)
            }
        };
        PointReport {
            value: value_json(&point.value),
            a: PointMethod::new(point, crate::pipeline::Side::A),
            b: PointMethod::new(point, crate::pipeline::Side::B),
            comparison,
            equivalence: point.equivalence.as_ref().map(|e| PointEquivalence {
                decision: e.decision,
                geometry_equivalent: e.geometry_equivalent,
                subspace_equivalent: e.subspace_equivalent,
                criteria: e.criteria.clone(),
                geometry: e.geometry.clone(),
            }),
            decision,
            differs_on,
        }
    }
}

/// The report keys of the criteria and similarities the protocol shows to differ (their whole
/// interval outside the margin).
fn protocol_differences(
    criteria: &[ScalarCriterion],
    geometry: &[GeometryCriterion],
) -> Vec<String> {
    let scalars = criteria
        .iter()
        .filter(|c| c.outcome() == crate::criteria::Outcome::Different)
        .map(|c| c.criterion.key().to_owned());
    // a similarity differs when even the top of its interval is below the margin (not merely
    // when equivalence is not shown)
    let similarities = geometry
        .iter()
        .filter(|g| g.difference.upper < -g.margin)
        .map(|g| g.metric.key().to_owned());
    scalars.chain(similarities).collect()
}

/// A criterion's or similarity's name in a sentence, from its report key.
pub fn in_sentence(key: &str) -> String {
    if let Some(c) = Criterion::ALL.into_iter().find(|c| c.key() == key) {
        return c.in_sentence().to_owned();
    }
    if let Some(s) = Similarity::ALL.into_iter().find(|s| s.key() == key) {
        return s.label().to_owned();
    }
    key.to_owned()
}

/// The criteria of `points`, each once, in order of first appearance, named for a sentence.
fn criteria_of<'a>(points: impl Iterator<Item = &'a PointReport>) -> String {
    let mut keys: Vec<&str> = Vec::new();
    for p in points {
        for k in &p.differs_on {
            if !keys.contains(&k.as_str()) {
                keys.push(k);
            }
        }
    }
    let names: Vec<String> = keys.into_iter().map(in_sentence).collect();
    if names.is_empty() {
        "no single criterion (undecided)".into()
    } else {
        names.join(", ")
    }
}

/// "2, 4 and 8".
fn listed(values: &[String]) -> String {
    match values {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentence: "equivalent for latent_dim ≤ 4; different from 8 on: test reconstruction" when
/// the values ascend and the equivalent ones come first (or last); else the values of each
/// decision listed; then the points that did not finish.
pub(crate) fn summary(name: &str, points: &[PointReport], missing: &[MissingReport]) -> String {
    let text = |p: &PointReport| json_text(&p.value);
    let mut sentence = if points.is_empty() {
        format!("no point of the {name} sweep finished")
    } else {
        let equivalent: Vec<&PointReport> = points
            .iter()
            .filter(|p| p.decision == Decision::Equivalent)
            .collect();
        let different: Vec<&PointReport> = points
            .iter()
            .filter(|p| p.decision == Decision::NotEquivalent)
            .collect();
        let undecided: Vec<&PointReport> = points
            .iter()
            .filter(|p| p.decision == Decision::Undecided)
            .collect();
        let numbers: Option<Vec<f64>> = points.iter().map(|p| p.value.as_f64()).collect();
        let ascending = numbers.is_some_and(|n| n.windows(2).all(|w| w[0] < w[1]));
        let split = points.iter().position(|p| p.decision != points[0].decision);
        let two_runs = split.is_some_and(|s| {
            undecided.is_empty() && points[s..].iter().all(|p| p.decision == points[s].decision)
        });
        if equivalent.len() == points.len() {
            let all: Vec<String> = points.iter().map(text).collect();
            format!("equivalent at every {name} tried ({})", listed(&all))
        } else if different.len() == points.len() {
            let all: Vec<String> = points.iter().map(text).collect();
            format!(
                "different at every {name} tried ({}), on: {}",
                listed(&all),
                criteria_of(points.iter())
            )
        } else if ascending
            && two_runs
            && let Some(s) = split
        {
            let (first, rest) = (&points[..s], &points[s..]);
            let on = criteria_of(if first[0].decision == Decision::Equivalent {
                rest.iter()
            } else {
                first.iter()
            });
            if first[0].decision == Decision::Equivalent {
                format!(
                    "equivalent for {name} ≤ {}; different from {} on: {on}",
                    text(&first[s - 1]),
                    text(&rest[0])
                )
            } else {
                format!(
                    "different for {name} ≤ {} (on: {on}); equivalent from {}",
                    text(&first[s - 1]),
                    text(&rest[0])
                )
            }
        } else {
            // each decision with its values, the parameter named in the first
            let values = |list: &[&PointReport]| -> String {
                listed(&list.iter().map(|p| text(p)).collect::<Vec<_>>())
            };
            let on = format!(" (on: {})", criteria_of(different.iter().copied()));
            let groups = [
                ("equivalent", &equivalent, String::new()),
                ("different", &different, on),
                ("undecided", &undecided, String::new()),
            ];
            let parts: Vec<String> = groups
                .iter()
                .filter(|(_, list, _)| !list.is_empty())
                .enumerate()
                .map(|(k, (word, list, tail))| {
                    let at = if k == 0 {
                        format!("{name} = ")
                    } else {
                        String::new()
                    };
                    format!("{word} at {at}{}{tail}", values(list))
                })
                .collect();
            parts.join("; ")
        }
    };
    if !missing.is_empty() {
        let missing: Vec<String> = missing
            .iter()
            .map(|m| format!("{} ({})", json_text(&m.value), m.reason))
            .collect();
        sentence.push_str(&format!("; not run: {}", missing.join(", ")));
    }
    sentence.push('.');
    let mut chars = sentence.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A value as text: a string as it is, a number as JSON writes it.
pub fn json_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
#[path = "summary_tests.rs"]
mod tests;
