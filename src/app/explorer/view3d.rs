//! The 3-D view: for each method whose latent has 3 or more dimensions, a rotatable scatter of
//! three chosen columns (drag to rotate, Ctrl + wheel to zoom, as the 2-D plots), coloured as
//! the plots, far points drawn first. Hovering a point names its row; a click picks it; with
//! "box select" on or Shift held, a drag draws a box that selects the rows drawn inside it, as
//! in 2-D. The selection is outlined and the picked row ringed. The geometry is the core's
//! (`explore::unit_cloud`, `Orbit`).

use std::sync::Arc;

use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, pos2, vec2};
use ndarray::Array2;

use super::super::plots::{PICKED_COLOUR, ScatterPairView, Side};
use super::agreement::label_of;
use super::{ExploreInputs, Fit};
use crate::data::Dataset;
use crate::explore::{Orbit, unit_cloud};

/// Height of a 3-D plot in points.
const HEIGHT: f32 = 340.0;

/// Radians per point of drag.
const TURN_PER_POINT: f64 = 0.01;

/// Farthest distance, in points, at which a point counts as hovered.
const HOVER_DISTANCE: f32 = 6.0;

/// The unit cloud of one side for one (latents, columns).
type Cloud = (Arc<Array2<f32>>, [usize; 3], Vec<Option<[f64; 3]>>);

/// The 3-D view's camera, column choice, clouds and hovered row.
pub(super) struct View3d {
    /// The camera both plots share.
    pub orbit: Orbit,
    /// Latent columns on x, y and z.
    pub columns: [usize; 3],
    clouds: [Option<Cloud>; 2],
    /// The row under the pointer in the last frame, and its plot.
    pub hovered: Option<(Side, usize)>,
    /// The plot and screen corner of a box being dragged.
    box_from: Option<(Side, Pos2)>,
}

/// What the user did in the 3-D view.
#[derive(Debug, PartialEq)]
pub(super) enum Action3d {
    /// Clicked this row.
    Pick(usize),
    /// Drew a box in this plot around these rows (ascending).
    Select(Side, Vec<usize>),
}

impl Default for View3d {
    fn default() -> Self {
        View3d {
            orbit: Orbit::default(),
            columns: [0, 1, 2],
            clouds: [None, None],
            hovered: None,
            box_from: None,
        }
    }
}

impl View3d {
    /// The plots side by side (or why a side has none); returns a row the user clicked or the
    /// rows of a box drawn.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        inputs: &ExploreInputs,
        view: &ScatterPairView,
        (selected, picked): (&[usize], Option<usize>),
    ) -> Option<Action3d> {
        let widest = inputs
            .fits
            .iter()
            .flatten()
            .map(|f| f.latents.ncols())
            .max()
            .unwrap_or(0);
        if widest < 3 {
            ui.label("The 3-D view needs a latent with 3 or more dimensions (set Latent dim to 3 or more and train).");
            return None;
        }
        // as in 2-D: Shift turns a drag into a box for as long as it is held
        let selecting = view.box_select() || ui.input(|i| i.modifiers.shift);
        if !selecting {
            self.box_from = None;
        }
        ui.horizontal_wrapped(|ui| {
            for (k, name) in ["x", "y", "z"].into_iter().enumerate() {
                egui::ComboBox::from_id_salt(("view3d_axis", k))
                    .selected_text(format!("{name}: z{}", self.columns[k]))
                    .width(64.0)
                    .show_ui(ui, |ui| {
                        for c in 0..widest {
                            ui.selectable_value(&mut self.columns[k], c, format!("z{c}"));
                        }
                    });
            }
            let hint = if selecting {
                "drag a box to select · Ctrl + wheel to zoom · click to pick"
            } else {
                "drag to rotate · Shift + drag to select · Ctrl + wheel to zoom · click to pick"
            };
            ui.label(egui::RichText::new(hint).weak());
            if !selected.is_empty() {
                ui.label(format!(
                    "{} rows selected (listed in Selection)",
                    selected.len()
                ));
            }
            if ui.small_button("reset view").clicked() {
                self.orbit = Orbit::default();
            }
        });
        self.hovered = None;
        let mut action = None;
        ui.columns(2, |cols| {
            for (k, col) in cols.iter_mut().enumerate() {
                let side = if k == 0 { Side::A } else { Side::B };
                col.strong(format!("Method {}", side.label()));
                match &inputs.fits[k] {
                    Some(fit)
                        if fit.latents.ncols() > self.columns.into_iter().max().unwrap_or(0) =>
                    {
                        let marks = (selected, picked);
                        let how = (view, &**inputs.dataset, selecting);
                        if let Some(done) = self.plot_ui(col, side, fit, how, marks) {
                            action = Some(done);
                        }
                    }
                    Some(fit) => {
                        col.label(format!(
                            "{} latent dimension(s): no z{} to show",
                            fit.latents.ncols(),
                            self.columns.into_iter().max().unwrap_or(0)
                        ));
                    }
                    None => {
                        col.label("not trained yet");
                    }
                }
            }
        });
        action
    }

    /// One side's plot; returns the row clicked or the rows of a box drawn.
    fn plot_ui(
        &mut self,
        ui: &mut Ui,
        side: Side,
        fit: &Fit,
        (view, dataset, selecting): (&ScatterPairView, &Dataset, bool),
        (selected, picked): (&[usize], Option<usize>),
    ) -> Option<Action3d> {
        let columns = self.columns;
        let slot = &mut self.clouds[side.index()];
        if !slot
            .as_ref()
            .is_some_and(|(l, c, _)| Arc::ptr_eq(l, &fit.latents) && *c == columns)
        {
            let cloud = unit_cloud(fit.latents.view(), columns);
            *slot = Some((fit.latents.clone(), columns, cloud));
        }
        let size = vec2(ui.available_width(), HEIGHT);
        let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        if selecting && response.drag_started() {
            let from = response.interact_pointer_pos().unwrap_or(rect.center());
            self.box_from = Some((side, from));
        }
        let boxed = match self.box_from {
            Some((from_side, from)) if from_side == side => {
                let to = response.interact_pointer_pos().unwrap_or(from);
                Some(Rect::from_two_pos(from, to))
            }
            _ => None,
        };
        if boxed.is_none() && response.dragged() {
            let d = response.drag_delta();
            self.orbit.turn(
                f64::from(d.x) * TURN_PER_POINT,
                f64::from(d.y) * TURN_PER_POINT,
            );
        }
        if response.hovered() {
            let zoom = ui.input(|i| i.zoom_delta());
            if zoom != 1.0 {
                self.orbit.zoom_by(f64::from(zoom));
            }
        }
        let cloud = self.clouds[side.index()]
            .as_ref()
            .map_or(&[][..], |c| &c.2[..]);
        let projected = project(cloud, &self.orbit, rect);
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 4.0, Color32::from_gray(12));
        axes_ui(&painter, &self.orbit, rect, columns);
        let radius = if projected.len() > 5000 { 1.6 } else { 2.5 };
        for &(row, at, _) in &projected {
            painter.circle_filled(at, radius, view.row_colour(row).gamma_multiply(0.85));
        }
        let outline = Stroke::new(1.2, Color32::WHITE);
        for &(_, at, _) in projected
            .iter()
            .filter(|p| selected.binary_search(&p.0).is_ok())
        {
            painter.circle_stroke(at, radius + 1.5, outline);
        }
        if let Some(&(_, at, _)) = picked.and_then(|r| projected.iter().find(|p| p.0 == r)) {
            painter.circle_stroke(at, 7.0, Stroke::new(2.0, PICKED_COLOUR));
        }
        if let Some(area) = boxed {
            let colour = ui.visuals().selection.stroke.color;
            painter.rect_filled(area, 0.0, colour.gamma_multiply(0.12));
            painter.rect_stroke(
                area,
                0.0,
                Stroke::new(1.0, colour),
                egui::StrokeKind::Inside,
            );
            if response.drag_stopped() {
                self.box_from = None;
                let mut rows: Vec<usize> = projected
                    .iter()
                    .filter(|p| area.contains(p.1))
                    .map(|p| p.0)
                    .collect();
                rows.sort_unstable();
                return Some(Action3d::Select(side, rows));
            }
            return None;
        }
        let pointer = response.hover_pos()?;
        // the nearest drawn point; the nearest to the viewer on ties
        let (row, at, _) = projected
            .iter()
            .filter(|p| p.1.distance(pointer) <= HOVER_DISTANCE)
            .min_by(|p, q| {
                p.1.distance(pointer)
                    .total_cmp(&q.1.distance(pointer))
                    .then(q.2.total_cmp(&p.2))
            })
            .copied()?;
        self.hovered = Some((side, row));
        painter.circle_stroke(
            at,
            radius + 3.0,
            Stroke::new(1.5, ui.visuals().strong_text_color()),
        );
        response
            .on_hover_text(format!("row {row} ({})", label_of(dataset, row)))
            .clicked()
            .then_some(Action3d::Pick(row))
    }
}

/// The drawn rows as (row, screen position, depth), far first.
fn project(cloud: &[Option<[f64; 3]>], orbit: &Orbit, rect: Rect) -> Vec<(usize, Pos2, f64)> {
    let centre = rect.center();
    let half = 0.45 * rect.width().min(rect.height());
    let mut drawn: Vec<(usize, Pos2, f64)> = cloud
        .iter()
        .enumerate()
        .filter_map(|(row, p)| {
            let [x, y, depth] = orbit.apply((*p)?);
            let at = pos2(centre.x + half * x as f32, centre.y - half * y as f32);
            rect.contains(at).then_some((row, at, depth))
        })
        .collect();
    drawn.sort_by(|p, q| p.2.total_cmp(&q.2));
    drawn
}

/// The three axes from the centre, each a faint line named by its column.
fn axes_ui(painter: &egui::Painter, orbit: &Orbit, rect: Rect, columns: [usize; 3]) {
    let centre = rect.center();
    let half = 0.45 * rect.width().min(rect.height());
    let colour = Color32::from_gray(110);
    for (k, column) in columns.into_iter().enumerate() {
        let mut unit = [0.0; 3];
        unit[k] = 0.6;
        let [x, y, _] = orbit.apply(unit);
        let end = pos2(centre.x + half * x as f32, centre.y - half * y as f32);
        painter.line_segment([centre, end], Stroke::new(1.0, colour));
        painter.text(
            end,
            egui::Align2::CENTER_CENTER,
            format!("z{column}"),
            egui::FontId::proportional(12.0),
            colour,
        );
    }
}
