//! B's latents rotated onto A's by Procrustes, drawn over A: A as small filled points, B as
//! hollow rings, both coloured alike, with a legend telling the markers apart.

use ndarray::ArrayView2;

use super::canvas::{INK, Metrics, render_png};
use super::legend::{Item, Swatch, VLegend};
use super::palette::class_colour;
use super::panel::{Block, PanelSpec, PointLayer, colour_blocks, draw_panels, plot_height};
use super::raster::Marker;
use super::scatter::{check_points, coloured_points, latent_axes, point_radius};
use super::{FigureSize, PointColours};
use crate::error::{Error, Result};
use crate::plot::scatter::{Legend, RowColours, ScatterLayout, point_alpha};

/// Draws `b_aligned` (B already rotated onto A) over `a`, in latent columns 0 and 1 (a strip
/// for 1-D latents), under `title` (e.g. "B rotated onto A · Procrustes disparity 0.47").
pub fn aligned_png(
    a: ArrayView2<'_, f32>,
    b_aligned: ArrayView2<'_, f32>,
    colours: &PointColours<'_>,
    title: &str,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    if a.dim() != b_aligned.dim() {
        return Err(Error::InvalidInput(format!(
            "aligned figure: A is {}×{} but aligned B is {}×{}; B must be rotated onto A first, \
             row for row",
            a.nrows(),
            a.ncols(),
            b_aligned.nrows(),
            b_aligned.ncols()
        )));
    }
    check_points("aligned figure", &a, 0, 1)?;
    let rows = RowColours::new(colours)?;
    rows.check_len(a.nrows(), "aligned figure")?;
    let m = Metrics::new(size, 800.0, 800.0);
    let layout_a = ScatterLayout::new(a, (0, 1), &rows);
    let layout_b = ScatterLayout::new(b_aligned, (0, 1), &rows);
    let both: Vec<(f64, f64)> = layout_a.xy.iter().chain(&layout_b.xy).copied().collect();
    let (x, y) = latent_axes(&both, 0, 1, layout_a.one_d);
    let mut pts_a = coloured_points(&layout_a, &rows);
    let mut pts_b = coloured_points(&layout_b, &rows);
    // Without colours, the two sets get two colours of their own.
    let (col_a, col_b) = if matches!(rows.legend(), Legend::None) {
        let (ca, cb) = (class_colour(0, 2), class_colour(1, 2));
        pts_a.iter_mut().for_each(|p| p.2 = ca);
        pts_b.iter_mut().for_each(|p| p.2 = cb);
        (ca, cb)
    } else {
        (INK, INK)
    };
    let omitted = 2 * a.nrows() - pts_a.len() - pts_b.len();
    let n_drawn = pts_a.len() + pts_b.len();
    let (radius, alpha) = (point_radius(n_drawn, &m), point_alpha(n_drawn));
    let layers = vec![
        PointLayer {
            points: pts_a,
            radius,
            alpha,
            marker: Marker::Filled,
        },
        PointLayer {
            points: pts_b,
            radius: radius * 1.5,
            alpha: (alpha + 0.1).min(1.0),
            marker: Marker::Ring(m.f(1.1).max(0.8)),
        },
    ];
    let subtitle = if omitted > 0 {
        format!("{omitted} non-finite point(s) not shown")
    } else {
        String::new()
    };
    let spec = PanelSpec {
        title: title.to_string(),
        subtitle,
        x,
        y,
        layers,
    };
    render_png(size, |root| {
        let markers = vec![
            Item::new(Swatch::Disc(col_a), "A (reference)"),
            Item::new(Swatch::Ring(col_b), "B rotated onto A"),
        ];
        let height = plot_height(size, &m);
        let max_width = i32::try_from(size.width).unwrap_or(i32::MAX) * 3 / 10;
        let marker_legend = VLegend::layout(markers, (max_width, height), 1, m.px(260.0), &m)?;
        let rest = height - marker_legend.height() - m.px(24.0);
        let mut blocks = vec![Block::Legend(marker_legend)];
        blocks.extend(colour_blocks(root, rows.legend(), rest, &m)?);
        draw_panels(root, &[spec], &blocks, &m)
    })
}
