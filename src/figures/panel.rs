//! Panel layout shared by the figures: title block, framed chart with point layers, a note
//! in an empty plot, and the row of panels with a legend strip on the right.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::FigureSize;
use super::axes::{Frame, draw_chart, x_label_height, y_label_width};
use super::canvas::{Area, INK, INK_SOFT, Metrics};
use super::legend::{ColourBar, Item, Swatch, VLegend};
use super::raster::{Discs, Marker};
use super::text::{draw_text, fit_text, font};
use super::ticks::Axis;
use crate::error::Result;
use crate::plot::scatter::Legend;

/// Points of one kind of marker, in data coordinates.
pub(crate) struct PointLayer {
    pub points: Vec<(f64, f64, RGBColor)>,
    pub radius: f64,
    pub alpha: f64,
    pub marker: Marker,
}

/// Everything one scatter panel shows.
pub(crate) struct PanelSpec {
    pub title: String,
    pub subtitle: String,
    pub x: Axis,
    pub y: Axis,
    pub layers: Vec<PointLayer>,
}

/// Height of the title (and subtitle) block above a chart.
pub(crate) fn header_height(m: &Metrics, subtitle: bool) -> i32 {
    let title = (m.title() * 1.25).round() as i32;
    let sub = if subtitle {
        (m.subtitle() * 1.45).round() as i32
    } else {
        0
    };
    title + sub + m.px(14.0)
}

/// Draws `title` and `subtitle` centred over the plot that [`draw_chart`] will put in `area`
/// for vertical axis `y` with a `right` margin.
pub(crate) fn draw_titles(
    area: &Area<'_>,
    y: &Axis,
    title: &str,
    subtitle: &str,
    right: i32,
    m: &Metrics,
) -> Result<()> {
    let plot_x0 = y_label_width(y, m)?;
    let plot_x1 = area.dim_in_pixel().0 as i32 - right;
    let centre = (plot_x0 + plot_x1) / 2;
    let max_w = 2 * (centre.min(area.dim_in_pixel().0 as i32 - centre));
    let title_style = font(m.title(), true, INK);
    let title = fit_text(title, &title_style, max_w)?;
    let title_base = (m.title() * 0.95).round() as i32;
    draw_text(area, &title, &title_style, centre, title_base, HPos::Center)?;
    if !subtitle.is_empty() {
        let sub_style = font(m.subtitle(), false, INK_SOFT);
        let sub = fit_text(subtitle, &sub_style, max_w)?;
        let sub_base = title_base + (m.subtitle() * 1.45).round() as i32;
        draw_text(area, &sub, &sub_style, centre, sub_base, HPos::Center)?;
    }
    Ok(())
}

/// Draws a panel: title and subtitle centred over the plot, framed axes, point layers.
pub(crate) fn draw_panel(
    root: &Area<'_>,
    area: &Area<'_>,
    spec: &PanelSpec,
    header: i32,
    m: &Metrics,
) -> Result<Frame> {
    let right = m.px(10.0);
    draw_titles(area, &spec.y, &spec.title, &spec.subtitle, right, m)?;
    let frame = draw_chart(area, &spec.x, &spec.y, m, header, right)?;
    let total: usize = spec.layers.iter().map(|l| l.points.len()).sum();
    for layer in &spec.layers {
        Discs {
            items: layer
                .points
                .iter()
                .map(|&(x, y, c)| {
                    let (px, py) = frame.map(x, y);
                    (px, py, c)
                })
                .collect(),
            radius: layer.radius,
            alpha: layer.alpha,
            marker: layer.marker,
            clip: frame.clip,
        }
        .draw(root)?;
    }
    if total == 0 {
        draw_note(area, &frame, "no points to show", m)?;
    }
    Ok(frame)
}

/// Writes `note` in grey in the middle of the plotting rectangle of `frame`.
pub(crate) fn draw_note(area: &Area<'_>, frame: &Frame, note: &str, m: &Metrics) -> Result<()> {
    let style = font(m.label(), false, INK_SOFT);
    let c = frame.clip;
    let (bx, by) = area.get_base_pixel();
    let text = fit_text(note, &style, c.x1 - c.x0 - m.px(16.0))?;
    let (cx, cy) = ((c.x0 + c.x1) / 2 - bx, (c.y0 + c.y1) / 2 - by);
    draw_text(area, &text, &style, cx, cy, HPos::Center)
}

/// What the strip right of the panels shows.
pub(crate) enum Block {
    Legend(VLegend),
    Bar(ColourBar),
}

/// Legend blocks for a scatter legend (nothing for plain colours).
pub(crate) fn colour_blocks(
    root: &Area<'_>,
    legend: &Legend,
    height: i32,
    m: &Metrics,
) -> Result<Vec<Block>> {
    let max_width = root.dim_in_pixel().0 as i32 * 3 / 10;
    Ok(match legend {
        Legend::Classes(legend) => {
            let items = legend
                .iter()
                .map(|(name, c)| Item::new(Swatch::Disc(*c), name.clone()))
                .collect();
            vec![Block::Legend(VLegend::layout(
                items,
                (max_width, height),
                3,
                m.px(230.0),
                m,
            )?)]
        }
        Legend::Continuous { lo, hi, label } => {
            vec![Block::Bar(ColourBar::new(*lo, *hi, label, m)?)]
        }
        Legend::None => Vec::new(),
    })
}

pub(crate) fn strip_width(blocks: &[Block], m: &Metrics) -> i32 {
    let w = blocks
        .iter()
        .map(|b| match b {
            Block::Legend(l) => l.width(),
            Block::Bar(c) => c.width(m),
        })
        .max()
        .unwrap_or(0);
    if w > 0 { w + m.px(16.0) } else { 0 }
}

/// Draws the blocks top to bottom in `strip`, between `top` and `bottom`; a colour bar takes
/// the height left.
pub(crate) fn draw_strip(
    strip: &Area<'_>,
    blocks: &[Block],
    top: i32,
    bottom: i32,
    m: &Metrics,
) -> Result<()> {
    let x = m.px(16.0);
    let mut y = top;
    for block in blocks {
        match block {
            Block::Legend(l) => {
                l.draw(strip, x, y, m)?;
                y += l.height() + m.px(24.0);
            }
            Block::Bar(bar) => {
                bar.draw(strip, x - m.px(8.0), y, bottom, m)?;
                y = bottom;
            }
        }
    }
    Ok(())
}

/// Lays out and draws `specs` side by side with the strip on the right.
pub(crate) fn draw_panels(
    root: &Area<'_>,
    specs: &[PanelSpec],
    blocks: &[Block],
    m: &Metrics,
) -> Result<()> {
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let outer = m.px(14.0);
    let gap = m.px(36.0);
    let strip_w = strip_width(blocks, m);
    let n = specs.len().max(1) as i32;
    // Panels no wider than 1.25 × their height, so a single plot is not stretched flat; the
    // panels and the strip are centred together.
    let max_panel_w = (f64::from(h - 2 * outer) * 1.25) as i32;
    let panel_w = ((w - 2 * outer - strip_w - gap * (n - 1)) / n).clamp(10, max_panel_w.max(10));
    let used = n * panel_w + gap * (n - 1) + strip_w;
    let left = ((w - used) / 2).max(outer);
    let subtitles = specs.iter().any(|s| !s.subtitle.is_empty());
    let header = header_height(m, subtitles);
    let mut plot_top = header;
    let mut plot_bottom = h - outer;
    for (k, spec) in specs.iter().enumerate() {
        let x = left + k as i32 * (panel_w + gap);
        let area = root.clone().shrink((x, outer), (panel_w, h - 2 * outer));
        let frame = draw_panel(root, &area, spec, header, m)?;
        plot_top = frame.clip.y0;
        plot_bottom = frame.clip.y1;
    }
    if strip_w > 0 {
        let strip = root
            .clone()
            .shrink((left + used - strip_w, 0), (strip_w, h));
        draw_strip(&strip, blocks, plot_top, plot_bottom, m)?;
    }
    Ok(())
}

/// Height of the plotting rectangle of a panel row, for fitting the legend beside it.
pub(crate) fn plot_height(size: FigureSize, m: &Metrics) -> i32 {
    let h = i32::try_from(size.height).unwrap_or(i32::MAX);
    h - 2 * m.px(14.0) - header_height(m, true) - x_label_height(m)
}
