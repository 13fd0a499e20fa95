//! Colour by agreement: each row's k-NN Jaccard between A and B (from the evaluation) as a
//! colouring of both plots, and the least-agreeing rows as a clickable list. Rows the metrics
//! did not use have no value: they are drawn grey and the legend says so.

use std::sync::Arc;

use egui::{RichText, Ui};

use super::super::Shown;
use super::super::plots::{Colouring, format_value};
use crate::data::Dataset;
use crate::evaluate::Evaluation;
use crate::explore::{RowAgreement, agreement_per_row, least_agreeing};

/// Rows in the least-agreeing list.
pub const LEAST_AGREEING_ROWS: usize = 20;

/// The agreement of the evaluation on screen, built once per evaluation.
#[derive(Default)]
pub(super) struct AgreementCache {
    /// The evaluation it was built from (held, so its address is not reused).
    evaluation: Option<Arc<Evaluation>>,
    colouring: Option<Colouring>,
    values: Arc<Vec<f32>>,
    least: Vec<RowAgreement>,
    /// Metric rows whose agreement is at most the last listed one's (ties beyond the list).
    n_tied_or_lower: usize,
}

impl AgreementCache {
    /// Rebuilds when the evaluation on screen changed.
    pub fn update(&mut self, shown: Option<&Shown>, n_rows: usize) {
        let evaluation = shown.map(|s| &s.evaluation);
        let same = match (&self.evaluation, evaluation) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) && self.values.len() == n_rows,
            (None, None) => true,
            _ => false,
        };
        if same {
            return;
        }
        *self = AgreementCache::default();
        let Some(e) = evaluation else {
            return;
        };
        self.evaluation = Some(e.clone());
        let jaccard = &e.comparison.knn_jaccard;
        if jaccard.is_empty() {
            return;
        }
        let rows = &e.rows.rows;
        self.values = Arc::new(agreement_per_row(n_rows, rows, jaccard));
        self.least = least_agreeing(rows, jaccard, LEAST_AGREEING_ROWS);
        if let Some(last) = self.least.last() {
            self.n_tied_or_lower = jaccard.iter().filter(|&&j| j <= last.agreement).count();
        }
        self.colouring = Some(Colouring::Continuous {
            values: self.values.clone(),
            label: format!(
                "k-NN agreement (k = {}) · grey: not a metric row, no value",
                e.settings.neighbors
            ),
            // the rows whose neighbours disagree are the ones to find: bright on the dark plot
            reversed: true,
        });
    }

    /// The agreement colouring, when there is an evaluation with per-row values.
    pub fn colouring(&self) -> Option<&Colouring> {
        self.colouring.as_ref()
    }

    /// Agreement of every row (NaN where none); empty without an evaluation.
    pub fn values(&self) -> &[f32] {
        &self.values
    }

    /// The least-agreeing rows as a table; returns the row clicked.
    pub fn list_ui(
        &self,
        ui: &mut Ui,
        shown: Option<&Shown>,
        dataset: &Dataset,
        picked: Option<usize>,
    ) -> Option<usize> {
        let Some(shown) = shown else {
            ui.label("The per-row agreement comes with the evaluation: train both methods.");
            return None;
        };
        if self.least.is_empty() {
            ui.label("The evaluation has no per-row k-NN agreement (see its notes).");
            return None;
        }
        let e = &shown.evaluation;
        ui.label(
            RichText::new(format!(
                "The {} rows whose {} nearest neighbours A and B agree on least (Jaccard of the \
                 two neighbour sets; 1 = the same neighbours; mean {}). Click one to ring it in \
                 both plots.",
                self.least.len(),
                e.settings.neighbors,
                e.comparison
                    .knn_jaccard_mean
                    .map_or("–".into(), format_value),
            ))
            .weak(),
        );
        if let Some(last) = self.least.last()
            && self.n_tied_or_lower > self.least.len()
        {
            ui.label(
                RichText::new(format!(
                    "{} metric rows have {}; the list shows the first by row number (colour by \
                     agreement to see them all).",
                    self.n_tied_or_lower,
                    if last.agreement == 0.0 {
                        "no neighbour in common (agreement 0)".to_owned()
                    } else {
                        format!("an agreement of {} or less", format_value(last.agreement))
                    }
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("least_agreeing")
            .max_height(260.0)
            .show(ui, |ui| {
                egui::Grid::new("least_agreeing_table")
                    .striped(true)
                    .num_columns(3)
                    .spacing([24.0, 2.0])
                    .show(ui, |ui| {
                        ui.strong("Row");
                        ui.strong("Label");
                        ui.strong("Agreement");
                        ui.end_row();
                        for entry in &self.least {
                            let row = entry.row;
                            if ui
                                .selectable_label(picked == Some(row), format!("row {row}"))
                                .clicked()
                            {
                                clicked = Some(row);
                            }
                            ui.label(label_of(dataset, row));
                            ui.label(format!("{:.3}", entry.agreement));
                            ui.end_row();
                        }
                    });
            });
        clicked
    }
}

/// The row's label as text ("–" without one).
pub(super) fn label_of(dataset: &Dataset, row: usize) -> String {
    dataset
        .labels
        .as_ref()
        .filter(|l| row < l.len())
        .map_or("–".into(), |l| l.display_short(row))
}
