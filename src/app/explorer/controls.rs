//! The explorer's controls above its tabs (colouring, drag mode, the selection count, the find
//! box, the picked row) and the morph's frame export.

use egui::{RichText, Ui};

use super::super::plots::ScatterPairView;
use super::super::worker::Workers;
use super::{ExploreInputs, ExplorerView, Tab, find, morph, selection};
use crate::data::Dataset;

impl ExplorerView {
    /// The find box: Enter picks the row of a number or selects the rows of a class name.
    fn find_ui(&mut self, ui: &mut Ui, dataset: &Dataset) {
        let (text, problem) = &mut self.find;
        let edit = egui::TextEdit::singleline(text)
            .hint_text("class or row number")
            .desired_width(130.0);
        let label = ui.label("Find:");
        let response = ui
            .add(edit)
            .labelled_by(label.id)
            .on_hover_text("Enter: select a class's rows (by name) or pick a row (by number)");
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if entered || ui.button("Find").clicked() {
            *problem = None;
            match find::find(dataset, text) {
                find::Found::Row(row) => self.picked = Some(row),
                find::Found::Rows { classes, rows } => {
                    self.selection.set(selection::Origin::Found(classes), rows);
                    self.tab = Tab::Selection;
                }
                find::Found::Nothing(why) => *problem = Some(why),
            }
        }
        if let Some(why) = problem {
            ui.colored_label(ui.visuals().warn_fg_color, why.as_str());
        }
    }

    /// Colour toggle, drag mode, selection count and the picked row.
    pub(super) fn controls_ui(
        &mut self,
        ui: &mut Ui,
        view: &mut ScatterPairView,
        inputs: &ExploreInputs,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.label("Colour by:");
            // the dataset's own colouring: its classes, its continuous label, or none
            let own = match inputs.dataset.labels.as_ref() {
                Some(crate::data::Labels::Classes { .. }) => "class",
                Some(crate::data::Labels::Continuous(_)) => "label",
                None => "none",
            };
            // without an evaluation the plots show the dataset's colouring: so do the radios
            // (the choice of agreement is kept for when it returns)
            let available = self.agreement.colouring().is_some();
            let mut by_agreement = self.colour_by_agreement && available;
            ui.radio_value(&mut by_agreement, false, own);
            ui.add_enabled_ui(available, |ui| {
                ui.radio_value(&mut by_agreement, true, "k-NN agreement")
                    .on_disabled_hover_text("comes with the evaluation: train both methods")
                    .on_hover_text(
                        "each row's k-NN Jaccard between A and B: the overlap of its nearest \
                         neighbours in the two spaces (1 = the same neighbours, 0 = none shared)",
                    );
            });
            if available {
                self.colour_by_agreement = by_agreement;
            }
            ui.separator();
            ui.label("Drag:");
            let mut box_select = view.box_select();
            ui.radio_value(&mut box_select, false, "pan");
            ui.radio_value(&mut box_select, true, "box select")
                .on_hover_text("or hold Shift while dragging; right-drag zooms to a box");
            if box_select != view.box_select() {
                view.set_box_select(box_select);
            }
            ui.separator();
            let n = self.selection.rows.len();
            ui.label(format!("{n} rows selected"));
            if ui
                .add_enabled(n > 0, egui::Button::new("Clear selection"))
                .clicked()
            {
                self.selection.clear();
            }
            ui.separator();
            self.find_ui(ui, inputs.dataset);
        });
        // its own line, always there, so that picking a row does not move what is below
        ui.horizontal(|ui| {
            if let Some(row) = self.picked {
                let label = inputs
                    .dataset
                    .labels
                    .as_ref()
                    .filter(|l| row < l.len())
                    .map(|l| format!(" ({})", l.display_short(row)))
                    .unwrap_or_default();
                ui.label(
                    RichText::new(format!("picked row {row}{label}"))
                        .color(super::super::plots::PICKED_COLOUR),
                );
                if ui.small_button("✕ unpick").clicked() {
                    self.picked = None;
                }
            } else {
                ui.label(
                    RichText::new("no row picked: click a point, or a row in a list below").weak(),
                );
            }
        });
    }
}

/// Renders the morph's frames on a job thread and writes them, whole, into `morph/` of the save
/// folder.
pub(super) fn export_morph(
    inputs: &ExploreInputs,
    axes: crate::explore::PlotAxes,
    workers: &mut Workers,
) {
    let Some(shown) = inputs.shown else {
        return;
    };
    let (run, evaluation) = (shown.run.clone(), shown.evaluation.clone());
    let dir = std::path::Path::new(inputs.out_dir).join("morph");
    let render = move || {
        let frames = (axes, morph::EXPORT_FRAMES);
        let size = crate::figures::FigureSize::default();
        crate::run_figures::morph_frames(&run.prepared, &run.a, &evaluation, frames, size)
            .unwrap_or_else(|| {
                Err(crate::Error::InvalidInput(
                    "Procrustes could not align B onto A".into(),
                ))
            })
    };
    let what = format!("{} morph frames", morph::EXPORT_FRAMES);
    if let Err(e) = super::super::jobs::write_files(workers, what, dir, render) {
        eprintln!("latent-compare: could not start the morph export: {e}");
    }
}
