//! Training-loss curves: one panel per trained method side by side (methods' losses differ in
//! scale, so each panel has its own y axis), epochs from 1, train solid, validation dashed,
//! loss parts as thinner lines, and one legend under the panels.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::axes::{Frame, draw_chart};
use super::canvas::{Area, INK_SOFT, Metrics, render_png};
use super::legend::{HLegend, Item, Swatch};
use super::palette::class_colour;
use super::panel::{draw_note, draw_titles, header_height};
use super::raster::{Discs, Lines, Marker};
use super::text::{Style, draw_text, font, text_width};
use super::ticks::{Axis, data_range, log_range};
use super::{FigureSize, LossSeries};
use crate::error::Result;

/// What a figure without any loss series says.
const NO_SERIES: &str = "no trained method: PCA and precomputed latents have no loss curve";

/// Series with at most this many epochs also get a marker at every epoch.
const MARKED_EPOCHS: usize = 20;

/// One curve: its values, look and legend key.
struct Curve<'a> {
    values: &'a [f32],
    colour: RGBColor,
    width: f64,
    dashed: bool,
}

/// Draws the loss curves of `series`, one panel per method, with a log10 y axis when
/// `log_scale` (values ≤ 0 are then left out and the panel says so).
pub fn loss_png(series: &[LossSeries<'_>], log_scale: bool, size: FigureSize) -> Result<Vec<u8>> {
    size.validate()?;
    let n = series.len().max(1) as f64;
    let m = Metrics::new(size, (600.0 * n).max(800.0), 800.0);
    let train_colour = class_colour(0, 10);
    // Part colours by name, so "recon" is the same colour in every panel.
    let mut part_names: Vec<&str> = Vec::new();
    for s in series {
        for (name, _) in &s.parts {
            if !part_names.contains(&name.as_str()) {
                part_names.push(name);
            }
        }
    }
    let part_colour = |name: &str| {
        let k = part_names.iter().position(|p| *p == name).unwrap_or(0);
        class_colour(k + 1, 10)
    };
    let (thick, thin) = (m.f(2.6), m.f(1.7));
    let mut legend = vec![Item::new(
        Swatch::Line {
            colour: train_colour,
            width: thick,
            dashed: false,
        },
        "train loss",
    )];
    if series.iter().any(|s| s.val.is_some()) {
        legend.push(Item::new(
            Swatch::Line {
                colour: train_colour,
                width: thick,
                dashed: true,
            },
            "validation loss",
        ));
    }
    for name in &part_names {
        legend.push(Item::new(
            Swatch::Line {
                colour: part_colour(name),
                width: thin,
                dashed: false,
            },
            format!("{name} (train)"),
        ));
    }
    let panels: Vec<(String, Vec<Curve<'_>>)> = series
        .iter()
        .map(|s| {
            let mut curves = Vec::new();
            for (name, values) in &s.parts {
                curves.push(Curve {
                    values,
                    colour: part_colour(name),
                    width: thin,
                    dashed: false,
                });
            }
            if let Some(val) = s.val {
                curves.push(Curve {
                    values: val,
                    colour: train_colour,
                    width: thick,
                    dashed: true,
                });
            }
            curves.push(Curve {
                values: s.train,
                colour: train_colour,
                width: thick,
                dashed: false,
            });
            (s.method.clone(), curves)
        })
        .collect();
    render_png(size, |root| {
        let (w, h) = root.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        if panels.is_empty() {
            let style = font(m.font(24.0), false, INK_SOFT);
            let lines = wrap(NO_SERIES, &style, w - 2 * m.px(14.0))?;
            let line_h = (m.font(24.0) * 1.4).round() as i32;
            let first = h / 2 - line_h * (lines.len() as i32 - 1) / 2;
            for (k, line) in lines.iter().enumerate() {
                draw_text(
                    root,
                    line,
                    &style,
                    w / 2,
                    first + k as i32 * line_h,
                    HPos::Center,
                )?;
            }
            return Ok(());
        }
        let outer = m.px(14.0);
        let gap = m.px(40.0);
        let keys = HLegend::layout(legend, w - 2 * outer, &m)?;
        let legend_h = keys.height() + m.px(10.0);
        let np = panels.len() as i32;
        let panel_w = ((w - 2 * outer - gap * (np - 1)) / np).max(10);
        let panel_h = (h - 2 * outer - legend_h).max(10);
        let prepared: Vec<_> = panels
            .iter()
            .map(|(title, curves)| prepare(title, curves, log_scale))
            .collect();
        let header = header_height(&m, prepared.iter().any(|p| !p.note.is_empty()));
        for (k, p) in prepared.iter().enumerate() {
            let x = outer + k as i32 * (panel_w + gap);
            let area = root.clone().shrink((x, outer), (panel_w, panel_h));
            let right = m.px(12.0);
            draw_titles(&area, &p.y, &p.title, &p.note, right, &m)?;
            let frame = draw_chart(&area, &p.x, &p.y, &m, header, right)?;
            if p.empty {
                let note = if log_scale {
                    "no positive finite loss values to show on a log axis"
                } else {
                    "no finite loss values recorded"
                };
                draw_note(&area, &frame, note, &m)?;
            }
            for curve in p.curves {
                draw_curve(root, &frame, curve, log_scale, p.epochs, &m)?;
            }
        }
        keys.draw(root, w / 2, h - outer - keys.height(), &m)
    })
}

/// `text` broken at spaces into lines at most `max_width` wide (a single long word stays whole).
fn wrap(text: &str, style: &Style, max_width: i32) -> Result<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), style)? <= max_width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    Ok(lines)
}

/// A panel's axes and notes, worked out from its curves.
struct Prepared<'p, 'a> {
    title: String,
    note: String,
    x: Axis,
    y: Axis,
    curves: &'p [Curve<'a>],
    epochs: usize,
    empty: bool,
}

/// Whether `v` can be drawn on the y axis.
fn drawable(v: f32, log_scale: bool) -> bool {
    v.is_finite() && (!log_scale || v > 0.0)
}

fn prepare<'p, 'a>(title: &str, curves: &'p [Curve<'a>], log_scale: bool) -> Prepared<'p, 'a> {
    let epochs = curves.iter().map(|c| c.values.len()).max().unwrap_or(0);
    let all = || {
        curves
            .iter()
            .flat_map(|c| c.values.iter().map(|&v| f64::from(v)))
    };
    let dropped = curves
        .iter()
        .flat_map(|c| c.values.iter())
        .filter(|&&v| !drawable(v, log_scale))
        .count();
    let (y, empty) = if log_scale {
        match log_range(all()) {
            Some((lo, hi)) => (Axis::log10(lo, hi, "loss (log scale)"), false),
            None => (Axis::log10(-1.0, 1.0, "loss (log scale)"), true),
        }
    } else {
        let finite = all().any(f64::is_finite);
        let (lo, hi) = data_range(all());
        (Axis::linear(lo, hi, 7, "loss"), !finite)
    };
    let note = match (epochs, dropped) {
        (0, _) => "no epochs recorded".to_string(),
        (_, 0) => String::new(),
        (_, d) if log_scale => format!("{d} value(s) ≤ 0 or non-finite not shown"),
        (_, d) => format!("{d} non-finite value(s) not shown"),
    };
    Prepared {
        title: title.to_string(),
        note,
        x: Axis::epochs(epochs, "epoch"),
        y,
        curves,
        epochs,
        empty: empty && epochs > 0,
    }
}

/// Draws one curve, broken where values cannot be drawn; isolated epochs get a dot.
fn draw_curve(
    root: &Area<'_>,
    frame: &Frame,
    curve: &Curve<'_>,
    log_scale: bool,
    epochs: usize,
    m: &Metrics,
) -> Result<()> {
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    let mut dots = Vec::new();
    for (i, &v) in curve.values.iter().enumerate() {
        if !drawable(v, log_scale) {
            runs.push(Vec::new());
            continue;
        }
        let y = if log_scale {
            f64::from(v).log10()
        } else {
            f64::from(v)
        };
        let p = frame.map((i + 1) as f64, y);
        if epochs <= MARKED_EPOCHS {
            dots.push((p.0, p.1, curve.colour));
        }
        if let Some(run) = runs.last_mut() {
            run.push(p);
        }
    }
    for run in &runs {
        if let [p] = run.as_slice()
            && epochs > MARKED_EPOCHS
        {
            dots.push((p.0, p.1, curve.colour));
        }
    }
    runs.retain(|r| r.len() > 1);
    Lines {
        runs,
        colour: curve.colour,
        width: curve.width,
        dash: curve.dashed.then(|| (m.f(10.0), m.f(6.0))),
        clip: frame.clip,
    }
    .draw(root)?;
    let radius = curve.width * 1.3;
    Discs {
        items: dots,
        radius,
        alpha: 1.0,
        marker: if curve.dashed {
            Marker::Ring(m.f(1.4))
        } else {
            Marker::Filled
        },
        clip: frame.clip,
    }
    .draw(root)
}
