//! What the verdict reads beyond the figures themselves: the share of neighbours the two
//! spaces keep, and why figures are missing.

use crate::data::Prepared;
use crate::pipeline::Run;

/// Mean over rows of the share of a point's k nearest neighbours that are its neighbours in both
/// spaces: for two k-sets with Jaccard index J that share is 2J / (1 + J).
pub(super) fn shared_share(jaccard: &[f64]) -> Option<f64> {
    let shares: Vec<f64> = jaccard
        .iter()
        .filter(|j| j.is_finite())
        .map(|&j| 2.0 * j / (1.0 + j))
        .collect();
    (!shares.is_empty()).then(|| shares.iter().sum::<f64>() / shares.len() as f64)
}

/// Why figures are missing: the evaluation's notes (once each), and why there is no test
/// reconstruction.
pub(super) fn missing_reasons(
    run: &Run,
    prepared: &Prepared,
    notes: [&Vec<String>; 3],
) -> Vec<String> {
    let mut reasons: Vec<String> = Vec::new();
    for (name, outcome) in [("A", &run.a), ("B", &run.b)] {
        if outcome.reconstruction_mse_test.is_some() {
            continue;
        }
        let why = if prepared.split.test.is_empty() {
            "test reconstruction: no test rows (test fraction 0)".to_owned()
        } else if outcome.fitted.model.is_none() {
            let kind = outcome.fitted.spec.kind();
            if kind == crate::methods::MethodKind::Precomputed {
                format!("test reconstruction: {name} is precomputed latents, with no decoder")
            } else {
                format!(
                    "test reconstruction: {name} is {}, which places the rows it is given and \
                     has no decoder to map latents back",
                    kind.label()
                )
            }
        } else {
            format!("test reconstruction: not measured for {name}")
        };
        reasons.push(why);
    }
    for note in notes.into_iter().flatten() {
        reasons.push(note.clone());
    }
    let mut seen = std::collections::HashSet::new();
    reasons.retain(|r| seen.insert(r.clone()));
    reasons
}

#[cfg(test)]
mod tests {
    use super::shared_share;

    #[test]
    fn the_share_of_neighbours_kept_follows_from_the_jaccard_index() {
        // k-sets sharing s of k: J = s / (2k − s), so s / k = 2J / (1 + J)
        let share = shared_share(&[1.0, 0.0, 1.0 / 3.0, f64::NAN]).unwrap();
        assert!((share - (1.0 + 0.0 + 0.5) / 3.0).abs() < 1e-12, "{share}");
        assert_eq!(shared_share(&[f64::NAN]), None);
    }
}
