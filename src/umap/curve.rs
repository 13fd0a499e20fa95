//! The embedding's similarity curve 1 / (1 + a·d^(2b)) fitted, as umap-learn's
//! `find_ab_params`, by least squares to the offset exponential that `min_dist` and `spread`
//! describe: 1 below `min_dist`, exp(−(d − min_dist) / spread) above, on 300 points from 0 to
//! 3·spread. scipy's `curve_fit` (Levenberg-Marquardt from a = b = 1) does the fit there; the
//! same method here.

/// Points the curve is fitted on (umap-learn's).
const POINTS: usize = 300;
/// Levenberg-Marquardt steps at most.
const MAX_STEPS: usize = 500;

/// The curve's `(a, b)` for `spread` and `min_dist` (both positive, checked by the caller).
pub fn fit_ab(spread: f64, min_dist: f64) -> (f64, f64) {
    let xs: Vec<f64> = (0..POINTS)
        .map(|i| spread * 3.0 * i as f64 / (POINTS - 1) as f64)
        .collect();
    let ys: Vec<f64> = xs
        .iter()
        .map(|&x| {
            if x < min_dist {
                1.0
            } else {
                (-(x - min_dist) / spread).exp()
            }
        })
        .collect();
    // sum of squared residuals and, when asked, the normal equations JᵀJ and Jᵀr
    let evaluate = |a: f64, b: f64| {
        let (mut cost, mut jtj, mut jtr) = (0.0, [[0.0f64; 2]; 2], [0.0f64; 2]);
        for (&x, &y) in xs.iter().zip(&ys) {
            let x2b = if x > 0.0 { x.powf(2.0 * b) } else { 0.0 };
            let denominator = 1.0 + a * x2b;
            let r = 1.0 / denominator - y;
            let grad_a = -x2b / (denominator * denominator);
            let grad_b = if x > 0.0 {
                -a * x2b * 2.0 * x.ln() / (denominator * denominator)
            } else {
                0.0
            };
            let j = [grad_a, grad_b];
            cost += r * r;
            for p in 0..2 {
                jtr[p] += j[p] * r;
                for q in 0..2 {
                    jtj[p][q] += j[p] * j[q];
                }
            }
        }
        (cost, jtj, jtr)
    };
    let (mut a, mut b) = (1.0f64, 1.0f64);
    let mut lambda = 1e-3;
    let (mut cost, mut jtj, mut jtr) = evaluate(a, b);
    for _ in 0..MAX_STEPS {
        // (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr, solved by Cramer's rule
        let m = [
            [jtj[0][0] * (1.0 + lambda), jtj[0][1]],
            [jtj[1][0], jtj[1][1] * (1.0 + lambda)],
        ];
        let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
        if det == 0.0 || !det.is_finite() {
            break;
        }
        let da = (-jtr[0] * m[1][1] + jtr[1] * m[0][1]) / det;
        let db = (-jtr[1] * m[0][0] + jtr[0] * m[1][0]) / det;
        let (na, nb) = (a + da, b + db);
        let (new_cost, new_jtj, new_jtr) = evaluate(na, nb);
        if new_cost.is_finite() && new_cost <= cost {
            let converged = (cost - new_cost) <= 1e-15 * cost.max(1e-300)
                && da.abs() <= 1e-12 * a.abs().max(1.0)
                && db.abs() <= 1e-12 * b.abs().max(1.0);
            (a, b, cost, jtj, jtr) = (na, nb, new_cost, new_jtj, new_jtr);
            lambda = (lambda / 10.0).max(1e-12);
            if converged {
                break;
            }
        } else {
            lambda *= 10.0;
            if lambda > 1e12 {
                break;
            }
        }
    }
    (a, b)
}
