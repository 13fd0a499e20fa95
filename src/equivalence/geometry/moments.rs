//! The similarities of pairs of runs from weighted, centred second moments: the runs side by
//! side, their moments under one weighting, each run's whitening, and CKA, Procrustes similarity
//! and mean CCA of two blocks of the moments.

use std::ops::Range;

use ndarray::{Array2, ArrayView2, Axis, s};

use crate::error::Result;
use crate::linalg;

/// Weighted, centred second moments of `z` (rows weighted by `counts`, or all 1).
pub(super) fn moments(z: &Array2<f64>, counts: Option<&[u32]>) -> Array2<f64> {
    let n = z.nrows().max(1) as f64;
    let weighted = match counts {
        Some(w) => {
            let mut zw = z.clone();
            for (mut row, &k) in zw.axis_iter_mut(Axis(0)).zip(w) {
                row *= f64::from(k);
            }
            zw
        }
        None => z.clone(),
    };
    let mean = weighted.sum_axis(Axis(0)) / n;
    let mut c = linalg::at_b(&weighted, z) / n;
    for i in 0..c.nrows() {
        for j in 0..c.ncols() {
            c[[i, j]] -= mean[i] * mean[j];
        }
    }
    c
}

/// `U Λ^{-1/2}` over the eigenvalues above rounding (the whitening of one run's block).
pub(super) fn whitening(c: &Array2<f64>) -> Result<Array2<f64>> {
    let (values, vectors) = linalg::symmetric_eigen(c)?;
    let top = values.first().copied().unwrap_or(0.0).max(0.0);
    let kept: Vec<usize> = (0..values.len())
        .filter(|&i| values[i] > 1e-10 * top && values[i] > 0.0)
        .collect();
    Ok(Array2::from_shape_fn((c.nrows(), kept.len()), |(r, j)| {
        vectors[[r, kept[j]]] / values[kept[j]].sqrt()
    }))
}

/// CKA, Procrustes similarity and mean CCA of blocks `x` and `y` of the moments `c`.
pub(super) fn pair_from_moments(
    c: &Array2<f64>,
    (x, y): (Range<usize>, Range<usize>),
    (wx, wy): (&Array2<f64>, &Array2<f64>),
) -> Result<[f64; 3]> {
    let cxx = c.slice(s![x.clone(), x.clone()]);
    let cyy = c.slice(s![y.clone(), y.clone()]);
    let cxy = c.slice(s![x.clone(), y.clone()]).to_owned();
    let frob = |m: ArrayView2<f64>| m.iter().map(|v| v * v).sum::<f64>();
    let cka = frob(cxy.view()) / (frob(cxx).sqrt() * frob(cyy).sqrt());
    let nuclear: f64 = linalg::singular_values(&cxy)?.iter().sum();
    let procrustes = nuclear * nuclear / (cxx.diag().sum() * cyy.diag().sum());
    let cca = if wx.ncols() == 0 || wy.ncols() == 0 {
        f64::NAN
    } else {
        let k = wx.t().dot(&cxy).dot(wy);
        let canonical: f64 = linalg::singular_values(&k)?
            .iter()
            .map(|v| v.min(1.0))
            .sum();
        canonical / x.len().min(y.len()) as f64
    };
    Ok([cka, procrustes, cca])
}

/// The runs side by side, as f64 centred on their observed means, and each run's columns.
pub(super) fn side_by_side(spaces: &[ArrayView2<'_, f32>]) -> (Array2<f64>, Vec<Range<usize>>) {
    let n = spaces.first().map_or(0, |z| z.nrows());
    let width: usize = spaces.iter().map(|z| z.ncols()).sum();
    let mut z = Array2::<f64>::zeros((n, width));
    let mut blocks = Vec::new();
    let mut start = 0;
    for space in spaces {
        let end = start + space.ncols();
        let mut part = z.slice_mut(s![.., start..end]);
        part.assign(&space.mapv(f64::from));
        let mean = part.mean_axis(Axis(0)).unwrap_or_default();
        part -= &mean;
        blocks.push(start..end);
        start = end;
    }
    (z, blocks)
}
