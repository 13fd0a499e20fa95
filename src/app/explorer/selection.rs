//! The box selection: the rows inside the last box dragged out in either plot (outlined in both
//! plots by the scatter view), with a summary — how many, which labels, their mean agreement —
//! and the first rows as a clickable list.

use std::collections::BTreeMap;
use std::sync::Arc;

use egui::{RichText, Ui};

use super::super::plots::{MAX_OUTLINED, Side, format_value};
use super::agreement::label_of;
use crate::data::Dataset;

/// Rows listed by number.
const LISTED_ROWS: usize = 60;

/// The selected rows and the plot they were selected in.
#[derive(Default)]
pub(super) struct Selection {
    /// Selected rows, ascending.
    pub rows: Arc<Vec<usize>>,
    /// The plot the box was drawn in.
    pub from: Option<Side>,
}

impl Selection {
    /// Replaces the selection.
    pub fn set(&mut self, side: Side, rows: Vec<usize>) {
        self.rows = Arc::new(rows);
        self.from = Some(side);
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
        let Some(side) = self.from else {
            ui.label(
                "Drag a box in either plot with \"box select\" on (or hold Shift while dragging) \
                 to select rows; they are outlined in both plots.",
            );
            return None;
        };
        let rows = &self.rows;
        ui.label(format!(
            "{} rows selected by a box in plot {}; outlined in both plots{}.",
            rows.len(),
            side.name(),
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
        egui::ScrollArea::vertical()
            .id_salt("selected_rows")
            .max_height(160.0)
            .show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    for &row in rows.iter().take(LISTED_ROWS) {
                        let text = format!("row {row} ({})", label_of(dataset, row));
                        if ui.selectable_label(picked == Some(row), text).clicked() {
                            clicked = Some(row);
                        }
                    }
                    if rows.len() > LISTED_ROWS {
                        ui.label(format!("… and {} more", rows.len() - LISTED_ROWS));
                    }
                });
            });
        clicked
    }
}
