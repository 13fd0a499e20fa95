//! One framed cartesian chart with light grid lines, tick marks and labels, whose data→pixel
//! mapping the point and line layers reuse.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::canvas::{Area, INK, Metrics, plot_err};
use super::raster::Clip;
use super::text::{draw_text, draw_vertical_text, font, text_width};
use super::ticks::Axis;
use crate::error::Result;

/// Grid line colour.
const GRID: RGBColor = RGBColor(228, 228, 228);

/// A linear coordinate with exactly the given ticks (plotters' own `WithKeyPoints` over f64
/// cannot take a label formatter).
#[derive(Clone)]
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }
}

impl Axis {
    fn coord(&self) -> Ticked {
        Ticked {
            inner: RangedCoordf64::from(self.lo..self.hi),
            ticks: self.ticks.iter().map(|t| t.0).collect(),
        }
    }
}

/// The drawn chart's plotting rectangle and its data→pixel mapping.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Frame {
    pub clip: Clip,
    x: (f64, f64, f64, f64),
    y: (f64, f64, f64, f64),
}

impl Frame {
    /// Absolute pixel position (fractional, pixel centres at +0.5) of data point (x, y).
    pub(crate) fn map(&self, x: f64, y: f64) -> (f64, f64) {
        let lin = |(lo, hi, p0, p1): (f64, f64, f64, f64), v: f64| {
            p0 + (v - lo) / (hi - lo) * (p1 - p0) + 0.5
        };
        (lin(self.x, x), lin(self.y, y))
    }
}

/// Width of the area left of the plot: tick labels, tick marks and the rotated description.
pub(crate) fn y_label_width(y: &Axis, m: &Metrics) -> Result<i32> {
    let style = font(m.tick(), false, INK);
    let mut widest = 0;
    for (_, label) in &y.ticks {
        widest = widest.max(text_width(label, &style)?);
    }
    Ok(widest + m.px(6.0) * 2 + m.px(10.0) + m.label().round() as i32 + m.px(8.0))
}

/// Height of the area under the plot: tick marks, tick labels and the description.
pub(crate) fn x_label_height(m: &Metrics) -> i32 {
    m.px(6.0) * 2 + (m.tick() * 0.75).round() as i32 + m.px(14.0) + m.label().round() as i32
}

/// Draws a framed chart filling `area` except for `top` and `right` margins, with the tick
/// labels and descriptions of `x` and `y`, and returns its frame.
pub(crate) fn draw_chart(
    area: &Area<'_>,
    x: &Axis,
    y: &Axis,
    m: &Metrics,
    top: i32,
    right: i32,
) -> Result<Frame> {
    let y_area = y_label_width(y, m)?;
    let x_area = x_label_height(m);
    let tick = m.px(6.0);
    let tick_style = font(m.tick(), false, INK);
    // Fewer ticks where labels would touch (small figures, narrow panels).
    let (w, h) = area.dim_in_pixel();
    let mut widest = 0;
    for (_, label) in &x.ticks {
        widest = widest.max(text_width(label, &tick_style)?);
    }
    let x = &x.thinned(w as i32 - y_area - right, widest + m.px(14.0));
    let y = &y.thinned(h as i32 - top - x_area, (m.tick() * 1.8).round() as i32);
    let mut chart = ChartBuilder::on(area)
        .margin_top(top.max(0) as u32)
        .margin_right(right.max(0) as u32)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x.coord(), y.coord())
        .map_err(plot_err("laying out the axes"))?;
    // Tick labels are drawn below with correct glyph spacing; plotters draws marks and grid.
    let no_label = |_: &f64| String::new();
    chart
        .configure_mesh()
        .x_labels(x.ticks.len().max(1))
        .y_labels(y.ticks.len().max(1))
        .x_label_formatter(&no_label)
        .y_label_formatter(&no_label)
        .set_all_tick_mark_size(tick)
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(WHITE.mix(0.0))
        .axis_style(INK.stroke_width(1))
        .draw()
        .map_err(plot_err("drawing the axes"))?;
    let plot = chart.plotting_area();
    let (px, py) = plot.get_pixel_range();
    let clip = Clip {
        x0: px.start,
        y0: py.start,
        x1: px.end,
        y1: py.end,
    };
    // Frame on all four sides: plotters draws the left and bottom axis lines just outside the
    // plotting rectangle; the top and right sides mirror them.
    let (base_x, base_y) = area.get_base_pixel();
    let corners = [
        (clip.x0 - 1 - base_x, clip.y0 - 1 - base_y),
        (clip.x1 - base_x, clip.y1 - base_y),
    ];
    area.draw(&Rectangle::new(corners, INK.stroke_width(1)))
        .map_err(plot_err("drawing the plot frame"))?;
    let (x0, y0) = chart.backend_coord(&(x.lo, y.lo));
    let (x1, y1) = chart.backend_coord(&(x.hi, y.hi));
    let frame = Frame {
        clip,
        x: (x.lo, x.hi, f64::from(x0), f64::from(x1)),
        y: (y.lo, y.hi, f64::from(y0), f64::from(y1)),
    };
    // Tick labels and descriptions, placed by baseline in the area's own coordinates.
    let label_gap = tick + m.px(6.0);
    let x_base = clip.y1 - base_y + label_gap + (m.tick() * 0.72).round() as i32;
    for (v, label) in &x.ticks {
        let px = frame.map(*v, y.lo).0.floor() as i32 - base_x;
        draw_text(area, label, &tick_style, px, x_base, HPos::Center)?;
    }
    let y_right = clip.x0 - 1 - base_x - label_gap;
    for (v, label) in &y.ticks {
        let py = frame.map(x.lo, *v).1.floor() as i32 - base_y;
        let baseline = py + (m.tick() * 0.32).round() as i32;
        draw_text(area, label, &tick_style, y_right, baseline, HPos::Right)?;
    }
    let label_style = font(m.label(), false, INK);
    let mid_x = (x0 + x1) / 2 - base_x;
    let bottom = area.dim_in_pixel().1 as i32 - m.px(6.0) - (m.label() * 0.2).round() as i32;
    draw_text(area, &x.desc, &label_style, mid_x, bottom, HPos::Center)?;
    let desc_cx = m.px(4.0) + (m.label() * 0.3).round() as i32;
    draw_vertical_text(area, &y.desc, &label_style, desc_cx, (y0 + y1) / 2 - base_y)?;
    Ok(frame)
}
