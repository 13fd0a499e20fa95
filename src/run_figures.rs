//! The figures of a run, the same from the CLI and the GUI: `scatter.png` (A and B side by side),
//! `loss.png` (training curves) and `aligned.png` (B rotated onto A by Procrustes).

use ndarray::Axis;

use crate::data::{Labels, Prepared};
use crate::error::Result;
use crate::evaluate::{Evaluation, MethodEvaluation};
use crate::figures::{self, FigureSize, LossSeries, PointColours, ScatterPanel};
use crate::pipeline::MethodOutcome;
use crate::plot::loss::LossColumns;

/// Owned colour data for a subset of rows (the renderer borrows it).
enum RowColours {
    Classes(Vec<u32>, Vec<String>),
    Continuous(Vec<f32>),
    None,
}

impl RowColours {
    fn of(labels: Option<&Labels>, rows: Option<&[usize]>) -> RowColours {
        let pick =
            |n: usize| -> Vec<usize> { rows.map_or_else(|| (0..n).collect(), <[usize]>::to_vec) };
        match labels {
            Some(Labels::Classes { ids, names }) => RowColours::Classes(
                pick(ids.len()).iter().map(|&r| ids[r]).collect(),
                names.clone(),
            ),
            Some(Labels::Continuous(v)) => {
                RowColours::Continuous(pick(v.len()).iter().map(|&r| v[r]).collect())
            }
            None => RowColours::None,
        }
    }

    /// The colours with the class ids `hidden` left out of the plot.
    fn view<'a>(&'a self, hidden: &'a [u32]) -> PointColours<'a> {
        match self {
            RowColours::Classes(ids, names) => PointColours::Classes { ids, names, hidden },
            RowColours::Continuous(values) => PointColours::Continuous {
                values,
                label: "label",
            },
            RowColours::None => PointColours::None,
        }
    }
}

/// "test MSE 0.919 · trust. 0.870" — the two key figures of a method (the second once evaluated).
pub fn key_figures(outcome: &MethodOutcome, eval: Option<&MethodEvaluation>) -> String {
    let mut parts = Vec::new();
    if let Some(m) = outcome
        .reconstruction_mse_test
        .or(outcome.reconstruction_mse_train)
    {
        let which = if outcome.reconstruction_mse_test.is_some() {
            "test"
        } else {
            "train"
        };
        parts.push(format!("{which} MSE {m:.3}"));
    } else if let Some(acc) = eval.and_then(|e| e.knn_accuracy) {
        parts.push(format!("5-NN acc. {acc:.3}"));
    }
    if let Some(t) = eval.and_then(|e| e.trustworthiness) {
        parts.push(format!("trust. {t:.3}"));
    }
    parts.join(" · ")
}

/// "A: PCA (2 components)".
pub fn title(label: &str, outcome: &MethodOutcome) -> String {
    format!("{label}: {}", outcome.fitted.spec)
}

fn panel<'a>(
    label: &str,
    o: &'a MethodOutcome,
    e: Option<&MethodEvaluation>,
    axes: (usize, usize),
) -> ScatterPanel<'a> {
    let mut p = ScatterPanel::new(title(label, o), key_figures(o, e), o.fitted.latents.view());
    let last = o.fitted.latents.ncols().saturating_sub(1);
    p.x_axis = axes.0.min(last);
    p.y_axis = axes.1.min(last);
    p
}

/// The two latent scatter plots side by side (all rows but those of the class ids `hidden`,
/// latent columns `axes`).
pub fn scatter_pair(
    prepared: &Prepared,
    (a, b): (&MethodOutcome, &MethodOutcome),
    eval: Option<&Evaluation>,
    (axes, hidden): ((usize, usize), &[u32]),
    size: FigureSize,
) -> Result<Vec<u8>> {
    let colours = RowColours::of(prepared.dataset.labels.as_ref(), None);
    figures::scatter_pair_png(
        &panel("A", a, eval.map(|e| &e.a), axes),
        &panel("B", b, eval.map(|e| &e.b), axes),
        &colours.view(hidden),
        size,
    )
}

/// One method's scatter plot alone (`label` "A" or "B"), the class ids `hidden` left out.
pub fn scatter_one(
    prepared: &Prepared,
    (label, outcome): (&str, &MethodOutcome),
    eval: Option<&MethodEvaluation>,
    (axes, hidden): ((usize, usize), &[u32]),
    size: FigureSize,
) -> Result<Vec<u8>> {
    let colours = RowColours::of(prepared.dataset.labels.as_ref(), None);
    let panel = panel(label, outcome, eval, axes);
    figures::scatter_png(&panel, &colours.view(hidden), size)
}

/// Training and validation loss per epoch of each trained method (`None` sides are left out).
pub fn loss(
    a: Option<&MethodOutcome>,
    b: Option<&MethodOutcome>,
    log_scale: bool,
    size: FigureSize,
) -> Result<Vec<u8>> {
    let columns: Vec<LossColumns> = [("A", a), ("B", b)]
        .into_iter()
        .filter_map(|(label, o)| {
            let o = o?;
            let history = &o.fitted.loss_history;
            (!history.is_empty()).then(|| LossColumns::from_history(title(label, o), history))
        })
        .collect();
    let series: Vec<LossSeries> = columns.iter().map(LossColumns::series).collect();
    figures::loss_png(&series, log_scale, size)
}

/// B rotated onto A by Procrustes, drawn over A, on the metric rows; `None` when Procrustes could
/// not be computed.
pub fn aligned(
    prepared: &Prepared,
    a: &MethodOutcome,
    eval: &Evaluation,
    size: FigureSize,
) -> Option<Result<Vec<u8>>> {
    let b_aligned = eval.comparison.b_aligned.as_ref()?;
    let a = a.fitted.latents.select(Axis(0), &eval.rows.rows);
    let colours = RowColours::of(prepared.dataset.labels.as_ref(), Some(&eval.rows.rows));
    let disparity = eval
        .comparison
        .procrustes_disparity
        .map_or("n/a".into(), |d| format!("{d:.3}"));
    let title = format!(
        "B rotated onto A by Procrustes (disparity {disparity}, {} {} rows)",
        eval.rows.n, eval.rows.source
    );
    Some(figures::aligned_png(
        a.view(),
        b_aligned.view(),
        &colours.view(&[]),
        &title,
        size,
    ))
}

/// A file to write: its name and bytes.
pub type NamedFile = (String, Vec<u8>);

/// `frames` (at least 2) PNG frames of the metric rows moving from their points in A to B
/// aligned onto A by Procrustes (t = 0, …, 1), in A's latent columns `axes`, on axes fixed over
/// the frames: `(file name, bytes)` as `morph_00.png`, …; `None` when B could not be aligned.
pub fn morph_frames(
    prepared: &Prepared,
    a: &MethodOutcome,
    eval: &Evaluation,
    (axes, frames): (crate::explore::PlotAxes, usize),
    size: FigureSize,
) -> Option<Result<Vec<NamedFile>>> {
    let b_aligned = eval.comparison.b_aligned.as_ref()?;
    let pairs = crate::explore::aligned_pairs(
        a.fitted.latents.view(),
        &eval.rows.rows,
        b_aligned.view(),
        axes,
    );
    let rows: Vec<usize> = pairs.iter().map(|p| p.row).collect();
    let colours = RowColours::of(prepared.dataset.labels.as_ref(), Some(&rows));
    let ranges = crate::explore::morph_range(&pairs).map(|(x, y)| (pad(x), pad(y)));
    let frames = frames.max(2);
    let rendered = (0..frames)
        .map(|k| {
            let t = k as f64 / (frames - 1) as f64;
            let points = crate::explore::morph_frame(&pairs, t);
            let mut panel = ScatterPanel::new(
                format!("A → B aligned onto A, t = {t:.2}"),
                format!("{} {} rows", pairs.len(), eval.rows.source),
                points.view(),
            );
            panel.ranges = ranges;
            let png = figures::scatter_png(&panel, &colours.view(&[]), size)?;
            Ok((format!("morph_{k:02}.png"), png))
        })
        .collect();
    Some(rendered)
}

/// `[lo, hi]` widened by 4 % on each side (1 around a single value).
fn pad([lo, hi]: [f64; 2]) -> [f64; 2] {
    let margin = if hi > lo { 0.04 * (hi - lo) } else { 1.0 };
    [lo - margin, hi + margin]
}
