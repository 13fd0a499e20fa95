//! Latent scatter plots: one panel alone or two side by side with a shared legend strip. What
//! is drawn — positions, colours, draw order, opacity — is the plot model's
//! ([`crate::plot::scatter`]); this file adds axes, marker size and text.

use plotters::prelude::*;

use super::canvas::{Metrics, render_png};
use super::panel::{PanelSpec, PointLayer, colour_blocks, draw_panels, plot_height};
use super::raster::Marker;
use super::ticks::{Axis, data_range};
use super::{FigureSize, PointColours, ScatterPanel};
use crate::error::{Error, Result};
use crate::plot::scatter::{JITTER_LABEL, JITTER_RANGE, Legend, RowColours, ScatterLayout};

/// Draws two latent scatter plots side by side (A left, B right) with one legend strip on the
/// right. Each panel has its own axis ranges; colours are shared.
pub fn scatter_pair_png(
    a: &ScatterPanel<'_>,
    b: &ScatterPanel<'_>,
    colours: &PointColours<'_>,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    let rows = RowColours::new(colours)?;
    let m = Metrics::new(size, 1600.0, 800.0);
    let specs = [scatter_spec(a, &rows, &m)?, scatter_spec(b, &rows, &m)?];
    render_scatter(&specs, &rows.shown_legend(), size, &m)
}

/// Draws one latent scatter plot with its legend strip.
pub fn scatter_png(
    panel: &ScatterPanel<'_>,
    colours: &PointColours<'_>,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    let rows = RowColours::new(colours)?;
    let m = Metrics::new(size, 800.0, 800.0);
    let specs = [scatter_spec(panel, &rows, &m)?];
    render_scatter(&specs, &rows.shown_legend(), size, &m)
}

/// Marker radius for `n` points: smaller from 10 000 points on.
pub(crate) fn point_radius(n: usize, m: &Metrics) -> f64 {
    m.f(if n > 10_000 { 2.2 } else { 2.7 }).max(1.2)
}

/// Axes for a layout's coordinates: latent names, or a blank jitter axis for 1-D.
pub(crate) fn latent_axes(
    xy: &[(f64, f64)],
    x_axis: usize,
    y_axis: usize,
    one_d: bool,
) -> (Axis, Axis) {
    let (xlo, xhi) = data_range(xy.iter().map(|p| p.0));
    let x = Axis::linear(xlo, xhi, 7, format!("z{x_axis}"));
    let y = if one_d {
        Axis::blank(JITTER_RANGE.0, JITTER_RANGE.1, JITTER_LABEL)
    } else {
        let (ylo, yhi) = data_range(xy.iter().map(|p| p.1));
        Axis::linear(ylo, yhi, 7, format!("z{y_axis}"))
    };
    (x, y)
}

/// Checks the shape and axis choice of a panel's points.
pub(crate) fn check_points(
    what: &str,
    points: &ndarray::ArrayView2<'_, f32>,
    x_axis: usize,
    y_axis: usize,
) -> Result<()> {
    let dim = points.ncols();
    if dim == 0 {
        return Err(Error::InvalidInput(format!(
            "{what}: the latent has 0 dimensions; at least 1 is needed to draw it"
        )));
    }
    let axes: &[(&str, usize)] = if dim == 1 {
        &[("x_axis", x_axis)]
    } else {
        &[("x_axis", x_axis), ("y_axis", y_axis)]
    };
    for &(name, axis) in axes {
        if axis >= dim {
            return Err(Error::InvalidInput(format!(
                "{what}: {name} {axis} is out of range; the latent has {dim} dimension(s), \
                 z0..z{}",
                dim - 1
            )));
        }
    }
    Ok(())
}

/// The drawn points of `layout` bottom first, with their colours.
pub(crate) fn coloured_points(
    layout: &ScatterLayout,
    rows: &RowColours,
) -> Vec<(f64, f64, RGBColor)> {
    layout.drawn(rows).map(|(_, x, y, c)| (x, y, c)).collect()
}

fn scatter_spec(panel: &ScatterPanel<'_>, rows: &RowColours, m: &Metrics) -> Result<PanelSpec> {
    let what = format!("scatter panel {:?}", panel.title);
    check_points(&what, &panel.points, panel.x_axis, panel.y_axis)?;
    rows.check_len(panel.points.nrows(), &what)?;
    let layout = ScatterLayout::new(panel.points, (panel.x_axis, panel.y_axis), rows);
    let (mut x, mut y) = latent_axes(&layout.xy, panel.x_axis, panel.y_axis, layout.one_d);
    if let Some((rx, ry)) = panel.ranges {
        x = Axis::linear(rx[0], rx[1], 7, format!("z{}", panel.x_axis));
        if !layout.one_d {
            y = Axis::linear(ry[0], ry[1], 7, format!("z{}", panel.y_axis));
        }
    }
    let points = coloured_points(&layout, rows);
    let omitted = layout.n_hidden();
    let mut notes = Vec::new();
    let dims = panel.points.ncols();
    if dims > 2 {
        // a plot of two columns of a wider space says which two
        notes.push(format!(
            "z{} and z{} of {dims} latent dimensions",
            panel.x_axis, panel.y_axis
        ));
    }
    if omitted > 0 {
        notes.push(format!("{omitted} non-finite point(s) not shown"));
    }
    if layout.n_class_hidden > 0 {
        let classes = rows.hidden_classes().len();
        notes.push(format!(
            "{} class{} hidden ({} point(s))",
            classes,
            if classes == 1 { "" } else { "es" },
            layout.n_class_hidden
        ));
    }
    let subtitle = std::iter::once(panel.subtitle.clone())
        .filter(|s| !s.is_empty())
        .chain(notes)
        .collect::<Vec<_>>()
        .join(" · ");
    let (radius, alpha) = (point_radius(points.len(), m), layout.alpha);
    Ok(PanelSpec {
        title: panel.title.clone(),
        subtitle,
        x,
        y,
        layers: vec![PointLayer {
            points,
            radius,
            alpha,
            marker: Marker::Filled,
        }],
    })
}

fn render_scatter(
    specs: &[PanelSpec],
    legend: &Legend,
    size: FigureSize,
    m: &Metrics,
) -> Result<Vec<u8>> {
    render_png(size, |root| {
        let blocks = colour_blocks(root, legend, plot_height(size, m), m)?;
        draw_panels(root, specs, &blocks, m)
    })
}

/// The points the panel of [`scatter_png`] draws, bottom first, with their colours: for tests
/// that compare the PNG with the screen.
#[cfg(all(test, feature = "gui"))]
pub(crate) fn drawn_points(
    panel: &ScatterPanel<'_>,
    colours: &PointColours<'_>,
) -> Result<Vec<(f64, f64, RGBColor)>> {
    let rows = RowColours::new(colours)?;
    let m = Metrics::new(FigureSize::default(), 800.0, 800.0);
    let mut spec = scatter_spec(panel, &rows, &m)?;
    Ok(spec.layers.swap_remove(0).points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    #[test]
    fn a_panel_of_a_wider_space_names_its_two_columns() {
        let m = Metrics::new(FigureSize::default(), 800.0, 800.0);
        let wide = Array2::from_shape_fn((5, 3), |(r, c)| (r * 3 + c) as f32);
        let mut panel = ScatterPanel::new("B: VAE", "test MSE 0.5", wide.view());
        panel.y_axis = 2;
        let plain = RowColours::default();
        let spec = scatter_spec(&panel, &plain, &m).unwrap();
        assert_eq!(
            spec.subtitle,
            "test MSE 0.5 · z0 and z2 of 3 latent dimensions"
        );
        let flat = Array2::from_shape_fn((5, 2), |(r, c)| (r + c) as f32);
        let spec = scatter_spec(&ScatterPanel::new("A", "", flat.view()), &plain, &m).unwrap();
        assert_eq!(spec.subtitle, "");
    }
}
