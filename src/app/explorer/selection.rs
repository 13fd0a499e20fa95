//! The selection: the rows inside the last box dragged out in either plot, or of the classes
//! found by name (outlined in both plots by the scatter view), with a summary — how many, which labels, their mean agreement —
//! and every selected row in a clickable list (only the lines in view are laid out).

use std::collections::BTreeMap;
use std::sync::Arc;

use egui::{RichText, Ui};

use super::super::plots::{MAX_OUTLINED, Side, format_value};
use super::agreement::label_of;
use crate::data::Dataset;

/// Width of one row's cell in the list, in points.
const LIST_CELL_WIDTH: f32 = 120.0;

/// How rows were selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    /// A box drawn in this plot.
    Box(Side),
    /// A box drawn in this side's 3-D plot.
    Box3d(Side),
    /// A search that found these classes.
    Found(Vec<String>),
}

/// The selected rows and how they were selected.
#[derive(Default)]
pub(super) struct Selection {
    /// Selected rows, ascending.
    pub rows: Arc<Vec<usize>>,
    /// How they were selected (None: nothing is).
    pub from: Option<Origin>,
}

impl Selection {
    /// Replaces the selection.
    pub fn set(&mut self, origin: Origin, rows: Vec<usize>) {
        self.rows = Arc::new(rows);
        self.from = Some(origin);
    }

    /// Selects nothing.
    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    /// The summary and list; returns the row clicked.
    pub fn ui(
        &self,
        ui: &mut Ui,
        dataset: &Dataset,
        agreement: &[f32],
        picked: Option<usize>,
    ) -> Option<usize> {
        let Some(origin) = &self.from else {
            ui.label(
                "Drag a box in either plot with \"box select\" on (or hold Shift while dragging), \
                 or find a class by name above, to select rows; they are outlined in both plots.",
            );
            return None;
        };
        let rows = &self.rows;
        let how = match origin {
            Origin::Box(side) => format!("by a box in plot {}", side.label()),
            Origin::Box3d(side) => format!("by a box in the 3-D view of {}", side.label()),
            Origin::Found(classes) => format!("of class {}", classes.join(", ")),
        };
        ui.label(format!(
            "{} rows selected {how}; outlined in both plots{}.",
            rows.len(),
            if rows.len() > MAX_OUTLINED {
                format!(" (the first {MAX_OUTLINED})")
            } else {
                String::new()
            }
        ));
        if rows.is_empty() {
            return None;
        }
        if let Some(labels) = &dataset.labels
            && labels.n_classes().is_some()
        {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for &row in rows.iter().filter(|&&r| r < labels.len()) {
                *counts.entry(labels.display(row)).or_default() += 1;
            }
            let mut counts: Vec<_> = counts.into_iter().collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let text: Vec<String> = counts.iter().map(|(l, n)| format!("{l}: {n}")).collect();
            ui.label(format!("by label — {}", text.join(", ")));
        }
        let with_value: Vec<f64> = rows
            .iter()
            .filter_map(|&r| agreement.get(r))
            .filter(|v| v.is_finite())
            .map(|&v| f64::from(v))
            .collect();
        if !with_value.is_empty() {
            let mean = with_value.iter().sum::<f64>() / with_value.len() as f64;
            ui.label(format!(
                "mean k-NN agreement of the {} selected metric rows: {}",
                with_value.len(),
                format_value(mean)
            ));
        }
        let mut clicked = None;
        ui.label(RichText::new("Click a row to ring it in both plots:").weak());
        // every selected row, laid out in lines of equal cells; only the lines in view are built
        let per_line = ((ui.available_width() / LIST_CELL_WIDTH).floor() as usize).max(1);
        let height = ui.spacing().interact_size.y;
        egui::ScrollArea::vertical()
            .id_salt("selected_rows")
            .max_height(160.0)
            .auto_shrink([false, true])
            .show_rows(ui, height, rows.len().div_ceil(per_line), |ui, lines| {
                for line in lines {
                    ui.horizontal(|ui| {
                        for &row in rows.iter().skip(line * per_line).take(per_line) {
                            let text = format!("row {row} ({})", label_of(dataset, row));
                            let cell = egui::Button::selectable(picked == Some(row), text);
                            let size = [LIST_CELL_WIDTH - ui.spacing().item_spacing.x, height];
                            if ui.add_sized(size, cell).clicked() {
                                clicked = Some(row);
                            }
                        }
                    });
                }
            });
        clicked
    }
}
