//! Similarity between two latent spaces of the same rows.

use ndarray::{Array2, ArrayView2};

use crate::error::{Error, Result};
use crate::linalg::{at_b, center_columns, singular_values, thin_svd_u};

fn centered(x: ArrayView2<f32>) -> Array2<f64> {
    let mut c = x.mapv(f64::from);
    center_columns(&mut c);
    c
}

/// Orthonormal basis of the column space of a centred matrix, dropping directions whose singular
/// value is negligible (so a constant latent column adds no spurious correlation).
fn column_basis(x: &Array2<f64>) -> Result<Array2<f64>> {
    let (u, s) = thin_svd_u(x)?;
    let largest = s.first().copied().unwrap_or(0.0);
    let rank = s
        .iter()
        .filter(|&&v| v > largest * 1e-10 && v > 0.0)
        .count();
    Ok(u.slice(ndarray::s![.., ..rank]).to_owned())
}

/// Canonical correlations of `a` and `b` (rows aligned), descending: the singular values of
/// Qaᵀ·Qb for orthonormal bases of the centred column spaces.
pub fn canonical_correlations(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Result<Vec<f64>> {
    if a.nrows() != b.nrows() {
        return Err(Error::InvalidInput(format!(
            "canonical correlation needs the same rows in both spaces ({} vs {})",
            a.nrows(),
            b.nrows()
        )));
    }
    let qa = column_basis(&centered(a))?;
    let qb = column_basis(&centered(b))?;
    if qa.ncols() == 0 || qb.ncols() == 0 {
        return Err(Error::InvalidInput(
            "canonical correlation is undefined: one space is constant".into(),
        ));
    }
    let m = at_b(&qa, &qb);
    let mut values = singular_values(&m)?;
    values.truncate(qa.ncols().min(qb.ncols()));
    Ok(values.into_iter().map(|v| v.min(1.0)).collect())
}

/// Mean of the canonical correlations.
pub fn mean_cca(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Result<f64> {
    let values = canonical_correlations(a, b)?;
    Ok(values.iter().sum::<f64>() / values.len() as f64)
}

/// Linear CKA (Kornblith et al. 2019) on column-centred features:
/// ‖BᵀA‖²_F / (‖AᵀA‖_F · ‖BᵀB‖_F). With `debiased`, the unbiased HSIC estimator of Song et al.
/// as in google-research's `feature_space_linear_cka(debiased=True)`.
pub fn linear_cka(a: ArrayView2<f32>, b: ArrayView2<f32>, debiased: bool) -> Result<f64> {
    same_rows(a, b, "CKA")?;
    let (a, b) = (centered(a), centered(b));
    let n = a.nrows() as f64;
    if debiased && a.nrows() < 4 {
        return Err(Error::InvalidInput(
            "debiased CKA needs at least 4 rows".into(),
        ));
    }
    let frob2 = |m: &Array2<f64>| m.iter().map(|v| v * v).sum::<f64>();
    let mut xy = frob2(&at_b(&b, &a));
    let mut xx = frob2(&at_b(&a, &a));
    let mut yy = frob2(&at_b(&b, &b));
    if debiased {
        let rows2 =
            |m: &Array2<f64>| -> Vec<f64> { m.rows().into_iter().map(|r| r.dot(&r)).collect() };
        let (ra, rb) = (rows2(&a), rows2(&b));
        let (na, nb) = (ra.iter().sum::<f64>(), rb.iter().sum::<f64>());
        let unbiased = |dot: f64, r1: &[f64], r2: &[f64], n1: f64, n2: f64| {
            let cross: f64 = r1.iter().zip(r2).map(|(p, q)| p * q).sum();
            dot - n / (n - 2.0) * cross + n1 * n2 / ((n - 1.0) * (n - 2.0))
        };
        xy = unbiased(xy, &ra, &rb, na, nb);
        xx = unbiased(xx, &ra, &ra, na, na);
        yy = unbiased(yy, &rb, &rb, nb, nb);
    }
    let denominator = (xx * yy).sqrt();
    if denominator.is_nan() || denominator <= 0.0 {
        return Err(Error::InvalidInput(
            "CKA is undefined: one space is constant".into(),
        ));
    }
    Ok(xy / denominator)
}

fn same_rows(a: ArrayView2<f32>, b: ArrayView2<f32>, what: &str) -> Result<()> {
    if a.nrows() != b.nrows() {
        return Err(Error::InvalidInput(format!(
            "{what} needs the same rows in both spaces ({} vs {})",
            a.nrows(),
            b.nrows()
        )));
    }
    Ok(())
}

/// Procrustes analysis as `scipy.spatial.procrustes(a, b)`: both centred and scaled to unit
/// Frobenius norm, the narrower padded with zero columns, `b` rotated (and scaled) onto `a`.
#[derive(Debug, Clone)]
pub struct Procrustes {
    /// Σ (a − b_aligned)² of the standardised matrices; 0 when b is a rotated, scaled copy of a.
    pub disparity: f64,
    /// `b` aligned onto `a`, in `a`'s original units (centre and scale restored), `a`'s width.
    pub b_aligned: Array2<f32>,
}

/// See [`Procrustes`].
pub fn procrustes(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Result<Procrustes> {
    same_rows(a, b, "Procrustes")?;
    let width = a.ncols().max(b.ncols());
    let pad = |x: ArrayView2<f32>| {
        let mut m = Array2::<f64>::zeros((x.nrows(), width));
        m.slice_mut(ndarray::s![.., ..x.ncols()])
            .assign(&x.mapv(f64::from));
        m
    };
    let (mut ma, mut mb) = (pad(a), pad(b));
    let mean_a = ma
        .mean_axis(ndarray::Axis(0))
        .unwrap_or_else(|| ndarray::Array1::zeros(width));
    center_columns(&mut ma);
    center_columns(&mut mb);
    let norm = |m: &Array2<f64>| m.iter().map(|v| v * v).sum::<f64>().sqrt();
    let (norm_a, norm_b) = (norm(&ma), norm(&mb));
    if !(norm_a > 0.0 && norm_b > 0.0) {
        return Err(Error::InvalidInput(
            "Procrustes is undefined: one space is constant".into(),
        ));
    }
    ma /= norm_a;
    mb /= norm_b;
    // scipy.linalg.orthogonal_procrustes(ma, mb): R = U Vᵀ from svd(mbᵀ·ma)ᵀ … we need the
    // rotation taking mb onto ma: maximise tr(Rᵀ mbᵀ ma) → R = U Vᵀ with mbᵀ ma = U Σ Vᵀ.
    let m = at_b(&mb, &ma);
    let (u, sigma, vt) = crate::linalg::svd_full(&m)?;
    let scale: f64 = sigma.iter().sum();
    let rotation = u.dot(&vt);
    let aligned = mb.dot(&rotation) * scale;
    let disparity = (&ma - &aligned).iter().map(|v| v * v).sum::<f64>();
    let mut b_aligned = aligned * norm_a;
    b_aligned += &mean_a.insert_axis(ndarray::Axis(0));
    let b_aligned = b_aligned
        .slice(ndarray::s![.., ..a.ncols()])
        .mapv(|v| v as f32);
    Ok(Procrustes {
        disparity,
        b_aligned,
    })
}

/// Maps an f64 to a u64 whose unsigned order is the float's total order.
fn order_key(v: f64) -> u64 {
    let bits = v.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Sorts `keys`, and `index` alongside, by key with an LSD radix sort (11-bit digits, passes in
/// which every key shares the digit skipped): the distance lists here have millions of entries.
/// Keys and indices in two arrays (12 bytes an entry, where pairs took 16 with padding).
fn radix_sort(mut keys: Vec<u64>, mut index: Vec<u32>) -> (Vec<u64>, Vec<u32>) {
    const BITS: u32 = 11;
    const BUCKETS: usize = 1 << BITS;
    let n = keys.len();
    let (mut keys_to, mut index_to) = (vec![0u64; n], vec![0u32; n]);
    let mut shift = 0;
    while shift < 64 {
        let digit = |k: u64| ((k >> shift) as usize) & (BUCKETS - 1);
        let mut counts = vec![0usize; BUCKETS];
        for &k in &keys {
            counts[digit(k)] += 1;
        }
        if counts.contains(&n) {
            shift += BITS;
            continue;
        }
        let mut offset = 0;
        for c in counts.iter_mut() {
            let here = *c;
            *c = offset;
            offset += here;
        }
        for (&k, &i) in keys.iter().zip(&index) {
            let d = digit(k);
            keys_to[counts[d]] = k;
            index_to[counts[d]] = i;
            counts[d] += 1;
        }
        std::mem::swap(&mut keys, &mut keys_to);
        std::mem::swap(&mut index, &mut index_to);
        shift += BITS;
    }
    (keys, index)
}

/// Average ranks (1-based) with ties sharing the mean of their positions, as scipy's `rankdata`
/// (the tests' entry to [`ranks_of_keys`]).
#[cfg(test)]
fn average_ranks(values: &[f64]) -> Vec<f64> {
    ranks_of_keys(values.iter().map(|&v| order_key(v)).collect())
}

/// [`average_ranks`] of the values whose [`order_key`]s are `keys` (consumed: the distance lists
/// are ranked without keeping their f64 values beside their keys).
fn ranks_of_keys(keys: Vec<u64>) -> Vec<f64> {
    let index = (0..keys.len() as u32).collect();
    let (keys, index) = radix_sort(keys, index);
    let mut ranks = vec![0.0; keys.len()];
    let mut start = 0;
    while start < keys.len() {
        let mut end = start + 1;
        while end < keys.len() && keys[end] == keys[start] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &index[start..end] {
            ranks[i as usize] = rank;
        }
        start = end;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (da, db) = (a - mx, b - my);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    sxy / (sxx * syy).sqrt()
}

/// The [`order_key`]s of all pairwise Euclidean distances (scipy's `pdist` order): what ranking
/// them needs, 8 bytes a pair (12.5 million pairs for 5000 rows).
fn condensed_distance_keys(x: ArrayView2<f32>) -> Vec<u64> {
    let n = x.nrows();
    let mut out = Vec::with_capacity(n * n.saturating_sub(1) / 2);
    let x = crate::metrics::distances::to_f64(x);
    crate::metrics::distances::for_each_distance_block(x.view(), |start, block| {
        for (i, row) in block.rows().into_iter().enumerate() {
            let me = start + i;
            out.extend(row.iter().skip(me + 1).map(|d| order_key(d.sqrt())));
        }
    });
    out
}

/// Spearman correlation of all pairwise Euclidean distances in `a` and in `b`
/// (`scipy.stats.spearmanr(pdist(a), pdist(b))`).
pub fn distance_spearman(a: ArrayView2<f32>, b: ArrayView2<f32>) -> Result<f64> {
    same_rows(a, b, "distance correlation")?;
    if a.nrows() < 3 {
        return Err(Error::InvalidInput(
            "distance correlation needs at least 3 rows".into(),
        ));
    }
    if a.nrows() > 92_000 {
        return Err(Error::InvalidInput(format!(
            "distance correlation over {} rows would rank more than 4 billion distances; subsample with --metric-sample",
            a.nrows()
        )));
    }
    // the two rankings are independent: one thread each
    let (ra, rb) = std::thread::scope(|scope| {
        let other = scope.spawn(|| ranks_of_keys(condensed_distance_keys(b)));
        let ra = ranks_of_keys(condensed_distance_keys(a));
        (ra, other.join())
    });
    let rb = rb.map_err(|_| Error::Numerical("ranking thread failed".into()))?;
    let r = pearson(&ra, &rb);
    if r.is_finite() {
        Ok(r)
    } else {
        Err(Error::InvalidInput(
            "distance correlation is undefined: all distances equal".into(),
        ))
    }
}

#[cfg(test)]
#[path = "similarity_tests.rs"]
mod tests;
