//! B rotated onto A by Procrustes (the evaluation's `b_aligned`, metric rows), drawn over A in
//! one plot: A as blue discs, B as orange crosses, and optionally a thin line per row from its
//! point in A to its aligned point in B. Long lines are rows where the spaces differ. With a box
//! selection the other rows fade and the selected ones are drawn with their lines; the picked
//! row is ringed in magenta.

use std::ops::RangeInclusive;
use std::sync::Arc;

use egui::{Color32, RichText, Shape, Stroke, Ui};
use egui_plot::{
    Legend, MarkerShape, Plot, PlotBounds, PlotGeometry, PlotItem, PlotItemBase, PlotPoint,
    PlotTransform, Points,
};

use super::super::Shown;
use super::super::plots::{PICKED_COLOUR, format_value};
use crate::evaluate::Evaluation;
use crate::explore::{AlignedPair, PlotAxes, aligned_pairs};

/// A's colour (the figures' blue) and B's (orange).
const A_COLOUR: Color32 = Color32::from_rgb(0x1f, 0x77, 0xb4);
const B_COLOUR: Color32 = Color32::from_rgb(0xff, 0x7f, 0x0e);

/// The aligned view's options and its pairs, built once per (evaluation, axes).
#[derive(Default)]
pub(super) struct AlignedView {
    /// Draw a line from each row's A point to its aligned B point.
    lines: bool,
    cache: Option<(Arc<Evaluation>, PlotAxes, Vec<AlignedPair>)>,
}

impl AlignedView {
    fn pairs(&mut self, shown: &Shown, axes: PlotAxes) -> &[AlignedPair] {
        let fresh = self
            .cache
            .as_ref()
            .is_some_and(|(e, a, _)| Arc::ptr_eq(e, &shown.evaluation) && *a == axes);
        if !fresh {
            let pairs = shown_pairs(shown, axes);
            self.cache = Some((shown.evaluation.clone(), axes, pairs));
        }
        self.cache.as_ref().map_or(&[], |(_, _, p)| p)
    }

    /// The plot, or why there is none. `axes` are A's plot columns (B is aligned in A's units,
    /// so the same columns apply).
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shown: Option<&Shown>,
        axes: Option<PlotAxes>,
        (selected, picked): (&[usize], Option<usize>),
    ) {
        let Some(shown) = shown else {
            ui.label("B aligned onto A comes with the evaluation: train both methods.");
            return;
        };
        if shown.evaluation.comparison.b_aligned.is_none() {
            ui.label("Procrustes could not align B onto A (see the evaluation's notes).");
            return;
        }
        let axes = axes.unwrap_or(PlotAxes { x: 0, y: Some(1) });
        let e = &shown.evaluation;
        let disparity = e
            .comparison
            .procrustes_disparity
            .map_or("–".into(), format_value);
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "B rotated and scaled onto A by Procrustes (disparity {disparity}) on the {} {} \
                 rows, in A's z{}{}.",
                e.rows.n,
                e.rows.source,
                axes.x,
                axes.y.map_or(String::new(), |y| format!(" and z{y}")),
            ));
            ui.checkbox(&mut self.lines, "line from A to aligned B per row");
        });
        let lines = self.lines;
        let pairs = self.pairs(shown, axes);
        if pairs.is_empty() {
            ui.label("No row has finite coordinates in both spaces.");
            return;
        }
        let a: Vec<[f64; 2]> = pairs.iter().map(|p| p.a).collect();
        let b: Vec<[f64; 2]> = pairs.iter().map(|p| p.b).collect();
        let radius = if pairs.len() > 2000 { 1.5 } else { 2.5 };
        let picked_pair = picked.and_then(|row| pairs.iter().find(|p| p.row == row).copied());
        // `selected` is ascending (the selection keeps data order)
        let chosen: Vec<AlignedPair> = pairs
            .iter()
            .filter(|p| selected.binary_search(&p.row).is_ok())
            .copied()
            .collect();
        let line_colour = ui.visuals().strong_text_color();
        let y_label = axes
            .y
            .map_or("jitter (1-D latent)".to_owned(), |y| format!("A z{y}"));
        Plot::new("aligned_b_onto_a")
            .height(380.0)
            .width((ui.available_width() - super::super::plots::SCROLL_BAR_ROOM).max(200.0))
            .x_axis_label(format!("A z{}", axes.x))
            .y_axis_label(y_label)
            .legend(Legend::default())
            // The wheel scrolls the page, not the plot (ctrl + wheel zooms).
            .allow_scroll(false)
            .allow_double_click_reset(true)
            .show(ui, |plot_ui| {
                // with a selection, the other rows fade and the selected ones keep full colour
                let fade = if chosen.is_empty() { 1.0 } else { 0.25 };
                if lines {
                    plot_ui.add(Segments::new(
                        "A → aligned B",
                        pairs,
                        LINE_STROKE.color.gamma_multiply(fade),
                    ));
                }
                plot_ui.add(a_points(
                    "A",
                    a,
                    radius,
                    A_COLOUR.gamma_multiply(0.8 * fade),
                ));
                plot_ui.add(b_points(
                    "B aligned",
                    b,
                    radius,
                    B_COLOUR.gamma_multiply(fade),
                ));
                if !chosen.is_empty() {
                    let name = format!("selected ({})", chosen.len());
                    plot_ui.add(Segments::new(
                        &name,
                        &chosen,
                        line_colour.gamma_multiply(0.7),
                    ));
                    let (a, b) = chosen.iter().map(|p| (p.a, p.b)).unzip();
                    plot_ui.add(a_points(&name, a, radius + 0.5, A_COLOUR));
                    plot_ui.add(b_points(&name, b, radius + 0.5, B_COLOUR));
                }
                if let Some(p) = picked_pair {
                    plot_ui.add(
                        Points::new(format!("row {} (picked)", p.row), vec![p.a, p.b])
                            .radius(7.0)
                            .shape(MarkerShape::Circle)
                            .filled(false)
                            .color(PICKED_COLOUR),
                    );
                }
            });
        if !selected.is_empty() {
            let left_out = selected.len() - chosen.len();
            let text = if left_out == 0 {
                format!(
                    "The {} selected rows are drawn with their lines; the others fade.",
                    chosen.len()
                )
            } else {
                format!(
                    "{} of the {} selected rows are drawn with their lines, the others fade; \
                     {left_out} are not metric rows and have no aligned point.",
                    chosen.len(),
                    selected.len()
                )
            };
            ui.label(RichText::new(text).weak());
        }
        if let Some(row) = picked
            && picked_pair.is_none()
        {
            ui.label(
                RichText::new(format!(
                    "row {row} is not a metric row: it has no aligned point"
                ))
                .weak(),
            );
        }
    }
}

/// The metric rows of the shown evaluation as pairs of A's point and B's aligned point in A's
/// columns `axes` (none when Procrustes could not align B).
pub(super) fn shown_pairs(shown: &Shown, axes: PlotAxes) -> Vec<AlignedPair> {
    let e = &shown.evaluation;
    e.comparison.b_aligned.as_ref().map_or(Vec::new(), |b| {
        aligned_pairs(
            shown.run.a.fitted.latents.view(),
            &e.rows.rows,
            b.view(),
            axes,
        )
    })
}

/// The thin grey line of every row.
const LINE_STROKE: Stroke = Stroke {
    width: 0.6,
    color: Color32::from_rgba_premultiplied(77, 77, 77, 179),
};

/// A's points: filled discs.
fn a_points(name: &str, points: Vec<[f64; 2]>, radius: f32, colour: Color32) -> Points<'static> {
    Points::new(name, points)
        .radius(radius)
        .shape(MarkerShape::Circle)
        .filled(true)
        .color(colour)
}

/// B's aligned points: crosses, a little larger to read over A's discs.
fn b_points(name: &str, points: Vec<[f64; 2]>, radius: f32, colour: Color32) -> Points<'static> {
    Points::new(name, points)
        .radius(radius + 1.0)
        .shape(MarkerShape::Cross)
        .color(colour)
}

/// One line per pair, from A's point to B's aligned point.
struct Segments<'a> {
    base: PlotItemBase,
    pairs: &'a [AlignedPair],
    stroke: Stroke,
}

impl<'a> Segments<'a> {
    fn new(name: &str, pairs: &'a [AlignedPair], colour: Color32) -> Self {
        Segments {
            base: PlotItemBase::new(name.to_owned()),
            pairs,
            stroke: Stroke::new(LINE_STROKE.width, colour),
        }
    }
}

impl PlotItem for Segments<'_> {
    fn shapes(&self, _ui: &Ui, transform: &PlotTransform, shapes: &mut Vec<Shape>) {
        let stroke = self.stroke;
        let frame = transform.frame().expand(20.0);
        for p in self.pairs {
            let a = transform.position_from_point(&PlotPoint::new(p.a[0], p.a[1]));
            let b = transform.position_from_point(&PlotPoint::new(p.b[0], p.b[1]));
            if frame.contains(a) || frame.contains(b) {
                shapes.push(Shape::line_segment([a, b], stroke));
            }
        }
    }

    fn initialize(&mut self, _x_range: RangeInclusive<f64>) {}

    fn color(&self) -> Color32 {
        self.stroke.color
    }

    fn geometry(&self) -> PlotGeometry<'_> {
        PlotGeometry::None
    }

    fn bounds(&self) -> PlotBounds {
        let mut bounds = PlotBounds::NOTHING;
        for p in self.pairs {
            bounds.extend_with(&PlotPoint::new(p.a[0], p.a[1]));
            bounds.extend_with(&PlotPoint::new(p.b[0], p.b[1]));
        }
        bounds
    }

    fn base(&self) -> &PlotItemBase {
        &self.base
    }

    fn base_mut(&mut self) -> &mut PlotItemBase {
        &mut self.base
    }
}
