//! Legends and the colour bar: a vertical legend in columns for a strip beside the plots, a
//! horizontal wrapped legend for a strip under them, and a viridis colour bar with ticks.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::canvas::{Area, INK, INK_SOFT, Metrics, plot_err};
use super::palette::viridis;
use super::raster::{Clip, Discs, Lines, Marker};
use super::text::{draw_text, draw_vertical_text, fit_text, font, text_width};
use super::ticks::Axis;
use crate::error::Result;
use crate::plot::format;

/// What a legend entry shows before its text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Swatch {
    Disc(RGBColor),
    Ring(RGBColor),
    Line {
        colour: RGBColor,
        width: f64,
        dashed: bool,
    },
}

/// One legend entry.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub swatch: Swatch,
    pub text: String,
}

impl Item {
    pub(crate) fn new(swatch: Swatch, text: impl Into<String>) -> Self {
        Item {
            swatch,
            text: text.into(),
        }
    }
}

fn swatch_width(swatch: Swatch, m: &Metrics) -> i32 {
    match swatch {
        Swatch::Disc(_) | Swatch::Ring(_) => m.px(16.0),
        Swatch::Line { .. } => m.px(40.0),
    }
}

/// Draws `item` with its swatch starting at `x` and the text baseline at `baseline`.
fn draw_item(area: &Area<'_>, item: &Item, x: i32, baseline: i32, m: &Metrics) -> Result<()> {
    let style = font(m.legend(), false, INK);
    let (w, h) = area.dim_in_pixel();
    let clip = Clip {
        x0: 0,
        y0: 0,
        x1: w as i32,
        y1: h as i32,
    };
    // Swatches sit on the middle of the lower-case letters.
    let cy = f64::from(baseline) - m.legend() * 0.27;
    let sw = swatch_width(item.swatch, m);
    let cx = f64::from(x) + f64::from(sw) / 2.0;
    match item.swatch {
        Swatch::Disc(colour) | Swatch::Ring(colour) => {
            let marker = match item.swatch {
                Swatch::Ring(_) => Marker::Ring(m.f(1.6)),
                _ => Marker::Filled,
            };
            Discs {
                items: vec![(cx, cy, colour)],
                radius: m.f(5.5),
                alpha: 1.0,
                marker,
                clip,
            }
            .draw(area)?;
        }
        Swatch::Line {
            colour,
            width,
            dashed,
        } => {
            Lines {
                runs: vec![vec![(f64::from(x), cy), (f64::from(x + sw), cy)]],
                colour,
                width,
                dash: dashed.then(|| (m.f(9.0), m.f(5.0))),
                clip,
            }
            .draw(area)?;
        }
    }
    draw_text(
        area,
        &item.text,
        &style,
        x + sw + m.px(8.0),
        baseline,
        HPos::Left,
    )
}

/// A vertical legend laid out in up to a few columns to fit a height.
pub(crate) struct VLegend {
    items: Vec<Item>,
    rows: usize,
    col_w: i32,
    row_h: i32,
    /// Entries that did not fit, summarised as "+N more" in the last slot.
    hidden: usize,
}

impl VLegend {
    /// Lays out `items` in at most `max_height` × `max_width` px and `max_cols` columns, with
    /// names shortened to `max_text` px; entries that do not fit are counted as "+N more".
    pub(crate) fn layout(
        items: Vec<Item>,
        (max_width, max_height): (i32, i32),
        max_cols: usize,
        max_text: i32,
        m: &Metrics,
    ) -> Result<Self> {
        let mut cols = max_cols.max(1);
        loop {
            let legend = Self::layout_cols(items.clone(), max_height, cols, max_text, m)?;
            if legend.width() <= max_width || cols == 1 {
                return Ok(legend);
            }
            cols -= 1;
        }
    }

    fn layout_cols(
        mut items: Vec<Item>,
        max_height: i32,
        max_cols: usize,
        max_text: i32,
        m: &Metrics,
    ) -> Result<Self> {
        let style = font(m.legend(), false, INK);
        let row_h = (m.legend() * 1.5).round() as i32;
        let max_rows = ((max_height / row_h.max(1)).max(1)) as usize;
        let cols = items.len().div_ceil(max_rows).clamp(1, max_cols.max(1));
        let rows = items.len().div_ceil(cols).min(max_rows).max(1);
        let mut hidden = 0;
        if items.len() > rows * cols {
            hidden = items.len() - (rows * cols - 1);
            items.truncate(rows * cols - 1);
        }
        let mut col_w = 0;
        for item in &mut items {
            item.text = fit_text(&item.text, &style, max_text)?;
            let w = swatch_width(item.swatch, m) + m.px(8.0) + text_width(&item.text, &style)?;
            col_w = col_w.max(w);
        }
        if hidden > 0 {
            col_w = col_w.max(text_width(&format!("+{hidden} more"), &style)?);
        }
        Ok(VLegend {
            items,
            rows,
            col_w: col_w + m.px(18.0),
            row_h,
            hidden,
        })
    }

    pub(crate) fn width(&self) -> i32 {
        let slots = self.items.len() + usize::from(self.hidden > 0);
        let cols = slots.div_ceil(self.rows).max(1) as i32;
        cols * self.col_w
    }

    pub(crate) fn height(&self) -> i32 {
        self.rows.min(self.items.len().max(1)) as i32 * self.row_h
    }

    /// Draws the legend with its top-left corner at (`x`, `top`) of `area`.
    pub(crate) fn draw(&self, area: &Area<'_>, x: i32, top: i32, m: &Metrics) -> Result<()> {
        let slot = |k: usize| {
            let (col, row) = ((k / self.rows) as i32, (k % self.rows) as i32);
            let baseline = top + row * self.row_h + (self.row_h as f64 * 0.68).round() as i32;
            (x + col * self.col_w, baseline)
        };
        for (k, item) in self.items.iter().enumerate() {
            let (ix, baseline) = slot(k);
            draw_item(area, item, ix, baseline, m)?;
        }
        if self.hidden > 0 {
            let (ix, baseline) = slot(self.items.len());
            let style = font(m.legend(), false, INK_SOFT);
            let text = format!("+{} more", self.hidden);
            draw_text(area, &text, &style, ix + m.px(4.0), baseline, HPos::Left)?;
        }
        Ok(())
    }
}

/// A horizontal legend wrapped into centred rows.
pub(crate) struct HLegend {
    rows: Vec<Vec<(Item, i32)>>,
    row_h: i32,
    gap: i32,
}

impl HLegend {
    /// Lays out `items` in rows no wider than `max_width`.
    pub(crate) fn layout(items: Vec<Item>, max_width: i32, m: &Metrics) -> Result<Self> {
        let style = font(m.legend(), false, INK);
        let gap = m.px(30.0);
        let mut rows: Vec<Vec<(Item, i32)>> = vec![Vec::new()];
        let mut used = 0;
        for mut item in items {
            item.text = fit_text(&item.text, &style, max_width / 2)?;
            let w = swatch_width(item.swatch, m) + m.px(8.0) + text_width(&item.text, &style)?;
            let needed = if used == 0 { w } else { used + gap + w };
            match rows.last_mut() {
                Some(row) if needed <= max_width || row.is_empty() => {
                    row.push((item, w));
                    used = needed;
                }
                _ => {
                    rows.push(vec![(item, w)]);
                    used = w;
                }
            }
        }
        rows.retain(|r| !r.is_empty());
        Ok(HLegend {
            rows,
            row_h: (m.legend() * 1.6).round() as i32,
            gap,
        })
    }

    pub(crate) fn height(&self) -> i32 {
        self.rows.len() as i32 * self.row_h
    }

    /// Draws the rows centred on `cx`, the first starting at `top`.
    pub(crate) fn draw(&self, area: &Area<'_>, cx: i32, top: i32, m: &Metrics) -> Result<()> {
        for (r, row) in self.rows.iter().enumerate() {
            let total: i32 =
                row.iter().map(|(_, w)| *w).sum::<i32>() + self.gap * (row.len() as i32 - 1);
            let mut x = cx - total / 2;
            let baseline = top + r as i32 * self.row_h + (self.row_h as f64 * 0.68).round() as i32;
            for (item, w) in row {
                draw_item(area, item, x, baseline, m)?;
                x += w + self.gap;
            }
        }
        Ok(())
    }
}

/// A vertical viridis colour bar over `lo..=hi` with ticks and a rotated label.
pub(crate) struct ColourBar {
    axis: Axis,
    constant: bool,
    label: String,
    label_w: i32,
}

impl ColourBar {
    pub(crate) fn new(lo: f64, hi: f64, label: &str, m: &Metrics) -> Result<Self> {
        let constant = hi <= lo;
        let mut axis = if constant {
            let mut a = Axis::linear(lo - 0.5, lo + 0.5, 3, "");
            a.ticks.retain(|t| (t.0 - lo).abs() < 1e-9);
            if a.ticks.is_empty() {
                a.ticks.push((lo, format::significant(lo)));
            }
            a
        } else {
            Axis::linear(lo, hi, 6, "")
        };
        axis.ticks.retain(|t| {
            t.0 >= lo - 1e-9 * lo.abs().max(1.0) && t.0 <= hi + 1e-9 * hi.abs().max(1.0)
        });
        let tick_style = font(m.tick(), false, INK);
        let mut label_w = 0;
        for (_, text) in &axis.ticks {
            label_w = label_w.max(text_width(text, &tick_style)?);
        }
        Ok(ColourBar {
            axis,
            constant,
            label: label.to_string(),
            label_w,
        })
    }

    fn bar_w(m: &Metrics) -> i32 {
        m.px(22.0)
    }

    pub(crate) fn width(&self, m: &Metrics) -> i32 {
        let label = if self.label.is_empty() {
            0
        } else {
            m.label().round() as i32 + m.px(14.0)
        };
        m.px(8.0) + Self::bar_w(m) + m.px(6.0) + m.px(6.0) + self.label_w + label + m.px(12.0)
    }

    /// Draws the bar from `top` to `bottom` of `area`, starting at `x`.
    pub(crate) fn draw(
        &self,
        area: &Area<'_>,
        x: i32,
        top: i32,
        bottom: i32,
        m: &Metrics,
    ) -> Result<()> {
        let x0 = x + m.px(8.0);
        let x1 = x0 + Self::bar_w(m);
        let h = (bottom - top).max(2);
        for row in 0..h {
            let t = if self.constant {
                0.5
            } else {
                1.0 - f64::from(row) / f64::from(h - 1)
            };
            area.draw(&Rectangle::new(
                [(x0, top + row), (x1, top + row + 1)],
                viridis(t).filled(),
            ))
            .map_err(plot_err("drawing the colour bar"))?;
        }
        area.draw(&Rectangle::new(
            [(x0, top), (x1, top + h)],
            INK.stroke_width(1),
        ))
        .map_err(plot_err("drawing the colour bar"))?;
        let tick_style = font(m.tick(), false, INK);
        let tick = m.px(6.0);
        let (lo, hi) = (self.axis.lo, self.axis.hi);
        for (v, text) in &self.axis.ticks {
            let y = if self.constant {
                top + h / 2
            } else {
                top + ((hi - v) / (hi - lo) * f64::from(h - 1)).round() as i32
            };
            area.draw(&PathElement::new(
                vec![(x1, y), (x1 + tick, y)],
                INK.stroke_width(1),
            ))
            .map_err(plot_err("drawing the colour bar"))?;
            let baseline = y + (m.tick() * 0.36).round() as i32;
            draw_text(
                area,
                text,
                &tick_style,
                x1 + tick + m.px(6.0),
                baseline,
                HPos::Left,
            )?;
        }
        if !self.label.is_empty() {
            let style = font(m.label(), false, INK);
            let text = fit_text(&self.label, &style, h)?;
            let cx = x1
                + tick
                + m.px(6.0)
                + self.label_w
                + m.px(14.0)
                + (m.label() * 0.3).round() as i32;
            draw_vertical_text(area, &text, &style, cx, top + h / 2)?;
        }
        Ok(())
    }
}
