//! The equivalence figure: a panel per similarity with the pairs of runs within A, within B and
//! between A and B (a dot per pair) and each group's mean (a bar). The within-method whiskers are
//! the bootstrap intervals of their means; the between-method whiskers are the interval of
//! *between − min(within)* drawn from the smaller within-method mean, so that they are exactly
//! what the test judges: the methods are equivalent in that similarity when the lower whisker
//! stays above the dashed line at min(within) − δ.

use plotters::prelude::*;
use plotters::style::text_anchor::HPos;

use super::FigureSize;
use super::axes::draw_chart;
use super::canvas::{Area, INK, INK_SOFT, Metrics, plot_err, render_png};
use super::palette::class_colour;
use super::panel::{draw_titles, header_height};
use super::text::{draw_text, font};
use super::ticks::{Axis, data_range};
use crate::equivalence::{Distribution, Equivalence, GeometryCriterion};
use crate::error::{Error, Result};

/// Colour of the threshold line.
const THRESHOLD: RGBColor = RGBColor(200, 40, 40);

/// Draws one panel per similarity of `e`, side by side.
pub fn equivalence_png(e: &Equivalence, size: FigureSize) -> Result<Vec<u8>> {
    // the paragraph and report.md say which method is unstable; the panels only say so
    let judged = (!(e.stability_a.stable && e.stability_b.stable)).then_some("not judged");
    criteria_png(&e.geometry, judged, size)
}

/// One panel per criterion; `not_judged` replaces the decisions when a method is unstable.
fn criteria_png(
    criteria: &[GeometryCriterion],
    not_judged: Option<&str>,
    size: FigureSize,
) -> Result<Vec<u8>> {
    size.validate()?;
    if criteria.is_empty() {
        return Err(Error::InvalidInput(
            "equivalence figure: no similarities to draw".into(),
        ));
    }
    let m = Metrics::new(size, 400.0 * criteria.len() as f64, 520.0);
    render_png(size, |root| {
        let panels = root.split_evenly((1, criteria.len()));
        for (area, c) in panels.iter().zip(criteria) {
            panel(root, area, c, not_judged, &m)?;
        }
        Ok(())
    })
}

/// Left end of the x axis: a slot left of "within A" holds the dashed line's label.
const LABEL_ROOM: f64 = -1.5;

fn groups(c: &GeometryCriterion) -> [(&'static str, &Distribution); 3] {
    [
        ("within A", &c.within_a),
        ("within B", &c.within_b),
        ("between", &c.between),
    ]
}

fn panel(
    root: &Area<'_>,
    area: &Area<'_>,
    c: &GeometryCriterion,
    not_judged: Option<&str>,
    m: &Metrics,
) -> Result<()> {
    let floor = c.threshold();
    let tested = c.tested_between();
    let values = groups(c)
        .into_iter()
        .flat_map(|(_, d)| {
            d.values
                .iter()
                .copied()
                .chain([d.mean.estimate, d.mean.lower, d.mean.upper])
        })
        .chain([floor, tested.lower, tested.upper])
        .filter(|v| v.is_finite());
    let (lo, hi) = data_range(values);
    let y = Axis::linear(lo, hi, 6, c.metric.label());
    // room on the left for the dashed line's label, clear of the dots
    let x = Axis {
        lo: LABEL_ROOM,
        hi: 2.5,
        ticks: groups(c)
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (i as f64, (*name).to_string()))
            .collect(),
        desc: String::new(),
    };
    let decision = not_judged.unwrap_or(if c.equivalent {
        "equivalent"
    } else {
        "not equivalent"
    });
    let subtitle = format!(
        "{decision} · {:+.2} [{:+.2}, {:+.2}]",
        c.difference.estimate, c.difference.lower, c.difference.upper
    );
    let right = m.px(12.0);
    let title = c.metric.label().to_string();
    draw_titles(area, &y, &title, &subtitle, right, m)?;
    let frame = draw_chart(area, &x, &y, m, header_height(m, true), right)?;
    let to_px = |(px, py): (f64, f64)| (px.floor() as i32, py.floor() as i32);
    let (base_x, base_y) = area.get_base_pixel();
    // the threshold, dashed; none when it is undefined (a method's runs have no similarity)
    if floor.is_finite() {
        let (x0, yf) = to_px(frame.map(LABEL_ROOM, floor));
        let (x1, _) = to_px(frame.map(2.5, floor));
        let dash = m.px(8.0);
        let mut xs = x0;
        while xs < x1 {
            let xe = (xs + dash).min(x1);
            root.draw(&PathElement::new(
                vec![(xs, yf), (xe, yf)],
                THRESHOLD.stroke_width(m.px(1.5) as u32),
            ))
            .map_err(plot_err("drawing the threshold"))?;
            xs += 2 * dash;
        }
        let note_style = font(m.tick() * 0.9, false, THRESHOLD);
        draw_text(
            area,
            "min(within) − δ",
            &note_style,
            x0 - base_x + m.px(4.0),
            yf - base_y - m.px(4.0),
            HPos::Left,
        )?;
    }
    for (g, (_, d)) in groups(c).into_iter().enumerate() {
        let colour = class_colour(g, 3);
        let n = d.values.len();
        for (k, &v) in d.values.iter().enumerate() {
            if !v.is_finite() {
                continue;
            }
            // spread the dots of a group evenly across a third of its slot
            let jitter = if n > 1 {
                (k as f64 / (n - 1) as f64 - 0.5) * 0.36
            } else {
                0.0
            };
            let p = to_px(frame.map(g as f64 + jitter, v));
            root.draw(&Circle::new(p, m.px(3.2), colour.mix(0.55).filled()))
                .map_err(plot_err("drawing a pair"))?;
        }
        // between: the tested interval, between − min(within), drawn from min(within)
        let iv = if g == 2 { tested } else { d.mean };
        if !(iv.estimate.is_finite() && iv.lower.is_finite() && iv.upper.is_finite()) {
            continue;
        }
        let stroke = INK.stroke_width(m.px(2.0) as u32);
        let (xl, ym) = to_px(frame.map(g as f64 - 0.3, iv.estimate));
        let (xr, _) = to_px(frame.map(g as f64 + 0.3, iv.estimate));
        let (xc, yl) = to_px(frame.map(g as f64, iv.lower));
        let (_, yu) = to_px(frame.map(g as f64, iv.upper));
        let cap = m.px(7.0);
        for line in [
            vec![(xl, ym), (xr, ym)],
            vec![(xc, yl), (xc, yu)],
            vec![(xc - cap, yl), (xc + cap, yl)],
            vec![(xc - cap, yu), (xc + cap, yu)],
        ] {
            root.draw(&PathElement::new(line, stroke))
                .map_err(plot_err("drawing an interval"))?;
        }
        if d.pairs == 0 {
            let style = font(m.tick() * 0.9, false, INK_SOFT);
            draw_text(
                area,
                "one run",
                &style,
                xc - base_x,
                ym - base_y - m.px(8.0),
                HPos::Center,
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::bootstrap::Interval;

    fn dist(values: &[f64], lo: f64, hi: f64) -> Distribution {
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        Distribution {
            pairs: values.len(),
            values: values.to_vec(),
            mean: Interval {
                estimate: if values.is_empty() { 1.0 } else { mean },
                lower: lo,
                upper: hi,
            },
        }
    }

    #[test]
    fn draws_a_png_of_the_requested_size() {
        let c = GeometryCriterion {
            metric: crate::criteria::Similarity::LinearCka,
            within_a: dist(&[0.95, 0.97, 0.96], 0.94, 0.97),
            within_b: dist(&[], 1.0, 1.0),
            between: dist(&[0.8, 0.82, 0.85], 0.79, 0.84),
            difference: Interval {
                estimate: -0.15,
                lower: -0.17,
                upper: -0.12,
            },
            margin: 0.05,
            equivalent: false,
        };
        let size = FigureSize::new(900, 450).expect("size");
        let png = criteria_png(&[c.clone(), c], Some("not judged"), size).expect("figure");
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let info = decoder.read_info().expect("png").info().clone();
        assert_eq!((info.width, info.height), (900, 450));
        assert!(criteria_png(&[], None, FigureSize::default()).is_err());
    }

    #[test]
    fn an_undefined_within_method_similarity_draws_without_its_threshold() {
        let nan = f64::NAN;
        let c = GeometryCriterion {
            metric: crate::criteria::Similarity::LinearCka,
            within_a: dist(&[0.95, 0.97], 0.94, 0.97),
            within_b: dist(&[nan, nan], nan, nan),
            between: dist(&[0.8, 0.82], 0.79, 0.84),
            difference: Interval {
                estimate: nan,
                lower: nan,
                upper: nan,
            },
            margin: 0.05,
            equivalent: false,
        };
        assert!(criteria_png(&[c], Some("not judged"), FigureSize::default()).is_ok());
    }
}
