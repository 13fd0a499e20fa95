//! Posterior collapse of a VAE: its active latent units (Burda, Grosse & Salakhutdinov 2016),
//! those whose mean μ varies over the rows by more than [`ACTIVE_UNIT_VARIANCE`]; fewer than the
//! latent width means the others carry nothing of the data, which the evaluation says as a hint.

use ndarray::ArrayView2;

use crate::methods::MethodSpec;

/// The variance of a latent unit's mean over the rows above which it counts as active.
pub const ACTIVE_UNIT_VARIANCE: f64 = 0.01;

/// The latent units (columns of `z`, a VAE's means) whose variance over the rows is above
/// [`ACTIVE_UNIT_VARIANCE`].
pub fn active_units(z: ArrayView2<f32>) -> usize {
    let n = z.nrows().max(1) as f64;
    z.columns()
        .into_iter()
        .filter(|column| {
            let mean = column.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
            let variance = column
                .iter()
                .map(|&v| (f64::from(v) - mean).powi(2))
                .sum::<f64>()
                / n;
            variance > ACTIVE_UNIT_VARIANCE
        })
        .count()
}

/// For a VAE (`None` for other methods), its active units over the latents `z` and, when some
/// are inactive, the hint that says so and what to change.
pub(super) fn check(spec: &MethodSpec, z: ArrayView2<f32>) -> Option<(usize, Option<String>)> {
    let MethodSpec::Vae(p) = spec else {
        return None;
    };
    let active = active_units(z);
    let hint = (active < z.ncols()).then(|| {
        format!(
            "posterior collapse: {active} of {} latent units are active (their mean varies by \
             more than {ACTIVE_UNIT_VARIANCE} over the rows); the others carry nothing of the \
             data. Lower β (now {}) or the latent dimension, or train longer",
            z.ncols(),
            p.beta
        )
    });
    Some((active, hint))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn a_unit_is_active_when_its_mean_varies_by_more_than_0_01() {
        // column 0: ±0.2 (variance 0.04); column 1: ±0.05 (variance 0.0025)
        let z = Array2::from_shape_fn((100, 2), |(i, j)| {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            sign * [0.2f32, 0.05][j]
        });
        assert_eq!(active_units(z.view()), 1);
        let vae = MethodSpec::Vae(crate::methods::VaeParams::default());
        let (active, hint) = check(&vae, z.view()).unwrap();
        assert_eq!(active, 1);
        assert!(
            hint.unwrap()
                .starts_with("posterior collapse: 1 of 2 latent units")
        );
        let pca = MethodSpec::Pca(crate::methods::PcaParams::default());
        assert_eq!(check(&pca, z.view()), None);
    }
}
