//! Percentile bootstrap: rows resampled with replacement (as multinomial counts, so a statistic
//! can be recomputed from weighted sums without copying rows) and the percentile interval of the
//! replicates.

use rand::Rng;
use serde::{Deserialize, Serialize};

/// A point estimate with an interval around it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// The statistic on the data as observed.
    pub estimate: f64,
    /// Lower end of the interval.
    pub lower: f64,
    /// Upper end of the interval.
    pub upper: f64,
}

impl Interval {
    /// `estimate [lower, upper]` with `decimals` decimals (and a sign when `signed`);
    /// `undefined` when the estimate is not a number (no similarity of constant latents), so
    /// that NaN never reaches a report.
    pub fn text(&self, decimals: usize, signed: bool) -> String {
        let v = |x: f64| {
            if signed {
                format!("{x:+.decimals$}")
            } else {
                format!("{x:.decimals$}")
            }
        };
        if !self.estimate.is_finite() {
            "undefined".into()
        } else if !(self.lower.is_finite() && self.upper.is_finite()) {
            format!("{} [interval undefined]", v(self.estimate))
        } else {
            format!(
                "{} [{}, {}]",
                v(self.estimate),
                v(self.lower),
                v(self.upper)
            )
        }
    }
}

/// How many times each of `n` rows is drawn in one bootstrap resample of `n` rows.
pub fn resample_counts(rng: &mut impl Rng, n: usize) -> Vec<u32> {
    let mut counts = vec![0u32; n];
    if n == 0 {
        return counts;
    }
    for _ in 0..n {
        counts[rng.random_range(0..n)] += 1;
    }
    counts
}

/// numpy's default (linear) quantile of sorted, finite `values` at `q` in [0, 1].
pub fn quantile_sorted(values: &[f64], q: f64) -> f64 {
    match values.len() {
        0 => f64::NAN,
        1 => values[0],
        n => {
            let h = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (i, frac) = (h.floor() as usize, h - h.floor());
            let j = (i + 1).min(n - 1);
            values[i] + frac * (values[j] - values[i])
        }
    }
}

/// The central `level` (e.g. 0.95) percentile interval of bootstrap `replicates` around
/// `estimate`. Non-finite replicates are left out; with none left the ends are NaN.
pub fn percentile_interval(estimate: f64, replicates: &[f64], level: f64) -> Interval {
    let mut sorted: Vec<f64> = replicates
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    sorted.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    Interval {
        estimate,
        lower: quantile_sorted(&sorted, tail),
        upper: quantile_sorted(&sorted, 1.0 - tail),
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Exp, Normal};

    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 4.0, 8.0];
        // numpy.quantile([1, 2, 4, 8], [0, 0.25, 0.5, 0.9, 1])
        assert_eq!(quantile_sorted(&v, 0.0), 1.0);
        assert_eq!(quantile_sorted(&v, 0.25), 1.75);
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert!((quantile_sorted(&v, 0.9) - 6.8).abs() < 1e-12);
        assert_eq!(quantile_sorted(&v, 1.0), 8.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
    }

    #[test]
    fn counts_draw_n_rows() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let c = resample_counts(&mut rng, 1000);
        assert_eq!(c.iter().sum::<u32>(), 1000);
        // about 1/e of the rows are left out of a resample
        let missing = c.iter().filter(|&&k| k == 0).count() as f64 / 1000.0;
        assert!((missing - (-1f64).exp()).abs() < 0.05, "{missing}");
    }

    /// Share of `trials` samples of size `n` from `draw` whose `level` percentile interval of
    /// the mean holds the true mean.
    fn coverage(
        level: f64,
        trials: usize,
        n: usize,
        true_mean: f64,
        draw: impl Fn(&mut ChaCha8Rng) -> f64,
    ) -> f64 {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut hits = 0;
        for _ in 0..trials {
            let x: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
            let mean = x.iter().sum::<f64>() / n as f64;
            let reps: Vec<f64> = (0..400)
                .map(|_| {
                    let w = resample_counts(&mut rng, n);
                    x.iter()
                        .zip(&w)
                        .map(|(v, &k)| v * f64::from(k))
                        .sum::<f64>()
                        / n as f64
                })
                .collect();
            let iv = percentile_interval(mean, &reps, level);
            assert!(iv.lower <= mean && mean <= iv.upper);
            hits += usize::from(iv.lower <= true_mean && true_mean <= iv.upper);
        }
        hits as f64 / trials as f64
    }

    #[test]
    fn intervals_cover_the_true_mean_about_95_percent_of_the_time() {
        let normal = Normal::new(3.0, 2.0).expect("valid normal");
        let c = coverage(0.95, 400, 60, 3.0, |rng| normal.sample(rng));
        // binomial sd at p = 0.95 over 400 trials is 0.011; the percentile bootstrap runs a
        // little under nominal at n = 60
        assert!((0.91..=0.98).contains(&c), "normal coverage {c}");
        // a skewed distribution (exponential, mean 1)
        let exp = Exp::new(1.0).expect("valid rate");
        let c = coverage(0.95, 400, 60, 1.0, |rng| exp.sample(rng));
        assert!((0.89..=0.98).contains(&c), "exponential coverage {c}");
        // the level is honoured, not just "wide": a 50 % interval covers about half the time
        let c = coverage(0.5, 400, 60, 3.0, |rng| normal.sample(rng));
        assert!((0.42..=0.58).contains(&c), "50 % coverage {c}");
    }
}
