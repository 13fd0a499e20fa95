//! The numeric, GUI-free parts of the app's explorer (where do two latent spaces differ?): the
//! per-row k-NN agreement and its least-agreeing rows, the rows inside a box of a plot, B aligned
//! onto A as pairs of points, and decoding a point or a grid of points of the latent plane back
//! into samples in the data's original units.
//!
//! Everything here takes plain arrays and returns values or errors; odd input (no rows, NaN
//! latents, a 1-D latent, mismatched lengths) gives an empty answer or an error, never a panic.

use ndarray::{Array2, ArrayView1, ArrayView2, Axis};

use crate::data::Scaler;
use crate::error::{Error, Result};
use crate::methods::LatentModel;

/// A row and its k-NN Jaccard agreement between A and B.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowAgreement {
    /// The row (data order).
    pub row: usize,
    /// Its k-NN Jaccard agreement, in [0, 1].
    pub agreement: f64,
}

/// The agreement of every one of `n_rows` rows: the metric rows get theirs (`jaccard[k]` is the
/// value of `metric_rows[k]`), every other row NaN (it has none). Pairs past the shorter of the
/// two lists, and rows not below `n_rows`, are ignored.
pub fn agreement_per_row(n_rows: usize, metric_rows: &[usize], jaccard: &[f64]) -> Vec<f32> {
    let mut values = vec![f32::NAN; n_rows];
    for (&row, &j) in metric_rows.iter().zip(jaccard) {
        if let Some(v) = values.get_mut(row) {
            *v = j as f32;
        }
    }
    values
}

/// The `k` metric rows whose neighbourhoods A and B agree on least, lowest first (ties by row);
/// rows with a non-finite value are left out.
pub fn least_agreeing(metric_rows: &[usize], jaccard: &[f64], k: usize) -> Vec<RowAgreement> {
    let mut all: Vec<RowAgreement> = metric_rows
        .iter()
        .zip(jaccard)
        .filter(|(_, j)| j.is_finite())
        .map(|(&row, &agreement)| RowAgreement { row, agreement })
        .collect();
    all.sort_by(|p, q| p.agreement.total_cmp(&q.agreement).then(p.row.cmp(&q.row)));
    all.truncate(k);
    all
}

/// The rows whose plot coordinates `coords[row]` lie inside the box with corners `p` and `q`
/// (in any order, edges included); NaN coordinates are never inside.
pub fn rows_in_box(coords: &[[f32; 2]], p: [f64; 2], q: [f64; 2]) -> Vec<usize> {
    let (x0, x1) = (p[0].min(q[0]), p[0].max(q[0]));
    let (y0, y1) = (p[1].min(q[1]), p[1].max(q[1]));
    coords
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let (x, y) = (f64::from(c[0]), f64::from(c[1]));
            (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
        })
        .map(|(row, _)| row)
        .collect()
}

/// Column means over the finite values (0 for a column without any).
pub fn mean_latent(latents: ArrayView2<f32>) -> Vec<f32> {
    latents
        .axis_iter(Axis(1))
        .map(|col| {
            let (sum, n) = col
                .iter()
                .filter(|v| v.is_finite())
                .fold((0.0f64, 0usize), |(s, n), &v| (s + f64::from(v), n + 1));
            if n == 0 { 0.0 } else { (sum / n as f64) as f32 }
        })
        .collect()
}

/// Finite minimum and maximum of `values`; `None` when there is no finite value.
pub fn value_range<'a>(values: impl IntoIterator<Item = &'a f32>) -> Option<(f32, f32)> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    (lo <= hi).then_some((lo, hi))
}

/// Finite minimum and maximum of each column of `x` (`(0, 0)` for a column without a finite
/// value); one pass over the rows, so that a row-major array is read in order.
pub fn column_ranges(x: ArrayView2<f32>) -> Vec<(f32, f32)> {
    let mut lo = vec![f32::INFINITY; x.ncols()];
    let mut hi = vec![f32::NEG_INFINITY; x.ncols()];
    for row in x.rows() {
        for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row.iter()) {
            if v.is_finite() {
                *l = l.min(v);
                *h = h.max(v);
            }
        }
    }
    lo.into_iter()
        .zip(hi)
        .map(|(l, h)| if l <= h { (l, h) } else { (0.0, 0.0) })
        .collect()
}

/// The `lo_q` and `hi_q` quantiles (nearest rank) of the finite `values`, e.g. 0.05 and 0.95 for
/// the central 90 %; `None` without a finite value or when the quantiles are out of order.
pub fn quantile_range(values: impl Iterator<Item = f32>, lo_q: f64, hi_q: f64) -> Option<[f64; 2]> {
    if !(0.0..=1.0).contains(&lo_q) || !(lo_q..=1.0).contains(&hi_q) {
        return None;
    }
    let mut finite: Vec<f32> = values.filter(|v| v.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    finite.sort_by(f32::total_cmp);
    let at = |q: f64| f64::from(finite[((finite.len() - 1) as f64 * q).round() as usize]);
    Some([at(lo_q), at(hi_q)])
}

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

/// Gray level of each value (0 = black): `range` mapped to white → black (high values dark, as
/// ink); values outside the range clamp; non-finite values and an empty range are white.
pub fn gray_levels(sample: ArrayView1<f32>, range: (f32, f32)) -> Vec<u8> {
    let (lo, hi) = range;
    sample
        .iter()
        .map(|&v| {
            if hi > lo && v.is_finite() {
                let t = ((v - lo) / (hi - lo)).clamp(0.0, 1.0);
                (255.0 * (1.0 - t)).round() as u8
            } else {
                255
            }
        })
        .collect()
}

/// A grid of `h × w` image samples as one gray mosaic with a `gap`-pixel white border between
/// cells: (width, height, gray levels row-major); `None` when the samples are not `h × w`.
pub fn grid_mosaic(
    grid: &DecodedGrid,
    (h, w): (usize, usize),
    range: (f32, f32),
    gap: usize,
) -> Option<(usize, usize, Vec<u8>)> {
    if h == 0
        || w == 0
        || grid.samples.ncols() != h * w
        || grid.samples.nrows() != grid.nx * grid.ny
    {
        return None;
    }
    let width = grid.nx * (w + gap) + gap;
    let height = grid.ny * (h + gap) + gap;
    let mut pixels = vec![255u8; width * height];
    for (k, sample) in grid.samples.rows().into_iter().enumerate() {
        let (ci, cj) = (k % grid.nx, k / grid.nx);
        let (x0, y0) = (gap + ci * (w + gap), gap + cj * (h + gap));
        for (p, g) in gray_levels(sample, range).into_iter().enumerate() {
            pixels[(y0 + p / w) * width + x0 + p % w] = g;
        }
    }
    Some((width, height, pixels))
}

/// One metric row with its point in A and B's aligned point, both in A's plot coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AlignedPair {
    /// The row (data order).
    pub row: usize,
    /// A's point.
    pub a: [f64; 2],
    /// B's point after rotating B onto A.
    pub b: [f64; 2],
}

/// The metric rows' points in A and in B aligned onto A (`b_aligned[k]` is row `metric_rows[k]`,
/// A's width), in the plot columns `axes` of A; a 1-D latent gets a fixed jitter on y (the same
/// for both ends, so a pair's line is horizontal). Pairs with a non-finite coordinate are left
/// out, as are rows outside `a`.
pub fn aligned_pairs(
    a: ArrayView2<f32>,
    metric_rows: &[usize],
    b_aligned: ArrayView2<f32>,
    axes: PlotAxes,
) -> Vec<AlignedPair> {
    let width = a.ncols().min(b_aligned.ncols());
    if axes.x >= width || axes.y.is_some_and(|y| y >= width) {
        return Vec::new();
    }
    metric_rows
        .iter()
        .zip(b_aligned.rows())
        .filter(|(row, _)| **row < a.nrows())
        .filter_map(|(&row, b)| {
            let ar = a.row(row);
            let (ay, by) = match axes.y {
                Some(y) => (f64::from(ar[y]), f64::from(b[y])),
                None => {
                    let j = jitter(row);
                    (j, j)
                }
            };
            let pair = AlignedPair {
                row,
                a: [f64::from(ar[axes.x]), ay],
                b: [f64::from(b[axes.x]), by],
            };
            pair.a
                .iter()
                .chain(&pair.b)
                .all(|v| v.is_finite())
                .then_some(pair)
        })
        .collect()
}

/// A fixed value in [-1, 1) for `row` (splitmix64).
fn jitter(row: usize) -> f64 {
    let mut z = (row as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Preprocess;
    use crate::methods::pca::Pca;
    use ndarray::{Array2, array};

    #[test]
    fn agreement_goes_to_metric_rows_only() {
        let v = agreement_per_row(5, &[1, 3, 9], &[0.5, 0.25, 1.0]);
        assert_eq!(v.len(), 5);
        assert_eq!((v[1], v[3]), (0.5, 0.25));
        assert!(v[0].is_nan() && v[2].is_nan() && v[4].is_nan());
        // mismatched lengths: the shorter wins
        let v = agreement_per_row(3, &[0, 1, 2], &[0.1]);
        assert_eq!(v[0], 0.1);
        assert!(v[1].is_nan());
        assert!(agreement_per_row(0, &[0], &[1.0]).is_empty());
    }

    #[test]
    fn least_agreeing_is_lowest_first_ties_by_row_and_skips_nan() {
        let rows = [10, 11, 12, 13, 14];
        let j = [0.5, 0.1, f64::NAN, 0.1, 0.0];
        let top = least_agreeing(&rows, &j, 3);
        let got: Vec<_> = top.iter().map(|r| (r.row, r.agreement)).collect();
        assert_eq!(got, vec![(14, 0.0), (11, 0.1), (13, 0.1)]);
        assert_eq!(least_agreeing(&rows, &j, 100).len(), 4);
        assert!(least_agreeing(&[], &[], 20).is_empty());
    }

    #[test]
    fn rows_in_box_takes_corners_in_any_order_and_skips_nan() {
        let coords = [
            [0.0, 0.0],
            [1.0, 1.0],
            [2.0, 0.5],
            [f32::NAN, 0.5],
            [1.5, 3.0],
        ];
        assert_eq!(rows_in_box(&coords, [0.5, 0.0], [2.0, 1.0]), vec![1, 2]);
        assert_eq!(rows_in_box(&coords, [2.0, 1.0], [0.5, 0.0]), vec![1, 2]);
        assert_eq!(
            rows_in_box(&coords, [-1.0, -1.0], [9.0, 9.0]),
            vec![0, 1, 2, 4]
        );
        assert!(rows_in_box(&coords, [5.0, 5.0], [6.0, 6.0]).is_empty());
        assert!(rows_in_box(&coords, [f64::NAN, 0.0], [9.0, 9.0]).is_empty());
    }

    #[test]
    fn mean_latent_ignores_non_finite_values() {
        let z = array![
            [1.0f32, f32::NAN],
            [3.0, f32::NAN],
            [f32::INFINITY, f32::NAN]
        ];
        assert_eq!(mean_latent(z.view()), vec![2.0, 0.0]);
        assert_eq!(
            mean_latent(Array2::<f32>::zeros((0, 3)).view()),
            vec![0.0; 3]
        );
    }

    #[test]
    fn ranges_skip_non_finite_values() {
        let x = array![
            [1.0f32, f32::NAN, 0.0],
            [-2.0, f32::NAN, f32::INFINITY],
            [5.0, f32::NAN, 3.0]
        ];
        assert_eq!(
            column_ranges(x.view()),
            vec![(-2.0, 5.0), (0.0, 0.0), (0.0, 3.0)]
        );
        assert_eq!(value_range(x.iter()), Some((-2.0, 5.0)));
        assert_eq!(value_range([f32::NAN].iter()), None);
        assert!(column_ranges(Array2::<f32>::zeros((0, 0)).view()).is_empty());
    }

    #[test]
    fn quantile_range_is_nearest_rank_over_finite_values() {
        let v = (0..=100).map(|i| i as f32).chain([f32::NAN, f32::INFINITY]);
        assert_eq!(quantile_range(v, 0.05, 0.95), Some([5.0, 95.0]));
        assert_eq!(
            quantile_range([3.0f32].into_iter(), 0.0, 1.0),
            Some([3.0, 3.0])
        );
        assert_eq!(quantile_range(std::iter::empty(), 0.05, 0.95), None);
        assert_eq!(quantile_range([1.0f32].into_iter(), 0.9, 0.1), None);
    }

    #[test]
    fn grid_points_are_cell_centres_from_the_top_left() {
        let p = grid_points([0.0, 4.0], [0.0, 2.0], 2, 2);
        assert_eq!(p, vec![[1.0, 1.5], [3.0, 1.5], [1.0, 0.5], [3.0, 0.5]]);
        assert_eq!(grid_points([0.0, 1.0], [0.0, 1.0], 3, 1).len(), 3);
    }

    /// A PCA on 3-D data whose rows lie on a plane, so that decoding is exact.
    fn planar_pca() -> (Pca, Array2<f32>) {
        let x = Array2::from_shape_fn((40, 3), |(i, j)| {
            let (s, t) = ((i % 7) as f32, (i / 7) as f32);
            match j {
                0 => s,
                1 => 2.0 * t,
                _ => s + t,
            }
        });
        (Pca::fit(x.view(), 2).expect("PCA fits"), x)
    }

    #[test]
    fn decode_original_undoes_the_scaling() {
        let (_, raw) = planar_pca();
        let rows: Vec<usize> = (0..raw.nrows()).collect();
        let scaler = Scaler::fit(Preprocess::Standardize, raw.view(), &rows);
        let scaled = scaler.transform(raw.view());
        let pca = Pca::fit(scaled.view(), 2).expect("PCA fits");
        let z = pca.encode(scaled.view());
        let back = decode_original(&pca, &scaler, z.view()).expect("decodes");
        for (a, b) in back.iter().zip(raw.iter()) {
            assert!((a - b).abs() < 1e-3, "{a} vs {b}");
        }
        // wrong width and no rows are errors, not panics
        assert!(decode_original(&pca, &scaler, Array2::zeros((1, 3)).view()).is_err());
        assert!(decode_original(&pca, &scaler, Array2::zeros((0, 2)).view()).is_err());
    }

    #[test]
    fn decode_grid_varies_the_plot_axes_and_holds_the_rest_at_the_mean() {
        let (pca, x) = planar_pca();
        let scaler = Scaler::fit(Preprocess::None, x.view(), &[0]);
        let z = pca.encode(x.view());
        let base = mean_latent(z.view());
        let spec = GridSpec {
            axes: PlotAxes { x: 0, y: Some(1) },
            x_range: [-2.0, 2.0],
            y_range: [-1.0, 1.0],
            cells: 4,
        };
        let grid = decode_grid(&pca, &scaler, &base, &spec).expect("decodes");
        assert_eq!((grid.nx, grid.ny), (4, 4));
        assert_eq!(grid.samples.dim(), (16, 3));
        assert!(grid.held.is_empty());
        // each cell is the decoding of its own point
        for (k, p) in grid.points.iter().enumerate() {
            let one = decode_original(&pca, &scaler, array![[p[0] as f32, p[1] as f32]].view())
                .expect("decodes");
            for (a, b) in one.row(0).iter().zip(grid.samples.row(k)) {
                assert!((a - b).abs() < 1e-5, "{a} vs {b}");
            }
        }
        // 1-D: one row of cells; the other column is held at the mean and reported
        let spec = GridSpec {
            axes: PlotAxes { x: 1, y: None },
            cells: 5,
            ..spec
        };
        let grid = decode_grid(&pca, &scaler, &base, &spec).expect("decodes");
        assert_eq!((grid.nx, grid.ny, grid.held.clone()), (5, 1, vec![0]));
        let first = decode_original(
            &pca,
            &scaler,
            array![[base[0], grid.points[0][0] as f32]].view(),
        )
        .expect("decodes");
        for (a, b) in first.row(0).iter().zip(grid.samples.row(0)) {
            assert!((a - b).abs() < 1e-5, "{a} vs {b}");
        }
        // odd requests are errors
        let bad = |spec: GridSpec| decode_grid(&pca, &scaler, &base, &spec).is_err();
        assert!(bad(GridSpec {
            x_range: [f64::NAN, 1.0],
            ..spec.clone()
        }));
        assert!(bad(GridSpec {
            cells: 0,
            ..spec.clone()
        }));
        assert!(bad(GridSpec {
            axes: PlotAxes { x: 2, y: None },
            ..spec.clone()
        }));
        assert!(decode_grid(&pca, &scaler, &[], &spec).is_err());
    }

    #[test]
    fn gray_levels_and_mosaic() {
        let s = ndarray::arr1(&[0.0f32, 16.0, 8.0, f32::NAN, 40.0]);
        assert_eq!(
            gray_levels(s.view(), (0.0, 16.0)),
            vec![255, 0, 128, 255, 0]
        );
        assert_eq!(gray_levels(s.view(), (3.0, 3.0)), vec![255; 5]);
        let grid = DecodedGrid {
            nx: 2,
            ny: 1,
            points: vec![[0.0, 0.0], [1.0, 0.0]],
            samples: array![[0.0f32, 1.0], [1.0, 0.0]],
            held: vec![],
        };
        let (w, h, px) = grid_mosaic(&grid, (1, 2), (0.0, 1.0), 1).expect("1×2 images");
        assert_eq!((w, h), (7, 3));
        assert_eq!(&px[7..14], &[255, 255, 0, 255, 0, 255, 255]);
        assert!(grid_mosaic(&grid, (2, 2), (0.0, 1.0), 1).is_none());
    }

    #[test]
    fn aligned_pairs_follow_the_metric_rows() {
        let a = array![[0.0f32, 0.0], [1.0, 2.0], [3.0, f32::NAN], [5.0, 6.0]];
        let b = array![[1.5f32, 2.5], [3.0, 4.0], [5.5, 6.5]];
        let pairs = aligned_pairs(
            a.view(),
            &[1, 2, 3],
            b.view(),
            PlotAxes { x: 0, y: Some(1) },
        );
        assert_eq!(
            pairs,
            vec![
                AlignedPair {
                    row: 1,
                    a: [1.0, 2.0],
                    b: [1.5, 2.5]
                },
                AlignedPair {
                    row: 3,
                    a: [5.0, 6.0],
                    b: [5.5, 6.5]
                }
            ]
        );
        let one_d = aligned_pairs(a.view(), &[1], b.view(), PlotAxes { x: 0, y: None });
        assert_eq!(one_d[0].a[1], one_d[0].b[1]);
        assert!((-1.0..1.0).contains(&one_d[0].a[1]));
        assert!(aligned_pairs(a.view(), &[1], b.view(), PlotAxes { x: 2, y: None }).is_empty());
        assert!(aligned_pairs(a.view(), &[7], b.view(), PlotAxes { x: 0, y: None }).is_empty());
    }
}
