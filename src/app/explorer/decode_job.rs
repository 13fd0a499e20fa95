//! The decoder's background work: each request (decode one point, decode a grid) is a job of the
//! app's registry (`JobKind::Decode`) that owns clones of what it needs and sends its result on
//! the app's one channel; the UI never waits for it.

use std::sync::Arc;

use ndarray::Array2;

use super::super::plots::Side;
use super::super::worker::{DecodeTarget, JobKind, Msg, Workers};
use super::Fit;
use crate::error::{Error, Result};
use crate::explore::{
    DecodedGrid, GridSpec, PlotAxes, column_ranges, decode_grid, decode_original, latent_at,
    mean_latent, quantile_range,
};
use crate::pipeline::MethodOutcome;

/// What to decode.
#[derive(Clone, Debug)]
pub(super) enum What {
    /// A clicked plot point; with `row`, that row's own latent instead.
    Point {
        axes: PlotAxes,
        point: [f64; 2],
        row: Option<usize>,
    },
    /// A grid over the latent plane, over the central 90 % of the latents when `spec`'s ranges
    /// are `None`; `over` says over what, for the UI.
    Grid {
        axes: PlotAxes,
        ranges: Option<([f64; 2], [f64; 2])>,
        cells: usize,
        over: String,
    },
}

/// A sample decoded from a point of a latent plot, in the data's original units.
#[derive(Clone, Debug)]
pub struct DecodedSample {
    /// The plot it was clicked in (whose model decoded it).
    pub side: Side,
    /// What was decoded, e.g. "row 12's latent" or "z0 = 1.2, z1 = -0.4".
    pub title: String,
    /// The decoded values, one per feature.
    pub values: Vec<f32>,
    /// The row's own values, when a data point was clicked.
    pub original: Option<Vec<f32>>,
    /// Latent columns held at the data's mean latent.
    pub held: Vec<usize>,
    /// The plot point that was decoded, when it was not a data point (marked in its plot).
    pub at: Option<(PlotAxes, [f64; 2])>,
    /// Finite range of every feature in the data (scales bars and images).
    pub column_ranges: Vec<(f32, f32)>,
    /// The fit that decoded it.
    pub(super) outcome: Arc<MethodOutcome>,
}

/// A decoded grid with what it was decoded from.
pub struct GridOutput {
    /// The plot whose model decoded it.
    pub side: Side,
    /// The decoded cells.
    pub grid: DecodedGrid,
    /// What it spans, for the UI.
    pub over: String,
    /// The dataset's image shape, when its rows are images.
    pub image_shape: Option<(usize, usize)>,
    /// Finite range of every feature in the data.
    pub column_ranges: Vec<(f32, f32)>,
    /// The fit that decoded it.
    pub outcome: Arc<MethodOutcome>,
}

/// A decode job's result.
pub enum DecodeOutput {
    /// A decoded point.
    Point(DecodedSample),
    /// A decoded grid.
    Grid(GridOutput),
}

/// Starts decoding `what` with the model of `fit`, as the registry's `JobKind::Decode(target)`
/// (a newer request of the same target replaces it); the job's id, or why it could not start.
pub(super) fn start(
    workers: &mut Workers,
    target: DecodeTarget,
    side: Side,
    fit: &Fit,
    what: What,
) -> std::result::Result<u64, String> {
    if fit.outcome.fitted.model.is_none() {
        return Err(format!(
            "{} has no decoder (precomputed latents cannot be decoded)",
            side.label()
        ));
    }
    let fit = fit.clone();
    workers
        .start(
            JobKind::Decode(target),
            side.label(),
            move |job, _, reporter| {
                let result = run(side, &fit, what).map(Box::new);
                reporter.send(Msg::Decoded {
                    job,
                    target,
                    result,
                });
            },
        )
        .map_err(|e| format!("could not start decoding: {e}"))
}

/// Does the work of one request (on the job's thread).
fn run(side: Side, fit: &Fit, what: What) -> Result<DecodeOutput> {
    let model = fit
        .outcome
        .fitted
        .model
        .as_deref()
        .ok_or_else(|| Error::InvalidInput("no decoder".into()))?;
    let scaler = &fit.prepared.scaler;
    let records = fit.prepared.dataset.records.view();
    let latents = fit.latents.view();
    let feature_ranges = column_ranges(records);
    match what {
        What::Point { axes, point, row } => {
            let (base, title, held, original, at) = match row.filter(|&r| r < latents.nrows()) {
                Some(r) => (
                    latents.row(r).to_vec(),
                    format!("row {r}'s latent, decoded by {}", side.label()),
                    Vec::new(),
                    (r < records.nrows()).then(|| records.row(r).to_vec()),
                    None,
                ),
                None => {
                    let mean = mean_latent(latents);
                    let mut title = format!("z{} = {:.3}", axes.x, point[0]);
                    if let Some(y) = axes.y {
                        title += &format!(", z{y} = {:.3}", point[1]);
                    }
                    title += &format!(", decoded by {}", side.label());
                    let z = latent_at(&mean, axes, point);
                    (z, title, axes.held(mean.len()), None, Some((axes, point)))
                }
            };
            let z = Array2::from_shape_vec((1, base.len()), base)
                .map_err(|e| Error::Numerical(e.to_string()))?;
            let out = decode_original(model, scaler, z.view())?;
            let values = out
                .rows()
                .into_iter()
                .next()
                .map_or(Vec::new(), |r| r.to_vec());
            Ok(DecodeOutput::Point(DecodedSample {
                side,
                title,
                values,
                original,
                held,
                at,
                column_ranges: feature_ranges,
                outcome: fit.outcome.clone(),
            }))
        }
        What::Grid {
            axes,
            ranges,
            cells,
            over,
        } => {
            let mean = mean_latent(latents);
            let central =
                |col: usize| quantile_range(latents.column(col).iter().copied(), 0.05, 0.95);
            let (x_range, y_range) = match ranges {
                Some(r) => r,
                None => (
                    central(axes.x).unwrap_or([f64::NAN; 2]),
                    axes.y.and_then(central).unwrap_or([0.0, 0.0]),
                ),
            };
            let spec = GridSpec {
                axes,
                x_range,
                y_range,
                cells,
            };
            let grid = decode_grid(model, scaler, &mean, &spec)?;
            Ok(DecodeOutput::Grid(GridOutput {
                side,
                grid,
                over,
                image_shape: fit.prepared.dataset.image_shape,
                column_ranges: feature_ranges,
                outcome: fit.outcome.clone(),
            }))
        }
    }
}

/// The overall range of the per-column ranges (for images, which share one gray scale).
pub(super) fn overall_range(ranges: &[(f32, f32)]) -> (f32, f32) {
    let values: Vec<f32> = ranges.iter().flat_map(|&(l, h)| [l, h]).collect();
    crate::explore::value_range(values.iter()).unwrap_or((0.0, 1.0))
}
