//! The hovered row in the scatter view: finding the row under the pointer, ringing it in both
//! plots, and its tooltip (row, label, coordinates and, for image data, the sample).

use egui::{Color32, Pos2, Rect, Response, RichText, Stroke, Ui};

#[cfg(test)]
use super::points::PlotData;
use super::sample::sample_ui;
use super::scatter::{ScatterPairView, Side};
use super::{Colouring, ScatterSource};
use crate::data::Dataset;
use crate::plot::format;

/// A point is hovered when the pointer is at most this far from it, in points.
const HOVER_RADIUS: f32 = 8.0;

/// Radius of the ring around the hovered point, in points.
const RING_RADIUS: f32 = 6.5;

impl ScatterPairView {
    /// Finds the row under the pointer; searches only when the pointer or the view moved.
    pub(super) fn update_hover(&mut self, responses: &[Option<Response>; 2]) {
        let pointer = [Side::A, Side::B].into_iter().find_map(|side| {
            let response = responses[side.index()].as_ref()?;
            Some((side, response.hover_pos()?))
        });
        let Some((side, pos)) = pointer else {
            self.hovered = None;
            self.hover_memo = None;
            return;
        };
        let state = &self.sides[side.index()];
        let generation = state.screen.borrow().generation;
        let row = match self.hover_memo {
            Some((s, p, g, row)) if s == side && p == pos && g == generation => row,
            _ => state
                .transform
                .and_then(|t| state.data.nearest(&t, pos, HOVER_RADIUS)),
        };
        self.hover_memo = Some((side, pos, generation, row));
        self.hovered = row.map(|row| (side, row));
    }

    /// Rings the hovered row in both plots.
    pub(super) fn paint_rings(&self, ui: &Ui) {
        for (frame, pos) in self.hover_ring_positions() {
            let painter = ui.painter().with_clip_rect(frame);
            painter.circle_stroke(pos, RING_RADIUS, Stroke::new(4.0, Color32::WHITE));
            painter.circle_stroke(pos, RING_RADIUS, Stroke::new(2.0, Color32::BLACK));
        }
    }

    /// Plot frame and screen position of the hovered row in each plot that shows it.
    pub(super) fn hover_ring_positions(&self) -> Vec<(Rect, Pos2)> {
        let Some((_, row)) = self.hovered else {
            return Vec::new();
        };
        self.sides
            .iter()
            .filter_map(|state| {
                let transform = state.transform.as_ref()?;
                let pos = transform.position_from_point(&state.data.point(row)?);
                transform
                    .frame()
                    .contains(pos)
                    .then_some((*transform.frame(), pos))
            })
            .collect()
    }

    /// The points of the plot of `side`.
    #[cfg(test)]
    pub(super) fn plot_data(&self, side: Side) -> &PlotData {
        &self.sides[side.index()].data
    }

    /// Row number, label, coordinates in each plot and, for image data, the sample.
    pub(super) fn tooltip_ui(
        &self,
        ui: &mut Ui,
        row: usize,
        sources: [Option<&ScatterSource>; 2],
        colouring: &Colouring,
        dataset: &Dataset,
    ) {
        ui.label(RichText::new(format!("row {row}")).strong());
        let own_label = dataset
            .labels
            .as_ref()
            .filter(|labels| row < labels.len())
            .map(|labels| format!("label: {}", labels.display_short(row)));
        let coloured_by = self.colours.describe(colouring, row);
        // the row's own label too when the points are coloured by something else (agreement);
        // `Colouring::from_labels` names a continuous label "label"
        let coloured_by_label = match (colouring, dataset.labels.as_ref()) {
            (Colouring::Classes { .. }, Some(crate::data::Labels::Classes { .. })) => true,
            (Colouring::Continuous { label, .. }, Some(crate::data::Labels::Continuous(_))) => {
                label == "label"
            }
            _ => false,
        };
        for text in [
            coloured_by.clone(),
            own_label.filter(|_| !coloured_by_label || coloured_by.is_none()),
        ]
        .into_iter()
        .flatten()
        {
            ui.label(text);
        }
        for (state, source) in self.sides.iter().zip(sources) {
            if let (Some(source), Some(point)) = (source, state.data.point(row)) {
                let (x_axis, y_axis) = state.shown_axes;
                let mut text = format!("{}: z{x_axis} = {}", source.title, format::value(point.x));
                if let Some(y_axis) = y_axis {
                    text += &format!(", z{y_axis} = {}", format::value(point.y));
                }
                ui.label(RichText::new(text).weak());
            }
        }
        if let Some(shape) = dataset.image_shape
            && row < dataset.records.nrows()
        {
            sample_ui(ui, dataset.records.row(row), shape);
        }
    }
}
