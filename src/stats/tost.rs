//! The paired two one-sided test (Schuirmann's TOST): are the means of paired measurements within
//! ±margin of each other? Both one-sided t tests must reject at `alpha`; equivalently the
//! (1 − 2·alpha) confidence interval of the mean difference lies inside (−margin, margin).

use serde::{Deserialize, Serialize};

use super::student_t;

/// The outcome of a paired TOST.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairedTost {
    /// Number of pairs.
    pub n: usize,
    /// Mean of the differences (a − b).
    pub mean_difference: f64,
    /// Lower end of the (1 − 2·alpha) interval of the mean difference (`null` below two pairs).
    pub lower: Option<f64>,
    /// Upper end of that interval.
    pub upper: Option<f64>,
    /// The larger of the two one-sided p-values (`null` below two pairs).
    pub p_value: Option<f64>,
    /// The equivalence margin.
    pub margin: f64,
    /// The test's level.
    pub alpha: f64,
    /// True when both one-sided tests reject (`null` below two pairs).
    pub equivalent: Option<bool>,
}

/// TOST on the differences `d` (a − b per pair) against ±`margin` at level `alpha`.
///
/// With no spread at all (every difference equal, e.g. two deterministic methods) the mean is
/// known exactly: equivalent when it lies strictly inside the margins (p = 0), else not (p = 1).
pub fn paired_tost(d: &[f64], margin: f64, alpha: f64) -> PairedTost {
    let n = d.len();
    let mean = d.iter().sum::<f64>() / n.max(1) as f64;
    let mut out = PairedTost {
        n,
        mean_difference: mean,
        lower: None,
        upper: None,
        p_value: None,
        margin,
        alpha,
        equivalent: None,
    };
    if n < 2 || d.iter().any(|v| !v.is_finite()) {
        return out;
    }
    let var = d.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let se = (var / n as f64).sqrt();
    let df = (n - 1) as f64;
    // spread below rounding of the mean: treat as none
    if se <= 1e-12 * mean.abs().max(1e-300) || se == 0.0 {
        let inside = mean.abs() < margin;
        (out.lower, out.upper) = (Some(mean), Some(mean));
        out.p_value = Some(if inside { 0.0 } else { 1.0 });
        out.equivalent = Some(inside);
        return out;
    }
    // H0₁: μ ≤ −margin, rejected for large t; H0₂: μ ≥ margin, rejected for small t.
    let p_low = 1.0 - student_t::cdf((mean + margin) / se, df);
    let p_high = student_t::cdf((mean - margin) / se, df);
    let p = p_low.max(p_high);
    let t = student_t::quantile(1.0 - alpha, df);
    (out.lower, out.upper) = (Some(mean - t * se), Some(mean + t * se));
    out.p_value = Some(p);
    out.equivalent = Some(p < alpha);
    out
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Normal};

    use super::*;

    #[test]
    fn matches_a_hand_computed_case() {
        // d = [0.01, -0.02, 0.015, 0.005, 0.0]: mean 0.002, sd 0.013509, se 0.0060415, df 4.
        // p is the larger one-sided p-value, here the upper one
        let d = [0.01, -0.02, 0.015, 0.005, 0.0];
        let r = paired_tost(&d, 0.02, 0.05);
        let se = 0.013_509_256_086_106_296 / 5f64.sqrt();
        let p_high = student_t::cdf((0.002 - 0.02) / se, 4.0);
        assert!((r.p_value.expect("n ≥ 2") - p_high).abs() < 1e-15);
        // scipy.stats.t.cdf((0.002 - 0.02) / se, 4) = 0.020381913442855167
        assert!(
            (p_high - 0.020_381_913_442_855_167).abs() < 1e-12,
            "{p_high}"
        );
        assert_eq!(r.equivalent, Some(true));
        // the interval: mean ± t(0.95, 4)·se
        let half = 2.131_846_786_326_649_5 * se;
        assert!((r.lower.expect("n ≥ 2") - (0.002 - half)).abs() < 1e-12);
        assert!((r.upper.expect("n ≥ 2") - (0.002 + half)).abs() < 1e-12);
        // a margin inside the interval is not equivalent
        assert_eq!(paired_tost(&d, 0.005, 0.05).equivalent, Some(false));
    }

    #[test]
    fn no_spread_and_too_few_pairs() {
        assert_eq!(paired_tost(&[0.01; 4], 0.02, 0.05).equivalent, Some(true));
        assert_eq!(paired_tost(&[0.03; 4], 0.02, 0.05).equivalent, Some(false));
        let one = paired_tost(&[0.0], 0.02, 0.05);
        assert_eq!((one.equivalent, one.p_value), (None, None));
        assert_eq!(paired_tost(&[0.0, f64::NAN], 0.02, 0.05).equivalent, None);
    }

    #[test]
    fn interval_covers_the_true_difference_at_its_level_and_the_test_holds_its_size() {
        // n = 5 pairs, true mean difference 0.01, sd 0.02; 90 % intervals (alpha = 0.05)
        let normal = Normal::new(0.01, 0.02).expect("valid normal");
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let trials = 4000;
        let (mut covered, mut false_equivalent) = (0, 0);
        for _ in 0..trials {
            let d: Vec<f64> = (0..5).map(|_| normal.sample(&mut rng)).collect();
            let r = paired_tost(&d, 0.01, 0.05);
            let (lo, hi) = (r.lower.expect("n ≥ 2"), r.upper.expect("n ≥ 2"));
            covered += usize::from(lo <= 0.01 && 0.01 <= hi);
            // the true difference sits on the margin: TOST may call it equivalent at most
            // alpha of the time
            false_equivalent += usize::from(r.equivalent == Some(true));
        }
        let coverage = covered as f64 / f64::from(trials);
        let size = false_equivalent as f64 / f64::from(trials);
        // binomial sd over 4000 trials: 0.0047 at 0.9
        assert!((0.885..=0.915).contains(&coverage), "coverage {coverage}");
        assert!(size <= 0.06, "type I error {size}");
    }
}
