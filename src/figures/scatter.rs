//! Latent scatter plots: one panel alone or two side by side with a shared legend strip, and
//! the point preparation (coordinates, draw order, marker size) the Procrustes figure reuses.

use plotters::prelude::*;

use super::canvas::{Metrics, render_png};
use super::palette::ColourPlan;
use super::panel::{PanelSpec, PointLayer, colour_blocks, draw_panels, plot_height};
use super::raster::Marker;
use super::ticks::{Axis, data_range};
use super::{FigureSize, PointColours, ScatterPanel};
use crate::error::{Error, Result};

/// Draws two latent scatter plots side by side (A left, B right) with one legend strip on the
/// right. Each panel has its own axis ranges; colours are shared.
pub fn scatter_pair_png(
    a: &ScatterPanel<'_>,
    b: &ScatterPanel<'_>,
    colours: &PointColours<'_>,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    let plan = ColourPlan::new(colours)?;
    let m = Metrics::new(size, 1600.0, 800.0);
    let specs = [scatter_spec(a, &plan, &m)?, scatter_spec(b, &plan, &m)?];
    render_scatter(&specs, &plan, size, &m)
}

/// Draws one latent scatter plot with its legend strip.
pub fn scatter_png(
    panel: &ScatterPanel<'_>,
    colours: &PointColours<'_>,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    let plan = ColourPlan::new(colours)?;
    let m = Metrics::new(size, 800.0, 800.0);
    let specs = [scatter_spec(panel, &plan, &m)?];
    render_scatter(&specs, &plan, size, &m)
}

/// A deterministic 64-bit hash (splitmix64), used for draw order and strip jitter.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Marker radius and opacity for `n` points: smaller and more translucent as n grows.
pub(crate) fn point_style(n: usize, m: &Metrics) -> (f64, f64) {
    let n = n.max(1) as f64;
    let t = ((n / 300.0).log10() / (20_000f64 / 300.0).log10()).clamp(0.0, 1.0);
    let alpha = 0.95 - 0.5 * t;
    let radius = m.f(if n > 10_000.0 { 2.2 } else { 2.7 }).max(1.2);
    (radius, alpha)
}

/// The (x, y) data coordinates of row `i`: the chosen latent columns, or z0 and a jitter in
/// -1..1 for a 1-D latent.
///
/// The axes must have passed [`check_points`] (indexing a row panics otherwise).
pub(crate) fn coordinates(
    points: &ndarray::ArrayView2<'_, f32>,
    x_axis: usize,
    y_axis: usize,
) -> Vec<(f64, f64)> {
    let one_d = points.ncols() == 1;
    points
        .rows()
        .into_iter()
        .enumerate()
        .map(|(i, row)| {
            let x = f64::from(row[x_axis]);
            let y = if one_d {
                (mix64(i as u64) >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            } else {
                f64::from(row[y_axis])
            };
            (x, y)
        })
        .collect()
}

/// Axes for coordinates from [`coordinates`]: latent names, or a blank jitter axis for 1-D.
pub(crate) fn latent_axes(
    xy: &[(f64, f64)],
    x_axis: usize,
    y_axis: usize,
    one_d: bool,
) -> (Axis, Axis) {
    let (xlo, xhi) = data_range(xy.iter().map(|p| p.0));
    let x = Axis::linear(xlo, xhi, 7, format!("z{x_axis}"));
    let y = if one_d {
        Axis::blank(-1.6, 1.6, "jitter (1-D latent)")
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

/// Points in a deterministic shuffled order, so no class is always drawn on top; points whose
/// colour value is missing come first (underneath).
pub(crate) fn coloured_points(
    xy: &[(f64, f64)],
    plan: &ColourPlan<'_>,
) -> Vec<(f64, f64, RGBColor)> {
    let mut order: Vec<(bool, u64, usize)> = (0..xy.len())
        .map(|i| (!plan.colour(i).1, mix64(i as u64 ^ 0x5EED), i))
        .collect();
    order.sort_unstable();
    order
        .into_iter()
        .filter_map(|(_, _, i)| {
            let (x, y) = xy[i];
            (x.is_finite() && y.is_finite()).then(|| (x, y, plan.colour(i).0))
        })
        .collect()
}

fn scatter_spec(panel: &ScatterPanel<'_>, plan: &ColourPlan<'_>, m: &Metrics) -> Result<PanelSpec> {
    let what = format!("scatter panel {:?}", panel.title);
    check_points(&what, &panel.points, panel.x_axis, panel.y_axis)?;
    plan.check_len(panel.points.nrows(), &what)?;
    let one_d = panel.points.ncols() == 1;
    let xy = coordinates(&panel.points, panel.x_axis, panel.y_axis);
    let (x, y) = latent_axes(&xy, panel.x_axis, panel.y_axis, one_d);
    let points = coloured_points(&xy, plan);
    let omitted = xy.len() - points.len();
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
    let subtitle = std::iter::once(panel.subtitle.clone())
        .filter(|s| !s.is_empty())
        .chain(notes)
        .collect::<Vec<_>>()
        .join(" · ");
    let (radius, alpha) = point_style(points.len(), m);
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
    plan: &ColourPlan<'_>,
    size: FigureSize,
    m: &Metrics,
) -> Result<Vec<u8>> {
    render_png(size, |root| {
        let blocks = colour_blocks(root, plan, plot_height(size, m), m)?;
        draw_panels(root, specs, &blocks, m)
    })
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
        let spec = scatter_spec(&panel, &ColourPlan::Plain, &m).unwrap();
        assert_eq!(
            spec.subtitle,
            "test MSE 0.5 · z0 and z2 of 3 latent dimensions"
        );
        let flat = Array2::from_shape_fn((5, 2), |(r, c)| (r + c) as f32);
        let spec = scatter_spec(
            &ScatterPanel::new("A", "", flat.view()),
            &ColourPlan::Plain,
            &m,
        )
        .unwrap();
        assert_eq!(spec.subtitle, "");
    }
}
