//! Training-loss curves: one panel per trained method side by side (methods' losses differ in
//! scale, so each panel has its own y axis), epochs from 1, train solid, validation dashed,
//! loss parts as thinner lines, and one legend under the panels. Which curves, their names,
//! tints and points are the plot model's ([`crate::plot::loss`]); this file draws them.

use plotters::style::text_anchor::HPos;

use super::axes::{Frame, draw_chart};
use super::canvas::{Area, INK_SOFT, Metrics, render_png};
use super::legend::{HLegend, Item, Swatch};
use super::panel::{draw_note, draw_titles, header_height};
use super::raster::{Discs, Lines, Marker};
use super::text::{Style, draw_text, font, text_width};
use super::ticks::{Axis, data_range, log_range};
use super::{FigureSize, LossSeries};
use crate::error::Result;
use crate::plot::loss::{Dash, Look, LossCurve, LossModel, LossPanel, Placement, Weight, drawable};

/// What a figure without any loss series says.
const NO_SERIES: &str = "no trained method: PCA and precomputed latents have no loss curve";

/// Series with at most this many epochs also get a marker at every epoch.
const MARKED_EPOCHS: usize = 20;

/// Line width of a curve of `weight`.
fn line_width(weight: Weight, m: &Metrics) -> f64 {
    match weight {
        Weight::Main => m.f(2.6),
        Weight::Part => m.f(1.7),
    }
}

/// The legend swatch of a curve's look.
fn swatch(look: &Look, m: &Metrics) -> Swatch {
    Swatch::Line {
        colour: look.colour,
        width: line_width(look.weight, m),
        dashed: look.dash != Dash::Solid,
    }
}

/// Draws the loss curves of `series`, one panel per method, with a log10 y axis when
/// `log_scale` (values ≤ 0 are then left out and the panel says so).
pub fn loss_png(series: &[LossSeries<'_>], log_scale: bool, size: FigureSize) -> Result<Vec<u8>> {
    size.validate()?;
    let n = series.len().max(1) as f64;
    let m = Metrics::new(size, (600.0 * n).max(800.0), 800.0);
    let model = LossModel::new(series, Placement::PanelPerMethod);
    let legend: Vec<Item> = model
        .keys
        .iter()
        .map(|k| Item::new(swatch(&k.look, &m), k.label.clone()))
        .collect();
    let panels = &model.panels;
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
        let prepared: Vec<_> = panels.iter().map(|p| prepare(p, log_scale)).collect();
        let header = header_height(&m, prepared.iter().any(|p| !p.note.is_empty()));
        for (k, p) in prepared.iter().enumerate() {
            let x = outer + k as i32 * (panel_w + gap);
            let area = root.clone().shrink((x, outer), (panel_w, panel_h));
            let right = m.px(12.0);
            draw_titles(&area, &p.y, &p.panel.method, &p.note, right, &m)?;
            let frame = draw_chart(&area, &p.x, &p.y, &m, header, right)?;
            if p.empty {
                let note = if log_scale {
                    "no positive finite loss values to show on a log axis"
                } else {
                    "no finite loss values recorded"
                };
                draw_note(&area, &frame, note, &m)?;
            }
            for curve in p.panel.bottom_to_top() {
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
    note: String,
    x: Axis,
    y: Axis,
    panel: &'p LossPanel<'a>,
    epochs: usize,
    empty: bool,
}

fn prepare<'p, 'a>(panel: &'p LossPanel<'a>, log_scale: bool) -> Prepared<'p, 'a> {
    let epochs = panel.epochs();
    let all = || {
        panel
            .curves
            .iter()
            .flat_map(|c| c.values.iter().map(|&v| f64::from(v)))
    };
    let dropped = panel.n_left_out(log_scale);
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
        note,
        x: Axis::epochs(epochs, "epoch"),
        y,
        panel,
        epochs,
        empty: empty && epochs > 0,
    }
}

/// Draws one curve, broken where an epoch cannot be drawn; isolated epochs get a dot.
fn draw_curve(
    root: &Area<'_>,
    frame: &Frame,
    curve: &LossCurve<'_>,
    log_scale: bool,
    epochs: usize,
    m: &Metrics,
) -> Result<()> {
    let colour = curve.look.colour;
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut dots = Vec::new();
    let mut last = None;
    for (i, &v) in curve.values.iter().enumerate() {
        if !drawable(v, log_scale) {
            continue;
        }
        let y = if log_scale {
            f64::from(v).log10()
        } else {
            f64::from(v)
        };
        let p = frame.map(f64::from(curve.step(i)), y);
        if epochs <= MARKED_EPOCHS {
            dots.push((p.0, p.1, colour));
        }
        match runs.last_mut() {
            // consecutive values are joined (epochs, or t-SNE's every 50th iteration); a
            // left-out value breaks the line
            Some(run) if last.is_some_and(|l| l + 1 == i) => run.push(p),
            _ => runs.push(vec![p]),
        }
        last = Some(i);
    }
    for run in &runs {
        if let [p] = run.as_slice()
            && epochs > MARKED_EPOCHS
        {
            dots.push((p.0, p.1, colour));
        }
    }
    runs.retain(|r| r.len() > 1);
    let width = line_width(curve.look.weight, m);
    let dashed = curve.look.dash != Dash::Solid;
    Lines {
        runs,
        colour,
        width,
        dash: dashed.then(|| (m.f(10.0), m.f(6.0))),
        clip: frame.clip,
    }
    .draw(root)?;
    let radius = width * 1.3;
    Discs {
        items: dots,
        radius,
        alpha: 1.0,
        marker: if dashed {
            Marker::Ring(m.f(1.4))
        } else {
            Marker::Filled
        },
        clip: frame.clip,
    }
    .draw(root)
}
