//! The explorer's marks in the scatter view: clicks and dragged boxes reported back as plot
//! events, and the selected rows, the picked row and the decoded point painted in the plots.

use std::sync::Arc;

use egui::{Response, Ui};
use egui_plot::PlotPoint;

use super::marks::{DrawnMarks, PlotEvent, paint_box, paint_decoded_cross, paint_picked_ring};
use super::scatter::{ScatterPairView, Side};
use crate::explore::{PlotAxes, rows_in_box};

impl ScatterPairView {
    /// Reports clicks, and follows a box being dragged (reported when it is let go).
    pub(super) fn update_clicks_and_box(
        &mut self,
        ui: &Ui,
        responses: &[Option<Response>; 2],
        selecting: bool,
    ) {
        for side in [Side::A, Side::B] {
            let Some(response) = &responses[side.index()] else {
                continue;
            };
            let state = &self.sides[side.index()];
            let Some(transform) = state.transform else {
                continue;
            };
            if response.clicked()
                && let Some(pos) = response.interact_pointer_pos()
            {
                let point = transform.value_from_position(pos);
                let (x, y) = state.shown_axes;
                self.events.push(PlotEvent::Clicked {
                    side,
                    point: [point.x, point.y],
                    row: self.hovered.filter(|(s, _)| *s == side).map(|(_, r)| r),
                    axes: PlotAxes { x, y },
                });
            }
            if response.double_clicked() {
                self.events.push(PlotEvent::DoubleClicked { side });
            }
            if selecting && response.drag_started_by(egui::PointerButton::Primary) {
                let start = ui
                    .input(|i| i.pointer.press_origin())
                    .or(response.interact_pointer_pos());
                self.box_drag = start.map(|p| (side, p, p));
            }
            let Some((drag_side, start, mut end)) = self.box_drag else {
                continue;
            };
            if drag_side != side {
                continue;
            }
            if let Some(pos) = response.interact_pointer_pos() {
                end = pos;
            }
            if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
                self.box_drag = None;
                let (p, q) = (
                    transform.value_from_position(start),
                    transform.value_from_position(end),
                );
                let rows = rows_in_box(&state.data.coords, [p.x, p.y], [q.x, q.y]);
                self.events.push(PlotEvent::BoxSelected { side, rows });
            } else {
                self.box_drag = Some((side, start, end));
                paint_box(ui, *transform.frame(), start, end);
            }
        }
    }

    /// Outlines the selected rows and rings the picked row in both plots; crosses the decoded
    /// plot point in its own.
    pub(super) fn paint_marks(&mut self, ui: &Ui, texture: egui::TextureId) {
        let ppp = ui.ctx().pixels_per_point();
        for (k, state) in self.sides.iter_mut().enumerate() {
            self.drawn[k] = DrawnMarks::default();
            let Some(transform) = state.transform else {
                continue;
            };
            let frame = *transform.frame();
            if !self.marks.selected.is_empty() {
                let dark = ui.visuals().dark_mode;
                let b = transform.bounds();
                let selected = &self.marks.selected;
                let key = (
                    frame,
                    [b.min()[0], b.min()[1], b.max()[0], b.max()[1]],
                    Arc::as_ptr(selected) as usize,
                    selected.len(),
                    state.data.generation,
                    ppp,
                    dark,
                    texture,
                );
                let (data, colours) = (&state.data, &self.colours);
                let positions = selected.iter().filter_map(|&row| {
                    let pos = transform.position_from_point(&data.point(row)?);
                    Some((pos, colours.colour(row)))
                });
                let (shape, n) = state.outlines.shape(ui.ctx(), key, selected, positions);
                ui.painter().with_clip_rect(frame).add(shape);
                self.drawn[k].outlined = n;
            }
            if let Some(row) = self.marks.picked
                && let Some(point) = state.data.point(row)
            {
                let pos = transform.position_from_point(&point);
                if frame.contains(pos) {
                    paint_picked_ring(ui, frame, pos);
                    self.drawn[k].picked = true;
                }
            }
            if let Some(mark) = self.marks.decoded
                && mark.side.index() == k
                && state.shown_axes == (mark.axes.x, mark.axes.y)
            {
                let [x, y] = mark.point;
                let pos = transform.position_from_point(&PlotPoint::new(x, y));
                if frame.contains(pos) {
                    paint_decoded_cross(ui, frame, pos);
                    self.drawn[k].decoded = true;
                }
            }
        }
    }
}
