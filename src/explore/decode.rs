//! Decoding the latent plane: which latent columns a plot shows, a plot point as a latent row,
//! and decoding one or a grid of latent rows back into samples in the data's original units.

use ndarray::{Array2, ArrayView2};

use crate::data::Scaler;
use crate::error::{Error, Result};
use crate::methods::LatentModel;

/// Which latent columns a plot shows: x, and y (`None` for a 1-D latent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlotAxes {
    /// Latent column on the x axis.
    pub x: usize,
    /// Latent column on the y axis, if any.
    pub y: Option<usize>,
}

impl PlotAxes {
    /// The latent columns other than x and y, which a point of the plot does not fix.
    pub fn held(&self, latent_dim: usize) -> Vec<usize> {
        (0..latent_dim)
            .filter(|&k| k != self.x && Some(k) != self.y)
            .collect()
    }
}

/// `base` with the plot's columns set to the plot point `(x, y)`.
pub fn latent_at(base: &[f32], axes: PlotAxes, point: [f64; 2]) -> Vec<f32> {
    let mut z = base.to_vec();
    if let Some(v) = z.get_mut(axes.x) {
        *v = point[0] as f32;
    }
    if let Some(y) = axes.y
        && let Some(v) = z.get_mut(y)
    {
        *v = point[1] as f32;
    }
    z
}

/// Decodes latent rows `z` with `model` and maps the output back to the data's original units.
pub fn decode_original(
    model: &dyn LatentModel,
    scaler: &Scaler,
    z: ArrayView2<f32>,
) -> Result<Array2<f32>> {
    if z.ncols() != model.latent_dim() {
        return Err(Error::InvalidInput(format!(
            "cannot decode {}-wide latents with a {}-wide model",
            z.ncols(),
            model.latent_dim()
        )));
    }
    if z.nrows() == 0 {
        return Err(Error::InvalidInput("nothing to decode".into()));
    }
    let out = model.decode(z);
    Ok(scaler.inverse_transform(out.view()))
}

/// What to decode over the latent plane: which columns, over which ranges, how many cells.
#[derive(Debug, Clone, PartialEq)]
pub struct GridSpec {
    /// The plot's columns; the others are held at `base`.
    pub axes: PlotAxes,
    /// Range of the x axis (plot units).
    pub x_range: [f64; 2],
    /// Range of the y axis (ignored for a 1-D latent).
    pub y_range: [f64; 2],
    /// Cells along each axis (a 1-D latent has one row of cells).
    pub cells: usize,
}

/// A grid of samples decoded over the latent plane.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedGrid {
    /// Cells along x.
    pub nx: usize,
    /// Cells along y.
    pub ny: usize,
    /// Plot point of each cell, row-major from the top-left (highest y first, as on screen).
    pub points: Vec<[f64; 2]>,
    /// Decoded sample of each cell (same order), in the data's original units.
    pub samples: Array2<f32>,
    /// Latent columns held at the mean latent of the data.
    pub held: Vec<usize>,
}

/// Cell centres of an `nx × ny` grid over the ranges, row-major from the top-left (highest y).
pub fn grid_points(x_range: [f64; 2], y_range: [f64; 2], nx: usize, ny: usize) -> Vec<[f64; 2]> {
    let at = |r: [f64; 2], k: usize, n: usize| r[0] + (k as f64 + 0.5) / n as f64 * (r[1] - r[0]);
    (0..ny)
        .flat_map(|j| (0..nx).map(move |i| [at(x_range, i, nx), at(y_range, ny - 1 - j, ny)]))
        .collect()
}

/// Decodes a grid of points of the latent plane: the plot's columns vary over the spec's ranges,
/// the others are held at `base` (the data's mean latent); outputs are in original units.
pub fn decode_grid(
    model: &dyn LatentModel,
    scaler: &Scaler,
    base: &[f32],
    spec: &GridSpec,
) -> Result<DecodedGrid> {
    let dim = base.len();
    let axes = spec.axes;
    if dim == 0 || axes.x >= dim || axes.y.is_some_and(|y| y >= dim) {
        return Err(Error::InvalidInput(format!(
            "the plot's axes are not columns of the {dim}-wide latent"
        )));
    }
    let finite = |r: [f64; 2]| r[0].is_finite() && r[1].is_finite();
    if spec.cells == 0 || !finite(spec.x_range) || (axes.y.is_some() && !finite(spec.y_range)) {
        return Err(Error::InvalidInput(
            "the latent plane has no finite range to decode over".into(),
        ));
    }
    let nx = spec.cells;
    let ny = if axes.y.is_some() { spec.cells } else { 1 };
    let points = grid_points(spec.x_range, spec.y_range, nx, ny);
    let mut z = Array2::<f32>::zeros((points.len(), dim));
    for (mut row, &p) in z.rows_mut().into_iter().zip(&points) {
        for (v, w) in row.iter_mut().zip(latent_at(base, axes, p)) {
            *v = w;
        }
    }
    let samples = decode_original(model, scaler, z.view())?;
    Ok(DecodedGrid {
        nx,
        ny,
        points,
        samples,
        held: axes.held(dim),
    })
}
