//! The neighbours of the picked row: its k nearest rows in the input (the prepared features the
//! methods were fitted on), in A and in B, side by side with their distances and, for image
//! data, thumbnails; the rows a list shares with the others are marked, and every listed row is
//! outlined in both plots. Computed by the core (`explore::point_neighbours`) when the row, k
//! or a fit changes.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use ndarray::Array2;

use super::super::plots::{PICKED_COLOUR, format_value, thumbnail_ui};
use super::agreement::label_of;
use super::{ExploreInputs, Fit};
use crate::data::Prepared;
use crate::explore::{NeighbourList, PointNeighbours, point_neighbours};

/// Largest k offered.
const MAX_K: usize = 50;

/// Side of a thumbnail in points.
const THUMBNAIL: f32 = 22.0;

/// The colour of a mark saying a row is shared with another list.
const SHARED_COLOUR: Color32 = Color32::from_rgb(0x2c, 0xa0, 0x2c);

/// What a result was computed from: the row, k, and the input and latents (held, so that
/// their addresses are not reused while compared).
type Key = (
    usize,
    usize,
    Arc<Prepared>,
    Arc<Array2<f32>>,
    Arc<Array2<f32>>,
);

/// The neighbours view's k and its last result.
pub(super) struct NeighboursView {
    /// Neighbours per list.
    pub k: usize,
    last: Option<(Key, Result<PointNeighbours, String>)>,
    /// The row and every row of its lists, ascending (one `Arc` per result, so that the
    /// plots' outlines are built once).
    outlined: Option<(usize, Arc<Vec<usize>>)>,
}

impl Default for NeighboursView {
    fn default() -> Self {
        NeighboursView {
            k: 10,
            last: None,
            outlined: None,
        }
    }
}

impl NeighboursView {
    /// The neighbours of `picked` for fits `a` and `b`, computed when something changed.
    fn neighbours(
        &mut self,
        picked: usize,
        (a, b): (&Fit, &Fit),
    ) -> Option<&Result<PointNeighbours, String>> {
        let fresh = self.last.as_ref().is_some_and(|(key, _)| {
            key.0 == picked
                && key.1 == self.k
                && Arc::ptr_eq(&key.2, &a.prepared)
                && Arc::ptr_eq(&key.3, &a.latents)
                && Arc::ptr_eq(&key.4, &b.latents)
        });
        if !fresh {
            let input = a.prepared.x.view();
            let latents = (a.latents.view(), b.latents.view());
            let found = point_neighbours(picked, input, latents, self.k).map_err(|e| e.to_string());
            self.outlined = found
                .as_ref()
                .ok()
                .map(|f| (picked, Arc::new(f.all_rows())));
            let key = (
                picked,
                self.k,
                a.prepared.clone(),
                a.latents.clone(),
                b.latents.clone(),
            );
            self.last = Some((key, found));
        }
        self.last.as_ref().map(|(_, found)| found)
    }

    /// Every row the last lists hold (outlined in both plots), when they are for `picked`.
    pub fn rows(&self, picked: Option<usize>) -> Option<Arc<Vec<usize>>> {
        match &self.outlined {
            Some((row, rows)) if Some(*row) == picked => Some(rows.clone()),
            _ => None,
        }
    }

    /// The view; returns a row the user clicked in a list.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        inputs: &ExploreInputs,
        picked: Option<usize>,
    ) -> Option<usize> {
        let [Some(a), Some(b)] = &inputs.fits else {
            ui.label("Train both methods to compare a row's neighbours in the input, A and B.");
            return None;
        };
        let Some(picked) = picked else {
            ui.label(
                "Pick a row — click a point in either plot, type its number in Find, or click \
                 one in a list — to see its nearest rows in the input, in A and in B.",
            );
            return None;
        };
        ui.horizontal(|ui| {
            ui.label("Neighbours per list (k):");
            ui.add(egui::Slider::new(&mut self.k, 1..=MAX_K));
        });
        let dataset = inputs.dataset.clone();
        let found = match self.neighbours(picked, (a, b))? {
            Ok(found) => found.clone(),
            Err(e) => {
                ui.colored_label(ui.visuals().warn_fg_color, e.as_str());
                return None;
            }
        };
        let k = found.input.rows.len();
        let in_input = |list: &NeighbourList| {
            list.rows
                .iter()
                .filter(|&&r| found.input.contains(r))
                .count()
        };
        ui.label(
            RichText::new(format!(
                "Row {picked} ({}): of its {k} nearest rows in the input, {} are among A's {k} \
                 nearest and {} among B's; {} are in all three lists. All are outlined in both \
                 plots.",
                label_of(&dataset, picked),
                in_input(&found.a),
                in_input(&found.b),
                found.shared_by_all().len()
            ))
            .color(PICKED_COLOUR),
        );
        let image = dataset.image_shape;
        let mut clicked = None;
        ui.columns(3, |cols| {
            let lists = [
                ("Input (prepared features)", &found.input),
                ("A", &found.a),
                ("B", &found.b),
            ];
            for (col, (title, list)) in cols.iter_mut().zip(lists) {
                col.strong(title);
                for (rank, (&row, &distance)) in list.rows.iter().zip(&list.distances).enumerate() {
                    // which other lists hold this row
                    let marks: Vec<&str> = [("in", &found.input), ("A", &found.a), ("B", &found.b)]
                        .into_iter()
                        .filter(|(_, other)| !std::ptr::eq(*other, list) && other.contains(row))
                        .map(|(name, _)| name)
                        .collect();
                    col.horizontal(|ui| {
                        ui.label(RichText::new(format!("{:>2}", rank + 1)).weak().monospace());
                        if let Some(shape) = image {
                            thumbnail_ui(ui, dataset.records.row(row), shape, THUMBNAIL);
                        }
                        let text = format!("row {row} ({})", label_of(&dataset, row));
                        if ui.selectable_label(false, text).clicked() {
                            clicked = Some(row);
                        }
                        ui.label(RichText::new(format_value(distance)).weak());
                        if !marks.is_empty() {
                            let text = RichText::new(format!("✓ {}", marks.join(" ")))
                                .color(SHARED_COLOUR);
                            ui.label(text)
                                .on_hover_text("also a neighbour in these lists (in: the input)");
                        }
                    });
                }
            }
        });
        clicked
    }
}
