//! PCA: the covariance by GEMM (`linalg::covariance`) and faer's symmetric eigensolver; with
//! fewer rows than features, the rows' Gram matrix instead (its size follows the rows, so a
//! table of a few rows and 200 000 columns needs megabytes, not the 320 GB of its covariance).
//! Component signs follow scikit-learn (the largest-magnitude loading of each component is
//! positive), so latents match `sklearn.decomposition.PCA` exactly up to rounding.

use ndarray::{Array1, Array2, ArrayView2, Axis, linalg::general_mat_mul};

use std::sync::atomic::{AtomicUsize, Ordering};

use super::{FitStage, Fitted, LatentModel, MethodConfig, MethodSpec, PcaParams, TrainControl};
use crate::data::Prepared;
use crate::error::{Error, Result};
use crate::linalg::{
    Rows, centered_f64, centre_row, column_moments, covariance_observed, f32_covariance,
    symmetric_eigen, symmetric_eigen_f32,
};
use crate::widest::widest;

/// The share of a fit done when the covariance (or Gram matrix) is summed; the eigenvectors
/// take the fit to [`EIGEN_DONE`], the projection of every row to the end. (On 70 000 × 784 the
/// covariance is about four fifths of the fit.)
const COVARIANCE_DONE: f32 = 0.8;
/// The share of a fit done when the eigenvectors are found.
const EIGEN_DONE: f32 = 0.9;

/// Rows per block when projecting.
const PROJECT_BLOCK: usize = 4096;

/// A fitted PCA.
#[derive(Debug, Clone)]
pub struct Pca {
    mean: Array1<f64>,
    /// n_components × n_features, rows orthonormal.
    components: Array2<f64>,
    explained_variance: Vec<f64>,
    explained_variance_ratio: Vec<f64>,
}

/// The registry's spec of PCA from a method's settings.
pub fn spec(c: &MethodConfig) -> Result<MethodSpec> {
    Ok(MethodSpec::Pca(PcaParams {
        latent_dim: c.latent_dim,
    }))
}

/// The registry's read of a PCA spec into a method's settings.
pub fn read(spec: &MethodSpec, c: &mut MethodConfig) {
    if let MethodSpec::Pca(p) = spec {
        c.latent_dim = p.latent_dim;
    }
}

/// The registry's fit of PCA: components of the training rows, every row encoded; reports its
/// stages and stops between blocks of rows when cancelled.
pub fn fit(spec: &MethodSpec, prepared: &Prepared, ctl: &TrainControl) -> Result<Fitted> {
    let MethodSpec::Pca(p) = spec else {
        return Err(Error::InvalidInput(format!("{} is not PCA", spec.kind())));
    };
    let pca = Pca::fit_observed(prepared.train_rows(), p.latent_dim, ctl)?;
    (ctl.on_stage)(FitStage {
        what: "projecting",
        done: EIGEN_DONE,
    });
    let latents = pca.encode(prepared.all_x());
    Ok(Fitted {
        model: Some(Box::new(pca)),
        latents,
        loss_history: Vec::new(),
    })
}

/// The top `k` principal axes (rows, unit length) from the Gram matrix of the centred rows,
/// for `n < d`: `G = X_c X_cᵀ = U Λ Uᵀ` gives the axes `X_cᵀ u / √λ` and the variances `λ / n`.
/// Returns (variances, axes, total variance). An axis of zero variance (the centred rows span
/// fewer than `k` directions) is left at zero: it carries no data.
fn axes_from_gram(
    x: ArrayView2<f32>,
    mean: &Array1<f64>,
    k: usize,
    ctl: &TrainControl,
) -> Result<(Vec<f64>, Array2<f64>, f64)> {
    let n = x.nrows();
    let centered = centered_f64(x, mean);
    let gram = centered.dot(&centered.t());
    if ctl.is_cancelled() {
        return Err(Error::Cancelled);
    }
    (ctl.on_stage)(FitStage {
        what: "eigenvectors",
        done: COVARIANCE_DONE,
    });
    let total_variance = gram.diag().sum() / n as f64;
    let (values, vectors) = symmetric_eigen(&gram)?;
    let mut axes = Array2::<f64>::zeros((k, x.ncols()));
    // eigenvalues below this are rounding noise of a zero one
    let floor = values.first().copied().unwrap_or(0.0).max(0.0) * 1e-12;
    for (j, mut axis) in axes.rows_mut().into_iter().enumerate() {
        if values[j] > floor && values[j] > 0.0 {
            let direction = centered.t().dot(&vectors.column(j));
            axis.assign(&(direction / values[j].sqrt()));
        }
    }
    let variances = values.iter().map(|v| v / n as f64).collect();
    Ok((variances, axes, total_variance))
}

impl Pca {
    /// Fits `n_components` principal axes on the rows of `x`.
    pub fn fit(x: ArrayView2<f32>, n_components: usize) -> Result<Pca> {
        Pca::fit_observed(x, n_components, &TrainControl::silent())
    }

    /// [`Pca::fit`], reporting its stages to `ctl` (the covariance block by block) and
    /// returning `Error::Cancelled` between blocks once `ctl` is cancelled.
    /// `x` is a matrix or some of its rows ([`Rows`]: the training rows, read in place).
    pub fn fit_observed<'a>(
        x: impl Into<Rows<'a>>,
        n_components: usize,
        ctl: &TrainControl,
    ) -> Result<Pca> {
        let x: Rows<'a> = x.into();
        let (n, d) = (x.len(), x.ncols());
        if n_components == 0 || n_components > d.min(n) {
            return Err(Error::InvalidInput(format!(
                "PCA latent dimension must be between 1 and {} (the smaller of rows and features), got {n_components}",
                d.min(n)
            )));
        }
        let moments = column_moments(x);
        let mean = moments.mean.clone();
        let stage = |what, done| (ctl.on_stage)(FitStage { what, done });
        stage("covariance", 0.0);
        let (eigenvalues, mut components, total_variance) = if n < d {
            // fewer rows than features: the rows' copy is smaller than the Gram's f64 one
            match x.as_view() {
                Some(view) => axes_from_gram(view, &mean, n_components, ctl)?,
                None => axes_from_gram(x.to_owned().view(), &mean, n_components, ctl)?,
            }
        } else {
            let summed = AtomicUsize::new(0);
            let each_block = |rows: usize| {
                let done = summed.fetch_add(rows, Ordering::Relaxed) + rows;
                stage(
                    "covariance",
                    COVARIANCE_DONE * done as f32 / n.max(1) as f32,
                );
                !ctl.is_cancelled()
            };
            let covariance =
                covariance_observed(x, &moments, &each_block).ok_or(Error::Cancelled)?;
            stage("eigenvectors", COVARIANCE_DONE);
            let total_variance: f64 = covariance.diag().sum();
            // A covariance summed from f32 products is decomposed in f32, as precise as it.
            let (eigenvalues, eigenvectors) = if f32_covariance(n, d) {
                symmetric_eigen_f32(&covariance)?
            } else {
                symmetric_eigen(&covariance)?
            };
            if ctl.is_cancelled() {
                return Err(Error::Cancelled);
            }
            let components = eigenvectors
                .slice(ndarray::s![.., ..n_components])
                .t()
                .to_owned();
            (eigenvalues, components, total_variance)
        };
        for mut row in components.rows_mut() {
            // scikit-learn's svd_flip(u_based_decision=False): the first entry of largest
            // magnitude is made positive.
            let mut pivot = 0;
            for (j, v) in row.iter().enumerate() {
                if v.abs() > row[pivot].abs() {
                    pivot = j;
                }
            }
            if row[pivot] < 0.0 {
                row.mapv_inplace(|v| -v);
            }
        }
        let explained_variance: Vec<f64> = eigenvalues[..n_components]
            .iter()
            .map(|v| v.max(0.0))
            .collect();
        let explained_variance_ratio = explained_variance
            .iter()
            .map(|v| {
                if total_variance > 0.0 {
                    v / total_variance
                } else {
                    0.0
                }
            })
            .collect();
        Ok(Pca {
            mean,
            components,
            explained_variance,
            explained_variance_ratio,
        })
    }

    /// The first `k` axes of this fit (at most as many as it has): what a fit of `k` components
    /// on the same rows gives, since the axes of an eigen-decomposition are nested.
    pub fn leading(&self, k: usize) -> Pca {
        let k = k.min(self.components.nrows());
        Pca {
            mean: self.mean.clone(),
            components: self.components.slice(ndarray::s![..k, ..]).to_owned(),
            explained_variance: self.explained_variance[..k].to_vec(),
            explained_variance_ratio: self.explained_variance_ratio[..k].to_vec(),
        }
    }

    /// The principal axes, one per row.
    pub fn components(&self) -> &Array2<f64> {
        &self.components
    }

    /// Variance along each axis (population, ddof = 0).
    pub fn explained_variance(&self) -> &[f64] {
        &self.explained_variance
    }

    /// The latents in f64, computed in blocks of rows so that no full f64 copy of `x` is made;
    /// the two halves of the rows on two threads.
    fn project(&self, x: ArrayView2<f32>) -> Array2<f64> {
        let mut z = Array2::<f64>::zeros((x.nrows(), self.components.nrows()));
        let project_rows = |x: ArrayView2<f32>, mut z: ndarray::ArrayViewMut2<f64>| {
            if self.components.nrows() <= DOT_COMPONENTS {
                self.project_by_dots(x, z);
                return;
            }
            for (rows, mut out) in x
                .axis_chunks_iter(Axis(0), PROJECT_BLOCK)
                .zip(z.axis_chunks_iter_mut(Axis(0), PROJECT_BLOCK))
            {
                let centered = centered_f64(rows, &self.mean);
                general_mat_mul(1.0, &centered, &self.components.t(), 0.0, &mut out);
            }
        };
        let half = x.nrows() / 2;
        let (x_top, x_bottom) = x.split_at(Axis(0), half);
        let (z_top, z_bottom) = z.view_mut().split_at(Axis(0), half);
        crate::parallel::join_if_large(
            x.len(),
            || project_rows(x_top, z_top),
            || project_rows(x_bottom, z_bottom),
        );
        z
    }
}

impl Pca {
    /// The latents of few components row by row: each row centred once into an f64 buffer,
    /// then one dot product per component (no f64 copy of a block and no GEMM set-up for a
    /// product only a few columns wide: 70 000 × 784 onto 2 axes took 170 ms that way).
    fn project_by_dots(&self, x: ArrayView2<f32>, mut z: ndarray::ArrayViewMut2<f64>) {
        let mut centred = vec![0.0f64; x.ncols()];
        let mean = self.mean.to_vec();
        widest(
            #[inline(always)]
            || {
                for (row, mut out) in x.rows().into_iter().zip(z.rows_mut()) {
                    centre_row(row, &mean, &mut centred, |v| v);
                    for (o, axis) in out.iter_mut().zip(self.components.rows()) {
                        *o = match axis.as_slice() {
                            Some(axis) => dot(&centred, axis),
                            None => centred.iter().zip(axis).map(|(c, a)| c * a).sum(),
                        };
                    }
                }
            },
        );
    }
}

/// Up to this many components are projected by [`Pca::project_by_dots`], more by GEMM.
const DOT_COMPONENTS: usize = 16;

/// `a · b` with eight partial sums (so that the additions can run in parallel; fixed in the
/// source, so the same bits at every vector width).
#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f64 = a8
        .remainder()
        .iter()
        .zip(b8.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f64>() + tail
}

impl LatentModel for Pca {
    fn encode(&self, x: ArrayView2<f32>) -> Array2<f32> {
        self.project(x).mapv(|v| v as f32)
    }

    fn decode(&self, z: ArrayView2<f32>) -> Array2<f32> {
        let z = z.mapv(f64::from);
        let mut x = z.dot(&self.components);
        x += &self.mean.view().insert_axis(Axis(0));
        x.mapv(|v| v as f32)
    }

    /// Computed entirely in f64: ‖x_c − x_c·VᵀV‖² per entry, in blocks of rows.
    fn reconstruction_mse(&self, x: ArrayView2<f32>) -> f64 {
        let mut sum = 0.0;
        for rows in x.axis_chunks_iter(Axis(0), PROJECT_BLOCK) {
            let centered = centered_f64(rows, &self.mean);
            let recon = self.project(rows).dot(&self.components);
            sum += (&centered - &recon).iter().map(|d| d * d).sum::<f64>();
        }
        sum / x.len().max(1) as f64
    }

    fn latent_dim(&self) -> usize {
        self.components.nrows()
    }

    fn n_parameters(&self) -> usize {
        self.components.len() + self.mean.len()
    }

    /// The mean, the components and the two variance vectors, all f64.
    fn model_bytes(&self) -> usize {
        (self.mean.len()
            + self.components.len()
            + self.explained_variance.len()
            + self.explained_variance_ratio.len())
            * std::mem::size_of::<f64>()
    }

    fn explained_variance_ratio(&self) -> Option<&[f64]> {
        Some(&self.explained_variance_ratio)
    }
}

#[cfg(test)]
#[path = "pca_tests.rs"]
mod tests;
