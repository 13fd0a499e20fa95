//! `sweep.png`: the panels of a [`SweepModel`] in a grid of two columns, each the criterion of A
//! and B (or their CKA) against the swept setting — a line through the points, whiskers over
//! the range of the repeated fits, the within-method band, the equivalent points shaded — with
//! one legend and the note under them.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::FigureSize;
use super::axes::draw_chart;
use super::canvas::{Area, INK_SOFT, Metrics, plot_err, render_png};
use super::legend::{HLegend, Item, Swatch};
use super::palette::class_colour;
use super::panel::{draw_titles, header_height};
use super::text::{draw_text, fit_text, font};
use super::ticks::{Axis, data_range};
use crate::error::{Error, Result};
use crate::plot::sweep::{SweepModel, SweepPanel};

/// Shade behind the equivalent points.
const EQUIVALENT: RGBColor = RGBColor(190, 232, 190);
/// Fill of the within-method band.
const BAND: RGBColor = RGBColor(150, 150, 150);

/// The colour of series colour `k` (A, B, between).
fn colour(k: usize) -> RGBColor {
    class_colour(k, 3)
}

/// Draws the sweep figure.
pub fn sweep_png(model: &SweepModel, size: FigureSize) -> Result<Vec<u8>> {
    size.validate()?;
    if model.panels.is_empty() || model.ticks.is_empty() {
        return Err(Error::InvalidInput(
            "sweep figure: no finished point to draw".into(),
        ));
    }
    let cols = model.panels.len().min(2);
    let rows = model.panels.len().div_ceil(cols);
    let m = Metrics::new(size, 620.0 * cols as f64, 400.0 * rows as f64 + 90.0);
    render_png(size, |root| {
        let (w, h) = root.dim_in_pixel();
        let mut items: Vec<Item> = Vec::new();
        let mut named = Vec::new();
        for s in model.panels.iter().flat_map(|p| &p.series) {
            if !named.contains(&s.name) {
                named.push(s.name.clone());
                let swatch = Swatch::Line {
                    colour: colour(s.colour),
                    width: m.f(2.5),
                    dashed: false,
                };
                items.push(Item::new(swatch, s.name.clone()));
            }
        }
        if !model.equivalent.is_empty() {
            items.push(Item::new(Swatch::Disc(EQUIVALENT), "equivalent"));
        }
        let legend = HLegend::layout(items, w as i32 - m.px(40.0), &m)?;
        let note_h = if model.note.is_some() {
            (m.tick() * 1.6).round() as i32
        } else {
            0
        };
        let bottom_h = legend.height() + note_h + m.px(12.0);
        let (plots, bottom) = root.split_vertically(h as i32 - bottom_h);
        legend.draw(&bottom, w as i32 / 2, m.px(4.0), &m)?;
        if let Some(note) = &model.note {
            let style = font(m.tick(), false, INK_SOFT);
            let text = fit_text(note, &style, w as i32 - m.px(40.0))?;
            let baseline = legend.height() + (m.tick() * 1.2).round() as i32;
            draw_text(&bottom, &text, &style, w as i32 / 2, baseline, HPos::Center)?;
        }
        let areas = plots.split_evenly((rows, cols));
        for (area, panel) in areas.iter().zip(&model.panels) {
            draw_sweep_panel(root, area, model, panel, &m)?;
        }
        Ok(())
    })
}

fn draw_sweep_panel(
    root: &Area<'_>,
    area: &Area<'_>,
    model: &SweepModel,
    panel: &SweepPanel,
    m: &Metrics,
) -> Result<()> {
    let half = model.shade_half_width();
    let (first, last) = (model.ticks[0].0, model.ticks[model.ticks.len() - 1].0);
    let x = Axis {
        lo: first - half * 1.4,
        hi: last + half * 1.4,
        ticks: model.ticks.clone(),
        desc: if model.log_x {
            format!("{} (log scale)", model.parameter)
        } else {
            model.parameter.clone()
        },
    };
    let (lo, hi) = data_range(panel.values());
    let y = Axis::linear(lo, hi, 6, "");
    let right = m.px(12.0);
    draw_titles(area, &y, &panel.title, "", right, m)?;
    let frame = draw_chart(area, &x, &y, m, header_height(m, false), right)?;
    let px = |x: f64, y: f64| {
        let (a, b) = frame.map(x, y);
        (a.floor() as i32, b.floor() as i32)
    };
    let clip = frame.clip;
    for &at in &model.equivalent {
        let (x0, _) = px(at - half, 0.0);
        let (x1, _) = px(at + half, 0.0);
        root.draw(&Rectangle::new(
            [
                (x0.max(clip.x0), clip.y0 + 1),
                (x1.min(clip.x1), clip.y1 - 1),
            ],
            EQUIVALENT.mix(0.6).filled(),
        ))
        .map_err(plot_err("shading an equivalent point"))?;
    }
    if !panel.band.is_empty() {
        let width = m.px(10.0);
        // a polygon through the band's points, or a bar where there is one
        if panel.band.len() > 1 {
            let mut outline: Vec<(i32, i32)> =
                panel.band.iter().map(|&(x, _, hi)| px(x, hi)).collect();
            outline.extend(panel.band.iter().rev().map(|&(x, lo, _)| px(x, lo)));
            root.draw(&Polygon::new(outline, BAND.mix(0.3).filled()))
                .map_err(plot_err("drawing the within-method band"))?;
        } else {
            let (x, lo, hi) = panel.band[0];
            let (xc, yl) = px(x, lo);
            let (_, yh) = px(x, hi);
            root.draw(&Rectangle::new(
                [(xc - width, yh), (xc + width, yl)],
                BAND.mix(0.3).filled(),
            ))
            .map_err(plot_err("drawing the within-method band"))?;
        }
    }
    for s in &panel.series {
        let c = colour(s.colour);
        let line: Vec<(i32, i32)> = s.marks.iter().map(|mk| px(mk.x, mk.y)).collect();
        if line.len() > 1 {
            root.draw(&PathElement::new(line, c.stroke_width(m.px(2.5) as u32)))
                .map_err(plot_err("drawing a sweep line"))?;
        }
        for mk in &s.marks {
            let (cx, cy) = px(mk.x, mk.y);
            if let Some((lo, hi)) = mk.range {
                let (_, yl) = px(mk.x, lo);
                let (_, yh) = px(mk.x, hi);
                let cap = m.px(5.0);
                let stroke = c.stroke_width(m.px(1.5) as u32);
                for seg in [
                    vec![(cx, yl), (cx, yh)],
                    vec![(cx - cap, yl), (cx + cap, yl)],
                    vec![(cx - cap, yh), (cx + cap, yh)],
                ] {
                    root.draw(&PathElement::new(seg, stroke))
                        .map_err(plot_err("drawing a whisker"))?;
                }
            }
            root.draw(&Circle::new((cx, cy), m.px(4.5), c.filled()))
                .map_err(plot_err("drawing a sweep point"))?;
        }
    }
    Ok(())
}
